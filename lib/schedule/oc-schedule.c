/* oc-schedule.c: one colleague's time as a server tells it. */
#include "config.h"
#include "oc-schedule.h"

G_DEFINE_BOXED_TYPE (OcSchedule, oc_schedule, oc_schedule_copy, oc_schedule_free)

/**
 * oc_schedule_new:
 * @email: whose schedule
 *
 * Returns: (transfer full): an empty schedule, sharing unknown
 */
OcSchedule *
oc_schedule_new (const char *email)
{
  OcSchedule *schedule = g_new0 (OcSchedule, 1);

  schedule->email = g_strdup (email);
  schedule->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  return schedule;
}

OcSchedule *
oc_schedule_copy (const OcSchedule *schedule)
{
  OcSchedule *copy = oc_schedule_new (schedule->email);

  copy->display_name = g_strdup (schedule->display_name);
  copy->sharing = schedule->sharing;
  copy->start = schedule->start;
  copy->end = schedule->end;
  for (guint i = 0; i < schedule->instances->len; i++)
    g_ptr_array_add (copy->instances, oc_ical_instance_copy (g_ptr_array_index (schedule->instances, i)));
  copy->working_hours = schedule->working_hours ? oc_working_hours_copy (schedule->working_hours) : NULL;
  copy->error = schedule->error ? g_error_copy (schedule->error) : NULL;
  return copy;
}

void
oc_schedule_free (OcSchedule *schedule)
{
  if (schedule == NULL)
    return;
  g_free (schedule->email);
  g_free (schedule->display_name);
  g_ptr_array_unref (schedule->instances);
  g_clear_pointer (&schedule->working_hours, oc_working_hours_free);
  g_clear_error (&schedule->error);
  g_free (schedule);
}

/**
 * oc_schedule_take_error:
 * @schedule: a schedule
 * @error: (transfer full): why it could not be read
 */
void
oc_schedule_take_error (OcSchedule *schedule,
                        GError     *error)
{
  g_clear_error (&schedule->error);
  schedule->error = error;
}

static int
compare_instances (gconstpointer a,
                   gconstpointer b)
{
  return oc_ical_instance_compare (*(OcIcalInstance **) a, *(OcIcalInstance **) b);
}

/**
 * oc_schedule_sort:
 * @schedule: a schedule
 *
 * Puts its instances in the order of oc_ical_instance_compare(), as the
 * model promises, after a server's answer was read in its own order.
 */
void
oc_schedule_sort (OcSchedule *schedule)
{
  g_ptr_array_sort (schedule->instances, compare_instances);
}

static gboolean
has_instance (const OcSchedule     *schedule,
              const OcIcalInstance *instance)
{
  for (guint i = 0; i < schedule->instances->len; i++)
    {
      const OcIcalInstance *known = g_ptr_array_index (schedule->instances, i);

      if (known->start == instance->start && known->end == instance->end &&
          g_strcmp0 (known->uid, instance->uid) == 0 && g_strcmp0 (known->recurrence_id, instance->recurrence_id) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * oc_schedule_merge:
 * @schedule: a schedule
 * @other: the same person's schedule over another range (a server's limit
 *   split the request, or the page moved on)
 *
 * Adds what @other knows to @schedule: its range, the instances not known yet
 * (an event across the border of two ranges comes in both), the working hours
 * and name when @schedule has none, the most that was shared, and @other's
 * error when @schedule has none.
 */
void
oc_schedule_merge (OcSchedule       *schedule,
                   const OcSchedule *other)
{
  g_return_if_fail (schedule != NULL && other != NULL);

  if (schedule->start == schedule->end)
    {
      schedule->start = other->start;
      schedule->end = other->end;
    }
  else if (other->start != other->end)
    {
      schedule->start = MIN (schedule->start, other->start);
      schedule->end = MAX (schedule->end, other->end);
    }
  for (guint i = 0; i < other->instances->len; i++)
    if (!has_instance (schedule, g_ptr_array_index (other->instances, i)))
      g_ptr_array_add (schedule->instances, oc_ical_instance_copy (g_ptr_array_index (other->instances, i)));
  oc_schedule_sort (schedule);
  if (schedule->working_hours == NULL && other->working_hours != NULL)
    schedule->working_hours = oc_working_hours_copy (other->working_hours);
  if (schedule->display_name == NULL)
    schedule->display_name = g_strdup (other->display_name);
  if (schedule->error == NULL && other->error != NULL)
    schedule->error = g_error_copy (other->error);
  schedule->sharing = MAX (schedule->sharing, other->sharing);
}

OcWorkingHours *
oc_working_hours_copy (const OcWorkingHours *hours)
{
  OcWorkingHours *copy = g_new0 (OcWorkingHours, 1);

  *copy = *hours;
  copy->zone = hours->zone ? g_time_zone_ref (hours->zone) : NULL;
  return copy;
}

void
oc_working_hours_free (OcWorkingHours *hours)
{
  if (hours == NULL)
    return;
  g_clear_pointer (&hours->zone, g_time_zone_unref);
  g_free (hours);
}

/**
 * oc_working_hours_contains:
 * @hours: working hours
 * @utc_seconds: a moment
 *
 * Returns: whether @utc_seconds falls on a working day within working time,
 *   in the zone of @hours (the local zone when it has none)
 */
gboolean
oc_working_hours_contains (const OcWorkingHours *hours,
                           gint64                utc_seconds)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (utc_seconds);
  g_autoptr (GTimeZone) local = hours->zone ? NULL : g_time_zone_new_local ();
  g_autoptr (GDateTime) there = g_date_time_to_timezone (utc, hours->zone ? hours->zone : local);
  int minute;

  if (there == NULL || (hours->days & (1u << g_date_time_get_day_of_week (there))) == 0)
    return FALSE;
  minute = g_date_time_get_hour (there) * 60 + g_date_time_get_minute (there);
  return minute >= hours->start_minute && minute < hours->end_minute;
}

const char *
oc_sharing_to_string (OcSharing sharing)
{
  switch (sharing)
    {
    case OC_SHARING_NONE:
      return "none";
    case OC_SHARING_FREE_BUSY:
      return "free-busy";
    case OC_SHARING_LIMITED:
      return "limited";
    case OC_SHARING_FULL:
      return "full";
    case OC_SHARING_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * oc_sharing_describe:
 * @sharing: what a colleague shares
 * @name: her name or address
 *
 * Returns: (transfer full) (nullable): the one line a page shows about it,
 *   %NULL when there is nothing to say (she shares her calendar)
 */
char *
oc_sharing_describe (OcSharing   sharing,
                     const char *name)
{
  switch (sharing)
    {
    case OC_SHARING_FREE_BUSY:
      return g_strdup_printf ("%s shares when they are busy, not what they do.", name);
    case OC_SHARING_LIMITED:
      return g_strdup_printf ("%s shares when they are busy, with subjects and places, not the details.", name);
    case OC_SHARING_NONE:
      return g_strdup_printf ("%s does not share their calendar with you. Ask them to share it "
                              "(in Outlook: Calendar → Share → Reviewer, or at least free/busy).", name);
    case OC_SHARING_FULL:
    case OC_SHARING_UNKNOWN:
    default:
      return NULL;
    }
}
