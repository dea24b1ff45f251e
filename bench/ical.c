/* ical.c: parsing and expanding a large published calendar, against libical alone.
 *
 *   owacal-bench-ical [--events N] [--recurring N] [--runs N]
 *
 * Generates an Exchange-style calendar (Windows zone names with their
 * VTIMEZONE, attendees, descriptions) of N events over 2023–2024, of which
 * some recur (daily, weekly with BYDAY, monthly with ordinals; COUNT, UNTIL
 * or none), each series with two EXDATEs and two moved occurrences. Then,
 * best of --runs:
 *
 *   libical        icalparser_parse_string() of the text: what libical needs just to read it
 *   owacal parse   oc_ical_calendar_new_from_data(): scanning, libical, indexing
 *   expand month   oc_ical_expand() over March 2024 in Europe/Berlin (a month view's range)
 *   render month   oc_calendar_page_render() of that month, as owacal shows it
 *
 * and the memory of each, in a child process of its own: the growth of its
 * maximum resident set while working, and of its resident set after.
 * Prints figures; asserts nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oc-calendar-page.h"
#include "oc-ical-expander.h"

static const char vtimezone[] =
  "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
  "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
  "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
  "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
  "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

static const char *const rules[] = {
  "FREQ=WEEKLY;BYDAY=MO,WE,FR",
  "FREQ=DAILY;COUNT=200",
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20241231T230000Z",
  "FREQ=MONTHLY;BYDAY=2TU",
  "FREQ=MONTHLY;BYDAY=-1FR;COUNT=24",
  "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
};

static void
append_time (GString    *out,
             const char *name,
             GDateTime  *time)
{
  g_autofree char *text = g_date_time_format (time, "%Y%m%dT%H%M%S");

  g_string_append_printf (out, "%s;TZID=W. Europe Standard Time:%s\r\n", name, text);
}

static void
append_common (GString *out,
               GRand   *rand,
               guint    n)
{
  g_string_append_printf (out, "LOCATION:Room %u.%02u\r\n", g_rand_int_range (rand, 1, 9), g_rand_int_range (rand, 1, 40));
  g_string_append_printf (out, "DESCRIPTION:Agenda for meeting %u:\\n1. Status\\n2. Risks and next steps\\n"
                               "Join: https://meet.example.test/j/%u\r\n", n, g_rand_int (rand));
  g_string_append (out, "ORGANIZER;CN=Alice Example:mailto:alice@example.test\r\n");
  for (int a = 0; a < 3; a++)
    g_string_append_printf (out, "ATTENDEE;CN=Person %d;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:"
                                 "mailto:person%d@example.test\r\n", a, g_rand_int_range (rand, 1, 500));
  g_string_append (out, "X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nX-MICROSOFT-CDO-INTENDEDSTATUS:BUSY\r\n"
                        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE\r\nCLASS:PUBLIC\r\nTRANSP:OPAQUE\r\n");
}

static GString *
generate (guint events,
          guint recurring)
{
  GString *out = g_string_sized_new (events * 900);
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  GRand *rand = g_rand_new_with_seed (20240311);

  g_string_append (out, "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nPRODID:Microsoft Exchange Server 2010\r\n"
                        "VERSION:2.0\r\nX-WR-CALNAME:Benchmark\r\n");
  g_string_append (out, vtimezone);
  for (guint n = 0; n < events; n++)
    {
      gboolean series = n < recurring;
      g_autoptr (GDateTime) start = g_date_time_new (berlin, series ? 2023 : 2023 + g_rand_int_range (rand, 0, 2),
                                                     series ? 1 : g_rand_int_range (rand, 1, 13),
                                                     g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 7, 18),
                                                     g_rand_int_range (rand, 0, 4) * 15, 0);
      g_autoptr (GDateTime) end = g_date_time_add_minutes (start, 30 * g_rand_int_range (rand, 1, 5));

      g_string_append_printf (out, "BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E0080000000%08u\r\n"
                                   "SUMMARY:Meeting %u\r\nDTSTAMP:20240101T120000Z\r\nSEQUENCE:0\r\n", n, n);
      append_time (out, "DTSTART", start);
      append_time (out, "DTEND", end);
      append_common (out, rand, n);
      if (series)
        {
          g_string_append_printf (out, "RRULE:%s\r\n", rules[n % G_N_ELEMENTS (rules)]);
          for (int x = 1; x <= 2; x++)
            {
              g_autoptr (GDateTime) skipped = g_date_time_add_weeks (start, 9 * x);
              append_time (out, "EXDATE", skipped);
            }
        }
      g_string_append (out, "END:VEVENT\r\n");
      /* Two occurrences of each series moved by an hour, with a new summary. */
      for (int x = 1; series && x <= 2; x++)
        {
          g_autoptr (GDateTime) original = g_date_time_add_weeks (start, 30 + 13 * x);
          g_autoptr (GDateTime) moved = g_date_time_add_hours (original, 1);
          g_autoptr (GDateTime) moved_end = g_date_time_add_minutes (moved, 45);

          g_string_append_printf (out, "BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E0080000000%08u\r\n"
                                       "SUMMARY:Meeting %u (moved)\r\nDTSTAMP:20240101T120000Z\r\nSEQUENCE:1\r\n", n, n);
          append_time (out, "RECURRENCE-ID", original);
          append_time (out, "DTSTART", moved);
          append_time (out, "DTEND", moved_end);
          append_common (out, rand, n);
          g_string_append (out, "END:VEVENT\r\n");
        }
    }
  g_string_append (out, "END:VCALENDAR\r\n");
  g_rand_free (rand);
  return out;
}

