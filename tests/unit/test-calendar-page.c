/* test-calendar-page.c: overlap layout, ranges and the HTML of the calendar page. */
#include "config.h"

#include <string.h>

#include "oc-calendar-layout.h"
#include "oc-calendar-page.h"
#include "oc-calendar-source.h"
#include "oc-ical-expander.h"

/* Layout */

static void
test_layout_columns (void)
{
  static const struct {
    const char *what;
    int n;
    int spans[6][2];           /* start, end */
    int expect[6][3];          /* column, span, columns */
  } rows[] = {
    { "two overlapping", 2, { { 600, 660 }, { 630, 660 } }, { { 0, 1, 2 }, { 1, 1, 2 } } },
    { "a chain: the third reuses the second's column", 3, { { 600, 690 }, { 630, 660 }, { 660, 720 } },
      { { 0, 1, 2 }, { 1, 1, 2 }, { 1, 1, 2 } } },
    { "a later event widens over a free column", 4, { { 600, 700 }, { 600, 630 }, { 600, 630 }, { 630, 700 } },
      { { 0, 1, 3 }, { 1, 1, 3 }, { 2, 1, 3 }, { 1, 2, 3 } } },
    { "apart: each alone", 2, { { 480, 540 }, { 540, 600 } }, { { 0, 1, 1 }, { 0, 1, 1 } } },
    { "given in any order", 3, { { 660, 720 }, { 600, 690 }, { 630, 660 } },
      { { 1, 1, 2 }, { 0, 1, 2 }, { 1, 1, 2 } } },
  };

  for (gsize r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      OcLayoutItem items[6] = { { 0 } };
      for (int i = 0; i < rows[r].n; i++)
        {
          items[i].start = rows[r].spans[i][0];
          items[i].end = rows[r].spans[i][1];
        }
      oc_calendar_layout_columns (items, (guint) rows[r].n);
      for (int i = 0; i < rows[r].n; i++)
        {
          g_test_message ("%s, item %d: column %d span %d of %d", rows[r].what, i, items[i].column,
                          items[i].span, items[i].columns);
          g_assert_cmpint (items[i].column, ==, rows[r].expect[i][0]);
          g_assert_cmpint (items[i].span, ==, rows[r].expect[i][1]);
          g_assert_cmpint (items[i].columns, ==, rows[r].expect[i][2]);
        }
    }
}

static void
test_layout_lanes (void)
{
  /* Mon–Wed, Tue, Thu, Wed–Fri: the second and fourth need a lane below. */
  OcLaneItem items[] = { { 0, 3, -1 }, { 1, 2, -1 }, { 3, 4, -1 }, { 2, 5, -1 } };

  g_assert_cmpint (oc_calendar_layout_lanes (items, G_N_ELEMENTS (items)), ==, 2);
  g_assert_cmpint (items[0].lane, ==, 0);
  g_assert_cmpint (items[1].lane, ==, 1);
  g_assert_cmpint (items[2].lane, ==, 0);
  g_assert_cmpint (items[3].lane, ==, 1);
}

/* The layouts as first written, plainly: every earlier event checked for
 * every place. What the page does must give the same answer, faster. */
static void
reference_lanes (OcLaneItem *items,
                 guint       n)
{
  for (guint i = 0; i < n; i++)
    for (int lane = 0;; lane++)
      {
        gboolean free = TRUE;
        for (guint j = 0; j < i && free; j++)
          free = items[j].lane != lane || items[j].end <= items[i].first || items[j].first >= items[i].end;
        if (free)
          {
            items[i].lane = lane;
            break;
          }
      }
}

static int
reference_span (const OcLayoutItem *items,
                guint               n,
                guint               i)
{
  int span = 1;

  for (int next = items[i].column + 1; next < items[i].columns; next++)
    {
      for (guint j = 0; j < n; j++)
        if (items[j].column == next && items[j].columns == items[i].columns &&
            items[j].start < items[i].end && items[i].start < items[j].end)
          return span;
      span++;
    }
  return span;
}

