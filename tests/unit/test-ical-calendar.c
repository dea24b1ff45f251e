/* test-ical-calendar.c: zones, Windows names, line endings, details, privacy. */
#include "config.h"

#include <string.h>

#include "oc-ical-calendar.h"
#include "oc-ical-expander.h"
#include "oc-ical-scanner.h"
#include "oc-ical-zone.h"
#include "oc-windows-zones.h"

static OcIcalCalendar *
load_text (const char *text)
{
  g_autoptr (GError) error = NULL;
  OcIcalCalendar *calendar = oc_ical_calendar_new_from_data (text, strlen (text), &error);

  g_assert_no_error (error);
  return calendar;
}

static OcIcalCalendar *
load_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ical",
                                            name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  return load_text (text);
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
        const char     *zone_name,
        const char     *start,
        const char     *end)
{
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_iana (zone_name);

  return oc_ical_expand (calendar, zone, utc (start), utc (end));
}

/* Windows zones */

static void
test_windows_table_zones_exist (void)
{
  guint n = oc_windows_zone_get_count ();

  g_assert_cmpuint (n, >, 130);
  for (guint i = 0; i < n; i++)
    {
      const char *windows, *iana, *display;
      g_autoptr (OcIcalZone) zone = NULL;

      oc_windows_zone_get_nth (i, &windows, &iana, &display);
      zone = oc_ical_zone_new_iana (iana);
      if (zone == NULL)
        g_test_message ("“%s” maps to %s, which this system does not know", windows, iana);
      g_assert_nonnull (zone);
      g_assert_cmpstr (oc_windows_zone_to_iana (windows), ==, iana);
      g_assert_true (g_str_has_prefix (display, "(UTC"));
    }
}

