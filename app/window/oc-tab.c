/* oc-tab.c: one calendar in the window: its web view, progress and find bar.
 *
 * The tab decides where navigations go. Pages of the calendar's site, and
 * anything the page loads by itself, go through owacal (the web extension
 * routes them into owacal's scheme). A link the user clicks to another site
 * opens in the user's browser: owacal is a calendar viewer, not a browser,
 * and must not carry the user's sign-in to other sites.
 */
#include "config.h"
#include "oc-tab.h"

#include "oc-calendar-handler.h"
#include "oc-certificate-bar.h"
#include "oc-error-page.h"
#include "oc-scheme-bridge.h"
#include "oc-scheme-handler.h"
#include "oc-timing.h"

struct _OcTab {
  GtkBox parent_instance;

  WebKitWebView *web_view;
  GtkWidget *progress_bar;
  GtkWidget *status;           /* what a slow load is waiting for, until it ends */
  GtkWidget *search_bar;
  GtkWidget *search_entry;
  GtkWidget *certificate_bar;
  guint progress_hide_id;

  /* While an error page of oc_tab_show_error_with_retry() is shown. */
  OcTabRetryFunc retry;
  gpointer retry_data;
  GDestroyNotify retry_destroy;
};

G_DEFINE_FINAL_TYPE (OcTab, oc_tab, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const double zoom_levels[] = {
  0.30, 0.50, 0.67, 0.80, 0.90, 1.00, 1.10, 1.20, 1.33, 1.50, 1.70, 2.00, 2.40, 3.00,
};

static char *
dup_host (const char *url)
{
  g_autoptr (GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL) : NULL;

  return uri && g_uri_get_host (uri) ? g_ascii_strdown (g_uri_get_host (uri), -1) : NULL;
}

static void
open_externally (OcTab      *self,
                 const char *uri)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_on_window (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, uri,
                               GDK_CURRENT_TIME, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
show_error_page (OcTab        *self,
                 const GError *error,
                 const char   *failing_uri)
{
  g_autofree char *web_url = failing_uri ? oc_scheme_bridge_to_web_url (failing_uri) : NULL;
  g_autofree char *page = oc_error_page_render (error, web_url ? web_url : failing_uri);

  webkit_web_view_load_alternate_html (self->web_view, page, failing_uri, NULL);
}

static void
forget_retry (OcTab *self)
{
  if (self->retry_destroy != NULL)
    self->retry_destroy (self->retry_data);
  self->retry = NULL;
  self->retry_data = NULL;
  self->retry_destroy = NULL;
}

static gboolean
retry_cb (gpointer user_data)
{
  OcTab *self = user_data;
  OcTabRetryFunc retry = self->retry;
  gpointer retry_data = self->retry_data;
  GDestroyNotify retry_destroy = self->retry_destroy;

  if (retry == NULL)
    return G_SOURCE_REMOVE;
  self->retry = NULL;
  self->retry_data = NULL;
  self->retry_destroy = NULL;
  retry (self, retry_data);
  if (retry_destroy != NULL)
    retry_destroy (retry_data);
  return G_SOURCE_REMOVE;
}

static gboolean
close_tab_cb (gpointer user_data)
{
  gtk_widget_destroy (GTK_WIDGET (user_data));
  return G_SOURCE_REMOVE;
}

/* Reload and “Try Again” are the user asking: a site that was given up on
 * after refused passwords may ask for one again. */
static void
allow_sign_in_again (OcTab *self)
{
  g_autofree char *page_url = oc_tab_dup_web_url (self);
  g_autofree char *host = page_url ? dup_host (page_url) : NULL;

  if (host != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "retry-sign-in",
                                    g_variant_new_string (host));
}

/* Callbacks */

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  OcTab                    *self)
{
  WebKitNavigationAction *action;
  const char *uri;
  g_autofree char *target_host = NULL;
  g_autofree char *page_host = NULL;
  g_autofree char *page_url = NULL;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
      webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_RELOAD)
    {
      /* An error page of a failed lookup (shown as about:blank) has nothing
       * to reload: look up again. */
      if (self->retry != NULL && g_strcmp0 (webkit_web_view_get_uri (web_view), "about:blank") == 0)
        {
          webkit_policy_decision_ignore (decision);
          /* The retry loads a page: not from inside WebKit's signal. */
          g_idle_add_full (G_PRIORITY_DEFAULT, retry_cb, g_object_ref (self), g_object_unref);
          return TRUE;
        }
      allow_sign_in_again (self);
    }

  if (g_ascii_strncasecmp (uri, "owacal:", 7) == 0)
    {
      /* A colleague's calendar linked from a page: a new tab, in this owacal. */
      g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "open-target",
                                      g_variant_new_string (uri));
      webkit_policy_decision_ignore (decision);
      /* The welcome page's form has done its job; not from inside WebKit's signal. */
      if (g_object_get_data (G_OBJECT (self), OC_TAB_WELCOME_KEY) != NULL)
        g_idle_add_full (G_PRIORITY_DEFAULT, close_tab_cb, g_object_ref (self), g_object_unref);
      return TRUE;
    }
  /* Calendars owacal draws itself: their own pages (view, range) and nothing else's. */
  if (oc_calendar_handler_is_calendar_url (uri))
    return FALSE;
  if (oc_scheme_bridge_is_routed_url (uri) || g_str_has_prefix (uri, "about:") ||
      g_str_has_prefix (uri, "data:") || g_str_has_prefix (uri, "blob:"))
    return FALSE;

  if (g_str_has_prefix (uri, "http:") || g_str_has_prefix (uri, "https:"))
    {
      page_url = oc_tab_dup_web_url (self);
      target_host = dup_host (uri);
      page_host = dup_host (page_url);
      /* The page's own site, or something the page does by itself: route it. */
      if (g_strcmp0 (target_host, page_host) == 0 || !webkit_navigation_action_is_user_gesture (action))
        return FALSE;
    }
  else if (!webkit_navigation_action_is_user_gesture (action))
    {
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }

  /* Another site, a mailto: or an owacal: link the user clicked. */
  open_externally (self, uri);
  webkit_policy_decision_ignore (decision);
  return TRUE;
}

