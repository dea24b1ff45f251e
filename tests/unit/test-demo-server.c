/* test-demo-server.c: the demo site's pages over real HTTP: the calendar page,
 * its assets, the weeks it generates (the same for the same week), not found,
 * and stopping. The client side is in tests/common/demo-client.c.
 */
#include "config.h"

#include "demo-client.h"

#include <string.h>

static void
test_page (DemoFixture   *fixture,
           gconstpointer  data)
{
  static const char * const links[] = { "href=\"calendar.css\"", "src=\"calendar.js\"", "src=\"logo.svg\"" };
  g_autoptr (CURL) curl = demo_new_handle (fixture->url);
  g_autoptr (DemoReply) reply = demo_perform (curl);
  g_autoptr (DemoReply) again = NULL;
  g_autoptr (OcCurlSlist) cookies = NULL;
  g_autofree char *canary = NULL;
  g_autofree char *canary_again = NULL;
  const char *cookie;
  guint n_cookies = 0;

  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "text/html; charset=utf-8");
  g_assert_cmpint (reply->content_length, ==, reply->body->len);
  g_assert_nonnull (strstr (reply->body->str, "<title>Calendar - Dana Demo</title>"));
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    g_assert_nonnull (strstr (reply->body->str, links[i]));

  /* Scripts must read the canary; only the session cookie is HttpOnly. */
  for (; (cookie = demo_reply_header (reply, "Set-Cookie", n_cookies)) != NULL; n_cookies++)
    if (g_str_has_prefix (cookie, "X-OWA-CANARY="))
      g_assert_true (g_regex_match_simple ("^X-OWA-CANARY=[0-9a-f]{32}; path=/$", cookie, 0, 0));
    else
      g_assert_true (g_regex_match_simple ("^owa-session=[0-9a-f-]{36}; path=/; HttpOnly$", cookie, 0, 0));
  g_assert_cmpuint (n_cookies, ==, 2);

  /* curl's cookie engine, which the app uses, reads them the same way. */
  curl_easy_getinfo (curl, CURLINFO_COOKIELIST, &cookies);
  g_assert_true (cookies != NULL && cookies->next != NULL && cookies->next->next == NULL);
  for (struct curl_slist *item = cookies; item != NULL; item = item->next)
    g_assert_true (g_str_has_prefix (item->data, strstr (item->data, "\towa-session\t") != NULL
                                                 ? "#HttpOnly_127.0.0.1\t" : "127.0.0.1\t"));

  /* A page load inside the session keeps its canary, as OWA does. */
  canary = demo_stored_canary (curl);
  again = demo_perform (curl);
  canary_again = demo_stored_canary (curl);
  g_assert_cmpstr (canary, ==, canary_again);
}

static char *
current_monday (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) monday = g_date_time_add_days (now, 1 - g_date_time_get_day_of_week (now));

  return g_date_time_format (monday, "data-week-start=\"%Y-%m-%d\"");
}

