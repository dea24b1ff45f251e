/* owacal-provision for Exchange 2016, 2019 and SE against a real slapd (tests/testbed,
 * component slapd; people in tests/fixtures/ldap/directory.ldif).  Those versions
 * have no OWA web parts, so every mailbox user gets the link owacal:<primary SMTP
 * address>, which owacal opens through Exchange Web Services; --owa-host is not
 * needed and, when given, not used.  As in test-owacal-provision.c, the directory
 * is read back with OpenLDAP's ldapsearch and slapd's log shows what was modified. */
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
/* What owacal-provision --exchange 2016 wrote before it knew that 2016 has no web parts. */
#define WEB_PART_2016(address) "https://mail.example.test/owa/" address "/?cmd=contents&module=calendar&view=weekly"

typedef struct {
  char *dir;
  char *admin_password;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *admin = g_strconcat (require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), "\n", NULL);

  f->dir = harness_temp_dir ();
  f->admin_password = harness_write_file (f->dir, "admin.password", admin);
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
}

/* -H, -b, signed in as the administrator, --exchange @version, --owa-host @host
 * unless it is NULL, then @first... */
static GPtrArray *
args_new (Fixture *f, const char *version, const char *host, const char *first, ...)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char *common[] = { "-H", require_env ("OC_TEST_LDAP_URI"), "-b", require_env ("OC_TEST_LDAP_BASE"),
                           "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"), "--password-file", f->admin_password,
                           "--exchange", version };
  va_list ap;

  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (args, g_strdup (common[i]));
  if (host != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--owa-host"));
      g_ptr_array_add (args, g_strdup (host));
    }
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  return args;
}

/* alice gets the web part an earlier run wrote for Exchange 2016, carol a link
 * to bob's calendar that someone put there by hand.  bob keeps his 2003 URL, dave
 * has nothing, erin her cost centre (the fixture). */
static void
set_up_old_values (void)
{
  g_auto (Run) edit = { 0 };

  run_command (&edit,
               "dn: " ALICE "\nchangetype: modify\nreplace: extensionAttribute1\n"
               "extensionAttribute1: " WEB_PART_2016 ("alice@example.test") "\n\n"
               "dn: " CAROL "\nchangetype: modify\nreplace: extensionAttribute1\n"
               "extensionAttribute1: owacal:bob@example.test\n",
               "ldapmodify", "-x", "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
               "-w", require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), NULL);
  g_assert_cmpint (edit.status, ==, 0);
}

typedef struct {
  const char *version;
  const char *host;    /* --owa-host, or NULL */
  const char *shown;   /* how the header names the version */
} Generation;

/* Each generation from 2016 on, with and without --owa-host, from the same
 * directory: --apply writes links only, replaces owacal's older values of the
 * same person without --force, keeps what is not owacal's, and --undo puts
 * everything back. */
