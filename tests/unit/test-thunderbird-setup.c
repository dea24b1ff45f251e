/* Thunderbird set-up: on the profile Thunderbird 153 wrote, the right user.js
 * lines for every LDAP directory, other lines kept, idempotent, and nothing
 * written while Thunderbird holds the profile. */
#include "config.h"

#include "oc-thunderbird-profile.h"
#include "oc-thunderbird-setup.h"
#include "tb-fixture.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK "// Added by owacal --setup-thunderbird: calendar addresses from the directory.\n"
#define CORP_CUSTOM1 "user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"extensionAttribute1\");\n"

typedef struct {
  char *profile;
  char *user_js;
  char *prefs_js;
  char *prefs_before;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *installed = tb_fixture_install (g_get_home_dir ());
  g_autoptr (GError) error = NULL;

  /* Found the way owacal finds it: the install's default, not Default=1. */
  fixture->profile = oc_thunderbird_profile_find (g_get_home_dir (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->profile, ==, installed);
  fixture->user_js = g_build_filename (fixture->profile, "user.js", NULL);
  fixture->prefs_js = g_build_filename (fixture->profile, "prefs.js", NULL);
  g_assert_true (g_file_get_contents (fixture->prefs_js, &fixture->prefs_before, NULL, NULL));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *prefs_after = NULL;

  /* prefs.js is Thunderbird's: never touched. */
  g_assert_true (g_file_get_contents (fixture->prefs_js, &prefs_after, NULL, NULL));
  g_assert_cmpstr (prefs_after, ==, fixture->prefs_before);
  g_free (fixture->profile);
  g_free (fixture->user_js);
  g_free (fixture->prefs_js);
  g_free (fixture->prefs_before);
}

static char *
read_user_js (Fixture *fixture)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (fixture->user_js, &contents, NULL, NULL));
  return contents;
}

static void
run_setup (Fixture    *fixture,
           const char *attribute,
           const char *website_attribute)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcThunderbirdSetup) setup = oc_thunderbird_setup_plan (fixture->profile, attribute, website_attribute,
                                                                    &error);

  g_assert_no_error (error);
  g_assert_true (oc_thunderbird_setup_apply (setup, &error));
  g_assert_no_error (error);
}

static void
test_real_profile (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcThunderbirdSetup) setup = oc_thunderbird_setup_plan (fixture->profile, "extensionAttribute1", NULL,
                                                                    &error);
  g_autoptr (OcThunderbirdSetup) again = NULL;
  g_autofree char *first = NULL, *second = NULL;
  OcThunderbirdDirectory *directory;

  g_assert_no_error (error);
  g_assert_cmpuint (setup->directories->len, ==, 1);
  directory = setup->directories->pdata[0];
  g_assert_cmpstr (directory->id, ==, "CorpAD");
  g_assert_cmpstr (directory->description, ==, "Corp AD");
  g_assert_cmpuint (setup->lines->len, ==, 1);
  g_assert_cmpstr (setup->lines->pdata[0], ==,
                   "user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"extensionAttribute1\");");
  g_assert_false (g_file_test (fixture->user_js, G_FILE_TEST_EXISTS));  /* a plan writes nothing */

  g_assert_true (oc_thunderbird_setup_apply (setup, &error));
  first = read_user_js (fixture);
  g_assert_cmpstr (first, ==, MARK CORP_CUSTOM1);

  again = oc_thunderbird_setup_plan (fixture->profile, "extensionAttribute1", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (oc_thunderbird_setup_is_needed (again));
  g_assert_true (oc_thunderbird_setup_apply (again, &error));
  second = read_user_js (fixture);
  g_assert_cmpstr (second, ==, first);
}

static void
test_keeps_other_lines (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char before[] =
    "// my own settings\n"
    "user_pref(\"mail.spellcheck.inline\", false);\n"
    "  user_pref( 'ldap_2.servers.CorpAD.attrmap.Custom1' , \"mozillaCustom1\");  // old\n"
    "user_pref(\"ldap_2.servers.CorpAD.attrmap.DisplayName\", \"displayName\");\n"
    "user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"later duplicate\");\n"
    "user_pref(\"ldap_2.servers.CorpAD.description\", \"Corp AD\");";
  static const char after[] =
    "// my own settings\n"
    "user_pref(\"mail.spellcheck.inline\", false);\n"
    "user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"extensionAttribute2\");\n"
    "user_pref(\"ldap_2.servers.CorpAD.attrmap.DisplayName\", \"displayName\");\n"
    "user_pref(\"ldap_2.servers.CorpAD.description\", \"Corp AD\");\n"
    MARK
    "user_pref(\"ldap_2.servers.CorpAD.attrmap.WebPage1\", "
    "\"owacalLink,mozillaWorkUrl,workurl,labeledURI\");\n";
  g_autofree char *result = NULL, *again = NULL;

  g_assert_true (g_file_set_contents (fixture->user_js, before, -1, NULL));
  run_setup (fixture, "extensionAttribute2", "owacalLink");
  result = read_user_js (fixture);
  g_assert_cmpstr (result, ==, after);

  /* The website map keeps its other attributes and does not grow on a second run. */
  run_setup (fixture, "extensionAttribute2", "owacalLink");
  again = read_user_js (fixture);
  g_assert_cmpstr (again, ==, after);
}

