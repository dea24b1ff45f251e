/* oc-ical-calendar.c: a published calendar, parsed with libical.
 *
 * A calendar that is partly broken is still shown: what libical can read is
 * kept, and every line that is not is named, with its number and the reason,
 * so that whoever publishes the calendar can fix it. The scanner
 * (oc-ical-scanner.c) has already set aside lines that are no content lines
 * and balanced BEGIN/END. libical then marks values it cannot read with
 * X-LIC-ERROR properties; those do not say which line they came from, so
 * each line of a component that has one is handed to libical again on its
 * own, and libical's verdict on it decides. Correct files (nearly all of
 * them) never take that second path.
 */
#include "config.h"
#include "oc-ical-calendar.h"

#include <string.h>

#include "oc-ical-private.h"
#include "oc-ical-rule.h"
#include "oc-ical-scanner.h"

struct _OcIcalCalendar {
  GObject parent_instance;

  icalcomponent *root;         /* a VCALENDAR, or an XROOT around several */
  char *name;
  GPtrArray *problems;         /* OcIcalProblem, by line */
  GPtrArray *all_events;       /* OcIcalEvent, owned */
  GPtrArray *events;           /* the masters and lone overrides: what gets expanded */
  GArray *freebusy;            /* OcIcalFreeBusy */
  GArray *cancels;             /* OcIcalCancel */
  GHashTable *zones;           /* TZID → OcIcalZone, or NULL for an unknown zone */
  OcIcalZone *floating_zone;   /* X-WR-TIMEZONE */
};

G_DEFINE_FINAL_TYPE (OcIcalCalendar, oc_ical_calendar, G_TYPE_OBJECT)
G_DEFINE_QUARK (oc-ical-error-quark, oc_ical_error)

/* What loading needs and then forgets. */
typedef struct {
  OcIcalCalendar *self;
  OcIcalScan *scan;
  GHashTable *component_index; /* icalcomponent → its index in scan->components + 1; NULL if unknown */
  GHashTable *vtimezones;      /* TZID → VTIMEZONE */
} Loader;

static void
add_problem (Loader     *loader,
             guint       first,
             guint       last,
             const char *text,
             const char *reason)
{
  g_ptr_array_add (loader->self->problems, oc_ical_problem_new (first, last, text, reason));
}

static OcIcalScanComponent *
scanned_component (Loader        *loader,
                   icalcomponent *component)
{
  guint index;

  if (loader->component_index == NULL || component == NULL)
    return NULL;
  index = GPOINTER_TO_UINT (g_hash_table_lookup (loader->component_index, component));
  return index > 0 ? &g_array_index (loader->scan->components, OcIcalScanComponent, index - 1) : NULL;
}

/* The file line of a property, found among its component's lines by its
 * name and a fragment of its text. */
static guint
find_property_line (Loader        *loader,
                    icalproperty  *property,
                    const char    *fragment)
{
  OcIcalScanComponent *component = scanned_component (loader, icalproperty_get_parent (property));
  const char *name = icalproperty_get_property_name (property);

  if (component == NULL || name == NULL)
    return 0;
  for (guint i = 0; i < component->properties->len; i++)
    {
      guint index = g_array_index (component->properties, guint, i);
      g_autofree char *text = oc_ical_scan_dup_line (loader->scan, index);
      if (g_ascii_strncasecmp (text, name, strlen (name)) == 0 && strstr (text, fragment) != NULL)
        return g_array_index (loader->scan->lines, OcIcalScanLine, index).first_line;
    }
  return component->begin_line;
}

/* Components */

static void
index_components (GHashTable    *index,
                  icalcomponent *component,
                  guint         *counter)
{
  if (icalcomponent_isa (component) != ICAL_XROOT_COMPONENT)
    g_hash_table_insert (index, component, GUINT_TO_POINTER (++*counter));
  for (icalcomponent *child = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       child != NULL; child = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    index_components (index, child, counter);
}

static GPtrArray *
list_calendars (icalcomponent *root)
{
  GPtrArray *calendars = g_ptr_array_new ();

  if (icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT)
    g_ptr_array_add (calendars, root);
  else
    for (icalcomponent *c = icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT); c != NULL;
         c = icalcomponent_get_next_component (root, ICAL_VCALENDAR_COMPONENT))
      g_ptr_array_add (calendars, c);
  return calendars;
}

