/* test-ews-soap.c: SOAP answers and faults, EWS error codes in plain words,
 * server versions, times and Windows-style time zones (DST both ways). */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ews-answers.h"
#include "oc-ews-error.h"
#include "oc-ews-soap.h"
#include "oc-ews-time.h"

static void
test_error_codes (void)
{
  static const struct {
    const char *code;
    int error;
    const char *words;
  } rows[] = {
    { "ErrorNonExistentMailbox", OC_EWS_ERROR_NO_MAILBOX, "knows no mailbox bob@example.test" },
    { "ErrorMailRecipientNotFound", OC_EWS_ERROR_NO_MAILBOX, "knows no mailbox bob@example.test" },
    { "ErrorNoFreeBusyAccess", OC_EWS_ERROR_ACCESS_DENIED, "bob@example.test does not share their calendar with you. Ask" },
    { "ErrorAccessDenied", OC_EWS_ERROR_ACCESS_DENIED, "does not share" },
    { "ErrorFolderNotFound", OC_EWS_ERROR_FOLDER_NOT_FOUND, "calendar of bob@example.test cannot be opened" },
    { "ErrorItemNotFound", OC_EWS_ERROR_ITEM_NOT_FOUND, "no longer there" },
    { "ErrorServerBusy", OC_EWS_ERROR_SERVER_BUSY, "busy" },
    { "ErrorTimeIntervalTooBig", OC_EWS_ERROR_WINDOW_TOO_LONG, "so long a time" },
    { "ErrorCalendarViewRangeTooBig", OC_EWS_ERROR_WINDOW_TOO_LONG, "so long a time" },
    { "ErrorSchemaValidation", OC_EWS_ERROR_SCHEMA, "fault of owacal" },
    { "ErrorInvalidServerVersion", OC_EWS_ERROR_SCHEMA, "fault of owacal" },
    { "ErrorSomethingNew", OC_EWS_ERROR_FAILED, "could not answer for bob@example.test" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GError) error = oc_ews_error_new_from_code (rows[i].code, "bob@example.test", "Server says (so)", 0);
      g_autofree char *tail = g_strdup_printf ("(%s: Server says (so))", rows[i].code);
      g_autofree char *code = oc_ews_error_dup_code (error);

      g_assert_error (error, OC_EWS_ERROR, rows[i].error);
      g_assert_cmpint (oc_ews_error_from_code (rows[i].code), ==, rows[i].error);
      g_assert_nonnull (strstr (error->message, rows[i].words));
      g_assert_true (g_str_has_suffix (error->message, tail));
      g_assert_cmpstr (code, ==, rows[i].code);
      g_assert_cmpuint (oc_ews_error_get_back_off (error), ==, 0);
    }
}

static void
test_error_back_off (void)
{
  g_autoptr (GError) busy = oc_ews_error_new_from_code ("ErrorServerBusy", NULL, NULL, 29735);
  g_autoptr (GError) other = g_error_new (G_FILE_ERROR, G_FILE_ERROR_FAILED, "x; back off 5 ms)");

  g_assert_cmpuint (oc_ews_error_get_back_off (busy), ==, 29735);
  g_assert_true (g_str_has_suffix (busy->message, "(ErrorServerBusy; back off 29735 ms)"));
  g_assert_cmpuint (oc_ews_error_get_back_off (other), ==, 0);
}

static void
test_faults (void)
{
  static const struct {
    const char *file;
    int error;
    const char *code;
    guint back_off;
  } rows[] = {
    { "availability-server-busy.xml", OC_EWS_ERROR_SERVER_BUSY, "ErrorServerBusy", 29735 },
    { "fault-schema.xml", OC_EWS_ERROR_SCHEMA, "ErrorSchemaValidation", 0 },
    { "fault-version.xml", OC_EWS_ERROR_SCHEMA, "ErrorInvalidServerVersion", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GBytes) body = ews_answer_load (rows[i].file);
      g_autoptr (GError) error = NULL;
      g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (body, "GetUserAvailabilityResponse", &error);
      g_autofree char *code = oc_ews_error_dup_code (error);

      g_assert_null (answer);
      g_assert_error (error, OC_EWS_ERROR, rows[i].error);
      g_assert_cmpstr (code, ==, rows[i].code);
      g_assert_cmpuint (oc_ews_error_get_back_off (error), ==, rows[i].back_off);
    }
}

