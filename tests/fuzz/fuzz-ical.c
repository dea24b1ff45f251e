/* fuzz-ical.c: a published calendar, from scanning to the page (oc-ical-*.c,
 * oc-calendar-*.c).
 *
 * The text is scanned and parsed, expanded over 2020–2027 (the years of the
 * seeds), and the week, month and agenda around its first occurrence are
 * drawn. Holds: at most 5,000 occurrences a range;
 * every occurrence ends no earlier than it starts; the page is valid UTF-8. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-calendar-page.h"
#include "oc-ical-calendar.h"
#include "oc-ical-expander.h"

static GTimeZone *berlin;

FUZZ_INIT (berlin = g_time_zone_new_identifier ("Europe/Berlin"); g_assert (berlin != NULL))

static void
draw (OcIcalCalendar *calendar,
      OcCalendarView  view,
      gint64          day)
{
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_for_gtimezone (berlin);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (day);
  OcCalendarPerson *person = oc_calendar_person_new ("alice@example.com", "fuzz.ics");
  OcCalendarPage page = { view };
  g_autofree char *html = NULL;
  gint64 start, end;

  if (when == NULL)
    return;
  g_date_clear (&page.date, 1);
  g_date_set_dmy (&page.date, g_date_time_get_day_of_month (when), g_date_time_get_month (when),
                  g_date_time_get_year (when));
  g_date_clear (&page.today, 1);
  g_date_set_dmy (&page.today, 11, G_DATE_MARCH, 2024);
  page.zone = berlin;
  page.week_start = G_DATE_MONDAY;
  page.now = 1710147600;
  page.base_url = "owacal-calendar://fuzz/";
  oc_calendar_page_get_utc_range (&page, &start, &end);
  person->instances = oc_ical_expand_full (calendar, zone, start, end, &person->left_out);
  person->problems = g_ptr_array_ref (oc_ical_calendar_get_problems (calendar));
  g_ptr_array_add (people, person);
  html = oc_calendar_page_render (&page, people);
  g_assert (g_utf8_validate (html, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_exact_copy (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalCalendar) calendar = oc_ical_calendar_new_from_data (text, size, &error);
  g_autoptr (OcIcalZone) utc = oc_ical_zone_new_utc ();
  g_autoptr (GPtrArray) left_out = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autofree char *problems = NULL;
  gint64 first = 1710147600;   /* 2024-03-11, when the calendar has nothing */

  if (calendar == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  problems = oc_ical_calendar_describe_problems (calendar);
  g_assert (g_utf8_validate (problems, -1, NULL));
  /* 2020-01-01 to 2028-01-01 */
  all = oc_ical_expand_full (calendar, utc, 1577836800, 1830297600, &left_out);
  g_assert_cmpuint (all->len, <=, 5000);
  for (guint i = 0; i < all->len; i++)
    {
      OcIcalInstance *instance = g_ptr_array_index (all, i);
      g_assert_cmpint (instance->end, >=, instance->start);
    }
  if (all->len > 0)
    first = ((OcIcalInstance *) g_ptr_array_index (all, 0))->start;
  draw (calendar, OC_CALENDAR_VIEW_WEEK, first);
  draw (calendar, OC_CALENDAR_VIEW_MONTH, first);
  draw (calendar, OC_CALENDAR_VIEW_AGENDA, first);
  return 0;
}
