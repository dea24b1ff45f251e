/* oc-certificate.h: a server's certificate, as shown to the user and pinned. */
#pragma once

#include <gio/gio.h>

#include "oc-credentials.h"

G_BEGIN_DECLS

typedef struct _OcCertificate OcCertificate;

#define OC_TYPE_CERTIFICATE (oc_certificate_get_type ())
GType          oc_certificate_get_type          (void) G_GNUC_CONST;

OcCertificate *oc_certificate_new_from_pem      (const char     *host,
                                                 guint16         port,
                                                 const char     *pem,
                                                 GError        **error);
OcCertificate *oc_certificate_ref               (OcCertificate  *self);
void           oc_certificate_unref             (OcCertificate  *self);

const char    *oc_certificate_get_host          (OcCertificate  *self);
guint16        oc_certificate_get_port          (OcCertificate  *self);
const char    *oc_certificate_get_subject       (OcCertificate  *self);
const char    *oc_certificate_get_issuer        (OcCertificate  *self);
const char    *oc_certificate_get_not_before    (OcCertificate  *self);
const char    *oc_certificate_get_not_after     (OcCertificate  *self);
const char    *oc_certificate_get_fingerprint   (OcCertificate  *self);
const char    *oc_certificate_get_public_key_pin (OcCertificate *self);
void           oc_certificate_set_details       (OcCertificate  *self,
                                                 const char     *subject,
                                                 const char     *issuer,
                                                 const char     *not_before,
                                                 const char     *not_after);

GVariant      *oc_certificate_to_variant        (OcCertificate  *self);
OcCertificate *oc_certificate_new_from_variant  (GVariant       *variant);

char          *oc_certificate_normalize_fingerprint (const char *text);

void           oc_certificate_fetch_async       (const char          *url,
                                                 const char          *proxy,
                                                 OcCredentials       *proxy_credentials,
                                                 guint                timeout_seconds,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
OcCertificate *oc_certificate_fetch_finish      (GAsyncResult        *result,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcCertificate, oc_certificate_unref)

G_END_DECLS
