/* oc-window.c: the main window: a header bar and one tab per calendar. */
#include "config.h"
#include "oc-window.h"

#include "oc-calendar-handler.h"
#include "oc-scheme-bridge.h"
#include "oc-settings.h"
#include "oc-shortcut-dialog.h"
#include "oc-web-context.h"

struct _OcWindow {
  GtkApplicationWindow parent_instance;

  WebKitWebContext *web_context;
  GtkWidget *header_bar;
  GtkWidget *notebook;
  GtkWidget *back_button;
  GtkWidget *forward_button;
  GtkWidget *reload_button;
  GtkWidget *reload_image;
  OcTab *current_tab;
  gulong current_handlers[4];

  /* The size to open at next time: the last one not maximized. */
  GSettings *settings;
  int width;
  int height;
  gboolean maximized;
};

G_DEFINE_FINAL_TYPE (OcWindow, oc_window, GTK_TYPE_APPLICATION_WINDOW)

static OcTab *
get_current_tab (OcWindow *self)
{
  int page = gtk_notebook_get_current_page (GTK_NOTEBOOK (self->notebook));

  return page < 0 ? NULL : OC_TAB (gtk_notebook_get_nth_page (GTK_NOTEBOOK (self->notebook), page));
}

static void
enable_action (OcWindow   *self,
               const char *name,
               gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_header (OcWindow *self)
{
  OcTab *tab = self->current_tab;
  WebKitWebView *view = tab ? oc_tab_get_web_view (tab) : NULL;
  g_autofree char *title = tab ? oc_tab_dup_title (tab) : g_strdup ("owacal");
  g_autofree char *url = tab ? oc_tab_dup_web_url (tab) : NULL;
  g_autoptr (GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL) : NULL;
  gboolean loading = view && webkit_web_view_is_loading (view);

  /* A calendar owacal draws has no server to name or browser to open it in. */
  if (oc_calendar_handler_is_calendar_url (url))
    g_clear_pointer (&uri, g_uri_unref);
  gtk_header_bar_set_title (GTK_HEADER_BAR (self->header_bar), title);
  gtk_header_bar_set_subtitle (GTK_HEADER_BAR (self->header_bar), uri ? g_uri_get_host (uri) : NULL);
  gtk_window_set_title (GTK_WINDOW (self), title);

  enable_action (self, "back", view && webkit_web_view_can_go_back (view));
  enable_action (self, "forward", view && webkit_web_view_can_go_forward (view));
  enable_action (self, "open-in-browser", uri != NULL);
  /* A calendar tab's shortcut opens what it was opened from (the .ics address), never owacal's own page. */
  enable_action (self, "add-shortcut",
                 uri != NULL || (tab != NULL && (g_object_get_data (G_OBJECT (tab), OC_TAB_TARGET_KEY) != NULL ||
                                                 g_object_get_data (G_OBJECT (tab), OC_TAB_GROUP_KEY) != NULL)));
  /* Escape stops a load; otherwise it is the page's (closing its dialogs, OWA's pop-ups). */
  enable_action (self, "stop", loading);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->reload_image),
                                loading ? "process-stop-symbolic" : "view-refresh-symbolic",
                                GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_tooltip_text (self->reload_button, loading ? "Stop loading" : "Reload");
  atk_object_set_name (gtk_widget_get_accessible (self->reload_button), loading ? "Stop" : "Reload");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reload_button), loading ? "win.stop" : "win.reload");
}

static void
forget_current_tab (OcWindow *self)
{
  WebKitWebView *view;

  if (self->current_tab == NULL)
    return;
  view = oc_tab_get_web_view (self->current_tab);
  g_signal_handler_disconnect (self->current_tab, self->current_handlers[0]);
  g_signal_handler_disconnect (view, self->current_handlers[1]);
  g_signal_handler_disconnect (view, self->current_handlers[2]);
  g_signal_handler_disconnect (webkit_web_view_get_back_forward_list (view), self->current_handlers[3]);
  self->current_tab = NULL;
}

