/* oc-ews-availability.c: GetUserAvailability, free/busy of up to 100 people at once.
 *
 * Everyone in a company may see everyone's free/busy by default; the
 * Detailed views return "the maximum amount of information for which the
 * requesting user is privileged" ([MS-OXWSAVAIL]): busy blocks, with subject
 * and place where the colleague allows limited details. The answer's
 * FreeBusyViewType says which level the server granted (FreeBusy when we
 * asked for Detailed means: no details for you), which is what the page tells
 * the user about what the colleague shares.
 *
 * Exchange limits a request to 100 mailboxes and, by default, a 42-day
 * window (administrators change it; evolution-ews met a server refusing 62
 * days). Callers split with oc_ews_mailboxes_split() and
 * oc_ews_window_split(), and halve a window the server still finds too long.
 *
 * The request describes UTC as its zone, so that times without an offset in
 * the answer are UTC.
 */
#include "config.h"
#include "oc-ews-availability.h"

#include "oc-ews-soap.h"
#include "oc-ews-time.h"

/**
 * oc_ews_window_split:
 * @start: UTC seconds
 * @end: UTC seconds, exclusive
 * @max_seconds: the longest window the server accepts
 *
 * Returns: (transfer full) (element-type OcEwsWindow): consecutive windows
 *   of at most @max_seconds covering @start to @end; none when @end ≤ @start
 */
GArray *
oc_ews_window_split (gint64 start,
                     gint64 end,
                     gint64 max_seconds)
{
  GArray *windows = g_array_new (FALSE, FALSE, sizeof (OcEwsWindow));

  g_return_val_if_fail (max_seconds > 0, windows);
  for (gint64 from = start; from < end; from += max_seconds)
    {
      OcEwsWindow window = { from, MIN (end, from + max_seconds) };

      g_array_append_val (windows, window);
    }
  return windows;
}

/**
 * oc_ews_mailboxes_split:
 * @emails: addresses
 * @max: how many a request may carry
 *
 * Returns: (transfer full) (element-type GStrv): the addresses in order, in
 *   groups of at most @max
 */
GPtrArray *
oc_ews_mailboxes_split (const char * const *emails,
                        guint               max)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n = emails != NULL ? g_strv_length ((char **) emails) : 0;

  g_return_val_if_fail (max > 0, groups);
  for (guint first = 0; first < n; first += max)
    {
      guint count = MIN (max, n - first);
      char **group = g_new0 (char *, count + 1);

      for (guint i = 0; i < count; i++)
        group[i] = g_strdup (emails[first + i]);
      g_ptr_array_add (groups, group);
    }
  return groups;
}

static const char *
view_name (OcEwsFreeBusyView view)
{
  switch (view)
    {
    case OC_EWS_VIEW_DETAILED_MERGED:
      return "DetailedMerged";
    case OC_EWS_VIEW_FREE_BUSY:
      return "FreeBusy";
    case OC_EWS_VIEW_FREE_BUSY_MERGED:
      return "FreeBusyMerged";
    case OC_EWS_VIEW_DETAILED:
    default:
      return "Detailed";
    }
}

/**
 * oc_ews_availability_build_request:
 * @request_version: the schema version to ask in (%OC_EWS_REQUEST_VERSION)
 * @emails: up to %OC_EWS_AVAILABILITY_MAX_MAILBOXES addresses
 * @start: the window's start, UTC seconds
 * @end: its end
 * @view: how much to ask for
 *
 * Returns: (transfer full): the SOAP request
 */
