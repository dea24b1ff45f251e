/* oc-ews-client.c: colleagues' schedules from one Exchange Web Services endpoint.
 *
 * get_schedules asks in two steps, as a polite client would:
 *   1. GetUserAvailability for everyone, in groups of 100 and windows of the
 *      server's limit (42 days unless it says less): free/busy blocks, the
 *      details each colleague allows, working hours, and who refuses.
 *   2. FindItem on the calendar folder of those whose availability came
 *      with details (Reviewers see details; people who share only free/busy
 *      would refuse anyway), or of everyone when asked. A refusal there is
 *      no failure: that person's sharing stays what availability said.
 * Requests go through oc-ews-exchange.c (throttling, in-flight limit).
 */
#include "config.h"
#include "oc-ews-client.h"

#include "oc-ews-availability.h"
#include "oc-ews-calendar-view.h"
#include "oc-ews-client-private.h"

#define DAY (24 * 3600)
/* A CalendarView range has no small limit; a year keeps answers moderate. */
#define MAX_CALENDAR_WINDOW (366 * DAY)

enum {
  SIGNAL_WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void oc_ews_client_fetcher_init (OcScheduleFetcherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OcEwsClient, oc_ews_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OC_TYPE_SCHEDULE_FETCHER, oc_ews_client_fetcher_init))

typedef struct {
  GStrv emails;
  gint64 start;
  gint64 end;
  GTimeZone *zone;
  OcEwsFetchFlags flags;
  GHashTable *availability;     /* email → OcSchedule, merged over windows */
  GHashTable *calendars;        /* email → OcSchedule (FULL), merged over windows */
  GHashTable *calendar_failed;  /* emails whose folder could not be read */
  guint outstanding;
  GError *error;                /* the first failure of the whole */
} Job;

/* One request's question: whom, when, in which zone to answer. */
typedef struct {
  GStrv emails;
  gint64 start;
  gint64 end;
  GTimeZone *zone;
} Query;

static void start_availability (GTask *task, char **emails, gint64 start, gint64 end);
static void start_calendar (GTask *task, const char *email, gint64 start, gint64 end);

static void
job_free (Job *job)
{
  g_strfreev (job->emails);
  g_time_zone_unref (job->zone);
  g_hash_table_unref (job->availability);
  g_hash_table_unref (job->calendars);
  g_hash_table_unref (job->calendar_failed);
  g_clear_error (&job->error);
  g_free (job);
}

static Query *
query_new (char       **emails,
           gint64       start,
           gint64       end,
           GTimeZone   *zone)
{
  Query *query = g_new0 (Query, 1);

  query->emails = g_strdupv (emails);
  query->start = start;
  query->end = end;
  query->zone = g_time_zone_ref (zone);
  return query;
}

static void
query_free (Query *query)
{
  g_strfreev (query->emails);
  g_time_zone_unref (query->zone);
  g_free (query);
}

static void
merge_into (GHashTable *table,
            OcSchedule *schedule)
{
  OcSchedule *known = g_hash_table_lookup (table, schedule->email);

  if (known != NULL)
    oc_schedule_merge (known, schedule);
  else
    g_hash_table_insert (table, g_strdup (schedule->email), oc_schedule_copy (schedule));
}

/* Build and parse functions of the two kinds of request */

static GBytes *
build_availability (const char *request_version,
                    gpointer    data)
{
  Query *query = data;

  return oc_ews_availability_build_request (request_version, (const char * const *) query->emails,
                                            query->start, query->end, OC_EWS_VIEW_DETAILED);
}

static gpointer
parse_availability (GBytes   *body,
                    gpointer  data,
                    GError  **error)
{
  Query *query = data;

  return oc_ews_availability_parse (body, (const char * const *) query->emails, query->start, query->end,
                                    query->zone, error);
}

typedef struct {
  OcSchedule *schedule;
  gboolean complete;
} CalendarPart;

static void
calendar_part_free (CalendarPart *part)
{
  oc_schedule_free (part->schedule);
  g_free (part);
}

