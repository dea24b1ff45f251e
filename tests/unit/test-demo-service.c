/* test-demo-service.c: the demo site's JSON service and its HTTP: the
 * GetCalendarView answers, the canary, bad requests, keep-alive, and raw
 * requests that curl would not send. The client side is in
 * tests/common/demo-client.c.
 */
#include "config.h"

#include "demo-client.h"

#include <string.h>

#define WEEK_BODY "{\"start\": \"2026-11-23\", \"days\": 7}"

static void
test_service (DemoFixture   *fixture,
              gconstpointer  data)
{
  g_autofree char *json = demo_week_json (fixture, "2026-11-23");
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = demo_open_session (fixture, &canary);
  g_autoptr (DemoReply) part = NULL;
  g_autoptr (DemoReply) expecting = NULL;
  g_autoptr (GPtrArray) events = NULL;

  demo_assert_week_events (json, "2026-11-23");

  /* Two days from the middle of the week: only what touches them. */
  part = demo_post_view (fixture, curl, canary, "{\"start\":\"2026-11-25\",\"days\":2}", NULL);
  g_assert_cmpint (part->status, ==, 200);
  events = demo_parse_events (part->body->str);
  g_assert_cmpuint (events->len, >=, 2);
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_cmpstr (demo_event_string (events->pdata[i], "start"), <, "2026-11-27");
      g_assert_cmpstr (demo_event_string (events->pdata[i], "end"), >, "2026-11-25");
      g_assert_nonnull (strstr (json, demo_event_string (events->pdata[i], "id")));
    }

  /* A client that asks first gets 100 Continue before it sends the body. */
  expecting = demo_post_view (fixture, curl, canary, WEEK_BODY, "Expect: 100-continue");
  g_assert_true (expecting->saw_continue);
  g_assert_cmpint (expecting->status, ==, 200);
  g_assert_cmpstr (expecting->body->str, ==, json);
}

static void
test_canary (DemoFixture   *fixture,
             gconstpointer  data)
{
  static const struct {
    const char *name, *cookie, *header;     /* @C@ stands for the real canary */
  } rows[] = {
    { "wrong header", NULL, "0123456789abcdef0123456789abcdef" },
    { "no header", NULL, NULL },
    { "made-up pair", "X-OWA-CANARY=abc; owa-session=def", "abc" },
    { "no session", "X-OWA-CANARY=@C@", "@C@" },
  };
  g_autofree char *canary = NULL;
  g_autoptr (CURL) control = demo_open_session (fixture, &canary);
  g_autoptr (DemoReply) allowed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *own_canary = NULL;
      g_autoptr (CURL) curl = demo_open_session (fixture, &own_canary);
      g_autoptr (GString) cookie = g_string_new (rows[i].cookie);
      g_autoptr (GString) header = g_string_new (rows[i].header);
      g_autoptr (DemoReply) reply = NULL;

      g_string_replace (cookie, "@C@", own_canary, 0);
      g_string_replace (header, "@C@", own_canary, 0);
      if (rows[i].cookie != NULL)
        {
          curl_easy_setopt (curl, CURLOPT_COOKIELIST, "ALL");
          curl_easy_setopt (curl, CURLOPT_COOKIE, cookie->str);
        }
      reply = demo_post_view (fixture, curl, rows[i].header != NULL ? header->str : NULL, WEEK_BODY, NULL);
      g_test_message ("%s", rows[i].name);
      g_assert_cmpint (reply->status, ==, 403);
      g_assert_cmpstr (reply->content_type, ==, "application/json; charset=utf-8");
      g_assert_nonnull (strstr (reply->body->str, "\"ErrorInvalidCanary\""));
    }

  /* The same request with the session's own canary gets in. */
  allowed = demo_post_view (fixture, control, canary, WEEK_BODY, NULL);
  g_assert_cmpint (allowed->status, ==, 200);
}

static void
test_bad_requests (DemoFixture   *fixture,
                   gconstpointer  data)
{
  static const struct {
    const char *method, *path, *body, *allow;
    long status;
  } rows[] = {
    { "PUT", "?cmd=contents&module=calendar", NULL, NULL, 501 },
    { "GET", "service.svc?action=GetCalendarView", NULL, "POST", 405 },
    { "POST", "calendar.css", "x", "GET, HEAD", 405 },
    { "POST", "?cmd=contents&module=calendar", "x", "GET, HEAD", 405 },
    { "POST", "service.svc?action=GetCalendarView", "{}", NULL, 400 },
    { "POST", "service.svc?action=GetCalendarView", "{\"start\": \"2026-02-30\"}", NULL, 400 },
    { "POST", "service.svc?action=GetCalendarView", "{\"start\": \"2026-11-23\", \"days\": 0}", NULL, 400 },
    { "POST", "service.svc?action=GetCalendarView", "{\"start\": \"2026-11-23\", \"days\": 43}", NULL, 400 },
    { "POST", "service.svc?action=FindItem", WEEK_BODY, NULL, 400 },
  };
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = demo_open_session (fixture, &canary);
  g_autofree char *header = g_strdup_printf ("X-OWA-CANARY: %s", canary);
  g_autoptr (OcCurlSlist) headers = curl_slist_append (NULL, header);

  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = g_strconcat (fixture->base, rows[i].path, NULL);
      g_autoptr (DemoReply) reply = NULL;

      curl_easy_setopt (curl, CURLOPT_URL, url);
      curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
      if (rows[i].body != NULL)
        curl_easy_setopt (curl, CURLOPT_POSTFIELDS, rows[i].body);
      curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, rows[i].method);
      reply = demo_perform (curl);
      g_test_message ("%s %s %s", rows[i].method, rows[i].path, rows[i].body);
      g_assert_cmpint (reply->status, ==, rows[i].status);
      g_assert_cmpstr (demo_reply_header (reply, "Allow", 0), ==, rows[i].allow);
      g_assert_cmpint (reply->content_length, ==, reply->body->len);
      if (rows[i].status == 400)
        g_assert_nonnull (strstr (reply->body->str, "\"ErrorInvalidRequest\""));
    }
}

