/* oc-mailbox.h: what a directory entry says about a person's Exchange mailbox. */
#pragma once

#include <glib.h>

#include "oc-ldap-entry.h"

G_BEGIN_DECLS

/* The attributes these functions read, for a search's attribute list. */
#define OC_MAILBOX_ATTRIBUTES "mail", "mailNickname", "proxyAddresses", "displayName", "cn"

const char *oc_mailbox_get_primary_address (const OcLdapEntry *entry);
GStrv       oc_mailbox_dup_addresses       (const OcLdapEntry *entry);
gboolean    oc_mailbox_has_address         (const OcLdapEntry *entry,
                                            const char        *address);
const char *oc_mailbox_get_alias           (const OcLdapEntry *entry);
const char *oc_mailbox_get_display_name    (const OcLdapEntry *entry);

G_END_DECLS