static GBytes *
build_calendar (const char *request_version,
                gpointer    data)
{
  Query *query = data;

  return oc_ews_calendar_view_build_request (request_version, query->emails[0], query->start, query->end,
                                             OC_EWS_CALENDAR_VIEW_MAX_ENTRIES);
}

static gpointer
parse_calendar (GBytes   *body,
                gpointer  data,
                GError  **error)
{
  Query *query = data;
  CalendarPart *part = g_new0 (CalendarPart, 1);

  part->schedule = oc_ews_calendar_view_parse (body, query->emails[0], query->start, query->end, query->zone,
                                               &part->complete, error);
  if (part->schedule == NULL)
    g_clear_pointer (&part, g_free);
  return part;
}

/* The end of both steps */

static void
finish_job (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr (GPtrArray) schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_schedule_free);

  if (job->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      return;
    }
  for (guint i = 0; job->emails[i] != NULL; i++)
    {
      OcSchedule *availability = g_hash_table_lookup (job->availability, job->emails[i]);
      OcSchedule *calendar = g_hash_table_lookup (job->calendars, job->emails[i]);
      OcSchedule *schedule;

      if (calendar != NULL && !g_hash_table_contains (job->calendar_failed, job->emails[i]))
        {
          schedule = oc_schedule_copy (calendar);
          /* Working hours come from availability only. */
          if (availability != NULL && availability->working_hours != NULL)
            schedule->working_hours = oc_working_hours_copy (availability->working_hours);
        }
      else if (availability != NULL)
        schedule = oc_schedule_copy (availability);
      else
        continue;
      g_ptr_array_add (schedules, schedule);
    }
  g_task_return_pointer (task, g_steal_pointer (&schedules), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
wants_calendar (OcEwsClient *client,
                Job         *job,
                OcSchedule  *availability)
{
  if (job->flags & OC_EWS_FETCH_AVAILABILITY_ONLY)
    return FALSE;
  if (job->flags & OC_EWS_FETCH_CALENDAR_ALWAYS)
    return !g_error_matches (availability->error, OC_EWS_ERROR, OC_EWS_ERROR_NO_MAILBOX);
  /* Subjects in her availability may mean Reviewer rights, or only "limited
   * details": the folder tells, once; a refusal is remembered, as rights
   * change seldom (a new client, i.e. a new owacal, asks again). */
  return availability->sharing == OC_SHARING_LIMITED &&
         !g_hash_table_contains (client->folder_refused, availability->email);
}

static void
start_calendars (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  for (guint i = 0; job->emails[i] != NULL; i++)
    {
      OcSchedule *availability = g_hash_table_lookup (job->availability, job->emails[i]);
      g_autoptr (GArray) windows = NULL;

      if (availability == NULL || g_hash_table_contains (job->calendars, job->emails[i]) ||
          !wants_calendar (OC_EWS_CLIENT (g_task_get_source_object (task)), job, availability))
        continue;
      /* A placeholder, so that a person given twice is asked once. */
      g_hash_table_insert (job->calendars, g_strdup (job->emails[i]), oc_schedule_new (job->emails[i]));
      windows = oc_ews_window_split (job->start, job->end, MAX_CALENDAR_WINDOW);
      for (guint w = 0; w < windows->len; w++)
        start_calendar (task, job->emails[i], g_array_index (windows, OcEwsWindow, w).start,
                        g_array_index (windows, OcEwsWindow, w).end);
    }
  if (job->outstanding == 0)
    finish_job (task);
}

/* Callbacks */

static void
calendar_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  Query *query = oc_ews_client_exchange_get_data (result);
  g_autoptr (GError) error = NULL;
  CalendarPart *part = oc_ews_client_exchange_finish (OC_EWS_CLIENT (source), result, &error);
  const char *email = query->emails[0];

  job->outstanding--;
  if (part != NULL && !part->complete && query->end - query->start > DAY)
    {
      /* MaxEntriesReturned cut the answer short: ask again in halves. */
      gint64 middle = query->start + (query->end - query->start) / 2;

      OC_EWS_CLIENT (source)->stats.splits++;
      start_calendar (task, email, query->start, middle);
      start_calendar (task, email, middle, query->end);
    }
  else if (part != NULL)
    oc_schedule_merge (g_hash_table_lookup (job->calendars, email), part->schedule);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && job->error == NULL)
    job->error = g_steal_pointer (&error);
  else
    {
      if (g_error_matches (error, OC_EWS_ERROR, OC_EWS_ERROR_ACCESS_DENIED) ||
          g_error_matches (error, OC_EWS_ERROR, OC_EWS_ERROR_FOLDER_NOT_FOUND))
        g_hash_table_add (OC_EWS_CLIENT (source)->folder_refused, g_ascii_strdown (email, -1));
      g_hash_table_add (job->calendar_failed, g_strdup (email));
    }
  g_clear_pointer (&part, calendar_part_free);

  if (job->outstanding == 0)
    finish_job (task);
}

