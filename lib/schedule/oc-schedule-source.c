/* oc-schedule-source.c: one colleague whose time a server tells per range.
 *
 * A server answers for a range of time (a week, a month), so what it said is
 * kept per range: coming back to a week shows it at once. Ranges are the
 * calendar page's (whole days of the viewer's zone), so the same view of the
 * same week asks for exactly the same range again.
 */
#include "config.h"
#include "oc-schedule-source.h"

struct _OcScheduleSource {
  GObject parent_instance;

  char *email;
  char *label;
  GHashTable *answers;         /* "start/end" → Answer */
};

G_DEFINE_FINAL_TYPE (OcScheduleSource, oc_schedule_source, G_TYPE_OBJECT)

typedef struct {
  OcSchedule *schedule;
  gint64 fetched_at;           /* monotonic µs */
} Answer;

static void
answer_free (Answer *answer)
{
  oc_schedule_free (answer->schedule);
  g_free (answer);
}

static char *
range_key (gint64 start,
           gint64 end)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, start, end);
}

static void
oc_schedule_source_finalize (GObject *object)
{
  OcScheduleSource *self = OC_SCHEDULE_SOURCE (object);

  g_free (self->email);
  g_free (self->label);
  g_hash_table_unref (self->answers);
  G_OBJECT_CLASS (oc_schedule_source_parent_class)->finalize (object);
}

static void
oc_schedule_source_class_init (OcScheduleSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_schedule_source_finalize;
}

static void
oc_schedule_source_init (OcScheduleSource *self)
{
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) answer_free);
}

/**
 * oc_schedule_source_new:
 * @email: whose time
 * @label: (nullable): what to call them (else the address, or the name the server gives)
 *
 * Returns: (transfer full): a source that has been told nothing yet
 */
OcScheduleSource *
oc_schedule_source_new (const char *email,
                        const char *label)
{
  OcScheduleSource *self;

  g_return_val_if_fail (email != NULL, NULL);
  self = g_object_new (OC_TYPE_SCHEDULE_SOURCE, NULL);
  self->email = g_ascii_strdown (email, -1);
  self->label = g_strdup (label);
  return self;
}

const char *
oc_schedule_source_get_email (OcScheduleSource *self)
{
  g_return_val_if_fail (OC_IS_SCHEDULE_SOURCE (self), NULL);
  return self->email;
}

/**
 * oc_schedule_source_dup_name:
 * @self: a source
 *
 * Returns: (transfer full): the label given, else the name the server gave
 *   with the address, else the address
 */
char *
oc_schedule_source_dup_name (OcScheduleSource *self)
{
  GHashTableIter iter;
  Answer *answer;

  g_return_val_if_fail (OC_IS_SCHEDULE_SOURCE (self), NULL);
  if (self->label != NULL && g_strcmp0 (self->label, self->email) != 0)
    return g_strdup (self->label);
  g_hash_table_iter_init (&iter, self->answers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &answer))
    if (answer->schedule->display_name != NULL && *answer->schedule->display_name != '\0')
      return g_strdup (answer->schedule->display_name);
  return g_strdup (self->email);
}

/**
 * oc_schedule_source_lookup:
 * @self: a source
 * @start: the range's start, UTC seconds
 * @end: its end (exclusive)
 * @out_fetched_at: (out) (optional): when it was told, monotonic µs
 *
 * Returns: (transfer none) (nullable): what the server told for exactly
 *   that range (perhaps an error), or %NULL when it was not asked yet
 */
const OcSchedule *
oc_schedule_source_lookup (OcScheduleSource *self,
                           gint64            start,
                           gint64            end,
                           gint64           *out_fetched_at)
{
  g_autofree char *key = range_key (start, end);
  Answer *answer;

  g_return_val_if_fail (OC_IS_SCHEDULE_SOURCE (self), NULL);
  answer = g_hash_table_lookup (self->answers, key);
  if (out_fetched_at != NULL)
    *out_fetched_at = answer ? answer->fetched_at : 0;
  return answer ? answer->schedule : NULL;
}

/**
 * oc_schedule_source_store:
 * @self: a source
 * @schedule: what the server told for @schedule's range (copied)
 */
void
oc_schedule_source_store (OcScheduleSource *self,
                          const OcSchedule *schedule)
{
  Answer *answer = g_new0 (Answer, 1);

  g_return_if_fail (OC_IS_SCHEDULE_SOURCE (self));
  answer->schedule = oc_schedule_copy (schedule);
  answer->fetched_at = g_get_monotonic_time ();
  g_hash_table_replace (self->answers, range_key (schedule->start, schedule->end), answer);
}

/**
 * oc_schedule_source_fail:
 * @self: a source
 * @start: the range asked for
 * @end: its end
 * @error: why the server could not be asked
 *
 * Keeps @error as the answer for the range, so that the page can say it.
 */
void
oc_schedule_source_fail (OcScheduleSource *self,
                         gint64            start,
                         gint64            end,
                         const GError     *error)
{
  g_autoptr (OcSchedule) schedule = oc_schedule_new (self->email);

  schedule->start = start;
  schedule->end = end;
  schedule->error = g_error_copy (error);
  oc_schedule_source_store (self, schedule);
}

/**
 * oc_schedule_source_forget:
 * @self: a source
 *
 * Forgets every answer (Reload).
 */
void
oc_schedule_source_forget (OcScheduleSource *self)
{
  g_return_if_fail (OC_IS_SCHEDULE_SOURCE (self));
  g_hash_table_remove_all (self->answers);
}
