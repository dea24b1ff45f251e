/* oc-microsoft-sign-in-dialog.c: signing in to Microsoft 365 as in a browser.
 *
 * The window shows the identity platform's authorize page in a WebKitWebView
 * of its own: its own web context on an ephemeral WebsiteDataManager, so
 * Microsoft's pages get a clean browser (cookies for the sign-in only, kept
 * nowhere) with everything they use for multi-factor sign-in, Conditional
 * Access and passkeys, and never go through owacal's scheme handler (which
 * serves calendars, with the user's Windows sign-in).
 *
 * The sign-in ends in a navigation to the redirect URI. owacal catches it in
 * decide-policy and never loads it: the code in it is redeemed with the PKCE
 * verifier that never left owacal, the window closes, and the calendar that
 * asked goes on. Closing the window or Cancel ends the sign-in, as declined.
 *
 * The window says whose calendar needs the sign-in and why, in the title
 * too: it is what the task switcher shows.
 */
#include "config.h"
#include "oc-microsoft-sign-in-dialog.h"

#include <string.h>
#include <webkit2/webkit2.h>

#include "oc-graph-error.h"
#include "oc-oauth-pkce.h"

#define WINDOW_TITLE "Sign In — Microsoft 365"

typedef struct {
  GtkWidget *window;
  WebKitWebView *view;
  WebKitWebContext *context;
  OcOAuthToken *token;
  OcOAuthPkce *pkce;
  char *ca_file;
  gpointer task;               /* not owned: what the signal handlers get */
  gboolean finished;           /* the redirect came, or the user gave up */
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  if (sign_in->window != NULL)
    {
      /* The task is going: nothing may call back into it while the view goes. */
      g_signal_handlers_disconnect_matched (sign_in->view, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, sign_in->task);
      g_signal_handlers_disconnect_matched (sign_in->window, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, sign_in->task);
      gtk_widget_destroy (sign_in->window);
    }
  g_clear_object (&sign_in->context);
  g_clear_object (&sign_in->token);
  g_clear_pointer (&sign_in->pkce, oc_oauth_pkce_free);
  g_free (sign_in->ca_file);
  g_free (sign_in);
}

/* The window is destroyed from the main loop, never inside one of its own
 * web view's signals. */
static gboolean
drop_task_cb (gpointer task)
{
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Ends the task once: the window goes, the answer is given. */
static void
finish (GTask  *task,
        GError *error)
{
  SignIn *sign_in = g_task_get_task_data (task);

  if (sign_in->finished)
    {
      g_clear_error (&error);
      return;
    }
  sign_in->finished = TRUE;
  if (sign_in->window != NULL)
    gtk_widget_hide (sign_in->window);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_idle_add (drop_task_cb, task);   /* the window's reference */
}

/* Callbacks */

static void
redeemed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!oc_oauth_token_redeem_code_finish (OC_OAUTH_TOKEN (source), result, &error))
    finish (task, error);
  else
    finish (task, NULL);
}

/* The identity platform sent the browser to the redirect URI: take the
 * code (or its refusal) from the address and load nothing. */
static void
take_redirect (GTask      *task,
               const char *uri)
{
  SignIn *sign_in = g_task_get_task_data (task);
  const OcOAuthConfig *config = oc_oauth_token_get_config (sign_in->token);
  g_autofree char *code = NULL;
  GError *error = NULL;

  webkit_web_view_stop_loading (sign_in->view);
  code = oc_oauth_pkce_parse_redirect (sign_in->pkce, uri, config->client_id, &error);
  if (code == NULL)
    {
      finish (task, error);
      return;
    }
  g_debug ("Microsoft 365 sign-in window: redirected, redeeming the code");
  gtk_widget_hide (sign_in->window);
  oc_oauth_token_redeem_code_async (sign_in->token, sign_in->pkce, code, NULL, redeemed_cb, task);
  explicit_bzero (code, strlen (code));
}

static gboolean
decide_policy_cb (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  gpointer                  user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  WebKitNavigationAction *action;
  const char *uri;

  if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && type != WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    return FALSE;
  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
  if (uri == NULL || !oc_oauth_pkce_is_redirect (sign_in->pkce, uri))
    return FALSE;
  webkit_policy_decision_ignore (decision);
  if (!sign_in->finished)
    take_redirect (task, uri);
  return TRUE;
}

/* WebKit's own network stack knows only the system's certificate
 * authorities; the ones the user gave owacal (--ca-file, the ca-file
 * setting) count here too, exactly as for owacal's own client. */
static gboolean
load_failed_with_tls_errors_cb (WebKitWebView       *view,
                                const char          *failing_uri,
                                GTlsCertificate     *certificate,
                                GTlsCertificateFlags errors,
                                gpointer             user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  g_autoptr (GUri) uri = g_uri_parse (failing_uri, G_URI_FLAGS_NONE, NULL);
  GTlsCertificateFlags flags;
  GError *error = NULL;

  if (sign_in->ca_file == NULL || uri == NULL || g_uri_get_host (uri) == NULL ||
      (database = g_tls_file_database_new (sign_in->ca_file, NULL)) == NULL)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  flags = g_tls_database_verify_chain (database, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                       NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  if (flags != 0 || error != NULL)
    {
      g_debug ("Microsoft 365 sign-in window: the certificate of %s is not trusted (%x%s%s)", g_uri_get_host (uri),
               flags, error ? ": " : "", error ? error->message : "");
      g_clear_error (&error);
      return FALSE;
    }
  webkit_web_context_allow_tls_certificate_for_host (sign_in->context, certificate, g_uri_get_host (uri));
  webkit_web_view_load_uri (view, failing_uri);
  return TRUE;
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  const char *uri = webkit_web_view_get_uri (view);

  /* Belt and braces: a redirect that reached the view without a policy decision. */
  if (!sign_in->finished && uri != NULL && oc_oauth_pkce_is_redirect (sign_in->pkce, uri))
    take_redirect (task, uri);
}

/* What the user sees, for the debug log (tests follow the pages by it). */
static void
title_changed_cb (WebKitWebView *view,
                  GParamSpec    *pspec,
                  gpointer       user_data)
{
  const char *title = webkit_web_view_get_title (view);

  if (title != NULL && *title != '\0')
    g_debug ("Microsoft 365 sign-in window: page loaded: %s", title);
}

static gboolean
load_failed_cb (WebKitWebView   *view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                gpointer         user_data)
{
  g_debug ("Microsoft 365 sign-in window: load failed: %s", error->message);
  return FALSE;
}

static void
cancel_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  finish (user_data, g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_DECLINED,
                                  "You cancelled the sign-in to Microsoft 365. Reload the page to sign in."));
}