static void
test_week (DemoFixture   *fixture,
           gconstpointer  data)
{
  static const struct {
    const char *query, *date, *monday, *label, *previous, *next;
  } rows[] = {
    { "&d=26&m=11&y=2026", "2026-11-26", "2026-11-23", "23 – 29 November 2026", "d=16&amp;m=11", "d=30&amp;m=11" },
    { "&d=29&m=11&y=2026", "2026-11-29", "2026-11-23", "23 – 29 November 2026", "d=16&amp;m=11", "d=30&amp;m=11" },
    { "&d=3&m=12&y=2026", "2026-12-03", "2026-11-30", "30 November – 6 December 2026", "d=23&amp;m=11", "d=7&amp;m=12" },
    { "&D=1&M=1&Y=2027", "2027-01-01", "2026-12-28", "28 December 2026 – 3 January 2027",
      "d=21&amp;m=12&amp;y=2026", "d=4&amp;m=1&amp;y=2027" },
    /* No date, or nonsense: the current week by the server's clock. */
    { "" }, { "&d=31&m=2&y=2026" }, { "&d=x&m=11&y=2026" }, { "&d=1&m=1&y=1066" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = g_strconcat (fixture->url, rows[i].query, NULL);
      g_autofree char *before = current_monday ();
      g_autoptr (DemoReply) reply = demo_fetch (url);
      g_autofree char *after = current_monday ();
      char *expected[5];

      g_test_message ("'%s'", rows[i].query);
      g_assert_cmpint (reply->status, ==, 200);
      if (rows[i].date == NULL)
        {
          /* Monday may begin during the request. */
          g_assert_true (strstr (reply->body->str, before) != NULL || strstr (reply->body->str, after) != NULL);
          continue;
        }
      expected[0] = g_strdup_printf ("data-date=\"%s\"", rows[i].date);
      expected[1] = g_strdup_printf ("data-week-start=\"%s\"", rows[i].monday);
      expected[2] = g_strdup_printf (">%s</h1>", rows[i].label);
      expected[3] = g_strdup_printf ("href=\"?cmd=contents&amp;module=calendar&amp;view=weekly&amp;%s",
                                     rows[i].previous);
      expected[4] = g_strdup_printf ("view=weekly&amp;%s", rows[i].next);
      for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
        {
          g_assert_nonnull (strstr (reply->body->str, expected[j]));
          g_free (expected[j]);
        }
    }
}

static void
test_assets (DemoFixture   *fixture,
             gconstpointer  data)
{
  static const struct {
    const char *name, *type, *marker;
  } rows[] = {
    { "calendar.css", "text/css; charset=utf-8", "@media print" },
    { "calendar.js", "text/javascript; charset=utf-8", "X-OWA-CANARY" },
    { "logo.svg", "image/svg+xml", "<svg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = g_strconcat (fixture->base, rows[i].name, NULL);
      g_autoptr (CURL) curl = demo_new_handle (url);
      g_autoptr (DemoReply) get = demo_perform (curl);
      g_autoptr (DemoReply) head = NULL;
      g_autoptr (DemoReply) get_again = NULL;
      long connects = -1;

      g_test_message ("%s", rows[i].name);
      g_assert_cmpint (get->status, ==, 200);
      g_assert_cmpstr (get->content_type, ==, rows[i].type);
      g_assert_cmpint (get->content_length, ==, get->body->len);
      g_assert_nonnull (strstr (get->body->str, rows[i].marker));

      /* HEAD announces the length of the GET answer and sends no body. */
      curl_easy_setopt (curl, CURLOPT_NOBODY, 1L);
      head = demo_perform (curl);
      g_assert_cmpint (head->status, ==, 200);
      g_assert_cmpstr (head->content_type, ==, rows[i].type);
      g_assert_cmpint (head->content_length, ==, get->body->len);
      g_assert_cmpuint (head->body->len, ==, 0);

      /* ...not even on the wire: the next answer on the connection is whole. */
      curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
      get_again = demo_perform (curl);
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      g_assert_cmpint (connects, ==, 0);
      g_assert_cmpstr (get_again->body->str, ==, get->body->str);
    }
}

static void
test_not_found (DemoFixture   *fixture,
                gconstpointer  data)
{
  static const char * const paths[] = {
    "/", "/owa/", "/owa/demo@owacal.example",
    "/owa/someone@owacal.example/?cmd=contents&module=calendar",
    "/owa/demo@owacal.example/?cmd=contents&module=mail",
    "/owa/demo@owacal.example/nope.css",
    "/owa/demo@owacal.example/calendar.html",
    "/owa/demo@owacal.example/%3Cb%3Ebold",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                              oc_demo_server_get_port (fixture->server), paths[i]);
      g_autoptr (DemoReply) reply = demo_fetch (url);

      g_test_message ("%s", paths[i]);
      g_assert_cmpint (reply->status, ==, 404);
      g_assert_cmpstr (reply->content_type, ==, "text/html; charset=utf-8");
      g_assert_cmpint (reply->content_length, ==, reply->body->len);
      g_assert_nonnull (strstr (reply->body->str, "<h1>404 Not Found</h1>"));
      g_assert_null (strstr (reply->body->str, "<b>"));
    }
}

/* What a week looks like without its dates: weekday, times and subject. */
static char *
week_pattern (const char *json)
{
  g_autoptr (GPtrArray) events = demo_parse_events (json);
  GString *pattern = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      GDate date;

      demo_parse_day (demo_event_string (events->pdata[i], "start"), &date);
      g_string_append_printf (pattern, "%d %s %s %s\n", g_date_get_weekday (&date),
                              demo_event_string (events->pdata[i], "start") + 11,
                              demo_event_string (events->pdata[i], "end") + 11,
                              demo_event_string (events->pdata[i], "subject"));
    }
  return g_string_free (pattern, FALSE);
}

static void
test_deterministic (DemoFixture   *fixture,
                    gconstpointer  data)
{
  g_autofree char *first = demo_week_json (fixture, "2026-11-23");
  g_autofree char *again = demo_week_json (fixture, "2026-11-23");
  g_autofree char *next = demo_week_json (fixture, "2026-11-30");
  g_autofree char *far = demo_week_json (fixture, "2031-03-03");
  g_autofree char *first_pattern = week_pattern (first);
  g_autofree char *next_pattern = week_pattern (next);

  g_assert_cmpstr (first, ==, again);
  g_assert_cmpstr (first_pattern, !=, next_pattern);
  demo_assert_week_events (next, "2026-11-30");
  demo_assert_week_events (far, "2031-03-03");
}

static void
test_stop (DemoFixture   *fixture,
           gconstpointer  data)
{
  guint16 port = oc_demo_server_get_port (fixture->server);
  DemoExchange exchange = { port, "GET /owa/demo@owacal.example/logo.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                        FALSE, NULL, g_string_new (NULL), NULL };
  g_autoptr (GSocketClient) client = demo_new_socket_client ();
  g_autoptr (GSocketConnection) refused = NULL;
  g_autoptr (GError) error = NULL;
  char buffer[16];

  /* An idle keep-alive connection... */
  demo_run_in_thread (demo_exchange_job, &exchange);
  g_assert_no_error (exchange.error);
  g_assert_true (g_str_has_prefix (exchange.answer->str, "HTTP/1.1 200 OK"));

  /* ...is closed by stop(), long before its idle timeout. */
  oc_demo_server_stop (fixture->server);
  g_socket_set_timeout (g_socket_connection_get_socket (exchange.connection), 5);
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (exchange.connection)),
                                        buffer, sizeof buffer, NULL, &error), ==, 0);
  g_assert_no_error (error);

  g_assert_cmpuint (oc_demo_server_get_port (fixture->server), ==, 0);
  g_assert_null (oc_demo_server_get_calendar_url (fixture->server));
  refused = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  demo_exchange_clear (&exchange);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  DEMO_ADD_TEST ("page", test_page);
  DEMO_ADD_TEST ("week", test_week);
  DEMO_ADD_TEST ("assets", test_assets);
  DEMO_ADD_TEST ("not-found", test_not_found);
  DEMO_ADD_TEST ("deterministic", test_deterministic);
  DEMO_ADD_TEST ("stop", test_stop);

  return demo_run_tests ();
}