/* Lines libical could not read */

static char *
explain_libical_error (icalproperty *error)
{
  icalparameter *type = icalproperty_get_first_parameter (error, ICAL_XLICERRORTYPE_PARAMETER);
  const char *message = icalproperty_get_xlicerror (error);
  char value_type[64], property[64];

  switch (type ? icalparameter_get_xlicerrortype (type) : ICAL_XLICERRORTYPE_NONE)
    {
    case ICAL_XLICERRORTYPE_VALUEPARSEERROR:
      if (message != NULL && sscanf (message, "Can't parse as %63s value in %63s property", value_type,
                                     property) == 2)
        return g_strdup_printf ("not a valid %s value for %s; the line is left out", value_type, property);
      return g_strdup ("its value cannot be read; the line is left out");
    case ICAL_XLICERRORTYPE_PROPERTYPARSEERROR:
      return g_strdup ("its name or parameters cannot be read; the line is left out");
    case ICAL_XLICERRORTYPE_PARAMETERNAMEPARSEERROR:
    case ICAL_XLICERRORTYPE_PARAMETERVALUEPARSEERROR:
      return g_strdup ("a parameter cannot be read and is ignored");
    case ICAL_XLICERRORTYPE_COMPONENTPARSEERROR:
      return g_strdup ("not an iCalendar line (NAME:value)");
    default:
      return g_strdup_printf ("libical: %s", message ? message : "unknown error");
    }
}

static icalproperty *
judge_line (const char *component_name,
            const char *line,
            icalcomponent **out_parsed)
{
  g_autofree char *wrapped = NULL;
  icalcomponent *parsed;
  icalcomponent *inner;

  if (g_str_equal (component_name, "VCALENDAR"))
    wrapped = g_strdup_printf ("BEGIN:VCALENDAR\r\n%s\r\nEND:VCALENDAR\r\n", line);
  else
    wrapped = g_strdup_printf ("BEGIN:VCALENDAR\r\nBEGIN:%s\r\n%s\r\nEND:%s\r\nEND:VCALENDAR\r\n",
                               component_name, line, component_name);
  parsed = icalparser_parse_string (wrapped);
  *out_parsed = parsed;
  if (parsed == NULL)
    return NULL;
  inner = g_str_equal (component_name, "VCALENDAR") ? parsed
                                                     : icalcomponent_get_first_component (parsed, ICAL_ANY_COMPONENT);
  return inner ? icalcomponent_get_first_property (inner, ICAL_XLICERROR_PROPERTY) : NULL;
}

static void
report_libical_errors (Loader        *loader,
                       icalcomponent *component,
                       GPtrArray     *errors)
{
  OcIcalScanComponent *scanned = scanned_component (loader, component);
  guint found = 0;

  if (scanned != NULL)
    for (guint i = 0; i < scanned->properties->len; i++)
      {
        guint index = g_array_index (scanned->properties, guint, i);
        OcIcalScanLine *line = &g_array_index (loader->scan->lines, OcIcalScanLine, index);
        g_autofree char *text = oc_ical_scan_dup_line (loader->scan, index);
        icalcomponent *parsed = NULL;
        icalproperty *verdict = judge_line (scanned->name, text, &parsed);

        if (verdict != NULL)
          {
            g_autofree char *reason = explain_libical_error (verdict);
            add_problem (loader, line->first_line, line->last_line, text, reason);
            found++;
          }
        g_clear_pointer (&parsed, icalcomponent_free);
      }
  /* Errors that no single line shows (or the lines are not known). */
  if (found == 0)
    for (guint i = 0; i < errors->len; i++)
      {
        g_autofree char *reason = explain_libical_error (g_ptr_array_index (errors, i));
        add_problem (loader, scanned ? scanned->begin_line : 0, scanned ? scanned->end_line : 0, NULL, reason);
      }
}

