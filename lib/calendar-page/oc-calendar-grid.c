/* oc-calendar-grid.c: the day and week views: hours down, days across.
 *
 * With several people, each day holds one column per person, so that one
 * glance down a day shows who is busy when; the stretches of the working day
 * when nobody is busy are shaded across all of that day's columns.
 *
 * Events are positioned in percent of the day column (minute / 1440), so
 * the page can change the hour height (zoom, print) with CSS alone.
 */
#include "config.h"
#include "oc-calendar-html.h"

#include "oc-calendar-layout.h"

#include <string.h>

#define WORK_START (8 * 60)
#define WORK_END (18 * 60)
#define MIN_FREE_SLOT 30
#define MIN_BLOCK_MINUTES 15   /* a quarter of an hour: one line of text (see --hour-height) */

static double
percent (int minutes)
{
  return minutes * 100.0 / OC_MINUTES_PER_DAY;
}

/* "Alice Example" → "Alice", "bob@example.test" → "bob": the columns are narrow. */
static char *
short_name (const char *name)
{
  const char *at = strchr (name, '@');
  const char *space = strchr (name, ' ');

  if (at != NULL)
    return g_strndup (name, at - name);
  if (space != NULL)
    return g_strndup (name, space - name);
  return g_strdup (name);
}

/* Side by side, a weekend day with nothing on it gives its width to the others. */
static gboolean
is_narrow_day (OcCalendarRender *render,
               const GDate      *day)
{
  g_autoptr (GArray) timed = NULL;
  g_autoptr (GArray) all_day = NULL;

  if (render->people->len < 2 || render->n_days < 7 || g_date_get_weekday (day) < G_DATE_SATURDAY)
    return FALSE;
  timed = oc_calendar_day_segments (render, day, FALSE);
  all_day = oc_calendar_day_segments (render, day, TRUE);
  return timed->len == 0 && all_day->len == 0;
}

/* The grid-template-columns of the days, each day @per_day columns wide. */
static char *
day_columns (OcCalendarRender *render,
             guint             per_day)
{
  GString *columns = g_string_new (NULL);

  for (int d = 0; d < render->n_days; d++)
    {
      GDate day = render->first;
      g_date_add_days (&day, d);
      for (guint p = 0; p < per_day; p++)
        g_string_append_printf (columns, "%sminmax(0, %s)", columns->len ? " " : "",
                                is_narrow_day (render, &day) ? "0.35fr" : "1fr");
    }
  return g_string_free (columns, FALSE);
}

static void
append_day_head (OcCalendarRender *render,
                 const GDate      *day)
{
  g_autofree char *iso = oc_calendar_date_iso (day);
  g_autofree char *name = oc_calendar_format_date (day, "%a");
  g_autofree char *long_name = oc_calendar_format_date (day, "%A %-d %B");
  g_autofree char *link = oc_calendar_link (render, OC_CALENDAR_VIEW_DAY, day);
  gboolean today = g_date_compare (day, &render->page->today) == 0;

  oc_html_append (render->out,
                  "<div class=\"day-head%s%s%s\" data-date=\"%s\">"
                  "<a class=\"day-link\" href=\"%s\" aria-label=\"%s%s\"><span class=\"day-name\">%s</span>"
                  "<span class=\"day-number\">%d</span></a>",
                  today ? " today" : "", g_date_get_weekday (day) >= G_DATE_SATURDAY ? " weekend" : "",
                  is_narrow_day (render, day) ? " narrow" : "", iso, link,
                  long_name, today ? ", today" : "", name, g_date_get_day (day));
  if (render->people->len > 1)
    {
      g_string_append (render->out, "<div class=\"person-heads\">");
      for (guint p = 0; p < render->people->len; p++)
        {
          OcCalendarPerson *person = g_ptr_array_index (render->people, p);
          g_autofree char *given = render->n_days > 1 ? short_name (person->name) : g_strdup (person->name);
          oc_html_append (render->out,
                          "<div class=\"person-head\" data-person=\"%u\" style=\"--person: %s\" title=\"%s\">"
                          "<span class=\"dot\"></span><span class=\"person-name\">%s</span></div>",
                          p, oc_calendar_person_color (p), person->name, given);
        }
      g_string_append (render->out, "</div>");
    }
  g_string_append (render->out, "</div>");
}

/* All-day row */

typedef struct {
  OcIcalInstance *instance;
  guint person;
  int first_day;
  int end_day;
} Bar;

static int
compare_bars (gconstpointer a,
              gconstpointer b)
{
  const Bar *ba = a, *bb = b;

  if (ba->first_day != bb->first_day)
    return ba->first_day - bb->first_day;
  if (ba->end_day != bb->end_day)
    return bb->end_day - ba->end_day;
  if (ba->person != bb->person)
    return (int) ba->person - (int) bb->person;
  return oc_ical_instance_compare (ba->instance, bb->instance);
}

