/* oc-password-file.c: a password kept in a file only its owner can read.
 *
 * For scripts and tests (--password-file, --directory-password-file): a
 * password never goes on the command line, where every user sees it in ps.
 * A file others can read is refused, as ssh refuses such a key.
 */
#include "config.h"
#include "oc-password-file.h"

#include <sys/stat.h>
#include <unistd.h>

/**
 * oc_password_file_read:
 * @file: the file
 * @out_password: (out) (transfer full): its first line, without the line end
 * @error: return location for a #GError
 *
 * Returns: %FALSE if @file is missing, unreadable, or readable by other users
 */
gboolean
oc_password_file_read (GFile   *file,
                       char   **out_password,
                       GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *contents = NULL;
  struct stat info;
  gsize len;

  if (path == NULL || stat (path, &info) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Cannot read the password file %s",
                   path ? path : "(not a local file)");
      return FALSE;
    }
  if (info.st_uid != getuid () || (info.st_mode & 077) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "The password file %s can be read by other users; make it private with "
                   "“chmod 600 %s”", path, path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  while (len > 0 && (contents[len - 1] == '\n' || contents[len - 1] == '\r'))
    contents[--len] = '\0';
  *out_password = g_steal_pointer (&contents);
  return TRUE;
}
