/* oc-connection-config.c: what the HTTP client is told: settings and options.
 *
 * lib/ reads no settings; it is told. This object reads owacal's GSettings
 * (trusted domains, servers allowed to get a password over http), adds what
 * command lines gave for the life of the process, and hands the result to
 * the client, again whenever a setting changes.
 */
#include "config.h"
#include "oc-connection-config.h"

#include "oc-trusted-domain.h"

struct _OcConnectionConfig {
  GObject parent_instance;

  OcHttpClient *client;
  GSettings *settings;             /* NULL when the schema is not installed */
  GPtrArray *extra_trusted_domains;
  GPtrArray *extra_http_hosts;
};

G_DEFINE_FINAL_TYPE (OcConnectionConfig, oc_connection_config, G_TYPE_OBJECT)

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      /* Run from the build tree, uninstalled: the schema compiled there. */
      g_autoptr (GSettingsSchemaSource) built =
        g_settings_schema_source_new_from_directory (OC_BUILD_ROOT "/data", source, FALSE, NULL);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, APPLICATION_ID, FALSE);
    }
  /* Without a schema, owacal runs on its defaults and the options. */
  return schema ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static GStrv
merge_lists (GSettings  *settings,
             const char *key,
             GPtrArray  *extra)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) configured = settings ? g_settings_get_strv (settings, key) : NULL;

  if (configured != NULL)
    g_strv_builder_addv (builder, (const char **) configured);
  for (guint i = 0; i < extra->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (extra, i));
  return g_strv_builder_end (builder);
}

static void
apply (OcConnectionConfig *self)
{
  g_auto (GStrv) domains = merge_lists (self->settings, "trusted-domains", self->extra_trusted_domains);
  g_auto (GStrv) http_hosts = merge_lists (self->settings, "http-sign-in-hosts", self->extra_http_hosts);

  oc_http_client_set_trusted_domains (self->client, (const char *const *) domains);
  oc_http_client_set_http_sign_in_hosts (self->client, (const char *const *) http_hosts);
}

/* Callbacks */

static void
settings_changed_cb (GSettings          *settings,
                     const char         *key,
                     OcConnectionConfig *self)
{
  apply (self);
}

/* GObject */

static void
oc_connection_config_finalize (GObject *object)
{
  OcConnectionConfig *self = OC_CONNECTION_CONFIG (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_ptr_array_unref (self->extra_trusted_domains);
  g_ptr_array_unref (self->extra_http_hosts);
  G_OBJECT_CLASS (oc_connection_config_parent_class)->finalize (object);
}

static void
oc_connection_config_class_init (OcConnectionConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_connection_config_finalize;
}

static void
oc_connection_config_init (OcConnectionConfig *self)
{
  self->extra_trusted_domains = g_ptr_array_new_with_free_func (g_free);
  self->extra_http_hosts = g_ptr_array_new_with_free_func (g_free);
}

/* Public API */

/**
 * oc_connection_config_new:
 * @client: the client to configure
 *
 * Returns: (transfer full): a configuration, already applied to @client
 */
OcConnectionConfig *
oc_connection_config_new (OcHttpClient *client)
{
  OcConnectionConfig *self = g_object_new (OC_TYPE_CONNECTION_CONFIG, NULL);

  self->client = g_object_ref (client);
  self->settings = create_settings ();
  if (self->settings != NULL)
    g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  apply (self);
  return self;
}

/**
 * oc_connection_config_add_trusted_domain:
 * @self: a configuration
 * @domain: a domain to trust, as --trusted-domain gave it
 * @error: return location for a #GError
 *
 * Returns: %FALSE if @domain is no domain owacal can trust
 */
gboolean
oc_connection_config_add_trusted_domain (OcConnectionConfig  *self,
                                         const char          *domain,
                                         GError             **error)
{
  if (!oc_trusted_domain_check (domain, error))
    return FALSE;
  g_ptr_array_add (self->extra_trusted_domains, g_strdup (domain));
  apply (self);
  return TRUE;
}

/**
 * oc_connection_config_add_http_sign_in_host:
 * @self: a configuration
 * @host: a server that may get the password over plain http
 */
void
oc_connection_config_add_http_sign_in_host (OcConnectionConfig *self,
                                            const char         *host)
{
  g_ptr_array_add (self->extra_http_hosts, g_strdup (host));
  apply (self);
}
