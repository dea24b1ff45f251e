/* oc-http-sign-in.c: signing in to a trusted server, per host.
 *
 * A transfer that meets a refusal from a trusted server is taken over here:
 *  - 401 offering NTLM (or Basic, over https): the client has no password
 *    for the host, or the server refused the one it sent;
 *  - a redirect to OWA's sign-in page, or 440 Login Timeout: the host signs
 *    in with a form (oc-forms-login.c), and its session is missing or over.
 * The transfer is parked on the host; the client asks the credentials
 * provider (the keyring, a dialog) or signs in by form, once for all the
 * transfers waiting on that host, then sends them again. A request that
 * was signed in by form and still meets the sign-in page gets OWA's answer
 * as it is: a session that dies at once must not make the client go round
 * in circles. Three refused passwords in a row, or a question the user
 * declined, end the asking for that host until the user tries again.
 */
#include "config.h"

#include "oc-forms-login.h"
#include "oc-http-client-private.h"
#include "oc-logon-form.h"

#define MAX_REJECTIONS 3

/* A question or a forms login on its way, for one host. */
typedef struct {
  OcHttpClient *client;        /* a reference: the answer may take a while */
  char *host;
  OcCredentials *credentials;  /* what a forms login tries */
  guint serial;
  gboolean proxy;
} Pending;

static Pending *
pending_new (OcHttpClient  *client,
             SignIn        *sign_in,
             OcCredentials *credentials)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->client = g_object_ref (client);
  pending->host = g_strdup (sign_in->host);
  pending->credentials = credentials ? oc_credentials_ref (credentials) : NULL;
  pending->serial = sign_in->serial;
  pending->proxy = sign_in->proxy;
  return pending;
}

static SignIn *
lookup (Pending *pending)
{
  return pending->proxy ? oc_http_sign_in_get_proxy (pending->client, pending->host)
                        : oc_http_sign_in_get (pending->client, pending->host);
}

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->credentials, oc_credentials_unref);
  g_free (pending->host);
  g_object_unref (pending->client);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* Waiting transfers */

static void
park (SignIn   *sign_in,
      Transfer *transfer,
      gboolean  for_form)
{
  /* A reference to the task keeps the transfer alive if it is cancelled meanwhile. */
  transfer->waits_for_form = for_form;
  g_ptr_array_add (sign_in->waiters, g_object_ref (transfer->task));
}

static GPtrArray *
take_waiters (SignIn *sign_in)
{
  GPtrArray *waiters = sign_in->waiters;

  sign_in->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  return waiters;
}

static void
restart_waiters (SignIn *sign_in)
{
  g_autoptr (GPtrArray) waiters = take_waiters (sign_in);

  for (guint i = 0; i < waiters->len; i++)
    {
      Transfer *transfer = g_task_get_task_data (g_ptr_array_index (waiters, i));
      if (transfer->task != NULL)
        oc_http_client_restart (transfer);
    }
}

/* A refused 401 explains itself (no ticket, which password was refused);
 * a forms login that did not happen has only @error to show. */
static void
fail_waiters (SignIn       *sign_in,
              const GError *error)
{
  g_autoptr (GPtrArray) waiters = take_waiters (sign_in);

  sign_in->wants_forms_login = FALSE;
  for (guint i = 0; i < waiters->len; i++)
    {
      Transfer *transfer = g_task_get_task_data (g_ptr_array_index (waiters, i));
      if (transfer->task != NULL)
        oc_http_client_complete (transfer, transfer->waits_for_form ? g_error_copy (error) : NULL);
    }
}

static GError *
new_refused_error (SignIn     *sign_in,
                   const char *user)
{
  return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                      "%s did not accept the password for “%s”. Check the user name (DOMAIN\\user or "
                      "user@domain) and the password, then open the calendar again.",
                      sign_in->host, user ? user : "");
}

/* Credentials */

static void
tell_accepted (OcHttpClient  *self,
               SignIn        *sign_in,
               OcCredentials *credentials)
{
  sign_in->rejections = 0;
  if (sign_in->accepted_serial == sign_in->serial + 1)
    return;
  sign_in->accepted_serial = sign_in->serial + 1;
  if (self->provider != NULL)
    oc_credentials_provider_accepted (self->provider, sign_in->host, credentials);
}

