/* provision-harness.c: see provision-harness.h. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "provision-harness.h"

const char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  /* Run through testbed.py, which starts the servers; never skip silently. */
  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through tests/testbed/testbed.py --with slapd", name);
  return value;
}

char *
harness_temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("owacal-provision-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

char *
harness_write_file (const char *dir,
                    const char *name,
                    const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("Expected to find “%s” in:\n%s", needle, haystack);
}

void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("Did not expect “%s” in:\n%s", needle, haystack);
}

/* The table line of @person (a comment line of the output). */
char *
table_line (const char *out,
            const char *person)
{
  g_autofree char *prefix = g_strconcat ("# ", person, "  ", NULL);
  const char *start = strstr (out, prefix);

  if (start == NULL)
    g_error ("No table line for %s in:\n%s", person, out);
  return g_strndup (start, strcspn (start, "\n"));
}

/* @person's table line has @value, then (after the padding) @action. */
void
assert_row (const char *out,
            const char *person,
            const char *value,
            const char *action)
{
  g_autofree char *line = table_line (out, person);
  const char *at = strstr (line, value);

  if (at == NULL)
    g_error ("No “%s” in the table line: %s", value, line);
  at += strlen (value);
  if (*at != ' ')
    g_error ("“%s” is not a whole cell in: %s", value, line);
  while (*at == ' ')
    at++;
  if (!g_str_has_prefix (at, action))
    g_error ("Expected “%s” after “%s” in: %s", action, value, line);
}

guint
count_of (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* The tool runs in a session of its own, without a controlling terminal, so a
 * password prompt fails instead of waiting for someone to type. */
static void
detach_from_terminal (gpointer user_data)
{
  setsid ();
}

static char *tool_cwd;

void
harness_set_tool_cwd (const char *dir)
{
  g_free (tool_cwd);
  tool_cwd = g_strdup (dir);
}

static void
spawn (Run                *run,
       const char         *stdin_text,
       const char * const *env,
       GPtrArray          *argv,
       gboolean            detach)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  run_clear (run);
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  if (detach && tool_cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, tool_cwd);
  if (detach)
    g_subprocess_launcher_set_child_setup (launcher, detach_from_terminal, NULL, NULL);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text ? stdin_text : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : 128;
  g_test_message ("%s exited with %d\n--- stdout (start) ---\n%.3000s\n--- stderr ---\n%.3000s",
                  (const char *) argv->pdata[0], run->status, run->out, run->err);
}

void
run_tool_argv (Run                *run,
               const char         *stdin_text,
               const char * const *env,
               GPtrArray          *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_build_filename (require_env ("OWACAL_BUILD_ROOT"), "app", "provision", "owacal-provision", NULL));
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_strdup (args->pdata[i]));
  spawn (run, stdin_text, env, argv, TRUE);
}

static GPtrArray *
collect_args (const char *first,
              va_list     ap)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  return args;
}

void
run_tool (Run                *run,
          const char         *stdin_text,
          const char * const *env,
          const char         *first,
          ...)
{
  g_autoptr (GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, first);
  args = collect_args (first, ap);
  va_end (ap);
  run_tool_argv (run, stdin_text, env, args);
}

void
run_command (Run        *run,
             const char *stdin_text,
             const char *first,
             ...)
{
  g_autoptr (GPtrArray) argv = NULL;
  va_list ap;

  va_start (ap, first);
  argv = collect_args (first, ap);
  va_end (ap);
  spawn (run, stdin_text, NULL, argv, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every entry with all its user attributes, read by ldapsearch as the
 * administrator, in pages (the directory may have a size limit). */
Directory *
directory_snapshot (void)
{
  g_auto (Run) run = { 0 };
  g_auto (GStrv) records = NULL;
  GHashTable *directory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  run_command (&run, NULL, "ldapsearch", "-x", "-LLL", "-o", "ldif_wrap=no", "-E", "pr=1000/noprompt",
               "-H", require_env ("OC_TEST_LDAP_URI"), "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"),
               "-w", require_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), "-b", require_env ("OC_TEST_LDAP_BASE"),
               "(objectClass=*)", "*", NULL);
  g_assert_cmpint (run.status, ==, 0);
  records = g_strsplit (run.out, "\n\n", -1);
  for (char **record = records; *record != NULL; record++)
    {
      g_auto (GStrv) lines = g_strsplit (*record, "\n", -1);
      g_autoptr (GPtrArray) attributes = g_ptr_array_new ();
      char *dn = NULL;

      for (char **line = lines; *line != NULL; line++)
        {
          if (**line == '\0' || **line == '#')
            continue;
          if (dn == NULL && g_str_has_prefix (*line, "dn: "))
            dn = g_ascii_strdown (*line + 4, -1);
          else
            g_ptr_array_add (attributes, *line);
        }
      if (dn == NULL)
        continue;
      g_ptr_array_sort (attributes, compare_strings);
      g_ptr_array_add (attributes, NULL);
      g_hash_table_insert (directory, dn, g_strjoinv ("\n", (char **) attributes->pdata));
    }
  g_assert_cmpuint (g_hash_table_size (directory), >, 0);
  return directory;
}

