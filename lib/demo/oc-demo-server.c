/* oc-demo-server.c: the built-in demo calendar, served over loopback HTTP.
 *
 * `owacal --demo` must behave like Outlook Web Access with no Exchange
 * anywhere, reached the way a real one is: through libcurl, over TCP, with
 * cookies, a canary header and keep-alive connections. So this is a small
 * HTTP/1.1 server on 127.0.0.1 inside the owacal process, serving the
 * Exchange 2010 SP1+ "web part" URL of a made-up mailbox, the page's files
 * (data/demo/, compiled in) and a GetCalendarView service (oc-demo-calendar.c).
 *
 * A GThreadedSocketService accepts on the main context of the caller of
 * oc_demo_server_start() and gives each connection a worker thread doing
 * blocking I/O, so the app's main loop, which also drives the curl client
 * that talks to us, never waits for a request. Workers touch no OcDemoServer
 * field, as the service lives on (and with it the "run" closure) until its
 * last job returns: they share the GCancellable that closure owns, and the
 * canary key, fixed in class_init.
 */
#include "config.h"
#include "oc-demo-server.h"

#include "oc-demo-calendar.h"
#include "oc-demo-resources.h"

#include <string.h>

#define MAILBOX              "demo@owacal.example"
#define RESOURCE_DIR         "/io/github/owacal/demo/"
#define MAX_HEAD_BYTES       (16 * 1024)
#define MAX_BODY_BYTES       (1024 * 1024)
#define MAX_REQUESTS         100          /* per connection, like Apache's default */
#define IDLE_TIMEOUT_SECONDS 20

/* Errors met while reading a request carry the HTTP status to answer. */
#define HTTP_STATUS_ERROR (http_status_error_quark ())
static G_DEFINE_QUARK (oc-demo-http-status-error-quark, http_status_error)

typedef struct {
  char *method;
  char *path;                   /* percent-decoded */
  char *query;                  /* as sent; NULL when absent */
  gboolean http_1_0;
  GHashTable *headers;          /* lower-case name → value */
  GBytes *body;                 /* NULL without Content-Length */
} Request;

typedef struct {
  guint status;
  const char *content_type;
  const char *cache_control;
  GBytes *body;
  GString *headers;             /* more header lines, each ending in CRLF */
} Response;

struct _OcDemoServer {
  GObject parent_instance;

  GSocketService *service;
  GCancellable *cancellable;    /* cancelled by stop(); wakes idle keep-alive reads */
  guint16 port;
};

G_DEFINE_FINAL_TYPE (OcDemoServer, oc_demo_server, G_TYPE_OBJECT)

static guchar canary_key[32];   /* made in class_init, read-only afterwards */

/* What a browser may fetch; the page and 404 templates are served filled in. */
static const struct {
  const char *name;
  const char *content_type;
} assets[] = {
  { "calendar.css", "text/css; charset=utf-8" },
  { "calendar.js", "text/javascript; charset=utf-8" },
  { "logo.svg", "image/svg+xml" },
};

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, g_hash_table_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_string_free (g_steal_pointer (&response->headers), TRUE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

/* Exchange derives its canary from the logon session and a key of the
 * server, so it can check one without remembering it. So do we, with an
 * HMAC: no table of sessions, no lock. */
static char *
canary_for_session (const char *session)
{
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, canary_key, sizeof canary_key,
                                                     session, -1);

  return g_strndup (hmac, 32);
}

static GBytes *
lookup_resource (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_DIR, name, NULL);
  /* Calling the generated getter, not relying on its constructor, keeps the
   * linker from dropping the bundle out of the static library. Every name
   * asked for is compiled in, and GResource data always ends with a NUL. */
  GBytes *bytes = g_resource_lookup_data (oc_demo_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);
  return bytes;
}

static char *
request_get_cookie (const Request *request,
                    const char    *name)
{
  const char *header = g_hash_table_lookup (request->headers, "cookie");
  g_auto (GStrv) pairs = NULL;
  gsize name_length = strlen (name);

  if (header == NULL)
    return NULL;
  pairs = g_strsplit (header, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *pair = g_strstrip (pairs[i]);

      if (strncmp (pair, name, name_length) == 0 && pair[name_length] == '=')
        return g_strdup (pair + name_length + 1);
    }
  return NULL;
}

