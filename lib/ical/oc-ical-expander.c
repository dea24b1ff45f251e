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
 * UTC with a wall-clock time. COUNT is counted here too: libical is only
 * ever given an UNTIL of owacal's own, the end of what is wanted, which is
 * where it stops searching (it would otherwise search a rule whose next
 * occurrence never comes until the year 2582).
 *
 * The work is bounded by what a page can show. A series is not walked from
 * a DTSTART in year 1: a rule with periods of fixed length (SECONDLY to
 * WEEKLY) gets a DTSTART moved by whole periods to just before the range
 * (libical's own icalrecur_iterator_set_start() misplaces INTERVAL=7 minutes
 * by the minutes since the hour), MONTHLY and YEARLY ones use
 * icalrecur_iterator_set_start(), and a COUNT is carried over the periods
 * skipped when each period makes one occurrence. What must still be walked
 * has a number of steps per rule and per range; a series gives at most
 * MAX_OCCURRENCES_PER_SERIES occurrences and a range MAX_INSTANCES. What is
 * left out is said, in words for the page (oc_ical_expand_full()).
 */
#include "config.h"
#include "oc-ical-expander.h"

#include "oc-ical-private.h"
#include "oc-ical-rule.h"

#include <string.h>

/* What a page can show: more than 1,000 occurrences of one series, or 5,000
 * events in all, is a repetition no one reads (an agenda of four weeks of a
 * MINUTELY series would hold 40,320). */
#define MAX_OCCURRENCES_PER_SERIES 1000
#define MAX_INSTANCES 5000
/* What a page may cost: libical steps (periods of a rule) per rule and per
 * range. A month of a MINUTELY series is 44,640 steps. */
#define MAX_STEPS_PER_RULE 100000
#define MAX_STEPS 500000
/* libical refuses a DTSTART after its MAX_TIME_T_YEAR. */
#define LAST_WALL_YEAR 2582
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
  /* Bounds */
  gint64 steps;                /* libical steps taken (or reserved) for this range */
  guint emitted;               /* occurrences of the series being expanded */
  GPtrArray *left_out;         /* sentences: what was left out and why */
  GHashTable *noted;           /* the series a sentence was written for */
} Expansion;

/* Walking one rule: libical's iterator, and the COUNT owacal counts itself. */
typedef struct {
  icalrecur_iterator *iterator;
  struct icaltimetype dtstart; /* the series' own, which COUNT may or may not include */
  gint64 remaining;            /* occurrences COUNT still allows, or -1 */
  gboolean check_dtstart;      /* whether the first answer is to be compared with DTSTART */
  gint64 steps_left;           /* for rules of one occurrence per period: next() calls */
  gboolean cut;                /* steps_left ran out */
  gint64 *charged;             /* the range's steps, charged what a rule of one occurrence per
                                * period took when the walk ends */
  gint64 allowed;
} Walk;

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

/* What was left out */

static char *
series_name (const OcIcalEvent *master)
{
  const char *summary = icalcomponent_get_summary (master->component);
  g_autofree char *valid = NULL;

  if (summary == NULL || *summary == '\0')
    return g_strdup ("An event");
  /* The file's bytes as they came: the sentence goes on a page. */
  valid = g_utf8_make_valid (summary, -1);
  return g_strdup_printf ("“%s”", valid);
}

