/* oc-calendar-handler.c: owacal-calendar: pages, published calendars drawn by owacal.
 *
 * A tab that shows published calendars (one, or several side by side) is
 * a set of sources with an unguessable id; its pages are
 *
 *   owacal-calendar://<id>/<view>/<yyyy-mm-dd>
 *
 * and every change of view or range is an ordinary navigation, answered
 * here: the sources are fetched once (through owacal's client, with its
 * sign-in) and kept; expanding and drawing runs in a worker thread. Loading
 * the page that is already shown again (Reload) fetches the calendars again,
 * as does any page after they have aged.
 *
 * Colleagues whose calendars Exchange tells (OcScheduleSource) are asked per
 * range instead, all of a tab in one request (oc-schedule-loader.c); what
 * was told for a range is kept, so going back to a week draws it at once.
 * An event's notes and attendees are asked for when the page shows its
 * details: owacal-calendar://<id>/details/<person>?item=… (oc-event-details.c).
 */
#include "config.h"
#include "oc-calendar-handler.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "oc-calendar-source.h"
#include "oc-error-page.h"
#include "oc-event-details.h"
#include "oc-ical-expander.h"
#include "oc-schedule-loader.h"
#include "oc-schedule-source.h"
#include "oc-scheme-handler.h"

#define SHOWN_KEY "oc-calendar-shown"
#define MAX_AGE_USEC (10 * 60 * G_USEC_PER_SEC)

struct _OcCalendarHandler {
  GObject parent_instance;

  OcHttpClient *client;
  OcExchangeAccess *access;    /* colleagues on Exchange */
  GHashTable *schedules;       /* e-mail address → OcScheduleSource: one per colleague, for every tab */
  GHashTable *sets;            /* id → CalendarSet */
  OcCalendarView start_view;
  GDate start_date;            /* invalid: today */
  GSettings *desktop;          /* org.gnome.desktop.interface, or NULL */
  gboolean desktop_opened;     /* on the first page drawn, not at start-up */
};

G_DEFINE_FINAL_TYPE (OcCalendarHandler, oc_calendar_handler, G_TYPE_OBJECT)

typedef struct {
  char *id;
  GPtrArray *sources;          /* OcCalendarSource or OcScheduleSource, in the order given */
  GPtrArray *schedule_sources; /* the OcScheduleSource among them */
  OcCalendarView view;
  GDate date;
} CalendarSet;

/* One page request, from WebKit's request to the answer. */
typedef struct {
  OcCalendarHandler *handler;
  WebKitURISchemeRequest *request;
  CalendarSet *set;
  OcCalendarView view;
  GDate date;
  gint64 start;                /* the page's range, UTC seconds */
  gint64 end;
  guint loading;
} PageLoad;

/* What the worker thread draws from. */
typedef struct {
  OcCalendarPage page;
  char *base_url;
  GPtrArray *names;            /* char* */
  GPtrArray *uris;             /* char* */
  GPtrArray *calendars;        /* OcIcalCalendar or NULL */
  GPtrArray *errors;           /* char* or NULL */
  GPtrArray *schedules;        /* OcSchedule (a copy) or NULL */
} Drawing;

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
calendar_set_free (CalendarSet *set)
{
  g_free (set->id);
  g_ptr_array_unref (set->sources);
  g_ptr_array_unref (set->schedule_sources);
  g_free (set);
}

static void
drawing_free (Drawing *drawing)
{
  g_clear_pointer (&drawing->page.zone, g_time_zone_unref);
  g_free (drawing->base_url);
  g_ptr_array_unref (drawing->names);
  g_ptr_array_unref (drawing->uris);
  g_ptr_array_unref (drawing->calendars);
  g_ptr_array_unref (drawing->errors);
  g_ptr_array_unref (drawing->schedules);
  g_free (drawing);
}

static void
page_load_free (PageLoad *load)
{
  g_object_unref (load->handler);
  g_object_unref (load->request);
  g_free (load);
}

