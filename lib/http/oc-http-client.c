/* oc-http-client.c: every HTTP request of owacal, on one libcurl multi handle.
 *
 * One CURLM drives all transfers from the GLib main loop (curl's socket and
 * timer callbacks become GSources, as in ostree's curl fetcher). One CURLSH
 * shares cookies, DNS answers and TLS sessions between them. Because every
 * transfer lives in the same multi handle, connections are pooled too, which
 * matters for NTLM: it signs in a connection, not a request, so a page's
 * fifty requests ride on a handful of connections signed in once each.
 *
 * Sign-in is decided per request by host. Credentials go only to hosts the
 * user trusts (the calendar's own, trusted domains); libcurl never follows
 * redirects itself, so a redirect to another host is a new request that
 * carries none. When a trusted host wants a password the client has not got,
 * or signs in with OWA's form, oc-http-sign-in.c takes the transfer over.
 */
#include "config.h"
#include "oc-http-client.h"

#include <string.h>
#include <curl/curl.h>

#include "oc-autocleanups.h"
#include "oc-curl-error.h"
#include "oc-http-client-private.h"

#define MAX_REDIRECTS 20
#define MAX_BODY_SIZE (256 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (OcHttpClient, oc_http_client, G_TYPE_OBJECT)

static void start_transfer (Transfer *transfer);

static void
transfer_free (Transfer *transfer)
{
  g_assert (!transfer->in_multi);
  if (transfer->cancel_source != NULL)
    {
      g_source_destroy (transfer->cancel_source);
      g_source_unref (transfer->cancel_source);
    }
  g_clear_pointer (&transfer->easy, curl_easy_cleanup);
  g_clear_pointer (&transfer->header_list, curl_slist_free_all);
  g_clear_pointer (&transfer->request, oc_http_request_unref);
  g_clear_pointer (&transfer->response, oc_http_response_unref);
  g_clear_pointer (&transfer->content, g_byte_array_unref);
  g_clear_pointer (&transfer->body, g_bytes_unref);
  g_clear_pointer (&transfer->credentials, oc_credentials_unref);
  g_clear_pointer (&transfer->proxy_credentials, oc_credentials_unref);
  g_free (transfer->proxy);
  g_free (transfer->proxy_origin);
  g_clear_error (&transfer->caught_error);
  g_free (transfer->url);
  g_free (transfer->method);
  g_free (transfer);
}

char *
oc_http_client_dup_host (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

/* Per-request set-up */

gboolean
oc_http_client_has_usable_ticket (OcHttpClient *self)
{
  gint64 now = g_get_monotonic_time ();

  /* A look at the ticket cache is cheap, but not free on every request; a
   * ticket renewed with kinit is seen within seconds. */
  if (self->ticket_checked_at == 0 || now - self->ticket_checked_at > 5 * G_USEC_PER_SEC)
    {
      self->have_ticket = oc_kerberos_get_ticket_state (NULL, NULL) == OC_KERBEROS_TICKET_VALID;
      self->ticket_checked_at = now;
    }
  return self->have_ticket;
}

static void
configure_auth (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  g_autofree char *host = oc_http_client_dup_host (transfer->url);
  OcCredentials *credentials;
  SignIn *sign_in;
  long methods;

  transfer->auth_tried = OC_HTTP_AUTH_NONE;
  g_clear_pointer (&transfer->credentials, oc_credentials_unref);
  if (host == NULL || !oc_http_client_is_trusted_url (self, transfer->url))
    return;

  sign_in = oc_http_sign_in_get (self, host);
  credentials = oc_http_sign_in_get_credentials (self, sign_in);
  transfer->serial = sign_in->serial;
  transfer->session = sign_in->session;
  if (credentials != NULL)
    transfer->credentials = oc_credentials_ref (credentials);

  /* With a password and no ticket, Negotiate cannot work: start NTLM's
   * handshake on the first request instead of after an anonymous 401. */
  if (credentials != NULL && (transfer->ntlm_only || sign_in->ntlm || !oc_http_client_has_usable_ticket (self)))
    {
      transfer->ntlm_only = TRUE;
      methods = CURLAUTH_NTLM;
      transfer->auth_tried = OC_HTTP_AUTH_NTLM;
    }
  else
    {
      /* Never Basic implicitly, and never over plain http. */
      methods = CURLAUTH_NEGOTIATE;
      transfer->auth_tried = OC_HTTP_AUTH_NEGOTIATE;
      if (credentials != NULL)
        {
          methods |= CURLAUTH_NTLM;
          transfer->auth_tried |= OC_HTTP_AUTH_NTLM;
        }
    }
  if (credentials != NULL && oc_http_client_may_send_password (self, transfer->url))
    {
      methods |= CURLAUTH_BASIC;
      transfer->auth_tried |= OC_HTTP_AUTH_BASIC;
    }

  curl_easy_setopt (transfer->easy, CURLOPT_HTTPAUTH, methods);
  if (credentials != NULL)
    {
      curl_easy_setopt (transfer->easy, CURLOPT_USERNAME, oc_credentials_get_user (credentials));
      curl_easy_setopt (transfer->easy, CURLOPT_PASSWORD, oc_credentials_get_password (credentials));
    }
  else
    {
      /* Empty credentials make libcurl take the Kerberos ticket, like "curl -u :". */
      curl_easy_setopt (transfer->easy, CURLOPT_USERPWD, ":");
    }
}

static void
configure_body (Transfer *transfer)
{
  CURL *easy = transfer->easy;
  const char *method = transfer->method;

  if (g_str_equal (method, "GET"))
    return;
  if (g_str_equal (method, "HEAD"))
    {
      curl_easy_setopt (easy, CURLOPT_NOBODY, 1L);
      return;
    }
  if (transfer->body != NULL || g_str_equal (method, "POST") || g_str_equal (method, "PUT") ||
      g_str_equal (method, "PATCH"))
    {
      gsize size = 0;
      const char *data = transfer->body ? g_bytes_get_data (transfer->body, &size) : NULL;

      curl_easy_setopt (easy, CURLOPT_POST, 1L);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, data ? data : "");
    }
  if (!g_str_equal (method, "POST"))
    curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, method);
}