/* Says once per series (and once for the range) why something is missing. */
static void
note_left_out (Expansion         *x,
               const OcIcalEvent *master,
               const char        *why)
{
  g_autofree char *name = NULL;

  if (!g_hash_table_add (x->noted, (gpointer) master))
    return;
  name = master ? series_name (master) : NULL;
  g_ptr_array_add (x->left_out, name ? g_strdup_printf ("%s %s", name, why) : g_strdup (why));
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
  if (x->emitted++ >= MAX_OCCURRENCES_PER_SERIES)
    {
      g_autofree char *why = g_strdup_printf ("has more occurrences here than a page can show: the first %u "
                                              "are shown.", MAX_OCCURRENCES_PER_SERIES);
      note_left_out (x, master, why);
      return;
    }
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

/* Walking a rule */

static gint64
last_wall_seconds (void)
{
  return oc_ical_civil_to_seconds (LAST_WALL_YEAR, 12, 31, 0, 0, 0);
}

typedef enum {
  WALK_STARTED,
  WALK_NOTHING,                /* the rule makes nothing between the two times */
  WALK_TOO_COSTLY,             /* more steps than a rule or the range may take */
} WalkStart;

/* Starts walking @rule of @master from about @from_wall (wall-clock seconds:
 * nothing before is wanted, though it may come) up to @to_wall, where libical
 * stops. COUNT is carried over the periods skipped when that is exact. */
static WalkStart
walk_start (Expansion                       *x,
            Walk                            *walk,
            const OcIcalEvent               *master,
            const struct icalrecurrencetype *rule,
            gint64                           from_wall,
            gint64                           to_wall)
{
  struct icalrecurrencetype bounded = *rule;
  struct icaltimetype start = master->start.time;
  gint64 period = oc_ical_rule_get_period (rule);
  gint64 dtstart = wall_seconds (start);
  gboolean one_per_period = oc_ical_rule_is_one_per_period (rule);
  gboolean use_set_start = FALSE;
  gint64 skipped = 0;
  gint64 cost;

  memset (walk, 0, sizeof *walk);
  walk->dtstart = start;
  walk->remaining = rule->count > 0 ? rule->count : -1;
  to_wall = MIN (to_wall, last_wall_seconds ());
  if (to_wall < dtstart)
    return WALK_NOTHING;
  if (from_wall - dtstart > 2 * period)
    {
      if (oc_ical_rule_has_fixed_period (rule) && (rule->count == 0 || one_per_period))
        {
          /* A whole period before @from_wall, so that nothing wanted is in
           * the (partial) first period of the moved DTSTART. */
          skipped = (from_wall - dtstart) / period - 1;
          if (walk->remaining > 0 && skipped >= walk->remaining)
            return WALK_NOTHING;
          if (walk->remaining > 0)
            walk->remaining -= skipped;
          start = wall_from_seconds (dtstart + skipped * period, start.is_date);
        }
      else if (rule->count == 0)
        use_set_start = TRUE;
    }

  /* One step per occurrence is counted as it is taken (and charged when the
   * walk ends); any other rule may step through many empty periods per
   * occurrence, charged beforehand. */
  cost = (to_wall - (use_set_start ? from_wall : wall_seconds (start))) / period + 1;
  if (one_per_period)
    cost = MIN (cost, MIN (MAX_STEPS_PER_RULE, MAX_STEPS - x->steps));
  if (cost <= 0 || cost > MAX_STEPS_PER_RULE || x->steps + cost > MAX_STEPS)
    return WALK_TOO_COSTLY;
  if (one_per_period)
    walk->charged = &x->steps;
  else
    x->steps += cost;
  /* Expanding parts make many occurrences per period: their next() calls
   * have the rule's bound, not the periods'. */
  walk->steps_left = walk->allowed = one_per_period ? cost : MAX_STEPS_PER_RULE;

  bounded.count = 0;
  bounded.until = wall_from_seconds (to_wall, start.is_date);
  walk->iterator = icalrecur_iterator_new (bounded, start);
  if (walk->iterator == NULL)
    return WALK_NOTHING;
  if (use_set_start)
    icalrecur_iterator_set_start (walk->iterator, wall_from_seconds (from_wall, start.is_date));
  /* RFC 5545 counts DTSTART as the first occurrence whether the rule makes
   * it or not; libical leaves it out when the rule does not. */
  walk->check_dtstart = walk->remaining > 0 && skipped == 0 && !use_set_start;
  return WALK_STARTED;
}

static struct icaltimetype
walk_next (Walk *walk)
{
  struct icaltimetype wall;

  if (walk->iterator == NULL || walk->remaining == 0)
    return icaltime_null_time ();
  if (walk->steps_left-- <= 0)
    {
      walk->cut = TRUE;
      return icaltime_null_time ();
    }
  wall = icalrecur_iterator_next (walk->iterator);
  if (icaltime_is_null_time (wall))
    return wall;
  if (walk->check_dtstart)
    {
      walk->check_dtstart = FALSE;
      if (icaltime_compare (wall, walk->dtstart) != 0 && --walk->remaining == 0)
        return icaltime_null_time ();
    }
  if (walk->remaining > 0)
    walk->remaining--;
  return wall;
}

static void
walk_clear (Walk *walk)
{
  if (walk->charged != NULL)
    *walk->charged += walk->allowed - MAX (walk->steps_left, 0);
  walk->charged = NULL;
  g_clear_pointer (&walk->iterator, icalrecur_iterator_free);
}

/* Where a COUNT rule ends (the wall-clock start of its last occurrence), or
 * G_MAXINT64 when that is not known within a rule's steps. */
static gint64
find_rule_end (Expansion                       *x,
               const OcIcalEvent               *master,
               const struct icalrecurrencetype *rule)
{
  gint64 dtstart = wall_seconds (master->start.time);
  gint64 period = oc_ical_rule_get_period (rule);
  gint64 end = G_MININT64;
  Walk walk;

  if (oc_ical_rule_is_one_per_period (rule))
    return dtstart + (gint64) (rule->count - 1) * period;
  switch (walk_start (x, &walk, master, rule, dtstart, dtstart + (MAX_STEPS_PER_RULE - 1) * period))
    {
    case WALK_STARTED:
      break;
    case WALK_NOTHING:
      walk_clear (&walk);
      return end;
    case WALK_TOO_COSTLY:
    default:
      walk_clear (&walk);
      return G_MAXINT64;
    }
  for (struct icaltimetype wall = walk_next (&walk); !icaltime_is_null_time (wall); wall = walk_next (&walk))
    end = wall_seconds (wall);
  if (walk.remaining != 0)
    end = G_MAXINT64;
  walk_clear (&walk);
  return end;
}

/* Where each COUNT rule of @master ends, worked out once: a series of 200
 * days that ended last year is not walked through again for every page. */
static const gint64 *
get_rule_ends (Expansion         *x,
               const OcIcalEvent *master)
{
  OcIcalEvent *cache = (OcIcalEvent *) master;   /* only its cache is written */
  gint64 *ends = g_atomic_pointer_get (&cache->rule_ends);

  if (ends != NULL)
    return ends;
  ends = g_new (gint64, master->rrules->len);
  for (guint i = 0; i < master->rrules->len; i++)
    {
      const struct icalrecurrencetype *rule = &g_array_index (master->rrules, struct icalrecurrencetype, i);
      ends[i] = rule->count > 0 ? find_rule_end (x, master, rule) : G_MAXINT64;
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
  gint64 last = until_key (x, master, rule);
  OcIcalZone *zone = zone_of (x, &master->start);
  gint64 wall_start = window_start + oc_ical_zone_get_offset (zone, window_start);
  gint64 wall_end = window_end + oc_ical_zone_get_offset (zone, window_end);
  guint in_range = 0;
  Walk walk;

  /* Ended before the window (wall clock and UTC differ by less than a day). */
  if (rule->count > 0 && get_rule_ends (x, master)[rule_index] < window_start - 2 * DAY)
    return;
  if (rule->until.year > 0 && last < window_start - 2 * DAY)
    return;

  /* The window's first day holds nothing that reaches the range (it is two
   * days of slack for zones), so a walk may begin after it: a SECONDLY series
   * then takes a day of steps to reach the range, not three. */
  switch (walk_start (x, &walk, master, rule, wall_start + DAY, wall_end + DAY))
    {
    case WALK_STARTED:
      break;
    case WALK_TOO_COSTLY:
      note_left_out (x, master, "repeats too often to be followed this far: its occurrences here are not shown.");
      G_GNUC_FALLTHROUGH;
    case WALK_NOTHING:
    default:
      walk_clear (&walk);
      return;
    }
  for (struct icaltimetype wall = walk_next (&walk); !icaltime_is_null_time (wall); wall = walk_next (&walk))
    {
      OcIcalWhen when = { wall, master->start.zone, TRUE };
      gint64 key = occurrence_key (x, master, &when);
      gint64 start = to_utc (x, wall, zone);

      if (key > last || start >= window_end)
        break;
      if (start < window_start)
        continue;
      add_candidate (x, candidates, master, wall, NULL);
      /* Enough for the range: expand_series() shows no more of a series. */
      if (start >= x->start && start < x->end && ++in_range > MAX_OCCURRENCES_PER_SERIES)
        break;
    }
  if (walk.cut)
    note_left_out (x, master, "repeats too often to be followed through this range: some of its occurrences "
                              "here are not shown.");
  walk_clear (&walk);
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

  x->emitted = 0;
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
 * oc_ical_expand_full:
 * @calendar: a calendar
 * @view_zone: the zone of the person looking (floating times and all-day
 *   dates are read in it, unless the calendar names its own X-WR-TIMEZONE)
 * @range_start: the start of the range, UTC seconds
 * @range_end: its end (exclusive)
 * @out_left_out: (out) (optional) (transfer full) (element-type utf8): what
 *   was left out because a page could not show it or the range could not
 *   afford to work it out, one sentence each ("“Ping” has more occurrences
 *   here than a page can show: the first 1000 are shown."); empty if nothing was
 *
 * Returns: (transfer full) (element-type OcIcalInstance): the occurrences that
 *   overlap the range, cancelled ones left out, by start
 */
GPtrArray *
oc_ical_expand_full (OcIcalCalendar *calendar,
                     OcIcalZone     *view_zone,
                     gint64          range_start,
                     gint64          range_end,
                     GPtrArray     **out_left_out)
{
  GPtrArray *events;
  Expansion x = { 0 };
  g_autoptr (GTimeZone) utc = NULL;

  g_return_val_if_fail (OC_IS_ICAL_CALENDAR (calendar), NULL);
  g_return_val_if_fail (view_zone != NULL, NULL);

  x.calendar = calendar;
  x.view_zone = view_zone;
  x.start = range_start;
  x.end = range_end;
  x.floating_zone = oc_ical_calendar_get_floating_zone (calendar);
  if (x.floating_zone == NULL)
    x.floating_zone = view_zone;
  x.view_gzone = oc_ical_zone_get_gtimezone (view_zone);
  if (x.view_gzone == NULL)
    x.view_gzone = utc = g_time_zone_new_utc ();
  x.out = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  x.exdate_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  x.override_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  x.left_out = g_ptr_array_new_with_free_func (g_free);
  x.noted = g_hash_table_new (NULL, NULL);

  events = oc_ical_calendar_get_events (calendar);
  for (guint i = 0; i < events->len; i++)
    expand_event (&x, g_ptr_array_index (events, i));
  expand_freebusy (&x);
  g_array_unref (x.exdate_keys);
  g_array_unref (x.override_keys);
  g_ptr_array_sort (x.out, compare_instances);
  if (x.out->len > MAX_INSTANCES)
    {
      g_ptr_array_add (x.left_out, g_strdup_printf ("This range holds %u events, more than a page can show: "
                                                    "the first %u are shown.", x.out->len, MAX_INSTANCES));
      g_ptr_array_set_size (x.out, MAX_INSTANCES);
    }
  g_hash_table_unref (x.noted);
  if (out_left_out != NULL)
    *out_left_out = g_steal_pointer (&x.left_out);
  g_clear_pointer (&x.left_out, g_ptr_array_unref);
  return x.out;
}

/**
 * oc_ical_expand:
 * @calendar: a calendar
 * @view_zone: the zone of the person looking
 * @range_start: the start of the range, UTC seconds
 * @range_end: its end (exclusive)
 *
 * oc_ical_expand_full() without saying what was left out.
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
  return oc_ical_expand_full (calendar, view_zone, range_start, range_end, NULL);
}
