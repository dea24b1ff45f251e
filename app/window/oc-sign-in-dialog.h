/* oc-sign-in-dialog.h: asks the user for a server's user name and password. */
#pragma once

#include <gtk/gtk.h>

#include "oc-credentials-provider.h"

G_BEGIN_DECLS

#define OC_TYPE_SIGN_IN_DIALOG (oc_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OcSignInDialog, oc_sign_in_dialog, OC, SIGN_IN_DIALOG, GtkDialog)

GtkWidget     *oc_sign_in_dialog_new              (GtkWindow                   *parent,
                                                   const OcCredentialsQuestion *question);
OcCredentials *oc_sign_in_dialog_dup_credentials  (OcSignInDialog              *self);

G_END_DECLS