static void
reject (OcHttpClient *self,
        SignIn       *sign_in)
{
  OcCredentials *refused = oc_http_sign_in_get_credentials (self, sign_in);

  if (refused != NULL)
    {
      g_free (sign_in->user_hint);
      sign_in->user_hint = g_strdup (oc_credentials_get_user (refused));
    }
  if (sign_in->credentials != NULL)
    g_clear_pointer (&sign_in->credentials, oc_credentials_unref);
  else
    sign_in->default_rejected = TRUE;
  sign_in->serial++;
  if (++sign_in->rejections >= MAX_REJECTIONS)
    sign_in->gave_up = TRUE;
}

static void start_forms_login (OcHttpClient *self, SignIn *sign_in);

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (Pending) pending = user_data;
  OcHttpClient *self = pending->client;
  SignIn *sign_in = lookup (pending);
  g_autoptr (OcCredentials) credentials = NULL;
  g_autoptr (GError) error = NULL;

  credentials = oc_credentials_provider_ask_finish (OC_CREDENTIALS_PROVIDER (source), result, &error);
  sign_in->asking = FALSE;
  if (credentials == NULL)
    {
      g_autoptr (GError) failure = NULL;

      /* Declined, or nothing to answer with: stop asking for this host. */
      sign_in->gave_up = TRUE;
      if (sign_in->rejections > 0)
        failure = new_refused_error (sign_in, sign_in->user_hint);
      else
        failure = g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED, "%s asks for a user name and "
                               "password, and owacal has none for it. %s", sign_in->host, error->message);
      fail_waiters (sign_in, failure);
      return;
    }
  g_clear_pointer (&sign_in->credentials, oc_credentials_unref);
  sign_in->credentials = g_steal_pointer (&credentials);
  sign_in->serial++;
  if (sign_in->wants_forms_login)
    start_forms_login (self, sign_in);
  else
    restart_waiters (sign_in);
}

static void
ask (OcHttpClient *self,
     SignIn       *sign_in)
{
  OcCredentialsQuestion question = { 0 };

  if (sign_in->asking)
    return;
  sign_in->asking = TRUE;
  question.host = sign_in->host;
  question.user = sign_in->user_hint ? sign_in->user_hint : self->default_user;
  question.reason = sign_in->rejections > 0 ? OC_CREDENTIALS_REASON_REJECTED : OC_CREDENTIALS_REASON_NONE_STORED;
  question.attempt = ++sign_in->questions;
  question.proxy = sign_in->proxy;
  oc_credentials_provider_ask_async (self->provider, &question, NULL, answered_cb,
                                     pending_new (self, sign_in, NULL));
}

/* OWA's forms login */

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (Pending) pending = user_data;
  OcHttpClient *self = pending->client;
  SignIn *sign_in = oc_http_sign_in_get (self, pending->host);
  OcFormsLoginResult outcome = OC_FORMS_LOGIN_REJECTED;
  g_autoptr (GError) error = NULL;

  sign_in->logging_in = FALSE;
  if (!oc_forms_login_finish (self, result, &outcome, &error))
    {
      fail_waiters (sign_in, error);
      return;
    }
  if (outcome == OC_FORMS_LOGIN_SIGNED_IN)
    {
      sign_in->wants_forms_login = FALSE;
      sign_in->session++;
      tell_accepted (self, sign_in, pending->credentials);
      restart_waiters (sign_in);
      return;
    }
  if (pending->serial == sign_in->serial)
    reject (self, sign_in);
  if (sign_in->gave_up || self->provider == NULL)
    {
      g_autoptr (GError) refused = new_refused_error (sign_in, oc_credentials_get_user (pending->credentials));
      fail_waiters (sign_in, refused);
      return;
    }
  ask (self, sign_in);
}

static void
start_forms_login (OcHttpClient *self,
                   SignIn       *sign_in)
{
  OcCredentials *credentials = oc_http_sign_in_get_credentials (self, sign_in);

  if (credentials == NULL)
    {
      g_autoptr (GError) error = NULL;

      if (self->provider != NULL && !sign_in->gave_up)
        {
          ask (self, sign_in);
          return;
        }
      error = g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                           "%s signs in with a user name and password, and owacal has none for it. "
                           "Give them with --user and --password-file.", sign_in->host);
      fail_waiters (sign_in, error);
      return;
    }
  sign_in->logging_in = TRUE;
  oc_forms_login_async (self, sign_in->logon_url, credentials, NULL, logged_in_cb,
                        pending_new (self, sign_in, credentials));
}