static void
test_layout_matches_reference (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (6122026);

  for (int round = 0; round < 300; round++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, 120);
      g_autofree OcLaneItem *lanes = g_new0 (OcLaneItem, n);
      g_autofree OcLaneItem *expected = g_new0 (OcLaneItem, n);
      g_autofree OcLayoutItem *events = g_new0 (OcLayoutItem, n);
      int width = g_rand_int_range (rand, 1, 50);
      int n_lanes = 0;

      for (guint i = 0; i < n; i++)
        {
          lanes[i].first = g_rand_int_range (rand, 0, width);
          lanes[i].end = lanes[i].first + g_rand_int_range (rand, 1, 8);
          events[i].start = g_rand_int_range (rand, 0, 24 * 60 - 30);
          events[i].end = events[i].start + g_rand_int_range (rand, 1, 180);
        }
      memcpy (expected, lanes, n * sizeof *lanes);
      reference_lanes (expected, n);
      for (guint i = 0; i < n; i++)
        n_lanes = MAX (n_lanes, expected[i].lane + 1);
      g_assert_cmpint (oc_calendar_layout_lanes (lanes, n), ==, n_lanes);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (lanes[i].lane, ==, expected[i].lane);

      oc_calendar_layout_columns (events, n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (events[i].span, ==, reference_span (events, n, i));
    }
}

/* Ranges */

static void
assert_range (OcCalendarView view,
              const char    *date,
              GDateWeekday   week_start,
              const char    *first,
              const char    *end)
{
  GDate day, out_first, out_end;
  char text[16];

  g_date_clear (&day, 1);
  g_date_set_parse (&day, date);
  g_assert_true (g_date_valid (&day));
  oc_calendar_page_get_range (view, &day, week_start, &out_first, &out_end);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &out_first);
  g_assert_cmpstr (text, ==, first);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &out_end);
  g_assert_cmpstr (text, ==, end);
}

static void
test_ranges (void)
{
  assert_range (OC_CALENDAR_VIEW_DAY, "2024-03-13", G_DATE_MONDAY, "2024-03-13", "2024-03-14");
  assert_range (OC_CALENDAR_VIEW_WEEK, "2024-03-13", G_DATE_MONDAY, "2024-03-11", "2024-03-18");
  assert_range (OC_CALENDAR_VIEW_WEEK, "2024-03-13", G_DATE_SUNDAY, "2024-03-10", "2024-03-17");
  assert_range (OC_CALENDAR_VIEW_WEEK, "2024-03-17", G_DATE_MONDAY, "2024-03-11", "2024-03-18");
  assert_range (OC_CALENDAR_VIEW_MONTH, "2024-03-13", G_DATE_MONDAY, "2024-02-26", "2024-04-01");
  assert_range (OC_CALENDAR_VIEW_MONTH, "2024-09-30", G_DATE_MONDAY, "2024-08-26", "2024-10-07");
  assert_range (OC_CALENDAR_VIEW_AGENDA, "2024-03-13", G_DATE_MONDAY, "2024-03-11", "2024-04-08");
}

/* Pages */

static OcIcalCalendar *
load_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ical",
                                            name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;
  OcIcalCalendar *calendar;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  calendar = oc_ical_calendar_new_from_data (text, length, &error);
  g_assert_no_error (error);
  return calendar;
}

static void
init_page (OcCalendarPage *page,
           OcCalendarView  view,
           GTimeZone      *zone)
{
  memset (page, 0, sizeof *page);
  page->view = view;
  g_date_clear (&page->date, 1);
  g_date_set_dmy (&page->date, 13, G_DATE_MARCH, 2024);
  g_date_clear (&page->today, 1);
  g_date_set_dmy (&page->today, 1, G_DATE_JANUARY, 2030);
  page->zone = zone;
  page->week_start = G_DATE_MONDAY;
  page->base_url = "owacal-calendar://test/";
}

static OcCalendarPerson *
person_from (const char           *fixture,
             const OcCalendarPage *page)
{
  g_autoptr (OcIcalCalendar) calendar = load_fixture (fixture);
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_for_gtimezone (page->zone);
  OcCalendarPerson *person = oc_calendar_person_new (oc_ical_calendar_get_name (calendar), fixture);
  gint64 start, end;

  oc_calendar_page_get_utc_range (page, &start, &end);
  person->instances = oc_ical_expand (calendar, zone, start, end);
  person->problems = g_ptr_array_ref (oc_ical_calendar_get_problems (calendar));
  return person;
}

