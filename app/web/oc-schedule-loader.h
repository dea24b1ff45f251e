/* oc-schedule-loader.h: asks Exchange for the colleagues of a calendar tab
 * whose time over a range is not known yet, all in as few requests as it can. */
#pragma once

#include <gio/gio.h>

#include "oc-exchange-access.h"
#include "oc-schedule-source.h"

G_BEGIN_DECLS

void     oc_schedule_loader_load_async  (OcExchangeAccess   *access,
                                         GPtrArray          *sources,
                                         gint64              start,
                                         gint64              end,
                                         GTimeZone          *zone,
                                         gint64              max_age_usec,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean oc_schedule_loader_load_finish (GAsyncResult       *result,
                                         GError            **error);
gboolean oc_schedule_loader_is_known    (GPtrArray          *sources,
                                         gint64              start,
                                         gint64              end,
                                         gint64              max_age_usec);

G_END_DECLS