GBytes *
oc_ews_availability_build_request (const char         *request_version,
                                   const char * const *emails,
                                   gint64              start,
                                   gint64              end,
                                   OcEwsFreeBusyView   view)
{
  g_autoptr (xmlDoc) doc = NULL;
  g_autofree char *start_text = oc_ews_time_format (start, FALSE);
  g_autofree char *end_text = oc_ews_time_format (end, FALSE);
  xmlNode *request;
  xmlNode *array;
  xmlNode *options;
  xmlNode *window;

  g_return_val_if_fail (emails != NULL && emails[0] != NULL, NULL);

  doc = oc_ews_soap_new_request (request_version, "GetUserAvailabilityRequest", &request);
  oc_ews_time_zone_add_utc (request);
  array = oc_ews_xml_add (request, "m", "MailboxDataArray", NULL);
  for (guint i = 0; emails[i] != NULL; i++)
    {
      xmlNode *data = oc_ews_xml_add (array, "t", "MailboxData", NULL);
      xmlNode *email = oc_ews_xml_add (data, "t", "Email", NULL);

      oc_ews_xml_add (email, "t", "Address", emails[i]);
      oc_ews_xml_add (data, "t", "AttendeeType", "Required");
      oc_ews_xml_add (data, "t", "ExcludeConflicts", "false");
    }
  options = oc_ews_xml_add (request, "t", "FreeBusyViewOptions", NULL);
  window = oc_ews_xml_add (options, "t", "TimeWindow", NULL);
  /* Without an offset: the times are in the request's zone, UTC (as evolution-ews sends them). */
  oc_ews_xml_add (window, "t", "StartTime", start_text);
  oc_ews_xml_add (window, "t", "EndTime", end_text);
  oc_ews_xml_add (options, "t", "MergedFreeBusyIntervalInMinutes", "30");
  oc_ews_xml_add (options, "t", "RequestedView", view_name (view));
  return oc_ews_xml_write (doc);
}

/**
 * oc_ews_busy_type_parse:
 * @text: (nullable): a LegacyFreeBusyType ("Busy", "OOF", …)
 * @out: (out): the status
 *
 * Returns: whether @text says something about the person (NoData does not)
 */
gboolean
oc_ews_busy_type_parse (const char   *text,
                        OcBusyStatus *out)
{
  static const struct {
    const char *name;
    OcBusyStatus busy;
  } types[] = {
    { "Free", OC_BUSY_FREE }, { "Tentative", OC_BUSY_TENTATIVE }, { "Busy", OC_BUSY_BUSY },
    { "OOF", OC_BUSY_OUT_OF_OFFICE }, { "WorkingElsewhere", OC_BUSY_WORKING_ELSEWHERE },
  };

  /* NoData (and anything unknown) says nothing about the person: no block. */
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (text, types[i].name))
      {
        *out = types[i].busy;
        return TRUE;
      }
  return FALSE;
}

static OcIcalInstance *
read_event (const xmlNode *event,
            const char    *email,
            GTimeZone     *view_zone)
{
  g_autoptr (OcIcalInstance) instance = oc_ical_instance_new ();
  g_autofree char *start_text = oc_ews_xml_child_text (event, OC_EWS_NS_TYPES, "StartTime");
  g_autofree char *end_text = oc_ews_xml_child_text (event, OC_EWS_NS_TYPES, "EndTime");
  g_autofree char *busy = oc_ews_xml_child_text (event, OC_EWS_NS_TYPES, "BusyType");
  const xmlNode *details = oc_ews_xml_child (event, OC_EWS_NS_TYPES, "CalendarEventDetails");
  gint64 start, end;

  if (!oc_ews_time_parse (start_text, NULL, &start) || !oc_ews_time_parse (end_text, NULL, &end) ||
      !oc_ews_busy_type_parse (busy, &instance->busy))
    return NULL;
  oc_ical_instance_set_range (instance, start, end, view_zone);
  instance->recurrence_id = g_strdup ("");
  instance->from_freebusy = details == NULL;
  if (details != NULL)
    {
      instance->uid = oc_ews_xml_child_text (details, OC_EWS_NS_TYPES, "ID");
      instance->recurring = oc_ews_xml_child_bool (details, OC_EWS_NS_TYPES, "IsRecurring");
      instance->exception = oc_ews_xml_child_bool (details, OC_EWS_NS_TYPES, "IsException");
      instance->meeting = oc_ews_xml_child_bool (details, OC_EWS_NS_TYPES, "IsMeeting");
      if (oc_ews_xml_child_bool (details, OC_EWS_NS_TYPES, "IsPrivate"))
        instance->privacy = OC_PRIVACY_PRIVATE;
      else
        {
          instance->summary = oc_ews_xml_child_text (details, OC_EWS_NS_TYPES, "Subject");
          instance->location = oc_ews_xml_child_text (details, OC_EWS_NS_TYPES, "Location");
        }
    }
  if (instance->uid == NULL)
    instance->uid = g_strdup_printf ("%s/%s", email, start_text);
  return g_steal_pointer (&instance);
}

