/* oc-application.c: one owacal per session; every launch becomes a tab.
 *
 * The first `owacal <target>` becomes the primary instance; later ones hand
 * their command line to it over D-Bus and exit, so every calendar shares one
 * signed-in libcurl client (and its NTLM connections). --snapshot runs on its
 * own, never as the primary instance.
 */
#include "config.h"
#include "oc-application.h"

#include <unistd.h>
#include <webkit2/webkit2.h>

#include "oc-calendar-group.h"
#include "oc-calendar-handler.h"
#include "oc-calendar-url.h"
#include "oc-connection-config.h"
#include "oc-demo-server.h"
#include "oc-error-page.h"
#include "oc-exchange-access.h"
#include "oc-http-client.h"
#include "oc-keyring.h"
#include "oc-lookup.h"
#include "oc-lookup-autodiscover.h"
#include "oc-microsoft365-settings.h"
#include "oc-password-file.h"
#include "oc-password-provider.h"
#include "oc-preferences-dialog.h"
#include "oc-schedule-source.h"
#include "oc-scheme-bridge.h"
#include "oc-scheme-handler.h"
#include "oc-settings.h"
#include "oc-setup-commands.h"
#include "oc-snapshot-command.h"
#include "oc-tab-report.h"
#include "oc-target.h"
#include "oc-web-context.h"
#include "oc-window.h"


struct _OcApplication {
  GtkApplication parent_instance;

  OcHttpClient *client;
  OcConnectionConfig *connection_config;
  OcPasswordProvider *password_provider;
  OcSchemeHandler *scheme_handler;
  OcCalendarHandler *calendar_handler;
  OcExchangeAccess *exchange_access;
  OcMicrosoft365 *microsoft365;  /* Exchange Online: one sign-in for every tab */
  WebKitWebContext *web_context;
  OcDemoServer *demo_server;
  int exit_status;
};

static char *oc_application_resolve_target (OcApplication   *self,
                                            const OcTarget  *target,
                                            const char      *label,
                                            GError         **error);
static char *oc_application_open_calendars (OcApplication   *self,
                                            GPtrArray       *sources);
static void  oc_application_trust_site_of  (OcApplication   *self,
                                            const char      *web_url);

