/* oc-thunderbird-profile.c: which Thunderbird profile is the user's.
 *
 * Thunderbird keeps its profiles in ~/.thunderbird whatever XDG says, and
 * distributions moved that directory around over the years (Debian's Icedove,
 * the snap, two flatpak ids), so several roots are searched, in the order a
 * user is likely to have them.
 *
 * Inside a root, the profile in use is not simply the one marked Default=1:
 * since Firefox 67's per-installation profiles a first start writes two
 * profiles, and the data lands in the one installs.ini names. The order below
 * is the one verified on Thunderbird 153 (see the project notes):
 * installs.ini's Default=, then profiles.ini's [Install…] Default=, then
 * Default=1, then the only or first profile.
 */
#include "config.h"
#include "oc-thunderbird-profile.h"

#include <string.h>

G_DEFINE_QUARK (oc-thunderbird-profile-error-quark, oc_thunderbird_profile_error)

/* Relative to the home directory. */
static const char *const roots[] = {
  ".thunderbird",
  ".icedove",
  ".mozilla-thunderbird",
  "snap/thunderbird/common/.thunderbird",
  ".var/app/org.mozilla.Thunderbird/.thunderbird",
  ".var/app/net.thunderbird.Thunderbird/.thunderbird",
  NULL
};

/* A Default= or Path= value is relative to the root unless absolute (IsRelative=0). */
static char *
existing_profile_dir (const char *root,
                      const char *path)
{
  g_autofree char *dir = NULL;

  if (path == NULL || *path == '\0')
    return NULL;
  dir = g_path_is_absolute (path) ? g_strdup (path) : g_build_filename (root, path, NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&dir);
}

