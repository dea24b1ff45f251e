/* oc-calendar-month.c: the month view: the weeks of a month, a cell per day.
 *
 * A cell lists its day's events (all-day ones first) up to a few, then
 * links to the day for the rest, as GNOME Calendar's month view does.
 */
#include "config.h"
#include "oc-calendar-html.h"

#define MAX_EVENTS_PER_CELL 4

static int
compare_segments (gconstpointer a,
                  gconstpointer b)
{
  const OcDaySegment *sa = a, *sb = b;
  gboolean row_a = oc_calendar_in_all_day_row (sa->instance), row_b = oc_calendar_in_all_day_row (sb->instance);

  if (row_a != row_b)
    return row_a ? -1 : 1;
  if (sa->start != sb->start)
    return sa->start - sb->start;
  return (int) sa->person - (int) sb->person;
}

static void
append_cell (OcCalendarRender *render,
             const GDate      *day)
{
  g_autoptr (GArray) segments = oc_calendar_day_segments (render, day, TRUE);
  g_autoptr (GArray) timed = oc_calendar_day_segments (render, day, FALSE);
  g_autofree char *iso = oc_calendar_date_iso (day);
  g_autofree char *link = oc_calendar_link (render, OC_CALENDAR_VIEW_DAY, day);
  g_autofree char *name = oc_calendar_format_date (day, "%A %-d %B");
  gboolean other_month = g_date_get_month (day) != g_date_get_month (&render->page->date);
  gboolean today = g_date_compare (day, &render->page->today) == 0;

  g_array_append_vals (segments, timed->data, timed->len);
  g_array_sort (segments, compare_segments);
  oc_html_append (render->out,
                  "<div class=\"month-day%s%s%s\" role=\"gridcell\" data-date=\"%s\">"
                  "<a class=\"day-number\" href=\"%s\" aria-label=\"%s%s, %u events\">%d</a>"
                  "<div class=\"month-events\">",
                  other_month ? " other-month" : "", today ? " today" : "",
                  g_date_get_weekday (day) >= G_DATE_SATURDAY ? " weekend" : "", iso, link, name,
                  today ? ", today" : "", segments->len, g_date_get_day (day));
  for (guint i = 0; i < segments->len && i < MAX_EVENTS_PER_CELL; i++)
    {
      OcDaySegment *segment = &g_array_index (segments, OcDaySegment, i);
      gboolean row = oc_calendar_in_all_day_row (segment->instance);
      g_autofree char *time = row || segment->continues_before ? NULL
                                : oc_calendar_clock_of (render->page, segment->instance->local_start);

      oc_calendar_append_event_attributes (render, segment->person, segment->instance,
                                           row ? "chip all-day-chip" : "chip timed-chip");
      oc_html_append (render->out, "style=\"--person: %s\"><span class=\"dot\"></span>",
                      oc_calendar_person_color (segment->person));
      if (time != NULL)
        oc_html_append (render->out, "<span class=\"time\">%s</span>", time);
      oc_html_append (render->out, "<span class=\"title\">%s</span></button>",
                      oc_calendar_title_of (segment->instance));
    }
  if (segments->len > MAX_EVENTS_PER_CELL)
    oc_html_append (render->out, "<a class=\"more\" href=\"%s\">%u more</a>", link,
                    segments->len - MAX_EVENTS_PER_CELL);
  g_string_append (render->out, "</div></div>");
}

/**
 * oc_calendar_render_month:
 * @render: the page being drawn (month view)
 */
void
oc_calendar_render_month (OcCalendarRender *render)
{
  g_autofree char *month = oc_calendar_format_date (&render->page->date, "%B %Y");

  oc_html_append (render->out, "<div class=\"month\" role=\"grid\" aria-label=\"%s\">"
                  "<div class=\"month-row weekdays\" role=\"row\">", month);
  for (int d = 0; d < 7; d++)
    {
      GDate day = render->first;
      g_autofree char *name = NULL, *full = NULL;
      g_date_add_days (&day, d);
      name = oc_calendar_format_date (&day, "%a");
      full = oc_calendar_format_date (&day, "%A");
      oc_html_append (render->out, "<div class=\"weekday\" role=\"columnheader\" aria-label=\"%s\">%s</div>",
                      full, name);
    }
  g_string_append (render->out, "</div>");
  for (int d = 0; d < render->n_days; d++)
    {
      GDate day = render->first;
      g_date_add_days (&day, d);
      if (d % 7 == 0)
        g_string_append (render->out, "<div class=\"month-row\" role=\"row\">");
      append_cell (render, &day);
      if (d % 7 == 6)
        g_string_append (render->out, "</div>");
    }
  g_string_append (render->out, "</div>");
}
