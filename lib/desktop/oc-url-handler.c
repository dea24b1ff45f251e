/* oc-url-handler.c: owacal as the user's handler of owacal: links, without root.
 *
 * What a package installs system-wide, written into the user's own XDG
 * folders and pointing at the running program: a desktop file (which GIO,
 * xdg-open and KDE read), the D-Bus service that starts owacal when the
 * desktop activates it (the desktop file is DBusActivatable, so GNOME opens
 * links through D-Bus rather than Exec), the icons when the program is not
 * installed where the desktop looks for them, and the user's default for
 * x-scheme-handler/owacal in mimeapps.list. Every file owacal writes carries a
 * mark, so that unregistering never deletes a file the user made.
 */
#include "config.h"
#include "oc-url-handler.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "oc-desktop-entry.h"

#define DESKTOP_ID APPLICATION_ID ".desktop"
#define KEY_PER_USER "X-Owacal-Per-User"
#define SERVICE_MARK "# Written by owacal --register; owacal --unregister removes it.\n"
#define SCHEME_MIME_TYPE "x-scheme-handler/owacal"
#define GROUP_DEFAULTS "Default Applications"
#define GROUP_ADDED "Added Associations"
#define GROUP_REMOVED "Removed Associations"

/**
 * oc_url_handler_mime_types:
 *
 * What owacal opens, as its desktop file says (data/ ships the same list).
 */
const char *const oc_url_handler_mime_types[] = {
  "x-scheme-handler/owacal", "x-scheme-handler/webcal", "x-scheme-handler/webcals", "text/calendar", NULL,
};

static const char *const icon_paths[] = {
  "hicolor/scalable/apps/" APPLICATION_ID ".svg",
  "hicolor/symbolic/apps/" APPLICATION_ID "-symbolic.svg",
};

static OcUrlHandlerFiles *
files_new (void)
{
  OcUrlHandlerFiles *files = g_new0 (OcUrlHandlerFiles, 1);

  files->icons = g_ptr_array_new_with_free_func (g_free);
  return files;
}

static char *
dup_desktop_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "applications", DESKTOP_ID, NULL);
}

static char *
dup_service_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "dbus-1", "services", APPLICATION_ID ".service", NULL);
}

static char *
dup_mimeapps_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
}

static GKeyFile *
build_desktop_entry (const char *executable)
{
  GKeyFile *entry = g_key_file_new ();
  const char *argv[] = { executable, NULL };
  g_autofree char *program = oc_desktop_entry_build_exec (argv);
  g_autofree char *exec = g_strconcat (program, " %u", NULL);
  const char *categories[] = { "GNOME", "GTK", "Office", "Calendar", NULL };
  const char *keywords[] = { "Calendar", "Exchange", "Outlook", "OWA", "Schedule", "Colleague", "Meeting", NULL };
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_NAME, "owacal");
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_GENERIC_NAME, "Colleagues’ Calendars");
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         "Open your colleagues’ Exchange calendars with your Windows sign-in");
  g_key_file_set_string_list (entry, group, "Keywords", keywords, g_strv_length ((char **) keywords));
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_TRY_EXEC, executable);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_ICON, APPLICATION_ID);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string_list (entry, group, G_KEY_FILE_DESKTOP_KEY_CATEGORIES, categories,
                              g_strv_length ((char **) categories));
  g_key_file_set_string_list (entry, group, G_KEY_FILE_DESKTOP_KEY_MIME_TYPE, oc_url_handler_mime_types,
                              g_strv_length ((char **) oc_url_handler_mime_types));
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_STARTUP_NOTIFY, TRUE);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_DBUS_ACTIVATABLE, TRUE);
  g_key_file_set_boolean (entry, group, KEY_PER_USER, TRUE);
  return entry;
}

static gboolean
write_service_file (const char  *path,
                    const char  *executable,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *quoted = NULL;
  g_autofree char *contents = NULL;

  /* D-Bus splits Exec= like a shell; quote a path that needs it. */
  if (strpbrk (executable, "\n\r") != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "Cannot register %s: its path holds a line break", executable);
      return FALSE;
    }
  quoted = executable[strspn (executable, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-")]
           ? g_shell_quote (executable) : g_strdup (executable);
  contents = g_strdup_printf (SERVICE_MARK "[D-BUS Service]\nName=%s\nExec=%s --gapplication-service\n",
                              APPLICATION_ID, quoted);
  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s", g_strerror (errno));
      g_prefix_error (error, "Cannot write %s: ", path);
      return FALSE;
    }
  return TRUE;
}

/* Adds or removes owacal's desktop id in one list of mimeapps.list. */
static void
edit_list (GKeyFile   *mimeapps,
           const char *group,
           const char *mime_type,
           gboolean    add)
{
  g_auto (GStrv) old = g_key_file_get_string_list (mimeapps, group, mime_type, NULL, NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) new = NULL;

  if (add)
    g_strv_builder_add (builder, DESKTOP_ID);
  for (char **id = old; id && *id; id++)
    if (!g_str_equal (*id, DESKTOP_ID) && **id != '\0')
      g_strv_builder_add (builder, *id);
  new = g_strv_builder_end (builder);
  if (new[0] == NULL)
    g_key_file_remove_key (mimeapps, group, mime_type, NULL);
  else
    g_key_file_set_string_list (mimeapps, group, mime_type, (const char * const *) new, g_strv_length (new));
}

