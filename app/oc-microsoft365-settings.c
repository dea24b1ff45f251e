/* oc-microsoft365-settings.c: where owacal signs in to Microsoft 365.
 *
 * An administrator registers owacal once in the organisation's tenant and
 * hands out two values, the application (client) ID and the tenant: as
 * GSettings keys for everyone (dconf), or for one user with
 *
 *   owacal --setup-microsoft365 --client-id ID --tenant TENANT
 *
 * The same options without --setup-microsoft365 apply to one run only, as
 * do the endpoints (--microsoft365-authority, --microsoft365-graph-url):
 * tests point owacal at stand-ins with them; the defaults are Microsoft's.
 */
#include "config.h"
#include "oc-microsoft365-settings.h"

#include "oc-keyring.h"
#include "oc-settings.h"

const GOptionEntry oc_microsoft365_option_entries[] = {
  { "setup-microsoft365", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Save --client-id and --tenant (and --microsoft365-domain) as your Microsoft 365 settings, then exit", NULL },
  { "client-id", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Microsoft 365: owacal’s application (client) ID in your organisation, from your administrator", "ID" },
  { "tenant", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Microsoft 365: your organisation’s tenant (its ID or a domain of it)", "TENANT" },
  { "microsoft365-domain", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    "Microsoft 365: colleagues of this e-mail domain are on Exchange Online (repeatable; "
    "default: everyone, when no --ews-url is set)", "DOMAIN" },
  { "microsoft365-authority", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Microsoft 365: sign in at this identity platform (default https://login.microsoftonline.com)", "URL" },
  { "microsoft365-graph-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Microsoft 365: read calendars from this Microsoft Graph (default https://graph.microsoft.com/v1.0)", "URL" },
  { NULL }
};

static char *
option_or_setting (GVariantDict *options,
                   const char   *option,
                   GSettings    *settings,
                   const char   *key,
                   const char   *fallback)
{
  const char *text = NULL;
  g_autofree char *value = NULL;

  if (options != NULL && g_variant_dict_lookup (options, option, "&s", &text))
    return g_strdup (text);
  value = settings != NULL ? g_settings_get_string (settings, key) : NULL;
  if (value == NULL || *value == '\0')
    return g_strdup (fallback);
  return g_steal_pointer (&value);
}

/**
 * oc_microsoft365_settings_read:
 * @options: (nullable): the command line's options, which win over the settings
 * @out_graph_url: (out) (optional): Microsoft Graph's address
 * @out_domains: (out) (optional): the domains on Exchange Online
 *
 * Returns: (transfer full) (nullable): owacal's registration, or %NULL when
 *   no client ID or tenant is set
 */
OcOAuthConfig *
oc_microsoft365_settings_read (GVariantDict  *options,
                               char         **out_graph_url,
                               GStrv         *out_domains)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autofree char *client_id = option_or_setting (options, "client-id", settings, "microsoft365-client-id", NULL);
  g_autofree char *tenant = option_or_setting (options, "tenant", settings, "microsoft365-tenant", NULL);
  g_autofree char *authority = option_or_setting (options, "microsoft365-authority", settings,
                                                  "microsoft365-authority", OC_OAUTH_DEFAULT_AUTHORITY);
  g_autofree char *redirect_uri = option_or_setting (NULL, NULL, settings, "microsoft365-redirect-uri",
                                                     OC_OAUTH_DEFAULT_REDIRECT_URI);
  g_autofree const char **domains = NULL;

  if (out_graph_url != NULL)
    *out_graph_url = option_or_setting (options, "microsoft365-graph-url", settings, "microsoft365-graph-url",
                                        OC_GRAPH_DEFAULT_URL);
  if (out_domains != NULL)
    {
      if (options != NULL && g_variant_dict_lookup (options, "microsoft365-domain", "^a&s", &domains))
        *out_domains = g_strdupv ((char **) domains);
      else
        *out_domains = settings ? g_settings_get_strv (settings, "microsoft365-domains") : g_new0 (char *, 1);
    }
  if (client_id == NULL || *client_id == '\0' || tenant == NULL || *tenant == '\0')
    return NULL;
  return oc_oauth_config_new (authority, tenant, client_id, redirect_uri);
}

/**
 * oc_microsoft365_settings_apply:
 * @microsoft365: the application's Microsoft 365
 * @options: (nullable): a command line's options
 */
void
oc_microsoft365_settings_apply (OcMicrosoft365 *microsoft365,
                                GVariantDict   *options)
{
  g_autofree char *graph_url = NULL;
  g_auto (GStrv) domains = NULL;
  g_autoptr (OcOAuthConfig) config = oc_microsoft365_settings_read (options, &graph_url, &domains);

  oc_microsoft365_configure (microsoft365, config, graph_url, (const char *const *) domains);
}

/**
 * oc_microsoft365_settings_run_setup:
 * @options: the command line's options
 *
 * owacal --setup-microsoft365 --client-id ID --tenant TENANT: writes the
 * settings for this user and says what it did.
 *
 * Returns: the exit status, or -1 when not asked to
 */
int
oc_microsoft365_settings_run_setup (GVariantDict *options)
{
  g_autoptr (GSettings) settings = NULL;
  const char *client_id = NULL, *tenant = NULL, *text = NULL;
  g_autofree const char **domains = NULL;

  if (!g_variant_dict_contains (options, "setup-microsoft365"))
    return -1;
  if (!g_variant_dict_lookup (options, "client-id", "&s", &client_id) || *client_id == '\0' ||
      !g_variant_dict_lookup (options, "tenant", "&s", &tenant) || *tenant == '\0')
    {
      g_printerr ("owacal: --setup-microsoft365 needs --client-id and --tenant, both from your administrator\n");
      return 2;
    }
  settings = oc_settings_open ();
  if (settings == NULL)
    {
      g_printerr ("owacal: owacal’s settings schema (%s) is not installed: nothing was saved\n", APPLICATION_ID);
      return 1;
    }
  g_settings_delay (settings);
  g_settings_set_string (settings, "microsoft365-client-id", client_id);
  g_settings_set_string (settings, "microsoft365-tenant", tenant);
  if (g_variant_dict_lookup (options, "microsoft365-domain", "^a&s", &domains))
    g_settings_set_strv (settings, "microsoft365-domains", domains);
  if (g_variant_dict_lookup (options, "microsoft365-authority", "&s", &text))
    g_settings_set_string (settings, "microsoft365-authority", text);
  if (g_variant_dict_lookup (options, "microsoft365-graph-url", "&s", &text))
    g_settings_set_string (settings, "microsoft365-graph-url", text);
  g_settings_apply (settings);
  g_settings_sync ();
  g_print ("owacal: Microsoft 365 is set up for you: client ID %s, tenant %s.\n", client_id, tenant);
  if (domains != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) domains);
      g_print ("owacal: colleagues of %s are read from Microsoft 365.\n", list);
    }
  else
    g_print ("owacal: colleagues are read from Microsoft 365 unless an Exchange Web Services address (ews-url) is "
             "set; --microsoft365-domain limits it to domains.\n");
  g_print ("owacal: you sign in the first time you open a colleague’s calendar.\n");
  return 0;
}

/**
 * oc_microsoft365_settings_forget:
 * @options: (nullable): the command line's options (--client-id, --tenant)
 * @name: what --forget-password got
 * @out_status: (out): the exit status, when @name meant Microsoft 365
 *
 * `--forget-password microsoft365` removes the Microsoft 365 sign-in (the
 * refresh tokens of the configured tenant and client ID) from the keyring;
 * so does the tenant's name.
 *
 * Returns: whether @name meant Microsoft 365
 */
gboolean
oc_microsoft365_settings_forget (GVariantDict *options,
                                 const char   *name,
                                 int          *out_status)
{
  g_autoptr (OcOAuthConfig) config = oc_microsoft365_settings_read (options, NULL, NULL);
  g_autoptr (GError) error = NULL;

  if (g_ascii_strcasecmp (name, OC_MICROSOFT365_FORGET_NAME) != 0 &&
      (config == NULL || g_ascii_strcasecmp (name, config->tenant) != 0))
    return FALSE;
  *out_status = 0;
  if (config == NULL)
    g_print ("owacal: Microsoft 365 is not set up: there is no sign-in to forget\n");
  else if (oc_keyring_forget_tokens_sync (config->tenant, config->client_id, NULL, NULL, &error))
    g_print ("owacal: removed the Microsoft 365 sign-in (tenant %s) from the keyring\n", config->tenant);
  else if (error == NULL)
    g_print ("owacal: the keyring holds no Microsoft 365 sign-in for tenant %s\n", config->tenant);
  else
    {
      g_printerr ("owacal: %s\n", error->message);
      *out_status = 1;
    }
  return TRUE;
}