static guint
count (const char *html,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (html, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The opening tag of the element with @attribute, for checking its other attributes. */
static char *
tag_with (const char *html,
          const char *attribute)
{
  const char *at = strstr (html, attribute);
  const char *open, *close;

  g_assert_nonnull (at);
  for (open = at; open > html && *open != '<'; open--)
    ;
  close = strchr (at, '>');
  return g_strndup (open, close - open + 1);
}

static void
test_week_single (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPage page;
  g_autofree char *html = NULL;
  g_autofree char *review = NULL, *supplier = NULL, *budget = NULL, *fair = NULL, *vacation = NULL;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  g_ptr_array_add (people, person_from ("people/alice.ics", &page));
  html = oc_calendar_page_render (&page, people);

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "<title>Alice Example · 11 – 17 March 2024</title>"));
  g_assert_cmpuint (count (html, "<div class=\"day\" data-date=") + count (html, "<div class=\"day weekend\" data-date="),
                    ==, 7);
  /* A recurring standup, Monday to Friday. */
  g_assert_cmpuint (count (html, "data-uid=\"alice-standup\""), ==, 5);
  /* Review 10:00–11:30, supplier 10:30–11:00, budget 11:00–12:00: two columns. */
  review = tag_with (html, "data-uid=\"alice-review\"");
  supplier = tag_with (html, "data-uid=\"alice-supplier\"");
  budget = tag_with (html, "data-uid=\"alice-budget\"");
  g_assert_nonnull (strstr (review, "data-column=\"0\" data-columns=\"2\""));
  g_assert_nonnull (strstr (supplier, "data-column=\"1\" data-columns=\"2\""));
  g_assert_nonnull (strstr (budget, "data-column=\"1\" data-columns=\"2\""));
  g_assert_nonnull (strstr (review, "top: 41.6667%; height: 6.2500%; left: 0.0000%; width: 50.0000%"));
  /* The trade fair spans Tuesday and Wednesday in the all-day row; the vacation is out of office. */
  fair = tag_with (html, "data-uid=\"alice-fair\"");
  g_assert_nonnull (strstr (fair, "grid-column: 2 / 4"));
  vacation = tag_with (html, "data-uid=\"alice-vacation\"");
  g_assert_nonnull (strstr (vacation, "class=\"event oof"));
  /* Private: busy, and nothing of what it is. */
  g_assert_nonnull (strstr (html, "data-uid=\"alice-dentist\""));
  g_assert_null (strstr (html, "Dentist"));
  g_assert_null (strstr (html, "Dr. Zahn"));
  /* Details for the dialog, including the organizer and attendees. */
  g_assert_nonnull (strstr (html, "\"organizer\":{\"name\":\"Alice Example\",\"email\":\"alice@example.test\"}"));
  g_assert_nonnull (strstr (html, "\"status\":\"accepted\""));
  /* One calendar: no free-for-all bands. */
  g_assert_null (strstr (html, "class=\"free-slot\""));
}

/* The desktop's twelve-hour clock: hour labels, blocks, details and free slots follow it. */
static void
test_twelve_hour_clock (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  const char *files[] = { "people/alice.ics", "people/bob.ics" };
  OcCalendarPage page;
  g_autofree char *clock24 = NULL, *clock12 = NULL;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    g_ptr_array_add (people, person_from (files[i], &page));
  clock24 = oc_calendar_page_render (&page, people);
  page.twelve_hour = TRUE;
  clock12 = oc_calendar_page_render (&page, people);

  g_assert_nonnull (strstr (clock24, ">13:00</div>"));
  g_assert_null (strstr (clock24, " PM"));
  g_assert_nonnull (strstr (clock12, ">1 PM</div>"));
  g_assert_nonnull (strstr (clock12, ">12 PM</div>"));
  g_assert_nonnull (strstr (clock12, ">9 AM</div>"));
  g_assert_null (strstr (clock12, ">13:00</div>"));
  /* Alice's review, 10:00–11:30, in its block and its details. */
  g_assert_nonnull (strstr (clock24, "10:00 – 11:30"));
  g_assert_nonnull (strstr (clock12, "10:00 AM – 11:30 AM"));
  g_assert_null (strstr (clock12, "10:00 – 11:30"));
  /* Where both are free, the band says so in the same clock. */
  g_assert_nonnull (strstr (clock12, "Free for all · 8:00 AM–9:00 AM"));
  g_assert_nonnull (strstr (clock24, "Free for all · 08:00–09:00"));
}

