/* oc-demo-calendar.h: what the demo server says: Dana Demo's week and its page. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first and last hour of the demo's week grid; no event leaves it. */
#define OC_DEMO_CALENDAR_FIRST_HOUR 7
#define OC_DEMO_CALENDAR_LAST_HOUR  20

/* How many days one GetCalendarView may ask for (six weeks, a month view). */
#define OC_DEMO_CALENDAR_MAX_DAYS 42

GBytes *oc_demo_calendar_render_page         (const char *template,
                                              GHashTable *params);
GBytes *oc_demo_calendar_answer_view_request (GBytes     *body);

G_END_DECLS
