/* oc-exchange-access.h: which Exchange Web Services endpoint answers for a
 * colleague, and the one EWS client per endpoint. */
#pragma once

#include <gio/gio.h>

#include "oc-ews-client.h"
#include "oc-http-client.h"

G_BEGIN_DECLS

#define OC_TYPE_EXCHANGE_ACCESS (oc_exchange_access_get_type ())
G_DECLARE_FINAL_TYPE (OcExchangeAccess, oc_exchange_access, OC, EXCHANGE_ACCESS, GObject)

OcExchangeAccess *oc_exchange_access_new              (OcHttpClient       *client);
void              oc_exchange_access_set_ews_url      (OcExchangeAccess   *self,
                                                       const char         *url);
const char       *oc_exchange_access_get_ews_url      (OcExchangeAccess   *self);
void              oc_exchange_access_get_client_async (OcExchangeAccess   *self,
                                                       const char         *email,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
OcEwsClient      *oc_exchange_access_get_client_finish (OcExchangeAccess  *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);

G_END_DECLS
