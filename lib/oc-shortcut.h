/* oc-shortcut.h: a launcher that opens one colleague's calendar. */
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
  char *target;        /* the calendar, as oc_target_to_argument() writes it */
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
                                      const OcTarget   *target,
                                      const char       *name,
                                      gboolean          on_desktop,
                                      OcShortcutChange *out_change,
                                      GError          **error);
GPtrArray  *oc_shortcut_list         (GError          **error);
OcShortcut *oc_shortcut_remove       (const OcTarget   *target,
                                      GError          **error);
void        oc_shortcut_free         (OcShortcut       *shortcut);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcShortcut, oc_shortcut_free)

G_END_DECLS