G_DEFINE_FINAL_TYPE (OcApplication, oc_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, "Open the built-in demo calendar", NULL },
  { "user", 'u', 0, G_OPTION_ARG_STRING, NULL, "Windows user name for NTLM sign-in", "DOMAIN\\USER" },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Read the password from FILE, which must be readable by you only", "FILE" },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Also trust the certificate authorities in FILE (PEM)", "FILE" },
  { "trusted-domain", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    "Also sign in to servers in DOMAIN, not only the calendar’s own (repeatable)", "DOMAIN" },
  { "allow-http-sign-in", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    "Let HOST get your password over unencrypted http (repeatable; https is always allowed)", "HOST" },
  { "trust-certificate", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    "Trust the certificate with this SHA-256 fingerprint for HOST, for this run (repeatable)",
    "HOST[:PORT]=SHA256" },
  { "user-agent", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Send this User-Agent (default: Chrome on Linux, so that Exchange serves its full web app)", "UA" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, NULL, "Give up on a silent server after SECONDS (default 60)",
    "SECONDS" },
  { "snapshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Load the calendar without showing it, save it as a PNG picture and print its title", "FILE.png" },
  { "eval", 0, 0, G_OPTION_ARG_STRING, NULL,
    "With --snapshot or --list-tabs: also print the value of a JavaScript expression", "SCRIPT" },
  { "window-size", 0, 0, G_OPTION_ARG_STRING, NULL, "With --snapshot: the page size (default 1280x900)",
    "WIDTHxHEIGHT" },
  { "forget-password", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Remove the password stored for HOST from the keyring (and from the running owacal)", "HOST" },
  { "list-tabs", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Print the calendars open in the running owacal (with --eval, a JavaScript value of each)", NULL },
  { "view", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Show published calendars (iCalendar) by day, week (the default), month or agenda", "VIEW" },
  { "date", 0, 0, G_OPTION_ARG_STRING, NULL, "Show published calendars at this day (default: today)",
    "YYYY-MM-DD" },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, "[CALENDAR…]" },
  { NULL }
};

/* Opening things */

static OcWindow *
get_window (OcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (oc_window_new (GTK_APPLICATION (self), self->web_context));
  return OC_WINDOW (window);
}


/* Published calendars are drawn by owacal: the address of their page. */
static char *
oc_application_open_calendars (OcApplication *self,
                               GPtrArray     *sources)
{
  /* The calendar's own server may have the user's credentials, as for web pages. */
  for (guint i = 0; i < sources->len; i++)
    {
      const char *uri;

      /* Colleagues on Exchange: the EWS server is trusted where it is set. */
      if (!OC_IS_CALENDAR_SOURCE (g_ptr_array_index (sources, i)))
        continue;
      uri = oc_calendar_source_get_uri (g_ptr_array_index (sources, i));
      if (g_str_has_prefix (uri, "http:") || g_str_has_prefix (uri, "https:"))
        oc_application_trust_site_of (self, uri);
    }
  return oc_calendar_handler_add (self->calendar_handler, sources);
}

/* How an Exchange calendar is shown (the calendar-access setting): "auto",
 * "web" (always OWA's web part) or "native" (always through EWS). */
static char *
dup_calendar_access (void)
{
  g_autoptr (GSettings) settings = oc_settings_open ();

  return settings ? g_settings_get_string (settings, "calendar-access") : g_strdup ("auto");
}

/* A colleague's calendar read from Exchange, as a tab's page. */
static char *
open_exchange_calendar (OcApplication *self,
                        const char    *mailbox,
                        const char    *label)
{
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (sources, oc_schedule_source_new (mailbox, label));
  return oc_application_open_calendars (self, sources);
}

/* Exchange asked owacal to wait (ErrorServerBusy): a wait of seconds is said
 * over each page being loaded, and by a --snapshot, which has no window. */
static void
server_busy_cb (OcExchangeAccess *access,
                guint             milliseconds,
                OcApplication    *self)
{
  g_autofree char *text = NULL;
  gboolean shown = FALSE;
  guint seconds = (milliseconds + 999) / 1000;

  if (milliseconds < 2000)
    return;
  text = g_strdup_printf (g_dngettext (NULL, "Exchange is busy: owacal asks again in %u second.",
                                       "Exchange is busy: owacal asks again in %u seconds.", seconds),
                          seconds);
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    {
      g_autoptr (GList) tabs = OC_IS_WINDOW (w->data) ? oc_window_list_tabs (w->data) : NULL;
      for (GList *t = tabs; t != NULL; t = t->next)
        shown |= oc_tab_show_status (t->data, text);
    }
  if (!shown)
    g_printerr ("owacal: %s\n", text);
}

/* OWA refused a calendar web part (Exchange 2016 and later have none): the
 * same mailbox through Exchange Web Services, where owacal knows them. */
static char *
web_part_refused_cb (OcSchemeHandler *handler,
                     const char      *web_url,
                     gpointer         user_data)
{
  OcApplication *self = user_data;
  g_autofree char *access = dup_calendar_access ();
  g_autofree char *mailbox = oc_calendar_url_dup_web_part_mailbox (web_url);

  if (mailbox == NULL || g_str_equal (access, "web") ||
      oc_exchange_access_get_ews_url (self->exchange_access) == NULL)
    return NULL;
  return open_exchange_calendar (self, mailbox, NULL);
}

/* @label: what to call a published calendar (the address it was looked up for), or NULL. */
static char *
oc_application_resolve_target (OcApplication   *self,
                               const OcTarget  *target,
                               const char      *label,
                               GError         **error)
{
  switch (target->kind)
    {
    case OC_TARGET_KIND_WEB:
      {
        g_autofree char *access = dup_calendar_access ();
        g_autofree char *mailbox = oc_calendar_url_dup_web_part_mailbox (target->value);

        /* "native": a web part's mailbox is read from Exchange straight away. */
        if (mailbox != NULL && g_str_equal (access, "native") &&
            oc_exchange_access_get_ews_url (self->exchange_access) != NULL)
          return open_exchange_calendar (self, mailbox, label);
        return g_strdup (target->value);
      }
    case OC_TARGET_KIND_DEMO:
      if (self->demo_server == NULL)
        {
          g_autoptr (OcDemoServer) server = oc_demo_server_new ();
          if (!oc_demo_server_start (server, error))
            {
              g_prefix_error (error, "Starting the demo calendar: ");
              return NULL;
            }
          self->demo_server = g_steal_pointer (&server);
        }
      return oc_demo_server_get_calendar_url (self->demo_server);
    case OC_TARGET_KIND_EMAIL:
      /* Looked up first, in a worker thread: see open_target (). */
      g_set_error (error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                   "“%s” is a person, not a calendar address", target->value);
      return NULL;
    case OC_TARGET_KIND_EXCHANGE:
    case OC_TARGET_KIND_ICALENDAR:
    case OC_TARGET_KIND_ICALENDAR_FILE:
    default:
      {
        g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
        GObject *source = oc_calendar_source_for_target (target, label, error);
        if (source == NULL)
          return NULL;
        g_ptr_array_add (sources, source);
        return oc_application_open_calendars (self, sources);
      }
    }
}

static void
oc_application_trust_site_of (OcApplication *self,
                              const char    *web_url)
{
  g_autoptr (GUri) uri = g_uri_parse (web_url, G_URI_FLAGS_ENCODED, NULL);

  /* The calendar's own server may have the user's credentials; and the user
   * opening it again may be asked for a password again. */
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      oc_http_client_trust_host (self->client, g_uri_get_host (uri));
      oc_http_client_retry_sign_in (self->client, g_uri_get_host (uri));
    }
}

