/* test-ical-limits.c: a calendar costs what a page can show, whatever its rules say.
 *
 * The expected occurrences are worked out here by arithmetic on the rule
 * (DTSTART plus whole periods), not taken from owacal or libical.
 */
#include "config.h"

#include <string.h>

#include "oc-calendar-page.h"
#include "oc-ical-calendar.h"
#include "oc-ical-expander.h"
#include "oc-ical-rule.h"

#define DAY 86400

static OcIcalCalendar *
calendar_with (const char *events)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_strconcat ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//owacal//limits//EN\r\n",
                                       events, "END:VCALENDAR\r\n", NULL);
  OcIcalCalendar *calendar = oc_ical_calendar_new_from_data (data, strlen (data), &error);

  g_assert_no_error (error);
  return calendar;
}

static OcIcalCalendar *
calendar_with_rule (const char *dtstart,
                    const char *rule,
                    const char *summary)
{
  g_autofree char *event = g_strdup_printf ("BEGIN:VEVENT\r\nUID:series\r\nDTSTART:%s\r\nDURATION:PT1S\r\n"
                                            "RRULE:%s\r\nSUMMARY:%s\r\nEND:VEVENT\r\n", dtstart, rule, summary);
  return calendar_with (event);
}

static gint64
utc (const char *iso)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

static GPtrArray *
expand (OcIcalCalendar *calendar,
        gint64          start,
        gint64          end,
        GPtrArray     **out_left_out)
{
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_utc ();

  return oc_ical_expand_full (calendar, zone, start, end, out_left_out);
}

/* A page of the week (or weeks) of Monday 4 March 2024. */
static OcCalendarPage
march_page (OcCalendarView view,
            GTimeZone     *zone)
{
  OcCalendarPage page = { view };

  g_date_clear (&page.date, 1);
  g_date_set_dmy (&page.date, 4, G_DATE_MARCH, 2024);
  page.today = page.date;
  page.zone = zone;
  page.week_start = G_DATE_MONDAY;
  page.base_url = "owacal-calendar://x/";
  return page;
}

static void
assert_left_out_names (GPtrArray  *left_out,
                       const char *name)
{
  gboolean found = FALSE;

  for (guint i = 0; i < left_out->len; i++)
    {
      g_test_message ("left out: %s", (char *) g_ptr_array_index (left_out, i));
      found = found || strstr (g_ptr_array_index (left_out, i), name) != NULL;
    }
  g_assert_true (found);
}

/* Every second for three years: the range gets the first 1,000 seconds of
 * the week, and the page says that the rest is left out. */
static void
test_secondly_count (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("20240101T000000Z", "FREQ=SECONDLY;COUNT=100000000",
                                                            "Every second");
  g_autoptr (GPtrArray) left_out = NULL;
  gint64 start = utc ("2024-03-04T00:00:00Z");
  g_autoptr (GPtrArray) instances = expand (calendar, start, start + 7 * DAY, &left_out);

  g_assert_cmpuint (instances->len, ==, 1000);
  for (guint i = 0; i < instances->len; i++)
    g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (instances, i))->start, ==, start + i);
  assert_left_out_names (left_out, "“Every second”");
}

/* The series is named in the sentence from its SUMMARY, which goes on a page:
 * bytes that are not UTF-8 are made valid (found by fuzz-ical). */
static void
test_left_out_name_is_utf8 (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("20240101T000000Z", "FREQ=SECONDLY;COUNT=100000000",
                                                            "\xff\xfe ping");
  g_autoptr (GPtrArray) left_out = NULL;
  gint64 start = utc ("2024-03-04T00:00:00Z");
  g_autoptr (GPtrArray) instances = expand (calendar, start, start + DAY, &left_out);

  g_assert_cmpuint (left_out->len, >, 0);
  for (guint i = 0; i < left_out->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (left_out, i), -1, NULL));
  assert_left_out_names (left_out, "\xef\xbf\xbd\xef\xbf\xbd ping");
}

