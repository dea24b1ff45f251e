/* owacal-bench-lookup: one address-book lookup in a fresh process, for bench/address-book.py.
 *
 *   owacal-bench-lookup DB EMAIL           look EMAIL up in DB, print its Custom1
 *   owacal-bench-lookup --open-only DB     only open DB and its -wal (see lib/lookup/oc-sqlite-snapshot.c)
 *
 * It links lib/ alone (no GTK, no WebKit), so its time is the lookup's own plus a
 * small process's start; `owacal --print-url` adds the start of the GTK program.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "oc-address-book.h"
#include "oc-sqlite-snapshot.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;

  if (argc == 3 && strcmp (argv[1], "--open-only") == 0)
    {
      g_autoptr (OcSqliteSnapshot) snapshot = oc_sqlite_snapshot_open (argv[2], NULL, &error);
      /* The first read builds the index of the -wal's pages. */
      if (snapshot == NULL ||
          sqlite3_exec (oc_sqlite_snapshot_get_db (snapshot), "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL))
        {
          fprintf (stderr, "owacal-bench-lookup: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (argc == 3)
    {
      g_autoptr (OcAddressBook) book = oc_address_book_new ("Benchmark", argv[1]);
      g_autoptr (OcContact) contact = oc_address_book_lookup_sync (book, argv[2], NULL, &error);
      if (error != NULL)
        {
          fprintf (stderr, "owacal-bench-lookup: %s\n", error->message);
          return 1;
        }
      printf ("%s\n", contact && contact->custom1 ? contact->custom1 : "");
      return 0;
    }
  fprintf (stderr, "usage: owacal-bench-lookup DB EMAIL | --open-only DB\n");
  return 2;
}
