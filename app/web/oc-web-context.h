/* oc-web-context.h: the one WebKit context behind every tab and snapshot. */
#pragma once

#include <webkit2/webkit2.h>

#include "oc-scheme-handler.h"

G_BEGIN_DECLS

WebKitWebContext *oc_web_context_new         (OcSchemeHandler  *handler);
WebKitWebView    *oc_web_context_create_view (WebKitWebContext *context,
                                              WebKitWebView    *related);

G_END_DECLS
