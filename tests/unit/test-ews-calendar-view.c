/* test-ews-calendar-view.c: FindItem with a CalendarView on a colleague's
 * calendar folder, and GetItem for one event's details: privacy, all-day
 * events in the viewer's zone, series, refusals, answers cut short. */
#include "config.h"

#include <string.h>

#include "ews-answers.h"
#include "oc-ews-calendar-view.h"
#include "oc-ews-soap.h"

static void
test_build_request (void)
{
  g_autoptr (GBytes) request = oc_ews_calendar_view_build_request (OC_EWS_REQUEST_VERSION, "bob@example.test",
                                                                   ews_utc ("2026-03-02T00:00:00Z"),
                                                                   ews_utc ("2026-03-09T00:00:00Z"), 250);
  g_autoptr (xmlDoc) doc = oc_ews_xml_read (request, NULL);
  xmlNode *find = oc_ews_xml_path (xmlDocGetRootElement (doc), NULL, "Body", "FindItem", NULL);
  xmlNode *view = oc_ews_xml_child (find, OC_EWS_NS_MESSAGES, "CalendarView");
  xmlNode *folder = oc_ews_xml_path (find, NULL, "ParentFolderIds", "DistinguishedFolderId", NULL);
  g_autofree char *start = oc_ews_xml_attribute (view, "StartDate");
  g_autofree char *end = oc_ews_xml_attribute (view, "EndDate");
  g_autofree char *max = oc_ews_xml_attribute (view, "MaxEntriesReturned");
  g_autofree char *id = oc_ews_xml_attribute (folder, "Id");
  g_autofree char *mailbox = oc_ews_xml_child_text (oc_ews_xml_child (folder, NULL, "Mailbox"), NULL, "EmailAddress");
  xmlNode *properties = oc_ews_xml_path (find, NULL, "ItemShape", "AdditionalProperties", NULL);
  g_autoptr (GString) uris = g_string_new (NULL);

  g_assert_cmpstr (start, ==, "2026-03-02T00:00:00Z");
  g_assert_cmpstr (end, ==, "2026-03-09T00:00:00Z");
  g_assert_cmpstr (max, ==, "250");
  g_assert_cmpstr (id, ==, "calendar");
  g_assert_cmpstr (mailbox, ==, "bob@example.test");
  for (xmlNode *uri = oc_ews_xml_child (properties, NULL, "FieldURI"); uri != NULL;
       uri = oc_ews_xml_next (uri, NULL, "FieldURI"))
    {
      g_autofree char *name = oc_ews_xml_attribute (uri, "FieldURI");

      g_string_append_printf (uris, "%s ", name);
    }
  g_assert_cmpstr (uris->str, ==, "item:Subject item:Sensitivity calendar:Start calendar:End calendar:IsAllDayEvent "
                                  "calendar:LegacyFreeBusyStatus calendar:Location calendar:IsMeeting "
                                  "calendar:IsRecurring calendar:CalendarItemType calendar:Organizer ");
}

static OcSchedule *
parse_calendar (const char *file,
                GTimeZone  *zone,
                gboolean   *out_complete)
{
  g_autoptr (GBytes) body = ews_answer_load (file);
  g_autoptr (GError) error = NULL;
  OcSchedule *schedule = oc_ews_calendar_view_parse (body, "bob@example.test", ews_utc ("2026-03-01T00:00:00Z"),
                                                     ews_utc ("2026-04-01T00:00:00Z"), zone, out_complete, &error);

  g_assert_no_error (error);
  return schedule;
}

static OcIcalInstance *
find_instance (OcSchedule *schedule,
               const char *uid)
{
  for (guint i = 0; i < schedule->instances->len; i++)
    if (g_str_equal (((OcIcalInstance *) g_ptr_array_index (schedule->instances, i))->uid, uid))
      return g_ptr_array_index (schedule->instances, i);
  g_assert_not_reached ();
}

static void
test_calendar (void)
{
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  gboolean complete = FALSE;
  g_autoptr (OcSchedule) bob = parse_calendar ("finditem-calendar.xml", berlin, &complete);
  OcIcalInstance *single = find_instance (bob, "AAMkADk1=single");
  OcIcalInstance *secret = find_instance (bob, "AAMkADk1=private");
  OcIcalInstance *occurrence = find_instance (bob, "AAMkADk1=occurrence");
  OcIcalInstance *exception = find_instance (bob, "AAMkADk1=exception");

  g_assert_true (complete);
  g_assert_cmpint (bob->sharing, ==, OC_SHARING_FULL);
  g_assert_null (bob->error);
  g_assert_cmpuint (bob->instances->len, ==, 5);
  for (guint i = 1; i < bob->instances->len; i++)
    g_assert_cmpint (oc_ical_instance_compare (g_ptr_array_index (bob->instances, i - 1),
                                               g_ptr_array_index (bob->instances, i)), <, 0);

  g_assert_cmpstr (single->summary, ==, "Design review");
  g_assert_cmpstr (single->location, ==, "Room 7");
  g_assert_cmpstr (single->organizer_name, ==, "Alice Example");
  g_assert_cmpstr (single->organizer_email, ==, "alice@example.test");
  g_assert_cmpint (single->end - single->start, ==, 90 * 60);
  g_assert_cmpint (g_date_time_get_hour (single->local_start), ==, 10);
  g_assert_false (single->from_freebusy || single->recurring || single->all_day);
  g_assert_true (single->meeting);

  g_assert_cmpint (secret->privacy, ==, OC_PRIVACY_PRIVATE);
  g_assert_null (secret->summary);
  g_assert_null (secret->location);
  g_assert_cmpint (secret->busy, ==, OC_BUSY_OUT_OF_OFFICE);

  g_assert_true (occurrence->recurring && !occurrence->exception);
  g_assert_cmpint (occurrence->busy, ==, OC_BUSY_TENTATIVE);
  /* 30 March, after the change to summer time: 07:00Z is 09:00 in Berlin. */
  g_assert_cmpint (g_date_time_get_hour (occurrence->local_start), ==, 9);
  g_assert_true (exception->recurring && exception->exception);
  g_assert_cmpint (exception->busy, ==, OC_BUSY_WORKING_ELSEWHERE);
  g_assert_null (exception->organizer_email);
}

