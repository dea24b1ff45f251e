/* oc-exchange-access.c: which EWS endpoint, or Microsoft Graph, answers for a colleague.
 *
 * The endpoint is the one the user or administrator set (ews-url, --ews-url),
 * else the one Autodiscover finds for the colleague's domain (lookups have
 * usually asked it already: the answer is in its cache). Its host gets the
 * user's credentials only when the company's own Autodiscover named it. A company has
 * one Exchange organisation, so what is found for one address of a domain
 * serves every address of it, and one OcEwsClient per endpoint serves every
 * tab: its queue keeps owacal a polite client however many tabs ask.
 *
 * Colleagues on Exchange Online are read through Microsoft Graph instead
 * (oc-microsoft365.c says who): one OcGraphClient for everyone, handed out
 * once the user is signed in. That part lives in the microsoft365_*
 * functions below, apart from the EWS part.
 */
#include "config.h"
#include "oc-exchange-access.h"

#include "oc-ews-client.h"
#include "oc-microsoft365.h"

#include <string.h>

struct _OcExchangeAccess {
  GObject parent_instance;

  OcHttpClient *client;
  char *ews_url;               /* set by the user, or NULL */
  GHashTable *clients;         /* EWS URL → OcEwsClient */
  OcEwsAutodiscover *autodiscover;
  OcResolver *directory;       /* nullable: whose directory has the service connection points */
  OcMicrosoft365 *microsoft365;  /* nullable: Exchange Online, through Graph */
};

G_DEFINE_FINAL_TYPE (OcExchangeAccess, oc_exchange_access, G_TYPE_OBJECT)

enum {
  SIGNAL_SERVER_BUSY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_url_host (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL ? g_strdup (g_uri_get_host (uri)) : NULL;
}

static void
client_waiting_cb (OcEwsClient      *client,
                   guint             milliseconds,
                   OcExchangeAccess *self)
{
  g_signal_emit (self, signals[SIGNAL_SERVER_BUSY], 0, milliseconds);
}

static OcScheduleFetcher *
client_for_url (OcExchangeAccess *self,
                const char       *url)
{
  OcEwsClient *client = g_hash_table_lookup (self->clients, url);

  if (client == NULL)
    {
      client = oc_ews_client_new (self->client, url);
      g_signal_connect_object (client, "waiting", G_CALLBACK (client_waiting_cb), self, 0);
      g_hash_table_insert (self->clients, g_strdup (url), client);
    }
  return OC_SCHEDULE_FETCHER (g_object_ref (client));
}

static gboolean microsoft365_take_discovered (OcExchangeAccess *self,
                                              const char       *email,
                                              GTask            *task);

/* Autodiscover: where no ews-url is set, the address's domain says. */

static void
discovered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcExchangeAccess *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = oc_ews_autodiscover_find_finish (OC_EWS_AUTODISCOVER (source), result,
                                                                               &error);
  g_autofree char *host = NULL;

  if (found == NULL)
    {
      g_task_return_new_error (task, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                               "%s\nAsk your administrator for the address of Exchange Web Services and set it in "
                               "Preferences (or use --ews-url).", error->message);
      return;
    }
  if (found->kind == OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365 &&
      microsoft365_take_discovered (self, g_task_get_task_data (task), task))
    return;
  if (found->kind == OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365)
    {
      g_task_return_new_error (task, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                               "%s is on Microsoft 365 (Exchange Online, found through %s), which owacal reads "
                               "through Microsoft Graph, not Exchange Web Services.",
                               (const char *) g_task_get_task_data (task), found->where);
      return;
    }
  /* The user's credentials go to the EWS host only if the company's own
   * Autodiscover named it; otherwise it is asked without them. */
  if (found->trusted && (host = dup_url_host (found->ews_url)) != NULL)
    oc_http_client_trust_host (self->client, host);
  g_task_return_pointer (task, client_for_url (self, found->ews_url), g_object_unref);
}

static void
discover_fetcher (OcExchangeAccess *self,
                  GTask            *task,
                  const char       *email)
{
  g_task_set_task_data (task, g_strdup (email), g_free);
  oc_ews_autodiscover_find_async (self->autodiscover, email, self->directory, g_task_get_cancellable (task),
                                  discovered_cb, g_object_ref (task));
}

/* Microsoft 365 */

static void
microsoft365_signed_in_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcMicrosoft365 *microsoft365 = OC_MICROSOFT365 (source);
  GError *error = NULL;

  if (!oc_microsoft365_sign_in_finish (microsoft365, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (oc_microsoft365_get_client (microsoft365)), g_object_unref);
}

/* Whether @email is read through Graph; if so, @task gets the client once
 * the user is signed in (silently, or asked once for every colleague). */
static gboolean
microsoft365_get_fetcher (OcExchangeAccess *self,
                          const char       *email,
                          GTask            *task)
{
  if (self->microsoft365 == NULL || !oc_microsoft365_serves (self->microsoft365, email, self->ews_url != NULL))
    return FALSE;
  oc_microsoft365_sign_in_async (self->microsoft365, email, g_task_get_cancellable (task),
                                 microsoft365_signed_in_cb, g_object_ref (task));
  return TRUE;
}

/* Autodiscover said that @email is on Exchange Online: read through Graph
 * when Microsoft 365 is set up, whatever microsoft365-domains lists. */
