/* oc-lookup.c: the app's side of finding a calendar by e-mail address.
 *
 * lib/lookup/oc-resolver.c does the looking; this file configures it from the
 * settings (when the schema is installed) and the command line, which
 * overrides them for one run, and implements --print-url, which resolves
 * in the calling process and never starts WebKit or becomes the running
 * owacal: scripts and administrators use it to check where an address leads.
 */
#include "config.h"
#include "oc-lookup.h"

#include "oc-lookup-autodiscover.h"
#include "oc-microsoft365-settings.h"
#include "oc-password-file.h"
#include "oc-password-provider.h"
#include "oc-settings.h"
#include "oc-target.h"

#include <string.h>

const GOptionEntry oc_lookup_option_entries[] = {
  { "print-url", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Only look up the calendar of an e-mail address: print its address and where it was found", NULL },
  { "profile", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Read address books and directories from this Thunderbird profile (default: Thunderbird’s own)",
    "NAME|DIR" },
  { "lookup-sources", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Where to look up e-mail addresses, in order (default: thunderbird-address-books,microsoft365,"
    "thunderbird-directories,directory,exchange,url-template)", "LIST" },
  { "ews-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Read colleagues' calendars through this Exchange Web Services address (Exchange 2016 and later)", "URL" },
  { "url-template", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Last resort for e-mail addresses: a calendar address with {email}, {local}, {domain}", "URL" },
  { "directory", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Look e-mail addresses up in this LDAP directory too (ldap[s]://host/base??sub?filter)", "URL" },
  { "directory-attribute", 0, 0, G_OPTION_ARG_STRING, NULL,
    "The directory attribute holding the calendar address (default extensionAttribute1)", "ATTRIBUTE" },
  { "directory-bind-dn", 0, 0, G_OPTION_ARG_STRING, NULL, "Sign in to the directory as DN", "DN" },
  { "directory-sasl-mechanism", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Sign in to the directory with GSSAPI (your Kerberos ticket)", "GSSAPI" },
  { "directory-password-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Read the password for directory sign-ins (a bind DN) from FILE, readable by you only", "FILE" },
  { NULL }
};

/* The password for directory binds, from --directory-password-file. */
typedef struct {
  char *password;
} PasswordSource;

static void
password_source_free (gpointer data)
{
  PasswordSource *source = data;

  if (source->password != NULL)
    explicit_bzero (source->password, strlen (source->password));
  g_free (source->password);
  g_free (source);
}

/* Called in the lookup's worker thread. */
static char *
directory_password_cb (OcLdapDirectory *directory,
                       const char      *bind_dn,
                       gboolean         retry,
                       gpointer         user_data,
                       GCancellable    *cancellable,
                       GError         **error)
{
  PasswordSource *source = user_data;

  /* Once, as given: a refused password is not tried again. */
  if (retry)
    return NULL;
  return g_strdup (source->password);
}

static char *
lookup_setting (GSettings  *settings,
                const char *key)
{
  return settings != NULL ? g_settings_get_string (settings, key) : NULL;
}

/* An option given on the command line wins over the setting. */
static char *
option_or_setting (GVariantDict *options,
                   const char   *option,
                   GSettings    *settings,
                   const char   *key)
{
  const char *text = NULL;

  if (options != NULL && g_variant_dict_lookup (options, option, "&s", &text))
    return g_strdup (text);
  return lookup_setting (settings, key);
}

static GFile *
option_file (GVariantDict *options,
             const char   *option,
             GFile        *cwd)
{
  const char *path = NULL;

  if (options == NULL || !g_variant_dict_lookup (options, option, "^&ay", &path))
    return NULL;
  return cwd != NULL ? g_file_resolve_relative_path (cwd, path) : g_file_new_for_path (path);
}

static gboolean
configure_directories (OcResolver             *resolver,
                       GSettings              *settings,
                       GVariantDict           *options,
                       GFile                  *cwd,
                       OcCredentialsProvider  *provider,
                       GError                **error)
{
  g_autofree char *uri = option_or_setting (options, "directory", settings, "directory-uri");
  g_autofree char *attribute = option_or_setting (options, "directory-attribute", settings, "directory-attribute");
  g_autofree char *bind_dn = option_or_setting (options, "directory-bind-dn", settings, "directory-bind-dn");
  g_autofree char *mechanism = option_or_setting (options, "directory-sasl-mechanism", settings,
                                                  "directory-sasl-mechanism");
  g_autoptr (GFile) password_file = option_file (options, "directory-password-file", cwd);
  g_autoptr (GFile) ca_file = option_file (options, "ca-file", cwd);
  g_autofree char *ca_path = ca_file ? g_file_get_path (ca_file) : lookup_setting (settings, "ca-file");

  if (password_file != NULL)
    {
      PasswordSource *source = g_new0 (PasswordSource, 1);
      oc_resolver_set_password_func (resolver, directory_password_cb, source, password_source_free);
      if (!oc_password_file_read (password_file, &source->password, error))
        return FALSE;
    }
  else
    /* The keyring, then the sign-in dialog, as for web sites; the lookup's thread waits. */
    oc_resolver_set_credentials_provider (resolver, provider);
  oc_resolver_set_ldap_options (resolver, 0, ca_path != NULL && *ca_path != '\0' ? ca_path : NULL);
  if (uri != NULL && *uri != '\0')
    {
      g_autoptr (OcLdapDirectory) directory = oc_ldap_directory_new (uri, uri, error);
      if (directory == NULL)
        return FALSE;
      oc_ldap_directory_set_custom1_attributes (directory, attribute && *attribute ? attribute : "extensionAttribute1");
      oc_ldap_directory_set_bind_dn (directory, bind_dn);
      if (!oc_ldap_directory_set_sasl_mechanism (directory, mechanism, error))
        return FALSE;
      oc_resolver_set_directory (resolver, directory);
    }
  return TRUE;
}

/**
 * oc_lookup_new_resolver:
 * @options: (nullable): the command line's options
 * @cwd: (nullable): the directory relative paths in @options are relative to
 * @provider: (nullable): asked for directory passwords (unless @options has a password file)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a resolver configured from the
 *   settings and @options, or %NULL with @error set for a bad option
 */
OcResolver *
oc_lookup_new_resolver (GVariantDict           *options,
                        GFile                  *cwd,
                        OcCredentialsProvider  *provider,
                        GError                **error)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autoptr (OcResolver) resolver = oc_resolver_new ();
  g_autofree char *profile = lookup_setting (settings, "thunderbird-profile");
  g_autofree char *url_template = lookup_setting (settings, "url-template");
  g_autofree char *ews_url = lookup_setting (settings, "ews-url");
  g_auto (GStrv) sources = settings ? g_settings_get_strv (settings, "lookup-sources") : NULL;
  const char *text = NULL;

  if (options != NULL && g_variant_dict_lookup (options, "profile", "^&ay", &text))
    {
      g_free (profile);
      /* A name stays a name; a path is taken relative to the caller's directory. */
      if (strchr (text, '/') == NULL || cwd == NULL)
        profile = g_strdup (text);
      else
        {
          g_autoptr (GFile) file = g_file_resolve_relative_path (cwd, text);
          profile = g_file_get_path (file);
        }
    }
  if (options != NULL && g_variant_dict_lookup (options, "url-template", "&s", &text))
    {
      g_free (url_template);
      url_template = g_strdup (text);
    }
  if (options != NULL && g_variant_dict_lookup (options, "ews-url", "&s", &text))
    {
      g_free (ews_url);
      ews_url = g_strdup (text);
    }
  if (options != NULL && g_variant_dict_lookup (options, "lookup-sources", "&s", &text))
    {
      g_strfreev (sources);
      sources = g_strsplit (text, ",", -1);
      for (char **source = sources; *source; source++)
        g_strstrip (*source);
    }

  if (!configure_directories (resolver, settings, options, cwd, provider, error))
    return NULL;
  oc_resolver_set_profile (resolver, profile);
  oc_resolver_set_url_template (resolver, url_template);
  oc_resolver_set_exchange_url (resolver, ews_url);
  if (sources != NULL && !oc_resolver_set_sources (resolver, (const char *const *) sources, error))
    return NULL;
  return g_steal_pointer (&resolver);
}

/* --print-url runs before the application starts: its own HTTP client, told
 * what the command line says about certificates and sign-in. */
static OcEwsAutodiscover *
new_print_url_autodiscover (GVariantDict           *options,
                            GFile                  *cwd,
                            OcCredentialsProvider  *provider,
                            GError                **error)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autoptr (OcHttpClient) client = oc_http_client_new ();
  g_autoptr (OcEwsAutodiscover) autodiscover = oc_ews_autodiscover_new (client);
  g_autoptr (GFile) ca_file = option_file (options, "ca-file", cwd);
  g_autoptr (GFile) password_file = option_file (options, "password-file", cwd);
  g_autofree char *ca_path = ca_file ? g_file_get_path (ca_file) : lookup_setting (settings, "ca-file");
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "owacal", "autodiscover.ini", NULL);
  const char *user = NULL;

  if (ca_path != NULL && *ca_path != '\0')
    oc_http_client_set_ca_file (client, ca_path);
  oc_http_client_set_credentials_provider (client, provider);
  if (g_variant_dict_lookup (options, "user", "&s", &user))
    {
      g_autofree char *password = NULL;
      if (password_file != NULL && !oc_password_file_read (password_file, &password, error))
        return NULL;
      oc_http_client_set_credentials (client, user, password);
      if (password != NULL)
        explicit_bzero (password, strlen (password));
    }
  oc_ews_autodiscover_set_cache (autodiscover, cache, 0);
  return g_steal_pointer (&autodiscover);
}

static void
keep_result_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **kept = user_data;

  *kept = g_object_ref (result);
}

/* --print-url's own client for Microsoft 365: it signs in only silently. */
static OcMicrosoft365 *
new_print_microsoft365 (GVariantDict *options,
                        GFile        *cwd)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autoptr (OcHttpClient) http = oc_http_client_new ();
  g_autoptr (GFile) ca_file = option_file (options, "ca-file", cwd);
  g_autofree char *ca_path = ca_file ? g_file_get_path (ca_file) : lookup_setting (settings, "ca-file");
  OcMicrosoft365 *microsoft365 = oc_microsoft365_new (http);

  if (ca_path != NULL && *ca_path != '\0')
    oc_http_client_set_ca_file (http, ca_path);
  oc_microsoft365_settings_apply (microsoft365, options);
  return microsoft365;
}

/**
 * oc_lookup_print_url:
 * @options: the command line's options
 * @targets: (element-type OcTarget): what the command line names
 *
 * owacal --print-url ADDRESS: prints the calendar's address and, on a
 * second line, where it was found; notes about sources that failed go to
 * stderr. When nothing is found it prints where it looked.
 *
 * Returns: the exit status: 0 found, 1 not found, 2 wrong usage
 */
int
oc_lookup_print_url (GVariantDict *options,
                     GPtrArray    *targets)
{
  g_autoptr (GFile) cwd = g_file_new_for_path (".");
  g_autoptr (OcPasswordProvider) provider = oc_password_provider_new (NULL);
  g_autoptr (OcResolver) resolver = NULL;
  g_autoptr (OcResolution) resolution = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (OcEwsAutodiscover) autodiscover = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = NULL;
  g_autoptr (OcMicrosoft365) microsoft365 = NULL;
  const OcTarget *target;

  if (targets->len != 1)
    {
      g_printerr ("owacal: --print-url takes exactly one e-mail address\n");
      return 2;
    }
  target = g_ptr_array_index (targets, 0);
  if (target->kind != OC_TARGET_KIND_EMAIL)
    {
      g_printerr ("owacal: --print-url looks up e-mail addresses; “%s” is already a calendar address\n",
                  target->value ? target->value : "owacal:demo");
      return 2;
    }
  /* A directory's password may come from the keyring; nobody is asked on a terminal. */
  oc_password_provider_set_interactive (provider, FALSE);
  resolver = oc_lookup_new_resolver (options, cwd, OC_CREDENTIALS_PROVIDER (provider), &error);
  if (resolver == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return 2;
    }
  autodiscover = new_print_url_autodiscover (options, cwd, OC_CREDENTIALS_PROVIDER (provider), &error);
  if (autodiscover == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return 2;
    }
  oc_lookup_set_autodiscover (autodiscover);
  /* Microsoft 365's directory, when signed in before: silently, never asking. */
  microsoft365 = new_print_microsoft365 (options, cwd);
  oc_resolver_set_microsoft365 (resolver, oc_microsoft365_get_client (microsoft365));
  /* The keyring answers on this thread's main loop while the lookup's thread waits. */
  oc_lookup_resolve_async (resolver, target->value, NULL, keep_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  resolution = oc_lookup_resolve_finish (result, &found, &error);
  oc_lookup_set_autodiscover (NULL);
  if (resolution == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return 1;
    }
  for (char **note = resolution->notes; *note; note++)
    g_printerr ("owacal: note: %s\n", *note);
  /* A colleague on Exchange: the link that opens her calendar, and where Exchange is. */
  if (found != NULL)
    {
      g_print ("owacal:%s\n", resolution->target->value);
      if (found->kind == OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365)
        g_print ("microsoft-365: %s\n", found->ews_url);
      else
        g_print ("exchange: %s\n", found->ews_url);
    }
  else if (resolution->target->kind == OC_TARGET_KIND_EXCHANGE)
    {
      g_autoptr (GSettings) settings = oc_settings_open ();
      g_autofree char *ews_url = lookup_setting (settings, "ews-url");
      const char *option = NULL;

      if (g_variant_dict_lookup (options, "ews-url", "&s", &option))
        {
          g_free (ews_url);
          ews_url = g_strdup (option);
        }
      g_print ("owacal:%s\n", resolution->target->value);
      if (oc_microsoft365_serves (microsoft365, resolution->target->value, ews_url && *ews_url))
        g_print ("microsoft365: %s (tenant %s)\n", oc_microsoft365_get_graph_url (microsoft365),
                 oc_oauth_token_get_config (oc_microsoft365_get_token (microsoft365))->tenant);
      else
        g_print ("exchange: %s\n", ews_url && *ews_url ? ews_url : "none set (ews-url)");
    }
  else
    g_print ("%s\n", resolution->target->value);
  g_print ("source: %s%s%s%s\n", resolution->source, resolution->detail ? " (" : "",
           resolution->detail ? resolution->detail : "", resolution->detail ? ")" : "");
  return 0;
}

/* What the tab shows while the lookup runs. */
static char *
render_progress_page (const char *email)
{
  g_autofree char *escaped = g_markup_escape_text (email, -1);

  return g_strdup_printf ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                          "<title>Looking up %s…</title><style>"
                          ":root{color-scheme:light dark}body{font:15px/1.5 Cantarell,'Noto Sans',sans-serif;"
                          "margin:0}main{max-width:38em;margin:20vh auto;padding:2em;text-align:center;opacity:.7}"
                          "</style></head><body data-owacal-lookup='running'><main role='status'>"
                          "<p>Looking up the calendar of <strong>%s</strong>…</p></main></body></html>\n",
                          escaped, escaped);
}

typedef struct {
  OcResolver *resolver;
  char *email;
  GApplication *application;
  GWeakRef tab;
  OcLookupFoundFunc found;
  gpointer user_data;
} TabLookup;

static void
tab_lookup_free (TabLookup *lookup)
{
  g_object_unref (lookup->resolver);
  g_free (lookup->email);
  g_weak_ref_clear (&lookup->tab);
  g_free (lookup);
}

/* “Try Again” on the error page: the address may be in a book or the directory by now. */
static void
retry_lookup (OcTab    *tab,
              gpointer  user_data)
{
  TabLookup *lookup = user_data;

  oc_lookup_open_in_tab (lookup->resolver, lookup->email, tab, lookup->application, lookup->found,
                         lookup->user_data);
}

static void
tab_lookup_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TabLookup *lookup = user_data;
  g_autoptr (OcTab) tab = g_weak_ref_get (&lookup->tab);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcResolution) resolution = oc_lookup_resolve_finish (result, NULL, &error);

  g_application_release (lookup->application);
  /* The user may have closed the tab meanwhile. */
  if (tab != NULL && resolution != NULL)
    lookup->found (tab, resolution->target, lookup->user_data);
  else if (tab != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      oc_tab_show_error_with_retry (tab, error, retry_lookup, lookup, (GDestroyNotify) tab_lookup_free);
      return;
    }
  tab_lookup_free (lookup);
}

