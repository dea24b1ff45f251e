/* oc-microsoft365.c: colleagues on Exchange Online, through Microsoft Graph.
 *
 * One OcGraphClient and one OcOAuthToken serve every tab: they belong to one
 * registration of owacal (tenant and client ID), and the user signs in once
 * for all colleagues. The refresh token lives in the keyring (lib/graph does
 * that), the access token in memory.
 *
 * Who goes here: when a client ID is set, the colleagues of the domains in
 * microsoft365-domains; with no domains listed, everyone for whom no EWS
 * address is set (a company on Exchange Online has no EWS of its own to name).
 *
 * Signing in happens before a colleague's calendar is asked for: a token is
 * asked for silently (memory, then the keyring's refresh token); only when
 * the identity platform says that only the user can help does owacal show
 * its sign-in window, or, for --snapshot, print a device code and wait. All
 * colleagues asked for meanwhile wait for that one sign-in: the user is asked
 * once per need, never in a loop. A revoked refresh token is dropped by lib
 * at the first refusal, so it costs exactly one question.
 */
#include "config.h"
#include "oc-microsoft365.h"

#include "oc-graph-error.h"
#include "oc-microsoft-sign-in-dialog.h"

#include <string.h>

struct _OcMicrosoft365 {
  GObject parent_instance;

  OcHttpClient *http;
  OcOAuthConfig *config;         /* NULL: not set up */
  char *graph_url;
  GStrv domains;                 /* lower case; empty: everyone without EWS */
  OcOAuthToken *token;
  OcGraphClient *client;
  OcMicrosoft365SignIn mode;
  GtkApplication *application;   /* not owned: it owns us */
  char *ca_file;
  GPtrArray *waiting;            /* GTasks of sign_in_async while a sign-in runs */
  gboolean signing_in;
};

G_DEFINE_FINAL_TYPE (OcMicrosoft365, oc_microsoft365, G_TYPE_OBJECT)

static gboolean
same_config (const OcOAuthConfig *a,
             const OcOAuthConfig *b)
{
  return a != NULL && b != NULL && g_strcmp0 (a->authority, b->authority) == 0 &&
         g_ascii_strcasecmp (a->tenant, b->tenant) == 0 && g_ascii_strcasecmp (a->client_id, b->client_id) == 0 &&
         g_strcmp0 (a->redirect_uri, b->redirect_uri) == 0;
}

static void
answer_waiting (OcMicrosoft365 *self,
                const GError   *error)
{
  g_autoptr (GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->signing_in = FALSE;
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Whose calendar the sign-in is for: the first colleague who waits. */
static const char *
first_reason (OcMicrosoft365 *self)
{
  return self->waiting->len > 0 ? g_task_get_task_data (g_ptr_array_index (self->waiting, 0)) : NULL;
}

/* Callbacks */

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (OcMicrosoft365) self = user_data;
  g_autoptr (GError) error = NULL;

  if (oc_microsoft_sign_in_dialog_run_finish (result, &error))
    g_debug ("Microsoft 365 sign-in window: signed in as %s", oc_oauth_token_get_user (self->token));
  else
    g_debug ("Microsoft 365 sign-in window: %s", error->message);
  answer_waiting (self, error);
}

static void
device_code_polled_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr (OcMicrosoft365) self = user_data;
  g_autoptr (GError) error = NULL;

  if (oc_oauth_token_poll_device_code_finish (self->token, result, &error))
    g_printerr ("owacal: signed in to Microsoft 365 as %s\n", oc_oauth_token_get_user (self->token));
  answer_waiting (self, error);
}

static void
device_code_started_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr (OcMicrosoft365) self = user_data;
  g_autoptr (OcOAuthDeviceCode) code = NULL;
  g_autoptr (GError) error = NULL;

  code = oc_oauth_token_start_device_code_finish (self->token, result, &error);
  if (code == NULL)
    {
      answer_waiting (self, error);
      return;
    }
  /* The service's own sentence names the address and the code; a script
   * reads them from here. The device code itself is a secret: never shown. */
  g_printerr ("owacal: sign in to Microsoft 365 to read %s's calendar.\n", first_reason (self));
  g_printerr ("owacal: %s\n", code->message ? code->message : "");
  g_printerr ("owacal: code: %s\nowacal: address: %s\nowacal: waiting for the sign-in…\n", code->user_code,
              code->verification_uri);
  oc_oauth_token_poll_device_code_async (self->token, code, NULL, device_code_polled_cb, g_object_ref (self));
}