/* GNOME Calendar's reading of the locale's first day of the week; the C
 * locale (Sunday, by accident of history) gets ISO 8601's Monday. */
/* GNOME's own choice (Settings → Date & Time), as GNOME Calendar follows it:
 * its settings, opened once; NULL on a desktop without GNOME's schemas. */
static GSettings *
open_desktop_interface (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "clock-format"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
has_twelve_hour_clock (OcCalendarHandler *self)
{
  g_autofree char *format = NULL;

  if (!self->desktop_opened)
    {
      self->desktop = open_desktop_interface ();
      self->desktop_opened = TRUE;
    }
  format = self->desktop ? g_settings_get_string (self->desktop, "clock-format") : NULL;
  return g_strcmp0 (format, "12h") == 0;
}

static GDateWeekday
get_week_start (void)
{
  union { unsigned int word; char *string; } info;
  const char *locale = setlocale (LC_TIME, NULL);
  int first_weekday, origin_weekday = 0;

  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX") ||
      g_str_has_prefix (locale, "C."))
    return G_DATE_MONDAY;
  info.string = nl_langinfo (_NL_TIME_FIRST_WEEKDAY);
  first_weekday = info.string[0];
  info.string = nl_langinfo (_NL_TIME_WEEK_1STDAY);
  if (info.word == 19971201)
    origin_weekday = 1;
  /* 0 = Sunday … 6 = Saturday, GDate's Sunday is 7. */
  switch ((origin_weekday + first_weekday - 1 + 7) % 7)
    {
    case 0:
      return G_DATE_SUNDAY;
    case 6:
      return G_DATE_SATURDAY;
    default:
      return (GDateWeekday) ((origin_weekday + first_weekday - 1 + 7) % 7);
    }
}

static char *
first_line (const char *message)
{
  const char *newline = strchr (message, '\n');

  return newline ? g_strndup (message, newline - message) : g_strdup (message);
}

/* Drawing, in a worker thread */

/* What Exchange told of a colleague, as the page draws a person: her events
 * in the viewer's zone, a line on what she shares, her working hours. */
static void
add_schedule (OcCalendarPerson *person,
              OcSchedule       *schedule,
              GTimeZone        *zone,
              gint64            start,
              gint64            end)
{
  person->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_instance_free);
  for (guint i = 0; i < schedule->instances->len; i++)
    {
      OcIcalInstance *instance = oc_ical_instance_copy (g_ptr_array_index (schedule->instances, i));

      if (instance->end <= start || instance->start >= end)
        {
          oc_ical_instance_free (instance);
          continue;
        }
      if (!instance->all_day)
        oc_ical_instance_set_range (instance, instance->start, instance->end, zone);
      g_ptr_array_add (person->instances, instance);
    }
  if (schedule->error == NULL)
    person->notice = oc_sharing_describe (schedule->sharing, person->name);
  if (schedule->working_hours != NULL)
    person->working_hours = oc_working_hours_copy (schedule->working_hours);
}

static void
draw_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Drawing *drawing = task_data;
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_calendar_person_free);
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_for_gtimezone (drawing->page.zone);
  gint64 start, end;

  oc_calendar_page_get_utc_range (&drawing->page, &start, &end);
  for (guint i = 0; i < drawing->names->len; i++)
    {
      OcCalendarPerson *person = oc_calendar_person_new (g_ptr_array_index (drawing->names, i),
                                                         g_ptr_array_index (drawing->uris, i));
      OcIcalCalendar *calendar = g_ptr_array_index (drawing->calendars, i);

      OcSchedule *schedule = g_ptr_array_index (drawing->schedules, i);

      if (calendar != NULL)
        {
          person->instances = oc_ical_expand_full (calendar, zone, start, end, &person->left_out);
          person->problems = g_ptr_array_ref (oc_ical_calendar_get_problems (calendar));
        }
      if (schedule != NULL)
        add_schedule (person, schedule, drawing->page.zone, start, end);
      person->error = g_strdup (g_ptr_array_index (drawing->errors, i));
      g_ptr_array_add (people, person);
    }
  g_task_return_pointer (task, oc_calendar_page_render (&drawing->page, people), g_free);
}

