/* oc-credentials-ask.h: ask a credentials provider from a worker thread, and wait. */
#pragma once

#include <gio/gio.h>

#include "oc-credentials-provider.h"

G_BEGIN_DECLS

OcCredentials *oc_credentials_ask_sync             (OcCredentialsProvider       *provider,
                                                    GMainContext                *context,
                                                    const OcCredentialsQuestion *question,
                                                    GCancellable                *cancellable,
                                                    GError                     **error);
void           oc_credentials_accepted_in_context  (OcCredentialsProvider       *provider,
                                                    GMainContext                *context,
                                                    const char                  *host,
                                                    OcCredentials               *credentials);

G_END_DECLS
