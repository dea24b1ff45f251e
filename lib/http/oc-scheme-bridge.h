/* oc-scheme-bridge.h: the web view's custom URI scheme, mapped onto HTTP.
 *
 * WebKit lets an application answer loads only for schemes of its own, so the
 * calendar's https://host/path is shown as owacal-https://host/path and every
 * load of it reaches owacal, which fetches the real URL with libcurl. These
 * functions hold the mapping rules, apart from WebKit, so they can be tested.
 */
#pragma once

#include <glib.h>

#include "oc-http-request.h"

G_BEGIN_DECLS

#define OC_ROUTED_SCHEME_HTTP  "owacal-http"
#define OC_ROUTED_SCHEME_HTTPS "owacal-https"

/* A reserved path on every routed site, answered by owacal itself. */
#define OC_BRIDGE_PATH_PREFIX  "/__owacal__/"

char     *oc_scheme_bridge_to_web_url     (const char *routed_url);
char     *oc_scheme_bridge_to_routed_url  (const char *web_url);
gboolean  oc_scheme_bridge_is_routed_url  (const char *url);
gboolean  oc_scheme_bridge_is_bridge_path (const char *routed_url);

void      oc_scheme_bridge_add_request_header (OcHttpRequest *request,
                                               const char    *name,
                                               const char    *value);
char     *oc_scheme_bridge_map_response_header (const char *name,
                                                const char *value,
                                                const char *web_url);
gboolean  oc_scheme_bridge_is_same_site_origin (const char *origin,
                                                const char *routed_url);
GPtrArray *oc_scheme_bridge_cors_header_lines (const char *origin,
                                               const char *request_method,
                                               const char *request_headers);

G_END_DECLS