static GArray *
collect_bars (OcCalendarRender *render)
{
  GArray *bars = g_array_new (FALSE, FALSE, sizeof (Bar));

  for (int d = 0; d < render->n_days; d++)
    {
      GDate day = render->first;
      g_autoptr (GArray) segments = NULL;

      g_date_add_days (&day, d);
      segments = oc_calendar_day_segments (render, &day, TRUE);
      for (guint i = 0; i < segments->len; i++)
        {
          OcDaySegment *segment = &g_array_index (segments, OcDaySegment, i);
          gboolean found = FALSE;

          /* With one calendar a bar spans its days; side by side, each day has its own. */
          if (render->people->len == 1)
            for (guint b = 0; b < bars->len && !found; b++)
              {
                Bar *bar = &g_array_index (bars, Bar, b);
                if (bar->instance == segment->instance && bar->end_day == d)
                  {
                    bar->end_day = d + 1;
                    found = TRUE;
                  }
              }
          if (!found)
            {
              Bar bar = { segment->instance, segment->person, d, d + 1 };
              g_array_append_val (bars, bar);
            }
        }
    }
  g_array_sort (bars, compare_bars);
  return bars;
}

static void
append_all_day_row (OcCalendarRender *render)
{
  g_autoptr (GArray) bars = collect_bars (render);
  g_autofree OcLaneItem *lanes = g_new0 (OcLaneItem, MAX (bars->len, 1));
  guint people = render->people->len;
  g_autofree char *columns = day_columns (render, people);
  int n_lanes;

  for (guint i = 0; i < bars->len; i++)
    {
      Bar *bar = &g_array_index (bars, Bar, i);
      lanes[i].first = bar->first_day * (int) people + (int) bar->person;
      lanes[i].end = (bar->end_day - 1) * (int) people + (int) bar->person + 1;
    }
  n_lanes = oc_calendar_layout_lanes (lanes, bars->len);
  oc_html_append (render->out,
                  "<div class=\"all-day\" role=\"group\" aria-label=\"All-day events\">"
                  "<div class=\"gutter\">all day</div>"
                  "<div class=\"all-day-cells\" style=\"grid-template-columns: %s; "
                  "grid-template-rows: repeat(%d, auto)\">", columns, MAX (n_lanes, 1));
  for (guint i = 0; i < bars->len; i++)
    {
      Bar *bar = &g_array_index (bars, Bar, i);
      GDate first = render->first;
      g_autofree char *classes = NULL;
      g_date_add_days (&first, bar->first_day);

      classes = g_strdup_printf ("chip%s%s", oc_calendar_day_start (render, &first) > bar->instance->start
                                                ? " continues-before" : "",
                                 bar->end_day == render->n_days && bar->instance->end >
                                   oc_calendar_day_start (render, &render->end) ? " continues-after" : "");
      oc_calendar_append_event_attributes (render, bar->person, bar->instance, classes);
      oc_html_append (render->out, "style=\"--person: %s; grid-column: %d / %d; grid-row: %d\">"
                      "<span class=\"title\">%s</span></button>",
                      oc_calendar_person_color (bar->person), lanes[i].first + 1, lanes[i].end + 1,
                      lanes[i].lane + 1, oc_calendar_title_of (bar->instance));
    }
  g_string_append (render->out, "</div></div>");
}

/* Timed events */

static void
append_event_block (OcCalendarRender   *render,
                    const OcDaySegment *segment,
                    const OcLayoutItem *item)
{
  OcIcalInstance *instance = segment->instance;
  g_autofree char *classes = NULL;
  int length = item->end - item->start;
  /* A short block has room for its start only. */
  g_autofree char *range = length < 45 && !segment->continues_before
                             ? oc_calendar_clock_of (render->page, instance->local_start)
                             : oc_calendar_time_range (render->page, instance);

  classes = g_strdup_printf ("block%s%s%s", length < 45 ? " short" : "",
                             segment->continues_before ? " continues-before" : "",
                             segment->continues_after ? " continues-after" : "");
  oc_calendar_append_event_attributes (render, segment->person, instance, classes);
  oc_html_append (render->out,
                  "style=\"--person: %s; top: %.4f%%; height: %.4f%%; left: %.4f%%; width: %.4f%%\" "
                  "data-column=\"%d\" data-columns=\"%d\">"
                  "<span class=\"title\">%s</span><span class=\"time\">%s</span>",
                  oc_calendar_person_color (segment->person), percent (item->start), percent (length),
                  item->column * 100.0 / item->columns, item->span * 100.0 / item->columns, item->column,
                  item->columns, oc_calendar_title_of (instance), range);
  if (instance->location != NULL)
    oc_html_append (render->out, "<span class=\"where\">%s</span>", instance->location);
  g_string_append (render->out, "</button>");
}

