/* oc-keyring.c: passwords in the desktop's keyring (Secret Service).
 *
 * One item per server and user, in the default collection (GNOME's login
 * keyring), under the schema io.github.owacal.Owacal.Password with the
 * attributes "server" (a host name) and "user" ("DOMAIN\user" or
 * "user@domain"). Seahorse shows them as "Exchange password for …"; the
 * command line finds them with `secret-tool lookup server HOST`. owacal
 * writes a password nowhere else.
 */
#include "config.h"
#include "oc-keyring.h"

#include <libsecret/secret.h>

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.owacal.Owacal.Password", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

static GHashTable *
new_attributes (const char *server,
                const char *user)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "server", g_ascii_strdown (server, -1));
  if (user != NULL)
    g_hash_table_insert (attributes, "user", g_strdup (user));
  return attributes;
}

/* Lookup: search for the server's items (the user may be unknown), take the
 * most recently changed one, then read its secret. */

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  guint64 ma = secret_retrievable_get_modified ((SecretRetrievable *) a);
  guint64 mb = secret_retrievable_get_modified ((SecretRetrievable *) b);

  return ma < mb ? 1 : ma > mb ? -1 : 0;
}

static void
secret_retrieved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SecretRetrievable *item = SECRET_RETRIEVABLE (source);
  g_autoptr (SecretValue) value = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  GError *error = NULL;
  const char *password;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  if (value == NULL)
    {
      g_prefix_error (&error, "Reading the password from the keyring: ");
      g_task_return_error (task, error);
      return;
    }
  attributes = secret_retrievable_get_attributes (item);
  password = secret_value_get_text (value);
  if (password == NULL || g_hash_table_lookup (attributes, "user") == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, oc_credentials_new (g_hash_table_lookup (attributes, "user"), password),
                         (GDestroyNotify) oc_credentials_unref);
}

static void
items_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GList *items;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "Looking in the keyring: ");
      g_task_return_error (task, error);
      return;
    }
  if (items == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  items = g_list_sort (items, compare_newest_first);
  secret_retrievable_retrieve_secret (items->data, g_task_get_cancellable (task), secret_retrieved_cb,
                                      g_object_ref (task));
  g_list_free_full (items, g_object_unref);
}

/**
 * oc_keyring_lookup_async:
 * @server: the host name the password is for
 * @user: (nullable): the user, or %NULL for whoever was stored last
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring answered
 * @user_data: data for @callback
 *
 * Unlocks the keyring if needed (the desktop may ask for its password).
 */
void
oc_keyring_lookup_async (const char          *server,
                         const char          *user,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GHashTable) attributes = new_attributes (server, user);

  g_task_set_source_tag (task, oc_keyring_lookup_async);
  secret_password_searchv (get_schema (), attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, cancellable,
                           items_found_cb, g_steal_pointer (&task));
}

/**
 * oc_keyring_lookup_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError (no Secret Service, a locked keyring)
 *
 * Returns: (transfer full) (nullable): the stored credentials, or %NULL
 *   without an error when none are stored
 */
OcCredentials *
oc_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_keyring_lookup_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_prefix_error (&error, "Storing the password in the keyring: ");
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * oc_keyring_store_async:
 * @server: the host name the password is for
 * @credentials: the user and password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Replaces what was stored for the same server and user.
 */
void
oc_keyring_store_async (const char          *server,
                        OcCredentials       *credentials,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GHashTable) attributes = new_attributes (server, oc_credentials_get_user (credentials));
  g_autofree char *label = g_strdup_printf ("Exchange password for %s on %s (owacal)",
                                            oc_credentials_get_user (credentials), server);

  g_task_set_source_tag (task, oc_keyring_store_async);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                          oc_credentials_get_password (credentials), cancellable, stored_cb,
                          g_steal_pointer (&task));
}

gboolean
oc_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_keyring_store_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oc_keyring_forget_sync:
 * @server: a host name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes every password stored for @server, whatever the user. Blocks: for
 * the command line, before any window exists.
 *
 * Returns: %TRUE if a password was removed; %FALSE with @error unset if
 *   none was stored
 */
gboolean
oc_keyring_forget_sync (const char    *server,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr (GHashTable) attributes = new_attributes (server, NULL);
  gboolean removed;

  removed = secret_password_clearv_sync (get_schema (), attributes, cancellable, error);
  if (error != NULL && *error != NULL)
    g_prefix_error (error, "Removing the password from the keyring: ");
  return removed;
}

/* OAuth refresh tokens.
 *
 * A Microsoft 365 refresh token signs in as its user for weeks: it is a
 * password, and lives where passwords live. One item per tenant, client ID
 * and user, under the schema io.github.owacal.Owacal.RefreshToken;
 * `secret-tool search tenant TENANT` finds them. Access tokens are never
 * stored (lib/graph keeps them in memory). */

static const SecretSchema *
get_token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.owacal.Owacal.RefreshToken", SECRET_SCHEMA_NONE,
    {
      { "tenant", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

static GHashTable *
new_token_attributes (const char *tenant,
                      const char *client_id,
                      const char *user)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "tenant", g_ascii_strdown (tenant, -1));
  if (client_id != NULL)
    g_hash_table_insert (attributes, "client-id", g_ascii_strdown (client_id, -1));
  if (user != NULL)
    g_hash_table_insert (attributes, "user", g_ascii_strdown (user, -1));
  return attributes;
}

