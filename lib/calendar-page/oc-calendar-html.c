/* oc-calendar-html.c: what the views of the calendar page share.
 *
 * Every string that comes from a calendar is escaped on its way into the
 * page (g_markup_printf_escaped for HTML, oc_html_append_json_string for
 * the details data): a published calendar is text from someone else.
 */
#include "config.h"
#include "oc-calendar-html.h"

#include <string.h>

/* GNOME Calendar's palette for calendars, light enough for dark text
 * on a tint and dark enough for a stripe. */
static const char *const person_colors[] = {
  "#3584e4", "#2ec27e", "#e66100", "#9141ac", "#e01b24", "#986a44", "#2190a4", "#c64600",
};

/**
 * oc_html_append:
 * @out: where to append
 * @format: a printf format; its string arguments are escaped for HTML
 */
void
oc_html_append (GString    *out,
                const char *format,
                ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (out, text);
}

/**
 * oc_html_append_json_string:
 * @out: where to append
 * @text: (nullable): text, or %NULL for null
 *
 * A JSON string that is also safe inside a <script> element.
 */
void
oc_html_append_json_string (GString    *out,
                            const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

const char *
oc_calendar_person_color (guint index)
{
  return person_colors[index % G_N_ELEMENTS (person_colors)];
}

char *
oc_calendar_date_iso (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

char *
oc_calendar_link (OcCalendarRender *render,
                  OcCalendarView    view,
                  const GDate      *date)
{
  g_autofree char *iso = oc_calendar_date_iso (date);

  return g_strconcat (render->page->base_url, oc_calendar_view_to_string (view), "/", iso, NULL);
}

/* Midnight of @date in the viewer's zone, as UTC seconds. */
gint64
oc_calendar_day_start (OcCalendarRender *render,
                       const GDate      *date)
{
  g_autoptr (GDateTime) midnight = g_date_time_new (render->page->zone, g_date_get_year (date),
                                                    g_date_get_month (date), g_date_get_day (date), 0, 0, 0);

  return g_date_time_to_unix (midnight);
}

/**
 * oc_calendar_format_date:
 * @date: a day
 * @format: a g_date_time_format() format
 *
 * Returns: (transfer full): the day in words of the user's language
 */
char *
oc_calendar_format_date (const GDate *date,
                         const char  *format)
{
  g_autoptr (GDateTime) noon = g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                                                    g_date_get_day (date), 12, 0, 0);

  return g_date_time_format (noon, format);
}

/* All-day events, and timed ones of a day or more, go to the row above the hours. */
gboolean
oc_calendar_in_all_day_row (const OcIcalInstance *instance)
{
  return instance->all_day || instance->end - instance->start >= 24 * 3600;
}

const char *
oc_busy_label (OcBusyStatus busy)
{
  switch (busy)
    {
    case OC_BUSY_FREE:
      return "Free";
    case OC_BUSY_WORKING_ELSEWHERE:
      return "Working elsewhere";
    case OC_BUSY_TENTATIVE:
      return "Tentative";
    case OC_BUSY_OUT_OF_OFFICE:
      return "Out of office";
    case OC_BUSY_BUSY:
    default:
      return "Busy";
    }
}

/* What an event is called on the page: private ones and free/busy periods have no summary. */
const char *
oc_calendar_title_of (const OcIcalInstance *instance)
{
  if (instance->summary != NULL)
    return instance->summary;
  if (instance->privacy != OC_PRIVACY_PUBLIC)
    return "Private";
  if (instance->from_freebusy)
    return oc_busy_label (instance->busy);
  return "Untitled event";
}

/**
 * oc_calendar_time_range:
 * @instance: an occurrence
 *
 * Returns: (transfer full): "09:00 – 10:00", "All day", or with dates when it spans days
 */
char *
oc_calendar_time_range (const OcCalendarPage *page,
                        const OcIcalInstance *instance)
{
  g_autofree char *start = NULL, *end = NULL;
  gboolean same_day = g_date_time_get_day_of_year (instance->local_start) ==
                        g_date_time_get_day_of_year (instance->local_end) &&
                      g_date_time_get_year (instance->local_start) == g_date_time_get_year (instance->local_end);

  if (instance->all_day)
    {
      gint64 days = (instance->end - instance->start + 3 * 3600) / 86400;
      g_autoptr (GDateTime) last = g_date_time_add_days (instance->local_end, -1);
      if (days <= 1)
        return g_strdup ("All day");
      start = g_date_time_format (instance->local_start, "%a %-d %b");
      end = g_date_time_format (last, "%a %-d %b");
      return g_strdup_printf ("%s – %s, all day", start, end);
    }
  start = oc_calendar_clock_of (page, instance->local_start);
  end = oc_calendar_clock_of (page, instance->local_end);
  if (instance->end == instance->start)
    return g_steal_pointer (&start);
  if (same_day)
    return g_strdup_printf ("%s – %s", start, end);
  {
    g_autofree char *first_day = g_date_time_format (instance->local_start, "%a %-d %b");
    g_autofree char *last_day = g_date_time_format (instance->local_end, "%a %-d %b");
    return g_strdup_printf ("%s %s – %s %s", first_day, start, last_day, end);
  }
}

/**
 * oc_calendar_clock:
 * @page: the page, which says how the desktop shows the time
 * @minutes: minutes after midnight, 0 to 1440
 *
 * Returns: (transfer full): "09:15" or, with a twelve-hour clock, "9:15 AM"
 */
char *
oc_calendar_clock (const OcCalendarPage *page,
                   int                   minutes)
{
  int hour = (minutes / 60) % 24, minute = minutes % 60;

  if (!page->twelve_hour)
    return g_strdup_printf ("%02d:%02d", minutes / 60, minute);
  return g_strdup_printf ("%d:%02d %s", hour % 12 == 0 ? 12 : hour % 12, minute, hour < 12 ? "AM" : "PM");
}

/**
 * oc_calendar_clock_of:
 * @page: the page
 * @time: a time in the viewer's zone
 *
 * Returns: (transfer full): its time of day, as oc_calendar_clock() writes it
 */
char *
oc_calendar_clock_of (const OcCalendarPage *page,
                      GDateTime            *time)
{
  return oc_calendar_clock (page, g_date_time_get_hour (time) * 60 + g_date_time_get_minute (time));
}

/* Segments */

static int
minutes_of (GDateTime *time)
{
  return g_date_time_get_hour (time) * 60 + g_date_time_get_minute (time);
}

/**
 * oc_calendar_day_segments:
 * @render: the page being drawn
 * @day: a day of the range
 * @all_day_row: the events of the row above the hours, or the timed ones
 *
 * Returns: (transfer full) (element-type OcDaySegment): the parts of the
 *   people's events on @day, person by person, by start
 */
GArray *
oc_calendar_day_segments (OcCalendarRender *render,
                          const GDate      *day,
                          gboolean          all_day_row)
{
  GArray *segments = g_array_new (FALSE, FALSE, sizeof (OcDaySegment));
  GDate next = *day;
  gint64 day_start = oc_calendar_day_start (render, day);
  gint64 day_end;

  g_date_add_days (&next, 1);
  day_end = oc_calendar_day_start (render, &next);
  for (guint p = 0; p < render->people->len; p++)
    {
      OcCalendarPerson *person = g_ptr_array_index (render->people, p);
      for (guint i = 0; person->instances != NULL && i < person->instances->len; i++)
        {
          OcIcalInstance *instance = g_ptr_array_index (person->instances, i);
          OcDaySegment segment = { instance, p, 0, OC_MINUTES_PER_DAY, FALSE, FALSE };
          gboolean zero = instance->end == instance->start;

          if (oc_calendar_in_all_day_row (instance) != all_day_row)
            continue;
          if (zero ? (instance->start < day_start || instance->start >= day_end)
                   : (instance->end <= day_start || instance->start >= day_end))
            continue;
          segment.continues_before = instance->start < day_start;
          segment.continues_after = instance->end > day_end;
          if (!segment.continues_before)
            segment.start = minutes_of (instance->local_start);
          if (!segment.continues_after)
            segment.end = instance->end == day_end ? OC_MINUTES_PER_DAY : minutes_of (instance->local_end);
          if (zero)
            segment.end = segment.start;
          else if (segment.end <= segment.start)
            segment.end = MIN (segment.start + 1, OC_MINUTES_PER_DAY);
          g_array_append_val (segments, segment);
        }
    }
  return segments;
}

/* Events and their details */

static const char *
partstat_label (const char *partstat)
{
  if (partstat == NULL)
    return NULL;
  if (g_str_equal (partstat, "ACCEPTED"))
    return "accepted";
  if (g_str_equal (partstat, "DECLINED"))
    return "declined";
  if (g_str_equal (partstat, "TENTATIVE"))
    return "tentative";
  if (g_str_equal (partstat, "DELEGATED"))
    return "delegated";
  return "no answer yet";
}

/* What an event says beyond its time: place, notes, organizer, attendees. */
static void
append_notes_and_people (GString              *json,
                         const OcIcalInstance *instance)
{
  g_string_append (json, "\"location\":");
  oc_html_append_json_string (json, instance->location);
  g_string_append (json, ",\"description\":");
  oc_html_append_json_string (json, instance->description);
  g_string_append (json, ",\"organizer\":");
  if (instance->organizer_name != NULL || instance->organizer_email != NULL)
    {
      g_string_append (json, "{\"name\":");
      oc_html_append_json_string (json, instance->organizer_name);
      g_string_append (json, ",\"email\":");
      oc_html_append_json_string (json, instance->organizer_email);
      g_string_append (json, "}");
    }
  else
    g_string_append (json, "null");
  g_string_append (json, ",\"attendees\":[");
  for (guint i = 0; i < instance->attendees->len; i++)
    {
      OcIcalAttendee *attendee = g_ptr_array_index (instance->attendees, i);
      g_string_append (json, i > 0 ? ",{\"name\":" : "{\"name\":");
      oc_html_append_json_string (json, attendee->name);
      g_string_append (json, ",\"email\":");
      oc_html_append_json_string (json, attendee->email);
      g_string_append (json, ",\"status\":");
      oc_html_append_json_string (json, partstat_label (attendee->partstat));
      g_string_append (json, ",\"optional\":");
      g_string_append (json, g_strcmp0 (attendee->role, "OPT-PARTICIPANT") == 0 ? "true}" : "false}");
    }
  g_string_append (json, "]");
}

/**
 * oc_calendar_details_to_json:
 * @instance: (nullable): an event, as the server told it when asked
 * @error: (nullable): why it could not be told, when @instance is %NULL
 *
 * The answer to a page's request for an event's details (see "more" in the
 * page's event data): its place, notes, organizer and attendees, or
 * {"error": message}.
 *
 * Returns: (transfer full): a JSON object
 */
char *
oc_calendar_details_to_json (const OcIcalInstance *instance,
                             const GError         *error)
{
  GString *json = g_string_new ("{");

  g_return_val_if_fail (instance != NULL || error != NULL, NULL);
  if (instance != NULL)
    append_notes_and_people (json, instance);
  else
    {
      g_string_append (json, "\"error\":");
      oc_html_append_json_string (json, error->message);
    }
  g_string_append (json, "}");
  return g_string_free (json, FALSE);
}

static void
append_details (OcCalendarRender *render,
                const char       *id,
                guint             person_index,
                OcIcalInstance   *instance)
{
  OcCalendarPerson *person = g_ptr_array_index (render->people, person_index);
  GString *json = render->details;
  g_autofree char *range = oc_calendar_time_range (render->page, instance);
  g_autofree char *day = g_date_time_format (instance->local_start, "%A, %-d %B %Y");
  g_autofree char *when = g_strdup_printf ("%s, %s", day, range);

  if (json->len > 0)
    g_string_append (json, ",\n");
  oc_html_append_json_string (json, id);
  g_string_append (json, ":{\"title\":");
  oc_html_append_json_string (json, oc_calendar_title_of (instance));
  g_string_append (json, ",\"when\":");
  oc_html_append_json_string (json, when);
  g_string_append (json, ",\"status\":");
  oc_html_append_json_string (json, oc_busy_label (instance->busy));
  g_string_append (json, ",\"calendar\":");
  oc_html_append_json_string (json, person->name);
  g_string_append (json, ",\"color\":");
  oc_html_append_json_string (json, oc_calendar_person_color (person_index));
  g_string_append_printf (json, ",\"private\":%s,\"freebusy\":%s,\"recurring\":%s",
                          instance->privacy != OC_PRIVACY_PUBLIC ? "true" : "false",
                          instance->from_freebusy ? "true" : "false",
                          instance->recurring ? "true" : "false");
  g_string_append (json, ",\"more\":");
  if (instance->details_on_request && instance->uid != NULL)
    {
      g_autofree char *item = g_uri_escape_string (instance->uid, NULL, TRUE);
      g_autofree char *more = g_strdup_printf ("%sdetails/%u?item=%s", render->page->base_url, person_index, item);
      oc_html_append_json_string (json, more);
    }
  else
    g_string_append (json, "null");
  g_string_append (json, ",");
  append_notes_and_people (json, instance);
  g_string_append (json, "}");
}

/**
 * oc_calendar_event_id:
 * @render: the page being drawn
 * @person: whose event
 * @instance: the occurrence
 *
 * Returns: the id of the occurrence's details, recorded the first time
 */
const char *
oc_calendar_event_id (OcCalendarRender *render,
                      guint             person,
                      OcIcalInstance   *instance)
{
  const char *id = g_hash_table_lookup (render->ids, instance);

  if (id == NULL)
    {
      char *new_id = g_strdup_printf ("e%u", g_hash_table_size (render->ids) + 1);
      g_hash_table_insert (render->ids, instance, new_id);
      append_details (render, new_id, person, instance);
      id = new_id;
    }
  return id;
}

/**
 * oc_calendar_append_event_attributes:
 * @render: the page being drawn
 * @person: whose event
 * @instance: the occurrence
 * @classes: more CSS classes
 *
 * Writes the opening of an event's <button>, up to and without its style
 * and closing ">": classes, data for the details and for tests, and a
 * name that says everything the block shows.
 */
void
oc_calendar_append_event_attributes (OcCalendarRender *render,
                                     guint             person,
                                     OcIcalInstance   *instance,
                                     const char       *classes)
{
  OcCalendarPerson *owner = g_ptr_array_index (render->people, person);
  const char *id = oc_calendar_event_id (render, person, instance);
  g_autofree char *range = oc_calendar_time_range (render->page, instance);
  g_autofree char *day = g_date_time_format (instance->local_start, "%A %-d %B");
  g_autofree char *start = g_date_time_format (instance->local_start, "%Y-%m-%dT%H:%M");
  g_autofree char *end = g_date_time_format (instance->local_end, "%Y-%m-%dT%H:%M");
  g_autofree char *label = NULL;

  label = g_strdup_printf ("%s, %s, %s%s%s, %s%s%s", oc_calendar_title_of (instance), day, range,
                           instance->location ? ", " : "", instance->location ? instance->location : "",
                           oc_busy_label (instance->busy),
                           render->people->len > 1 ? ", " : "", render->people->len > 1 ? owner->name : "");
  oc_html_append (render->out,
                  "<button type=\"button\" class=\"event %s %s%s\" data-event=\"%s\" data-uid=\"%s\" "
                  "data-person=\"%u\" data-start=\"%s\" data-end=\"%s\" data-busy=\"%s\" "
                  "data-all-day=\"%s\" aria-label=\"%s\" ",
                  oc_busy_status_to_string (instance->busy), classes,
                  instance->privacy != OC_PRIVACY_PUBLIC ? " private" : "", id, instance->uid, person, start,
                  end, oc_busy_status_to_string (instance->busy), instance->all_day ? "true" : "false", label);
}
