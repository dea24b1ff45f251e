/* test-ical-expand.c: every tests/fixtures/ical/NAME.ics against NAME.expect.
 *
 * An .expect file holds blocks:
 *
 *   range <UTC start> <UTC end>
 *   zone <IANA zone of the viewer>
 *   <UTC start> <UTC end> | <local start> <local end> | <flags> | <summary>
 *   …
 *   problems
 *   line 12: “…”: reason        (oc_ical_calendar_describe_problems(), line by line)
 *
 * The expected instances were worked out by hand from the fixture (see the
 * comments in each file), not taken from owacal's output.
 */
#include "config.h"

#include <string.h>

#include "oc-ical-calendar.h"
#include "oc-ical-expander.h"

static char *
fixtures_dir (void)
{
  return g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ical", NULL);
}

static char *
format_instance (const OcIcalInstance *instance)
{
  g_autoptr (GDateTime) utc_start = g_date_time_new_from_unix_utc (instance->start);
  g_autoptr (GDateTime) utc_end = g_date_time_new_from_unix_utc (instance->end);
  g_autofree char *start = g_date_time_format (utc_start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end = g_date_time_format (utc_end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *local_start = g_date_time_format (instance->local_start, "%Y-%m-%dT%H:%M%:z");
  g_autofree char *local_end = g_date_time_format (instance->local_end, "%Y-%m-%dT%H:%M%:z");
  g_autoptr (GString) flags = g_string_new (oc_busy_status_to_string (instance->busy));

  if (instance->all_day)
    g_string_append (flags, ",all-day");
  if (instance->privacy != OC_PRIVACY_PUBLIC)
    g_string_append_printf (flags, ",%s", oc_privacy_to_string (instance->privacy));
  if (instance->from_freebusy)
    g_string_append (flags, ",freebusy");
  return g_strdup_printf ("%s %s | %s %s | %s | %s", start, end, local_start, local_end, flags->str,
                          instance->summary ? instance->summary : "-");
}

static gint64
parse_utc (const char *text)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

static void
compare_lists (const char *what,
               GPtrArray  *expected,
               GPtrArray  *got)
{
  gboolean same = expected->len == got->len;

  for (guint i = 0; same && i < got->len; i++)
    same = g_str_equal (g_ptr_array_index (expected, i), g_ptr_array_index (got, i));
  if (!same)
    {
      g_printerr ("\n%s: expected %u lines:\n", what, expected->len);
      for (guint i = 0; i < expected->len; i++)
        g_printerr ("  %s\n", (char *) g_ptr_array_index (expected, i));
      g_printerr ("got %u lines:\n", got->len);
      for (guint i = 0; i < got->len; i++)
        g_printerr ("  %s\n", (char *) g_ptr_array_index (got, i));
      g_test_fail ();
    }
}

static void
check_block (OcIcalCalendar *calendar,
             const char     *name,
             const char     *range,
             const char     *zone_name,
             GPtrArray      *expected)
{
  g_auto (GStrv) bounds = g_strsplit (range, " ", 2);
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_iana (zone_name);
  g_autoptr (GPtrArray) instances = NULL;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *what = g_strdup_printf ("%s, %s, %s", name, range, zone_name);

  g_assert_nonnull (zone);
  instances = oc_ical_expand (calendar, zone, parse_utc (bounds[0]), parse_utc (bounds[1]));
  for (guint i = 0; i < instances->len; i++)
    g_ptr_array_add (got, format_instance (g_ptr_array_index (instances, i)));
  compare_lists (what, expected, got);
}

static void
check_problems (OcIcalCalendar *calendar,
                const char     *name,
                GPtrArray      *expected)
{
  g_autofree char *text = oc_ical_calendar_describe_problems (calendar);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) got = g_ptr_array_new ();
  g_autofree char *what = g_strdup_printf ("%s, problems", name);

  for (char **line = lines; *line; line++)
    if (**line != '\0')
      g_ptr_array_add (got, *line);
  compare_lists (what, expected, got);
}

static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = fixtures_dir ();
  g_autofree char *ics_path = g_strdup_printf ("%s/%s.ics", dir, name);
  g_autofree char *expect_path = g_strdup_printf ("%s/%s.expect", dir, name);
  g_autofree char *ics = NULL, *expect = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalCalendar) calendar = NULL;
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *range = NULL, *zone = NULL;
  gboolean in_problems = FALSE, saw_problems = FALSE;
  gsize length;

  g_assert_true (g_file_get_contents (ics_path, &ics, &length, &error));
  g_assert_true (g_file_get_contents (expect_path, &expect, NULL, &error));
  calendar = oc_ical_calendar_new_from_data (ics, length, &error);
  g_assert_no_error (error);

  lines = g_strsplit (expect, "\n", -1);
  for (char **line = lines;; line++)
    {
      gboolean block_ends = *line == NULL || g_str_has_prefix (*line, "range ") || g_str_equal (*line, "problems");

      if (block_ends && in_problems)
        check_problems (calendar, name, expected);
      else if (block_ends && zone != NULL)
        check_block (calendar, name, range, zone, expected);
      if (block_ends)
        {
          g_ptr_array_set_size (expected, 0);
          g_clear_pointer (&zone, g_free);
        }
      if (*line == NULL)
        break;
      if (**line == '#' || **line == '\0')
        continue;
      if (g_str_has_prefix (*line, "range "))
        {
          g_free (range);
          range = g_strdup (*line + 6);
          in_problems = FALSE;
        }
      else if (g_str_has_prefix (*line, "zone "))
        zone = g_strdup (*line + 5);
      else if (g_str_equal (*line, "problems"))
        in_problems = saw_problems = TRUE;
      else
        g_ptr_array_add (expected, g_strdup (*line));
    }
  /* A fixture without a problems block must have none. */
  if (!saw_problems)
    {
      g_autoptr (GPtrArray) none = g_ptr_array_new ();
      check_problems (calendar, name, none);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr (GDir) listing = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  dir = fixtures_dir ();
  listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (entry, ".expect"))
      g_ptr_array_add (names, g_strndup (entry, strlen (entry) - strlen (".expect")));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/ical/expand/%s", (char *) g_ptr_array_index (names, i));
      g_test_add_data_func (path, g_ptr_array_index (names, i), test_fixture);
    }
  return g_test_run ();
}
