/* oc-schedule-loader.c: asks Exchange for what a calendar tab does not know.
 *
 * A tab of several colleagues is one request per endpoint for all of them
 * (GetUserAvailability takes up to 100 mailboxes; the EWS client splits
 * beyond), not one per person: that is what makes a team of twenty as quick
 * as one. Whatever the outcome, each colleague's answer for the range is
 * kept by their source (an error too), so the page can always be drawn.
 */
#include "config.h"
#include "oc-schedule-loader.h"

typedef struct {
  OcExchangeAccess *access;
  GPtrArray *wanted;           /* OcScheduleSource: not known for the range */
  GHashTable *by_client;       /* OcScheduleFetcher → GPtrArray of OcScheduleSource */
  gint64 start;
  gint64 end;
  GTimeZone *zone;
  guint pending;
} Loading;

static void
loading_free (Loading *loading)
{
  g_object_unref (loading->access);
  g_ptr_array_unref (loading->wanted);
  g_hash_table_unref (loading->by_client);
  g_time_zone_unref (loading->zone);
  g_free (loading);
}

static gboolean
is_fresh (OcScheduleSource *source,
          gint64            start,
          gint64            end,
          gint64            max_age_usec)
{
  gint64 fetched_at = 0;
  const OcSchedule *schedule = oc_schedule_source_lookup (source, start, end, &fetched_at);

  /* A failure is asked again at once: the server may be back. */
  return schedule != NULL && schedule->error == NULL && g_get_monotonic_time () - fetched_at <= max_age_usec;
}

static void
finish_one (GTask *task)
{
  Loading *loading = g_task_get_task_data (task);

  if (--loading->pending == 0)
    g_task_return_boolean (task, TRUE);
}

static void
schedules_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Loading *loading = g_task_get_task_data (task);
  OcScheduleFetcher *client = OC_SCHEDULE_FETCHER (object);
  GPtrArray *sources = g_hash_table_lookup (loading->by_client, client);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = oc_schedule_fetcher_fetch_finish (client, result, &error);

  for (guint i = 0; i < sources->len; i++)
    {
      OcScheduleSource *source = g_ptr_array_index (sources, i);
      const OcSchedule *found = NULL;

      for (guint s = 0; schedules != NULL && s < schedules->len && found == NULL; s++)
        {
          OcSchedule *schedule = g_ptr_array_index (schedules, s);
          if (g_ascii_strcasecmp (schedule->email, oc_schedule_source_get_email (source)) == 0)
            found = schedule;
        }
      if (found != NULL)
        {
          g_autoptr (OcSchedule) copy = oc_schedule_copy (found);
          /* Kept under the range asked for, whatever the server answered for. */
          copy->start = loading->start;
          copy->end = loading->end;
          oc_schedule_source_store (source, copy);
        }
      else
        {
          g_autoptr (GError) missing = NULL;
          if (error == NULL)
            missing = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "Exchange said nothing about %s.", oc_schedule_source_get_email (source));
          oc_schedule_source_fail (source, loading->start, loading->end, error ? error : missing);
        }
    }
  finish_one (task);
}

static void
ask_each_client (GTask *task)
{
  Loading *loading = g_task_get_task_data (task);
  GHashTableIter iter;
  OcScheduleFetcher *client;
  GPtrArray *sources;

  loading->pending = 1;
  g_hash_table_iter_init (&iter, loading->by_client);
  while (g_hash_table_iter_next (&iter, (gpointer *) &client, (gpointer *) &sources))
    {
      g_autoptr (GPtrArray) emails = g_ptr_array_new ();

      for (guint i = 0; i < sources->len; i++)
        g_ptr_array_add (emails, (char *) oc_schedule_source_get_email (g_ptr_array_index (sources, i)));
      g_ptr_array_add (emails, NULL);
      loading->pending++;
      oc_schedule_fetcher_fetch_async (client, (const char *const *) emails->pdata, loading->start, loading->end,
                                       loading->zone, g_task_get_cancellable (task), schedules_cb,
                                       g_object_ref (task));
    }
  finish_one (task);
}

typedef struct {
  GTask *task;
  OcScheduleSource *source;
} ClientLookup;

static void
client_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ClientLookup *lookup = user_data;
  g_autoptr (GTask) task = lookup->task;
  g_autoptr (OcScheduleSource) source = lookup->source;
  Loading *loading = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcScheduleFetcher) client = oc_exchange_access_get_fetcher_finish (OC_EXCHANGE_ACCESS (object), result,
                                                                               &error);

  g_free (lookup);
  if (client == NULL)
    oc_schedule_source_fail (source, loading->start, loading->end, error);
  else
    {
      GPtrArray *sources = g_hash_table_lookup (loading->by_client, client);

      if (sources == NULL)
        {
          sources = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (loading->by_client, g_object_ref (client), sources);
        }
      g_ptr_array_add (sources, g_object_ref (source));
    }
  if (--loading->pending == 0)
    ask_each_client (task);
}

/**
 * oc_schedule_loader_is_known:
 * @sources: (element-type OcScheduleSource): colleagues
 * @start: a range's start, UTC seconds
 * @end: its end
 * @max_age_usec: how old an answer may be
 *
 * Returns: whether every colleague's answer for the range is there and fresh
 */
gboolean
oc_schedule_loader_is_known (GPtrArray *sources,
                             gint64     start,
                             gint64     end,
                             gint64     max_age_usec)
{
  for (guint i = 0; i < sources->len; i++)
    if (!is_fresh (g_ptr_array_index (sources, i), start, end, max_age_usec))
      return FALSE;
  return TRUE;
}

/**
 * oc_schedule_loader_load_async:
 * @access: finds each colleague's Exchange
 * @sources: (element-type OcScheduleSource): the colleagues of a tab
 * @start: the range's start, UTC seconds
 * @end: its end (exclusive)
 * @zone: the viewer's zone
 * @max_age_usec: answers younger than this are not asked again (0: ask all)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every source holds an answer for the range
 * @user_data: for @callback
 */
void
oc_schedule_loader_load_async (OcExchangeAccess   *access,
                               GPtrArray          *sources,
                               gint64              start,
                               gint64              end,
                               GTimeZone          *zone,
                               gint64              max_age_usec,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Loading *loading = g_new0 (Loading, 1);

  g_task_set_source_tag (task, oc_schedule_loader_load_async);
  loading->access = g_object_ref (access);
  loading->wanted = g_ptr_array_new_with_free_func (g_object_unref);
  loading->by_client = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref,
                                              (GDestroyNotify) g_ptr_array_unref);
  loading->start = start;
  loading->end = end;
  loading->zone = g_time_zone_ref (zone);
  g_task_set_task_data (task, loading, (GDestroyNotify) loading_free);
  for (guint i = 0; i < sources->len; i++)
    if (!is_fresh (g_ptr_array_index (sources, i), start, end, max_age_usec))
      g_ptr_array_add (loading->wanted, g_object_ref (g_ptr_array_index (sources, i)));

  loading->pending = 1;
  for (guint i = 0; i < loading->wanted->len; i++)
    {
      ClientLookup *lookup = g_new0 (ClientLookup, 1);

      lookup->task = g_object_ref (task);
      lookup->source = g_object_ref (g_ptr_array_index (loading->wanted, i));
      loading->pending++;
      oc_exchange_access_get_fetcher_async (access, oc_schedule_source_get_email (lookup->source), cancellable,
                                           client_found_cb, lookup);
    }
  if (--loading->pending == 0)
    ask_each_client (task);
}

gboolean
oc_schedule_loader_load_finish (GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
