/* oc-schedule.h: one colleague's time as a server tells it (EWS or Microsoft
 * Graph): events or busy blocks over a range, working hours, and how much the
 * colleague shares with the viewer. Published calendars have no such thing;
 * servers that answer per person and per range do. */
#pragma once

#include <glib-object.h>

#include "oc-ical-instance.h"

G_BEGIN_DECLS

/* How much of her calendar a colleague lets the viewer see, from least to most. */
typedef enum {
  OC_SHARING_UNKNOWN,
  OC_SHARING_NONE,             /* nothing: refused */
  OC_SHARING_FREE_BUSY,        /* when she is busy, not what she does */
  OC_SHARING_LIMITED,          /* free/busy with subject and location */
  OC_SHARING_FULL,             /* her calendar folder (Reviewer or more) */
} OcSharing;

/* When a colleague works, in her own zone. */
typedef struct {
  guint8 days;                 /* bit (1 << GDateWeekday): Monday = bit 1 … Sunday = bit 7 */
  int start_minute;            /* minutes after midnight */
  int end_minute;
  GTimeZone *zone;             /* hers; NULL when the server did not say (then the viewer's) */
} OcWorkingHours;

typedef struct {
  char *email;
  char *display_name;          /* NULL when unknown */
  OcSharing sharing;
  gint64 start;                /* the range answered, UTC seconds, end exclusive */
  gint64 end;
  GPtrArray *instances;        /* OcIcalInstance, sorted by oc_ical_instance_compare() */
  OcWorkingHours *working_hours; /* NULL when unknown */
  GError *error;               /* this person's failure (e.g. unknown mailbox, no access), or NULL */
} OcSchedule;

#define OC_TYPE_SCHEDULE (oc_schedule_get_type ())
GType           oc_schedule_get_type          (void) G_GNUC_CONST;

OcSchedule     *oc_schedule_new               (const char          *email);
OcSchedule     *oc_schedule_copy              (const OcSchedule    *schedule);
void            oc_schedule_free              (OcSchedule          *schedule);
void            oc_schedule_take_error        (OcSchedule          *schedule,
                                               GError              *error);
void            oc_schedule_sort              (OcSchedule          *schedule);
void            oc_schedule_merge             (OcSchedule          *schedule,
                                               const OcSchedule    *other);

OcWorkingHours *oc_working_hours_copy         (const OcWorkingHours *hours);
void            oc_working_hours_free         (OcWorkingHours      *hours);
gboolean        oc_working_hours_contains     (const OcWorkingHours *hours,
                                               gint64               utc_seconds);

const char     *oc_sharing_to_string          (OcSharing            sharing);
char           *oc_sharing_describe           (OcSharing            sharing,
                                               const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcSchedule, oc_schedule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcWorkingHours, oc_working_hours_free)

G_END_DECLS
