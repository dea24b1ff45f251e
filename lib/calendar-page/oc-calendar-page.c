/* oc-calendar-page.c: a calendar (or several, side by side) as one HTML page.
 *
 * owacal draws published calendars itself, as a page in the same web view
 * that shows OWA: one document per view and range, with plain links for
 * today, previous, next and the views, so that back and forward work and
 * a page can be printed or snapshotted like any other. The page carries its
 * style and a small script (details on click or Enter, keyboard shortcuts)
 * and loads nothing else but an event's details from its own address (see
 * oc-event-details.c in app/web); its Content-Security-Policy says so.
 */
#include "config.h"
#include "oc-calendar-page.h"

#include "oc-calendar-html.h"
#include "oc-calendar-page-resources.h"

#define AGENDA_DAYS 28

static const char *const view_names[] = { "day", "week", "month", "agenda" };
static const char *const view_labels[] = { "Day", "Week", "Month", "Agenda" };

const char *
oc_calendar_view_to_string (OcCalendarView view)
{
  g_return_val_if_fail (view <= OC_CALENDAR_VIEW_AGENDA, "week");
  return view_names[view];
}

/**
 * oc_calendar_view_from_string:
 * @text: "day", "week", "month" or "agenda"
 * @out_view: (out): the view
 *
 * Returns: whether @text names a view
 */
