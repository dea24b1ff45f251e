/* oc-ews-autodiscover-cache.h: Autodiscover's answers kept in a key file between runs. */
#pragma once

#include "oc-ews-autodiscover.h"

G_BEGIN_DECLS

OcEwsAutodiscoverResult *oc_ews_autodiscover_cache_read  (const char                    *path,
                                                          const char                    *domain,
                                                          GError                       **error);
gboolean                 oc_ews_autodiscover_cache_write (const char                    *path,
                                                          const OcEwsAutodiscoverResult *result,
                                                          GError                       **error);

G_END_DECLS
