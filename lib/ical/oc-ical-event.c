/* oc-ical-event.c: what one VEVENT says about when it happens, read once.
 *
 * A view is drawn many times from the same calendar, so each VEVENT's
 * times, zones and rules are read when the calendar is loaded; its words
 * (summary, people, description) only for the occurrences a view shows.
 */
#include "config.h"
#include "oc-ical-private.h"

#include <string.h>

static OcIcalZone *
get_utc_zone (void)
{
  static OcIcalZone *utc;

  if (g_once_init_enter (&utc))
    g_once_init_leave (&utc, oc_ical_zone_new_utc ());
  return utc;
}

void
oc_ical_when_clear (OcIcalWhen *when)
{
  g_clear_pointer (&when->zone, oc_ical_zone_unref);
  when->valid = FALSE;
}

/**
 * oc_ical_when_from_property:
 * @property: the property the time comes from (for its TZID)
 * @time: its value
 * @lookup: finds the zone of a TZID
 * @user_data: for @lookup
 *
 * Returns: the time as written and the zone it is in
 */
OcIcalWhen
oc_ical_when_from_property (icalproperty        *property,
                            struct icaltimetype  time,
                            OcIcalZoneLookup     lookup,
                            gpointer             user_data)
{
  OcIcalWhen when = { time, NULL, !icaltime_is_null_time (time) && icaltime_is_valid_time (time) };
  icalparameter *tzid;

  if (!when.valid)
    return when;
  if (!time.is_date)
    {
      if (icaltime_is_utc (time))
        when.zone = oc_ical_zone_ref (get_utc_zone ());
      else if ((tzid = icalproperty_get_first_parameter (property, ICAL_TZID_PARAMETER)) != NULL)
        {
          OcIcalZone *zone = lookup (icalparameter_get_tzid (tzid), property, user_data);
          when.zone = zone ? oc_ical_zone_ref (zone) : NULL;
        }
    }
  when.time.zone = NULL;
  return when;
}

/**
 * oc_ical_when_to_utc:
 * @when: a time
 * @floating_zone: where floating times and dates are read (the view's zone,
 *   or the calendar's X-WR-TIMEZONE)
 *
 * Returns: the instant, UTC seconds; a DATE is its midnight
 */
gint64
oc_ical_when_to_utc (const OcIcalWhen *when,
                     OcIcalZone       *floating_zone)
{
  OcIcalZone *zone = when->zone ? when->zone : floating_zone;

  if (when->time.is_date)
    return oc_ical_zone_to_utc (floating_zone, when->time.year, when->time.month, when->time.day, 0, 0, 0);
  return oc_ical_zone_to_utc (zone, when->time.year, when->time.month, when->time.day,
                              when->time.hour, when->time.minute, when->time.second);
}

static const char *
get_x_property (icalcomponent *component,
                const char    *name)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_X_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_X_PROPERTY))
    if (g_ascii_strcasecmp (icalproperty_get_x_name (p), name) == 0)
      return icalproperty_get_x (p);
  return NULL;
}

/* Exchange says what the owner will be in X-MICROSOFT-CDO-BUSYSTATUS;
 * everybody else says it with TRANSP and STATUS. */
static OcBusyStatus
read_busy_status (icalcomponent *component)
{
  const char *cdo = get_x_property (component, "X-MICROSOFT-CDO-BUSYSTATUS");
  icalproperty *transp;

  if (cdo != NULL)
    {
      if (g_ascii_strcasecmp (cdo, "FREE") == 0)
        return OC_BUSY_FREE;
      if (g_ascii_strcasecmp (cdo, "TENTATIVE") == 0)
        return OC_BUSY_TENTATIVE;
      if (g_ascii_strcasecmp (cdo, "OOF") == 0)
        return OC_BUSY_OUT_OF_OFFICE;
      if (g_ascii_strcasecmp (cdo, "WORKINGELSEWHERE") == 0)
        return OC_BUSY_WORKING_ELSEWHERE;
      if (g_ascii_strcasecmp (cdo, "BUSY") == 0)
        return OC_BUSY_BUSY;
    }
  transp = icalcomponent_get_first_property (component, ICAL_TRANSP_PROPERTY);
  if (transp != NULL && icalproperty_get_transp (transp) == ICAL_TRANSP_TRANSPARENT)
    return OC_BUSY_FREE;
  if (icalcomponent_get_status (component) == ICAL_STATUS_TENTATIVE)
    return OC_BUSY_TENTATIVE;
  return OC_BUSY_BUSY;
}

static OcPrivacy
read_privacy (icalcomponent *component)
{
  icalproperty *class = icalcomponent_get_first_property (component, ICAL_CLASS_PROPERTY);

  if (class == NULL)
    return OC_PRIVACY_PUBLIC;
  switch (icalproperty_get_class (class))
    {
    case ICAL_CLASS_PRIVATE:
      return OC_PRIVACY_PRIVATE;
    case ICAL_CLASS_CONFIDENTIAL:
      return OC_PRIVACY_CONFIDENTIAL;
    default:
      return OC_PRIVACY_PUBLIC;
    }
}