/* Taking transfers over */

/* A refusal that a password could answer: the one sent was wrong, or there
 * was none. @used and @used_serial say what the transfer offered. */
static gboolean
take_over_refusal (Transfer      *transfer,
                   SignIn        *sign_in,
                   OcCredentials *used,
                   guint          used_serial)
{
  OcHttpClient *self = transfer->client;

  if (used != NULL && used_serial == sign_in->serial)
    reject (self, sign_in);
  else if (used_serial != sign_in->serial && oc_http_sign_in_get_credentials (self, sign_in) != NULL)
    {
      /* Newer credentials came while this request was on its way. */
      oc_http_client_restart (transfer);
      return TRUE;
    }
  if (sign_in->gave_up || self->provider == NULL)
    return FALSE;
  park (sign_in, transfer, FALSE);
  ask (self, sign_in);
  return TRUE;
}

static gboolean
take_over_forms_login (Transfer   *transfer,
                       SignIn     *sign_in,
                       const char *logon_url)
{
  OcHttpClient *self = transfer->client;

  if (transfer->forms_retried)
    return FALSE;
  transfer->forms_retried = TRUE;
  if (!oc_http_client_may_send_password (self, logon_url))
    {
      oc_http_client_complete (transfer, g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                                                      "%s asks for your password over an unencrypted "
                                                      "connection (http), so owacal did not send it. Open "
                                                      "the calendar’s https address, or allow http for "
                                                      "this server with --allow-http-sign-in %s.",
                                                      sign_in->host, sign_in->host));
      return TRUE;
    }
  if (transfer->session != sign_in->session)
    {
      /* Another request signed in meanwhile: try its session. */
      oc_http_client_restart (transfer);
      return TRUE;
    }
  if (sign_in->gave_up)
    {
      oc_http_client_complete (transfer, new_refused_error (sign_in, sign_in->user_hint));
      return TRUE;
    }
  g_free (sign_in->logon_url);
  sign_in->logon_url = g_strdup (logon_url);
  park (sign_in, transfer, TRUE);
  sign_in->wants_forms_login = TRUE;
  if (!sign_in->asking && !sign_in->logging_in)
    start_forms_login (self, sign_in);
  return TRUE;
}

/* OWA sends a browser without a session to its sign-in page (GET), or
 * answers 440 Login Timeout (other requests, and expired sessions). */
static char *
find_logon_url (Transfer *transfer,
                SignIn   *sign_in)
{
  guint status = oc_http_response_get_status (transfer->response);
  const char *location = oc_http_response_get_header (transfer->response, "Location");
  g_autofree char *next = NULL;

  if (status == 440)
    return sign_in->logon_url ? g_strdup (sign_in->logon_url) : oc_logon_form_guess_logon_url (transfer->url);
  if (status < 300 || status >= 400 || location == NULL)
    return NULL;
  next = g_uri_resolve_relative (transfer->url, location, G_URI_FLAGS_ENCODED, NULL);
  if (next == NULL || !oc_logon_form_is_logon_url (next) || !oc_http_client_is_trusted_url (transfer->client, next))
    return NULL;
  return g_steal_pointer (&next);
}

/* Internal API */

SignIn *
oc_http_sign_in_get (OcHttpClient *self,
                     const char   *host)
{
  SignIn *sign_in = g_hash_table_lookup (self->sign_ins, host);

  if (sign_in == NULL)
    {
      sign_in = g_new0 (SignIn, 1);
      sign_in->host = g_strdup (host);
      sign_in->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->sign_ins, sign_in->host, sign_in);
    }
  return sign_in;
}

/* Proxies sign in apart from servers, even on the same host. */
SignIn *
oc_http_sign_in_get_proxy (OcHttpClient *self,
                           const char   *host)
{
  SignIn *sign_in = g_hash_table_lookup (self->proxy_sign_ins, host);

  if (sign_in == NULL)
    {
      sign_in = g_new0 (SignIn, 1);
      sign_in->host = g_strdup (host);
      sign_in->proxy = TRUE;
      sign_in->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->proxy_sign_ins, sign_in->host, sign_in);
    }
  return sign_in;
}