static GHashTable *
parse_query (const char *query)
{
  /* OWA 2003 spelled it Cmd=contents&View=Weekly; names match in any case. */
  GHashTable *params = g_uri_parse_params (query != NULL ? query : "", -1, "&",
                                           G_URI_PARAMS_CASE_INSENSITIVE | G_URI_PARAMS_WWW_FORM, NULL);

  return params != NULL ? params : g_hash_table_new (g_str_hash, g_str_equal);
}

/* Reading and writing HTTP */

/* Fails a read with the HTTP status to answer. */
static gboolean
fail (GError     **error,
      guint        status,
      const char  *message)
{
  g_set_error_literal (error, HTTP_STATUS_ERROR, status, message);
  return FALSE;
}

/* Reads up to the blank line that ends the headers, never more than
 * MAX_HEAD_BYTES, and returns the head without it. Lines end in CRLF: curl
 * and WebKit, the only clients, never send a bare LF. Returns NULL without
 * an error when the peer closed the connection between requests, which is
 * how keep-alive connections normally end. */
static char *
read_head (GBufferedInputStream  *in,
           GCancellable          *cancellable,
           GError               **error)
{
  for (;;)
    {
      gsize available = 0;
      const char *buffer = g_buffered_input_stream_peek_buffer (in, &available);
      const char *end = g_strstr_len (buffer, available, "\r\n\r\n");
      gssize n_read;

      if (end != NULL)
        {
          char *head = g_strndup (buffer, end - buffer);

          /* The bytes are buffered already, so this cannot block. */
          g_input_stream_skip (G_INPUT_STREAM (in), end + 4 - buffer, NULL, NULL);
          return head;
        }
      /* A full buffer would make fill() read nothing and look like EOF. A
       * NUL byte, which ends the search above, gets here too. */
      if (available >= MAX_HEAD_BYTES)
        {
          g_set_error (error, HTTP_STATUS_ERROR, 431, "Request head longer than %d bytes", MAX_HEAD_BYTES);
          return NULL;
        }
      n_read = g_buffered_input_stream_fill (in, -1, cancellable, error);
      if (n_read == 0 && available > 0)
        g_set_error_literal (error, HTTP_STATUS_ERROR, 400, "Connection closed inside a request head");
      if (n_read <= 0)
        return NULL;
    }
}

static gboolean
parse_header_line (Request  *request,
                   char     *line,
                   GError  **error)
{
  char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  const char *previous;

  /* A name is a token, which also refuses obsolete line folding. */
  for (const char *p = line; colon != NULL && p < colon; p++)
    if (!g_ascii_isgraph (*p))
      colon = NULL;
  if (colon == NULL || colon == line || strpbrk (line, "\r\n") != NULL)
    return fail (error, 400, "Malformed header line");

  name = g_ascii_strdown (line, colon - line);
  value = g_strstrip (g_strdup (colon + 1));
  previous = g_hash_table_lookup (request->headers, name);
  if (previous != NULL)
    {
      /* Repeated fields join with commas, but Cookie pairs with "; ". */
      char *joined = g_strjoin (g_str_equal (name, "cookie") ? "; " : ", ", previous, value, NULL);

      g_free (value);
      value = joined;
    }
  g_hash_table_replace (request->headers, g_steal_pointer (&name), g_steal_pointer (&value));
  return TRUE;
}