static void
append_column (OcCalendarRender *render,
               const GDate      *day,
               guint             person,
               GArray           *segments)
{
  OcCalendarPerson *owner = g_ptr_array_index (render->people, person);
  g_autoptr (GArray) mine = g_array_new (FALSE, FALSE, sizeof (OcDaySegment));
  g_autofree OcLayoutItem *items = NULL;
  g_autofree char *label = oc_calendar_format_date (day, "%A %-d %B");

  for (guint i = 0; i < segments->len; i++)
    if (g_array_index (segments, OcDaySegment, i).person == person)
      g_array_append_val (mine, g_array_index (segments, OcDaySegment, i));
  items = g_new0 (OcLayoutItem, MAX (mine->len, 1));
  for (guint i = 0; i < mine->len; i++)
    {
      OcDaySegment *segment = &g_array_index (mine, OcDaySegment, i);
      items[i].start = MIN (segment->start, OC_MINUTES_PER_DAY - MIN_BLOCK_MINUTES);
      items[i].end = MAX (segment->end, items[i].start + MIN_BLOCK_MINUTES);
    }
  oc_calendar_layout_columns (items, mine->len);
  oc_html_append (render->out, "<div class=\"column\" data-person=\"%u\" role=\"group\" aria-label=\"%s%s%s\">",
                  person, label, render->people->len > 1 ? ", " : "",
                  render->people->len > 1 ? owner->name : "");
  for (guint i = 0; i < mine->len; i++)
    append_event_block (render, &g_array_index (mine, OcDaySegment, i), &items[i]);
  g_string_append (render->out, "</div>");
}

/* Free for everyone */

static gboolean
blocks_time (OcIcalInstance *instance)
{
  return instance->busy == OC_BUSY_BUSY || instance->busy == OC_BUSY_TENTATIVE ||
         instance->busy == OC_BUSY_OUT_OF_OFFICE;
}

/* Whether each minute of @day (in the viewer's zone) is working time for
 * everyone: each person's own working hours, in their own zone, where the
 * server said; 8:00 to 18:00 on weekdays otherwise. Whoever could not be
 * read at all does not count. */
static gboolean
mark_working_time (OcCalendarRender *render,
                   const GDate      *day,
                   gboolean         *working)
{
  gboolean weekday = g_date_get_weekday (day) < G_DATE_SATURDAY;
  gboolean any = FALSE;

  for (int m = 0; m < OC_MINUTES_PER_DAY; m++)
    working[m] = TRUE;
  for (guint p = 0; p < render->people->len; p++)
    {
      OcCalendarPerson *person = g_ptr_array_index (render->people, p);

      /* Nothing is known of someone whose calendar could not be read. */
      if (person->error != NULL)
        continue;
      if (person->working_hours == NULL)
        {
          for (int m = 0; m < OC_MINUTES_PER_DAY; m++)
            working[m] = working[m] && weekday && m >= WORK_START && m < WORK_END;
          continue;
        }
      /* A quarter of an hour at a time: working hours start and end on them. */
      for (int m = 0; m < OC_MINUTES_PER_DAY; m += 15)
        {
          g_autoptr (GDateTime) local = g_date_time_new (render->page->zone, g_date_get_year (day),
                                                        g_date_get_month (day), g_date_get_day (day),
                                                        m / 60, m % 60, 0);
          gboolean works = local != NULL &&
                           oc_working_hours_contains (person->working_hours, g_date_time_to_unix (local));

          for (int q = m; q < m + 15; q++)
            working[q] = working[q] && works;
        }
    }
  for (int m = 0; m < OC_MINUTES_PER_DAY; m++)
    any = any || working[m];
  return any;
}