/* Opens @web_url, the address @target resolved to, in @tab or a new tab. */
static void
open_web_url (OcApplication  *self,
              const OcTarget *target,
              const char     *web_url,
              OcTab          *tab)
{
  OcWindow *window;

  if (target->kind == OC_TARGET_KIND_WEB)
    oc_application_trust_site_of (self, web_url);
  /* Fetch and sign in while the web view and its process start. */
  if (!oc_calendar_handler_is_calendar_url (web_url))
    oc_scheme_handler_prefetch (self->scheme_handler, web_url);
  if (tab != NULL)
    {
      oc_tab_open (tab, web_url);
      return;
    }
  window = get_window (self);
  tab = oc_window_add_tab (window, web_url);
  g_object_set_data_full (G_OBJECT (tab), OC_TAB_TARGET_KEY, oc_target_to_argument (target), g_free);
  gtk_window_present (GTK_WINDOW (window));
}

/* A person's calendar was found: open it in the tab that showed the lookup. */
static void
email_found_cb (OcTab          *tab,
                const OcTarget *target,
                gpointer        user_data)
{
  OcApplication *self = user_data;
  g_autoptr (GError) error = NULL;
  /* The address looked up names a published calendar found for it. */
  g_autofree char *web_url = oc_application_resolve_target (self, target, g_object_get_data (G_OBJECT (tab), OC_TAB_TARGET_KEY),
                                             &error);

  if (web_url != NULL)
    open_web_url (self, target, web_url, tab);
  else
    oc_tab_show_error (tab, error);
}

static gboolean
open_target (OcApplication   *self,
             const OcTarget  *target,
             OcResolver      *resolver,
             GError         **error)
{
  g_autofree char *web_url = NULL;
  g_autoptr (OcResolver) default_resolver = NULL;
  OcWindow *window;
  OcTab *tab;

  if (target->kind == OC_TARGET_KIND_EMAIL)
    {
      if (resolver == NULL && (resolver = default_resolver = oc_lookup_new_resolver (NULL, NULL, OC_CREDENTIALS_PROVIDER (self->password_provider), error)) == NULL)
        return FALSE;
      if (default_resolver != NULL)
        oc_resolver_set_microsoft365 (default_resolver, oc_microsoft365_get_client (self->microsoft365));
      /* The tab shows at once; the lookup (files, LDAP) runs in a worker thread. */
      window = get_window (self);
      tab = oc_window_add_tab (window, NULL);
      /* A shortcut made from this tab opens the person, not today's address. */
      g_object_set_data_full (G_OBJECT (tab), OC_TAB_TARGET_KEY, g_strdup (target->value), g_free);
      oc_lookup_open_in_tab (resolver, target->value, tab, G_APPLICATION (self), email_found_cb, self);
      gtk_window_present (GTK_WINDOW (window));
      return TRUE;
    }
  web_url = oc_application_resolve_target (self, target, NULL, error);
  if (web_url == NULL)
    return FALSE;
  open_web_url (self, target, web_url, NULL);
  return TRUE;
}

typedef struct {
  OcApplication *app;
  GWeakRef tab;
} GroupOpening;

static void
group_resolved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GroupOpening *opening = user_data;
  OcApplication *self = opening->app;
  g_autoptr (OcTab) tab = g_weak_ref_get (&opening->tab);
  g_autoptr (OcCalendarGroup) group = oc_calendar_group_resolve_finish (result);

  if (group->sources->len > 0)
    {
      g_autofree char *url = oc_application_open_calendars (self, group->sources);
      if (tab != NULL)
        oc_tab_open (tab, url);
    }
  else if (tab != NULL && group->errors->len > 0)
    {
      g_autoptr (GError) error = g_error_new_literal (OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                                                      g_ptr_array_index (group->errors, 0));
      oc_tab_show_error (tab, error);
    }
  /* Addresses that led to OWA pages: a tab each, the first in this one if it is free. */
  for (guint i = 0; i < group->others->len; i++)
    {
      OcTarget *target = g_ptr_array_index (group->others, i);
      g_autoptr (GError) error = NULL;
      g_autofree char *web_url = oc_application_resolve_target (self, target, NULL, &error);
      gboolean reuse = tab != NULL && i == 0 && group->sources->len == 0 && group->errors->len == 0;
      if (web_url != NULL)
        open_web_url (self, target, web_url, reuse ? tab : NULL);
      else
        g_warning ("%s", error->message);
    }
  g_application_release (G_APPLICATION (self));
  g_weak_ref_clear (&opening->tab);
  g_free (opening);
}

