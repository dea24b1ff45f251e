/* oc-scheme-bridge.c: the web view's custom URI scheme, mapped onto HTTP.
 *
 * The rules come from what WebKitGTK 2.50 does with a custom scheme: it sends
 * its own User-Agent, Origin and Referer in the custom scheme, never a Cookie
 * header, and ignores Set-Cookie and 3xx answers. So requests are cleaned up
 * on the way out, and answers on the way back (Location and CORS headers move
 * into the custom scheme; length and encoding headers go, curl has decoded).
 */
#include "config.h"
#include "oc-scheme-bridge.h"

#include <string.h>

static const char *
strip_prefix (const char *text,
              const char *prefix)
{
  gsize len = strlen (prefix);

  return g_ascii_strncasecmp (text, prefix, len) == 0 ? text + len : NULL;
}

/**
 * oc_scheme_bridge_to_web_url:
 * @routed_url: a URL such as "owacal-https://host/path"
 *
 * Returns: (transfer full) (nullable): "https://host/path", or %NULL if
 *   @routed_url is not in one of owacal's schemes
 */
char *
oc_scheme_bridge_to_web_url (const char *routed_url)
{
  const char *rest;

  g_return_val_if_fail (routed_url != NULL, NULL);

  if ((rest = strip_prefix (routed_url, OC_ROUTED_SCHEME_HTTPS ":")) != NULL)
    return g_strconcat ("https:", rest, NULL);
  if ((rest = strip_prefix (routed_url, OC_ROUTED_SCHEME_HTTP ":")) != NULL)
    return g_strconcat ("http:", rest, NULL);
  return NULL;
}

/**
 * oc_scheme_bridge_to_routed_url:
 * @web_url: an http or https URL
 *
 * Returns: (transfer full) (nullable): the same URL in owacal's scheme, or
 *   %NULL if @web_url is not http(s)
 */
char *
oc_scheme_bridge_to_routed_url (const char *web_url)
{
  const char *rest;

  g_return_val_if_fail (web_url != NULL, NULL);

  if ((rest = strip_prefix (web_url, "https:")) != NULL)
    return g_strconcat (OC_ROUTED_SCHEME_HTTPS ":", rest, NULL);
  if ((rest = strip_prefix (web_url, "http:")) != NULL)
    return g_strconcat (OC_ROUTED_SCHEME_HTTP ":", rest, NULL);
  return NULL;
}

gboolean
oc_scheme_bridge_is_routed_url (const char *url)
{
  g_return_val_if_fail (url != NULL, FALSE);
  return strip_prefix (url, OC_ROUTED_SCHEME_HTTPS ":") != NULL ||
         strip_prefix (url, OC_ROUTED_SCHEME_HTTP ":") != NULL;
}

/**
 * oc_scheme_bridge_is_bridge_path:
 * @routed_url: a routed URL
 *
 * Returns: whether the URL names owacal's own reserved path on the site
 *   (the cookie bridge), which is never sent to the server
 */
gboolean
oc_scheme_bridge_is_bridge_path (const char *routed_url)
{
  g_autoptr (GUri) uri = g_uri_parse (routed_url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_str_has_prefix (g_uri_get_path (uri), OC_BRIDGE_PATH_PREFIX);
}

/**
 * oc_scheme_bridge_add_request_header:
 * @request: the request to the real server
 * @name: a header WebKit sent to the scheme handler
 * @value: its value
 *
 * Adds the header to @request unless it is one that libcurl must own (Host,
 * lengths, encodings, cookies, credentials) or that would leak the custom
 * scheme to the server (Origin and Referer are mapped back to http(s)).
 */
void
oc_scheme_bridge_add_request_header (OcHttpRequest *request,
                                     const char    *name,
                                     const char    *value)
{
  static const char *const dropped[] = {
    "Host", "Cookie", "Cookie2", "Accept-Encoding", "Content-Length", "Transfer-Encoding",
    "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Upgrade", "Expect",
    "User-Agent", "Authorization", "Proxy-Authorization",
  };

  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (dropped); i++)
    if (g_ascii_strcasecmp (name, dropped[i]) == 0)
      return;

  if (g_ascii_strcasecmp (name, "Origin") == 0 || g_ascii_strcasecmp (name, "Referer") == 0)
    {
      g_autofree char *mapped = oc_scheme_bridge_to_web_url (value);
      /* An opaque origin ("null") stays as it is. */
      oc_http_request_add_header (request, name, mapped ? mapped : value);
      return;
    }
  oc_http_request_add_header (request, name, value);
}

