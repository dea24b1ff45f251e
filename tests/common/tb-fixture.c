/* tb-fixture.c: Thunderbird profiles and address books, built for tests at run time.
 *
 * The real profile Thunderbird 153 wrote lives in tests/fixtures/thunderbird-153/
 * as text (ini files, prefs.js, SQL dumps). More cards are written here the way
 * Thunderbird writes them: a vCard 4.0 folded at 75 octets with TEXT escapes,
 * plus the PrimaryEmail/SecondEmail/DisplayName rows it copies out of it.
 */
#include "config.h"
#include "tb-fixture.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define FOLD_AT 75

/**
 * tb_fixture_path:
 * @name: a file of tests/fixtures/thunderbird-153/
 *
 * Returns: (transfer full): its path in the source tree
 */
char *
tb_fixture_path (const char *name)
{
  const char *root = g_getenv ("OWACAL_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "tests", "fixtures", "thunderbird-153", name, NULL);
}

char *
tb_fixture_read (const char *name)
{
  g_autofree char *path = tb_fixture_path (name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

void
tb_fixture_exec (const char *db_path,
                 const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL on %s failed: %s", db_path, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* An empty book as Thunderbird creates it (the fixture's Collected Addresses), plus @cards_sql. */
void
tb_fixture_create_book (const char *db_path,
                        const char *cards_sql)
{
  g_autofree char *schema = tb_fixture_read ("history.sql");

  tb_fixture_exec (db_path, schema);
  if (cards_sql != NULL)
    tb_fixture_exec (db_path, cards_sql);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/**
 * tb_fixture_install:
 * @home: a home directory
 *
 * Writes the real profile into @home/.thunderbird: both profiles, the ini
 * files, prefs.js, abook.sqlite and history.sqlite.
 *
 * Returns: (transfer full): the data profile's directory
 */
char *
tb_fixture_install (const char *home)
{
  g_autofree char *root = g_build_filename (home, ".thunderbird", NULL);
  g_autofree char *empty_profile = g_build_filename (root, "ke3j8gv5.default", NULL);
  g_autofree char *profile = g_build_filename (root, TB_FIXTURE_PROFILE, NULL);
  static const char *const texts[] = { "profiles.ini", "installs.ini" };
  g_autofree char *prefs = tb_fixture_read ("prefs.js");
  g_autofree char *abook_sql = tb_fixture_read ("abook.sql");
  g_autofree char *abook = g_build_filename (profile, "abook.sqlite", NULL);
  g_autofree char *history_sql = tb_fixture_read ("history.sql");
  g_autofree char *history = g_build_filename (profile, "history.sqlite", NULL);

  g_assert_cmpint (g_mkdir_with_parents (profile, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (empty_profile, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *contents = tb_fixture_read (texts[i]);
      write_file (root, texts[i], contents);
    }
  write_file (profile, "prefs.js", prefs);
  tb_fixture_exec (abook, abook_sql);
  tb_fixture_exec (history, history_sql);
  return g_steal_pointer (&profile);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '\\' || *p == ',' || *p == ';')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
}

/* RFC 6350 §3.2: lines of at most 75 octets; a continuation starts with one space. */
static void
append_folded (GString    *out,
               const char *line)
{
  gsize length = strlen (line);
  gsize chunk = FOLD_AT;

  for (gsize done = 0; done < length; done += chunk, chunk = FOLD_AT - 1)
    {
      if (done > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, line + done, MIN (chunk, length - done));
      g_string_append (out, "\r\n");
    }
}

/**
 * tb_fixture_vcard:
 * @uid: the card's UID
 * @full_name: its FN
 * @emails: (array zero-terminated=1): its addresses, the preferred first
 * @x_custom1: (nullable): the unescaped Custom1 value
 *
 * Returns: (transfer full): the vCard as Thunderbird 153 writes it
 */
char *
tb_fixture_vcard (const char        *uid,
                  const char        *full_name,
                  const char *const *emails,
                  const char        *x_custom1)
{
  g_autoptr (GString) out = g_string_new ("BEGIN:VCARD\r\nVERSION:4.0\r\n");
  g_autoptr (GString) line = g_string_new (NULL);

  g_string_assign (line, "FN:");
  append_escaped (line, full_name);
  append_folded (out, line->str);
  for (gsize i = 0; emails[i] != NULL; i++)
    {
      g_string_assign (line, i == 0 ? "EMAIL;PREF=1:" : "EMAIL:");
      append_escaped (line, emails[i]);
      append_folded (out, line->str);
    }
  if (x_custom1 != NULL)
    {
      g_string_assign (line, "X-CUSTOM1;VALUE=TEXT:");
      append_escaped (line, x_custom1);
      append_folded (out, line->str);
    }
  g_string_printf (line, "UID:%s", uid);
  append_folded (out, line->str);
  g_string_append (out, "END:VCARD\r\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_row (GString    *sql,
            const char *uid,
            const char *name,
            const char *value)
{
  g_autofree char *quoted = NULL;
  g_auto (GStrv) parts = g_strsplit (value, "'", -1);

  quoted = g_strjoinv ("''", parts);
  g_string_append_printf (sql, "INSERT INTO properties VALUES('%s','%s','%s');\n", uid, name, quoted);
}

/**
 * tb_fixture_card_sql:
 * @uid: the card's UID
 * @full_name: its name
 * @emails: (array zero-terminated=1): its addresses; the first two also get rows
 * @x_custom1: (nullable): Custom1 in the vCard
 * @custom1_row: (nullable): a legacy Custom1 row, as cards from before Thunderbird 102 have
 *
 * Returns: (transfer full): INSERT statements for the card's rows
 */
char *
tb_fixture_card_sql (const char        *uid,
                     const char        *full_name,
                     const char *const *emails,
                     const char        *x_custom1,
                     const char        *custom1_row)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autofree char *vcard = tb_fixture_vcard (uid, full_name, emails, x_custom1);

  append_row (sql, uid, "PopularityIndex", "0");
  append_row (sql, uid, "LastModifiedDate", "1795531245");
  append_row (sql, uid, "_vCard", vcard);
  append_row (sql, uid, "DisplayName", full_name);
  if (emails[0] != NULL)
    append_row (sql, uid, "PrimaryEmail", emails[0]);
  if (emails[0] != NULL && emails[1] != NULL)
    append_row (sql, uid, "SecondEmail", emails[1]);
  if (custom1_row != NULL)
    append_row (sql, uid, "Custom1", custom1_row);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/**
 * tb_fixture_remove_tree:
 * @path: a directory a test made
 *
 * Deletes it with everything in it (symbolic links are not followed).
 */
void
tb_fixture_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tb_fixture_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/**
 * tb_fixture_env:
 * @name: a variable tests/testbed/testbed.py sets, such as OC_TEST_LDAP_URI
 *
 * Returns: its value; a test run without the testbed fails here, saying so
 */
const char *
tb_fixture_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through tests/testbed/testbed.py (see tests/meson.build)", name);
  return value;
}