/* COUNT is carried over the periods skipped: the series ends where
 * DTSTART + (COUNT - 1) periods says, inside the range. */
static void
test_count_ends_in_range (void)
{
  /* 2000-01-01 + 3 × 2999 days = 2024-08-21 (day 8997 after 2000-01-01). */
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("20000101T090000Z", "FREQ=DAILY;INTERVAL=3;COUNT=3000",
                                                            "Every third day");
  gint64 first = utc ("2000-01-01T09:00:00Z");
  gint64 start = utc ("2024-08-01T00:00:00Z");
  g_autoptr (GPtrArray) left_out = NULL;
  g_autoptr (GPtrArray) instances = expand (calendar, start, start + 31 * DAY, &left_out);
  g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (gint64 n = 0; n < 3000; n++)
    {
      gint64 when = first + n * 3 * DAY;
      if (when >= start && when < start + 31 * DAY)
        g_array_append_val (expected, when);
    }
  g_assert_cmpuint (expected->len, ==, 7);
  g_assert_cmpuint (instances->len, ==, expected->len);
  for (guint i = 0; i < instances->len; i++)
    g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (instances, i))->start, ==,
                     g_array_index (expected, gint64, i));
  g_assert_cmpuint (left_out->len, ==, 0);
}

/* Every 7 minutes since year 1: not walked from year 1, and the jump keeps
 * the minutes of the series (libical's own jump would not). */
static void
test_minutely_from_year_one (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("00010101T000000Z", "FREQ=MINUTELY;INTERVAL=7",
                                                            "Every seven minutes");
  g_autoptr (GDateTime) year_one = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  gint64 epoch_of_year_one = g_date_time_to_unix (year_one);
  gint64 start = utc ("2024-03-01T00:00:00Z");
  gint64 since = start - epoch_of_year_one;
  gint64 first = start + (7 * 60 - since % (7 * 60)) % (7 * 60);
  g_autoptr (GPtrArray) left_out = NULL;
  g_autoptr (GPtrArray) instances = expand (calendar, start, start + 3600, &left_out);

  g_assert_cmpuint (instances->len, ==, (start + 3600 - first + 7 * 60 - 1) / (7 * 60));
  for (guint i = 0; i < instances->len; i++)
    g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (instances, i))->start, ==, first + i * 7 * 60);
  g_assert_cmpuint (left_out->len, ==, 0);
}

/* Four weeks of an agenda of a MINUTELY series since year 1: 1,000, said so. */
static void
test_minutely_agenda (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("00010101T000000Z", "FREQ=MINUTELY", "Ping");
  gint64 start = utc ("2024-03-04T00:00:00Z");
  g_autoptr (GPtrArray) left_out = NULL;
  g_autoptr (GPtrArray) instances = expand (calendar, start, start + 28 * DAY, &left_out);

  g_assert_cmpuint (instances->len, ==, 1000);
  g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (instances, 0))->start, ==, start);
  g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (instances, 999))->start, ==, start + 999 * 60);
  assert_left_out_names (left_out, "“Ping”");
}

/* Rules libical would search without end (for the year 20000, or second by
 * second) are not followed: their DTSTART is shown, the problem is named. */
static void
test_rules_not_followed (void)
{
  static const char *const rules[] = {
    "FREQ=SECONDLY;BYMONTH=2",
    "FREQ=MINUTELY;BYMONTHDAY=31;BYMONTH=4",
    "FREQ=MONTHLY;BYMONTHDAY=-11;BYDAY=1SU",
    "FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2",
    "FREQ=MONTHLY;BYDAY=2SA;BYSETPOS=3",
    "FREQ=YEARLY;BYMONTHDAY=21;BYSETPOS=2",
    "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=-17;BYDAY=1SA;BYSETPOS=3",
    "FREQ=MONTHLY;BYMONTH=13",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("20240301T090000Z", rules[i], "Never");
      g_autoptr (GPtrArray) instances = expand (calendar, utc ("2024-03-01T00:00:00Z"),
                                                utc ("2024-06-01T00:00:00Z"), NULL);
      g_autofree char *problems = oc_ical_calendar_describe_problems (calendar);

      g_test_message ("%s: %s", rules[i], problems);
      g_assert_cmpuint (instances->len, ==, 1);
      g_assert_nonnull (strstr (problems, "does not follow"));
    }
}

