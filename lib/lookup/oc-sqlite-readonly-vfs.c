/* oc-sqlite-readonly-vfs.c: an SQLite VFS that can only read, and never locks.
 *
 * Reading another program's database in place, with its -wal, needs three
 * things SQLite's own read-only mode does not give: no locks (a running
 * Thunderbird holds an exclusive one for as long as it runs), no -shm file
 * (SQLite creates one beside the database for the WAL index) and no chance
 * of a checkpoint or a deleted -wal when the connection closes.
 *
 * This VFS is SQLite's "unix-none" (POSIX I/O, no locking) with every open of
 * the database, its -wal and its journal forced to O_RDONLY and deletions
 * refused: the operating system itself then guarantees that the files are
 * never written. The connection must set locking_mode=EXCLUSIVE before its
 * first read, so that SQLite keeps the WAL index in its own memory instead of
 * a -shm file (https://www.sqlite.org/wal.html#noshm). Its own temporary
 * files (sorting) are opened as usual, in the temporary directory.
 */
#include "config.h"
#include "oc-sqlite-readonly-vfs.h"

#include <sqlite3.h>

#define VFS_NAME "owacal-readonly"

/* The files that belong to the database's owner. */
#define OWNER_FILES (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL)

static sqlite3_vfs readonly_vfs;

static int
readonly_open (sqlite3_vfs  *vfs,
               const char   *name,
               sqlite3_file *file,
               int           flags,
               int          *out_flags)
{
  sqlite3_vfs *base = vfs->pAppData;

  if (flags & OWNER_FILES)
    {
      flags &= ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE | SQLITE_OPEN_DELETEONCLOSE);
      flags |= SQLITE_OPEN_READONLY;
    }
  return base->xOpen (base, name, file, flags, out_flags);
}

static int
readonly_delete (sqlite3_vfs *vfs,
                 const char  *name,
                 int          sync_dir)
{
  /* SQLite deletes a -wal or a journal it believes it owns; these are not ours. */
  return SQLITE_IOERR_DELETE;
}

static gsize
register_vfs (void)
{
  sqlite3_vfs *base = sqlite3_vfs_find ("unix-none");
  int rc;

  g_assert (base != NULL);
  readonly_vfs = *base;
  readonly_vfs.pNext = NULL;
  readonly_vfs.zName = VFS_NAME;
  readonly_vfs.pAppData = base;
  readonly_vfs.xOpen = readonly_open;
  readonly_vfs.xDelete = readonly_delete;
  rc = sqlite3_vfs_register (&readonly_vfs, 0);
  g_assert (rc == SQLITE_OK);
  return 1;
}

/**
 * oc_sqlite_readonly_vfs_get_name:
 *
 * Registers the VFS on first use.
 *
 * Returns: the name to pass to sqlite3_open_v2()
 */
const char *
oc_sqlite_readonly_vfs_get_name (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    g_once_init_leave (&registered, register_vfs ());
  return VFS_NAME;
}
