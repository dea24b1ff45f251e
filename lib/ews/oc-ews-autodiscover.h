/* oc-ews-autodiscover.h: where a domain's Exchange Web Services are, found from an address. */
#pragma once

#include <gio/gio.h>

#include "oc-http-client.h"
#include "oc-resolver.h"

G_BEGIN_DECLS

/* The keyword of Exchange's Autodiscover service connection points in AD. */
#define OC_EWS_AUTODISCOVER_SCP_KEYWORD "77378F46-2C66-4aa9-A6A6-3E7A48B19596"
/* How long an answer is reused, unless set otherwise: a day. */
#define OC_EWS_AUTODISCOVER_DEFAULT_LIFETIME (24 * 3600)
/* Redirects (Action redirectAddr or redirectUrl, HTTP 3xx) followed at most. */
#define OC_EWS_AUTODISCOVER_MAX_REDIRECTS 10

typedef enum {
  OC_EWS_AUTODISCOVER_KIND_EXCHANGE,        /* Exchange on the company's servers: EWS */
  OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365,   /* Exchange Online: Microsoft Graph's business */
} OcEwsAutodiscoverKind;

typedef struct {
  OcEwsAutodiscoverKind kind;
  char *domain;         /* the domain asked about, the cache's key */
  char *ews_url;        /* the EWS endpoint */
  char *where;          /* in words: how it was found and which URL answered */
  gboolean trusted;     /* the answer came over https from the domain's own Autodiscover or an SCP */
  gint64 found_at;      /* Unix time */
  gboolean cached;      /* this answer came from the cache */
} OcEwsAutodiscoverResult;

#define OC_TYPE_EWS_AUTODISCOVER (oc_ews_autodiscover_get_type ())
G_DECLARE_FINAL_TYPE (OcEwsAutodiscover, oc_ews_autodiscover, OC, EWS_AUTODISCOVER, GObject)

OcEwsAutodiscover       *oc_ews_autodiscover_new          (OcHttpClient      *http);
void                     oc_ews_autodiscover_set_cache    (OcEwsAutodiscover *self,
                                                           const char        *path,
                                                           guint              lifetime_seconds);
void                     oc_ews_autodiscover_find_async   (OcEwsAutodiscover  *self,
                                                           const char         *email,
                                                           OcResolver         *directory,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
OcEwsAutodiscoverResult *oc_ews_autodiscover_find_finish  (OcEwsAutodiscover  *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);
OcEwsAutodiscoverResult *oc_ews_autodiscover_lookup_cached (OcEwsAutodiscover *self,
                                                            const char        *domain);

gboolean                 oc_ews_autodiscover_check_url    (const char        *url,
                                                           GError           **error);
gboolean                 oc_ews_autodiscover_is_microsoft_365 (const char    *url);
char                    *oc_ews_autodiscover_soap_url     (const char        *pox_url);

OcEwsAutodiscoverResult *oc_ews_autodiscover_result_copy  (const OcEwsAutodiscoverResult *result);
void                     oc_ews_autodiscover_result_free  (OcEwsAutodiscoverResult *result);
const char              *oc_ews_autodiscover_kind_to_string (OcEwsAutodiscoverKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcEwsAutodiscoverResult, oc_ews_autodiscover_result_free)

G_END_DECLS