/* Several published calendars (or people) on one command line: one tab, side by side. */
static void
open_calendar_group (OcApplication *self,
                     GPtrArray     *targets,
                     OcResolver    *resolver)
{
  OcWindow *window = get_window (self);
  OcTab *tab = oc_window_add_tab (window, NULL);
  GroupOpening *opening = g_new0 (GroupOpening, 1);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GStrv arguments = g_new0 (char *, targets->len + 1);

  /* A shortcut made from this tab opens the same people side by side. */
  for (guint i = 0; i < targets->len; i++)
    arguments[i] = oc_target_to_argument (g_ptr_array_index (targets, i));
  g_object_set_data_full (G_OBJECT (tab), OC_TAB_GROUP_KEY, arguments, (GDestroyNotify) g_strfreev);

  for (guint i = 0; i < targets->len; i++)
    if (((OcTarget *) g_ptr_array_index (targets, i))->kind == OC_TARGET_KIND_EMAIL)
      g_ptr_array_add (names, ((OcTarget *) g_ptr_array_index (targets, i))->value);
  g_ptr_array_add (names, NULL);
  if (names->len > 1)
    {
      g_autofree char *page = oc_calendar_page_render_waiting ((const char *const *) names->pdata);
      webkit_web_view_load_html (oc_tab_get_web_view (tab), page, NULL);
    }
  gtk_window_present (GTK_WINDOW (window));
  opening->app = self;
  g_weak_ref_init (&opening->tab, tab);
  g_application_hold (G_APPLICATION (self));
  oc_calendar_group_resolve_async (targets, resolver, group_resolved_cb, opening);
}

