/* oc-demo-calendar.c: what the demo server says: Dana Demo's made-up week,
 * the page that shows it, and the GetCalendarView request that asks for it.
 *
 * The demo site has to look lived-in for whatever week the user browses to,
 * and tests have to be able to pin it down. So every week is generated from a
 * GRand seeded with the Julian day of its Monday: the same week always holds
 * the same meetings, and the next week holds a different mix. Recurring
 * items (the stand-up, the 1:1) stay where a real series would be. The rest
 * go into free quarter-hours, so the only collision is the one we want to
 * show: two meetings laid side by side.
 *
 * Times are local wall-clock times without a zone, as OWA's web part shows
 * them. Minutes are counted from midnight, so a change to or from summer time
 * cannot move an event.
 */
#include "config.h"
#include "oc-demo-calendar.h"

#define SLOT_MINUTES    15
#define FIRST_MINUTE    (OC_DEMO_CALENDAR_FIRST_HOUR * 60)
#define MAX_WEEK_EVENTS 24
#define ALL_DAY         (-1)
#define WEEKDAYS        0x1fu          /* bit 0 is Monday */
#define HM(h, m)        ((h) * 60 + (m))

typedef enum {
  SHOW_AS_FREE,
  SHOW_AS_TENTATIVE,
  SHOW_AS_BUSY,
  SHOW_AS_OOF,
} ShowAs;

/* Exchange's names for the free/busy status, as its JSON spells them. */
static const char * const show_as_names[] = { "Free", "Tentative", "Busy", "OOF" };

typedef struct {
  char *subject;
  const char *location;
  const char *organizer;
  const char * const *attendees;
  const char *body;
  const char *category;
  ShowAs show_as;
  gboolean is_private;
  guint day;                  /* 0 is Monday */
  guint n_days;               /* all-day events only */
  int start_minute;           /* ALL_DAY for all-day events */
  int end_minute;
} Event;

typedef struct {
  GDate monday;
  GRand *rand;
  guint64 taken[7];           /* one bit per quarter-hour from 07:00 */
  Event events[MAX_WEEK_EVENTS];
  guint n_events;
} Week;

typedef struct {
  const Week *week;
  const Event *event;
  guint32 first_julian;
} Item;

static const char * const month_names[] = {
  "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December",
};

static const char * const nobody[] = { NULL };
static const char * const team[] = {
  "Dana Demo", "Priya Raman", "Jonas Berg", "Aiko Tanaka", "Luis Ortega", NULL
};
static const char * const one_to_one[] = { "Dana Demo", "Marc Weber", NULL };
static const char * const budget_board[] = {
  "Dana Demo", "Marc Weber", "Sofia Rossi", "Henrik Lund", NULL
};
static const char * const design_group[] = {
  "Dana Demo", "Aiko Tanaka", "Chloé Martin", "Jonas Berg", NULL
};
static const char * const workshop_group[] = {
  "Dana Demo", "Aiko Tanaka", "Chloé Martin", "Priya Raman", "Sam Okafor", NULL
};

/* Microsoft's own sample companies: fictitious, and familiar to anyone who
 * has seen an Exchange demo. */
static const struct {
  const char *company;
  const char * const attendees[4];
} customers[] = {
  { "Northwind Traders", { "Dana Demo", "Luis Ortega", "Nancy Davolio (Northwind)", NULL } },
  { "Contoso Ltd.", { "Dana Demo", "Kim Abercrombie (Contoso)", NULL } },
  { "Fabrikam", { "Dana Demo", "Luis Ortega", "Terry Adams (Fabrikam)", NULL } },
  { "Tailspin Toys", { "Dana Demo", "Ben Smith (Tailspin Toys)", NULL } },
  { "Adventure Works", { "Dana Demo", "Priya Raman", "Mary Baker (Adventure Works)", NULL } },
  { "Wide World Importers", { "Dana Demo", "Hanna Moos (Wide World Importers)", NULL } },
};

static const char * const rooms[] = {
  "Room Everest (4th floor)",
  "Room K2 (3rd floor)",
  "Room Kilimanjaro (2nd floor)",
  "Room Aconcagua (1st floor)",
};

