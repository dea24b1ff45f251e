/* floor.c: the least a WebKitGTK program can do to show a page.
 *
 * The benchmark's floor: a window with one web view that loads a URL through
 * WebKit's own network stack (no owacal, no sign-in) and prints, on stderr,
 * the milliseconds since main() when the load finished, then exits.
 */
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

static gint64 started;

static void
load_changed_cb (WebKitWebView *view, WebKitLoadEvent event, gpointer user_data)
{
  if (event != WEBKIT_LOAD_FINISHED)
    return;
  g_printerr ("floor: load-finished %.1f ms\n", (g_get_monotonic_time () - started) / 1000.0);
  gtk_main_quit ();
}

int
main (int argc, char *argv[])
{
  GtkWidget *window;
  GtkWidget *view;

  started = g_get_monotonic_time ();
  gtk_init (&argc, &argv);
  if (argc != 2)
    {
      g_printerr ("usage: %s URL\n", argv[0]);
      return 2;
    }
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  view = webkit_web_view_new_with_context (webkit_web_context_new_ephemeral ());
  gtk_container_add (GTK_CONTAINER (window), view);
  g_signal_connect (view, "load-changed", G_CALLBACK (load_changed_cb), NULL);
  webkit_web_view_load_uri (WEBKIT_WEB_VIEW (view), argv[1]);
  gtk_widget_show_all (window);
  gtk_main ();
  return 0;
}
