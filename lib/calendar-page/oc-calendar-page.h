/* oc-calendar-page.h: a calendar (or several, side by side) as one HTML page. */
#pragma once

#include <glib.h>

#include "oc-ical-calendar.h"
#include "oc-ical-instance.h"
#include "oc-schedule.h"

G_BEGIN_DECLS

typedef enum {
  OC_CALENDAR_VIEW_DAY,
  OC_CALENDAR_VIEW_WEEK,
  OC_CALENDAR_VIEW_MONTH,
  OC_CALENDAR_VIEW_AGENDA,
} OcCalendarView;

/* One calendar: a person, in the side-by-side view one column each. */
typedef struct {
  char *name;                  /* shown in headers: the e-mail address or the calendar's name */
  char *source;                /* where it came from, for messages */
  GPtrArray *instances;        /* OcIcalInstance over the page's range (see oc_calendar_page_get_range) */
  GPtrArray *problems;         /* OcIcalProblem: lines skipped; may be NULL */
  GPtrArray *left_out;         /* sentences: what the page leaves out (oc_ical_expand_full()); may be NULL */
  char *error;                 /* why the calendar could not be shown at all, or NULL */
  char *notice;                /* one line on what the person shares ("… shares when they are busy"), or NULL */
  OcWorkingHours *working_hours; /* when the person works, or NULL (then 8:00–18:00 on weekdays) */
} OcCalendarPerson;

/* What to draw. */
typedef struct {
  OcCalendarView view;
  GDate date;                  /* a day of the range to show */
  GDate today;
  GTimeZone *zone;             /* the viewer's */
  GDateWeekday week_start;
  gint64 now;                  /* UTC seconds for the "now" line, 0 for none */
  gboolean twelve_hour;        /* "9:15 AM" rather than "09:15" (the desktop's clock format) */
  const char *base_url;        /* links are base_url + "week/2024-03-11" */
} OcCalendarPage;

OcCalendarPerson *oc_calendar_person_new        (const char          *name,
                                                 const char          *source);
void              oc_calendar_person_free       (OcCalendarPerson    *person);

void              oc_calendar_page_get_range    (OcCalendarView       view,
                                                 const GDate         *date,
                                                 GDateWeekday         week_start,
                                                 GDate               *out_first,
                                                 GDate               *out_end);
void              oc_calendar_page_get_utc_range (const OcCalendarPage *page,
                                                  gint64              *out_start,
                                                  gint64              *out_end);
char             *oc_calendar_page_render       (const OcCalendarPage *page,
                                                 GPtrArray           *people);
char             *oc_calendar_page_render_waiting (const char *const  *names);
char             *oc_calendar_details_to_json   (const OcIcalInstance *instance,
                                                 const GError         *error);

const char       *oc_calendar_view_to_string    (OcCalendarView       view);
gboolean          oc_calendar_view_from_string  (const char          *text,
                                                 OcCalendarView      *out_view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcCalendarPerson, oc_calendar_person_free)

G_END_DECLS