static guint64
slot_mask (int start_minute,
           int end_minute)
{
  int first = (start_minute - FIRST_MINUTE) / SLOT_MINUTES;
  int last = (end_minute - FIRST_MINUTE + SLOT_MINUTES - 1) / SLOT_MINUTES;

  g_assert (first >= 0 && last > first && last <= 64);
  return ((G_GUINT64_CONSTANT (1) << (last - first)) - 1) << first;
}

static gboolean
is_free (const Week *week,
         guint       day,
         int         start_minute,
         int         end_minute)
{
  return (week->taken[day] & slot_mask (start_minute, end_minute)) == 0;
}

static Event *
add_event (Week       *week,
           guint       day,
           int         start_minute,
           int         end_minute,
           const char *subject,
           ShowAs      show_as)
{
  Event *event;

  g_assert (week->n_events < MAX_WEEK_EVENTS);
  g_assert (start_minute == ALL_DAY || end_minute <= OC_DEMO_CALENDAR_LAST_HOUR * 60);
  event = &week->events[week->n_events++];
  *event = (Event) {
    .subject = g_strdup (subject),
    .location = "", .organizer = "Dana Demo", .body = "", .category = "",
    .attendees = nobody,
    .show_as = show_as,
    .day = day,
    .n_days = 1,
    .start_minute = start_minute,
    .end_minute = end_minute,
  };
  if (start_minute != ALL_DAY)
    week->taken[day] |= slot_mask (start_minute, end_minute);
  return event;
}

/* Picks one of the days set in @days at random. */
static guint
pick_day (Week   *week,
          guint32 days)
{
  guint n_days = 0;
  guint n;

  for (guint day = 0; day < 7; day++)
    n_days += (days >> day) & 1;
  g_assert (n_days > 0);
  n = g_rand_int_range (week->rand, 0, n_days);
  for (guint day = 0; day < 7; day++)
    if ((days & (1u << day)) != 0 && n-- == 0)
      return day;
  g_assert_not_reached ();
}

/* Books the first free slot among @days × @starts, tried from a random
 * corner, much as someone picks "some free time" in a scheduling assistant.
 * Returns NULL when the week is too full, and the caller does without. */
static Event *
place_event (Week       *week,
             guint32     days,
             const int  *starts,
             guint       n_starts,
             int         minutes,
             const char *subject,
             ShowAs      show_as)
{
  guint day_offset = g_rand_int_range (week->rand, 0, 7);
  guint start_offset = g_rand_int_range (week->rand, 0, n_starts);

  for (guint i = 0; i < 7; i++)
    {
      guint day = (day_offset + i) % 7;

      if ((days & (1u << day)) == 0)
        continue;
      for (guint j = 0; j < n_starts; j++)
        {
          int start = starts[(start_offset + j) % n_starts];

          if (is_free (week, day, start, start + minutes))
            return add_event (week, day, start, start + minutes, subject, show_as);
        }
    }
  return NULL;
}

static void
add_recurring_events (Week *week)
{
  Event *event;

  for (guint day = 0; day < 5; day++)
    {
      event = add_event (week, day, HM (9, 15), HM (9, 30), "Daily stand-up", SHOW_AS_BUSY);
      event->location = "Room Matterhorn (2nd floor)";
      event->organizer = "Priya Raman";
      event->attendees = team;
      event->category = "Blue category";
      event->body = "Yesterday, today, blockers. Fifteen minutes, standing.";
    }

  event = add_event (week, 1, HM (15, 0), HM (15, 30), "1:1 Dana / Marc", SHOW_AS_BUSY);
  event->location = "Marc's office (4th floor)";
  event->organizer = "Marc Weber";
  event->attendees = one_to_one;
  event->category = "Yellow category";
  event->body = "Running agenda in the shared notes.\nThis week: hiring plan, conference follow-ups.";
}

