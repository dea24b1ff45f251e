/* oc-ical-zone.c: a time zone of a calendar: an IANA zone or a VTIMEZONE.
 *
 * Zones named after IANA (or after Windows, mapped to IANA) are read with
 * GLib's GTimeZone, from the system's tzdata: libical 3.0's own conversion of
 * the system zones is wrong in irregular years (São Paulo 2014, Tehran 2018,
 * Cairo in the 1980s), and it resolves local times in a DST gap or fold the
 * other way round from RFC 5545. Only a VTIMEZONE that names no known zone
 * ("Customized Time Zone", as Exchange calls one) is left to libical, and
 * then only for its UTC offset at a UTC instant, which it gets right.
 *
 * Local time to UTC follows RFC 5545, section 3.3.5: a time skipped by a DST
 * gap is read with the offset from before the gap; a time that occurs twice
 * is the first of the two.
 */
#include "config.h"
#include "oc-ical-zone.h"

#include <string.h>

#include "oc-windows-zones.h"

struct _OcIcalZone {
  gatomicrefcount ref_count;
  char *id;
  GTimeZone *gzone;            /* IANA and UTC zones */
  icaltimezone *izone;         /* a VTIMEZONE that names no known zone */
  GMutex lock;                 /* libical expands a zone's changes lazily */
};

static OcIcalZone *
zone_new (const char *id)
{
  OcIcalZone *zone = g_new0 (OcIcalZone, 1);

  g_atomic_ref_count_init (&zone->ref_count);
  g_mutex_init (&zone->lock);
  zone->id = g_strdup (id);
  return zone;
}

/**
 * oc_ical_civil_to_seconds:
 * @year: the year
 * @month: 1 to 12
 * @day: 1 to 31
 * @hour: 0 to 23
 * @minute: 0 to 59
 * @second: 0 to 60
 *
 * Reads a wall-clock time as if it were UTC (proleptic Gregorian calendar).
 *
 * Returns: seconds since 1970-01-01 00:00:00
 */
gint64
oc_ical_civil_to_seconds (int year,
                          int month,
                          int day,
                          int hour,
                          int minute,
                          int second)
{
  /* Howard Hinnant's days_from_civil. */
  gint64 y = (gint64) year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  gint64 days = era * 146097 + doe - 719468;

  return days * 86400 + hour * 3600 + minute * 60 + second;
}

/**
 * oc_ical_zone_new_utc:
 *
 * Returns: (transfer full): UTC
 */
OcIcalZone *
oc_ical_zone_new_utc (void)
{
  OcIcalZone *zone = zone_new ("UTC");

  zone->gzone = g_time_zone_new_utc ();
  return zone;
}

static gboolean
is_zone_identifier (const char *text)
{
  /* Area/Location[/Sub], as in tzdata: GLib would also accept a POSIX TZ
   * string such as "ABC5", which is no calendar's zone name. */
  if (!g_ascii_isalpha (text[0]) || strchr (text, '/') == NULL)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!(g_ascii_isalnum (*p) || strchr ("/_+-", *p) != NULL) || (p[0] == '/' && p[1] == '/'))
      return FALSE;
  return TRUE;
}

/**
 * oc_ical_zone_new_iana:
 * @identifier: an IANA zone such as "Europe/Berlin", or "UTC"
 *
 * Returns: (transfer full) (nullable): the zone, or %NULL if the system does not know it
 */
OcIcalZone *
oc_ical_zone_new_iana (const char *identifier)
{
  GTimeZone *gzone;
  OcIcalZone *zone;

  g_return_val_if_fail (identifier != NULL, NULL);

  if (g_ascii_strcasecmp (identifier, "UTC") == 0 || g_ascii_strcasecmp (identifier, "Etc/UTC") == 0)
    return oc_ical_zone_new_utc ();
  if (!is_zone_identifier (identifier))
    return NULL;
  gzone = g_time_zone_new_identifier (identifier);
  if (gzone == NULL)
    return NULL;
  zone = zone_new (identifier);
  zone->gzone = gzone;
  return zone;
}

/**
 * oc_ical_zone_new_for_gtimezone:
 * @gzone: a GLib zone, such as the user's local one
 *
 * Returns: (transfer full): the zone
 */
OcIcalZone *
oc_ical_zone_new_for_gtimezone (GTimeZone *gzone)
{
  const char *id = g_time_zone_get_identifier (gzone);
  OcIcalZone *zone = zone_new (id ? id : "local");

  zone->gzone = g_time_zone_ref (gzone);
  return zone;
}

/**
 * oc_ical_zone_new_vtimezone:
 * @vtimezone: a VTIMEZONE component with a TZID (copied)
 *
 * Returns: (transfer full) (nullable): the zone, or %NULL if libical cannot use it
 */
OcIcalZone *
oc_ical_zone_new_vtimezone (icalcomponent *vtimezone)
{
  icaltimezone *izone = icaltimezone_new ();
  const char *tzid;
  OcIcalZone *zone;

  g_return_val_if_fail (vtimezone != NULL, NULL);

  if (!icaltimezone_set_component (izone, icalcomponent_new_clone (vtimezone)))
    {
      icaltimezone_free (izone, TRUE);
      return NULL;
    }
  tzid = icaltimezone_get_tzid (izone);
  zone = zone_new (tzid ? tzid : "");
  zone->izone = izone;
  return zone;
}

OcIcalZone *
oc_ical_zone_ref (OcIcalZone *zone)
{
  g_return_val_if_fail (zone != NULL, NULL);
  g_atomic_ref_count_inc (&zone->ref_count);
  return zone;
}

