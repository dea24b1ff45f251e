/* oc-microsoft365.h: colleagues on Exchange Online: who goes there, the one
 * signed-in Microsoft Graph client, and signing in when Graph asks for it. */
#pragma once

#include <gtk/gtk.h>

#include "oc-graph-client.h"
#include "oc-http-client.h"
#include "oc-oauth-config.h"
#include "oc-oauth-token.h"

G_BEGIN_DECLS

/* How a sign-in that Graph asks for happens. */
typedef enum {
  OC_MICROSOFT365_SIGN_IN_WINDOW,       /* a window with Microsoft's own pages */
  OC_MICROSOFT365_SIGN_IN_DEVICE_CODE,  /* the code and address on stderr (--snapshot, no display) */
  OC_MICROSOFT365_SIGN_IN_NEVER,        /* only silently, from the keyring (--print-url) */
} OcMicrosoft365SignIn;

#define OC_TYPE_MICROSOFT365 (oc_microsoft365_get_type ())
G_DECLARE_FINAL_TYPE (OcMicrosoft365, oc_microsoft365, OC, MICROSOFT365, GObject)

OcMicrosoft365 *oc_microsoft365_new              (OcHttpClient         *http);
void            oc_microsoft365_configure        (OcMicrosoft365       *self,
                                                  const OcOAuthConfig  *config,
                                                  const char           *graph_url,
                                                  const char * const   *domains);
gboolean        oc_microsoft365_is_configured    (OcMicrosoft365       *self);
gboolean        oc_microsoft365_serves           (OcMicrosoft365       *self,
                                                  const char           *email,
                                                  gboolean              ews_known);
OcGraphClient  *oc_microsoft365_get_client       (OcMicrosoft365       *self);
OcOAuthToken   *oc_microsoft365_get_token        (OcMicrosoft365       *self);
const char     *oc_microsoft365_get_graph_url    (OcMicrosoft365       *self);
void            oc_microsoft365_set_sign_in      (OcMicrosoft365       *self,
                                                  OcMicrosoft365SignIn  mode,
                                                  GtkApplication       *application);
void            oc_microsoft365_set_ca_file      (OcMicrosoft365       *self,
                                                  const char           *ca_file);
gboolean        oc_microsoft365_is_named         (OcMicrosoft365       *self,
                                                  const char           *name);
void            oc_microsoft365_forget           (OcMicrosoft365       *self);

void            oc_microsoft365_sign_in_async    (OcMicrosoft365       *self,
                                                  const char           *for_email,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        oc_microsoft365_sign_in_finish   (OcMicrosoft365       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