static size_t
header_cb (char   *buffer,
           size_t  size,
           size_t  n_items,
           void   *user_data)
{
  Transfer *transfer = user_data;
  size_t len = size * n_items;
  g_autofree char *line = g_strndup (buffer, len);

  g_strchomp (line);
  if (g_str_has_prefix (line, "HTTP/"))
    {
      oc_http_response_take_status_line (transfer->response, line);
      transfer->client->stats.requests++;
      if (oc_http_response_get_status (transfer->response) == 401 ||
          oc_http_response_get_status (transfer->response) == 407)
        transfer->client->stats.challenges++;
    }
  else if (*line != '\0' && *line != ' ' && *line != '\t')
    {
      oc_http_response_add_header_line (transfer->response, line);
      if (oc_http_response_get_status (transfer->response) == 401 &&
          g_ascii_strncasecmp (line, "WWW-Authenticate:", 17) == 0)
        {
          g_autoptr (GPtrArray) one = g_ptr_array_new ();
          g_ptr_array_add (one, line);
          transfer->challenged |= oc_http_auth_parse_challenges (one);
          if (g_ascii_strncasecmp (line, "WWW-Authenticate: NTLM ", 23) == 0)
            transfer->ntlm_challenged = TRUE;
        }
      if (oc_http_response_get_status (transfer->response) == 407 &&
          g_ascii_strncasecmp (line, "Proxy-Authenticate: NTLM ", 25) == 0)
        transfer->proxy_ntlm_challenged = TRUE;
    }
  return len;
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n_items,
          void   *user_data)
{
  Transfer *transfer = user_data;
  size_t len = size * n_items;

  if (transfer->content->len + len > MAX_BODY_SIZE)
    {
      g_set_error (&transfer->caught_error, OC_HTTP_ERROR, OC_HTTP_ERROR_NETWORK,
                   "The answer from %s is larger than %d MiB; owacal stopped reading it.",
                   transfer->url, MAX_BODY_SIZE / (1024 * 1024));
      return CURL_WRITEFUNC_ERROR;
    }
  g_byte_array_append (transfer->content, (const guint8 *) data, len);
  return len;
}

