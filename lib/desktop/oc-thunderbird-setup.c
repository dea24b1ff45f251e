/* oc-thunderbird-setup.c: make Thunderbird's LDAP directories show the calendar address.
 *
 * Thunderbird maps directory attributes onto card fields with prefs such as
 *   user_pref("ldap_2.servers.CorpAD.attrmap.Custom1", "extensionAttribute1");
 * Custom1 defaults to "mozillaCustom1,custom1", which Active Directory does
 * not have, so the calendar address in extensionAttribute1 stays invisible
 * until the map says so. Custom1 is shown as plain text; the Website field
 * (WebPage1, the work web page) is shown as a link, for https: and owacal:
 * values alike, so a directory attribute holding "owacal:alice@example.com"
 * mapped there gives a clickable calendar link.
 *
 * The lines go into the profile's user.js, which Thunderbird reads at every
 * start and which overrides prefs.js; prefs.js is Thunderbird's own and is
 * rewritten by it on exit. For the same reason nothing is written while
 * Thunderbird runs: it would not see the change until its next start anyway,
 * and a user who sees no change tends to edit prefs.js by hand, which
 * Thunderbird then overwrites.
 */
#include "config.h"
#include "oc-thunderbird-setup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "oc-prefs.h"

#define SERVERS_BRANCH "ldap_2.servers."
/* Thunderbird's default for the work web page (mailnews.js). */
#define DEFAULT_WEBPAGE1 "mozillaWorkUrl,workurl,labeledURI"
#define RUNNING_MESSAGE "Thunderbird is running with this profile: quit Thunderbird, then run this again " \
                        "(it would not see the change before its next start)"
#define MARK_COMMENT "// Added by owacal --setup-thunderbird: calendar addresses from the directory."

G_DEFINE_QUARK (oc-thunderbird-setup-error-quark, oc_thunderbird_setup_error)

/* An attribute descriptor (RFC 4512): a name, or an OID. Nothing else can
 * reach user.js. */
