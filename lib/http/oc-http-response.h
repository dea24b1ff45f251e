/* oc-http-response.h: what came back, and how owacal signed in to get it. */
#pragma once

#include <glib-object.h>

#include "oc-kerberos.h"

G_BEGIN_DECLS

/* Which sign-in methods a request used or a server offered. */
typedef enum {
  OC_HTTP_AUTH_NONE      = 0,
  OC_HTTP_AUTH_NEGOTIATE = 1 << 0,
  OC_HTTP_AUTH_NTLM      = 1 << 1,
  OC_HTTP_AUTH_BASIC     = 1 << 2,
  OC_HTTP_AUTH_OTHER     = 1 << 3,
} OcHttpAuth;

typedef struct _OcHttpResponse OcHttpResponse;

#define OC_TYPE_HTTP_RESPONSE (oc_http_response_get_type ())
GType           oc_http_response_get_type (void) G_GNUC_CONST;

OcHttpResponse *oc_http_response_new      (const char     *url);
OcHttpResponse *oc_http_response_ref      (OcHttpResponse *self);
void            oc_http_response_unref    (OcHttpResponse *self);

const char     *oc_http_response_get_url    (OcHttpResponse *self);
guint           oc_http_response_get_status (OcHttpResponse *self);
const char     *oc_http_response_get_reason (OcHttpResponse *self);
GBytes         *oc_http_response_get_body   (OcHttpResponse *self);
const char     *oc_http_response_get_header (OcHttpResponse *self,
                                             const char     *name);
GPtrArray      *oc_http_response_get_header_lines (OcHttpResponse *self);
char           *oc_http_response_dup_content_type (OcHttpResponse *self);

OcHttpAuth      oc_http_response_get_auth_offered (OcHttpResponse *self);
OcHttpAuth      oc_http_response_get_auth_tried   (OcHttpResponse *self);
guint           oc_http_response_get_new_connections (OcHttpResponse *self);

gboolean        oc_http_response_check      (OcHttpResponse *self,
                                             GError        **error);

/* For OcHttpClient, which fills the response in as the answer arrives. */
void            oc_http_response_take_status_line (OcHttpResponse *self,
                                                   const char     *line);
void            oc_http_response_add_header_line  (OcHttpResponse *self,
                                                   const char     *line);
void            oc_http_response_set_body         (OcHttpResponse *self,
                                                   GBytes         *body);
void            oc_http_response_set_auth_tried   (OcHttpResponse *self,
                                                   OcHttpAuth      tried,
                                                   const char     *user);
void            oc_http_response_set_ticket_state (OcHttpResponse *self,
                                                   OcKerberosTicketState state);
void            oc_http_response_set_new_connections (OcHttpResponse *self,
                                                      guint           n);

OcHttpAuth      oc_http_auth_parse_challenges (GPtrArray *header_lines);
OcHttpAuth      oc_http_auth_parse_proxy_challenges (GPtrArray *header_lines);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcHttpResponse, oc_http_response_unref)

G_END_DECLS
