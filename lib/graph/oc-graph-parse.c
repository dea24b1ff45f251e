/* oc-graph-parse.c: the answers of the identity platform and Microsoft Graph,
 * read into owacal's types.
 *
 * Shapes follow Microsoft's reference: the v2 token and devicecode answers;
 * Graph's dateTimeTimeZone ({"dateTime": "2026-03-09T08:30:00.0000000",
 * "timeZone": "W. Europe Standard Time"}: a wall time and the zone it is in,
 * named the Windows way or the IANA way), scheduleInformation (getSchedule),
 * event (calendarView) and user.
 */
#include "config.h"
#include "oc-graph-parse.h"

#include "oc-graph-error.h"
#include "oc-windows-zones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

void
oc_oauth_token_answer_clear (OcOAuthTokenAnswer *answer)
{
  clear_secret (&answer->access_token);
  clear_secret (&answer->refresh_token);
  g_clear_pointer (&answer->user, g_free);
  answer->expires_in = 0;
}

/* Where the first value ends: json-glib 1.6 goes on after it, and drops the
 * nodes of the first without freeing them when a second one follows ({}{},
 * 2{}). */
static const char *
end_of_first_value (const char *data,
                    const char *end)
{
  gboolean in_string = FALSE;
  gsize depth = 0;
  const char *p = data;

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p < end && *p != '{' && *p != '[' && *p != '"')
    {
      /* a number, true, false or null */
      while (p < end && !g_ascii_isspace (*p) && strchr ("{}[]\",:", *p) == NULL)
        p++;
      return p;
    }
  for (; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\')
            p++;
          else if (*p == '"' && (in_string = FALSE, depth == 0))
            return p + 1;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        depth++;
      else if ((*p == '}' || *p == ']') && depth > 0 && --depth == 0)
        return p + 1;
    }
  return end;
}

/**
 * oc_graph_json_load:
 * @parser: a parser
 * @body: (nullable): an answer's body
 * @error: return location for json-glib's #GError, or %NULL
 *
 * Loads @body into @parser when it is JSON: one value, UTF-8, not empty (which
 * json-glib refuses with a critical, as it has no data pointer).
 *
 * Returns: %TRUE if @parser holds @body's value
 */
gboolean
oc_graph_json_load (JsonParser  *parser,
                    GBytes      *body,
                    GError     **error)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  const char *rest;

  if (size == 0)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "empty answer");
      return FALSE;
    }
  /* JSON is UTF-8 (RFC 8259); json-glib 1.6 takes other bytes as they are,
   * into strings that then reach pages and dialogs. */
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "not UTF-8");
      return FALSE;
    }
  for (rest = end_of_first_value (data, data + size); rest < data + size; rest++)
    if (!g_ascii_isspace (*rest))
      {
        g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "more than one value");
        return FALSE;
      }
  return json_parser_load_from_data (parser, data, size, error);
}

static JsonObject *
load_object (JsonParser  *parser,
             GBytes      *body,
             const char  *what,
             GError     **error)
{
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (!oc_graph_json_load (parser, body, &local))
    {
      /* json-glib quotes what it could not read, decoded escapes and all. */
      g_autofree char *reason = g_utf8_make_valid (local->message, -1);
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE, "%s is not JSON: %s", what, reason);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE, "%s is not a JSON object.", what);
      return NULL;
    }
  return json_node_get_object (root);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  /* json-glib 1.6 also reads escapes JSON has not (octal "\\202"), into
   * bytes that are not UTF-8: such a string is none. */
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
         g_utf8_validate (json_node_get_string (node), -1, NULL) ? json_node_get_string (node) : NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* json_array_get_object_element() fails an assertion on an element that is
 * no object ({"value": [1]}). */
static JsonObject *
get_object_element (JsonArray *array,
                    guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* json_object_get_boolean_member_with_default() and its int sibling fail an
 * assertion on a member that is an object or an array ({"isAllDay": {}}):
 * such a member, or a value of another type, is taken as missing. */
static gboolean
get_boolean (JsonObject *object,
             const char *name,
             gboolean    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
           ? json_node_get_boolean (node) : fallback;
}

/* A number, or a string of digits (the identity platform's v1 endpoints
 * send "expires_in": "3599"). */
static gint64
get_int (JsonObject *object,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  guint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT32, &number, NULL))
    return (gint64) number;
  return fallback;
}

