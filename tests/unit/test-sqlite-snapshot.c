/* Reading a database that another program holds: in place, or from a copy; never writing it. */
#include "config.h"

#include "oc-sqlite-snapshot.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tb-fixture.h"

typedef struct {
  char *dir;
  char *db_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("snapshot-XXXXXX", NULL);
  fixture->db_path = g_build_filename (fixture->dir, "abook.sqlite", NULL);
  tb_fixture_exec (fixture->db_path, "PRAGMA journal_mode=wal; CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('main');");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_fixture_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static char *
read_rows (OcSqliteSnapshot *snapshot)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) rows = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (oc_sqlite_snapshot_get_db (snapshot), "SELECT x FROM t ORDER BY rowid", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (rows, "%s%s", rows->len ? "," : "", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&rows), FALSE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Names and checksums of the files in @dir. */
static char *
list_dir (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autofree char *sum = NULL;

      g_file_get_contents (path, &contents, &length, NULL);
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1, (const guchar *) contents, length);
      g_ptr_array_add (names, g_strdup_printf ("%s:%s", name, sum));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Rows only in the -wal, the writer still there: read in place, nothing written. */
static void
test_wal_in_place (Fixture *fixture, gconstpointer data)
{
  sqlite3 *writer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcSqliteSnapshot) snapshot = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *rows = NULL;

  g_assert_cmpint (sqlite3_open (fixture->db_path, &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA wal_autocheckpoint=0;"
                                         "INSERT INTO t VALUES ('wal');", NULL, NULL, NULL), ==, SQLITE_OK);
  before = list_dir (fixture->dir);
  g_assert_nonnull (strstr (before, "abook.sqlite-wal:"));

  snapshot = oc_sqlite_snapshot_open (fixture->db_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (oc_sqlite_snapshot_is_copy (snapshot));
  rows = read_rows (snapshot);
  g_assert_cmpstr (rows, ==, "main,wal");
  g_assert_false (oc_sqlite_snapshot_is_stale (snapshot));
  g_clear_pointer (&snapshot, oc_sqlite_snapshot_free);
  /* No -shm, no checkpoint, no deleted -wal. */
  after = list_dir (fixture->dir);
  g_assert_cmpstr (before, ==, after);
  sqlite3_close (writer);
}

/* A write while the snapshot is open makes it stale. */
static void
test_stale (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcSqliteSnapshot) snapshot = oc_sqlite_snapshot_open (fixture->db_path, NULL, &error);
  g_autofree char *rows = NULL;

  g_assert_no_error (error);
  rows = read_rows (snapshot);
  g_assert_cmpstr (rows, ==, "main");
  g_assert_false (oc_sqlite_snapshot_is_stale (snapshot));
  tb_fixture_exec (fixture->db_path, "INSERT INTO t VALUES ('later');");
  g_assert_true (oc_sqlite_snapshot_is_stale (snapshot));
}

/* A writer died in a rollback-mode transaction: the journal is hot; only a copy can be rolled back. */
static void
test_hot_journal (Fixture *fixture, gconstpointer data)
{
  g_autofree char *crashed = g_build_filename (fixture->dir, "crashed", NULL);
  g_autofree char *crashed_db = g_build_filename (crashed, "abook.sqlite", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcSqliteSnapshot) snapshot = NULL;
  sqlite3 *writer = NULL;

  g_assert_cmpint (sqlite3_open (fixture->db_path, &writer), ==, SQLITE_OK);
  /* A tiny cache spills the transaction's pages into the database file before the commit. */
  g_assert_cmpint (sqlite3_exec (writer, "PRAGMA journal_mode=DELETE; PRAGMA cache_size=2; BEGIN;"
                                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                                         "INSERT INTO t SELECT 'uncommitted ' || i || printf('%.200c', 'x') FROM n;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (g_mkdir (crashed, 0700), ==, 0);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *from = g_strconcat (fixture->db_path, i ? "-journal" : "", NULL);
      g_autofree char *to = g_strconcat (crashed_db, i ? "-journal" : "", NULL);
      g_autofree char *contents = NULL;
      gsize length;
      g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (to, contents, length, NULL));
    }
  sqlite3_close (writer);

  before = list_dir (crashed);
  snapshot = oc_sqlite_snapshot_open (crashed_db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (oc_sqlite_snapshot_is_copy (snapshot));
  rows = read_rows (snapshot);
  g_assert_cmpstr (rows, ==, "main");
  g_clear_pointer (&snapshot, oc_sqlite_snapshot_free);
  after = list_dir (crashed);
  g_assert_cmpstr (before, ==, after);
  g_assert_nonnull (strstr (after, "abook.sqlite-journal:"));
}

/* Nothing is left behind: the private copy goes with the snapshot. */
static void
test_copy_removed (Fixture *fixture, gconstpointer data)
{
  g_autofree char *journal = g_strconcat (fixture->db_path, "-journal", NULL);
  g_autofree char *tmp_before = NULL;
  g_autofree char *tmp_after = NULL;
  g_autoptr (GError) error = NULL;
  OcSqliteSnapshot *snapshot;

  /* An empty journal beside the database is not hot, but makes owacal take the copy path. */
  g_assert_true (g_file_set_contents (journal, "", 0, NULL));
  tmp_before = list_dir (g_get_tmp_dir ());
  snapshot = oc_sqlite_snapshot_open (fixture->db_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (oc_sqlite_snapshot_is_copy (snapshot));
  oc_sqlite_snapshot_free (snapshot);
  tmp_after = list_dir (g_get_tmp_dir ());
  g_assert_cmpstr (tmp_before, ==, tmp_after);
}

int
main (int argc, char **argv)
{
  g_autofree char *tmp = g_build_filename (g_getenv ("TMPDIR") ? g_getenv ("TMPDIR") : "/tmp",
                                           "test-sqlite-snapshot-XXXXXX", NULL);
  int status;

  /* A temporary directory of this test's own, so that it can tell what owacal left there. */
  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/oc/sqlite-snapshot/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("wal-in-place", test_wal_in_place);
  ADD ("stale", test_stale);
  ADD ("hot-journal", test_hot_journal);
  ADD ("copy-removed", test_copy_removed);
#undef ADD
  status = g_test_run ();
  tb_fixture_remove_tree (tmp);
  return status;
}