static void
add_customer_calls (Week   *week,
                    guint32 days)
{
  static const int starts[] = { HM (10, 0), HM (10, 30), HM (11, 0), HM (14, 0), HM (15, 0), HM (16, 0), HM (16, 30) };
  static const int lengths[] = { 30, 45, 60 };
  guint first = g_rand_int_range (week->rand, 0, G_N_ELEMENTS (customers));
  guint step = g_rand_int_range (week->rand, 1, G_N_ELEMENTS (customers));

  for (guint i = 0; i < 2; i++)
    {
      guint c = (first + i * step) % G_N_ELEMENTS (customers);
      g_autofree char *subject = g_strdup_printf ("Customer call: %s", customers[c].company);
      int minutes = lengths[g_rand_int_range (week->rand, 0, G_N_ELEMENTS (lengths))];
      Event *event = place_event (week, days, starts, G_N_ELEMENTS (starts), minutes,
                                  subject, SHOW_AS_BUSY);

      if (event == NULL)
        continue;
      event->location = rooms[g_rand_int_range (week->rand, 0, G_N_ELEMENTS (rooms))];
      event->organizer = "Luis Ortega";
      event->attendees = customers[c].attendees;
      event->category = "Green category";
      event->body = "Agenda: open tickets, the renewal, next steps.\nDial-in details are in the invitation.";
    }
}

static void
add_overlapping_pair (Week   *week,
                      guint32 days)
{
  static const int starts[] = { HM (10, 0), HM (14, 0) };
  guint day = pick_day (week, days);
  guint first = g_rand_int_range (week->rand, 0, 2);
  g_autofree char *budget = NULL;
  Event *event;

  for (guint i = 0; i < 2; i++)
    {
      int start = starts[(first + i) % 2];

      if (!is_free (week, day, start, start + 90))
        continue;
      budget = g_strdup_printf ("Budget review Q%u", (g_date_get_month (&week->monday) + 2) / 3);
      event = add_event (week, day, start, start + 90, budget, SHOW_AS_BUSY);
      event->location = rooms[0];
      event->organizer = "Sofia Rossi";
      event->attendees = budget_board;
      event->category = "Red category";
      event->body = "Numbers are in the finance share. Please read them before the meeting.";

      /* Booked on top of the review on purpose: the week view must lay
       * the two side by side. */
      event = add_event (week, day, start + 30, start + 90, "Design sync: week view", SHOW_AS_BUSY);
      event->location = "Room K2 (3rd floor)";
      event->organizer = "Aiko Tanaka";
      event->attendees = design_group;
      event->category = "Orange category";
      event->body = "Mock-ups for the all-day row and the details panel.";
      return;
    }
}

static void
fill_week (Week *week)
{
  static const int workshop_starts[] = { HM (13, 30), HM (14, 0), HM (9, 45) };
  static const int private_starts[] = { HM (8, 0), HM (16, 30), HM (17, 0), HM (17, 30) };
  static const int focus_starts[] = { HM (9, 45), HM (13, 30), HM (15, 0) };
  static const int review_starts[] = { HM (16, 0), HM (15, 0) };
  guint conference_day = g_rand_int_range (week->rand, 0, 4);
  guint32 office_days = WEEKDAYS & ~(3u << conference_day);
  guint oof_day;
  guint32 meeting_days;
  Event *event;

  add_recurring_events (week);

  /* Exchange ends an all-day item at midnight after its last day. */
  event = add_event (week, conference_day, ALL_DAY, ALL_DAY, "Conference: Open Source Summit", SHOW_AS_BUSY);
  event->n_days = 2;
  event->location = "Lyon Convention Centre";
  event->category = "Purple category";
  event->body = "Two days of talks and hallway track.\nDana speaks on day one at 11:00: "
                "\"Sharing calendars without sharing mailboxes\".";

  /* Not on Tuesday, which would swallow the 1:1. */
  oof_day = pick_day (week, office_days & ~(1u << 1));
  event = add_event (week, oof_day, HM (13, 30), HM (18, 0), "Out of office (afternoon)", SHOW_AS_OOF);
  event->body = "Away for the afternoon. Urgent questions go to Priya Raman.";
  meeting_days = office_days & ~(1u << oof_day);

  for (guint day = 0; day < 5; day++)
    {
      int start = g_rand_boolean (week->rand) ? HM (12, 0) : HM (12, 30);

      if ((office_days & (1u << day)) == 0)
        continue;
      event = add_event (week, day, start, start + (g_rand_boolean (week->rand) ? 45 : 60),
                         "Lunch", SHOW_AS_FREE);
      event->location = "Canteen (ground floor)";
    }

  add_overlapping_pair (week, meeting_days);

  event = place_event (week, meeting_days, workshop_starts, G_N_ELEMENTS (workshop_starts), 150,
                       "Workshop: accessible calendars", SHOW_AS_TENTATIVE);
  if (event != NULL)
    {
      event->location = "Room Kilimanjaro (2nd floor)";
      event->organizer = "Chloé Martin";
      event->attendees = workshop_group;
      event->category = "Orange category";
      event->body = "Keyboard paths, screen readers and colour contrast in the week view.\n"
                    "Dana has not confirmed yet.";
    }

  add_customer_calls (week, office_days);

  /* What a reviewer sees of a private item: its time and nothing else. */
  event = place_event (week, office_days, private_starts, G_N_ELEMENTS (private_starts), 60,
                       "Private appointment", SHOW_AS_BUSY);
  if (event != NULL)
    event->is_private = TRUE;

  if (g_rand_boolean (week->rand))
    place_event (week, meeting_days, focus_starts, G_N_ELEMENTS (focus_starts), 120,
                 "Focus time", SHOW_AS_BUSY);

  /* Sprints last two weeks. */
  if ((g_date_get_julian (&week->monday) / 7) % 2 == 1)
    {
      event = place_event (week, office_days & (1u << 4), review_starts, G_N_ELEMENTS (review_starts),
                           60, "Sprint review", SHOW_AS_BUSY);
      if (event != NULL)
        {
          event->location = "Room Aconcagua (1st floor)";
          event->organizer = "Priya Raman";
          event->attendees = team;
          event->category = "Blue category";
          event->body = "Demo of what the sprint delivered. Cake if the build is green.";
        }
    }
}

