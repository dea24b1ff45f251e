/* oc-ical-rule.c: which recurrence rules libical can follow, and what a step of one costs.
 *
 * libical 3.0 finds the next occurrence of a MONTHLY or YEARLY rule by
 * expanding one month or year after another until one holds a day, with no
 * bound but the year 20000: a rule whose days never exist ("the 31st, if it
 * is a Monday, of February", "the 11th, if it is the second-to-last Friday")
 * costs seconds of CPU for every iterator made of it, and a published calendar
 * can hold thousands. A SECONDLY, MINUTELY or HOURLY rule limited to certain
 * days is walked second by second between those days. Neither is anything
 * Exchange or Outlook writes.
 *
 * So before libical sees a rule, owacal checks it here: a MONTHLY or YEARLY
 * rule is tried, the way libical expands it, on every month of 2001–2028
 * (the 28 years hold every shape of month and year the Gregorian calendar
 * has: each length of each month beginning on each weekday), and is followed
 * only if some period holds a day. Combinations this check does not model
 * are not followed at all. The expander bounds what is left (the time-of-day
 * search of sub-daily rules, walking from DTSTART) by UNTIL and by step counts
 * taken from oc_ical_rule_get_period().
 */
#include "config.h"
#include "oc-ical-rule.h"

#include <stdlib.h>

#define DAY 86400
#define FIRST_YEAR 2001
#define LAST_YEAR 2028

