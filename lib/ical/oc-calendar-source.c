/* oc-calendar-source.c: one published calendar: where it is, and what it held last.
 *
 * A published calendar is fetched with owacal's own client (the same
 * sign-in as the web pages: Kerberos, NTLM, cookies) or read from a file,
 * and parsed in a worker thread: a large calendar takes libical a while,
 * and the window must not wait for it. A failed load keeps the error and
 * forgets nothing else, so the page can say what went wrong for whom.
 * Loading again asks the server whether the calendar changed (its ETag and
 * Last-Modified): an unchanged one is neither sent nor parsed again.
 */
#include "config.h"
#include "oc-calendar-source.h"

#include <string.h>

#include "oc-http-error.h"
#include "oc-http-request.h"
#include "oc-http-response.h"

#define MAX_CALENDAR_BYTES (64 * 1024 * 1024)

struct _OcCalendarSource {
  GObject parent_instance;

  char *uri;                   /* http(s) or file */
  char *label;                 /* the name the user gave (an e-mail address), or NULL */
  GBytes *body;                /* already fetched (a page that answered text/calendar) */
  OcIcalCalendar *calendar;
  GError *error;
  char *etag;                  /* the validators of the parsed calendar, if the server gave them */
  char *last_modified;
  gint64 loaded_at;            /* monotonic microseconds, 0 when never loaded */
  gboolean lost;               /* never had an address: the lookup failed */
};

G_DEFINE_FINAL_TYPE (OcCalendarSource, oc_calendar_source, G_TYPE_OBJECT)

/**
 * oc_calendar_looks_like_icalendar:
 * @body: a response body
 *
 * Servers send calendars as text/calendar, but also as text/plain or
 * application/octet-stream; the content decides.
 *
 * Returns: whether @body starts like iCalendar
 */
gboolean
oc_calendar_looks_like_icalendar (GBytes *body)
{
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  gsize i = 0;

  if (data == NULL)
    return FALSE;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return length - i >= 15 && g_ascii_strncasecmp (data + i, "BEGIN:VCALENDAR", 15) == 0;
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GBytes *body = task_data;
  GError *error = NULL;
  OcIcalCalendar *calendar = oc_ical_calendar_new_from_bytes (body, &error);

  if (calendar == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, calendar, g_object_unref);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcCalendarSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  OcIcalCalendar *calendar = g_task_propagate_pointer (G_TASK (result), &error);

  self->loaded_at = g_get_monotonic_time ();
  if (calendar == NULL)
    {
      g_prefix_error (&error, "Reading the calendar at %s: ", self->uri);
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&self->error);
  g_set_object (&self->calendar, calendar);
  g_object_unref (calendar);
  g_task_return_boolean (task, TRUE);
}

