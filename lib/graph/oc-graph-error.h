/* oc-graph-error.h: why Microsoft 365 said no, in plain words with what to do. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_GRAPH_ERROR_SIGN_IN_REQUIRED,    /* no refresh token, or it expired or was revoked */
  OC_GRAPH_ERROR_UNKNOWN_CLIENT,      /* AADSTS700016: owacal is not registered in the tenant */
  OC_GRAPH_ERROR_CONSENT_REQUIRED,    /* AADSTS65001 */
  OC_GRAPH_ERROR_USER_NOT_ALLOWED,    /* AADSTS50105: not assigned to the application */
  OC_GRAPH_ERROR_CONDITIONAL_ACCESS,  /* AADSTS53003 */
  OC_GRAPH_ERROR_SIGN_IN_FAILED,      /* any other refusal of the identity platform */
  OC_GRAPH_ERROR_DECLINED,            /* the user declined, or cancelled the sign-in */
  OC_GRAPH_ERROR_CODE_EXPIRED,        /* the device code ran out before anyone entered it */
  OC_GRAPH_ERROR_STATE_MISMATCH,      /* a redirect that answers another sign-in */
  OC_GRAPH_ERROR_ACCESS_DENIED,       /* Graph: 403, or no free/busy access */
  OC_GRAPH_ERROR_NOT_FOUND,           /* Graph: no such person */
  OC_GRAPH_ERROR_THROTTLED,           /* Graph: still 429/503 after waiting as asked */
  OC_GRAPH_ERROR_OFFLINE,             /* no network, or the service cannot be reached */
  OC_GRAPH_ERROR_INVALID_RESPONSE,    /* an answer that is not what Microsoft documents */
  OC_GRAPH_ERROR_SERVER,              /* any other Graph error */
  OC_GRAPH_ERROR_PENDING,             /* device code: not entered yet, poll again (RFC 8628) */
  OC_GRAPH_ERROR_SLOW_DOWN,           /* device code: poll again, 5 seconds slower */
} OcGraphError;

#define OC_GRAPH_ERROR (oc_graph_error_quark ())
GQuark   oc_graph_error_quark               (void);

guint    oc_graph_error_parse_aadsts        (const char   *description);
GError  *oc_graph_error_new_aad             (const char   *error,
                                             const char   *description,
                                             const char   *client_id);
GError  *oc_graph_error_from_token_response (guint         status,
                                             GBytes       *body,
                                             const char   *client_id);
GError  *oc_graph_error_from_graph_response (guint         status,
                                             GBytes       *body,
                                             const char   *what);
GError  *oc_graph_error_from_schedule_error (const char   *response_code,
                                             const char   *message,
                                             const char   *email);
GError  *oc_graph_error_from_http           (const GError *http_error,
                                             const char   *url);

G_END_DECLS
