/* oc-shortcut.c: a launcher that opens a colleague's calendar, or several side by side.
 *
 * A shortcut is a desktop entry in the user's applications folder (so it is
 * in the desktop's app grid and search), optionally copied onto the desktop.
 * Its file name is made from the calendar, so creating the same shortcut again
 * rewrites the same file: it is idempotent, and a new name only renames it.
 * The calendar and the name are written as owacal-specific keys too, which is
 * what --list-shortcuts reads back. A shortcut for several calendars (a team,
 * side by side) starts owacal with all of them.
 */
#include "config.h"
#include "oc-shortcut.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "oc-desktop-entry.h"

#define FILE_PREFIX APPLICATION_ID ".Shortcut."
#define KEY_TARGET "X-Owacal-Target"
#define KEY_NAME "X-Owacal-Name"

G_DEFINE_QUARK (oc-shortcut-error-quark, oc_shortcut_error)

static char *
dup_applications_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "applications", NULL);
}

static const char *
get_desktop_dir (void)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DESKTOP);

  return dir != NULL ? dir : g_get_home_dir ();
}

/* "alice@example.com" → "io.github.owacal.Owacal.Shortcut.alice_example_com-1f0c3e2a.desktop":
 * readable, and unique through the hash (two addresses may share a slug). */
static char *
dup_file_name (const char *argument)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, argument, -1);
  g_autoptr (GString) slug = g_string_new (NULL);
  const char *start = strstr (argument, "://");

  for (const char *p = start ? start + 3 : argument; *p && slug->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '_')
        g_string_append_c (slug, '_');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '_')
    g_string_truncate (slug, slug->len - 1);
  return g_strdup_printf (FILE_PREFIX "%s%s%.8s.desktop", slug->str, slug->len ? "-" : "", hash);
}

static GKeyFile *
build_entry (const char        *executable,
             const char *const *arguments,
             const char        *name)
{
  GKeyFile *entry = g_key_file_new ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *exec = NULL;
  g_autofree char *title = g_strdup_printf ("Calendar — %s", name);
  g_autofree char *comment = g_strdup_printf ("Open the calendar of %s in owacal", name);
  const char *categories[] = { "Office", "Calendar", NULL };
  const char *keywords[] = { "Calendar", "owacal", NULL };
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_ptr_array_add (argv, (gpointer) executable);
  g_ptr_array_add (argv, "--");
  for (const char *const *argument = arguments; *argument; argument++)
    g_ptr_array_add (argv, (gpointer) *argument);
  g_ptr_array_add (argv, NULL);
  exec = oc_desktop_entry_build_exec ((const char *const *) argv->pdata);

  /* set_string escapes what the key-file layer needs (backslashes, newlines);
   * the Exec quoting is done above, by the Desktop Entry rules. */
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_NAME, title);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_COMMENT, comment);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_ICON, APPLICATION_ID);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_TRY_EXEC, executable);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_STARTUP_NOTIFY, TRUE);
  g_key_file_set_string_list (entry, group, G_KEY_FILE_DESKTOP_KEY_CATEGORIES, categories, 2);
  g_key_file_set_string_list (entry, group, "Keywords", keywords, 2);
  g_key_file_set_string_list (entry, group, KEY_TARGET, arguments, g_strv_length ((char **) arguments));
  g_key_file_set_string (entry, group, KEY_NAME, name);
  return entry;
}

/* The GNOME desktop-icons extension launches a desktop file only once it is
 * executable and marked trusted. The mark lives in GVfs metadata, which only
 * exists where GVfs runs: elsewhere there is nothing to mark, so a failure
 * here is not an error. */
static void
mark_trusted (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  g_file_set_attribute_string (file, "metadata::trusted", "true", G_FILE_QUERY_INFO_NONE, NULL, NULL);
}

/* @desktop_path: (nullable): the copy on the desktop, if there is one */
static OcShortcut *
shortcut_new (const char *const *targets,
              const char         *name,
              const char         *path,
              const char         *desktop_path)
{
  OcShortcut *shortcut = g_new0 (OcShortcut, 1);

  shortcut->targets = g_strdupv ((char **) targets);
  shortcut->name = g_strdup (name);
  shortcut->path = g_strdup (path);
  shortcut->desktop_path = g_strdup (desktop_path);
  return shortcut;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const OcShortcut *x = *(OcShortcut **) a, *y = *(OcShortcut **) b;
  g_autofree char *kx = g_utf8_collate_key (x->name, -1);
  g_autofree char *ky = g_utf8_collate_key (y->name, -1);

  return strcmp (kx, ky);
}