static gboolean
load_failed_cb (WebKitWebView   *web_view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                OcTab           *self)
{
  /* A redirect or a new load replaced this one: not a failure. */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return FALSE;
  show_error_page (self, error, failing_uri);
  return TRUE;
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 OcTab           *self)
{
  /* The page is an untrusted server's error page: offer to trust it, here. */
  if (event == WEBKIT_LOAD_STARTED || event == WEBKIT_LOAD_FINISHED)
    oc_certificate_bar_show (OC_CERTIFICATE_BAR (self->certificate_bar),
                             event == WEBKIT_LOAD_FINISHED ? oc_scheme_handler_get_page_certificate (web_view)
                                                           : NULL);
  if (event == WEBKIT_LOAD_FINISHED)
    oc_timing_mark ("tab-load-finished", webkit_web_view_get_uri (web_view));
}

static void
certificate_trusted_cb (OcCertificateBar *bar,
                        OcTab            *self)
{
  webkit_web_view_reload (self->web_view);
}

static void
web_process_terminated_cb (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           OcTab                             *self)
{
  g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                  reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT
                                                    ? "The page used too much memory and was stopped."
                                                    : "The page stopped unexpectedly.");
  show_error_page (self, error, webkit_web_view_get_uri (web_view));
}

static gboolean
authenticate_cb (WebKitWebView               *web_view,
                 WebKitAuthenticationRequest *request,
                 OcTab                       *self)
{
  /* Only owacal's client signs in; WebKit's own stack never gets credentials. */
  webkit_authentication_request_cancel (request);
  return TRUE;
}

static gboolean
hide_progress_cb (gpointer user_data)
{
  OcTab *self = user_data;

  self->progress_hide_id = 0;
  gtk_widget_hide (self->progress_bar);
  return G_SOURCE_REMOVE;
}

static void
progress_changed_cb (WebKitWebView *web_view,
                     GParamSpec    *pspec,
                     OcTab         *self)
{
  double progress = webkit_web_view_get_estimated_load_progress (web_view);
  gboolean loading = webkit_web_view_is_loading (web_view);

  g_clear_handle_id (&self->progress_hide_id, g_source_remove);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), loading ? progress : 1.0);
  if (loading)
    gtk_widget_show (self->progress_bar);
  else
    {
      self->progress_hide_id = g_timeout_add (250, hide_progress_cb, self);
      gtk_widget_hide (self->status);
    }
}