static void
test_every_ldap_directory (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char more[] =
    "user_pref(\"ldap_2.servers.Branch.uri\", \"ldaps://dc.branch.example.test/dc=branch??sub\");\n"
    "user_pref(\"ldap_2.servers.Branch.attrmap.WebPage1\", \"wWWHomePage\");\n"
    "user_pref(\"ldap_2.servers.Team.filename\", \"abook-1.sqlite\");\n"
    "user_pref(\"ldap_2.servers.Team.dirType\", 101);\n"
    "user_pref(\"ldap_2.servers.Team.description\", \"Team\");\n";
  g_autofree char *prefs = g_strconcat (fixture->prefs_before, more, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcThunderbirdSetup) setup = NULL;
  g_autofree char *result = NULL;

  g_assert_true (g_file_set_contents (fixture->prefs_js, prefs, -1, NULL));
  setup = oc_thunderbird_setup_plan (fixture->profile, "extensionAttribute1", "owacalLink", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setup->directories->len, ==, 2);
  g_assert_true (oc_thunderbird_setup_apply (setup, &error));
  result = read_user_js (fixture);
  g_assert_cmpstr (result, ==,
                   MARK
                   "user_pref(\"ldap_2.servers.Branch.attrmap.Custom1\", \"extensionAttribute1\");\n"
                   "user_pref(\"ldap_2.servers.Branch.attrmap.WebPage1\", \"owacalLink,wWWHomePage\");\n"
                   CORP_CUSTOM1
                   "user_pref(\"ldap_2.servers.CorpAD.attrmap.WebPage1\", "
                   "\"owacalLink,mozillaWorkUrl,workurl,labeledURI\");\n");
  /* The test changed prefs.js itself: put it back for the tear-down check. */
  g_assert_true (g_file_set_contents (fixture->prefs_js, fixture->prefs_before, -1, NULL));
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcThunderbirdSetup) setup = NULL;
  g_autofree char *no_ldap = NULL;
  g_autofree char *other = g_build_filename (g_get_home_dir (), ".thunderbird", "ke3j8gv5.default", NULL);

  setup = oc_thunderbird_setup_plan (fixture->profile, "ext\"); user_pref(\"evil", NULL, &error);
  g_assert_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_INVALID);
  g_clear_error (&error);
  setup = oc_thunderbird_setup_plan (fixture->profile, "extensionAttribute1", "a b", &error);
  g_assert_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_INVALID);
  g_clear_error (&error);

  /* The empty Default=1 profile has no directory: say what to do. */
  setup = oc_thunderbird_setup_plan (other, "extensionAttribute1", NULL, &error);
  g_assert_null (setup);
  g_assert_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_NO_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "LDAP"));
  g_assert_false (g_file_test (fixture->user_js, G_FILE_TEST_EXISTS));
}

static void
assert_refused_while_locked (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcThunderbirdSetup) setup = oc_thunderbird_setup_plan (fixture->profile, "extensionAttribute1", NULL,
                                                                    &error);

  g_assert_no_error (error);
  g_assert_false (oc_thunderbird_setup_check_not_running (fixture->profile, NULL));
  g_assert_false (oc_thunderbird_setup_apply (setup, &error));
  g_assert_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_RUNNING);
  g_assert_nonnull (strstr (error->message, "quit Thunderbird"));
  g_assert_false (g_file_test (fixture->user_js, G_FILE_TEST_EXISTS));
}

static void
test_lock_symlink (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *lock = g_build_filename (fixture->profile, "lock", NULL);
  g_autofree char *live = g_strdup_printf ("127.0.1.1:+%d", (int) getpid ());
  g_autofree char *gone = NULL;
  const char *argv[] = { "/bin/true", NULL };
  GPid pid;
  int status;

  /* Thunderbird's own form: a symlink to "address:+pid" of a live process. */
  g_assert_cmpint (symlink (live, lock), ==, 0);
  assert_refused_while_locked (fixture);

  /* Left behind by a crash: the process is gone, the lock does not count. */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  gone = g_strdup_printf ("127.0.1.1:+%d", (int) pid);
  g_assert_cmpint (g_unlink (lock), ==, 0);
  g_assert_cmpint (symlink (gone, lock), ==, 0);
  run_setup (fixture, "extensionAttribute1", NULL);
  g_assert_true (g_file_test (fixture->user_js, G_FILE_TEST_EXISTS));
}

static void
test_parentlock (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *parentlock = g_build_filename (fixture->profile, ".parentlock", NULL);
  const char *argv[] = {
    "/usr/bin/python3", "-c",
    "import fcntl, sys\n"
    "f = open(sys.argv[1], 'a')\n"
    "fcntl.lockf(f, fcntl.LOCK_EX)\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n",
    parentlock, NULL,
  };
  g_autoptr (GSubprocess) holder = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  /* Another process holds the fcntl() lock Thunderbird takes on .parentlock. */
  holder = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");
  assert_refused_while_locked (fixture);

  /* Thunderbird quits; an unlocked .parentlock stays behind, as it does. */
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (holder), NULL, NULL));
  g_assert_true (g_subprocess_wait_check (holder, NULL, &error));
  g_assert_true (g_file_test (parentlock, G_FILE_TEST_EXISTS));
  run_setup (fixture, "extensionAttribute1", NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/oc/thunderbird-setup/real-profile", test_real_profile);
  ADD ("/oc/thunderbird-setup/keeps-other-lines", test_keeps_other_lines);
  ADD ("/oc/thunderbird-setup/every-ldap-directory", test_every_ldap_directory);
  ADD ("/oc/thunderbird-setup/refusals", test_refusals);
  ADD ("/oc/thunderbird-setup/lock-symlink", test_lock_symlink);
  ADD ("/oc/thunderbird-setup/parentlock", test_parentlock);
  return g_test_run ();
}
