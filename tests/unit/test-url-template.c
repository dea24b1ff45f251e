/* URL templates: the last resort of the lookup. */
#include "config.h"

#include "oc-target.h"
#include "oc-url-template.h"

typedef struct {
  const char *url_template;
  const char *email;
  const char *expected;  /* NULL: an error */
} Row;

static const Row rows[] = {
  { "https://mail.example.com/owa/{email}/?cmd=contents&module=calendar", "alice@example.com",
    "https://mail.example.com/owa/alice@example.com/?cmd=contents&module=calendar" },
  { "https://mail.example.com/exchange/{local}/Calendar/", "alice.example@example.com",
    "https://mail.example.com/exchange/alice.example/Calendar/" },
  { "https://{domain}/owa/{local}@{domain}/", "bob@corp.example.com",
    "https://corp.example.com/owa/bob@corp.example.com/" },
  { "https://mail.example.com/owa/", "alice@example.com", "https://mail.example.com/owa/" },
  /* Characters legal in a local part that would change the URL's shape are encoded. */
  { "https://h/owa/{email}/?a=1", "a/b?c#d&e%f@example.com", "https://h/owa/a%2Fb%3Fc%23d%26e%25f@example.com/?a=1" },
  { "https://h/owa/{email}", "o'neil+cal@example.com", "https://h/owa/o%27neil%2Bcal@example.com" },
  { "https://h/{EMAIL}/", "alice@example.com", NULL },
  { "https://h/{mail}/", "alice@example.com", NULL },
  { "https://h/{email", "alice@example.com", NULL },
  { "https://h/{email}/", "not an address", NULL },
};

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = oc_url_template_expand (row->url_template, row->email, &error);

  g_assert_cmpstr (url, ==, row->expected);
  if (row->expected == NULL)
    g_assert_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID);
  else
    g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/url-template/row/%02" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &rows[i], test_row);
    }
  return g_test_run ();
}
