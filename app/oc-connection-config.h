/* oc-connection-config.h: what the HTTP client is told: settings and options. */
#pragma once

#include <gio/gio.h>

#include "oc-http-client.h"

G_BEGIN_DECLS

#define OC_TYPE_CONNECTION_CONFIG (oc_connection_config_get_type ())
G_DECLARE_FINAL_TYPE (OcConnectionConfig, oc_connection_config, OC, CONNECTION_CONFIG, GObject)

OcConnectionConfig *oc_connection_config_new                 (OcHttpClient       *client);
gboolean            oc_connection_config_add_trusted_domain  (OcConnectionConfig *self,
                                                              const char         *domain,
                                                              GError            **error);
void                oc_connection_config_add_http_sign_in_host (OcConnectionConfig *self,
                                                                const char         *host);
gboolean            oc_connection_config_trust_certificate   (OcConnectionConfig  *self,
                                                              OcCertificate       *certificate,
                                                              GError             **error);
gboolean            oc_connection_config_add_trusted_certificate (OcConnectionConfig  *self,
                                                                  const char          *text,
                                                                  GError             **error);

G_END_DECLS
