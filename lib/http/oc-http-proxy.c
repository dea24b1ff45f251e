/* oc-http-proxy.c: which proxy a request goes through, and signing in to it.
 *
 * Part of OcHttpClient. libcurl honours http_proxy, https_proxy, all_proxy
 * and no_proxy by itself; nothing here turns that off. The desktop's proxy
 * settings (GNOME's Network Proxy panel, PAC, libproxy) are another matter:
 * with a GProxyResolver the client asks, per server, which proxy to use, and
 * tells libcurl. "direct://" leaves libcurl's own choice, so that the
 * environment still counts where the desktop has nothing to say.
 *
 * Company proxies often want Windows sign-in. The proxy gets Kerberos (the
 * ticket) or NTLM with the user's password, never Basic (the connection to
 * it is not encrypted). As with servers, libcurl does not fall back from
 * Negotiate to NTLM; the client retries, and asks the credentials provider
 * for the proxy's password when it has none (oc-http-sign-in.c).
 */
#include "config.h"

#include <string.h>

#include "oc-http-client-private.h"

/* How long a desktop proxy answer holds for a server: a page's fifty loads
 * ask once, a changed setting is seen soon. */
#define CHOICE_LIFETIME (30 * G_USEC_PER_SEC)

typedef struct {
  char *proxy;                 /* NULL: direct, or rather libcurl's own choice */
  gint64 decided_at;
} ProxyChoice;

static void
proxy_choice_free (ProxyChoice *choice)
{
  g_free (choice->proxy);
  g_free (choice);
}

static char *
dup_origin (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
}

static void
take_choice (Transfer   *transfer,
             const char *origin,
             const char *proxy)
{
  g_free (transfer->proxy);
  transfer->proxy = g_strdup (proxy);
  g_free (transfer->proxy_origin);
  transfer->proxy_origin = g_strdup (origin);
}

/* Callbacks */

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Transfer *transfer = g_task_get_task_data (task);
  g_auto (GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, NULL);
  g_autofree char *origin = dup_origin (transfer->url);
  const char *proxy = NULL;

  /* The first answer is the one to use; a failed lookup leaves libcurl's choice. */
  if (proxies != NULL && proxies[0] != NULL && !g_str_equal (proxies[0], "direct://"))
    proxy = proxies[0];
  if (origin != NULL)
    {
      ProxyChoice *choice = g_new0 (ProxyChoice, 1);

      choice->proxy = g_strdup (proxy);
      choice->decided_at = g_get_monotonic_time ();
      g_hash_table_replace (transfer->client->proxy_choices, g_strdup (origin), choice);
    }
  take_choice (transfer, origin ? origin : "", proxy);
  if (transfer->task != NULL)
    oc_http_client_restart (transfer);
}

/* Internal API */

void
oc_http_client_init_proxy (OcHttpClient *self)
{
  self->proxy_choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) proxy_choice_free);
}

void
oc_http_client_clear_proxy (OcHttpClient *self)
{
  g_clear_pointer (&self->proxy_choices, g_hash_table_unref);
  g_clear_object (&self->proxy_resolver);
}

/**
 * oc_http_client_resolve_proxy:
 * @transfer: a transfer about to start
 *
 * Returns: %TRUE if the desktop is being asked which proxy to use; the
 *   transfer starts again when it answered
 */
gboolean
oc_http_client_resolve_proxy (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  g_autofree char *origin = NULL;
  ProxyChoice *choice;

  if (self->proxy_resolver == NULL)
    return FALSE;
  origin = dup_origin (transfer->url);
  if (origin == NULL || g_strcmp0 (origin, transfer->proxy_origin) == 0)
    return FALSE;
  choice = g_hash_table_lookup (self->proxy_choices, origin);
  if (choice != NULL && g_get_monotonic_time () - choice->decided_at < CHOICE_LIFETIME)
    {
      take_choice (transfer, origin, choice->proxy);
      return FALSE;
    }
  g_proxy_resolver_lookup_async (self->proxy_resolver, transfer->url, NULL, looked_up_cb,
                                 g_object_ref (transfer->task));
  return TRUE;
}

/**
 * oc_http_client_dup_proxy_host:
 * @transfer: a transfer
 *
 * Returns: (nullable): the host of the proxy the transfer goes through, if
 *   the client chose it (a proxy from the environment is libcurl's choice)
 */
char *
oc_http_client_dup_proxy_host (Transfer *transfer)
{
  g_autofree char *url = NULL;

  if (transfer->proxy == NULL)
    return NULL;
  url = strstr (transfer->proxy, "://") ? g_strdup (transfer->proxy) : g_strconcat ("http://", transfer->proxy, NULL);
  return oc_http_client_dup_host (url);
}

void
oc_http_client_configure_proxy (Transfer *transfer)
{
  OcHttpClient *self = transfer->client;
  CURL *easy = transfer->easy;
  g_autofree char *host = oc_http_client_dup_proxy_host (transfer);
  SignIn *sign_in = host ? oc_http_sign_in_get_proxy (self, host) : NULL;
  OcCredentials *credentials = sign_in ? oc_http_sign_in_get_credentials (self, sign_in)
                                       : self->default_credentials;

  if (transfer->proxy != NULL)
    curl_easy_setopt (easy, CURLOPT_PROXY, transfer->proxy);
  g_clear_pointer (&transfer->proxy_credentials, oc_credentials_unref);
  transfer->proxy_serial = sign_in ? sign_in->serial : 0;
  transfer->proxy_ntlm_challenged = FALSE;
  if (credentials == NULL)
    {
      /* The ticket, should the proxy ask; libcurl sends nothing otherwise. */
      curl_easy_setopt (easy, CURLOPT_PROXYAUTH, (long) CURLAUTH_NEGOTIATE);
      curl_easy_setopt (easy, CURLOPT_PROXYUSERPWD, ":");
      return;
    }
  transfer->proxy_credentials = oc_credentials_ref (credentials);
  if (transfer->proxy_ntlm_only || !oc_http_client_has_usable_ticket (self))
    curl_easy_setopt (easy, CURLOPT_PROXYAUTH, (long) CURLAUTH_NTLM);
  else
    curl_easy_setopt (easy, CURLOPT_PROXYAUTH, (long) (CURLAUTH_NEGOTIATE | CURLAUTH_NTLM));
  curl_easy_setopt (easy, CURLOPT_PROXYUSERNAME, oc_credentials_get_user (credentials));
  curl_easy_setopt (easy, CURLOPT_PROXYPASSWORD, oc_credentials_get_password (credentials));
}

/* Public API */

/**
 * oc_http_client_set_proxy_resolver:
 * @self: a client
 * @resolver: (nullable): what says which proxy to use for a URL, such as
 *   g_proxy_resolver_get_default() (the desktop's settings), or %NULL for
 *   the environment's http_proxy and friends only
 */
void
oc_http_client_set_proxy_resolver (OcHttpClient   *self,
                                   GProxyResolver *resolver)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_set_object (&self->proxy_resolver, resolver);
  g_hash_table_remove_all (self->proxy_choices);
}
