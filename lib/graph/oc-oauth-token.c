/* oc-oauth-token.c: Microsoft 365 tokens (Microsoft identity platform v2).
 *
 * Three ways to a token: an authorization code from the interactive sign-in
 * (redeemed with its PKCE verifier), the device code flow (for scripts and
 * machines without a display), and a refresh token from an earlier sign-in.
 * The refresh token goes to the keyring, keyed by tenant, client ID and user;
 * the access token stays in this object only and is renewed a minute before
 * it expires. A refresh token the service refuses (revoked, expired) is
 * dropped at once, from memory and keyring, so the next call fails with
 * OC_GRAPH_ERROR_SIGN_IN_REQUIRED without asking the service again: one clean
 * "sign in again", never a loop.
 */
#include "config.h"
#include "oc-oauth-token.h"

#include "oc-graph-error.h"
#include "oc-graph-parse.h"
#include "oc-keyring.h"

/* Renew an access token this long before the service says it expires, so a
 * request never leaves with a token that dies on the way. */
#define EXPIRY_MARGIN_SECONDS 60

struct _OcOAuthToken {
  GObject parent_instance;
  OcHttpClient *http;
  OcOAuthConfig *config;
  gboolean use_keyring;
  char *user;
  char *refresh_token;
  char *access_token;
  gint64 access_expires;     /* real time, seconds */
  GPtrArray *waiting;        /* GTasks of get_access_token, while a refresh runs */
  gboolean refreshing;
};

