/* fuzz-cookie.c: what a page's script assigns to document.cookie, and the jar
 * it reads back (oc-cookie-jar.c).
 *
 * Input: the page's URL, then the assignment, then jar lines. Holds: a line
 * made for the jar is one line of the seven Netscape fields. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-cookie-jar.h"

#define NOW 1800000000

FUZZ_INIT ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto (GStrv) fields = fuzz_fields (data, size, -1);
  const char *url = fuzz_field (fields, 0);
  const char *assignment = fuzz_field (fields, 1);
  const char *const *jar = g_strv_length (fields) > 2 ? (const char *const *) fields + 2 : NULL;
  g_autofree char *line = oc_cookie_jar_line_from_document (url, assignment, jar, NOW);
  g_autofree char *cookie = oc_cookie_jar_document_cookie (jar, url, NOW);
  g_autofree char *https = g_strconcat ("https://", url, NULL);
  g_autofree char *from_https = oc_cookie_jar_line_from_document (https, assignment, jar, NOW);

  const char *made_lines[] = { line, from_https };

  for (gsize i = 0; i < G_N_ELEMENTS (made_lines); i++)
    {
      const char *made = made_lines[i];
      g_auto (GStrv) parts = NULL;

      if (made == NULL)
        continue;
      parts = g_strsplit (made, "\t", -1);

      g_assert (strpbrk (made, "\r\n") == NULL);
      g_assert_cmpuint (g_strv_length (parts), ==, 7);
    }
  /* What a script reads may hold what the jar holds; it is a JavaScript string. */
  g_assert (cookie != NULL);
  return 0;
}
