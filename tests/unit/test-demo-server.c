/* test-demo-server.c: the demo site over real HTTP, with libcurl and raw sockets.
 *
 * The server accepts on the main context of the thread that started it, as
 * the app's main loop does. So each client runs in a thread of its own while
 * the test thread iterates the main context: see run_in_thread().
 */
#include "config.h"

#include "oc-autocleanups.h"
#include "oc-demo-server.h"

#include <stdio.h>
#include <string.h>

#define WEEK_BODY "{\"start\": \"2026-11-23\", \"days\": 7}"

typedef struct {
  OcDemoServer *server;
  char *url;                    /* the calendar URL */
  char *base;                   /* http://127.0.0.1:PORT/owa/demo@owacal.example/ */
} Fixture;

typedef struct {
  long status;
  char *content_type;
  curl_off_t content_length;
  GString *body;
  GPtrArray *headers;           /* the lines of the last answer's head */
  gboolean saw_continue;
} Reply;

typedef struct {
  GThreadFunc func;
  gpointer data;
  int done;
} Job;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_string_free (reply->body, TRUE);
  g_ptr_array_unref (reply->headers);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static gpointer
job_thread (gpointer user_data)
{
  Job *job = user_data;

  job->func (job->data);
  g_atomic_int_set (&job->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
run_in_thread (GThreadFunc func,
               gpointer    data)
{
  Job job = { func, data, 0 };
  GThread *thread = g_thread_new ("client", job_thread, &job);

  while (!g_atomic_int_get (&job.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
}

/* JSON */

/* A small reader (objects become a{sv}, arrays av) so that the tests do not
 * depend on how the server orders or spaces what it writes. */
static GVariant *
read_json (const char **p)
{
  static const char * const words[] = { "true", "false" };
  g_auto (GVariantBuilder) builder = { 0 };
  char close, *end;
  double number;

  while (g_ascii_isspace (**p))
    (*p)++;
  if (**p == '"')
    {
      g_autoptr (GString) text = g_string_new (NULL);

      for ((*p)++; **p != '"'; (*p)++)
        {
          g_assert_cmpint ((guchar) **p, >=, 0x20);
          if (**p != '\\')
            g_string_append_c (text, **p);
          else if (*++(*p) == 'u')
            {
              g_autofree char *hex = g_strndup (*p + 1, 4);

              g_string_append_unichar (text, g_ascii_strtoull (hex, NULL, 16));
              *p += 4;
            }
          else
            g_string_append_c (text, **p == 'n' ? '\n' : **p == 't' ? '\t' : **p);
        }
      (*p)++;
      return g_variant_new_string (text->str);
    }
  if (**p == '{' || **p == '[')
    {
      close = **p == '{' ? '}' : ']';
      g_variant_builder_init (&builder, close == '}' ? G_VARIANT_TYPE_VARDICT : G_VARIANT_TYPE ("av"));
      do
        {
          (*p)++;
          while (g_ascii_isspace (**p))
            (*p)++;
          if (**p == close)
            break;
          if (close == '}')
            {
              g_autoptr (GVariant) key = g_variant_ref_sink (read_json (p));

              while (g_ascii_isspace (**p))
                (*p)++;
              g_assert_cmpint (*(*p)++, ==, ':');
              g_variant_builder_add (&builder, "{sv}", g_variant_get_string (key, NULL), read_json (p));
            }
          else
            g_variant_builder_add (&builder, "v", read_json (p));
          while (g_ascii_isspace (**p))
            (*p)++;
        }
      while (**p == ',');
      g_assert_cmpint (*(*p)++, ==, close);
      return g_variant_builder_end (&builder);
    }
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_has_prefix (*p, words[i]))
      {
        *p += strlen (words[i]);
        return g_variant_new_boolean (i == 0);
      }
  number = g_ascii_strtod (*p, &end);
  g_assert_true (end > *p);
  *p = end;
  return g_variant_new_double (number);
}

static GVariant *
parse_json (const char *text)
{
  GVariant *value = g_variant_ref_sink (read_json (&text));

  while (g_ascii_isspace (*text))
    text++;
  g_assert_cmpint (*text, ==, '\0');
  return value;
}

static const char *
event_string (GVariant   *event,
              const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (event, key, "&s", &value))
    g_error ("No string \"%s\" in %s", key, g_variant_print (event, FALSE));
  return value;
}

static gboolean
event_all_day (GVariant *event)
{
  gboolean all_day = FALSE;

  g_assert_true (g_variant_lookup (event, "allDay", "b", &all_day));
  return all_day;
}

/* Returns the events of a GetCalendarView answer, each checked for the
 * fields calendar.js reads. */
static GPtrArray *
parse_events (const char *json)
{
  static const char * const keys[] = { "id", "subject", "start", "end", "location", "organizer",
                                       "body", "freeBusy", "category" };
  g_autoptr (GVariant) root = parse_json (json);
  g_autoptr (GVariant) events = g_variant_lookup_value (root, "events", G_VARIANT_TYPE ("av"));
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  g_assert_nonnull (events);
  for (gsize i = 0; i < g_variant_n_children (events); i++)
    {
      g_autoptr (GVariant) boxed = g_variant_get_child_value (events, i);
      GVariant *event = g_variant_get_variant (boxed);

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        event_string (event, keys[k]);
      event_all_day (event);
      g_assert_true (g_variant_lookup (event, "attendees", "@av", NULL));
      g_ptr_array_add (result, event);
    }
  return result;
}

/* "2026-11-23" or "2026-11-23T09:15:00" to a day. */
static void
parse_day (const char *iso,
           GDate      *out_date)
{
  guint y = 0, m = 0, d = 0;

  g_assert_cmpint (sscanf (iso, "%4u-%2u-%2u", &y, &m, &d), ==, 3);
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, d, m, y);
}

/* libcurl */

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  g_string_append_len (user_data, data, size * n);
  return size * n;
}

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  n,
           void   *user_data)
{
  Reply *reply = user_data;
  g_autofree char *line = g_strchomp (g_strndup (data, size * n));

  /* A new status line starts the next answer, as after 100 Continue. */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      reply->saw_continue |= g_str_has_prefix (line, "HTTP/1.1 100 ");
      g_ptr_array_set_size (reply->headers, 0);
    }
  if (*line != '\0')
    g_ptr_array_add (reply->headers, g_steal_pointer (&line));
  return size * n;
}