/* A DAILY rule whose days never come, with a COUNT: walked only as far as
 * the range (libical is given an UNTIL), never to the year 2582. */
static void
test_count_of_days_that_never_come (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("20240301T090000Z",
                                                            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "Never");
  g_autoptr (GPtrArray) instances = expand (calendar, utc ("2024-03-01T00:00:00Z"), utc ("2024-04-01T00:00:00Z"),
                                            NULL);

  g_assert_cmpuint (instances->len, ==, 1);
}

/* 6,000 events on one day: a page shows 5,000 and says so. */
static void
test_range_cap (void)
{
  g_autoptr (GString) events = g_string_new (NULL);
  g_autoptr (OcIcalCalendar) calendar = NULL;
  g_autoptr (GPtrArray) left_out = NULL;
  g_autoptr (GPtrArray) instances = NULL;

  for (int i = 0; i < 6000; i++)
    g_string_append_printf (events, "BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:20240304T%02d%02d%02dZ\r\n"
                            "DURATION:PT1M\r\nSUMMARY:E\r\nEND:VEVENT\r\n", i, i / 3600, i / 60 % 60, i % 60);
  calendar = calendar_with (events->str);
  instances = expand (calendar, utc ("2024-03-04T00:00:00Z"), utc ("2024-03-05T00:00:00Z"), &left_out);
  g_assert_cmpuint (instances->len, ==, 5000);
  g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (instances, 4999))->start, ==,
                   utc ("2024-03-04T00:00:00Z") + 4999);
  assert_left_out_names (left_out, "6000 events");
}

/* The page says what it leaves out. */
static void
test_page_says_left_out (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with_rule ("00010101T000000Z", "FREQ=MINUTELY", "Ping <b>");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPerson *person = oc_calendar_person_new ("alice@example.com", "test");
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();
  OcCalendarPage page = march_page (OC_CALENDAR_VIEW_WEEK, zone);
  g_autofree char *html = NULL;
  gint64 start, end;

  oc_calendar_page_get_utc_range (&page, &start, &end);
  person->instances = expand (calendar, start, end, &person->left_out);
  g_ptr_array_add (people, person);
  html = oc_calendar_page_render (&page, people);
  g_assert_nonnull (strstr (html, "class=\"banner warning left-out\""));
  g_assert_nonnull (strstr (html, "“Ping &lt;b&gt;” has more occurrences here than a page can show"));
}

/* A daily series of events a hundred days long: each is listed on every day
 * it covers (a hundred a day), so the agenda stops at 2,000 entries and says
 * how many are not listed (found by fuzz-ical: a thousand events a month
 * long each made 14 MB of page). */
static void
test_agenda_of_long_events_is_bounded (void)
{
  g_autoptr (OcIcalCalendar) calendar = calendar_with (
    "BEGIN:VEVENT\r\nUID:long\r\nDTSTART:20231101T090000Z\r\nDTEND:20240209T090000Z\r\n"
    "RRULE:FREQ=DAILY\r\nSUMMARY:Long\r\nEND:VEVENT\r\n");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPerson *person = oc_calendar_person_new ("alice@example.com", "test");
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();
  OcCalendarPage page = march_page (OC_CALENDAR_VIEW_AGENDA, zone);
  g_autofree char *html = NULL;
  const char *note;
  guint listed = 0;
  gint64 start, end;

  oc_calendar_page_get_utc_range (&page, &start, &end);
  person->instances = expand (calendar, start, end, NULL);
  g_ptr_array_add (people, person);
  html = oc_calendar_page_render (&page, people);
  for (const char *at = strstr (html, "agenda-item\""); at != NULL; at = strstr (at + 1, "agenda-item\""))
    listed++;
  g_test_message ("%u occurrences, %u entries listed, %zu bytes", person->instances->len, listed, strlen (html));
  g_assert_cmpuint (listed, ==, 2000);
  note = strstr (html, "class=\"banner warning agenda-unlisted\"");
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, " more entries of these four weeks are not listed"));
}

