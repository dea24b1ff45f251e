/* fuzz-http-response.c: a server's answer, as libcurl hands it over
 * (oc-http-response.c), and its headers as the web view gets them
 * (oc-scheme-bridge.c).
 *
 * Input: the status line, header lines, an empty line, the body. Holds: the
 * media type is lower case without parameters; a header handed to WebKit
 * holds no line break (no header of the page's own making); the answer is
 * judged (oc_http_response_check()) with an error or without. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-http-response.h"
#include "oc-scheme-bridge.h"

#define URL "https://mail.example.com/owa/"

FUZZ_INIT ()

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_iscntrl (*p))
      return TRUE;
  return FALSE;
}

static void
check_header_for_webkit (const char *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *mapped = NULL;

  if (colon == NULL)
    return;
  name = g_strndup (line, colon - line);
  value = g_strstrip (g_strdup (colon + 1));
  mapped = oc_scheme_bridge_map_response_header (name, value, URL);
  g_assert (mapped == NULL || strpbrk (mapped, "\r\n") == NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autoptr (OcHttpResponse) response = oc_http_response_new (URL);
  g_autoptr (GError) error = NULL;
  g_autofree char *type = NULL;
  char *body = strstr (text, "\n\n");
  g_auto (GStrv) lines = NULL;
  GPtrArray *headers;

  if (body != NULL)
    *body = '\0', body += 2;
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] != NULL)
    oc_http_response_take_status_line (response, lines[0]);
  for (guint i = lines[0] ? 1 : 0; lines[i] != NULL; i++)
    {
      oc_http_response_add_header_line (response, lines[i]);
      check_header_for_webkit (lines[i]);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      oc_http_response_set_body (response, bytes);
    }
  headers = oc_http_response_get_header_lines (response);
  (void) oc_http_auth_parse_challenges (headers);
  (void) oc_http_auth_parse_proxy_challenges (headers);
  (void) oc_http_response_get_auth_offered (response);
  (void) oc_http_response_get_header (response, "Location");
  (void) oc_http_response_get_status (response);
  (void) oc_http_response_get_reason (response);
  type = oc_http_response_dup_content_type (response);
  g_assert (type != NULL && strchr (type, ';') == NULL);
  for (const char *p = type; *p; p++)
    g_assert (!g_ascii_isupper (*p));
  if (!oc_http_response_check (response, &error))
    g_assert (error != NULL);
  /* WebKit's Origin and Access-Control-Request-Headers: WebKit makes them,
   * of URL and token characters, never with a control character. */
  if (lines[0] != NULL && lines[1] != NULL && !has_control (lines[0]) && !has_control (lines[1]))
    {
      g_autoptr (GPtrArray) cors = oc_scheme_bridge_cors_header_lines (lines[0], "POST", lines[1]);
      for (guint i = 0; i < cors->len; i++)
        g_assert (strpbrk (g_ptr_array_index (cors, i), "\r\n") == NULL);
    }
  return 0;
}
