/* oc-snapshot.c: owacal --snapshot: load a calendar unseen, save it as PNG.
 *
 * An administrator checks that a calendar URL works; tests read what the
 * page became. The page is "settled" when WebKit has finished loading it, no
 * load of it is waiting for owacal's client, and this lasted a moment (the
 * page's scripts may fetch more, or post a form and navigate again).
 */
#include "config.h"
#include "oc-snapshot.h"

#include "oc-scheme-bridge.h"
#include "oc-timing.h"
#include "oc-web-context.h"

#define SETTLE_MS 300

typedef struct {
  OcSchemeHandler *handler;
  GtkWidget *window;
  WebKitWebView *view;
  char *png_path;
  char *script;
  char *title;
  char *script_result;
  GError *load_error;
  guint settle_id;
  guint timeout_id;
  guint timeout_seconds;
  gulong activity_id;
  gboolean finishing;
  guint generation;            /* of the finishing steps; a new load makes the old ones stale */
  guint picture_attempts;
  guint retry_id;
  guint renderer_crashes;
  gboolean done;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_handle_id (&snapshot->settle_id, g_source_remove);
  g_clear_handle_id (&snapshot->timeout_id, g_source_remove);
  g_clear_signal_handler (&snapshot->activity_id, snapshot->handler);
  g_clear_object (&snapshot->handler);
  g_clear_pointer (&snapshot->window, gtk_widget_destroy);
  g_clear_error (&snapshot->load_error);
  g_free (snapshot->png_path);
  g_free (snapshot->script);
  g_free (snapshot->title);
  g_free (snapshot->script_result);
  g_free (snapshot);
}

static void check_settled (GTask *task);
static void take_picture (GTask *task);

/* One asynchronous step of finishing (a script, the picture): its callback
 * goes on only if no load started since. A page that navigates while a
 * script of ours waits in it never answers that script: without this the
 * snapshot waited for the answer until it timed out. */
typedef struct {
  GTask *task;
  guint generation;
} Step;

static Step *
step_new (GTask *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);
  Step *step = g_new (Step, 1);

  step->task = g_object_ref (task);
  step->generation = snapshot->generation;
  return step;
}

/* Returns: (transfer full) (nullable): the task, if @step is still current */
static GTask *
step_finish (Step *step)
{
  GTask *task = step->task;
  Snapshot *snapshot = g_task_get_task_data (task);
  gboolean current = !snapshot->done && step->generation == snapshot->generation;

  g_free (step);
  if (current)
    return task;
  g_object_unref (task);
  return NULL;
}

static gboolean
retry_picture_cb (gpointer user_data)
{
  Snapshot *snapshot = g_task_get_task_data (user_data);

  snapshot->retry_id = 0;
  take_picture (user_data);
  return G_SOURCE_REMOVE;
}

static void
complete (GTask  *task,
          GError *error)
{
  Snapshot *snapshot = g_task_get_task_data (task);

  g_clear_handle_id (&snapshot->settle_id, g_source_remove);
  g_clear_handle_id (&snapshot->timeout_id, g_source_remove);
  g_clear_handle_id (&snapshot->retry_id, g_source_remove);
  g_clear_signal_handler (&snapshot->activity_id, snapshot->handler);
  snapshot->done = TRUE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static GError *
dup_page_error (Snapshot *snapshot)
{
  const GError *page_error = oc_scheme_handler_get_page_error (snapshot->view);

  if (page_error != NULL)
    return g_error_copy (page_error);
  if (snapshot->load_error != NULL)
    return g_error_copy (snapshot->load_error);
  return NULL;
}

/* Callbacks */

static void
snapshot_taken_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = step_finish (user_data);
  Snapshot *snapshot;
  g_autoptr (GError) error = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;

  /* Owacal gave up on the page (timed out), or the page moved on, while WebKit worked. */
  if (task == NULL)
    {
      cairo_surface_t *stale = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), result, NULL);
      g_clear_pointer (&stale, cairo_surface_destroy);
      return;
    }
  snapshot = g_task_get_task_data (task);
  surface = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), result, &error);
  oc_timing_mark ("snapshot-picture", error ? error->message : NULL);
  /* On a busy machine the web process may not have a frame ready yet. */
  if (surface == NULL && ++snapshot->picture_attempts < 5)
    {
      snapshot->retry_id = g_timeout_add (200 * snapshot->picture_attempts, retry_picture_cb, task);
      return;
    }
  if (surface == NULL)
    {
      g_prefix_error (&error, "Taking the picture of the page: ");
      complete (task, g_steal_pointer (&error));
      return;
    }
  status = cairo_surface_write_to_png (surface, snapshot->png_path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      complete (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s: %s",
                                   snapshot->png_path, cairo_status_to_string (status)));
      return;
    }
  complete (task, dup_page_error (snapshot));
}

