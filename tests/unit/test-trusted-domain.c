/* Trusted domains: which servers get the user's sign-in besides the calendar's own. */
#include "config.h"

#include "oc-trusted-domain.h"

static void
test_matches (void)
{
  static const struct { const char *pattern; const char *url; gboolean expected; } rows[] = {
    { "example.com", "https://example.com/owa/", TRUE },
    { "example.com", "https://mail.example.com/owa/", TRUE },
    { "example.com", "http://a.b.example.com:8080/x", TRUE },
    { "Example.COM", "https://MAIL.example.com/", TRUE },
    { ".example.com", "https://mail.example.com/", TRUE },
    { "*.example.com", "https://mail.example.com/", TRUE },
    { "example.com.", "https://mail.example.com/", TRUE },
    { "example.com", "https://badexample.com/", FALSE },
    { "example.com", "https://example.com.evil.net/", FALSE },
    { "mail.example.com", "https://example.com/", FALSE },
    { "https://example.com", "https://mail.example.com/", TRUE },
    { "https://example.com/", "https://mail.example.com/", TRUE },
    { "https://example.com", "http://mail.example.com/", FALSE },
    { "localhost", "http://localhost:2000/", TRUE },
    { "127.0.0.1", "http://127.0.0.1:2000/", TRUE },
    { "0.0.1", "http://127.0.0.1/", FALSE },
    { "0.1", "http://127.0.0.1/", FALSE },
    { "com", "https://example.com/", FALSE },
    { "", "https://example.com/", FALSE },
    { "example.com", "not a url", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    if (oc_trusted_domain_matches (rows[i].pattern, rows[i].url) != rows[i].expected)
      g_error ("“%s” vs %s: expected %s", rows[i].pattern, rows[i].url, rows[i].expected ? "a match" : "none");
}

static void
test_check (void)
{
  static const struct { const char *pattern; gboolean valid; } rows[] = {
    { "example.com", TRUE },
    { ".example.com", TRUE },
    { "https://example.com", TRUE },
    { "localhost", TRUE },
    { "10.1.2.3", TRUE },
    { "com", FALSE },
    { "*", FALSE },
    { "", FALSE },
    { "ftp://example.com", FALSE },
    { "example.com/path", FALSE },
    { "user@example.com", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean valid = oc_trusted_domain_check (rows[i].pattern, &error);

      if (valid != rows[i].valid)
        g_error ("“%s” should be %s", rows[i].pattern, rows[i].valid ? "valid" : "refused");
      if (!valid)
        g_assert_nonnull (error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/trusted-domain/matches", test_matches);
  g_test_add_func ("/oc/trusted-domain/check", test_check);
  return g_test_run ();
}
