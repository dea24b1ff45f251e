/* oc-sqlite-snapshot.c: read a database another program holds, without touching it.
 *
 * A running Thunderbird holds its address books exclusively locked: opening
 * abook.sqlite with ?mode=ro fails with "database is locked", and waiting is
 * no answer since the lock lasts as long as Thunderbird runs. ?immutable=1
 * opens it but reads the main file only, and recent cards may live only in
 * abook.sqlite-wal (after an unclean exit, for good). And SQLite's ordinary
 * ways of opening a file are a risk to it: they create a -shm file and, when
 * the last connection closes, may checkpoint and delete the -wal.
 *
 * So the files are read in place through oc-sqlite-readonly-vfs.c, which
 * opens them O_RDONLY, takes no locks and keeps the WAL index in memory: the
 * operating system guarantees that owacal writes nothing, and Thunderbird is
 * never blocked. A database in rollback mode with a journal beside it (a
 * writer died in a transaction) needs a rollback that a read-only reader
 * cannot do; that rare case, and anything the in-place read refuses, is read
 * from a private copy instead.
 *
 * Without locks, a writer may change the files while they are read: the files'
 * sizes and times are taken at open, and oc_sqlite_snapshot_is_stale() tells
 * the caller to read again when they moved.
 */
#include "config.h"
#include "oc-sqlite-snapshot.h"

#include "oc-file-copy.h"
#include "oc-sqlite-readonly-vfs.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#define MAX_COPY_ATTEMPTS 3

/* The files holding committed rows: the database, its -wal, a rollback journal. */
static const char *const suffixes[] = { "", "-wal", "-journal" };
#define N_FILES G_N_ELEMENTS (suffixes)

typedef struct {
  gboolean exists;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} FileState;

struct _OcSqliteSnapshot {
  char *path;
  char *copy_dir;  /* the private copy's directory; NULL when read in place */
  sqlite3 *db;
  FileState states[N_FILES];
};

static void
read_states (const char *path,
             FileState  *out)
{
  for (gsize i = 0; i < N_FILES; i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      struct stat info;

      out[i].exists = stat (file, &info) == 0;
      if (!out[i].exists)
        continue;
      out[i].dev = info.st_dev;
      out[i].ino = info.st_ino;
      out[i].size = info.st_size;
      out[i].mtime = info.st_mtim;
    }
}

