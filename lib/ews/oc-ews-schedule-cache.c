/* oc-ews-schedule-cache.c: what was fetched of whom and when, for a page that
 * moves through time.
 *
 * Per person: the ranges already fetched (merged, in order) and everything
 * fetched in them. A page shows oc_ews_schedule_cache_lookup() at once, asks
 * the client only for oc_ews_schedule_cache_missing() (or, for a team, the
 * span over everyone), and stores what comes back; storing a range again
 * (Reload, a refresh in the background) replaces what was known there.
 * Memory only: schedules are other people's calendars and stay off disk.
 */
#include "config.h"
#include "oc-ews-schedule-cache.h"

#include "oc-ews-availability.h"

struct _OcEwsScheduleCache {
  GHashTable *entries;          /* email → Entry */
};

typedef struct {
  OcSchedule *schedule;         /* everything known; its start/end unused */
  GArray *covered;              /* OcEwsWindow, sorted, disjoint, not touching */
} Entry;

static void
entry_free (Entry *entry)
{
  oc_schedule_free (entry->schedule);
  g_array_unref (entry->covered);
  g_free (entry);
}

static void
cover (GArray *covered,
       gint64  start,
       gint64  end)
{
  OcEwsWindow merged = { start, end };
  g_autoptr (GArray) result = g_array_new (FALSE, FALSE, sizeof (OcEwsWindow));
  gboolean placed = FALSE;

  for (guint i = 0; i < covered->len; i++)
    {
      OcEwsWindow *window = &g_array_index (covered, OcEwsWindow, i);

      if (window->end < merged.start)
        g_array_append_val (result, *window);
      else if (window->start > merged.end)
        {
          if (!placed)
            g_array_append_val (result, merged);
          placed = TRUE;
          g_array_append_val (result, *window);
        }
      else
        {
          merged.start = MIN (merged.start, window->start);
          merged.end = MAX (merged.end, window->end);
        }
    }
  if (!placed)
    g_array_append_val (result, merged);
  g_array_set_size (covered, 0);
  g_array_append_vals (covered, result->data, result->len);
}

static gboolean
overlaps (const OcIcalInstance *instance,
          gint64                start,
          gint64                end)
{
  return instance->start < end && (instance->end > start || (instance->end == instance->start && instance->start >= start));
}

/**
 * oc_ews_schedule_cache_new:
 *
 * Returns: (transfer full): an empty cache
 */
OcEwsScheduleCache *
oc_ews_schedule_cache_new (void)
{
  OcEwsScheduleCache *cache = g_new0 (OcEwsScheduleCache, 1);

  cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  return cache;
}

void
oc_ews_schedule_cache_free (OcEwsScheduleCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->entries);
  g_free (cache);
}

/**
 * oc_ews_schedule_cache_store:
 * @cache: a cache
 * @schedule: what a server answered for one person over schedule->start to ->end
 *
 * Replaces what was known of that person in that range; the sharing, error
 * and working hours become the new ones.
 */
void
oc_ews_schedule_cache_store (OcEwsScheduleCache *cache,
                             const OcSchedule   *schedule)
{
  Entry *entry = g_hash_table_lookup (cache->entries, schedule->email);

  g_return_if_fail (cache != NULL && schedule != NULL);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->schedule = oc_schedule_new (schedule->email);
      entry->covered = g_array_new (FALSE, FALSE, sizeof (OcEwsWindow));
      g_hash_table_insert (cache->entries, g_strdup (schedule->email), entry);
    }
  for (guint i = entry->schedule->instances->len; i > 0; i--)
    if (overlaps (g_ptr_array_index (entry->schedule->instances, i - 1), schedule->start, schedule->end))
      g_ptr_array_remove_index (entry->schedule->instances, i - 1);
  for (guint i = 0; i < schedule->instances->len; i++)
    g_ptr_array_add (entry->schedule->instances, oc_ical_instance_copy (g_ptr_array_index (schedule->instances, i)));
  oc_schedule_sort (entry->schedule);
  cover (entry->covered, schedule->start, schedule->end);

  entry->schedule->sharing = schedule->sharing;
  g_clear_pointer (&entry->schedule->display_name, g_free);
  entry->schedule->display_name = g_strdup (schedule->display_name);
  g_clear_pointer (&entry->schedule->working_hours, oc_working_hours_free);
  if (schedule->working_hours != NULL)
    entry->schedule->working_hours = oc_working_hours_copy (schedule->working_hours);
  oc_schedule_take_error (entry->schedule, schedule->error != NULL ? g_error_copy (schedule->error) : NULL);
}

