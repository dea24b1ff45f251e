/* oc-keyring.h: passwords in the desktop's keyring (Secret Service). */
#pragma once

#include <gio/gio.h>

#include "oc-credentials.h"

G_BEGIN_DECLS

void           oc_keyring_lookup_async  (const char           *server,
                                         const char           *user,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
OcCredentials *oc_keyring_lookup_finish (GAsyncResult         *result,
                                         GError              **error);
void           oc_keyring_store_async   (const char           *server,
                                         OcCredentials        *credentials,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean       oc_keyring_store_finish  (GAsyncResult         *result,
                                         GError              **error);
gboolean       oc_keyring_forget_sync   (const char           *server,
                                         GCancellable         *cancellable,
                                         GError              **error);

/* OAuth refresh tokens (Microsoft 365), one per tenant, client ID and user. */
void           oc_keyring_lookup_token_async  (const char           *tenant,
                                               const char           *client_id,
                                               const char           *user,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
OcCredentials *oc_keyring_lookup_token_finish (GAsyncResult         *result,
                                               GError              **error);
void           oc_keyring_store_token_async   (const char           *tenant,
                                               const char           *client_id,
                                               const char           *user,
                                               const char           *token,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       oc_keyring_store_token_finish  (GAsyncResult         *result,
                                               GError              **error);
gboolean       oc_keyring_forget_tokens_sync  (const char           *tenant,
                                               const char           *client_id,
                                               const char           *user,
                                               GCancellable         *cancellable,
                                               GError              **error);

G_END_DECLS