static void
append_free_slots (OcCalendarRender *render,
                   const GDate      *day,
                   GArray           *segments)
{
  g_autoptr (GArray) all_day = oc_calendar_day_segments (render, day, TRUE);
  gboolean busy[OC_MINUTES_PER_DAY] = { FALSE };
  gboolean working[OC_MINUTES_PER_DAY];

  if (!mark_working_time (render, day, working))
    return;
  for (guint i = 0; i < all_day->len; i++)
    if (blocks_time (g_array_index (all_day, OcDaySegment, i).instance))
      return;
  for (guint i = 0; i < segments->len; i++)
    {
      OcDaySegment *segment = &g_array_index (segments, OcDaySegment, i);
      if (blocks_time (segment->instance))
        for (int m = segment->start; m < segment->end; m++)
          busy[m] = TRUE;
    }
  for (int m = 0; m < OC_MINUTES_PER_DAY;)
    {
      int start = m;
      g_autofree char *from = NULL, *to = NULL;

      if (busy[m] || !working[m])
        {
          m++;
          continue;
        }
      while (m < OC_MINUTES_PER_DAY && working[m] && !busy[m])
        m++;
      if (m - start < MIN_FREE_SLOT)
        continue;
      from = oc_calendar_clock (render->page, start);
      to = oc_calendar_clock (render->page, m);
      oc_html_append (render->out,
                      "<div class=\"free-slot\" role=\"note\" data-start=\"%s\" data-end=\"%s\" "
                      "style=\"top: %.4f%%; height: %.4f%%\" aria-label=\"Everyone is free from %s to %s\">"
                      "<span>Free for all · %s–%s</span></div>",
                      from, to, percent (start), percent (m - start), from, to, from, to);
    }
}

static void
append_now_line (OcCalendarRender *render,
                 const GDate      *day)
{
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (render->page->now == 0 || g_date_compare (day, &render->page->today) != 0)
    return;
  now = g_date_time_new_from_unix_utc (render->page->now);
  local = g_date_time_to_timezone (now, render->page->zone);
  oc_html_append (render->out, "<div class=\"now-line\" aria-hidden=\"true\" style=\"top: %.4f%%\"></div>",
                  percent (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local)));
}

static int
earliest_start (GArray *segments)
{
  int earliest = OC_MINUTES_PER_DAY;

  /* Only events that begin that day: a night shift from the day before is no reason to show midnight. */
  for (guint i = 0; i < segments->len; i++)
    if (!g_array_index (segments, OcDaySegment, i).continues_before)
      earliest = MIN (earliest, g_array_index (segments, OcDaySegment, i).start);
  return earliest;
}

/**
 * oc_calendar_render_grid:
 * @render: the page being drawn (day or week view)
 */
void
oc_calendar_render_grid (OcCalendarRender *render)
{
  guint people = render->people->len;
  int first_hour = 7;
  g_autoptr (GString) days = g_string_new (NULL);
  g_autofree char *columns = day_columns (render, 1);
  GString *out = render->out;

  oc_html_append (out, "<div class=\"grid\" style=\"--days: %d; --people: %u\">", render->n_days, people);
  oc_html_append (out, "<div class=\"grid-head\"><div class=\"gutter\"></div>"
                  "<div class=\"day-heads\" style=\"grid-template-columns: %s\">", columns);
  for (int d = 0; d < render->n_days; d++)
    {
      GDate day = render->first;
      g_date_add_days (&day, d);
      append_day_head (render, &day);
    }
  g_string_append (out, "</div></div>");
  append_all_day_row (render);

  /* The days, written aside so that the hour to scroll to is known first. */
  render->out = days;
  for (int d = 0; d < render->n_days; d++)
    {
      GDate day = render->first;
      g_autoptr (GArray) segments = NULL;
      g_autofree char *iso = NULL;

      g_date_add_days (&day, d);
      segments = oc_calendar_day_segments (render, &day, FALSE);
      first_hour = MIN (first_hour, earliest_start (segments) / 60);
      iso = oc_calendar_date_iso (&day);
      oc_html_append (days, "<div class=\"day%s%s\" data-date=\"%s\" "
                      "style=\"grid-template-columns: repeat(%u, minmax(0, 1fr))\">",
                      g_date_compare (&day, &render->page->today) == 0 ? " today" : "",
                      g_date_get_weekday (&day) >= G_DATE_SATURDAY ? " weekend" : "", iso, people);
      if (people > 1)
        append_free_slots (render, &day, segments);
      for (guint p = 0; p < people; p++)
        append_column (render, &day, p, segments);
      append_now_line (render, &day);
      g_string_append (days, "</div>");
    }
  render->out = out;

  oc_html_append (out, "<div class=\"scroller\" id=\"scroller\" data-first-hour=\"%d\" tabindex=\"-1\">"
                  "<div class=\"grid-body\"><div class=\"gutter hours\" aria-hidden=\"true\">", first_hour);
  for (int h = 1; h < 24; h++)
    {
      g_autofree char *label = render->page->twelve_hour
                                 ? g_strdup_printf ("%d %s", h % 12 == 0 ? 12 : h % 12, h < 12 ? "AM" : "PM")
                                 : g_strdup_printf ("%02d:00", h);
      oc_html_append (out, "<div class=\"hour-label\" style=\"top: %.4f%%\">%s</div>", percent (h * 60), label);
    }
  oc_html_append (out, "</div><div class=\"days\" style=\"grid-template-columns: %s\">", columns);
  g_string_append_len (out, days->str, days->len);
  g_string_append (out, "</div></div></div></div>");
}