/* Every MONTHLY or YEARLY rule the check lets through makes an occurrence
 * within a lifetime as libical expands it: libical's search for it ends.
 * The rules are drawn from a fixed seed, so each run tries the same ones. */
static void
test_followed_rules_make_occurrences (void)
{
  static const char *const days[] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };
  g_autoptr (GRand) rand = g_rand_new_with_seed (14);
  struct icaltimetype dtstart = icaltime_from_string ("20240131T090000");
  guint followed = 0, refused = 0;

  for (int i = 0; i < 600; i++)
    {
      g_autoptr (GString) text = g_string_new (g_rand_boolean (rand) ? "FREQ=MONTHLY" : "FREQ=YEARLY");
      struct icalrecurrencetype rule;
      icalrecur_iterator *iterator;
      struct icaltimetype first;

      if (g_rand_boolean (rand))
        g_string_append_printf (text, ";BYMONTH=%d", g_rand_int_range (rand, 1, 13));
      if (g_rand_boolean (rand))
        g_string_append_printf (text, ";BYMONTHDAY=%d", g_rand_int_range (rand, 1, 32) * (g_rand_boolean (rand) ? 1 : -1));
      if (g_rand_boolean (rand))
        g_string_append_printf (text, ";BYDAY=%d%s", g_rand_int_range (rand, -5, 6), days[g_rand_int_range (rand, 0, 7)]);
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (text, ";BYSETPOS=%d", g_rand_int_range (rand, 1, 4) * (g_rand_boolean (rand) ? 1 : -1));
      g_string_append (text, ";UNTIL=20840101T000000");
      rule = icalrecurrencetype_from_string (text->str);
      if (oc_ical_rule_check (&rule, dtstart, NULL) != OC_ICAL_RULE_FOLLOWED)
        {
          refused++;
          continue;
        }
      followed++;
      iterator = icalrecur_iterator_new (rule, dtstart);
      if (iterator == NULL)
        g_error ("%s: followed, but libical makes no iterator of it", text->str);
      first = icalrecur_iterator_next (iterator);
      icalrecur_iterator_free (iterator);
      if (icaltime_is_null_time (first))
        g_error ("%s: followed, but makes nothing before 2084", text->str);
    }
  g_test_message ("%u rules followed, %u refused", followed, refused);
  g_assert_cmpuint (followed, >, 100);
  g_assert_cmpuint (refused, >, 10);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/ical/limits/secondly-count", test_secondly_count);
  g_test_add_func ("/oc/ical/limits/left-out-name-is-utf8", test_left_out_name_is_utf8);
  g_test_add_func ("/oc/ical/limits/count-ends-in-range", test_count_ends_in_range);
  g_test_add_func ("/oc/ical/limits/minutely-from-year-one", test_minutely_from_year_one);
  g_test_add_func ("/oc/ical/limits/minutely-agenda", test_minutely_agenda);
  g_test_add_func ("/oc/ical/limits/rules-not-followed", test_rules_not_followed);
  g_test_add_func ("/oc/ical/limits/count-of-days-that-never-come", test_count_of_days_that_never_come);
  g_test_add_func ("/oc/ical/limits/range-cap", test_range_cap);
  g_test_add_func ("/oc/ical/limits/page-says-left-out", test_page_says_left_out);
  g_test_add_func ("/oc/ical/limits/agenda-of-long-events-is-bounded", test_agenda_of_long_events_is_bounded);
  g_test_add_func ("/oc/ical/limits/followed-rules-make-occurrences", test_followed_rules_make_occurrences);
  return g_test_run ();
}