static void
configure_transfer (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  CURL *easy = transfer->easy;
  GPtrArray *lines = oc_http_request_get_header_lines (transfer->request);

  /* libcurl 7.88 keeps CURLOPT_COOKIEFILE's names in a list that
   * curl_easy_reset() forgets without freeing (curl 8.5 moved it out of the
   * reset settings, commit 70e3b53): every restarted or redirected transfer
   * leaked one. Emptying it first frees it; the cookies themselves are in the
   * client's share and stay. */
  curl_easy_setopt (easy, CURLOPT_COOKIEFILE, NULL);
  curl_easy_reset (easy);
  g_clear_pointer (&transfer->response, oc_http_response_unref);
  transfer->response = oc_http_response_new (transfer->url);
  g_byte_array_set_size (transfer->content, 0);
  transfer->error_buffer[0] = '\0';
  transfer->ntlm_challenged = FALSE;
  transfer->challenged = OC_HTTP_AUTH_NONE;

  curl_easy_setopt (easy, CURLOPT_URL, transfer->url);
  curl_easy_setopt (easy, CURLOPT_PRIVATE, transfer);
  curl_easy_setopt (easy, CURLOPT_SHARE, self->share);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, transfer->error_buffer);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
  /* Windows sign-in (NTLM, and Kerberos on IIS) is bound to an HTTP/1.1
   * connection; IIS refuses it over HTTP/2. */
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, self->user_agent);
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_COOKIEFILE, "");
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, self->connect_timeout);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, self->idle_timeout);
  if (self->ca_file != NULL)
    {
      /* CAINFO alone would replace the system's authorities; CAPATH keeps them. */
      curl_easy_setopt (easy, CURLOPT_CAINFO, self->ca_file);
      curl_easy_setopt (easy, CURLOPT_CAPATH, "/etc/ssl/certs");
    }
  if (oc_http_client_get_key_pin (self, transfer->url) != NULL)
    {
      /* The user trusted this server's certificate: its key, and only its
       * key, is accepted, whoever signed it and whatever names it holds. */
      curl_easy_setopt (easy, CURLOPT_PINNEDPUBLICKEY, oc_http_client_get_key_pin (self, transfer->url));
      curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, transfer);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, transfer);

  g_clear_pointer (&transfer->header_list, curl_slist_free_all);
  for (guint i = 0; i < lines->len; i++)
    transfer->header_list = curl_slist_append (transfer->header_list, g_ptr_array_index (lines, i));
  /* A 100-continue wait costs a round trip per POST for nothing. */
  transfer->header_list = curl_slist_append (transfer->header_list, "Expect:");
  /* libcurl labels every POST as a form unless told otherwise; a page's
   * fetch() without a body or type sends none. */
  if (!g_str_equal (transfer->method, "GET") && !g_str_equal (transfer->method, "HEAD") &&
      oc_http_request_get_header (transfer->request, "Content-Type") == NULL)
    transfer->header_list = curl_slist_append (transfer->header_list, "Content-Type:");
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, transfer->header_list);

  configure_body (transfer);
  configure_auth (transfer);
  oc_http_client_configure_proxy (transfer);
}

/* Completion */

static void
return_result (Transfer *transfer,
               GError   *error)
{
  GTask *task = g_steal_pointer (&transfer->task);

  transfer->client->stats.transfers++;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, oc_http_response_ref (transfer->response),
                           (GDestroyNotify) oc_http_response_unref);
  g_object_unref (task);
}

static gboolean
should_retry_with_ntlm (Transfer *transfer)
{
  OcHttpAuth offered = oc_http_response_get_auth_offered (transfer->response);

  /* libcurl never falls back from Negotiate to NTLM: without a usable
   * ticket it gives up with 401 even when it holds a good NTLM password. */
  return transfer->credentials != NULL && !transfer->ntlm_only &&
         (transfer->auth_tried & OC_HTTP_AUTH_NEGOTIATE) && (offered & OC_HTTP_AUTH_NTLM);
}

