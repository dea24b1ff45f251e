/* oc-credentials-ask.c: ask a credentials provider from a worker thread, and wait.
 *
 * A credentials provider answers on its main loop: a keyring lookup, or a
 * dialog the user fills in. Directory lookups run in worker threads (LDAP is
 * blocking), and need a password in the middle of one. This asks the provider
 * in its own context and makes the worker wait for the answer; the UI never
 * waits. If nobody runs that context (a command-line tool resolving before its
 * main loop starts), the calling thread runs it itself until answered.
 */
#include "config.h"
#include "oc-credentials-ask.h"

typedef struct {
  OcCredentialsProvider *provider;
  const OcCredentialsQuestion *question;
  GCancellable *cancellable;
  GMutex mutex;
  GCond cond;
  gboolean done;
  OcCredentials *answer;
  GError *error;
} Ask;

typedef struct {
  OcCredentialsProvider *provider;
  char *host;
  OcCredentials *credentials;
} Accepted;

/* Callbacks */

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Ask *ask = user_data;
  GError *error = NULL;
  OcCredentials *answer = oc_credentials_provider_ask_finish (OC_CREDENTIALS_PROVIDER (source), result, &error);

  /* The waiting thread frees @ask once done is set: nothing may touch it after the unlock. */
  g_mutex_lock (&ask->mutex);
  ask->answer = answer;
  ask->error = error;
  ask->done = TRUE;
  g_cond_signal (&ask->cond);
  g_mutex_unlock (&ask->mutex);
}

static gboolean
start_asking_cb (gpointer user_data)
{
  Ask *ask = user_data;

  oc_credentials_provider_ask_async (ask->provider, ask->question, ask->cancellable, answered_cb, ask);
  return G_SOURCE_REMOVE;
}

static gboolean
tell_accepted_cb (gpointer user_data)
{
  Accepted *accepted = user_data;

  oc_credentials_provider_accepted (accepted->provider, accepted->host, accepted->credentials);
  return G_SOURCE_REMOVE;
}

static void
accepted_free (gpointer data)
{
  Accepted *accepted = data;

  g_object_unref (accepted->provider);
  g_free (accepted->host);
  oc_credentials_unref (accepted->credentials);
  g_free (accepted);
}

/* Public API */

/**
 * oc_credentials_ask_sync:
 * @provider: a credentials provider
 * @context: the main context @provider answers in
 * @question: what to ask
 * @cancellable: (nullable): given to @provider (a dialog closes when cancelled)
 * @error: return location for a #GError
 *
 * Blocks the calling thread until @provider answers. Do not call it from the
 * thread that runs @context's main loop.
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set
 */
OcCredentials *
oc_credentials_ask_sync (OcCredentialsProvider       *provider,
                         GMainContext                *context,
                         const OcCredentialsQuestion *question,
                         GCancellable                *cancellable,
                         GError                     **error)
{
  Ask ask = { provider, question, cancellable };

  g_return_val_if_fail (OC_IS_CREDENTIALS_PROVIDER (provider), NULL);
  g_return_val_if_fail (context != NULL && question != NULL, NULL);

  g_mutex_init (&ask.mutex);
  g_cond_init (&ask.cond);
  if (g_main_context_acquire (context))
    {
      /* Nobody runs the context: run it here until the provider has answered. */
      g_main_context_push_thread_default (context);
      start_asking_cb (&ask);
      while (!ask.done)
        g_main_context_iteration (context, TRUE);
      g_main_context_pop_thread_default (context);
      g_main_context_release (context);
    }
  else
    {
      g_main_context_invoke (context, start_asking_cb, &ask);
      g_mutex_lock (&ask.mutex);
      while (!ask.done)
        g_cond_wait (&ask.cond, &ask.mutex);
      g_mutex_unlock (&ask.mutex);
    }
  g_mutex_clear (&ask.mutex);
  g_cond_clear (&ask.cond);
  if (ask.answer == NULL)
    g_propagate_error (error, ask.error);
  return ask.answer;
}

/**
 * oc_credentials_accepted_in_context:
 * @provider: a credentials provider
 * @context: the main context @provider lives in
 * @host: the server that accepted @credentials
 * @credentials: what it accepted
 *
 * Tells @provider, in @context, that @credentials worked (a keyring stores them
 * if the user asked to). Returns at once.
 */
void
oc_credentials_accepted_in_context (OcCredentialsProvider *provider,
                                    GMainContext          *context,
                                    const char            *host,
                                    OcCredentials         *credentials)
{
  Accepted *accepted;

  g_return_if_fail (OC_IS_CREDENTIALS_PROVIDER (provider));
  g_return_if_fail (context != NULL && host != NULL && credentials != NULL);

  accepted = g_new0 (Accepted, 1);
  accepted->provider = g_object_ref (provider);
  accepted->host = g_strdup (host);
  accepted->credentials = oc_credentials_ref (credentials);
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, tell_accepted_cb, accepted, accepted_free);
}