static void
show_welcome (OcApplication *self)
{
  OcWindow *window = get_window (self);
  OcTab *tab = oc_window_add_tab (window, NULL);
  g_autoptr (GBytes) page = g_resources_lookup_data ("/io/github/owacal/Owacal/welcome.html",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_object_set_data (G_OBJECT (tab), OC_TAB_WELCOME_KEY, GINT_TO_POINTER (TRUE));

  webkit_web_view_load_html (oc_tab_get_web_view (tab), g_bytes_get_data (page, NULL), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

/* A link clicked in a mail or a chat has no terminal to print to: the
 * refusal is a page in the window, as load failures are. */
static void
show_open_error (OcApplication *self,
                 const GError  *error,
                 const char    *text)
{
  OcWindow *window = get_window (self);
  OcTab *tab = oc_window_add_tab (window, NULL);
  g_autofree char *page = oc_error_page_render (error, text);

  g_message ("Cannot open %s: %s", text, error->message);
  webkit_web_view_load_html (oc_tab_get_web_view (tab), page, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

/* What --snapshot needs of the application (see oc-snapshot-command.h). */

static char *
snapshot_resolve_target (GApplication   *application,
                         const OcTarget *target,
                         const char     *label,
                         GError        **error)
{
  return oc_application_resolve_target (OC_APPLICATION (application), target, label, error);
}

static char *
snapshot_open_calendars (GApplication *application,
                         GPtrArray    *sources)
{
  return oc_application_open_calendars (OC_APPLICATION (application), sources);
}

static void
snapshot_trust_site_of (GApplication *application,
                        const char   *web_url)
{
  oc_application_trust_site_of (OC_APPLICATION (application), web_url);
}

static void
snapshot_set_exit_status (GApplication *application,
                          int           status)
{
  OC_APPLICATION (application)->exit_status = status;
}

/* Command line */

/* Microsoft 365's options replace its settings for the run; a command line
 * without them keeps what the running owacal has, and its sign-in. */
static void
apply_microsoft365_options (OcApplication *self,
                            GVariantDict  *options)
{
  static const char *const names[] = {
    "client-id", "tenant", "microsoft365-domain", "microsoft365-authority", "microsoft365-graph-url",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_variant_dict_contains (options, names[i]))
      {
        oc_microsoft365_settings_apply (self->microsoft365, options);
        return;
      }
}

static gboolean
apply_connection_options (OcApplication            *self,
                          GApplicationCommandLine  *command_line,
                          GVariantDict             *options,
                          GError                  **error)
{
  const char *user = NULL, *password_file = NULL, *ca_file = NULL, *user_agent = NULL, *ews_url = NULL;
  g_autofree const char **trusted_domains = NULL;
  g_autofree const char **http_hosts = NULL;
  g_autofree const char **certificates = NULL;
  int timeout = 0;

  g_variant_dict_lookup (options, "user", "&s", &user);
  g_variant_dict_lookup (options, "password-file", "^&ay", &password_file);
  g_variant_dict_lookup (options, "ca-file", "^&ay", &ca_file);
  g_variant_dict_lookup (options, "user-agent", "&s", &user_agent);
  g_variant_dict_lookup (options, "timeout", "i", &timeout);
  g_variant_dict_lookup (options, "trusted-domain", "^a&s", &trusted_domains);
  g_variant_dict_lookup (options, "allow-http-sign-in", "^a&s", &http_hosts);
  g_variant_dict_lookup (options, "trust-certificate", "^a&s", &certificates);
  if (g_variant_dict_lookup (options, "ews-url", "&s", &ews_url))
    oc_exchange_access_set_ews_url (self->exchange_access, ews_url);
  apply_microsoft365_options (self, options);

  for (const char **domain = trusted_domains; domain != NULL && *domain != NULL; domain++)
    if (!oc_connection_config_add_trusted_domain (self->connection_config, *domain, error))
      return FALSE;
  for (const char **host = http_hosts; host != NULL && *host != NULL; host++)
    oc_connection_config_add_http_sign_in_host (self->connection_config, *host);
  for (const char **pin = certificates; pin != NULL && *pin != NULL; pin++)
    if (!oc_connection_config_add_trusted_certificate (self->connection_config, *pin, error))
      return FALSE;
  if (password_file != NULL && user == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--password-file needs --user to say whose password it is");
      return FALSE;
    }
  if (user != NULL)
    {
      g_autofree char *password = NULL;
      if (password_file != NULL)
        {
          g_autoptr (GFile) file = g_application_command_line_create_file_for_arg (command_line, password_file);
          if (!oc_password_file_read (file, &password, error))
            return FALSE;
        }
      oc_http_client_set_credentials (self->client, user, password);
      if (password != NULL)
        explicit_bzero (password, strlen (password));
    }
  if (ca_file != NULL)
    {
      g_autoptr (GFile) file = g_application_command_line_create_file_for_arg (command_line, ca_file);
      g_autofree char *path = g_file_get_path (file);
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Cannot read the CA file %s", ca_file);
          return FALSE;
        }
      oc_http_client_set_ca_file (self->client, path);
      oc_microsoft365_set_ca_file (self->microsoft365, path);
    }
  if (user_agent != NULL)
    oc_http_client_set_user_agent (self->client, user_agent);
  if (timeout > 0)
    oc_http_client_set_timeouts (self->client, MIN (timeout, 15), timeout);
  return TRUE;
}

static gboolean
apply_calendar_options (OcApplication  *self,
                        GVariantDict   *options,
                        GError        **error)
{
  OcCalendarView view;
  GDate date;

  if (!oc_calendar_parse_start_options (options, &view, &date, error))
    return FALSE;
  oc_calendar_handler_set_start (self->calendar_handler, view, g_date_valid (&date) ? &date : NULL);
  return TRUE;
}

static GPtrArray *
parse_targets (GVariantDict  *options,
               GError       **error)
{
  g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_target_free);
  g_autofree const char **texts = NULL;

  if (g_variant_dict_contains (options, "demo"))
    g_ptr_array_add (targets, oc_target_new (OC_TARGET_KIND_DEMO, NULL));
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &texts))
    for (const char **text = texts; *text; text++)
      {
        OcTarget *target = oc_target_parse (*text, error);
        if (target == NULL)
          return NULL;
        g_ptr_array_add (targets, target);
      }
  return g_steal_pointer (&targets);
}

static int
oc_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  OcApplication *self = OC_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr (GPtrArray) targets = NULL;
  g_autoptr (OcResolver) resolver = NULL;
  g_autoptr (GError) error = NULL;
  const char *host = NULL;

  if (!apply_connection_options (self, command_line, options, &error))
    {
      g_application_command_line_printerr (command_line, "owacal: %s\n", error->message);
      return 2;
    }
  if (g_variant_dict_lookup (options, "forget-password", "&s", &host))
    {
      /* The keyring was done by the process that got the option. */
      if (oc_microsoft365_is_named (self->microsoft365, host))
        oc_microsoft365_forget (self->microsoft365);
      else
        oc_http_client_forget_credentials (self->client, host);
      return 0;
    }
  if (g_variant_dict_contains (options, "list-tabs"))
    {
      const char *script = NULL;
      g_variant_dict_lookup (options, "eval", "&s", &script);
      oc_tab_report_run (GTK_APPLICATION (self), command_line, script);
      return 0;
    }
  targets = parse_targets (options, &error);
  if (targets == NULL || !apply_calendar_options (self, options, &error))
    {
      g_application_command_line_printerr (command_line, "owacal: %s\n", error->message);
      return 2;
    }
  if (!oc_lookup_resolver_for_command_line (command_line, options, targets,
                                            OC_CREDENTIALS_PROVIDER (self->password_provider), &resolver, &error))
    {
      g_application_command_line_printerr (command_line, "owacal: %s\n", error->message);
      return 2;
    }
  /* The settings and this command line's --profile and --directory: where
   * Exchange is found for the calendars it opens. */
  if (resolver != NULL)
    oc_exchange_access_set_directory (self->exchange_access, resolver);
  if (resolver != NULL)
    oc_resolver_set_microsoft365 (resolver, oc_microsoft365_get_client (self->microsoft365));
  /* A snapshot has nobody at a window: a device code, printed, signs in. */
  if (g_variant_dict_contains (options, "snapshot"))
    {
      OcSnapshotHost snapshot_host = {
        G_APPLICATION (self), self->web_context, self->scheme_handler, self->password_provider,
        snapshot_resolve_target, snapshot_open_calendars, snapshot_trust_site_of, snapshot_set_exit_status,
      };
      oc_microsoft365_set_sign_in (self->microsoft365, OC_MICROSOFT365_SIGN_IN_DEVICE_CODE, NULL);
      return oc_snapshot_command_run (&snapshot_host, command_line, options, targets, resolver);
    }

  if (targets->len == 0)
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
      if (window != NULL)
        gtk_window_present (window);
      else
        show_welcome (self);
      return 0;
    }
  if (oc_calendar_group_wanted (targets))
    {
      open_calendar_group (self, targets, resolver);
      return 0;
    }
  for (guint i = 0; i < targets->len; i++)
    if (!open_target (self, g_ptr_array_index (targets, i), resolver, &error))
      {
        g_application_command_line_printerr (command_line, "owacal: %s\n", error->message);
        g_clear_error (&error);
        if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
          return 1;
      }
  return 0;
}