static char *
day_of (const char *html,
        const char *date)
{
  g_autofree char *marker = g_strdup_printf ("<div class=\"day\" data-date=\"%s\"", date);
  g_autofree char *weekend = g_strdup_printf ("<div class=\"day weekend\" data-date=\"%s\"", date);
  const char *start = strstr (html, marker) ? strstr (html, marker) : strstr (html, weekend);
  const char *end;

  g_assert_nonnull (start);
  end = strstr (start + 1, "<div class=\"day");
  return end ? g_strndup (start, end - start) : g_strdup (start);
}

static void
test_side_by_side (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPage page;
  g_autofree char *html = NULL, *monday = NULL, *tuesday = NULL, *thursday = NULL, *friday = NULL;
  g_autofree char *sync = NULL;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  g_ptr_array_add (people, person_from ("people/alice.ics", &page));
  g_ptr_array_add (people, person_from ("people/bob.ics", &page));
  g_ptr_array_add (people, person_from ("people/carol.ics", &page));
  html = oc_calendar_page_render (&page, people);

  /* Seven days, three columns each. */
  g_assert_cmpuint (count (html, "<div class=\"column\" data-person=\"0\""), ==, 7);
  g_assert_cmpuint (count (html, "<div class=\"column\" data-person=\"2\""), ==, 7);
  /* Carol's 08:00 New York is 13:00 in Berlin (US summer time began on 10 March). */
  sync = tag_with (html, "data-uid=\"carol-sync\"");
  g_assert_nonnull (strstr (sync, "data-person=\"2\" data-start=\"2024-03-11T13:00\""));
  /* Monday: free for all 08–09, 09:15–10, 12–13, 15–16. */
  monday = day_of (html, "2024-03-11");
  g_assert_cmpuint (count (monday, "class=\"free-slot\""), ==, 4);
  g_assert_nonnull (strstr (monday, "data-start=\"08:00\" data-end=\"09:00\""));
  g_assert_nonnull (strstr (monday, "data-start=\"09:15\" data-end=\"10:00\""));
  g_assert_nonnull (strstr (monday, "data-start=\"12:00\" data-end=\"13:00\""));
  g_assert_nonnull (strstr (monday, "data-start=\"15:00\" data-end=\"16:00\""));
  /* Tuesday: Alice is at a trade fair all day. Friday: Alice is out of office. */
  tuesday = day_of (html, "2024-03-12");
  friday = day_of (html, "2024-03-15");
  g_assert_null (strstr (tuesday, "free-slot"));
  g_assert_null (strstr (friday, "free-slot"));
  /* Thursday: Alice's lunch walk is free time and Bob working elsewhere is no obstacle. */
  thursday = day_of (html, "2024-03-14");
  g_assert_nonnull (strstr (thursday, "data-start=\"09:15\" data-end=\"13:00\""));
  g_assert_nonnull (strstr (thursday, "data-start=\"15:00\" data-end=\"18:00\""));
}

static void
test_views_render (void)
{
  static const OcCalendarView views[] = { OC_CALENDAR_VIEW_DAY, OC_CALENDAR_VIEW_MONTH, OC_CALENDAR_VIEW_AGENDA };
  static const char *const titles[] = { "Wednesday, 13 March 2024", "March 2024", "11 March – 7 April 2024" };
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");

  for (gsize v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
      g_autofree char *html = NULL, *heading = NULL;
      OcCalendarPage page;

      init_page (&page, views[v], zone);
      g_ptr_array_add (people, person_from ("people/alice.ics", &page));
      html = oc_calendar_page_render (&page, people);
      heading = g_strdup_printf ("<h1 id=\"range\">%s</h1>", titles[v]);
      g_assert_nonnull (strstr (html, heading));
      g_assert_nonnull (strstr (html, "aria-current=\"page\""));
      g_assert_nonnull (strstr (html, "data-uid=\"alice-one-on-one\""));
    }
}