static GPtrArray *
all_dns (Directory *a,
         Directory *b)
{
  g_autoptr (GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *dns = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  for (int i = 0; i < 2; i++)
    {
      g_hash_table_iter_init (&iter, i == 0 ? a : b);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_hash_table_add (set, key))
          g_ptr_array_add (dns, key);
    }
  g_ptr_array_sort (dns, compare_strings);
  return dns;
}

/* Entry by entry: the first difference fails the test, naming the entry. */
void
assert_same_directory (Directory *before,
                       Directory *after)
{
  g_autoptr (GPtrArray) dns = all_dns (before, after);

  for (guint i = 0; i < dns->len; i++)
    {
      const char *was = g_hash_table_lookup (before, dns->pdata[i]);
      const char *is = g_hash_table_lookup (after, dns->pdata[i]);

      if (g_strcmp0 (was, is) != 0)
        g_error ("The entry %s is not as it was.\nBefore:\n%s\nNow:\n%s", (const char *) dns->pdata[i],
                 was ? was : "(missing)", is ? is : "(missing)");
    }
}

char *
directory_changed_dns (Directory *before,
                       Directory *after)
{
  g_autoptr (GPtrArray) dns = all_dns (before, after);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < dns->len; i++)
    if (g_strcmp0 (g_hash_table_lookup (before, dns->pdata[i]), g_hash_table_lookup (after, dns->pdata[i])) != 0)
      g_string_append_printf (out, "%s%s", out->len ? " " : "", (const char *) dns->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
directory_value (Directory  *directory,
                 const char *dn,
                 const char *attribute)
{
  g_autofree char *key = g_ascii_strdown (dn, -1);
  g_autofree char *prefix = g_strconcat (attribute, ": ", NULL);
  const char *entry = g_hash_table_lookup (directory, key);
  g_auto (GStrv) lines = NULL;

  g_assert_nonnull (entry);
  lines = g_strsplit (entry, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    if (g_ascii_strncasecmp (*line, prefix, strlen (prefix)) == 0)
      return g_strdup (*line + strlen (prefix));
  return NULL;
}

void
assert_value (Directory  *directory,
              const char *dn,
              const char *attribute,
              const char *expected)
{
  g_autofree char *value = directory_value (directory, dn, attribute);

  g_assert_cmpstr (value, ==, expected);
}

static GStrv
log_lines (void)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (require_env ("OC_TEST_LDAP_LOG"), &text, NULL, &error);
  g_assert_no_error (error);
  return g_strsplit (text, "\n", -1);
}

guint
log_n_lines (void)
{
  g_auto (GStrv) lines = log_lines ();

  return g_strv_length (lines);
}

guint
log_count (const char *needle)
{
  g_auto (GStrv) lines = log_lines ();
  guint n = 0;

  for (char **line = lines; *line != NULL; line++)
    if (strstr (*line, needle) != NULL)
      n++;
  return n;
}

/* The DNs of every modify operation slapd logged after the first @skip_lines
 * lines, lower case, sorted, separated by spaces. */
char *
log_modified_dns (guint skip_lines)
{
  g_auto (GStrv) lines = log_lines ();
  g_autoptr (GPtrArray) dns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = skip_lines > 0 ? skip_lines - 1 : 0; i < g_strv_length (lines); i++)
    {
      const char *at = strstr (lines[i], " MOD dn=\"");
      const char *end;

      if (at == NULL)
        continue;
      at += strlen (" MOD dn=\"");
      end = strchr (at, '"');
      g_ptr_array_add (dns, g_ascii_strdown (at, end - at));
    }
  g_ptr_array_sort (dns, compare_strings);
  for (guint i = 0; i < dns->len; i++)
    g_string_append_printf (out, "%s%s", out->len ? " " : "", (const char *) dns->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