static void
take_picture (GTask *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);

  oc_timing_mark ("snapshot-picture-asked", NULL);
  webkit_web_view_get_snapshot (snapshot->view, WEBKIT_SNAPSHOT_REGION_VISIBLE,
                                WEBKIT_SNAPSHOT_OPTIONS_NONE, NULL, snapshot_taken_cb, step_new (task));
}

static char *
dup_js_result (WebKitWebView *view,
               GAsyncResult  *result,
               GError       **error)
{
  g_autoptr (JSCValue) value = webkit_web_view_call_async_javascript_function_finish (view, result, error);

  if (value == NULL)
    return NULL;
  if (jsc_value_is_undefined (value) || jsc_value_is_null (value))
    return g_strdup ("");
  return jsc_value_to_string (value);
}

static void
script_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = step_finish (user_data);
  Snapshot *snapshot;
  g_autoptr (GError) error = NULL;
  g_autofree char *stale = NULL;

  /* Owacal gave up on the page (timed out), or the page moved on, while WebKit worked. */
  if (task == NULL)
    {
      stale = dup_js_result (WEBKIT_WEB_VIEW (source), result, NULL);
      return;
    }
  snapshot = g_task_get_task_data (task);
  snapshot->script_result = dup_js_result (WEBKIT_WEB_VIEW (source), result, &error);
  oc_timing_mark ("snapshot-script", NULL);
  if (snapshot->script_result == NULL)
    snapshot->script_result = g_strdup_printf ("error: %s", error->message);
  take_picture (task);
}

static void
title_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = step_finish (user_data);
  Snapshot *snapshot;
  g_autofree char *body = NULL;

  /* Owacal gave up on the page (timed out), or the page moved on, while WebKit worked. */
  if (task == NULL)
    {
      body = dup_js_result (WEBKIT_WEB_VIEW (source), result, NULL);
      return;
    }
  snapshot = g_task_get_task_data (task);

  /* The title property can be stale when the load finishes: ask the page. */
  snapshot->title = dup_js_result (WEBKIT_WEB_VIEW (source), result, NULL);
  oc_timing_mark ("snapshot-title", NULL);
  if (snapshot->script == NULL)
    {
      take_picture (task);
      return;
    }
  body = g_strdup_printf ("const value = await (%s);\n"
                          "return typeof value === 'string' ? value : JSON.stringify(value);",
                          snapshot->script);
  webkit_web_view_call_async_javascript_function (snapshot->view, body, -1, NULL, NULL, NULL, NULL,
                                                  script_done_cb, step_new (task));
}

