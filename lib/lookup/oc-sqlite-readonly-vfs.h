/* oc-sqlite-readonly-vfs.h: an SQLite VFS that can only read, and never locks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *oc_sqlite_readonly_vfs_get_name (void);

G_END_DECLS