static void
test_keep_alive (DemoFixture   *fixture,
                 gconstpointer  data)
{
  g_autofree char *css = g_strconcat (fixture->base, "calendar.css", NULL);
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = demo_new_handle (fixture->url);
  g_autoptr (OcCurlSlist) close = curl_slist_append (NULL, "Connection: close");
  long connects = -1, first_port = 0, port = 0;

  /* The page, its stylesheet and the service share one connection. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (DemoReply) reply = NULL;

      curl_easy_setopt (curl, CURLOPT_URL, i == 0 ? fixture->url : css);
      reply = i < 2 ? demo_perform (curl) : demo_post_view (fixture, curl, canary, WEEK_BODY, NULL);
      if (i == 0)
        canary = demo_stored_canary (curl);
      g_assert_cmpint (reply->status, ==, 200);
      g_assert_cmpstr (demo_reply_header (reply, "Connection", 0), ==, "keep-alive");
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      curl_easy_getinfo (curl, CURLINFO_LOCAL_PORT, &port);
      g_assert_cmpint (connects, ==, i == 0 ? 1 : 0);
      first_port = i == 0 ? port : first_port;
      g_assert_cmpint (port, ==, first_port);
    }

  /* Connection: close is honoured, so the next request needs a new one. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (DemoReply) reply = NULL;

      curl_easy_setopt (curl, CURLOPT_URL, css);
      curl_easy_setopt (curl, CURLOPT_HTTPHEADER, i == 0 ? close : NULL);
      reply = demo_perform (curl);
      g_assert_cmpint (reply->status, ==, 200);
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      g_assert_cmpint (connects, ==, i);
      g_assert_cmpstr (demo_reply_header (reply, "Connection", 0), ==, i == 0 ? "close" : "keep-alive");
    }
}

static void
test_raw (DemoFixture   *fixture,
          gconstpointer  data)
{
  g_autofree char *pipelined = g_strdup_printf (
    "POST /owa/demo@owacal.example/service.svc?action=GetCalendarView HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s"
    "GET /owa/DEMO@owacal.example/logo.svg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    strlen (WEEK_BODY), WEEK_BODY);
  const struct {
    const char *request;
    guint statuses[2];
  } rows[] = {
    /* Two requests in one write: the body of the first must be read by its
     * length, or the second would not parse. */
    { pipelined, { 403, 200 } },
    { "GET /owa/demo@owacal.example/logo.svg HTTP/1.0\r\n\r\n", { 200 } },
    { "HELLO\r\n\r\nGET /owa/demo@owacal.example/logo.svg HTTP/1.1\r\n\r\n", { 400 } },
    { "GET / HTTP/2.0\r\n\r\n", { 505 } },
    /* Blank lines before a request line are ignored (RFC 9112, 2.2). */
    { "\r\n\r\nGET /owa/demo@owacal.example/logo.svg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      { 200 } },
    { "GET /owa/demo@owacal.example/logo.svg HTTP/1.1\r\n\r\n", { 400 } },   /* no Host */
    { "POST /owa/demo@owacal.example/service.svc HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nabcd\r\n0\r\n\r\n", { 501 } },
    { "POST /owa/demo@owacal.example/service.svc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048577\r\n"
      "Expect: 100-continue\r\n\r\n", { 413 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DemoExchange exchange = { oc_demo_server_get_port (fixture->server), rows[i].request, TRUE,
                            NULL, g_string_new (NULL), NULL };
      g_autoptr (GPtrArray) heads = NULL;
      gsize rest = 0;
      guint n = rows[i].statuses[1] != 0 ? 2 : 1;

      demo_run_in_thread (demo_exchange_job, &exchange);
      g_test_message ("%s", rows[i].request);
      /* The server closed the connection after the last answer (a read
       * that timed out would be an error), and every answer is exactly as
       * long as it says. SoupServer answers in the request's version, and
       * in HTTP/1.0 what it could not read. */
      g_assert_no_error (exchange.error);
      heads = demo_split_answers (exchange.answer, &rest);
      g_assert_cmpuint (rest, ==, 0);
      g_assert_cmpuint (heads->len, ==, n);
      for (guint j = 0; j < n; j++)
        {
          g_autofree char *status = g_strdup_printf (" %u ", rows[i].statuses[j]);
          const char *head = heads->pdata[j];

          g_test_message ("%s", head);
          g_assert_true (g_str_has_prefix (head, "HTTP/1.1 ") || g_str_has_prefix (head, "HTTP/1.0 "));
          g_assert_true (g_str_has_prefix (head + 8, status));
        }
      demo_exchange_clear (&exchange);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  DEMO_ADD_TEST ("service", test_service);
  DEMO_ADD_TEST ("canary", test_canary);
  DEMO_ADD_TEST ("bad-requests", test_bad_requests);
  DEMO_ADD_TEST ("keep-alive", test_keep_alive);
  DEMO_ADD_TEST ("raw", test_raw);

  return demo_run_tests ();
}
