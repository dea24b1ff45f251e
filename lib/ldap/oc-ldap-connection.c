/* oc-ldap-connection.c: connect, sign in, search in pages, modify.
 *
 * A thin, blocking layer over libldap (OpenLDAP's client, which is thread-safe
 * since 2.5), for a directory that is usually Active Directory.  Things AD does
 * that shape this code:
 * - it returns at most MaxPageSize (1000) entries per search unless the client
 *   asks for pages (RFC 2696), so every large search here is paged;
 * - it answers searches at the domain root with continuation references to other
 *   partitions, which libldap would chase with our credentials: referrals are off;
 * - a simple bind with a DN and an empty password is an "unauthenticated bind"
 *   that succeeds as anonymous (RFC 4513 5.1.2): refused here, so a missing
 *   password cannot look like a successful sign-in.
 * Every call is _sync and may block for the network timeout; callers on a main
 * loop run them in a thread.
 */
#include "config.h"
#include "oc-ldap-connection.h"

#include <ldap.h>
#include <ldap_schema.h>
#include <sasl/sasl.h>
#include <string.h>

struct _OcLdapConnection {
  GObject parent_instance;
  LDAP *ld;
  char *uri;
  int timeout_seconds;
};

G_DEFINE_FINAL_TYPE (OcLdapConnection, oc_ldap_connection, G_TYPE_OBJECT)
G_DEFINE_QUARK (oc-ldap-error-quark, oc_ldap_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAPMessage, ldap_msgfree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAPControl, ldap_control_free)

#define DEFAULT_TIMEOUT_SECONDS 30

/* Helpers */

static OcLdapError
error_code_for (int rc)
{
  switch (rc)
    {
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_CONFIDENTIALITY_REQUIRED:
      return OC_LDAP_ERROR_AUTH_FAILED;
    case LDAP_INSUFFICIENT_ACCESS:
      return OC_LDAP_ERROR_INSUFFICIENT_ACCESS;
    case LDAP_UNDEFINED_TYPE:
      return OC_LDAP_ERROR_UNDEFINED_ATTRIBUTE;
    case LDAP_NO_SUCH_ATTRIBUTE:
      return OC_LDAP_ERROR_NO_SUCH_VALUE;
    case LDAP_NO_SUCH_OBJECT:
      return OC_LDAP_ERROR_NO_SUCH_OBJECT;
    case LDAP_SIZELIMIT_EXCEEDED:
      return OC_LDAP_ERROR_SIZE_LIMIT;
    case LDAP_TIMELIMIT_EXCEEDED:
    case LDAP_TIMEOUT:
      return OC_LDAP_ERROR_TIME_LIMIT;
    case LDAP_ADMINLIMIT_EXCEEDED:
      return OC_LDAP_ERROR_ADMIN_LIMIT;
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
      return OC_LDAP_ERROR_CONNECT;
    case LDAP_FILTER_ERROR:
    case LDAP_PARAM_ERROR:
    case LDAP_INVALID_SYNTAX:
    case LDAP_INVALID_DN_SYNTAX:
      return OC_LDAP_ERROR_INVALID_ARGUMENT;
    default:
      return OC_LDAP_ERROR_FAILED;
    }
}

static const char *
plain_words_for (int rc)
{
  switch (rc)
    {
    case LDAP_INVALID_CREDENTIALS:
      return "the user name or password was not accepted";
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_CONFIDENTIALITY_REQUIRED:
      return "the directory wants a stronger sign-in (use StartTLS, ldaps:// or Kerberos)";
    case LDAP_INSUFFICIENT_ACCESS:
      return "the account you signed in with may not do this (insufficient access)";
    case LDAP_UNDEFINED_TYPE:
      return "the directory's schema has no such attribute";
    case LDAP_NO_SUCH_ATTRIBUTE:
      return "the value to replace is no longer there (someone changed it meanwhile)";
    case LDAP_NO_SUCH_OBJECT:
      return "there is no such entry";
    case LDAP_SIZELIMIT_EXCEEDED:
      return "the directory stopped the search at its size limit";
    case LDAP_TIMELIMIT_EXCEEDED:
    case LDAP_TIMEOUT:
      return "the directory took too long (time limit)";
    case LDAP_ADMINLIMIT_EXCEEDED:
      return "the directory refused the request as above an administrative limit";
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
      return "the directory server could not be reached";
    case LDAP_FILTER_ERROR:
      return "the search filter is not valid LDAP filter syntax";
    case LDAP_OBJECT_CLASS_VIOLATION:
      return "the entry's object classes do not allow this attribute";
    case LDAP_CONSTRAINT_VIOLATION:
      return "the value breaks a constraint of the directory (size, single value, ...)";
    case LDAP_UNWILLING_TO_PERFORM:
      return "the directory is unwilling to do this";
    default:
      return "the directory refused the request";
    }
}

