/* oc-file-copy.h: copy a file another program may be writing, cheaply. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean oc_file_copy (const char  *from,
                       const char  *to,
                       GError     **error);

G_END_DECLS
