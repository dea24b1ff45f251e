/* oc-oauth-config.c: where and as whom owacal signs in to Microsoft 365. */
#include "config.h"
#include "oc-oauth-config.h"

G_DEFINE_BOXED_TYPE (OcOAuthConfig, oc_oauth_config, oc_oauth_config_copy, oc_oauth_config_free)

/**
 * oc_oauth_config_new:
 * @authority: (nullable): the identity platform, %NULL for Microsoft's
 * @tenant: the tenant (ID or domain) the administrator gave
 * @client_id: the application (client) ID of owacal's registration
 * @redirect_uri: (nullable): the registered redirect URI, %NULL for
 *   %OC_OAUTH_DEFAULT_REDIRECT_URI
 *
 * Returns: (transfer full): a configuration asking for %OC_OAUTH_GRAPH_SCOPES
 */
OcOAuthConfig *
oc_oauth_config_new (const char *authority,
                     const char *tenant,
                     const char *client_id,
                     const char *redirect_uri)
{
  OcOAuthConfig *config;

  g_return_val_if_fail (tenant != NULL && *tenant != '\0', NULL);
  g_return_val_if_fail (client_id != NULL && *client_id != '\0', NULL);

  config = g_new0 (OcOAuthConfig, 1);
  config->authority = g_strdup (authority ? authority : OC_OAUTH_DEFAULT_AUTHORITY);
  /* "https://host/" and "https://host" name the same authority. */
  while (g_str_has_suffix (config->authority, "/"))
    config->authority[strlen (config->authority) - 1] = '\0';
  config->tenant = g_strdup (tenant);
  config->client_id = g_strdup (client_id);
  config->redirect_uri = g_strdup (redirect_uri ? redirect_uri : OC_OAUTH_DEFAULT_REDIRECT_URI);
  config->scope = g_strdup (OC_OAUTH_GRAPH_SCOPES);
  return config;
}

OcOAuthConfig *
oc_oauth_config_copy (const OcOAuthConfig *config)
{
  OcOAuthConfig *copy = g_new0 (OcOAuthConfig, 1);

  copy->authority = g_strdup (config->authority);
  copy->tenant = g_strdup (config->tenant);
  copy->client_id = g_strdup (config->client_id);
  copy->redirect_uri = g_strdup (config->redirect_uri);
  copy->scope = g_strdup (config->scope);
  return copy;
}

void
oc_oauth_config_free (OcOAuthConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->authority);
  g_free (config->tenant);
  g_free (config->client_id);
  g_free (config->redirect_uri);
  g_free (config->scope);
  g_free (config);
}

/**
 * oc_oauth_config_dup_endpoint:
 * @config: a configuration
 * @name: "authorize", "token" or "devicecode"
 *
 * Returns: (transfer full): the v2 endpoint's URL,
 *   `{authority}/{tenant}/oauth2/v2.0/{name}`
 */
char *
oc_oauth_config_dup_endpoint (const OcOAuthConfig *config,
                              const char          *name)
{
  g_autofree char *tenant = g_uri_escape_string (config->tenant, NULL, FALSE);

  return g_strdup_printf ("%s/%s/oauth2/v2.0/%s", config->authority, tenant, name);
}