/* Tokens */

/**
 * oc_graph_parse_id_token_user:
 * @id_token: an ID token (a JWT) straight from the token endpoint
 *
 * The token is not verified: it came over TLS from the endpoint owacal asked,
 * and only names whose refresh token it is in the keyring.
 *
 * Returns: (transfer full) (nullable): its preferred_username (or upn, or email)
 */
char *
oc_graph_parse_id_token_user (const char *id_token)
{
  g_auto (GStrv) parts = id_token ? g_strsplit (id_token, ".", 3) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) payload = NULL;
  g_autofree guchar *json = NULL;
  JsonNode *root;
  gsize len;

  if (parts == NULL || g_strv_length (parts) < 2)
    return NULL;
  /* base64url without padding → base64 */
  payload = g_string_new (parts[1]);
  g_strdelimit (payload->str, "-", '+');
  g_strdelimit (payload->str, "_", '/');
  while (payload->len % 4 != 0)
    g_string_append_c (payload, '=');
  json = g_base64_decode (payload->str, &len);
  if (!json_parser_load_from_data (parser, (const char *) json, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  for (const char *const *claim = (const char *const[]) { "preferred_username", "upn", "email", NULL }; *claim;
       claim++)
    {
      const char *value = get_string (json_node_get_object (root), *claim);
      if (value != NULL && *value != '\0')
        return g_ascii_strdown (value, -1);
    }
  return NULL;
}

/**
 * oc_graph_parse_token_answer:
 * @body: a 200 answer of the token endpoint
 * @out_answer: (out caller-allocates): the tokens
 * @error: return location for a #GError
 *
 * Returns: %TRUE if it holds a Bearer access token
 */
gboolean
oc_graph_parse_token_answer (GBytes              *body,
                             OcOAuthTokenAnswer  *out_answer,
                             GError             **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = load_object (parser, body, "The sign-in service's answer", error);
  const char *type;

  if (object == NULL)
    return FALSE;
  type = get_string (object, "token_type");
  if (get_string (object, "access_token") == NULL || (type != NULL && g_ascii_strcasecmp (type, "Bearer") != 0))
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                   "The sign-in service's answer holds no Bearer access token.");
      return FALSE;
    }
  out_answer->access_token = g_strdup (get_string (object, "access_token"));
  out_answer->refresh_token = g_strdup (get_string (object, "refresh_token"));
  out_answer->user = oc_graph_parse_id_token_user (get_string (object, "id_token"));
  out_answer->expires_in = (int) CLAMP (get_int (object, "expires_in", 3600), 0, G_MAXINT32);
  /* Azure AD once sent expires_in as a string ("3599"); take either. */
  if (out_answer->expires_in == 0 && get_string (object, "expires_in") != NULL)
    out_answer->expires_in = atoi (get_string (object, "expires_in"));
  return TRUE;
}

/**
 * oc_graph_parse_device_code:
 * @body: a 200 answer of the devicecode endpoint
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the code, or %NULL if a field is missing
 */
OcOAuthDeviceCode *
oc_graph_parse_device_code (GBytes  *body,
                            GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = load_object (parser, body, "The sign-in service's device code", error);
  OcOAuthDeviceCode *code;

  if (object == NULL)
    return NULL;
  if (get_string (object, "device_code") == NULL || get_string (object, "user_code") == NULL ||
      get_string (object, "verification_uri") == NULL)
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                   "The sign-in service's device code lacks device_code, user_code or verification_uri.");
      return NULL;
    }
  code = g_new0 (OcOAuthDeviceCode, 1);
  code->device_code = g_strdup (get_string (object, "device_code"));
  code->user_code = g_strdup (get_string (object, "user_code"));
  code->verification_uri = g_strdup (get_string (object, "verification_uri"));
  code->message = get_string (object, "message") ?
                  g_strdup (get_string (object, "message")) :
                  g_strdup_printf ("To sign in, open %s and enter the code %s.", code->verification_uri,
                                   code->user_code);
  code->expires_in = (int) CLAMP (get_int (object, "expires_in", 900), 0, G_MAXINT32);
  code->interval = (int) CLAMP (get_int (object, "interval", 5), 0, G_MAXINT32);
  return code;
}

