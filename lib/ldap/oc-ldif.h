/* oc-ldif.h: LDIF change records (RFC 2849), written and read back. */
#pragma once

#include <glib.h>

#include "oc-ldap-mod.h"

G_BEGIN_DECLS

typedef enum {
  OC_LDIF_ERROR_SYNTAX,       /* not LDIF */
  OC_LDIF_ERROR_UNSUPPORTED,  /* LDIF, but not a change owacal makes (add, delete, modrdn, URLs, ...) */
} OcLdifError;

#define OC_LDIF_ERROR (oc_ldif_error_quark ())
GQuark oc_ldif_error_quark (void);

/* One "changetype: modify" record. */
typedef struct {
  char *dn;
  GArray *mods;   /* of OcLdapMod */
  guint line;     /* where the record starts, for messages */
} OcLdifChange;

void       oc_ldif_append_comment   (GString         *ldif,
                                     const char      *text);
void       oc_ldif_append_attribute (GString         *ldif,
                                     const char      *attribute,
                                     const char      *value);
void       oc_ldif_append_modify    (GString         *ldif,
                                     const char      *dn,
                                     const OcLdapMod *mods,
                                     gsize            n_mods);
GPtrArray *oc_ldif_parse_changes    (const char      *text,
                                     GError         **error);

OcLdifChange *oc_ldif_change_new    (const char      *dn);
void          oc_ldif_change_free   (OcLdifChange    *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcLdifChange, oc_ldif_change_free)

G_END_DECLS