/* Work */

typedef enum { WORK_LIBICAL, WORK_PARSE, WORK_EXPAND, WORK_RENDER } Work;

typedef struct {
  gint64 start;
  gint64 end;
  OcIcalZone *zone;
  OcCalendarPage page;
} MonthView;

static void
month_view_init (MonthView *month)
{
  memset (month, 0, sizeof *month);
  month->page.view = OC_CALENDAR_VIEW_MONTH;
  g_date_clear (&month->page.date, 1);
  g_date_set_dmy (&month->page.date, 13, G_DATE_MARCH, 2024);
  month->page.today = month->page.date;
  month->page.zone = g_time_zone_new_identifier ("Europe/Berlin");
  month->page.week_start = G_DATE_MONDAY;
  month->page.base_url = "owacal-calendar://bench/";
  month->zone = oc_ical_zone_new_for_gtimezone (month->page.zone);
  oc_calendar_page_get_utc_range (&month->page, &month->start, &month->end);
}

/* Runs @work once; returns its time in seconds and, through @out_count, what it made. */
static double
run_once (Work            work,
          GString        *text,
          OcIcalCalendar *calendar,
          MonthView      *month,
          guint          *out_count)
{
  gint64 began = g_get_monotonic_time ();
  /* calendar is NULL until measured parses are done; only expansion and rendering use it. */

  switch (work)
    {
    case WORK_LIBICAL:
      {
        icalcomponent *root = icalparser_parse_string (text->str);
        *out_count = (guint) icalcomponent_count_components (root, ICAL_VEVENT_COMPONENT);
        icalcomponent_free (root);
        break;
      }
    case WORK_PARSE:
      {
        g_autoptr (OcIcalCalendar) parsed = oc_ical_calendar_new_from_data (text->str, text->len, NULL);
        *out_count = oc_ical_calendar_get_n_events (parsed);
        break;
      }
    case WORK_EXPAND:
      {
        g_autoptr (GPtrArray) instances = oc_ical_expand (calendar, month->zone, month->start, month->end);
        *out_count = instances->len;
        break;
      }
    case WORK_RENDER:
      {
        g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
        OcCalendarPerson *person = oc_calendar_person_new ("Benchmark", NULL);
        g_autofree char *html = NULL;
        person->instances = oc_ical_expand (calendar, month->zone, month->start, month->end);
        g_ptr_array_add (people, person);
        html = oc_calendar_page_render (&month->page, people);
        *out_count = (guint) (strlen (html) / 1024);
        break;
      }
    }
  return (g_get_monotonic_time () - began) / 1e6;
}

