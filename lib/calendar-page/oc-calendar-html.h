/* oc-calendar-html.h: what the views of the calendar page share. */
#pragma once

#include "oc-calendar-page.h"

G_BEGIN_DECLS

#define OC_MINUTES_PER_DAY 1440

typedef struct {
  const OcCalendarPage *page;
  GPtrArray *people;           /* OcCalendarPerson */
  GString *out;
  GDate first;                 /* the days shown: [first, end) */
  GDate end;
  int n_days;
  GHashTable *ids;             /* OcIcalInstance → "e12" */
  GString *details;            /* JSON members "e12": {…} for the details dialog */
} OcCalendarRender;

/* One event on one day: the part of it that falls on that day, in minutes. */
typedef struct {
  OcIcalInstance *instance;
  guint person;
  int start;                   /* minutes after midnight */
  int end;
  gboolean continues_before;
  gboolean continues_after;
} OcDaySegment;

void        oc_html_append        (GString              *out,
                                   const char           *format,
                                   ...) G_GNUC_PRINTF (2, 3);
void        oc_html_append_json_string (GString         *out,
                                        const char      *text);

const char *oc_calendar_person_color (guint             index);
char       *oc_calendar_date_iso     (const GDate      *date);
char       *oc_calendar_link         (OcCalendarRender *render,
                                      OcCalendarView    view,
                                      const GDate      *date);
gint64      oc_calendar_day_start    (OcCalendarRender *render,
                                      const GDate      *date);
char       *oc_calendar_format_date  (const GDate      *date,
                                      const char       *format);
gboolean    oc_calendar_in_all_day_row (const OcIcalInstance *instance);
const char *oc_calendar_title_of     (const OcIcalInstance *instance);
const char *oc_busy_label            (OcBusyStatus      busy);

GArray     *oc_calendar_day_segments (OcCalendarRender *render,
                                      const GDate      *day,
                                      gboolean          all_day_row);
const char *oc_calendar_event_id     (OcCalendarRender *render,
                                      guint             person,
                                      OcIcalInstance   *instance);
void        oc_calendar_append_event_attributes (OcCalendarRender *render,
                                                 guint             person,
                                                 OcIcalInstance   *instance,
                                                 const char       *classes);
char       *oc_calendar_time_range   (const OcCalendarPage *page,
                                      const OcIcalInstance *instance);
char       *oc_calendar_clock        (const OcCalendarPage *page,
                                      int                   minutes);
char       *oc_calendar_clock_of     (const OcCalendarPage *page,
                                      GDateTime            *time);

void        oc_calendar_render_grid   (OcCalendarRender *render);
void        oc_calendar_render_month  (OcCalendarRender *render);
void        oc_calendar_render_agenda (OcCalendarRender *render);

G_END_DECLS