static gboolean
has (const short *by)
{
  return by[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

static gboolean
has_positions (const short *by_day)
{
  for (int i = 0; i < ICAL_BY_DAY_SIZE && by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
    if (icalrecurrencetype_day_position (by_day[i]) != 0)
      return TRUE;
  return FALSE;
}

/* Counts the days of @month in @year that libical's month expansion gives
 * (expand_bymonth_days() and expand_by_day() of libical 3.0, SKIP=OMIT):
 * BYMONTHDAY, or DTSTART's day when there is neither BYMONTHDAY nor BYDAY;
 * BYDAY with positions inside the month, limiting BYMONTHDAY when both are
 * given. */
static int
count_month_days (const struct icalrecurrencetype *rule,
                  int                              dtstart_day,
                  int                              year,
                  int                              month)
{
  gboolean days[32] = { FALSE };
  gboolean by_day[32] = { FALSE };
  int length = icaltime_days_in_month (month, year);
  struct icaltimetype first = icaltime_null_time ();
  struct icaltimetype last;
  int first_dow, last_dow, total = 0;

  first.year = year;
  first.month = month;
  first.day = 1;
  first.is_date = TRUE;
  last = first;
  last.day = length;
  first_dow = icaltime_day_of_week (first);
  last_dow = icaltime_day_of_week (last);

  if (has (rule->by_month_day))
    {
      for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && rule->by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        {
          int mday = rule->by_month_day[i];
          if (mday != 0 && abs (mday) <= length)
            days[mday > 0 ? mday : length + mday + 1] = TRUE;
        }
    }
  else if (!has (rule->by_day) && dtstart_day <= length)
    days[dtstart_day] = TRUE;

  if (has (rule->by_day))
    {
      for (int i = 0; i < ICAL_BY_DAY_SIZE && rule->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        {
          int dow = icalrecurrencetype_day_day_of_week (rule->by_day[i]);
          int pos = icalrecurrencetype_day_position (rule->by_day[i]);
          int first_matching = ((dow + 7 - first_dow) % 7) + 1;
          int last_matching = length - ((last_dow + 7 - dow) % 7);

          if (dow < 1 || dow > 7)
            continue;
          if (pos == 0)
            for (int day = first_matching; day <= length; day += 7)
              by_day[day] = TRUE;
          else if (pos > 0 && first_matching + (pos - 1) * 7 <= last_matching)
            by_day[first_matching + (pos - 1) * 7] = TRUE;
          else if (pos < 0 && last_matching + (pos + 1) * 7 >= first_matching)
            by_day[last_matching + (pos + 1) * 7] = TRUE;
        }
      for (int day = 1; day <= length; day++)
        days[day] = has (rule->by_month_day) ? days[day] && by_day[day] : by_day[day];
    }
  for (int day = 1; day <= length; day++)
    total += days[day];
  return total;
}

/* Whether BYSETPOS (if any) keeps one of @total days. */
static gboolean
set_pos_keeps_one (const struct icalrecurrencetype *rule,
                   int                              total)
{
  if (!has (rule->by_set_pos))
    return total > 0;
  for (int i = 0; i < ICAL_BY_SETPOS_SIZE && rule->by_set_pos[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
    if (rule->by_set_pos[i] != 0 && abs (rule->by_set_pos[i]) <= total)
      return TRUE;
  return FALSE;
}

static gboolean
in_by_month (const struct icalrecurrencetype *rule,
             int                              month)
{
  for (int i = 0; i < ICAL_BY_MONTH_SIZE && rule->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
    if (rule->by_month[i] == month)
      return TRUE;
  return FALSE;
}

/* MONTHLY: some month of some shape holds a day. */
static gboolean
monthly_makes_days (const struct icalrecurrencetype *rule,
                    struct icaltimetype              dtstart)
{
  for (int year = FIRST_YEAR; year <= LAST_YEAR; year++)
    for (int month = 1; month <= 12; month++)
      if ((!has (rule->by_month) || in_by_month (rule, month)) &&
          set_pos_keeps_one (rule, count_month_days (rule, dtstart.day, year, month)))
        return TRUE;
  return FALSE;
}

/* YEARLY with months (BYMONTH, or DTSTART's month as libical takes it):
 * BYSETPOS counts the days of all those months of a year together. */
static gboolean
yearly_by_month_makes_days (const struct icalrecurrencetype *rule,
                            struct icaltimetype              dtstart)
{
  for (int year = FIRST_YEAR; year <= LAST_YEAR; year++)
    {
      int total = 0;

      for (int month = 1; month <= 12; month++)
        if (has (rule->by_month) ? in_by_month (rule, month) : month == dtstart.month)
          total += count_month_days (rule, dtstart.day, year, month);
      if (set_pos_keeps_one (rule, total))
        return TRUE;
    }
  return FALSE;
}

/* YEARLY with BYDAY alone: positions count the weekdays of the whole year (1 to 53). */
static gboolean
yearly_by_day_makes_days (const struct icalrecurrencetype *rule)
{
  for (int i = 0; i < ICAL_BY_DAY_SIZE && rule->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
    if (abs (icalrecurrencetype_day_position (rule->by_day[i])) <= 53)
      return TRUE;
  return FALSE;
}

static OcIcalRuleVerdict
check_yearly (const struct icalrecurrencetype *rule,
              struct icaltimetype              dtstart,
              const char                     **out_reason)
{
  gboolean dates = has (rule->by_month) || has (rule->by_month_day) || has (rule->by_day) || has (rule->by_set_pos);

  if (has (rule->by_week_no) || has (rule->by_year_day))
    {
      if (!dates)
        return OC_ICAL_RULE_FOLLOWED;
      *out_reason = "it combines week or year days (BYWEEKNO, BYYEARDAY) with other days";
      return OC_ICAL_RULE_UNSUPPORTED;
    }
  /* Without BYMONTH, "-3TH" counts the Thursdays of the whole year. */
  if (has_positions (rule->by_day) && !has (rule->by_month))
    {
      if (has (rule->by_set_pos) || has (rule->by_month_day))
        {
          *out_reason = "it combines weekdays counted in the whole year with other days";
          return OC_ICAL_RULE_UNSUPPORTED;
        }
      return yearly_by_day_makes_days (rule) ? OC_ICAL_RULE_FOLLOWED : OC_ICAL_RULE_NEVER;
    }
  return yearly_by_month_makes_days (rule, dtstart) ? OC_ICAL_RULE_FOLLOWED : OC_ICAL_RULE_NEVER;
}

/**
 * oc_ical_rule_check:
 * @rule: an RRULE as libical read it
 * @dtstart: the DTSTART of its series (its month and day are the defaults)
 * @out_reason: (out): why the rule is not followed, for the calendar's problems
 *
 * Whether libical's iterator may be given @rule: see the top of this file.
 *
 * Returns: %OC_ICAL_RULE_FOLLOWED, or why not
 */
OcIcalRuleVerdict
oc_ical_rule_check (const struct icalrecurrencetype *rule,
                    struct icaltimetype              dtstart,
                    const char                     **out_reason)
{
  const char *ignored;

  g_return_val_if_fail (rule != NULL, OC_ICAL_RULE_UNSUPPORTED);
  if (out_reason == NULL)
    out_reason = &ignored;
  *out_reason = "it makes no occurrence";

  if (rule->rscale != NULL && g_ascii_strcasecmp (rule->rscale, "GREGORIAN") != 0)
    {
      *out_reason = "it counts in another calendar than the Gregorian (RSCALE)";
      return OC_ICAL_RULE_UNSUPPORTED;
    }
  switch (rule->freq)
    {
    case ICAL_SECONDLY_RECURRENCE:
    case ICAL_MINUTELY_RECURRENCE:
    case ICAL_HOURLY_RECURRENCE:
      if (has (rule->by_month) || has (rule->by_week_no) || has (rule->by_year_day) ||
          has (rule->by_month_day) || has (rule->by_day) || has (rule->by_set_pos))
        {
          *out_reason = "it repeats every few seconds, minutes or hours on certain days only";
          return OC_ICAL_RULE_UNSUPPORTED;
        }
      return OC_ICAL_RULE_FOLLOWED;
    case ICAL_DAILY_RECURRENCE:
    case ICAL_WEEKLY_RECURRENCE:
      /* libical steps a day or a week at a time and stops at UNTIL. */
      return OC_ICAL_RULE_FOLLOWED;
    case ICAL_MONTHLY_RECURRENCE:
      if (has (rule->by_week_no) || has (rule->by_year_day))
        {
          *out_reason = "a monthly rule names week or year days (BYWEEKNO, BYYEARDAY)";
          return OC_ICAL_RULE_UNSUPPORTED;
        }
      return monthly_makes_days (rule, dtstart) ? OC_ICAL_RULE_FOLLOWED : OC_ICAL_RULE_NEVER;
    case ICAL_YEARLY_RECURRENCE:
      return check_yearly (rule, dtstart, out_reason);
    case ICAL_NO_RECURRENCE:
    default:
      *out_reason = "it has no frequency";
      return OC_ICAL_RULE_UNSUPPORTED;
    }
}

/**
 * oc_ical_rule_get_period:
 * @rule: an RRULE
 *
 * Returns: the shortest length of one period of @rule (INTERVAL times its
 *   frequency; a month counts 28 days, a year 365), in seconds: the time
 *   libical takes at least for one step
 */
gint64
oc_ical_rule_get_period (const struct icalrecurrencetype *rule)
{
  static const gint64 units[] = { 1, 60, 3600, DAY, 7 * DAY, 28 * DAY, 365 * DAY };

  g_return_val_if_fail (rule != NULL, DAY);
  return units[MIN ((guint) rule->freq, G_N_ELEMENTS (units) - 1)] * MAX (rule->interval, 1);
}

/**
 * oc_ical_rule_has_fixed_period:
 * @rule: an RRULE
 *
 * Returns: whether every period of @rule is as long as every other in wall-clock
 *   time (SECONDLY to WEEKLY), so that its DTSTART may be moved by whole periods
 *   without changing which times it makes
 */
gboolean
oc_ical_rule_has_fixed_period (const struct icalrecurrencetype *rule)
{
  g_return_val_if_fail (rule != NULL, FALSE);
  return rule->freq <= ICAL_WEEKLY_RECURRENCE;
}

/**
 * oc_ical_rule_is_one_per_period:
 * @rule: an RRULE
 *
 * Returns: whether @rule makes exactly one occurrence per period, DTSTART plus
 *   whole periods (a fixed period and no BY parts), so that its n-th
 *   occurrence is known without walking to it
 */
gboolean
oc_ical_rule_is_one_per_period (const struct icalrecurrencetype *rule)
{
  g_return_val_if_fail (rule != NULL, FALSE);
  return oc_ical_rule_has_fixed_period (rule) && !has (rule->by_second) && !has (rule->by_minute) &&
         !has (rule->by_hour) && !has (rule->by_day) && !has (rule->by_month_day) &&
         !has (rule->by_year_day) && !has (rule->by_week_no) && !has (rule->by_month) &&
         !has (rule->by_set_pos);
}
