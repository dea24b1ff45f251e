/* oc-http-trust.c: which servers the client trusts with what.
 *
 * Part of OcHttpClient. The user's credentials (Kerberos, NTLM, passwords,
 * forms logins) go only to trusted servers: hosts the application names
 * (the calendar's own) and the trusted domains. Passwords themselves (Basic,
 * OWA's form) need https as well, unless the user allowed a host plain http.
 *
 * Certificates: the system's authorities and the CA file vouch for servers;
 * besides, the user may trust one server's own certificate (a pin, per host
 * and port). When a certificate is refused, the client reads it from the
 * server (oc-certificate.c) before it answers, so that the error can show
 * what was presented and the application can offer to trust exactly that.
 * A pin known only by its certificate fingerprint (--trust-certificate)
 * learns its public key the first time that certificate is met.
 */
#include "config.h"

#include "oc-curl-error.h"
#include "oc-http-client-private.h"
#include "oc-trusted-domain.h"

typedef struct {
  char *fingerprint;           /* "AB:CD:…", or NULL */
  char *public_key_pin;        /* "sha256//…", or NULL until learnt */
} Pin;

static void
pin_free (Pin *pin)
{
  g_free (pin->fingerprint);
  g_free (pin->public_key_pin);
  g_free (pin);
}

static char *
dup_host_port (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : g_str_equal (g_uri_get_scheme (uri), "https") ? 443 : 80;
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
}

static char *
describe_certificate (OcCertificate *certificate)
{
  return g_strdup_printf ("Certificate of %s:%u\n  Issued to: %s\n  Issued by: %s\n  Valid from %s until %s\n"
                          "  SHA-256 fingerprint: %s", oc_certificate_get_host (certificate),
                          oc_certificate_get_port (certificate), oc_certificate_get_subject (certificate),
                          oc_certificate_get_issuer (certificate), oc_certificate_get_not_before (certificate),
                          oc_certificate_get_not_after (certificate), oc_certificate_get_fingerprint (certificate));
}

/* A pin known by its fingerprint only: the certificate met is the one the
 * user trusted, so its key is the one to pin from now on. */
static gboolean
learn_pin (OcHttpClient  *self,
           OcCertificate *certificate)
{
  g_autofree char *key = g_strdup_printf ("%s:%u", oc_certificate_get_host (certificate),
                                          oc_certificate_get_port (certificate));
  Pin *pin = g_hash_table_lookup (self->pins, key);

  if (pin == NULL || pin->public_key_pin != NULL || pin->fingerprint == NULL ||
      !g_str_equal (pin->fingerprint, oc_certificate_get_fingerprint (certificate)))
    return FALSE;
  pin->public_key_pin = g_strdup (oc_certificate_get_public_key_pin (certificate));
  return TRUE;
}

typedef struct {
  GTask *task;                 /* keeps the transfer alive */
  GError *error;               /* the failure, if the certificate is no trusted one */
} Probe;

static void
certificate_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Probe *probe = user_data;
  Transfer *transfer = g_task_get_task_data (probe->task);
  g_autoptr (OcCertificate) certificate = oc_certificate_fetch_finish (result, NULL);
  GError *error = g_steal_pointer (&probe->error);

  if (transfer->task != NULL && certificate != NULL)
    {
      OcHttpClient *self = transfer->client;
      g_autofree char *key = g_strdup_printf ("%s:%u", oc_certificate_get_host (certificate),
                                              oc_certificate_get_port (certificate));
      g_autofree char *facts = describe_certificate (certificate);

      g_hash_table_replace (self->certificate_problems, g_steal_pointer (&key), oc_certificate_ref (certificate));
      if (learn_pin (self, certificate))
        {
          g_clear_error (&error);
          oc_http_client_restart (transfer);
        }
      else
        {
          GError *explained = g_error_new (error->domain, error->code, "%s\n%s", error->message, facts);
          g_error_free (error);
          error = explained;
        }
    }
  if (transfer->task != NULL && error != NULL)
    oc_http_client_complete (transfer, error);
  else
    g_clear_error (&error);
  g_object_unref (probe->task);
  g_free (probe);
}

/* Basic and forms login send the password itself: only over https, unless
 * the user allowed plain http for that server. (NTLM and Kerberos never
 * send the password, so they go over http too.) */
gboolean
oc_http_client_may_send_password (OcHttpClient *self,
                                  const char   *url)
{
  g_autofree char *host = NULL;

  if (g_str_has_prefix (url, "https:"))
    return TRUE;
  host = oc_http_client_dup_host (url);
  return host != NULL && g_hash_table_contains (self->http_sign_in_hosts, host);
}

/* Public API */

/**
 * oc_http_client_trust_host:
 * @self: a client
 * @host: a host name, such as the calendar's own server
 *
 * Lets the client send the user's Kerberos ticket and password to @host.
 */
void
oc_http_client_trust_host (OcHttpClient *self,
                           const char   *host)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_return_if_fail (host != NULL);
  g_hash_table_add (self->trusted_hosts, g_ascii_strdown (host, -1));
}

/**
 * oc_http_client_is_trusted_url:
 * @self: a client
 * @url: an http(s) URL
 *
 * Returns: whether a request to @url would carry the user's credentials
 */
gboolean
oc_http_client_is_trusted_url (OcHttpClient *self,
                               const char   *url)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (self), FALSE);
  host = oc_http_client_dup_host (url);
  if (host == NULL)
    return FALSE;
  if (g_hash_table_contains (self->trusted_hosts, host))
    return TRUE;
  for (char **domain = self->trusted_domains; domain != NULL && *domain != NULL; domain++)
    if (oc_trusted_domain_matches (*domain, url))
      return TRUE;
  return FALSE;
}

