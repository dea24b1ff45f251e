/* oc-ews-client-private.h: what oc-ews-client.c and oc-ews-exchange.c share. */
#pragma once

#include "oc-ews-client.h"

G_BEGIN_DECLS

struct _OcEwsClient {
  GObject parent_instance;

  OcHttpClient *http;
  char *url;
  const char *request_version;   /* OC_EWS_REQUEST_VERSION, or the 2010 one after a refusal */
  OcEwsServerVersion server_version;
  guint max_in_flight;
  guint in_flight;
  GQueue pending;                /* GTask of exchanges waiting for a free slot */
  gint64 max_window;             /* seconds; shrinks when the server finds a window too long */
  guint max_attempts;
  GHashTable *folder_refused;    /* addresses whose calendar folder Exchange refused: not asked again */
  OcEwsClientStats stats;
};

/* An exchange: one SOAP request and its answer, retried while Exchange is busy. */
typedef GBytes  *(*OcEwsBuildFunc) (const char *request_version,
                                    gpointer    data);
typedef gpointer (*OcEwsParseFunc) (GBytes     *body,
                                    gpointer    data,
                                    GError    **error);

void      oc_ews_client_exchange_async  (OcEwsClient        *self,
                                         OcEwsBuildFunc      build,
                                         OcEwsParseFunc      parse,
                                         gpointer            data,
                                         GDestroyNotify      data_free,
                                         GDestroyNotify      result_free,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gpointer  oc_ews_client_exchange_finish (OcEwsClient        *self,
                                         GAsyncResult       *result,
                                         GError            **error);
gpointer  oc_ews_client_exchange_get_data (GAsyncResult     *result);
void      oc_ews_client_emit_waiting    (OcEwsClient        *self,
                                         guint               milliseconds);

G_END_DECLS
