/* oc-kerberos.c: what the user's Kerberos ticket cache holds.
 *
 * libcurl does the Negotiate exchange itself; owacal only needs to know, when
 * a server refuses it, whether the user has a ticket at all, so that the error
 * page can say "run kinit" instead of "access denied".
 */
#include "config.h"
#include "oc-kerberos.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

/**
 * oc_kerberos_get_ticket_state:
 * @out_principal: (out) (optional) (nullable): the ticket's client principal
 * @out_seconds_left: (out) (optional): the seconds the ticket is still valid
 *
 * Reads the default credential cache (KRB5CCNAME) without contacting the KDC.
 *
 * Returns: whether there is a usable, an expired or no ticket
 */
OcKerberosTicketState
oc_kerberos_get_ticket_state (char   **out_principal,
                              gint64  *out_seconds_left)
{
  gss_OID_set_desc krb5_mechs = { 1, (gss_OID) gss_mech_krb5 };
  gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
  gss_name_t name = GSS_C_NO_NAME;
  OM_uint32 major, minor, lifetime = 0;
  OcKerberosTicketState state;

  if (out_principal != NULL)
    *out_principal = NULL;
  if (out_seconds_left != NULL)
    *out_seconds_left = 0;

  major = gss_acquire_cred (&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5_mechs,
                            GSS_C_INITIATE, &cred, NULL, &lifetime);
  if (major == GSS_S_CREDENTIALS_EXPIRED)
    return OC_KERBEROS_TICKET_EXPIRED;
  if (GSS_ERROR (major))
    return OC_KERBEROS_TICKET_NONE;
  /* An expired ticket is told apart here, not by gss_inquire_cred(): MIT
   * krb5 1.20's answers GSS_S_CREDENTIALS_EXPIRED after making the name, which
   * it then drops without releasing it (a leak per check). */
  if (lifetime == 0)
    {
      gss_release_cred (&minor, &cred);
      return OC_KERBEROS_TICKET_EXPIRED;
    }

  major = gss_inquire_cred (&minor, cred, &name, &lifetime, NULL, NULL);
  if (major == GSS_S_CREDENTIALS_EXPIRED || (!GSS_ERROR (major) && lifetime == 0))
    state = OC_KERBEROS_TICKET_EXPIRED;
  else if (GSS_ERROR (major))
    state = OC_KERBEROS_TICKET_NONE;
  else
    state = OC_KERBEROS_TICKET_VALID;

  if (state == OC_KERBEROS_TICKET_VALID && out_principal != NULL && name != GSS_C_NO_NAME)
    {
      gss_buffer_desc buffer = GSS_C_EMPTY_BUFFER;
      if (!GSS_ERROR (gss_display_name (&minor, name, &buffer, NULL)))
        *out_principal = g_strndup (buffer.value, buffer.length);
      gss_release_buffer (&minor, &buffer);
    }
  if (state == OC_KERBEROS_TICKET_VALID && out_seconds_left != NULL)
    *out_seconds_left = lifetime == GSS_C_INDEFINITE ? G_MAXINT64 : (gint64) lifetime;

  if (name != GSS_C_NO_NAME)
    gss_release_name (&minor, &name);
  gss_release_cred (&minor, &cred);
  return state;
}
