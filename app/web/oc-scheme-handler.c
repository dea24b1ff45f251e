/* oc-scheme-handler.c: answers the web view's loads with libcurl.
 *
 * Every load of a calendar's site arrives here as a request for
 * owacal-https://host/path (see lib/http/oc-scheme-bridge.c): the document, its
 * style sheets, scripts and images, the page's fetch() and XHR calls, form
 * posts. Each becomes one OcHttpClient request, so all of them share the
 * client's signed-in connections and its cookie jar.
 *
 * WebKit does not follow a 3xx from a scheme handler, so redirects are
 * followed here for sub-resources, and turned into a new navigation for the
 * page itself (its address, and so its relative links, change).
 */
#include "config.h"
#include "oc-scheme-handler.h"

#include <string.h>

#include "oc-calendar-source.h"
#include "oc-cookie-jar.h"
#include "oc-error-page.h"
#include "oc-scheme-bridge.h"

#define PAGE_ERROR_KEY "oc-page-error"
#define PAGE_CERTIFICATE_KEY "oc-page-certificate"
#define PENDING_KEY "oc-pending-loads"
#define BODY_SAFE_HEADER "X-Owacal-Body"

struct _OcSchemeHandler {
  GObject parent_instance;

  OcHttpClient *client;
  GHashTable *prefetches;      /* web URL → Prefetch */
};

G_DEFINE_FINAL_TYPE (OcSchemeHandler, oc_scheme_handler, G_TYPE_OBJECT)

enum {
  ACTIVITY_CHANGED,
  CALENDAR_ANSWERED,
  WEB_PART_REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One load of the web view, from WebKit's request to its answer. */
typedef struct {
  OcSchemeHandler *handler;
  WebKitURISchemeRequest *request;
  GWeakRef view;
  char *routed_url;
  char *web_url;
  char *origin;
  gboolean navigation;         /* a frame's document, not a sub-resource */
  gboolean main_frame;
} Load;

/* The page's document, fetched while WebKit is still starting up. */
typedef struct {
  OcHttpResponse *response;
  GError *error;
  gboolean done;
  GPtrArray *waiters;          /* Load */
  gint64 started;
} Prefetch;

static void answer_load (Load *load, OcHttpResponse *response, const GError *error);

static void
prefetch_free (Prefetch *prefetch)
{
  g_clear_pointer (&prefetch->response, oc_http_response_unref);
  g_clear_error (&prefetch->error);
  g_ptr_array_unref (prefetch->waiters);
  g_free (prefetch);
}

/* Pending-load bookkeeping, per view, for progress and --snapshot. */

static void
change_pending (OcSchemeHandler *self,
                WebKitWebView   *view,
                int              delta)
{
  guint pending;

  if (view == NULL)
    return;
  pending = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), PENDING_KEY));
  pending = (guint) MAX (0, (int) pending + delta);
  g_object_set_data (G_OBJECT (view), PENDING_KEY, GUINT_TO_POINTER (pending));
  g_signal_emit (self, signals[ACTIVITY_CHANGED], 0, view, pending);
}

static Load *
load_new (OcSchemeHandler        *self,
          WebKitURISchemeRequest *request)
{
  Load *load = g_new0 (Load, 1);
  WebKitWebView *view = webkit_uri_scheme_request_get_web_view (request);
  SoupMessageHeaders *headers = webkit_uri_scheme_request_get_http_headers (request);

  load->handler = g_object_ref (self);
  load->request = g_object_ref (request);
  g_weak_ref_init (&load->view, view);
  load->routed_url = g_strdup (webkit_uri_scheme_request_get_uri (request));
  load->web_url = oc_scheme_bridge_to_web_url (load->routed_url);
  if (headers != NULL)
    {
      load->origin = g_strdup (soup_message_headers_get_one (headers, "Origin"));
      /* WebKit marks document loads (of any frame) this way. */
      load->navigation = soup_message_headers_get_one (headers, "Upgrade-Insecure-Requests") != NULL;
    }
  load->main_frame = load->navigation && view != NULL &&
                     g_strcmp0 (webkit_web_view_get_uri (view), load->routed_url) == 0;
  change_pending (self, view, +1);
  return load;
}

