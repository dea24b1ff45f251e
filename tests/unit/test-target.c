/* Target parsing: what the user types or clicks, good and bad. */
#include "config.h"

#include "oc-target.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  const char *input;
  OcTargetKind kind;
  const char *value;      /* NULL: an error is expected */
  int error_code;
} Row;

static const Row rows[] = {
  /* Web addresses */
  { "https://mail.example.com/owa/alice@example.com/?cmd=contents&module=calendar", OC_TARGET_KIND_WEB,
    "https://mail.example.com/owa/alice@example.com/?cmd=contents&module=calendar" },
  { "  https://mail.example.com/owa/  ", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/" },
  { "HTTPS://mail.example.com/owa/", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/" },
  { "http://exch2003.example.com/exchange/bob/Calendar/?Cmd=contents", OC_TARGET_KIND_WEB,
    "http://exch2003.example.com/exchange/bob/Calendar/?Cmd=contents" },
  { "https://mail.example.com", OC_TARGET_KIND_WEB, "https://mail.example.com/" },
  { "https://mail.example.com:8443/owa/#path=/calendar", OC_TARGET_KIND_WEB,
    "https://mail.example.com:8443/owa/#path=/calendar" },
  /* Links */
  { "owacal:https://mail.example.com/owa/x/", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/x/" },
  { "owacal://https//mail.example.com/owa/x/", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/x/" },
  { "owacal:https%3A%2F%2Fmail.example.com%2Fowa%2F", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/" },
  { "owacal:alice@example.com", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "owacal://alice@example.com/", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "owacal:demo", OC_TARGET_KIND_DEMO, NULL, -1 },
  /* Links as desktops, browsers and mail clients hand them over */
  { "OWACAL:Alice@Example.com", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "owacal:/alice@example.com", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "owacal:alice%40example.com", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "owacal:mailto:alice@example.com", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "owacal://https://mail.example.com/owa/", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/" },
  { "owacal:https:/mail.example.com/owa/", OC_TARGET_KIND_WEB, "https://mail.example.com/owa/" },
  { "owacal://mail.example.com/owa/alice@example.com/", OC_TARGET_KIND_WEB,
    "https://mail.example.com/owa/alice@example.com/" },
  { "owacal://mail.example.com:8443/owa/?cmd=contents", OC_TARGET_KIND_WEB,
    "https://mail.example.com:8443/owa/?cmd=contents" },
  { "owacal://localhost:8080/owa/", OC_TARGET_KIND_WEB, "https://localhost:8080/owa/" },
  { "owacal:http://127.0.0.1:8080/owa/bob@example.com/", OC_TARGET_KIND_WEB,
    "http://127.0.0.1:8080/owa/bob@example.com/" },
  { "owacal:webcals://cal.example.com/a", OC_TARGET_KIND_ICALENDAR, "https://cal.example.com/a" },
  { "mailto:Alice@Example.com", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  /* Addresses whose argument must say mailto: (found by fuzz-target) */
  { "mailto:/@t", OC_TARGET_KIND_EMAIL, "/@t" },
  { "mailto:.a@example.com", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "mailto:~/x@example.com", OC_TARGET_KIND_EMAIL, "~/x@example.com" },
  { "mailto:alice%40example.com?subject=hi", OC_TARGET_KIND_EMAIL, "alice@example.com" },
  { "Alice.Example@Example.COM", OC_TARGET_KIND_EMAIL, "alice.example@example.com" },
  { "webcal://cal.example.com/calendar.ics", OC_TARGET_KIND_ICALENDAR, "http://cal.example.com/calendar.ics" },
  { "file:///home/alice/Team%20shifts.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/alice/Team shifts.ics" },
  { "webcals://cal.example.com/a", OC_TARGET_KIND_ICALENDAR, "https://cal.example.com/a" },
  { "https://outlook.example.com/owa/calendar/abc@example.com/def/calendar.ics", OC_TARGET_KIND_ICALENDAR,
    "https://outlook.example.com/owa/calendar/abc@example.com/def/calendar.ics" },
  /* Paths: an '@' in a file name does not make an e-mail address; file: URIs are canonical. */
  { "/home/u/Downloads/alice@x.com.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/u/Downloads/alice@x.com.ics" },
  { "/home/u/a/../b/./team.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/u/b/team.ics" },
  { "file:///home/alice/../bob/./team.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/bob/team.ics" },
  { "file:///home//alice/team.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/alice/team.ics" },
  { "file:///home/u/alice%40x.com.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/u/alice@x.com.ics" },
  /* A file name that is not UTF-8 (found by fuzz-desktop-entry: its launcher was no valid desktop file) */
  { "/home/u/caf\xe9.ics", OC_TARGET_KIND_ICALENDAR_FILE, "/home/u/caf\xe9.ics" },
  /* A link (from a web page, a chat, a mail) never names a file on this computer. */
  { "owacal:../../home/u/secret.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:./x.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:~/x.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:/etc/x.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:///etc/x.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:%2Fetc%2Fx.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:%2E%2E/secret.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:/home/u/Downloads/alice@x.com.ics", 0, NULL, OC_TARGET_ERROR_LOCAL_FILE },
  { "owacal:file%3A%2F%2F%2Fetc%2Fx.ics", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal:webcal:///etc/x.ics", 0, NULL, OC_TARGET_ERROR_INVALID },
  /* Refused */
  { "", 0, NULL, OC_TARGET_ERROR_EMPTY },
  { "   ", 0, NULL, OC_TARGET_ERROR_EMPTY },
  { "javascript:alert(1)", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "JavaScript:alert(1)", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "file:///etc/passwd", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "data:text/html,<h1>x</h1>", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "ftp://example.com/x", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal:javascript:alert(1)", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal:owacal:alice@example.com", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal:file:///etc/passwd", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal:file:///home/alice/team.ics", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "file:///home/alice/notes.txt", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "file://fileserver.example.com/shared/team.ics", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "http://", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "https:///owa/", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "http://exa mple.com/", 0, NULL, OC_TARGET_ERROR_INVALID },
  /* A host that GUri decodes into no host name (found by fuzz-target) */
  { "webcals://l.%3F", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "https://a%2Fb.example/", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "webcals://l.%3als://l.%3F", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "https://[::1]:8443/owa/", OC_TARGET_KIND_WEB, "https://[::1]:8443/owa/" },
  { "https://mail.example.com/owa/\nx", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "garbage here", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "mail.example.com/owa", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "mail.example.com:443/owa", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "alice@", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "@example.com", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "alice@@example.com", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "alice@exa_mple.com", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "mailto:not an address", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "owacal:", 0, NULL, OC_TARGET_ERROR_EMPTY },
  { "owacal://", 0, NULL, OC_TARGET_ERROR_EMPTY },
  { "owacal:alice", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "owacal:data:text/html,x", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal://mail.example.com:x/owa", 0, NULL, OC_TARGET_ERROR_UNSUPPORTED_SCHEME },
  { "owacal://mail example.com/owa", 0, NULL, OC_TARGET_ERROR_INVALID },
  { "owacal:https://mail.example.com/owa/ x", 0, NULL, OC_TARGET_ERROR_INVALID },
};

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcTarget) target = oc_target_parse (row->input, &error);

  if (row->value == NULL && row->error_code >= 0)
    {
      g_assert_null (target);
      g_assert_error (error, OC_TARGET_ERROR, row->error_code);
      g_assert_cmpstr (error->message, !=, "");
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (target);
  g_assert_cmpint (target->kind, ==, row->kind);
  g_assert_cmpstr (target->value, ==, row->value);
}

/* What owacal writes into a launcher must open the same calendar again. */
static void
test_argument_round_trip (gconstpointer data)
{
  const Row *row = data;
  g_autoptr (OcTarget) target = oc_target_parse (row->input, NULL);
  g_autoptr (OcTarget) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *argument = NULL;

  g_assert_nonnull (target);
  argument = oc_target_to_argument (target);
  g_assert_true (g_utf8_validate (argument, -1, NULL));
  again = oc_target_parse (argument, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->kind, ==, target->kind);
  g_assert_cmpstr (again->value, ==, target->value);
}

static void
test_local_ics_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oc-target-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "team.ics", NULL);
  g_autoptr (OcTarget) target = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", -1, NULL));
  target = oc_target_parse (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (target->kind, ==, OC_TARGET_KIND_ICALENDAR_FILE);
  g_assert_cmpstr (target->value, ==, path);
  g_unlink (path);
  g_rmdir (dir);
}

/* A file that exists in the current directory is still not opened by a link,
 * nor taken for an address on the command line. */
static void
test_link_never_opens_existing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oc-target-XXXXXX", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *path = g_build_filename (dir, "alice@x.com.ics", NULL);
  static const char *const links[] = {
    "owacal:alice@x.com.ics", "owacal:./alice@x.com.ics", "owacal://alice@x.com.ics/",
  };

  g_assert_true (g_file_set_contents (path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", -1, NULL));
  g_assert_cmpint (g_chdir (dir), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OcTarget) target = oc_target_parse (links[i], &error);

      /* An address (alice@x.com.ics) at most, never the file. */
      g_assert_true (target == NULL || target->kind == OC_TARGET_KIND_EMAIL);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (OcTarget) target = oc_target_parse ("./alice@x.com.ics", &error);
    g_autoptr (OcTarget) bare = oc_target_parse ("alice@x.com.ics", NULL);

    g_assert_no_error (error);
    g_assert_cmpint (target->kind, ==, OC_TARGET_KIND_ICALENDAR_FILE);
    g_assert_cmpstr (target->value, ==, path);
    g_assert_cmpint (bare->kind, ==, OC_TARGET_KIND_ICALENDAR_FILE);
    g_assert_cmpstr (bare->value, ==, path);
  }
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* "~/x.ics" where no shell expanded it (a launcher, D-Bus): the home directory. */
static void
test_home_path (void)
{
  g_autoptr (OcTarget) target = oc_target_parse ("~/Calendars/team.ics", NULL);
  g_autofree char *expected = g_build_filename (g_get_home_dir (), "Calendars", "team.ics", NULL);

  g_assert_nonnull (target);
  g_assert_cmpint (target->kind, ==, OC_TARGET_KIND_ICALENDAR_FILE);
  g_assert_cmpstr (target->value, ==, expected);
}

static void
test_messages_name_the_input (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (oc_target_parse ("mail.example.com/owa", &error));
  g_assert_nonnull (strstr (error->message, "Did you mean “https://mail.example.com/owa”"));
  g_clear_error (&error);
  g_assert_null (oc_target_parse ("file:///etc/passwd", &error));
  g_assert_nonnull (strstr (error->message, "“file:”"));
  g_clear_error (&error);
  /* A webcal: link is named as given, not as the http address it stands for. */
  g_assert_null (oc_target_parse ("webcals://", &error));
  g_assert_cmpstr (error->message, ==, "“webcals://” is not a valid calendar address: it names no server");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *escaped = g_strescape (rows[i].input, NULL);
      g_autofree char *path = g_strdup_printf ("/oc/target/row/%02zu %s", i, escaped);
      g_strdelimit (path + strlen ("/oc/target/row/"), "/", '|');
      g_test_add_data_func (path, &rows[i], test_row);
      if (rows[i].value != NULL || rows[i].error_code < 0)
        {
          g_autofree char *round_trip = g_strdup_printf ("/oc/target/argument/%02zu %s", i, escaped);
          g_strdelimit (round_trip + strlen ("/oc/target/argument/"), "/", '|');
          g_test_add_data_func (round_trip, &rows[i], test_argument_round_trip);
        }
    }
  g_test_add_func ("/oc/target/local-ics-file", test_local_ics_file);
  g_test_add_func ("/oc/target/link-never-opens-existing-file", test_link_never_opens_existing_file);
  g_test_add_func ("/oc/target/home-path", test_home_path);
  g_test_add_func ("/oc/target/messages-name-the-input", test_messages_name_the_input);
  return g_test_run ();
}