static gboolean
follow_redirect (Transfer  *transfer,
                 guint      status,
                 GError   **error)
{
  const char *location = oc_http_response_get_header (transfer->response, "Location");
  g_autofree char *next = NULL;

  if (location == NULL)
    return FALSE;
  next = g_uri_resolve_relative (transfer->url, location, G_URI_FLAGS_ENCODED, NULL);
  if (next == NULL || !(g_str_has_prefix (next, "http://") || g_str_has_prefix (next, "https://")))
    return FALSE;
  if (++transfer->redirects > MAX_REDIRECTS)
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_TOO_MANY_REDIRECTS,
                   "%s redirected more than %d times; it may be sending owacal in circles.",
                   transfer->url, MAX_REDIRECTS);
      return FALSE;
    }
  /* What browsers do: 303, and 301/302 after a POST, become a GET. */
  if (status == 303 || ((status == 301 || status == 302) && g_str_equal (transfer->method, "POST")))
    {
      if (!g_str_equal (transfer->method, "HEAD"))
        {
          g_free (transfer->method);
          transfer->method = g_strdup ("GET");
        }
      g_clear_pointer (&transfer->body, g_bytes_unref);
    }
  g_free (transfer->url);
  transfer->url = g_steal_pointer (&next);
  transfer->ntlm_only = FALSE;
  return TRUE;
}

/**
 * oc_http_client_finish:
 * @transfer: a transfer curl is done with (it is out of the multi handle)
 * @code: how curl ended it
 *
 * Decides what comes next: a retry with NTLM, a sign-in, a redirect, or the
 * answer to the caller.
 */
void
oc_http_client_finish (Transfer *transfer,
                       CURLcode  code)
{
  OcHttpClient *self = transfer->client;
  long connects = 0;
  guint status;
  GError *error = NULL;

  curl_easy_getinfo (transfer->easy, CURLINFO_NUM_CONNECTS, &connects);
  transfer->new_connections += (guint) connects;
  self->stats.connections += (guint64) connects;

  if (transfer->caught_error != NULL)
    {
      return_result (transfer, g_steal_pointer (&transfer->caught_error));
      return;
    }
  /* A proxy that refused the CONNECT for https: its 407 is the answer. */
  if (code != CURLE_OK)
    {
      long connect_code = 0;

      curl_easy_getinfo (transfer->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
      if (connect_code == 407 && oc_http_response_get_status (transfer->response) == 407)
        code = CURLE_OK;
    }
  if (code != CURLE_OK)
    {
      long verify_result = 0;

      curl_easy_getinfo (transfer->easy, CURLINFO_SSL_VERIFYRESULT, &verify_result);
      if (oc_http_client_check_certificate (transfer, code, verify_result))
        return;
      return_result (transfer, oc_curl_error_new (transfer->url, code, transfer->error_buffer,
                                                  verify_result));
      return;
    }

  status = oc_http_response_get_status (transfer->response);
  if (status == 401 && should_retry_with_ntlm (transfer))
    {
      transfer->ntlm_only = TRUE;
      start_transfer (transfer);
      return;
    }
  if (status == 407 && oc_http_sign_in_take_over_proxy (transfer))
    return;
  if (oc_http_request_get_sign_in (transfer->request) && oc_http_sign_in_take_over (transfer))
    return;
  if (status >= 300 && status < 400 && status != 304 &&
      oc_http_request_get_follow_redirects (transfer->request))
    {
      if (follow_redirect (transfer, status, &error))
        {
          start_transfer (transfer);
          return;
        }
      if (error != NULL)
        {
          return_result (transfer, error);
          return;
        }
    }

  oc_http_client_complete (transfer, NULL);
}

/**
 * oc_http_client_complete:
 * @transfer: a transfer with an answer, or a failure
 * @error: (transfer full) (nullable): the failure
 *
 * Returns the answer to the caller of oc_http_client_send_async(), with
 * what it says about the sign-in.
 */
void
oc_http_client_complete (Transfer *transfer,
                         GError   *error)
{
  guint status = oc_http_response_get_status (transfer->response);

  if (error != NULL)
    {
      return_result (transfer, error);
      return;
    }
  if (status == 401 && (transfer->auth_tried & OC_HTTP_AUTH_NEGOTIATE))
    oc_http_response_set_ticket_state (transfer->response, oc_kerberos_get_ticket_state (NULL, NULL));
  if (status < 400 && (transfer->credentials != NULL || transfer->proxy_credentials != NULL))
    oc_http_sign_in_succeeded (transfer);
  oc_http_response_set_auth_tried (transfer->response, transfer->auth_tried,
                                   transfer->credentials != NULL &&
                                   (transfer->auth_tried & (OC_HTTP_AUTH_NTLM | OC_HTTP_AUTH_BASIC))
                                     ? oc_credentials_get_user (transfer->credentials) : NULL);
  oc_http_response_set_new_connections (transfer->response, transfer->new_connections);
  {
    g_autoptr (GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&transfer->content));
    oc_http_response_set_body (transfer->response, body);
    transfer->content = g_byte_array_new ();
  }
  return_result (transfer, NULL);
}

