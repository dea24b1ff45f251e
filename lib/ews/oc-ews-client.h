/* oc-ews-client.h: colleagues' schedules from one Exchange Web Services endpoint. */
#pragma once

#include <gio/gio.h>

#include "oc-ews-error.h"
#include "oc-ews-soap.h"
#include "oc-http-client.h"
#include "oc-schedule.h"
#include "oc-schedule-fetcher.h"

G_BEGIN_DECLS

#define OC_TYPE_EWS_CLIENT (oc_ews_client_get_type ())
G_DECLARE_FINAL_TYPE (OcEwsClient, oc_ews_client, OC, EWS_CLIENT, GObject)

typedef enum {
  OC_EWS_FETCH_DEFAULT = 0,                 /* the calendar folder of those whose availability has details */
  OC_EWS_FETCH_CALENDAR_ALWAYS = 1 << 0,    /* try the calendar folder of everyone */
  OC_EWS_FETCH_AVAILABILITY_ONLY = 1 << 1,  /* never the calendar folder */
} OcEwsFetchFlags;

/* Counters for tests and benchmarks; they only ever grow. */
typedef struct {
  guint requests;          /* SOAP requests sent, retries included */
  guint retries;           /* after ErrorServerBusy or 503 */
  guint splits;            /* windows halved after the server found them too long */
  guint max_in_flight;     /* the most requests that were ever on the way at once */
} OcEwsClientStats;

OcEwsClient        *oc_ews_client_new                  (OcHttpClient       *http,
                                                        const char         *url);
const char         *oc_ews_client_get_url              (OcEwsClient        *self);
OcEwsServerVersion  oc_ews_client_get_server_version   (OcEwsClient        *self);
void                oc_ews_client_set_max_in_flight    (OcEwsClient        *self,
                                                        guint               n);
void                oc_ews_client_set_max_window_days  (OcEwsClient        *self,
                                                        guint               days);
void                oc_ews_client_set_max_attempts     (OcEwsClient        *self,
                                                        guint               attempts);
void                oc_ews_client_get_stats            (OcEwsClient        *self,
                                                        OcEwsClientStats   *out_stats);

void                oc_ews_client_get_schedules_async  (OcEwsClient        *self,
                                                        const char * const *emails,
                                                        gint64              start,
                                                        gint64              end,
                                                        GTimeZone          *zone,
                                                        OcEwsFetchFlags     flags,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
GPtrArray          *oc_ews_client_get_schedules_finish (OcEwsClient        *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

void                oc_ews_client_get_details_async    (OcEwsClient        *self,
                                                        const char         *item_id,
                                                        GTimeZone          *zone,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
OcIcalInstance     *oc_ews_client_get_details_finish   (OcEwsClient        *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

G_END_DECLS
