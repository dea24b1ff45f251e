/* owacal-provision against a real slapd with an AD-like schema (tests/testbed,
 * component slapd; people in tests/fixtures/ldap/directory.ldif).  Each test path
 * runs in a testbed of its own (tests/meson.build), so each starts from the
 * fixture.  The directory is read back with OpenLDAP's ldapsearch, not with
 * owacal's own LDAP code, and slapd's log shows which entries were modified. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "provision-harness.h"

#define PEOPLE ",ou=people,dc=example,dc=test"
#define ALICE "uid=alice" PEOPLE
#define BOB "uid=bob" PEOPLE
#define CAROL "uid=carol" PEOPLE
#define DAVE "uid=dave" PEOPLE
#define ERIN "uid=erin" PEOPLE
#define WEB_PART(address) "https://mail.example.test/owa/" address "/?cmd=contents&module=calendar&view=weekly"
#define MAILBOXES ALICE " " BOB " " CAROL " " DAVE " " ERIN

typedef struct {
  char *dir;
  char *admin_password;
  char *reader_password;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *admin = g_strconcat (require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), "\n", NULL);
  g_autofree char *reader = g_strconcat (require_env ("OC_TEST_LDAP_READER_PASSWORD"), "\n", NULL);

  f->dir = harness_temp_dir ();
  f->admin_password = harness_write_file (f->dir, "admin.password", admin);
  f->reader_password = harness_write_file (f->dir, "reader.password", reader);
  harness_set_tool_cwd (f->dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);

  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->admin_password);
  g_free (f->reader_password);
}

/* -H, -b, the 2013 web part on mail.example.test (Exchange 2016 and later:
 * test-provision-links.c), and how to sign in:
 * "admin", "reader" (simple binds), "gssapi" (alice's ticket) or "anonymous". */
static GPtrArray *
args_new (Fixture *f, const char *who, ...)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char *common[] = { "-H", require_env ("OC_TEST_LDAP_URI"), "-b", require_env ("OC_TEST_LDAP_BASE"),
                           "--exchange", "2013", "--owa-host", "mail.example.test" };
  va_list ap;

  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (args, g_strdup (common[i]));
  if (strcmp (who, "admin") == 0 || strcmp (who, "reader") == 0)
    {
      gboolean admin = strcmp (who, "admin") == 0;

      g_ptr_array_add (args, g_strdup ("-D"));
      g_ptr_array_add (args, g_strdup (require_env (admin ? "OC_TEST_LDAP_ADMIN_DN" : "OC_TEST_LDAP_READER_DN")));
      g_ptr_array_add (args, g_strdup ("--password-file"));
      g_ptr_array_add (args, g_strdup (admin ? f->admin_password : f->reader_password));
    }
  else if (strcmp (who, "gssapi") == 0)
    g_ptr_array_add (args, g_strdup ("-Y"));
  va_start (ap, who);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  return args;
}

static char *
lower (const char *text)
{
  return g_ascii_strdown (text, -1);
}

/* Tests */

static void
test_dry_run (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GPtrArray) args = args_new (f, "admin", NULL);
  g_autoptr (GPtrArray) again = args_new (f, "admin", NULL);
  g_auto (Run) run = { 0 }, applied = { 0 };
  g_autofree char *modified = NULL;
  guint lines = log_n_lines ();

  run_tool_argv (&run, NULL, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "# owacal-provision: dry run, nothing was written");
  assert_contains (run.out, "signed in as dn:cn=admin,dc=example,dc=test");
  assert_contains (run.out, "# Summary (dry run, nothing written): examined 5, would change 4, unchanged 0, skipped 1, failed 0");
  assert_row (run.out, "alice@example.test", "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar",
              WEB_PART ("alice@example.test"));
  assert_row (run.out, "alice@example.test", WEB_PART ("alice@example.test"), "replace");
  assert_row (run.out, "carol@example.test", "carol@example.test", "-");
  assert_row (run.out, "carol@example.test", WEB_PART ("carol@example.test"), "add");
  assert_row (run.out, "erin@example.test", "cost centre 4711", WEB_PART ("erin@example.test"));
  assert_row (run.out, "erin@example.test", WEB_PART ("erin@example.test"), "keep: not written by owacal");
  /* Only mailbox users: no contact, no user without alias or mailbox. */
  assert_lacks (run.out, "frank");
  assert_lacks (run.out, "heidi");
  assert_lacks (run.out, "grace");
  g_assert_cmpuint (count_of (run.out, "changetype: modify"), ==, 4);
  assert_lacks (run.out, "dn: " ERIN);

  /* Nothing was written. */
  after = directory_snapshot ();
  assert_same_directory (before, after);
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "");

  /* The LDIF it printed is what --apply would do: ldapmodify applies it, after
   * which there is nothing left to change. */
  run_command (&applied, run.out, "ldapmodify", "-x", "-H", require_env ("OC_TEST_LDAP_URI"),
               "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"), "-w", require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), NULL);
  g_assert_cmpint (applied.status, ==, 0);
  run_tool_argv (&run, NULL, NULL, again);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 5, would change 0, unchanged 4, skipped 1, failed 0");
}

