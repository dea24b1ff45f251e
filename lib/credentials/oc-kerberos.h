/* oc-kerberos.h: what the user's Kerberos ticket cache holds. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_KERBEROS_TICKET_UNKNOWN,
  OC_KERBEROS_TICKET_VALID,
  OC_KERBEROS_TICKET_NONE,
  OC_KERBEROS_TICKET_EXPIRED,
} OcKerberosTicketState;

OcKerberosTicketState oc_kerberos_get_ticket_state (char   **out_principal,
                                                    gint64  *out_seconds_left);

G_END_DECLS
