/* oc-ldap-directory.c: a directory to look people up in, as Thunderbird configures one.
 *
 * Thunderbird keeps an LDAP directory as a URL with the search in it,
 *
 *   ldap://dc.example.com:389/dc=example,dc=com??sub?(objectclass=*)
 *
 * (host, port, base, scope and filter), plus an attribute map: which directory
 * attributes are Custom1, PrimaryEmail and so on. A map value is a list,
 * "mozillaCustom1,custom1" by default: the first attribute goes into search
 * filters, and in a result the first one present wins. Active Directory sites
 * map Custom1 to extensionAttribute1, and so does owacal's own directory.
 *
 * Looking a person up is Thunderbird's search for an address: base, scope and
 * the URL's filter, AND the mail attribute equal to the address. It binds as
 * Thunderbird would: anonymously, with auth.dn and a password, or with SASL
 * GSSAPI and the user's Kerberos ticket (auth.saslmech). Connecting, signing
 * in and searching are each limited to a few seconds, so that a directory that
 * is down delays the lookup a little, not for a minute.
 */
#include "config.h"
#include "oc-ldap-directory.h"

#include "oc-ldap-connection.h"

#include <ldap.h>
#include <string.h>

#define DEFAULT_CUSTOM1 "mozillaCustom1,custom1"
#define DEFAULT_PRIMARY_EMAIL "mail"
#define DEFAULT_FILTER "(objectclass=*)"
#define STARTTLS_OID "1.3.6.1.4.1.1466.20037"
#define MAX_PASSWORD_ATTEMPTS 3

struct _OcLdapDirectory {
  GObject parent_instance;

  char *name;
  char *url;          /* as configured */
  char *server_uri;   /* scheme://host:port, what the connection needs */
  char *host;
  char *base;
  OcLdapScope scope;
  char *filter;
  gboolean starttls;
  char *bind_dn;      /* nullable: anonymous, unless GSSAPI */
  gboolean gssapi;
  GStrv custom1_attributes;
  GStrv email_attributes;
  guint timeout;
  char *ca_file;      /* nullable: the system's CAs (ldap.conf) */
};

G_DEFINE_FINAL_TYPE (OcLdapDirectory, oc_ldap_directory, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAPURLDesc, ldap_free_urldesc)

/* Parsing */

static GStrv
split_attribute_list (const char *list)
{
  g_auto (GStrv) parts = g_strsplit (list, ",", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (char **part = parts; *part; part++)
    if (*g_strstrip (*part) != '\0')
      g_strv_builder_add (builder, *part);
  return g_strv_builder_end (builder);
}

static gboolean
wants_starttls (LDAPURLDesc *desc)
{
  /* RFC 4516 extensions: "StartTLS" as OpenLDAP's tools write it, or the operation's OID. */
  for (char **ext = desc->lud_exts; ext != NULL && *ext != NULL; ext++)
    {
      const char *name = **ext == '!' ? *ext + 1 : *ext;
      if (g_ascii_strncasecmp (name, "StartTLS", 8) == 0 || g_str_has_prefix (name, STARTTLS_OID))
        return TRUE;
    }
  return FALSE;
}

static gboolean
parse_url (OcLdapDirectory  *self,
           const char       *url,
           GError          **error)
{
  g_autoptr (LDAPURLDesc) desc = NULL;
  gboolean ldaps;
  gboolean ipv6;
  int port;

  if ((!g_str_has_prefix (url, "ldap://") && !g_str_has_prefix (url, "ldaps://")) ||
      ldap_url_parse (url, &desc) != LDAP_URL_SUCCESS || desc->lud_host == NULL || *desc->lud_host == '\0')
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a directory address: use ldap://host/dc=example,dc=com??sub?(objectClass=user) "
                   "or ldaps://…", url);
      return FALSE;
    }
  ldaps = g_ascii_strcasecmp (desc->lud_scheme, "ldaps") == 0;
  ipv6 = strchr (desc->lud_host, ':') != NULL;
  port = desc->lud_port > 0 ? desc->lud_port : ldaps ? LDAPS_PORT : LDAP_PORT;
  self->host = g_strdup (desc->lud_host);
  self->server_uri = g_strdup_printf ("%s://%s%s%s:%d", ldaps ? "ldaps" : "ldap", ipv6 ? "[" : "", desc->lud_host,
                                      ipv6 ? "]" : "", port);
  self->base = g_strdup (desc->lud_dn ? desc->lud_dn : "");
  /* Thunderbird always writes a scope; a URL without one means the whole subtree here. */
  self->scope = desc->lud_scope == LDAP_SCOPE_BASE ? OC_LDAP_SCOPE_BASE :
                desc->lud_scope == LDAP_SCOPE_ONELEVEL ? OC_LDAP_SCOPE_ONE : OC_LDAP_SCOPE_SUBTREE;
  if (desc->lud_filter == NULL || *desc->lud_filter == '\0')
    self->filter = g_strdup (DEFAULT_FILTER);
  else
    self->filter = desc->lud_filter[0] == '(' ? g_strdup (desc->lud_filter)
                                              : g_strdup_printf ("(%s)", desc->lud_filter);
  self->starttls = !ldaps && wants_starttls (desc);
  self->url = g_strdup (url);
  return TRUE;
}

