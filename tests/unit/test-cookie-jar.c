/* document.cookie answered from libcurl's jar, and written back to it. */
#include "config.h"

#include "oc-cookie-jar.h"

#define NOW 1800000000

static const char *const jar[] = {
  "mail.example.com\tFALSE\t/\tFALSE\t0\tX-OWA-CANARY\tcanary1",
  "#HttpOnly_mail.example.com\tFALSE\t/\tFALSE\t0\tcadata\tsecret",
  ".example.com\tTRUE\t/\tFALSE\t0\tdomainwide\tyes",
  "mail.example.com\tFALSE\t/owa\tFALSE\t0\tdeep\tpath",
  "mail.example.com\tFALSE\t/\tTRUE\t0\tsecureonly\ts",
  "mail.example.com\tFALSE\t/\tFALSE\t1700000000\texpired\tx",
  "mail.example.com\tFALSE\t/\tFALSE\t1900000000\tlater\tl",
  "other.example.org\tFALSE\t/\tFALSE\t0\tforeign\tf",
  "notexample.com\tFALSE\t/\tFALSE\t0\tlookalike\tl",
  "mail.example.com\tFALSE\t/owa2\tFALSE\t0\tsibling\tp",
  /* An empty path matches nothing (found by fuzz-cookie: it was read before its start). */
  "mail.example.com\tFALSE\t\tFALSE\t0\tnopath\tn",
  "# a comment line",
  NULL,
};

static void
test_read (void)
{
  static const struct { const char *url; const char *expected; } rows[] = {
    { "https://mail.example.com/owa/", "deep=path; X-OWA-CANARY=canary1; domainwide=yes; secureonly=s; later=l" },
    { "http://mail.example.com/owa/x", "deep=path; X-OWA-CANARY=canary1; domainwide=yes; later=l" },
    { "http://mail.example.com/", "X-OWA-CANARY=canary1; domainwide=yes; later=l" },
    { "http://mail.example.com/owa", "deep=path; X-OWA-CANARY=canary1; domainwide=yes; later=l" },
    { "http://www.example.com/", "domainwide=yes" },
    { "http://example.com/", "domainwide=yes" },
    { "http://other.example.org/", "foreign=f" },
    { "http://unknown.test/", "" },
    { "not a url", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *cookie = oc_cookie_jar_document_cookie (jar, rows[i].url, NOW);
      g_assert_cmpstr (cookie, ==, rows[i].expected);
    }
}

static void
test_write (void)
{
  static const struct { const char *url, *assignment, *expected; } rows[] = {
    { "http://mail.example.com/owa/page", "a=1", "mail.example.com\tFALSE\t/owa\tFALSE\t0\ta\t1" },
    { "http://mail.example.com/page", " a = 1 ; path=/", "mail.example.com\tFALSE\t/\tFALSE\t0\ta\t1" },
    { "http://mail.example.com/", "a=1; max-age=60", "mail.example.com\tFALSE\t/\tFALSE\t1800000060\ta\t1" },
    { "http://mail.example.com/", "a=; max-age=0", "mail.example.com\tFALSE\t/\tFALSE\t1\ta\t" },
    /* Past the year 9999 (found by fuzz-cookie: now + max-age overflowed) */
    { "http://mail.example.com/", "a=1; max-age=9223372036854775807",
      "mail.example.com\tFALSE\t/\tFALSE\t253402300799\ta\t1" },
    { "http://mail.example.com/", "a=1; expires=Thu, 01 Jan 2037 00:00:00 GMT",
      "mail.example.com\tFALSE\t/\tFALSE\t2114380800\ta\t1" },
    { "http://mail.example.com/", "a=1; expires=Thu, 01 Jan 1970 00:00:01 GMT",
      "mail.example.com\tFALSE\t/\tFALSE\t1\ta\t1" },
    { "http://mail.example.com/", "a=1; domain=.example.com", ".example.com\tTRUE\t/\tFALSE\t0\ta\t1" },
    { "https://mail.example.com/", "a=1; secure", "mail.example.com\tFALSE\t/\tTRUE\t0\ta\t1" },
    { "http://mail.example.com/", "a=1; SameSite=Lax", "mail.example.com\tFALSE\t/\tFALSE\t0\ta\t1" },
    /* Refused as browsers refuse them */
    { "http://mail.example.com/", "a=1; domain=other.org", NULL },
    { "http://mail.example.com/", "a=1; domain=com", NULL },
    { "http://mail.example.com/", "a=1; secure", NULL },
    { "http://mail.example.com/", "cadata=forged; path=/", NULL },
    { "http://mail.example.com/", "a=1\tb", NULL },
    /* A page's URL whose host or path GUri keeps a tab in (found by fuzz-cookie) */
    { "https://mail.example.com\t/owa/page", "a=1", NULL },
    { "https://mail.example.com/o\twa/page", "a=1", NULL },
    /* Nothing to set: browsers ignore a cookie without name and value (RFC 6265bis 5.6, step 6) */
    { "http://mail.example.com/", "", NULL },
    { "http://mail.example.com/", "   ", NULL },
    { "http://mail.example.com/", "=", NULL },
    { "http://mail.example.com/", "; path=/", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *line = oc_cookie_jar_line_from_document (rows[i].url, rows[i].assignment, jar, NOW);
      g_assert_cmpstr (line, ==, rows[i].expected);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/cookie-jar/read", test_read);
  g_test_add_func ("/oc/cookie-jar/write", test_write);
  return g_test_run ();
}
