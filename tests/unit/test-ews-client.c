/* test-ews-client.c: OcEwsClient against a scripted EWS stand-in on loopback
 * (a thread per connection, canned SOAP built from the request it reads):
 * one availability request for a team and FindItem only for those who share
 * details; ErrorServerBusy and 503 waited out; a server whose window limit
 * is below 42 days; 101 people in two requests, never more than two at once.
 * The real EWS server of the integration tests comes with tests/servers/ews.py.
 */
#include "config.h"

#include <string.h>

#include "oc-ews-client.h"
#include "oc-ews-time.h"

#define DAY (24 * 3600)
#define START 1772323200   /* 2026-03-01T00:00:00Z */

typedef struct {
  GThreadedSocketService *service;
  char *url;
  GMutex lock;
  /* What the server does. */
  int busy_faults;            /* answer this many requests with ErrorServerBusy, then … */
  int busy_503;               /* … this many with 503 */
  gboolean always_busy;
  gboolean forbidden;
  gint64 max_window;          /* refuse longer availability windows (ErrorTimeIntervalTooBig) */
  /* What it saw. */
  int availability_requests;
  GPtrArray *windows_accepted; /* "start end" of accepted availability windows */
  GPtrArray *find_items;       /* mailboxes whose calendar folder was asked for */
  int in_flight, max_in_flight;
  GMainLoop *loop;
} Fixture;

static const char envelope_head[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
  "<s:Header><h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"2\" MajorBuildNumber=\"1544\" MinorBuildNumber=\"4\" "
  "xmlns:h=\"http://schemas.microsoft.com/exchange/services/2006/types\"/></s:Header><s:Body>";
static const char envelope_tail[] = "</s:Body></s:Envelope>";

static void
append_availability (GString    *answer,
                     xmlNode    *operation,
                     Fixture    *fixture)
{
  xmlNode *window = oc_ews_xml_path (operation, NULL, "FreeBusyViewOptions", "TimeWindow", NULL);
  g_autofree char *start_text = oc_ews_xml_child_text (window, NULL, "StartTime");
  g_autofree char *end_text = oc_ews_xml_child_text (window, NULL, "EndTime");
  gint64 start = 0, end = 0;

  g_assert_true (oc_ews_time_parse (start_text, NULL, &start) && oc_ews_time_parse (end_text, NULL, &end));
  g_string_append (answer, "<GetUserAvailabilityResponse xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\"><FreeBusyResponseArray>");
  if (fixture->max_window > 0 && end - start > fixture->max_window)
    {
      g_string_append (answer, "<FreeBusyResponse><ResponseMessage ResponseClass=\"Error\"><MessageText>The time "
                               "window is too long.</MessageText><ResponseCode>ErrorTimeIntervalTooBig</ResponseCode>"
                               "</ResponseMessage></FreeBusyResponse></FreeBusyResponseArray></GetUserAvailabilityResponse>");
      return;
    }
  g_mutex_lock (&fixture->lock);
  g_ptr_array_add (fixture->windows_accepted, g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, start, end));
  g_mutex_unlock (&fixture->lock);
  for (xmlNode *data = oc_ews_xml_path (operation, NULL, "MailboxDataArray", "MailboxData", NULL); data != NULL;
       data = oc_ews_xml_next (data, NULL, "MailboxData"))
    {
      g_autofree char *email = oc_ews_xml_child_text (oc_ews_xml_child (data, NULL, "Email"), NULL, "Address");

      g_string_append (answer, "<FreeBusyResponse>");
      if (g_str_has_prefix (email, "carol@"))
        {
          g_string_append (answer, "<ResponseMessage ResponseClass=\"Error\"><MessageText>No access.</MessageText>"
                                   "<ResponseCode>ErrorNoFreeBusyAccess</ResponseCode></ResponseMessage></FreeBusyResponse>");
          continue;
        }
      g_string_append_printf (answer, "<ResponseMessage ResponseClass=\"Success\"><ResponseCode>NoError</ResponseCode>"
                                      "</ResponseMessage><FreeBusyView><FreeBusyViewType xmlns=\"http://schemas.microsoft."
                                      "com/exchange/services/2006/types\">%s</FreeBusyViewType><CalendarEventArray xmlns="
                                      "\"http://schemas.microsoft.com/exchange/services/2006/types\">",
                              g_str_has_prefix (email, "alice@") ? "Detailed" : "FreeBusy");
      /* One block a day at 10:00 UTC: the days of the window can be counted. */
      for (gint64 day = start - start % DAY; day < end; day += DAY)
        {
          g_autofree char *from = oc_ews_time_format (day + 10 * 3600, FALSE);
          g_autofree char *to = oc_ews_time_format (day + 11 * 3600, FALSE);

          if (day + 10 * 3600 < start || day + 10 * 3600 >= end)
            continue;
          g_string_append_printf (answer, "<CalendarEvent><StartTime>%s</StartTime><EndTime>%s</EndTime><BusyType>Busy"
                                          "</BusyType>%s</CalendarEvent>", from, to,
                                  g_str_has_prefix (email, "alice@")
                                  ? "<CalendarEventDetails><Subject>Blocked</Subject><IsMeeting>false</IsMeeting>"
                                    "<IsRecurring>true</IsRecurring><IsException>false</IsException><IsReminderSet>"
                                    "false</IsReminderSet><IsPrivate>false</IsPrivate></CalendarEventDetails>" : "");
        }
      g_string_append (answer, "</CalendarEventArray><WorkingHours xmlns=\"http://schemas.microsoft.com/exchange/"
                               "services/2006/types\"><TimeZone><Bias>0</Bias><StandardTime><Bias>0</Bias><Time>00:00:00"
                               "</Time><DayOrder>0</DayOrder><Month>0</Month><DayOfWeek>Sunday</DayOfWeek></StandardTime>"
                               "<DaylightTime><Bias>0</Bias><Time>00:00:00</Time><DayOrder>0</DayOrder><Month>0</Month>"
                               "<DayOfWeek>Sunday</DayOfWeek></DaylightTime></TimeZone><WorkingPeriodArray><WorkingPeriod>"
                               "<DayOfWeek>Monday Tuesday Wednesday Thursday Friday</DayOfWeek><StartTimeInMinutes>540"
                               "</StartTimeInMinutes><EndTimeInMinutes>1020</EndTimeInMinutes></WorkingPeriod>"
                               "</WorkingPeriodArray></WorkingHours></FreeBusyView></FreeBusyResponse>");
    }
  g_string_append (answer, "</FreeBusyResponseArray></GetUserAvailabilityResponse>");
}