static void
load_free (Load *load)
{
  g_autoptr (WebKitWebView) view = g_weak_ref_get (&load->view);

  change_pending (load->handler, view, -1);
  g_weak_ref_clear (&load->view);
  g_object_unref (load->request);
  g_object_unref (load->handler);
  g_free (load->routed_url);
  g_free (load->web_url);
  g_free (load->origin);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

/* Answers */

static void
finish_with_bytes (Load               *load,
                   guint               status,
                   const char         *reason,
                   const char         *content_type,
                   SoupMessageHeaders *headers,
                   GBytes             *body)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
  g_autoptr (WebKitURISchemeResponse) response = NULL;

  response = webkit_uri_scheme_response_new (stream, (gint64) g_bytes_get_size (body));
  webkit_uri_scheme_response_set_status (response, status, reason && *reason ? reason : NULL);
  if (content_type != NULL)
    webkit_uri_scheme_response_set_content_type (response, content_type);
  if (headers != NULL)
    webkit_uri_scheme_response_set_http_headers (response, headers);
  webkit_uri_scheme_request_finish_with_response (load->request, response);
}

static void
finish_with_error_page (Load         *load,
                        const GError *error)
{
  g_autoptr (WebKitWebView) view = g_weak_ref_get (&load->view);
  g_autoptr (OcCertificate) certificate = NULL;
  char *page;
  gsize length;
  g_autoptr (GBytes) body = NULL;

  /* An untrusted certificate: show what the server presented, so that the
   * user can check it and, from the tab (not from the page), trust it. */
  if (g_error_matches (error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS))
    certificate = oc_http_client_get_certificate_problem (load->handler->client, load->web_url);
  page = certificate ? oc_error_page_render_certificate (error, load->web_url, certificate)
                     : oc_error_page_render (error, load->web_url);
  length = strlen (page);
  body = g_bytes_new_take (page, length);
  if (view != NULL && load->main_frame)
    {
      g_object_set_data_full (G_OBJECT (view), PAGE_ERROR_KEY, g_error_copy (error),
                              (GDestroyNotify) g_error_free);
      g_object_set_data_full (G_OBJECT (view), PAGE_CERTIFICATE_KEY,
                              certificate ? oc_certificate_ref (certificate) : NULL,
                              certificate ? (GDestroyNotify) oc_certificate_unref : NULL);
    }
  finish_with_bytes (load, 200, "OK", "text/html; charset=utf-8", NULL, body);
}

static void
finish_with_redirect (Load           *load,
                      OcHttpResponse *response)
{
  g_autoptr (WebKitWebView) view = g_weak_ref_get (&load->view);
  const char *location = oc_http_response_get_header (response, "Location");
  g_autofree char *routed = oc_scheme_bridge_map_response_header ("Location", location,
                                                                 oc_http_response_get_url (response));

  /* A Location with a control character in it is no address to go to. */
  if (routed == NULL)
    {
      g_autoptr (GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                              "%s redirected to an address that is not valid",
                                              oc_http_response_get_url (response));
      if (load->navigation)
        finish_with_error_page (load, error);
      else
        webkit_uri_scheme_request_finish_error (load->request, error);
      return;
    }
  if (load->main_frame && view != NULL)
    {
      g_autoptr (GError) cancelled = NULL;

      /* In this order: start the new load, then drop the old one. */
      webkit_web_view_load_uri (view, routed);
      cancelled = g_error_new_literal (WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED,
                                       "Redirected");
      webkit_uri_scheme_request_finish_error (load->request, cancelled);
      return;
    }
  {
    /* A frame other than the main one: a refresh keeps its history right. */
    g_autofree char *escaped = g_markup_escape_text (routed, -1);
    g_autofree char *page = g_strdup_printf ("<!DOCTYPE html><meta http-equiv='refresh' "
                                             "content='0;url=%s'>", escaped);
    g_autoptr (GBytes) body = g_bytes_new (page, strlen (page));
    finish_with_bytes (load, 200, "OK", "text/html", NULL, body);
  }
}

static SoupMessageHeaders *
build_response_headers (Load           *load,
                        OcHttpResponse *response)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  GPtrArray *lines = oc_http_response_get_header_lines (response);
  gboolean cross_scheme = load->origin != NULL &&
                          oc_scheme_bridge_is_same_site_origin (load->origin, load->routed_url);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      const char *colon = strchr (line, ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      name = g_strndup (line, colon - line);
      if (cross_scheme && g_ascii_strncasecmp (name, "Access-Control-", 15) == 0)
        continue;
      value = oc_scheme_bridge_map_response_header (name, g_strstrip (g_strdup (colon + 1)) ,
                                                    oc_http_response_get_url (response));
      if (value != NULL)
        soup_message_headers_append (headers, name, value);
    }
  if (cross_scheme)
    {
      g_autoptr (GPtrArray) cors = oc_scheme_bridge_cors_header_lines (load->origin, NULL, NULL);
      for (guint i = 0; i < cors->len; i++)
        {
          g_auto (GStrv) pair = g_strsplit (g_ptr_array_index (cors, i), ": ", 2);
          soup_message_headers_replace (headers, pair[0], pair[1]);
        }
    }
  return headers;
}