static void
test_apply_undo (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL, restored = NULL;
  g_autofree char *undo_path = g_build_filename (f->dir, "undo.ldif", NULL);
  g_autoptr (GPtrArray) apply = args_new (f, "gssapi", "--link-attribute", "extensionAttribute2", "--apply",
                                          "--undo-file", undo_path, NULL);
  g_autoptr (GPtrArray) again = args_new (f, "gssapi", "--link-attribute", "extensionAttribute2", "--apply", NULL);
  g_autoptr (GPtrArray) undo = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *changed = NULL, *modified = NULL, *undo_text = NULL, *expected = lower (MAILBOXES);
  g_auto (Run) run = { 0 };
  guint lines = log_n_lines ();

  /* Signed in with alice's Kerberos ticket (she administers the directory). */
  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "signed in as dn:uid=alice,ou=people,dc=example,dc=test");
  assert_contains (run.out, "# Summary: examined 5, changed 5, unchanged 0, skipped 0, failed 0");

  after = directory_snapshot ();
  changed = directory_changed_dns (before, after);
  g_assert_cmpstr (changed, ==, expected);
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, expected);  /* one modify per entry, none elsewhere */
  assert_value (after, ALICE, "extensionAttribute1", WEB_PART ("alice@example.test"));
  assert_value (after, ALICE, "extensionAttribute2", "owacal:alice@example.test");
  /* dave has no mail attribute: his primary SMTP: proxy address is used. */
  assert_value (after, DAVE, "extensionAttribute1", WEB_PART ("dave@example.test"));
  /* erin's cost centre stays; only her link was added. */
  assert_value (after, ERIN, "extensionAttribute1", "cost centre 4711");
  assert_value (after, ERIN, "extensionAttribute2", "owacal:erin@example.test");

  g_file_get_contents (undo_path, &undo_text, NULL, NULL);
  g_assert_nonnull (undo_text);
  g_assert_true (g_str_has_prefix (undo_text, "# owacal-provision undo file"));
  g_assert_cmpuint (count_of (undo_text, "changetype: modify"), ==, 5);

  /* A second run finds nothing to do and writes nothing, not even an undo file. */
  lines = log_n_lines ();
  run_tool_argv (&run, NULL, NULL, again);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 5, changed 0, unchanged 4, skipped 1, failed 0");
  assert_contains (run.out, "no undo file was written");
  g_clear_pointer (&modified, g_free);
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "");

  /* Undo: the directory is as it was, entry by entry. */
  g_ptr_array_add (undo, g_strdup ("-H"));
  g_ptr_array_add (undo, g_strdup (require_env ("OC_TEST_LDAP_URI")));
  g_ptr_array_add (undo, g_strdup ("-Y"));
  g_ptr_array_add (undo, g_strdup ("--undo"));
  g_ptr_array_add (undo, g_strdup (undo_path));
  run_tool_argv (&run, NULL, NULL, undo);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "# Summary: examined 5, changed 5, skipped 0, failed 0");
  restored = directory_snapshot ();
  assert_same_directory (before, restored);
}