typedef struct {
  CURL *curl;
  CURLcode code;
} Transfer;

static gpointer
perform_job (gpointer data)
{
  Transfer *transfer = data;

  transfer->code = curl_easy_perform (transfer->curl);
  return NULL;
}

static Reply *
perform (CURL *curl)
{
  Reply *reply = g_new0 (Reply, 1);
  Transfer transfer = { curl, CURLE_OK };
  const char *content_type = NULL;

  reply->body = g_string_new (NULL);
  reply->headers = g_ptr_array_new_with_free_func (g_free);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply->body);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, reply);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);

  run_in_thread (perform_job, &transfer);
  g_assert_cmpstr (curl_easy_strerror (transfer.code), ==, curl_easy_strerror (CURLE_OK));
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply->status);
  curl_easy_getinfo (curl, CURLINFO_CONTENT_TYPE, &content_type);
  curl_easy_getinfo (curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &reply->content_length);
  reply->content_type = g_strdup (content_type);
  return reply;
}

/* A handle with the cookie engine on and empty, as the app's client has. */
static CURL *
new_handle (const char *url)
{
  CURL *curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_COOKIEFILE, "");
  return curl;
}

static Reply *
fetch (const char *url)
{
  g_autoptr (CURL) curl = new_handle (url);

  return perform (curl);
}

static const char *
reply_header (Reply      *reply,
              const char *name,
              guint       nth)
{
  gsize length = strlen (name);

  for (guint i = 0; i < reply->headers->len; i++)
    {
      const char *line = g_ptr_array_index (reply->headers, i);

      if (g_ascii_strncasecmp (line, name, length) == 0 && line[length] == ':' && nth-- == 0)
        return line + length + 2;
    }
  return NULL;
}