G_DEFINE_FINAL_TYPE (OcOAuthToken, oc_oauth_token, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (OcOAuthDeviceCode, oc_oauth_device_code, oc_oauth_device_code_copy, oc_oauth_device_code_free)

OcOAuthDeviceCode *
oc_oauth_device_code_copy (const OcOAuthDeviceCode *code)
{
  OcOAuthDeviceCode *copy = g_new0 (OcOAuthDeviceCode, 1);

  *copy = *code;
  copy->device_code = g_strdup (code->device_code);
  copy->user_code = g_strdup (code->user_code);
  copy->verification_uri = g_strdup (code->verification_uri);
  copy->message = g_strdup (code->message);
  return copy;
}

void
oc_oauth_device_code_free (OcOAuthDeviceCode *code)
{
  if (code == NULL)
    return;
  g_free (code->device_code);
  g_free (code->user_code);
  g_free (code->verification_uri);
  g_free (code->message);
  g_free (code);
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* Posting to the identity platform */

static void
add_form_field (GString    *form,
                const char *name,
                const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", name, escaped);
}

typedef struct {
  char *url;
  gboolean device_code;      /* the answer is a device code, not tokens */
} PostData;

static void
post_data_free (PostData *data)
{
  g_free (data->url);
  g_free (data);
}

static void
store_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!oc_keyring_store_token_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Takes a token answer: the access token into memory, the refresh token into
 * memory and, before @task completes, the keyring. */
static void
apply_answer (OcOAuthToken       *self,
              OcOAuthTokenAnswer *answer,
              GTask              *task)
{
  clear_secret (&self->access_token);
  self->access_token = g_steal_pointer (&answer->access_token);
  self->access_expires = g_get_real_time () / G_USEC_PER_SEC + answer->expires_in;
  if (answer->user != NULL)
    {
      g_free (self->user);
      self->user = g_steal_pointer (&answer->user);
    }
  if (answer->refresh_token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  clear_secret (&self->refresh_token);
  self->refresh_token = g_steal_pointer (&answer->refresh_token);
  if (!self->use_keyring)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  oc_keyring_store_token_async (self->config->tenant, self->config->client_id, self->user ? self->user : "",
                                self->refresh_token, g_task_get_cancellable (task), store_token_cb,
                                g_object_ref (task));
}

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcOAuthToken *self = g_task_get_source_object (task);
  PostData *data = g_task_get_task_data (task);
  g_autoptr (OcHttpResponse) response = NULL;
  g_auto (OcOAuthTokenAnswer) answer = { 0 };
  GError *error = NULL;
  GBytes *body;

  response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, oc_graph_error_from_http (error, data->url));
      g_error_free (error);
      return;
    }
  body = oc_http_response_get_body (response);
  if (oc_http_response_get_status (response) != 200)
    {
      g_task_return_error (task, oc_graph_error_from_token_response (oc_http_response_get_status (response), body,
                                                                     self->config->client_id));
      return;
    }
  if (data->device_code)
    {
      OcOAuthDeviceCode *code = oc_graph_parse_device_code (body, &error);
      if (code == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, code, (GDestroyNotify) oc_oauth_device_code_free);
      return;
    }
  if (!oc_graph_parse_token_answer (body, &answer, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  apply_answer (self, &answer, task);
}

/* POSTs @form to the endpoint @name; the task returns TRUE once the tokens
 * are applied, or (for the devicecode endpoint) an OcOAuthDeviceCode. */
static void
post_form (OcOAuthToken        *self,
           const char          *name,
           GString             *form,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  PostData *data = g_new0 (PostData, 1);
  g_autoptr (OcHttpRequest) request = NULL;
  g_autoptr (GBytes) body = NULL;
  gsize len = form->len;

  g_task_set_source_tag (task, source_tag);
  data->url = oc_oauth_config_dup_endpoint (self->config, name);
  data->device_code = g_str_equal (name, "devicecode");
  g_task_set_task_data (task, data, (GDestroyNotify) post_data_free);
  request = oc_http_request_new ("POST", data->url);
  oc_http_request_add_header (request, "Content-Type", "application/x-www-form-urlencoded");
  oc_http_request_add_header (request, "Accept", "application/json");
  /* Never Negotiate or NTLM towards the identity platform: it speaks OAuth only. */
  oc_http_request_set_sign_in (request, FALSE);
  body = g_bytes_new_take (g_string_free (form, FALSE), len);
  oc_http_request_set_body (request, body);
  oc_http_client_send_async (self->http, request, cancellable, posted_cb, g_steal_pointer (&task));
}

static GString *
new_form (OcOAuthToken *self,
          const char   *grant_type)
{
  GString *form = g_string_new (NULL);

  add_form_field (form, "client_id", self->config->client_id);
  add_form_field (form, "scope", self->config->scope);
  if (grant_type != NULL)
    add_form_field (form, "grant_type", grant_type);
  return form;
}

/* Authorization code */

/**
 * oc_oauth_token_redeem_code_async:
 * @self: the tokens
 * @pkce: the sign-in the code ends (its verifier and redirect URI)
 * @code: the code from oc_oauth_pkce_parse_redirect()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the tokens are in (and the refresh token in the keyring)
 * @user_data: data for @callback
 */
void
oc_oauth_token_redeem_code_async (OcOAuthToken        *self,
                                  const OcOAuthPkce   *pkce,
                                  const char          *code,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GString *form;

  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  g_return_if_fail (pkce != NULL && code != NULL);

  form = new_form (self, "authorization_code");
  add_form_field (form, "code", code);
  add_form_field (form, "redirect_uri", pkce->redirect_uri);
  add_form_field (form, "code_verifier", pkce->verifier);
  post_form (self, "token", form, oc_oauth_token_redeem_code_async, cancellable, callback, user_data);
}

/**
 * oc_oauth_token_redeem_code_finish:
 * @self: the tokens
 * @result: the result passed to the callback
 * @error: return location for a #GError in %OC_GRAPH_ERROR
 *
 * Returns: %TRUE when signed in
 */
gboolean
oc_oauth_token_redeem_code_finish (OcOAuthToken  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_oauth_token_redeem_code_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Device code */

/**
 * oc_oauth_token_start_device_code_async:
 * @self: the tokens
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the code to show
 * @user_data: data for @callback
 *
 * Asks for a device code; show its message (or user_code and
 * verification_uri), then call oc_oauth_token_poll_device_code_async().
 */
void
oc_oauth_token_start_device_code_async (OcOAuthToken        *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  post_form (self, "devicecode", new_form (self, NULL), oc_oauth_token_start_device_code_async, cancellable,
             callback, user_data);
}

/**
 * oc_oauth_token_start_device_code_finish:
 * @self: the tokens
 * @result: the result passed to the callback
 * @error: return location for a #GError in %OC_GRAPH_ERROR
 *
 * Returns: (transfer full) (nullable): what to show the user
 */
OcOAuthDeviceCode *
oc_oauth_token_start_device_code_finish (OcOAuthToken  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_oauth_token_start_device_code_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  OcOAuthDeviceCode *code;
  int interval;
  gint64 deadline;           /* monotonic, microseconds */
} PollData;

static void
poll_data_free (PollData *data)
{
  oc_oauth_device_code_free (data->code);
  g_free (data);
}

static void schedule_poll (GTask *task);

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  PollData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* RFC 8628 section 3.5: "authorization_pending" means ask again after the
   * interval; "slow_down" means the same, with 5 seconds more from now on. */
  if (g_error_matches (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_PENDING) ||
      g_error_matches (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SLOW_DOWN))
    {
      if (error->code == OC_GRAPH_ERROR_SLOW_DOWN)
        data->interval += 5;
      g_error_free (error);
      schedule_poll (g_steal_pointer (&task));
      return;
    }
  g_task_return_error (task, error);
}

static gboolean
poll_due_cb (gpointer user_data)
{
  GTask *task = user_data;   /* the source's reference, passed on */
  OcOAuthToken *self = g_task_get_source_object (task);
  PollData *data = g_task_get_task_data (task);
  GString *form;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (g_get_monotonic_time () > data->deadline)
    {
      g_task_return_new_error (task, OC_GRAPH_ERROR, OC_GRAPH_ERROR_CODE_EXPIRED,
                               "The sign-in code %s expired before it was entered: start the sign-in again.",
                               data->code->user_code);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  form = new_form (self, "urn:ietf:params:oauth:grant-type:device_code");
  add_form_field (form, "device_code", data->code->device_code);
  post_form (self, "token", form, poll_due_cb, g_task_get_cancellable (task), polled_cb, task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  PollData *data = g_task_get_task_data (task);
  g_autoptr (GSource) source = g_timeout_source_new_seconds (MAX (data->interval, 1));

  g_source_set_callback (source, poll_due_cb, task, NULL);
  g_source_set_name (source, "[owacal] device code poll");
  g_source_attach (source, g_task_get_context (task));
}

/**
 * oc_oauth_token_poll_device_code_async:
 * @self: the tokens
 * @code: the device code from oc_oauth_token_start_device_code_finish()
 * @cancellable: (nullable): a #GCancellable, checked before each poll
 * @callback: called once the user signed in, declined, or the code expired
 * @user_data: data for @callback
 *
 * Asks the token endpoint every @code->interval seconds (5 more after each
 * "slow_down") until the user has signed in elsewhere.
 */
void
oc_oauth_token_poll_device_code_async (OcOAuthToken            *self,
                                       const OcOAuthDeviceCode *code,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data)
{
  GTask *task;
  PollData *data;

  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  g_return_if_fail (code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_oauth_token_poll_device_code_async);
  data = g_new0 (PollData, 1);
  data->code = oc_oauth_device_code_copy (code);
  data->interval = code->interval > 0 ? code->interval : 5;
  data->deadline = g_get_monotonic_time () + (gint64) (code->expires_in > 0 ? code->expires_in : 900) * G_USEC_PER_SEC;
  g_task_set_task_data (task, data, (GDestroyNotify) poll_data_free);
  schedule_poll (task);
}

/**
 * oc_oauth_token_poll_device_code_finish:
 * @self: the tokens
 * @result: the result passed to the callback
 * @error: return location for a #GError in %OC_GRAPH_ERROR (declined,
 *   code expired, consent missing, …)
 *
 * Returns: %TRUE when signed in
 */
gboolean
oc_oauth_token_poll_device_code_finish (OcOAuthToken  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_oauth_token_poll_device_code_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Access tokens, refreshed */

static void
answer_waiting (OcOAuthToken *self,
                const GError *error)
{
  g_autoptr (GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->refreshing = FALSE;
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), g_free);
    }
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OcOAuthToken *self = OC_OAUTH_TOKEN (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) forget_error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      answer_waiting (self, NULL);
      return;
    }
  if (g_error_matches (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED))
    {
      /* The service will never take this token again: forget it now, or the
       * next start would try it, fail and ask again, round and round. The
       * removal blocks briefly on D-Bus; it happens once per revoked sign-in.
       * If it fails, the stale item costs one more refused refresh next time,
       * which ends here again: the sign-in error below is what matters. */
      clear_secret (&self->refresh_token);
      if (self->use_keyring && self->user != NULL)
        oc_keyring_forget_tokens_sync (self->config->tenant, self->config->client_id, self->user, NULL,
                                       &forget_error);
    }
  answer_waiting (self, error);
}

static void
refresh (OcOAuthToken *self)
{
  GString *form = new_form (self, "refresh_token");

  add_form_field (form, "refresh_token", self->refresh_token);
  post_form (self, "token", form, refresh, NULL, refreshed_cb, NULL);
}

static void
keyring_answered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (OcOAuthToken) self = user_data;
  g_autoptr (OcCredentials) stored = NULL;
  g_autoptr (GError) error = NULL;

  stored = oc_keyring_lookup_token_finish (result, &error);
  if (error != NULL)
    {
      answer_waiting (self, error);
      return;
    }
  if (stored == NULL)
    {
      g_autoptr (GError) none = g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED,
                                             "You have not signed in to Microsoft 365 yet: sign in.");
      answer_waiting (self, none);
      return;
    }
  g_free (self->user);
  self->user = g_strdup (oc_credentials_get_user (stored));
  self->refresh_token = g_strdup (oc_credentials_get_password (stored));
  refresh (self);
}