static void
title_changed_cb (WebKitWebView *web_view,
                  GParamSpec    *pspec,
                  OcTab         *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   OcTab          *self)
{
  WebKitFindController *finder = webkit_web_view_get_find_controller (self->web_view);
  const char *text = gtk_entry_get_text (GTK_ENTRY (entry));

  if (*text == '\0')
    {
      webkit_find_controller_search_finish (finder);
      gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (entry)), "error");
      return;
    }
  webkit_find_controller_search (finder, text,
                                 WEBKIT_FIND_OPTIONS_CASE_INSENSITIVE | WEBKIT_FIND_OPTIONS_WRAP_AROUND,
                                 G_MAXUINT);
}

static void
found_text_cb (WebKitFindController *finder,
               guint                 count,
               OcTab                *self)
{
  gtk_style_context_remove_class (gtk_widget_get_style_context (self->search_entry), "error");
}

static void
failed_to_find_text_cb (WebKitFindController *finder,
                        OcTab                *self)
{
  gtk_style_context_add_class (gtk_widget_get_style_context (self->search_entry), "error");
}

static void
search_next_cb (GtkWidget *widget,
                OcTab     *self)
{
  oc_tab_find_next (self, FALSE);
}

static void
search_previous_cb (GtkWidget *widget,
                    OcTab     *self)
{
  oc_tab_find_next (self, TRUE);
}

static void
search_mode_changed_cb (GtkSearchBar *bar,
                        GParamSpec   *pspec,
                        OcTab        *self)
{
  if (!gtk_search_bar_get_search_mode (bar))
    {
      webkit_find_controller_search_finish (webkit_web_view_get_find_controller (self->web_view));
      gtk_widget_grab_focus (GTK_WIDGET (self->web_view));
    }
}

/* Construction */

static GtkWidget *
create_icon_button (const char *icon_name,
                    const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name, GTK_ICON_SIZE_BUTTON);

  gtk_widget_set_tooltip_text (button, label);
  atk_object_set_name (gtk_widget_get_accessible (button), label);
  return button;
}

static GtkWidget *
create_search_bar (OcTab *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *previous = create_icon_button ("go-up-symbolic", "Find previous");
  GtkWidget *next = create_icon_button ("go-down-symbolic", "Find next");
  WebKitFindController *finder = webkit_web_view_get_find_controller (self->web_view);

  self->search_bar = gtk_search_bar_new ();
  self->search_entry = gtk_search_entry_new ();
  gtk_entry_set_width_chars (GTK_ENTRY (self->search_entry), 32);
  atk_object_set_name (gtk_widget_get_accessible (self->search_entry), "Find in page");
  gtk_style_context_add_class (gtk_widget_get_style_context (box), "linked");
  gtk_container_add (GTK_CONTAINER (box), self->search_entry);
  gtk_container_add (GTK_CONTAINER (box), previous);
  gtk_container_add (GTK_CONTAINER (box), next);
  gtk_container_add (GTK_CONTAINER (self->search_bar), box);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_ENTRY (self->search_entry));
  gtk_search_bar_set_show_close_button (GTK_SEARCH_BAR (self->search_bar), TRUE);

  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search_entry, "next-match", G_CALLBACK (search_next_cb), self);
  g_signal_connect (self->search_entry, "previous-match", G_CALLBACK (search_previous_cb), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (search_next_cb), self);
  g_signal_connect (next, "clicked", G_CALLBACK (search_next_cb), self);
  g_signal_connect (previous, "clicked", G_CALLBACK (search_previous_cb), self);
  g_signal_connect (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (search_mode_changed_cb), self);
  g_signal_connect (finder, "found-text", G_CALLBACK (found_text_cb), self);
  g_signal_connect (finder, "failed-to-find-text", G_CALLBACK (failed_to_find_text_cb), self);
  return self->search_bar;
}