static gboolean
is_attribute_name (const char *text)
{
  gboolean oid = g_ascii_isdigit (text[0]);

  if (text[0] == '\0' || !(g_ascii_isalpha (text[0]) || oid))
    return FALSE;
  for (const char *p = text; *p; p++)
    if (oid ? !(g_ascii_isdigit (*p) || *p == '.') : !(g_ascii_isalnum (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

static void
append_js_string (GString    *out,
                  const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
format_pref_line (const char *name,
                  const char *value)
{
  GString *line = g_string_new ("user_pref(");

  append_js_string (line, name);
  g_string_append (line, ", ");
  append_js_string (line, value);
  g_string_append (line, ");");
  return g_string_free (line, FALSE);
}

/* The pref a user.js line sets, if it starts with user_pref("name" (either
 * quote, with escapes, as Mozilla reads it). */
static char *
dup_pref_name (const char *line)
{
  g_autoptr (GString) name = g_string_new (NULL);
  const char *p = line;
  char quote;

  while (g_ascii_isspace (*p))
    p++;
  if (!g_str_has_prefix (p, "user_pref"))
    return NULL;
  p += strlen ("user_pref");
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '(')
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '"' && *p != '\'')
    return NULL;
  for (quote = *p++; *p && *p != quote; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (name, *p);
    }
  return *p == quote ? g_string_free (g_steal_pointer (&name), FALSE) : NULL;
}

/* The attributes a WebPage1 map lists now, with @attribute put first: the
 * first one present wins, so entries without it keep their usual web page. */
static char *
dup_website_map (OcPrefs    *prefs,
                 const char *id,
                 const char *attribute)
{
  g_autofree char *key = g_strconcat (SERVERS_BRANCH, id, ".attrmap.WebPage1", NULL);
  const char *current = oc_prefs_get_string (prefs, key);
  g_auto (GStrv) old = g_strsplit (current ? current : DEFAULT_WEBPAGE1, ",", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) list = NULL;

  g_strv_builder_add (builder, attribute);
  for (char **a = old; *a; a++)
    {
      g_strstrip (*a);
      if (**a != '\0' && g_ascii_strcasecmp (*a, attribute) != 0)
        g_strv_builder_add (builder, *a);
    }
  list = g_strv_builder_end (builder);
  return g_strjoinv (",", list);
}

static void
directory_free (OcThunderbirdDirectory *directory)
{
  g_free (directory->id);
  g_free (directory->description);
  g_free (directory);
}

static int
compare_directories (gconstpointer a,
                     gconstpointer b)
{
  return g_strcmp0 ((*(OcThunderbirdDirectory **) a)->id, (*(OcThunderbirdDirectory **) b)->id);
}

/* LDAP directories are the servers whose uri is ldap:// or ldaps://; the
 * built-in address books (pab, history) and local ones have none. */
static GPtrArray *
find_directories (OcPrefs *prefs)
{
  GPtrArray *directories = g_ptr_array_new_with_free_func ((GDestroyNotify) directory_free);
  g_auto (GStrv) ids = oc_prefs_dup_children (prefs, SERVERS_BRANCH);

  for (char **id = ids; id && *id; id++)
    {
      g_autofree char *uri_key = g_strconcat (SERVERS_BRANCH, *id, ".uri", NULL);
      g_autofree char *description_key = g_strconcat (SERVERS_BRANCH, *id, ".description", NULL);
      const char *uri = oc_prefs_get_string (prefs, uri_key);
      const char *description = oc_prefs_get_string (prefs, description_key);
      OcThunderbirdDirectory *directory;

      if (g_str_equal (*id, "default") || uri == NULL ||
          !(g_ascii_strncasecmp (uri, "ldap://", 7) == 0 || g_ascii_strncasecmp (uri, "ldaps://", 8) == 0))
        continue;
      directory = g_new0 (OcThunderbirdDirectory, 1);
      directory->id = g_strdup (*id);
      directory->description = g_strdup (description && *description ? description : *id);
      g_ptr_array_add (directories, directory);
    }
  g_ptr_array_sort (directories, compare_directories);
  return directories;
}

/* Public API */

/**
 * oc_thunderbird_setup_edit_user_js:
 * @contents: a user.js ("" when there is none)
 * @names: (array zero-terminated=1): the prefs to set
 * @values: (array zero-terminated=1): their string values
 *
 * Sets each pref in place where user.js already sets it (removing later
 * lines for the same pref, which would override it) and appends the others
 * under a comment that says who wrote them. Every other line is kept as it is.
 *
 * Returns: (transfer full): the new user.js
 */
char *
oc_thunderbird_setup_edit_user_js (const char         *contents,
                                   const char * const *names,
                                   const char * const *values)
{
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  guint n = g_strv_length ((char **) names);
  g_autofree gboolean *written = g_new0 (gboolean, n);
  GString *out = g_string_new (NULL);
  gboolean marked = strstr (contents, MARK_COMMENT) != NULL;

  for (char **line = lines; *line; line++)
    {
      g_autofree char *name = dup_pref_name (*line);
      int index = -1;

      for (guint i = 0; name != NULL && i < n; i++)
        if (g_str_equal (name, names[i]))
          index = i;
      if (line != lines)
        g_string_append_c (out, '\n');
      if (index < 0)
        g_string_append (out, *line);
      else if (!written[index])
        {
          g_autofree char *ours = format_pref_line (names[index], values[index]);
          g_string_append (out, ours);
          written[index] = TRUE;
        }
      else
        g_string_truncate (out, out->len - 1);  /* drop the duplicate and its line break */
    }
  for (guint i = 0; i < n; i++)
    if (!written[i])
      {
        g_autofree char *ours = format_pref_line (names[i], values[i]);
        if (out->len > 0 && out->str[out->len - 1] != '\n')
          g_string_append_c (out, '\n');
        if (!marked)
          g_string_append (out, MARK_COMMENT "\n");
        marked = TRUE;
        g_string_append_printf (out, "%s\n", ours);
      }
  return g_string_free (out, FALSE);
}

/**
 * oc_thunderbird_setup_check_not_running:
 * @profile_dir: a Thunderbird profile directory
 * @error: return location for a #GError; %OC_THUNDERBIRD_SETUP_ERROR_RUNNING when it is
 *
 * Thunderbird holds an fcntl() lock on the profile's .parentlock and keeps a
 * `lock` symlink to "address:+pid" while it runs. A lock left behind by a
 * crash (no lock held, the process gone) does not count.
 *
 * Returns: whether no Thunderbird has the profile open
 */
gboolean
oc_thunderbird_setup_check_not_running (const char  *profile_dir,
                                        GError     **error)
{
  g_autofree char *parentlock = g_build_filename (profile_dir, ".parentlock", NULL);
  g_autofree char *lock = g_build_filename (profile_dir, "lock", NULL);
  g_autofree char *target = g_file_read_link (lock, NULL);
  long pid = 0;
  int fd;

  fd = open (parentlock, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
      if (fcntl (fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK)
        pid = probe.l_pid > 0 ? probe.l_pid : -1;
      close (fd);
    }
  if (pid == 0 && target != NULL)
    {
      const char *plus = g_strrstr (target, ":+");
      char *end = NULL;
      pid = plus ? strtol (plus + 2, &end, 10) : -1;
      /* A lock whose owner can be seen to be gone is left over from a crash. */
      if (pid <= 0 || *end != '\0')
        pid = -1;
      else if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        pid = 0;
    }
  if (pid == 0)
    return TRUE;
  if (pid > 0)
    g_set_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_RUNNING,
                 RUNNING_MESSAGE "\nProfile %s is locked by process %ld", profile_dir, pid);
  else
    g_set_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_RUNNING,
                 RUNNING_MESSAGE "\nProfile %s is locked (%s)", profile_dir, target ? target : ".parentlock");
  return FALSE;
}

/**
 * oc_thunderbird_setup_plan:
 * @profile_dir: a Thunderbird profile directory
 * @attribute: the directory attribute holding the calendar address, for Custom1
 * @website_attribute: (nullable): an attribute holding an owacal: link, to show
 *   as the contact's (clickable) work web page
 * @error: return location for a #GError
 *
 * Works out what user.js should say; changes nothing.
 *
 * Returns: (transfer full) (nullable): the plan, or %NULL with @error set
 */
OcThunderbirdSetup *
oc_thunderbird_setup_plan (const char  *profile_dir,
                           const char  *attribute,
                           const char  *website_attribute,
                           GError     **error)
{
  g_autoptr (OcThunderbirdSetup) setup = NULL;
  g_autoptr (OcPrefs) prefs = NULL;
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) values = g_strv_builder_new ();
  g_auto (GStrv) name_list = NULL, value_list = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (profile_dir != NULL && attribute != NULL, NULL);

  {
    const char *attributes[] = { attribute, website_attribute };
    for (gsize i = 0; i < G_N_ELEMENTS (attributes); i++)
      if (attributes[i] != NULL && !is_attribute_name (attributes[i]))
        {
          g_set_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_INVALID,
                       "“%s” is not an LDAP attribute name (letters, digits and hyphens, such as "
                       "extensionAttribute1)", attributes[i]);
          return NULL;
        }
  }
  prefs = oc_prefs_load_profile (profile_dir, error);
  if (prefs == NULL)
    return NULL;

  setup = g_new0 (OcThunderbirdSetup, 1);
  setup->profile_dir = g_strdup (profile_dir);
  setup->user_js = g_build_filename (profile_dir, "user.js", NULL);
  setup->directories = find_directories (prefs);
  setup->lines = g_ptr_array_new_with_free_func (g_free);
  if (setup->directories->len == 0)
    {
      g_set_error (error, OC_THUNDERBIRD_SETUP_ERROR, OC_THUNDERBIRD_SETUP_ERROR_NO_DIRECTORY,
                   "This Thunderbird profile has no LDAP directory. Add your company’s directory in "
                   "Thunderbird’s address book (New Address Book → Add LDAP Address Book), quit "
                   "Thunderbird and run this again.\nProfile %s", profile_dir);
      return NULL;
    }
  for (guint i = 0; i < setup->directories->len; i++)
    {
      OcThunderbirdDirectory *directory = setup->directories->pdata[i];
      g_autofree char *custom1 = g_strconcat (SERVERS_BRANCH, directory->id, ".attrmap.Custom1", NULL);
      g_autofree char *webpage1 = g_strconcat (SERVERS_BRANCH, directory->id, ".attrmap.WebPage1", NULL);
      g_autofree char *website_map = NULL;

      g_strv_builder_add (names, custom1);
      g_strv_builder_add (values, attribute);
      if (website_attribute != NULL)
        {
          website_map = dup_website_map (prefs, directory->id, website_attribute);
          g_strv_builder_add (names, webpage1);
          g_strv_builder_add (values, website_map);
        }
    }
  name_list = g_strv_builder_end (names);
  value_list = g_strv_builder_end (values);
  for (guint i = 0; name_list[i] != NULL; i++)
    g_ptr_array_add (setup->lines, format_pref_line (name_list[i], value_list[i]));

  if (!g_file_get_contents (setup->user_js, &setup->old_contents, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Cannot read %s: ", setup->user_js);
          return NULL;
        }
      setup->old_contents = g_strdup ("");
    }
  setup->new_contents = oc_thunderbird_setup_edit_user_js (setup->old_contents, (const char * const *) name_list,
                                                           (const char * const *) value_list);
  return g_steal_pointer (&setup);
}