static void
ask_user (OcMicrosoft365 *self,
          GError         *why)
{
  GtkWindow *parent = NULL;

  switch (self->mode)
    {
    case OC_MICROSOFT365_SIGN_IN_WINDOW:
      if (self->application != NULL)
        parent = gtk_application_get_active_window (self->application);
      g_debug ("Microsoft 365 sign-in window for %s", first_reason (self));
      oc_microsoft_sign_in_dialog_run_async (parent, self->token, first_reason (self), self->ca_file, NULL,
                                             signed_in_cb, g_object_ref (self));
      break;
    case OC_MICROSOFT365_SIGN_IN_DEVICE_CODE:
      oc_oauth_token_start_device_code_async (self->token, NULL, device_code_started_cb, g_object_ref (self));
      break;
    case OC_MICROSOFT365_SIGN_IN_NEVER:
    default:
      answer_waiting (self, why);
      break;
    }
}

static void
token_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (OcMicrosoft365) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = oc_oauth_token_get_access_token_finish (OC_OAUTH_TOKEN (source), result, &error);

  if (token != NULL)
    {
      explicit_bzero (token, strlen (token));
      answer_waiting (self, NULL);
    }
  else if (g_error_matches (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED))
    ask_user (self, error);
  else
    answer_waiting (self, error);
}

/* GObject */

static void
oc_microsoft365_finalize (GObject *object)
{
  OcMicrosoft365 *self = OC_MICROSOFT365 (object);

  g_clear_object (&self->http);
  g_clear_pointer (&self->config, oc_oauth_config_free);
  g_free (self->graph_url);
  g_strfreev (self->domains);
  g_clear_object (&self->token);
  g_clear_object (&self->client);
  g_free (self->ca_file);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (oc_microsoft365_parent_class)->finalize (object);
}

static void
oc_microsoft365_class_init (OcMicrosoft365Class *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_microsoft365_finalize;
}

static void
oc_microsoft365_init (OcMicrosoft365 *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->domains = g_new0 (char *, 1);
  self->mode = OC_MICROSOFT365_SIGN_IN_NEVER;
}

/* Public API */

OcMicrosoft365 *
oc_microsoft365_new (OcHttpClient *http)
{
  OcMicrosoft365 *self = g_object_new (OC_TYPE_MICROSOFT365, NULL);

  self->http = g_object_ref (http);
  return self;
}

/**
 * oc_microsoft365_configure:
 * @self: Microsoft 365
 * @config: (nullable): owacal's registration (a client ID and tenant), or
 *   %NULL when Microsoft 365 is not set up
 * @graph_url: (nullable): Microsoft Graph, %NULL for Microsoft's
 * @domains: (nullable): the e-mail domains on Exchange Online; none: everyone
 *   without an EWS address
 *
 * The token and client are kept while the registration stays the same, so a
 * second command line to the running owacal keeps the sign-in.
 */
void
oc_microsoft365_configure (OcMicrosoft365      *self,
                           const OcOAuthConfig *config,
                           const char          *graph_url,
                           const char * const  *domains)
{
  g_autofree char *url = g_strdup (graph_url && *graph_url ? graph_url : OC_GRAPH_DEFAULT_URL);
  gboolean usable = config != NULL && config->client_id != NULL && *config->client_id != '\0' &&
                    config->tenant != NULL && *config->tenant != '\0';

  g_return_if_fail (OC_IS_MICROSOFT365 (self));
  g_strfreev (self->domains);
  self->domains = g_new0 (char *, domains ? g_strv_length ((char **) domains) + 1 : 1);
  for (guint i = 0, n = 0; domains != NULL && domains[i] != NULL; i++)
    {
      g_autofree char *domain = g_strstrip (g_ascii_strdown (domains[i], -1));
      if (*domain != '\0')
        self->domains[n++] = g_steal_pointer (&domain);
    }
  if (usable && same_config (self->config, config) && g_strcmp0 (url, self->graph_url) == 0)
    return;
  g_clear_pointer (&self->config, oc_oauth_config_free);
  g_clear_object (&self->client);
  g_clear_object (&self->token);
  g_free (self->graph_url);
  self->graph_url = g_steal_pointer (&url);
  if (!usable)
    return;
  self->config = oc_oauth_config_copy (config);
  self->token = oc_oauth_token_new (self->http, self->config);
  self->client = oc_graph_client_new (self->http, self->token, self->graph_url);
}

gboolean
oc_microsoft365_is_configured (OcMicrosoft365 *self)
{
  g_return_val_if_fail (OC_IS_MICROSOFT365 (self), FALSE);
  return self->client != NULL;
}

/**
 * oc_microsoft365_serves:
 * @self: Microsoft 365
 * @email: a colleague's address
 * @ews_known: whether an EWS address is set for everyone
 *
 * Returns: whether @email's calendar is read through Microsoft Graph
 */