static void
finish_with_html (PageLoad   *load,
                  char       *html,
                  const GError *page_error)
{
  WebKitWebView *view = webkit_uri_scheme_request_get_web_view (load->request);
  gsize length = strlen (html);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_data (html, (gssize) length, g_free);
  g_autoptr (WebKitURISchemeResponse) response = webkit_uri_scheme_response_new (stream, (gint64) length);

  webkit_uri_scheme_response_set_content_type (response, "text/html; charset=utf-8");
  if (view != NULL)
    {
      g_object_set_data_full (G_OBJECT (view), SHOWN_KEY,
                              g_strdup (webkit_uri_scheme_request_get_uri (load->request)), g_free);
      oc_scheme_handler_set_page_error (view, page_error);
    }
  webkit_uri_scheme_request_finish_with_response (load->request, response);
}

static void
drawn_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PageLoad *load = user_data;
  char *html = g_task_propagate_pointer (G_TASK (result), NULL);

  finish_with_html (load, html, NULL);
  page_load_free (load);
}

static void
draw (PageLoad *load)
{
  CalendarSet *set = load->set;
  Drawing *drawing = g_new0 (Drawing, 1);
  const GError *only_error = NULL;
  guint shown = 0;
  g_autoptr (GTask) task = NULL;

  drawing->base_url = g_strdup_printf ("%s://%s/", OC_CALENDAR_SCHEME, set->id);
  drawing->names = g_ptr_array_new_with_free_func (g_free);
  drawing->uris = g_ptr_array_new_with_free_func (g_free);
  /* A person whose calendar failed has a NULL slot. */
  drawing->calendars = g_ptr_array_new_with_free_func (unref_if_set);
  drawing->errors = g_ptr_array_new_with_free_func (g_free);
  drawing->schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_schedule_free);
  for (guint i = 0; i < set->sources->len; i++)
    {
      GObject *object = g_ptr_array_index (set->sources, i);
      OcIcalCalendar *calendar = NULL;
      const OcSchedule *schedule = NULL;
      const GError *error;

      if (OC_IS_SCHEDULE_SOURCE (object))
        {
          OcScheduleSource *source = OC_SCHEDULE_SOURCE (object);
          schedule = oc_schedule_source_lookup (source, load->start, load->end, NULL);
          error = schedule ? schedule->error : NULL;
          g_ptr_array_add (drawing->names, oc_schedule_source_dup_name (source));
          g_ptr_array_add (drawing->uris, g_strconcat ("exchange:", oc_schedule_source_get_email (source), NULL));
        }
      else
        {
          OcCalendarSource *source = OC_CALENDAR_SOURCE (object);
          calendar = oc_calendar_source_get_calendar (source);
          error = oc_calendar_source_get_error (source);
          g_ptr_array_add (drawing->names, oc_calendar_source_dup_name (source));
          g_ptr_array_add (drawing->uris, g_strdup (oc_calendar_source_get_uri (source)));
        }
      g_ptr_array_add (drawing->calendars, calendar ? g_object_ref (calendar) : NULL);
      g_ptr_array_add (drawing->schedules, schedule && !schedule->error ? oc_schedule_copy (schedule) : NULL);
      g_ptr_array_add (drawing->errors, error ? first_line (error->message) : NULL);
      if (calendar != NULL || (schedule != NULL && schedule->error == NULL))
        shown++;
      else
        only_error = error;
    }
  /* Nothing at all to show: the error page, as for a web page that failed. */
  if (shown == 0 && only_error != NULL)
    {
      const char *uri = g_ptr_array_index (drawing->uris, 0);
      finish_with_html (load, oc_error_page_render (only_error, uri), only_error);
      page_load_free (load);
      drawing_free (drawing);
      return;
    }
  drawing->page.view = load->view;
  drawing->page.date = load->date;
  g_date_clear (&drawing->page.today, 1);
  g_date_set_time_t (&drawing->page.today, time (NULL));
  drawing->page.zone = g_time_zone_new_local ();
  drawing->page.week_start = get_week_start ();
  drawing->page.twelve_hour = has_twelve_hour_clock (load->handler);
  drawing->page.now = g_get_real_time () / G_USEC_PER_SEC;
  drawing->page.base_url = drawing->base_url;

  task = g_task_new (NULL, NULL, drawn_cb, load);
  g_task_set_task_data (task, drawing, (GDestroyNotify) drawing_free);
  g_task_run_in_thread (task, draw_in_thread);
}

