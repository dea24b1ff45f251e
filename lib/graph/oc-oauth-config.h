/* oc-oauth-config.h: where and as whom owacal signs in to Microsoft 365. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OC_OAUTH_DEFAULT_AUTHORITY    "https://login.microsoftonline.com"
/* Microsoft's redirect URI for apps that sign in in an embedded browser: owacal
 * catches the navigation to it and never loads it. */
#define OC_OAUTH_DEFAULT_REDIRECT_URI "https://login.microsoftonline.com/common/oauth2/nativeclient"
#define OC_GRAPH_DEFAULT_URL          "https://graph.microsoft.com/v1.0"
/* The delegated permissions owacal asks for; offline_access brings a refresh
 * token, openid and profile an ID token that names who signed in. */
#define OC_OAUTH_GRAPH_SCOPES \
  "https://graph.microsoft.com/Calendars.ReadBasic https://graph.microsoft.com/Calendars.Read.Shared " \
  "https://graph.microsoft.com/User.ReadBasic.All offline_access openid profile"

typedef struct {
  char *authority;     /* "https://login.microsoftonline.com" */
  char *tenant;        /* a tenant ID, a verified domain, or "organizations" */
  char *client_id;     /* the application (client) ID of owacal's registration */
  char *redirect_uri;
  char *scope;         /* space-separated */
} OcOAuthConfig;

#define OC_TYPE_OAUTH_CONFIG (oc_oauth_config_get_type ())
GType          oc_oauth_config_get_type     (void) G_GNUC_CONST;

OcOAuthConfig *oc_oauth_config_new          (const char          *authority,
                                             const char          *tenant,
                                             const char          *client_id,
                                             const char          *redirect_uri);
OcOAuthConfig *oc_oauth_config_copy         (const OcOAuthConfig *config);
void           oc_oauth_config_free         (OcOAuthConfig       *config);
char          *oc_oauth_config_dup_endpoint (const OcOAuthConfig *config,
                                             const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcOAuthConfig, oc_oauth_config_free)

G_END_DECLS