static OcIcalWhen
read_when (icalcomponent    *component,
           icalproperty_kind kind,
           OcIcalZoneLookup  lookup,
           gpointer          user_data)
{
  icalproperty *property = icalcomponent_get_first_property (component, kind);
  OcIcalWhen none = { icaltime_null_time (), NULL, FALSE };

  if (property == NULL)
    return none;
  return oc_ical_when_from_property (property, icalvalue_get_datetime (icalproperty_get_value (property)),
                                     lookup, user_data);
}

static gboolean
is_midnight (const OcIcalWhen *when)
{
  return when->valid && when->time.hour == 0 && when->time.minute == 0 && when->time.second == 0;
}

/* Exchange 2007 wrote all-day events as midnight to midnight in the
 * organizer's zone, flagged X-MICROSOFT-CDO-ALLDAYEVENT: they are dates. */
static void
read_exchange_all_day (OcIcalEvent *event)
{
  const char *flag = get_x_property (event->component, "X-MICROSOFT-CDO-ALLDAYEVENT");

  if (flag == NULL || g_ascii_strcasecmp (flag, "TRUE") != 0 || event->start.time.is_date ||
      !is_midnight (&event->start) || (event->end.valid && !is_midnight (&event->end)))
    return;
  event->start.time.is_date = TRUE;
  g_clear_pointer (&event->start.zone, oc_ical_zone_unref);
  if (event->end.valid)
    {
      event->end.time.is_date = TRUE;
      g_clear_pointer (&event->end.zone, oc_ical_zone_unref);
    }
}

static void
read_recurrence (OcIcalEvent      *event,
                 OcIcalZoneLookup  lookup,
                 gpointer          user_data)
{
  icalcomponent *component = event->component;

  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_RRULE_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_RRULE_PROPERTY))
    {
      struct icalrecurrencetype rule = icalproperty_get_rrule (p);
      if (rule.freq != ICAL_NO_RECURRENCE)
        g_array_append_val (event->rrules, rule);
    }
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_RDATE_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_RDATE_PROPERTY))
    {
      struct icaldatetimeperiodtype value = icalproperty_get_rdate (p);
      OcIcalRdate rdate = { { icaltime_null_time (), NULL, FALSE }, { icaltime_null_time (), NULL, FALSE } };

      if (!icalperiodtype_is_null_period (value.period))
        {
          struct icaltimetype end = value.period.end;
          if (icaltime_is_null_time (end))
            end = icaltime_add (value.period.start, value.period.duration);
          rdate.start = oc_ical_when_from_property (p, value.period.start, lookup, user_data);
          rdate.end = oc_ical_when_from_property (p, end, lookup, user_data);
        }
      else
        rdate.start = oc_ical_when_from_property (p, value.time, lookup, user_data);
      if (rdate.start.valid)
        g_array_append_val (event->rdates, rdate);
    }
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_EXDATE_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_EXDATE_PROPERTY))
    {
      OcIcalWhen exdate = oc_ical_when_from_property (p, icalproperty_get_exdate (p), lookup, user_data);
      if (exdate.valid)
        g_array_append_val (event->exdates, exdate);
    }
}

static void
clear_rdate (OcIcalRdate *rdate)
{
  oc_ical_when_clear (&rdate->start);
  oc_ical_when_clear (&rdate->end);
}

/**
 * oc_ical_event_new:
 * @component: a VEVENT, owned by the calendar
 * @line: where it begins in the file
 * @lookup: finds the zone of a TZID
 * @user_data: for @lookup
 *
 * Returns: (transfer full): what @component says about its times
 */
