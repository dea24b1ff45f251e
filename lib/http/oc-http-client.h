/* oc-http-client.h: every HTTP request of owacal, on one libcurl multi handle. */
#pragma once

#include <gio/gio.h>

#include "oc-certificate.h"
#include "oc-credentials-provider.h"
#include "oc-http-error.h"
#include "oc-http-request.h"
#include "oc-http-response.h"

G_BEGIN_DECLS

#define OC_TYPE_HTTP_CLIENT (oc_http_client_get_type ())
G_DECLARE_FINAL_TYPE (OcHttpClient, oc_http_client, OC, HTTP_CLIENT, GObject)

/* Counters for benchmarks and tests; they only ever grow. */
typedef struct {
  guint64 requests;      /* HTTP requests sent, sign-in round trips included */
  guint64 transfers;     /* oc_http_client_send_async() calls completed */
  guint64 connections;   /* TCP connections opened */
  guint64 challenges;    /* 401 answers met on the way */
} OcHttpClientStats;

OcHttpClient   *oc_http_client_new              (void);

void            oc_http_client_set_user_agent   (OcHttpClient *self,
                                                 const char   *user_agent);
const char     *oc_http_client_get_user_agent   (OcHttpClient *self);
void            oc_http_client_set_ca_file      (OcHttpClient *self,
                                                 const char   *ca_file);
void            oc_http_client_pin_certificate  (OcHttpClient *self,
                                                 const char   *host,
                                                 guint16       port,
                                                 const char   *fingerprint,
                                                 const char   *public_key_pin);
OcCertificate  *oc_http_client_get_certificate_problem (OcHttpClient *self,
                                                        const char   *url);
void            oc_http_client_set_proxy_resolver (OcHttpClient   *self,
                                                   GProxyResolver *resolver);
void            oc_http_client_set_timeouts     (OcHttpClient *self,
                                                 guint         connect_seconds,
                                                 guint         idle_seconds);
void            oc_http_client_set_credentials  (OcHttpClient *self,
                                                 const char   *user,
                                                 const char   *password);
void            oc_http_client_set_credentials_provider (OcHttpClient          *self,
                                                         OcCredentialsProvider *provider);
void            oc_http_client_forget_credentials (OcHttpClient *self,
                                                   const char   *host);
void            oc_http_client_retry_sign_in    (OcHttpClient *self,
                                                 const char   *host);
void            oc_http_client_trust_host       (OcHttpClient *self,
                                                 const char   *host);
gboolean        oc_http_client_is_trusted_url   (OcHttpClient *self,
                                                 const char   *url);
void            oc_http_client_set_trusted_domains (OcHttpClient      *self,
                                                    const char *const *domains);
void            oc_http_client_set_http_sign_in_hosts (OcHttpClient      *self,
                                                       const char *const *hosts);

void            oc_http_client_send_async       (OcHttpClient        *self,
                                                 OcHttpRequest       *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
OcHttpResponse *oc_http_client_send_finish      (OcHttpClient  *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

GStrv           oc_http_client_dup_cookie_lines (OcHttpClient *self);
void            oc_http_client_add_cookie_line  (OcHttpClient *self,
                                                 const char   *netscape_line);

void            oc_http_client_get_stats        (OcHttpClient      *self,
                                                 OcHttpClientStats *out_stats);

#define OC_HTTP_DEFAULT_USER_AGENT \
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

G_END_DECLS