/* Escape cancels, as in every dialog; the page gets every other key. */
static gboolean
key_pressed_cb (GtkWidget   *window,
                GdkEventKey *event,
                gpointer     user_data)
{
  if (event->keyval != GDK_KEY_Escape)
    return FALSE;
  cancel_clicked_cb (NULL, user_data);
  return TRUE;
}

static void
window_destroyed_cb (GtkWidget *window,
                     gpointer   user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);

  sign_in->window = NULL;
  finish (task, g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_DECLINED,
                             "You closed the sign-in to Microsoft 365. Reload the page to sign in."));
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  finish (user_data, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The sign-in was cancelled."));
}

/* Construction */

static GtkWidget *
create_explanation (const char          *for_email,
                    const OcOAuthConfig *config)
{
  g_autofree char *who = g_markup_escape_text (for_email ? for_email : "a colleague", -1);
  g_autofree char *tenant = g_markup_escape_text (config->tenant, -1);
  g_autofree char *markup = g_strdup_printf ("To show <b>%s</b>’s calendar, owacal needs you to sign in to "
                                             "Microsoft 365 (<b>%s</b>) with your work account. This is "
                                             "Microsoft’s own page: your password goes to Microsoft only.",
                                             who, tenant);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  return label;
}

static void
build_window (GTask      *task,
              GtkWindow  *parent,
              const char *for_email)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr (WebKitWebsiteDataManager) manager = webkit_website_data_manager_new_ephemeral ();
  g_autofree char *title = g_strdup_printf ("%s — %s", WINDOW_TITLE, for_email ? for_email : "owacal");
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  sign_in->context = webkit_web_context_new_with_website_data_manager (manager);
  sign_in->view = WEBKIT_WEB_VIEW (g_object_new (WEBKIT_TYPE_WEB_VIEW, "web-context", sign_in->context, NULL));
  sign_in->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (sign_in->window), title);
  gtk_window_set_default_size (GTK_WINDOW (sign_in->window), 560, 680);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (sign_in->window), parent);
      gtk_window_set_modal (GTK_WINDOW (sign_in->window), TRUE);
    }
  /* GTK 3 gives X (the task switcher) the header bar's title: the same one. */
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), title);
  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (header), TRUE);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_window_set_titlebar (GTK_WINDOW (sign_in->window), header);
  gtk_box_pack_start (GTK_BOX (box), create_explanation (for_email, oc_oauth_token_get_config (sign_in->token)),
                      FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), GTK_WIDGET (sign_in->view), TRUE, TRUE, 0);
  gtk_container_add (GTK_CONTAINER (sign_in->window), box);

  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), task);
  g_signal_connect (sign_in->window, "key-press-event", G_CALLBACK (key_pressed_cb), task);
  g_signal_connect (sign_in->window, "destroy", G_CALLBACK (window_destroyed_cb), task);
  g_signal_connect (sign_in->view, "decide-policy", G_CALLBACK (decide_policy_cb), task);
  g_signal_connect (sign_in->view, "load-changed", G_CALLBACK (load_changed_cb), task);
  g_signal_connect (sign_in->view, "load-failed", G_CALLBACK (load_failed_cb), task);
  g_signal_connect (sign_in->view, "notify::title", G_CALLBACK (title_changed_cb), task);
  g_signal_connect (sign_in->view, "load-failed-with-tls-errors", G_CALLBACK (load_failed_with_tls_errors_cb), task);
  gtk_widget_show_all (sign_in->window);
}

/* Public API */

/**
 * oc_microsoft_sign_in_dialog_run_async:
 * @parent: (nullable): the window whose page needs the sign-in
 * @token: where the tokens go
 * @for_email: (nullable): whose calendar needs the sign-in
 * @ca_file: (nullable): certificate authorities to trust besides the system's
 * @cancellable: (nullable): closes the window
 * @callback: called when signed in, or not
 * @user_data: for @callback
 */
void
oc_microsoft_sign_in_dialog_run_async (GtkWindow           *parent,
                                       OcOAuthToken        *token,
                                       const char          *for_email,
                                       const char          *ca_file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in = g_new0 (SignIn, 1);

  g_task_set_source_tag (task, oc_microsoft_sign_in_dialog_run_async);
  sign_in->task = task;
  sign_in->token = g_object_ref (token);
  sign_in->ca_file = g_strdup (ca_file);
  /* The colleague's address is no login hint: it is not whoever signs in. */
  sign_in->pkce = oc_oauth_pkce_new (oc_oauth_token_get_config (token), NULL);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  build_window (task, parent, for_email);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL);
  g_debug ("Microsoft 365 sign-in window opened");
  webkit_web_view_load_uri (sign_in->view, sign_in->pkce->authorize_url);
  /* The task's first reference is the window's, dropped in finish (). */
}

gboolean
oc_microsoft_sign_in_dialog_run_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