/* "LDAP <rc>: <libldap's text>[; <server's text>]".  The server's diagnostic
 * message often carries the real reason (AD puts its "data 52e" sub-codes there). */
static char *
format_details (int         rc,
                const char *diagnostic)
{
  if (diagnostic != NULL && *diagnostic != '\0')
    return g_strdup_printf ("LDAP %d: %s; %s", rc, ldap_err2string (rc), diagnostic);
  return g_strdup_printf ("LDAP %d: %s", rc, ldap_err2string (rc));
}

/* "<context>: <plain words> (<details>)". */
static void
set_ldap_error (GError    **error,
                OcLdapError code,
                int         rc,
                const char *diagnostic,
                const char *context)
{
  g_autofree char *details = format_details (rc, diagnostic);

  g_set_error (error, OC_LDAP_ERROR, code, "%s: %s (%s)", context, plain_words_for (rc), details);
}

/* "<message> (<details>)", with the diagnostic of the handle's last operation. */
static void
set_error_explained (OcLdapConnection *self,
                     OcLdapError       code,
                     int               rc,
                     GError          **error,
                     const char       *format,
                     ...) G_GNUC_PRINTF (5, 6);

static void
set_error_explained (OcLdapConnection *self,
                     OcLdapError       code,
                     int               rc,
                     GError          **error,
                     const char       *format,
                     ...)
{
  g_autofree char *message = NULL;
  g_autofree char *details = NULL;
  char *diagnostic = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (self->ld != NULL)
    ldap_get_option (self->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic);
  details = format_details (rc, diagnostic);
  ldap_memfree (diagnostic);
  g_set_error (error, OC_LDAP_ERROR, code, "%s (%s)", message, details);
}

/* "<context>: <plain words for rc> (<details>)". */
static void
set_error_from_handle (OcLdapConnection *self,
                       int               rc,
                       GError          **error,
                       const char       *format,
                       ...) G_GNUC_PRINTF (4, 5);

static void
set_error_from_handle (OcLdapConnection *self,
                       int               rc,
                       GError          **error,
                       const char       *format,
                       ...)
{
  g_autofree char *context = NULL;
  va_list args;

  va_start (args, format);
  context = g_strdup_vprintf (format, args);
  va_end (args);
  set_error_explained (self, error_code_for (rc), rc, error, "%s: %s", context, plain_words_for (rc));
}