/**
 * oc_shortcut_default_name:
 * @target: a calendar
 *
 * The name a shortcut gets when the user gives none: the e-mail address, the
 * mailbox named in an OWA address, or else the server or file name.
 *
 * Returns: (transfer full): a name
 */
char *
oc_shortcut_default_name (const OcTarget *target)
{
  g_autoptr (GUri) uri = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  switch (target->kind)
    {
    case OC_TARGET_KIND_EMAIL:
      return g_strdup (target->value);
    case OC_TARGET_KIND_DEMO:
      return g_strdup ("Demo");
    case OC_TARGET_KIND_ICALENDAR_FILE:
      {
        g_autofree char *base = g_path_get_basename (target->value);
        if (g_str_has_suffix (base, ".ics"))
          base[strlen (base) - 4] = '\0';
        return g_steal_pointer (&base);
      }
    case OC_TARGET_KIND_WEB:
    case OC_TARGET_KIND_ICALENDAR:
    default:
      uri = g_uri_parse (target->value, G_URI_FLAGS_ENCODED, NULL);
      if (uri == NULL)
        return g_strdup (target->value);
      {
        /* OWA addresses name the mailbox: /owa/alice@example.com/… */
        g_auto (GStrv) segments = g_strsplit (g_uri_get_path (uri), "/", -1);
        for (char **s = segments; *s; s++)
          {
            g_autofree char *segment = g_uri_unescape_string (*s, NULL);
            if (segment != NULL && oc_is_email_address (segment))
              return g_ascii_strdown (segment, -1);
          }
      }
      return g_strdup (g_uri_get_host (uri));
    }
}

/* The command-line forms of @targets, and the key of their shortcut's file. */
static GStrv
dup_arguments (GPtrArray  *targets,
               char      **out_file_name)
{
  GStrv arguments = g_new0 (char *, targets->len + 1);
  g_autofree char *joined = NULL;

  for (guint i = 0; i < targets->len; i++)
    arguments[i] = oc_target_to_argument (g_ptr_array_index (targets, i));
  /* One calendar keeps the file name it always had. */
  joined = g_strjoinv ("\n", arguments);
  *out_file_name = dup_file_name (joined);
  return arguments;
}

static char *
dup_default_name (GPtrArray *targets)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (names, oc_shortcut_default_name (g_ptr_array_index (targets, i)));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

/**
 * oc_shortcut_create:
 * @executable: the owacal program the shortcut starts (an absolute path)
 * @targets: (element-type OcTarget): the calendar it opens, or several to show side by side
 * @name: (nullable): the colleague's name; %NULL or blank: oc_shortcut_default_name() of each
 * @on_desktop: also put a copy on the desktop
 * @out_change: (out) (optional): whether the shortcut was created, updated or already there
 * @error: return location for a #GError
 *
 * Creates or updates the shortcut for @targets. An existing copy on the
 * desktop is kept up to date even when @on_desktop is %FALSE.
 *
 * Returns: (transfer full) (nullable): the shortcut, or %NULL with @error set
 */
OcShortcut *
oc_shortcut_create (const char        *executable,
                    GPtrArray         *targets,
                    const char        *name,
                    gboolean           on_desktop,
                    OcShortcutChange  *out_change,
                    GError           **error)
{
  g_auto (GStrv) arguments = NULL;
  g_autofree char *label = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *apps_dir = dup_applications_dir ();
  g_autofree char *path = NULL;
  g_autofree char *desktop_path = NULL;
  g_autoptr (GKeyFile) entry = NULL;
  gboolean existed, changed = FALSE, desktop_changed = FALSE;

  g_return_val_if_fail (executable != NULL && g_path_is_absolute (executable), NULL);
  g_return_val_if_fail (targets != NULL && targets->len > 0, NULL);

  arguments = dup_arguments (targets, &file_name);
  label = name != NULL ? oc_desktop_entry_clean_label (name) : NULL;
  if (label == NULL || *label == '\0')
    {
      g_free (label);
      label = dup_default_name (targets);
    }
  path = g_build_filename (apps_dir, file_name, NULL);
  desktop_path = g_build_filename (get_desktop_dir (), file_name, NULL);
  entry = build_entry (executable, (const char *const *) arguments, label);

  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!oc_desktop_entry_save (entry, path, 0644, &changed, error))
    return NULL;
  if (on_desktop || g_file_test (desktop_path, G_FILE_TEST_EXISTS))
    {
      if (!oc_desktop_entry_save (entry, desktop_path, 0755, &desktop_changed, error))
        return NULL;
      mark_trusted (desktop_path);
    }
  if (out_change != NULL)
    *out_change = !existed ? OC_SHORTCUT_CREATED :
                  (changed || desktop_changed) ? OC_SHORTCUT_UPDATED : OC_SHORTCUT_UNCHANGED;
  return shortcut_new ((const char *const *) arguments, label, path,
                       g_file_test (desktop_path, G_FILE_TEST_EXISTS) ? desktop_path : NULL);
}

