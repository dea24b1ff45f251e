/* demo-client.c: a client of the demo site (oc-demo-server) for the tests.
 *
 * The server accepts on the main context of the thread that started it, as
 * the app's main loop does. So each client runs in a thread of its own while
 * the test thread iterates the main context: see demo_run_in_thread().
 */
#include "config.h"
#include "demo-client.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  GThreadFunc func;
  gpointer data;
  int done;
} Job;

void
demo_reply_free (DemoReply *reply)
{
  g_free (reply->content_type);
  g_string_free (reply->body, TRUE);
  g_ptr_array_unref (reply->headers);
  g_free (reply);
}

static gpointer
job_thread (gpointer user_data)
{
  Job *job = user_data;

  job->func (job->data);
  g_atomic_int_set (&job->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

void
demo_run_in_thread (GThreadFunc func,
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

const char *
demo_event_string (GVariant   *event,
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
GPtrArray *
demo_parse_events (const char *json)
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
        demo_event_string (event, keys[k]);
      event_all_day (event);
      g_assert_true (g_variant_lookup (event, "attendees", "@av", NULL));
      g_ptr_array_add (result, event);
    }
  return result;
}

/* "2026-11-23" or "2026-11-23T09:15:00" to a day. */
void
demo_parse_day (const char *iso,
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
  DemoReply *reply = user_data;
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

DemoReply *
demo_perform (CURL *curl)
{
  DemoReply *reply = g_new0 (DemoReply, 1);
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

  demo_run_in_thread (perform_job, &transfer);
  g_assert_cmpstr (curl_easy_strerror (transfer.code), ==, curl_easy_strerror (CURLE_OK));
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply->status);
  curl_easy_getinfo (curl, CURLINFO_CONTENT_TYPE, &content_type);
  curl_easy_getinfo (curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &reply->content_length);
  reply->content_type = g_strdup (content_type);
  return reply;
}

/* A handle with the cookie engine on and empty, as the app's client has. */
CURL *
demo_new_handle (const char *url)
{
  CURL *curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_COOKIEFILE, "");
  return curl;
}

DemoReply *
demo_fetch (const char *url)
{
  g_autoptr (CURL) curl = demo_new_handle (url);

  return demo_perform (curl);
}

const char *
demo_reply_header (DemoReply  *reply,
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
char *
demo_stored_canary (CURL *curl)
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
CURL *
demo_open_session (DemoFixture  *fixture,
                   char        **out_canary)
{
  CURL *curl = demo_new_handle (fixture->url);
  g_autoptr (DemoReply) reply = demo_perform (curl);

  g_assert_cmpint (reply->status, ==, 200);
  *out_canary = demo_stored_canary (curl);
  return curl;
}

/* POSTs a GetCalendarView; @canary NULL sends no X-OWA-CANARY header. */
DemoReply *
demo_post_view (DemoFixture *fixture,
                CURL        *curl,
                const char  *canary,
                const char  *body,
                const char  *extra_header)
{
  g_autofree char *url = g_strconcat (fixture->base, "service.svc?action=GetCalendarView", NULL);
  g_autofree char *header = g_strdup_printf ("X-OWA-CANARY: %s", canary);
  g_autoptr (OcCurlSlist) headers = curl_slist_append (NULL, "Content-Type: application/json");
  DemoReply *reply;

  if (canary != NULL)
    headers = curl_slist_append (headers, header);
  if (extra_header != NULL)
    headers = curl_slist_append (headers, extra_header);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  reply = demo_perform (curl);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
  return reply;
}

char *
demo_week_json (DemoFixture *fixture,
                const char  *monday)
{
  g_autofree char *canary = NULL;
  g_autoptr (CURL) curl = demo_open_session (fixture, &canary);
  g_autofree char *body = g_strdup_printf ("{\"start\": \"%s\", \"days\": 7}", monday);
  g_autoptr (DemoReply) reply = demo_post_view (fixture, curl, canary, body, NULL);

  g_assert_cmpint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "application/json; charset=utf-8");
  g_assert_cmpint (reply->content_length, ==, reply->body->len);
  return g_strdup (reply->body->str);
}

/* Raw sockets, for what curl would hide */

/* Splits @raw into answers by their Content-Length and returns their heads;
 * @out_rest gets the bytes after the last whole answer. */
GPtrArray *
demo_split_answers (const GString *raw,
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

GSocketClient *
demo_new_socket_client (void)
{
  GSocketClient *client = g_socket_client_new ();

  /* No proxy lookup: it reads GSettings, which isolated tests lack. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 10);
  return client;
}

gpointer
demo_exchange_job (gpointer data)
{
  DemoExchange *exchange = data;
  g_autoptr (GSocketClient) client = demo_new_socket_client ();
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
      heads = demo_split_answers (exchange->answer, &rest);
      if (!exchange->until_closed && heads->len == 1 && rest == 0)
        break;
    }
  return NULL;
}

void
demo_exchange_clear (DemoExchange *exchange)
{
  g_clear_object (&exchange->connection);
  g_string_free (exchange->answer, TRUE);
  g_clear_error (&exchange->error);
}

/* The fixture */

void
demo_fixture_set_up (DemoFixture   *fixture,
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

void
demo_fixture_tear_down (DemoFixture   *fixture,
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

/* What every generated week holds */

static guint
count_subject (GPtrArray  *events,
               const char *subject)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    n += g_str_equal (demo_event_string (events->pdata[i], "subject"), subject);
  return n;
}

static gboolean
is_overlapping_pair (GVariant *a,
                     GVariant *b)
{
  return !event_all_day (a) && !event_all_day (b)
         && strncmp (demo_event_string (a, "start"), demo_event_string (b, "start"), 10) == 0
         && strcmp (demo_event_string (a, "start"), demo_event_string (b, "end")) < 0
         && strcmp (demo_event_string (b, "start"), demo_event_string (a, "end")) < 0;
}

/* Checks what every generated week must hold; @monday_text is "YYYY-MM-DD". */
void
demo_assert_week_events (const char *json,
                         const char *monday_text)
{
  static const char * const show_as[] = { "Busy", "Tentative", "OOF", "Free" };
  g_autoptr (GPtrArray) events = demo_parse_events (json);
  guint standup_days = 0, shown_as = 0, n_all_day = 0, n_customer = 0, n_overlaps = 0;
  GDate monday;

  demo_parse_day (monday_text, &monday);
  for (guint i = 0; i < events->len; i++)
    {
      GVariant *event = events->pdata[i];
      const char *subject = demo_event_string (event, "subject");
      const char *start = demo_event_string (event, "start");
      const char *end = demo_event_string (event, "end");
      GDate first, last;

      demo_parse_day (start, &first);
      demo_parse_day (end, &last);
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00$", start, 0, 0));
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00$", end, 0, 0));
      g_assert_cmpstr (start, <, end);
      /* Every event touches the week asked for. */
      g_assert_cmpint (g_date_days_between (&monday, &first), <, 7);
      g_assert_cmpint (g_date_days_between (&monday, &last), >=, 0);
      for (guint k = 0; k < G_N_ELEMENTS (show_as); k++)
        shown_as |= g_str_equal (demo_event_string (event, "freeBusy"), show_as[k]) << k;

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
          g_assert_cmpstr (demo_event_string (event, "freeBusy"), ==, "Busy");
          g_assert_cmpstr (demo_event_string (event, "location"), ==, "");
          g_assert_cmpstr (demo_event_string (event, "body"), ==, "");
          g_assert_cmpstr (demo_event_string (event, "sensitivity"), ==, "Private");
        }
      if (g_str_has_prefix (subject, "Customer call: "))
        {
          g_assert_true (g_regex_match_simple ("^Room \\w+ \\(\\d(st|nd|rd|th) floor\\)$",
                                               demo_event_string (event, "location"), 0, 0));
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


/* g_test_run() with libcurl set up around it. */
int
demo_run_tests (void)
{
  int status;

  curl_global_init (CURL_GLOBAL_DEFAULT);
  status = g_test_run ();
  curl_global_cleanup ();
  return status;
}