static GKeyFile *
load_ini (const char *root,
          const char *name)
{
  g_autoptr (GKeyFile) ini = g_key_file_new ();
  g_autofree char *path = g_build_filename (root, name, NULL);

  if (!g_key_file_load_from_file (ini, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_steal_pointer (&ini);
}

/* The Default= of the first section (of those starting with @prefix) that names a profile on disk. */
static char *
find_install_default (const char *root,
                      GKeyFile   *ini,
                      const char *prefix)
{
  g_auto (GStrv) groups = ini ? g_key_file_get_groups (ini, NULL) : NULL;

  for (char **group = groups; group && *group; group++)
    {
      g_autofree char *path = NULL;
      char *dir;

      if (!g_str_has_prefix (*group, prefix))
        continue;
      path = g_key_file_get_string (ini, *group, "Default", NULL);
      if ((dir = existing_profile_dir (root, path)) != NULL)
        return dir;
    }
  return NULL;
}

static char *
profile_section_dir (const char *root,
                     GKeyFile   *ini,
                     const char *group)
{
  g_autofree char *path = g_key_file_get_string (ini, group, "Path", NULL);
  g_autofree char *relative = g_key_file_get_string (ini, group, "IsRelative", NULL);

  if (path == NULL)
    return NULL;
  /* IsRelative=0 comes with an absolute Path= (thunderbird -CreateProfile "name /dir"). */
  if (g_strcmp0 (relative, "0") == 0 && !g_path_is_absolute (path))
    return NULL;
  return existing_profile_dir (root, path);
}

/* Default=1, else the only or first profile on disk. */
static char *
find_marked_or_first (const char *root,
                      GKeyFile   *ini)
{
  g_auto (GStrv) groups = ini ? g_key_file_get_groups (ini, NULL) : NULL;
  g_autofree char *first = NULL;

  for (char **group = groups; group && *group; group++)
    {
      g_autofree char *dir = NULL;
      g_autofree char *is_default = NULL;

      if (!g_str_has_prefix (*group, "Profile"))
        continue;
      if ((dir = profile_section_dir (root, ini, *group)) == NULL)
        continue;
      is_default = g_key_file_get_string (ini, *group, "Default", NULL);
      if (g_strcmp0 (is_default, "1") == 0)
        return g_steal_pointer (&dir);
      if (first == NULL)
        first = g_steal_pointer (&dir);
    }
  return g_steal_pointer (&first);
}

static char *
find_default_in_root (const char *root)
{
  g_autoptr (GKeyFile) installs = load_ini (root, "installs.ini");
  g_autoptr (GKeyFile) profiles = load_ini (root, "profiles.ini");
  char *dir;

  /* installs.ini is keyed by a hash of Thunderbird's install path, which a
   * program outside Thunderbird cannot recompute; any install's default that
   * exists is the user's, and there is almost always exactly one. */
  if ((dir = find_install_default (root, installs, "")) != NULL)
    return dir;
  if ((dir = find_install_default (root, profiles, "Install")) != NULL)
    return dir;
  return find_marked_or_first (root, profiles);
}

static char *
find_named_in_root (const char *root,
                    const char *name,
                    GString    *names_seen)
{
  g_autoptr (GKeyFile) profiles = load_ini (root, "profiles.ini");
  g_auto (GStrv) groups = profiles ? g_key_file_get_groups (profiles, NULL) : NULL;

  for (char **group = groups; group && *group; group++)
    {
      g_autofree char *profile_name = NULL;

      if (!g_str_has_prefix (*group, "Profile"))
        continue;
      profile_name = g_key_file_get_string (profiles, *group, "Name", NULL);
      if (profile_name == NULL)
        continue;
      if (g_strcmp0 (profile_name, name) == 0)
        {
          char *dir = profile_section_dir (root, profiles, *group);
          if (dir != NULL)
            return dir;
        }
      g_string_append_printf (names_seen, "%s“%s”", names_seen->len ? ", " : "", profile_name);
    }
  return NULL;
}

static char *
describe_roots (void)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (const char *const *root = roots; *root; root++)
    g_string_append_printf (text, "%s~/%s", text->len ? ", " : "", *root);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * oc_thunderbird_profile_get_roots:
 *
 * Returns: (transfer none): the directories searched for profiles.ini,
 *   relative to the home directory, in the order they are searched
 */
const char *const *
oc_thunderbird_profile_get_roots (void)
{
  return roots;
}

/**
 * oc_thunderbird_profile_find:
 * @home: (nullable): the home directory, or %NULL for g_get_home_dir()
 * @wanted: (nullable): a profile's name (as in profiles.ini) or directory,
 *   or %NULL for the profile Thunderbird would start with
 * @error: return location for a #GError in %OC_THUNDERBIRD_PROFILE_ERROR
 *
 * Returns: (transfer full) (nullable): the profile directory, or %NULL with @error set
 */
char *
oc_thunderbird_profile_find (const char  *home,
                             const char  *wanted,
                             GError     **error)
{
  g_autoptr (GString) names_seen = g_string_new (NULL);
  g_autofree char *looked_in = describe_roots ();

  if (home == NULL)
    home = g_get_home_dir ();

  /* A path (anything with a slash, or a directory here) is used as given. */
  if (wanted != NULL && (strchr (wanted, '/') != NULL || g_file_test (wanted, G_FILE_TEST_IS_DIR)))
    {
      if (g_file_test (wanted, G_FILE_TEST_IS_DIR))
        return g_canonicalize_filename (wanted, NULL);
      g_set_error (error, OC_THUNDERBIRD_PROFILE_ERROR, OC_THUNDERBIRD_PROFILE_ERROR_NO_SUCH,
                   "The Thunderbird profile directory %s does not exist", wanted);
      return NULL;
    }

  for (const char *const *root = roots; *root; root++)
    {
      g_autofree char *root_dir = g_build_filename (home, *root, NULL);
      char *dir = wanted ? find_named_in_root (root_dir, wanted, names_seen) : find_default_in_root (root_dir);

      if (dir != NULL)
        return dir;
    }

  if (wanted != NULL)
    g_set_error (error, OC_THUNDERBIRD_PROFILE_ERROR, OC_THUNDERBIRD_PROFILE_ERROR_NO_SUCH,
                 "There is no Thunderbird profile named “%s”\nProfiles found: %s", wanted,
                 names_seen->len ? names_seen->str : "none");
  else
    g_set_error (error, OC_THUNDERBIRD_PROFILE_ERROR, OC_THUNDERBIRD_PROFILE_ERROR_NOT_FOUND,
                 "No Thunderbird profile found\nLooked in %s", looked_in);
  return NULL;
}
