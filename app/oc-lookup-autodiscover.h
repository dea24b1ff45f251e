/* oc-lookup-autodiscover.h: an address nobody knew, found on Exchange by Autodiscover. */
#pragma once

#include <gio/gio.h>

#include "oc-ews-autodiscover.h"
#include "oc-resolver.h"

G_BEGIN_DECLS

void          oc_lookup_set_autodiscover (OcEwsAutodiscover       *autodiscover);
void          oc_lookup_resolve_async    (OcResolver              *resolver,
                                          const char              *email,
                                          GCancellable            *cancellable,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data);
OcResolution *oc_lookup_resolve_finish   (GAsyncResult            *result,
                                          OcEwsAutodiscoverResult **out_found,
                                          GError                  **error);

G_END_DECLS
