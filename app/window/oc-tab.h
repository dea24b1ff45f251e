/* oc-tab.h: one calendar in the window: its web view, progress and find bar. */
#pragma once

#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

G_BEGIN_DECLS

#define OC_TYPE_TAB (oc_tab_get_type ())
G_DECLARE_FINAL_TYPE (OcTab, oc_tab, OC, TAB, GtkBox)

/* Object data: the calendar the tab was opened for, as oc_target_to_argument() wrote it. */
#define OC_TAB_TARGET_KEY "oc-target-argument"
/* Object data: the calendars a tab shows side by side (a GStrv, as oc_target_to_argument() wrote them). */
#define OC_TAB_GROUP_KEY "oc-target-arguments"
/* Object data: set on a tab that shows the welcome page, which closes once it opened a calendar. */
#define OC_TAB_WELCOME_KEY "oc-welcome"

/* Does again what failed before any page loaded (a lookup), for “Try Again”. */
typedef void (*OcTabRetryFunc) (OcTab   *tab,
                                gpointer user_data);

GtkWidget     *oc_tab_new          (WebKitWebView *web_view);
WebKitWebView *oc_tab_get_web_view (OcTab         *self);
void           oc_tab_open         (OcTab         *self,
                                    const char    *web_url);
void           oc_tab_show_error   (OcTab         *self,
                                    const GError  *error);
void           oc_tab_show_error_with_retry (OcTab          *self,
                                             const GError   *error,
                                             OcTabRetryFunc  retry,
                                             gpointer        user_data,
                                             GDestroyNotify  destroy);
char          *oc_tab_dup_web_url  (OcTab         *self);
char          *oc_tab_dup_title    (OcTab         *self);
void           oc_tab_zoom         (OcTab         *self,
                                    int            direction);
void           oc_tab_show_find    (OcTab         *self);
void           oc_tab_find_next    (OcTab         *self,
                                    gboolean       backwards);
gboolean       oc_tab_hide_find    (OcTab         *self);
void           oc_tab_print        (OcTab         *self);
gboolean       oc_tab_show_status  (OcTab         *self,
                                    const char    *text);

G_END_DECLS
