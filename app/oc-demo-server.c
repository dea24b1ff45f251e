/* oc-demo-server.c: the built-in demo calendar, served over loopback HTTP.
 *
 * `owacal --demo` must behave like Outlook Web Access with no Exchange
 * anywhere, reached the way a real one is: through libcurl and WebKit, over
 * TCP, with cookies, a canary header and keep-alive connections. So this is
 * libsoup's SoupServer on 127.0.0.1 inside the owacal process, serving the
 * Exchange 2010 SP1+ "web part" URL of a made-up mailbox, the page's files
 * (data/demo/, compiled into lib/) and a GetCalendarView service; what the
 * pages and the service say is lib/oc-demo-calendar.c's.
 *
 * It lives in app/ because lib/ does not use libsoup (WebKitGTK links it
 * anyway). SoupServer reads and answers on the main context of the caller of
 * oc_demo_server_start(). Every answer is made at once from memory, and the
 * clients are curl, driven by the same main loop without ever blocking it,
 * and WebKit's network process, so nobody waits for anybody.
 */
#include "config.h"
#include "oc-demo-server.h"

#include "oc-demo-calendar.h"
#include "oc-demo-resources.h"

#include <string.h>
#include <libsoup/soup.h>

#define MAILBOX        "demo@owacal.example"
#define RESOURCE_DIR   "/io/github/owacal/demo/"
#define MAX_BODY_BYTES (1024 * 1024)

struct _OcDemoServer {
  GObject parent_instance;

  SoupServer *server;
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

/* Exchange derives its canary from the logon session and a key of the
 * server, so it can check one without remembering it. So do we, with an
 * HMAC: no table of sessions. */
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

/* The first value of cookie @name in the request's Cookie fields, or NULL. */
static char *
get_cookie (SoupServerMessage *msg,
            const char        *name)
{
  SoupMessageHeadersIter iter;
  const char *field, *value;

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &field, &value))
    {
      g_autoptr (GHashTable) pairs = NULL;
      const char *cookie;

      if (g_ascii_strcasecmp (field, "Cookie") != 0)
        continue;
      pairs = soup_header_parse_semi_param_list (value);
      cookie = g_hash_table_lookup (pairs, name);
      if (cookie != NULL)
        return g_strdup (cookie);
    }
  return NULL;
}

static GHashTable *
parse_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  /* OWA 2003 spelled it Cmd=contents&View=Weekly; names match in any case. */
  GHashTable *params = g_uri_parse_params (query != NULL ? query : "", -1, "&",
                                           G_URI_PARAMS_CASE_INSENSITIVE | G_URI_PARAMS_WWW_FORM, NULL);

  return params != NULL ? params : g_hash_table_new (g_str_hash, g_str_equal);
}

/* Answers */

/* Takes @body. */
static void
set_response (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              GBytes            *body)
{
  SoupMessageBody *response_body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Type", content_type);
  soup_message_body_truncate (response_body);
  soup_message_body_append_bytes (response_body, body);
  g_bytes_unref (body);
}

static void
set_cache_control (SoupServerMessage *msg,
                   const char        *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", value);
}

static void
set_text_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *message)
{
  char *text = g_strdup_printf ("%u %s: %s\n", status, soup_status_get_phrase (status), message);

  set_response (msg, status, "text/plain; charset=utf-8", g_bytes_new_take (text, strlen (text)));
}

/* @code and @message are literals without quotes or backslashes. */
static void
set_json_error (SoupServerMessage *msg,
                guint              status,
                const char        *code,
                const char        *message)
{
  char *json = g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, message);

  set_response (msg, status, "application/json; charset=utf-8", g_bytes_new_take (json, strlen (json)));
  set_cache_control (msg, "no-store");
}