static void
append_find_item (GString *answer,
                  xmlNode *operation,
                  Fixture *fixture)
{
  xmlNode *folder = oc_ews_xml_path (operation, NULL, "ParentFolderIds", "DistinguishedFolderId", NULL);
  g_autofree char *email = oc_ews_xml_child_text (oc_ews_xml_child (folder, NULL, "Mailbox"), NULL, "EmailAddress");
  g_autofree char *start = oc_ews_xml_attribute (oc_ews_xml_child (operation, NULL, "CalendarView"), "StartDate");

  g_mutex_lock (&fixture->lock);
  g_ptr_array_add (fixture->find_items, g_strdup (email));
  g_mutex_unlock (&fixture->lock);
  g_string_append (answer, "<m:FindItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
                           "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>");
  if (!g_str_has_prefix (email, "alice@"))
    g_string_append (answer, "<m:FindItemResponseMessage ResponseClass=\"Error\"><m:MessageText>The specified folder "
                             "could not be found in the store.</m:MessageText><m:ResponseCode>ErrorFolderNotFound"
                             "</m:ResponseCode></m:FindItemResponseMessage>");
  else
    g_string_append_printf (answer, "<m:FindItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError"
                                    "</m:ResponseCode><m:RootFolder IncludesLastItemInRange=\"true\"><t:Items><t:CalendarItem>"
                                    "<t:ItemId Id=\"alice-1\"/><t:Subject>Planning</t:Subject><t:Start>%s</t:Start>"
                                    "<t:End>%s</t:End><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus>"
                                    "</t:CalendarItem></t:Items></m:RootFolder></m:FindItemResponseMessage>", start, start);
  g_string_append (answer, "</m:ResponseMessages></m:FindItemResponse>");
}