/* The canary as curl's cookie engine stored it from the page's answer. */
static char *
stored_canary (CURL *curl)
{
  g_autoptr (OcCurlSlist) cookies = NULL;
  char *canary = NULL;

  curl_easy_getinfo (curl, CURLINFO_COOKIELIST, &cookies);
  for (struct curl_slist *item = cookies; item != NULL; item = item->next)
    {
      g_auto (GStrv) fields = g_strsplit (item->data, "\t", -1);

      if (g_strv_length (fields) == 7 && g_str_equal (fields[5], "X-OWA-CANARY"))
        canary = g_strdup (fields[6]);
    }
  g_assert_nonnull (canary);
  return canary;
}

/* Opens the page on a new handle, so that its cookies are in the jar. */
static CURL *
open_session (Fixture  *fixture,
              char    **out_canary)
{
  CURL *curl = new_handle (fixture->url);
  g_autoptr (Reply) reply = perform (curl);

  g_assert_cmpint (reply->status, ==, 200);
  *out_canary = stored_canary (curl);
  return curl;
}

/* POSTs a GetCalendarView; @canary NULL sends no X-OWA-CANARY header. */
static Reply *
post_view (Fixture    *fixture,
           CURL       *curl,
           const char *canary,
           const char *body,
           const char *extra_header)
{
  g_autofree char *url = g_strconcat (fixture->base, "service.svc?action=GetCalendarView", NULL);
  g_autofree char *header = g_strdup_printf ("X-OWA-CANARY: %s", canary);
  g_autoptr (OcCurlSlist) headers = curl_slist_append (NULL, "Content-Type: application/json");
  Reply *reply;

  if (canary != NULL)
    headers = curl_slist_append (headers, header);
  if (extra_header != NULL)
    headers = curl_slist_append (headers, extra_header);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  reply = perform (curl);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
  return reply;
}

static char *
week_json (Fixture    *fixture,
           const char *monday)
{
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = open_session (fixture, &canary);
  g_autofree char *body = g_strdup_printf ("{\"start\": \"%s\", \"days\": 7}", monday);
  g_autoptr (Reply) reply = post_view (fixture, curl, canary, body, NULL);

  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "application/json; charset=utf-8");
  g_assert_cmpint (reply->content_length, ==, reply->body->len);
  return g_strdup (reply->body->str);
}

/* Raw sockets, for what curl would hide */

typedef struct {
  guint16 port;
  const char *request;
  gboolean until_closed;        /* or stop after one whole answer */
  GSocketConnection *connection;
  GString *answer;
  GError *error;
} Exchange;

/* Splits @raw into answers by their Content-Length and returns their heads;
 * @out_rest gets the bytes after the last whole answer. */
static GPtrArray *
split_answers (const GString *raw,
               gsize         *out_rest)
{
  GPtrArray *heads = g_ptr_array_new_with_free_func (g_free);
  gsize offset = 0;
  const char *end;

  while ((end = g_strstr_len (raw->str + offset, raw->len - offset, "\r\n\r\n")) != NULL)
    {
      g_autofree char *head = g_strndup (raw->str + offset, end - raw->str - offset);
      const char *field = strstr (head, "\r\nContent-Length: ");
      gsize length;

      g_assert_nonnull (field);
      length = g_ascii_strtoull (field + 18, NULL, 10);
      if ((gsize) (end + 4 - raw->str) + length > raw->len)
        break;
      offset = end + 4 - raw->str + length;
      g_ptr_array_add (heads, g_steal_pointer (&head));
    }
  *out_rest = raw->len - offset;
  return heads;
}

