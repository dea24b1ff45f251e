/* owacal-provision against a directory whose size or time limit stops the
 * search: it says what happened and what to do, exits with 4 and changes nothing.
 *
 * The testbed (tests/meson.build) loads 400 generated mailbox users besides the
 * 5 of the fixture and gives alice, who signs in with her Kerberos ticket (-Y)
 * and may write, slapd limits of her own: 100 entries per search or page and 250
 * in all the pages of a search.  The administrator's simple bind is not limited,
 * so ldapsearch (the harness) and a control run see everything.  Searches of
 * dc=stalled,dc=test never get an answer from where slapd forwards them, so
 * slapd's time limit (1 s) ends them (testbed --slapd-stalled-suffix). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "provision-harness.h"

#define MAILBOX_USERS 405
#define PEOPLE_BASE "ou=people,dc=example,dc=test"
#define STALLED_BASE "dc=stalled,dc=test"

/* The common arguments, then @first...: -H, Exchange 2019 (owacal: links, no
 * --owa-host), and a working directory of its own for the program (where an undo
 * file would go). */
static GPtrArray *
args_new (const char *first, ...)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char *common[] = { "-H", require_env ("OC_TEST_LDAP_URI"), "--exchange", "2019" };
  va_list ap;

  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (args, g_strdup (common[i]));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  return args;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (listing);
  while (g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

/* Runs owacal-provision ARGS in @dir, which the directory's limit stops: exit
 * status 4 (data/owacal-provision.1, EXIT STATUS), and nothing of what it got
 * was shown as a plan, written, or prepared for undoing. */
static void
run_stopped (Run *run, const char *dir, GPtrArray *args)
{
  g_autofree char *modified = NULL;
  guint lines = log_n_lines ();

  harness_set_tool_cwd (dir);
  run_tool_argv (run, NULL, NULL, args);
  g_assert_cmpint (run->status, ==, 4);
  assert_contains (run->err, ". Nothing was changed: owacal-provision works from the whole list of people");
  g_assert_cmpstr (run->out, ==, "");
  g_assert_cmpuint (count_files (dir), ==, 0);  /* no undo file */
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "");
}

/* Tests */

static void
test_size_paged (void)
{
  g_autofree char *dir = harness_temp_dir ();
  g_autofree char *undo = g_build_filename (dir, "undo.ldif", NULL);
  g_autofree char *password = g_strconcat (require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), "\n", NULL);
  g_autofree char *password_file = NULL;
  g_autoptr (GPtrArray) apply = args_new ("-Y", "-b", require_env ("OC_TEST_LDAP_BASE"), "--page-size", "100",
                                          "--apply", "--undo-file", undo, NULL);
  g_autoptr (GPtrArray) in_part = args_new ("-Y", "-b", PEOPLE_BASE, "--page-size", "100", NULL);
  g_autoptr (GPtrArray) admin = NULL;
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *summary = NULL;
  g_auto (Run) run = { 0 };

  /* Page 3 brings alice's total to 250: the directory stops there. */
  run_stopped (&run, dir, apply);
  assert_contains (run.err, "owacal-provision: The directory stopped the search of dc=example,dc=test after 250 "
                            "entries, at its size limit (LDAP 4: Size limit exceeded;");
  assert_contains (run.err, "page 3, in pages of 100). Nothing was changed");
  assert_contains (run.err, "Ask the directory's administrator for a higher size limit for the account you sign in with");
  assert_contains (run.err, "a narrower -b BASE, --filter, or --only/--exclude");
  after = directory_snapshot ();
  assert_same_directory (before, after);

  /* The advice works: a part below the limit goes through. */
  run_tool_argv (&run, NULL, NULL, in_part);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "signed in as dn:uid=alice,ou=people,dc=example,dc=test");
  assert_contains (run.out, "examined 5, would change 4");

  /* The limit is alice's: the unlimited administrator gets every mailbox user. */
  password_file = harness_write_file (dir, "admin.password", password);
  admin = args_new ("-D", require_env ("OC_TEST_LDAP_ADMIN_DN"), "--password-file", password_file,
                    "-b", require_env ("OC_TEST_LDAP_BASE"), "--page-size", "100", NULL);
  run_tool_argv (&run, NULL, NULL, admin);
  g_assert_cmpint (run.status, ==, 0);
  summary = g_strdup_printf ("examined %u, would change %u", MAILBOX_USERS, MAILBOX_USERS - 1);
  assert_contains (run.out, summary);
  g_remove (password_file);
  g_rmdir (dir);
}

static void
test_size_unpaged (void)
{
  g_autofree char *dir = harness_temp_dir ();
  g_autoptr (GPtrArray) unpaged = args_new ("-Y", "-b", require_env ("OC_TEST_LDAP_BASE"), "--page-size", "0",
                                            "--apply", NULL);
  g_auto (Run) run = { 0 };

  /* Without paging the directory stops at 100, and the advice is to page. */
  run_stopped (&run, dir, unpaged);
  assert_contains (run.err, "The directory stopped the search of dc=example,dc=test after 100 entries, at its size "
                            "limit (LDAP 4: Size limit exceeded;");
  assert_contains (run.err, "without paging). Nothing was changed");
  assert_contains (run.err, "(--page-size 0): leave that out, and the search goes page by page past the limit");
  g_rmdir (dir);
}

static void
test_time (void)
{
  g_autofree char *dir = harness_temp_dir ();
  g_autoptr (GPtrArray) stalled = args_new ("-Y", "-b", STALLED_BASE, "--apply", NULL);
  g_auto (Run) run = { 0 };

  run_stopped (&run, dir, stalled);
  assert_contains (run.err, "owacal-provision: The directory stopped the search of " STALLED_BASE " after 0 entries, "
                            "at its time limit (LDAP 3: Time limit exceeded;");
  assert_contains (run.err, "Try again when the directory is less busy, ask its administrator for a higher time limit");
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/provision-limits/size-paged", test_size_paged);
  g_test_add_func ("/provision-limits/size-unpaged", test_size_unpaged);
  g_test_add_func ("/provision-limits/time", test_time);
  return g_test_run ();
}