static void
oc_tab_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  OcTab *self = OC_TAB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_take_string (value, oc_tab_dup_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oc_tab_dispose (GObject *object)
{
  OcTab *self = OC_TAB (object);

  g_clear_handle_id (&self->progress_hide_id, g_source_remove);
  forget_retry (self);
  G_OBJECT_CLASS (oc_tab_parent_class)->dispose (object);
}

static void
oc_tab_class_init (OcTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = oc_tab_get_property;
  object_class->dispose = oc_tab_dispose;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oc_tab_init (OcTab *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

/* Public API */

/**
 * oc_tab_new:
 * @web_view: the tab's web view, made by oc_web_context_create_view()
 *
 * Returns: (transfer floating): a new tab
 */
GtkWidget *
oc_tab_new (WebKitWebView *web_view)
{
  OcTab *self = g_object_new (OC_TYPE_TAB, NULL);
  GtkWidget *overlay = gtk_overlay_new ();

  self->web_view = web_view;
  gtk_widget_set_vexpand (GTK_WIDGET (web_view), TRUE);
  gtk_container_add (GTK_CONTAINER (self), create_search_bar (self));
  self->certificate_bar = oc_certificate_bar_new ();
  g_signal_connect (self->certificate_bar, "trusted", G_CALLBACK (certificate_trusted_cb), self);
  gtk_container_add (GTK_CONTAINER (self), self->certificate_bar);
  gtk_container_add (GTK_CONTAINER (overlay), GTK_WIDGET (web_view));

  self->progress_bar = gtk_progress_bar_new ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->progress_bar), "osd");
  gtk_widget_set_valign (self->progress_bar, GTK_ALIGN_START);
  gtk_widget_set_no_show_all (self->progress_bar, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (self->progress_bar), "Loading progress");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->progress_bar);
  /* As a browser's status bar: bottom left, over the page. */
  self->status = gtk_label_new (NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->status), "osd");
  gtk_widget_set_halign (self->status, GTK_ALIGN_START);
  gtk_widget_set_valign (self->status, GTK_ALIGN_END);
  g_object_set (self->status, "margin", 6, NULL);
  gtk_widget_set_no_show_all (self->status, TRUE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->status);
  gtk_container_add (GTK_CONTAINER (self), overlay);

  g_signal_connect (web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self);
  g_signal_connect (web_view, "load-failed", G_CALLBACK (load_failed_cb), self);
  g_signal_connect (web_view, "load-changed", G_CALLBACK (load_changed_cb), self);
  g_signal_connect (web_view, "web-process-terminated", G_CALLBACK (web_process_terminated_cb), self);
  g_signal_connect (web_view, "authenticate", G_CALLBACK (authenticate_cb), self);
  g_signal_connect (web_view, "notify::estimated-load-progress", G_CALLBACK (progress_changed_cb), self);
  g_signal_connect (web_view, "notify::is-loading", G_CALLBACK (progress_changed_cb), self);
  g_signal_connect (web_view, "notify::title", G_CALLBACK (title_changed_cb), self);
  g_signal_connect (web_view, "notify::uri", G_CALLBACK (title_changed_cb), self);

  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

WebKitWebView *
oc_tab_get_web_view (OcTab *self)
{
  g_return_val_if_fail (OC_IS_TAB (self), NULL);
  return self->web_view;
}

/**
 * oc_tab_open:
 * @self: a tab
 * @web_url: an http(s) URL, or an owacal-calendar: page
 */
void
oc_tab_open (OcTab      *self,
             const char *web_url)
{
  g_autofree char *routed = oc_scheme_bridge_to_routed_url (web_url);

  g_return_if_fail (OC_IS_TAB (self));
  g_return_if_fail (routed != NULL || oc_calendar_handler_is_calendar_url (web_url));
  forget_retry (self);
  webkit_web_view_load_uri (self->web_view, routed ? routed : web_url);
}

/**
 * oc_tab_show_error:
 * @self: a tab
 * @error: why the tab has no calendar to show (an address that was not found)
 *
 * Shows the error page for a failure before any load, such as a lookup.
 */
void
oc_tab_show_error (OcTab        *self,
                   const GError *error)
{
  g_autofree char *page = NULL;

  g_return_if_fail (OC_IS_TAB (self));
  page = oc_error_page_render (error, NULL);
  webkit_web_view_load_html (self->web_view, page, NULL);
}

