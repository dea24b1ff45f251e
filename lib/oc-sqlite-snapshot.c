/* oc-sqlite-snapshot.c: read a database another program holds, without touching it.
 *
 * A running Thunderbird holds its address books exclusively locked: opening
 * abook.sqlite with ?mode=ro fails with "database is locked", and waiting is
 * no answer since the lock lasts as long as Thunderbird runs. ?immutable=1
 * opens it but reads the main file only, and recent cards may live only in
 * abook.sqlite-wal (after an unclean exit, for good). Opening Thunderbird's
 * files with SQLite at all is also a risk to them: SQLite creates -shm files
 * and, on closing, may checkpoint and delete the -wal.
 *
 * So owacal reads the files with plain read-only open(2) calls, copies the
 * database and its -wal (or hot -journal) into a private directory and lets
 * SQLite open the copy, which then sees every committed row. The copy is
 * cheap where the file system can clone (FICLONE) and in-kernel elsewhere
 * (copy_file_range). A writer may change the files while they are copied;
 * the sizes and times are compared before and after, and the copy is taken
 * again if they moved.
 */
#define _GNU_SOURCE  /* copy_file_range() */
#include "config.h"
#include "oc-sqlite-snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ATTEMPTS 3

struct _OcSqliteSnapshot {
  char *dir;
  sqlite3 *db;
};

/* The files SQLite needs to see every committed row, in the order they are copied. */
static const char *const suffixes[] = { "", "-wal", "-journal" };

typedef struct {
  gboolean exists;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} FileState;

static void
read_state (const char *path,
            FileState  *out)
{
  struct stat info;

  out->exists = stat (path, &info) == 0;
  if (!out->exists)
    return;
  out->dev = info.st_dev;
  out->ino = info.st_ino;
  out->size = info.st_size;
  out->mtime = info.st_mtim;
}

static gboolean
same_state (const FileState *a,
            const FileState *b)
{
  if (a->exists != b->exists)
    return FALSE;
  return !a->exists || (a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
                        a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec);
}

static gboolean
copy_with_read_write (int      in,
                      int      out,
                      GError **error)
{
  g_autofree char *buffer = g_malloc (256 * 1024);

  for (;;)
    {
      ssize_t n = read (in, buffer, 256 * 1024);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n < 0)
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
          return n == 0;
        }
      for (ssize_t done = 0; done < n;)
        {
          ssize_t w = write (out, buffer + done, n - done);
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
              return FALSE;
            }
          done += w;
        }
    }
}

static gboolean
copy_contents (int      in,
               int      out,
               GError **error)
{
  /* Copy to the end as it is now, not to a size read earlier: a writer may append. */
  if (ioctl (out, FICLONE, in) == 0)
    return TRUE;
  for (;;)
    {
      ssize_t n = copy_file_range (in, NULL, out, NULL, 16 * 1024 * 1024, 0);
      if (n > 0)
        continue;
      if (n == 0)
        return TRUE;
      if (errno == EINTR)
        continue;
      if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP || errno == EPERM)
        break;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  /* copy_file_range() refuses some file systems (and had nothing copied yet). */
  if (lseek (in, 0, SEEK_SET) < 0 || lseek (out, 0, SEEK_SET) < 0 || ftruncate (out, 0) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  return copy_with_read_write (in, out, error);
}

/* Copies @from to @to; a missing @from is fine unless @required. */
static gboolean
copy_file (const char  *from,
           const char  *to,
           gboolean     required,
           GError     **error)
{
  int in, out;
  gboolean ok;

  in = open (from, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (in < 0)
    {
      int saved_errno = errno;
      if (saved_errno == ENOENT && !required)
        return TRUE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot open %s: %s", from,
                   g_strerror (saved_errno));
      return FALSE;
    }
  out = open (to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0)
    {
      int saved_errno = errno;
      close (in);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot create %s: %s", to,
                   g_strerror (saved_errno));
      return FALSE;
    }
  ok = copy_contents (in, out, error);
  if (!ok)
    g_prefix_error (error, "Copying %s: ", from);
  close (in);
  if (close (out) != 0 && ok)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Copying %s: %s", from, g_strerror (errno));
      ok = FALSE;
    }
  return ok;
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

/* One attempt: copy every file, then check that none moved meanwhile. */
static gboolean
copy_all (const char  *path,
          const char  *dir,
          const char  *name,
          gboolean    *out_stable,
          GError     **error)
{
  FileState before[G_N_ELEMENTS (suffixes)], after[G_N_ELEMENTS (suffixes)];

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (dir, "/", name, suffixes[i], NULL);

      read_state (from, &before[i]);
      if (!copy_file (from, to, i == 0, error))
        return FALSE;
    }
  *out_stable = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      read_state (from, &after[i]);
      *out_stable = *out_stable && same_state (&before[i], &after[i]);
    }
  return TRUE;
}

/**
 * oc_sqlite_snapshot_open:
 * @path: an SQLite database that another program may hold open and locked
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @path with its -wal (or -journal) file into a private temporary
 * directory and opens the copy. @path and its companions are only ever
 * opened read-only by owacal; SQLite never sees them.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL with @error set
 */
OcSqliteSnapshot *
oc_sqlite_snapshot_open (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr (OcSqliteSnapshot) self = g_new0 (OcSqliteSnapshot, 1);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *copy = NULL;
  gboolean stable = FALSE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self->dir = g_dir_make_tmp ("owacal-db-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;
  for (int attempt = 0; attempt < MAX_ATTEMPTS && !stable; attempt++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      empty_dir (self->dir);
      if (!copy_all (path, self->dir, name, &stable, error))
        return NULL;
    }
  /* Still moving after three tries: the last copy is as good as any. */

  copy = g_build_filename (self->dir, name, NULL);
  rc = sqlite3_open_v2 (copy, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* The copy is thrown away: checkpointing the -wal into it on close would be wasted work. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_exec (self->db, "PRAGMA query_only = 1", NULL, NULL, NULL);
  return g_steal_pointer (&self);
}

/**
 * oc_sqlite_snapshot_get_db:
 * @self: a snapshot
 *
 * Returns: (transfer none): the open copy
 */
sqlite3 *
oc_sqlite_snapshot_get_db (OcSqliteSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->db;
}

/**
 * oc_sqlite_snapshot_free:
 * @self: (nullable): a snapshot
 *
 * Closes the copy and deletes it.
 */
void
oc_sqlite_snapshot_free (OcSqliteSnapshot *self)
{
  if (self == NULL)
    return;
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->dir != NULL)
    {
      empty_dir (self->dir);
      g_rmdir (self->dir);
      g_free (self->dir);
    }
  g_free (self);
}