/**
 * oc_shortcut_list:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type OcShortcut): owacal's shortcuts, by name
 */
GPtrArray *
oc_shortcut_list (GError **error)
{
  g_autoptr (GPtrArray) shortcuts = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_shortcut_free);
  g_autofree char *apps_dir = dup_applications_dir ();
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *file_name;

  dir = g_dir_open (apps_dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&shortcuts);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Cannot read %s: ", apps_dir);
      return NULL;
    }
  while ((file_name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *desktop_path = NULL;
      g_auto (GStrv) targets = NULL;
      g_autofree char *name = NULL;
      g_autoptr (GKeyFile) entry = g_key_file_new ();

      if (!g_str_has_prefix (file_name, FILE_PREFIX) || !g_str_has_suffix (file_name, ".desktop"))
        continue;
      path = g_build_filename (apps_dir, file_name, NULL);
      /* A file someone broke by hand is not owacal's to report on. */
      if (!g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, NULL))
        continue;
      targets = g_key_file_get_string_list (entry, G_KEY_FILE_DESKTOP_GROUP, KEY_TARGET, NULL, NULL);
      name = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, KEY_NAME, NULL);
      if (targets == NULL || targets[0] == NULL || name == NULL)
        continue;
      desktop_path = g_build_filename (get_desktop_dir (), file_name, NULL);
      g_ptr_array_add (shortcuts, shortcut_new ((const char *const *) targets, name, path,
                                                g_file_test (desktop_path, G_FILE_TEST_EXISTS) ?
                                                desktop_path : NULL));
    }
  g_ptr_array_sort (shortcuts, compare_by_name);
  return g_steal_pointer (&shortcuts);
}

/**
 * oc_shortcut_remove:
 * @targets: (element-type OcTarget): the calendars whose shortcut to remove, as it was created
 * @error: return location for a #GError; %OC_SHORTCUT_ERROR_NOT_FOUND when there is none
 *
 * Removes the shortcut and its copy on the desktop.
 *
 * Returns: (transfer full) (nullable): what was removed, or %NULL with @error set
 */
OcShortcut *
oc_shortcut_remove (GPtrArray  *targets,
                    GError    **error)
{
  g_auto (GStrv) arguments = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *apps_dir = dup_applications_dir ();
  g_autofree char *path = NULL;
  g_autofree char *desktop_path = NULL;
  g_autofree char *name = NULL;
  g_autoptr (GKeyFile) entry = g_key_file_new ();
  gboolean on_desktop;

  g_return_val_if_fail (targets != NULL && targets->len > 0, NULL);

  arguments = dup_arguments (targets, &file_name);
  shown = g_strjoinv (" ", arguments);
  path = g_build_filename (apps_dir, file_name, NULL);
  desktop_path = g_build_filename (get_desktop_dir (), file_name, NULL);
  on_desktop = g_file_test (desktop_path, G_FILE_TEST_EXISTS);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !on_desktop)
    {
      g_set_error (error, OC_SHORTCUT_ERROR, OC_SHORTCUT_ERROR_NOT_FOUND,
                   "There is no shortcut for %s (--list-shortcuts shows the shortcuts there are)", shown);
      return NULL;
    }
  if (g_key_file_load_from_file (entry, on_desktop ? desktop_path : path, G_KEY_FILE_NONE, NULL))
    name = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, KEY_NAME, NULL);
  {
    const char *files[] = { path, on_desktop ? desktop_path : NULL };
    for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
      if (files[i] != NULL && g_unlink (files[i]) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "Cannot remove %s: %s",
                       files[i], g_strerror (saved_errno));
          return NULL;
        }
  }
  return shortcut_new ((const char *const *) arguments, name ? name : shown, path,
                       on_desktop ? desktop_path : NULL);
}

void
oc_shortcut_free (OcShortcut *shortcut)
{
  if (shortcut == NULL)
    return;
  g_strfreev (shortcut->targets);
  g_free (shortcut->name);
  g_free (shortcut->path);
  g_free (shortcut->desktop_path);
  g_free (shortcut);
}