static gboolean
edit_mimeapps (const char  *path,
               gboolean     add,
               GError     **error)
{
  g_autoptr (GKeyFile) mimeapps = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_file (mimeapps, path, G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                  &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Cannot read %s: ", path);
      return FALSE;
    }
  if (local_error != NULL && !add)
    return TRUE;
  if (add)
    {
      g_key_file_set_string (mimeapps, GROUP_DEFAULTS, SCHEME_MIME_TYPE, DESKTOP_ID);
      edit_list (mimeapps, GROUP_ADDED, SCHEME_MIME_TYPE, TRUE);
      edit_list (mimeapps, GROUP_REMOVED, SCHEME_MIME_TYPE, FALSE);
    }
  else
    for (const char *const *type = oc_url_handler_mime_types; *type; type++)
      {
        edit_list (mimeapps, GROUP_DEFAULTS, *type, FALSE);
        edit_list (mimeapps, GROUP_ADDED, *type, FALSE);
      }
  return oc_desktop_entry_save (mimeapps, path, 0644, NULL, error);
}

static gboolean
copy_icons (const char         *icon_theme_dir,
            OcUrlHandlerFiles  *files,
            GError            **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (icon_paths); i++)
    {
      g_autoptr (GFile) source = g_file_new_build_filename (icon_theme_dir, icon_paths[i], NULL);
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), "icons", icon_paths[i], NULL);
      g_autoptr (GFile) destination = g_file_new_for_path (path);
      g_autofree char *dir = g_path_get_dirname (path);

      g_mkdir_with_parents (dir, 0755);
      if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        {
          g_prefix_error (error, "Cannot install the icon %s: ", path);
          return FALSE;
        }
      g_ptr_array_add (files->icons, g_steal_pointer (&path));
    }
  return TRUE;
}

static gboolean
remove_file (const char  *path,
             GError     **error)
{
  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Cannot remove %s: %s", path,
               g_strerror (errno));
  return FALSE;
}

static gboolean
is_ours (const char *desktop_path,
         const char *service_path)
{
  g_autoptr (GKeyFile) entry = g_key_file_new ();
  g_autofree char *service = NULL;

  if (g_key_file_load_from_file (entry, desktop_path, G_KEY_FILE_NONE, NULL))
    return g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, KEY_PER_USER, NULL);
  return g_file_get_contents (service_path, &service, NULL, NULL) && g_str_has_prefix (service, SERVICE_MARK);
}

/**
 * oc_url_handler_register:
 * @executable: the owacal program links should start (an absolute path)
 * @icon_theme_dir: (nullable): an icon theme folder holding owacal's icons
 *   (hicolor/…), to copy for the user when the desktop would not find them
 * @error: return location for a #GError
 *
 * Makes @executable the user's handler of owacal: links and a D-Bus
 * activatable application. Registering again rewrites the same files.
 *
 * Returns: (transfer full) (nullable): the files written, or %NULL with @error set
 */
OcUrlHandlerFiles *
oc_url_handler_register (const char  *executable,
                         const char  *icon_theme_dir,
                         GError     **error)
{
  g_autoptr (OcUrlHandlerFiles) files = files_new ();
  g_autoptr (GKeyFile) entry = NULL;

  g_return_val_if_fail (executable != NULL && g_path_is_absolute (executable), NULL);

  files->desktop_file = dup_desktop_path ();
  files->service_file = dup_service_path ();
  files->mimeapps_file = dup_mimeapps_path ();
  if (g_file_test (files->desktop_file, G_FILE_TEST_EXISTS) && !is_ours (files->desktop_file, files->service_file))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s exists and was not written by owacal; move it away and try again", files->desktop_file);
      return NULL;
    }
  if (icon_theme_dir != NULL && !copy_icons (icon_theme_dir, files, error))
    return NULL;
  if (!write_service_file (files->service_file, executable, error))
    return NULL;
  entry = build_desktop_entry (executable);
  if (!oc_desktop_entry_save (entry, files->desktop_file, 0644, NULL, error))
    return NULL;
  if (!edit_mimeapps (files->mimeapps_file, TRUE, error))
    return NULL;
  return g_steal_pointer (&files);
}

/**
 * oc_url_handler_unregister:
 * @error: return location for a #GError
 *
 * Undoes oc_url_handler_register(): removes the files it wrote and owacal's
 * entries in mimeapps.list (other entries stay). Files without owacal's mark
 * are left alone.
 *
 * Returns: (transfer full) (nullable): the files removed (members %NULL when
 *   there was nothing to remove), or %NULL with @error set
 */
OcUrlHandlerFiles *
oc_url_handler_unregister (GError **error)
{
  g_autoptr (OcUrlHandlerFiles) files = files_new ();
  g_autofree char *desktop_path = dup_desktop_path ();
  g_autofree char *service_path = dup_service_path ();

  files->mimeapps_file = dup_mimeapps_path ();
  if (!edit_mimeapps (files->mimeapps_file, FALSE, error))
    return NULL;
  if (!is_ours (desktop_path, service_path))
    return g_steal_pointer (&files);
  if (!remove_file (desktop_path, error) || !remove_file (service_path, error))
    return NULL;
  files->desktop_file = g_steal_pointer (&desktop_path);
  files->service_file = g_steal_pointer (&service_path);
  for (gsize i = 0; i < G_N_ELEMENTS (icon_paths); i++)
    {
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), "icons", icon_paths[i], NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (!remove_file (path, error))
            return NULL;
          g_ptr_array_add (files->icons, g_steal_pointer (&path));
        }
    }
  return g_steal_pointer (&files);
}

void
oc_url_handler_files_free (OcUrlHandlerFiles *files)
{
  if (files == NULL)
    return;
  g_free (files->desktop_file);
  g_free (files->service_file);
  g_free (files->mimeapps_file);
  g_ptr_array_unref (files->icons);
  g_free (files);
}