/* A page that turns out to be a published calendar (text/calendar, or
 * iCalendar sent as something else) is shown as one: owacal draws it. */
static gboolean
answer_calendar (Load           *load,
                 OcHttpResponse *response)
{
  g_autoptr (WebKitWebView) view = g_weak_ref_get (&load->view);
  g_autofree char *type = oc_http_response_dup_content_type (response);
  g_autofree char *calendar_url = NULL;
  g_autoptr (GError) cancelled = NULL;

  if (view == NULL || oc_http_response_get_status (response) / 100 != 2)
    return FALSE;
  if (g_strcmp0 (type, "text/calendar") != 0 &&
      !oc_calendar_looks_like_icalendar (oc_http_response_get_body (response)))
    return FALSE;
  g_signal_emit (load->handler, signals[CALENDAR_ANSWERED], 0, load->web_url,
                 oc_http_response_get_body (response), &calendar_url);
  if (calendar_url == NULL)
    return FALSE;
  /* As for a redirect: start the new load, then drop this one. */
  webkit_web_view_load_uri (view, calendar_url);
  cancelled = g_error_new_literal (WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED, "Shown as a calendar");
  webkit_uri_scheme_request_finish_error (load->request, cancelled);
  return TRUE;
}

/* Exchange 2016 and later have no calendar web parts: OWA answers a web-part
 * address with its own error page, which names the exception in X-OWA-Error.
 * That page is a failure, never a calendar: the application may show the
 * calendar another way (Exchange Web Services), else the page says why. */
static gboolean
answer_owa_error (Load           *load,
                  OcHttpResponse *response)
{
  const char *owa_error = oc_http_response_get_header (response, "X-OWA-Error");
  g_autoptr (WebKitWebView) view = g_weak_ref_get (&load->view);
  g_autofree char *calendar_url = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = NULL;

  if (owa_error == NULL || view == NULL)
    return FALSE;
  g_signal_emit (load->handler, signals[WEB_PART_REFUSED], 0, load->web_url, &calendar_url);
  if (calendar_url != NULL)
    {
      g_autoptr (GError) cancelled = g_error_new_literal (WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED,
                                                          "Shown through Exchange Web Services");
      webkit_web_view_load_uri (view, calendar_url);
      webkit_uri_scheme_request_finish_error (load->request, cancelled);
      return TRUE;
    }
  uri = g_uri_parse (load->web_url, G_URI_FLAGS_ENCODED, NULL);
  error = g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_OWA_REFUSED,
                       "Outlook Web Access on %s answered with its error page instead of the calendar (%s).",
                       uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : load->web_url, owa_error);
  finish_with_error_page (load, error);
  return TRUE;
}

static void
answer_load (Load           *load,
             OcHttpResponse *response,
             const GError   *error)
{
  g_autoptr (GError) status_error = NULL;
  guint status;

  if (error != NULL)
    {
      if (load->navigation)
        finish_with_error_page (load, error);
      else
        webkit_uri_scheme_request_finish_error (load->request, (GError *) error);
      return;
    }

  status = oc_http_response_get_status (response);
  if (status >= 300 && status < 400 && oc_http_response_get_header (response, "Location") != NULL)
    {
      finish_with_redirect (load, response);
      return;
    }
  if (load->navigation && !oc_http_response_check (response, &status_error))
    {
      finish_with_error_page (load, status_error);
      return;
    }

  if (load->main_frame && answer_calendar (load, response))
    return;
  if (load->main_frame && load->navigation && answer_owa_error (load, response))
    return;
  if (load->main_frame)
    {
      g_autoptr (WebKitWebView) view = g_weak_ref_get (&load->view);
      if (view != NULL)
        {
          g_object_set_data (G_OBJECT (view), PAGE_ERROR_KEY, NULL);
          g_object_set_data (G_OBJECT (view), PAGE_CERTIFICATE_KEY, NULL);
        }
    }
  {
    SoupMessageHeaders *headers = build_response_headers (load, response);
    finish_with_bytes (load, status, oc_http_response_get_reason (response),
                       oc_http_response_get_header (response, "Content-Type"), headers,
                       oc_http_response_get_body (response));
  }
}