static void
collect_libical_errors (Loader        *loader,
                        icalcomponent *component)
{
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) icalproperty_free);

  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_XLICERROR_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_XLICERROR_PROPERTY))
    g_ptr_array_add (errors, p);
  if (errors->len > 0)
    {
      report_libical_errors (loader, component, errors);
      for (guint i = 0; i < errors->len; i++)
        icalcomponent_remove_property (component, g_ptr_array_index (errors, i));
    }
  for (icalcomponent *child = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       child != NULL; child = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    collect_libical_errors (loader, child);
}

/* Zones */

static OcIcalZone *
lookup_zone_cb (const char   *tzid,
                icalproperty *property,
                gpointer      user_data)
{
  Loader *loader = user_data;
  OcIcalCalendar *self = loader->self;
  g_autofree char *iana = NULL;
  OcIcalZone *zone = NULL;
  icalcomponent *vtimezone;

  if (g_hash_table_lookup_extended (self->zones, tzid, NULL, (gpointer *) &zone))
    return zone;

  /* The system's zone when the name says which one: it knows the zone's
   * history, where Exchange's VTIMEZONE only has today's rules. */
  iana = oc_ical_zone_resolve_tzid (tzid);
  if (iana != NULL)
    zone = oc_ical_zone_new_iana (iana);
  vtimezone = g_hash_table_lookup (loader->vtimezones, tzid);
  if (zone == NULL && vtimezone != NULL)
    zone = oc_ical_zone_new_vtimezone (vtimezone);
  if (zone == NULL)
    {
      g_autofree char *fragment = g_strdup_printf ("TZID=%s", tzid);
      g_autofree char *reason = g_strdup_printf ("the time zone “%s” is unknown (the file does not describe "
                                                 "it and this system has no zone of that name); its times "
                                                 "are read as local time", tzid);
      guint line = property ? find_property_line (loader, property, fragment) : 0;
      add_problem (loader, line, line, NULL, reason);
    }
  g_hash_table_insert (self->zones, g_strdup (tzid), zone);
  return zone;
}

static void
read_calendar_properties (Loader        *loader,
                          icalcomponent *calendar)
{
  OcIcalCalendar *self = loader->self;

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT); c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VTIMEZONE_COMPONENT))
    {
      icalproperty *tzid = icalcomponent_get_first_property (c, ICAL_TZID_PROPERTY);
      if (tzid != NULL && icalproperty_get_tzid (tzid) != NULL)
        g_hash_table_insert (loader->vtimezones, g_strdup (icalproperty_get_tzid (tzid)), c);
    }
  for (icalproperty *p = icalcomponent_get_first_property (calendar, ICAL_X_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (calendar, ICAL_X_PROPERTY))
    {
      const char *name = icalproperty_get_x_name (p);
      const char *value = icalproperty_get_x (p);

      if (value == NULL || *value == '\0')
        continue;
      if (g_ascii_strcasecmp (name, "X-WR-CALNAME") == 0 && self->name == NULL)
        self->name = g_utf8_make_valid (value, -1);
      else if (g_ascii_strcasecmp (name, "X-WR-TIMEZONE") == 0 && self->floating_zone == NULL)
        {
          OcIcalZone *zone = lookup_zone_cb (value, p, loader);
          self->floating_zone = zone ? oc_ical_zone_ref (zone) : NULL;
        }
    }
}

/* Events */

static gboolean
is_cancel_method (icalcomponent *calendar)
{
  icalproperty *method = icalcomponent_get_first_property (calendar, ICAL_METHOD_PROPERTY);

  return method != NULL && icalproperty_get_method (method) == ICAL_METHOD_CANCEL;
}

static void
clear_cancel (OcIcalCancel *cancel)
{
  g_free (cancel->uid);
  oc_ical_when_clear (&cancel->recurrence_id);
}

