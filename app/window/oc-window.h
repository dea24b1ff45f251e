/* oc-window.h: the main window: a header bar and one tab per calendar. */
#pragma once

#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

#include "oc-tab.h"

G_BEGIN_DECLS

#define OC_TYPE_WINDOW (oc_window_get_type ())
G_DECLARE_FINAL_TYPE (OcWindow, oc_window, OC, WINDOW, GtkApplicationWindow)

OcWindow *oc_window_new       (GtkApplication   *application,
                               WebKitWebContext *web_context);
OcTab    *oc_window_add_tab   (OcWindow         *self,
                               const char       *web_url);
GList    *oc_window_list_tabs (OcWindow         *self);

G_END_DECLS
