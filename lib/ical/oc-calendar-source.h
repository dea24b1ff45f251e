/* oc-calendar-source.h: one published calendar: where it is, and what it held last. */
#pragma once

#include <gio/gio.h>

#include "oc-http-client.h"
#include "oc-ical-calendar.h"

G_BEGIN_DECLS

#define OC_TYPE_CALENDAR_SOURCE (oc_calendar_source_get_type ())
G_DECLARE_FINAL_TYPE (OcCalendarSource, oc_calendar_source, OC, CALENDAR_SOURCE, GObject)

OcCalendarSource *oc_calendar_source_new            (const char        *uri,
                                                     const char        *label);
OcCalendarSource *oc_calendar_source_new_missing    (const char        *label,
                                                     const char        *reason);
const char       *oc_calendar_source_get_uri        (OcCalendarSource  *self);
char             *oc_calendar_source_dup_name       (OcCalendarSource  *self);
void              oc_calendar_source_set_body       (OcCalendarSource  *self,
                                                     GBytes            *body);
OcIcalCalendar   *oc_calendar_source_get_calendar   (OcCalendarSource  *self);
const GError     *oc_calendar_source_get_error      (OcCalendarSource  *self);
gint64            oc_calendar_source_get_loaded_at  (OcCalendarSource  *self);
void              oc_calendar_source_load_async     (OcCalendarSource  *self,
                                                     OcHttpClient      *client,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
gboolean          oc_calendar_source_load_finish    (OcCalendarSource  *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);
gboolean          oc_calendar_looks_like_icalendar  (GBytes            *body);

G_END_DECLS