static gboolean
set_timeouts (OcLdapConnection *self,
              GError          **error)
{
  struct timeval tv = { self->timeout_seconds, 0 };
  int version = LDAP_VERSION3;

  if (ldap_set_option (self->ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
      ldap_set_option (self->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
      ldap_set_option (self->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
      ldap_set_option (self->ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS)
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_FAILED, "Could not set up the LDAP library for %s", self->uri);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_ca_file (OcLdapConnection *self,
             const char       *ca_file,
             GError          **error)
{
  int demand = LDAP_OPT_X_TLS_DEMAND;
  int is_server = 0;

  /* Per-handle TLS options only take effect in a new TLS context. */
  if (ldap_set_option (self->ld, LDAP_OPT_X_TLS_CACERTFILE, ca_file) != LDAP_OPT_SUCCESS ||
      ldap_set_option (self->ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS ||
      ldap_set_option (self->ld, LDAP_OPT_X_TLS_NEWCTX, &is_server) != LDAP_OPT_SUCCESS)
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_TLS,
                   "Could not use %s as the certificate authority for %s: is it a PEM file of CA certificates?",
                   ca_file, self->uri);
      return FALSE;
    }
  return TRUE;
}

/* Cyrus SASL asks for an authorization identity even for GSSAPI: none (act as
 * the ticket's principal), i.e. each prompt gets its default. */
static int
sasl_interact_cb (LDAP     *ld,
                  unsigned  flags,
                  void     *defaults,
                  void     *in)
{
  for (sasl_interact_t *interact = in; interact->id != SASL_CB_LIST_END; interact++)
    {
      interact->result = interact->defresult != NULL ? interact->defresult : "";
      interact->len = strlen (interact->result);
    }
  return LDAP_SUCCESS;
}

static gboolean
sign_in (OcLdapConnection    *self,
         const OcLdapOptions *options,
         GError             **error)
{
  struct berval credentials = { 0, NULL };
  int rc;

  switch (options->bind)
    {
    case OC_LDAP_BIND_ANONYMOUS:
      /* Explicit, so an unreachable server shows up here and not at the first search. */
      rc = ldap_sasl_bind_s (self->ld, NULL, LDAP_SASL_SIMPLE, &credentials, NULL, NULL, NULL);
      if (rc != LDAP_SUCCESS)
        set_error_from_handle (self, rc, error, "Could not connect to %s", self->uri);
      return rc == LDAP_SUCCESS;

    case OC_LDAP_BIND_SIMPLE:
      if (options->bind_dn == NULL || *options->bind_dn == '\0' ||
          options->password == NULL || *options->password == '\0')
        {
          g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_AUTH_FAILED,
                       "Signing in to %s needs a bind DN and a non-empty password "
                       "(an empty password would silently sign in anonymously)", self->uri);
          return FALSE;
        }
      credentials.bv_val = (char *) options->password;
      credentials.bv_len = strlen (options->password);
      rc = ldap_sasl_bind_s (self->ld, options->bind_dn, LDAP_SASL_SIMPLE, &credentials, NULL, NULL, NULL);
      if (rc != LDAP_SUCCESS)
        set_error_from_handle (self, rc, error, "Could not sign in to %s as %s", self->uri, options->bind_dn);
      return rc == LDAP_SUCCESS;

    case OC_LDAP_BIND_GSSAPI:
      /* Without TLS, the SASL security layer signs and seals the session (AD wants
       * LDAP signing).  Over TLS there must be no such layer: AD refuses SASL integrity
       * or encryption on a TLS-protected connection (MS-ADTS 5.1.1.1.2). */
      if ((options->starttls || g_str_has_prefix (self->uri, "ldaps://")) &&
          ldap_set_option (self->ld, LDAP_OPT_X_SASL_SECPROPS, "maxssf=0") != LDAP_OPT_SUCCESS)
        {
          g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_FAILED, "Could not prepare the Kerberos sign-in to %s",
                       self->uri);
          return FALSE;
        }
      rc = ldap_sasl_interactive_bind_s (self->ld, NULL, "GSSAPI", NULL, NULL, LDAP_SASL_QUIET,
                                         sasl_interact_cb, NULL);
      if (rc == LDAP_LOCAL_ERROR || rc == LDAP_AUTH_UNKNOWN)
        {
          /* Cyrus SASL reports a missing or expired ticket as a local error. */
          set_error_explained (self, OC_LDAP_ERROR_AUTH_FAILED, rc, error,
                               "Could not sign in to %s with Kerberos: is there a valid ticket (run kinit), and does "
                               "the directory have a service principal for this host name?", self->uri);
          return FALSE;
        }
      if (rc != LDAP_SUCCESS)
        set_error_from_handle (self, rc, error, "Could not sign in to %s with Kerberos", self->uri);
      return rc == LDAP_SUCCESS;
    }
  g_assert_not_reached ();
}

/* Overrides */

static void
oc_ldap_connection_finalize (GObject *object)
{
  OcLdapConnection *self = OC_LDAP_CONNECTION (object);

  if (self->ld != NULL)
    ldap_unbind_ext_s (self->ld, NULL, NULL);
  g_free (self->uri);
  G_OBJECT_CLASS (oc_ldap_connection_parent_class)->finalize (object);
}

static void
oc_ldap_connection_class_init (OcLdapConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_ldap_connection_finalize;
}

static void
oc_ldap_connection_init (OcLdapConnection *self)
{
}

/* Public API */

/**
 * oc_ldap_connection_open_sync:
 * @options: where and how to sign in
 * @cancellable: (nullable): checked before connecting
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Connects to @options->uri, does StartTLS if asked, and binds.  Blocks.
 *
 * Returns: (transfer full) (nullable): a signed-in connection
 */
OcLdapConnection *
oc_ldap_connection_open_sync (const OcLdapOptions *options,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr (OcLdapConnection) self = NULL;
  int rc;

  g_return_val_if_fail (options != NULL && options->uri != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self = g_object_new (OC_TYPE_LDAP_CONNECTION, NULL);
  self->uri = g_strdup (options->uri);
  self->timeout_seconds = options->timeout_seconds > 0 ? options->timeout_seconds : DEFAULT_TIMEOUT_SECONDS;

  if (!g_str_has_prefix (options->uri, "ldap://") && !g_str_has_prefix (options->uri, "ldaps://"))
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an LDAP address: use ldap://host[:port] or ldaps://host[:port]", options->uri);
      return NULL;
    }
  if (options->starttls && g_str_has_prefix (options->uri, "ldaps://"))
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
                   "StartTLS is for ldap:// addresses; %s already uses TLS", options->uri);
      return NULL;
    }
  rc = ldap_initialize (&self->ld, options->uri);
  if (rc != LDAP_SUCCESS)
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid LDAP address (LDAP %d: %s)", options->uri, rc, ldap_err2string (rc));
      return NULL;
    }
  if (!set_timeouts (self, error))
    return NULL;
  if (options->ca_file != NULL && !set_ca_file (self, options->ca_file, error))
    return NULL;

  if (options->starttls)
    {
      rc = ldap_start_tls_s (self->ld, NULL, NULL);
      if (rc == LDAP_SERVER_DOWN)
        {
          set_error_from_handle (self, rc, error, "Could not connect to %s", self->uri);
          return NULL;
        }
      if (rc != LDAP_SUCCESS)
        {
          set_error_explained (self, OC_LDAP_ERROR_TLS, rc, error,
                               "StartTLS with %s failed: the server's certificate is not trusted or does not name this "
                               "host, or the server does not offer TLS (give its CA with --ca-file)", self->uri);
          return NULL;
        }
    }

  if (!sign_in (self, options, error))
    {
      /* With ldaps://, libldap reports a refused certificate as "can't contact". */
      if (g_error_matches (*error, OC_LDAP_ERROR, OC_LDAP_ERROR_CONNECT) && g_str_has_prefix (self->uri, "ldaps://"))
        g_prefix_error (error, "TLS or network failure (if the server is up, check its certificate and --ca-file): ");
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * oc_ldap_connection_get_uri:
 * @self: a connection
 *
 * Returns: (transfer none): the address it was opened with
 */
const char *
oc_ldap_connection_get_uri (OcLdapConnection *self)
{
  g_return_val_if_fail (OC_IS_LDAP_CONNECTION (self), NULL);
  return self->uri;
}

/**
 * oc_ldap_connection_whoami_sync:
 * @self: a connection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Asks the server who it thinks we are (RFC 4532), e.g. "dn:uid=alice,..." after
 * a Kerberos sign-in; "" means anonymous.
 *
 * Returns: (transfer full) (nullable): the authorization identity
 */
char *
oc_ldap_connection_whoami_sync (OcLdapConnection *self,
                                GCancellable     *cancellable,
                                GError          **error)
{
  struct berval *identity = NULL;
  char *result;
  int rc;

  g_return_val_if_fail (OC_IS_LDAP_CONNECTION (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  rc = ldap_whoami_s (self->ld, &identity, NULL, NULL);
  if (rc != LDAP_SUCCESS)
    {
      set_error_from_handle (self, rc, error, "Asking %s who we are", self->uri);
      return NULL;
    }
  result = identity != NULL ? g_strndup (identity->bv_val, identity->bv_len) : g_strdup ("");
  ber_bvfree (identity);
  return result;
}

static void
add_entries (OcLdapConnection *self,
             LDAPMessage      *result,
             GPtrArray        *entries)
{
  for (LDAPMessage *msg = ldap_first_entry (self->ld, result); msg != NULL; msg = ldap_next_entry (self->ld, msg))
    {
      char *dn = ldap_get_dn (self->ld, msg);
      BerElement *ber = NULL;
      OcLdapEntry *entry;

      if (dn == NULL)
        continue;
      entry = oc_ldap_entry_new (dn);
      ldap_memfree (dn);
      for (char *attr = ldap_first_attribute (self->ld, msg, &ber); attr != NULL;
           attr = ldap_next_attribute (self->ld, msg, ber))
        {
          struct berval **values = ldap_get_values_len (self->ld, msg, attr);

          for (int i = 0; values != NULL && values[i] != NULL; i++)
            {
              g_autofree char *text = g_strndup (values[i]->bv_val, values[i]->bv_len);

              oc_ldap_entry_add_value (entry, attr, text);
            }
          ldap_value_free_len (values);
          ldap_memfree (attr);
        }
      ber_free (ber, 0);
      g_ptr_array_add (entries, entry);
    }
}

/* A search that ended early.  For the directory's limits, how far it got comes
 * first: that is what an administrator compares with the limits they know. */
static void
set_search_error (OcLdapConnection   *self,
                  const OcLdapSearch *search,
                  int                 rc,
                  const char         *diagnostic,
                  guint               n_pages,
                  guint               n_entries,
                  GError            **error)
{
  g_autofree char *details = format_details (rc, diagnostic);
  g_autofree char *how = search->page_size > 0
                         ? g_strdup_printf ("page %u, in pages of %d", n_pages, search->page_size)
                         : g_strdup ("without paging");
  g_autofree char *context = NULL;

  if (rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_TIMELIMIT_EXCEEDED)
    g_set_error (error, OC_LDAP_ERROR, error_code_for (rc),
                 "The directory stopped the search of %s after %u entries, at its %s limit (%s; filter %s, %s)",
                 search->base, n_entries, rc == LDAP_SIZELIMIT_EXCEEDED ? "size" : "time", details,
                 search->filter, how);
  else if (rc == LDAP_TIMEOUT)
    g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_TIME_LIMIT,
                 "%s did not answer the search of %s within %d seconds, after %u entries (%s; filter %s, %s)",
                 self->uri, search->base, self->timeout_seconds, n_entries, details, search->filter, how);
  else
    {
      context = g_strdup_printf ("Searching %s for %s (%s, %u entries so far)", search->base, search->filter, how,
                                 n_entries);
      set_ldap_error (error, error_code_for (rc), rc, diagnostic, context);
    }
}

static int
scope_to_ldap (OcLdapScope scope)
{
  switch (scope)
    {
    case OC_LDAP_SCOPE_BASE:
      return LDAP_SCOPE_BASE;
    case OC_LDAP_SCOPE_ONE:
      return LDAP_SCOPE_ONELEVEL;
    case OC_LDAP_SCOPE_SUBTREE:
    default:
      return LDAP_SCOPE_SUBTREE;
    }
}

/**
 * oc_ldap_connection_search_sync:
 * @self: a connection
 * @search: what to look for
 * @out_n_pages: (out) (optional): how many requests it took
 * @cancellable: (nullable): checked before each page
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Searches, page after page when @search->page_size > 0 (the paged results
 * control is not critical: a server without it answers with everything, or with
 * sizeLimitExceeded, which is then an error).  A search that ends early for any
 * reason is an error and returns no entries: a partial list must never be
 * mistaken for the whole directory.
 *
 * Returns: (transfer full) (element-type OcLdapEntry) (nullable): the entries
 */
GPtrArray *
oc_ldap_connection_search_sync (OcLdapConnection   *self,
                                const OcLdapSearch *search,
                                guint              *out_n_pages,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ldap_entry_free);
  struct berval *cookie = NULL;
  guint n_pages = 0;
  gboolean more = TRUE;

  g_return_val_if_fail (OC_IS_LDAP_CONNECTION (self), NULL);
  g_return_val_if_fail (search != NULL && search->base != NULL && search->filter != NULL, NULL);

  while (more)
    {
      g_autoptr (LDAPControl) page_control = NULL;
      g_autoptr (LDAPMessage) result = NULL;
      LDAPControl *controls[2] = { NULL, NULL };
      LDAPControl **response_controls = NULL;
      char *diagnostic = NULL;
      int rc, result_code = LDAP_SUCCESS;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ber_bvfree (cookie);
          return NULL;
        }
      if (search->page_size > 0)
        {
          rc = ldap_create_page_control (self->ld, search->page_size, cookie, 0, &page_control);
          if (rc != LDAP_SUCCESS)
            {
              ber_bvfree (cookie);
              set_error_from_handle (self, rc, error, "Preparing a paged search of %s", search->base);
              return NULL;
            }
          controls[0] = page_control;
        }
      ber_bvfree (g_steal_pointer (&cookie));

      rc = ldap_search_ext_s (self->ld, search->base, scope_to_ldap (search->scope), search->filter,
                              (char **) search->attributes, 0, controls, NULL, NULL,
                              search->size_limit > 0 ? search->size_limit : LDAP_NO_LIMIT, &result);
      n_pages++;
      if (result == NULL || ldap_parse_result (self->ld, result, &result_code, NULL, &diagnostic, NULL,
                                               &response_controls, 0) != LDAP_SUCCESS)
        result_code = rc;
      if (result_code != LDAP_SUCCESS)
        {
          guint n_entries = entries->len + (result ? ldap_count_entries (self->ld, result) : 0);

          if (diagnostic == NULL)
            ldap_get_option (self->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic);
          set_search_error (self, search, result_code, diagnostic, n_pages, n_entries, error);
          ldap_memfree (diagnostic);
          ldap_controls_free (response_controls);
          return NULL;
        }
      ldap_memfree (diagnostic);
      add_entries (self, result, entries);

      more = FALSE;
      if (search->page_size > 0)
        {
          LDAPControl *response = ldap_control_find (LDAP_CONTROL_PAGEDRESULTS, response_controls, NULL);
          struct berval next = { 0, NULL };
          ber_int_t estimate = 0;

          /* No control in the answer: the server ignored paging and sent everything. */
          if (response != NULL && ldap_parse_pageresponse_control (self->ld, response, &estimate, &next) == LDAP_SUCCESS)
            {
              more = next.bv_len > 0;
              cookie = more ? ber_bvdup (&next) : NULL;
              ber_memfree (next.bv_val);
            }
        }
      ldap_controls_free (response_controls);
    }

  if (out_n_pages != NULL)
    *out_n_pages = n_pages;
  return g_steal_pointer (&entries);
}