static long
max_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static long
rss_kb (void)
{
  long pages = 0, resident = 0;
  FILE *statm = fopen ("/proc/self/statm", "r");

  if (statm != NULL)
    {
      if (fscanf (statm, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
      fclose (statm);
    }
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

typedef struct {
  long peak;                   /* growth of the maximum resident set while working, KiB */
  long held;                   /* growth of the resident set after it, KiB */
} Memory;

/* Memory of @work, in a child of its own forked before the parent has parsed
 * anything (a child starts with its parent's peak). For WORK_EXPAND the
 * child parses first, and only the expansion is counted. */
static Memory
measure_memory (Work       work,
                GString   *text,
                MonthView *month)
{
  Memory memory = { -1, -1 };
  int pipe_fds[2];
  pid_t child;

  if (pipe (pipe_fds) != 0)
    return memory;
  child = fork ();
  if (child == 0)
    {
      g_autoptr (OcIcalCalendar) calendar = NULL;
      g_autoptr (GPtrArray) kept = NULL;
      Memory used;
      long peak_before, held_before;

      if (work == WORK_EXPAND)
        calendar = oc_ical_calendar_new_from_data (text->str, text->len, NULL);
      peak_before = max_rss_kb ();
      held_before = rss_kb ();
      switch (work)
        {
        case WORK_LIBICAL:
          {
            icalcomponent *root = icalparser_parse_string (text->str);
            used.held = rss_kb () - held_before;
            icalcomponent_free (root);
            break;
          }
        case WORK_PARSE:
          calendar = oc_ical_calendar_new_from_data (text->str, text->len, NULL);
          used.held = rss_kb () - held_before;
          break;
        default:
          kept = oc_ical_expand (calendar, month->zone, month->start, month->end);
          used.held = rss_kb () - held_before;
          break;
        }
      used.peak = max_rss_kb () - peak_before;
      if (write (pipe_fds[1], &used, sizeof used) != sizeof used)
        _exit (1);
      _exit (0);
    }
  close (pipe_fds[1]);
  if (read (pipe_fds[0], &memory, sizeof memory) != sizeof memory)
    memory.peak = memory.held = -1;
  close (pipe_fds[0]);
  waitpid (child, NULL, 0);
  return memory;
}

static double
best_of (int             runs,
         Work            work,
         GString        *text,
         OcIcalCalendar *calendar,
         MonthView      *month,
         guint          *out_count)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < runs; i++)
    best = MIN (best, run_once (work, text, calendar, month, out_count));
  return best;
}

int
main (int    argc,
      char **argv)
{
  int events = 5000, recurring = 500, runs = 5;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &events, "Events in the calendar (default 5000)", "N" },
    { "recurring", 0, 0, G_OPTION_ARG_INT, &recurring, "Of which recurring (default 500)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Best of N runs (default 5)", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— parse and expand a large published calendar");
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = NULL;
  g_autoptr (OcIcalCalendar) calendar = NULL;
  MonthView month;
  guint libical_events, parsed_events, instances, kib;
  double t_libical, t_parse, t_expand, t_render;
  Memory m_libical, m_parse, m_expand;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  text = generate ((guint) events, (guint) MIN (recurring, events));
  month_view_init (&month);
  m_libical = measure_memory (WORK_LIBICAL, text, &month);
  m_parse = measure_memory (WORK_PARSE, text, &month);
  m_expand = measure_memory (WORK_EXPAND, text, &month);
  calendar = oc_ical_calendar_new_from_data (text->str, text->len, &error);
  g_assert_no_error (error);

  t_libical = best_of (runs, WORK_LIBICAL, text, calendar, &month, &libical_events);
  t_parse = best_of (runs, WORK_PARSE, text, calendar, &month, &parsed_events);
  t_expand = best_of (runs, WORK_EXPAND, text, calendar, &month, &instances);
  t_render = best_of (runs, WORK_RENDER, text, calendar, &month, &kib);

  g_print ("calendar: %d events (%d recurring, each with 2 EXDATEs and 2 moved occurrences), "
           "%u VEVENTs, %.1f MiB of iCalendar\n",
           events, MIN (recurring, events), libical_events, text->len / 1048576.0);
  g_print ("month view: March 2024 in Europe/Berlin, %u occurrences, page %u KiB; best of %d runs\n",
           instances, kib, runs);
  g_print ("                                  time    peak memory   held after\n");
  g_print ("  libical parse only          %8.1f ms   +%6.1f MiB   +%6.1f MiB\n", t_libical * 1e3,
           m_libical.peak / 1024.0, m_libical.held / 1024.0);
  g_print ("  owacal parse                %8.1f ms   +%6.1f MiB   +%6.1f MiB   (%u events indexed)\n",
           t_parse * 1e3, m_parse.peak / 1024.0, m_parse.held / 1024.0, parsed_events);
  g_print ("  owacal expand month         %8.1f ms   +%6.1f MiB   +%6.1f MiB\n", t_expand * 1e3,
           m_expand.peak / 1024.0, m_expand.held / 1024.0);
  g_print ("  owacal render month page    %8.1f ms   (expansion included)\n", t_render * 1e3);
  g_print ("ratio, owacal parse + expand / libical parse: %.2f\n", (t_parse + t_expand) / t_libical);
  g_print ("ratio, owacal parse + render / libical parse: %.2f\n", (t_parse + t_render) / t_libical);
  return 0;
}
