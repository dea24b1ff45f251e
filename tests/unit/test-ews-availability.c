/* test-ews-availability.c: GetUserAvailability requests (windows and mailbox
 * lists split to Exchange's limits) and answers read into schedules: details
 * as allowed, sharing levels, refusals, working hours in their own zone. */
#include "config.h"

#include <string.h>

#include "ews-answers.h"
#include "oc-ews-availability.h"
#include "oc-ews-soap.h"

#define DAY (24 * 3600)

static const char * const team[] = {
  "alice@example.test", "bob@example.test", "carol@example.test", "dave@example.test", NULL
};

static void
test_window_split (void)
{
  static const struct {
    gint64 days;
    guint max_days;
    guint n;
    gint64 last_days;
  } rows[] = {
    { 7, 42, 1, 7 }, { 42, 42, 1, 42 }, { 43, 42, 2, 1 }, { 100, 42, 3, 16 }, { 365, 21, 18, 8 }, { 0, 42, 0, 0 },
  };
  gint64 start = ews_utc ("2026-03-01T00:00:00Z");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GArray) windows = oc_ews_window_split (start, start + rows[i].days * DAY, rows[i].max_days * DAY);
      gint64 from = start;

      g_assert_cmpuint (windows->len, ==, rows[i].n);
      for (guint w = 0; w < windows->len; w++)
        {
          OcEwsWindow *window = &g_array_index (windows, OcEwsWindow, w);

          g_assert_cmpint (window->start, ==, from);
          g_assert_cmpint (window->end - window->start, <=, rows[i].max_days * DAY);
          from = window->end;
        }
      g_assert_cmpint (from, ==, start + rows[i].days * DAY);
      if (windows->len > 0)
        g_assert_cmpint (g_array_index (windows, OcEwsWindow, windows->len - 1).end -
                         g_array_index (windows, OcEwsWindow, windows->len - 1).start, ==, rows[i].last_days * DAY);
    }
}

static void
test_mailboxes_split (void)
{
  g_autoptr (GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) groups = NULL;
  guint seen = 0;

  for (guint i = 0; i < 250; i++)
    g_ptr_array_add (emails, g_strdup_printf ("p%03u@example.test", i));
  g_ptr_array_add (emails, NULL);
  groups = oc_ews_mailboxes_split ((const char * const *) emails->pdata, OC_EWS_AVAILABILITY_MAX_MAILBOXES);
  g_assert_cmpuint (groups->len, ==, 3);
  for (guint g = 0; g < groups->len; g++)
    {
      char **group = g_ptr_array_index (groups, g);

      g_assert_cmpuint (g_strv_length (group), ==, g < 2 ? 100 : 50);
      for (guint i = 0; group[i] != NULL; i++, seen++)
        g_assert_cmpstr (group[i], ==, g_ptr_array_index (emails, seen));
    }
  g_assert_cmpuint (seen, ==, 250);
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = oc_ews_mailboxes_split (NULL, 100);
  g_assert_cmpuint (groups->len, ==, 0);
}

static void
test_build_request (void)
{
  g_autoptr (GBytes) request = oc_ews_availability_build_request (OC_EWS_REQUEST_VERSION, team,
                                                                  ews_utc ("2026-03-01T00:00:00Z"),
                                                                  ews_utc ("2026-04-12T00:00:00Z"),
                                                                  OC_EWS_VIEW_DETAILED);
  g_autoptr (xmlDoc) doc = oc_ews_xml_read (request, NULL);
  xmlNode *operation = oc_ews_xml_path (xmlDocGetRootElement (doc), NULL, "Body", "GetUserAvailabilityRequest", NULL);
  xmlNode *data = oc_ews_xml_path (operation, NULL, "MailboxDataArray", "MailboxData", NULL);
  xmlNode *options = oc_ews_xml_child (operation, OC_EWS_NS_TYPES, "FreeBusyViewOptions");
  g_autofree char *bias = oc_ews_xml_child_text (oc_ews_xml_child (operation, OC_EWS_NS_TYPES, "TimeZone"),
                                                 OC_EWS_NS_TYPES, "Bias");
  g_autofree char *start = oc_ews_xml_child_text (oc_ews_xml_child (options, NULL, "TimeWindow"), NULL, "StartTime");
  g_autofree char *end = oc_ews_xml_child_text (oc_ews_xml_child (options, NULL, "TimeWindow"), NULL, "EndTime");
  g_autofree char *view = oc_ews_xml_child_text (options, NULL, "RequestedView");
  guint i = 0;

  for (; data != NULL; data = oc_ews_xml_next (data, OC_EWS_NS_TYPES, "MailboxData"), i++)
    {
      g_autofree char *address = oc_ews_xml_child_text (oc_ews_xml_child (data, NULL, "Email"), NULL, "Address");

      g_assert_cmpstr (address, ==, team[i]);
    }
  g_assert_cmpuint (i, ==, 4);
  g_assert_cmpstr (bias, ==, "0");
  g_assert_cmpstr (start, ==, "2026-03-01T00:00:00");
  g_assert_cmpstr (end, ==, "2026-04-12T00:00:00");
  g_assert_cmpstr (view, ==, "Detailed");
}