static void
parse (GTask  *task,
       GBytes *body)
{
  GTask *worker = g_task_new (NULL, g_task_get_cancellable (task), parsed_cb, task);

  g_task_set_task_data (worker, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (worker, parse_in_thread);
  g_object_unref (worker);
}

static void
fail (GTask  *task,
      GError *error)
{
  OcCalendarSource *self = g_task_get_source_object (task);

  self->loaded_at = g_get_monotonic_time ();
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Callbacks */

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  OcCalendarSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr (OcHttpResponse) response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  GBytes *body;

  if (response == NULL || !oc_http_response_check (response, &error))
    {
      fail (task, error);
      return;
    }
  if (oc_http_response_get_status (response) == 304 && self->calendar != NULL)
    {
      self->loaded_at = g_get_monotonic_time ();
      g_clear_error (&self->error);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* What the next load asks about; a server that gives neither is asked for all of it. */
  g_free (self->etag);
  self->etag = g_strdup (oc_http_response_get_header (response, "ETag"));
  g_free (self->last_modified);
  self->last_modified = g_strdup (oc_http_response_get_header (response, "Last-Modified"));
  body = oc_http_response_get_body (response);
  if (!oc_calendar_looks_like_icalendar (body))
    {
      g_autofree char *type = oc_http_response_dup_content_type (response);
      fail (task, g_error_new (OC_ICAL_ERROR, OC_ICAL_ERROR_NOT_ICALENDAR,
                               "%s did not answer with a calendar but with %s. If it is a sign-in page, "
                               "open the address once as a web page to sign in.\n%s",
                               self->uri, type && *type ? type : "something else",
                               "Expected iCalendar (text/calendar) beginning with BEGIN:VCALENDAR"));
      return;
    }
  parse (task, body);
}

static void
file_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  OcCalendarSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *contents = NULL;
  gsize length = 0;
  g_autoptr (GBytes) body = NULL;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      g_autofree char *path = g_file_get_path (G_FILE (source));
      GError *plain;

      /* The plain words first; GIO's own message as the details. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        plain = g_error_new (error->domain, error->code, "There is no calendar file %s. Check the path, "
                             "or whether the file was moved.\n%s", path ? path : self->uri, error->message);
      else
        plain = g_error_new (error->domain, error->code, "owacal could not read the calendar file %s.\n%s",
                             path ? path : self->uri, error->message);
      g_error_free (error);
      fail (task, plain);
      return;
    }
  body = g_bytes_new_take (contents, length);
  parse (task, body);
}

/* GObject */

static void
oc_calendar_source_finalize (GObject *object)
{
  OcCalendarSource *self = OC_CALENDAR_SOURCE (object);

  g_free (self->uri);
  g_free (self->label);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_object (&self->calendar);
  g_clear_error (&self->error);
  g_free (self->etag);
  g_free (self->last_modified);
  G_OBJECT_CLASS (oc_calendar_source_parent_class)->finalize (object);
}

static void
oc_calendar_source_class_init (OcCalendarSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_calendar_source_finalize;
}

static void
oc_calendar_source_init (OcCalendarSource *self)
{
}

/* Public API */

/**
 * oc_calendar_source_new:
 * @uri: an http(s) or file URI
 * @label: (nullable): what the user called it (an e-mail address), if anything
 *
 * Returns: (transfer full): a source, not loaded yet
 */
OcCalendarSource *
oc_calendar_source_new (const char *uri,
                        const char *label)
{
  OcCalendarSource *self = g_object_new (OC_TYPE_CALENDAR_SOURCE, NULL);

  g_return_val_if_fail (uri != NULL, NULL);
  self->uri = g_strdup (uri);
  self->label = g_strdup (label);
  return self;
}

/**
 * oc_calendar_source_new_missing:
 * @label: whose calendar it would have been
 * @reason: why there is none (a lookup that found nothing)
 *
 * A column that says why it is empty, next to the calendars that were found.
 *
 * Returns: (transfer full): a source that never loads
 */
OcCalendarSource *
oc_calendar_source_new_missing (const char *label,
                                const char *reason)
{
  g_autofree char *uri = g_strconcat ("mailto:", label, NULL);
  OcCalendarSource *self = oc_calendar_source_new (uri, label);

  self->lost = TRUE;
  self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, reason);
  return self;
}

const char *
oc_calendar_source_get_uri (OcCalendarSource *self)
{
  g_return_val_if_fail (OC_IS_CALENDAR_SOURCE (self), NULL);
  return self->uri;
}

static gboolean
is_generic_name (const char *name)
{
  static const char *const generic[] = { "calendar", "kalender", "calendrier", "calendario", "agenda", "reachcalendar" };

  for (gsize i = 0; i < G_N_ELEMENTS (generic); i++)
    if (g_ascii_strcasecmp (name, generic[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * oc_calendar_source_dup_name:
 * @self: a source
 *
 * Exchange names every published calendar "Calendar", and its URL holds a
 * GUID: the name the user gave wins, then a calendar's own name unless it
 * is that word, then the file's name.
 *
 * Returns: (transfer full): what to call the calendar on the page
 */
char *
oc_calendar_source_dup_name (OcCalendarSource *self)
{
  const char *own = self->calendar ? oc_ical_calendar_get_name (self->calendar) : NULL;
  g_autoptr (GUri) uri = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (OC_IS_CALENDAR_SOURCE (self), NULL);

  if (self->label != NULL)
    return g_strdup (self->label);
  if (own != NULL && !is_generic_name (own))
    return g_strdup (own);
  uri = g_uri_parse (self->uri, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_strdup (self->uri);
  base = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  if (base != NULL)
    {
      char *slash = strrchr (base, '/');
      char *name = slash ? slash + 1 : base;
      if (g_str_has_suffix (name, ".ics"))
        name[strlen (name) - 4] = '\0';
      if (*name != '\0' && !is_generic_name (name))
        return g_strdup (name);
    }
  return g_strdup (g_uri_get_host (uri) ? g_uri_get_host (uri) : self->uri);
}

/**
 * oc_calendar_source_set_body:
 * @self: a source
 * @body: what its address already answered
 *
 * The next load parses @body instead of fetching it again.
 */
void
oc_calendar_source_set_body (OcCalendarSource *self,
                             GBytes           *body)
{
  g_return_if_fail (OC_IS_CALENDAR_SOURCE (self));
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = g_bytes_ref (body);
}

/**
 * oc_calendar_source_get_calendar:
 * @self: a source
 *
 * Returns: (transfer none) (nullable): the calendar of the last successful load
 */
OcIcalCalendar *
oc_calendar_source_get_calendar (OcCalendarSource *self)
{
  g_return_val_if_fail (OC_IS_CALENDAR_SOURCE (self), NULL);
  return self->calendar;
}

/**
 * oc_calendar_source_get_error:
 * @self: a source
 *
 * Returns: (nullable): why the last load failed, or %NULL if it did not
 */
const GError *
oc_calendar_source_get_error (OcCalendarSource *self)
{
  g_return_val_if_fail (OC_IS_CALENDAR_SOURCE (self), NULL);
  return self->error;
}

/**
 * oc_calendar_source_get_loaded_at:
 * @self: a source
 *
 * Returns: when the last load ended (g_get_monotonic_time()), 0 if never
 */
gint64
oc_calendar_source_get_loaded_at (OcCalendarSource *self)
{
  g_return_val_if_fail (OC_IS_CALENDAR_SOURCE (self), 0);
  return self->loaded_at;
}

/**
 * oc_calendar_source_load_async:
 * @self: a source
 * @client: the client to fetch http(s) sources with
 * @cancellable: (nullable): a cancellable
 * @callback: called when loaded
 * @user_data: for @callback
 *
 * Fetches (or reads) and parses the calendar again. A server that says the
 * calendar has not changed since the last load (304) keeps the calendar as
 * it is, without parsing it again.
 */
void
oc_calendar_source_load_async (OcCalendarSource    *self,
                               OcHttpClient        *client,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OC_IS_CALENDAR_SOURCE (self));
  g_task_set_source_tag (task, oc_calendar_source_load_async);

  if (self->lost)
    {
      g_task_return_error (task, g_error_copy (self->error));
      g_object_unref (task);
      return;
    }
  if (self->body != NULL)
    {
      g_autoptr (GBytes) body = g_steal_pointer (&self->body);
      parse (task, body);
      return;
    }
  if (g_str_has_prefix (self->uri, "file:"))
    {
      g_autoptr (GFile) file = g_file_new_for_uri (self->uri);
      g_file_load_contents_async (file, cancellable, file_read_cb, task);
      return;
    }
  {
    g_autoptr (OcHttpRequest) request = oc_http_request_new ("GET", self->uri);
    oc_http_request_add_header (request, "Accept", "text/calendar, text/plain;q=0.5, */*;q=0.1");
    if (self->calendar != NULL && self->etag != NULL)
      oc_http_request_add_header (request, "If-None-Match", self->etag);
    if (self->calendar != NULL && self->last_modified != NULL)
      oc_http_request_add_header (request, "If-Modified-Since", self->last_modified);
    oc_http_request_set_follow_redirects (request, TRUE);
    oc_http_client_send_async (client, request, cancellable, fetched_cb, task);
  }
}

/**
 * oc_calendar_source_load_finish:
 * @self: a source
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: whether the calendar was loaded; see oc_calendar_source_get_calendar()
 */
gboolean
oc_calendar_source_load_finish (OcCalendarSource  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_calendar_source_load_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
