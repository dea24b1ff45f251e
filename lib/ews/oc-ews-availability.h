/* oc-ews-availability.h: GetUserAvailability, free/busy of up to 100 people at once. */
#pragma once

#include <glib.h>

#include "oc-schedule.h"

G_BEGIN_DECLS

/* Exchange's limits by default: 100 mailboxes a request, a 42-day window. */
#define OC_EWS_AVAILABILITY_MAX_MAILBOXES 100
#define OC_EWS_AVAILABILITY_MAX_DAYS      42

typedef enum {
  OC_EWS_VIEW_DETAILED,          /* busy blocks with subject and place where allowed */
  OC_EWS_VIEW_DETAILED_MERGED,   /* the same, with MergedFreeBusy */
  OC_EWS_VIEW_FREE_BUSY,         /* busy blocks only */
  OC_EWS_VIEW_FREE_BUSY_MERGED,
} OcEwsFreeBusyView;

/* A span of time, UTC seconds, end exclusive. */
typedef struct {
  gint64 start;
  gint64 end;
} OcEwsWindow;

GArray     *oc_ews_window_split               (gint64              start,
                                               gint64              end,
                                               gint64              max_seconds);
GPtrArray  *oc_ews_mailboxes_split            (const char * const *emails,
                                               guint               max);

GBytes     *oc_ews_availability_build_request (const char         *request_version,
                                               const char * const *emails,
                                               gint64              start,
                                               gint64              end,
                                               OcEwsFreeBusyView   view);
GPtrArray  *oc_ews_availability_parse         (GBytes             *body,
                                               const char * const *emails,
                                               gint64              start,
                                               gint64              end,
                                               GTimeZone          *view_zone,
                                               GError            **error);

gboolean    oc_ews_busy_type_parse            (const char         *text,
                                               OcBusyStatus       *out);

G_END_DECLS