static void
test_not_soap (void)
{
  static const char * const bodies[] = {
    "", "<html><body>502 Bad Gateway</body></html>", "not xml at all", "<a><b></a>",
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/></s:Envelope>",
  };
  g_autoptr (GBytes) html = ews_answer_load ("not-soap.html");
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (html, NULL, &error);

  g_assert_null (answer);
  g_assert_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr (GError) bad = NULL;
      g_autoptr (OcEwsAnswer) none = oc_ews_answer_parse (body, NULL, &bad);

      g_assert_null (none);
      g_assert_error (bad, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML);
      g_test_message ("%s", bad->message);
    }
}

/* An answer must not make owacal read local files (no entity substitution). */
static void
test_no_external_entities (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ews-xxe-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename (dir, "secret", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAnswer) answer = NULL;
  g_autofree char *read = NULL;

  g_assert_true (g_file_set_contents (secret, "TOP-SECRET", -1, NULL));
  text = g_strdup_printf ("<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file://%s\">]>"
                          "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                          "<m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
                          "<m:Text>&x;</m:Text></m:GetItemResponse></s:Body></s:Envelope>", secret);
  body = g_bytes_new (text, strlen (text));
  answer = oc_ews_answer_parse (body, "GetItemResponse", &error);
  g_assert_no_error (error);
  read = oc_ews_xml_child_text (answer->operation, OC_EWS_NS_MESSAGES, "Text");
  g_assert_null (strstr (read != NULL ? read : "", "TOP-SECRET"));
  g_unlink (secret);
  g_rmdir (dir);
}

static void
test_server_versions (void)
{
  static const struct {
    int major, minor;
    OcEwsServerVersion version;
  } rows[] = {
    { 8, 1, OC_EWS_SERVER_2007 }, { 14, 3, OC_EWS_SERVER_2010 }, { 15, 0, OC_EWS_SERVER_2013 },
    { 15, 1, OC_EWS_SERVER_2016 }, { 15, 2, OC_EWS_SERVER_2019 }, { 15, 20, OC_EWS_SERVER_2019 },
    { 6, 5, OC_EWS_SERVER_UNKNOWN }, { -1, -1, OC_EWS_SERVER_UNKNOWN },
  };
  g_autoptr (GBytes) body = ews_answer_load ("availability-team.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (body, "GetUserAvailabilityResponse", &error);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpint (oc_ews_server_version_from_numbers (rows[i].major, rows[i].minor), ==, rows[i].version);
  g_assert_no_error (error);
  g_assert_cmpint (answer->major_version, ==, 15);
  g_assert_cmpint (answer->minor_version, ==, 1);
  g_assert_cmpint (answer->server_version, ==, OC_EWS_SERVER_2016);
}

static void
test_times (void)
{
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autofree char *with_z = oc_ews_time_format (ews_utc ("2026-03-01T00:00:00Z"), TRUE);
  g_autofree char *without = oc_ews_time_format (ews_utc ("2026-03-29T01:30:00Z"), FALSE);
  gint64 t = 0;

  g_assert_cmpstr (with_z, ==, "2026-03-01T00:00:00Z");
  g_assert_cmpstr (without, ==, "2026-03-29T01:30:00");
  g_assert_true (oc_ews_time_parse ("2026-03-02T08:00:00", NULL, &t));
  g_assert_cmpint (t, ==, ews_utc ("2026-03-02T08:00:00Z"));
  g_assert_true (oc_ews_time_parse ("2026-03-03T16:00:00-08:00", NULL, &t));
  g_assert_cmpint (t, ==, ews_utc ("2026-03-04T00:00:00Z"));
  g_assert_true (oc_ews_time_parse ("2026-03-02T08:00:00", berlin, &t));
  g_assert_cmpint (t, ==, ews_utc ("2026-03-02T07:00:00Z"));
  g_assert_false (oc_ews_time_parse ("yesterday", NULL, &t));
  g_assert_false (oc_ews_time_parse (NULL, NULL, &t));

  /* All-day bounds: midnights of the organizer's zone, whichever it was. */
  g_assert_cmpint (oc_ews_time_all_day_date (ews_utc ("2026-03-04T23:00:00Z"), berlin), ==,
                   ews_utc ("2026-03-05T00:00:00+01:00"));
  g_assert_cmpint (oc_ews_time_all_day_date (ews_utc ("2026-03-05T08:00:00Z"), berlin), ==,
                   ews_utc ("2026-03-05T00:00:00+01:00"));
  g_assert_cmpint (oc_ews_time_all_day_date (ews_utc ("2026-03-04T23:00:00Z"), new_york), ==,
                   ews_utc ("2026-03-05T00:00:00-05:00"));
}

static xmlDoc *
zone_doc (const char *bias,
          const char *standard,
          const char *daylight)
{
  g_autofree char *text = g_strdup_printf (
    "<TimeZone xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\"><Bias>%s</Bias>"
    "<StandardTime>%s</StandardTime><DaylightTime>%s</DaylightTime></TimeZone>", bias, standard, daylight);
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  return oc_ews_xml_read (bytes, NULL);
}

#define RULE(bias, time, order, month, day) \
  "<Bias>" bias "</Bias><Time>" time "</Time><DayOrder>" order "</DayOrder><Month>" month \
  "</Month><DayOfWeek>" day "</DayOfWeek>"

static int
offset_at (GTimeZone  *zone,
           const char *utc_iso)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (ews_utc (utc_iso));
  g_autoptr (GDateTime) there = g_date_time_to_timezone (utc, zone);

  return (int) (g_date_time_get_utc_offset (there) / G_TIME_SPAN_MINUTE);
}