/**
 * oc_tab_show_error_with_retry:
 * @self: a tab
 * @error: why the tab has no calendar to show
 * @retry: called, instead of a reload, when the user asks to try again
 * @user_data: for @retry
 * @destroy: (nullable): frees @user_data when the page goes away
 *
 * As oc_tab_show_error(), for a failure that trying again can mend (the
 * address may be in the directory now).
 */
void
oc_tab_show_error_with_retry (OcTab          *self,
                              const GError   *error,
                              OcTabRetryFunc  retry,
                              gpointer        user_data,
                              GDestroyNotify  destroy)
{
  g_return_if_fail (OC_IS_TAB (self));
  oc_tab_show_error (self, error);
  forget_retry (self);
  self->retry = retry;
  self->retry_data = user_data;
  self->retry_destroy = destroy;
}

/**
 * oc_tab_dup_web_url:
 * @self: a tab
 *
 * Returns: (transfer full) (nullable): the http(s) address of the page shown
 */
char *
oc_tab_dup_web_url (OcTab *self)
{
  const char *uri = webkit_web_view_get_uri (self->web_view);
  char *web_url;

  if (uri == NULL)
    return NULL;
  web_url = oc_scheme_bridge_to_web_url (uri);
  return web_url ? web_url : g_strdup (uri);
}

/**
 * oc_tab_dup_title:
 * @self: a tab
 *
 * Returns: (transfer full): the page's title, or its server's name before it has one
 */
char *
oc_tab_dup_title (OcTab *self)
{
  const char *title = webkit_web_view_get_title (self->web_view);
  g_autofree char *url = NULL;
  char *host;

  if (title != NULL && *title != '\0')
    return g_strdup (title);
  url = oc_tab_dup_web_url (self);
  host = dup_host (url);
  return host ? host : g_strdup ("Calendar");
}

/**
 * oc_tab_zoom:
 * @self: a tab
 * @direction: 1 to zoom in, -1 to zoom out, 0 to reset
 */
void
oc_tab_zoom (OcTab *self,
             int    direction)
{
  double current = webkit_web_view_get_zoom_level (self->web_view);
  double next = 1.0;

  if (direction > 0)
    {
      next = zoom_levels[G_N_ELEMENTS (zoom_levels) - 1];
      for (gsize i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
        if (zoom_levels[i] > current + 0.001)
          {
            next = zoom_levels[i];
            break;
          }
    }
  else if (direction < 0)
    {
      next = zoom_levels[0];
      for (gsize i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
        if (zoom_levels[i - 1] < current - 0.001)
          {
            next = zoom_levels[i - 1];
            break;
          }
    }
  webkit_web_view_set_zoom_level (self->web_view, next);
}

void
oc_tab_show_find (OcTab *self)
{
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

void
oc_tab_find_next (OcTab    *self,
                  gboolean  backwards)
{
  WebKitFindController *finder = webkit_web_view_get_find_controller (self->web_view);

  if (!gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (self->search_bar)))
    {
      oc_tab_show_find (self);
      return;
    }
  if (backwards)
    webkit_find_controller_search_previous (finder);
  else
    webkit_find_controller_search_next (finder);
}

gboolean
oc_tab_hide_find (OcTab *self)
{
  if (!gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (self->search_bar)))
    return FALSE;
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), FALSE);
  return TRUE;
}

void
oc_tab_print (OcTab *self)
{
  g_autoptr (WebKitPrintOperation) operation = webkit_print_operation_new (self->web_view);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  webkit_print_operation_run_dialog (operation, GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL);
}

/**
 * oc_tab_show_status:
 * @self: a tab
 * @text: what the page being loaded is waiting for
 *
 * Shows @text over the page until the load ends. Nothing happens when no
 * load is going on.
 *
 * Returns: whether it is shown
 */
gboolean
oc_tab_show_status (OcTab      *self,
                    const char *text)
{
  g_return_val_if_fail (OC_IS_TAB (self), FALSE);
  if (!webkit_web_view_is_loading (self->web_view))
    return FALSE;
  gtk_label_set_text (GTK_LABEL (self->status), text);
  atk_object_set_name (gtk_widget_get_accessible (self->status), text);
  gtk_widget_show (self->status);
  return TRUE;
}
