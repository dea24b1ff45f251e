/* oc-desktop-entry.c: writing desktop entries (launchers) safely.
 *
 * A launcher's Exec= line is parsed twice by whoever starts it: first as a
 * key-file string (backslash escapes), then by the Desktop Entry spec's
 * quoting rules after field codes (%u, %f…) are expanded. Names and calendar
 * addresses come from users and directories, so every argument is quoted here
 * by those rules and '%' is doubled: nothing a user types can become a second
 * argument, a field code or a shell construct.
 */
#include "config.h"
#include "oc-desktop-entry.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* The spec's reserved characters: an argument holding any must be quoted. */
#define RESERVED_CHARS " \t\n\"'\\><~|&;$*?#()`"

/**
 * oc_desktop_entry_quote_arg:
 * @arg: one argument
 *
 * Quotes @arg for an Exec= line by the Desktop Entry spec: in double quotes
 * when it holds a reserved character, with `"`, `` ` ``, `$` and `\` escaped
 * by a backslash; `%` becomes `%%` either way. The key-file layer's own
 * escaping (of the backslashes) is left to GKeyFile.
 *
 * Returns: (transfer full): the quoted argument
 */
char *
oc_desktop_entry_quote_arg (const char *arg)
{
  g_autoptr (GString) quoted = g_string_new (NULL);
  gboolean needs_quotes;

  g_return_val_if_fail (arg != NULL, NULL);

  needs_quotes = *arg == '\0' || strpbrk (arg, RESERVED_CHARS) != NULL;
  if (needs_quotes)
    g_string_append_c (quoted, '"');
  for (const char *p = arg; *p; p++)
    {
      if (*p == '%')
        g_string_append (quoted, "%%");
      else if (needs_quotes && strchr ("\"`$\\", *p) != NULL)
        g_string_append_printf (quoted, "\\%c", *p);
      else
        g_string_append_c (quoted, *p);
    }
  if (needs_quotes)
    g_string_append_c (quoted, '"');
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/**
 * oc_desktop_entry_build_exec:
 * @argv: (array zero-terminated=1): the program and its arguments
 *
 * Returns: (transfer full): an Exec= value that runs exactly @argv
 */
char *
oc_desktop_entry_build_exec (const char * const *argv)
{
  g_autoptr (GString) line = g_string_new (NULL);

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  for (gsize i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = oc_desktop_entry_quote_arg (argv[i]);
      if (i > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, quoted);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/**
 * oc_desktop_entry_clean_label:
 * @text: a name as the user gave it
 *
 * A name shown in a menu is one line: control characters (newlines, tabs)
 * become spaces, runs of spaces become one, and invalid UTF-8 is replaced.
 *
 * Returns: (transfer full): the cleaned name, possibly empty
 */
char *
oc_desktop_entry_clean_label (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr (GString) label = g_string_new (NULL);
  gboolean pending_space = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          pending_space = label->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (label, ' ');
      pending_space = FALSE;
      g_string_append_unichar (label, c);
    }
  return g_string_free (g_steal_pointer (&label), FALSE);
}

/**
 * oc_desktop_entry_save:
 * @entry: the entry
 * @path: where to write it; missing parent directories are created
 * @mode: the file's permissions (0755 for a launcher on the desktop)
 * @out_changed: (out) (optional): whether the file is new or its contents changed
 * @error: return location for a #GError
 *
 * Writes atomically, so a desktop that watches the directory never reads
 * half a file. An unchanged file is not rewritten.
 *
 * Returns: whether the file holds @entry now
 */
gboolean
oc_desktop_entry_save (GKeyFile    *entry,
                       const char  *path,
                       int          mode,
                       gboolean    *out_changed,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autofree char *old = NULL;
  gsize len, old_len;

  g_return_val_if_fail (entry != NULL && path != NULL, FALSE);

  data = g_key_file_to_data (entry, &len, NULL);
  if (out_changed != NULL)
    *out_changed = TRUE;
  if (g_file_get_contents (path, &old, &old_len, NULL) && old_len == len && memcmp (old, data, len) == 0)
    {
      if (out_changed != NULL)
        *out_changed = FALSE;
      if (g_chmod (path, mode) == 0)
        return TRUE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "Cannot create the folder %s: %s",
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, mode, error))
    {
      g_prefix_error (error, "Cannot write %s: ", path);
      return FALSE;
    }
  return TRUE;
}