static void
test_time_zones (void)
{
  static const struct {
    const char *bias, *standard, *daylight, *posix;
    const char *at[4];
    int offsets[4];
  } rows[] = {
    /* Central Europe: last Sunday of March 02:00 → +2, last Sunday of October 03:00 → +1. */
    { "-60", RULE ("0", "03:00:00", "5", "10", "Sunday"), RULE ("-60", "02:00:00", "5", "3", "Sunday"),
      "XST-1XDT-2,M3.5.0/2:00:00,M10.5.0/3:00:00",
      { "2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:00Z", "2026-10-25T01:00:00Z" },
      { 60, 120, 120, 60 } },
    /* Pacific: second Sunday of March, first Sunday of November. */
    { "480", RULE ("0", "02:00:00", "1", "11", "Sunday"), RULE ("-60", "02:00:00", "2", "3", "Sunday"),
      "XST8XDT7,M3.2.0/2:00:00,M11.1.0/2:00:00",
      { "2026-03-08T09:59:00Z", "2026-03-08T10:00:00Z", "2026-11-01T08:59:00Z", "2026-11-01T09:00:00Z" },
      { -480, -420, -420, -480 } },
    /* Sydney: daylight saving from October to April. */
    { "-600", RULE ("0", "03:00:00", "1", "4", "Sunday"), RULE ("-60", "02:00:00", "1", "10", "Sunday"),
      "XST-10XDT-11,M10.1.0/2:00:00,M4.1.0/3:00:00",
      { "2026-01-15T00:00:00Z", "2026-04-04T15:59:00Z", "2026-04-04T16:00:00Z", "2026-07-01T00:00:00Z" },
      { 660, 660, 600, 600 } },
    /* India: no daylight saving, half an hour. */
    { "-330", RULE ("0", "00:00:00", "0", "0", "Sunday"), RULE ("0", "00:00:00", "0", "0", "Sunday"),
      "XST-5:30",
      { "2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z" },
      { 330, 330, 330, 330 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (xmlDoc) doc = zone_doc (rows[i].bias, rows[i].standard, rows[i].daylight);
      g_autofree char *posix = oc_ews_time_zone_to_posix (xmlDocGetRootElement (doc));
      g_autoptr (GTimeZone) zone = oc_ews_time_zone_parse (xmlDocGetRootElement (doc));

      g_assert_cmpstr (posix, ==, rows[i].posix);
      g_assert_nonnull (zone);
      for (guint a = 0; a < G_N_ELEMENTS (rows[i].at); a++)
        g_assert_cmpint (offset_at (zone, rows[i].at[a]), ==, rows[i].offsets[a]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  g_test_add_func ("/oc/ews-soap/error-codes", test_error_codes);
  g_test_add_func ("/oc/ews-soap/error-back-off", test_error_back_off);
  g_test_add_func ("/oc/ews-soap/faults", test_faults);
  g_test_add_func ("/oc/ews-soap/not-soap", test_not_soap);
  g_test_add_func ("/oc/ews-soap/no-external-entities", test_no_external_entities);
  g_test_add_func ("/oc/ews-soap/server-versions", test_server_versions);
  g_test_add_func ("/oc/ews-soap/times", test_times);
  g_test_add_func ("/oc/ews-soap/time-zones", test_time_zones);
  return g_test_run ();
}
