/* Thunderbird address books: the real profile, and cards written the way Thunderbird writes them. */
#include "config.h"

#include "oc-address-book.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tb-fixture.h"

#define ALICE_URL "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar"
#define BOB_URL "http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents"

typedef struct {
  char *home;
  char *profile;
  char *abook;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->home = g_dir_make_tmp ("home-XXXXXX", NULL);
  fixture->profile = tb_fixture_install (fixture->home);
  fixture->abook = g_build_filename (fixture->profile, "abook.sqlite", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_fixture_remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->profile);
  g_free (fixture->abook);
}

static OcContact *
lookup (const char *path,
        const char *email)
{
  g_autoptr (OcAddressBook) book = oc_address_book_new ("Test Book", path);
  g_autoptr (GError) error = NULL;
  OcContact *contact = oc_address_book_lookup_sync (book, email, NULL, &error);

  g_assert_no_error (error);
  return contact;
}

static void
assert_custom1 (const char *path,
                const char *email,
                const char *expected)
{
  g_autoptr (OcContact) contact = lookup (path, email);

  g_assert_nonnull (contact);
  g_assert_cmpstr (contact->custom1, ==, expected);
}

static void
add_card (const char        *path,
          const char        *uid,
          const char *const *emails,
          const char        *x_custom1,
          const char        *custom1_row)
{
  g_autofree char *sql = tb_fixture_card_sql (uid, uid, emails, x_custom1, custom1_row);

  tb_fixture_exec (path, sql);
}

