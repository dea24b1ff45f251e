/* oc-ews-calendar-view.c: a colleague's calendar folder (FindItem with a
 * CalendarView), and one event's details (GetItem).
 *
 * FindItem on the distinguished folder "calendar" of another mailbox needs
 * the Reviewer right (or more) on that folder; without it Exchange answers
 * ErrorFolderNotFound or ErrorAccessDenied, which is no failure for owacal:
 * what availability said still holds. The CalendarView makes the server
 * expand recurring series into the occurrences of the range, in UTC
 * ("…Z"), at most MaxEntriesReturned of them; IncludesLastItemInRange says
 * whether that was all.
 *
 * Only the properties the page shows are asked for (IdOnly and a list),
 * which keeps answers small for a month of a busy colleague. Private items
 * (Sensitivity Private) lose their subject, place, body and attendees here,
 * whatever the server sent: the page shows "Private appointment".
 */
#include "config.h"
#include "oc-ews-calendar-view.h"

#include "oc-ews-availability.h"
#include "oc-ews-soap.h"
#include "oc-ews-time.h"

static const char * const list_properties[] = {
  "item:Subject", "item:Sensitivity", "calendar:Start", "calendar:End", "calendar:IsAllDayEvent",
  "calendar:LegacyFreeBusyStatus", "calendar:Location", "calendar:IsMeeting", "calendar:IsRecurring",
  "calendar:CalendarItemType", "calendar:Organizer",
};

static const char * const detail_properties[] = {
  "item:Body", "calendar:RequiredAttendees", "calendar:OptionalAttendees",
};

static void
add_properties (xmlNode            *shape,
                const char * const *uris,
                guint               n,
                const char * const *more,
                guint               n_more)
{
  xmlNode *properties = oc_ews_xml_add (shape, "t", "AdditionalProperties", NULL);

  for (guint i = 0; i < n + n_more; i++)
    oc_ews_xml_set (oc_ews_xml_add (properties, "t", "FieldURI", NULL), "FieldURI",
                    i < n ? uris[i] : more[i - n]);
}

/**
 * oc_ews_calendar_view_build_request:
 * @request_version: the schema version to ask in
 * @email: whose calendar
 * @start: the range's start, UTC seconds
 * @end: its end, exclusive
 * @max_entries: the most occurrences to return
 *
 * Returns: (transfer full): the FindItem request
 */
GBytes *
oc_ews_calendar_view_build_request (const char *request_version,
                                    const char *email,
                                    gint64      start,
                                    gint64      end,
                                    guint       max_entries)
{
  g_autoptr (xmlDoc) doc = NULL;
  g_autofree char *start_text = oc_ews_time_format (start, TRUE);
  g_autofree char *end_text = oc_ews_time_format (end, TRUE);
  g_autofree char *max_text = g_strdup_printf ("%u", MAX (max_entries, 1u));
  xmlNode *find;
  xmlNode *shape;
  xmlNode *view;
  xmlNode *folder;

  doc = oc_ews_soap_new_request (request_version, "FindItem", &find);
  oc_ews_xml_set (find, "Traversal", "Shallow");
  shape = oc_ews_xml_add (find, "m", "ItemShape", NULL);
  oc_ews_xml_add (shape, "t", "BaseShape", "IdOnly");
  add_properties (shape, list_properties, G_N_ELEMENTS (list_properties), NULL, 0);
  view = oc_ews_xml_add (find, "m", "CalendarView", NULL);
  oc_ews_xml_set (view, "MaxEntriesReturned", max_text);
  oc_ews_xml_set (view, "StartDate", start_text);
  oc_ews_xml_set (view, "EndDate", end_text);
  folder = oc_ews_xml_add (oc_ews_xml_add (find, "m", "ParentFolderIds", NULL), "t", "DistinguishedFolderId", NULL);
  oc_ews_xml_set (folder, "Id", "calendar");
  oc_ews_xml_add (oc_ews_xml_add (folder, "t", "Mailbox", NULL), "t", "EmailAddress", email);
  return oc_ews_xml_write (doc);
}

/**
 * oc_ews_item_build_request:
 * @request_version: the schema version to ask in
 * @item_id: an ItemId's Id, as FindItem gave it
 *
 * Returns: (transfer full): the GetItem request for the event's details,
 *   body as plain text
 */
GBytes *
oc_ews_item_build_request (const char *request_version,
                           const char *item_id)
{
  g_autoptr (xmlDoc) doc = NULL;
  xmlNode *get;
  xmlNode *shape;

  doc = oc_ews_soap_new_request (request_version, "GetItem", &get);
  shape = oc_ews_xml_add (get, "m", "ItemShape", NULL);
  oc_ews_xml_add (shape, "t", "BaseShape", "IdOnly");
  oc_ews_xml_add (shape, "t", "BodyType", "Text");
  add_properties (shape, list_properties, G_N_ELEMENTS (list_properties),
                  detail_properties, G_N_ELEMENTS (detail_properties));
  oc_ews_xml_set (oc_ews_xml_add (oc_ews_xml_add (get, "m", "ItemIds", NULL), "t", "ItemId", NULL), "Id", item_id);
  return oc_ews_xml_write (doc);
}