/* Thunderbird's prefs */

static const char *
server_pref (OcPrefs    *prefs,
             const char *id,
             const char *key)
{
  g_autofree char *name = g_strdup_printf ("ldap_2.servers.%s.%s", id, key);

  return oc_prefs_get_string (prefs, name);
}

/* The per-server attribute map replaces the default one, which replaces Thunderbird's built-in. */
static const char *
attribute_map (OcPrefs    *prefs,
               const char *id,
               const char *property,
               const char *builtin)
{
  g_autofree char *key = g_strdup_printf ("attrmap.%s", property);
  const char *value = server_pref (prefs, id, key);

  if (value == NULL || *value == '\0')
    value = server_pref (prefs, "default", key);
  return (value == NULL || *value == '\0') ? builtin : value;
}

static OcLdapDirectory *
directory_from_prefs (OcPrefs     *prefs,
                      const char  *id,
                      GError     **error)
{
  const char *uri = server_pref (prefs, id, "uri");
  const char *description = server_pref (prefs, id, "description");
  const char *bind_dn = server_pref (prefs, id, "auth.dn");
  const char *mechanism = server_pref (prefs, id, "auth.saslmech");
  g_autoptr (OcLdapDirectory) directory = NULL;

  directory = oc_ldap_directory_new (description && *description ? description : id, uri, error);
  if (directory == NULL)
    return NULL;
  oc_ldap_directory_set_custom1_attributes (directory, attribute_map (prefs, id, "Custom1", DEFAULT_CUSTOM1));
  g_strfreev (directory->email_attributes);
  directory->email_attributes = split_attribute_list (attribute_map (prefs, id, "PrimaryEmail",
                                                                     DEFAULT_PRIMARY_EMAIL));
  oc_ldap_directory_set_bind_dn (directory, bind_dn);
  if (!oc_ldap_directory_set_sasl_mechanism (directory, mechanism, error))
    return NULL;
  return g_steal_pointer (&directory);
}

static int
compare_directories (gconstpointer a,
                     gconstpointer b)
{
  const OcLdapDirectory *x = *(OcLdapDirectory *const *) a;
  const OcLdapDirectory *y = *(OcLdapDirectory *const *) b;

  return g_utf8_collate (x->name, y->name);
}

/* Looking up */

static char *
build_filter (OcLdapDirectory *self,
              const char      *email)
{
  g_autofree char *escaped = oc_ldap_escape_filter_value (email);
  const char *attribute = self->email_attributes[0] ? self->email_attributes[0] : DEFAULT_PRIMARY_EMAIL;

  return g_strdup_printf ("(&%s(%s=%s))", self->filter, attribute, escaped);
}

static OcContact *
contact_from_entries (OcLdapDirectory *self,
                      GPtrArray       *entries)
{
  const OcLdapEntry *first = entries->len > 0 ? g_ptr_array_index (entries, 0) : NULL;

  /* Several entries with the address: the first one with a Custom1 wins. */
  for (guint i = 0; i < entries->len; i++)
    {
      const OcLdapEntry *entry = g_ptr_array_index (entries, i);
      for (char **attribute = self->custom1_attributes; *attribute; attribute++)
        {
          const char *value = oc_ldap_entry_get_value (entry, *attribute);
          if (value != NULL && *value != '\0')
            {
              const char *name = oc_ldap_entry_get_value (entry, "displayName");
              return oc_contact_new (oc_ldap_entry_get_dn (entry), name ? name : oc_ldap_entry_get_value (entry, "cn"),
                                     value);
            }
        }
    }
  if (first == NULL)
    return NULL;
  {
    const char *name = oc_ldap_entry_get_value (first, "displayName");
    return oc_contact_new (oc_ldap_entry_get_dn (first), name ? name : oc_ldap_entry_get_value (first, "cn"), NULL);
  }
}