static void
test_escaping (void)
{
  static const char text[] =
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\"><img src=y>\r\nDTSTART:20240313T090000Z\r\nDTEND:20240313T100000Z\r\n"
    "SUMMARY:<script>alert(1)</script>\r\nDESCRIPTION:</script><script>alert(2)</script>\r\n"
    "LOCATION:Tom & Jerry's \"room\"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr (OcIcalZone) izone = oc_ical_zone_new_utc ();
  g_autoptr (OcIcalCalendar) calendar = oc_ical_calendar_new_from_data (text, strlen (text), NULL);
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPerson *person = oc_calendar_person_new ("<b>Mallory</b>", NULL);
  OcCalendarPage page;
  g_autofree char *html = NULL;
  gint64 start, end;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  oc_calendar_page_get_utc_range (&page, &start, &end);
  person->instances = oc_ical_expand (calendar, izone, start, end);
  g_ptr_array_add (people, person);
  html = oc_calendar_page_render (&page, people);

  g_assert_cmpuint (person->instances->len, ==, 1);
  g_assert_null (strstr (html, "alert(1)</script>"));
  g_assert_null (strstr (html, "<script>alert"));
  g_assert_null (strstr (html, "<img src=y>"));
  g_assert_null (strstr (html, "<b>Mallory"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  g_assert_nonnull (strstr (html, "\\u003c/script\\u003e\\u003cscript\\u003ealert(2)"));
  g_assert_nonnull (strstr (html, "Tom &amp; Jerry&apos;s &quot;room&quot;"));
  /* Two script elements: the details data and the page's own. */
  g_assert_cmpuint (count (html, "<script"), ==, 2);
}

/* An event read from a colleague's calendar folder (EWS FindItem) has no
 * notes or attendees: the page is told where to ask (its "more" address,
 * the uid escaped); a private one has nothing to ask for. The answer to that
 * request is JSON of the same fields, or of the error. */
static void
test_details_on_request (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPerson *bob = oc_calendar_person_new ("bob@example.test", "ews");
  OcIcalInstance *review = oc_ical_instance_new ();
  OcIcalInstance *dentist = oc_ical_instance_new ();
  OcIcalAttendee *dave = g_new0 (OcIcalAttendee, 1);
  g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Exchange said \"no\".");
  g_autofree char *html = NULL, *json = NULL, *refused = NULL;
  OcCalendarPage page;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  review->uid = g_strdup ("AAMk+ID/1==");
  review->summary = g_strdup ("Design review");
  review->details_on_request = TRUE;
  oc_ical_instance_set_range (review, 1710334800, 1710338400, zone);    /* 2024-03-13 13:00 UTC */
  dentist->uid = g_strdup ("AAMk+ID/2==");
  dentist->privacy = OC_PRIVACY_PRIVATE;
  oc_ical_instance_set_range (dentist, 1710399600, 1710403200, zone);
  bob->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  g_ptr_array_add (bob->instances, review);
  g_ptr_array_add (bob->instances, dentist);
  g_ptr_array_add (people, bob);
  html = oc_calendar_page_render (&page, people);

  g_assert_cmpuint (count (html, "\"more\":\"owacal-calendar://test/details/0?item=AAMk%2BID%2F1%3D%3D\""), ==, 1);
  g_assert_cmpuint (count (html, "\"more\":null"), ==, 1);
  /* The page may ask its own address, and nothing else. */
  g_assert_nonnull (strstr (html, "connect-src 'self'"));

  review->description = g_strdup ("Slides: https://example.test/s");
  dave->name = g_strdup ("Dave");
  dave->email = g_strdup ("dave@example.test");
  dave->role = g_strdup ("OPT-PARTICIPANT");
  g_ptr_array_add (review->attendees, dave);
  json = oc_calendar_details_to_json (review, NULL);
  g_assert_cmpstr (json, ==, "{\"location\":null,\"description\":\"Slides: https://example.test/s\",\"organizer\":null,"
                             "\"attendees\":[{\"name\":\"Dave\",\"email\":\"dave@example.test\",\"status\":null,"
                             "\"optional\":true}]}");
  refused = oc_calendar_details_to_json (NULL, error);
  g_assert_cmpstr (refused, ==, "{\"error\":\"Exchange said \\\"no\\\".\"}");
}

/* The first days GDate knows (1 January of year 1, a Monday) have no
 * earlier ones: every view draws, and "previous" goes back as far as that
 * day and no further, never forward, without a critical from GLib (found
 * by fuzz-ical: a calendar whose first event is in year 1). */
static void
test_year_one (void)
{
  static const struct {
    OcCalendarView view;
    GDateDay day;
    const char *previous;
  } cases[] = {
    { OC_CALENDAR_VIEW_DAY, 3, "day/0001-01-02" },
    { OC_CALENDAR_VIEW_DAY, 1, "day/0001-01-01" },
    { OC_CALENDAR_VIEW_WEEK, 3, "week/0001-01-01" },
    { OC_CALENDAR_VIEW_MONTH, 3, "month/0001-01-01" },
    { OC_CALENDAR_VIEW_AGENDA, 3, "agenda/0001-01-01" },
  };
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
      OcCalendarPerson *person = oc_calendar_person_new ("alice@example.test", "test");
      g_autofree char *html = NULL, *previous = NULL;
      OcCalendarPage page;

      init_page (&page, cases[i].view, zone);
      g_date_set_dmy (&page.date, cases[i].day, G_DATE_JANUARY, 1);
      g_date_set_dmy (&page.today, 3, G_DATE_JANUARY, 1);
      person->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
      g_ptr_array_add (people, person);
      html = oc_calendar_page_render (&page, people);
      previous = g_strdup_printf ("id=\"previous\" href=\"owacal-calendar://test/%s\"", cases[i].previous);
      g_assert_nonnull (strstr (html, previous));
    }
}