/* Times */

static GTimeZone *
zone_for_name (const char *name)
{
  const char *iana;

  if (name == NULL || *name == '\0' || g_ascii_strcasecmp (name, "UTC") == 0 ||
      g_ascii_strcasecmp (name, "tzone://Microsoft/Utc") == 0)
    return g_time_zone_new_utc ();
  iana = oc_windows_zone_to_iana (name);
  return g_time_zone_new_identifier (iana ? iana : name);
}

/**
 * oc_graph_parse_date_time:
 * @date_time_zone: a Graph dateTimeTimeZone
 * @out_utc: (out): the moment, UTC seconds
 *
 * Returns: %FALSE for a missing date or a zone neither Windows nor IANA knows
 */
gboolean
oc_graph_parse_date_time (JsonObject *date_time_zone,
                          gint64     *out_utc)
{
  const char *text = get_string (date_time_zone, "dateTime");
  g_autoptr (GTimeZone) zone = zone_for_name (get_string (date_time_zone, "timeZone"));
  g_autoptr (GDateTime) when = NULL;

  if (text == NULL || zone == NULL)
    return FALSE;
  when = g_date_time_new_from_iso8601 (text, zone);
  if (when == NULL)
    return FALSE;
  *out_utc = g_date_time_to_unix (when);
  return TRUE;
}

/**
 * oc_graph_format_date_time:
 * @utc: a moment, UTC seconds
 *
 * Returns: (transfer full): "YYYY-MM-DDTHH:MM:SS", the wall time in UTC
 */
char *
oc_graph_format_date_time (gint64 utc)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (utc);

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%S");
}

static int
parse_minutes (const char *text)
{
  int h = 0, m = 0;

  /* "08:00:00.0000000"; "24:00" is a day's end. Anything else is no time
   * of day (and a large hour would overflow). */
  if (text == NULL || sscanf (text, "%d:%d", &h, &m) != 2 || h < 0 || h > 24 || m < 0 || m > 59 ||
      h * 60 + m > 24 * 60)
    return -1;
  return h * 60 + m;
}

/**
 * oc_graph_parse_working_hours:
 * @working_hours: a Graph workingHours object
 *
 * A customTimeZone becomes its standard offset (its bias); its daylight
 * rules are not followed, which moves the hours by one in summer only for
 * people whose mailbox has no named zone.
 *
 * Returns: (transfer full) (nullable): the hours, %NULL if unreadable
 */
OcWorkingHours *
oc_graph_parse_working_hours (JsonObject *working_hours)
{
  static const char *const days[] = { NULL, "monday", "tuesday", "wednesday", "thursday", "friday",
                                      "saturday", "sunday" };
  g_autoptr (OcWorkingHours) hours = g_new0 (OcWorkingHours, 1);
  JsonArray *array = get_array (working_hours, "daysOfWeek");
  JsonObject *zone = get_object (working_hours, "timeZone");
  JsonNode *bias;

  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *day = json_node_get_string (json_array_get_element (array, i));
      for (guint d = 1; d < G_N_ELEMENTS (days); d++)
        if (day != NULL && g_ascii_strcasecmp (day, days[d]) == 0)
          hours->days |= 1u << d;
    }
  hours->start_minute = parse_minutes (get_string (working_hours, "startTime"));
  hours->end_minute = parse_minutes (get_string (working_hours, "endTime"));
  if (hours->start_minute < 0 || hours->end_minute < 0)
    return NULL;
  bias = zone ? json_object_get_member (zone, "bias") : NULL;
  if (bias != NULL && JSON_NODE_HOLDS_VALUE (bias) && json_node_get_value_type (bias) == G_TYPE_INT64)
    {
      /* Minutes west of UTC; a day's worth or more is no zone at all (and
       * would overflow the offset in seconds). */
      gint64 minutes = json_node_get_int (bias);
      if (minutes > -24 * 60 && minutes < 24 * 60)
        hours->zone = g_time_zone_new_offset ((gint32) -minutes * 60);
    }
  else if (zone != NULL)
    hours->zone = zone_for_name (get_string (zone, "name"));
  return g_steal_pointer (&hours);
}

/* getSchedule */