static const char busy_fault[] =
  "<s:Fault><faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:ErrorServerBusy</faultcode>"
  "<faultstring>The server cannot service this request right now. Try again later.</faultstring><detail>"
  "<e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">ErrorServerBusy</e:ResponseCode>"
  "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><t:Value Name=\"BackOffMilliseconds\">"
  "5</t:Value></t:MessageXml></detail></s:Fault>";

/* Returns the HTTP status; fills @answer with the body. */
static guint
answer_request (Fixture    *fixture,
                const char *body,
                gsize       length,
                GString    *answer)
{
  g_autoptr (GBytes) bytes = g_bytes_new (body, length);
  g_autoptr (xmlDoc) doc = oc_ews_xml_read (bytes, NULL);
  xmlNode *operation = NULL;
  gboolean busy, unavailable;

  g_assert_nonnull (doc);
  for (operation = oc_ews_xml_child (xmlDocGetRootElement (doc), NULL, "Body")->children;
       operation != NULL && operation->type != XML_ELEMENT_NODE; operation = operation->next)
    ;
  g_mutex_lock (&fixture->lock);
  busy = fixture->always_busy || fixture->busy_faults-- > 0;
  unavailable = !busy && fixture->busy_503-- > 0;
  if (oc_ews_xml_is (operation, NULL, "GetUserAvailabilityRequest"))
    fixture->availability_requests++;
  g_mutex_unlock (&fixture->lock);

  if (fixture->forbidden)
    return 403;
  if (unavailable)
    return 503;
  g_string_append (answer, envelope_head);
  if (busy)
    g_string_append (answer, busy_fault);
  else if (oc_ews_xml_is (operation, NULL, "GetUserAvailabilityRequest"))
    append_availability (answer, operation, fixture);
  else
    append_find_item (answer, operation, fixture);
  g_string_append (answer, envelope_tail);
  return busy ? 500 : 200;
}

static gboolean
incoming_cb (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             Fixture                *fixture)
{
  GDataInputStream *in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr (GString) answer = g_string_new (NULL);
  g_autofree char *head = NULL;
  g_autofree char *body = NULL;
  gsize length = 0;
  char *line;
  guint status;

  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL && *line != '\0')
    {
      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (line + 15, NULL, 10);
      g_free (line);
    }
  g_free (line);
  body = g_malloc0 (length + 1);
  g_input_stream_read_all (G_INPUT_STREAM (in), body, length, NULL, NULL, NULL);

  g_mutex_lock (&fixture->lock);
  fixture->in_flight++;
  fixture->max_in_flight = MAX (fixture->max_in_flight, fixture->in_flight);
  g_mutex_unlock (&fixture->lock);
  /* Hold the answer a little, so that requests sent together overlap here. */
  g_usleep (20 * 1000);
  status = answer_request (fixture, body, length, answer);
  g_mutex_lock (&fixture->lock);
  fixture->in_flight--;
  g_mutex_unlock (&fixture->lock);

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/xml; charset=utf-8\r\n%sContent-Length: %" G_GSIZE_FORMAT
                          "\r\nConnection: close\r\n\r\n", status, status == 200 ? "OK" : "Error",
                          status == 503 ? "Retry-After: 1\r\n" : "", answer->len);
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, answer->str, answer->len, NULL, NULL, NULL);
  g_object_unref (in);
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_mutex_init (&fixture->lock);
  fixture->windows_accepted = g_ptr_array_new_with_free_func (g_free);
  fixture->find_items = g_ptr_array_new_with_free_func (g_free);
  fixture->service = G_THREADED_SOCKET_SERVICE (g_threaded_socket_service_new (8));
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->service, "run", G_CALLBACK (incoming_cb), fixture);
  g_socket_service_start (G_SOCKET_SERVICE (fixture->service));
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u/EWS/Exchange.asmx",
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_socket_service_stop (G_SOCKET_SERVICE (fixture->service));
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->service));
  g_clear_object (&fixture->service);
  g_free (fixture->url);
  g_ptr_array_unref (fixture->windows_accepted);
  g_ptr_array_unref (fixture->find_items);
  g_main_loop_unref (fixture->loop);
  g_mutex_clear (&fixture->lock);
}

