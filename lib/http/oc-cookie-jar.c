/* oc-cookie-jar.c: document.cookie, answered from libcurl's cookie jar.
 *
 * On a custom URI scheme WebKit keeps no cookies: document.cookie reads ""
 * and writes vanish. OWA's scripts read the X-OWA-CANARY cookie and send it
 * back as a header, so owacal answers document.cookie itself from the jar
 * that libcurl keeps for the real site, with the rules of RFC 6265 section
 * 5.4: host or domain match, path match, Secure only over https, HttpOnly
 * never, expired never. libcurl's jar speaks the Netscape cookie-file format:
 *   domain \t include-subdomains \t path \t secure \t expires \t name \t value
 */
#include "config.h"
#include "oc-cookie-jar.h"

#include <string.h>
#include <curl/curl.h>

#define HTTP_ONLY_PREFIX "#HttpOnly_"

typedef struct {
  gboolean http_only;
  char *domain;           /* without a leading dot */
  gboolean subdomains;
  char *path;
  gboolean secure;
  gint64 expires;         /* 0 for a session cookie */
  char *name;
  char *value;
} Cookie;

static void
cookie_clear (Cookie *cookie)
{
  g_free (cookie->domain);
  g_free (cookie->path);
  g_free (cookie->name);
  g_free (cookie->value);
}

static gboolean
parse_jar_line (const char *line,
                Cookie     *out)
{
  g_auto (GStrv) fields = NULL;
  const char *domain;

  memset (out, 0, sizeof *out);
  if (g_str_has_prefix (line, HTTP_ONLY_PREFIX))
    {
      out->http_only = TRUE;
      line += strlen (HTTP_ONLY_PREFIX);
    }
  else if (line[0] == '#')
    return FALSE;

  fields = g_strsplit (line, "\t", 7);
  if (g_strv_length (fields) != 7)
    return FALSE;
  domain = fields[0];
  while (*domain == '.')
    domain++;
  out->domain = g_ascii_strdown (domain, -1);
  out->subdomains = g_ascii_strcasecmp (fields[1], "TRUE") == 0;
  out->path = g_strdup (fields[2]);
  out->secure = g_ascii_strcasecmp (fields[3], "TRUE") == 0;
  out->expires = g_ascii_strtoll (fields[4], NULL, 10);
  out->name = g_strdup (fields[5]);
  out->value = g_strdup (fields[6]);
  return TRUE;
}

static gboolean
domain_matches (const Cookie *cookie,
                const char   *host)
{
  gsize host_len = strlen (host);
  gsize domain_len = strlen (cookie->domain);

  if (g_ascii_strcasecmp (host, cookie->domain) == 0)
    return TRUE;
  if (!cookie->subdomains || host_len <= domain_len)
    return FALSE;
  return host[host_len - domain_len - 1] == '.' &&
         g_ascii_strcasecmp (host + host_len - domain_len, cookie->domain) == 0;
}

static gboolean
path_matches (const char *cookie_path,
              const char *request_path)
{
  gsize len = strlen (cookie_path);

  /* A jar line's path comes from a server's Set-Cookie: it may be empty. */
  if (len == 0)
    return FALSE;
  if (g_str_equal (cookie_path, request_path))
    return TRUE;
  if (strncmp (cookie_path, request_path, len) != 0)
    return FALSE;
  return cookie_path[len - 1] == '/' || request_path[len] == '/';
}

static int
compare_path_length_desc (gconstpointer a,
                          gconstpointer b)
{
  const Cookie *ca = a;
  const Cookie *cb = b;

  return (int) strlen (cb->path) - (int) strlen (ca->path);
}

/**
 * oc_cookie_jar_document_cookie:
 * @jar_lines: (array zero-terminated=1): the jar, as oc_http_client_dup_cookie_lines() gives it
 * @web_url: the document's http(s) URL
 * @now: the current time, in seconds since the epoch
 *
 * Returns: (transfer full): what document.cookie reads for @web_url ("a=1; b=2")
 */
char *
oc_cookie_jar_document_cookie (const char *const *jar_lines,
                               const char        *web_url,
                               gint64             now)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GArray) matches = NULL;
  g_autoptr (GString) result = g_string_new (NULL);
  gboolean https;
  const char *path;

  g_return_val_if_fail (web_url != NULL, NULL);

  uri = g_uri_parse (web_url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || jar_lines == NULL)
    return g_strdup ("");
  https = g_str_equal (g_uri_get_scheme (uri), "https");
  path = *g_uri_get_path (uri) ? g_uri_get_path (uri) : "/";

  matches = g_array_new (FALSE, FALSE, sizeof (Cookie));
  g_array_set_clear_func (matches, (GDestroyNotify) cookie_clear);
  for (const char *const *line = jar_lines; *line; line++)
    {
      Cookie cookie;

      if (!parse_jar_line (*line, &cookie))
        continue;
      if (cookie.http_only || (cookie.secure && !https) ||
          (cookie.expires != 0 && cookie.expires <= now) ||
          !domain_matches (&cookie, g_uri_get_host (uri)) || !path_matches (cookie.path, path))
        {
          cookie_clear (&cookie);
          continue;
        }
      g_array_append_val (matches, cookie);
    }

  /* RFC 6265: longer paths first; the sort is stable, so equal paths keep the jar's order. */
  g_array_sort (matches, compare_path_length_desc);
  for (guint i = 0; i < matches->len; i++)
    {
      const Cookie *cookie = &g_array_index (matches, Cookie, i);
      if (result->len > 0)
        g_string_append (result, "; ");
      if (*cookie->name != '\0')
        g_string_append_printf (result, "%s=%s", cookie->name, cookie->value);
      else
        g_string_append (result, cookie->value);
    }
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static char *
default_path (const char *request_path)
{
  const char *last_slash = strrchr (request_path, '/');

  if (request_path[0] != '/' || last_slash == request_path)
    return g_strdup ("/");
  return g_strndup (request_path, last_slash - request_path);
}