static GPtrArray *
parse_team (GTimeZone *zone)
{
  g_autoptr (GBytes) body = ews_answer_load ("availability-team.xml");
  g_autoptr (GError) error = NULL;
  GPtrArray *schedules = oc_ews_availability_parse (body, team, ews_utc ("2026-03-01T00:00:00Z"),
                                                    ews_utc ("2026-04-12T00:00:00Z"), zone, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (schedules->len, ==, 4);
  return schedules;
}

static void
test_details (void)
{
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) schedules = parse_team (berlin);
  OcSchedule *alice = g_ptr_array_index (schedules, 0);
  OcIcalInstance *budget, *doctor, *standup, *home;

  g_assert_cmpstr (alice->email, ==, "alice@example.test");
  g_assert_cmpint (alice->sharing, ==, OC_SHARING_LIMITED);
  g_assert_null (alice->error);
  g_assert_cmpint (alice->start, ==, ews_utc ("2026-03-01T00:00:00Z"));
  /* NoData is no block; the rest in time order. */
  g_assert_cmpuint (alice->instances->len, ==, 4);
  budget = g_ptr_array_index (alice->instances, 0);
  doctor = g_ptr_array_index (alice->instances, 1);
  standup = g_ptr_array_index (alice->instances, 2);
  home = g_ptr_array_index (alice->instances, 3);

  g_assert_cmpint (budget->start, ==, ews_utc ("2026-03-02T08:00:00Z"));
  g_assert_cmpint (budget->end, ==, ews_utc ("2026-03-02T09:00:00Z"));
  g_assert_cmpint (g_date_time_get_hour (budget->local_start), ==, 9);
  g_assert_cmpstr (budget->summary, ==, "Budget review");
  g_assert_cmpstr (budget->location, ==, "Room 4 & video");
  g_assert_cmpint (budget->busy, ==, OC_BUSY_BUSY);
  g_assert_true (budget->meeting);
  g_assert_false (budget->recurring || budget->exception || budget->from_freebusy);
  g_assert_cmpstr (budget->uid, ==, "00000000A3E4C0B53C8E9A4B8B2D2B0F6B5B6C5A0701");

  /* Private: whatever the server sent, no subject and no place. */
  g_assert_cmpint (doctor->privacy, ==, OC_PRIVACY_PRIVATE);
  g_assert_null (doctor->summary);
  g_assert_null (doctor->location);
  g_assert_cmpint (doctor->busy, ==, OC_BUSY_OUT_OF_OFFICE);

  g_assert_cmpint (standup->busy, ==, OC_BUSY_TENTATIVE);
  g_assert_true (standup->recurring && standup->exception);

  g_assert_cmpint (home->busy, ==, OC_BUSY_WORKING_ELSEWHERE);
  g_assert_null (home->summary);
  g_assert_cmpstr (home->location, ==, "Home");
  g_assert_nonnull (home->uid);
  /* After the DST change: 07:00Z is 09:00 in Berlin. */
  g_assert_cmpint (g_date_time_get_hour (home->local_start), ==, 9);
}

static void
test_free_busy_only (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GPtrArray) schedules = parse_team (utc);
  OcSchedule *bob = g_ptr_array_index (schedules, 1);
  OcIcalInstance *first, *second;

  g_assert_cmpint (bob->sharing, ==, OC_SHARING_FREE_BUSY);
  g_assert_null (bob->error);
  g_assert_cmpuint (bob->instances->len, ==, 2);
  first = g_ptr_array_index (bob->instances, 0);
  second = g_ptr_array_index (bob->instances, 1);
  g_assert_true (first->from_freebusy && second->from_freebusy);
  g_assert_null (first->summary);
  g_assert_cmpstr (first->uid, !=, second->uid);
  /* A time with its own offset is read as such. */
  g_assert_cmpint (second->start, ==, ews_utc ("2026-03-04T00:00:00Z"));
  g_assert_cmpint (second->busy, ==, OC_BUSY_TENTATIVE);
}

static void
test_refusals (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GPtrArray) schedules = parse_team (utc);
  OcSchedule *carol = g_ptr_array_index (schedules, 2);
  OcSchedule *dave = g_ptr_array_index (schedules, 3);

  g_assert_cmpint (carol->sharing, ==, OC_SHARING_NONE);
  g_assert_error (carol->error, OC_EWS_ERROR, OC_EWS_ERROR_ACCESS_DENIED);
  g_assert_true (g_str_has_prefix (carol->error->message, "carol@example.test does not share their calendar with you."));
  g_assert_nonnull (strstr (carol->error->message, "(ErrorNoFreeBusyAccess: "));
  g_assert_cmpuint (carol->instances->len, ==, 0);

  g_assert_cmpint (dave->sharing, ==, OC_SHARING_UNKNOWN);
  g_assert_error (dave->error, OC_EWS_ERROR, OC_EWS_ERROR_NO_MAILBOX);
  g_assert_nonnull (strstr (dave->error->message, "dave@example.test"));
}