/* RFC 9110's token: what a header name may hold. */
static gboolean
is_token (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A control character other than a tab, in a header value. */
static gboolean
has_control (const char *value)
{
  for (const char *p = value; *p; p++)
    if ((g_ascii_iscntrl (*p) && *p != '\t'))
      return TRUE;
  return FALSE;
}

/**
 * oc_scheme_bridge_map_response_header:
 * @name: a header of the server's answer
 * @value: its value
 * @web_url: the http(s) URL that answered
 *
 * Returns: (transfer full) (nullable): the value to give WebKit, or %NULL to drop the header
 */
char *
oc_scheme_bridge_map_response_header (const char *name,
                                      const char *value,
                                      const char *web_url)
{
  static const char *const dropped[] = {
    "Content-Length", "Content-Encoding", "Transfer-Encoding", "Connection", "Keep-Alive",
    "Set-Cookie", "Set-Cookie2", "Strict-Transport-Security", "Alt-Svc",
    "WWW-Authenticate", "Proxy-Authenticate", "Public-Key-Pins",
    /* A policy naming https: sources would block the same sources once they
     * are loaded through owacal's scheme. */
    "Content-Security-Policy", "Content-Security-Policy-Report-Only",
  };

  g_return_val_if_fail (name != NULL && value != NULL, NULL);

  /* libsoup, which holds WebKit's headers, refuses such a header with a
   * warning; a bare CR inside a server's line reaches us as it came. */
  if (!is_token (name) || has_control (value))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (dropped); i++)
    if (g_ascii_strcasecmp (name, dropped[i]) == 0)
      return NULL;

  if (g_ascii_strcasecmp (name, "Location") == 0 || g_ascii_strcasecmp (name, "Content-Location") == 0)
    {
      /* Only a relative reference is resolved: GLib 2.74 resolving an absolute
       * one such as "s:/.//a" fails an assertion (a critical) in g_uri_join(). */
      g_autofree char *scheme = g_uri_parse_scheme (value);
      g_autofree char *absolute = web_url && scheme == NULL
                                  ? g_uri_resolve_relative (web_url, value, G_URI_FLAGS_ENCODED, NULL)
                                  : g_strdup (value);
      char *routed = absolute ? oc_scheme_bridge_to_routed_url (absolute) : NULL;
      return routed ? routed : g_strdup (value);
    }
  if (g_ascii_strcasecmp (name, "Access-Control-Allow-Origin") == 0)
    {
      char *routed = oc_scheme_bridge_to_routed_url (value);
      return routed ? routed : g_strdup (value);
    }
  return g_strdup (value);
}

static char *
dup_host_and_port (const char *url)
{
  g_autofree char *web = oc_scheme_bridge_to_web_url (url);
  g_autoptr (GUri) uri = g_uri_parse (web ? web : url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
}

/**
 * oc_scheme_bridge_is_same_site_origin:
 * @origin: an Origin header as WebKit sent it
 * @routed_url: the URL it asks for
 *
 * A page's script that fetches an absolute http(s) URL of its own site is
 * routed into owacal's scheme by the web extension; WebKit then treats it as a
 * cross-origin request. Only those get CORS permission, not other sites.
 *
 * Returns: whether @origin is the site of @routed_url
 */
gboolean
oc_scheme_bridge_is_same_site_origin (const char *origin,
                                      const char *routed_url)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (origin == NULL || routed_url == NULL)
    return FALSE;
  a = dup_host_and_port (origin);
  b = dup_host_and_port (routed_url);
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

/**
 * oc_scheme_bridge_cors_header_lines:
 * @origin: the Origin header WebKit sent
 * @request_method: (nullable): Access-Control-Request-Method of a preflight
 * @request_headers: (nullable): Access-Control-Request-Headers of a preflight
 *
 * Returns: (transfer full) (element-type utf8): "Name: value" lines granting
 *   @origin access with credentials
 */
GPtrArray *
oc_scheme_bridge_cors_header_lines (const char *origin,
                                    const char *request_method,
                                    const char *request_headers)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (origin != NULL, lines);

  g_ptr_array_add (lines, g_strdup_printf ("Access-Control-Allow-Origin: %s", origin));
  g_ptr_array_add (lines, g_strdup ("Access-Control-Allow-Credentials: true"));
  g_ptr_array_add (lines, g_strdup ("Vary: Origin"));
  if (request_method != NULL)
    {
      g_ptr_array_add (lines, g_strdup_printf ("Access-Control-Allow-Methods: %s", request_method));
      if (request_headers != NULL && *request_headers != '\0')
        g_ptr_array_add (lines, g_strdup_printf ("Access-Control-Allow-Headers: %s", request_headers));
      g_ptr_array_add (lines, g_strdup ("Access-Control-Max-Age: 600"));
    }
  return lines;
}
