/* oc-ews-time.c: EWS's times (xs:dateTime) and time zones (Bias and transition rules).
 *
 * owacal asks in UTC and shows in the viewer's zone. Answers carry times
 * either with an offset ("…-07:00", "…Z") or without one, in the zone the
 * request described (GetUserAvailability's t:TimeZone): both are read here.
 *
 * A colleague's own zone comes as a Windows-style rule (availability's
 * SerializableTimeZone): a Bias in minutes west of UTC, and a StandardTime and
 * DaylightTime each with its own extra bias and a yearly transition ("the
 * last Sunday of October at 03:00"). That is exactly what a POSIX TZ string
 * says, so it becomes one ("XST-1XDT,M3.5.0/2,M10.5.0/3") and GLib builds the
 * GTimeZone from it; the names XST/XDT are placeholders nobody shows.
 */
#include "config.h"
#include "oc-ews-time.h"

#include "oc-ews-xml.h"

#include <stdio.h>

/**
 * oc_ews_time_format:
 * @utc_seconds: a moment
 * @with_z: whether to mark it as UTC ("…Z")
 *
 * Returns: (transfer full): the moment as xs:dateTime in UTC
 */
char *
oc_ews_time_format (gint64   utc_seconds,
                    gboolean with_z)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (utc_seconds);

  return g_date_time_format (time, with_z ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S");
}

/**
 * oc_ews_time_parse:
 * @text: (nullable): an xs:dateTime
 * @zone: (nullable): the zone of a time without offset; %NULL for UTC
 * @out_utc_seconds: (out): the moment
 *
 * Returns: whether @text is a time
 */
gboolean
oc_ews_time_parse (const char *text,
                   GTimeZone  *zone,
                   gint64     *out_utc_seconds)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) time = NULL;

  if (text == NULL)
    return FALSE;
  time = g_date_time_new_from_iso8601 (text, zone != NULL ? zone : utc);
  if (time == NULL)
    return FALSE;
  *out_utc_seconds = g_date_time_to_unix (time);
  return TRUE;
}

/**
 * oc_ews_time_all_day_date:
 * @utc_seconds: the start or end of an all-day event, as Exchange gives it
 * @zone: the viewer's zone
 *
 * Exchange gives an all-day event's bounds as the midnights of its
 * organizer's zone, converted to UTC: 23:00Z the day before for Berlin,
 * 08:00Z for Los Angeles. That zone is not in the answer, but the date is
 * the one of the nearest midnight: for any zone between UTC−12 and UTC+12
 * the UTC time plus twelve hours falls on it.
 *
 * Returns: the midnight of that date in @zone, UTC seconds
 */
gint64
oc_ews_time_all_day_date (gint64     utc_seconds,
                          GTimeZone *zone)
{
  g_autoptr (GDateTime) noon = g_date_time_new_from_unix_utc (utc_seconds + 12 * 3600);
  g_autoptr (GDateTime) midnight = g_date_time_new (zone, g_date_time_get_year (noon),
                                                    g_date_time_get_month (noon),
                                                    g_date_time_get_day_of_month (noon), 0, 0, 0);

  return midnight != NULL ? g_date_time_to_unix (midnight) : utc_seconds;
}

static void
add_transition (xmlNode    *time_zone,
                const char *name)
{
  xmlNode *transition = oc_ews_xml_add (time_zone, "t", name, NULL);

  /* No transition at all: Exchange's own clients and evolution-ews write
   * month and day order 0 for a zone without daylight saving time. */
  oc_ews_xml_add (transition, "t", "Bias", "0");
  oc_ews_xml_add (transition, "t", "Time", "00:00:00");
  oc_ews_xml_add (transition, "t", "DayOrder", "0");
  oc_ews_xml_add (transition, "t", "Month", "0");
  oc_ews_xml_add (transition, "t", "DayOfWeek", "Sunday");
}

/**
 * oc_ews_time_zone_add_utc:
 * @parent: the element to add a t:TimeZone to
 *
 * Adds UTC as GetUserAvailability describes a zone. The schema requires
 * StandardTime and DaylightTime even for a zone without daylight saving.
 *
 * Returns: (transfer none): the t:TimeZone element
 */
xmlNode *
oc_ews_time_zone_add_utc (xmlNode *parent)
{
  xmlNode *time_zone = oc_ews_xml_add (parent, "t", "TimeZone", NULL);

  oc_ews_xml_add (time_zone, "t", "Bias", "0");
  add_transition (time_zone, "StandardTime");
  add_transition (time_zone, "DaylightTime");
  return time_zone;
}

