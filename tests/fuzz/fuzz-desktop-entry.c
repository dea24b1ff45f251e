/* fuzz-desktop-entry.c: a launcher for a colleague's calendar (oc-shortcut.c,
 * oc-desktop-entry.c), named and aimed by what a user or a directory gave.
 *
 * Input: the name, then calendars, one a line. The launcher is written into
 * a data directory of its own. Holds: the file is a valid key file and a
 * desktop entry GLib launches (GDesktopAppInfo); its Exec line, read by the
 * Desktop Entry rules, runs owacal with exactly "--" and the calendars; the
 * shortcut is listed again with the same calendars. */
#include "config.h"

#include <gio/gdesktopappinfo.h>

#include "fuzz-common.h"
#include "oc-shortcut.h"

/* GDesktopAppInfo checks TryExec: the launcher names a program that exists. */
#define EXECUTABLE "/bin/sh"

static char *data_home;

FUZZ_INIT (data_home = g_dir_make_tmp ("owacal-fuzz-XXXXXX", NULL);
           g_setenv ("XDG_DATA_HOME", data_home, TRUE);
           g_setenv ("HOME", data_home, TRUE))

/* The Desktop Entry rules: %% is %, then quoting as a shell reads double quotes. */
static GStrv
read_exec (const char *exec)
{
  g_autoptr (GString) unpercent = g_string_new (NULL);
  char **argv = NULL;

  for (const char *p = exec; *p; p++)
    {
      g_assert (*p != '%' || p[1] == '%');
      g_string_append_c (unpercent, *p);
      if (*p == '%')
        p++;
    }
  g_assert (g_shell_parse_argv (unpercent->str, NULL, &argv, NULL));
  return argv;
}

static void
check_file (const char        *path,
            const char *const *arguments)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDesktopAppInfo) info = NULL;
  g_autofree char *exec = NULL;
  g_auto (GStrv) argv = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_TRANSLATIONS, &error))
    fuzz_fail ("%s is no key file: %s", path, error->message);
  info = g_desktop_app_info_new_from_keyfile (file);
  if (info == NULL)
    fuzz_fail ("%s is no desktop entry GLib launches", path);
  g_assert (g_utf8_validate (g_app_info_get_name (G_APP_INFO (info)), -1, NULL));
  exec = g_key_file_get_string (file, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  if (exec == NULL)
    fuzz_fail ("%s has no Exec line GLib reads: %s", path, error->message);
  argv = read_exec (exec);
  g_assert_cmpuint (g_strv_length (argv), ==, 2 + g_strv_length ((char **) arguments));
  g_assert_cmpstr (argv[0], ==, EXECUTABLE);
  g_assert_cmpstr (argv[1], ==, "--");
  for (guint i = 0; arguments[i]; i++)
    g_assert_cmpstr (argv[2 + i], ==, arguments[i]);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto (GStrv) lines = fuzz_fields (data, size, 5);
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  g_autoptr (GPtrArray) arguments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (OcShortcut) shortcut = NULL;
  g_autoptr (OcShortcut) removed = NULL;
  OcShortcutChange change;

  for (guint i = 1; i < g_strv_length (lines); i++)
    {
      OcTarget *target = oc_target_parse (lines[i], NULL);
      if (target != NULL)
        {
          g_ptr_array_add (arguments, oc_target_to_argument (target));
          g_ptr_array_add (targets, target);
        }
    }
  if (targets->len == 0)
    return 0;
  g_ptr_array_add (arguments, NULL);
  shortcut = oc_shortcut_create (EXECUTABLE, targets, fuzz_field (lines, 0), FALSE, &change, NULL);
  if (shortcut == NULL)
    return 0;
  check_file (shortcut->path, (const char *const *) arguments->pdata);
  removed = oc_shortcut_remove (targets, NULL);
  g_assert (removed != NULL);
  return 0;
}