static void
test_force (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) kept = NULL, forced = NULL, undone = NULL, restored = NULL;
  g_autofree char *first = g_build_filename (f->dir, "first.ldif", NULL);
  g_autofree char *second = g_build_filename (f->dir, "second.ldif", NULL);
  g_autoptr (GPtrArray) apply = args_new (f, "admin", "--apply", "--undo-file", first, NULL);
  g_autoptr (GPtrArray) force = args_new (f, "admin", "--apply", "--force", "--undo-file", second, NULL);
  g_autofree char *changed = NULL;
  g_auto (Run) run = { 0 };

  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 0);
  kept = directory_snapshot ();
  assert_value (kept, ERIN, "extensionAttribute1", "cost centre 4711");

  run_tool_argv (&run, NULL, NULL, force);
  g_assert_cmpint (run.status, ==, 0);
  assert_row (run.out, "erin@example.test", WEB_PART ("erin@example.test"), "replace (--force)");
  assert_contains (run.out, "examined 5, changed 1, unchanged 4, skipped 0, failed 0");
  forced = directory_snapshot ();
  changed = directory_changed_dns (kept, forced);
  g_assert_cmpstr (changed, ==, "uid=erin,ou=people,dc=example,dc=test");
  assert_value (forced, ERIN, "extensionAttribute1", WEB_PART ("erin@example.test"));

  /* Undoing the forced run gives erin her cost centre back; undoing the first, the rest. */
  run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
            "--password-file", f->admin_password, "--undo", second, NULL);
  g_assert_cmpint (run.status, ==, 0);
  undone = directory_snapshot ();
  assert_same_directory (kept, undone);
  run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
            "--password-file", f->admin_password, "--undo", first, NULL);
  g_assert_cmpint (run.status, ==, 0);
  restored = directory_snapshot ();
  assert_same_directory (before, restored);
}

static void
test_undo_file_first (Fixture *f, gconstpointer data)
{
  /* The undo file is written before any change: when it cannot be, nothing changes. */
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *unwritable = g_build_filename (f->dir, "no-such-dir", "undo.ldif", NULL);
  g_autofree char *existing = harness_write_file (f->dir, "existing.ldif", "# an earlier run's undo file\n");
  g_autoptr (GPtrArray) apply = args_new (f, "admin", "--apply", "--undo-file", unwritable, NULL);
  g_autoptr (GPtrArray) overwrite = args_new (f, "admin", "--apply", "--undo-file", existing, NULL);
  g_autofree char *modified = NULL, *kept = NULL;
  g_auto (Run) run = { 0 };
  guint lines = log_n_lines ();

  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.err, "Nothing was changed. Could not create the undo file");
  /* An existing file is never overwritten. */
  run_tool_argv (&run, NULL, NULL, overwrite);
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.err, "it exists");
  g_file_get_contents (existing, &kept, NULL, NULL);
  g_assert_cmpstr (kept, ==, "# an earlier run's undo file\n");

  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "");
  after = directory_snapshot ();
  assert_same_directory (before, after);
}

static void
test_undo_keeps_later_changes (Fixture *f, gconstpointer data)
{
  /* Someone changes dave's value after owacal wrote it: the undo leaves his value
   * alone (and says so) and restores everyone else. */
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *undo_path = g_build_filename (f->dir, "undo.ldif", NULL);
  g_autoptr (GPtrArray) apply = args_new (f, "admin", "--apply", "--undo-file", undo_path, NULL);
  g_autofree char *changed = NULL;
  g_auto (Run) run = { 0 }, edit = { 0 };

  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 0);
  run_command (&edit, "dn: " DAVE "\nchangetype: modify\nreplace: extensionAttribute1\nextensionAttribute1: set by hand\n",
               "ldapmodify", "-x", "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
               "-w", require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), NULL);
  g_assert_cmpint (edit.status, ==, 0);

  run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
            "--password-file", f->admin_password, "--undo", undo_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "# left as it is: " DAVE);
  assert_contains (run.out, "examined 4, changed 3, skipped 1, failed 0");
  after = directory_snapshot ();
  changed = directory_changed_dns (before, after);
  g_assert_cmpstr (changed, ==, "uid=dave,ou=people,dc=example,dc=test");
  assert_value (after, DAVE, "extensionAttribute1", "set by hand");
}