/**
 * oc_oauth_token_get_access_token_async:
 * @self: the tokens
 * @refresh: renew even a token that looks valid (after a 401)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with a token
 * @user_data: data for @callback
 *
 * Answers from memory while the access token has more than a minute left;
 * else renews it with the refresh token (from memory, or from the keyring on
 * the first call). Callers that ask while a renewal runs share its answer.
 */
void
oc_oauth_token_get_access_token_async (OcOAuthToken        *self,
                                       gboolean             refresh_now,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  g_task_set_source_tag (task, oc_oauth_token_get_access_token_async);

  if (!refresh_now && self->access_token != NULL && self->access_expires - now > EXPIRY_MARGIN_SECONDS)
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      return;
    }
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  if (self->refreshing)
    return;
  self->refreshing = TRUE;
  if (self->refresh_token != NULL)
    refresh (self);
  else if (self->use_keyring)
    oc_keyring_lookup_token_async (self->config->tenant, self->config->client_id, self->user, NULL,
                                   keyring_answered_cb, g_object_ref (self));
  else
    {
      g_autoptr (GError) none = g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED,
                                             "You are not signed in to Microsoft 365: sign in.");
      answer_waiting (self, none);
    }
}

/**
 * oc_oauth_token_get_access_token_finish:
 * @self: the tokens
 * @result: the result passed to the callback
 * @error: return location for a #GError; %OC_GRAPH_ERROR_SIGN_IN_REQUIRED
 *   when only a new interactive or device code sign-in can help
 *
 * Returns: (transfer full) (nullable): the access token, for an
 *   `Authorization: Bearer` header; never write it anywhere
 */