void
oc_http_sign_in_free (SignIn *sign_in)
{
  g_clear_pointer (&sign_in->credentials, oc_credentials_unref);
  g_ptr_array_unref (sign_in->waiters);
  g_free (sign_in->user_hint);
  g_free (sign_in->logon_url);
  g_free (sign_in->host);
  g_free (sign_in);
}

/* New credentials, or the user tries again: refusals are forgotten. */
void
oc_http_sign_in_reset (SignIn *sign_in)
{
  sign_in->default_rejected = FALSE;
  sign_in->rejections = 0;
  sign_in->gave_up = FALSE;
  sign_in->ntlm = FALSE;
  sign_in->serial++;
}

OcCredentials *
oc_http_sign_in_get_credentials (OcHttpClient *self,
                                 SignIn       *sign_in)
{
  if (sign_in->credentials != NULL)
    return sign_in->credentials;
  return sign_in->default_rejected ? NULL : self->default_credentials;
}

/**
 * oc_http_sign_in_take_over:
 * @transfer: a transfer whose answer came, from a request that allows sign-in
 *
 * Returns: %TRUE if the transfer now waits for a sign-in (or was answered)
 */
gboolean
oc_http_sign_in_take_over (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  g_autofree char *host = NULL;
  g_autofree char *logon_url = NULL;
  SignIn *sign_in;

  if (!oc_http_client_is_trusted_url (self, transfer->url))
    return FALSE;
  host = oc_http_client_dup_host (transfer->url);
  sign_in = oc_http_sign_in_get (self, host);
  if (oc_http_response_get_status (transfer->response) == 401)
    {
      OcHttpAuth offered = oc_http_response_get_auth_offered (transfer->response);

      /* Kerberos alone: a password would not help (the answer explains the ticket). */
      if (!(offered & OC_HTTP_AUTH_NTLM) &&
          !((offered & OC_HTTP_AUTH_BASIC) && oc_http_client_may_send_password (self, transfer->url)))
        return FALSE;
      return take_over_refusal (transfer, sign_in, transfer->credentials, transfer->serial);
    }
  logon_url = find_logon_url (transfer, sign_in);
  return logon_url != NULL && take_over_forms_login (transfer, sign_in, logon_url);
}

/**
 * oc_http_sign_in_take_over_proxy:
 * @transfer: a transfer the proxy answered with 407
 *
 * A proxy that wants NTLM: with a password and Kerberos refused, try NTLM
 * (libcurl does not fall back); without one, or with a refused one, ask.
 * A proxy from the environment (libcurl's choice) gets the default
 * credentials only.
 *
 * Returns: %TRUE if the transfer was sent again or waits for a password
 */
gboolean
oc_http_sign_in_take_over_proxy (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  OcHttpAuth offered = oc_http_auth_parse_proxy_challenges (oc_http_response_get_header_lines (transfer->response));
  g_autofree char *host = oc_http_client_dup_proxy_host (transfer);

  if (!(offered & OC_HTTP_AUTH_NTLM))
    return FALSE;
  if (transfer->proxy_credentials != NULL && !transfer->proxy_ntlm_only && !transfer->proxy_ntlm_challenged)
    {
      transfer->proxy_ntlm_only = TRUE;
      oc_http_client_restart (transfer);
      return TRUE;
    }
  if (host == NULL)
    return FALSE;
  return take_over_refusal (transfer, oc_http_sign_in_get_proxy (self, host), transfer->proxy_credentials,
                            transfer->proxy_serial);
}

/**
 * oc_http_sign_in_succeeded:
 * @transfer: a transfer that offered a password and got a 1xx-3xx answer
 *
 * Remembers that the host takes NTLM, and tells the provider that the
 * password was accepted, when it was actually proven: an NTLM handshake
 * ran, or Basic was the only method asked for.
 */
