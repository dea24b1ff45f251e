/* test-calendar-source.c: published calendars fetched through owacal's client.
 *
 * Run through tests/testbed/testbed.py with negotiate and owa: the .ics sits
 * behind Apache with mod_auth_gssapi (Kerberos only), as on an intranet
 * Exchange, and the OWA site answers it without authentication too.
 */
#include "config.h"

#include <string.h>

#include "oc-calendar-source.h"
#include "oc-ical-expander.h"
#include "oc-target.h"

typedef struct {
  OcHttpClient *client;
  GMainLoop *loop;
  GAsyncResult *result;
} Fixture;

static const char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL)
    g_error ("%s is not set: run this test through tests/testbed/testbed.py", name);
  return value;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->client = oc_http_client_new ();
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->result);
  g_main_loop_unref (f->loop);
  g_object_unref (f->client);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static gboolean
load (Fixture          *f,
      OcCalendarSource *source,
      GError          **error)
{
  g_clear_object (&f->result);
  oc_calendar_source_load_async (source, f->client, NULL, loaded_cb, f);
  g_main_loop_run (f->loop);
  return oc_calendar_source_load_finish (source, f->result, error);
}

static char *
published_url (const char *base,
               const char *name,
               const char *leaf)
{
  return g_strdup_printf ("%s/owa/calendar/5f0c8e1e9a2b4c6d@example.test/%s/%s", base, name, leaf);
}

static guint
count_week_events (OcIcalCalendar *calendar)
{
  g_autoptr (OcIcalZone) zone = oc_ical_zone_new_iana ("Europe/Berlin");
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2024-03-11T00:00:00+01:00", NULL);
  g_autoptr (GPtrArray) instances = oc_ical_expand (calendar, zone, g_date_time_to_unix (start),
                                                    g_date_time_to_unix (start) + 7 * 86400);

  return instances->len;
}

static void
test_behind_negotiate (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *url = published_url (require_env ("OC_TEST_NEGOTIATE_URL"), "alice", "calendar.ics");
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr (OcCalendarSource) source = oc_calendar_source_new (url, "alice@example.test");
  g_autoptr (GError) error = NULL;

  /* Not trusted yet: no credentials go to the server, which refuses. */
  g_assert_false (load (f, source, &error));
  g_assert_nonnull (error);
  g_assert_null (oc_calendar_source_get_calendar (source));
  g_assert_nonnull (oc_calendar_source_get_error (source));
  g_clear_error (&error);

  /* Trusted, as owacal trusts the host of a calendar the user opens: Kerberos signs in. */
  oc_http_client_trust_host (f->client, g_uri_get_host (uri));
  g_assert_true (load (f, source, &error));
  g_assert_no_error (error);
  g_assert_null (oc_calendar_source_get_error (source));
  g_assert_cmpstr (oc_ical_calendar_get_name (oc_calendar_source_get_calendar (source)), ==, "Alice Example");
  /* Standup ×5, review, supplier, budget, fair, 1:1, dentist, vacation, walk. */
  g_assert_cmpuint (count_week_events (oc_calendar_source_get_calendar (source)), ==, 13);
  {
    g_autofree char *name = oc_calendar_source_dup_name (source);
    g_assert_cmpstr (name, ==, "alice@example.test");
  }
}

static void
test_webcal_link (Fixture       *f,
                  gconstpointer  data)
{
  const char *base = require_env ("OC_TEST_OWA_URL");
  g_autofree char *http = published_url (base, "bob", "calendar.ics");
  g_autofree char *webcal = g_strconcat ("webcal", http + strlen ("http"), NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcTarget) target = oc_target_parse (webcal, &error);
  g_autoptr (OcCalendarSource) source = NULL;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (target->kind, ==, OC_TARGET_KIND_ICALENDAR);
  g_assert_cmpstr (target->value, ==, http);
  source = oc_calendar_source_new (target->value, NULL);
  g_assert_true (load (f, source, &error));
  g_assert_no_error (error);
  name = oc_calendar_source_dup_name (source);
  g_assert_cmpstr (name, ==, "Bob Builder");
  g_assert_cmpuint (count_week_events (oc_calendar_source_get_calendar (source)), ==, 11);

  /* Loaded again (Reload): the server says it has not changed; nothing is sent or parsed again. */
  {
    OcIcalCalendar *before = oc_calendar_source_get_calendar (source);
    g_autofree char *log = NULL;
    char *last;

    g_assert_true (load (f, source, &error));
    g_assert_no_error (error);
    g_assert_true (oc_calendar_source_get_calendar (source) == before);
    g_assert_true (g_file_get_contents (require_env ("OC_TEST_OWA_LOG"), &log, NULL, NULL));
    g_strchomp (log);
    last = strrchr (log, '\n');
    g_assert_nonnull (strstr (last ? last : log, "\"status\": 304"));
  }
}

static void
test_not_a_calendar (Fixture       *f,
                     gconstpointer  data)
{
  const char *base = require_env ("OC_TEST_OWA_URL");
  g_autofree char *page = g_strdup_printf ("%s/owa/alice@example.test/?cmd=contents&module=calendar", base);
  g_autofree char *missing = published_url (base, "nobody", "calendar.ics");
  g_autoptr (OcCalendarSource) web = oc_calendar_source_new (page, NULL);
  g_autoptr (OcCalendarSource) gone = oc_calendar_source_new (missing, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (load (f, web, &error));
  g_assert_error (error, OC_ICAL_ERROR, OC_ICAL_ERROR_NOT_ICALENDAR);
  g_assert_nonnull (strstr (error->message, "text/html"));
  g_clear_error (&error);

  g_assert_false (load (f, gone, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, OC_ICAL_ERROR, OC_ICAL_ERROR_NOT_ICALENDAR));
  g_test_message ("404: %s", error->message);
}

static void
test_file (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (require_env ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ical",
                                            "malformed.ics", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr (OcCalendarSource) source = oc_calendar_source_new (uri, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_true (load (f, source, &error));
  g_assert_no_error (error);
  name = oc_calendar_source_dup_name (source);
  g_assert_cmpstr (name, ==, "Partly broken");
  g_assert_cmpuint (oc_ical_calendar_get_problems (oc_calendar_source_get_calendar (source))->len, ==, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/oc/calendar-source/behind-negotiate", Fixture, NULL, fixture_set_up, test_behind_negotiate,
              fixture_tear_down);
  g_test_add ("/oc/calendar-source/webcal-link", Fixture, NULL, fixture_set_up, test_webcal_link,
              fixture_tear_down);
  g_test_add ("/oc/calendar-source/not-a-calendar", Fixture, NULL, fixture_set_up, test_not_a_calendar,
              fixture_tear_down);
  g_test_add ("/oc/calendar-source/file", Fixture, NULL, fixture_set_up, test_file, fixture_tear_down);
  return g_test_run ();
}