/**
 * oc_ldap_connection_has_attribute_type_sync:
 * @self: a connection
 * @name: an attribute name (any case)
 * @out_defined: (out): whether the directory's schema defines @name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Reads the subschema entry named by the root DSE (AD:
 * CN=Aggregate,CN=Schema,CN=Configuration,...) and looks for @name among the
 * attribute types' names.
 *
 * Returns: %FALSE if the schema could not be read
 */
gboolean
oc_ldap_connection_has_attribute_type_sync (OcLdapConnection *self,
                                            const char       *name,
                                            gboolean         *out_defined,
                                            GCancellable     *cancellable,
                                            GError          **error)
{
  static const char * const root_attrs[] = { "subschemaSubentry", NULL };
  static const char * const schema_attrs[] = { "attributeTypes", NULL };
  g_autoptr (GPtrArray) root = NULL;
  g_autoptr (GPtrArray) schema = NULL;
  const char * const *types;
  const char *subschema;
  OcLdapSearch search = { "", OC_LDAP_SCOPE_BASE, "(objectClass=*)", root_attrs, 0, 0 };

  g_return_val_if_fail (OC_IS_LDAP_CONNECTION (self) && name != NULL && out_defined != NULL, FALSE);

  root = oc_ldap_connection_search_sync (self, &search, NULL, cancellable, error);
  if (root == NULL)
    return FALSE;
  subschema = root->len > 0 ? oc_ldap_entry_get_value (root->pdata[0], "subschemaSubentry") : NULL;
  if (subschema == NULL)
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_FAILED,
                   "%s does not say where its schema is (no subschemaSubentry in the root DSE)", self->uri);
      return FALSE;
    }
  search.base = subschema;
  search.attributes = schema_attrs;
  schema = oc_ldap_connection_search_sync (self, &search, NULL, cancellable, error);
  if (schema == NULL)
    return FALSE;
  types = schema->len > 0 ? oc_ldap_entry_get_values (schema->pdata[0], "attributeTypes") : NULL;
  if (types == NULL)
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_FAILED, "Could not read the schema of %s (%s)", self->uri, subschema);
      return FALSE;
    }

  *out_defined = FALSE;
  for (gsize i = 0; types[i] != NULL && !*out_defined; i++)
    {
      LDAPAttributeType *type;
      const char *end = NULL;
      int code = 0;

      type = ldap_str2attributetype (types[i], &code, &end, LDAP_SCHEMA_ALLOW_ALL);
      if (type == NULL)
        continue;
      for (int n = 0; type->at_names != NULL && type->at_names[n] != NULL; n++)
        if (g_ascii_strcasecmp (type->at_names[n], name) == 0)
          *out_defined = TRUE;
      ldap_attributetype_free (type);
    }
  return TRUE;
}