/**
 * oc_lookup_resolver_for_command_line:
 * @command_line: an invocation of owacal
 * @options: its options
 * @targets: (element-type OcTarget): what it names
 * @provider: (nullable): asked for directory passwords
 * @out_resolver: (out) (transfer full) (nullable): a resolver if @targets has an e-mail address, else %NULL
 * @error: return location for a #GError
 *
 * Returns: %FALSE if the lookup options are not valid
 */
gboolean
oc_lookup_resolver_for_command_line (GApplicationCommandLine  *command_line,
                                     GVariantDict             *options,
                                     GPtrArray                *targets,
                                     OcCredentialsProvider    *provider,
                                     OcResolver              **out_resolver,
                                     GError                  **error)
{
  *out_resolver = NULL;
  for (guint i = 0; i < targets->len; i++)
    if (((OcTarget *) g_ptr_array_index (targets, i))->kind == OC_TARGET_KIND_EMAIL)
      {
        g_autoptr (GFile) cwd = g_application_command_line_create_file_for_arg (command_line, ".");
        *out_resolver = oc_lookup_new_resolver (options, cwd, provider, error);
        return *out_resolver != NULL;
      }
  return TRUE;
}

/**
 * oc_lookup_open_in_tab:
 * @resolver: a resolver
 * @email: the address to look up
 * @tab: the tab that will show the calendar; it says “Looking up…” meanwhile
 * @application: held while the lookup runs
 * @found: called with the calendar, if @tab is still open
 * @user_data: for @found
 *
 * Looks @email up in a worker thread, never blocking the window. When
 * nothing is found, @tab shows the error page, which says where owacal looked.
 */
void
oc_lookup_open_in_tab (OcResolver        *resolver,
                       const char        *email,
                       OcTab             *tab,
                       GApplication      *application,
                       OcLookupFoundFunc  found,
                       gpointer           user_data)
{
  g_autofree char *page = render_progress_page (email);
  TabLookup *lookup = g_new0 (TabLookup, 1);

  webkit_web_view_load_html (oc_tab_get_web_view (tab), page, NULL);
  lookup->resolver = g_object_ref (resolver);
  lookup->email = g_strdup (email);
  lookup->application = application;
  g_weak_ref_init (&lookup->tab, tab);
  lookup->found = found;
  lookup->user_data = user_data;
  g_application_hold (application);
  oc_lookup_resolve_async (resolver, email, NULL, tab_lookup_done_cb, lookup);
}