static gboolean
allow_methods (SoupServerMessage *msg,
               gboolean           post_only)
{
  const char *method = soup_server_message_get_method (msg);

  /* libsoup interns method names. */
  if (post_only ? method == SOUP_METHOD_POST : method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    return TRUE;
  set_text_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed here");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                post_only ? "POST" : "GET, HEAD");
  return FALSE;
}

static void
serve_not_found (SoupServerMessage *msg,
                 const char        *path)
{
  g_autoptr (GBytes) template = lookup_resource ("not-found.html");
  g_autofree char *escaped = g_markup_escape_text (path, -1);
  GString *page = g_string_new (g_bytes_get_data (template, NULL));

  g_string_replace (page, "@PATH@", escaped, 0);
  set_response (msg, SOUP_STATUS_NOT_FOUND, "text/html; charset=utf-8", g_string_free_to_bytes (page));
  set_cache_control (msg, "no-store");
}

static void
serve_asset (SoupServerMessage *msg,
             const char        *path,
             const char        *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (assets); i++)
    {
      if (!g_str_equal (name, assets[i].name))
        continue;
      if (!allow_methods (msg, FALSE))
        return;
      set_response (msg, SOUP_STATUS_OK, assets[i].content_type, lookup_resource (name));
      /* Compiled into the program: it cannot change while we run. */
      set_cache_control (msg, "public, max-age=3600");
      return;
    }
  serve_not_found (msg, path);
}

static void
serve_calendar_page (SoupServerMessage *msg,
                     const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GBytes) template = NULL;
  g_autofree char *session = NULL;
  g_autofree char *canary = NULL;
  g_autofree char *canary_cookie = NULL;
  g_autofree char *session_cookie = NULL;
  GBytes *page;

  if (!allow_methods (msg, FALSE))
    return;
  params = parse_query (msg);
  template = lookup_resource ("calendar.html");
  page = oc_demo_calendar_render_page (g_bytes_get_data (template, NULL), params);
  if (page == NULL)
    {
      serve_not_found (msg, path);
      return;
    }
  set_response (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
  set_cache_control (msg, "no-store");

  /* A page load inside a session keeps it, and so its canary. The value
   * goes back out in a header, hence the check. OWA's scripts read the
   * canary from document.cookie, so that cookie cannot be HttpOnly. */
  session = get_cookie (msg, "owa-session");
  if (session != NULL && !g_uuid_string_is_valid (session))
    g_clear_pointer (&session, g_free);
  if (session == NULL)
    session = g_uuid_string_random ();
  canary = canary_for_session (session);
  canary_cookie = g_strdup_printf ("X-OWA-CANARY=%s; path=/", canary);
  session_cookie = g_strdup_printf ("owa-session=%s; path=/; HttpOnly", session);
  soup_message_headers_append (headers, "Set-Cookie", canary_cookie);
  soup_message_headers_append (headers, "Set-Cookie", session_cookie);
}

static void
serve_service (SoupServerMessage *msg)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *session = NULL;
  g_autofree char *cookie_canary = NULL;
  g_autofree char *expected = NULL;
  GBytes *json;
  const char *action;

  if (!allow_methods (msg, TRUE))
    return;

  /* The canary proves that the caller could read this site's cookies, which
   * a form posted from another site cannot: the header and the cookie must
   * both be the session's canary. */
  session = get_cookie (msg, "owa-session");
  cookie_canary = get_cookie (msg, "X-OWA-CANARY");
  expected = session != NULL ? canary_for_session (session) : NULL;
  if (expected == NULL || g_strcmp0 (cookie_canary, expected) != 0
      || g_strcmp0 (soup_message_headers_get_one (request_headers, "X-OWA-CANARY"), expected) != 0)
    {
      set_json_error (msg, SOUP_STATUS_FORBIDDEN, "ErrorInvalidCanary",
                      "The X-OWA-CANARY header does not match the canary cookie of this session.");
      return;
    }

  /* OWA names the action both in the query and in an Action header. */
  params = parse_query (msg);
  action = g_hash_table_lookup (params, "action");
  if (action == NULL)
    action = soup_message_headers_get_one (request_headers, "Action");
  if (g_strcmp0 (action, "GetCalendarView") != 0)
    {
      set_json_error (msg, SOUP_STATUS_BAD_REQUEST, "ErrorInvalidRequest", "Only GetCalendarView is implemented.");
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  json = oc_demo_calendar_answer_view_request (body);
  if (json == NULL)
    {
      set_json_error (msg, SOUP_STATUS_BAD_REQUEST, "ErrorInvalidRequest",
                      "The body needs a start (YYYY-MM-DD) and may give days (1 to 42).");
      return;
    }
  set_response (msg, SOUP_STATUS_OK, "application/json; charset=utf-8", json);
  set_cache_control (msg, "no-store");
}

