/* oc-shortcut.h: a launcher that opens a colleague's calendar, or several side by side. */
#pragma once

#include <glib.h>

#include "oc-target.h"

G_BEGIN_DECLS

typedef enum {
  OC_SHORTCUT_ERROR_NOT_FOUND,
} OcShortcutError;

#define OC_SHORTCUT_ERROR (oc_shortcut_error_quark ())
GQuark oc_shortcut_error_quark (void);

typedef struct {
  char **targets;      /* the calendars, as oc_target_to_argument() writes them; several open side by side */
  char *name;          /* the colleague's name, as shown after "Calendar — " */
  char *path;          /* the launcher in the user's applications folder */
  char *desktop_path;  /* the copy on the desktop, or NULL */
} OcShortcut;

typedef enum {
  OC_SHORTCUT_UNCHANGED,
  OC_SHORTCUT_CREATED,
  OC_SHORTCUT_UPDATED,
} OcShortcutChange;

char       *oc_shortcut_default_name (const OcTarget *target);
OcShortcut *oc_shortcut_create       (const char       *executable,
                                      GPtrArray        *targets,
                                      const char       *name,
                                      gboolean          on_desktop,
                                      OcShortcutChange *out_change,
                                      GError          **error);
GPtrArray  *oc_shortcut_list         (GError          **error);
OcShortcut *oc_shortcut_remove       (GPtrArray        *targets,
                                      GError          **error);
void        oc_shortcut_free         (OcShortcut       *shortcut);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcShortcut, oc_shortcut_free)

G_END_DECLS