/* Loading */

static void
source_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PageLoad *load = user_data;

  /* A failure is kept by the source and shown on the page. */
  oc_calendar_source_load_finish (OC_CALENDAR_SOURCE (source), result, NULL);
  if (--load->loading == 0)
    draw (load);
}

static void
schedules_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PageLoad *load = user_data;

  /* Each colleague's answer, an error too, is kept by their source. */
  oc_schedule_loader_load_finish (result, NULL);
  if (--load->loading == 0)
    draw (load);
}

/* The page's range in UTC, as the drawing will compute it. */
static void
get_page_range (PageLoad *load)
{
  OcCalendarPage page = { 0 };
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();

  page.view = load->view;
  page.date = load->date;
  page.zone = zone;
  page.week_start = get_week_start ();
  oc_calendar_page_get_utc_range (&page, &load->start, &load->end);
}

static gboolean
parse_page_url (const char     *uri,
                char          **out_id,
                OcCalendarView *out_view,
                GDate          *out_date)
{
  g_autoptr (GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_auto (GStrv) parts = NULL;
  int year, month, day;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return FALSE;
  *out_id = g_strdup (g_uri_get_host (parsed));
  parts = g_strsplit (g_uri_get_path (parsed), "/", -1);
  /* "", view, date */
  if (g_strv_length (parts) >= 2 && *parts[1] != '\0' && !oc_calendar_view_from_string (parts[1], out_view))
    return FALSE;
  if (g_strv_length (parts) >= 3 && *parts[2] != '\0')
    {
      if (sscanf (parts[2], "%4d-%2d-%2d", &year, &month, &day) != 3 ||
          !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
        return FALSE;
      g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
    }
  return TRUE;
}

/* owacal-calendar://<id>/details/<person>?item=<uid>: whether @uri is such a
 * request; if so, it is answered. */
static gboolean
request_details (OcCalendarHandler      *self,
                 WebKitURISchemeRequest *request,
                 const char             *uri)
{
  g_autoptr (GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) error = NULL;
  const char *path = parsed ? g_uri_get_path (parsed) : NULL;
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;
  CalendarSet *set = host ? g_hash_table_lookup (self->sets, host) : NULL;
  const char *item = NULL;
  guint64 person = G_MAXUINT64;
  gpointer source = NULL;

  if (path == NULL || !g_str_has_prefix (path, "/details/"))
    return FALSE;
  if (g_uri_get_query (parsed) != NULL)
    params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    item = g_hash_table_lookup (params, "item");
  if (set != NULL && set->sources->len > 0 && g_ascii_string_to_unsigned (path + strlen ("/details/"), 10, 0, set->sources->len - 1,
                                                 &person, NULL))
    source = g_ptr_array_index (set->sources, person);
  if (source == NULL || !OC_IS_SCHEDULE_SOURCE (source) || item == NULL || *item == '\0')
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "This calendar page is no longer open: open the calendar again to see the event's details.");
      oc_event_details_refuse (request, error);
      return TRUE;
    }
  oc_event_details_answer (request, self->access, oc_schedule_source_get_email (source), item);
  return TRUE;
}

