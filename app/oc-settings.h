/* oc-settings.h: owacal's preferences, when their schema can be found. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *oc_settings_open (void);

G_END_DECLS
