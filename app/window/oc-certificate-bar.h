/* oc-certificate-bar.h: offers to trust an untrusted server certificate, above the page. */
#pragma once

#include <gtk/gtk.h>

#include "oc-certificate.h"

G_BEGIN_DECLS

#define OC_TYPE_CERTIFICATE_BAR (oc_certificate_bar_get_type ())
G_DECLARE_FINAL_TYPE (OcCertificateBar, oc_certificate_bar, OC, CERTIFICATE_BAR, GtkInfoBar)

GtkWidget *oc_certificate_bar_new  (void);
void       oc_certificate_bar_show (OcCertificateBar *self,
                                    OcCertificate    *certificate);

G_END_DECLS
