/* oc-ical-expander.c: the occurrences of a calendar's events in a range of time.
 *
 * A series is expanded in the wall-clock time of its DTSTART (a weekly 09:00
 * meeting stays at 09:00 across a DST change), with libical's recurrence
 * iterator given a zone-less start so that it never converts anything
 * itself; each occurrence is then placed in UTC by its zone. Occurrences are
 * identified by a key: the UTC instant of their original start, or for
 * floating and all-day series the wall-clock time or the date. RECURRENCE-ID,
 * EXDATE, UNTIL and cancellations are compared by that key, so an EXDATE
 * written in another zone than DTSTART still removes the right occurrence.
 *
 * UNTIL is applied here, not by libical, which would compare an instant in
 * UTC with a wall-clock time.
 */
#include "config.h"
#include "oc-ical-expander.h"

#include "oc-ical-private.h"

#define MAX_OCCURRENCES_PER_SERIES 50000
#define DAY 86400

typedef struct {
  OcIcalCalendar *calendar;
  OcIcalZone *view_zone;
  OcIcalZone *floating_zone;   /* X-WR-TIMEZONE, else the view's zone */
  GTimeZone *view_gzone;
  gint64 start;
  gint64 end;
  GPtrArray *out;
  /* The keys of the series being expanded, computed once for all its occurrences. */
  const OcIcalEvent *keyed;
  GArray *exdate_keys;         /* gint64, one per EXDATE (unused for a DATE of a timed series) */
  GArray *override_keys;       /* gint64, one per override */
} Expansion;

/* One candidate occurrence of a series. */
typedef struct {
  gint64 key;
  struct icaltimetype wall;    /* its start, in the series' zone */
  const OcIcalRdate *rdate;    /* when it comes from an RDATE PERIOD */
} Candidate;

/* Wall-clock arithmetic */

static gint64
wall_seconds (struct icaltimetype time)
{
  return oc_ical_civil_to_seconds (time.year, time.month, time.day,
                                   time.is_date ? 0 : time.hour, time.is_date ? 0 : time.minute,
                                   time.is_date ? 0 : time.second);
}

static struct icaltimetype
wall_from_seconds (gint64   seconds,
                   gboolean is_date)
{
  /* Howard Hinnant's civil_from_days. */
  gint64 days = (seconds >= 0 ? seconds : seconds - (DAY - 1)) / DAY;
  gint64 rest = seconds - days * DAY;
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  struct icaltimetype time = icaltime_null_time ();

  time.day = (int) (doy - (153 * mp + 2) / 5 + 1);
  time.month = (int) (mp < 10 ? mp + 3 : mp - 9);
  time.year = (int) (yoe + era * 400 + (time.month <= 2));
  time.is_date = is_date;
  if (!is_date)
    {
      time.hour = (int) (rest / 3600);
      time.minute = (int) (rest % 3600 / 60);
      time.second = (int) (rest % 60);
    }
  return time;
}

static OcIcalZone *
zone_of (Expansion        *x,
         const OcIcalWhen *when)
{
  if (when->time.is_date)
    return x->view_zone;
  return when->zone ? when->zone : x->floating_zone;
}

static gint64
to_utc (Expansion          *x,
        struct icaltimetype wall,
        OcIcalZone         *zone)
{
  return oc_ical_zone_to_utc (zone, wall.year, wall.month, wall.day,
                              wall.is_date ? 0 : wall.hour, wall.is_date ? 0 : wall.minute,
                              wall.is_date ? 0 : wall.second);
}

static gint64 occurrence_key (Expansion *x, const OcIcalEvent *master, const OcIcalWhen *when);

static void
compute_series_keys (Expansion         *x,
                     const OcIcalEvent *master)
{
  if (x->keyed == master)
    return;
  x->keyed = master;
  g_array_set_size (x->exdate_keys, 0);
  g_array_set_size (x->override_keys, 0);
  for (guint i = 0; i < master->exdates->len; i++)
    {
      gint64 key = occurrence_key (x, master, &g_array_index (master->exdates, OcIcalWhen, i));
      g_array_append_val (x->exdate_keys, key);
    }
  for (guint i = 0; i < master->overrides->len; i++)
    {
      const OcIcalEvent *override = g_ptr_array_index (master->overrides, i);
      gint64 key = occurrence_key (x, master, &override->recurrence_id);
      g_array_append_val (x->override_keys, key);
    }
}