static void
test_working_hours (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GPtrArray) schedules = parse_team (utc);
  OcWorkingHours *alice = ((OcSchedule *) g_ptr_array_index (schedules, 0))->working_hours;
  OcWorkingHours *bob = ((OcSchedule *) g_ptr_array_index (schedules, 1))->working_hours;
  static const struct {
    const char *utc;
    gboolean alice, bob;
  } rows[] = {
    { "2026-03-02T06:30:00Z", FALSE, FALSE },  /* Mon 07:30 in Berlin (CET) */
    { "2026-03-02T07:30:00Z", TRUE, FALSE },   /* Mon 08:30 in Berlin */
    { "2026-03-30T06:30:00Z", TRUE, FALSE },   /* Mon 08:30 in Berlin (CEST): her zone's DST */
    { "2026-03-30T15:30:00Z", FALSE, TRUE },   /* Mon 17:30 in Berlin, 08:30 in Los Angeles (PDT) */
    { "2026-03-07T10:00:00Z", FALSE, FALSE },  /* Saturday */
    { "2026-03-09T16:30:00Z", FALSE, TRUE },   /* Mon 09:30 in Los Angeles (PDT), 17:30 in Berlin */
    { "2026-03-06T16:30:00Z", FALSE, TRUE },   /* Fri 08:30 in Los Angeles (PST): Friday starts at 08:00 */
    { "2026-03-06T15:30:00Z", TRUE, FALSE },   /* Fri 16:30 in Berlin, 07:30 in Los Angeles */
  };

  g_assert_nonnull (alice);
  g_assert_cmpuint (alice->days, ==, 0x3e);
  g_assert_cmpint (alice->start_minute, ==, 480);
  g_assert_cmpint (alice->end_minute, ==, 1020);
  g_assert_nonnull (alice->zone);
  /* Bob's two periods become one span over the days that have any. */
  g_assert_cmpuint (bob->days, ==, 0x3e);
  g_assert_cmpint (bob->start_minute, ==, 480);
  g_assert_cmpint (bob->end_minute, ==, 1020);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_cmpint (oc_working_hours_contains (alice, ews_utc (rows[i].utc)), ==, rows[i].alice);
      g_assert_cmpint (oc_working_hours_contains (bob, ews_utc (rows[i].utc)), ==, rows[i].bob);
    }
  g_assert_null (((OcSchedule *) g_ptr_array_index (schedules, 2))->working_hours);
}

static void
test_whole_request_errors (void)
{
  static const struct {
    const char *file;
    int error;
  } rows[] = {
    { "availability-server-busy.xml", OC_EWS_ERROR_SERVER_BUSY },
    { "availability-too-long.xml", OC_EWS_ERROR_WINDOW_TOO_LONG },
    { "fault-schema.xml", OC_EWS_ERROR_SCHEMA },
    { "finditem-calendar.xml", OC_EWS_ERROR_BAD_XML },
    { "not-soap.html", OC_EWS_ERROR_BAD_XML },
  };
  static const char * const one[] = { "alice@example.test", NULL };
  static const char * const three[] = { "alice@example.test", "bob@example.test", "carol@example.test", NULL };
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GBytes) team_answer = ews_answer_load ("availability-team.xml");
  g_autoptr (GError) mismatch = NULL;
  g_autoptr (GPtrArray) none = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GBytes) body = ews_answer_load (rows[i].file);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) schedules = oc_ews_availability_parse (body, one, 0, DAY, utc, &error);

      g_assert_null (schedules);
      g_assert_error (error, OC_EWS_ERROR, rows[i].error);
    }
  /* Four answers for three people asked: something is wrong. */
  none = oc_ews_availability_parse (team_answer, three, 0, DAY, utc, &mismatch);
  g_assert_null (none);
  g_assert_error (mismatch, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML);
  g_assert_nonnull (strstr (mismatch->message, "for 4 people where owacal asked for 3"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  g_test_add_func ("/oc/ews-availability/window-split", test_window_split);
  g_test_add_func ("/oc/ews-availability/mailboxes-split", test_mailboxes_split);
  g_test_add_func ("/oc/ews-availability/build-request", test_build_request);
  g_test_add_func ("/oc/ews-availability/details", test_details);
  g_test_add_func ("/oc/ews-availability/free-busy-only", test_free_busy_only);
  g_test_add_func ("/oc/ews-availability/refusals", test_refusals);
  g_test_add_func ("/oc/ews-availability/working-hours", test_working_hours);
  g_test_add_func ("/oc/ews-availability/whole-request-errors", test_whole_request_errors);
  return g_test_run ();
}