static void
test_only_exclude (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) two = args_new (f, "admin", "--only", "alice@example.test", "--only", "(uid=b*)", NULL);
  g_autoptr (GPtrArray) one = args_new (f, "admin", "--only", "alice@example.test", "--only", "(uid=b*)",
                                        "--exclude", "alice.example@corp.example.test", NULL);
  g_autoptr (GPtrArray) carol = args_new (f, "reader", "--apply", "--only", "CAROL@example.test", NULL);
  g_autoptr (GPtrArray) carol_admin = args_new (f, "admin", "--apply", "--only", "CAROL@example.test", NULL);
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *changed = NULL, *modified = NULL;
  g_auto (Run) run = { 0 };
  guint lines;

  run_tool_argv (&run, NULL, NULL, two);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 2, would change 2");
  g_free (table_line (run.out, "alice@example.test"));
  g_free (table_line (run.out, "bob@example.test"));

  /* A secondary (smtp:) address excludes its owner too. */
  run_tool_argv (&run, NULL, NULL, one);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 1, would change 1");
  assert_lacks (run.out, "# alice@example.test");

  /* --only with --apply touches that one entry only (the reader is refused, the
   * administrator is not). */
  run_tool_argv (&run, NULL, NULL, carol);
  g_assert_cmpint (run.status, ==, 1);
  lines = log_n_lines ();
  run_tool_argv (&run, NULL, NULL, carol_admin);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 1, changed 1");
  after = directory_snapshot ();
  changed = directory_changed_dns (before, after);
  g_assert_cmpstr (changed, ==, "uid=carol,ou=people,dc=example,dc=test");
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "uid=carol,ou=people,dc=example,dc=test");
}