static OcLdapConnection *
connect_and_bind (OcLdapDirectory  *self,
                  OcPasswordFunc    password_func,
                  gpointer          password_data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  OcLdapOptions options = { self->server_uri, self->starttls, self->ca_file, OC_LDAP_BIND_ANONYMOUS,
                            self->bind_dn, NULL, (int) self->timeout };

  if (self->gssapi)
    options.bind = OC_LDAP_BIND_GSSAPI;
  else if (self->bind_dn != NULL)
    options.bind = OC_LDAP_BIND_SIMPLE;
  if (options.bind != OC_LDAP_BIND_SIMPLE)
    return oc_ldap_connection_open_sync (&options, cancellable, error);

  for (int attempt = 0; attempt < MAX_PASSWORD_ATTEMPTS; attempt++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *password = NULL;
      OcLdapConnection *connection;

      if (password_func != NULL)
        password = password_func (self, self->bind_dn, attempt > 0, password_data, cancellable, &local_error);
      if (password == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_AUTH_FAILED,
                         attempt == 0 ? "Signing in as %s needs a password, and none is known"
                                      : "The password for %s was not accepted", self->bind_dn);
          return NULL;
        }
      options.password = password;
      connection = oc_ldap_connection_open_sync (&options, cancellable, &local_error);
      explicit_bzero (password, strlen (password));
      if (connection != NULL)
        return connection;
      if (!g_error_matches (local_error, OC_LDAP_ERROR, OC_LDAP_ERROR_AUTH_FAILED) ||
          attempt + 1 == MAX_PASSWORD_ATTEMPTS)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  g_assert_not_reached ();
}

/* GObject */

static void
oc_ldap_directory_finalize (GObject *object)
{
  OcLdapDirectory *self = OC_LDAP_DIRECTORY (object);

  g_free (self->name);
  g_free (self->url);
  g_free (self->server_uri);
  g_free (self->host);
  g_free (self->base);
  g_free (self->filter);
  g_free (self->bind_dn);
  g_strfreev (self->custom1_attributes);
  g_strfreev (self->email_attributes);
  g_free (self->ca_file);
  G_OBJECT_CLASS (oc_ldap_directory_parent_class)->finalize (object);
}

static void
oc_ldap_directory_class_init (OcLdapDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_ldap_directory_finalize;
}

static void
oc_ldap_directory_init (OcLdapDirectory *self)
{
  self->custom1_attributes = split_attribute_list (DEFAULT_CUSTOM1);
  self->email_attributes = split_attribute_list (DEFAULT_PRIMARY_EMAIL);
  self->timeout = OC_LDAP_DIRECTORY_DEFAULT_TIMEOUT;
}

/* Public API */

/**
 * oc_ldap_directory_new:
 * @name: the directory's name, for messages
 * @url: an LDAP URL: ldap[s]://host[:port]/base??scope?filter, optionally
 *   with a StartTLS extension (ldap://host/base????!StartTLS)
 * @error: return location for an %OC_LDAP_ERROR
 *
 * The directory starts with anonymous binds and Thunderbird's default
 * Custom1 attributes (mozillaCustom1, custom1).
 *
 * Returns: (transfer full) (nullable): the directory, or %NULL if @url is not valid
 */
