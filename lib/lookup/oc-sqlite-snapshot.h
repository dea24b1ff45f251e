/* oc-sqlite-snapshot.h: read a database another program holds, without touching it. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _OcSqliteSnapshot OcSqliteSnapshot;

OcSqliteSnapshot *oc_sqlite_snapshot_open    (const char        *path,
                                              GCancellable      *cancellable,
                                              GError           **error);
sqlite3          *oc_sqlite_snapshot_get_db  (OcSqliteSnapshot  *self);
gboolean          oc_sqlite_snapshot_is_copy (OcSqliteSnapshot  *self);
gboolean          oc_sqlite_snapshot_is_stale (OcSqliteSnapshot *self);
void              oc_sqlite_snapshot_free    (OcSqliteSnapshot  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcSqliteSnapshot, oc_sqlite_snapshot_free)

G_END_DECLS