/* Callbacks */

static void
send_finished_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (Load) load = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcHttpResponse) response = NULL;

  response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  answer_load (load, response, error);
}

static void
prefetch_finished_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (GTask) owner = user_data;
  Prefetch *prefetch = g_task_get_task_data (owner);

  prefetch->response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &prefetch->error);
  prefetch->done = TRUE;
  for (guint i = 0; i < prefetch->waiters->len; i++)
    {
      g_autoptr (Load) load = g_ptr_array_index (prefetch->waiters, i);
      answer_load (load, prefetch->response, prefetch->error);
    }
  g_ptr_array_set_size (prefetch->waiters, 0);
}

static void
send_load (Load   *load,
           GBytes *body)
{
  OcSchemeHandler *self = load->handler;
  SoupMessageHeaders *headers = webkit_uri_scheme_request_get_http_headers (load->request);
  const char *method = webkit_uri_scheme_request_get_http_method (load->request);
  g_autoptr (OcHttpRequest) request = oc_http_request_new (method ? method : "GET", load->web_url);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (headers != NULL)
    {
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        if (g_ascii_strcasecmp (name, BODY_SAFE_HEADER) != 0)
          oc_scheme_bridge_add_request_header (request, name, value);
    }
  if (body != NULL)
    oc_http_request_set_body (request, body);
  /* Documents must learn their new address; everything else is followed here. */
  oc_http_request_set_follow_redirects (request, !load->navigation);
  oc_http_client_send_async (self->client, request, NULL, send_finished_cb, load);
}

static void
body_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      g_autoptr (Load) failed = load;
      g_prefix_error (&error, "Reading the page’s request body: ");
      webkit_uri_scheme_request_finish_error (failed->request, error);
      return;
    }
  body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  send_load (load, body);
}

/* WebKit crashes in webkit_uri_scheme_request_get_http_body() for bodies
 * backed by a Blob or File. The page script (cookie-bridge.js) converts the
 * bodies of fetch() and XHR into plain buffers and marks them; a native form
 * post sends urlencoded or plain text. Anything else is refused unread. */
static gboolean
body_is_safe_to_read (SoupMessageHeaders *headers)
{
  const char *type;

  if (headers == NULL)
    return TRUE;
  if (soup_message_headers_get_one (headers, BODY_SAFE_HEADER) != NULL)
    return TRUE;
  type = soup_message_headers_get_one (headers, "Content-Type");
  return type == NULL || g_ascii_strncasecmp (type, "application/x-www-form-urlencoded", 33) == 0 ||
         g_ascii_strncasecmp (type, "text/plain", 10) == 0;
}

static void
answer_cookie_bridge (Load *load)
{
  g_autoptr (GUri) uri = g_uri_parse (load->routed_url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr (GHashTable) params = NULL;
  g_auto (GStrv) jar = oc_http_client_dup_cookie_lines (load->handler->client);
  const char *url, *assignment;
  g_autofree char *answer = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (uri != NULL && g_uri_get_query (uri) != NULL)
    params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  url = params ? g_hash_table_lookup (params, "url") : NULL;
  assignment = params ? g_hash_table_lookup (params, "set") : NULL;

  /* Only the page's own site: the bridge answers on that site's scheme and host. */
  if (url != NULL && !oc_scheme_bridge_is_same_site_origin (url, load->routed_url))
    url = NULL;
  if (url != NULL && assignment != NULL)
    {
      g_autofree char *line = oc_cookie_jar_line_from_document (url, assignment, (const char *const *) jar, now);
      if (line != NULL)
        oc_http_client_add_cookie_line (load->handler->client, line);
      answer = g_strdup ("");
    }
  else
    {
      answer = url ? oc_cookie_jar_document_cookie ((const char *const *) jar, url, now) : g_strdup ("");
    }
  {
    SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    gsize length = strlen (answer);
    g_autoptr (GBytes) body = g_bytes_new_take (g_steal_pointer (&answer), length);
    soup_message_headers_append (headers, "Cache-Control", "no-store");
    finish_with_bytes (load, 200, "OK", "text/plain; charset=utf-8", headers, body);
  }
}

static gboolean
answer_preflight (Load *load)
{
  SoupMessageHeaders *headers = webkit_uri_scheme_request_get_http_headers (load->request);
  const char *method = webkit_uri_scheme_request_get_http_method (load->request);
  const char *wanted = headers ? soup_message_headers_get_one (headers, "Access-Control-Request-Method") : NULL;

  if (g_strcmp0 (method, "OPTIONS") != 0 || wanted == NULL || load->origin == NULL ||
      !oc_scheme_bridge_is_same_site_origin (load->origin, load->routed_url))
    return FALSE;

  {
    SoupMessageHeaders *answer = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr (GPtrArray) lines = oc_scheme_bridge_cors_header_lines (
      load->origin, wanted, soup_message_headers_get_one (headers, "Access-Control-Request-Headers"));
    g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);

    for (guint i = 0; i < lines->len; i++)
      {
        g_auto (GStrv) pair = g_strsplit (g_ptr_array_index (lines, i), ": ", 2);
        soup_message_headers_append (answer, pair[0], pair[1]);
      }
    finish_with_bytes (load, 204, "No Content", NULL, answer, empty);
  }
  return TRUE;
}