/* OWA's web part starts the week on the owner's first day of the week;
 * Dana's is Monday. */
static void
get_monday (const GDate *date,
            GDate       *out_monday)
{
  *out_monday = *date;
  g_date_subtract_days (out_monday, g_date_get_weekday (date) - G_DATE_MONDAY);
}

/* "23 – 29 November 2026", "30 November – 6 December 2026" or
 * "28 December 2026 – 3 January 2027". The page is in English, so the month
 * names do not follow the locale. */
static char *
format_week_label (const GDate *monday)
{
  GDate sunday = *monday;
  guint d1, d2, m1, m2, y1, y2;

  g_date_add_days (&sunday, 6);
  d1 = g_date_get_day (monday);
  m1 = g_date_get_month (monday);
  y1 = g_date_get_year (monday);
  d2 = g_date_get_day (&sunday);
  m2 = g_date_get_month (&sunday);
  y2 = g_date_get_year (&sunday);

  if (y1 != y2)
    return g_strdup_printf ("%u %s %u – %u %s %u", d1, month_names[m1 - 1], y1,
                            d2, month_names[m2 - 1], y2);
  if (m1 != m2)
    return g_strdup_printf ("%u %s – %u %s %u", d1, month_names[m1 - 1],
                            d2, month_names[m2 - 1], y2);
  return g_strdup_printf ("%u – %u %s %u", d1, d2, month_names[m2 - 1], y2);
}

static char *
format_iso_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

/* A relative link to the week @offset_days away, so that it stays in
 * whatever scheme and host the page came through; escaped for HTML. */
static char *
format_week_link (const GDate *monday,
                  int          offset_days)
{
  GDate date = *monday;

  if (offset_days < 0)
    g_date_subtract_days (&date, -offset_days);
  else
    g_date_add_days (&date, offset_days);
  return g_strdup_printf ("?cmd=contents&amp;module=calendar&amp;view=weekly&amp;d=%u&amp;m=%u&amp;y=%u",
                          g_date_get_day (&date), g_date_get_month (&date), g_date_get_year (&date));
}

/* Years stay well inside GDate's range, so a week and its neighbours exist. */
static gboolean
set_date (GDate *date,
          guint  day,
          guint  month,
          guint  year)
{
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static guint
lookup_number (GHashTable *params,
               const char *name)
{
  const char *text = g_hash_table_lookup (params, name);
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 9999, &value, NULL))
    return 0;
  return value;
}

/* Reads the web part's d, m and y. Without them, or with nonsense in them,
 * OWA shows the current week by the server's clock, and so do we. */
