/* Registering owacal per user: GIO then names it the handler of owacal:
 * links, the user's other choices survive, and unregistering undoes it all. */
#include "config.h"

#include "oc-url-handler.h"

#include <gio/gdesktopappinfo.h>
#include <glib/gstdio.h>
#include <string.h>

/* GIO hides an application whose TryExec program is missing: make one, in a
 * folder whose name needs quoting. */
static char *
make_fake_exe (void)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), "My Apps", "owacal's build", NULL);
  char *path = g_build_filename (dir, "owacal", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "#!/bin/sh\nexit 0\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static const char user_mimeapps[] =
  "# The user's own choices\n"
  "[Default Applications]\n"
  "x-scheme-handler/mailto=thunderbird.desktop\n"
  "x-scheme-handler/owacal=other-handler.desktop\n"
  "\n"
  "[Added Associations]\n"
  "text/calendar=org.gnome.Calendar.desktop;\n"
  "x-scheme-handler/owacal=other-handler.desktop;\n"
  "\n"
  "[Removed Associations]\n"
  "x-scheme-handler/owacal=" APPLICATION_ID ".desktop;\n";

static char *
mimeapps_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
}

static char *
read_key (const char *path,
          const char *group,
          const char *key)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL));
  return g_key_file_get_value (file, group, key, NULL);
}

static void
assert_valid (const char *path)
{
  g_autofree char *validator = g_find_program_in_path ("desktop-file-validate");
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { validator, path, NULL };
  int status;

  if (validator == NULL)
    g_error ("desktop-file-validate is needed (Debian package desktop-file-utils)");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL) || *out || *err)
    g_error ("desktop-file-validate rejects %s:\n%s%s", path, out, err);
}

/* The per-user file claims what the shipped one claims. */
static void
assert_same_mime_types_as_shipped (const char *path)
{
  g_autofree char *shipped = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "data",
                                               APPLICATION_ID ".desktop.in", NULL);
  g_autofree char *theirs = NULL, *ours = NULL;

  g_assert_nonnull (g_getenv ("OWACAL_SOURCE_ROOT"));
  theirs = read_key (shipped, "Desktop Entry", "MimeType");
  ours = read_key (path, "Desktop Entry", "MimeType");
  g_assert_cmpstr (ours, ==, theirs);
}

static void
test_register_and_unregister (void)
{
  g_autofree char *icons = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "data", "icons", NULL);
  g_autofree char *mimeapps = mimeapps_path ();
  g_autofree char *config_dir = g_path_get_dirname (mimeapps);
  g_autoptr (OcUrlHandlerFiles) files = NULL, removed = NULL, again = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAppInfo) handler = NULL;
  g_autofree char *service = NULL, *exec = NULL, *value = NULL;
  g_auto (GStrv) argv = NULL;
  g_autofree char *fake_exe = make_fake_exe ();

  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (mimeapps, user_mimeapps, -1, NULL));

  files = oc_url_handler_register (fake_exe, icons, &error);
  g_assert_no_error (error);
  assert_valid (files->desktop_file);
  assert_same_mime_types_as_shipped (files->desktop_file);
  value = read_key (files->desktop_file, "Desktop Entry", "DBusActivatable");
  g_assert_cmpstr (value, ==, "true");
  g_clear_pointer (&value, g_free);
  g_assert_cmpuint (files->icons->len, ==, 2);
  for (guint i = 0; i < files->icons->len; i++)
    g_assert_true (g_file_test (files->icons->pdata[i], G_FILE_TEST_IS_REGULAR));

  /* D-Bus starts exactly this program, in service mode. */
  exec = read_key (files->service_file, "D-BUS Service", "Exec");
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, NULL));
  g_assert_cmpuint (g_strv_length (argv), ==, 2);
  g_assert_cmpstr (argv[0], ==, fake_exe);
  g_assert_cmpstr (argv[1], ==, "--gapplication-service");
  value = read_key (files->service_file, "D-BUS Service", "Name");
  g_assert_cmpstr (value, ==, APPLICATION_ID);
  g_clear_pointer (&value, g_free);

  /* GIO, which GNOME and Thunderbird use, now names owacal; the user's
   * other choices are intact. */
  handler = g_app_info_get_default_for_uri_scheme ("owacal");
  g_assert_nonnull (handler);
  g_assert_cmpstr (g_app_info_get_id (handler), ==, APPLICATION_ID ".desktop");
  value = read_key (mimeapps, "Default Applications", "x-scheme-handler/mailto");
  g_assert_cmpstr (value, ==, "thunderbird.desktop");
  g_clear_pointer (&value, g_free);
  value = read_key (mimeapps, "Added Associations", "x-scheme-handler/owacal");
  g_assert_cmpstr (value, ==, APPLICATION_ID ".desktop;other-handler.desktop;");
  g_clear_pointer (&value, g_free);
  value = read_key (mimeapps, "Removed Associations", "x-scheme-handler/owacal");
  g_assert_null (value);
  g_assert_true (g_file_get_contents (mimeapps, &value, NULL, NULL));
  g_assert_nonnull (strstr (value, "# The user's own choices"));
  g_clear_pointer (&value, g_free);

  /* Registering again is harmless. */
  again = oc_url_handler_register (fake_exe, NULL, &error);
  g_assert_no_error (error);
  value = read_key (mimeapps, "Added Associations", "x-scheme-handler/owacal");
  g_assert_cmpstr (value, ==, APPLICATION_ID ".desktop;other-handler.desktop;");
  g_clear_pointer (&value, g_free);

  removed = oc_url_handler_unregister (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (removed->desktop_file, ==, files->desktop_file);
  g_assert_false (g_file_test (files->desktop_file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (files->service_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (removed->icons->len, ==, 2);
  value = read_key (mimeapps, "Default Applications", "x-scheme-handler/owacal");
  g_assert_null (value);
  value = read_key (mimeapps, "Added Associations", "x-scheme-handler/owacal");
  g_assert_cmpstr (value, ==, "other-handler.desktop;");
  g_clear_pointer (&value, g_free);
  value = read_key (mimeapps, "Default Applications", "x-scheme-handler/mailto");
  g_assert_cmpstr (value, ==, "thunderbird.desktop");
  g_clear_pointer (&value, g_free);

  /* Nothing left to remove. */
  g_clear_pointer (&removed, oc_url_handler_files_free);
  removed = oc_url_handler_unregister (&error);
  g_assert_no_error (error);
  g_assert_null (removed->desktop_file);
}

/* A desktop file the user made under owacal's name is theirs. */
static void
test_leaves_the_users_file_alone (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "applications", APPLICATION_ID ".desktop", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (OcUrlHandlerFiles) files = NULL;
  g_autoptr (GError) error = NULL;
  const char *mine = "[Desktop Entry]\nType=Application\nName=My owacal\nExec=owacal --user me %u\n";
  g_autofree char *after = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, mine, -1, NULL));

  files = oc_url_handler_register ("/usr/bin/owacal", NULL, &error);
  g_assert_null (files);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
  g_clear_error (&error);

  files = oc_url_handler_unregister (&error);
  g_assert_no_error (error);
  g_assert_null (files->desktop_file);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, mine);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/oc/url-handler/register-and-unregister", test_register_and_unregister);
  g_test_add_func ("/oc/url-handler/leaves-the-users-file-alone", test_leaves_the_users_file_alone);
  return g_test_run ();
}