static gboolean
take_prefetch (OcSchemeHandler *self,
               Load            *load)
{
  const char *method = webkit_uri_scheme_request_get_http_method (load->request);
  GTask *owner;
  Prefetch *prefetch;

  if (!load->main_frame || (method != NULL && g_strcmp0 (method, "GET") != 0))
    return FALSE;
  owner = g_hash_table_lookup (self->prefetches, load->web_url);
  if (owner == NULL)
    return FALSE;
  g_object_ref (owner);
  g_hash_table_remove (self->prefetches, load->web_url);
  prefetch = g_task_get_task_data (owner);
  if (prefetch->done)
    {
      answer_load (load, prefetch->response, prefetch->error);
      load_free (load);
    }
  else
    g_ptr_array_add (prefetch->waiters, load);
  g_object_unref (owner);
  return TRUE;
}

static void
request_cb (WebKitURISchemeRequest *request,
            gpointer                user_data)
{
  OcSchemeHandler *self = user_data;
  Load *load = load_new (self, request);
  SoupMessageHeaders *headers = webkit_uri_scheme_request_get_http_headers (request);
  const char *method = webkit_uri_scheme_request_get_http_method (request);
  GInputStream *body_stream;

  if (load->web_url == NULL)
    {
      g_autoptr (Load) failed = load;
      g_autoptr (GError) error = g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_REFUSED_REQUEST,
                                              "Not an owacal address: %s", failed->routed_url);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }
  if (oc_scheme_bridge_is_bridge_path (load->routed_url))
    {
      answer_cookie_bridge (load);
      load_free (load);
      return;
    }
  if (answer_preflight (load))
    {
      load_free (load);
      return;
    }
  if (take_prefetch (self, load))
    return;

  if (method == NULL || g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
    {
      send_load (load, NULL);
      return;
    }
  if (!body_is_safe_to_read (headers))
    {
      g_autoptr (Load) failed = load;
      g_autoptr (GError) error = g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_REFUSED_REQUEST,
                                              "owacal cannot send files to %s yet; this request "
                                              "was not sent", failed->web_url);
      answer_load (failed, NULL, error);
      return;
    }
  body_stream = webkit_uri_scheme_request_get_http_body (request);
  if (body_stream == NULL)
    {
      send_load (load, NULL);
      return;
    }
  {
    g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
    g_output_stream_splice_async (sink, body_stream,
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                  G_PRIORITY_DEFAULT, NULL, body_read_cb, load);
    g_object_unref (body_stream);
  }
}

/* GObject */

static void
oc_scheme_handler_finalize (GObject *object)
{
  OcSchemeHandler *self = OC_SCHEME_HANDLER (object);

  g_clear_pointer (&self->prefetches, g_hash_table_unref);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (oc_scheme_handler_parent_class)->finalize (object);
}

