/* oc-ical-instance.c: one occurrence of an event, as shown in a calendar view. */
#include "config.h"
#include "oc-ical-instance.h"

G_DEFINE_BOXED_TYPE (OcIcalInstance, oc_ical_instance, oc_ical_instance_copy, oc_ical_instance_free)

void
oc_ical_attendee_free (OcIcalAttendee *attendee)
{
  if (attendee == NULL)
    return;
  g_free (attendee->name);
  g_free (attendee->email);
  g_free (attendee->role);
  g_free (attendee->partstat);
  g_free (attendee);
}

static OcIcalAttendee *
attendee_copy (const OcIcalAttendee *attendee,
               gpointer              unused)
{
  OcIcalAttendee *copy = g_new0 (OcIcalAttendee, 1);

  copy->name = g_strdup (attendee->name);
  copy->email = g_strdup (attendee->email);
  copy->role = g_strdup (attendee->role);
  copy->partstat = g_strdup (attendee->partstat);
  return copy;
}

/**
 * oc_ical_instance_new:
 *
 * Returns: (transfer full): an empty instance
 */
OcIcalInstance *
oc_ical_instance_new (void)
{
  OcIcalInstance *instance = g_new0 (OcIcalInstance, 1);

  instance->attendees = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_attendee_free);
  instance->busy = OC_BUSY_BUSY;
  return instance;
}

OcIcalInstance *
oc_ical_instance_copy (const OcIcalInstance *instance)
{
  OcIcalInstance *copy = g_new0 (OcIcalInstance, 1);

  *copy = *instance;
  copy->uid = g_strdup (instance->uid);
  copy->recurrence_id = g_strdup (instance->recurrence_id);
  copy->local_start = instance->local_start ? g_date_time_ref (instance->local_start) : NULL;
  copy->local_end = instance->local_end ? g_date_time_ref (instance->local_end) : NULL;
  copy->summary = g_strdup (instance->summary);
  copy->location = g_strdup (instance->location);
  copy->description = g_strdup (instance->description);
  copy->organizer_name = g_strdup (instance->organizer_name);
  copy->organizer_email = g_strdup (instance->organizer_email);
  copy->attendees = g_ptr_array_copy (instance->attendees, (GCopyFunc) attendee_copy, NULL);
  g_ptr_array_set_free_func (copy->attendees, (GDestroyNotify) oc_ical_attendee_free);
  return copy;
}

void
oc_ical_instance_free (OcIcalInstance *instance)
{
  if (instance == NULL)
    return;
  g_free (instance->uid);
  g_free (instance->recurrence_id);
  g_clear_pointer (&instance->local_start, g_date_time_unref);
  g_clear_pointer (&instance->local_end, g_date_time_unref);
  g_free (instance->summary);
  g_free (instance->location);
  g_free (instance->description);
  g_free (instance->organizer_name);
  g_free (instance->organizer_email);
  g_ptr_array_unref (instance->attendees);
  g_free (instance);
}

/**
 * oc_ical_instance_set_range:
 * @instance: an instance
 * @start: its start, UTC seconds
 * @end: its end, UTC seconds
 * @zone: the view's zone, for the local times
 */
void
oc_ical_instance_set_range (OcIcalInstance *instance,
                            gint64          start,
                            gint64          end,
                            GTimeZone      *zone)
{
  g_autoptr (GDateTime) utc_start = g_date_time_new_from_unix_utc (start);
  g_autoptr (GDateTime) utc_end = g_date_time_new_from_unix_utc (MAX (start, end));

  instance->start = start;
  instance->end = MAX (start, end);
  g_clear_pointer (&instance->local_start, g_date_time_unref);
  g_clear_pointer (&instance->local_end, g_date_time_unref);
  instance->local_start = g_date_time_to_timezone (utc_start, zone);
  instance->local_end = g_date_time_to_timezone (utc_end, zone);
}

/**
 * oc_ical_instance_compare:
 * @a: an instance
 * @b: another
 *
 * The order of a view: all-day first, then by start, longer first, then by summary.
 *
 * Returns: negative, 0 or positive, as strcmp()
 */
int
oc_ical_instance_compare (const OcIcalInstance *a,
                          const OcIcalInstance *b)
{
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  if (a->all_day != b->all_day)
    return a->all_day ? -1 : 1;
  if (a->end != b->end)
    return a->end > b->end ? -1 : 1;
  return g_strcmp0 (a->summary, b->summary);
}

/**
 * oc_busy_status_to_string:
 * @busy: a status
 *
 * Returns: the status as a word for CSS classes and tests: free, elsewhere, tentative, busy, oof
 */
const char *
oc_busy_status_to_string (OcBusyStatus busy)
{
  switch (busy)
    {
    case OC_BUSY_FREE:
      return "free";
    case OC_BUSY_WORKING_ELSEWHERE:
      return "elsewhere";
    case OC_BUSY_TENTATIVE:
      return "tentative";
    case OC_BUSY_OUT_OF_OFFICE:
      return "oof";
    case OC_BUSY_BUSY:
    default:
      return "busy";
    }
}

/**
 * oc_privacy_to_string:
 * @privacy: a class
 *
 * Returns: public, private or confidential
 */
const char *
oc_privacy_to_string (OcPrivacy privacy)
{
  switch (privacy)
    {
    case OC_PRIVACY_PRIVATE:
      return "private";
    case OC_PRIVACY_CONFIDENTIAL:
      return "confidential";
    case OC_PRIVACY_PUBLIC:
    default:
      return "public";
    }
}
