/* oc-target.h: what the user asked owacal to open. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  OC_TARGET_ERROR_EMPTY,
  OC_TARGET_ERROR_UNSUPPORTED_SCHEME,
  OC_TARGET_ERROR_INVALID,
  OC_TARGET_ERROR_LOCAL_FILE,    /* a link names a file on this computer */
} OcTargetError;

#define OC_TARGET_ERROR (oc_target_error_quark ())
GQuark oc_target_error_quark (void);

typedef enum {
  OC_TARGET_KIND_WEB,            /* an http(s) page, usually OWA */
  OC_TARGET_KIND_EMAIL,          /* a person; their calendar is looked up */
  OC_TARGET_KIND_ICALENDAR,      /* a published .ics over http(s) (webcal: links) */
  OC_TARGET_KIND_ICALENDAR_FILE, /* a local .ics file */
  OC_TARGET_KIND_DEMO,           /* the built-in demo calendar */
  OC_TARGET_KIND_EXCHANGE,       /* a person whose calendar Exchange itself tells (EWS): never parsed, only found */
} OcTargetKind;

typedef struct {
  OcTargetKind kind;
  /* An absolute http(s) URL for WEB and ICALENDAR, a lower-cased address for
   * EMAIL and EXCHANGE, an absolute path for ICALENDAR_FILE, NULL for DEMO. */
  char *value;
} OcTarget;

#define OC_TYPE_TARGET (oc_target_get_type ())
GType     oc_target_get_type (void) G_GNUC_CONST;

OcTarget *oc_target_parse    (const char  *text,
                              GError     **error);
OcTarget *oc_target_new      (OcTargetKind kind,
                              const char  *value);
OcTarget *oc_target_copy     (const OcTarget *target);
void      oc_target_free     (OcTarget    *target);
char     *oc_target_to_string (const OcTarget *target);
char     *oc_target_to_argument (const OcTarget *target);

gboolean  oc_is_email_address (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcTarget, oc_target_free)

G_END_DECLS