static gboolean
is_instance_running (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  gboolean running = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APPLICATION_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &running);
  return running;
}

/* --forget-password HOST, in the process that got it: no display needed. */
static int
forget_password (const char *host)
{
  g_autoptr (GError) error = NULL;

  if (oc_keyring_forget_sync (host, NULL, &error))
    g_print ("owacal: removed the password for %s from the keyring\n", host);
  else if (error == NULL)
    g_print ("owacal: the keyring holds no password for %s\n", host);
  else
    {
      g_printerr ("owacal: %s\n", error->message);
      return 1;
    }
  return 0;
}

static int
oc_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  g_autoptr (GPtrArray) targets = NULL;
  g_autoptr (GError) error = NULL;
  int status;
  const char *host = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("owacal %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* --register, shortcuts, Thunderbird: done here, never by a running owacal. */
  if ((status = oc_setup_commands_run (options)) >= 0 ||
      (status = oc_microsoft365_settings_run_setup (options)) >= 0)
    return status;
  /* A running owacal forgets its copy too; none needs to start for it. */
  if (g_variant_dict_lookup (options, "forget-password", "&s", &host))
    {
      if (!oc_microsoft365_settings_forget (options, host, &status))
        status = forget_password (host);
      if (status != 0 || !is_instance_running ())
        return status;
    }
  /* A question to the running owacal must not become the running owacal. */
  if (g_variant_dict_contains (options, "list-tabs") && !is_instance_running ())
    {
      g_printerr ("owacal: owacal is not running\n");
      return 1;
    }
  /* Refuse bad targets here, before bothering the running instance. */
  targets = parse_targets (options, &error);
  if (targets == NULL)
    {
      g_printerr ("owacal: %s\n", error->message);
      return 2;
    }
  /* Resolves here, in this process: no WebKit, no window, no running instance. */
  if (g_variant_dict_contains (options, "print-url"))
    return oc_lookup_print_url (options, targets);
  if (g_variant_dict_contains (options, "snapshot"))
    g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
oc_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  OcApplication *self = OC_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr (OcTarget) target = NULL;
      g_autoptr (GError) error = NULL;

      target = oc_target_parse (uri, &error);
      if (target == NULL || !open_target (self, target, NULL, &error))
        show_open_error (self, error, uri);
    }
}

static void
oc_application_activate (GApplication *application)
{
  OcApplication *self = OC_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    show_welcome (self);
}