static void
get_reference_date (GHashTable *params,
                    GDate      *out_date)
{
  g_autoptr (GDateTime) now = NULL;

  if (set_date (out_date, lookup_number (params, "d"), lookup_number (params, "m"),
                lookup_number (params, "y")))
    return;
  now = g_date_time_new_now_local ();
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

/* calendar.js is the only client, and it sends {"start": "YYYY-MM-DD",
 * "days": 7}. GLib has no JSON parser and lib/ takes no dependency for one
 * request, so this picks out the two fields. It does not pretend to read
 * JSON in general. */
static gboolean
parse_view_request (GBytes *body,
                    GDate  *out_start,
                    guint  *out_days)
{
  g_autoptr (GRegex) start_regex = g_regex_new ("\"start\"\\s*:\\s*\"(\\d{4})-(\\d\\d)-(\\d\\d)\"", 0, 0, NULL);
  g_autoptr (GRegex) days_regex = g_regex_new ("\"days\"\\s*:\\s*(\\d+)", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *text = NULL;
  guint parts[3];
  guint64 days = 7;

  if (body == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (!g_regex_match (start_regex, text, 0, &match))
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *part = g_match_info_fetch (match, i + 1);

      parts[i] = g_ascii_strtoull (part, NULL, 10);
    }
  g_date_clear (out_start, 1);
  if (!set_date (out_start, parts[2], parts[1], parts[0]))
    return FALSE;

  g_clear_pointer (&match, g_match_info_unref);
  if (g_regex_match (days_regex, text, 0, &match))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);

      if (!g_ascii_string_to_unsigned (number, 10, 1, OC_DEMO_CALENDAR_MAX_DAYS, &days, NULL))
        return FALSE;
    }
  *out_days = days;
  return TRUE;
}

static Week *
week_new (const GDate *monday)
{
  Week *week = g_new0 (Week, 1);

  week->monday = *monday;
  week->rand = g_rand_new_with_seed (g_date_get_julian (monday));
  fill_week (week);
  g_clear_pointer (&week->rand, g_rand_free);
  return week;
}

static void
week_free (Week *week)
{
  for (guint i = 0; i < week->n_events; i++)
    g_free (week->events[i].subject);
  g_free (week);
}

static int
start_of (const Item *item)
{
  return item->event->start_minute == ALL_DAY ? -1 : item->event->start_minute;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *x = a, *y = b;

  if (x->first_julian != y->first_julian)
    return x->first_julian < y->first_julian ? -1 : 1;
  return start_of (x) - start_of (y);
}