static gboolean
is_shadowing_http_only (const char *const *jar_lines,
                        const char        *name,
                        const char        *domain,
                        const char        *path)
{
  for (const char *const *line = jar_lines; line && *line; line++)
    {
      Cookie cookie;
      gboolean shadows;

      if (!g_str_has_prefix (*line, HTTP_ONLY_PREFIX) || !parse_jar_line (*line, &cookie))
        continue;
      shadows = g_str_equal (cookie.name, name) && g_ascii_strcasecmp (cookie.domain, domain) == 0 &&
                g_str_equal (cookie.path, path);
      cookie_clear (&cookie);
      if (shadows)
        return TRUE;
    }
  return FALSE;
}

/**
 * oc_cookie_jar_line_from_document:
 * @web_url: the document's http(s) URL
 * @assignment: what the script assigned to document.cookie ("a=1; path=/; max-age=60")
 * @jar_lines: (array zero-terminated=1) (nullable): the current jar
 * @now: the current time, in seconds since the epoch
 *
 * Returns: (transfer full) (nullable): the cookie as a Netscape cookie-file
 *   line for the jar, or %NULL if a browser would ignore the assignment
 *   (nothing assigned, a foreign domain, a Secure cookie from http, overwriting an
 *   HttpOnly cookie)
 */
char *
oc_cookie_jar_line_from_document (const char        *web_url,
                                  const char        *assignment,
                                  const char *const *jar_lines,
                                  gint64             now)
{
  g_autoptr (GUri) uri = NULL;
  g_auto (GStrv) parts = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *path = NULL;
  const char *host;
  gboolean subdomains = FALSE;
  gboolean secure = FALSE;
  gboolean have_max_age = FALSE;
  gint64 expires = 0;
  char *eq;

  g_return_val_if_fail (web_url != NULL && assignment != NULL, NULL);

  uri = g_uri_parse (web_url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  /* A tab or line break would split the jar's line: in the assignment, and in
   * a host or path that GUri took as it was. */
  if (uri == NULL || g_uri_get_host (uri) == NULL || strpbrk (assignment, "\t\r\n") != NULL ||
      strpbrk (web_url, "\t\r\n") != NULL)
    return NULL;
  host = g_uri_get_host (uri);

  /* g_strsplit() gives an empty vector for "": document.cookie = "" must not
   * reach parts[0]. */
  parts = g_strsplit (assignment, ";", -1);
  if (parts[0] == NULL)
    return NULL;
  eq = strchr (parts[0], '=');
  name = g_strstrip (eq ? g_strndup (parts[0], eq - parts[0]) : g_strdup (""));
  value = g_strstrip (g_strdup (eq ? eq + 1 : parts[0]));
  /* A browser ignores a cookie without name and value (RFC 6265bis 5.6, step 6). */
  if (*name == '\0' && *value == '\0')
    return NULL;

  for (char **attr = parts + 1; *attr; attr++)
    {
      g_autofree char *key = NULL;
      const char *val;

      eq = strchr (*attr, '=');
      key = g_strstrip (eq ? g_strndup (*attr, eq - *attr) : g_strdup (*attr));
      val = eq ? g_strstrip (eq + 1) : "";
      if (g_ascii_strcasecmp (key, "secure") == 0)
        secure = TRUE;
      else if (g_ascii_strcasecmp (key, "path") == 0 && val[0] == '/')
        {
          g_free (path);
          path = g_strdup (val);
        }
      else if (g_ascii_strcasecmp (key, "domain") == 0 && *val != '\0')
        {
          while (*val == '.')
            val++;
          g_free (domain);
          domain = g_ascii_strdown (val, -1);
        }
      else if (g_ascii_strcasecmp (key, "max-age") == 0)
        {
          gint64 seconds = g_ascii_strtoll (val, NULL, 10);
          have_max_age = TRUE;
          /* 1 is "long ago": libcurl drops a cookie whose expiry has passed.
           * A page's script may say any number: no overflow past year 9999. */
          seconds = MIN (seconds, (gint64) 253402300799 - now);
          expires = seconds > 0 ? now + seconds : 1;
        }
      else if (g_ascii_strcasecmp (key, "expires") == 0 && !have_max_age)
        {
          time_t when = curl_getdate (val, NULL);
          if (when != -1)
            expires = when > 0 && when <= now ? 1 : (gint64) when;
        }
    }

  if (secure && !g_str_equal (g_uri_get_scheme (uri), "https"))
    return NULL;
  if (domain != NULL)
    {
      gsize host_len = strlen (host), domain_len = strlen (domain);
      gboolean matches = g_ascii_strcasecmp (host, domain) == 0 ||
                         (host_len > domain_len && host[host_len - domain_len - 1] == '.' &&
                          g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0);
      /* A single-label domain ("com") is a public suffix: refuse it. */
      if (!matches || strchr (domain, '.') == NULL)
        return NULL;
      subdomains = TRUE;
    }
  else
    {
      domain = g_ascii_strdown (host, -1);
    }
  if (path == NULL)
    path = default_path (*g_uri_get_path (uri) ? g_uri_get_path (uri) : "/");
  if (is_shadowing_http_only (jar_lines, name, domain, path))
    return NULL;

  return g_strdup_printf ("%s%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s",
                          subdomains ? "." : "", domain, subdomains ? "TRUE" : "FALSE", path,
                          secure ? "TRUE" : "FALSE", expires, name, value);
}