/* Callbacks */

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Transfer *transfer = user_data;

  if (transfer->in_multi)
    {
      curl_multi_remove_handle (transfer->client->multi, transfer->easy);
      transfer->in_multi = FALSE;
    }
  if (transfer->task != NULL)
    {
      GTask *task = g_steal_pointer (&transfer->task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The request was cancelled");
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
start_transfer (Transfer *transfer)
{
  CURLMcode code;

  /* A desktop proxy setting is looked up first, once per server. */
  if (oc_http_client_resolve_proxy (transfer))
    return;
  configure_transfer (transfer);
  code = curl_multi_add_handle (transfer->client->multi, transfer->easy);
  if (code != CURLM_OK)
    {
      return_result (transfer, g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_NETWORK,
                                            "Could not start fetching %s: %s", transfer->url,
                                            curl_multi_strerror (code)));
      return;
    }
  transfer->in_multi = TRUE;
}

/**
 * oc_http_client_restart:
 * @transfer: a transfer that is not running
 *
 * Sends the transfer's current request again: after a sign-in, with the
 * credentials and cookies that brought.
 */
void
oc_http_client_restart (Transfer *transfer)
{
  start_transfer (transfer);
}

/* GObject */

static void
oc_http_client_finalize (GObject *object)
{
  OcHttpClient *self = OC_HTTP_CLIENT (object);

  oc_http_client_detach_loop (self);
  g_clear_pointer (&self->cookie_easy, curl_easy_cleanup);
  g_clear_pointer (&self->share, curl_share_cleanup);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->trusted_hosts, g_hash_table_unref);
  g_clear_pointer (&self->sign_ins, g_hash_table_unref);
  g_clear_pointer (&self->proxy_sign_ins, g_hash_table_unref);
  oc_http_client_clear_trust (self);
  oc_http_client_clear_proxy (self);
  g_clear_pointer (&self->http_sign_in_hosts, g_hash_table_unref);
  g_clear_pointer (&self->trusted_domains, g_strfreev);
  g_free (self->user_agent);
  g_free (self->ca_file);
  g_free (self->default_user);
  g_clear_pointer (&self->default_credentials, oc_credentials_unref);
  g_clear_object (&self->provider);

  G_OBJECT_CLASS (oc_http_client_parent_class)->finalize (object);
}

static void
oc_http_client_class_init (OcHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oc_http_client_finalize;
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
oc_http_client_init (OcHttpClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->user_agent = g_strdup (OC_HTTP_DEFAULT_USER_AGENT);
  self->connect_timeout = 15;
  self->idle_timeout = 60;
  self->trusted_hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sign_ins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) oc_http_sign_in_free);
  self->proxy_sign_ins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                (GDestroyNotify) oc_http_sign_in_free);
  oc_http_client_init_trust (self);
  oc_http_client_init_proxy (self);
  self->http_sign_in_hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->share = curl_share_init ();
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

  self->multi = curl_multi_init ();
  oc_http_client_attach_loop (self);
  /* Like a browser: a few connections per host, each signed in once. */
  curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 6L);

  self->cookie_easy = curl_easy_init ();
  curl_easy_setopt (self->cookie_easy, CURLOPT_SHARE, self->share);
  curl_easy_setopt (self->cookie_easy, CURLOPT_COOKIEFILE, "");
}

/* Public API */

/**
 * oc_http_client_new:
 *
 * The client runs its transfers on the thread-default main context of the
 * thread that creates it; call it from there only.
 *
 * Returns: (transfer full): a new client with no credentials and no trusted host
 */
OcHttpClient *
oc_http_client_new (void)
{
  return g_object_new (OC_TYPE_HTTP_CLIENT, NULL);
}

/**
 * oc_http_client_set_user_agent:
 * @self: a client
 * @user_agent: (nullable): a User-Agent, or %NULL for a Chrome-on-Linux one
 *
 * Exchange serves its full ("premium") OWA only to browsers it knows, and
 * gives WebKitGTK's own User-Agent the reduced OWA Light.
 */
void
oc_http_client_set_user_agent (OcHttpClient *self,
                               const char   *user_agent)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_free (self->user_agent);
  self->user_agent = g_strdup (user_agent && *user_agent ? user_agent : OC_HTTP_DEFAULT_USER_AGENT);
}