static void
request_cb (WebKitURISchemeRequest *request,
            gpointer                user_data)
{
  OcCalendarHandler *self = user_data;
  const char *uri = webkit_uri_scheme_request_get_uri (request);
  WebKitWebView *view = webkit_uri_scheme_request_get_web_view (request);
  const char *shown = view ? g_object_get_data (G_OBJECT (view), SHOWN_KEY) : NULL;
  gboolean reload = g_strcmp0 (shown, uri) == 0;
  g_autofree char *id = NULL;
  PageLoad *load = NULL;

  if (request_details (self, request, uri))
    return;
  load = g_new0 (PageLoad, 1);
  load->handler = g_object_ref (self);
  load->request = g_object_ref (request);
  load->view = (OcCalendarView) -1;
  g_date_clear (&load->date, 1);
  if (!parse_page_url (uri, &id, &load->view, &load->date) ||
      (load->set = g_hash_table_lookup (self->sets, id)) == NULL)
    {
      g_autoptr (GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                              "This calendar page is no longer open. Open the calendar "
                                              "again from its address.\n%s", uri);
      finish_with_html (load, oc_error_page_render (error, NULL), error);
      page_load_free (load);
      return;
    }
  /* owacal-calendar://id/ is the set's first page. */
  if ((int) load->view < 0)
    load->view = load->set->view;
  if (!g_date_valid (&load->date))
    {
      load->date = load->set->date;
      if (!g_date_valid (&load->date))
        g_date_set_time_t (&load->date, time (NULL));
    }

  get_page_range (load);

  load->loading = 1;
  for (guint i = 0; i < load->set->sources->len; i++)
    {
      OcCalendarSource *source = g_ptr_array_index (load->set->sources, i);
      gint64 loaded_at;

      if (!OC_IS_CALENDAR_SOURCE (source))
        continue;
      loaded_at = oc_calendar_source_get_loaded_at (source);
      if (reload || loaded_at == 0 || oc_calendar_source_get_error (source) != NULL ||
          g_get_monotonic_time () - loaded_at > MAX_AGE_USEC)
        {
          load->loading++;
          oc_calendar_source_load_async (source, self->client, NULL, source_loaded_cb, load);
        }
    }
  /* Colleagues on Exchange: what is not known for this range, in one go. */
  if (load->set->schedule_sources->len > 0 &&
      (reload || !oc_schedule_loader_is_known (load->set->schedule_sources, load->start, load->end, MAX_AGE_USEC)))
    {
      g_autoptr (GTimeZone) zone = g_time_zone_new_local ();

      load->loading++;
      oc_schedule_loader_load_async (self->access, load->set->schedule_sources, load->start, load->end, zone,
                                     reload ? 0 : MAX_AGE_USEC, NULL, schedules_loaded_cb, load);
    }
  if (--load->loading == 0)
    draw (load);
}

/* GObject */

static void
oc_calendar_handler_finalize (GObject *object)
{
  OcCalendarHandler *self = OC_CALENDAR_HANDLER (object);

  g_hash_table_unref (self->sets);
  g_hash_table_unref (self->schedules);
  g_clear_object (&self->client);
  g_clear_object (&self->access);
  g_clear_object (&self->desktop);
  G_OBJECT_CLASS (oc_calendar_handler_parent_class)->finalize (object);
}

static void
oc_calendar_handler_class_init (OcCalendarHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_calendar_handler_finalize;
}

static void
oc_calendar_handler_init (OcCalendarHandler *self)
{
  self->sets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) calendar_set_free);
  self->schedules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->start_view = OC_CALENDAR_VIEW_WEEK;
  g_date_clear (&self->start_date, 1);
}

/* Public API */

/**
 * oc_calendar_handler_new:
 * @client: fetches published calendars
 * @access: finds the Exchange of colleagues whose calendars Exchange tells
 *
 * Returns: (transfer full): a handler
 */
OcCalendarHandler *
oc_calendar_handler_new (OcHttpClient     *client,
                         OcExchangeAccess *access)
{
  OcCalendarHandler *self = g_object_new (OC_TYPE_CALENDAR_HANDLER, NULL);

  self->client = g_object_ref (client);
  self->access = g_object_ref (access);
  return self;
}

/**
 * oc_calendar_handler_register:
 * @self: a handler
 * @context: the web context whose owacal-calendar: loads @self answers
 */