static gboolean
parse_head (Request     *request,
            const char  *head,
            GError     **error)
{
  g_auto (GStrv) lines = g_strsplit (head, "\r\n", -1);
  g_auto (GStrv) parts = g_strsplit (lines[0] != NULL ? lines[0] : "", " ", -1);   /* head may be "" */
  const char *query;

  request->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (g_strv_length (parts) != 3 || parts[0][0] == '\0' || parts[1][0] != '/')
    return fail (error, 400, "Malformed request line");
  request->http_1_0 = g_str_equal (parts[2], "HTTP/1.0");
  if (!request->http_1_0 && !g_str_equal (parts[2], "HTTP/1.1"))
    return fail (error, g_str_has_prefix (parts[2], "HTTP/") ? 505 : 400,
                 "Only HTTP/1.0 and 1.1 are spoken here");

  request->method = g_strdup (parts[0]);
  query = strchr (parts[1], '?');
  request->query = query != NULL ? g_strdup (query + 1) : NULL;
  request->path = g_uri_unescape_segment (parts[1], query, "/");
  if (request->path == NULL)
    return fail (error, 400, "Malformed escape in the path");

  for (guint i = 1; lines[i] != NULL; i++)
    if (!parse_header_line (request, lines[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
read_body (GBufferedInputStream  *in,
           GOutputStream         *out,
           Request               *request,
           GCancellable          *cancellable,
           GError               **error)
{
  const char *length_text = g_hash_table_lookup (request->headers, "content-length");
  const char *expect = g_hash_table_lookup (request->headers, "expect");
  g_autofree char *data = NULL;
  guint64 length = 0;
  gsize n_read = 0;

  /* curl sends a chunked body only when told to, and nothing here does. */
  if (g_hash_table_contains (request->headers, "transfer-encoding"))
    return fail (error, 501, "Request bodies need a Content-Length");
  if (length_text == NULL)
    return TRUE;
  /* This also refuses "7, 7" from a repeated header, as RFC 9112 allows. */
  if (!g_ascii_string_to_unsigned (length_text, 10, 0, G_MAXUINT64, &length, NULL))
    return fail (error, 400, "Malformed Content-Length");
  if (length > MAX_BODY_BYTES)
    return fail (error, 413, "Request bodies stop at 1 MiB");

  /* A client that asks waits (curl: one second) before sending the body. */
  if (expect != NULL && g_ascii_strcasecmp (expect, "100-continue") == 0 && length > 0
      && !request->http_1_0
      && !g_output_stream_write_all (out, "HTTP/1.1 100 Continue\r\n\r\n", 25, NULL, cancellable, error))
    return FALSE;

  data = g_malloc (length);
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), data, length, &n_read, cancellable, error))
    return FALSE;
  if (n_read < length)
    return fail (error, 400, "Connection closed inside a request body");
  request->body = g_bytes_new_take (g_steal_pointer (&data), length);
  return TRUE;
}

/* Connection holds a list of options, in any case. */
static gboolean
has_connection_option (const Request *request,
                       const char    *option)
{
  const char *connection = g_hash_table_lookup (request->headers, "connection");
  g_autofree char *pattern = g_strdup_printf ("(^|,)\\s*%s\\s*(,|$)", option);

  return connection != NULL && g_regex_match_simple (pattern, connection, G_REGEX_CASELESS, 0);
}

static gboolean
wants_keep_alive (const Request *request)
{
  if (has_connection_option (request, "close"))
    return FALSE;
  return !request->http_1_0 || has_connection_option (request, "keep-alive");
}

static const char *
status_reason (guint status)
{
  static const struct { guint status; const char *reason; } reasons[] = {
    { 200, "OK" }, { 400, "Bad Request" }, { 403, "Forbidden" }, { 404, "Not Found" },
    { 405, "Method Not Allowed" }, { 413, "Content Too Large" },
    { 431, "Request Header Fields Too Large" }, { 501, "Not Implemented" },
    { 505, "HTTP Version Not Supported" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (reasons[i].status == status)
      return reasons[i].reason;
  return "Internal Server Error";
}

static char *
format_http_date (void)
{
  /* HTTP wants English names, whatever the locale of the process. */
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *numbers = g_date_time_format (now, "%Y %H:%M:%S GMT");

  return g_strdup_printf ("%s, %02d %s %s", days[g_date_time_get_day_of_week (now) - 1],
                          g_date_time_get_day_of_month (now), months[g_date_time_get_month (now) - 1], numbers);
}

static gboolean
write_response (GOutputStream  *out,
                const Request  *request,
                const Response *response,
                gboolean        keep_alive,
                guint           requests_left,
                GCancellable   *cancellable)
{
  g_autoptr (GString) head = g_string_new (NULL);
  g_autofree char *date = format_http_date ();
  gsize length = response->body != NULL ? g_bytes_get_size (response->body) : 0;
  gboolean with_body = length > 0 && (request == NULL || !g_str_equal (request->method, "HEAD"));
  GOutputVector vectors[2];

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\nDate: %s\r\nServer: owacal-demo\r\n",
                          response->status, status_reason (response->status), date);
  g_string_append_printf (head, "Content-Type: %s\r\n", response->content_type);
  /* A HEAD answer announces the length that the GET answer has. */
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", length);
  g_string_append (head, "X-Content-Type-Options: nosniff\r\n");
  if (keep_alive)
    g_string_append_printf (head, "Connection: keep-alive\r\nKeep-Alive: timeout=%d, max=%u\r\n",
                            IDLE_TIMEOUT_SECONDS, requests_left);
  else
    g_string_append (head, "Connection: close\r\n");
  if (response->cache_control != NULL)
    g_string_append_printf (head, "Cache-Control: %s\r\n", response->cache_control);
  g_string_append_printf (head, "%s\r\n", response->headers->str);

  vectors[0] = (GOutputVector) { head->str, head->len };
  if (with_body)
    vectors[1] = (GOutputVector) { g_bytes_get_data (response->body, NULL), length };
  return g_output_stream_writev_all (out, vectors, with_body ? 2 : 1, NULL, cancellable, NULL);
}

/* Answers */

static void
response_set (Response   *response,
              guint       status,
              const char *content_type,
              GBytes     *body)
{
  response->status = status;
  response->content_type = content_type;
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = body;
}

static void
set_text_response (Response   *response,
                   guint       status,
                   const char *message)
{
  char *text = g_strdup_printf ("%u %s: %s\n", status, status_reason (status), message);

  response_set (response, status, "text/plain; charset=utf-8", g_bytes_new_take (text, strlen (text)));
}

/* @code and @message are literals without quotes or backslashes. */
static void
set_json_error (Response   *response,
                guint       status,
                const char *code,
                const char *message)
{
  char *json = g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, message);

  response_set (response, status, "application/json; charset=utf-8", g_bytes_new_take (json, strlen (json)));
  response->cache_control = "no-store";
}

static gboolean
allow_methods (const Request *request,
               Response      *response,
               gboolean       post_only)
{
  if (post_only ? g_str_equal (request->method, "POST")
                : g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD"))
    return TRUE;
  set_text_response (response, 405, "Method not allowed here");
  g_string_append_printf (response->headers, "Allow: %s\r\n", post_only ? "POST" : "GET, HEAD");
  return FALSE;
}

static void
serve_not_found (const Request *request,
                 Response      *response)
{
  g_autoptr (GBytes) template = lookup_resource ("not-found.html");
  g_autofree char *path = g_markup_escape_text (request->path, -1);
  GString *page = g_string_new (g_bytes_get_data (template, NULL));

  g_string_replace (page, "@PATH@", path, 0);
  response_set (response, 404, "text/html; charset=utf-8", g_string_free_to_bytes (page));
  response->cache_control = "no-store";
}

static void
serve_asset (const Request *request,
             const char    *name,
             Response      *response)
{
  for (guint i = 0; i < G_N_ELEMENTS (assets); i++)
    {
      if (!g_str_equal (name, assets[i].name))
        continue;
      if (!allow_methods (request, response, FALSE))
        return;
      response_set (response, 200, assets[i].content_type, lookup_resource (name));
      /* Compiled into the program: it cannot change while we run. */
      response->cache_control = "public, max-age=3600";
      return;
    }
  serve_not_found (request, response);
}

static void
serve_calendar_page (const Request *request,
                     Response      *response)
{
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GBytes) template = NULL;
  g_autofree char *session = NULL;
  g_autofree char *canary = NULL;
  GBytes *page;

  if (!allow_methods (request, response, FALSE))
    return;
  params = parse_query (request->query);
  template = lookup_resource ("calendar.html");
  page = oc_demo_calendar_render_page (g_bytes_get_data (template, NULL), params);
  if (page == NULL)
    {
      serve_not_found (request, response);
      return;
    }
  response_set (response, 200, "text/html; charset=utf-8", page);
  response->cache_control = "no-store";

  /* A page load inside a session keeps it, and so its canary. The value
   * goes back out in a header, hence the check. OWA's scripts read the
   * canary from document.cookie, so that cookie cannot be HttpOnly. */
  session = request_get_cookie (request, "owa-session");
  if (session != NULL && !g_uuid_string_is_valid (session))
    g_clear_pointer (&session, g_free);
  if (session == NULL)
    session = g_uuid_string_random ();
  canary = canary_for_session (session);
  g_string_append_printf (response->headers, "Set-Cookie: X-OWA-CANARY=%s; path=/\r\n", canary);
  g_string_append_printf (response->headers, "Set-Cookie: owa-session=%s; path=/; HttpOnly\r\n", session);
}

static void
serve_service (const Request *request,
               Response      *response)
{
  g_autoptr (GHashTable) params = NULL;
  g_autofree char *session = NULL;
  g_autofree char *cookie_canary = NULL;
  g_autofree char *expected = NULL;
  GBytes *json;
  const char *action;

  if (!allow_methods (request, response, TRUE))
    return;

  /* The canary proves that the caller could read this site's cookies, which
   * a form posted from another site cannot: the header and the cookie must
   * both be the session's canary. */
  session = request_get_cookie (request, "owa-session");
  cookie_canary = request_get_cookie (request, "X-OWA-CANARY");
  expected = session != NULL ? canary_for_session (session) : NULL;
  if (expected == NULL || g_strcmp0 (cookie_canary, expected) != 0
      || g_strcmp0 (g_hash_table_lookup (request->headers, "x-owa-canary"), expected) != 0)
    {
      set_json_error (response, 403, "ErrorInvalidCanary",
                      "The X-OWA-CANARY header does not match the canary cookie of this session.");
      return;
    }

  /* OWA names the action both in the query and in an Action header. */
  params = parse_query (request->query);
  action = g_hash_table_lookup (params, "action");
  if (action == NULL)
    action = g_hash_table_lookup (request->headers, "action");
  if (g_strcmp0 (action, "GetCalendarView") != 0)
    {
      set_json_error (response, 400, "ErrorInvalidRequest", "Only GetCalendarView is implemented.");
      return;
    }
  json = oc_demo_calendar_answer_view_request (request->body);
  if (json == NULL)
    {
      set_json_error (response, 400, "ErrorInvalidRequest",
                      "The body needs a start (YYYY-MM-DD) and may give days (1 to 42).");
      return;
    }
  response_set (response, 200, "application/json; charset=utf-8", json);
  response->cache_control = "no-store";
}

static void
handle_request (const Request *request,
                Response      *response)
{
  static const char prefix[] = "/owa/" MAILBOX "/";
  const char *rest = NULL;

  if (g_ascii_strncasecmp (request->path, prefix, sizeof prefix - 1) == 0)
    rest = request->path + sizeof prefix - 1;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD")
      && !g_str_equal (request->method, "POST"))
    set_text_response (response, 501, "Only GET, HEAD and POST are implemented");
  /* Exchange matches SMTP addresses without regard to case. */
  else if (rest == NULL)
    serve_not_found (request, response);
  else if (*rest == '\0')
    serve_calendar_page (request, response);
  else if (g_str_equal (rest, "service.svc"))
    serve_service (request, response);
  else
    serve_asset (request, rest, response);
}