static GSocketClient *
new_socket_client (void)
{
  GSocketClient *client = g_socket_client_new ();

  /* No proxy lookup: it reads GSettings, which isolated tests lack. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 10);
  return client;
}

static gpointer
exchange_job (gpointer data)
{
  Exchange *exchange = data;
  g_autoptr (GSocketClient) client = new_socket_client ();
  char buffer[4096];
  gssize n;

  exchange->connection = g_socket_client_connect_to_host (client, "127.0.0.1", exchange->port,
                                                          NULL, &exchange->error);
  if (exchange->connection == NULL
      || !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (exchange->connection)),
                                     exchange->request, strlen (exchange->request),
                                     NULL, NULL, &exchange->error))
    return NULL;
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (exchange->connection)),
                                   buffer, sizeof buffer, NULL, &exchange->error)) > 0)
    {
      g_autoptr (GPtrArray) heads = NULL;
      gsize rest;

      g_string_append_len (exchange->answer, buffer, n);
      heads = split_answers (exchange->answer, &rest);
      if (!exchange->until_closed && heads->len == 1 && rest == 0)
        break;
    }
  return NULL;
}

static void
exchange_clear (Exchange *exchange)
{
  g_clear_object (&exchange->connection);
  g_string_free (exchange->answer, TRUE);
  g_clear_error (&exchange->error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->server = oc_demo_server_new ();
  g_assert_true (oc_demo_server_start (fixture->server, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oc_demo_server_get_port (fixture->server), >, 0);
  fixture->url = oc_demo_server_get_calendar_url (fixture->server);
  fixture->base = g_strndup (fixture->url, strchr (fixture->url, '?') - fixture->url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  oc_demo_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
  /* Let the cancelled accept finish, so that the service goes too. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fixture->url);
  g_free (fixture->base);
}

/* Tests */

static void
test_page (Fixture       *fixture,
           gconstpointer  data)
{
  static const char * const links[] = { "href=\"calendar.css\"", "src=\"calendar.js\"", "src=\"logo.svg\"" };
  g_autoptr (CURL) curl = new_handle (fixture->url);
  g_autoptr (Reply) reply = perform (curl);
  g_autoptr (Reply) again = NULL;
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
  for (; (cookie = reply_header (reply, "Set-Cookie", n_cookies)) != NULL; n_cookies++)
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
  canary = stored_canary (curl);
  again = perform (curl);
  canary_again = stored_canary (curl);
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
test_week (Fixture       *fixture,
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
      g_autoptr (Reply) reply = fetch (url);
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
test_assets (Fixture       *fixture,
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
      g_autoptr (CURL) curl = new_handle (url);
      g_autoptr (Reply) get = perform (curl);
      g_autoptr (Reply) head = NULL;
      g_autoptr (Reply) get_again = NULL;
      long connects = -1;

      g_test_message ("%s", rows[i].name);
      g_assert_cmpint (get->status, ==, 200);
      g_assert_cmpstr (get->content_type, ==, rows[i].type);
      g_assert_cmpint (get->content_length, ==, get->body->len);
      g_assert_nonnull (strstr (get->body->str, rows[i].marker));

      /* HEAD announces the length of the GET answer and sends no body. */
      curl_easy_setopt (curl, CURLOPT_NOBODY, 1L);
      head = perform (curl);
      g_assert_cmpint (head->status, ==, 200);
      g_assert_cmpstr (head->content_type, ==, rows[i].type);
      g_assert_cmpint (head->content_length, ==, get->body->len);
      g_assert_cmpuint (head->body->len, ==, 0);

      /* ...not even on the wire: the next answer on the connection is whole. */
      curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
      get_again = perform (curl);
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      g_assert_cmpint (connects, ==, 0);
      g_assert_cmpstr (get_again->body->str, ==, get->body->str);
    }
}

static guint
count_subject (GPtrArray  *events,
               const char *subject)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    n += g_str_equal (event_string (events->pdata[i], "subject"), subject);
  return n;
}

static gboolean
is_overlapping_pair (GVariant *a,
                     GVariant *b)
{
  return !event_all_day (a) && !event_all_day (b)
         && strncmp (event_string (a, "start"), event_string (b, "start"), 10) == 0
         && strcmp (event_string (a, "start"), event_string (b, "end")) < 0
         && strcmp (event_string (b, "start"), event_string (a, "end")) < 0;
}

/* Checks what every generated week must hold; @monday is "YYYY-MM-DD". */
static void
assert_week_events (const char *json,
                    const char *monday_text)
{
  static const char * const show_as[] = { "Busy", "Tentative", "OOF", "Free" };
  g_autoptr (GPtrArray) events = parse_events (json);
  guint standup_days = 0, shown_as = 0, n_all_day = 0, n_customer = 0, n_overlaps = 0;
  GDate monday;

  parse_day (monday_text, &monday);
  for (guint i = 0; i < events->len; i++)
    {
      GVariant *event = events->pdata[i];
      const char *subject = event_string (event, "subject");
      const char *start = event_string (event, "start");
      const char *end = event_string (event, "end");
      GDate first, last;

      parse_day (start, &first);
      parse_day (end, &last);
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00$", start, 0, 0));
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00$", end, 0, 0));
      g_assert_cmpstr (start, <, end);
      /* Every event touches the week asked for. */
      g_assert_cmpint (g_date_days_between (&monday, &first), <, 7);
      g_assert_cmpint (g_date_days_between (&monday, &last), >=, 0);
      for (guint k = 0; k < G_N_ELEMENTS (show_as); k++)
        shown_as |= g_str_equal (event_string (event, "freeBusy"), show_as[k]) << k;

      if (g_str_equal (subject, "Daily stand-up"))
        {
          g_assert_cmpstr (start + 10, ==, "T09:15:00");
          g_assert_cmpstr (end + 10, ==, "T09:30:00");
          standup_days |= 1u << g_date_days_between (&monday, &first);
        }
      if (event_all_day (event))
        {
          n_all_day++;
          g_assert_true (g_str_has_prefix (subject, "Conference"));
          g_assert_cmpstr (start + 10, ==, "T00:00:00");
          g_assert_cmpstr (end + 10, ==, "T00:00:00");
          g_assert_cmpint (g_date_days_between (&first, &last), ==, 2);
        }
      if (g_str_equal (subject, "Private appointment"))
        {
          g_assert_cmpstr (event_string (event, "freeBusy"), ==, "Busy");
          g_assert_cmpstr (event_string (event, "location"), ==, "");
          g_assert_cmpstr (event_string (event, "body"), ==, "");
          g_assert_cmpstr (event_string (event, "sensitivity"), ==, "Private");
        }
      if (g_str_has_prefix (subject, "Customer call: "))
        {
          g_assert_true (g_regex_match_simple ("^Room \\w+ \\(\\d(st|nd|rd|th) floor\\)$",
                                               event_string (event, "location"), 0, 0));
          n_customer++;
        }
      for (guint j = 0; j < i; j++)
        n_overlaps += is_overlapping_pair (event, events->pdata[j]);
    }

  g_assert_cmpuint (standup_days, ==, 0x1f);
  g_assert_cmpuint (count_subject (events, "Daily stand-up"), ==, 5);
  g_assert_cmpuint (count_subject (events, "1:1 Dana / Marc"), ==, 1);
  g_assert_cmpuint (count_subject (events, "Private appointment"), ==, 1);
  g_assert_cmpuint (n_all_day, ==, 1);
  g_assert_cmpuint (n_customer, >=, 1);
  g_assert_cmpuint (n_overlaps, ==, 1);
  g_assert_cmpuint (shown_as, ==, 0xf);
}

static void
test_service (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *json = week_json (fixture, "2026-11-23");
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = open_session (fixture, &canary);
  g_autoptr (Reply) part = NULL;
  g_autoptr (Reply) expecting = NULL;
  g_autoptr (GPtrArray) events = NULL;

  assert_week_events (json, "2026-11-23");

  /* Two days from the middle of the week: only what touches them. */
  part = post_view (fixture, curl, canary, "{\"start\":\"2026-11-25\",\"days\":2}", NULL);
  g_assert_cmpint (part->status, ==, 200);
  events = parse_events (part->body->str);
  g_assert_cmpuint (events->len, >=, 2);
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_cmpstr (event_string (events->pdata[i], "start"), <, "2026-11-27");
      g_assert_cmpstr (event_string (events->pdata[i], "end"), >, "2026-11-25");
      g_assert_nonnull (strstr (json, event_string (events->pdata[i], "id")));
    }

  /* A client that asks first gets 100 Continue before it sends the body. */
  expecting = post_view (fixture, curl, canary, WEEK_BODY, "Expect: 100-continue");
  g_assert_true (expecting->saw_continue);
  g_assert_cmpint (expecting->status, ==, 200);
  g_assert_cmpstr (expecting->body->str, ==, json);
}

