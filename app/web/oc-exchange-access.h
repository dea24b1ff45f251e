/* oc-exchange-access.h: who answers for a colleague on Exchange (Exchange Web
 * Services, or Microsoft Graph for Exchange Online), one client per endpoint. */
#pragma once

#include <gio/gio.h>

#include "oc-ews-autodiscover.h"
#include "oc-http-client.h"
#include "oc-resolver.h"
#include "oc-microsoft365.h"
#include "oc-schedule-fetcher.h"

G_BEGIN_DECLS

#define OC_TYPE_EXCHANGE_ACCESS (oc_exchange_access_get_type ())
G_DECLARE_FINAL_TYPE (OcExchangeAccess, oc_exchange_access, OC, EXCHANGE_ACCESS, GObject)

OcExchangeAccess *oc_exchange_access_new              (OcHttpClient       *client);
void              oc_exchange_access_set_ews_url      (OcExchangeAccess   *self,
                                                       const char         *url);
const char       *oc_exchange_access_get_ews_url      (OcExchangeAccess   *self);
OcEwsAutodiscover *oc_exchange_access_get_autodiscover (OcExchangeAccess  *self);
void              oc_exchange_access_set_directory    (OcExchangeAccess   *self,
                                                       OcResolver         *directory);
void              oc_exchange_access_set_microsoft365 (OcExchangeAccess  *self,
                                                       OcMicrosoft365    *microsoft365);
void              oc_exchange_access_get_fetcher_async (OcExchangeAccess  *self,
                                                       const char         *email,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
OcScheduleFetcher *oc_exchange_access_get_fetcher_finish (OcExchangeAccess *self,
                                                          GAsyncResult     *result,
                                                          GError          **error);

G_END_DECLS