/* Reads one request and answers it. Returns whether the connection stays
 * open for another one. */
static gboolean
serve_one (GBufferedInputStream *in,
           GOutputStream        *out,
           guint                 requests_left,
           GCancellable         *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *head = NULL;
  g_autoptr (Request) request = NULL;
  g_auto (Response) response = { .headers = g_string_new (NULL) };
  gboolean keep_alive;

  head = read_head (in, cancellable, &error);
  if (head != NULL)
    {
      request = g_new0 (Request, 1);
      if (!parse_head (request, head, &error) || !read_body (in, out, request, cancellable, &error))
        g_clear_pointer (&request, request_free);
    }

  if (request == NULL)
    {
      /* After a malformed request nothing that follows can be trusted to
       * start a new one: answer its status and close. A timeout, a reset or
       * stop() ends the connection without a word. */
      if (error != NULL && error->domain == HTTP_STATUS_ERROR)
        {
          set_text_response (&response, error->code, error->message);
          write_response (out, NULL, &response, FALSE, 0, cancellable);
        }
      return FALSE;
    }

  keep_alive = requests_left > 0 && wants_keep_alive (request);
  handle_request (request, &response);
  return write_response (out, request, &response, keep_alive, requests_left, cancellable) && keep_alive;
}

/* Callbacks */