static void
test_write (Fixture *f, gconstpointer data)
{
  static const Generation generations[] = {
    { "2016", "mail.example.test", "2016" },
    { "2016", NULL, "2016" },
    { "2019", NULL, "2019" },
    { "2019", "mail.example.test", "2019" },
    { "se", NULL, "SE" },
    { "SE", "cas.example.test:8443", "SE" },
  };
  const char *mailboxes[] = { ALICE, BOB, CAROL, DAVE, ERIN };
  g_autoptr (GHashTable) before = NULL;

  set_up_old_values ();
  before = directory_snapshot ();
  for (gsize i = 0; i < G_N_ELEMENTS (generations); i++)
    {
      const Generation *g = &generations[i];
      g_autofree char *undo_name = g_strdup_printf ("undo-%" G_GSIZE_FORMAT ".ldif", i);
      g_autofree char *undo_path = g_build_filename (f->dir, undo_name, NULL);
      g_autoptr (GPtrArray) apply = args_new (f, g->version, g->host, "--apply", "--undo-file", undo_path, NULL);
      g_autoptr (GPtrArray) again = args_new (f, g->version, g->host, NULL);
      g_autoptr (GHashTable) after = NULL, restored = NULL;
      g_autofree char *header = g_strdup_printf ("# Calendar URLs: owacal: links for Exchange %s (it has no web parts; "
                                                 "owacal reads the calendars through Exchange Web Services), into "
                                                 "extensionAttribute1\n", g->shown);
      g_autofree char *unused = g_strdup_printf ("# --owa-host %s is not used", g->host ? g->host : "");
      g_autofree char *modified = NULL, *changed = NULL;
      g_auto (Run) run = { 0 };
      guint lines = log_n_lines ();

      g_test_message ("--exchange %s, %s%s", g->version, g->host ? "--owa-host " : "no --owa-host",
                      g->host ? g->host : "");
      run_tool_argv (&run, NULL, NULL, apply);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      assert_contains (run.out, header);
      if (g->host != NULL)
        assert_contains (run.out, unused);
      else
        assert_lacks (run.out, "--owa-host");
      assert_contains (run.out, "# Summary: examined 5, changed 3, unchanged 0, skipped 2, failed 0");
      /* alice's 2016 web part and bob's 2003 URL are theirs: replaced without --force. */
      assert_row (run.out, "alice@example.test", WEB_PART_2016 ("alice@example.test"), "owacal:alice@example.test");
      assert_row (run.out, "alice@example.test", "owacal:alice@example.test", "replace");
      assert_row (run.out, "bob@example.test", "owacal:bob@example.test", "replace");
      assert_row (run.out, "dave@example.test", "owacal:dave@example.test", "add");
      /* carol's link is to bob's calendar, not hers: kept. */
      assert_row (run.out, "carol@example.test", "owacal:bob@example.test", "owacal:carol@example.test");
      assert_row (run.out, "carol@example.test", "owacal:carol@example.test", "keep: not written by owacal");
      /* No web part is written, on any server (the LDIF adds links only; alice's web part is deleted). */
      g_assert_cmpuint (count_of (run.out, "\nadd: extensionAttribute1\nextensionAttribute1: owacal:"), ==, 3);
      assert_lacks (run.out, "\nadd: extensionAttribute1\nextensionAttribute1: http");
      assert_lacks (run.out, "https://cas.example.test");

      after = directory_snapshot ();
      assert_value (after, ALICE, "extensionAttribute1", "owacal:alice@example.test");
      assert_value (after, BOB, "extensionAttribute1", "owacal:bob@example.test");
      assert_value (after, CAROL, "extensionAttribute1", "owacal:bob@example.test");
      /* dave has no mail attribute: his upper-case SMTP: proxy address is used. */
      assert_value (after, DAVE, "extensionAttribute1", "owacal:dave@example.test");
      assert_value (after, ERIN, "extensionAttribute1", "cost centre 4711");
      for (gsize m = 0; m < G_N_ELEMENTS (mailboxes); m++)
        {
          g_autofree char *value = directory_value (after, mailboxes[m], "extensionAttribute1");

          g_assert_null (strstr (value, "/owa/"));
        }
      changed = directory_changed_dns (before, after);
      g_assert_cmpstr (changed, ==, "uid=alice,ou=people,dc=example,dc=test uid=bob,ou=people,dc=example,dc=test "
                                    "uid=dave,ou=people,dc=example,dc=test");
      modified = log_modified_dns (lines);
      g_assert_cmpstr (modified, ==, changed);

      /* The links are what this version writes: nothing left to do. */
      run_tool_argv (&run, NULL, NULL, again);
      g_assert_cmpint (run.status, ==, 0);
      assert_contains (run.out, "examined 5, would change 0, unchanged 3, skipped 2, failed 0");

      run_tool (&run, NULL, NULL, "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
                "--password-file", f->admin_password, "--undo", undo_path, NULL);
      g_assert_cmpint (run.status, ==, 0);
      restored = directory_snapshot ();
      assert_same_directory (before, restored);
    }
}

/* --link-attribute and --force with links: the same rules as for web parts. */
static void
test_force (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) force = args_new (f, "2019", NULL, "--apply", "--force", NULL);
  g_autoptr (GPtrArray) link = args_new (f, "2019", NULL, "--link-attribute", "extensionAttribute2", NULL);
  g_autoptr (GHashTable) after = NULL;
  g_auto (Run) run = { 0 };

  set_up_old_values ();
  /* With --link-attribute, both attributes get the same link. */
  run_tool_argv (&run, NULL, NULL, link);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "\nextensionAttribute1: owacal:dave@example.test\n-\nadd: extensionAttribute2\n"
                            "extensionAttribute2: owacal:dave@example.test\n");

  /* --force replaces what is not owacal's too, with links. */
  run_tool_argv (&run, NULL, NULL, force);
  g_assert_cmpint (run.status, ==, 0);
  assert_row (run.out, "carol@example.test", "owacal:carol@example.test", "replace (--force)");
  assert_row (run.out, "erin@example.test", "owacal:erin@example.test", "replace (--force)");
  assert_contains (run.out, "# Summary: examined 5, changed 5, unchanged 0, skipped 0, failed 0");
  after = directory_snapshot ();
  assert_value (after, CAROL, "extensionAttribute1", "owacal:carol@example.test");
  assert_value (after, ERIN, "extensionAttribute1", "owacal:erin@example.test");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/provision-links/write", Fixture, NULL, fixture_set_up, test_write, fixture_tear_down);
  g_test_add ("/provision-links/force", Fixture, NULL, fixture_set_up, test_force, fixture_tear_down);
  return g_test_run ();
}