static void
test_canary (Fixture       *fixture,
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
  g_autoptr (CURL) control = open_session (fixture, &canary);
  g_autoptr (Reply) allowed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *own_canary = NULL;
      g_autoptr (CURL) curl = open_session (fixture, &own_canary);
      g_autoptr (GString) cookie = g_string_new (rows[i].cookie);
      g_autoptr (GString) header = g_string_new (rows[i].header);
      g_autoptr (Reply) reply = NULL;

      g_string_replace (cookie, "@C@", own_canary, 0);
      g_string_replace (header, "@C@", own_canary, 0);
      if (rows[i].cookie != NULL)
        {
          curl_easy_setopt (curl, CURLOPT_COOKIELIST, "ALL");
          curl_easy_setopt (curl, CURLOPT_COOKIE, cookie->str);
        }
      reply = post_view (fixture, curl, rows[i].header != NULL ? header->str : NULL, WEEK_BODY, NULL);
      g_test_message ("%s", rows[i].name);
      g_assert_cmpint (reply->status, ==, 403);
      g_assert_cmpstr (reply->content_type, ==, "application/json; charset=utf-8");
      g_assert_nonnull (strstr (reply->body->str, "\"ErrorInvalidCanary\""));
    }

  /* The same request with the session's own canary gets in. */
  allowed = post_view (fixture, control, canary, WEEK_BODY, NULL);
  g_assert_cmpint (allowed->status, ==, 200);
}

