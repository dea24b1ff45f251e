/* oc-schedule-source.h: one colleague in a calendar tab whose time a server
 * tells per range (EWS, Microsoft Graph), and what it told so far. */
#pragma once

#include <glib-object.h>

#include "oc-schedule.h"

G_BEGIN_DECLS

#define OC_TYPE_SCHEDULE_SOURCE (oc_schedule_source_get_type ())
G_DECLARE_FINAL_TYPE (OcScheduleSource, oc_schedule_source, OC, SCHEDULE_SOURCE, GObject)

OcScheduleSource *oc_schedule_source_new          (const char       *email,
                                                   const char       *label);
const char       *oc_schedule_source_get_email    (OcScheduleSource *self);
char             *oc_schedule_source_dup_name     (OcScheduleSource *self);
const OcSchedule *oc_schedule_source_lookup       (OcScheduleSource *self,
                                                   gint64            start,
                                                   gint64            end,
                                                   gint64           *out_fetched_at);
void              oc_schedule_source_store        (OcScheduleSource *self,
                                                   const OcSchedule *schedule);
void              oc_schedule_source_fail         (OcScheduleSource *self,
                                                   gint64            start,
                                                   gint64            end,
                                                   const GError     *error);
void              oc_schedule_source_forget       (OcScheduleSource *self);

G_END_DECLS
