/* oc-trusted-domain.c: which servers the user trusts with their sign-in.
 *
 * Besides the calendar's own server, the user may trust whole domains, the
 * way Firefox's network.negotiate-auth.trusted-uris does: "example.com"
 * trusts example.com and every server below it (mail.example.com), but not
 * badexample.com. A leading "." or "*." means the same. A scheme in front
 * ("https://example.com") trusts only that scheme. An IP address trusts
 * exactly that address: "0.0.1" must not trust 127.0.0.1.
 */
#include "config.h"
#include "oc-trusted-domain.h"

#include <string.h>
#include <gio/gio.h>

#include "oc-http-error.h"

/* Splits a pattern into an optional scheme and a lower-case domain. */
static char *
dup_domain (const char  *pattern,
            char       **out_scheme)
{
  const char *p = pattern;
  const char *sep = strstr (p, "://");
  g_autofree char *domain = NULL;

  *out_scheme = NULL;
  if (sep != NULL)
    {
      *out_scheme = g_ascii_strdown (p, sep - p);
      p = sep + 3;
    }
  if (g_str_has_prefix (p, "*."))
    p += 2;
  else if (*p == '.')
    p++;
  domain = g_ascii_strdown (p, -1);
  /* "https://example.com/" and "example.com." name the same domain. */
  while (*domain != '\0' && (domain[strlen (domain) - 1] == '/' || domain[strlen (domain) - 1] == '.'))
    domain[strlen (domain) - 1] = '\0';
  return g_steal_pointer (&domain);
}

/**
 * oc_trusted_domain_check:
 * @pattern: a trusted domain as the user wrote it
 * @error: return location for a #GError
 *
 * Returns: whether @pattern is a domain owacal can match ("example.com",
 *   ".example.com", "https://example.com"); top-level domains alone and
 *   empty patterns are refused, as they would trust half the internet
 */
gboolean
oc_trusted_domain_check (const char  *pattern,
                         GError     **error)
{
  g_autofree char *scheme = NULL;
  g_autofree char *domain = dup_domain (pattern, &scheme);

  if (scheme != NULL && !g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_REFUSED_REQUEST,
                   "“%s” is not a trusted domain: only http:// and https:// can be trusted", pattern);
      return FALSE;
    }
  if (*domain == '\0' || strpbrk (domain, "/?#@ \t*") != NULL ||
      (strchr (domain, '.') == NULL && !g_str_equal (domain, "localhost") &&
       !g_hostname_is_ip_address (domain)))
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_REFUSED_REQUEST,
                   "“%s” is not a trusted domain: give a domain such as example.com", pattern);
      return FALSE;
    }
  return TRUE;
}

/**
 * oc_trusted_domain_matches:
 * @pattern: a trusted domain (see oc_trusted_domain_check())
 * @url: an http(s) URL
 *
 * Returns: whether @url's server lies in @pattern's domain
 */
gboolean
oc_trusted_domain_matches (const char *pattern,
                           const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *scheme = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *host = NULL;
  gsize host_len, domain_len;

  if (uri == NULL || g_uri_get_host (uri) == NULL || !oc_trusted_domain_check (pattern, NULL))
    return FALSE;
  domain = dup_domain (pattern, &scheme);
  if (scheme != NULL && g_ascii_strcasecmp (scheme, g_uri_get_scheme (uri)) != 0)
    return FALSE;
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (g_str_equal (host, domain))
    return TRUE;
  if (g_hostname_is_ip_address (host))
    return FALSE;
  host_len = strlen (host);
  domain_len = strlen (domain);
  return host_len > domain_len && host[host_len - domain_len - 1] == '.' &&
         g_str_equal (host + host_len - domain_len, domain);
}