/* Application actions */

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *authors[] = { "The owacal developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", "owacal",
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", "Your colleagues’ Exchange calendars, on the Linux desktop",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_autoptr (GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closed as by their close button, so that each keeps its state. */
  for (GList *w = windows; w != NULL; w = w->next)
    gtk_widget_destroy (w->data);
  g_application_quit (G_APPLICATION (user_data));
}

static void
open_target_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  OcApplication *self = user_data;
  g_autoptr (OcTarget) target = NULL;
  g_autoptr (GError) error = NULL;

  target = oc_target_parse (g_variant_get_string (parameter, NULL), &error);
  if (target == NULL || !open_target (self, target, NULL, &error))
    show_open_error (self, error, g_variant_get_string (parameter, NULL));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  oc_preferences_dialog_present (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  show_welcome (user_data);
}

static void
retry_sign_in_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  OcApplication *self = user_data;

  oc_http_client_retry_sign_in (self->client, g_variant_get_string (parameter, NULL));
}

static void
trust_certificate_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  OcApplication *self = user_data;
  g_autoptr (OcCertificate) certificate = oc_certificate_new_from_variant (parameter);
  g_autoptr (GError) error = NULL;

  /* Trusted for this run in any case; only remembering it can fail. */
  if (!oc_application_trust_certificate (self, certificate, &error))
    g_warning ("%s", error->message);
}

static const GActionEntry app_actions[] = {
  { "about", about_activated },
  { "quit", quit_activated },
  { "open-target", open_target_activated, "s" },
  { "open", open_activated },
  { "preferences", preferences_activated },
  { "retry-sign-in", retry_sign_in_activated, "s" },
  { "trust-certificate", trust_certificate_activated, "(sqssssss)" },
};

static void
set_accels (GtkApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[4];
  } accels[] = {
    { "app.quit", { "<Primary>q" } },
    { "app.open", { "<Primary>l", "<Primary>t" } },
    { "app.preferences", { "<Primary>comma" } },
    { "win.close-tab", { "<Primary>w" } },
    { "win.back", { "<Alt>Left", "Back" } },
    { "win.forward", { "<Alt>Right", "Forward" } },
    { "win.reload", { "F5", "<Primary>r", "Reload" } },
    { "win.stop", { "Escape", "Stop" } },
    { "win.zoom-in", { "<Primary>plus", "<Primary>equal", "<Primary>KP_Add" } },
    { "win.zoom-out", { "<Primary>minus", "<Primary>KP_Subtract" } },
    { "win.zoom-reset", { "<Primary>0", "<Primary>KP_0" } },
    { "win.find", { "<Primary>f" } },
    { "win.find-next", { "<Primary>g" } },
    { "win.find-previous", { "<Primary><Shift>g" } },
    { "win.print", { "<Primary>p" } },
    { "win.open-in-browser", { "<Primary>o" } },
    { "win.next-tab", { "<Primary>Page_Down", "<Primary>Tab" } },
    { "win.previous-tab", { "<Primary>Page_Up", "<Primary><Shift>Tab" } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);
}

/* GObject */

/* Without ews-url, Autodiscover finds Exchange: lookups share the access's
 * client (and its cache); the Thunderbird profile and directory of the
 * settings are asked first until a command line names others. */
static void
apply_autodiscover_setting (OcApplication *self)
{
  g_autoptr (OcResolver) resolver = oc_lookup_new_resolver (NULL, NULL, OC_CREDENTIALS_PROVIDER (self->password_provider),
                                                            NULL);

  oc_lookup_set_autodiscover (oc_exchange_access_get_autodiscover (self->exchange_access));
  oc_exchange_access_set_directory (self->exchange_access, resolver);
}

/* Where Exchange Web Services are, as the user or administrator set it. */
static void
apply_exchange_setting (OcApplication *self)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autofree char *url = settings ? g_settings_get_string (settings, "ews-url") : NULL;

  oc_exchange_access_set_ews_url (self->exchange_access, url);
  apply_autodiscover_setting (self);
}

/* Exchange Online, as the administrator set it; the sign-in window's
 * certificate authorities are those of owacal's client. */
static void
apply_microsoft365_setting (OcApplication *self)
{
  g_autoptr (GSettings) settings = oc_settings_open ();
  g_autofree char *ca_file = settings ? g_settings_get_string (settings, "ca-file") : NULL;

  oc_microsoft365_set_ca_file (self->microsoft365, ca_file);
  oc_microsoft365_settings_apply (self->microsoft365, NULL);
  oc_microsoft365_set_sign_in (self->microsoft365, OC_MICROSOFT365_SIGN_IN_WINDOW, GTK_APPLICATION (self));
  oc_exchange_access_set_microsoft365 (self->exchange_access, self->microsoft365);
}