static guint8
read_days (const char *text)
{
  static const char * const names[] = {
    NULL, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  };
  g_auto (GStrv) words = g_strsplit (text != NULL ? text : "", " ", -1);
  guint8 days = 0;

  for (guint w = 0; words[w] != NULL; w++)
    {
      for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
        if (g_str_equal (words[w], names[d]))
          days |= 1u << d;
      if (g_str_equal (words[w], "Day"))
        days |= 0xfe;
      else if (g_str_equal (words[w], "Weekday"))
        days |= 0x3e;
      else if (g_str_equal (words[w], "WeekendDay"))
        days |= (1u << G_DATE_SATURDAY) | (1u << G_DATE_SUNDAY);
    }
  return days;
}

/* Exchange allows several working periods; owacal's model has one time span
 * for the days that have any: the earliest start to the latest end. */
static OcWorkingHours *
read_working_hours (const xmlNode *node)
{
  g_autoptr (OcWorkingHours) hours = g_new0 (OcWorkingHours, 1);
  const xmlNode *array = oc_ews_xml_child (node, OC_EWS_NS_TYPES, "WorkingPeriodArray");

  hours->start_minute = 24 * 60;
  for (xmlNode *period = oc_ews_xml_child (array, OC_EWS_NS_TYPES, "WorkingPeriod"); period != NULL;
       period = oc_ews_xml_next (period, OC_EWS_NS_TYPES, "WorkingPeriod"))
    {
      g_autofree char *days = oc_ews_xml_child_text (period, OC_EWS_NS_TYPES, "DayOfWeek");
      g_autofree char *start = oc_ews_xml_child_text (period, OC_EWS_NS_TYPES, "StartTimeInMinutes");
      g_autofree char *end = oc_ews_xml_child_text (period, OC_EWS_NS_TYPES, "EndTimeInMinutes");

      gint64 from, to;

      if (start == NULL || end == NULL)
        continue;
      /* Minutes after midnight: a period outside the day is no working time. */
      from = g_ascii_strtoll (start, NULL, 10);
      to = g_ascii_strtoll (end, NULL, 10);
      if (from < 0 || to > 24 * 60 || to <= from)
        continue;
      hours->days |= read_days (days);
      hours->start_minute = MIN (hours->start_minute, (int) from);
      hours->end_minute = MAX (hours->end_minute, (int) to);
    }
  if (node == NULL || hours->days == 0 || hours->end_minute <= hours->start_minute)
    return NULL;
  hours->zone = oc_ews_time_zone_parse (oc_ews_xml_child (node, OC_EWS_NS_TYPES, "TimeZone"));
  return g_steal_pointer (&hours);
}

static OcSharing
read_sharing (const xmlNode *view,
              gboolean       any_details)
{
  g_autofree char *type = oc_ews_xml_child_text (view, OC_EWS_NS_TYPES, "FreeBusyViewType");

  if (type != NULL && g_str_has_prefix (type, "Detailed"))
    return OC_SHARING_LIMITED;
  if (type != NULL && g_str_has_prefix (type, "FreeBusy"))
    return OC_SHARING_FREE_BUSY;
  if (type != NULL && g_str_equal (type, "None"))
    return OC_SHARING_NONE;
  return any_details ? OC_SHARING_LIMITED : OC_SHARING_FREE_BUSY;
}

/* One person's part of the answer. Returns FALSE (with @error) for what
 * concerns the whole request: a busy server or too long a window. */