/* The token lookup asks twice when no user is given: who signed in last (a
 * search of the items' attributes), then that user's token in one call
 * (secret_password_lookup), as the Secret Service has it now. */

static void
token_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  const char *user = g_task_get_task_data (task);
  GError *error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "Reading the Microsoft 365 sign-in from the keyring: ");
      g_task_return_error (task, error);
      return;
    }
  if (token == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, oc_credentials_new (user, token), (GDestroyNotify) oc_credentials_unref);
  secret_password_free (token);
}

static void
lookup_user_token (GTask      *task,
                   const char *user)
{
  GHashTable *attributes = g_object_get_data (G_OBJECT (task), "attributes");

  g_task_set_task_data (task, g_ascii_strdown (user, -1), g_free);
  g_hash_table_insert (attributes, "user", g_ascii_strdown (user, -1));
  secret_password_lookupv (get_token_schema (), attributes, g_task_get_cancellable (task), token_secret_cb, task);
}

static void
token_items_found_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr (GHashTable) item_attributes = NULL;
  GList *items;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL || items == NULL)
    {
      if (error != NULL)
        {
          g_prefix_error (&error, "Looking in the keyring: ");
          g_task_return_error (task, error);
        }
      else
        g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  items = g_list_sort (items, compare_newest_first);
  item_attributes = secret_retrievable_get_attributes (items->data);
  g_list_free_full (items, g_object_unref);
  if (g_hash_table_lookup (item_attributes, "user") == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  lookup_user_token (task, g_hash_table_lookup (item_attributes, "user"));
}

/**
 * oc_keyring_lookup_token_async:
 * @tenant: the Microsoft 365 tenant
 * @client_id: the application (client) ID the token was issued to
 * @user: (nullable): whose token, or %NULL for whoever signed in last
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring answered
 * @user_data: data for @callback
 *
 * Finish with oc_keyring_lookup_token_finish(), which gives the user and the
 * refresh token as an #OcCredentials (the token as its password).
 */
void
oc_keyring_lookup_token_async (const char          *tenant,
                               const char          *client_id,
                               const char          *user,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GHashTable *attributes = new_token_attributes (tenant, client_id, NULL);

  g_task_set_source_tag (task, oc_keyring_lookup_token_async);
  g_object_set_data_full (G_OBJECT (task), "attributes", attributes, (GDestroyNotify) g_hash_table_unref);
  if (user != NULL)
    lookup_user_token (task, user);
  else
    secret_password_searchv (get_token_schema (), attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                             cancellable, token_items_found_cb, task);
}

/**
 * oc_keyring_lookup_token_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError (no Secret Service, a locked keyring)
 *
 * Returns: (transfer full) (nullable): the user and refresh token, or %NULL
 *   without an error when none is stored
 */
OcCredentials *
oc_keyring_lookup_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_keyring_lookup_token_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_prefix_error (&error, "Storing the Microsoft 365 sign-in in the keyring: ");
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
old_token_cleared_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "Replacing the Microsoft 365 sign-in in the keyring: ");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  secret_password_storev (get_token_schema (), g_object_get_data (G_OBJECT (task), "attributes"),
                          SECRET_COLLECTION_DEFAULT, g_task_get_task_data (task),
                          g_object_get_data (G_OBJECT (task), "token"), g_task_get_cancellable (task),
                          token_stored_cb, task);
}

/**
 * oc_keyring_store_token_async:
 * @tenant: the Microsoft 365 tenant
 * @client_id: the application (client) ID the token was issued to
 * @user: whose token
 * @token: the refresh token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Replaces the token stored for the same tenant, client ID and user.
 */
void
oc_keyring_store_token_async (const char          *tenant,
                              const char          *client_id,
                              const char          *user,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GHashTable *attributes = new_token_attributes (tenant, client_id, user);

  g_task_set_source_tag (task, oc_keyring_store_token_async);
  g_task_set_task_data (task, g_strdup_printf ("Microsoft 365 sign-in of %s (owacal)", user), g_free);
  g_object_set_data_full (G_OBJECT (task), "attributes", attributes, (GDestroyNotify) g_hash_table_unref);
  g_object_set_data_full (G_OBJECT (task), "token", g_strdup (token), (GDestroyNotify) secret_password_free);
  /* Remove, then store: gnome-keyring 42 replacing an item in place gives the
   * new one the old one's D-Bus path while the old is still registered, and
   * the new item is then found by no search. */
  secret_password_clearv (get_token_schema (), attributes, cancellable, old_token_cleared_cb, task);
}

gboolean
oc_keyring_store_token_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_keyring_store_token_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oc_keyring_forget_tokens_sync:
 * @tenant: the Microsoft 365 tenant
 * @client_id: (nullable): the client ID, or %NULL for every one
 * @user: (nullable): the user, or %NULL for everyone
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocks: for the command line (`--forget-password`) and for dropping a
 * token the service refused.
 *
 * Returns: %TRUE if a token was removed; %FALSE with @error unset if none was
 */
gboolean
oc_keyring_forget_tokens_sync (const char    *tenant,
                               const char    *client_id,
                               const char    *user,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr (GHashTable) attributes = new_token_attributes (tenant, client_id, user);
  gboolean removed;

  removed = secret_password_clearv_sync (get_token_schema (), attributes, cancellable, error);
  if (error != NULL && *error != NULL)
    g_prefix_error (error, "Removing the Microsoft 365 sign-in from the keyring: ");
  return removed;
}