static void
test_unmatched (Fixture *f, gconstpointer data)
{
  /* frank has an address but no mailbox: the default filter leaves him out, so
   * --only frank@ matches nobody it selects. */
  g_autoptr (GPtrArray) nobody = args_new (f, "admin", "--only", "nobody@example.test", NULL);
  g_autoptr (GPtrArray) one_of_two = args_new (f, "admin", "--only", "alice@example.test", "--only", "frank@example.test",
                                               "--only", "(uid=b*)", "--only", "(uid=nobody*)", NULL);
  g_autoptr (GPtrArray) misspelt = args_new (f, "admin", "--apply", "--exclude", "erin@exmaple.test",
                                             "--exclude", "bob@example.test", NULL);
  g_autoptr (GPtrArray) spelt = args_new (f, "admin", "--exclude", "erin@example.test", "--exclude", "(uid=bob)", NULL);
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autofree char *modified = NULL;
  g_auto (Run) run = { 0 };
  guint lines = log_n_lines ();
  guint n_files = 0;

  /* Nobody at all: said so, not just "examined 0". */
  run_tool_argv (&run, NULL, NULL, nobody);
  g_assert_cmpint (run.status, ==, 5);
  assert_contains (run.out, "examined 0, would change 0");
  assert_contains (run.err, "owacal-provision: --only nobody@example.test matches nobody below dc=example,dc=test "
                            "that the default filter (Exchange mailbox users) selects\n");
  g_assert_cmpuint (count_of (run.err, "matches nobody below"), ==, 1);
  assert_contains (run.err, "--apply changes nothing until what matches nobody is corrected or left out");

  /* Some values match, some do not: the dry run shows the others, and names exactly the ones that match nobody. */
  run_tool_argv (&run, NULL, NULL, one_of_two);
  g_assert_cmpint (run.status, ==, 5);
  assert_contains (run.out, "examined 2, would change 2");
  g_free (table_line (run.out, "alice@example.test"));
  g_free (table_line (run.out, "bob@example.test"));
  assert_contains (run.err, "--only frank@example.test matches nobody");
  assert_contains (run.err, "--only (uid=nobody*) matches nobody");
  g_assert_cmpuint (count_of (run.err, "matches nobody below"), ==, 2);

  /* A misspelt --exclude would change the very person it names: with --apply
   * nothing is written (no undo file either), and the value is named. */
  run_tool_argv (&run, NULL, NULL, misspelt);
  g_assert_cmpint (run.status, ==, 5);
  assert_contains (run.err, "--exclude erin@exmaple.test matches nobody below dc=example,dc=test that the default "
                            "filter (Exchange mailbox users) selects, so it leaves nobody out\n");
  assert_lacks (run.err, "--exclude bob@example.test");
  assert_contains (run.err, "Nothing was changed: correct or leave out what matches nobody, then run again.");
  g_assert_cmpstr (run.out, ==, "");
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "");
  after = directory_snapshot ();
  assert_same_directory (before, after);
  dir = g_dir_open (f->dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);  /* the two password files */

  /* Spelt right, every value matches someone: exit 0 and no complaint. */
  run_tool_argv (&run, NULL, NULL, spelt);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 3, would change 3");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_binds (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *wrong = harness_write_file (f->dir, "wrong.password", "not-the-password\n");
  g_autofree char *undo_path = g_build_filename (f->dir, "reader-undo.ldif", NULL);
  g_autofree char *undo_text = NULL;
  g_autofree char *no_ticket = g_strdup_printf ("KRB5CCNAME=FILE:%s/no-such-ccache", f->dir);
  const char *no_ticket_env[] = { no_ticket, NULL };
  g_autoptr (GPtrArray) wrong_args = args_new (f, "anonymous", "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
                                               "--password-file", wrong, NULL);
  g_autoptr (GPtrArray) stdin_args = args_new (f, "anonymous", "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
                                               "--password-file", "-", NULL);
  g_autoptr (GPtrArray) prompt_args = args_new (f, "anonymous", "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"), NULL);
  g_autoptr (GPtrArray) argv_args = args_new (f, "admin", "--password", "secret", NULL);
  g_autoptr (GPtrArray) reader_args = args_new (f, "reader", "--apply", "--undo-file", undo_path, NULL);
  g_autoptr (GPtrArray) anonymous_args = args_new (f, "anonymous", NULL);
  g_autoptr (GPtrArray) anonymous_apply = args_new (f, "anonymous", "--apply", NULL);
  g_autoptr (GPtrArray) gssapi_args = args_new (f, "gssapi", NULL);
  g_autofree char *stdin_password = g_strconcat (require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), "\n", NULL);
  g_auto (Run) run = { 0 };

  run_tool_argv (&run, NULL, NULL, wrong_args);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "the user name or password was not accepted (LDAP 49");
  g_assert_cmpstr (run.out, ==, "");

  run_tool_argv (&run, stdin_password, NULL, stdin_args);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "signed in as dn:cn=admin,dc=example,dc=test");

  /* No password file and no terminal to ask on: it says how to give one. */
  run_tool_argv (&run, NULL, NULL, prompt_args);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "--password-file");

  /* There is no way to give the password on the command line. */
  run_tool_argv (&run, NULL, NULL, argv_args);
  g_assert_cmpint (run.status, ==, 2);
  assert_lacks (run.err, "secret");

  /* The reader may read but not write: every entry fails on its own, the undo file
   * was written before the first attempt, and the run reports each failure. */
  run_tool_argv (&run, NULL, NULL, reader_args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (count_of (run.err, "(insufficient access) (LDAP 50"), ==, 4);
  assert_contains (run.err, "could not change carol@example.test:");
  assert_contains (run.out, "examined 5, changed 0, unchanged 0, skipped 1, failed 4");
  g_file_get_contents (undo_path, &undo_text, NULL, NULL);
  g_assert_nonnull (undo_text);
  g_assert_cmpuint (count_of (undo_text, "changetype: modify"), ==, 4);

  /* Anonymous: a dry run works, writing does not. */
  run_tool_argv (&run, NULL, NULL, anonymous_args);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "signed in as anonymous");
  run_tool_argv (&run, NULL, NULL, anonymous_apply);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, "stronger sign-in");

  /* Kerberos without a ticket. */
  run_tool_argv (&run, NULL, no_ticket_env, gssapi_args);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "with Kerberos");
  assert_contains (run.err, "kinit");

  /* Nobody listening. */
  run_tool (&run, NULL, NULL, "-H", "ldap://localhost:1", "-b", "dc=example,dc=test", "--exchange", "2019", NULL);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "could not be reached");

  after = directory_snapshot ();
  assert_same_directory (before, after);
}