static OcBusyStatus
parse_status (const char *status)
{
  if (status == NULL)
    return OC_BUSY_BUSY;
  if (g_ascii_strcasecmp (status, "free") == 0)
    return OC_BUSY_FREE;
  if (g_ascii_strcasecmp (status, "tentative") == 0)
    return OC_BUSY_TENTATIVE;
  if (g_ascii_strcasecmp (status, "oof") == 0)
    return OC_BUSY_OUT_OF_OFFICE;
  if (g_ascii_strcasecmp (status, "workingElsewhere") == 0)
    return OC_BUSY_WORKING_ELSEWHERE;
  return OC_BUSY_BUSY;
}

static int
compare_instances (gconstpointer a,
                   gconstpointer b)
{
  return oc_ical_instance_compare (*(OcIcalInstance *const *) a, *(OcIcalInstance *const *) b);
}

static OcSchedule *
parse_schedule (JsonObject *info,
                guint       index,
                gint64      start,
                gint64      end,
                GTimeZone  *view_zone)
{
  const char *email = get_string (info, "scheduleId");
  g_autoptr (OcSchedule) schedule = oc_schedule_new (email ? email : "");
  JsonObject *error = get_object (info, "error");
  JsonArray *items = get_array (info, "scheduleItems");
  gboolean details = FALSE;

  schedule->start = start;
  schedule->end = end;
  if (error != NULL)
    {
      GError *e = oc_graph_error_from_schedule_error (get_string (error, "responseCode"),
                                                      get_string (error, "message"), schedule->email);
      schedule->sharing = e->code == OC_GRAPH_ERROR_NOT_FOUND ? OC_SHARING_UNKNOWN : OC_SHARING_NONE;
      oc_schedule_take_error (schedule, e);
      return g_steal_pointer (&schedule);
    }
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = get_object_element (items, i);
      g_autoptr (OcIcalInstance) instance = oc_ical_instance_new ();
      gint64 s, e;

      if (item == NULL || !oc_graph_parse_date_time (get_object (item, "start"), &s) ||
          !oc_graph_parse_date_time (get_object (item, "end"), &e))
        continue;
      instance->busy = parse_status (get_string (item, "status"));
      if (instance->busy == OC_BUSY_FREE)
        continue;
      /* The reference's own example: items with details carry isPrivate and
       * subject; items of someone who shares only free/busy carry neither. */
      if (json_object_has_member (item, "subject") || json_object_has_member (item, "isPrivate"))
        details = TRUE;
      instance->uid = g_strdup_printf ("%s/%u/%u", schedule->email, index, i);
      instance->recurrence_id = g_strdup ("");
      instance->summary = g_strdup (get_string (item, "subject"));
      instance->location = get_string (item, "location") && *get_string (item, "location") ?
                           g_strdup (get_string (item, "location")) : NULL;
      instance->privacy = get_boolean (item, "isPrivate", FALSE) ?
                          OC_PRIVACY_PRIVATE : OC_PRIVACY_PUBLIC;
      instance->from_freebusy = !json_object_has_member (item, "subject");
      oc_ical_instance_set_range (instance, s, e, view_zone);
      g_ptr_array_add (schedule->instances, g_steal_pointer (&instance));
    }
  g_ptr_array_sort (schedule->instances, compare_instances);
  schedule->sharing = details ? OC_SHARING_LIMITED : OC_SHARING_FREE_BUSY;
  if (get_object (info, "workingHours") != NULL)
    schedule->working_hours = oc_graph_parse_working_hours (get_object (info, "workingHours"));
  return g_steal_pointer (&schedule);
}

/**
 * oc_graph_parse_schedules:
 * @body: getSchedule's answer (a collection of scheduleInformation)
 * @start: the range asked for, UTC seconds
 * @end: its end, exclusive
 * @view_zone: the zone the page shows
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type OcSchedule) (nullable): one schedule
 *   per person, in the answer's order: %OC_SHARING_LIMITED with subjects,
 *   %OC_SHARING_FREE_BUSY without, and for a per-person error
 *   %OC_SHARING_NONE (no access) or %OC_SHARING_UNKNOWN (no such person)
 *   with the error in the schedule
 */
