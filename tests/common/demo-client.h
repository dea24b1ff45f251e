/* demo-client.h: a client of the demo site (oc-demo-server) for the tests.
 *
 * Every helper that talks to the server runs the client in a thread while
 * the test thread iterates the main context the server accepts on, and fails
 * the test (g_assert) on what it cannot use, so callers need no error paths.
 */
#pragma once

#include "oc-autocleanups.h"
#include "oc-demo-server.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/* The fixture: a demo server started on a free loopback port. */
typedef struct {
  OcDemoServer *server;
  char *url;                    /* the calendar URL */
  char *base;                   /* http://127.0.0.1:PORT/owa/demo@owacal.example/ */
} DemoFixture;

void demo_fixture_set_up    (DemoFixture   *fixture,
                             gconstpointer  data);
/* Stops the server and checks that nothing keeps it alive. */
void demo_fixture_tear_down (DemoFixture   *fixture,
                             gconstpointer  data);

/* Adds the test case /oc/demo-server/@path with a DemoFixture. */
#define DEMO_ADD_TEST(path, func) \
  g_test_add ("/oc/demo-server/" path, DemoFixture, NULL, demo_fixture_set_up, func, demo_fixture_tear_down)

/* For main(): g_test_run() with libcurl set up around it. */
int  demo_run_tests         (void);

/* Calls @func (@data) in a thread of its own, iterating the default main
 * context until it returns. */
void demo_run_in_thread     (GThreadFunc  func,
                             gpointer     data);

/* An answer, read with libcurl. */
typedef struct {
  long status;
  char *content_type;
  curl_off_t content_length;
  GString *body;
  GPtrArray *headers;           /* the lines of the last answer's head */
  gboolean saw_continue;
} DemoReply;

void demo_reply_free (DemoReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoReply, demo_reply_free)

/* A handle for @url with the cookie engine on and empty, as the app's client has. */
CURL       *demo_new_handle    (const char *url);
/* Performs @curl's request as it is set up; any HTTP status is an answer. */
DemoReply  *demo_perform       (CURL       *curl);
/* GETs @url on a new handle. */
DemoReply  *demo_fetch         (const char *url);
/* The value of the @nth (from 0) header @name, in any case, of the last answer's head, or NULL. */
const char *demo_reply_header  (DemoReply  *reply,
                                const char *name,
                                guint       nth);
/* The canary as curl's cookie engine stored it from the page's answer. */
char       *demo_stored_canary (CURL       *curl);

/* Opens the page on a new handle, so that its cookies are in the jar. */
CURL      *demo_open_session (DemoFixture  *fixture,
                              char        **out_canary);
/* POSTs a GetCalendarView on @curl, then leaves it a GET handle again;
 * @canary NULL sends no X-OWA-CANARY header, @extra_header may be NULL. */
DemoReply *demo_post_view    (DemoFixture  *fixture,
                              CURL         *curl,
                              const char   *canary,
                              const char   *body,
                              const char   *extra_header);
/* The JSON of the seven days from @monday ("YYYY-MM-DD"), asked for in a session of its own. */
char      *demo_week_json    (DemoFixture  *fixture,
                              const char   *monday);

/* The events (a{sv}) of a GetCalendarView answer, each checked for the fields calendar.js reads. */
GPtrArray  *demo_parse_events       (const char *json);
/* A string field of an event; the test fails if there is none. */
const char *demo_event_string       (GVariant   *event,
                                     const char *key);
/* "2026-11-23" or "2026-11-23T09:15:00" to a day. */
void        demo_parse_day          (const char *iso,
                                     GDate      *out_date);
/* Checks what every generated week must hold; @monday_text is "YYYY-MM-DD". */
void        demo_assert_week_events (const char *json,
                                     const char *monday_text);

/* Raw sockets, for what curl would hide. */
typedef struct {
  guint16 port;
  const char *request;
  gboolean until_closed;        /* or stop after one whole answer */
  GSocketConnection *connection;
  GString *answer;
  GError *error;
} DemoExchange;

/* A socket client without proxy lookup, with a timeout. */
GSocketClient *demo_new_socket_client (void);
/* For demo_run_in_thread(): connects, writes the request and reads the answer
 * (see @until_closed), leaving the connection open; a failure goes to @error. */
gpointer       demo_exchange_job      (gpointer       data);
void           demo_exchange_clear    (DemoExchange  *exchange);
/* Splits @raw into answers by their Content-Length and returns their heads;
 * @out_rest gets the bytes after the last whole answer. */
GPtrArray     *demo_split_answers     (const GString *raw,
                                       gsize         *out_rest);

G_END_DECLS
