/* oc-ldap-mod.h: one change to one attribute of a directory entry. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_LDAP_MOD_ADD,      /* add @value */
  OC_LDAP_MOD_DELETE,   /* delete @value, which must be there; with no value: the whole attribute */
  OC_LDAP_MOD_REPLACE,  /* the attribute becomes @value; with no value it is removed */
} OcLdapModOp;

/* A single value per change is enough for owacal: every attribute it writes is
 * single-valued.  Deleting a named value is how a change says "only if the value
 * is still this one": the directory refuses it (noSuchAttribute) otherwise. */
typedef struct {
  OcLdapModOp op;
  char *attribute;
  char *value;  /* nullable */
} OcLdapMod;

GArray *oc_ldap_mods_new (void);
void    oc_ldap_mods_add (GArray      *mods,
                          OcLdapModOp  op,
                          const char  *attribute,
                          const char  *value);

G_END_DECLS