static gboolean
check_event (Loader      *loader,
             OcIcalEvent *event)
{
  OcIcalScanComponent *scanned = scanned_component (loader, event->component);
  guint last = scanned ? scanned->end_line : event->line;
  const char *summary = icalcomponent_get_summary (event->component);
  g_autofree char *name = summary && *summary ? g_strdup_printf ("“%s”", summary)
                                              : g_strdup_printf ("%s", event->uid);

  if (!event->start.valid)
    {
      g_autofree char *reason = g_strdup_printf ("the event %s has no start (DTSTART) and is left out", name);
      add_problem (loader, event->line, last, NULL, reason);
      return FALSE;
    }
  /* A rule libical could search for without end is not given to it (see
   * oc-ical-rule.c); the event keeps its DTSTART, RDATEs and overrides. */
  for (guint i = event->rrules->len; i-- > 0;)
    {
      const struct icalrecurrencetype *rule = &g_array_index (event->rrules, struct icalrecurrencetype, i);
      const char *why = NULL;
      OcIcalRuleVerdict verdict = oc_ical_rule_check (rule, event->start.time, &why);
      g_autofree char *reason = NULL;

      if (verdict == OC_ICAL_RULE_FOLLOWED)
        continue;
      reason = g_strdup_printf ("the event %s repeats by a rule that owacal does not follow (%s): "
                                "its other occurrences are shown", name, why);
      add_problem (loader, event->line, last, NULL, reason);
      g_array_remove_index (event->rrules, i);
    }
  if (event->end.valid && event->end.time.is_date == event->start.time.is_date)
    {
      g_autoptr (OcIcalZone) utc = oc_ical_zone_new_utc ();
      if (oc_ical_when_to_utc (&event->end, utc) < oc_ical_when_to_utc (&event->start, utc))
        {
          g_autofree char *reason = g_strdup_printf ("the event %s ends before it starts; it is shown "
                                                     "without a duration", name);
          add_problem (loader, event->line, last, NULL, reason);
          oc_ical_when_clear (&event->end);
        }
    }
  return TRUE;
}

static void
read_freebusy (Loader        *loader,
               icalcomponent *component,
               guint          line)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_FREEBUSY_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_FREEBUSY_PROPERTY))
    {
      icalparameter *type = icalproperty_get_first_parameter (p, ICAL_FBTYPE_PARAMETER);
      icalparameter_fbtype fbtype = type ? icalparameter_get_fbtype (type) : ICAL_FBTYPE_BUSY;
      struct icalperiodtype period = icalproperty_get_freebusy (p);
      struct icaltimetype end = icaltime_is_null_time (period.end)
                                  ? icaltime_add (period.start, period.duration) : period.end;
      OcIcalFreeBusy busy = { oc_ical_when_from_property (p, period.start, lookup_zone_cb, loader),
                              oc_ical_when_from_property (p, end, lookup_zone_cb, loader),
                              OC_BUSY_BUSY, line };

      if (fbtype == ICAL_FBTYPE_FREE || !busy.start.valid || !busy.end.valid)
        {
          oc_ical_when_clear (&busy.start);
          oc_ical_when_clear (&busy.end);
          continue;
        }
      if (fbtype == ICAL_FBTYPE_BUSYTENTATIVE)
        busy.busy = OC_BUSY_TENTATIVE;
      else if (fbtype == ICAL_FBTYPE_BUSYUNAVAILABLE)
        busy.busy = OC_BUSY_OUT_OF_OFFICE;
      g_array_append_val (loader->self->freebusy, busy);
    }
}

static void
read_components (Loader        *loader,
                 icalcomponent *calendar)
{
  OcIcalCalendar *self = loader->self;
  gboolean cancel = is_cancel_method (calendar);

  for (icalcomponent *c = icalcomponent_get_first_component (calendar, ICAL_ANY_COMPONENT); c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_ANY_COMPONENT))
    {
      OcIcalScanComponent *scanned = scanned_component (loader, c);
      guint line = scanned ? scanned->begin_line : 0;
      OcIcalEvent *event;

      if (icalcomponent_isa (c) == ICAL_VFREEBUSY_COMPONENT)
        read_freebusy (loader, c, line);
      if (icalcomponent_isa (c) != ICAL_VEVENT_COMPONENT)
        continue;
      event = oc_ical_event_new (c, line, lookup_zone_cb, loader);
      if (cancel)
        {
          OcIcalCancel record = { g_strdup (event->uid), event->recurrence_id };
          event->recurrence_id.zone = NULL; /* now owned by the record */
          g_array_append_val (self->cancels, record);
          oc_ical_event_free (event);
        }
      else if (check_event (loader, event))
        g_ptr_array_add (self->all_events, event);
      else
        oc_ical_event_free (event);
    }
}