static void
test_windows_names (void)
{
  static const struct {
    const char *name;
    const char *iana;
  } rows[] = {
    { "W. Europe Standard Time", "Europe/Berlin" },
    { "w. europe standard time", "Europe/Berlin" },
    { "Eastern Standard Time", "America/New_York" },
    { "Pacific Standard Time", "America/Los_Angeles" },
    { "GMT Standard Time", "Europe/London" },
    { "Romance Standard Time", "Europe/Paris" },
    { "India Standard Time", "Asia/Kolkata" },
    { "FLE Standard Time", "Europe/Kyiv" },
    { "AUS Eastern Standard Time", "Australia/Sydney" },
    { "UTC", "Etc/UTC" },
    { "UTC-11", "Etc/GMT+11" },
    { "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin" },
    { "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin" },
    { "(UTC-05:00) Eastern Time (US & Canada)", "America/New_York" },
    { "Customized Time Zone", NULL },
    { "Europe/Berlin", NULL },
    { "(UTC+01:00)", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpstr (oc_windows_zone_to_iana (rows[i].name), ==, rows[i].iana);
}

static void
test_resolve_tzid (void)
{
  static const struct {
    const char *tzid;
    const char *iana;
  } rows[] = {
    { "Europe/Berlin", "Europe/Berlin" },
    { "America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires" },
    { "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin", "Europe/Berlin" },
    { "/freeassociation.sourceforge.net/Europe/Berlin", "Europe/Berlin" },
    { "/mozilla.org/20050126_1/America/New_York", "America/New_York" },
    { "/citadel.org/20190914_1/Asia/Tokyo", "Asia/Tokyo" },
    { "\"W. Europe Standard Time\"", "Europe/Berlin" },
    { "  Tokyo Standard Time ", "Asia/Tokyo" },
    { "UTC", "UTC" },
    { "GMT", "UTC" },
    { "Etc/UTC", "UTC" },
    { "Z", "UTC" },
    { "Customized Time Zone", NULL },
    { "Mars/Olympus_Mons", NULL },
    { "ABC5", NULL },
    { "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *iana = oc_ical_zone_resolve_tzid (rows[i].tzid);
      g_assert_cmpstr (iana, ==, rows[i].iana);
    }
}

/* Zones */

static void
test_zone_gap_and_fold (void)
{
  g_autoptr (OcIcalZone) berlin = oc_ical_zone_new_iana ("Europe/Berlin");
  g_autoptr (OcIcalZone) new_york = oc_ical_zone_new_iana ("America/New_York");

  /* Ordinary times. */
  g_assert_cmpint (oc_ical_zone_to_utc (berlin, 2024, 1, 15, 12, 0, 0), ==, utc ("2024-01-15T11:00:00Z"));
  g_assert_cmpint (oc_ical_zone_to_utc (berlin, 2024, 7, 15, 12, 0, 0), ==, utc ("2024-07-15T10:00:00Z"));
  /* 02:30 on 31 March 2024 does not exist in Berlin: read with +01:00. */
  g_assert_cmpint (oc_ical_zone_to_utc (berlin, 2024, 3, 31, 2, 30, 0), ==, utc ("2024-03-31T01:30:00Z"));
  /* 02:30 on 27 October 2024 happens twice: the first, +02:00. */
  g_assert_cmpint (oc_ical_zone_to_utc (berlin, 2024, 10, 27, 2, 30, 0), ==, utc ("2024-10-27T00:30:00Z"));
  g_assert_cmpint (oc_ical_zone_to_utc (new_york, 2024, 3, 10, 2, 30, 0), ==, utc ("2024-03-10T07:30:00Z"));
  g_assert_cmpint (oc_ical_zone_to_utc (new_york, 2024, 11, 3, 1, 30, 0), ==, utc ("2024-11-03T05:30:00Z"));
  /* History libical 3.0's own zones get wrong: São Paulo kept -03:00 in its 2014 winter, had DST
   * (-02:00) in January 2018 and none since 2019. */
  {
    g_autoptr (OcIcalZone) sao_paulo = oc_ical_zone_new_iana ("America/Sao_Paulo");
    g_assert_cmpint (oc_ical_zone_get_offset (sao_paulo, utc ("2014-06-18T15:00:00Z")), ==, -3 * 3600);
    g_assert_cmpint (oc_ical_zone_get_offset (sao_paulo, utc ("2018-01-10T15:00:00Z")), ==, -2 * 3600);
    g_assert_cmpint (oc_ical_zone_get_offset (sao_paulo, utc ("2020-01-10T15:00:00Z")), ==, -3 * 3600);
  }
}

static void
test_zone_vtimezone (void)
{
  /* Exchange's shape of a VTIMEZONE, rules from 1601, for a zone with no IANA name. */
  static const char vtimezone[] =
    "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
  icalcomponent *component = icalparser_parse_string (vtimezone);
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_vtimezone (component);

  icalcomponent_free (component);
  g_assert_nonnull (zone);
  g_assert_false (oc_ical_zone_is_iana (zone));
  g_assert_cmpstr (oc_ical_zone_get_id (zone), ==, "Customized Time Zone");
  g_assert_cmpint (oc_ical_zone_to_utc (zone, 2024, 1, 15, 12, 0, 0), ==, utc ("2024-01-15T11:00:00Z"));
  g_assert_cmpint (oc_ical_zone_to_utc (zone, 2024, 7, 15, 12, 0, 0), ==, utc ("2024-07-15T10:00:00Z"));
  g_assert_cmpint (oc_ical_zone_to_utc (zone, 2024, 3, 31, 2, 30, 0), ==, utc ("2024-03-31T01:30:00Z"));
  g_assert_cmpint (oc_ical_zone_to_utc (zone, 2024, 10, 27, 2, 30, 0), ==, utc ("2024-10-27T00:30:00Z"));
}

/* Reading files */

static void
test_not_icalendar (void)
{
  static const char *const texts[] = {
    "",
    "<!DOCTYPE html><html><body>Sign in</body></html>\n",
    "just some words\nand more\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OcIcalCalendar) calendar = oc_ical_calendar_new_from_data (texts[i], strlen (texts[i]), &error);
      g_assert_null (calendar);
      g_assert_error (error, OC_ICAL_ERROR, OC_ICAL_ERROR_NOT_ICALENDAR);
    }
}

static void
test_line_endings (void)
{
  /* The same calendar with CRLF, LF, CR, a BOM and a fold by tab. */
  static const char *const texts[] = {
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240311T090000Z\r\nSUMMARY:Line\r\n  endings\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20240311T090000Z\nSUMMARY:Line\n  endings\nEND:VEVENT\nEND:VCALENDAR\n",
    "BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:a\rDTSTART:20240311T090000Z\rSUMMARY:Line\r  endings\rEND:VEVENT\rEND:VCALENDAR",
    "\xEF\xBB\xBF" "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240311T090000Z\r\nSUMMARY:Line\r\n\t endings\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n\r\n\r\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (OcIcalCalendar) calendar = load_text (texts[i]);
      g_autoptr (GPtrArray) instances = expand (calendar, "UTC", "2024-03-11T00:00:00Z", "2024-03-12T00:00:00Z");
      g_autofree char *problems = oc_ical_calendar_describe_problems (calendar);

      g_assert_cmpstr (problems, ==, "");
      g_assert_cmpuint (instances->len, ==, 1);
      g_assert_cmpstr (((OcIcalInstance *) g_ptr_array_index (instances, 0))->summary, ==, "Line endings");
    }
}

static void
test_name_and_count (void)
{
  g_autoptr (OcIcalCalendar) calendar = load_fixture ("rrule-frequencies.ics");
  g_autoptr (OcIcalCalendar) exchange = load_fixture ("exchange-zones.ics");

  g_assert_cmpstr (oc_ical_calendar_get_name (calendar), ==, "Recurrence rules");
  g_assert_cmpuint (oc_ical_calendar_get_n_events (calendar), ==, 13);
  g_assert_cmpstr (oc_ical_calendar_get_name (exchange), ==, "Calendar");
}

/* Details and privacy */

static const char details_text[] =
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
  "BEGIN:VEVENT\r\nUID:review\r\nDTSTART:20240311T090000Z\r\nDTEND:20240311T100000Z\r\n"
  "SUMMARY:Design review\r\nLOCATION:Room 4.12\r\n"
  "DESCRIPTION:Agenda:\\n1. Mock-ups\\n2. Questions\r\n"
  "ORGANIZER;CN=\"Doe, Jane\":mailto:jane.doe@example.test\r\n"
  "ATTENDEE;CN=Bob Builder;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@example.test\r\n"
  "ATTENDEE;CN=Carol;ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:MAILTO:carol@example.test\r\n"
  "ATTENDEE;PARTSTAT=DECLINED:mailto:dave@example.test\r\n"
  "END:VEVENT\r\n"
  "BEGIN:VEVENT\r\nUID:secret\r\nDTSTART:20240311T110000Z\r\nDTEND:20240311T120000Z\r\n"
  "CLASS:PRIVATE\r\nSUMMARY:Job interview\r\nLOCATION:Competitor Inc.\r\nDESCRIPTION:Do not tell\r\n"
  "ORGANIZER;CN=Recruiter:mailto:hr@competitor.test\r\n"
  "ATTENDEE;CN=Alice:mailto:alice@example.test\r\nEND:VEVENT\r\n"
  "END:VCALENDAR\r\n";

static void
test_details (void)
{
  g_autoptr (OcIcalCalendar) calendar = load_text (details_text);
  g_autoptr (GPtrArray) instances = expand (calendar, "Europe/Berlin", "2024-03-11T00:00:00Z", "2024-03-12T00:00:00Z");
  OcIcalInstance *review;
  OcIcalAttendee *attendee;

  g_assert_cmpuint (instances->len, ==, 2);
  review = g_ptr_array_index (instances, 0);
  g_assert_cmpstr (review->summary, ==, "Design review");
  g_assert_cmpstr (review->location, ==, "Room 4.12");
  g_assert_cmpstr (review->description, ==, "Agenda:\n1. Mock-ups\n2. Questions");
  g_assert_cmpstr (review->organizer_name, ==, "Doe, Jane");
  g_assert_cmpstr (review->organizer_email, ==, "jane.doe@example.test");
  g_assert_cmpuint (review->attendees->len, ==, 3);
  attendee = g_ptr_array_index (review->attendees, 0);
  g_assert_cmpstr (attendee->name, ==, "Bob Builder");
  g_assert_cmpstr (attendee->email, ==, "bob@example.test");
  g_assert_cmpstr (attendee->role, ==, "REQ-PARTICIPANT");
  g_assert_cmpstr (attendee->partstat, ==, "ACCEPTED");
  attendee = g_ptr_array_index (review->attendees, 1);
  g_assert_cmpstr (attendee->email, ==, "carol@example.test");
  g_assert_cmpstr (attendee->role, ==, "OPT-PARTICIPANT");
  g_assert_cmpstr (attendee->partstat, ==, "TENTATIVE");
  attendee = g_ptr_array_index (review->attendees, 2);
  g_assert_null (attendee->name);
  g_assert_cmpstr (attendee->partstat, ==, "DECLINED");
  g_assert_cmpint (g_date_time_get_hour (review->local_start), ==, 10);
}

static void
test_private_has_no_details (void)
{
  g_autoptr (OcIcalCalendar) calendar = load_text (details_text);
  g_autoptr (GPtrArray) instances = expand (calendar, "UTC", "2024-03-11T00:00:00Z", "2024-03-12T00:00:00Z");
  OcIcalInstance *secret = g_ptr_array_index (instances, 1);

  g_assert_cmpint (secret->privacy, ==, OC_PRIVACY_PRIVATE);
  g_assert_cmpint (secret->busy, ==, OC_BUSY_BUSY);
  g_assert_null (secret->summary);
  g_assert_null (secret->location);
  g_assert_null (secret->description);
  g_assert_null (secret->organizer_name);
  g_assert_null (secret->organizer_email);
  g_assert_cmpuint (secret->attendees->len, ==, 0);
  g_assert_cmpint (secret->start, ==, utc ("2024-03-11T11:00:00Z"));
}

/* Expanding a range in pieces gives what expanding it at once gives: the
 * iterator's jump to the window (icalrecur_iterator_set_start) loses nothing. */
static void
test_pieces_equal_whole (void)
{
  static const char *const fixtures[] = { "rrule-frequencies.ics", "overrides.ics", "dst-weeks.ics",
                                          "all-day-multi-day.ics" };

  for (gsize f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autoptr (OcIcalCalendar) calendar = load_fixture (fixtures[f]);
      g_autoptr (OcIcalZone) zone = oc_ical_zone_new_iana ("Europe/Berlin");
      gint64 start = utc ("2024-01-01T00:00:00Z"), end = utc ("2025-01-01T00:00:00Z");
      g_autoptr (GPtrArray) whole = oc_ical_expand (calendar, zone, start, end);
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GHashTable) in_whole = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      guint pieces_total = 0;

      for (guint i = 0; i < whole->len; i++)
        {
          OcIcalInstance *instance = g_ptr_array_index (whole, i);
          g_hash_table_add (in_whole, g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT, instance->uid,
                                                      instance->recurrence_id, instance->start));
        }

      for (gint64 day = start; day < end; day += 86400)
        {
          g_autoptr (GPtrArray) piece = oc_ical_expand (calendar, zone, day, day + 86400);
          for (guint i = 0; i < piece->len; i++)
            {
              OcIcalInstance *instance = g_ptr_array_index (piece, i);
              char *key = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT, instance->uid, instance->recurrence_id,
                                           instance->start);
              g_assert_true (g_hash_table_contains (in_whole, key));
              if (g_hash_table_add (seen, key))
                pieces_total++;
            }
        }
      g_test_message ("%s: %u occurrences in 2024", fixtures[f], whole->len);
      g_assert_cmpuint (whole->len, >, 0);
      g_assert_cmpuint (pieces_total, ==, whole->len);
    }
}