void
oc_ical_zone_unref (OcIcalZone *zone)
{
  if (zone == NULL || !g_atomic_ref_count_dec (&zone->ref_count))
    return;
  g_clear_pointer (&zone->gzone, g_time_zone_unref);
  if (zone->izone != NULL)
    icaltimezone_free (zone->izone, TRUE);
  g_mutex_clear (&zone->lock);
  g_free (zone->id);
  g_free (zone);
}

/**
 * oc_ical_zone_get_id:
 * @zone: a zone
 *
 * Returns: the IANA identifier, or the TZID of the VTIMEZONE
 */
const char *
oc_ical_zone_get_id (OcIcalZone *zone)
{
  return zone->id;
}

/**
 * oc_ical_zone_is_iana:
 * @zone: a zone
 *
 * Returns: whether @zone comes from the system's tzdata (not from a VTIMEZONE)
 */
gboolean
oc_ical_zone_is_iana (OcIcalZone *zone)
{
  return zone->gzone != NULL;
}

/**
 * oc_ical_zone_get_gtimezone:
 * @zone: a zone
 *
 * Returns: (transfer none) (nullable): the GLib zone of an IANA zone, else %NULL
 */
GTimeZone *
oc_ical_zone_get_gtimezone (OcIcalZone *zone)
{
  return zone->gzone;
}

/**
 * oc_ical_zone_get_offset:
 * @zone: a zone
 * @utc: an instant, in seconds since 1970 (UTC)
 *
 * Returns: the zone's offset from UTC at @utc, in seconds east of Greenwich
 */
int
oc_ical_zone_get_offset (OcIcalZone *zone,
                         gint64      utc)
{
  struct icaltimetype time;
  int is_daylight = 0;
  int offset;

  if (zone->gzone != NULL)
    return g_time_zone_get_offset (zone->gzone,
                                   g_time_zone_find_interval (zone->gzone, G_TIME_TYPE_UNIVERSAL, utc));

  time = icaltime_from_timet_with_zone ((time_t) utc, 0, icaltimezone_get_utc_timezone ());
  g_mutex_lock (&zone->lock);
  offset = icaltimezone_get_utc_offset_of_utc_time (zone->izone, &time, &is_daylight);
  g_mutex_unlock (&zone->lock);
  return offset;
}

/**
 * oc_ical_zone_to_utc:
 * @zone: a zone
 * @year: the year
 * @month: 1 to 12
 * @day: 1 to 31
 * @hour: 0 to 23
 * @minute: 0 to 59
 * @second: 0 to 60
 *
 * Reads a wall-clock time of @zone as RFC 5545 says: a time in a DST gap
 * with the offset before the gap, a time in a fold as its first occurrence.
 *
 * Returns: the instant, in seconds since 1970 (UTC)
 */
gint64
oc_ical_zone_to_utc (OcIcalZone *zone,
                     int         year,
                     int         month,
                     int         day,
                     int         hour,
                     int         minute,
                     int         second)
{
  gint64 local = oc_ical_civil_to_seconds (year, month, day, hour, minute, second);
  int before = oc_ical_zone_get_offset (zone, local - 86400);
  int after = oc_ical_zone_get_offset (zone, local + 86400);
  gint64 with_before = local - before;
  gint64 with_after = local - after;
  gboolean before_fits, after_fits;

  /* No change of offset within a day either side (nearly always): no gap, no fold. */
  if (before == after)
    return with_before;
  before_fits = oc_ical_zone_get_offset (zone, with_before) == before;
  after_fits = oc_ical_zone_get_offset (zone, with_after) == after;

  if (before_fits && after_fits)
    return MIN (with_before, with_after);
  if (after_fits)
    return with_after;
  /* Fits the offset before, or falls in a gap: the offset before, either way. */
  return with_before;
}

static const char *const utc_names[] = {
  "UTC", "GMT", "Z", "Etc/UTC", "Etc/GMT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu",
  "Coordinated Universal Time",
};

/**
 * oc_ical_zone_resolve_tzid:
 * @tzid: the TZID of a calendar: an IANA name, a prefixed one
 *   ("/freeassociation.sourceforge.net/Tzfile/Europe/Berlin", "/mozilla.org/20050126_1/Europe/Berlin"),
 *   a Windows name ("W. Europe Standard Time") or a Windows display name
 *
 * Returns: (transfer full) (nullable): the IANA zone (or "UTC") @tzid means, or %NULL
 */
char *
oc_ical_zone_resolve_tzid (const char *tzid)
{
  g_autofree char *name = NULL;
  const char *windows;

  g_return_val_if_fail (tzid != NULL, NULL);

  name = g_strstrip (g_strdup (tzid));
  if (name[0] == '"' && strlen (name) >= 2 && name[strlen (name) - 1] == '"')
    {
      name[strlen (name) - 1] = '\0';
      memmove (name, name + 1, strlen (name));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (utc_names); i++)
    if (g_ascii_strcasecmp (name, utc_names[i]) == 0)
      return g_strdup ("UTC");

  /* Names with a vendor prefix end in the IANA name: try each tail. */
  for (const char *tail = name; tail != NULL && *tail; tail = strchr (tail + 1, '/'))
    {
      const char *candidate = tail[0] == '/' ? tail + 1 : tail;
      g_autoptr (GTimeZone) gzone = NULL;

      if (!is_zone_identifier (candidate))
        continue;
      gzone = g_time_zone_new_identifier (candidate);
      if (gzone != NULL)
        return g_strdup (candidate);
    }

  windows = oc_windows_zone_to_iana (name);
  if (windows != NULL)
    return g_strdup (windows);
  return NULL;
}
