/* oc-forms-login.h: signing in through Outlook Web Access's sign-in form. */
#pragma once

#include "oc-credentials.h"
#include "oc-http-client.h"

G_BEGIN_DECLS

typedef enum {
  OC_FORMS_LOGIN_SIGNED_IN,
  OC_FORMS_LOGIN_REJECTED,     /* back on the sign-in page: wrong password */
} OcFormsLoginResult;

void     oc_forms_login_async  (OcHttpClient        *client,
                                const char          *logon_url,
                                OcCredentials       *credentials,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gboolean oc_forms_login_finish (OcHttpClient        *client,
                                GAsyncResult        *result,
                                OcFormsLoginResult  *out_result,
                                GError             **error);

G_END_DECLS