OcLdapDirectory *
oc_ldap_directory_new (const char  *name,
                       const char  *url,
                       GError     **error)
{
  g_autoptr (OcLdapDirectory) self = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (OC_TYPE_LDAP_DIRECTORY, NULL);
  self->name = g_strdup (name);
  if (url == NULL || !parse_url (self, url, error))
    {
      if (url == NULL)
        g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT, "The directory “%s” has no address",
                     name);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * oc_ldap_directory_list_thunderbird:
 * @prefs: a Thunderbird profile's preferences
 * @out_problems: (element-type utf8): gets a sentence for each directory that
 *   is configured in a way owacal cannot use
 *
 * Returns: (transfer full) (element-type OcLdapDirectory): the profile's LDAP directories, by name
 */
GPtrArray *
oc_ldap_directory_list_thunderbird (OcPrefs   *prefs,
                                    GPtrArray *out_problems)
{
  g_autoptr (GPtrArray) directories = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto (GStrv) ids = NULL;

  g_return_val_if_fail (OC_IS_PREFS (prefs), NULL);

  ids = oc_prefs_dup_children (prefs, "ldap_2.servers.");
  for (char **id = ids; *id; id++)
    {
      const char *uri = server_pref (prefs, *id, "uri");
      g_autoptr (GError) error = NULL;
      OcLdapDirectory *directory;

      /* Address books have no uri, or a file one. */
      if (uri == NULL || (!g_str_has_prefix (uri, "ldap://") && !g_str_has_prefix (uri, "ldaps://")))
        continue;
      directory = directory_from_prefs (prefs, *id, &error);
      if (directory != NULL)
        g_ptr_array_add (directories, directory);
      else if (out_problems != NULL)
        g_ptr_array_add (out_problems, g_strdup_printf ("Thunderbird directory “%s”: %s", *id, error->message));
    }
  g_ptr_array_sort (directories, compare_directories);
  return g_steal_pointer (&directories);
}

/**
 * oc_ldap_directory_get_name:
 * @self: a directory
 *
 * Returns: (transfer none): its name
 */
const char *
oc_ldap_directory_get_name (OcLdapDirectory *self)
{
  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), NULL);
  return self->name;
}

/**
 * oc_ldap_directory_get_url:
 * @self: a directory
 *
 * Returns: (transfer none): its URL, as configured
 */
const char *
oc_ldap_directory_get_url (OcLdapDirectory *self)
{
  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), NULL);
  return self->url;
}

/**
 * oc_ldap_directory_get_host:
 * @self: a directory
 *
 * Returns: (transfer none): the server's host name, as in its URL
 */
const char *
oc_ldap_directory_get_host (OcLdapDirectory *self)
{
  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), NULL);
  return self->host;
}

/**
 * oc_ldap_directory_set_bind_dn:
 * @self: a directory
 * @bind_dn: (nullable): the DN of a simple bind; %NULL or empty for anonymous
 */
void
oc_ldap_directory_set_bind_dn (OcLdapDirectory *self,
                               const char      *bind_dn)
{
  g_return_if_fail (OC_IS_LDAP_DIRECTORY (self));
  g_free (self->bind_dn);
  self->bind_dn = (bind_dn != NULL && *bind_dn != '\0') ? g_strdup (bind_dn) : NULL;
}

/**
 * oc_ldap_directory_set_sasl_mechanism:
 * @self: a directory
 * @mechanism: (nullable): "GSSAPI" to bind with the user's Kerberos ticket; %NULL or empty for none
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Returns: %FALSE for a mechanism owacal does not support
 */
gboolean
oc_ldap_directory_set_sasl_mechanism (OcLdapDirectory  *self,
                                      const char       *mechanism,
                                      GError          **error)
{
  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), FALSE);

  if (mechanism != NULL && *mechanism != '\0' && g_ascii_strcasecmp (mechanism, "GSSAPI") != 0)
    {
      g_set_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT,
                   "The sign-in method “%s” is not supported; use GSSAPI (Kerberos), a bind DN, or none", mechanism);
      return FALSE;
    }
  self->gssapi = mechanism != NULL && *mechanism != '\0';
  return TRUE;
}

/**
 * oc_ldap_directory_set_custom1_attributes:
 * @self: a directory
 * @attributes: a comma-separated list, such as "extensionAttribute1"; the first present wins
 */
void
oc_ldap_directory_set_custom1_attributes (OcLdapDirectory *self,
                                          const char      *attributes)
{
  g_auto (GStrv) list = NULL;

  g_return_if_fail (OC_IS_LDAP_DIRECTORY (self));
  g_return_if_fail (attributes != NULL);
  list = split_attribute_list (attributes);
  if (list[0] == NULL)
    return;
  g_strfreev (self->custom1_attributes);
  self->custom1_attributes = g_steal_pointer (&list);
}

/**
 * oc_ldap_directory_set_starttls:
 * @self: a directory
 * @starttls: whether to require StartTLS before binding (ldap:// only)
 */
void
oc_ldap_directory_set_starttls (OcLdapDirectory *self,
                                gboolean         starttls)
{
  g_return_if_fail (OC_IS_LDAP_DIRECTORY (self));
  self->starttls = starttls && g_str_has_prefix (self->server_uri, "ldap://");
}