static gboolean
microsoft365_take_discovered (OcExchangeAccess *self,
                              const char       *email,
                              GTask            *task)
{
  if (self->microsoft365 == NULL || !oc_microsoft365_is_configured (self->microsoft365))
    return FALSE;
  oc_microsoft365_sign_in_async (self->microsoft365, email, g_task_get_cancellable (task),
                                 microsoft365_signed_in_cb, g_object_ref (task));
  return TRUE;
}

/* GObject */

static void
oc_exchange_access_finalize (GObject *object)
{
  OcExchangeAccess *self = OC_EXCHANGE_ACCESS (object);

  g_clear_object (&self->client);
  g_clear_object (&self->autodiscover);
  g_clear_object (&self->directory);
  g_free (self->ews_url);
  g_hash_table_unref (self->clients);
  g_clear_object (&self->microsoft365);
  G_OBJECT_CLASS (oc_exchange_access_parent_class)->finalize (object);
}

static void
oc_exchange_access_class_init (OcExchangeAccessClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_exchange_access_finalize;

  /**
   * OcExchangeAccess::server-busy:
   * @self: the access
   * @milliseconds: how long owacal waits before it asks again
   *
   * An Exchange server asked owacal to slow down (ErrorServerBusy): the
   * pages waiting for it are that much later.
   */
  signals[SIGNAL_SERVER_BUSY] = g_signal_new ("server-busy", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                              NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
oc_exchange_access_init (OcExchangeAccess *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* Public API */

OcExchangeAccess *
oc_exchange_access_new (OcHttpClient *client)
{
  OcExchangeAccess *self = g_object_new (OC_TYPE_EXCHANGE_ACCESS, NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "owacal", "autodiscover.ini", NULL);

  self->client = g_object_ref (client);
  self->autodiscover = oc_ews_autodiscover_new (client);
  oc_ews_autodiscover_set_cache (self->autodiscover, cache, 0);
  return self;
}

/**
 * oc_exchange_access_get_autodiscover:
 * @self: an access
 *
 * Returns: (transfer none): the Autodiscover client whose answers the
 *   access uses (lookups share it, and so its cache)
 */
OcEwsAutodiscover *
oc_exchange_access_get_autodiscover (OcExchangeAccess *self)
{
  g_return_val_if_fail (OC_IS_EXCHANGE_ACCESS (self), NULL);
  return self->autodiscover;
}

/**
 * oc_exchange_access_set_directory:
 * @self: an access
 * @directory: (nullable): a resolver whose directory (owacal's own) has
 *   Exchange's service connection points
 */
void
oc_exchange_access_set_directory (OcExchangeAccess *self,
                                  OcResolver       *directory)
{
  g_return_if_fail (OC_IS_EXCHANGE_ACCESS (self));
  g_set_object (&self->directory, directory);
}

/**
 * oc_exchange_access_set_ews_url:
 * @self: an access
 * @url: (nullable): the EWS endpoint to use for everyone, or %NULL to find it
 *   with Autodiscover
 *
 * The endpoint's server is trusted with the user's credentials: the user
 * named it.
 */
void
oc_exchange_access_set_ews_url (OcExchangeAccess *self,
                                const char       *url)
{
  g_autoptr (GUri) uri = NULL;

  g_return_if_fail (OC_IS_EXCHANGE_ACCESS (self));
  g_free (self->ews_url);
  self->ews_url = url && *url ? g_strdup (url) : NULL;
  if (self->ews_url != NULL && (uri = g_uri_parse (self->ews_url, G_URI_FLAGS_ENCODED, NULL)) != NULL &&
      g_uri_get_host (uri) != NULL)
    oc_http_client_trust_host (self->client, g_uri_get_host (uri));
}

const char *
oc_exchange_access_get_ews_url (OcExchangeAccess *self)
{
  g_return_val_if_fail (OC_IS_EXCHANGE_ACCESS (self), NULL);
  return self->ews_url;
}

/**
 * oc_exchange_access_get_fetcher_async:
 * @self: an access
 * @email: a colleague's address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with what answers for @email (an OcEwsClient, or the
 *   OcGraphClient of Microsoft 365 once signed in)
 * @user_data: for @callback
 */
void
oc_exchange_access_get_fetcher_async (OcExchangeAccess   *self,
                                     const char         *email,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, oc_exchange_access_get_fetcher_async);
  if (microsoft365_get_fetcher (self, email, task))
    return;
  if (self->ews_url != NULL)
    {
      g_task_return_pointer (task, client_for_url (self, self->ews_url), g_object_unref);
      return;
    }
  discover_fetcher (self, task, email);
}

/**
 * oc_exchange_access_get_fetcher_finish:
 * @self: an access
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what answers for the colleague
 */
OcScheduleFetcher *
oc_exchange_access_get_fetcher_finish (OcExchangeAccess *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_exchange_access_get_fetcher_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oc_exchange_access_set_microsoft365:
 * @self: an access
 * @microsoft365: (nullable): Exchange Online, for the colleagues it serves
 */
void
oc_exchange_access_set_microsoft365 (OcExchangeAccess *self,
                                     OcMicrosoft365   *microsoft365)
{
  g_return_if_fail (OC_IS_EXCHANGE_ACCESS (self));
  g_set_object (&self->microsoft365, microsoft365);
}