/**
 * oc_thunderbird_setup_is_needed:
 * @setup: a plan
 *
 * Returns: whether user.js lacks any of the lines
 */
gboolean
oc_thunderbird_setup_is_needed (const OcThunderbirdSetup *setup)
{
  return !g_str_equal (setup->old_contents, setup->new_contents);
}

/**
 * oc_thunderbird_setup_apply:
 * @setup: a plan from oc_thunderbird_setup_plan()
 * @error: return location for a #GError
 *
 * Writes user.js, unless Thunderbird runs (%OC_THUNDERBIRD_SETUP_ERROR_RUNNING)
 * or it already says so (then nothing is written).
 *
 * Returns: whether user.js holds the lines now
 */
gboolean
oc_thunderbird_setup_apply (const OcThunderbirdSetup  *setup,
                            GError                   **error)
{
  g_return_val_if_fail (setup != NULL, FALSE);

  if (!oc_thunderbird_setup_check_not_running (setup->profile_dir, error))
    return FALSE;
  if (!oc_thunderbird_setup_is_needed (setup))
    return TRUE;
  if (!g_file_set_contents_full (setup->user_js, setup->new_contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 error))
    {
      g_prefix_error (error, "Cannot write %s: ", setup->user_js);
      return FALSE;
    }
  return TRUE;
}

void
oc_thunderbird_setup_free (OcThunderbirdSetup *setup)
{
  if (setup == NULL)
    return;
  g_free (setup->profile_dir);
  g_free (setup->user_js);
  g_clear_pointer (&setup->directories, g_ptr_array_unref);
  g_clear_pointer (&setup->lines, g_ptr_array_unref);
  g_free (setup->old_contents);
  g_free (setup->new_contents);
  g_free (setup);
}
