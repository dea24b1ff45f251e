/* tb-locker: hold an address book the way a running Thunderbird does.
 *
 *   tb-locker DB COMMITTED-SQL UNCOMMITTED-SQL
 *
 * Opens DB in WAL mode with locking_mode=EXCLUSIVE (so no other SQLite
 * connection may read it), runs COMMITTED-SQL (which stays in the -wal file:
 * no checkpoint), begins an exclusive transaction, runs UNCOMMITTED-SQL in it,
 * prints "locked" and waits until its stdin closes; then it exits without
 * committing, like a crash.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static void
run (sqlite3    *db,
     const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      fprintf (stderr, "tb-locker: %s: %s\n", sql, message);
      _exit (1);
    }
}

int
main (int argc, char **argv)
{
  sqlite3 *db = NULL;
  char buffer[64];

  if (argc != 4 || sqlite3_open (argv[1], &db) != SQLITE_OK)
    {
      fprintf (stderr, "usage: tb-locker DB COMMITTED-SQL UNCOMMITTED-SQL\n");
      return 2;
    }
  run (db, "PRAGMA locking_mode=EXCLUSIVE");
  run (db, "PRAGMA journal_mode=WAL");
  run (db, "PRAGMA wal_autocheckpoint=0");
  run (db, argv[2]);
  run (db, "BEGIN EXCLUSIVE");
  run (db, argv[3]);
  printf ("locked\n");
  fflush (stdout);
  while (read (0, buffer, sizeof buffer) > 0)
    ;
  _exit (0);
}