static gboolean
same_states (const FileState *a,
             const FileState *b)
{
  for (gsize i = 0; i < N_FILES; i++)
    {
      if (a[i].exists != b[i].exists)
        return FALSE;
      if (a[i].exists && (a[i].dev != b[i].dev || a[i].ino != b[i].ino || a[i].size != b[i].size ||
                          a[i].mtime.tv_sec != b[i].mtime.tv_sec || a[i].mtime.tv_nsec != b[i].mtime.tv_nsec))
        return FALSE;
    }
  return TRUE;
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* Reads something, so that a database SQLite cannot read this way fails here. */
static gboolean
probe (sqlite3  *db,
       GError  **error)
{
  int rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
open_in_place (OcSqliteSnapshot  *self,
               GError           **error)
{
  g_autofree char *escaped = g_uri_escape_string (self->path, "/", FALSE);
  /* No -wal: nothing to merge, and the read-only VFS could not open a missing one. */
  gboolean has_wal = self->states[1].exists && self->states[1].size > 0;
  g_autofree char *uri = g_strdup_printf ("file:%s?vfs=%s%s", escaped, oc_sqlite_readonly_vfs_get_name (),
                                          has_wal ? "" : "&immutable=1");
  int rc = sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc);
      return FALSE;
    }
  /* Before the first read: the WAL index in memory, not in a -shm file (see oc-sqlite-readonly-vfs.c). */
  sqlite3_exec (self->db, "PRAGMA locking_mode = EXCLUSIVE", NULL, NULL, NULL);
  sqlite3_exec (self->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
  return probe (self->db, error);
}

static void
empty_dir (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
}

/* Copies every file that exists; @out_stable says whether none moved meanwhile. */
static gboolean
copy_files (OcSqliteSnapshot  *self,
            const char        *copy,
            gboolean          *out_stable,
            GError           **error)
{
  FileState before[N_FILES], after[N_FILES];

  read_states (self->path, before);
  for (gsize i = 0; i < N_FILES; i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (copy, suffixes[i], NULL);
      g_autoptr (GError) local_error = NULL;

      if (!oc_file_copy (from, to, &local_error) &&
          (i == 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  read_states (self->path, after);
  *out_stable = same_states (before, after);
  return TRUE;
}

static gboolean
open_copy (OcSqliteSnapshot  *self,
           GCancellable      *cancellable,
           GError           **error)
{
  g_autofree char *name = g_path_get_basename (self->path);
  g_autofree char *copy = NULL;
  gboolean stable = FALSE;
  int rc;

  self->copy_dir = g_dir_make_tmp ("owacal-db-XXXXXX", error);
  if (self->copy_dir == NULL)
    return FALSE;
  copy = g_build_filename (self->copy_dir, name, NULL);
  for (int attempt = 0; attempt < MAX_COPY_ATTEMPTS && !stable; attempt++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      empty_dir (self->copy_dir);
      if (!copy_files (self, copy, &stable, error))
        return FALSE;
    }
  /* Still moving after three tries: the last copy is as good as any. */

  rc = sqlite3_open_v2 (copy, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc);
      return FALSE;
    }
  /* The copy is thrown away: checkpointing its -wal on close would be wasted work. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_exec (self->db, "PRAGMA query_only = 1", NULL, NULL, NULL);
  return TRUE;
}

/**
 * oc_sqlite_snapshot_open:
 * @path: an SQLite database that another program may hold open and locked
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens @path, with every row committed to it or its -wal, for reading,
 * without locking, blocking or writing any of its files.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL with @error set
 */
OcSqliteSnapshot *
oc_sqlite_snapshot_open (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr (OcSqliteSnapshot) self = g_new0 (OcSqliteSnapshot, 1);

  g_return_val_if_fail (path != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self->path = g_strdup (path);
  read_states (path, self->states);
  if (!self->states[0].exists)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Cannot open %s: %s", path, g_strerror (ENOENT));
      return NULL;
    }
  /* A rollback journal may be hot: only a copy can be rolled back. */
  if (!self->states[2].exists && open_in_place (self, NULL))
    return g_steal_pointer (&self);

  g_clear_pointer (&self->db, sqlite3_close_v2);
  if (!open_copy (self, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * oc_sqlite_snapshot_get_db:
 * @self: a snapshot
 *
 * Returns: (transfer none): the connection, read-only
 */
sqlite3 *
oc_sqlite_snapshot_get_db (OcSqliteSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->db;
}

/**
 * oc_sqlite_snapshot_is_copy:
 * @self: a snapshot
 *
 * Returns: whether the database is read from a private copy rather than in place
 */
gboolean
oc_sqlite_snapshot_is_copy (OcSqliteSnapshot *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->copy_dir != NULL;
}

/**
 * oc_sqlite_snapshot_is_stale:
 * @self: a snapshot
 *
 * A database read in place may be written while it is read, since nothing
 * is locked. Call this after reading: if the files moved, what was read may
 * mix two states, and should be read again from a new snapshot.
 *
 * Returns: whether the files changed since @self was opened
 */
gboolean
oc_sqlite_snapshot_is_stale (OcSqliteSnapshot *self)
{
  FileState now[N_FILES];

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->copy_dir != NULL)
    return FALSE;
  read_states (self->path, now);
  return !same_states (self->states, now);
}

/**
 * oc_sqlite_snapshot_free:
 * @self: (nullable): a snapshot
 *
 * Closes the connection and deletes the private copy, if any.
 */
void
oc_sqlite_snapshot_free (OcSqliteSnapshot *self)
{
  if (self == NULL)
    return;
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->copy_dir != NULL)
    {
      empty_dir (self->copy_dir);
      g_rmdir (self->copy_dir);
      g_free (self->copy_dir);
    }
  g_free (self->path);
  g_free (self);
}