/* The key of an occurrence of @master that started at @when. */
static gint64
occurrence_key (Expansion         *x,
                const OcIcalEvent *master,
                const OcIcalWhen  *when)
{
  if (master->all_day || master->start.zone == NULL || when->time.is_date)
    return oc_ical_civil_to_seconds (when->time.year, when->time.month, when->time.day,
                                     master->all_day || when->time.is_date ? 0 : when->time.hour,
                                     master->all_day || when->time.is_date ? 0 : when->time.minute,
                                     master->all_day || when->time.is_date ? 0 : when->time.second);
  return to_utc (x, when->time, when->zone ? when->zone : master->start.zone);
}

static char *
format_key (const OcIcalEvent *master,
            gint64             key)
{
  struct icaltimetype time = wall_from_seconds (key, master->all_day);

  if (master->all_day)
    return g_strdup_printf ("%04d%02d%02d", time.year, time.month, time.day);
  return g_strdup_printf ("%04d%02d%02dT%02d%02d%02d%s", time.year, time.month, time.day, time.hour,
                          time.minute, time.second, master->start.zone ? "Z" : "");
}

/* When an event (or override) that starts at @wall ends. */
static void
compute_times (Expansion          *x,
               const OcIcalEvent  *event,
               struct icaltimetype wall,
               gint64             *out_start,
               gint64             *out_end)
{
  OcIcalZone *zone = zone_of (x, &event->start);
  gint64 start = to_utc (x, wall, zone);
  gint64 end = start;

  if (event->all_day)
    {
      gint64 days = 1;
      if (event->end.valid)
        days = MAX (0, (wall_seconds (event->end.time) - wall_seconds (event->start.time)) / DAY);
      else if (event->has_duration)
        days = event->duration.weeks * 7 + event->duration.days;
      end = to_utc (x, wall_from_seconds (wall_seconds (wall) + MAX (days, 1) * DAY, TRUE), x->view_zone);
    }
  else if (event->end.valid && zone_of (x, &event->end) == zone)
    {
      /* Same zone: the same wall-clock length for every occurrence. */
      gint64 length = wall_seconds (event->end.time) - wall_seconds (event->start.time);
      end = to_utc (x, wall_from_seconds (wall_seconds (wall) + length, FALSE), zone);
    }
  else if (event->end.valid)
    end = start + (oc_ical_when_to_utc (&event->end, zone_of (x, &event->end)) -
                   oc_ical_when_to_utc (&event->start, zone));
  else if (event->has_duration)
    {
      /* RFC 5545: days and weeks are nominal, the rest is exact. */
      gint64 days = event->duration.weeks * 7 + event->duration.days;
      gint64 exact = event->duration.hours * 3600 + event->duration.minutes * 60 + event->duration.seconds;
      end = to_utc (x, wall_from_seconds (wall_seconds (wall) + days * DAY, FALSE), zone) + exact;
    }
  *out_start = start;
  *out_end = MAX (start, end);
}

static gboolean
overlaps_range (Expansion *x,
                gint64     start,
                gint64     end)
{
  if (end == start)
    return start >= x->start && start < x->end;
  return start < x->end && end > x->start;
}

static void
emit (Expansion         *x,
      const OcIcalEvent *master,
      const OcIcalEvent *source,
      gint64             key,
      gint64             start,
      gint64             end)
{
  OcIcalInstance *instance;
  gboolean recurring = master->rrules->len > 0 || master->rdates->len > 0;

  if (!overlaps_range (x, start, end))
    return;
  instance = oc_ical_instance_new ();
  instance->uid = g_strdup (master->uid);
  instance->recurrence_id = recurring || source->is_override ? format_key (master, key) : g_strdup ("");
  instance->all_day = master->all_day;
  instance->recurring = recurring;
  oc_ical_instance_set_range (instance, start, end, x->view_gzone);
  oc_ical_event_fill_details (source, instance);
  g_ptr_array_add (x->out, instance);
}

/* Recurrence */