static void
availability_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcEwsClient *self = OC_EWS_CLIENT (source);
  Job *job = g_task_get_task_data (task);
  Query *query = oc_ews_client_exchange_get_data (result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = oc_ews_client_exchange_finish (self, result, &error);

  job->outstanding--;
  if (schedules != NULL)
    for (guint i = 0; i < schedules->len; i++)
      merge_into (job->availability, g_ptr_array_index (schedules, i));
  else if (g_error_matches (error, OC_EWS_ERROR, OC_EWS_ERROR_WINDOW_TOO_LONG) && query->end - query->start > DAY)
    {
      /* The server's limit is below ours (an administrator's choice): halve,
       * and remember, so that the next windows fit at once. */
      gint64 middle = query->start + (query->end - query->start) / 2;

      self->max_window = MIN (self->max_window, middle - query->start);
      self->stats.splits++;
      start_availability (task, query->emails, query->start, middle);
      start_availability (task, query->emails, middle, query->end);
    }
  else if (job->error == NULL)
    job->error = g_steal_pointer (&error);

  if (job->outstanding > 0)
    return;
  if (job->error != NULL)
    finish_job (task);
  else
    start_calendars (task);
}

static void
start_availability (GTask  *task,
                    char  **emails,
                    gint64  start,
                    gint64  end)
{
  OcEwsClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  job->outstanding++;
  oc_ews_client_exchange_async (self, build_availability, parse_availability,
                                query_new (emails, start, end, job->zone), (GDestroyNotify) query_free,
                                (GDestroyNotify) g_ptr_array_unref, g_task_get_cancellable (task),
                                availability_done_cb, g_object_ref (task));
}

static void
start_calendar (GTask      *task,
                const char *email,
                gint64      start,
                gint64      end)
{
  OcEwsClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  char *emails[] = { (char *) email, NULL };

  job->outstanding++;
  oc_ews_client_exchange_async (self, build_calendar, parse_calendar, query_new (emails, start, end, job->zone),
                                (GDestroyNotify) query_free, (GDestroyNotify) calendar_part_free,
                                g_task_get_cancellable (task), calendar_done_cb, g_object_ref (task));
}

/* GObject */

static void
oc_ews_client_finalize (GObject *object)
{
  OcEwsClient *self = OC_EWS_CLIENT (object);

  /* Every queued exchange holds a reference to the client. */
  g_assert (g_queue_is_empty (&self->pending));
  g_clear_object (&self->http);
  g_free (self->url);
  g_hash_table_unref (self->folder_refused);
  G_OBJECT_CLASS (oc_ews_client_parent_class)->finalize (object);
}

static void
oc_ews_client_class_init (OcEwsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oc_ews_client_finalize;

  /**
   * OcEwsClient::waiting:
   * @client: the client
   * @milliseconds: how long it waits before asking again
   *
   * Exchange asked the client to slow down (ErrorServerBusy, 503); a page
   * may say so when the wait is long.
   */
  signals[SIGNAL_WAITING] = g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
oc_ews_client_init (OcEwsClient *self)
{
  self->request_version = OC_EWS_REQUEST_VERSION;
  self->max_in_flight = 2;
  self->max_window = OC_EWS_AVAILABILITY_MAX_DAYS * DAY;
  self->max_attempts = 4;
  self->folder_refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending);
}

