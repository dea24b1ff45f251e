/* oc-desktop-entry.h: writing desktop entries (launchers) safely. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *oc_desktop_entry_quote_arg   (const char         *arg);
char     *oc_desktop_entry_build_exec  (const char * const *argv);
char     *oc_desktop_entry_clean_label (const char         *text);
gboolean  oc_desktop_entry_save        (GKeyFile           *entry,
                                        const char         *path,
                                        int                 mode,
                                        gboolean           *out_changed,
                                        GError            **error);

G_END_DECLS