static void
test_usage (Fixture *f, gconstpointer data)
{
  const char *uri = require_env ("OC_TEST_LDAP_URI");
  g_auto (Run) run = { 0 };

  /* Web parts name the OWA server; 2016 and later need none (test-provision-links.c). */
  run_tool (&run, NULL, NULL, "-H", uri, "-b", "dc=example,dc=test", "--exchange", "2013", NULL);
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "Exchange 2013's calendar URLs name the OWA server: give its name with --owa-host HOST "
                            "(2016, 2019 and se need none)");
  g_assert_cmpstr (run.out, ==, "");
  /* An unknown version is named as such, with or without a host, and the list has se. */
  run_tool (&run, NULL, NULL, "-H", uri, "-b", "dc=example,dc=test", "--exchange", "2021", "--owa-host", "m", NULL);
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "Unknown Exchange version “2021”: use 2003, 2007, 2010, 2013, 2016, 2019 or se");
  run_tool (&run, NULL, NULL, "-H", uri, "-b", "dc=example,dc=test", "--exchange", "2021", NULL);
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "Unknown Exchange version “2021”: use 2003, 2007, 2010, 2013, 2016, 2019 or se");
  run_tool (&run, NULL, NULL, "-H", uri, "-b", "dc=example,dc=test", "--template", "https://h/{nick}", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_tool (&run, NULL, NULL, "-H", uri, "-b", "dc=example,dc=test", "--exchange", "2013", "--owa-host", "m",
            "--only", "nobody", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_tool (&run, NULL, NULL, "-H", uri, "-Y", "-D", "cn=x", "-b", "dc=x", "--exchange", "2013", "--owa-host", "m", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAPS_URI"), "-Z", "-b", "dc=x", "--exchange", "2013",
            "--owa-host", "m", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_tool (&run, NULL, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Exit status:");
  assert_contains (run.out, "\n  5  an --only or --exclude value matches nobody");
  assert_contains (run.out, "--thunderbird-attrmap");
  assert_contains (run.out, "Exchange version: 2003, 2007, 2010, 2013, 2016, 2019, se");
}

static void
test_tls (Fixture *f, gconstpointer data)
{
  const char *ca = require_env ("OC_TEST_LDAP_CA");
  g_autoptr (GPtrArray) starttls = args_new (f, "admin", "-Z", "--ca-file", ca, NULL);
  g_autoptr (GPtrArray) untrusted = args_new (f, "admin", "-Z", NULL);
  g_autoptr (GPtrArray) ldaps = args_new (f, "admin", "--ca-file", ca, NULL);
  g_autoptr (GPtrArray) ldaps_untrusted = args_new (f, "admin", NULL);
  g_auto (Run) run = { 0 };
  guint starttls_before = log_count (" STARTTLS");

  run_tool_argv (&run, NULL, NULL, starttls);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "signed in as dn:cn=admin");
  g_assert_cmpuint (log_count (" STARTTLS"), ==, starttls_before + 1);

  run_tool_argv (&run, NULL, NULL, untrusted);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "StartTLS with ldap://localhost");
  assert_contains (run.err, "--ca-file");

  /* ldaps:// on its own port: replace -H's value. */
  g_free (ldaps->pdata[1]);
  ldaps->pdata[1] = g_strdup (require_env ("OC_TEST_LDAPS_URI"));
  run_tool_argv (&run, NULL, NULL, ldaps);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "# Directory: ldaps://localhost");
  g_free (ldaps_untrusted->pdata[1]);
  ldaps_untrusted->pdata[1] = g_strdup (require_env ("OC_TEST_LDAPS_URI"));
  run_tool_argv (&run, NULL, NULL, ldaps_untrusted);
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "certificate");

  /* Kerberos: a SASL security layer without TLS (AD wants signing), none over TLS
   * (AD refuses one there).  slapd logs the layer's strength as bind_ssf. */
  {
    g_autoptr (GPtrArray) plain = args_new (f, "gssapi", NULL);
    g_autoptr (GPtrArray) over_tls = args_new (f, "gssapi", "-Z", "--ca-file", ca, NULL);
    const char *alice_bind = "BIND dn=\"uid=alice,ou=people,dc=example,dc=test\" mech=GSSAPI";
    g_autofree char *layer = g_strconcat (alice_bind, " bind_ssf=256", NULL);
    g_autofree char *no_layer = g_strconcat (alice_bind, " bind_ssf=0 ssf=256", NULL);
    guint with_layer = log_count (layer), without_layer = log_count (no_layer);

    run_tool_argv (&run, NULL, NULL, plain);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (log_count (layer), ==, with_layer + 1);
    run_tool_argv (&run, NULL, NULL, over_tls);
    g_assert_cmpint (run.status, ==, 0);
    assert_contains (run.out, "signed in as dn:uid=alice,ou=people,dc=example,dc=test");
    g_assert_cmpuint (log_count (no_layer), ==, without_layer + 1);
  }
}