static void
idle_checked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = step_finish (user_data);
  Snapshot *snapshot;
  g_autofree char *ignored = dup_js_result (WEBKIT_WEB_VIEW (source), result, NULL);

  /* Owacal gave up on the page (timed out), or the page moved on, while WebKit worked. */
  if (task == NULL)
    return;
  snapshot = g_task_get_task_data (task);

  oc_timing_mark ("snapshot-checked", ignored);
  /* The page may have started something while we asked. */
  if (webkit_web_view_is_loading (snapshot->view) ||
      oc_scheme_handler_get_pending (snapshot->handler, snapshot->view) > 0)
    {
      snapshot->finishing = FALSE;
      check_settled (task);
      return;
    }
  webkit_web_view_call_async_javascript_function (snapshot->view, "return document.title;", -1, NULL,
                                                  NULL, NULL, NULL, title_read_cb, step_new (task));
}

static gboolean
settled_cb (gpointer user_data)
{
  GTask *task = user_data;
  Snapshot *snapshot = g_task_get_task_data (task);

  snapshot->settle_id = 0;
  snapshot->finishing = TRUE;
  snapshot->generation++;
  oc_timing_mark ("snapshot-quiet", NULL);
  /* Let the page run its timers and paint one more frame. A page WebKit
   * thinks hidden gets no animation frames at all, so a timer ends the wait
   * too: waiting for a frame alone hung until the snapshot timed out. */
  webkit_web_view_call_async_javascript_function (
    snapshot->view,
    "await new Promise(done => { requestAnimationFrame(() => setTimeout(done, 0)); setTimeout(done, 250); });\n"
    "return document.readyState;",
    -1, NULL, NULL, NULL, NULL, idle_checked_cb, step_new (task));
  return G_SOURCE_REMOVE;
}

static void
check_settled (GTask *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);
  gboolean busy = webkit_web_view_is_loading (snapshot->view) ||
                  oc_scheme_handler_get_pending (snapshot->handler, snapshot->view) > 0 ||
                  webkit_web_view_get_uri (snapshot->view) == NULL;

  if (snapshot->done)
    return;
  /* While finishing, requests are the script's own (--eval may fetch); only a
   * load of a new page (the page posted a form, or navigated) makes the steps
   * under way stale, and the new page gets its own quiet moment. */
  if (snapshot->finishing && !webkit_web_view_is_loading (snapshot->view))
    return;
  if (snapshot->finishing)
    {
      snapshot->finishing = FALSE;
      snapshot->generation++;
      g_clear_handle_id (&snapshot->retry_id, g_source_remove);
      oc_timing_mark ("snapshot-moved-on", webkit_web_view_get_uri (snapshot->view));
    }
  g_clear_handle_id (&snapshot->settle_id, g_source_remove);
  if (!busy)
    {
      /* The benchmarks take the last of these before the quiet period ends. */
      oc_timing_mark ("snapshot-idle", NULL);
      snapshot->settle_id = g_timeout_add (SETTLE_MS, settled_cb, task);
    }
}

static void
activity_changed_cb (OcSchemeHandler *handler,
                     WebKitWebView   *view,
                     guint            pending,
                     GTask           *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);

  if (view == snapshot->view)
    check_settled (task);
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 GTask           *task)
{
  if (event == WEBKIT_LOAD_FINISHED)
    oc_timing_mark ("snapshot-load-finished", webkit_web_view_get_uri (view));
  check_settled (task);
}

static gboolean
load_failed_cb (WebKitWebView   *view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                GTask           *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);

  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return FALSE;
  g_clear_error (&snapshot->load_error);
  snapshot->load_error = g_error_copy (error);
  g_prefix_error (&snapshot->load_error, "Loading %s: ", failing_uri);
  return FALSE;
}

/* WebKit's web process can die (a crash, its memory limit): without it the
 * page never settles. A second chance, then a clear failure, not a hang. */
static void
web_process_terminated_cb (WebKitWebView                     *view,
                           WebKitWebProcessTerminationReason  reason,
                           GTask                             *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);
  const char *what = reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT ? "used too much memory and was stopped"
                                                                         : "stopped unexpectedly";

  if (snapshot->done)
    return;
  if (++snapshot->renderer_crashes == 1)
    {
      g_message ("The page’s renderer %s; loading the page again", what);
      g_clear_handle_id (&snapshot->settle_id, g_source_remove);
      g_clear_error (&snapshot->load_error);
      webkit_web_view_reload (view);
      return;
    }
  complete (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "The page’s renderer %s, twice", what));
}