void
oc_calendar_handler_register (OcCalendarHandler *self,
                              WebKitWebContext  *context)
{
  g_return_if_fail (OC_IS_CALENDAR_HANDLER (self));
  webkit_web_context_register_uri_scheme (context, OC_CALENDAR_SCHEME, request_cb, g_object_ref (self),
                                          g_object_unref);
}

/**
 * oc_calendar_handler_set_start:
 * @self: a handler
 * @view: the view calendars opened from now on start in
 * @date: (nullable): the day they start at, %NULL for today
 */
void
oc_calendar_handler_set_start (OcCalendarHandler *self,
                               OcCalendarView     view,
                               const GDate       *date)
{
  g_return_if_fail (OC_IS_CALENDAR_HANDLER (self));
  self->start_view = view;
  if (date != NULL && g_date_valid (date))
    self->start_date = *date;
  else
    g_date_clear (&self->start_date, 1);
}

/**
 * oc_calendar_handler_add:
 * @self: a handler
 * @sources: (element-type GObject): the calendars of one tab, side by side:
 *   OcCalendarSource (published) and OcScheduleSource (Exchange)
 *
 * Returns: (transfer full): the address of the tab's first page
 */
char *
oc_calendar_handler_add (OcCalendarHandler *self,
                         GPtrArray         *sources)
{
  CalendarSet *set = g_new0 (CalendarSet, 1);
  g_autofree char *random = g_uuid_string_random ();
  g_autofree char *date = NULL;

  g_return_val_if_fail (OC_IS_CALENDAR_HANDLER (self), NULL);
  g_return_val_if_fail (sources != NULL && sources->len > 0, NULL);

  /* Unguessable, so that no web page can link to someone's calendar tab. */
  g_strdelimit (random, "-", 'x');
  set->id = g_steal_pointer (&random);
  set->sources = g_ptr_array_new_with_free_func (g_object_unref);
  set->schedule_sources = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sources->len; i++)
    {
      GObject *source = g_ptr_array_index (sources, i);

      /* A colleague already shown in another tab: what Exchange told is shown
       * at once here too (a second `owacal alice@…` asks nothing again). */
      if (OC_IS_SCHEDULE_SOURCE (source))
        {
          const char *email = oc_schedule_source_get_email (OC_SCHEDULE_SOURCE (source));
          GObject *known = g_hash_table_lookup (self->schedules, email);

          if (known == NULL)
            g_hash_table_insert (self->schedules, g_strdup (email), g_object_ref (source));
          else
            source = known;
          g_ptr_array_add (set->schedule_sources, g_object_ref (source));
        }
      g_ptr_array_add (set->sources, g_object_ref (source));
    }
  set->view = self->start_view;
  set->date = self->start_date;
  g_hash_table_insert (self->sets, set->id, set);
  if (!g_date_valid (&set->date))
    return g_strdup_printf ("%s://%s/", OC_CALENDAR_SCHEME, set->id);
  date = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&set->date), g_date_get_month (&set->date),
                          g_date_get_day (&set->date));
  return g_strdup_printf ("%s://%s/%s/%s", OC_CALENDAR_SCHEME, set->id, oc_calendar_view_to_string (set->view),
                          date);
}

/**
 * oc_calendar_handler_add_answer:
 * @self: a handler
 * @web_url: a page that answered with a calendar
 * @body: the calendar
 *
 * Returns: (transfer full): the address of the page that shows it
 */
char *
oc_calendar_handler_add_answer (OcCalendarHandler *self,
                                const char        *web_url,
                                GBytes            *body)
{
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  OcCalendarSource *source = oc_calendar_source_new (web_url, NULL);

  oc_calendar_source_set_body (source, body);
  g_ptr_array_add (sources, source);
  return oc_calendar_handler_add (self, sources);
}

gboolean
oc_calendar_handler_is_calendar_url (const char *url)
{
  return url != NULL && g_ascii_strncasecmp (url, OC_CALENDAR_SCHEME ":", strlen (OC_CALENDAR_SCHEME) + 1) == 0;
}
