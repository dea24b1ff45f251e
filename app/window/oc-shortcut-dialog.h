/* oc-shortcut-dialog.h: "Add a Shortcut for This Calendar", asking for the colleague's name. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void oc_shortcut_dialog_present (GtkWindow         *parent,
                                 const char *const *calendars);

G_END_DECLS
