/* oc-thunderbird-setup.h: make Thunderbird's LDAP directories show the calendar address. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_THUNDERBIRD_SETUP_ERROR_RUNNING,       /* Thunderbird has the profile open */
  OC_THUNDERBIRD_SETUP_ERROR_NO_DIRECTORY,  /* the profile has no LDAP directory */
  OC_THUNDERBIRD_SETUP_ERROR_INVALID,       /* not an LDAP attribute name */
} OcThunderbirdSetupError;

#define OC_THUNDERBIRD_SETUP_ERROR (oc_thunderbird_setup_error_quark ())
GQuark oc_thunderbird_setup_error_quark (void);

typedef struct {
  char *id;           /* the directory's key in prefs.js: ldap_2.servers.<id>.… */
  char *description;  /* its name in Thunderbird's address book */
} OcThunderbirdDirectory;

typedef struct {
  char *profile_dir;
  char *user_js;           /* the file to write */
  GPtrArray *directories;  /* (element-type OcThunderbirdDirectory) */
  GPtrArray *lines;        /* (element-type utf8): the user_pref lines owacal wants in user.js */
  char *old_contents;      /* user.js now ("" when there is none) */
  char *new_contents;      /* user.js with the lines */
} OcThunderbirdSetup;

OcThunderbirdSetup *oc_thunderbird_setup_plan              (const char          *profile_dir,
                                                            const char          *attribute,
                                                            const char          *website_attribute,
                                                            GError             **error);
gboolean            oc_thunderbird_setup_is_needed         (const OcThunderbirdSetup *setup);
gboolean            oc_thunderbird_setup_apply             (const OcThunderbirdSetup *setup,
                                                            GError             **error);
gboolean            oc_thunderbird_setup_check_not_running (const char          *profile_dir,
                                                            GError             **error);
char               *oc_thunderbird_setup_edit_user_js      (const char          *contents,
                                                            const char * const  *names,
                                                            const char * const  *values);
void                oc_thunderbird_setup_free              (OcThunderbirdSetup  *setup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcThunderbirdSetup, oc_thunderbird_setup_free)

G_END_DECLS
