/* oc-oauth-token.h: Microsoft 365 tokens: the identity platform's token and
 * devicecode endpoints, the refresh token in the keyring, the access token in
 * memory, refreshed before it expires. */
#pragma once

#include <gio/gio.h>

#include "oc-http-client.h"
#include "oc-oauth-config.h"
#include "oc-oauth-pkce.h"

G_BEGIN_DECLS

/* What the device code flow asks the user to do (print it, then poll). */
typedef struct {
  char *device_code;       /* secret: only for polling */
  char *user_code;
  char *verification_uri;
  char *message;           /* the service's own sentence with both, in the user's language */
  int expires_in;          /* seconds */
  int interval;            /* seconds between polls */
} OcOAuthDeviceCode;

#define OC_TYPE_OAUTH_DEVICE_CODE (oc_oauth_device_code_get_type ())
GType              oc_oauth_device_code_get_type (void) G_GNUC_CONST;
OcOAuthDeviceCode *oc_oauth_device_code_copy     (const OcOAuthDeviceCode *code);
void               oc_oauth_device_code_free     (OcOAuthDeviceCode       *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcOAuthDeviceCode, oc_oauth_device_code_free)

#define OC_TYPE_OAUTH_TOKEN (oc_oauth_token_get_type ())
G_DECLARE_FINAL_TYPE (OcOAuthToken, oc_oauth_token, OC, OAUTH_TOKEN, GObject)

OcOAuthToken  *oc_oauth_token_new                     (OcHttpClient        *http,
                                                       const OcOAuthConfig *config);
const OcOAuthConfig *oc_oauth_token_get_config        (OcOAuthToken        *self);
void           oc_oauth_token_set_use_keyring         (OcOAuthToken        *self,
                                                       gboolean             use_keyring);
void           oc_oauth_token_set_user                (OcOAuthToken        *self,
                                                       const char          *user);
const char    *oc_oauth_token_get_user                (OcOAuthToken        *self);

void           oc_oauth_token_redeem_code_async       (OcOAuthToken        *self,
                                                       const OcOAuthPkce   *pkce,
                                                       const char          *code,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean       oc_oauth_token_redeem_code_finish      (OcOAuthToken        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void           oc_oauth_token_start_device_code_async (OcOAuthToken        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
OcOAuthDeviceCode *oc_oauth_token_start_device_code_finish (OcOAuthToken  *self,
                                                            GAsyncResult  *result,
                                                            GError       **error);
void           oc_oauth_token_poll_device_code_async  (OcOAuthToken            *self,
                                                       const OcOAuthDeviceCode *code,
                                                       GCancellable            *cancellable,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
gboolean       oc_oauth_token_poll_device_code_finish (OcOAuthToken        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void           oc_oauth_token_get_access_token_async  (OcOAuthToken        *self,
                                                       gboolean             refresh,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char          *oc_oauth_token_get_access_token_finish (OcOAuthToken        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void           oc_oauth_token_drop_access_token       (OcOAuthToken        *self,
                                                       const char          *token);
gboolean       oc_oauth_token_forget_sync             (OcOAuthToken        *self,
                                                       GCancellable        *cancellable,
                                                       GError             **error);

G_END_DECLS