/* A colleague read from Exchange: her working hours, in her own zone, bound
 * the free-for-all stretches; what she shares is said once, as information. */
static void
test_working_hours_and_notice (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPerson *dana = oc_calendar_person_new ("dana@example.test", "ews");
  OcWorkingHours hours = { 0 };
  OcCalendarPage page;
  g_autofree char *html = NULL, *monday = NULL, *thursday = NULL, *saturday = NULL;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  g_ptr_array_add (people, person_from ("people/alice.ics", &page));
  /* 09:00–17:00 Monday to Friday in New York: 14:00–22:00 in Berlin that week
   * (US summer time began on 10 March, Europe's on 31 March). */
  hours.days = (1u << G_DATE_MONDAY) | (1u << G_DATE_TUESDAY) | (1u << G_DATE_WEDNESDAY) |
               (1u << G_DATE_THURSDAY) | (1u << G_DATE_FRIDAY);
  hours.start_minute = 9 * 60;
  hours.end_minute = 17 * 60;
  hours.zone = g_time_zone_new_identifier ("America/New_York");
  dana->working_hours = oc_working_hours_copy (&hours);
  g_time_zone_unref (hours.zone);
  dana->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  dana->notice = oc_sharing_describe (OC_SHARING_FREE_BUSY, "dana@example.test");
  g_ptr_array_add (people, dana);
  html = oc_calendar_page_render (&page, people);

  g_assert_nonnull (strstr (html, "<div class=\"banner info notice\" role=\"status\" data-person=\"1\">"));
  g_assert_nonnull (strstr (html, "dana@example.test shares when they are busy, not what they do."));
  /* Monday: Alice (08:00–18:00, busy 09:00–09:15 and 10:00–12:00) and Dana
   * (14:00–22:00 Berlin time) are both at work and free from 14:00 to 18:00 only.
   * Thursday: Alice's dentist until 15:00 leaves 15:00–18:00. */
  monday = day_of (html, "2024-03-11");
  g_assert_cmpuint (count (monday, "class=\"free-slot\""), ==, 1);
  g_assert_nonnull (strstr (monday, "data-start=\"14:00\" data-end=\"18:00\""));
  thursday = day_of (html, "2024-03-14");
  g_assert_cmpuint (count (thursday, "class=\"free-slot\""), ==, 1);
  g_assert_nonnull (strstr (thursday, "data-start=\"15:00\" data-end=\"18:00\""));
  saturday = day_of (html, "2024-03-16");
  g_assert_null (strstr (saturday, "free-slot"));
}