static void
oc_application_startup (GApplication *application)
{
  OcApplication *self = OC_APPLICATION (application);

  G_APPLICATION_CLASS (oc_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  set_accels (GTK_APPLICATION (self));
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->client = oc_http_client_new ();
  self->connection_config = oc_connection_config_new (self->client);
  self->password_provider = oc_password_provider_new (GTK_APPLICATION (self));
  oc_http_client_set_credentials_provider (self->client, OC_CREDENTIALS_PROVIDER (self->password_provider));
  self->scheme_handler = oc_scheme_handler_new (self->client);
  self->web_context = oc_web_context_new (self->scheme_handler);
  self->exchange_access = oc_exchange_access_new (self->client);
  g_signal_connect (self->exchange_access, "server-busy", G_CALLBACK (server_busy_cb), self);
  apply_exchange_setting (self);
  self->microsoft365 = oc_microsoft365_new (self->client);
  apply_microsoft365_setting (self);
  self->calendar_handler = oc_calendar_handler_new (self->client, self->exchange_access);
  oc_calendar_handler_register (self->calendar_handler, self->web_context);
  /* A web address that answers with a calendar is shown as one. */
  g_signal_connect_swapped (self->scheme_handler, "calendar-answered",
                            G_CALLBACK (oc_calendar_handler_add_answer), self->calendar_handler);
  g_signal_connect (self->scheme_handler, "web-part-refused", G_CALLBACK (web_part_refused_cb), self);
}

static void
oc_application_shutdown (GApplication *application)
{
  OcApplication *self = OC_APPLICATION (application);

  G_APPLICATION_CLASS (oc_application_parent_class)->shutdown (application);
  oc_lookup_set_autodiscover (NULL);
  if (self->demo_server != NULL)
    oc_demo_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->web_context);
  g_clear_object (&self->scheme_handler);
  g_clear_object (&self->calendar_handler);
  g_clear_object (&self->exchange_access);
  g_clear_object (&self->microsoft365);
  g_clear_object (&self->connection_config);
  g_clear_object (&self->client);
  g_clear_object (&self->password_provider);
}

static void
oc_application_class_init (OcApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = oc_application_startup;
  app_class->shutdown = oc_application_shutdown;
  app_class->activate = oc_application_activate;
  app_class->open = oc_application_open;
  app_class->command_line = oc_application_command_line;
  app_class->handle_local_options = oc_application_handle_local_options;
}

static void
oc_application_init (OcApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_add_main_option_entries (G_APPLICATION (self), oc_lookup_option_entries);
  g_application_add_main_option_entries (G_APPLICATION (self), oc_microsoft365_option_entries);
  oc_setup_commands_add_options (G_APPLICATION (self));
  g_application_set_option_context_summary (
    G_APPLICATION (self),
    "Open colleagues’ Exchange calendars (Outlook Web Access) with your Windows sign-in.\n\n"
    "CALENDAR is a colleague’s e-mail address (looked up in Thunderbird’s address books and\n"
    "directories), a web address such as\n"
    "  https://mail.example.com/owa/alice@example.com/?cmd=contents&module=calendar\n"
    "an owacal:, mailto: or webcal: link, or an .ics file. A running owacal opens it in a new\n"
    "tab; several published calendars open side by side.");
  g_application_set_option_context_description (
    G_APPLICATION (self),
    "Sign-in: Kerberos single sign-on is used when you have a ticket (kinit); otherwise owacal\n"
    "asks for a password once and keeps it in the desktop’s keyring (scripts: --user and\n"
    "--password-file). Credentials go only to the calendar's own server and to the trusted\n"
    "domains (setting trusted-domains, or --trusted-domain).\n\n"
    "Exit status: 0 success, 1 the calendar could not be opened, 2 wrong usage.");
}

/* Public API */

OcApplication *
oc_application_new (void)
{
  return g_object_new (OC_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/owacal/Owacal",
                       NULL);
}

/**
 * oc_application_get_exit_status:
 * @self: the application
 *
 * GApplication reports success for any local run that held the main loop;
 * --snapshot does, so main() asks for its real outcome here.
 *
 * Returns: the exit status of a local --snapshot run, or 0
 */
int
oc_application_get_exit_status (OcApplication *self)
{
  return self->exit_status;
}

/**
 * oc_application_trust_certificate:
 * @self: the application
 * @certificate: the certificate a server presented, which the user chose
 *   to trust for that server (never a page's choice: see oc-tab.c)
 *
 * Returns: %FALSE if the choice could not be saved for later runs
 */
gboolean
oc_application_trust_certificate (OcApplication  *self,
                                  OcCertificate  *certificate,
                                  GError        **error)
{
  return oc_connection_config_trust_certificate (self->connection_config, certificate, error);
}