char *
oc_oauth_token_get_access_token_finish (OcOAuthToken  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_oauth_token_get_access_token_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oc_oauth_token_drop_access_token:
 * @self: the tokens
 * @token: (nullable): the token a service refused, or %NULL for any
 *
 * Forgets the access token (unless a newer one replaced it meanwhile), so
 * the next oc_oauth_token_get_access_token_async() renews it.
 */
void
oc_oauth_token_drop_access_token (OcOAuthToken *self,
                                  const char   *token)
{
  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  if (token == NULL || g_strcmp0 (token, self->access_token) == 0)
    clear_secret (&self->access_token);
}

/**
 * oc_oauth_token_forget_sync:
 * @self: the tokens
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs out: forgets the tokens in memory and every refresh token of this
 * tenant and client ID in the keyring (for `--forget-password`). Blocks.
 *
 * Returns: %TRUE unless the keyring failed
 */
gboolean
oc_oauth_token_forget_sync (OcOAuthToken  *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  GError *local = NULL;

  g_return_val_if_fail (OC_IS_OAUTH_TOKEN (self), FALSE);
  clear_secret (&self->access_token);
  clear_secret (&self->refresh_token);
  if (!self->use_keyring)
    return TRUE;
  oc_keyring_forget_tokens_sync (self->config->tenant, self->config->client_id, NULL, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* Overrides */

static void
oc_oauth_token_finalize (GObject *object)
{
  OcOAuthToken *self = OC_OAUTH_TOKEN (object);

  g_clear_object (&self->http);
  g_clear_pointer (&self->config, oc_oauth_config_free);
  g_free (self->user);
  clear_secret (&self->refresh_token);
  clear_secret (&self->access_token);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (oc_oauth_token_parent_class)->finalize (object);
}

static void
oc_oauth_token_class_init (OcOAuthTokenClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_oauth_token_finalize;
}

static void
oc_oauth_token_init (OcOAuthToken *self)
{
  self->use_keyring = TRUE;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

/**
 * oc_oauth_token_new:
 * @http: the client to send with
 * @config: where and as whom to sign in
 *
 * Returns: (transfer full): tokens, none yet
 */
OcOAuthToken *
oc_oauth_token_new (OcHttpClient        *http,
                    const OcOAuthConfig *config)
{
  OcOAuthToken *self;

  g_return_val_if_fail (OC_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (OC_TYPE_OAUTH_TOKEN, NULL);
  self->http = g_object_ref (http);
  self->config = oc_oauth_config_copy (config);
  return self;
}

const OcOAuthConfig *
oc_oauth_token_get_config (OcOAuthToken *self)
{
  g_return_val_if_fail (OC_IS_OAUTH_TOKEN (self), NULL);
  return self->config;
}

/**
 * oc_oauth_token_set_use_keyring:
 * @self: the tokens
 * @use_keyring: whether refresh tokens are kept in the keyring (the default)
 *
 * Without the keyring a sign-in lasts as long as this object.
 */
void
oc_oauth_token_set_use_keyring (OcOAuthToken *self,
                                gboolean      use_keyring)
{
  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  self->use_keyring = use_keyring;
}

/**
 * oc_oauth_token_set_user:
 * @self: the tokens
 * @user: (nullable): whose sign-in to look for in the keyring; %NULL for
 *   whoever signed in last
 */
void
oc_oauth_token_set_user (OcOAuthToken *self,
                         const char   *user)
{
  g_return_if_fail (OC_IS_OAUTH_TOKEN (self));
  g_free (self->user);
  self->user = user ? g_ascii_strdown (user, -1) : NULL;
}

/**
 * oc_oauth_token_get_user:
 * @self: the tokens
 *
 * Returns: (nullable): who signed in (the ID token's preferred_username), or
 *   the user set with oc_oauth_token_set_user()
 */
const char *
oc_oauth_token_get_user (OcOAuthToken *self)
{
  g_return_val_if_fail (OC_IS_OAUTH_TOKEN (self), NULL);
  return self->user;
}