/* Callbacks */

static void
switch_page_cb (GtkNotebook *notebook,
                GtkWidget   *page,
                guint        page_num,
                OcWindow    *self)
{
  forget_current_tab (self);
  self->current_tab = OC_TAB (page);
  {
    WebKitWebView *view = oc_tab_get_web_view (self->current_tab);
    self->current_handlers[0] = g_signal_connect_swapped (page, "notify::title", G_CALLBACK (update_header), self);
    self->current_handlers[1] = g_signal_connect_swapped (view, "notify::is-loading", G_CALLBACK (update_header), self);
    self->current_handlers[2] = g_signal_connect_swapped (view, "notify::uri", G_CALLBACK (update_header), self);
    self->current_handlers[3] = g_signal_connect_swapped (webkit_web_view_get_back_forward_list (view), "changed",
                                                          G_CALLBACK (update_header), self);
  }
  update_header (self);
}

static void
page_removed_cb (GtkNotebook *notebook,
                 GtkWidget   *child,
                 guint        page_num,
                 OcWindow    *self)
{
  if (OC_TAB (child) == self->current_tab)
    forget_current_tab (self);
  gtk_notebook_set_show_tabs (notebook, gtk_notebook_get_n_pages (notebook) > 1);
  if (gtk_notebook_get_n_pages (notebook) == 0)
    gtk_widget_destroy (GTK_WIDGET (self));
}

static void
close_tab_clicked_cb (GtkButton *button,
                      GtkWidget *tab)
{
  gtk_widget_destroy (tab);
}

static GtkWidget *
create_web_view_cb (WebKitWebView          *web_view,
                    WebKitNavigationAction *action,
                    OcWindow               *self)
{
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
  g_autofree char *web_url = oc_scheme_bridge_to_web_url (uri);
  OcTab *tab;

  /* target=_blank and window.open() of the calendar's site: a new tab. */
  if (web_url == NULL && (g_str_has_prefix (uri, "http:") || g_str_has_prefix (uri, "https:")))
    web_url = g_strdup (uri);
  if (web_url == NULL)
    return NULL;
  tab = oc_window_add_tab (self, web_url);
  return GTK_WIDGET (oc_tab_get_web_view (tab));
}

/* Actions */

#define TAB_ACTION(name, body)                                                   \
  static void                                                                    \
  name##_activated (GSimpleAction *action, GVariant *parameter, gpointer data)   \
  {                                                                              \
    OcWindow *self = data;                                                       \
    OcTab *tab = get_current_tab (self);                                         \
    WebKitWebView *view = tab ? oc_tab_get_web_view (tab) : NULL;                \
    if (tab == NULL)                                                             \
      return;                                                                    \
    (void) view;                                                                 \
    body;                                                                        \
  }

TAB_ACTION (back, webkit_web_view_go_back (view))
TAB_ACTION (forward, webkit_web_view_go_forward (view))
TAB_ACTION (reload, webkit_web_view_reload (view))
TAB_ACTION (zoom_in, oc_tab_zoom (tab, 1))
TAB_ACTION (zoom_out, oc_tab_zoom (tab, -1))
TAB_ACTION (zoom_reset, oc_tab_zoom (tab, 0))
TAB_ACTION (find, oc_tab_show_find (tab))
TAB_ACTION (find_next, oc_tab_find_next (tab, FALSE))
TAB_ACTION (find_previous, oc_tab_find_next (tab, TRUE))
TAB_ACTION (print, oc_tab_print (tab))
TAB_ACTION (close_tab, gtk_widget_destroy (GTK_WIDGET (tab)))
TAB_ACTION (stop, if (!oc_tab_hide_find (tab)) webkit_web_view_stop_loading (view))