static int
count_rows (const char *path,
            const char *sql)
{
  g_autofree char *uri = g_strdup_printf ("file:%s?immutable=1", path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* The profile Thunderbird 153 wrote. */
static void
test_real_profile (Fixture *fixture, gconstpointer data)
{
  g_autoptr (OcPrefs) prefs = oc_prefs_load_profile (fixture->profile, NULL);
  g_autoptr (GPtrArray) books = oc_address_book_list (fixture->profile, prefs);
  g_autoptr (OcContact) carol = NULL;
  g_autoptr (OcContact) alice = NULL;

  g_assert_cmpuint (books->len, ==, 2);
  g_assert_cmpstr (oc_address_book_get_name (g_ptr_array_index (books, 0)), ==, "Personal Address Book");
  g_assert_cmpstr (oc_address_book_get_path (g_ptr_array_index (books, 0)), ==, fixture->abook);
  g_assert_cmpstr (oc_address_book_get_name (g_ptr_array_index (books, 1)), ==, "Collected Addresses");

  alice = lookup (fixture->abook, "alice@example.test");
  g_assert_cmpstr (alice->custom1, ==, ALICE_URL);
  g_assert_cmpstr (alice->display_name, ==, "Alice Example");
  g_assert_cmpstr (alice->id, ==, "28d9f1b7-96d6-4dd9-b717-2bed7d04fa42");
  assert_custom1 (fixture->abook, "bob@example.test", BOB_URL);
  assert_custom1 (fixture->abook, "bob.example@corp.example.test", BOB_URL);
  /* Carol is there, without a calendar address. */
  carol = lookup (fixture->abook, "carol@example.test");
  g_assert_nonnull (carol);
  g_assert_null (carol->custom1);
  g_assert_null (lookup (fixture->abook, "dave@example.test"));
  g_assert_null (lookup (oc_address_book_get_path (g_ptr_array_index (books, 1)), "alice@example.test"));
}

static void
test_folding_and_escapes (Fixture *fixture, gconstpointer data)
{
  const char *url = "https://mail.example.test/owa/erin@example.test/?cmd=contents&module=calendar"
                    "&view=weekly,workweek&folder=C:\\Shared\\Team;Calendars&x=very-long-parameter-to-fold-again";
  g_autofree char *vcard = tb_fixture_vcard ("u", "Erin", (const char *const[]) { "erin@example.test", NULL }, url);

  /* The value really is folded more than once and escaped. */
  g_assert_nonnull (strstr (vcard, "\r\n "));
  g_assert_nonnull (strstr (strstr (vcard, "\r\n ") + 3, "\r\n "));
  g_assert_nonnull (strstr (vcard, "weekly\\,workweek"));
  g_assert_nonnull (strstr (vcard, "C:\\\\Shared"));
  add_card (fixture->abook, "erin", (const char *const[]) { "erin@example.test", NULL }, url, NULL);
  assert_custom1 (fixture->abook, "erin@example.test", url);
}

static void
test_three_emails (Fixture *fixture, gconstpointer data)
{
  const char *const emails[] = { "frank@example.test", "frank@home.example", "frank.third@example.test", NULL };

  add_card (fixture->abook, "frank", emails, "https://mail.example.test/owa/frank/", NULL);
  /* Thunderbird keeps no row for a third address. */
  g_assert_cmpint (count_rows (fixture->abook, "SELECT count(*) FROM properties WHERE name != '_vCard' "
                                               "AND value LIKE '%frank.third%'"), ==, 0);
  for (gsize i = 0; emails[i] != NULL; i++)
    assert_custom1 (fixture->abook, emails[i], "https://mail.example.test/owa/frank/");
}

static void
test_mixed_case (Fixture *fixture, gconstpointer data)
{
  add_card (fixture->abook, "grace", (const char *const[]) { "Grace.Hopper@Example.TEST", "x@example.test",
                                                             "Third.Grace@EXAMPLE.test", NULL },
            "https://mail.example.test/owa/grace/", NULL);
  add_card (fixture->abook, "jorg", (const char *const[]) { "JÖRG@Example.Test", NULL },
            "https://mail.example.test/owa/jorg/", NULL);
  assert_custom1 (fixture->abook, "grace.hopper@example.test", "https://mail.example.test/owa/grace/");
  assert_custom1 (fixture->abook, "GRACE.HOPPER@example.test", "https://mail.example.test/owa/grace/");
  assert_custom1 (fixture->abook, "third.grace@example.test", "https://mail.example.test/owa/grace/");
  assert_custom1 (fixture->abook, "jörg@example.test", "https://mail.example.test/owa/jorg/");
  assert_custom1 (fixture->abook, "ALICE@EXAMPLE.TEST", ALICE_URL);
}

static void
test_legacy_row (Fixture *fixture, gconstpointer data)
{
  /* From before Thunderbird 102: a Custom1 row, no X-CUSTOM1; or no vCard at all. */
  add_card (fixture->abook, "henry", (const char *const[]) { "henry@example.test", NULL }, NULL,
            "https://old.example.test/exchange/henry/Calendar/");
  tb_fixture_exec (fixture->abook,
                   "INSERT INTO properties VALUES('ivy','PrimaryEmail','ivy@example.test');"
                   "INSERT INTO properties VALUES('ivy','DisplayName','Ivy');"
                   "INSERT INTO properties VALUES('ivy','Custom1','https://old.example.test/exchange/ivy/');");
  /* Both: the vCard is the truth. A blank X-CUSTOM1 is no value. */
  add_card (fixture->abook, "jack", (const char *const[]) { "jack@example.test", NULL },
            "https://new.example.test/owa/jack/", "https://old.example.test/exchange/jack/");
  add_card (fixture->abook, "kim", (const char *const[]) { "kim@example.test", NULL }, "  ",
            "https://old.example.test/exchange/kim/");

  assert_custom1 (fixture->abook, "henry@example.test", "https://old.example.test/exchange/henry/Calendar/");
  assert_custom1 (fixture->abook, "ivy@example.test", "https://old.example.test/exchange/ivy/");
  assert_custom1 (fixture->abook, "jack@example.test", "https://new.example.test/owa/jack/");
  assert_custom1 (fixture->abook, "kim@example.test", "https://old.example.test/exchange/kim/");
}

static void
test_card_with_custom1_wins (Fixture *fixture, gconstpointer data)
{
  add_card (fixture->abook, "lea-1", (const char *const[]) { "lea@example.test", NULL }, NULL, NULL);
  add_card (fixture->abook, "lea-2", (const char *const[]) { "other@example.test", "x@example.test",
                                                             "lea@example.test", NULL },
            "https://mail.example.test/owa/lea/", NULL);
  assert_custom1 (fixture->abook, "lea@example.test", "https://mail.example.test/owa/lea/");
}

static void
test_books_listed (Fixture *fixture, gconstpointer data)
{
  static const char *const files[] = { "abook-1.sqlite", "abook-2.sqlite", "abook-3.sqlite" };
  g_autofree char *extra = NULL;
  g_autofree char *user_js = g_build_filename (fixture->profile, "user.js", NULL);
  g_autoptr (OcPrefs) prefs = NULL;
  g_autoptr (GPtrArray) books = NULL;
  const char *names[6] = { NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (fixture->profile, files[i], NULL);
      tb_fixture_create_book (path, NULL);
    }
  extra = g_strdup_printf (
    "user_pref(\"ldap_2.servers.Work.description\", \"Work\");\n"
    "user_pref(\"ldap_2.servers.Work.dirType\", 101);\n"
    "user_pref(\"ldap_2.servers.Work.filename\", \"abook-1.sqlite\");\n"
    "user_pref(\"ldap_2.servers.Archive.description\", \"Archive\");\n"
    "user_pref(\"ldap_2.servers.Archive.dirType\", 101);\n"
    "user_pref(\"ldap_2.servers.Archive.filename\", \"abook-2.sqlite\");\n"
    "user_pref(\"ldap_2.servers.Team.description\", \"Team (CardDAV)\");\n"
    "user_pref(\"ldap_2.servers.Team.dirType\", 102);\n"
    "user_pref(\"ldap_2.servers.Team.filename\", \"abook-3.sqlite\");\n"
    "user_pref(\"ldap_2.servers.Gone.description\", \"Deleted file\");\n"
    "user_pref(\"ldap_2.servers.Gone.dirType\", 101);\n"
    "user_pref(\"ldap_2.servers.Gone.filename\", \"abook-9.sqlite\");\n"
    "user_pref(\"ldap_2.servers.pab.description\", \"Mine\");\n");
  g_assert_true (g_file_set_contents (user_js, extra, -1, NULL));
  prefs = oc_prefs_load_profile (fixture->profile, NULL);
  books = oc_address_book_list (fixture->profile, prefs);
  g_assert_cmpuint (books->len, ==, 5);
  for (guint i = 0; i < books->len; i++)
    names[i] = oc_address_book_get_name (g_ptr_array_index (books, i));
  /* Personal first, Collected last, the others by name; the LDAP directory is not a book. */
  g_assert_cmpstrv (names, ((const char *const[]) { "Mine", "Archive", "Team (CardDAV)", "Work",
                                                    "Collected Addresses", NULL }));
}

/* A card only in the -wal file: Thunderbird running, or killed before a checkpoint. */
static void
test_wal_only (Fixture *fixture, gconstpointer data)
{
  g_autofree char *sql = tb_fixture_card_sql ("mia", "Mia", (const char *const[]) { "mia@example.test", NULL },
                                              "https://mail.example.test/owa/mia/", NULL);
  g_autofree char *crashed = g_build_filename (fixture->home, "crashed", NULL);
  g_autofree char *crashed_db = g_build_filename (crashed, "abook.sqlite", NULL);
  sqlite3 *writer = NULL;

  g_assert_cmpint (sqlite3_open (fixture->abook, &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "PRAGMA journal_mode=wal; PRAGMA wal_autocheckpoint=0;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  /* The main file alone does not have her. */
  g_assert_cmpint (count_rows (fixture->abook, "SELECT count(*) FROM properties WHERE card = 'mia'"), ==, 0);
  g_assert_true (g_file_test (fixture->abook, G_FILE_TEST_EXISTS));
  assert_custom1 (fixture->abook, "mia@example.test", "https://mail.example.test/owa/mia/");

  /* The files as an unclean exit leaves them: the database and its -wal, no process. */
  g_assert_cmpint (g_mkdir (crashed, 0700), ==, 0);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *from = g_strconcat (fixture->abook, i ? "-wal" : "", NULL);
      g_autofree char *to = g_strconcat (crashed_db, i ? "-wal" : "", NULL);
      g_autofree char *contents = NULL;
      gsize length;
      g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (to, contents, length, NULL));
    }
  sqlite3_close (writer);
  g_assert_cmpint (count_rows (crashed_db, "SELECT count(*) FROM properties WHERE card = 'mia'"), ==, 0);
  assert_custom1 (crashed_db, "mia@example.test", "https://mail.example.test/owa/mia/");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
checksum_dir (const char *dir)
{
  g_autoptr (GString) sums = g_string_new (NULL);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      g_autofree char *sum = NULL;
      gsize length = 0;
      g_file_get_contents (path, &contents, &length, NULL);
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      g_string_append_printf (sums, "%s %s\n", (char *) g_ptr_array_index (names, i), sum);
    }
  return g_string_free (g_steal_pointer (&sums), FALSE);
}

/* Another process holds the database exclusively, as a running Thunderbird does. */
static void
test_locked (Fixture *fixture, gconstpointer data)
{
  g_autofree char *locker = g_build_filename (g_getenv ("OWACAL_BUILD_ROOT"), "tests", "tb-locker", NULL);
  g_autofree char *committed = tb_fixture_card_sql ("nora", "Nora", (const char *const[]) { "nora@example.test", NULL },
                                                    "https://mail.example.test/owa/nora/", NULL);
  g_autofree char *pending = tb_fixture_card_sql ("otto", "Otto", (const char *const[]) { "otto@example.test", NULL },
                                                  "https://mail.example.test/owa/otto/", NULL);
  const char *argv[] = { locker, fixture->abook, committed, pending, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", fixture->abook);
  sqlite3 *reader = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");

  /* The lock is real: SQLite itself cannot read the book now. */
  g_assert_cmpint (sqlite3_open_v2 (uri, &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (reader, "SELECT count(*) FROM properties", NULL, NULL, NULL), ==, SQLITE_BUSY);
  sqlite3_close (reader);

  before = checksum_dir (fixture->profile);
  assert_custom1 (fixture->abook, "nora@example.test", "https://mail.example.test/owa/nora/");
  assert_custom1 (fixture->abook, "alice@example.test", ALICE_URL);
  g_assert_null (lookup (fixture->abook, "otto@example.test"));
  /* Thunderbird's files are as they were: no -shm, the -wal intact. */
  after = checksum_dir (fixture->profile);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL));
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_unreadable (const char *path,
                   const char *detail)
{
  g_autoptr (OcAddressBook) book = oc_address_book_new ("Personal Address Book", path);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = oc_address_book_lookup_sync (book, "alice@example.test", NULL, &error);

  g_assert_null (contact);
  g_assert_error (error, OC_ADDRESS_BOOK_ERROR, OC_ADDRESS_BOOK_ERROR_UNREADABLE);
  g_assert_true (g_str_has_prefix (error->message, "The address book “Personal Address Book” cannot be read"));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, detail));
}

static void
test_corrupt (Fixture *fixture, gconstpointer data)
{
  g_autofree char *contents = NULL;
  g_autofree char *foreign = g_build_filename (fixture->home, "foreign.sqlite", NULL);
  g_autofree char *missing = g_build_filename (fixture->home, "missing.sqlite", NULL);
  gsize length;

  /* Damaged: the header survives, the pages do not. */
  g_assert_true (g_file_get_contents (fixture->abook, &contents, &length, NULL));
  memset (contents + 100, 0xA5, length - 100);
  g_assert_true (g_file_set_contents (fixture->abook, contents, length, NULL));
  assert_unreadable (fixture->abook, "malformed");

  g_assert_true (g_file_set_contents (fixture->abook, "This is not a database, it is a letter.\n" "x", -1, NULL));
  assert_unreadable (fixture->abook, "not a database");

  tb_fixture_exec (foreign, "CREATE TABLE cookies (name TEXT);");
  assert_unreadable (foreign, "no such table: properties");
  assert_unreadable (missing, "No such file");
}

static void
test_cancelled (Fixture *fixture, gconstpointer data)
{
  g_autoptr (OcAddressBook) book = oc_address_book_new ("Personal Address Book", fixture->abook);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = NULL;

  g_cancellable_cancel (cancellable);
  contact = oc_address_book_lookup_sync (book, "alice@example.test", cancellable, &error);
  g_assert_null (contact);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/oc/address-book/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("real-profile", test_real_profile);
  ADD ("folding-and-escapes", test_folding_and_escapes);
  ADD ("three-emails", test_three_emails);
  ADD ("mixed-case", test_mixed_case);
  ADD ("legacy-row", test_legacy_row);
  ADD ("card-with-custom1-wins", test_card_with_custom1_wins);
  ADD ("books-listed", test_books_listed);
  ADD ("wal-only", test_wal_only);
  ADD ("locked", test_locked);
  ADD ("corrupt", test_corrupt);
  ADD ("cancelled", test_cancelled);
#undef ADD
  return g_test_run ();
}
