/* oc-graph-client.c: colleagues' calendars and the directory of Microsoft 365.
 *
 * Every request goes the same way (send_graph): an access token from
 * OcOAuthToken, `Authorization: Bearer`, times asked in UTC (`Prefer:
 * outlook.timezone="UTC"`, shown later in the view's zone). A 401 means the
 * token died early (revoked session, clock skew): renew it and try once more.
 * A 429 or 503 means "too many requests": wait as long as Retry-After says,
 * on the main loop, and send again, a few times at most.
 *
 * What a colleague shares decides what comes back: calendarView on her
 * calendar works when she shared it (OC_SHARING_FULL, with details);
 * getSchedule gives everyone's free/busy in one request, with subjects and
 * places where she allows it (LIMITED) or without (FREE_BUSY), or a
 * per-person error (NONE, or UNKNOWN for an address nobody has).
 */
#include "config.h"
#include "oc-graph-client.h"

#include <json-glib/json-glib.h>

#include "oc-graph-error.h"
#include "oc-graph-parse.h"

#define MAX_THROTTLE_RETRIES 5
#define MAX_RETRY_AFTER_SECONDS 300
#define DEFAULT_PAGE_SIZE 100

struct _OcGraphClient {
  GObject parent_instance;
  OcHttpClient *http;
  OcOAuthToken *token;
  char *graph_url;           /* "https://graph.microsoft.com/v1.0", no trailing slash */
  guint page_size;
};

static void oc_graph_client_fetcher_init (OcScheduleFetcherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OcGraphClient, oc_graph_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OC_TYPE_SCHEDULE_FETCHER, oc_graph_client_fetcher_init))

/* One Graph request, with its retries */

typedef struct {
  char *method;
  char *url;
  GBytes *body;              /* JSON, or NULL */
  char *what;                /* for error messages: "bob@example.test's calendar" */
  char *token;               /* the access token this attempt used */
  gboolean renewed;          /* a 401 was answered with a new token already */
  guint throttled;           /* 429/503 answers waited for */
} Call;

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->url);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->what);
  if (call->token != NULL)
    memset (call->token, 0, strlen (call->token));
  g_free (call->token);
  g_free (call);
}

static void call_start (GTask *task);

static guint
retry_after_seconds (OcHttpResponse *response,
                     guint           attempt)
{
  g_autofree char *header = g_strdup (oc_http_response_get_header (response, "Retry-After"));
  guint64 seconds;

  /* Graph sends seconds; without a header, back off 2, 4, 8 … seconds. */
  if (header != NULL && g_ascii_string_to_unsigned (g_strstrip (header), 10, 0, G_MAXUINT, &seconds, NULL))
    return MIN ((guint) seconds, MAX_RETRY_AFTER_SECONDS);
  return MIN (2u << attempt, MAX_RETRY_AFTER_SECONDS);
}

static gboolean
retry_due_cb (gpointer user_data)
{
  call_start (user_data);    /* the source's reference goes to the next attempt */
  return G_SOURCE_REMOVE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcGraphClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  guint status;

  response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, oc_graph_error_from_http (error, call->url));
      return;
    }
  status = oc_http_response_get_status (response);
  if (status == 401 && !call->renewed)
    {
      oc_oauth_token_drop_access_token (self->token, call->token);
      call->renewed = TRUE;
      call_start (g_steal_pointer (&task));
      return;
    }
  if ((status == 429 || status == 503) && call->throttled < MAX_THROTTLE_RETRIES)
    {
      g_autoptr (GSource) wait = g_timeout_source_new_seconds (retry_after_seconds (response, call->throttled));

      call->throttled++;
      g_source_set_callback (wait, retry_due_cb, g_steal_pointer (&task), NULL);
      g_source_set_name (wait, "[owacal] Graph Retry-After");
      g_source_attach (wait, g_main_context_get_thread_default ());
      return;
    }
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, oc_graph_error_from_graph_response (status, oc_http_response_get_body (response),
                                                                     call->what));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) oc_http_response_unref);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcGraphClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr (OcHttpRequest) request = NULL;
  g_autofree char *authorization = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_free (call->token);
  call->token = oc_oauth_token_get_access_token_finish (OC_OAUTH_TOKEN (source), result, &error);
  if (call->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  request = oc_http_request_new (call->method, call->url);
  authorization = g_strconcat ("Bearer ", call->token, NULL);
  oc_http_request_add_header (request, "Authorization", authorization);
  memset (authorization, 0, strlen (authorization));
  oc_http_request_add_header (request, "Accept", "application/json");
  oc_http_request_add_header (request, "Prefer", "outlook.timezone=\"UTC\"");
  if (call->body != NULL)
    {
      oc_http_request_add_header (request, "Content-Type", "application/json");
      oc_http_request_set_body (request, call->body);
    }
  oc_http_request_set_sign_in (request, FALSE);
  oc_http_request_set_follow_redirects (request, FALSE);
  /* (The cancellable is read before the task is handed on: arguments have no order.) */
  cancellable = g_task_get_cancellable (task);
  oc_http_client_send_async (self->http, request, cancellable, sent_cb, g_steal_pointer (&task));
}

