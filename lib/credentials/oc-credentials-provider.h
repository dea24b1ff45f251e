/* oc-credentials-provider.h: where the client gets a password it does not have. */
#pragma once

#include <gio/gio.h>

#include "oc-credentials.h"

G_BEGIN_DECLS

typedef enum {
  OC_CREDENTIALS_REASON_NONE_STORED,   /* the client has no password for this server */
  OC_CREDENTIALS_REASON_REJECTED,      /* the server refused the last one */
} OcCredentialsReason;

/* One question; the strings are valid during the ask_async() call only. */
typedef struct {
  const char *host;            /* the server that asks */
  const char *user;            /* (nullable) the user name known so far */
  OcCredentialsReason reason;
  guint attempt;               /* 1 for the first question about this server */
  gboolean proxy;              /* the host is a proxy server, not the calendar's */
} OcCredentialsQuestion;

#define OC_TYPE_CREDENTIALS_PROVIDER (oc_credentials_provider_get_type ())
G_DECLARE_INTERFACE (OcCredentialsProvider, oc_credentials_provider, OC, CREDENTIALS_PROVIDER, GObject)

struct _OcCredentialsProviderInterface {
  GTypeInterface parent_iface;

  void           (*ask_async)  (OcCredentialsProvider       *self,
                                const OcCredentialsQuestion *question,
                                GCancellable                *cancellable,
                                GAsyncReadyCallback          callback,
                                gpointer                     user_data);
  OcCredentials *(*ask_finish) (OcCredentialsProvider       *self,
                                GAsyncResult                *result,
                                GError                     **error);
  void           (*accepted)   (OcCredentialsProvider       *self,
                                const char                  *host,
                                OcCredentials               *credentials);
};

void           oc_credentials_provider_ask_async  (OcCredentialsProvider       *self,
                                                   const OcCredentialsQuestion *question,
                                                   GCancellable                *cancellable,
                                                   GAsyncReadyCallback          callback,
                                                   gpointer                     user_data);
OcCredentials *oc_credentials_provider_ask_finish (OcCredentialsProvider       *self,
                                                   GAsyncResult                *result,
                                                   GError                     **error);
void           oc_credentials_provider_accepted   (OcCredentialsProvider       *self,
                                                   const char                  *host,
                                                   OcCredentials               *credentials);

G_END_DECLS
