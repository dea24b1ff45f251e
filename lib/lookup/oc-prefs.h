/* oc-prefs.h: a Mozilla profile's preferences (prefs.js, user.js), read-only. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OC_TYPE_PREFS (oc_prefs_get_type ())
G_DECLARE_FINAL_TYPE (OcPrefs, oc_prefs, OC, PREFS, GObject)

OcPrefs    *oc_prefs_new           (void);
OcPrefs    *oc_prefs_load_profile  (const char  *profile_dir,
                                    GError     **error);
gboolean    oc_prefs_load_file     (OcPrefs     *self,
                                    const char  *path,
                                    GError     **error);
gboolean    oc_prefs_load_data     (OcPrefs     *self,
                                    const char  *data,
                                    gssize       length,
                                    GError     **error);

const char *oc_prefs_get_string    (OcPrefs     *self,
                                    const char  *name);
gboolean    oc_prefs_get_int       (OcPrefs     *self,
                                    const char  *name,
                                    int         *out_value);
gboolean    oc_prefs_get_bool      (OcPrefs     *self,
                                    const char  *name,
                                    gboolean    *out_value);
GStrv       oc_prefs_dup_children  (OcPrefs     *self,
                                    const char  *prefix);
guint       oc_prefs_get_n_skipped (OcPrefs     *self);

G_END_DECLS