void
oc_http_sign_in_succeeded (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  g_autofree char *host = oc_http_client_dup_host (transfer->url);
  gboolean proven = transfer->ntlm_challenged ||
                    ((transfer->challenged & OC_HTTP_AUTH_BASIC) &&
                     !(transfer->challenged & (OC_HTTP_AUTH_NTLM | OC_HTTP_AUTH_NEGOTIATE)));
  SignIn *sign_in;

  if (transfer->proxy_credentials != NULL && transfer->proxy_ntlm_challenged)
    {
      g_autofree char *proxy_host = oc_http_client_dup_proxy_host (transfer);
      SignIn *proxy = proxy_host ? oc_http_sign_in_get_proxy (self, proxy_host) : NULL;

      if (proxy != NULL && transfer->proxy_serial == proxy->serial)
        tell_accepted (self, proxy, transfer->proxy_credentials);
    }
  if (host == NULL || transfer->credentials == NULL || !oc_http_client_is_trusted_url (self, transfer->url))
    return;
  sign_in = oc_http_sign_in_get (self, host);
  if (transfer->serial != sign_in->serial)
    return;
  /* Once a host is known to sign in with NTLM, new connections to it start
   * the handshake at once instead of after an anonymous 401. */
  if (transfer->ntlm_only || transfer->ntlm_challenged)
    sign_in->ntlm = TRUE;
  if (proven)
    tell_accepted (self, sign_in, transfer->credentials);
}

/* Public API of OcHttpClient about sign-in */

static void
reset_sign_ins (OcHttpClient *self)
{
  GHashTableIter iter;
  SignIn *sign_in;

  g_hash_table_iter_init (&iter, self->sign_ins);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sign_in))
    oc_http_sign_in_reset (sign_in);
}

/**
 * oc_http_client_set_credentials:
 * @self: a client
 * @user: (nullable): "DOMAIN\user" or "user@domain", or %NULL for single sign-on only
 * @password: (nullable): the password; without one, @user is only the name
 *   to suggest when a password is asked for
 *
 * Credentials for every trusted host that has none of its own. With them, a
 * trusted server that refuses Kerberos is asked again with NTLM (and with
 * Basic over https). Setting them forgets earlier refusals.
 */
void
oc_http_client_set_credentials (OcHttpClient *self,
                                const char   *user,
                                const char   *password)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));

  g_free (self->default_user);
  self->default_user = g_strdup (user);
  g_clear_pointer (&self->default_credentials, oc_credentials_unref);
  if (user != NULL && password != NULL)
    self->default_credentials = oc_credentials_new (user, password);
  reset_sign_ins (self);
}

/**
 * oc_http_client_set_credentials_provider:
 * @self: a client
 * @provider: (nullable): where to get a password the client has not got
 *
 * Without a provider, a refusal is answered as it came.
 */
void
oc_http_client_set_credentials_provider (OcHttpClient          *self,
                                         OcCredentialsProvider *provider)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_set_object (&self->provider, provider);
}

/**
 * oc_http_client_forget_credentials:
 * @self: a client
 * @host: a host name
 *
 * Drops the password the client holds for @host (the default credentials
 * stay); the next refusal asks the provider again.
 */
void
oc_http_client_forget_credentials (OcHttpClient *self,
                                   const char   *host)
{
  g_autofree char *key = NULL;
  SignIn *sign_in;

  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  key = g_ascii_strdown (host, -1);
  sign_in = g_hash_table_lookup (self->sign_ins, key);
  if (sign_in == NULL)
    return;
  g_clear_pointer (&sign_in->credentials, oc_credentials_unref);
  oc_http_sign_in_reset (sign_in);
}

/**
 * oc_http_client_retry_sign_in:
 * @self: a client
 * @host: a host name
 *
 * After three refused passwords (or a question the user cancelled) the
 * client stops asking for @host, so that a page's scripts cannot pop up
 * questions in a loop. A user's action, such as opening the calendar
 * again, lets it ask again.
 */
void
oc_http_client_retry_sign_in (OcHttpClient *self,
                              const char   *host)
{
  g_autofree char *key = NULL;
  SignIn *sign_in;

  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  key = g_ascii_strdown (host, -1);
  sign_in = g_hash_table_lookup (self->sign_ins, key);
  if (sign_in != NULL && sign_in->gave_up)
    {
      sign_in->gave_up = FALSE;
      sign_in->rejections = 0;
    }
}