/**
 * oc_http_client_set_trusted_domains:
 * @self: a client
 * @domains: (nullable) (array zero-terminated=1): domains whose servers may
 *   get the user's credentials, besides the hosts given to
 *   oc_http_client_trust_host(); see oc_trusted_domain_matches()
 *
 * Replaces the list. Patterns that oc_trusted_domain_check() refuses are
 * ignored.
 */
void
oc_http_client_set_trusted_domains (OcHttpClient      *self,
                                    const char *const *domains)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  for (const char *const *domain = domains; domain != NULL && *domain != NULL; domain++)
    if (oc_trusted_domain_check (*domain, NULL))
      g_strv_builder_add (builder, *domain);
  g_strfreev (self->trusted_domains);
  self->trusted_domains = g_strv_builder_end (builder);
}

/**
 * oc_http_client_set_http_sign_in_hosts:
 * @self: a client
 * @hosts: (nullable) (array zero-terminated=1): host names
 *
 * Basic sign-in and OWA's forms login send the password itself, so owacal
 * sends them only over https, except to these hosts, which the user allowed
 * to get it over plain http. Replaces the list.
 */
void
oc_http_client_set_http_sign_in_hosts (OcHttpClient      *self,
                                       const char *const *hosts)
{
  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_hash_table_remove_all (self->http_sign_in_hosts);
  for (const char *const *host = hosts; host != NULL && *host != NULL; host++)
    g_hash_table_add (self->http_sign_in_hosts, g_ascii_strdown (*host, -1));
}

/* Certificates */

void
oc_http_client_init_trust (OcHttpClient *self)
{
  self->pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pin_free);
  self->certificate_problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) oc_certificate_unref);
}

void
oc_http_client_clear_trust (OcHttpClient *self)
{
  g_clear_pointer (&self->pins, g_hash_table_unref);
  g_clear_pointer (&self->certificate_problems, g_hash_table_unref);
}

/* Returns: (nullable): the public key the user trusted for @url's server */
const char *
oc_http_client_get_key_pin (OcHttpClient *self,
                            const char   *url)
{
  g_autofree char *key = NULL;
  Pin *pin;

  if (!g_str_has_prefix (url, "https:") || g_hash_table_size (self->pins) == 0)
    return NULL;
  key = dup_host_port (url);
  pin = key ? g_hash_table_lookup (self->pins, key) : NULL;
  return pin ? pin->public_key_pin : NULL;
}

/**
 * oc_http_client_check_certificate:
 * @transfer: a transfer that failed with @code
 * @code: how it failed
 * @verify_result: CURLINFO_SSL_VERIFYRESULT
 *
 * Returns: %TRUE if the failure was a refused certificate: the transfer
 *   waits while the certificate is read, then ends with an explanation (or
 *   starts again, if it was the certificate a pin expects)
 */
gboolean
oc_http_client_check_certificate (Transfer *transfer,
                                  CURLcode  code,
                                  long      verify_result)
{
  Probe *probe;

  if (transfer->certificate_read || !g_str_has_prefix (transfer->url, "https:") ||
      !oc_curl_error_is_certificate_problem (code, verify_result))
    return FALSE;
  transfer->certificate_read = TRUE;
  probe = g_new0 (Probe, 1);
  probe->task = g_object_ref (transfer->task);
  probe->error = oc_curl_error_new (transfer->url, code, transfer->error_buffer, verify_result);
  oc_certificate_fetch_async (transfer->url, transfer->proxy, transfer->proxy_credentials,
                              (guint) transfer->client->connect_timeout, NULL, certificate_read_cb, probe);
  return TRUE;
}

/**
 * oc_http_client_pin_certificate:
 * @self: a client
 * @host: a server's host name
 * @port: its port
 * @fingerprint: (nullable): the SHA-256 fingerprint of the certificate the
 *   user trusts for it ("AB:CD:…")
 * @public_key_pin: (nullable): that certificate's public key,
 *   "sha256//<base64>"; without it, it is learnt when the certificate with
 *   @fingerprint is first met
 *
 * Trusts one certificate for one server, besides the authorities: the
 * server must then hold that key, whoever signed its certificate. A server
 * with another certificate is refused, even one an authority vouches for.
 */
void
oc_http_client_pin_certificate (OcHttpClient *self,
                                const char   *host,
                                guint16       port,
                                const char   *fingerprint,
                                const char   *public_key_pin)
{
  Pin *pin;

  g_return_if_fail (OC_IS_HTTP_CLIENT (self));
  g_return_if_fail (host != NULL && (fingerprint != NULL || public_key_pin != NULL));

  pin = g_new0 (Pin, 1);
  pin->fingerprint = g_strdup (fingerprint);
  pin->public_key_pin = g_strdup (public_key_pin);
  g_hash_table_replace (self->pins, g_strdup_printf ("%s:%u", host, port), pin);
}

/**
 * oc_http_client_get_certificate_problem:
 * @self: a client
 * @url: an https URL
 *
 * Returns: (transfer full) (nullable): the certificate @url's server
 *   presented the last time the client refused it
 */
OcCertificate *
oc_http_client_get_certificate_problem (OcHttpClient *self,
                                        const char   *url)
{
  g_autofree char *key = NULL;
  OcCertificate *certificate;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (self), NULL);
  key = dup_host_port (url);
  certificate = key ? g_hash_table_lookup (self->certificate_problems, key) : NULL;
  return certificate ? oc_certificate_ref (certificate) : NULL;
}