/* Overrides go to their master; of two versions of an event, the one with
 * the higher SEQUENCE (or the later one in the file) wins. */
static void
link_overrides (OcIcalCalendar *self)
{
  g_autoptr (GHashTable) masters = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->all_events->len; i++)
    {
      OcIcalEvent *event = g_ptr_array_index (self->all_events, i);
      OcIcalEvent *known;

      if (event->is_override)
        continue;
      known = g_hash_table_lookup (masters, event->uid);
      if (known == NULL || event->sequence >= known->sequence)
        g_hash_table_insert (masters, event->uid, event);
    }
  for (guint i = 0; i < self->all_events->len; i++)
    {
      OcIcalEvent *event = g_ptr_array_index (self->all_events, i);
      OcIcalEvent *master = g_hash_table_lookup (masters, event->uid);

      if (!event->is_override && master == event)
        g_ptr_array_add (self->events, event);
      else if (event->is_override && master != NULL)
        g_ptr_array_add (master->overrides, event);
      else if (event->is_override)
        g_ptr_array_add (self->events, event); /* an occurrence whose series is not published */
    }
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const OcIcalProblem *pa = *(OcIcalProblem **) a;
  const OcIcalProblem *pb = *(OcIcalProblem **) b;

  return (pa->first_line > pb->first_line) - (pa->first_line < pb->first_line);
}

static gboolean
load (OcIcalCalendar *self,
      const char     *data,
      gsize           length,
      GError        **error)
{
  g_autoptr (OcIcalScan) scan = oc_ical_scan (data, length);
  g_autoptr (GHashTable) index = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) vtimezones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) calendars = NULL;
  Loader loader = { self, scan, index, vtimezones };
  guint counter = 0;

  if (!scan->saw_calendar)
    {
      g_set_error_literal (error, OC_ICAL_ERROR, OC_ICAL_ERROR_NOT_ICALENDAR,
                           "This is not a calendar: it has no BEGIN:VCALENDAR (iCalendar) line");
      return FALSE;
    }
  g_ptr_array_extend_and_steal (self->problems, g_steal_pointer (&scan->problems));
  scan->problems = g_ptr_array_new ();

  self->root = icalparser_parse_string (scan->clean->str);
  if (self->root == NULL)
    {
      g_set_error_literal (error, OC_ICAL_ERROR, OC_ICAL_ERROR_NOT_ICALENDAR,
                           "libical could not read anything in this calendar");
      return FALSE;
    }
  /* Components come out of libical in the order of their BEGIN lines. */
  index_components (index, self->root, &counter);
  if (counter != scan->components->len)
    loader.component_index = NULL;

  collect_libical_errors (&loader, self->root);
  calendars = list_calendars (self->root);
  for (guint i = 0; i < calendars->len; i++)
    read_calendar_properties (&loader, g_ptr_array_index (calendars, i));
  for (guint i = 0; i < calendars->len; i++)
    read_components (&loader, g_ptr_array_index (calendars, i));
  link_overrides (self);
  g_ptr_array_sort (self->problems, compare_problems);
  return TRUE;
}

/* GObject */

static void
oc_ical_calendar_finalize (GObject *object)
{
  OcIcalCalendar *self = OC_ICAL_CALENDAR (object);

  g_ptr_array_unref (self->events);
  g_ptr_array_unref (self->all_events);
  g_array_unref (self->freebusy);
  g_array_unref (self->cancels);
  g_ptr_array_unref (self->problems);
  g_hash_table_unref (self->zones);
  g_clear_pointer (&self->floating_zone, oc_ical_zone_unref);
  g_clear_pointer (&self->root, icalcomponent_free);
  g_free (self->name);
  G_OBJECT_CLASS (oc_ical_calendar_parent_class)->finalize (object);
}

static void
oc_ical_calendar_class_init (OcIcalCalendarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_ical_calendar_finalize;
}

static void
clear_freebusy (OcIcalFreeBusy *busy)
{
  oc_ical_when_clear (&busy->start);
  oc_ical_when_clear (&busy->end);
}

