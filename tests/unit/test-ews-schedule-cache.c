/* test-ews-schedule-cache.c: moving through time asks only for what is
 * missing; what was fetched comes back at once; a refresh replaces it. */
#include "config.h"

#include "oc-ews-availability.h"
#include "oc-ews-schedule-cache.h"

#define DAY (24 * 3600)
#define MONDAY 1772409600  /* 2026-03-02T00:00:00Z */

static OcSchedule *
week_of (const char *email,
         gint64      start,
         const char *summary)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  OcSchedule *schedule = oc_schedule_new (email);

  schedule->start = start;
  schedule->end = start + 7 * DAY;
  schedule->sharing = OC_SHARING_LIMITED;
  for (int day = 0; day < 7; day++)
    {
      OcIcalInstance *instance = oc_ical_instance_new ();

      oc_ical_instance_set_range (instance, start + day * DAY + 9 * 3600, start + day * DAY + 10 * 3600, utc);
      instance->uid = g_strdup_printf ("%s-%d", summary, day);
      instance->summary = g_strdup (summary);
      g_ptr_array_add (schedule->instances, instance);
    }
  return schedule;
}

static void
assert_windows (GArray       *windows,
                const gint64 *expected,
                guint         n)
{
  g_assert_cmpuint (windows->len, ==, n / 2);
  for (guint i = 0; i < windows->len; i++)
    {
      g_assert_cmpint (g_array_index (windows, OcEwsWindow, i).start, ==, expected[2 * i]);
      g_assert_cmpint (g_array_index (windows, OcEwsWindow, i).end, ==, expected[2 * i + 1]);
    }
}

static void
test_missing (void)
{
  g_autoptr (OcEwsScheduleCache) cache = oc_ews_schedule_cache_new ();
  g_autoptr (OcSchedule) first = week_of ("alice@example.test", MONDAY, "a");
  g_autoptr (OcSchedule) third = week_of ("alice@example.test", MONDAY + 14 * DAY, "c");
  g_autoptr (GArray) all = oc_ews_schedule_cache_missing (cache, "alice@example.test", MONDAY, MONDAY + 21 * DAY);
  g_autoptr (GArray) gap = NULL;
  g_autoptr (GArray) none = NULL;
  const gint64 everything[] = { MONDAY, MONDAY + 21 * DAY };
  const gint64 middle[] = { MONDAY + 7 * DAY, MONDAY + 14 * DAY, MONDAY + 21 * DAY, MONDAY + 28 * DAY };

  assert_windows (all, everything, G_N_ELEMENTS (everything));
  oc_ews_schedule_cache_store (cache, first);
  oc_ews_schedule_cache_store (cache, third);
  gap = oc_ews_schedule_cache_missing (cache, "alice@example.test", MONDAY, MONDAY + 28 * DAY);
  assert_windows (gap, middle, G_N_ELEMENTS (middle));
  none = oc_ews_schedule_cache_missing (cache, "alice@example.test", MONDAY + DAY, MONDAY + 3 * DAY);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_lookup_and_refresh (void)
{
  g_autoptr (OcEwsScheduleCache) cache = oc_ews_schedule_cache_new ();
  g_autoptr (OcSchedule) week = week_of ("alice@example.test", MONDAY, "old");
  g_autoptr (OcSchedule) newer = week_of ("alice@example.test", MONDAY, "new");
  g_autoptr (OcSchedule) nothing = NULL;
  g_autoptr (OcSchedule) two_days = NULL;
  g_autoptr (OcSchedule) refreshed = NULL;

  nothing = oc_ews_schedule_cache_lookup (cache, "alice@example.test", MONDAY, MONDAY + DAY);
  g_assert_null (nothing);
  oc_ews_schedule_cache_store (cache, week);
  two_days = oc_ews_schedule_cache_lookup (cache, "alice@example.test", MONDAY + DAY, MONDAY + 3 * DAY);
  g_assert_nonnull (two_days);
  g_assert_cmpuint (two_days->instances->len, ==, 2);
  g_assert_cmpint (two_days->start, ==, MONDAY + DAY);
  g_assert_cmpint (two_days->sharing, ==, OC_SHARING_LIMITED);

  /* Reload: the same range again replaces, never doubles. */
  newer->sharing = OC_SHARING_FREE_BUSY;
  oc_ews_schedule_cache_store (cache, newer);
  refreshed = oc_ews_schedule_cache_lookup (cache, "alice@example.test", MONDAY, MONDAY + 7 * DAY);
  g_assert_cmpuint (refreshed->instances->len, ==, 7);
  for (guint i = 0; i < refreshed->instances->len; i++)
    g_assert_cmpstr (((OcIcalInstance *) g_ptr_array_index (refreshed->instances, i))->summary, ==, "new");
  g_assert_cmpint (refreshed->sharing, ==, OC_SHARING_FREE_BUSY);

  oc_ews_schedule_cache_forget (cache, NULL);
  g_clear_pointer (&refreshed, oc_schedule_free);
  refreshed = oc_ews_schedule_cache_lookup (cache, "alice@example.test", MONDAY, MONDAY + 7 * DAY);
  g_assert_null (refreshed);
}

static void
test_team_span (void)
{
  static const char * const team[] = { "alice@example.test", "bob@example.test", NULL };
  g_autoptr (OcEwsScheduleCache) cache = oc_ews_schedule_cache_new ();
  g_autoptr (OcSchedule) alice = week_of ("alice@example.test", MONDAY, "a");
  g_autoptr (OcSchedule) bob = week_of ("bob@example.test", MONDAY + 7 * DAY, "b");
  g_autoptr (OcSchedule) bob_first = week_of ("bob@example.test", MONDAY, "b");
  gint64 start = 0, end = 0;

  oc_ews_schedule_cache_store (cache, alice);
  oc_ews_schedule_cache_store (cache, bob);
  g_assert_true (oc_ews_schedule_cache_missing_span (cache, team, MONDAY, MONDAY + 14 * DAY, &start, &end));
  g_assert_cmpint (start, ==, MONDAY);
  g_assert_cmpint (end, ==, MONDAY + 14 * DAY);
  oc_ews_schedule_cache_store (cache, bob_first);
  g_assert_true (oc_ews_schedule_cache_missing_span (cache, team, MONDAY, MONDAY + 14 * DAY, &start, &end));
  g_assert_cmpint (start, ==, MONDAY + 7 * DAY);
  g_assert_cmpint (end, ==, MONDAY + 14 * DAY);
  g_assert_false (oc_ews_schedule_cache_missing_span (cache, team, MONDAY, MONDAY + 7 * DAY, &start, &end));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/ews-schedule-cache/missing", test_missing);
  g_test_add_func ("/oc/ews-schedule-cache/lookup-and-refresh", test_lookup_and_refresh);
  g_test_add_func ("/oc/ews-schedule-cache/team-span", test_team_span);
  return g_test_run ();
}