/**
 * oc_ldap_directory_set_timeout:
 * @self: a directory
 * @seconds: the longest wait for connecting, signing in, and searching, each
 */
void
oc_ldap_directory_set_timeout (OcLdapDirectory *self,
                               guint            seconds)
{
  g_return_if_fail (OC_IS_LDAP_DIRECTORY (self));
  self->timeout = MAX (seconds, 1);
}

/**
 * oc_ldap_directory_set_ca_file:
 * @self: a directory
 * @ca_file: (nullable): a PEM file of CAs to trust for ldaps:// and StartTLS;
 *   %NULL for the system's
 */
void
oc_ldap_directory_set_ca_file (OcLdapDirectory *self,
                               const char      *ca_file)
{
  g_return_if_fail (OC_IS_LDAP_DIRECTORY (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * oc_ldap_directory_lookup_sync:
 * @self: a directory
 * @email: an e-mail address
 * @password_func: (nullable) (scope call): gives the bind DN's password
 * @password_data: for @password_func
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Blocks for at most a few times the timeout: call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): the person, whose custom1 is the first
 *   Custom1 attribute present; %NULL with @error unset if nobody has @email
 */
OcContact *
oc_ldap_directory_lookup_sync (OcLdapDirectory  *self,
                               const char       *email,
                               OcPasswordFunc    password_func,
                               gpointer          password_data,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autoptr (OcLdapConnection) connection = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GPtrArray) attributes = g_ptr_array_new ();
  g_autofree char *filter = NULL;
  OcLdapSearch search = { 0 };

  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  connection = connect_and_bind (self, password_func, password_data, cancellable, error);
  if (connection == NULL)
    return NULL;
  for (char **attribute = self->custom1_attributes; *attribute; attribute++)
    g_ptr_array_add (attributes, *attribute);
  g_ptr_array_add (attributes, "displayName");
  g_ptr_array_add (attributes, "cn");
  g_ptr_array_add (attributes, NULL);
  filter = build_filter (self, email);
  search.base = self->base;
  search.scope = self->scope;
  search.filter = filter;
  search.attributes = (const char *const *) attributes->pdata;
  entries = oc_ldap_connection_search_sync (connection, &search, NULL, cancellable, error);
  if (entries == NULL)
    return NULL;
  return contact_from_entries (self, entries);
}

/**
 * oc_ldap_directory_dup_domain_dn:
 * @self: a directory
 *
 * Active Directory keeps its configuration (Exchange's service connection
 * points among it) under CN=Configuration of the forest's domain, which the
 * domain components of a people search's base name.
 *
 * Returns: (transfer full) (nullable): the DC= parts of the base DN
 *   (`dc=example,dc=test`), or %NULL when it has none
 */
char *
oc_ldap_directory_dup_domain_dn (OcLdapDirectory *self)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) components = g_ptr_array_new ();

  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), NULL);
  if (self->base == NULL)
    return NULL;
  /* DC values are host name labels: no escaped commas to care for. */
  parts = g_strsplit (self->base, ",", -1);
  for (char **part = parts; *part; part++)
    {
      g_strstrip (*part);
      if (g_ascii_strncasecmp (*part, "dc=", 3) == 0)
        g_ptr_array_add (components, *part);
    }
  if (components->len == 0)
    return NULL;
  g_ptr_array_add (components, NULL);
  return g_strjoinv (",", (char **) components->pdata);
}

/**
 * oc_ldap_directory_search_sync:
 * @self: a directory
 * @search: what to search for, anywhere in the directory
 * @password_func: (nullable) (scope call): gives the bind DN's password
 * @password_data: for @password_func
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %OC_LDAP_ERROR
 *
 * Signs in as for lookups and searches. Blocks: call it from a worker thread.
 *
 * Returns: (transfer full) (element-type OcLdapEntry) (nullable): the entries
 */
GPtrArray *
oc_ldap_directory_search_sync (OcLdapDirectory    *self,
                               const OcLdapSearch *search,
                               OcPasswordFunc      password_func,
                               gpointer            password_data,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr (OcLdapConnection) connection = NULL;

  g_return_val_if_fail (OC_IS_LDAP_DIRECTORY (self), NULL);
  g_return_val_if_fail (search != NULL, NULL);

  connection = connect_and_bind (self, password_func, password_data, cancellable, error);
  if (connection == NULL)
    return NULL;
  return oc_ldap_connection_search_sync (connection, search, NULL, cancellable, error);
}