static void
test_generations (Fixture *f, gconstpointer data)
{
  const char *common[] = { "-H", require_env ("OC_TEST_LDAP_URI"), "-b", require_env ("OC_TEST_LDAP_BASE") };
  g_auto (Run) run = { 0 };

  run_tool (&run, NULL, NULL, common[0], common[1], common[2], common[3], "--exchange", "2003", "--http",
            "--owa-host", "exch2003.example.test", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "# Calendar URLs: Exchange 2000/2003 on http://exch2003.example.test, into extensionAttribute1");
  /* alice's 2007+ URL and bob's 2003 URL (another query) are theirs: replaced. */
  assert_row (run.out, "alice@example.test", "http://exch2003.example.test/exchange/alice/Calendar/?Cmd=contents&View=Weekly",
              "replace");
  assert_row (run.out, "bob@example.test", "http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents&View=Weekly",
              "replace");
  /* 2003 URLs use the alias, which may differ from the address. */
  assert_row (run.out, "dave@example.test", "http://exch2003.example.test/exchange/dlegacy/Calendar/?Cmd=contents&View=Weekly",
              "add");

  run_tool (&run, NULL, NULL, common[0], common[1], common[2], common[3], "--owa-host", "cas.example.test:8443",
            "--template", "https://{host}/owa/{mail}/?cmd=contents&module=calendar&view=daily", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_row (run.out, "dave@example.test",
              "https://cas.example.test:8443/owa/dave@example.test/?cmd=contents&module=calendar&view=daily", "add");
}

static void
test_thunderbird (Fixture *f, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  run_tool (&run, NULL, NULL, "--thunderbird-attrmap", "CorpAD", "--link-attribute", "extensionAttribute2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "\nuser_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"extensionAttribute1\");\n");
  assert_contains (run.out, "\nuser_pref(\"ldap_2.servers.CorpAD.attrmap.WebPage1\", \"extensionAttribute2\");\n");
  run_tool (&run, NULL, NULL, "--thunderbird-attrmap", "Corp\");evil(\"", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_acl (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL, restored = NULL;
  g_autofree char *undo_path = g_build_filename (f->dir, "undo.ldif", NULL);
  g_autoptr (GPtrArray) apply = args_new (f, "admin", "--apply", "--undo-file", undo_path, NULL);
  g_autofree char *changed = NULL;
  g_auto (Run) run = { 0 };

  /* carol's entry is read-only (testbed --slapd-deny-write): she fails, the run goes on. */
  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, "could not change carol@example.test: Changing " CAROL ": the account you signed in with "
                            "may not do this (insufficient access) (LDAP 50");
  g_assert_cmpuint (count_of (run.err, "could not change"), ==, 1);
  assert_contains (run.out, "examined 5, changed 3, unchanged 0, skipped 1, failed 1");
  assert_row (run.out, "carol@example.test", WEB_PART ("carol@example.test"), "failed to add");
  after = directory_snapshot ();
  changed = directory_changed_dns (before, after);
  g_assert_cmpstr (changed, ==, "uid=alice,ou=people,dc=example,dc=test uid=bob,ou=people,dc=example,dc=test "
                                "uid=dave,ou=people,dc=example,dc=test");

  /* The undo puts the three back; carol's record is refused again, and said so. */
  run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
            "--password-file", f->admin_password, "--undo", undo_path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.out, "changed 3, skipped 0, failed 1");
  assert_contains (run.err, CAROL);
  restored = directory_snapshot ();
  assert_same_directory (before, restored);
}

static void
test_no_schema (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) dry = args_new (f, "admin", NULL);
  g_autoptr (GPtrArray) apply = args_new (f, "admin", "--apply", NULL);
  g_autoptr (GPtrArray) other = args_new (f, "admin", "--attribute", "description", NULL);
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autofree char *modified = NULL;
  g_auto (Run) run = { 0 };
  guint lines = log_n_lines ();
  guint n_files = 0;

  run_tool_argv (&run, NULL, NULL, dry);
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.err, "The directory's schema has no attribute extensionAttribute1");
  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.err, "Nothing was changed.");
  modified = log_modified_dns (lines);
  g_assert_cmpstr (modified, ==, "");
  /* No undo file either: only the two password files are in the working directory. */
  dir = g_dir_open (f->dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);
  after = directory_snapshot ();
  assert_same_directory (before, after);

  /* The check is about the attribute asked for. */
  run_tool_argv (&run, NULL, NULL, other);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "into description");
}

