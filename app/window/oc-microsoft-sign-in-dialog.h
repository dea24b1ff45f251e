/* oc-microsoft-sign-in-dialog.h: Microsoft's own sign-in pages in an owacal
 * window, for the authorization code flow with PKCE. */
#pragma once

#include <gtk/gtk.h>

#include "oc-oauth-token.h"

G_BEGIN_DECLS

void     oc_microsoft_sign_in_dialog_run_async  (GtkWindow           *parent,
                                                 OcOAuthToken        *token,
                                                 const char          *for_email,
                                                 const char          *ca_file,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean oc_microsoft_sign_in_dialog_run_finish (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