/* Runs in a worker thread, once for each connection. */
static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  GCancellable *cancellable = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr (GInputStream) in = NULL;

  in = g_buffered_input_stream_new_sized (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                          MAX_HEAD_BYTES);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);

  /* An idle keep-alive connection holds a thread, so it ends after a while
   * (IIS waits two minutes). curl notices and opens a new one. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), IDLE_TIMEOUT_SECONDS);

  for (guint served = 0; served < MAX_REQUESTS; served++)
    if (!serve_one (G_BUFFERED_INPUT_STREAM (in), out, MAX_REQUESTS - served - 1, cancellable))
      break;

  /* The peer sees the connection close: there is nobody else to tell. */
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
run_closure_notify_cb (gpointer  data,
                       GClosure *closure)
{
  g_object_unref (data);
}

/* Overrides */

static void
oc_demo_server_dispose (GObject *object)
{
  oc_demo_server_stop (OC_DEMO_SERVER (object));

  G_OBJECT_CLASS (oc_demo_server_parent_class)->dispose (object);
}

static void
oc_demo_server_class_init (OcDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oc_demo_server_dispose;

  for (gsize i = 0; i < sizeof canary_key; i++)
    canary_key[i] = g_random_int_range (0, 256);
}

static void
oc_demo_server_init (OcDemoServer *self)
{
}