/* SoupServer keeps a connection open unless the client asked it to close
 * (HTTP/1.1), or did not ask to keep it (HTTP/1.0), but does not say so;
 * clients and their logs read it in the answer. */
static void
say_connection (SoupServerMessage *msg)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  gboolean keep_alive;

  if (soup_message_headers_header_contains (request_headers, "Connection", "close"))
    keep_alive = FALSE;
  else if (soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0)
    keep_alive = soup_message_headers_header_contains (request_headers, "Connection", "keep-alive");
  else
    keep_alive = TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                keep_alive ? "keep-alive" : "close");
}

/* Callbacks */

/* Runs once a request's head is read, before its body. Nothing here takes
 * a body of unknown or excessive length: it is read (unless the client waits
 * for 100 Continue) but not kept, and the connection closes after the answer. */
static void
request_head_read_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (request_headers);

  if (encoding == SOUP_ENCODING_CHUNKED)
    set_text_response (msg, SOUP_STATUS_NOT_IMPLEMENTED, "Request bodies need a Content-Length");
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (request_headers) > MAX_BODY_BYTES)
    set_text_response (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request bodies stop at 1 MiB");
  else
    return;
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  static const char prefix[] = "/owa/" MAILBOX "/";
  const char *method = soup_server_message_get_method (msg);
  const char *rest = NULL;

  say_connection (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Content-Type-Options", "nosniff");
  /* Exchange matches SMTP addresses without regard to case. */
  if (g_ascii_strncasecmp (path, prefix, sizeof prefix - 1) == 0)
    rest = path + sizeof prefix - 1;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && method != SOUP_METHOD_POST)
    set_text_response (msg, SOUP_STATUS_NOT_IMPLEMENTED, "Only GET, HEAD and POST are implemented");
  else if (rest == NULL)
    serve_not_found (msg, path);
  else if (*rest == '\0')
    serve_calendar_page (msg, path);
  else if (g_str_equal (rest, "service.svc"))
    serve_service (msg);
  else
    serve_asset (msg, path, rest);
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
 * Starts listening on a free TCP port of 127.0.0.1. Requests are read and
 * answered on the thread-default main context of the caller, which must
 * keep running for clients to get an answer.
 *
 * Returns: %TRUE on success, %FALSE with @error set (from GIO) otherwise
 */
gboolean
oc_demo_server_start (OcDemoServer  *self,
                      GError       **error)
{
  g_autoptr (SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (OC_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server = soup_server_new ("server-header", "owacal-demo", NULL);
  /* One path for both: SoupServer pairs an early handler with the normal one of its path. */
  soup_server_add_early_handler (server, NULL, request_head_read_cb, NULL, NULL);
  soup_server_add_handler (server, NULL, request_read_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_prefix_error (error, "Starting the demo server on 127.0.0.1: ");
      return FALSE;
    }

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->server = g_steal_pointer (&server);
  return TRUE;
}

/**
 * oc_demo_server_stop:
 * @self: an #OcDemoServer
 *
 * Stops listening and closes the open connections, idle keep-alive ones
 * included. Does nothing when not running.
 */
void
oc_demo_server_stop (OcDemoServer *self)
{
  g_return_if_fail (OC_IS_DEMO_SERVER (self));

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
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

  if (self->server == NULL)
    return NULL;
  return g_strdup_printf ("http://127.0.0.1:%u/owa/" MAILBOX "/?cmd=contents&module=calendar&view=weekly",
                          self->port);
}
