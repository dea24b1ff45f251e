/* prefs.js and user.js: Mozilla's preference grammar, good and bad lines. */
#include "config.h"

#include "oc-prefs.h"

#include <glib/gstdio.h>

#include "tb-fixture.h"

typedef struct {
  const char *text;
  const char *name;
  const char *string;     /* expected string value, or NULL */
  int kind;               /* 's', 'i', 'b', or 0: the name must not be set */
  int number;             /* the int or bool */
} Row;

static const Row rows[] = {
  { "user_pref(\"a.b\", \"plain\");", "a.b", "plain", 's' },
  { "user_pref(\"a.b\", \"quote \\\" and backslash \\\\\");", "a.b", "quote \" and backslash \\", 's' },
  { "user_pref('a.b', 'single \\' quotes');", "a.b", "single ' quotes", 's' },
  { "user_pref(\"a.b\", \"tab\\there\\nline\");", "a.b", "tab\there\nline", 's' },
  { "user_pref(\"a.b\", \"\\x41\\u00e9\\u20ac\");", "a.b", "Aé€", 's' },
  { "user_pref(\"a.b\", \"\\ud83d\\ude00\");", "a.b", "😀", 's' },
  { "user_pref(\"a.b\", \"Zürich\");", "a.b", "Zürich", 's' },
  { "user_pref(\"a.b\", \"\");", "a.b", "", 's' },
  { "user_pref(\"a.b\", 100);", "a.b", NULL, 'i', 100 },
  { "user_pref(\"a.b\", -7);", "a.b", NULL, 'i', -7 },
  { "user_pref(\"a.b\", +7);", "a.b", NULL, 'i', 7 },
  { "user_pref(\"a.b\", true);", "a.b", NULL, 'b', TRUE },
  { "user_pref(\"a.b\", false);", "a.b", NULL, 'b', FALSE },
  { "  user_pref ( \"a.b\" ,\n 3 ) ;  ", "a.b", NULL, 'i', 3 },
  { "pref(\"a.b\", 5, locked);", "a.b", NULL, 'i', 5 },
  { "sticky_pref(\"a.b\", \"s\");", "a.b", "s", 's' },
  { "// user_pref(\"a.b\", 1);\n", "a.b", NULL, 0 },
  { "# user_pref(\"a.b\", 1);\n", "a.b", NULL, 0 },
  { "/* user_pref(\"a.b\", 1); */", "a.b", NULL, 0 },
  { "\xEF\xBB\xBFuser_pref(\"a.b\", 1);", "a.b", NULL, 'i', 1 },
  /* Later lines win, as in Mozilla. */
  { "user_pref(\"a.b\", 1);\nuser_pref(\"a.b\", 2);", "a.b", NULL, 'i', 2 },
  /* Bad statements cost themselves only. */
  { "user_pref(\"a.b\", nonsense);\nuser_pref(\"c\", 1);", "a.b", NULL, 0 },
  { "user_pref(\"x\", nonsense);\nuser_pref(\"a.b\", 4);", "a.b", NULL, 'i', 4 },
  { "user_pref(\"a.b\", \"unterminated);", "a.b", NULL, 0 },
  { "user_pref(\"a.b\", \"bad \\q escape\");", "a.b", NULL, 0 },
  { "user_pref(\"a.b\", 99999999999);", "a.b", NULL, 0 },
  { "user_pref(\"a.b\", 1)", "a.b", NULL, 0 },
  { "window.alert(1); user_pref(\"a.b\", 8);", "a.b", NULL, 'i', 8 },
};

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_autoptr (GError) error = NULL;
  int number = -12345;
  gboolean flag = -1;

  g_assert_true (oc_prefs_load_data (prefs, row->text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (oc_prefs_get_string (prefs, row->name), ==, row->kind == 's' ? row->string : NULL);
  g_assert_cmpint (oc_prefs_get_int (prefs, row->name, &number), ==, row->kind == 'i');
  if (row->kind == 'i')
    g_assert_cmpint (number, ==, row->number);
  g_assert_cmpint (oc_prefs_get_bool (prefs, row->name, &flag), ==, row->kind == 'b');
  if (row->kind == 'b')
    g_assert_cmpint (flag, ==, row->number);
}

static void
test_real_profile (void)
{
  g_autofree char *prefs_js = tb_fixture_path ("prefs.js");
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) servers = NULL;
  int max_hits = 0;

  g_assert_true (oc_prefs_load_file (prefs, prefs_js, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oc_prefs_get_n_skipped (prefs), ==, 0);
  g_assert_cmpstr (oc_prefs_get_string (prefs, "ldap_2.servers.CorpAD.uri"), ==,
                   "ldap://127.0.0.1:3890/dc=example,dc=test??sub?(objectclass=*)");
  g_assert_cmpstr (oc_prefs_get_string (prefs, "ldap_2.servers.CorpAD.attrmap.Custom1"), ==, "extensionAttribute1");
  g_assert_cmpstr (oc_prefs_get_string (prefs, "ldap_2.servers.CorpAD.auth.dn"), ==, "");
  g_assert_true (oc_prefs_get_int (prefs, "ldap_2.servers.CorpAD.maxHits", &max_hits));
  g_assert_cmpint (max_hits, ==, 100);
  /* A JSON string full of escaped quotes. */
  g_assert_true (g_str_has_prefix (oc_prefs_get_string (prefs, "extensions.webextensions.uuids"),
                                   "{\"tbpro-system-add-on@thunderbird.net\":\""));
  servers = oc_prefs_dup_children (prefs, "ldap_2.servers.");
  g_assert_cmpstrv (servers, ((const char *const[]) { "CorpAD", "history", "pab", NULL }));
}

static void
test_user_js_overrides (void)
{
  g_autofree char *dir = g_dir_make_tmp ("prefs-XXXXXX", NULL);
  g_autofree char *prefs_js = g_build_filename (dir, "prefs.js", NULL);
  g_autofree char *user_js = g_build_filename (dir, "user.js", NULL);
  g_autoptr (OcPrefs) prefs = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (prefs_js, "user_pref(\"a\", \"from prefs.js\");\n"
                                                "user_pref(\"b\", \"only in prefs.js\");\n", -1, NULL));
  g_assert_true (g_file_set_contents (user_js, "user_pref(\"a\", \"from user.js\");\n", -1, NULL));
  prefs = oc_prefs_load_profile (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (oc_prefs_get_string (prefs, "a"), ==, "from user.js");
  g_assert_cmpstr (oc_prefs_get_string (prefs, "b"), ==, "only in prefs.js");
  g_clear_object (&prefs);

  /* Neither file is required: a fresh profile has no user.js, an odd one no prefs.js. */
  g_assert_cmpint (g_unlink (prefs_js), ==, 0);
  prefs = oc_prefs_load_profile (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (oc_prefs_get_string (prefs, "a"), ==, "from user.js");
  g_assert_null (oc_prefs_get_string (prefs, "b"));
  g_unlink (user_js);
  g_rmdir (dir);
}

static void
test_children (void)
{
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_auto (GStrv) children = NULL;

  oc_prefs_load_data (prefs, "user_pref(\"ldap_2.servers.b.uri\", \"x\");\n"
                             "user_pref(\"ldap_2.servers.a.attrmap.Custom1\", \"y\");\n"
                             "user_pref(\"ldap_2.servers.b.filename\", \"z\");\n"
                             "user_pref(\"ldap_2.serversX.c.uri\", \"no\");\n"
                             "user_pref(\"ldap_2.servers.flat\", 1);\n", -1, NULL);
  children = oc_prefs_dup_children (prefs, "ldap_2.servers.");
  g_assert_cmpstrv (children, ((const char *const[]) { "a", "b", NULL }));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/prefs/row/%02" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &rows[i], test_row);
    }
  g_test_add_func ("/oc/prefs/real-profile", test_real_profile);
  g_test_add_func ("/oc/prefs/user-js-overrides", test_user_js_overrides);
  g_test_add_func ("/oc/prefs/children", test_children);
  return g_test_run ();
}