/* BEGIN and END lines, balanced or not, make the components they name (and,
 * under the sanitizers' leak check, leave nothing behind). */
static void
test_scan_begin_end (void)
{
  static const char data[] = "BEGIN:VCALENDAR\r\nBEGIN: vevent \r\nUID:a\r\nEND:VTODO\r\nEND:vevent\r\n"
                             "BEGIN:VEVENT\r\nUID:b\r\nEND:VCALENDAR\r\n";
  g_autoptr (OcIcalScan) scan = oc_ical_scan (data, sizeof data - 1);
  static const char *const names[] = { "VCALENDAR", "VEVENT", "VEVENT" };

  g_assert_cmpuint (scan->components->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < scan->components->len; i++)
    g_assert_cmpstr (g_array_index (scan->components, OcIcalScanComponent, i).name, ==, names[i]);
  /* The stray END:VTODO and the VEVENT left open are said. */
  g_assert_cmpuint (scan->problems->len, ==, 2);
}

/* What the file says is quoted in the problems as valid UTF-8, in the reason
 * too (found by fuzz-ical: "END:\xff…" was quoted as it came). */
static void
test_problems_are_utf8 (void)
{
  static const char data[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:\xff\xfe\r\nEND:VEVENT\r\n"
                             "END:\xff\xffVEVENT\r\nBEGIN:\xe9X\r\nEND:VCALENDAR\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalCalendar) calendar = oc_ical_calendar_new_from_data (data, sizeof data - 1, &error);
  g_autofree char *problems = NULL;

  g_assert_no_error (error);
  problems = oc_ical_calendar_describe_problems (calendar);
  g_assert_cmpstr (problems, !=, "");
  g_assert_true (g_utf8_validate (problems, -1, NULL));
}

/* A UID that is not UTF-8 reaches the page (data-uid) valid (found by fuzz-ical). */
static void
test_uid_is_utf8 (void)
{
  static const char data[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ut\x98" "c\r\nDTSTART:20240311T160000Z\r\n"
                             "SUMMARY:s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  g_autoptr (OcIcalCalendar) calendar = oc_ical_calendar_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr (OcIcalZone) utc = oc_ical_zone_new_utc ();
  g_autoptr (GPtrArray) instances = oc_ical_expand (calendar, utc, 1710115200, 1710201600);

  g_assert_cmpuint (instances->len, ==, 1);
  g_assert_true (g_utf8_validate (((OcIcalInstance *) g_ptr_array_index (instances, 0))->uid, -1, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  g_test_add_func ("/oc/ical/windows-zones/table-zones-exist", test_windows_table_zones_exist);
  g_test_add_func ("/oc/ical/windows-zones/names", test_windows_names);
  g_test_add_func ("/oc/ical/zone/resolve-tzid", test_resolve_tzid);
  g_test_add_func ("/oc/ical/zone/gap-and-fold", test_zone_gap_and_fold);
  g_test_add_func ("/oc/ical/zone/vtimezone", test_zone_vtimezone);
  g_test_add_func ("/oc/ical/scan/begin-end", test_scan_begin_end);
  g_test_add_func ("/oc/ical/scan/problems-are-utf8", test_problems_are_utf8);
  g_test_add_func ("/oc/ical/calendar/uid-is-utf8", test_uid_is_utf8);
  g_test_add_func ("/oc/ical/calendar/not-icalendar", test_not_icalendar);
  g_test_add_func ("/oc/ical/calendar/line-endings", test_line_endings);
  g_test_add_func ("/oc/ical/calendar/name-and-count", test_name_and_count);
  g_test_add_func ("/oc/ical/instance/details", test_details);
  g_test_add_func ("/oc/ical/instance/private-has-no-details", test_private_has_no_details);
  g_test_add_func ("/oc/ical/expand/pieces-equal-whole", test_pieces_equal_whole);
  return g_test_run ();
}
