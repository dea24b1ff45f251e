/* oc-application.h: one owacal per session; every launch becomes a tab. */
#pragma once

#include <gtk/gtk.h>

#include "oc-certificate.h"

G_BEGIN_DECLS

#define OC_TYPE_APPLICATION (oc_application_get_type ())
G_DECLARE_FINAL_TYPE (OcApplication, oc_application, OC, APPLICATION, GtkApplication)

OcApplication *oc_application_new             (void);
int            oc_application_get_exit_status (OcApplication *self);
gboolean       oc_application_trust_certificate (OcApplication  *self,
                                                 OcCertificate  *certificate,
                                                 GError        **error);

G_END_DECLS