static void
open_in_browser_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       data)
{
  OcWindow *self = data;
  OcTab *tab = get_current_tab (self);
  g_autofree char *url = tab ? oc_tab_dup_web_url (tab) : NULL;
  g_autoptr (GError) error = NULL;

  if (url != NULL && !gtk_show_uri_on_window (GTK_WINDOW (self), url, GDK_CURRENT_TIME, &error))
    g_warning ("Could not open %s in the browser: %s", url, error->message);
}

/* A shortcut to the calendar the tab was opened for (an e-mail address stays
 * one), or else to the page it shows now. */
static void
add_shortcut_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       data)
{
  OcWindow *self = data;
  OcTab *tab = get_current_tab (self);
  const char *const *group = tab ? g_object_get_data (G_OBJECT (tab), OC_TAB_GROUP_KEY) : NULL;
  const char *target = tab ? g_object_get_data (G_OBJECT (tab), OC_TAB_TARGET_KEY) : NULL;
  g_autofree char *url = tab ? oc_tab_dup_web_url (tab) : NULL;
  const char *one[] = { target ? target : url, NULL };

  if (group != NULL)
    oc_shortcut_dialog_present (GTK_WINDOW (self), group);
  else if (one[0] != NULL)
    oc_shortcut_dialog_present (GTK_WINDOW (self), one);
}

static void
cycle_tab (OcWindow *self,
           int       delta)
{
  GtkNotebook *notebook = GTK_NOTEBOOK (self->notebook);
  int n = gtk_notebook_get_n_pages (notebook);

  if (n > 1)
    gtk_notebook_set_current_page (notebook, (gtk_notebook_get_current_page (notebook) + delta + n) % n);
}

static void
next_tab_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  cycle_tab (data, 1);
}

static void
previous_tab_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  cycle_tab (data, -1);
}

static const GActionEntry window_actions[] = {
  { "back", back_activated },
  { "forward", forward_activated },
  { "reload", reload_activated },
  { "stop", stop_activated },
  { "zoom-in", zoom_in_activated },
  { "zoom-out", zoom_out_activated },
  { "zoom-reset", zoom_reset_activated },
  { "find", find_activated },
  { "find-next", find_next_activated },
  { "find-previous", find_previous_activated },
  { "print", print_activated },
  { "open-in-browser", open_in_browser_activated },
  { "add-shortcut", add_shortcut_activated },
  { "close-tab", close_tab_activated },
  { "next-tab", next_tab_activated },
  { "previous-tab", previous_tab_activated },
};

/* Construction */

static GtkWidget *
create_button (const char *icon_name,
               const char *label,
               const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name, GTK_ICON_SIZE_BUTTON);

  gtk_widget_set_tooltip_text (button, label);
  atk_object_set_name (gtk_widget_get_accessible (button), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static GMenuModel *
create_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) open = g_menu_new ();
  g_autoptr (GMenu) zoom = g_menu_new ();
  g_autoptr (GMenu) page = g_menu_new ();
  g_autoptr (GMenu) app = g_menu_new ();

  g_menu_append (open, "Open a Calendar…", "app.open");
  g_menu_append (zoom, "Zoom In", "win.zoom-in");
  g_menu_append (zoom, "Zoom Out", "win.zoom-out");
  g_menu_append (zoom, "Actual Size", "win.zoom-reset");
  g_menu_append (page, "Find…", "win.find");
  g_menu_append (page, "Print…", "win.print");
  g_menu_append (page, "Open in Browser", "win.open-in-browser");
  g_menu_append (page, "Add a Shortcut for This Calendar…", "win.add-shortcut");
  g_menu_append (app, "Preferences", "app.preferences");
  g_menu_append (app, "Keyboard Shortcuts", "win.show-help-overlay");
  g_menu_append (app, "About owacal", "app.about");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (zoom));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (page));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (app));
  return G_MENU_MODEL (menu);
}