static void
read_mailbox (const xmlNode  *parent,
              char          **out_name,
              char          **out_email)
{
  const xmlNode *mailbox = oc_ews_xml_child (parent, OC_EWS_NS_TYPES, "Mailbox");

  *out_name = oc_ews_xml_child_text (mailbox, OC_EWS_NS_TYPES, "Name");
  *out_email = oc_ews_xml_child_text (mailbox, OC_EWS_NS_TYPES, "EmailAddress");
}

static const char *
read_partstat (const char *response)
{
  if (g_strcmp0 (response, "Accept") == 0 || g_strcmp0 (response, "Organizer") == 0)
    return "ACCEPTED";
  if (g_strcmp0 (response, "Decline") == 0)
    return "DECLINED";
  if (g_strcmp0 (response, "Tentative") == 0)
    return "TENTATIVE";
  return "NEEDS-ACTION";
}

static void
read_attendees (OcIcalInstance *instance,
                const xmlNode  *list,
                const char     *role)
{
  for (xmlNode *attendee = oc_ews_xml_child (list, OC_EWS_NS_TYPES, "Attendee"); attendee != NULL;
       attendee = oc_ews_xml_next (attendee, OC_EWS_NS_TYPES, "Attendee"))
    {
      OcIcalAttendee *person = g_new0 (OcIcalAttendee, 1);
      g_autofree char *response = oc_ews_xml_child_text (attendee, OC_EWS_NS_TYPES, "ResponseType");

      read_mailbox (attendee, &person->name, &person->email);
      person->role = g_strdup (role);
      person->partstat = g_strdup (read_partstat (response));
      g_ptr_array_add (instance->attendees, person);
    }
}

static OcPrivacy
read_privacy (const char *sensitivity)
{
  if (g_strcmp0 (sensitivity, "Private") == 0)
    return OC_PRIVACY_PRIVATE;
  if (g_strcmp0 (sensitivity, "Confidential") == 0)
    return OC_PRIVACY_CONFIDENTIAL;
  return OC_PRIVACY_PUBLIC;
}

static void
read_times (OcIcalInstance *instance,
            const xmlNode  *item,
            GTimeZone      *view_zone,
            gint64          start,
            gint64          end)
{
  instance->all_day = oc_ews_xml_child_bool (item, OC_EWS_NS_TYPES, "IsAllDayEvent");
  if (instance->all_day)
    {
      start = oc_ews_time_all_day_date (start, view_zone);
      end = MAX (start, oc_ews_time_all_day_date (end, view_zone));
    }
  oc_ical_instance_set_range (instance, start, end, view_zone);
}

/* One CalendarItem of FindItem or GetItem; NULL when it has no times. */
static OcIcalInstance *
read_calendar_item (const xmlNode *item,
                    GTimeZone     *view_zone)
{
  g_autoptr (OcIcalInstance) instance = oc_ical_instance_new ();
  g_autofree char *start_text = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "Start");
  g_autofree char *end_text = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "End");
  g_autofree char *busy = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "LegacyFreeBusyStatus");
  g_autofree char *type = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "CalendarItemType");
  g_autofree char *sensitivity = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "Sensitivity");
  gint64 start, end;

  if (!oc_ews_time_parse (start_text, NULL, &start) || !oc_ews_time_parse (end_text, NULL, &end))
    return NULL;
  read_times (instance, item, view_zone, start, end);
  if (!oc_ews_busy_type_parse (busy, &instance->busy))
    instance->busy = OC_BUSY_BUSY;
  instance->uid = oc_ews_xml_attribute (oc_ews_xml_child (item, OC_EWS_NS_TYPES, "ItemId"), "Id");
  instance->recurrence_id = g_strdup ("");
  instance->recurring = oc_ews_xml_child_bool (item, OC_EWS_NS_TYPES, "IsRecurring") ||
                        g_strcmp0 (type, "Occurrence") == 0 || g_strcmp0 (type, "Exception") == 0;
  instance->exception = g_strcmp0 (type, "Exception") == 0;
  instance->meeting = oc_ews_xml_child_bool (item, OC_EWS_NS_TYPES, "IsMeeting");
  instance->privacy = read_privacy (sensitivity);
  read_mailbox (oc_ews_xml_child (item, OC_EWS_NS_TYPES, "Organizer"),
                &instance->organizer_name, &instance->organizer_email);
  if (instance->privacy == OC_PRIVACY_PRIVATE)
    return g_steal_pointer (&instance);

  instance->summary = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "Subject");
  instance->location = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "Location");
  instance->description = oc_ews_xml_child_text (item, OC_EWS_NS_TYPES, "Body");
  read_attendees (instance, oc_ews_xml_child (item, OC_EWS_NS_TYPES, "RequiredAttendees"), "REQ-PARTICIPANT");
  read_attendees (instance, oc_ews_xml_child (item, OC_EWS_NS_TYPES, "OptionalAttendees"), "OPT-PARTICIPANT");
  return g_steal_pointer (&instance);
}