static void
call_start (GTask *task)
{
  OcGraphClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  oc_oauth_token_get_access_token_async (self->token, call->renewed, g_task_get_cancellable (task), token_cb, task);
}

/* Sends a Graph request; the task returns the OcHttpResponse of a 2xx answer. */
static void
send_graph (OcGraphClient       *self,
            const char          *method,
            const char          *url,
            GBytes              *body,
            const char          *what,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, send_graph);
  call->method = g_strdup (method);
  call->url = g_strdup (url);
  call->body = body ? g_bytes_ref (body) : NULL;
  call->what = g_strdup (what);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_start (task);
}

static OcHttpResponse *
send_graph_finish (GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* getSchedule: people in groups of 20, time in windows under 62 days */

typedef struct {
  GStrv emails;
  gint64 start, end;
  GTimeZone *zone;
  GPtrArray *results;        /* OcSchedule or NULL, one per address */
  guint next_person;         /* first person of the next request */
  gint64 window_start;       /* start of the next request's window */
} ScheduleJob;

static void
schedule_job_free (ScheduleJob *job)
{
  g_strfreev (job->emails);
  g_time_zone_unref (job->zone);
  g_ptr_array_unref (job->results);
  g_free (job);
}

static gint64
window_end (ScheduleJob *job)
{
  return MIN (job->end, job->window_start + (gint64) OC_GRAPH_SCHEDULE_MAX_DAYS * 24 * 3600);
}

static GBytes *
build_schedule_body (ScheduleJob *job,
                     guint        first,
                     guint        count)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *start = oc_graph_format_date_time (job->window_start);
  g_autofree char *end = oc_graph_format_date_time (window_end (job));
  char *text;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schedules");
  json_builder_begin_array (builder);
  for (guint i = first; i < first + count; i++)
    json_builder_add_string_value (builder, job->emails[i]);
  json_builder_end_array (builder);
  for (int i = 0; i < 2; i++)
    {
      json_builder_set_member_name (builder, i == 0 ? "startTime" : "endTime");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dateTime");
      json_builder_add_string_value (builder, i == 0 ? start : end);
      json_builder_set_member_name (builder, "timeZone");
      json_builder_add_string_value (builder, "UTC");
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "availabilityViewInterval");
  json_builder_add_int_value (builder, 30);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void send_next_schedules (GTask *task);

static void
merge_schedule (ScheduleJob *job,
                guint        index,
                OcSchedule  *got)
{
  OcSchedule *have = g_ptr_array_index (job->results, index);

  g_free (got->email);
  got->email = g_strdup (job->emails[index]);
  if (have == NULL)
    {
      got->start = job->start;
      g_ptr_array_index (job->results, index) = got;
      return;
    }
  /* A later window: its blocks join the first window's answer. */
  g_ptr_array_extend_and_steal (have->instances, g_steal_pointer (&got->instances));
  got->instances = g_ptr_array_new ();
  if (have->error == NULL && got->error != NULL)
    oc_schedule_take_error (have, g_error_copy (got->error));
  oc_schedule_free (got);
}

static void
schedules_answered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  ScheduleJob *job = g_task_get_task_data (task);
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  GError *error = NULL;
  guint count = MIN (OC_GRAPH_SCHEDULES_PER_REQUEST, g_strv_length (job->emails) - job->next_person);

  response = send_graph_finish (result, &error);
  if (response != NULL)
    schedules = oc_graph_parse_schedules (oc_http_response_get_body (response), job->window_start,
                                          window_end (job), job->zone, &error);
  if (schedules == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Graph answers in the order asked; a missing answer stays NULL and is
   * filled with an error at the end. */
  for (guint i = 0; i < MIN (count, schedules->len); i++)
    merge_schedule (job, job->next_person + i, g_steal_pointer (&g_ptr_array_index (schedules, i)));
  job->next_person += count;
  if (job->next_person >= g_strv_length (job->emails))
    {
      job->next_person = 0;
      job->window_start = window_end (job);
    }
  send_next_schedules (g_steal_pointer (&task));
}

static void
send_next_schedules (GTask *task)
{
  OcGraphClient *self = g_task_get_source_object (task);
  ScheduleJob *job = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  g_autofree char *url = NULL;
  guint n = g_strv_length (job->emails);

  if (job->window_start >= job->end)
    {
      for (guint i = 0; i < n; i++)
        {
          OcSchedule *schedule = g_ptr_array_index (job->results, i);
          if (schedule == NULL)
            {
              schedule = g_ptr_array_index (job->results, i) = oc_schedule_new (job->emails[i]);
              oc_schedule_take_error (schedule, g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                                                             "Microsoft Graph said nothing about %s.",
                                                             job->emails[i]));
            }
          schedule->end = job->end;
        }
      g_task_return_pointer (task, g_ptr_array_ref (job->results), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  body = build_schedule_body (job, job->next_person, MIN (OC_GRAPH_SCHEDULES_PER_REQUEST, n - job->next_person));
  url = g_strconcat (self->graph_url, "/me/calendar/getSchedule", NULL);
  send_graph (self, "POST", url, body, "the availability of your colleagues", g_task_get_cancellable (task),
              schedules_answered_cb, task);
}

/**
 * oc_graph_client_get_schedules_async:
 * @self: a client
 * @emails: the people, by address
 * @start: the range, UTC seconds
 * @end: its end, exclusive
 * @view_zone: the zone the page shows
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with everyone's schedule
 * @user_data: data for @callback
 *
 * getSchedule for all of them: one request for up to
 * %OC_GRAPH_SCHEDULES_PER_REQUEST people and %OC_GRAPH_SCHEDULE_MAX_DAYS
 * days, more requests one after another beyond that.
 */
void
oc_graph_client_get_schedules_async (OcGraphClient       *self,
                                     const char *const   *emails,
                                     gint64               start,
                                     gint64               end,
                                     GTimeZone           *view_zone,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  ScheduleJob *job;

  g_return_if_fail (OC_IS_GRAPH_CLIENT (self));
  g_return_if_fail (emails != NULL && emails[0] != NULL);
  g_return_if_fail (start < end);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_graph_client_get_schedules_async);
  job = g_new0 (ScheduleJob, 1);
  job->emails = g_strdupv ((char **) emails);
  job->start = job->window_start = start;
  job->end = end;
  job->zone = g_time_zone_ref (view_zone);
  job->results = g_ptr_array_new_full (g_strv_length (job->emails), (GDestroyNotify) oc_schedule_free);
  g_ptr_array_set_size (job->results, g_strv_length (job->emails));
  g_task_set_task_data (task, job, (GDestroyNotify) schedule_job_free);
  send_next_schedules (task);
}

/**
 * oc_graph_client_get_schedules_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #GError (the whole request failed)
 *
 * Returns: (transfer container) (element-type OcSchedule) (nullable): one
 *   schedule per address, in the order given; a person's own failure is in
 *   her schedule's error
 */
GPtrArray *
oc_graph_client_get_schedules_finish (OcGraphClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_graph_client_get_schedules_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* calendarView, page by page */

typedef struct {
  OcSchedule *schedule;
  GTimeZone *zone;
} ViewJob;

static void
view_job_free (ViewJob *job)
{
  oc_schedule_free (job->schedule);
  g_time_zone_unref (job->zone);
  g_free (job);
}

static int
compare_instances (gconstpointer a,
                   gconstpointer b)
{
  return oc_ical_instance_compare (*(OcIcalInstance *const *) a, *(OcIcalInstance *const *) b);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcGraphClient *self = g_task_get_source_object (task);
  ViewJob *job = g_task_get_task_data (task);
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autofree char *next = NULL;
  g_autofree char *what = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  response = send_graph_finish (result, &error);
  if (response != NULL)
    page = oc_graph_parse_events (oc_http_response_get_body (response), job->zone, &next, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_extend_and_steal (job->schedule->instances, g_steal_pointer (&page));
  if (next != NULL)
    {
      /* The bearer token goes only where Graph is: a next link elsewhere is
       * not followed. */
      if (!g_str_has_prefix (next, self->graph_url))
        {
          g_task_return_new_error (task, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                                   "Microsoft Graph's next page of %s's calendar is elsewhere (%s).",
                                   job->schedule->email, next);
          return;
        }
      what = g_strdup_printf ("%s's calendar", job->schedule->email);
      cancellable = g_task_get_cancellable (task);
      send_graph (self, "GET", next, NULL, what, cancellable, page_cb, g_steal_pointer (&task));
      return;
    }
  g_ptr_array_sort (job->schedule->instances, compare_instances);
  g_task_return_pointer (task, g_steal_pointer (&job->schedule), (GDestroyNotify) oc_schedule_free);
}

/**
 * oc_graph_client_get_calendar_view_async:
 * @self: a client
 * @email: whose calendar
 * @start: the range, UTC seconds
 * @end: its end, exclusive
 * @view_zone: the zone the page shows
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with her events
 * @user_data: data for @callback
 *
 * calendarView on her calendar: every occurrence the server expanded, all
 * pages. Works when she shared her calendar with the viewer; otherwise the
 * finish function fails with %OC_GRAPH_ERROR_ACCESS_DENIED.
 */
void
oc_graph_client_get_calendar_view_async (OcGraphClient       *self,
                                         const char          *email,
                                         gint64               start,
                                         gint64               end,
                                         GTimeZone           *view_zone,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *who = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *url = NULL;
  g_autofree char *what = NULL;
  ViewJob *job;

  g_return_if_fail (OC_IS_GRAPH_CLIENT (self));
  g_return_if_fail (email != NULL && start < end);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_graph_client_get_calendar_view_async);
  job = g_new0 (ViewJob, 1);
  job->schedule = oc_schedule_new (email);
  job->schedule->sharing = OC_SHARING_FULL;
  job->schedule->start = start;
  job->schedule->end = end;
  job->zone = g_time_zone_ref (view_zone);
  g_task_set_task_data (task, job, (GDestroyNotify) view_job_free);

  who = g_uri_escape_string (email, "@", FALSE);
  from = oc_graph_format_date_time (start);
  to = oc_graph_format_date_time (end);
  url = g_strdup_printf ("%s/users/%s/calendar/calendarView?startDateTime=%sZ&endDateTime=%sZ&$top=%u",
                         self->graph_url, who, from, to, self->page_size);
  what = g_strdup_printf ("%s's calendar", email);
  send_graph (self, "GET", url, NULL, what, cancellable, page_cb, g_steal_pointer (&task));
}

/**
 * oc_graph_client_get_calendar_view_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #GError in %OC_GRAPH_ERROR
 *
 * Returns: (transfer full) (nullable): her schedule, %OC_SHARING_FULL
 */
OcSchedule *
oc_graph_client_get_calendar_view_finish (OcGraphClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_graph_client_get_calendar_view_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Everything: getSchedule for all, then calendarView for whoever may share more */

typedef struct {
  GPtrArray *schedules;
  guint next;
  GTimeZone *zone;
} FetchJob;

static void
fetch_job_free (FetchJob *job)
{
  g_clear_pointer (&job->schedules, g_ptr_array_unref);
  g_time_zone_unref (job->zone);
  g_free (job);
}

static void fetch_next_view (GTask *task);

static void
view_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchJob *job = g_task_get_task_data (task);
  OcSchedule *schedule;
  GError *error = NULL;

  schedule = oc_graph_client_get_calendar_view_finish (OC_GRAPH_CLIENT (source), result, &error);
  if (schedule != NULL)
    {
      OcSchedule *availability = g_ptr_array_index (job->schedules, job->next);
      /* The calendar has the events; availability had the working hours. */
      schedule->working_hours = g_steal_pointer (&availability->working_hours);
      schedule->display_name = g_steal_pointer (&availability->display_name);
      g_ptr_array_index (job->schedules, job->next) = schedule;
      oc_schedule_free (availability);
    }
  else if (g_error_matches (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_ACCESS_DENIED) ||
           g_error_matches (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_NOT_FOUND))
    g_clear_error (&error);   /* not shared: her availability is what there is */
  else
    {
      g_task_return_error (task, error);
      return;
    }
  job->next++;
  fetch_next_view (g_steal_pointer (&task));
}

static void
fetch_next_view (GTask *task)
{
  OcGraphClient *self = g_task_get_source_object (task);
  FetchJob *job = g_task_get_task_data (task);

  while (job->next < job->schedules->len)
    {
      OcSchedule *schedule = g_ptr_array_index (job->schedules, job->next);
      if (schedule->error == NULL)
        {
          oc_graph_client_get_calendar_view_async (self, schedule->email, schedule->start, schedule->end, job->zone,
                                                   g_task_get_cancellable (task), view_fetched_cb, task);
          return;
        }
      job->next++;
    }
  g_task_return_pointer (task, g_steal_pointer (&job->schedules), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
availability_fetched_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  FetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->schedules = oc_graph_client_get_schedules_finish (OC_GRAPH_CLIENT (source), result, &error);
  if (job->schedules == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  fetch_next_view (task);
}

/**
 * oc_graph_client_fetch_async:
 * @self: a client
 * @emails: the people, by address
 * @start: the range, UTC seconds
 * @end: its end, exclusive
 * @view_zone: the zone the page shows
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with everyone's schedule
 * @user_data: data for @callback
 *
 * What a page needs: everyone's availability in as few getSchedule requests
 * as the limits allow, then the calendar of each person whose calendarView
 * the viewer may read (%OC_SHARING_FULL replaces her availability).
 */
void
oc_graph_client_fetch_async (OcGraphClient       *self,
                             const char *const   *emails,
                             gint64               start,
                             gint64               end,
                             GTimeZone           *view_zone,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  FetchJob *job;

  g_return_if_fail (OC_IS_GRAPH_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_graph_client_fetch_async);
  job = g_new0 (FetchJob, 1);
  job->zone = g_time_zone_ref (view_zone);
  g_task_set_task_data (task, job, (GDestroyNotify) fetch_job_free);
  oc_graph_client_get_schedules_async (self, emails, start, end, view_zone, cancellable, availability_fetched_cb,
                                       task);
}

/**
 * oc_graph_client_fetch_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type OcSchedule) (nullable): one
 *   schedule per address, in the order given
 */
GPtrArray *
oc_graph_client_fetch_finish (OcGraphClient  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_graph_client_fetch_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The directory */

static void
users_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (GPtrArray) contacts = NULL;
  GError *error = NULL;

  response = send_graph_finish (result, &error);
  if (response != NULL)
    contacts = oc_graph_parse_users (oc_http_response_get_body (response), &error);
  if (contacts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, contacts->len > 0 ? oc_contact_copy (g_ptr_array_index (contacts, 0)) : NULL,
                         (GDestroyNotify) oc_contact_free);
}

/**
 * oc_graph_client_find_user_async:
 * @self: a client
 * @address: an e-mail address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the person, if any
 * @user_data: data for @callback
 *
 * Looks the address up in the organisation's directory
 * (`/users?$filter=mail eq '…'`), for the lookup source "microsoft365".
 */
void
oc_graph_client_find_user_async (OcGraphClient       *self,
                                 const char          *address,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  g_autoptr (GString) quoted = g_string_new (address);
  g_autofree char *filter = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (OC_IS_GRAPH_CLIENT (self));
  g_return_if_fail (address != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_graph_client_find_user_async);
  g_string_replace (quoted, "'", "''", 0);   /* OData string literal */
  filter = g_strdup_printf ("mail eq '%s'", quoted->str);
  escaped = g_uri_escape_string (filter, NULL, FALSE);
  url = g_strdup_printf ("%s/users?$filter=%s", self->graph_url, escaped);
  send_graph (self, "GET", url, NULL, address, cancellable, users_answered_cb, task);
}

/**
 * oc_graph_client_find_user_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the person (id and custom1 her
 *   address, display_name her name); %NULL without an error when nobody has
 *   the address
 */
OcContact *
oc_graph_client_find_user_finish (OcGraphClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_graph_client_find_user_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Overrides */

static void
oc_graph_client_finalize (GObject *object)
{
  OcGraphClient *self = OC_GRAPH_CLIENT (object);

  g_clear_object (&self->http);
  g_clear_object (&self->token);
  g_free (self->graph_url);
  G_OBJECT_CLASS (oc_graph_client_parent_class)->finalize (object);
}

static void
oc_graph_client_class_init (OcGraphClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_graph_client_finalize;
}

static void
oc_graph_client_init (OcGraphClient *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
}

/* Public API */

/**
 * oc_graph_client_new:
 * @http: the client to send with
 * @token: the signed-in user's tokens
 * @graph_url: (nullable): Microsoft Graph, %NULL for %OC_GRAPH_DEFAULT_URL
 *
 * Returns: (transfer full): a client
 */
OcGraphClient *
oc_graph_client_new (OcHttpClient *http,
                     OcOAuthToken *token,
                     const char   *graph_url)
{
  OcGraphClient *self;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (OC_IS_OAUTH_TOKEN (token), NULL);

  self = g_object_new (OC_TYPE_GRAPH_CLIENT, NULL);
  self->http = g_object_ref (http);
  self->token = g_object_ref (token);
  self->graph_url = g_strdup (graph_url ? graph_url : OC_GRAPH_DEFAULT_URL);
  while (g_str_has_suffix (self->graph_url, "/"))
    self->graph_url[strlen (self->graph_url) - 1] = '\0';
  return self;
}

/**
 * oc_graph_client_set_page_size:
 * @self: a client
 * @page_size: events per calendarView page ($top), 1–1000
 */
void
oc_graph_client_set_page_size (OcGraphClient *self,
                               guint          page_size)
{
  g_return_if_fail (OC_IS_GRAPH_CLIENT (self));
  self->page_size = CLAMP (page_size, 1, 1000);
}

/* OcScheduleFetcher: the calendar page asks through this. */

static void
fetcher_fetch_async (OcScheduleFetcher   *fetcher,
                     const char * const  *emails,
                     gint64               start,
                     gint64               end,
                     GTimeZone           *zone,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  oc_graph_client_fetch_async (OC_GRAPH_CLIENT (fetcher), emails, start, end, zone, cancellable, callback, user_data);
}

static GPtrArray *
fetcher_fetch_finish (OcScheduleFetcher  *fetcher,
                      GAsyncResult       *result,
                      GError            **error)
{
  return oc_graph_client_fetch_finish (OC_GRAPH_CLIENT (fetcher), result, error);
}

static void
oc_graph_client_fetcher_init (OcScheduleFetcherInterface *iface)
{
  iface->fetch_async = fetcher_fetch_async;
  iface->fetch_finish = fetcher_fetch_finish;
}
