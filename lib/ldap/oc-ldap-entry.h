/* oc-ldap-entry.h: one directory entry, as read from a search. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OcLdapEntry OcLdapEntry;

OcLdapEntry        *oc_ldap_entry_new        (const char        *dn);
void                oc_ldap_entry_free       (OcLdapEntry       *entry);
void                oc_ldap_entry_add_value  (OcLdapEntry       *entry,
                                              const char        *attribute,
                                              const char        *value);
const char         *oc_ldap_entry_get_dn     (const OcLdapEntry *entry);
const char * const *oc_ldap_entry_get_values (const OcLdapEntry *entry,
                                              const char        *attribute);
const char         *oc_ldap_entry_get_value  (const OcLdapEntry *entry,
                                              const char        *attribute);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcLdapEntry, oc_ldap_entry_free)

G_END_DECLS