gboolean
oc_calendar_view_from_string (const char     *text,
                              OcCalendarView *out_view)
{
  for (gsize i = 0; i < G_N_ELEMENTS (view_names); i++)
    if (g_strcmp0 (text, view_names[i]) == 0)
      {
        *out_view = (OcCalendarView) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * oc_calendar_person_new:
 * @name: what the column is called
 * @source: (nullable): where the calendar came from
 *
 * Returns: (transfer full): a person with no events yet
 */
OcCalendarPerson *
oc_calendar_person_new (const char *name,
                        const char *source)
{
  OcCalendarPerson *person = g_new0 (OcCalendarPerson, 1);

  person->name = g_strdup (name);
  person->source = g_strdup (source);
  return person;
}

void
oc_calendar_person_free (OcCalendarPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->name);
  g_free (person->source);
  g_clear_pointer (&person->instances, g_ptr_array_unref);
  g_clear_pointer (&person->problems, g_ptr_array_unref);
  g_clear_pointer (&person->left_out, g_ptr_array_unref);
  g_free (person->error);
  g_free (person->notice);
  g_clear_pointer (&person->working_hours, oc_working_hours_free);
  g_free (person);
}

/* Ranges */

/* GDate begins on 1 January of year 1: going back stops there, so a week,
 * a page and its "previous" link in year 1 begin on that day (found by
 * fuzz-ical: a calendar whose first event is in year 1). */
static void
subtract_days (GDate *date,
               guint  days)
{
  g_date_subtract_days (date, MIN (days, g_date_get_julian (date) - 1));
}

static void
start_of_week (GDate        *date,
               GDateWeekday  week_start)
{
  subtract_days (date, (g_date_get_weekday (date) - week_start + 7) % 7);
}

/**
 * oc_calendar_page_get_range:
 * @view: a view
 * @date: a day it should show
 * @week_start: the first day of a week
 * @out_first: (out): the first day shown
 * @out_end: (out): the day after the last day shown
 */
void
oc_calendar_page_get_range (OcCalendarView  view,
                            const GDate    *date,
                            GDateWeekday    week_start,
                            GDate          *out_first,
                            GDate          *out_end)
{
  *out_first = *date;
  switch (view)
    {
    case OC_CALENDAR_VIEW_DAY:
      *out_end = *date;
      g_date_add_days (out_end, 1);
      return;
    case OC_CALENDAR_VIEW_MONTH:
      g_date_set_day (out_first, 1);
      *out_end = *out_first;
      g_date_add_months (out_end, 1);
      start_of_week (out_first, week_start);
      while ((g_date_days_between (out_first, out_end)) % 7 != 0)
        g_date_add_days (out_end, 1);
      return;
    case OC_CALENDAR_VIEW_AGENDA:
      start_of_week (out_first, week_start);
      *out_end = *out_first;
      g_date_add_days (out_end, AGENDA_DAYS);
      return;
    case OC_CALENDAR_VIEW_WEEK:
    default:
      start_of_week (out_first, week_start);
      *out_end = *out_first;
      g_date_add_days (out_end, 7);
      return;
    }
}

/**
 * oc_calendar_page_get_utc_range:
 * @page: what to draw
 * @out_start: (out): the start of its first day, UTC seconds
 * @out_end: (out): the end of its last day
 *
 * The range to expand the people's calendars over.
 */
void
oc_calendar_page_get_utc_range (const OcCalendarPage *page,
                                gint64               *out_start,
                                gint64               *out_end)
{
  OcCalendarRender render = { page };

  oc_calendar_page_get_range (page->view, &page->date, page->week_start, &render.first, &render.end);
  *out_start = oc_calendar_day_start (&render, &render.first);
  *out_end = oc_calendar_day_start (&render, &render.end);
}

static GDate
step (const OcCalendarPage *page,
      int                   direction)
{
  GDate date = page->date;
  guint days = page->view == OC_CALENDAR_VIEW_DAY ? 1 : page->view == OC_CALENDAR_VIEW_AGENDA ? AGENDA_DAYS : 7;

  if (page->view == OC_CALENDAR_VIEW_MONTH)
    {
      g_date_set_day (&date, 1);
      if (direction > 0)
        g_date_add_months (&date, 1);
      else if (g_date_get_year (&date) > 1 || g_date_get_month (&date) > G_DATE_JANUARY)
        g_date_subtract_months (&date, 1);
    }
  else if (direction > 0)
    g_date_add_days (&date, days);
  else
    subtract_days (&date, days);
  return date;
}

/* Words */

static char *
describe_range (OcCalendarRender *render)
{
  GDate last = render->end;
  g_autofree char *first = NULL, *end = NULL;

  g_date_subtract_days (&last, 1);
  switch (render->page->view)
    {
    case OC_CALENDAR_VIEW_DAY:
      return oc_calendar_format_date (&render->first, "%A, %-d %B %Y");
    case OC_CALENDAR_VIEW_MONTH:
      return oc_calendar_format_date (&render->page->date, "%B %Y");
    default:
      break;
    }
  end = oc_calendar_format_date (&last, "%-d %B %Y");
  if (g_date_get_year (&render->first) != g_date_get_year (&last))
    first = oc_calendar_format_date (&render->first, "%-d %B %Y");
  else if (g_date_get_month (&render->first) != g_date_get_month (&last))
    first = oc_calendar_format_date (&render->first, "%-d %B");
  else
    first = oc_calendar_format_date (&render->first, "%-d");
  return g_strdup_printf ("%s – %s", first, end);
}

static char *
join_names (GPtrArray *people)
{
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < people->len; i++)
    {
      OcCalendarPerson *person = g_ptr_array_index (people, i);
      if (i > 0)
        g_string_append (names, i + 1 == people->len ? " and " : ", ");
      g_string_append (names, person->name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Parts of the page */

static GBytes *
lookup_resource (const char *name)
{
  g_autofree char *path = g_strconcat ("/io/github/owacal/calendar-page/", name, NULL);
  GBytes *bytes = g_resource_lookup_data (oc_calendar_page_get_resource (), path,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);
  return bytes;
}

static void
append_toolbar (OcCalendarRender *render,
                const char       *range)
{
  const OcCalendarPage *page = render->page;
  GDate previous = step (page, -1), next = step (page, +1);
  g_autofree char *previous_link = oc_calendar_link (render, page->view, &previous);
  g_autofree char *next_link = oc_calendar_link (render, page->view, &next);
  g_autofree char *today_link = oc_calendar_link (render, page->view, &page->today);
  const char *unit = page->view == OC_CALENDAR_VIEW_AGENDA ? "four weeks" : view_names[page->view];

  oc_html_append (render->out,
                  "<header class=\"toolbar\" role=\"toolbar\" aria-label=\"Calendar\">"
                  "<div class=\"linked nav\">"
                  "<a class=\"button icon\" id=\"previous\" href=\"%s\" title=\"Previous %s (Page Up)\" "
                  "aria-label=\"Previous %s\" aria-keyshortcuts=\"PageUp\"><span class=\"chevron left\"></span></a>"
                  "<a class=\"button\" id=\"today\" href=\"%s\" title=\"Today (T)\" aria-keyshortcuts=\"T\">Today</a>"
                  "<a class=\"button icon\" id=\"next\" href=\"%s\" title=\"Next %s (Page Down)\" "
                  "aria-label=\"Next %s\" aria-keyshortcuts=\"PageDown\"><span class=\"chevron right\"></span></a>"
                  "</div><h1 id=\"range\">%s</h1>"
                  "<nav class=\"linked views\" aria-label=\"View\">",
                  previous_link, unit, unit, today_link, next_link, unit, unit, range);
  for (gsize v = 0; v < G_N_ELEMENTS (view_names); v++)
    {
      g_autofree char *link = oc_calendar_link (render, (OcCalendarView) v, &page->date);
      oc_html_append (render->out, "<a class=\"button%s\" id=\"view-%s\" href=\"%s\" title=\"%s (%c)\" "
                      "aria-keyshortcuts=\"%c\" aria-current=\"%s\">%s</a>",
                      v == page->view ? " active" : "", view_names[v], link, view_labels[v],
                      view_labels[v][0], view_labels[v][0], v == page->view ? "page" : "false", view_labels[v]);
    }
  g_string_append (render->out, "</nav></header>");
}

static void
append_banners (OcCalendarRender *render)
{
  for (guint p = 0; p < render->people->len; p++)
    {
      OcCalendarPerson *person = g_ptr_array_index (render->people, p);

      if (person->error != NULL)
        oc_html_append (render->out,
                        "<div class=\"banner error\" role=\"alert\" data-person=\"%u\"><div class=\"banner-icon\" "
                        "aria-hidden=\"true\"></div><div><strong>%s</strong>: this calendar could not be shown. "
                        "<span class=\"message\">%s</span></div></div>",
                        p, person->name, person->error);
      if (person->notice != NULL)
        oc_html_append (render->out,
                        "<div class=\"banner info notice\" role=\"status\" data-person=\"%u\"><div "
                        "class=\"banner-icon\" aria-hidden=\"true\"></div><div class=\"message\">%s</div></div>",
                        p, person->notice);
      if (person->left_out != NULL && person->left_out->len > 0)
        {
          oc_html_append (render->out,
                          "<div class=\"banner warning left-out\" role=\"status\" data-person=\"%u\"><div "
                          "class=\"banner-icon\" aria-hidden=\"true\"></div><div><strong>%s</strong>: not "
                          "everything is shown.<ul class=\"problems\">", p, person->name);
          for (guint i = 0; i < person->left_out->len; i++)
            oc_html_append (render->out, "<li>%s</li>", (const char *) g_ptr_array_index (person->left_out, i));
          g_string_append (render->out, "</ul></div></div>");
        }
      if (person->problems == NULL || person->problems->len == 0)
        continue;
      oc_html_append (render->out,
                      "<div class=\"banner warning\" role=\"status\" data-person=\"%u\"><div class=\"banner-icon\" "
                      "aria-hidden=\"true\"></div><details><summary><strong>%s</strong>: part of this calendar could "
                      "not be read (%u %s). What could be read is shown.</summary><ul class=\"problems\">",
                      p, person->name, person->problems->len,
                      person->problems->len == 1 ? "problem" : "problems");
      for (guint i = 0; i < person->problems->len; i++)
        {
          OcIcalProblem *problem = g_ptr_array_index (person->problems, i);
          g_autofree char *where = problem->first_line == 0 ? g_strdup ("Somewhere in the file")
                                   : problem->last_line > problem->first_line
                                     ? g_strdup_printf ("Lines %u–%u", problem->first_line, problem->last_line)
                                     : g_strdup_printf ("Line %u", problem->first_line);
          oc_html_append (render->out, "<li data-line=\"%u\"><span class=\"where\">%s</span>", problem->first_line,
                          where);
          if (problem->text != NULL)
            oc_html_append (render->out, " <code>%s</code>", problem->text);
          oc_html_append (render->out, ": %s</li>", problem->reason);
        }
      g_string_append (render->out, "</ul></details></div>");
    }
}

static void
append_legend (OcCalendarRender *render)
{
  static const OcBusyStatus statuses[] = { OC_BUSY_BUSY, OC_BUSY_TENTATIVE, OC_BUSY_OUT_OF_OFFICE,
                                           OC_BUSY_WORKING_ELSEWHERE, OC_BUSY_FREE };
  const char *zone = g_time_zone_get_identifier (render->page->zone);

  g_string_append (render->out, "<footer class=\"legend\" aria-label=\"Legend\">");
  if (render->people->len > 1)
    {
      g_string_append (render->out, "<ul class=\"people\">");
      for (guint p = 0; p < render->people->len; p++)
        {
          OcCalendarPerson *person = g_ptr_array_index (render->people, p);
          oc_html_append (render->out, "<li style=\"--person: %s\"><span class=\"dot\"></span>%s</li>",
                          oc_calendar_person_color (p), person->name);
        }
      g_string_append (render->out, "</ul>");
    }
  g_string_append (render->out, "<ul class=\"statuses\">");
  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    oc_html_append (render->out, "<li><span class=\"swatch %s\"></span>%s</li>",
                    oc_busy_status_to_string (statuses[i]), oc_busy_label (statuses[i]));
  if (render->people->len > 1 && render->page->view <= OC_CALENDAR_VIEW_WEEK)
    {
      gboolean known_hours = FALSE;

      for (guint p = 0; p < render->people->len; p++)
        known_hours = known_hours || ((OcCalendarPerson *) g_ptr_array_index (render->people, p))->working_hours;
      g_string_append (render->out, known_hours
                       ? "<li><span class=\"swatch free-slot-swatch\"></span>Free for everyone (in everyone's "
                         "working hours)</li>"
                       : "<li><span class=\"swatch free-slot-swatch\"></span>Free for everyone (08:00–18:00, "
                         "weekdays)</li>");
    }
  oc_html_append (render->out, "</ul><span class=\"zone\">Times in %s</span></footer>", zone ? zone : "local time");
}

static void
append_dialog (OcCalendarRender *render)
{
  g_string_append (render->out,
                   "<dialog id=\"details\" aria-labelledby=\"details-title\">"
                   "<form method=\"dialog\"><header><span class=\"swatch\" id=\"details-color\"></span>"
                   "<h2 id=\"details-title\"></h2>"
                   "<button class=\"close\" value=\"close\" aria-label=\"Close\" title=\"Close (Escape)\"></button>"
                   "</header><dl id=\"details-list\"></dl></form></dialog>"
                   "<script type=\"application/json\" id=\"event-data\">{");
  g_string_append_len (render->out, render->details->str, render->details->len);
  g_string_append (render->out, "}</script>");
}

/**
 * oc_calendar_page_render:
 * @page: what to draw
 * @people: (element-type OcCalendarPerson): the calendars, one column each side by side
 *
 * Returns: (transfer full): the page, a complete HTML document
 */
char *
oc_calendar_page_render (const OcCalendarPage *page,
                         GPtrArray            *people)
{
  OcCalendarRender render = { page, people };
  g_autoptr (GBytes) css = lookup_resource ("calendar.css");
  g_autoptr (GBytes) js = lookup_resource ("calendar.js");
  g_autofree char *range = NULL, *names = NULL, *first = NULL, *end = NULL, *today = NULL;
  GString *out;

  g_return_val_if_fail (page != NULL && people != NULL && people->len > 0, NULL);
  g_return_val_if_fail (g_date_valid (&page->date) && g_date_valid (&page->today), NULL);

  oc_calendar_page_get_range (page->view, &page->date, page->week_start, &render.first, &render.end);
  render.n_days = g_date_days_between (&render.first, &render.end);
  render.ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  render.details = g_string_new (NULL);
  render.out = out = g_string_sized_new (64 * 1024);
  range = describe_range (&render);
  names = join_names (people);
  first = oc_calendar_date_iso (&render.first);
  end = oc_calendar_date_iso (&render.end);
  today = oc_calendar_date_iso (&page->today);

  oc_html_append (out,
                  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"color-scheme\" content=\"light dark\">"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'\">"
                  "<title>%s · %s</title><style>", names, range);
  g_string_append_len (out, g_bytes_get_data (css, NULL), g_bytes_get_size (css));
  oc_html_append (out, "</style></head><body class=\"view-%s%s\" data-view=\"%s\" data-first=\"%s\" data-end=\"%s\" "
                  "data-today=\"%s\" data-people=\"%u\">",
                  view_names[page->view], people->len > 1 ? " side-by-side" : "", view_names[page->view], first,
                  end, today, people->len);
  append_toolbar (&render, range);
  append_banners (&render);
  oc_html_append (out, "<main id=\"calendar\" aria-label=\"%s\">", names);
  if (page->view == OC_CALENDAR_VIEW_MONTH)
    oc_calendar_render_month (&render);
  else if (page->view == OC_CALENDAR_VIEW_AGENDA)
    oc_calendar_render_agenda (&render);
  else
    oc_calendar_render_grid (&render);
  g_string_append (out, "</main>");
  append_legend (&render);
  append_dialog (&render);
  g_string_append (out, "<script>");
  g_string_append_len (out, g_bytes_get_data (js, NULL), g_bytes_get_size (js));
  g_string_append (out, "</script></body></html>\n");

  g_hash_table_unref (render.ids);
  g_string_free (render.details, TRUE);
  return g_string_free (out, FALSE);
}

/**
 * oc_calendar_page_render_waiting:
 * @names: (array zero-terminated=1): the people whose calendars are being looked up
 *
 * Returns: (transfer full): a page that says so, while the lookups run
 */
char *
oc_calendar_page_render_waiting (const char *const *names)
{
  g_autoptr (GBytes) css = lookup_resource ("calendar.css");
  g_autofree char *joined = g_strjoinv (", ", (char **) names);
  GString *out = g_string_new (NULL);

  oc_html_append (out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"color-scheme\" content=\"light dark\">"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                  "<title>Looking up %s</title><style>", joined);
  g_string_append_len (out, g_bytes_get_data (css, NULL), g_bytes_get_size (css));
  oc_html_append (out, "</style></head><body class=\"waiting\"><div class=\"empty\" role=\"status\">"
                  "<div class=\"spinner\" aria-hidden=\"true\"></div><h2>Looking up calendars</h2>"
                  "<p>%s</p></div></body></html>\n", joined);
  return g_string_free (out, FALSE);
}