static gboolean
timed_out_cb (gpointer user_data)
{
  GTask *task = user_data;
  Snapshot *snapshot = g_task_get_task_data (task);

  snapshot->timeout_id = 0;
  complete (task, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "The page did not settle within %u seconds", snapshot->timeout_seconds));
  return G_SOURCE_REMOVE;
}

/* Public API */

/**
 * oc_snapshot_run_async:
 * @web_context: a context made by oc_web_context_new()
 * @handler: the context's scheme handler
 * @web_url: the http(s) page to load
 * @png_path: where to write the picture
 * @script: (nullable): a JavaScript expression to evaluate once the page has settled
 * @width: the width of the view, in pixels
 * @height: its height
 * @timeout_seconds: how long to wait for the page to settle
 * @callback: called when done
 * @user_data: data for @callback
 */
void
oc_snapshot_run_async (WebKitWebContext    *web_context,
                       OcSchemeHandler     *handler,
                       const char          *web_url,
                       const char          *png_path,
                       const char          *script,
                       int                  width,
                       int                  height,
                       guint                timeout_seconds,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  g_autofree char *routed = oc_scheme_bridge_to_routed_url (web_url);

  g_task_set_source_tag (task, oc_snapshot_run_async);
  g_task_set_task_data (task, snapshot, (GDestroyNotify) snapshot_free);
  snapshot->handler = g_object_ref (handler);
  snapshot->png_path = g_strdup (png_path);
  snapshot->script = g_strdup (script);
  snapshot->timeout_seconds = timeout_seconds;

  snapshot->window = gtk_offscreen_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (snapshot->window), width, height);
  snapshot->view = oc_web_context_create_view (web_context, NULL);
  gtk_widget_set_size_request (GTK_WIDGET (snapshot->view), width, height);
  gtk_container_add (GTK_CONTAINER (snapshot->window), GTK_WIDGET (snapshot->view));
  gtk_widget_show_all (snapshot->window);

  g_signal_connect (snapshot->view, "load-changed", G_CALLBACK (load_changed_cb), task);
  g_signal_connect (snapshot->view, "load-failed", G_CALLBACK (load_failed_cb), task);
  g_signal_connect (snapshot->view, "web-process-terminated", G_CALLBACK (web_process_terminated_cb), task);
  snapshot->activity_id = g_signal_connect (handler, "activity-changed", G_CALLBACK (activity_changed_cb), task);
  snapshot->timeout_id = g_timeout_add_seconds (timeout_seconds, timed_out_cb, task);
  /* An http(s) page goes through owacal's scheme; a calendar page is owacal's already. */
  webkit_web_view_load_uri (snapshot->view, routed ? routed : web_url);
}

/**
 * oc_snapshot_run_finish:
 * @result: the result
 * @out_title: (out) (optional) (transfer full): the page's title
 * @out_script_result: (out) (optional) (transfer full): what the script returned
 * @error: return location for a #GError
 *
 * The title and script result are set even when the page was an error page,
 * in which case @error says what went wrong.
 *
 * Returns: whether the page loaded and the picture was written
 */
gboolean
oc_snapshot_run_finish (GAsyncResult  *result,
                        char         **out_title,
                        char         **out_script_result,
                        GError       **error)
{
  Snapshot *snapshot = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_snapshot_run_async, FALSE);

  if (out_title != NULL)
    *out_title = g_strdup (snapshot->title);
  if (out_script_result != NULL)
    *out_script_result = g_strdup (snapshot->script_result);
  return g_task_propagate_boolean (G_TASK (result), error);
}