void
oc_ews_client_emit_waiting (OcEwsClient *self,
                            guint        milliseconds)
{
  g_signal_emit (self, signals[SIGNAL_WAITING], 0, milliseconds);
}

/* Public API */

/**
 * oc_ews_client_new:
 * @http: the client every request goes through (sign-in, trust, proxies)
 * @url: the EWS endpoint, `https://…/EWS/Exchange.asmx`
 *
 * The endpoint's host gets the user's credentials only if @http trusts it.
 *
 * Returns: (transfer full): a new client
 */
OcEwsClient *
oc_ews_client_new (OcHttpClient *http,
                   const char   *url)
{
  OcEwsClient *self;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (OC_TYPE_EWS_CLIENT, NULL);
  self->http = g_object_ref (http);
  self->url = g_strdup (url);
  return self;
}

const char *
oc_ews_client_get_url (OcEwsClient *self)
{
  g_return_val_if_fail (OC_IS_EWS_CLIENT (self), NULL);
  return self->url;
}

/**
 * oc_ews_client_get_server_version:
 * @self: a client
 *
 * Returns: the product that answered last, from ServerVersionInfo;
 *   %OC_EWS_SERVER_UNKNOWN before the first answer
 */
OcEwsServerVersion
oc_ews_client_get_server_version (OcEwsClient *self)
{
  g_return_val_if_fail (OC_IS_EWS_CLIENT (self), OC_EWS_SERVER_UNKNOWN);
  return self->server_version;
}

/**
 * oc_ews_client_set_max_in_flight:
 * @self: a client
 * @n: how many requests may be on the way at once (default 2)
 */
void
oc_ews_client_set_max_in_flight (OcEwsClient *self,
                                 guint        n)
{
  g_return_if_fail (OC_IS_EWS_CLIENT (self));
  self->max_in_flight = MAX (n, 1);
}

/**
 * oc_ews_client_set_max_window_days:
 * @self: a client
 * @days: the longest GetUserAvailability window to ask for (default 42,
 *   Exchange's default limit); the client halves it by itself when the
 *   server refuses
 */
void
oc_ews_client_set_max_window_days (OcEwsClient *self,
                                   guint        days)
{
  g_return_if_fail (OC_IS_EWS_CLIENT (self));
  self->max_window = (gint64) MAX (days, 1) * DAY;
}

/**
 * oc_ews_client_set_max_attempts:
 * @self: a client
 * @attempts: how often one request is sent at most while Exchange is busy
 *   (default 4)
 */
void
oc_ews_client_set_max_attempts (OcEwsClient *self,
                                guint        attempts)
{
  g_return_if_fail (OC_IS_EWS_CLIENT (self));
  self->max_attempts = MAX (attempts, 1);
}

/**
 * oc_ews_client_get_stats:
 * @self: a client
 * @out_stats: (out): the counters so far
 */
void
oc_ews_client_get_stats (OcEwsClient      *self,
                         OcEwsClientStats *out_stats)
{
  g_return_if_fail (OC_IS_EWS_CLIENT (self));
  *out_stats = self->stats;
}

/**
 * oc_ews_client_get_schedules_async:
 * @self: a client
 * @emails: (array zero-terminated=1): the colleagues
 * @start: the range, UTC seconds
 * @end: its end, exclusive
 * @zone: the zone the page shows times in
 * @flags: whose calendar folders to read
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the schedules
 * @user_data: for @callback
 */
void
oc_ews_client_get_schedules_async (OcEwsClient        *self,
                                   const char * const *emails,
                                   gint64              start,
                                   gint64              end,
                                   GTimeZone          *zone,
                                   OcEwsFetchFlags     flags,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  Job *job;

  g_return_if_fail (OC_IS_EWS_CLIENT (self));
  g_return_if_fail (emails != NULL && zone != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_ews_client_get_schedules_async);
  job = g_new0 (Job, 1);
  job->emails = g_strdupv ((char **) emails);
  job->start = start;
  job->end = MAX (start, end);
  job->zone = g_time_zone_ref (zone);
  job->flags = flags;
  job->availability = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) oc_schedule_free);
  job->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) oc_schedule_free);
  job->calendar_failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  groups = oc_ews_mailboxes_split (emails, OC_EWS_AVAILABILITY_MAX_MAILBOXES);
  if (groups->len == 0 || job->end == job->start)
    {
      finish_job (task);
      return;
    }
  for (guint g = 0; g < groups->len; g++)
    {
      g_autoptr (GArray) windows = oc_ews_window_split (job->start, job->end, self->max_window);

      for (guint w = 0; w < windows->len; w++)
        start_availability (task, g_ptr_array_index (groups, g), g_array_index (windows, OcEwsWindow, w).start,
                            g_array_index (windows, OcEwsWindow, w).end);
    }
}