/* An all-day event is the organizer's day, shown as the viewer's whole day. */
static void
test_all_day (void)
{
  static const char * const zones[] = { "Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC" };

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (zones[z]);
      g_autoptr (OcSchedule) bob = parse_calendar ("finditem-calendar.xml", zone, NULL);
      OcIcalInstance *holiday = find_instance (bob, "AAMkADk1=allday");

      g_assert_true (holiday->all_day);
      g_assert_cmpint (holiday->busy, ==, OC_BUSY_FREE);
      g_assert_cmpint (g_date_time_get_day_of_month (holiday->local_start), ==, 5);
      g_assert_cmpint (g_date_time_get_hour (holiday->local_start), ==, 0);
      g_assert_cmpint (g_date_time_get_day_of_month (holiday->local_end), ==, 6);
      g_assert_cmpint (g_date_time_get_hour (holiday->local_end), ==, 0);
      g_assert_cmpstr (holiday->organizer_name, ==, "Bob Example");
    }
}

static void
test_truncated (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  gboolean complete = TRUE;
  g_autoptr (OcSchedule) bob = parse_calendar ("finditem-truncated.xml", utc, &complete);

  g_assert_false (complete);
  g_assert_cmpuint (bob->instances->len, ==, 1);
}

static void
test_refused (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  static const struct {
    const char *file;
    int error;
  } rows[] = {
    { "finditem-folder-not-found.xml", OC_EWS_ERROR_FOLDER_NOT_FOUND },
    { "availability-server-busy.xml", OC_EWS_ERROR_SERVER_BUSY },
    { "getitem-details.xml", OC_EWS_ERROR_BAD_XML },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GBytes) body = ews_answer_load (rows[i].file);
      g_autoptr (GError) error = NULL;
      g_autoptr (OcSchedule) none = oc_ews_calendar_view_parse (body, "carol@example.test", 0, 1, utc, NULL, &error);

      g_assert_null (none);
      g_assert_error (error, OC_EWS_ERROR, rows[i].error);
    }
}

static void
test_get_item (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GBytes) body = ews_answer_load ("getitem-details.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalInstance) item = oc_ews_item_parse (body, utc, &error);
  static const char * const expected[][4] = {
    { "Bob Example", "bob@example.test", "REQ-PARTICIPANT", "ACCEPTED" },
    { "Carol Example", "carol@example.test", "REQ-PARTICIPANT", "DECLINED" },
    { "Dave Example", "dave@example.test", "OPT-PARTICIPANT", "NEEDS-ACTION" },
  };

  g_assert_no_error (error);
  g_assert_cmpstr (item->uid, ==, "AAMkADk1=single");
  g_assert_cmpstr (item->description, ==, "Agenda:\n1. Mock-ups <v2>\n2. Dates");
  g_assert_cmpstr (item->organizer_email, ==, "alice@example.test");
  g_assert_cmpuint (item->attendees->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      OcIcalAttendee *attendee = g_ptr_array_index (item->attendees, i);

      g_assert_cmpstr (attendee->name, ==, expected[i][0]);
      g_assert_cmpstr (attendee->email, ==, expected[i][1]);
      g_assert_cmpstr (attendee->role, ==, expected[i][2]);
      g_assert_cmpstr (attendee->partstat, ==, expected[i][3]);
    }
}

static void
test_get_item_private (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GBytes) body = ews_answer_load_replaced ("getitem-details.xml", "<t:Sensitivity>Normal",
                                                      "<t:Sensitivity>Private");
  g_autoptr (GBytes) gone = ews_answer_load_replaced ("finditem-folder-not-found.xml", "FindItem", "GetItem");
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalInstance) item = oc_ews_item_parse (body, utc, &error);
  g_autoptr (OcIcalInstance) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (item->privacy, ==, OC_PRIVACY_PRIVATE);
  g_assert_null (item->summary);
  g_assert_null (item->description);
  g_assert_null (item->location);
  g_assert_cmpuint (item->attendees->len, ==, 0);

  none = oc_ews_item_parse (gone, utc, &error);
  g_assert_null (none);
  g_assert_error (error, OC_EWS_ERROR, OC_EWS_ERROR_FOLDER_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  g_test_add_func ("/oc/ews-calendar-view/build-request", test_build_request);
  g_test_add_func ("/oc/ews-calendar-view/calendar", test_calendar);
  g_test_add_func ("/oc/ews-calendar-view/all-day", test_all_day);
  g_test_add_func ("/oc/ews-calendar-view/truncated", test_truncated);
  g_test_add_func ("/oc/ews-calendar-view/refused", test_refused);
  g_test_add_func ("/oc/ews-calendar-view/get-item", test_get_item);
  g_test_add_func ("/oc/ews-calendar-view/get-item-private", test_get_item_private);
  return g_test_run ();
}