typedef struct {
  Fixture *fixture;
  GPtrArray *schedules;
  GError *error;
} Result;

static void
schedules_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *out = user_data;

  out->schedules = oc_ews_client_get_schedules_finish (OC_EWS_CLIENT (source), result, &out->error);
  g_main_loop_quit (out->fixture->loop);
}

static void
waiting_cb (OcEwsClient *client,
            guint        milliseconds,
            GArray      *waits)
{
  g_array_append_val (waits, milliseconds);
}

static Result
fetch (Fixture            *fixture,
       OcEwsClient        *client,
       const char * const *emails,
       gint64              days)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  Result result = { fixture, NULL, NULL };

  oc_ews_client_get_schedules_async (client, emails, START, START + days * DAY, utc, OC_EWS_FETCH_DEFAULT, NULL,
                                     schedules_cb, &result);
  g_main_loop_run (fixture->loop);
  return result;
}

static OcEwsClient *
new_client (Fixture *fixture)
{
  g_autoptr (OcHttpClient) http = oc_http_client_new ();

  return oc_ews_client_new (http, fixture->url);
}

static void
test_team (Fixture       *fixture,
           gconstpointer  data)
{
  static const char * const team[] = { "alice@example.test", "bob@example.test", "carol@example.test", NULL };
  g_autoptr (OcEwsClient) client = new_client (fixture);
  Result result = fetch (fixture, client, team, 7);
  OcSchedule *alice, *bob, *carol;

  g_assert_no_error (result.error);
  g_assert_cmpuint (result.schedules->len, ==, 3);
  alice = g_ptr_array_index (result.schedules, 0);
  bob = g_ptr_array_index (result.schedules, 1);
  carol = g_ptr_array_index (result.schedules, 2);
  /* One availability request for all; the folder only of who shares details. */
  g_assert_cmpint (fixture->availability_requests, ==, 1);
  g_assert_cmpuint (fixture->find_items->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->find_items, 0), ==, "alice@example.test");

  g_assert_cmpint (alice->sharing, ==, OC_SHARING_FULL);
  g_assert_cmpuint (alice->instances->len, ==, 1);
  g_assert_cmpstr (((OcIcalInstance *) g_ptr_array_index (alice->instances, 0))->summary, ==, "Planning");
  g_assert_nonnull (alice->working_hours);
  g_assert_cmpint (bob->sharing, ==, OC_SHARING_FREE_BUSY);
  g_assert_cmpuint (bob->instances->len, ==, 7);
  g_assert_cmpint (carol->sharing, ==, OC_SHARING_NONE);
  g_assert_error (carol->error, OC_EWS_ERROR, OC_EWS_ERROR_ACCESS_DENIED);
  g_assert_cmpint (oc_ews_client_get_server_version (client), ==, OC_EWS_SERVER_2019);
  g_ptr_array_unref (result.schedules);
}

static void
test_throttled (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const bob[] = { "bob@example.test", NULL };
  g_autoptr (OcEwsClient) client = new_client (fixture);
  g_autoptr (GArray) waits = g_array_new (FALSE, FALSE, sizeof (guint));
  OcEwsClientStats stats;
  Result result;

  fixture->busy_faults = 1;
  fixture->busy_503 = 1;
  g_signal_connect (client, "waiting", G_CALLBACK (waiting_cb), waits);
  result = fetch (fixture, client, bob, 3);
  g_assert_no_error (result.error);
  g_assert_cmpuint (((OcSchedule *) g_ptr_array_index (result.schedules, 0))->instances->len, ==, 3);
  /* The fault's BackOffMilliseconds, then the 503's Retry-After (1 s). */
  g_assert_cmpuint (waits->len, ==, 2);
  g_assert_cmpuint (g_array_index (waits, guint, 0), ==, 5);
  g_assert_cmpuint (g_array_index (waits, guint, 1), ==, 1000);
  oc_ews_client_get_stats (client, &stats);
  g_assert_cmpuint (stats.retries, ==, 2);
  g_assert_cmpuint (stats.requests, ==, 3);
  g_ptr_array_unref (result.schedules);
}

