/* oc-connection-config.c: what the HTTP client is told: settings and options.
 *
 * lib/ reads no settings; it is told. This object reads owacal's GSettings
 * (trusted domains, servers allowed to get a password over http), adds what
 * command lines gave for the life of the process, and hands the result to
 * the client, again whenever a setting changes.
 *
 * The desktop's proxy settings reach the client as the default
 * GProxyResolver. It also keeps the certificates the user trusted for one
 * server each, in
 * $XDG_DATA_HOME/owacal/trusted-certificates (a key file: one group per
 * "host:port" with the certificate's fingerprint and public key), and pins
 * them in the client.
 */
#include "config.h"
#include "oc-connection-config.h"

#include <errno.h>
#include <string.h>

#include "oc-certificate.h"
#include "oc-settings.h"
#include "oc-trusted-domain.h"

#define PINS_FILE "trusted-certificates"

struct _OcConnectionConfig {
  GObject parent_instance;

  OcHttpClient *client;
  GSettings *settings;             /* NULL when the schema is not installed */
  GPtrArray *extra_trusted_domains;
  GPtrArray *extra_http_hosts;
};

G_DEFINE_FINAL_TYPE (OcConnectionConfig, oc_connection_config, G_TYPE_OBJECT)

static char *
dup_pins_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "owacal", PINS_FILE, NULL);
}

/* "host:port", where host may be an IPv6 literal in brackets. */
static gboolean
split_host_port (const char  *text,
                 char       **out_host,
                 guint16     *out_port)
{
  const char *colon = strrchr (text, ':');
  guint64 port = 443;

  if (colon != NULL && strchr (colon, ']') == NULL)
    {
      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        return FALSE;
    }
  else
    colon = text + strlen (text);
  if (colon == text)
    return FALSE;
  /* Brackets around an IPv6 address are URL syntax; the client keys by the address. */
  if (text[0] == '[' && colon[-1] == ']')
    *out_host = g_ascii_strdown (text + 1, colon - text - 2);
  else
    *out_host = g_ascii_strdown (text, colon - text);
  *out_port = (guint16) port;
  return TRUE;
}

static void
load_pins (OcConnectionConfig *self)
{
  g_autofree char *path = dup_pins_path ();
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_auto (GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return;
  groups = g_key_file_get_groups (file, NULL);
  for (char **group = groups; *group != NULL; group++)
    {
      g_autofree char *host = NULL;
      g_autofree char *fingerprint = g_key_file_get_string (file, *group, "fingerprint", NULL);
      g_autofree char *key = g_key_file_get_string (file, *group, "public-key", NULL);
      guint16 port = 0;

      if (split_host_port (*group, &host, &port) && (fingerprint != NULL || key != NULL))
        oc_http_client_pin_certificate (self->client, host, port, fingerprint, key);
    }
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
  self->settings = oc_settings_open ();
  if (self->settings != NULL)
    g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  apply (self);
  load_pins (self);
  /* The desktop's proxy settings (and PAC, libproxy, the environment), per server. */
  oc_http_client_set_proxy_resolver (client, g_proxy_resolver_get_default ());
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

/**
 * oc_connection_config_trust_certificate:
 * @self: a configuration
 * @certificate: a certificate the user chose to trust for its server
 * @error: return location for a #GError
 *
 * Pins @certificate for its host and port, now and in later runs.
 *
 * Returns: %FALSE if the choice could not be saved (it holds for this run)
 */
gboolean
oc_connection_config_trust_certificate (OcConnectionConfig  *self,
                                        OcCertificate       *certificate,
                                        GError             **error)
{
  g_autofree char *path = dup_pins_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *group = g_strdup_printf ("%s:%u", oc_certificate_get_host (certificate),
                                            oc_certificate_get_port (certificate));
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  oc_http_client_pin_certificate (self->client, oc_certificate_get_host (certificate),
                                  oc_certificate_get_port (certificate), oc_certificate_get_fingerprint (certificate),
                                  oc_certificate_get_public_key_pin (certificate));
  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_comment (file, NULL, NULL, " Certificates trusted for one server each (owacal’s "
                          "“Trust This Certificate”). Delete a group to trust it no more.", NULL);
  g_key_file_set_string (file, group, "fingerprint", oc_certificate_get_fingerprint (certificate));
  g_key_file_set_string (file, group, "public-key", oc_certificate_get_public_key_pin (certificate));
  g_key_file_set_string (file, group, "subject", oc_certificate_get_subject (certificate));
  g_key_file_set_string (file, group, "issuer", oc_certificate_get_issuer (certificate));
  g_key_file_set_string (file, group, "trusted", when);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Could not create %s", dir);
      return FALSE;
    }
  if (!g_key_file_save_to_file (file, path, error))
    {
      g_prefix_error (error, "Remembering the certificate of %s: ", group);
      return FALSE;
    }
  return TRUE;
}

/**
 * oc_connection_config_add_trusted_certificate:
 * @self: a configuration
 * @text: "HOST[:PORT]=SHA256-FINGERPRINT", as --trust-certificate gives it
 * @error: return location for a #GError
 *
 * Trusts the certificate with that fingerprint for that server, for this run.
 *
 * Returns: %FALSE if @text is not of that form
 */
gboolean
oc_connection_config_add_trusted_certificate (OcConnectionConfig  *self,
                                              const char          *text,
                                              GError             **error)
{
  const char *equals = strchr (text, '=');
  g_autofree char *server = equals ? g_strndup (text, equals - text) : NULL;
  g_autofree char *fingerprint = equals ? oc_certificate_normalize_fingerprint (equals + 1) : NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;

  if (fingerprint == NULL || !split_host_port (server, &host, &port))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--trust-certificate wants HOST[:PORT]=SHA256-FINGERPRINT (64 hex digits, colons "
                   "allowed), not “%s”", text);
      return FALSE;
    }
  oc_http_client_pin_certificate (self->client, host, port, fingerprint, NULL);
  return TRUE;
}