GPtrArray *
oc_graph_parse_schedules (GBytes     *body,
                          gint64      start,
                          gint64      end,
                          GTimeZone  *view_zone,
                          GError    **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = load_object (parser, body, "Microsoft Graph's schedules", error);
  g_autoptr (GPtrArray) schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_schedule_free);
  JsonArray *value = object ? get_array (object, "value") : NULL;

  if (object == NULL)
    return NULL;
  if (value == NULL)
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                   "Microsoft Graph's schedules have no \"value\".");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *info = get_object_element (value, i);
      if (info != NULL)
        g_ptr_array_add (schedules, parse_schedule (info, i, start, end, view_zone));
    }
  return g_steal_pointer (&schedules);
}

/* calendarView */

static char *
dup_nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static void
parse_person (JsonObject  *recipient,
              char       **out_name,
              char       **out_email)
{
  JsonObject *address = get_object (recipient, "emailAddress");

  *out_name = dup_nonempty (get_string (address, "name"));
  *out_email = dup_nonempty (get_string (address, "address"));
}

static const char *
partstat_for (const char *response)
{
  static const char *const map[][2] = {
    { "accepted", "ACCEPTED" }, { "organizer", "ACCEPTED" }, { "declined", "DECLINED" },
    { "tentativelyAccepted", "TENTATIVE" }, { "none", "NEEDS-ACTION" }, { "notResponded", "NEEDS-ACTION" },
  };

  for (gsize i = 0; response != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (response, map[i][0]) == 0)
      return map[i][1];
  return "NEEDS-ACTION";
}

static void
parse_attendees (JsonArray      *attendees,
                 OcIcalInstance *instance)
{
  for (guint i = 0; attendees != NULL && i < json_array_get_length (attendees); i++)
    {
      JsonObject *attendee = get_object_element (attendees, i);
      OcIcalAttendee *a = g_new0 (OcIcalAttendee, 1);
      const char *type = get_string (attendee, "type");

      parse_person (attendee, &a->name, &a->email);
      a->role = g_strdup (g_strcmp0 (type, "optional") == 0 ? "OPT-PARTICIPANT" :
                          g_strcmp0 (type, "resource") == 0 ? "NON-PARTICIPANT" : "REQ-PARTICIPANT");
      a->partstat = g_strdup (partstat_for (get_string (get_object (attendee, "status"), "response")));
      g_ptr_array_add (instance->attendees, a);
    }
}

/* An all-day event is floating: its dates hold wherever the viewer is. Graph
 * gives midnight to midnight in the zone the request preferred; keep the
 * dates and put them at the view zone's midnights. */
static gboolean
set_all_day_range (OcIcalInstance *instance,
                   JsonObject     *event,
                   GTimeZone      *view_zone)
{
  const char *s = get_string (get_object (event, "start"), "dateTime");
  const char *e = get_string (get_object (event, "end"), "dateTime");
  int sy, sm, sd, ey, em, ed;
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;

  if (s == NULL || e == NULL || sscanf (s, "%d-%d-%d", &sy, &sm, &sd) != 3 ||
      sscanf (e, "%d-%d-%d", &ey, &em, &ed) != 3)
    return FALSE;
  start = g_date_time_new (view_zone, sy, sm, sd, 0, 0, 0);
  end = g_date_time_new (view_zone, ey, em, ed, 0, 0, 0);
  if (start == NULL || end == NULL)
    return FALSE;
  oc_ical_instance_set_range (instance, g_date_time_to_unix (start), g_date_time_to_unix (end), view_zone);
  instance->all_day = TRUE;
  return TRUE;
}