gboolean
oc_microsoft365_serves (OcMicrosoft365 *self,
                        const char     *email,
                        gboolean        ews_known)
{
  const char *at;

  g_return_val_if_fail (OC_IS_MICROSOFT365 (self), FALSE);
  if (self->client == NULL || email == NULL)
    return FALSE;
  if (self->domains[0] == NULL)
    return !ews_known;
  at = strrchr (email, '@');
  for (char **domain = self->domains; at != NULL && *domain != NULL; domain++)
    if (g_ascii_strcasecmp (at + 1, *domain) == 0)
      return TRUE;
  return FALSE;
}

OcGraphClient *
oc_microsoft365_get_client (OcMicrosoft365 *self)
{
  g_return_val_if_fail (OC_IS_MICROSOFT365 (self), NULL);
  return self->client;
}

OcOAuthToken *
oc_microsoft365_get_token (OcMicrosoft365 *self)
{
  g_return_val_if_fail (OC_IS_MICROSOFT365 (self), NULL);
  return self->token;
}

const char *
oc_microsoft365_get_graph_url (OcMicrosoft365 *self)
{
  g_return_val_if_fail (OC_IS_MICROSOFT365 (self), NULL);
  return self->graph_url;
}

/**
 * oc_microsoft365_set_sign_in:
 * @self: Microsoft 365
 * @mode: how to ask the user when a sign-in is needed
 * @application: (nullable): whose active window the sign-in window belongs to
 */
void
oc_microsoft365_set_sign_in (OcMicrosoft365       *self,
                             OcMicrosoft365SignIn  mode,
                             GtkApplication       *application)
{
  g_return_if_fail (OC_IS_MICROSOFT365 (self));
  self->mode = mode;
  self->application = application;
}

/**
 * oc_microsoft365_set_ca_file:
 * @self: Microsoft 365
 * @ca_file: (nullable): certificate authorities the sign-in window trusts
 *   too (--ca-file), as owacal's own client does
 */
void
oc_microsoft365_set_ca_file (OcMicrosoft365 *self,
                             const char     *ca_file)
{
  g_return_if_fail (OC_IS_MICROSOFT365 (self));
  g_free (self->ca_file);
  self->ca_file = ca_file && *ca_file ? g_strdup (ca_file) : NULL;
}

/**
 * oc_microsoft365_sign_in_async:
 * @self: Microsoft 365, configured
 * @for_email: whose calendar needs it (the sign-in window says so)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once a token is there, or the user could not sign in
 * @user_data: for @callback
 *
 * Makes sure that Graph can be asked: silently if the keyring's refresh
 * token works, else by asking the user once for everyone waiting.
 */
void
oc_microsoft365_sign_in_async (OcMicrosoft365      *self,
                               const char          *for_email,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OC_IS_MICROSOFT365 (self));
  g_task_set_source_tag (task, oc_microsoft365_sign_in_async);
  g_task_set_task_data (task, g_strdup (for_email), g_free);
  if (self->token == NULL)
    {
      g_task_return_new_error (task, OC_GRAPH_ERROR, OC_GRAPH_ERROR_UNKNOWN_CLIENT,
                               "Microsoft 365 is not set up in owacal: your administrator gives you a client ID "
                               "and tenant for `owacal --setup-microsoft365`.");
      return;
    }
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  if (self->signing_in)
    return;
  self->signing_in = TRUE;
  oc_oauth_token_get_access_token_async (self->token, FALSE, NULL, token_checked_cb, g_object_ref (self));
}

gboolean
oc_microsoft365_sign_in_finish (OcMicrosoft365  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oc_microsoft365_is_named:
 * @self: Microsoft 365
 * @name: what `--forget-password` got
 *
 * Returns: whether @name means the Microsoft 365 sign-in: "microsoft365",
 *   or the tenant
 */
gboolean
oc_microsoft365_is_named (OcMicrosoft365 *self,
                          const char     *name)
{
  g_return_val_if_fail (OC_IS_MICROSOFT365 (self), FALSE);
  return g_ascii_strcasecmp (name, "microsoft365") == 0 ||
         (self->config != NULL && g_ascii_strcasecmp (name, self->config->tenant) == 0);
}

/**
 * oc_microsoft365_forget:
 * @self: Microsoft 365
 *
 * Signs out: the tokens in memory and in the keyring are gone; the next
 * colleague on Exchange Online asks for a sign-in.
 */
void
oc_microsoft365_forget (OcMicrosoft365 *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (OC_IS_MICROSOFT365 (self));
  if (self->token != NULL && !oc_oauth_token_forget_sync (self->token, NULL, &error))
    g_warning ("%s", error->message);
}
