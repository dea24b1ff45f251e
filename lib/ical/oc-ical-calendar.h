/* oc-ical-calendar.h: a published calendar, parsed with libical. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  OC_ICAL_ERROR_NOT_ICALENDAR,
} OcIcalError;

#define OC_ICAL_ERROR (oc_ical_error_quark ())
GQuark oc_ical_error_quark (void);

/* A part of the file that was skipped or read in a particular way. */
typedef struct {
  guint first_line;            /* 1-based; 0 when libical could not say where */
  guint last_line;
  char *text;                  /* the line as written (shortened), or NULL */
  char *reason;                /* a plain sentence */
} OcIcalProblem;

void oc_ical_problem_free (OcIcalProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcIcalProblem, oc_ical_problem_free)

#define OC_TYPE_ICAL_CALENDAR (oc_ical_calendar_get_type ())
G_DECLARE_FINAL_TYPE (OcIcalCalendar, oc_ical_calendar, OC, ICAL_CALENDAR, GObject)

OcIcalCalendar *oc_ical_calendar_new_from_data  (const char      *data,
                                                 gsize            length,
                                                 GError         **error);
OcIcalCalendar *oc_ical_calendar_new_from_bytes (GBytes          *bytes,
                                                 GError         **error);
const char     *oc_ical_calendar_get_name       (OcIcalCalendar  *self);
GPtrArray      *oc_ical_calendar_get_problems   (OcIcalCalendar  *self);
guint           oc_ical_calendar_get_n_events   (OcIcalCalendar  *self);
char           *oc_ical_calendar_describe_problems (OcIcalCalendar *self);

G_END_DECLS
