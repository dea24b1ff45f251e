/* oc-thunderbird-profile.h: which Thunderbird profile is the user's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_THUNDERBIRD_PROFILE_ERROR_NOT_FOUND,   /* no Thunderbird profile at all */
  OC_THUNDERBIRD_PROFILE_ERROR_NO_SUCH,     /* the profile asked for does not exist */
} OcThunderbirdProfileError;

#define OC_THUNDERBIRD_PROFILE_ERROR (oc_thunderbird_profile_error_quark ())
GQuark oc_thunderbird_profile_error_quark (void);

const char *const *oc_thunderbird_profile_get_roots (void);
char              *oc_thunderbird_profile_find      (const char  *home,
                                                     const char  *wanted,
                                                     GError     **error);

G_END_DECLS