/**
 * oc_ews_schedule_cache_lookup:
 * @cache: a cache
 * @email: whose schedule
 * @start: the range to show, UTC seconds
 * @end: its end, exclusive
 *
 * Returns: (transfer full) (nullable): what is known of @email in the
 *   range (its start and end are the range asked), %NULL when nothing of
 *   it was fetched yet
 */
OcSchedule *
oc_ews_schedule_cache_lookup (OcEwsScheduleCache *cache,
                              const char         *email,
                              gint64              start,
                              gint64              end)
{
  Entry *entry = g_hash_table_lookup (cache->entries, email);
  OcSchedule *schedule;
  gboolean any = FALSE;

  for (guint i = 0; entry != NULL && i < entry->covered->len; i++)
    any |= g_array_index (entry->covered, OcEwsWindow, i).start < end &&
           g_array_index (entry->covered, OcEwsWindow, i).end > start;
  if (!any)
    return NULL;

  schedule = oc_schedule_new (email);
  schedule->display_name = g_strdup (entry->schedule->display_name);
  schedule->sharing = entry->schedule->sharing;
  schedule->start = start;
  schedule->end = end;
  schedule->working_hours = entry->schedule->working_hours ? oc_working_hours_copy (entry->schedule->working_hours) : NULL;
  schedule->error = entry->schedule->error ? g_error_copy (entry->schedule->error) : NULL;
  for (guint i = 0; i < entry->schedule->instances->len; i++)
    if (overlaps (g_ptr_array_index (entry->schedule->instances, i), start, end))
      g_ptr_array_add (schedule->instances, oc_ical_instance_copy (g_ptr_array_index (entry->schedule->instances, i)));
  return schedule;
}

/**
 * oc_ews_schedule_cache_missing:
 * @cache: a cache
 * @email: whose schedule
 * @start: the range to show
 * @end: its end, exclusive
 *
 * Returns: (transfer full) (element-type OcEwsWindow): the parts of the
 *   range not fetched yet, in order; empty when all is known
 */
GArray *
oc_ews_schedule_cache_missing (OcEwsScheduleCache *cache,
                               const char         *email,
                               gint64              start,
                               gint64              end)
{
  Entry *entry = g_hash_table_lookup (cache->entries, email);
  GArray *missing = g_array_new (FALSE, FALSE, sizeof (OcEwsWindow));
  gint64 from = start;

  for (guint i = 0; entry != NULL && i < entry->covered->len && from < end; i++)
    {
      OcEwsWindow *window = &g_array_index (entry->covered, OcEwsWindow, i);

      if (window->end <= from)
        continue;
      if (window->start > from)
        {
          OcEwsWindow gap = { from, MIN (window->start, end) };

          g_array_append_val (missing, gap);
        }
      from = MAX (from, window->end);
    }
  if (from < end)
    {
      OcEwsWindow gap = { from, end };

      g_array_append_val (missing, gap);
    }
  return missing;
}

/**
 * oc_ews_schedule_cache_missing_span:
 * @cache: a cache
 * @emails: (array zero-terminated=1): a team shown side by side
 * @start: the range to show
 * @end: its end, exclusive
 * @out_start: (out): the start of the one range to ask for
 * @out_end: (out): its end
 *
 * A team is asked in one availability request: this is the smallest range
 * that holds what anyone of them is missing.
 *
 * Returns: whether anything is missing
 */
gboolean
oc_ews_schedule_cache_missing_span (OcEwsScheduleCache *cache,
                                    const char * const *emails,
                                    gint64              start,
                                    gint64              end,
                                    gint64             *out_start,
                                    gint64             *out_end)
{
  gint64 first = G_MAXINT64, last = G_MININT64;

  for (guint e = 0; emails[e] != NULL; e++)
    {
      g_autoptr (GArray) missing = oc_ews_schedule_cache_missing (cache, emails[e], start, end);

      if (missing->len == 0)
        continue;
      first = MIN (first, g_array_index (missing, OcEwsWindow, 0).start);
      last = MAX (last, g_array_index (missing, OcEwsWindow, missing->len - 1).end);
    }
  if (first >= last)
    return FALSE;
  *out_start = first;
  *out_end = last;
  return TRUE;
}

/**
 * oc_ews_schedule_cache_forget:
 * @cache: a cache
 * @email: (nullable): whom to forget, %NULL for everyone (Reload)
 */
void
oc_ews_schedule_cache_forget (OcEwsScheduleCache *cache,
                              const char         *email)
{
  if (email == NULL)
    g_hash_table_remove_all (cache->entries);
  else
    g_hash_table_remove (cache->entries, email);
}