const char *
oc_http_client_get_user_agent (OcHttpClient *self)
{
  g_return_val_if_fail (OC_IS_HTTP_CLIENT (self), NULL);
  return self->user_agent;
}

/**
 * oc_http_client_set_ca_file:
 * @self: a client
 * @ca_file: (nullable): a PEM file of certificate authorities to trust
 *   besides the system's
 */
void
oc_http_client_set_ca_file (OcHttpClient *self,
                            const char   *ca_file)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * oc_http_client_set_timeouts:
 * @self: a client
 * @connect_seconds: how long a connection may take to open
 * @idle_seconds: how long a transfer may receive nothing
 */
void
oc_http_client_set_timeouts (OcHttpClient *self,
                             guint         connect_seconds,
                             guint         idle_seconds)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  self->connect_timeout = MAX (1, connect_seconds);
  self->idle_timeout = MAX (1, idle_seconds);
}

/**
 * oc_http_client_send_async:
 * @self: a client
 * @request: the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the client's main context when the answer is complete
 * @user_data: data for @callback
 *
 * Sends @request, signing in to trusted hosts as needed. Any HTTP status is a
 * result, not an error; use oc_http_response_check() to explain failures.
 */
void
oc_http_client_send_async (OcHttpClient        *self,
                           OcHttpRequest       *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Transfer *transfer;

  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_http_client_send_async);

  transfer = g_new0 (Transfer, 1);
  transfer->client = self;
  transfer->task = g_object_ref (task);
  transfer->request = oc_http_request_ref (request);
  transfer->url = g_strdup (oc_http_request_get_url (request));
  transfer->method = g_strdup (oc_http_request_get_method (request));
  transfer->body = oc_http_request_get_body (request) ? g_bytes_ref (oc_http_request_get_body (request)) : NULL;
  transfer->content = g_byte_array_new ();
  transfer->easy = curl_easy_init ();
  g_task_set_task_data (task, transfer, (GDestroyNotify) transfer_free);

  if (cancellable != NULL)
    {
      transfer->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (transfer->cancel_source, G_SOURCE_FUNC (cancelled_cb), transfer, NULL);
      g_source_attach (transfer->cancel_source, self->context);
    }

  if (!g_str_has_prefix (transfer->url, "http://") && !g_str_has_prefix (transfer->url, "https://"))
    {
      return_result (transfer, g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_REFUSED_REQUEST,
                                            "owacal fetches only http and https addresses, not “%s”",
                                            transfer->url));
      return;
    }
  start_transfer (transfer);
}

/**
 * oc_http_client_send_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the response, or %NULL if no answer came
 */
OcHttpResponse *
oc_http_client_send_finish (OcHttpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (OC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_http_client_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oc_http_client_dup_cookie_lines:
 * @self: a client
 *
 * Returns: (transfer full): every cookie of the shared jar, in the Netscape
 *   cookie-file format that libcurl uses ("#HttpOnly_" marks HttpOnly ones)
 */
GStrv
oc_http_client_dup_cookie_lines (OcHttpClient *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  struct curl_slist *cookies = NULL;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (self), NULL);

  curl_easy_getinfo (self->cookie_easy, CURLINFO_COOKIELIST, &cookies);
  for (struct curl_slist *c = cookies; c != NULL; c = c->next)
    g_strv_builder_add (builder, c->data);
  curl_slist_free_all (cookies);
  return g_strv_builder_end (builder);
}

/**
 * oc_http_client_add_cookie_line:
 * @self: a client
 * @netscape_line: a cookie in the Netscape cookie-file format
 *
 * Adds or replaces a cookie; one with an expiry in the past removes it.
 */
void
oc_http_client_add_cookie_line (OcHttpClient *self,
                                const char   *netscape_line)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_return_if_fail (netscape_line != NULL);
  curl_easy_setopt (self->cookie_easy, CURLOPT_COOKIELIST, netscape_line);
}

/**
 * oc_http_client_get_stats:
 * @self: a client
 * @out_stats: (out): where to store the counters
 */
void
oc_http_client_get_stats (OcHttpClient      *self,
                          OcHttpClientStats *out_stats)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_return_if_fail (out_stats != NULL);
  *out_stats = self->stats;
}
