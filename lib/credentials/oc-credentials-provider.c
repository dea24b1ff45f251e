/* oc-credentials-provider.c: where the client gets a password it does not have.
 *
 * lib/ cannot show a dialog or open the keyring on its own terms, so the
 * application plugs in a provider: when a trusted server asks for a
 * password the client has not got, or refused the one it sent, the client
 * asks the provider (once per server, however many loads wait) and signs in
 * with the answer. When a server accepts credentials, the client says so,
 * so that the provider can store them then, and not before.
 */
#include "config.h"
#include "oc-credentials-provider.h"

G_DEFINE_INTERFACE (OcCredentialsProvider, oc_credentials_provider, G_TYPE_OBJECT)

static void
oc_credentials_provider_default_init (OcCredentialsProviderInterface *iface)
{
}

/**
 * oc_credentials_provider_ask_async:
 * @self: a provider
 * @question: which server asks, and why
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Asks for the credentials of @question's server: from a store, or from the
 * user. The provider must copy what it keeps of @question.
 */
void
oc_credentials_provider_ask_async (OcCredentialsProvider       *self,
                                   const OcCredentialsQuestion *question,
                                   GCancellable                *cancellable,
                                   GAsyncReadyCallback          callback,
                                   gpointer                     user_data)
{
  g_return_if_fail (OC_IS_CREDENTIALS_PROVIDER (self));
  g_return_if_fail (question != NULL && question->host != NULL);
  OC_CREDENTIALS_PROVIDER_GET_IFACE (self)->ask_async (self, question, cancellable, callback, user_data);
}

/**
 * oc_credentials_provider_ask_finish:
 * @self: a provider
 * @result: the result passed to the callback
 * @error: return location for a #GError (%G_IO_ERROR_CANCELLED when the user
 *   declined)
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set
 */
OcCredentials *
oc_credentials_provider_ask_finish (OcCredentialsProvider  *self,
                                    GAsyncResult           *result,
                                    GError                **error)
{
  g_return_val_if_fail (OC_IS_CREDENTIALS_PROVIDER (self), NULL);
  return OC_CREDENTIALS_PROVIDER_GET_IFACE (self)->ask_finish (self, result, error);
}

/**
 * oc_credentials_provider_accepted:
 * @self: a provider
 * @host: the server that accepted @credentials
 * @credentials: credentials the provider answered with earlier
 *
 * Called once per answer, when the server accepted it.
 */
void
oc_credentials_provider_accepted (OcCredentialsProvider *self,
                                  const char            *host,
                                  OcCredentials         *credentials)
{
  OcCredentialsProviderInterface *iface;

  g_return_if_fail (OC_IS_CREDENTIALS_PROVIDER (self));
  iface = OC_CREDENTIALS_PROVIDER_GET_IFACE (self);
  if (iface->accepted != NULL)
    iface->accepted (self, host, credentials);
}