static void
append_json_string (GString    *json,
                    const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (json, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (json, "\\n");
      else if ((guchar) *p < 0x20)
        g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

static void
append_local_time (GString     *json,
                   const GDate *monday,
                   guint        day,
                   int          minute)
{
  GDate date = *monday;

  g_date_add_days (&date, day);
  g_string_append_printf (json, "\"%04u-%02u-%02uT%02d:%02d:00\"",
                          g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date), minute / 60, minute % 60);
}

static void
append_event_json (GString    *json,
                   const Item *item,
                   guint       index)
{
  const Event *event = item->event;
  const GDate *monday = &item->week->monday;
  gboolean all_day = event->start_minute == ALL_DAY;

  g_string_append_printf (json, "{\"id\":\"demo-%u-%u\",\"subject\":",
                          g_date_get_julian (monday), index);
  append_json_string (json, event->subject);
  g_string_append (json, ",\"start\":");
  append_local_time (json, monday, event->day, all_day ? 0 : event->start_minute);
  g_string_append (json, ",\"end\":");
  if (all_day)
    append_local_time (json, monday, event->day + event->n_days, 0);
  else
    append_local_time (json, monday, event->day, event->end_minute);
  g_string_append_printf (json, ",\"allDay\":%s,\"location\":", all_day ? "true" : "false");
  append_json_string (json, event->location);
  g_string_append (json, ",\"organizer\":");
  append_json_string (json, event->organizer);
  g_string_append (json, ",\"attendees\":[");
  for (guint i = 0; event->attendees[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      append_json_string (json, event->attendees[i]);
    }
  g_string_append (json, "],\"body\":");
  append_json_string (json, event->body);
  g_string_append_printf (json, ",\"freeBusy\":\"%s\",\"category\":", show_as_names[event->show_as]);
  append_json_string (json, event->category);
  g_string_append_printf (json, ",\"sensitivity\":\"%s\"}", event->is_private ? "Private" : "Normal");
}

/**
 * oc_demo_calendar_answer_view_request:
 * @body: (nullable): the body of a GetCalendarView request
 *
 * Lists Dana Demo's events that touch the days asked for, sorted by start:
 * `{"events":[{"id", "subject", "start", "end", "allDay", "location",
 * "organizer", "attendees", "body", "freeBusy", "category",
 * "sensitivity"}]}`. Starts and ends are local times in ISO 8601 without a
 * zone; an all-day event ends at midnight after its last day. The answer
 * for a given range never changes.
 *
 * Returns: (transfer full) (nullable): the JSON text, or %NULL when @body
 *   asks for nothing valid
 */
GBytes *
oc_demo_calendar_answer_view_request (GBytes *body)
{
  g_autoptr (GPtrArray) weeks = g_ptr_array_new_with_free_func ((GDestroyNotify) week_free);
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
  g_autoptr (GString) json = NULL;
  guint32 first_julian, end_julian;
  GDate first_day, monday;
  guint n_days = 0;

  if (!parse_view_request (body, &first_day, &n_days))
    return NULL;
  json = g_string_new ("{\"events\":[");
  first_julian = g_date_get_julian (&first_day);
  end_julian = first_julian + n_days;

  /* No event crosses from one week into the next (the conference starts on
   * Thursday at the latest), so the weeks that hold the range are enough. */
  for (get_monday (&first_day, &monday);
       g_date_get_julian (&monday) < end_julian;
       g_date_add_days (&monday, 7))
    {
      Week *week = week_new (&monday);

      g_ptr_array_add (weeks, week);
      for (guint i = 0; i < week->n_events; i++)
        {
          const Event *event = &week->events[i];
          Item item = { week, event, g_date_get_julian (&monday) + event->day };

          if (item.first_julian < end_julian && item.first_julian + event->n_days > first_julian)
            g_array_append_val (items, item);
        }
    }

  g_array_sort (items, compare_items);
  for (guint i = 0; i < items->len; i++)
    {
      const Item *item = &g_array_index (items, Item, i);

      if (i > 0)
        g_string_append_c (json, ',');
      append_event_json (json, item, (guint) (item->event - item->week->events));
    }
  g_string_append (json, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&json));
}

/**
 * oc_demo_calendar_render_page:
 * @template: the text of calendar.html
 * @params: the query of the web-part URL, from g_uri_parse_params() with
 *   %G_URI_PARAMS_CASE_INSENSITIVE
 *
 * Fills in the week that @params asks for: the day and its Monday, which
 * calendar.js reads, the label of the week, and the links to the weeks
 * around it. Whatever the view parameter says, the demo draws a week.
 *
 * Returns: (transfer full) (nullable): the page, or %NULL when @params does
 *   not ask for a calendar (cmd=contents&module=calendar)
 */
GBytes *
oc_demo_calendar_render_page (const char *template,
                              GHashTable *params)
{
  g_autoptr (GString) page = g_string_new (template);
  g_autofree char *date_text = NULL;
  g_autofree char *monday_text = NULL;
  g_autofree char *label = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *next = NULL;
  const char *cmd = g_hash_table_lookup (params, "cmd");
  const char *module = g_hash_table_lookup (params, "module");
  GDate date, monday;

  g_return_val_if_fail (template != NULL, NULL);

  if (cmd == NULL || module == NULL
      || g_ascii_strcasecmp (cmd, "contents") != 0 || g_ascii_strcasecmp (module, "calendar") != 0)
    return NULL;
  get_reference_date (params, &date);
  get_monday (&date, &monday);
  date_text = format_iso_date (&date);
  monday_text = format_iso_date (&monday);
  label = format_week_label (&monday);          /* digits and letters: nothing to escape */
  previous = format_week_link (&monday, -7);
  next = format_week_link (&monday, 7);

  g_string_replace (page, "@DATE@", date_text, 0);
  g_string_replace (page, "@WEEK_START@", monday_text, 0);
  g_string_replace (page, "@WEEK_LABEL@", label, 0);
  g_string_replace (page, "@PREVIOUS_URL@", previous, 0);
  g_string_replace (page, "@NEXT_URL@", next, 0);
  g_string_replace (page, "@TODAY_URL@", "?cmd=contents&amp;module=calendar&amp;view=weekly", 0);
  return g_string_free_to_bytes (g_steal_pointer (&page));
}