static void
build_header_bar (OcWindow *self)
{
  GtkWidget *navigation = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr (GMenuModel) menu = create_menu ();

  self->header_bar = gtk_header_bar_new ();
  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (self->header_bar), TRUE);

  gtk_style_context_add_class (gtk_widget_get_style_context (navigation), "linked");
  self->back_button = create_button ("go-previous-symbolic", "Back", "win.back");
  self->forward_button = create_button ("go-next-symbolic", "Forward", "win.forward");
  gtk_container_add (GTK_CONTAINER (navigation), self->back_button);
  gtk_container_add (GTK_CONTAINER (navigation), self->forward_button);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (self->header_bar), navigation);

  self->reload_button = create_button (NULL, "Reload", "win.reload");
  self->reload_image = gtk_image_new_from_icon_name ("view-refresh-symbolic", GTK_ICON_SIZE_BUTTON);
  gtk_button_set_image (GTK_BUTTON (self->reload_button), self->reload_image);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (self->header_bar), self->reload_button);

  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_button_set_image (GTK_BUTTON (menu_button),
                        gtk_image_new_from_icon_name ("open-menu-symbolic", GTK_ICON_SIZE_BUTTON));
  gtk_widget_set_tooltip_text (menu_button, "Main menu");
  atk_object_set_name (gtk_widget_get_accessible (menu_button), "Main menu");
  gtk_header_bar_pack_end (GTK_HEADER_BAR (self->header_bar), menu_button);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (self->header_bar),
                           create_button ("web-browser-symbolic", "Open in browser", "win.open-in-browser"));

  gtk_widget_show_all (self->header_bar);
  gtk_window_set_titlebar (GTK_WINDOW (self), self->header_bar);
}

/* Window state, as GNOME applications keep it */

static void
restore_size (OcWindow *self)
{
  self->width = 1280;
  self->height = 860;
  if (self->settings != NULL)
    {
      self->width = g_settings_get_int (self->settings, "window-width");
      self->height = g_settings_get_int (self->settings, "window-height");
      self->maximized = g_settings_get_boolean (self->settings, "window-maximized");
    }
  gtk_window_set_default_size (GTK_WINDOW (self), self->width, self->height);
  if (self->maximized)
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
oc_window_size_allocate (GtkWidget     *widget,
                         GtkAllocation *allocation)
{
  OcWindow *self = OC_WINDOW (widget);

  GTK_WIDGET_CLASS (oc_window_parent_class)->size_allocate (widget, allocation);
  if (!self->maximized)
    gtk_window_get_size (GTK_WINDOW (self), &self->width, &self->height);
}

static gboolean
oc_window_window_state_event (GtkWidget           *widget,
                              GdkEventWindowState *event)
{
  OcWindow *self = OC_WINDOW (widget);

  self->maximized = (event->new_window_state & GDK_WINDOW_STATE_MAXIMIZED) != 0;
  return GTK_WIDGET_CLASS (oc_window_parent_class)->window_state_event (widget, event);
}

/* GObject */

static void
oc_window_dispose (GObject *object)
{
  OcWindow *self = OC_WINDOW (object);

  if (self->settings != NULL)
    {
      /* Within the schema's ranges, which a tiny window would leave. */
      g_settings_set_int (self->settings, "window-width", CLAMP (self->width, 400, 10000));
      g_settings_set_int (self->settings, "window-height", CLAMP (self->height, 300, 10000));
      g_settings_set_boolean (self->settings, "window-maximized", self->maximized);
      g_clear_object (&self->settings);
      g_settings_sync ();  /* owacal may exit next */
    }
  G_OBJECT_CLASS (oc_window_parent_class)->dispose (object);
}

static void
oc_window_finalize (GObject *object)
{
  OcWindow *self = OC_WINDOW (object);

  g_clear_object (&self->web_context);
  G_OBJECT_CLASS (oc_window_parent_class)->finalize (object);
}

static void
oc_window_class_init (OcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oc_window_dispose;
  object_class->finalize = oc_window_finalize;
  widget_class->size_allocate = oc_window_size_allocate;
  widget_class->window_state_event = oc_window_window_state_event;
}

static void
oc_window_init (OcWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions, G_N_ELEMENTS (window_actions), self);
  build_header_bar (self);

  self->notebook = gtk_notebook_new ();
  gtk_notebook_set_show_border (GTK_NOTEBOOK (self->notebook), FALSE);
  gtk_notebook_set_scrollable (GTK_NOTEBOOK (self->notebook), TRUE);
  gtk_notebook_set_show_tabs (GTK_NOTEBOOK (self->notebook), FALSE);
  g_signal_connect (self->notebook, "switch-page", G_CALLBACK (switch_page_cb), self);
  g_signal_connect (self->notebook, "page-removed", G_CALLBACK (page_removed_cb), self);
  gtk_widget_show (self->notebook);
  gtk_container_add (GTK_CONTAINER (self), self->notebook);
  self->settings = oc_settings_open ();
  restore_size (self);
  gtk_window_set_icon_name (GTK_WINDOW (self), APPLICATION_ID);
}