static gboolean
read_response (const xmlNode  *response,
               OcSchedule     *schedule,
               GTimeZone      *view_zone,
               GError        **error)
{
  g_autoptr (GError) refusal = NULL;
  const xmlNode *view = oc_ews_xml_child (response, OC_EWS_NS_MESSAGES, "FreeBusyView");
  const xmlNode *events = oc_ews_xml_child (view, OC_EWS_NS_TYPES, "CalendarEventArray");
  gboolean any_details = FALSE;

  if (!oc_ews_response_message_check (oc_ews_xml_child (response, OC_EWS_NS_MESSAGES, "ResponseMessage"),
                                      schedule->email, &refusal))
    {
      if (g_error_matches (refusal, OC_EWS_ERROR, OC_EWS_ERROR_SERVER_BUSY) ||
          g_error_matches (refusal, OC_EWS_ERROR, OC_EWS_ERROR_WINDOW_TOO_LONG))
        {
          g_propagate_error (error, g_steal_pointer (&refusal));
          return FALSE;
        }
      if (g_error_matches (refusal, OC_EWS_ERROR, OC_EWS_ERROR_ACCESS_DENIED))
        schedule->sharing = OC_SHARING_NONE;
      oc_schedule_take_error (schedule, g_steal_pointer (&refusal));
      return TRUE;
    }

  for (xmlNode *event = oc_ews_xml_child (events, OC_EWS_NS_TYPES, "CalendarEvent"); event != NULL;
       event = oc_ews_xml_next (event, OC_EWS_NS_TYPES, "CalendarEvent"))
    {
      OcIcalInstance *instance = read_event (event, schedule->email, view_zone);

      if (instance == NULL)
        continue;
      any_details |= !instance->from_freebusy;
      g_ptr_array_add (schedule->instances, instance);
    }
  oc_schedule_sort (schedule);
  schedule->sharing = read_sharing (view, any_details);
  if (schedule->sharing == OC_SHARING_NONE)
    oc_schedule_take_error (schedule, oc_ews_error_new_from_code ("ErrorNoFreeBusyAccess", schedule->email,
                                                                  "FreeBusyViewType None", 0));
  schedule->working_hours = read_working_hours (oc_ews_xml_child (view, OC_EWS_NS_TYPES, "WorkingHours"));
  return TRUE;
}

/**
 * oc_ews_availability_parse:
 * @body: the answer to oc_ews_availability_build_request()
 * @emails: the addresses asked for, in the request's order
 * @start: the window asked for
 * @end: its end
 * @view_zone: the zone the page shows times in
 * @error: return location for a #GError in %OC_EWS_ERROR
 *
 * One person's refusal or unknown mailbox is that person's schedule's
 * error; a refusal of the whole request (SOAP fault, ErrorServerBusy,
 * ErrorTimeIntervalTooBig, an answer that does not match the request) is
 * @error.
 *
 * Returns: (transfer full) (element-type OcSchedule) (nullable): a schedule
 *   per address, in the order of @emails
 */
GPtrArray *
oc_ews_availability_parse (GBytes             *body,
                           const char * const *emails,
                           gint64              start,
                           gint64              end,
                           GTimeZone          *view_zone,
                           GError            **error)
{
  g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (body, "GetUserAvailabilityResponse", error);
  g_autoptr (GPtrArray) schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_schedule_free);
  const xmlNode *array;
  xmlNode *response;
  guint i = 0;

  if (answer == NULL)
    return NULL;
  array = oc_ews_xml_child (answer->operation, OC_EWS_NS_MESSAGES, "FreeBusyResponseArray");
  for (response = oc_ews_xml_child (array, OC_EWS_NS_MESSAGES, "FreeBusyResponse");
       response != NULL && emails[i] != NULL;
       response = oc_ews_xml_next (response, OC_EWS_NS_MESSAGES, "FreeBusyResponse"), i++)
    {
      g_autoptr (OcSchedule) schedule = oc_schedule_new (emails[i]);

      schedule->start = start;
      schedule->end = end;
      if (!read_response (response, schedule, view_zone, error))
        return NULL;
      g_ptr_array_add (schedules, g_steal_pointer (&schedule));
    }
  if (response != NULL || emails[i] != NULL)
    {
      guint n_responses = 0;

      for (response = oc_ews_xml_child (array, OC_EWS_NS_MESSAGES, "FreeBusyResponse"); response != NULL;
           response = oc_ews_xml_next (response, OC_EWS_NS_MESSAGES, "FreeBusyResponse"))
        n_responses++;
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "Exchange answered for %u people where owacal asked for %u.",
                   n_responses, g_strv_length ((char **) emails));
      return NULL;
    }
  return g_steal_pointer (&schedules);
}
