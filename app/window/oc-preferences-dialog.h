/* oc-preferences-dialog.h: owacal's settings, for people who do not use gsettings. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void oc_preferences_dialog_present (GtkWindow *parent);

G_END_DECLS