static void
oc_ical_calendar_init (OcIcalCalendar *self)
{
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_problem_free);
  self->all_events = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_event_free);
  self->events = g_ptr_array_new ();
  self->freebusy = g_array_new (FALSE, FALSE, sizeof (OcIcalFreeBusy));
  g_array_set_clear_func (self->freebusy, (GDestroyNotify) clear_freebusy);
  self->cancels = g_array_new (FALSE, FALSE, sizeof (OcIcalCancel));
  g_array_set_clear_func (self->cancels, (GDestroyNotify) clear_cancel);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) oc_ical_zone_unref);
}

/* Public API */

/**
 * oc_ical_calendar_new_from_data:
 * @data: iCalendar text
 * @length: its length in bytes
 * @error: return location for a #GError in %OC_ICAL_ERROR
 *
 * Reads what can be read; see oc_ical_calendar_get_problems() for what could not.
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL if @data is no calendar at all
 */
OcIcalCalendar *
oc_ical_calendar_new_from_data (const char  *data,
                                gsize        length,
                                GError     **error)
{
  g_autoptr (OcIcalCalendar) self = g_object_new (OC_TYPE_ICAL_CALENDAR, NULL);

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!load (self, data ? data : "", length, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * oc_ical_calendar_new_from_bytes:
 * @bytes: iCalendar text
 * @error: return location for a #GError in %OC_ICAL_ERROR
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL if @bytes is no calendar at all
 */
OcIcalCalendar *
oc_ical_calendar_new_from_bytes (GBytes  *bytes,
                                 GError **error)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return oc_ical_calendar_new_from_data (data, length, error);
}

/**
 * oc_ical_calendar_get_name:
 * @self: a calendar
 *
 * Returns: (nullable): the calendar's own name (X-WR-CALNAME)
 */
const char *
oc_ical_calendar_get_name (OcIcalCalendar *self)
{
  g_return_val_if_fail (OC_IS_ICAL_CALENDAR (self), NULL);
  return self->name;
}

/**
 * oc_ical_calendar_get_problems:
 * @self: a calendar
 *
 * Returns: (transfer none) (element-type OcIcalProblem): what was skipped and why, by line
 */
GPtrArray *
oc_ical_calendar_get_problems (OcIcalCalendar *self)
{
  g_return_val_if_fail (OC_IS_ICAL_CALENDAR (self), NULL);
  return self->problems;
}

/**
 * oc_ical_calendar_get_n_events:
 * @self: a calendar
 *
 * Returns: how many events (series count once) the calendar holds
 */
guint
oc_ical_calendar_get_n_events (OcIcalCalendar *self)
{
  g_return_val_if_fail (OC_IS_ICAL_CALENDAR (self), 0);
  return self->events->len;
}

/**
 * oc_ical_calendar_describe_problems:
 * @self: a calendar
 *
 * Returns: (transfer full): one line per problem ("line 12: “…”: reason"), or ""
 */
char *
oc_ical_calendar_describe_problems (OcIcalCalendar *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->problems->len; i++)
    {
      OcIcalProblem *problem = g_ptr_array_index (self->problems, i);
      if (problem->first_line == 0)
        g_string_append (text, "somewhere");
      else if (problem->last_line > problem->first_line)
        g_string_append_printf (text, "lines %u–%u", problem->first_line, problem->last_line);
      else
        g_string_append_printf (text, "line %u", problem->first_line);
      if (problem->text != NULL)
        g_string_append_printf (text, ": “%s”", problem->text);
      g_string_append_printf (text, ": %s\n", problem->reason);
    }
  return g_string_free (text, FALSE);
}

GPtrArray *
oc_ical_calendar_get_events (OcIcalCalendar *self)
{
  return self->events;
}

GArray *
oc_ical_calendar_get_freebusy (OcIcalCalendar *self)
{
  return self->freebusy;
}

GArray *
oc_ical_calendar_get_cancels (OcIcalCalendar *self)
{
  return self->cancels;
}

OcIcalZone *
oc_ical_calendar_get_floating_zone (OcIcalCalendar *self)
{
  return self->floating_zone;
}