static void
test_always_busy (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const bob[] = { "bob@example.test", NULL };
  g_autoptr (OcEwsClient) client = new_client (fixture);
  Result result;

  fixture->always_busy = TRUE;
  oc_ews_client_set_max_attempts (client, 3);
  result = fetch (fixture, client, bob, 1);
  g_assert_null (result.schedules);
  g_assert_error (result.error, OC_EWS_ERROR, OC_EWS_ERROR_SERVER_BUSY);
  g_assert_cmpint (fixture->availability_requests, ==, 3);
  g_clear_error (&result.error);
}

static void
test_window_limit (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const bob[] = { "bob@example.test", NULL };
  g_autoptr (OcEwsClient) client = new_client (fixture);
  OcEwsClientStats stats;
  OcSchedule *schedule;
  gint64 covered = 0;
  Result result;

  fixture->max_window = 10 * DAY;
  result = fetch (fixture, client, bob, 30);
  g_assert_no_error (result.error);
  schedule = g_ptr_array_index (result.schedules, 0);
  /* 30 → 15 + 15 → 7.5 × 4: every day once, no window above the server's limit. */
  g_assert_cmpuint (schedule->instances->len, ==, 30);
  g_assert_cmpint (schedule->start, ==, START);
  g_assert_cmpint (schedule->end, ==, START + 30 * DAY);
  for (guint i = 0; i < fixture->windows_accepted->len; i++)
    {
      gint64 start, end;

      g_assert_cmpint (sscanf (g_ptr_array_index (fixture->windows_accepted, i), "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                               &start, &end), ==, 2);
      g_assert_cmpint (end - start, <=, 10 * DAY);
      covered += end - start;
    }
  g_assert_cmpint (covered, ==, 30 * DAY);
  oc_ews_client_get_stats (client, &stats);
  g_assert_cmpuint (stats.splits, ==, 3);
  g_ptr_array_unref (result.schedules);

  /* The next question fits at once: the client remembered the limit. */
  fixture->availability_requests = 0;
  result = fetch (fixture, client, bob, 7);
  g_assert_no_error (result.error);
  g_assert_cmpint (fixture->availability_requests, ==, 1);
  g_ptr_array_unref (result.schedules);
}

static void
test_many_people (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr (GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (OcEwsClient) client = new_client (fixture);
  OcEwsClientStats stats;
  Result result;

  for (guint i = 0; i < 101; i++)
    g_ptr_array_add (emails, g_strdup_printf ("bob%03u@example.test", i));
  g_ptr_array_add (emails, NULL);
  /* Three windows of 42 days and two groups: six requests, two at a time. */
  result = fetch (fixture, client, (const char * const *) emails->pdata, 100);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.schedules->len, ==, 101);
  for (guint i = 0; i < 101; i++)
    {
      OcSchedule *schedule = g_ptr_array_index (result.schedules, i);

      g_assert_cmpstr (schedule->email, ==, g_ptr_array_index (emails, i));
      g_assert_cmpuint (schedule->instances->len, ==, 100);
    }
  g_assert_cmpint (fixture->availability_requests, ==, 6);
  g_assert_cmpint (fixture->max_in_flight, <=, 2);
  oc_ews_client_get_stats (client, &stats);
  g_assert_cmpuint (stats.max_in_flight, ==, 2);
  g_ptr_array_unref (result.schedules);
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const bob[] = { "bob@example.test", NULL };
  g_autoptr (OcEwsClient) client = new_client (fixture);
  Result result;

  fixture->forbidden = TRUE;
  result = fetch (fixture, client, bob, 1);
  g_assert_error (result.error, OC_EWS_ERROR, OC_EWS_ERROR_DISABLED);
  g_assert_nonnull (strstr (result.error->message, "EwsEnabled"));
  g_clear_error (&result.error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/oc/ews-client/team", test_team);
  ADD ("/oc/ews-client/throttled", test_throttled);
  ADD ("/oc/ews-client/always-busy", test_always_busy);
  ADD ("/oc/ews-client/window-limit", test_window_limit);
  ADD ("/oc/ews-client/many-people", test_many_people);
  ADD ("/oc/ews-client/forbidden", test_forbidden);
  return g_test_run ();
}