static void
test_banners (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  OcCalendarPerson *missing = oc_calendar_person_new ("carol@example.test", NULL);
  OcCalendarPage page;
  g_autofree char *html = NULL;

  init_page (&page, OC_CALENDAR_VIEW_WEEK, zone);
  g_ptr_array_add (people, person_from ("malformed.ics", &page));
  missing->error = g_strdup ("No calendar address found for carol@example.test");
  g_ptr_array_add (people, missing);
  html = oc_calendar_page_render (&page, people);

  g_assert_nonnull (strstr (html, "<div class=\"banner warning\" role=\"status\" data-person=\"0\">"));
  g_assert_nonnull (strstr (html, "(10 problems)"));
  g_assert_cmpuint (count (html, "<li data-line="), ==, 10);
  g_assert_nonnull (strstr (html, "<li data-line=\"22\"><span class=\"where\">Line 22</span> "
                                  "<code>RRULE:FREQ=FORTNIGHTLY</code>: not a valid RECUR value for RRULE"));
  g_assert_nonnull (strstr (html, "<div class=\"banner error\" role=\"alert\" data-person=\"1\">"));
  g_assert_nonnull (strstr (html, "No calendar address found for carol@example.test"));
  /* What could be read is still there. */
  g_assert_nonnull (strstr (html, "Bad rule, shown once"));
}

static void
test_waiting (void)
{
  const char *names[] = { "alice@example.test", "<b>bob</b>@example.test", NULL };
  g_autofree char *html = oc_calendar_page_render_waiting (names);

  g_assert_nonnull (strstr (html, "<title>Looking up alice@example.test, &lt;b&gt;bob&lt;/b&gt;@example.test</title>"));
  g_assert_null (strstr (html, "<b>bob"));
  g_assert_nonnull (strstr (html, "role=\"status\""));
}

/* Sources */

static void
test_source_names (void)
{
  static const struct {
    const char *uri;
    const char *label;
    const char *name;
  } rows[] = {
    { "https://mail.example.test/owa/calendar/abc@example.test/def/calendar.ics", "alice@example.test",
      "alice@example.test" },
    { "https://mail.example.test/owa/calendar/abc@example.test/def/calendar.ics", NULL, "mail.example.test" },
    { "https://example.test/team%20holidays.ics", NULL, "team holidays" },
    { "file:///home/alice/Bob%27s%20shifts.ics", NULL, "Bob's shifts" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (OcCalendarSource) source = oc_calendar_source_new (rows[i].uri, rows[i].label);
      g_autofree char *name = oc_calendar_source_dup_name (source);
      g_assert_cmpstr (name, ==, rows[i].name);
    }
}

static void
test_looks_like_icalendar (void)
{
  static const struct {
    const char *text;
    gboolean yes;
  } rows[] = {
    { "BEGIN:VCALENDAR\r\n", TRUE },
    { "\xEF\xBB\xBF\r\n  begin:vcalendar\n", TRUE },
    { "<!DOCTYPE html>", FALSE },
    { "BEGIN:VCARD\r\n", FALSE },
    { "", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new_static (rows[i].text, strlen (rows[i].text));
      g_assert_cmpint (oc_calendar_looks_like_icalendar (bytes), ==, rows[i].yes);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  g_test_add_func ("/oc/calendar/layout/columns", test_layout_columns);
  g_test_add_func ("/oc/calendar/layout/matches-reference", test_layout_matches_reference);
  g_test_add_func ("/oc/calendar/page/details-on-request", test_details_on_request);
  g_test_add_func ("/oc/calendar/page/year-one", test_year_one);
  g_test_add_func ("/oc/calendar/layout/lanes", test_layout_lanes);
  g_test_add_func ("/oc/calendar/page/ranges", test_ranges);
  g_test_add_func ("/oc/calendar/page/week", test_week_single);
  g_test_add_func ("/oc/calendar/page/side-by-side", test_side_by_side);
  g_test_add_func ("/oc/calendar/page/twelve-hour-clock", test_twelve_hour_clock);
  g_test_add_func ("/oc/calendar/page/views", test_views_render);
  g_test_add_func ("/oc/calendar/page/escaping", test_escaping);
  g_test_add_func ("/oc/calendar/page/banners", test_banners);
  g_test_add_func ("/oc/calendar/page/working-hours", test_working_hours_and_notice);
  g_test_add_func ("/oc/calendar/page/waiting", test_waiting);
  g_test_add_func ("/oc/calendar/source/names", test_source_names);
  g_test_add_func ("/oc/calendar/source/looks-like-icalendar", test_looks_like_icalendar);
  return g_test_run ();
}