OcIcalEvent *
oc_ical_event_new (icalcomponent    *component,
                   guint             line,
                   OcIcalZoneLookup  lookup,
                   gpointer          user_data)
{
  OcIcalEvent *event = g_new0 (OcIcalEvent, 1);
  icalproperty *property;
  const char *uid = icalcomponent_get_uid (component);

  event->component = component;
  event->line = line;
  /* The UID is shown to the page (data-uid) and compared: made valid UTF-8
   * once, here, it stays the same for every component that names it. */
  event->uid = uid && *uid ? g_utf8_make_valid (uid, -1) : g_strdup_printf ("owacal-line-%u", line);
  event->rrules = g_array_new (FALSE, FALSE, sizeof (struct icalrecurrencetype));
  event->rdates = g_array_new (FALSE, FALSE, sizeof (OcIcalRdate));
  g_array_set_clear_func (event->rdates, (GDestroyNotify) clear_rdate);
  event->exdates = g_array_new (FALSE, FALSE, sizeof (OcIcalWhen));
  g_array_set_clear_func (event->exdates, (GDestroyNotify) oc_ical_when_clear);
  event->overrides = g_ptr_array_new ();

  event->start = read_when (component, ICAL_DTSTART_PROPERTY, lookup, user_data);
  event->end = read_when (component, ICAL_DTEND_PROPERTY, lookup, user_data);
  property = icalcomponent_get_first_property (component, ICAL_DURATION_PROPERTY);
  if (!event->end.valid && property != NULL)
    {
      event->duration = icalproperty_get_duration (property);
      event->has_duration = !icaldurationtype_is_bad_duration (event->duration);
    }
  read_exchange_all_day (event);
  event->all_day = event->start.valid && event->start.time.is_date;

  property = icalcomponent_get_first_property (component, ICAL_RECURRENCEID_PROPERTY);
  if (property != NULL)
    {
      icalparameter *range = icalproperty_get_first_parameter (property, ICAL_RANGE_PARAMETER);
      event->recurrence_id = oc_ical_when_from_property (property, icalproperty_get_recurrenceid (property),
                                                         lookup, user_data);
      event->is_override = event->recurrence_id.valid;
      event->this_and_future = range != NULL && icalparameter_get_range (range) == ICAL_RANGE_THISANDFUTURE;
    }
  event->sequence = icalcomponent_get_sequence (component);
  event->cancelled = icalcomponent_get_status (component) == ICAL_STATUS_CANCELLED;
  event->busy = read_busy_status (component);
  event->privacy = read_privacy (component);
  if (!event->is_override)
    read_recurrence (event, lookup, user_data);
  return event;
}

void
oc_ical_event_free (OcIcalEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->uid);
  oc_ical_when_clear (&event->start);
  oc_ical_when_clear (&event->end);
  oc_ical_when_clear (&event->recurrence_id);
  g_array_unref (event->rrules);
  g_array_unref (event->rdates);
  g_array_unref (event->exdates);
  g_ptr_array_unref (event->overrides);
  g_free (event->rule_ends);
  g_free (event);
}

/* Details */

static char *
dup_text (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  return g_strstrip (g_utf8_make_valid (text, -1));
}

static char *
dup_email (const char *address)
{
  if (address == NULL)
    return NULL;
  if (g_ascii_strncasecmp (address, "mailto:", 7) == 0)
    address += 7;
  return strchr (address, '@') != NULL ? dup_text (address) : NULL;
}

static char *
dup_common_name (icalproperty *property)
{
  icalparameter *parameter = icalproperty_get_first_parameter (property, ICAL_CN_PARAMETER);

  return parameter ? dup_text (icalparameter_get_cn (parameter)) : NULL;
}

static char *
dup_enum_parameter (icalproperty      *property,
                    icalparameter_kind kind)
{
  icalparameter *parameter = icalproperty_get_first_parameter (property, kind);
  const char *text;

  if (parameter == NULL)
    return NULL;
  /* "PARTSTAT=ACCEPTED" */
  text = strchr (icalparameter_as_ical_string (parameter), '=');
  return text ? g_ascii_strup (text + 1, -1) : NULL;
}

/**
 * oc_ical_event_fill_details:
 * @event: the VEVENT an occurrence comes from (its override, if it has one)
 * @instance: the occurrence
 *
 * Sets what the occurrence says, unless it is private: then only that it is busy.
 */
void
oc_ical_event_fill_details (const OcIcalEvent *event,
                            OcIcalInstance    *instance)
{
  icalcomponent *component = event->component;
  icalproperty *organizer;

  instance->busy = event->busy;
  instance->privacy = event->privacy;
  instance->line = event->line;
  if (event->privacy != OC_PRIVACY_PUBLIC)
    return;

  instance->summary = dup_text (icalcomponent_get_summary (component));
  instance->location = dup_text (icalcomponent_get_location (component));
  instance->description = dup_text (icalcomponent_get_description (component));
  organizer = icalcomponent_get_first_property (component, ICAL_ORGANIZER_PROPERTY);
  if (organizer != NULL)
    {
      instance->organizer_name = dup_common_name (organizer);
      instance->organizer_email = dup_email (icalproperty_get_organizer (organizer));
    }
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_ATTENDEE_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_ATTENDEE_PROPERTY))
    {
      OcIcalAttendee *attendee = g_new0 (OcIcalAttendee, 1);

      attendee->name = dup_common_name (p);
      attendee->email = dup_email (icalproperty_get_attendee (p));
      attendee->role = dup_enum_parameter (p, ICAL_ROLE_PARAMETER);
      attendee->partstat = dup_enum_parameter (p, ICAL_PARTSTAT_PARAMETER);
      g_ptr_array_add (instance->attendees, attendee);
    }
}
