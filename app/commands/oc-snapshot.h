/* oc-snapshot.h: owacal --snapshot: load a calendar unseen, save it as PNG. */
#pragma once

#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

#include "oc-scheme-handler.h"

G_BEGIN_DECLS

void     oc_snapshot_run_async  (WebKitWebContext    *web_context,
                                 OcSchemeHandler     *handler,
                                 const char          *web_url,
                                 const char          *png_path,
                                 const char          *script,
                                 int                  width,
                                 int                  height,
                                 guint                timeout_seconds,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean oc_snapshot_run_finish (GAsyncResult        *result,
                                 char               **out_title,
                                 char               **out_script_result,
                                 GError             **error);

G_END_DECLS
