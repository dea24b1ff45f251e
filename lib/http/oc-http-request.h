/* oc-http-request.h: one HTTP request as the page (or owacal) wants it sent. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _OcHttpRequest OcHttpRequest;

#define OC_TYPE_HTTP_REQUEST (oc_http_request_get_type ())
GType           oc_http_request_get_type   (void) G_GNUC_CONST;

OcHttpRequest  *oc_http_request_new        (const char    *method,
                                            const char    *url);
OcHttpRequest  *oc_http_request_ref        (OcHttpRequest *self);
void            oc_http_request_unref      (OcHttpRequest *self);

const char     *oc_http_request_get_method (OcHttpRequest *self);
const char     *oc_http_request_get_url    (OcHttpRequest *self);

void            oc_http_request_add_header (OcHttpRequest *self,
                                            const char    *name,
                                            const char    *value);
void            oc_http_request_suppress_header (OcHttpRequest *self,
                                                 const char    *name);
const char     *oc_http_request_get_header (OcHttpRequest *self,
                                            const char    *name);
GPtrArray      *oc_http_request_get_header_lines (OcHttpRequest *self);

void            oc_http_request_set_body   (OcHttpRequest *self,
                                            GBytes        *body);
GBytes         *oc_http_request_get_body   (OcHttpRequest *self);

void            oc_http_request_set_follow_redirects (OcHttpRequest *self,
                                                      gboolean       follow);
gboolean        oc_http_request_get_follow_redirects (OcHttpRequest *self);
void            oc_http_request_set_sign_in (OcHttpRequest *self,
                                             gboolean       sign_in);
gboolean        oc_http_request_get_sign_in (OcHttpRequest *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcHttpRequest, oc_http_request_unref)

G_END_DECLS
