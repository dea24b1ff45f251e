/* oc-password-file.h: a password kept in a file only its owner can read. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean oc_password_file_read (GFile   *file,
                                char   **out_password,
                                GError **error);

G_END_DECLS
