/* oc-ews-calendar-view.h: a colleague's calendar folder (FindItem with a
 * CalendarView), and one event's details (GetItem). Reviewer rights needed. */
#pragma once

#include <glib.h>

#include "oc-schedule.h"

G_BEGIN_DECLS

/* Exchange's default for one CalendarView answer; more makes the caller split. */
#define OC_EWS_CALENDAR_VIEW_MAX_ENTRIES 1000

GBytes         *oc_ews_calendar_view_build_request (const char  *request_version,
                                                    const char  *email,
                                                    gint64       start,
                                                    gint64       end,
                                                    guint        max_entries);
OcSchedule     *oc_ews_calendar_view_parse         (GBytes      *body,
                                                    const char  *email,
                                                    gint64       start,
                                                    gint64       end,
                                                    GTimeZone   *view_zone,
                                                    gboolean    *out_complete,
                                                    GError     **error);

GBytes         *oc_ews_item_build_request          (const char  *request_version,
                                                    const char  *item_id);
OcIcalInstance *oc_ews_item_parse                  (GBytes      *body,
                                                    GTimeZone   *view_zone,
                                                    GError     **error);

G_END_DECLS