static void
oc_scheme_handler_class_init (OcSchemeHandlerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oc_scheme_handler_finalize;

  /**
   * OcSchemeHandler::activity-changed:
   * @view: the web view
   * @pending: how many of its loads are in flight
   */
  /**
   * OcSchemeHandler::calendar-answered:
   * @web_url: the page's address
   * @body: the calendar it answered with
   *
   * Returns: (transfer full) (nullable): the address to show the calendar at
   */
  signals[CALENDAR_ANSWERED] =
    g_signal_new ("calendar-answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_STRING, 2, G_TYPE_STRING, G_TYPE_BYTES);
  /**
   * OcSchemeHandler::web-part-refused:
   * @web_url: a calendar web part's address that Outlook Web Access refused
   *
   * Returns: (transfer full) (nullable): the address to show the calendar at
   *   instead, or %NULL to show why it could not be shown
   */
  signals[WEB_PART_REFUSED] =
    g_signal_new ("web-part-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_STRING, 1, G_TYPE_STRING);
  signals[ACTIVITY_CHANGED] =
    g_signal_new ("activity-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, WEBKIT_TYPE_WEB_VIEW, G_TYPE_UINT);
}

static void
oc_scheme_handler_init (OcSchemeHandler *self)
{
  self->prefetches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* Public API */

OcSchemeHandler *
oc_scheme_handler_new (OcHttpClient *client)
{
  OcSchemeHandler *self = g_object_new (OC_TYPE_SCHEME_HANDLER, NULL);

  self->client = g_object_ref (client);
  return self;
}

/**
 * oc_scheme_handler_register:
 * @self: a handler
 * @context: the web context whose owacal-http(s) loads @self answers
 */
void
oc_scheme_handler_register (OcSchemeHandler  *self,
                            WebKitWebContext *context)
{
  g_return_if_fail (OC_IS_SCHEME_HANDLER (self));

  webkit_web_context_register_uri_scheme (context, OC_ROUTED_SCHEME_HTTPS, request_cb,
                                          g_object_ref (self), g_object_unref);
  webkit_web_context_register_uri_scheme (context, OC_ROUTED_SCHEME_HTTP, request_cb,
                                          g_object_ref (self), g_object_unref);
}

OcHttpClient *
oc_scheme_handler_get_client (OcSchemeHandler *self)
{
  g_return_val_if_fail (OC_IS_SCHEME_HANDLER (self), NULL);
  return self->client;
}

/**
 * oc_scheme_handler_prefetch:
 * @self: a handler
 * @web_url: the http(s) address of a page about to be opened
 *
 * Starts fetching (and signing in to) the page now, while a web view and its
 * web process start up; the view's own request for it then takes this answer.
 */
void
oc_scheme_handler_prefetch (OcSchemeHandler *self,
                            const char      *web_url)
{
  g_autoptr (GTask) owner = NULL;
  g_autoptr (OcHttpRequest) request = NULL;
  Prefetch *prefetch;

  g_return_if_fail (OC_IS_SCHEME_HANDLER (self));
  if (g_hash_table_contains (self->prefetches, web_url))
    return;

  prefetch = g_new0 (Prefetch, 1);
  prefetch->waiters = g_ptr_array_new ();
  prefetch->started = g_get_monotonic_time ();
  owner = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (owner, prefetch, (GDestroyNotify) prefetch_free);
  g_hash_table_insert (self->prefetches, g_strdup (web_url), g_object_ref (owner));

  request = oc_http_request_new ("GET", web_url);
  oc_http_request_add_header (request, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
  oc_http_client_send_async (self->client, request, NULL, prefetch_finished_cb, g_steal_pointer (&owner));
}

/**
 * oc_scheme_handler_get_pending:
 * @self: a handler
 * @view: a web view
 *
 * Returns: how many loads of @view are waiting for an answer
 */
guint
oc_scheme_handler_get_pending (OcSchemeHandler *self,
                               WebKitWebView   *view)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), PENDING_KEY));
}

/**
 * oc_scheme_handler_get_page_error:
 * @view: a web view
 *
 * Returns: (nullable): why the view's current page is an error page, if it is one
 */
const GError *
oc_scheme_handler_get_page_error (WebKitWebView *view)
{
  return g_object_get_data (G_OBJECT (view), PAGE_ERROR_KEY);
}

/**
 * oc_scheme_handler_set_page_error:
 * @view: a web view
 * @error: (nullable): why the page it shows is an error page, or %NULL if it is not one
 *
 * For pages answered elsewhere (owacal-calendar:), so that --snapshot knows.
 */
void
oc_scheme_handler_set_page_error (WebKitWebView *view,
                                  const GError  *error)
{
  g_object_set_data_full (G_OBJECT (view), PAGE_ERROR_KEY, error ? g_error_copy (error) : NULL,
                          (GDestroyNotify) g_error_free);
}

/**
 * oc_scheme_handler_get_page_certificate:
 * @view: a web view
 *
 * Returns: (nullable) (transfer none): the certificate the server presented,
 *   when the view's page is an error page because owacal did not trust it
 */
OcCertificate *
oc_scheme_handler_get_page_certificate (WebKitWebView *view)
{
  return g_object_get_data (G_OBJECT (view), PAGE_CERTIFICATE_KEY);
}
