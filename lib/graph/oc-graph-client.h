/* oc-graph-client.h: colleagues' calendars and the directory of Microsoft 365,
 * through Microsoft Graph. */
#pragma once

#include <gio/gio.h>

#include "oc-contact.h"
#include "oc-http-client.h"
#include "oc-oauth-token.h"
#include "oc-schedule.h"
#include "oc-schedule-fetcher.h"

G_BEGIN_DECLS

/* "getSchedule can support looking up free/busy information for up to 20
 * entities at once"; "the time period to look up must be less than 62 days"
 * (Microsoft Graph, "Get free/busy schedule of Outlook calendar users"). */
#define OC_GRAPH_SCHEDULES_PER_REQUEST 20
#define OC_GRAPH_SCHEDULE_MAX_DAYS     61

#define OC_TYPE_GRAPH_CLIENT (oc_graph_client_get_type ())
G_DECLARE_FINAL_TYPE (OcGraphClient, oc_graph_client, OC, GRAPH_CLIENT, GObject)

OcGraphClient *oc_graph_client_new                     (OcHttpClient        *http,
                                                        OcOAuthToken        *token,
                                                        const char          *graph_url);
void           oc_graph_client_set_page_size           (OcGraphClient       *self,
                                                        guint                page_size);

void           oc_graph_client_get_schedules_async     (OcGraphClient       *self,
                                                        const char *const   *emails,
                                                        gint64               start,
                                                        gint64               end,
                                                        GTimeZone           *view_zone,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray     *oc_graph_client_get_schedules_finish    (OcGraphClient       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

void           oc_graph_client_get_calendar_view_async (OcGraphClient       *self,
                                                        const char          *email,
                                                        gint64               start,
                                                        gint64               end,
                                                        GTimeZone           *view_zone,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
OcSchedule    *oc_graph_client_get_calendar_view_finish (OcGraphClient      *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

void           oc_graph_client_fetch_async             (OcGraphClient       *self,
                                                        const char *const   *emails,
                                                        gint64               start,
                                                        gint64               end,
                                                        GTimeZone           *view_zone,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray     *oc_graph_client_fetch_finish            (OcGraphClient       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

void           oc_graph_client_find_user_async         (OcGraphClient       *self,
                                                        const char          *address,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
OcContact     *oc_graph_client_find_user_finish        (OcGraphClient       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
