/* The icons: they load with the SVG loader GTK uses, at the size of their
 * directory, and the symbolic one is a single colour that GTK can recolour.
 *
 * Usage: test-icons SCALABLE.svg SYMBOLIC.svg
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

static const char *scalable_path;
static const char *symbolic_path;

static GdkPixbuf *
load_at_natural_size (const char *path)
{
  g_autoptr (GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  return pixbuf;
}

/* Counts opaque pixels, and those far from @rgb (NULL: any colour is fine). */
static void
count_pixels (GdkPixbuf    *pixbuf,
              const guchar *rgb,
              int          *out_opaque,
              int          *out_off_colour)
{
  int width = gdk_pixbuf_get_width (pixbuf), height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);

  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
  *out_opaque = *out_off_colour = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;
        if (p[3] < 128)
          continue;
        (*out_opaque)++;
        /* Anti-aliased edges keep their colour in a non-premultiplied pixbuf,
         * give or take rounding. */
        if (rgb != NULL && (ABS (p[0] - rgb[0]) > 8 || ABS (p[1] - rgb[1]) > 8 || ABS (p[2] - rgb[2]) > 8))
          (*out_off_colour)++;
      }
}

static void
test_scalable (void)
{
  g_autoptr (GdkPixbuf) pixbuf = load_at_natural_size (scalable_path);
  g_autoptr (GdkPixbuf) large = NULL;
  g_autoptr (GError) error = NULL;
  int opaque, off;

  /* GNOME application icons are drawn on a 128×128 canvas. */
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 128);
  count_pixels (pixbuf, NULL, &opaque, &off);
  g_assert_cmpint (opaque, >, 128 * 128 / 2);
  g_assert_cmpint (opaque, <, 128 * 128);  /* not a full square: it has a shape */

  /* Scalable means scalable: the shell shows it at 256 px and more. */
  large = gdk_pixbuf_new_from_file_at_size (scalable_path, 512, 512, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (large), ==, 512);
}

static void
test_symbolic (void)
{
  static const guchar ink[3] = { 0x2e, 0x34, 0x36 };
  g_autoptr (GdkPixbuf) pixbuf = load_at_natural_size (symbolic_path);
  g_autoptr (GdkPixbuf) large = NULL;
  g_autoptr (GError) error = NULL;
  int opaque, off;

  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 16);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 16);

  large = gdk_pixbuf_new_from_file_at_size (symbolic_path, 128, 128, &error);
  g_assert_no_error (error);
  count_pixels (large, ink, &opaque, &off);
  g_assert_cmpint (opaque, >, 128 * 128 / 5);
  /* One colour only: GTK replaces it with the theme's foreground. */
  g_assert_cmpint (off, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc != 3)
    g_error ("usage: %s SCALABLE.svg SYMBOLIC.svg", argv[0]);
  scalable_path = argv[1];
  symbolic_path = argv[2];

  g_test_add_func ("/oc/data/icons/scalable", test_scalable);
  g_test_add_func ("/oc/data/icons/symbolic", test_symbolic);
  return g_test_run ();
}
