/* oc-calendar-agenda.c: the agenda view: four weeks as a list, day by day.
 *
 * The view for reading rather than looking: every event with its time,
 * place and (side by side) whose it is; days without events are left out.
 * An event of several days is listed on each: a series of long events can
 * make a list no one reads (a thousand events of a month each are 28,000
 * entries, 14 MB of page), so the list stops at MAX_ENTRIES and says so.
 */
#include "config.h"
#include "oc-calendar-html.h"

#define MAX_ENTRIES 2000

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
  if (sa->person != sb->person)
    return (int) sa->person - (int) sb->person;
  return oc_ical_instance_compare (sa->instance, sb->instance);
}

static void
append_item (OcCalendarRender   *render,
             const OcDaySegment *segment)
{
  OcIcalInstance *instance = segment->instance;
  OcCalendarPerson *person = g_ptr_array_index (render->people, segment->person);
  g_autofree char *range = NULL;

  /* The day's heading says which day: only the hours, or how the day is taken. */
  if (instance->all_day || (segment->continues_before && segment->continues_after))
    range = g_strdup ("All day");
  else if (segment->continues_before)
    {
      g_autofree char *end = oc_calendar_clock_of (render->page, instance->local_end);
      range = g_strconcat ("until ", end, NULL);
    }
  else if (segment->continues_after)
    {
      g_autofree char *start = oc_calendar_clock_of (render->page, instance->local_start);
      range = g_strconcat ("from ", start, NULL);
    }
  else
    range = oc_calendar_time_range (render->page, instance);

  g_string_append (render->out, "<li>");
  oc_calendar_append_event_attributes (render, segment->person, instance, "agenda-item");
  oc_html_append (render->out, "style=\"--person: %s\"><span class=\"time\">%s</span>"
                  "<span class=\"dot\"></span><span class=\"text\"><span class=\"title\">%s</span>",
                  oc_calendar_person_color (segment->person), range, oc_calendar_title_of (instance));
  if (instance->location != NULL)
    oc_html_append (render->out, "<span class=\"where\">%s</span>", instance->location);
  g_string_append (render->out, "</span>");
  if (render->people->len > 1)
    oc_html_append (render->out, "<span class=\"who\">%s</span>", person->name);
  oc_html_append (render->out, "<span class=\"status\">%s</span></button></li>", oc_busy_label (instance->busy));
}

/**
 * oc_calendar_render_agenda:
 * @render: the page being drawn (agenda view)
 */
void
oc_calendar_render_agenda (OcCalendarRender *render)
{
  guint shown = 0, entries = 0, unlisted = 0;

  g_string_append (render->out, "<div class=\"agenda\">");
  for (int d = 0; d < render->n_days; d++)
    {
      GDate day = render->first;
      g_autoptr (GArray) segments = NULL;
      g_autoptr (GArray) timed = NULL;
      g_autofree char *iso = NULL, *title = NULL;

      g_date_add_days (&day, d);
      segments = oc_calendar_day_segments (render, &day, TRUE);
      timed = oc_calendar_day_segments (render, &day, FALSE);
      g_array_append_vals (segments, timed->data, timed->len);
      if (segments->len == 0)
        continue;
      if (entries >= MAX_ENTRIES)
        {
          unlisted += segments->len;
          continue;
        }
      g_array_sort (segments, compare_segments);
      iso = oc_calendar_date_iso (&day);
      title = oc_calendar_format_date (&day, "%A, %-d %B");
      oc_html_append (render->out, "<section class=\"agenda-day%s\" data-date=\"%s\" aria-labelledby=\"d%s\">"
                      "<h2 id=\"d%s\">%s%s</h2><ul>",
                      g_date_compare (&day, &render->page->today) == 0 ? " today" : "", iso, iso, iso, title,
                      g_date_compare (&day, &render->page->today) == 0 ? " · Today" : "");
      for (guint i = 0; i < segments->len; i++)
        {
          if (entries++ < MAX_ENTRIES)
            append_item (render, &g_array_index (segments, OcDaySegment, i));
          else
            unlisted++;
        }
      g_string_append (render->out, "</ul></section>");
      shown++;
    }
  if (unlisted > 0)
    oc_html_append (render->out, "<div class=\"banner warning agenda-unlisted\" role=\"status\"><div class=\"banner-icon\" "
                    "aria-hidden=\"true\"></div><div class=\"message\">%u more entries of these four weeks are "
                    "not listed: the week and day views show them.</div></div>", unlisted);
  if (shown == 0)
    g_string_append (render->out, "<div class=\"empty\" role=\"status\"><div class=\"empty-icon\" "
                     "aria-hidden=\"true\"></div><h2>No events</h2><p>Nothing is planned in these four weeks.</p></div>");
  g_string_append (render->out, "</div>");
}
