/* oc-password-provider.h: passwords from the keyring, or from the user. */
#pragma once

#include <gtk/gtk.h>

#include "oc-credentials-provider.h"

G_BEGIN_DECLS

#define OC_TYPE_PASSWORD_PROVIDER (oc_password_provider_get_type ())
G_DECLARE_FINAL_TYPE (OcPasswordProvider, oc_password_provider, OC, PASSWORD_PROVIDER, GObject)

OcPasswordProvider *oc_password_provider_new             (GtkApplication     *application);
void                oc_password_provider_set_interactive (OcPasswordProvider *self,
                                                          gboolean            interactive);

G_END_DECLS
