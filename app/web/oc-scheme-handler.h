/* oc-scheme-handler.h: answers the web view's loads with libcurl. */
#pragma once

#include <webkit2/webkit2.h>

#include "oc-http-client.h"

G_BEGIN_DECLS

#define OC_TYPE_SCHEME_HANDLER (oc_scheme_handler_get_type ())
G_DECLARE_FINAL_TYPE (OcSchemeHandler, oc_scheme_handler, OC, SCHEME_HANDLER, GObject)

OcSchemeHandler *oc_scheme_handler_new          (OcHttpClient     *client);
void             oc_scheme_handler_register     (OcSchemeHandler  *self,
                                                 WebKitWebContext *context);
OcHttpClient    *oc_scheme_handler_get_client   (OcSchemeHandler  *self);
void             oc_scheme_handler_prefetch     (OcSchemeHandler  *self,
                                                 const char       *web_url);
guint            oc_scheme_handler_get_pending  (OcSchemeHandler  *self,
                                                 WebKitWebView    *view);
const GError    *oc_scheme_handler_get_page_error (WebKitWebView  *view);
OcCertificate   *oc_scheme_handler_get_page_certificate (WebKitWebView *view);
void             oc_scheme_handler_set_page_error (WebKitWebView  *view,
                                                  const GError   *error);

G_END_DECLS
