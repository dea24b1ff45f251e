/* oc-http-error.h: why a calendar could not be fetched. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_HTTP_ERROR_HOST_NOT_FOUND,
  OC_HTTP_ERROR_CONNECTION_REFUSED,
  OC_HTTP_ERROR_TIMEOUT,
  OC_HTTP_ERROR_TLS,
  OC_HTTP_ERROR_AUTH_FAILED,
  OC_HTTP_ERROR_FORBIDDEN,
  OC_HTTP_ERROR_NOT_FOUND,
  OC_HTTP_ERROR_SERVER,
  OC_HTTP_ERROR_STATUS,
  OC_HTTP_ERROR_TOO_MANY_REDIRECTS,
  OC_HTTP_ERROR_PROXY,
  OC_HTTP_ERROR_NETWORK,
  OC_HTTP_ERROR_REFUSED_REQUEST,
  OC_HTTP_ERROR_OWA_REFUSED,     /* Outlook Web Access answered with its own error page (X-OWA-Error) */
} OcHttpError;

#define OC_HTTP_ERROR (oc_http_error_quark ())
GQuark oc_http_error_quark (void);

G_END_DECLS