static void
test_bad_requests (Fixture       *fixture,
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
  g_autoptr (CURL) curl = open_session (fixture, &canary);
  g_autofree char *header = g_strdup_printf ("X-OWA-CANARY: %s", canary);
  g_autoptr (OcCurlSlist) headers = curl_slist_append (NULL, header);

  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = g_strconcat (fixture->base, rows[i].path, NULL);
      g_autoptr (Reply) reply = NULL;

      curl_easy_setopt (curl, CURLOPT_URL, url);
      curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
      if (rows[i].body != NULL)
        curl_easy_setopt (curl, CURLOPT_POSTFIELDS, rows[i].body);
      curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, rows[i].method);
      reply = perform (curl);
      g_test_message ("%s %s %s", rows[i].method, rows[i].path, rows[i].body);
      g_assert_cmpint (reply->status, ==, rows[i].status);
      g_assert_cmpstr (reply_header (reply, "Allow", 0), ==, rows[i].allow);
      g_assert_cmpint (reply->content_length, ==, reply->body->len);
      if (rows[i].status == 400)
        g_assert_nonnull (strstr (reply->body->str, "\"ErrorInvalidRequest\""));
    }
}

static void
test_keep_alive (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *css = g_strconcat (fixture->base, "calendar.css", NULL);
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = new_handle (fixture->url);
  g_autoptr (OcCurlSlist) close = curl_slist_append (NULL, "Connection: close");
  long connects = -1, first_port = 0, port = 0;

  /* The page, its stylesheet and the service share one connection. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Reply) reply = NULL;

      curl_easy_setopt (curl, CURLOPT_URL, i == 0 ? fixture->url : css);
      reply = i < 2 ? perform (curl) : post_view (fixture, curl, canary, WEEK_BODY, NULL);
      if (i == 0)
        canary = stored_canary (curl);
      g_assert_cmpint (reply->status, ==, 200);
      g_assert_cmpstr (reply_header (reply, "Connection", 0), ==, "keep-alive");
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      curl_easy_getinfo (curl, CURLINFO_LOCAL_PORT, &port);
      g_assert_cmpint (connects, ==, i == 0 ? 1 : 0);
      first_port = i == 0 ? port : first_port;
      g_assert_cmpint (port, ==, first_port);
    }

  /* Connection: close is honoured, so the next request needs a new one. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (Reply) reply = NULL;

      curl_easy_setopt (curl, CURLOPT_URL, css);
      curl_easy_setopt (curl, CURLOPT_HTTPHEADER, i == 0 ? close : NULL);
      reply = perform (curl);
      g_assert_cmpint (reply->status, ==, 200);
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      g_assert_cmpint (connects, ==, i);
      g_assert_cmpstr (reply_header (reply, "Connection", 0), ==, i == 0 ? "close" : "keep-alive");
    }
}

static void
test_raw (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *pipelined = g_strdup_printf (
    "POST /owa/demo@owacal.example/service.svc?action=GetCalendarView HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s"
    "GET /owa/DEMO@owacal.example/logo.svg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    strlen (WEEK_BODY), WEEK_BODY);
  const struct {
    const char *request;
    const char *statuses[2];
  } rows[] = {
    /* Two requests in one write: the body of the first must be read by its
     * length, or the second would not parse. */
    { pipelined, { "HTTP/1.1 403 Forbidden", "HTTP/1.1 200 OK" } },
    { "GET /owa/demo@owacal.example/logo.svg HTTP/1.0\r\n\r\n", { "HTTP/1.1 200 OK" } },
    { "HELLO\r\n\r\nGET /owa/demo@owacal.example/logo.svg HTTP/1.1\r\n\r\n", { "HTTP/1.1 400 Bad Request" } },
    { "GET / HTTP/2.0\r\n\r\n", { "HTTP/1.1 505 HTTP Version Not Supported" } },
    { "\r\n\r\n", { "HTTP/1.1 400 Bad Request" } },
    { "POST /owa/demo@owacal.example/service.svc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      { "HTTP/1.1 501 Not Implemented" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      Exchange exchange = { oc_demo_server_get_port (fixture->server), rows[i].request, TRUE,
                            NULL, g_string_new (NULL), NULL };
      g_autoptr (GPtrArray) heads = NULL;
      gsize rest = 0;
      guint n = rows[i].statuses[1] != NULL ? 2 : 1;

      run_in_thread (exchange_job, &exchange);
      g_test_message ("%s", rows[i].request);
      g_assert_no_error (exchange.error);
      /* Every answer is exactly as long as it says, and the server closed. */
      heads = split_answers (exchange.answer, &rest);
      g_assert_cmpuint (rest, ==, 0);
      g_assert_cmpuint (heads->len, ==, n);
      for (guint j = 0; j < n; j++)
        g_assert_true (g_str_has_prefix (heads->pdata[j], rows[i].statuses[j]));
      g_assert_nonnull (strstr (heads->pdata[n - 1], "\r\nConnection: close"));
      exchange_clear (&exchange);
    }
}