/* Public API */

/**
 * oc_window_new:
 * @application: the application
 * @web_context: the context every tab's view is made in
 *
 * Returns: (transfer floating): a new, empty window
 */
OcWindow *
oc_window_new (GtkApplication   *application,
               WebKitWebContext *web_context)
{
  OcWindow *self = g_object_new (OC_TYPE_WINDOW, "application", application, NULL);

  self->web_context = g_object_ref (web_context);
  return self;
}

/**
 * oc_window_add_tab:
 * @self: a window
 * @web_url: (nullable): the http(s) address to open, or %NULL for none yet
 *
 * Returns: (transfer none): the new tab, made the current one
 */
OcTab *
oc_window_add_tab (OcWindow   *self,
                   const char *web_url)
{
  OcTab *first = OC_TAB (gtk_notebook_get_nth_page (GTK_NOTEBOOK (self->notebook), 0));
  WebKitWebView *view = oc_web_context_create_view (self->web_context, first ? oc_tab_get_web_view (first) : NULL);
  GtkWidget *tab = oc_tab_new (view);
  GtkWidget *label_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic", GTK_ICON_SIZE_MENU);
  int page;

  g_signal_connect (view, "create", G_CALLBACK (create_web_view_cb), self);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  g_object_bind_property (tab, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_button_set_relief (GTK_BUTTON (close), GTK_RELIEF_NONE);
  gtk_widget_set_tooltip_text (close, "Close tab");
  atk_object_set_name (gtk_widget_get_accessible (close), "Close tab");
  g_signal_connect (close, "clicked", G_CALLBACK (close_tab_clicked_cb), tab);
  gtk_box_pack_start (GTK_BOX (label_box), label, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (label_box), close, FALSE, FALSE, 0);
  gtk_widget_show_all (label_box);

  page = gtk_notebook_append_page (GTK_NOTEBOOK (self->notebook), tab, label_box);
  gtk_notebook_set_tab_reorderable (GTK_NOTEBOOK (self->notebook), tab, TRUE);
  gtk_notebook_set_show_tabs (GTK_NOTEBOOK (self->notebook),
                              gtk_notebook_get_n_pages (GTK_NOTEBOOK (self->notebook)) > 1);
  gtk_notebook_set_current_page (GTK_NOTEBOOK (self->notebook), page);
  if (web_url != NULL)
    oc_tab_open (OC_TAB (tab), web_url);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  return OC_TAB (tab);
}

/**
 * oc_window_list_tabs:
 * @self: a window
 *
 * Returns: (transfer container) (element-type OcTab): the tabs, in order
 */
GList *
oc_window_list_tabs (OcWindow *self)
{
  return gtk_container_get_children (GTK_CONTAINER (self->notebook));
}
