/* oc-schedule-fetcher.h: whatever tells colleagues' schedules over a range:
 * Exchange Web Services (OcEwsClient) or Microsoft Graph (OcGraphClient). The
 * calendar page asks through this and does not care which. */
#pragma once

#include <gio/gio.h>

#include "oc-schedule.h"

G_BEGIN_DECLS

#define OC_TYPE_SCHEDULE_FETCHER (oc_schedule_fetcher_get_type ())
G_DECLARE_INTERFACE (OcScheduleFetcher, oc_schedule_fetcher, OC, SCHEDULE_FETCHER, GObject)

struct _OcScheduleFetcherInterface {
  GTypeInterface parent_iface;

  void       (*fetch_async)  (OcScheduleFetcher   *self,
                              const char * const  *emails,
                              gint64               start,
                              gint64               end,
                              GTimeZone           *zone,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  GPtrArray *(*fetch_finish) (OcScheduleFetcher   *self,
                              GAsyncResult        *result,
                              GError             **error);
  /* Optional: one event with its notes and attendees. */
  void            (*get_details_async)  (OcScheduleFetcher   *self,
                                         const char          *uid,
                                         GTimeZone           *zone,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
  OcIcalInstance *(*get_details_finish) (OcScheduleFetcher   *self,
                                         GAsyncResult        *result,
                                         GError             **error);
};

void       oc_schedule_fetcher_fetch_async  (OcScheduleFetcher   *self,
                                             const char * const  *emails,
                                             gint64               start,
                                             gint64               end,
                                             GTimeZone           *zone,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray *oc_schedule_fetcher_fetch_finish (OcScheduleFetcher   *self,
                                             GAsyncResult        *result,
                                             GError             **error);

void            oc_schedule_fetcher_get_details_async  (OcScheduleFetcher   *self,
                                                        const char          *uid,
                                                        GTimeZone           *zone,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
OcIcalInstance *oc_schedule_fetcher_get_details_finish (OcScheduleFetcher   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