/**
 * oc_ews_client_get_schedules_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for a #GError (%OC_EWS_ERROR, %OC_HTTP_ERROR)
 *
 * Returns: (transfer full) (element-type OcSchedule): one schedule per
 *   address, in the order asked; a person's own refusal is in their
 *   schedule's error, not in @error
 */
GPtrArray *
oc_ews_client_get_schedules_finish (OcEwsClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_ews_client_get_schedules_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GBytes *
build_item (const char *request_version,
            gpointer    data)
{
  return oc_ews_item_build_request (request_version, ((Query *) data)->emails[0]);
}

static gpointer
parse_item (GBytes   *body,
            gpointer  data,
            GError  **error)
{
  return oc_ews_item_parse (body, ((Query *) data)->zone, error);
}

static void
details_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  OcIcalInstance *instance = oc_ews_client_exchange_finish (OC_EWS_CLIENT (source), result, &error);

  if (instance != NULL)
    g_task_return_pointer (task, instance, (GDestroyNotify) oc_ical_instance_free);
  else
    g_task_return_error (task, error);
}

/**
 * oc_ews_client_get_details_async:
 * @self: a client
 * @item_id: an event's uid, as a calendar-folder schedule gave it (an EWS ItemId)
 * @zone: the zone the page shows times in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the event
 * @user_data: for @callback
 */
void
oc_ews_client_get_details_async (OcEwsClient        *self,
                                 const char         *item_id,
                                 GTimeZone          *zone,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  char *ids[] = { (char *) item_id, NULL };

  g_return_if_fail (OC_IS_EWS_CLIENT (self));
  g_return_if_fail (item_id != NULL && zone != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_ews_client_get_details_async);
  oc_ews_client_exchange_async (self, build_item, parse_item, query_new (ids, 0, 0, zone),
                                (GDestroyNotify) query_free, (GDestroyNotify) oc_ical_instance_free,
                                cancellable, details_done_cb, g_object_ref (task));
}

/**
 * oc_ews_client_get_details_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the event with body, organizer and
 *   attendees (none of them for a private event)
 */
OcIcalInstance *
oc_ews_client_get_details_finish (OcEwsClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_ews_client_get_details_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
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
  oc_ews_client_get_schedules_async (OC_EWS_CLIENT (fetcher), emails, start, end, zone, OC_EWS_FETCH_DEFAULT, cancellable, callback, user_data);
}

static GPtrArray *
fetcher_fetch_finish (OcScheduleFetcher  *fetcher,
                      GAsyncResult       *result,
                      GError            **error)
{
  return oc_ews_client_get_schedules_finish (OC_EWS_CLIENT (fetcher), result, error);
}

static void
fetcher_get_details_async (OcScheduleFetcher   *fetcher,
                           const char          *uid,
                           GTimeZone           *zone,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  oc_ews_client_get_details_async (OC_EWS_CLIENT (fetcher), uid, zone, cancellable, callback, user_data);
}

static OcIcalInstance *
fetcher_get_details_finish (OcScheduleFetcher  *fetcher,
                            GAsyncResult       *result,
                            GError            **error)
{
  return oc_ews_client_get_details_finish (OC_EWS_CLIENT (fetcher), result, error);
}

static void
oc_ews_client_fetcher_init (OcScheduleFetcherInterface *iface)
{
  iface->fetch_async = fetcher_fetch_async;
  iface->fetch_finish = fetcher_fetch_finish;
  iface->get_details_async = fetcher_get_details_async;
  iface->get_details_finish = fetcher_get_details_finish;
}