static OcIcalInstance *
parse_event (JsonObject *event,
             GTimeZone  *view_zone)
{
  g_autoptr (OcIcalInstance) instance = oc_ical_instance_new ();
  const char *type = get_string (event, "type");
  const char *sensitivity = get_string (event, "sensitivity");
  JsonObject *body = get_object (event, "body");
  gint64 s, e;

  if (get_boolean (event, "isCancelled", FALSE))
    return NULL;
  if (get_boolean (event, "isAllDay", FALSE))
    {
      if (!set_all_day_range (instance, event, view_zone))
        return NULL;
    }
  else if (oc_graph_parse_date_time (get_object (event, "start"), &s) &&
           oc_graph_parse_date_time (get_object (event, "end"), &e))
    oc_ical_instance_set_range (instance, s, e, view_zone);
  else
    return NULL;

  instance->uid = g_strdup (get_string (event, "iCalUId") ? get_string (event, "iCalUId") :
                            get_string (event, "id"));
  instance->recurring = g_strcmp0 (type, "occurrence") == 0 || g_strcmp0 (type, "exception") == 0;
  instance->recurrence_id = instance->recurring ? oc_graph_format_date_time (instance->start) : g_strdup ("");
  instance->busy = parse_status (get_string (event, "showAs"));
  instance->privacy = g_strcmp0 (sensitivity, "private") == 0 ? OC_PRIVACY_PRIVATE :
                      g_strcmp0 (sensitivity, "confidential") == 0 ? OC_PRIVACY_CONFIDENTIAL : OC_PRIVACY_PUBLIC;
  parse_person (get_object (event, "organizer"), &instance->organizer_name, &instance->organizer_email);
  /* Outlook shows others' private items as "Private appointment": so does owacal. */
  if (instance->privacy != OC_PRIVACY_PUBLIC)
    return g_steal_pointer (&instance);
  instance->summary = dup_nonempty (get_string (event, "subject"));
  instance->location = dup_nonempty (get_string (get_object (event, "location"), "displayName"));
  instance->description = g_strcmp0 (get_string (body, "contentType"), "text") == 0 ?
                          dup_nonempty (get_string (body, "content")) :
                          dup_nonempty (get_string (event, "bodyPreview"));
  parse_attendees (get_array (event, "attendees"), instance);
  return g_steal_pointer (&instance);
}

/**
 * oc_graph_parse_events:
 * @body: one page of calendarView
 * @view_zone: the zone the page shows
 * @out_next_link: (out) (optional) (transfer full) (nullable): the next page's
 *   URL (@odata.nextLink), %NULL on the last page
 * @error: return location for a #GError
 *
 * Private items keep their times and status, not their subject, place or text.
 *
 * Returns: (transfer full) (element-type OcIcalInstance) (nullable): the
 *   occurrences of this page, in the answer's order
 */
GPtrArray *
oc_graph_parse_events (GBytes     *body,
                       GTimeZone  *view_zone,
                       char      **out_next_link,
                       GError    **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = load_object (parser, body, "Microsoft Graph's calendar view", error);
  g_autoptr (GPtrArray) instances = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  JsonArray *value = object ? get_array (object, "value") : NULL;

  if (object == NULL)
    return NULL;
  if (value == NULL)
    {
      g_set_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE,
                   "Microsoft Graph's calendar view has no \"value\".");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *event = get_object_element (value, i);
      OcIcalInstance *instance = event ? parse_event (event, view_zone) : NULL;
      if (instance != NULL)
        g_ptr_array_add (instances, instance);
    }
  if (out_next_link != NULL)
    *out_next_link = g_strdup (get_string (object, "@odata.nextLink"));
  return g_steal_pointer (&instances);
}

/* Users */

static OcContact *
parse_user (JsonObject *user)
{
  const char *mail = get_string (user, "mail");

  if (mail == NULL || *mail == '\0')
    mail = get_string (user, "userPrincipalName");
  if (mail == NULL)
    return NULL;
  return oc_contact_new (mail, get_string (user, "displayName"), mail);
}

/**
 * oc_graph_parse_users:
 * @body: a Graph user, or a collection of them ({"value": […]})
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type OcContact) (nullable): one contact
 *   per user with an address: id and custom1 are the address (what owacal
 *   opens), display_name the name
 */
GPtrArray *
oc_graph_parse_users (GBytes  *body,
                      GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = load_object (parser, body, "Microsoft Graph's directory", error);
  g_autoptr (GPtrArray) contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_contact_free);
  JsonArray *value;

  if (object == NULL)
    return NULL;
  value = get_array (object, "value");
  if (value == NULL)
    {
      OcContact *contact = parse_user (object);
      if (contact != NULL)
        g_ptr_array_add (contacts, contact);
      return g_steal_pointer (&contacts);
    }
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *user = get_object_element (value, i);
      OcContact *contact = user ? parse_user (user) : NULL;
      if (contact != NULL)
        g_ptr_array_add (contacts, contact);
    }
  return g_steal_pointer (&contacts);
}