static void
test_not_found (Fixture       *fixture,
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
      g_autoptr (Reply) reply = fetch (url);

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
  g_autoptr (GPtrArray) events = parse_events (json);
  GString *pattern = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      GDate date;

      parse_day (event_string (events->pdata[i], "start"), &date);
      g_string_append_printf (pattern, "%d %s %s %s\n", g_date_get_weekday (&date),
                              event_string (events->pdata[i], "start") + 11,
                              event_string (events->pdata[i], "end") + 11,
                              event_string (events->pdata[i], "subject"));
    }
  return g_string_free (pattern, FALSE);
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *first = week_json (fixture, "2026-11-23");
  g_autofree char *again = week_json (fixture, "2026-11-23");
  g_autofree char *next = week_json (fixture, "2026-11-30");
  g_autofree char *far = week_json (fixture, "2031-03-03");
  g_autofree char *first_pattern = week_pattern (first);
  g_autofree char *next_pattern = week_pattern (next);

  g_assert_cmpstr (first, ==, again);
  g_assert_cmpstr (first_pattern, !=, next_pattern);
  assert_week_events (next, "2026-11-30");
  assert_week_events (far, "2031-03-03");
}

static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  guint16 port = oc_demo_server_get_port (fixture->server);
  Exchange exchange = { port, "GET /owa/demo@owacal.example/logo.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                        FALSE, NULL, g_string_new (NULL), NULL };
  g_autoptr (GSocketClient) client = new_socket_client ();
  g_autoptr (GSocketConnection) refused = NULL;
  g_autoptr (GError) error = NULL;
  char buffer[16];

  /* An idle keep-alive connection... */
  run_in_thread (exchange_job, &exchange);
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
  exchange_clear (&exchange);
}

#define ADD_TEST(path, func) \
  g_test_add ("/oc/demo-server/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);

  ADD_TEST ("page", test_page);
  ADD_TEST ("week", test_week);
  ADD_TEST ("assets", test_assets);
  ADD_TEST ("service", test_service);
  ADD_TEST ("canary", test_canary);
  ADD_TEST ("bad-requests", test_bad_requests);
  ADD_TEST ("keep-alive", test_keep_alive);
  ADD_TEST ("raw", test_raw);
  ADD_TEST ("not-found", test_not_found);
  ADD_TEST ("deterministic", test_deterministic);
  ADD_TEST ("stop", test_stop);

  status = g_test_run ();
  curl_global_cleanup ();
  return status;
}