/* The one …ResponseMessage of a single-folder or single-item answer. */
static const xmlNode *
read_message (const OcEwsAnswer  *answer,
              const char         *name,
              const char         *mailbox,
              GError            **error)
{
  const xmlNode *messages = oc_ews_xml_child (answer->operation, OC_EWS_NS_MESSAGES, "ResponseMessages");
  const xmlNode *message = oc_ews_xml_child (messages, OC_EWS_NS_MESSAGES, name);

  if (message == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML, "Exchange's answer has no <%s>.", name);
      return NULL;
    }
  if (!oc_ews_response_message_check (message, mailbox, error))
    return NULL;
  return message;
}

/**
 * oc_ews_calendar_view_parse:
 * @body: the answer to oc_ews_calendar_view_build_request()
 * @email: whose calendar was asked for
 * @start: the range asked for
 * @end: its end
 * @view_zone: the zone the page shows times in
 * @out_complete: (out) (optional): whether the answer holds every
 *   occurrence of the range (%FALSE: MaxEntriesReturned cut it short)
 * @error: return location for a #GError in %OC_EWS_ERROR
 *
 * Returns: (transfer full) (nullable): the calendar as the folder holds it,
 *   sharing %OC_SHARING_FULL
 */
OcSchedule *
oc_ews_calendar_view_parse (GBytes      *body,
                            const char  *email,
                            gint64       start,
                            gint64       end,
                            GTimeZone   *view_zone,
                            gboolean    *out_complete,
                            GError     **error)
{
  g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (body, "FindItemResponse", error);
  g_autoptr (OcSchedule) schedule = oc_schedule_new (email);
  g_autofree char *last = NULL;
  const xmlNode *message;
  const xmlNode *root;
  const xmlNode *items;

  if (answer == NULL || (message = read_message (answer, "FindItemResponseMessage", email, error)) == NULL)
    return NULL;
  root = oc_ews_xml_child (message, OC_EWS_NS_MESSAGES, "RootFolder");
  items = oc_ews_xml_child (root, OC_EWS_NS_TYPES, "Items");
  for (xmlNode *item = items != NULL ? items->children : NULL; item != NULL; item = item->next)
    {
      OcIcalInstance *instance;

      if (!oc_ews_xml_is (item, OC_EWS_NS_TYPES, "CalendarItem") ||
          (instance = read_calendar_item (item, view_zone)) == NULL)
        continue;
      /* FindItem cannot return the body or attendees: GetItem tells them, of
       * an event that is not private, when the page asks. */
      instance->details_on_request = instance->uid != NULL && instance->privacy == OC_PRIVACY_PUBLIC;
      g_ptr_array_add (schedule->instances, instance);
    }
  oc_schedule_sort (schedule);
  schedule->sharing = OC_SHARING_FULL;
  schedule->start = start;
  schedule->end = end;
  last = oc_ews_xml_attribute (root, "IncludesLastItemInRange");
  if (out_complete != NULL)
    *out_complete = last == NULL || !g_str_equal (last, "false");
  return g_steal_pointer (&schedule);
}

/**
 * oc_ews_item_parse:
 * @body: the answer to oc_ews_item_build_request()
 * @view_zone: the zone the page shows times in
 * @error: return location for a #GError in %OC_EWS_ERROR
 *
 * Returns: (transfer full) (nullable): the event with its body (plain text),
 *   organizer and attendees
 */
OcIcalInstance *
oc_ews_item_parse (GBytes     *body,
                   GTimeZone  *view_zone,
                   GError    **error)
{
  g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (body, "GetItemResponse", error);
  const xmlNode *message;
  const xmlNode *item;
  OcIcalInstance *instance;

  if (answer == NULL || (message = read_message (answer, "GetItemResponseMessage", NULL, error)) == NULL)
    return NULL;
  item = oc_ews_xml_child (oc_ews_xml_child (message, OC_EWS_NS_MESSAGES, "Items"), OC_EWS_NS_TYPES, "CalendarItem");
  instance = item != NULL ? read_calendar_item (item, view_zone) : NULL;
  if (instance == NULL)
    g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                 "Exchange's answer holds no calendar item with a start and an end.");
  return instance;
}