/**
 * oc_ldap_connection_modify_sync:
 * @self: a connection
 * @dn: the entry to change
 * @mods: (array length=n_mods): the changes, applied together or not at all
 * @n_mods: how many
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Returns: whether the directory made the change
 */
gboolean
oc_ldap_connection_modify_sync (OcLdapConnection *self,
                                const char       *dn,
                                const OcLdapMod  *mods,
                                gsize             n_mods,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autofree LDAPMod *storage = g_new0 (LDAPMod, n_mods);
  g_autofree LDAPMod **list = g_new0 (LDAPMod *, n_mods + 1);
  g_autofree char **values = g_new0 (char *, 2 * n_mods);
  int rc;

  g_return_val_if_fail (OC_IS_LDAP_CONNECTION (self) && dn != NULL && (mods != NULL || n_mods == 0), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  for (gsize i = 0; i < n_mods; i++)
    {
      static const int ops[] = { LDAP_MOD_ADD, LDAP_MOD_DELETE, LDAP_MOD_REPLACE };

      storage[i].mod_op = ops[mods[i].op];
      storage[i].mod_type = mods[i].attribute;
      values[2 * i] = mods[i].value;  /* followed by NULL: a one-value list, or none */
      storage[i].mod_values = mods[i].value != NULL ? &values[2 * i] : NULL;
      list[i] = &storage[i];
    }
  rc = ldap_modify_ext_s (self->ld, dn, list, NULL, NULL);
  if (rc != LDAP_SUCCESS)
    {
      set_error_from_handle (self, rc, error, "Changing %s", dn);
      return FALSE;
    }
  return TRUE;
}

/**
 * oc_ldap_escape_filter_value:
 * @value: text to match literally
 *
 * Escapes @value for use inside a search filter (RFC 4515: `*`, `(`, `)`, `\`
 * and NUL become `\2a`, `\28`, `\29`, `\5c`, `\00`), so that an address such as
 * "o*brien@example.com" cannot widen a filter.
 *
 * Returns: (transfer full): the escaped text
 */
char *
oc_ldap_escape_filter_value (const char *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_sized_new (strlen (value));
  for (const char *p = value; *p != '\0'; p++)
    {
      if (strchr ("*()\\", *p) != NULL)
        g_string_append_printf (out, "\\%02x", (unsigned char) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