/* Public API */

/**
 * oc_demo_server_new:
 *
 * Creates the demo server, not yet listening. Use it from one thread.
 *
 * Returns: (transfer full): a new #OcDemoServer
 */
OcDemoServer *
oc_demo_server_new (void)
{
  return g_object_new (OC_TYPE_DEMO_SERVER, NULL);
}

/**
 * oc_demo_server_start:
 * @self: an #OcDemoServer that is not running
 * @error: return location for a #GError
 *
 * Starts listening on a free TCP port of 127.0.0.1. Connections are accepted
 * on the thread-default main context of the caller, which must keep running
 * for clients to get in; requests are answered in worker threads.
 *
 * Returns: %TRUE on success, %FALSE with @error set (from GIO) otherwise
 */
gboolean
oc_demo_server_start (OcDemoServer  *self,
                      GError       **error)
{
  g_autoptr (GSocketService) service = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  g_return_val_if_fail (OC_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* No limit on threads: each idle keep-alive connection holds one, and a
   * limit would make new connections wait for old ones to time out. The
   * handler goes in first, since adding an address starts accepting. */
  service = g_threaded_socket_service_new (-1);
  g_signal_connect_data (service, "run", G_CALLBACK (run_cb),
                         g_object_ref (cancellable), run_closure_notify_cb, 0);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, error))
    {
      g_prefix_error (error, "Starting the demo server on 127.0.0.1: ");
      return FALSE;
    }

  g_socket_service_start (service);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->service = g_steal_pointer (&service);
  self->cancellable = g_steal_pointer (&cancellable);
  return TRUE;
}

/**
 * oc_demo_server_stop:
 * @self: an #OcDemoServer
 *
 * Stops listening and ends the open connections: requests being answered
 * fail, idle keep-alive connections close. Does nothing when not running.
 */
void
oc_demo_server_stop (OcDemoServer *self)
{
  g_return_if_fail (OC_IS_DEMO_SERVER (self));

  if (self->service == NULL)
    return;
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);
  self->port = 0;
}

/**
 * oc_demo_server_get_port:
 * @self: an #OcDemoServer
 *
 * Returns: the TCP port on 127.0.0.1, or 0 when not running
 */
guint16
oc_demo_server_get_port (OcDemoServer *self)
{
  g_return_val_if_fail (OC_IS_DEMO_SERVER (self), 0);

  return self->port;
}

/**
 * oc_demo_server_get_calendar_url:
 * @self: an #OcDemoServer
 *
 * Builds the URL of Dana Demo's week, shaped like the Exchange 2010 SP1+ web
 * part: `http://127.0.0.1:PORT/owa/demo@owacal.example/?cmd=contents&module=calendar&view=weekly`.
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL when not running
 */
char *
oc_demo_server_get_calendar_url (OcDemoServer *self)
{
  g_return_val_if_fail (OC_IS_DEMO_SERVER (self), NULL);

  if (self->service == NULL)
    return NULL;
  return g_strdup_printf ("http://127.0.0.1:%u/owa/" MAILBOX "/?cmd=contents&module=calendar&view=weekly",
                          self->port);
}