static void
test_paging (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = directory_snapshot ();
  g_autoptr (GHashTable) after = NULL, restored = NULL;
  g_autofree char *undo_path = g_build_filename (f->dir, "undo.ldif", NULL);
  g_autoptr (GPtrArray) dry = args_new (f, "admin", NULL);
  g_autoptr (GPtrArray) unpaged = args_new (f, "admin", "--page-size", "0", "--apply", NULL);
  g_autoptr (GPtrArray) too_big = args_new (f, "admin", "--page-size", "2000", NULL);
  g_autoptr (GPtrArray) apply = args_new (f, "admin", "--apply", "--undo-file", undo_path, NULL);
  g_auto (Run) run = { 0 };
  guint searches = log_count ("filter=\"(&(objectCategory=person)");

  /* 2,500 generated mailbox users and 5 people, 1000 per page at most (like AD). */
  run_tool_argv (&run, NULL, NULL, dry);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, ", 3 pages\n");
  assert_contains (run.out, "examined 2505, would change 2504, unchanged 0, skipped 1, failed 0");
  g_assert_cmpuint (log_count ("filter=\"(&(objectCategory=person)"), ==, searches + 3);

  /* Without paging the server stops at its limit: an error, and nothing changes. */
  run_tool_argv (&run, NULL, NULL, unpaged);
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.err, "after 1000 entries, at its size limit (LDAP 4");
  assert_contains (run.err, "Nothing was changed:");
  run_tool_argv (&run, NULL, NULL, too_big);
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.err, "administrative limit (LDAP 11");
  assert_contains (run.err, "ask for smaller ones with --page-size N");
  after = directory_snapshot ();
  assert_same_directory (before, after);
  g_clear_pointer (&after, g_hash_table_unref);

  run_tool_argv (&run, NULL, NULL, apply);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "examined 2505, changed 2504, unchanged 0, skipped 1, failed 0");
  after = directory_snapshot ();
  assert_value (after, "uid=gen02500,ou=generated,dc=example,dc=test", "extensionAttribute1",
                WEB_PART ("gen02500@example.test"));
  run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
            "--password-file", f->admin_password, "--undo", undo_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  restored = directory_snapshot ();
  assert_same_directory (before, restored);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func) g_test_add ("/provision/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("dry-run", test_dry_run);
  ADD ("apply-undo", test_apply_undo);
  ADD ("force", test_force);
  ADD ("undo-file-first", test_undo_file_first);
  ADD ("undo-keeps-later-changes", test_undo_keeps_later_changes);
  ADD ("only-exclude", test_only_exclude);
  ADD ("unmatched", test_unmatched);
  ADD ("binds", test_binds);
  ADD ("usage", test_usage);
  ADD ("tls", test_tls);
  ADD ("generations", test_generations);
  ADD ("thunderbird", test_thunderbird);
  /* These need a testbed started with options (tests/meson.build). */
  ADD ("acl", test_acl);
  ADD ("no-schema", test_no_schema);
  ADD ("paging", test_paging);
#undef ADD
  return g_test_run ();
}