static gboolean
is_cancelled (Expansion         *x,
              const OcIcalEvent *master,
              gboolean           whole_series,
              gint64             key)
{
  GArray *cancels = oc_ical_calendar_get_cancels (x->calendar);

  for (guint i = 0; i < cancels->len; i++)
    {
      OcIcalCancel *cancel = &g_array_index (cancels, OcIcalCancel, i);
      if (g_strcmp0 (cancel->uid, master->uid) != 0)
        continue;
      if (!cancel->recurrence_id.valid)
        return TRUE;
      if (!whole_series && occurrence_key (x, master, &cancel->recurrence_id) == key)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_excluded (Expansion          *x,
             const OcIcalEvent  *master,
             gint64              key,
             struct icaltimetype wall)
{
  compute_series_keys (x, master);
  for (guint i = 0; i < master->exdates->len; i++)
    {
      OcIcalWhen *exdate = &g_array_index (master->exdates, OcIcalWhen, i);
      /* EXDATE;VALUE=DATE of a timed series: the occurrences of that day. */
      if (exdate->time.is_date && !master->all_day)
        {
          if (exdate->time.year == wall.year && exdate->time.month == wall.month && exdate->time.day == wall.day)
            return TRUE;
        }
      else if (g_array_index (x->exdate_keys, gint64, i) == key)
        return TRUE;
    }
  return is_cancelled (x, master, FALSE, key);
}

static gint64
until_key (Expansion                        *x,
           const OcIcalEvent                *master,
           const struct icalrecurrencetype *rule)
{
  OcIcalWhen until = { rule->until, NULL, TRUE };

  if (icaltime_is_null_time (rule->until))
    return G_MAXINT64;
  if (icaltime_is_utc (rule->until) && !master->all_day && master->start.zone != NULL)
    return oc_ical_civil_to_seconds (rule->until.year, rule->until.month, rule->until.day,
                                     rule->until.hour, rule->until.minute, rule->until.second);
  /* A floating or DATE UNTIL: in the series' own terms. */
  until.time.zone = NULL;
  return occurrence_key (x, master, &until);
}

static void
add_candidate (Expansion          *x,
               GArray             *candidates,
               const OcIcalEvent  *master,
               struct icaltimetype wall,
               const OcIcalRdate  *rdate)
{
  OcIcalWhen when = { wall, master->start.zone, TRUE };
  Candidate candidate = { occurrence_key (x, master, &when), wall, rdate };

  g_array_append_val (candidates, candidate);
}

/* A rule with COUNT, expanded from DTSTART to its last occurrence; libical
 * leaves DTSTART out when the rule would not make it, but RFC 5545 counts it. */
static icalrecur_iterator *
new_iterator (const OcIcalEvent               *master,
              const struct icalrecurrencetype *rule)
{
  struct icalrecurrencetype unbounded = *rule;
  icalrecur_iterator *iterator;
  struct icaltimetype first;

  unbounded.until = icaltime_null_time ();
  iterator = icalrecur_iterator_new (unbounded, master->start.time);
  if (iterator == NULL || rule->count == 0)
    return iterator;
  first = icalrecur_iterator_next (iterator);
  icalrecur_iterator_free (iterator);
  if (icaltime_compare (first, master->start.time) != 0)
    unbounded.count--;
  return unbounded.count > 0 ? icalrecur_iterator_new (unbounded, master->start.time) : NULL;
}

/* Where each rule of @master ends, worked out once: a series of 200 days
 * that ended last year is not walked through again for every page. */
static const gint64 *
get_rule_ends (const OcIcalEvent *master)
{
  OcIcalEvent *cache = (OcIcalEvent *) master;   /* only its cache is written */
  gint64 *ends = g_atomic_pointer_get (&cache->rule_ends);

  if (ends != NULL)
    return ends;
  ends = g_new (gint64, master->rrules->len);
  for (guint i = 0; i < master->rrules->len; i++)
    {
      const struct icalrecurrencetype *rule = &g_array_index (master->rrules, struct icalrecurrencetype, i);
      icalrecur_iterator *iterator;

      ends[i] = G_MAXINT64;
      if (rule->count == 0 || (iterator = new_iterator (master, rule)) == NULL)
        continue;
      ends[i] = G_MININT64;
      for (struct icaltimetype wall = icalrecur_iterator_next (iterator); !icaltime_is_null_time (wall);
           wall = icalrecur_iterator_next (iterator))
        ends[i] = wall_seconds (wall);
      icalrecur_iterator_free (iterator);
    }
  /* Pages are drawn in worker threads: the first to finish keeps its answer. */
  if (!g_atomic_pointer_compare_and_exchange (&cache->rule_ends, NULL, ends))
    {
      g_free (ends);
      ends = g_atomic_pointer_get (&cache->rule_ends);
    }
  return ends;
}

static void
add_rule_candidates (Expansion                        *x,
                     GArray                           *candidates,
                     const OcIcalEvent                *master,
                     guint                             rule_index,
                     gint64                            window_start,
                     gint64                            window_end)
{
  const struct icalrecurrencetype *rule = &g_array_index (master->rrules, struct icalrecurrencetype, rule_index);
  struct icaltimetype dtstart = master->start.time;
  gint64 last = until_key (x, master, rule);
  OcIcalZone *zone = zone_of (x, &master->start);
  icalrecur_iterator *iterator;
  guint n = 0;

  /* Ended before the window (wall clock and UTC differ by less than a day). */
  if (rule->count > 0 && get_rule_ends (master)[rule_index] < window_start - 2 * DAY)
    return;
  if (rule->until.year > 0 && last < window_start - 2 * DAY)
    return;

  iterator = new_iterator (master, rule);
  if (iterator == NULL)
    return;
  /* Jump close to the window, unless COUNT needs every occurrence counted. */
  if (rule->count == 0)
    {
      gint64 wall_start = window_start + oc_ical_zone_get_offset (zone, window_start);
      if (wall_start > wall_seconds (dtstart))
        icalrecur_iterator_set_start (iterator, wall_from_seconds (wall_start, dtstart.is_date));
    }
  for (struct icaltimetype wall = icalrecur_iterator_next (iterator); !icaltime_is_null_time (wall);
       wall = icalrecur_iterator_next (iterator))
    {
      OcIcalWhen when = { wall, master->start.zone, TRUE };
      gint64 key = occurrence_key (x, master, &when);
      gint64 start = to_utc (x, wall, zone);

      if (key > last || start >= window_end || ++n > MAX_OCCURRENCES_PER_SERIES)
        break;
      if (start >= window_start)
        add_candidate (x, candidates, master, wall, NULL);
    }
  icalrecur_iterator_free (iterator);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  return (ca->key > cb->key) - (ca->key < cb->key);
}

/* How far an override may move an occurrence, so that the window of
 * occurrences looked at includes those moved into the range. */
static gint64
override_reach (Expansion         *x,
                const OcIcalEvent *master)
{
  gint64 reach = 0;
  gint64 start, end;

  compute_times (x, master, master->start.time, &start, &end);
  reach = end - start;
  for (guint i = 0; i < master->overrides->len; i++)
    {
      const OcIcalEvent *override = g_ptr_array_index (master->overrides, i);
      gint64 moved = ABS (oc_ical_when_to_utc (&override->start, zone_of (x, &override->start)) -
                          oc_ical_when_to_utc (&override->recurrence_id, zone_of (x, &override->recurrence_id)));
      compute_times (x, override, override->start.time, &start, &end);
      reach = MAX (reach, moved + (end - start));
    }
  return reach + 2 * DAY;
}

static const OcIcalEvent *
find_override (Expansion         *x,
               const OcIcalEvent *master,
               gint64             key,
               gboolean           this_and_future)
{
  const OcIcalEvent *found = NULL;
  gint64 found_key = G_MININT64;

  compute_series_keys (x, master);
  for (guint i = 0; i < master->overrides->len; i++)
    {
      const OcIcalEvent *override = g_ptr_array_index (master->overrides, i);
      gint64 override_key = g_array_index (x->override_keys, gint64, i);

      if (this_and_future ? (!override->this_and_future || override_key > key || override_key < found_key)
                          : override_key != key)
        continue;
      if (found != NULL && override_key == found_key && override->sequence < found->sequence)
        continue;
      found = override;
      found_key = override_key;
    }
  return found;
}

static void
expand_occurrence (Expansion         *x,
                   const OcIcalEvent *master,
                   const Candidate   *candidate)
{
  const OcIcalEvent *override = find_override (x, master, candidate->key, FALSE);
  gint64 start, end;

  if (override == NULL)
    override = find_override (x, master, candidate->key, TRUE);
  if (override != NULL && override->cancelled)
    return;
  if (override != NULL && !override->this_and_future)
    {
      compute_times (x, override, override->start.time, &start, &end);
      emit (x, master, override, candidate->key, start, end);
      return;
    }
  if (override != NULL)
    {
      /* THISANDFUTURE: later occurrences move as this one did and take its length and words. */
      gint64 shift = oc_ical_when_to_utc (&override->start, zone_of (x, &override->start)) -
                     oc_ical_when_to_utc (&override->recurrence_id, zone_of (x, &override->recurrence_id));
      gint64 override_start, override_end;
      compute_times (x, master, candidate->wall, &start, &end);
      compute_times (x, override, override->start.time, &override_start, &override_end);
      emit (x, master, override, candidate->key, start + shift, start + shift + (override_end - override_start));
      return;
    }
  compute_times (x, master, candidate->wall, &start, &end);
  if (candidate->rdate != NULL && candidate->rdate->end.valid)
    end = MAX (start, oc_ical_when_to_utc (&candidate->rdate->end, zone_of (x, &candidate->rdate->end)));
  emit (x, master, master, candidate->key, start, end);
}

/* Overrides whose occurrence the rules do not make (any more), or make
 * outside the window, but which themselves fall in the range. */
static void
expand_lone_overrides (Expansion         *x,
                       const OcIcalEvent *master,
                       GArray            *candidates)
{
  for (guint i = 0; i < master->overrides->len; i++)
    {
      const OcIcalEvent *override = g_ptr_array_index (master->overrides, i);
      gint64 key = occurrence_key (x, master, &override->recurrence_id);
      gboolean seen = FALSE;
      gint64 start, end;

      for (guint j = 0; j < candidates->len && !seen; j++)
        seen = g_array_index (candidates, Candidate, j).key == key;
      if (seen || override->cancelled || override->this_and_future ||
          is_excluded (x, master, key, override->recurrence_id.time) ||
          find_override (x, master, key, FALSE) != override)
        continue;
      compute_times (x, override, override->start.time, &start, &end);
      emit (x, master, override, key, start, end);
    }
}

static void
expand_series (Expansion         *x,
               const OcIcalEvent *master)
{
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  gint64 reach = override_reach (x, master);
  gint64 window_start = x->start - reach;
  gint64 window_end = x->end + reach;
  gint64 dtstart = to_utc (x, master->start.time, zone_of (x, &master->start));
  gint64 last_key = G_MININT64;

  /* DTSTART is always the first occurrence, whether the rule makes it or not. */
  if (dtstart >= window_start && dtstart < window_end)
    add_candidate (x, candidates, master, master->start.time, NULL);
  for (guint i = 0; i < master->rrules->len; i++)
    add_rule_candidates (x, candidates, master, i, window_start, window_end);
  for (guint i = 0; i < master->rdates->len; i++)
    {
      const OcIcalRdate *rdate = &g_array_index (master->rdates, OcIcalRdate, i);
      struct icaltimetype wall = rdate->start.time;
      gint64 start;

      /* An RDATE in another zone than DTSTART: move it into DTSTART's wall clock. */
      if (!master->all_day && rdate->start.zone != master->start.zone && master->start.zone != NULL)
        {
          gint64 utc = oc_ical_when_to_utc (&rdate->start, zone_of (x, &rdate->start));
          wall = wall_from_seconds (utc + oc_ical_zone_get_offset (master->start.zone, utc), FALSE);
        }
      wall.is_date = master->all_day;
      start = to_utc (x, wall, zone_of (x, &master->start));
      if (start >= window_start && start < window_end)
        add_candidate (x, candidates, master, wall, rdate);
    }
  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      const Candidate *candidate = &g_array_index (candidates, Candidate, i);
      if (candidate->key == last_key)
        continue;
      last_key = candidate->key;
      if (!is_excluded (x, master, candidate->key, candidate->wall))
        expand_occurrence (x, master, candidate);
    }
  expand_lone_overrides (x, master, candidates);
}

/* Whether a single event is surely outside the range, by its wall-clock
 * times alone: no zone is more than a day from UTC, so two days of slack
 * spare the exact conversion to the many events of other months. */
static gboolean
is_far_from_range (Expansion         *x,
                   const OcIcalEvent *event)
{
  gint64 first = wall_seconds (event->start.time);
  gint64 last = first;

  if (event->end.valid)
    last = MAX (first, wall_seconds (event->end.time));
  else if (event->has_duration)
    last = first + (event->duration.weeks * 7 + event->duration.days) * DAY + event->duration.hours * 3600 +
           event->duration.minutes * 60 + event->duration.seconds;
  else if (event->all_day)
    last = first + DAY;
  return last < x->start - 2 * DAY || first > x->end + 2 * DAY;
}

static void
expand_event (Expansion         *x,
              const OcIcalEvent *event)
{
  gint64 start, end;

  if (event->rrules->len == 0 && event->rdates->len == 0 && event->overrides->len == 0 &&
      is_far_from_range (x, event))
    return;
  if (event->cancelled || is_cancelled (x, event, TRUE, 0))
    return;
  if (event->rrules->len > 0 || event->rdates->len > 0 || event->overrides->len > 0)
    {
      expand_series (x, event);
      return;
    }
  if (event->is_override &&
      is_cancelled (x, event, FALSE, occurrence_key (x, event, &event->recurrence_id)))
    return;
  compute_times (x, event, event->start.time, &start, &end);
  emit (x, event, event, event->is_override ? occurrence_key (x, event, &event->recurrence_id) : 0, start, end);
}

static void
expand_freebusy (Expansion *x)
{
  GArray *periods = oc_ical_calendar_get_freebusy (x->calendar);

  for (guint i = 0; i < periods->len; i++)
    {
      OcIcalFreeBusy *period = &g_array_index (periods, OcIcalFreeBusy, i);
      gint64 start = oc_ical_when_to_utc (&period->start, zone_of (x, &period->start));
      gint64 end = oc_ical_when_to_utc (&period->end, zone_of (x, &period->end));
      OcIcalInstance *instance;

      if (!overlaps_range (x, start, end))
        continue;
      instance = oc_ical_instance_new ();
      instance->uid = g_strdup_printf ("freebusy-%u", i + 1);
      instance->recurrence_id = g_strdup ("");
      instance->from_freebusy = TRUE;
      instance->busy = period->busy;
      instance->line = period->line;
      oc_ical_instance_set_range (instance, start, end, x->view_gzone);
      g_ptr_array_add (x->out, instance);
    }
}

static int
compare_instances (gconstpointer a,
                   gconstpointer b)
{
  return oc_ical_instance_compare (*(OcIcalInstance **) a, *(OcIcalInstance **) b);
}

/**
 * oc_ical_expand:
 * @calendar: a calendar
 * @view_zone: the zone of the person looking (floating times and all-day
 *   dates are read in it, unless the calendar names its own X-WR-TIMEZONE)
 * @range_start: the start of the range, UTC seconds
 * @range_end: its end (exclusive)
 *
 * Returns: (transfer full) (element-type OcIcalInstance): the occurrences that
 *   overlap the range, cancelled ones left out, by start
 */
GPtrArray *
oc_ical_expand (OcIcalCalendar *calendar,
                OcIcalZone     *view_zone,
                gint64          range_start,
                gint64          range_end)
{
  GPtrArray *events;
  Expansion x = { calendar, view_zone, NULL, NULL, range_start, range_end, NULL, NULL, NULL, NULL };
  g_autoptr (GTimeZone) utc = NULL;

  g_return_val_if_fail (OC_IS_ICAL_CALENDAR (calendar), NULL);
  g_return_val_if_fail (view_zone != NULL, NULL);

  x.floating_zone = oc_ical_calendar_get_floating_zone (calendar);
  if (x.floating_zone == NULL)
    x.floating_zone = view_zone;
  x.view_gzone = oc_ical_zone_get_gtimezone (view_zone);
  if (x.view_gzone == NULL)
    x.view_gzone = utc = g_time_zone_new_utc ();
  x.out = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  x.exdate_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  x.override_keys = g_array_new (FALSE, FALSE, sizeof (gint64));

  events = oc_ical_calendar_get_events (calendar);
  for (guint i = 0; i < events->len; i++)
    expand_event (&x, g_ptr_array_index (events, i));
  expand_freebusy (&x);
  g_array_unref (x.exdate_keys);
  g_array_unref (x.override_keys);
  g_ptr_array_sort (x.out, compare_instances);
  return x.out;
}