static const char * const weekdays[] = {
  "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

/* POSIX offsets are west of UTC, like Exchange's bias: 60 → "1", -90 → "-1:30". */
static char *
format_offset (int minutes_west)
{
  int magnitude = ABS (minutes_west);

  if (magnitude % 60 == 0)
    return g_strdup_printf ("%s%d", minutes_west < 0 ? "-" : "", magnitude / 60);
  return g_strdup_printf ("%s%d:%02d", minutes_west < 0 ? "-" : "", magnitude / 60, magnitude % 60);
}

typedef struct {
  int bias;
  int month;
  int day_order;
  int weekday;
  int hour, minute, second;
} Transition;

static gboolean
read_transition (const xmlNode *node,
                 Transition    *out)
{
  g_autofree char *bias = oc_ews_xml_child_text (node, OC_EWS_NS_TYPES, "Bias");
  g_autofree char *time = oc_ews_xml_child_text (node, OC_EWS_NS_TYPES, "Time");
  g_autofree char *order = oc_ews_xml_child_text (node, OC_EWS_NS_TYPES, "DayOrder");
  g_autofree char *month = oc_ews_xml_child_text (node, OC_EWS_NS_TYPES, "Month");
  g_autofree char *weekday = oc_ews_xml_child_text (node, OC_EWS_NS_TYPES, "DayOfWeek");

  if (node == NULL || bias == NULL)
    return FALSE;
  *out = (Transition) { .weekday = -1 };
  out->bias = (int) g_ascii_strtoll (bias, NULL, 10);
  out->month = month != NULL ? (int) g_ascii_strtoll (month, NULL, 10) : 0;
  out->day_order = order != NULL ? (int) g_ascii_strtoll (order, NULL, 10) : 0;
  for (guint i = 0; weekday != NULL && i < G_N_ELEMENTS (weekdays); i++)
    if (g_str_equal (weekday, weekdays[i]))
      out->weekday = (int) i;
  if (time != NULL && sscanf (time, "%d:%d:%d", &out->hour, &out->minute, &out->second) < 2)
    return FALSE;
  return TRUE;
}

static gboolean
has_rule (const Transition *transition)
{
  return transition->month >= 1 && transition->month <= 12 && transition->day_order >= 1 &&
         transition->day_order <= 5 && transition->weekday >= 0;
}

static char *
format_rule (const Transition *transition)
{
  return g_strdup_printf ("M%d.%d.%d/%d:%02d:%02d", transition->month, transition->day_order,
                          transition->weekday, transition->hour, transition->minute, transition->second);
}

/**
 * oc_ews_time_zone_to_posix:
 * @time_zone: a SerializableTimeZone element (t:TimeZone of WorkingHours)
 *
 * DayOrder 5 means the last such weekday of the month, as in POSIX's M
 * rules. A Year (a rule for one year only) is not followed: the rule is
 * taken as yearly.
 *
 * Returns: (transfer full) (nullable): a POSIX TZ string, %NULL when the
 *   element is no zone
 */
char *
oc_ews_time_zone_to_posix (const xmlNode *time_zone)
{
  g_autofree char *bias_text = oc_ews_xml_child_text (time_zone, OC_EWS_NS_TYPES, "Bias");
  g_autofree char *standard_offset = NULL;
  g_autofree char *daylight_offset = NULL;
  g_autofree char *to_daylight = NULL;
  g_autofree char *to_standard = NULL;
  Transition standard, daylight;
  int bias;

  if (bias_text == NULL)
    return NULL;
  bias = (int) g_ascii_strtoll (bias_text, NULL, 10);
  if (!read_transition (oc_ews_xml_child (time_zone, OC_EWS_NS_TYPES, "StandardTime"), &standard))
    standard = (Transition) { 0 };
  if (!read_transition (oc_ews_xml_child (time_zone, OC_EWS_NS_TYPES, "DaylightTime"), &daylight))
    daylight = standard;

  standard_offset = format_offset (bias + standard.bias);
  if (!has_rule (&standard) || !has_rule (&daylight) || standard.bias == daylight.bias)
    return g_strdup_printf ("XST%s", standard_offset);
  daylight_offset = format_offset (bias + daylight.bias);
  /* DaylightTime says when daylight saving starts (in standard time), StandardTime when it ends. */
  to_daylight = format_rule (&daylight);
  to_standard = format_rule (&standard);
  return g_strdup_printf ("XST%sXDT%s,%s,%s", standard_offset, daylight_offset, to_daylight, to_standard);
}

/**
 * oc_ews_time_zone_parse:
 * @time_zone: a SerializableTimeZone element
 *
 * Returns: (transfer full) (nullable): the zone, %NULL when it is none
 */
GTimeZone *
oc_ews_time_zone_parse (const xmlNode *time_zone)
{
  g_autofree char *posix = oc_ews_time_zone_to_posix (time_zone);

  return posix != NULL ? g_time_zone_new_identifier (posix) : NULL;
}
