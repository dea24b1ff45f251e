/* oc-file-copy.c: copy a file another program may be writing, cheaply.
 *
 * A clone (FICLONE) where the file system shares blocks (btrfs, XFS), an
 * in-kernel copy (copy_file_range) elsewhere, read and write as the last
 * resort. The source is only ever opened read-only.
 */
#define _GNU_SOURCE  /* copy_file_range() */
#include "config.h"
#include "oc-file-copy.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

static gboolean
copy_with_read_write (int      in,
                      int      out,
                      GError **error)
{
  g_autofree char *buffer = g_malloc (256 * 1024);

  for (;;)
    {
      ssize_t n = read (in, buffer, 256 * 1024);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n < 0)
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
          return n == 0;
        }
      for (ssize_t done = 0; done < n;)
        {
          ssize_t w = write (out, buffer + done, n - done);
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
              return FALSE;
            }
          done += w;
        }
    }
}

static gboolean
copy_contents (int      in,
               int      out,
               GError **error)
{
  /* Copy to the end as it is now, not to a size read earlier: a writer may append. */
  if (ioctl (out, FICLONE, in) == 0)
    return TRUE;
  for (;;)
    {
      ssize_t n = copy_file_range (in, NULL, out, NULL, 16 * 1024 * 1024, 0);
      if (n > 0)
        continue;
      if (n == 0)
        return TRUE;
      if (errno == EINTR)
        continue;
      if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP || errno == EPERM)
        break;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  /* copy_file_range() refuses some file systems (and had nothing copied yet). */
  if (lseek (in, 0, SEEK_SET) < 0 || lseek (out, 0, SEEK_SET) < 0 || ftruncate (out, 0) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  return copy_with_read_write (in, out, error);
}

/**
 * oc_file_copy:
 * @from: a file, which is only ever opened read-only
 * @to: where the copy goes; must not exist
 * @error: return location for a #GError (%G_IO_ERROR_NOT_FOUND if @from does not exist)
 *
 * Copies the contents as they are at the end of the copy (a file that grows
 * meanwhile is copied to its new end), and makes the copy readable by the
 * user only.
 *
 * Returns: whether the copy was made
 */
gboolean
oc_file_copy (const char  *from,
              const char  *to,
              GError     **error)
{
  int in, out;
  gboolean ok;

  in = open (from, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (in < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot open %s: %s", from,
                   g_strerror (saved_errno));
      return FALSE;
    }
  out = open (to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0)
    {
      int saved_errno = errno;
      close (in);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot create %s: %s", to,
                   g_strerror (saved_errno));
      return FALSE;
    }
  ok = copy_contents (in, out, error);
  if (!ok)
    g_prefix_error (error, "Copying %s: ", from);
  close (in);
  if (close (out) != 0 && ok)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Copying %s: %s", from, g_strerror (errno));
      ok = FALSE;
    }
  return ok;
}
