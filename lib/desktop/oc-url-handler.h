/* oc-url-handler.h: owacal as the user's handler of owacal: links, without root. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *desktop_file;   /* ~/.local/share/applications/<app id>.desktop */
  char *service_file;   /* ~/.local/share/dbus-1/services/<app id>.service */
  char *mimeapps_file;  /* ~/.config/mimeapps.list */
  GPtrArray *icons;     /* the icons copied under ~/.local/share/icons */
} OcUrlHandlerFiles;

extern const char *const oc_url_handler_mime_types[];

OcUrlHandlerFiles *oc_url_handler_register   (const char  *executable,
                                              const char  *icon_theme_dir,
                                              GError     **error);
OcUrlHandlerFiles *oc_url_handler_unregister (GError     **error);
void               oc_url_handler_files_free (OcUrlHandlerFiles *files);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcUrlHandlerFiles, oc_url_handler_files_free)

G_END_DECLS
