/* oc-provision-selection.h: whom owacal-provision works on: -f FILTER (by default
 * Exchange mailbox users), narrowed by --only and --exclude. */
#pragma once

#include <gio/gio.h>

#include "oc-ldap-connection.h"

G_BEGIN_DECLS

/* Exchange mailbox users: people (not contacts' mailboxes elsewhere) with an alias
 * and a mailbox database (2007+) or a home server (2000/2003). */
#define OC_PROVISION_DEFAULT_FILTER \
  "(&(objectCategory=person)(objectClass=user)(mailNickname=*)(|(homeMDB=*)(msExchHomeServerName=*)))"

char  *oc_provision_build_filter          (const char          *filter,
                                           const char * const  *only,
                                           const char * const  *exclude,
                                           GError             **error);
GStrv  oc_provision_find_unmatched_sync   (OcLdapConnection    *connection,
                                           const char          *base,
                                           const char          *filter,
                                           const char * const  *selections,
                                           GCancellable        *cancellable,
                                           GError             **error);

G_END_DECLS
