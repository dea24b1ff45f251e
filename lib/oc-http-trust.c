/* oc-http-trust.c: which servers the client trusts with what.
 *
 * Part of OcHttpClient. The user's credentials (Kerberos, NTLM, passwords,
 * forms logins) go only to trusted servers: hosts the application names
 * (the calendar's own) and the trusted domains. Passwords themselves (Basic,
 * OWA's form) need https as well, unless the user allowed a host plain http.
 */
#include "config.h"

#include "oc-http-client-private.h"
#include "oc-trusted-domain.h"

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
