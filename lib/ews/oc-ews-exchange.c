/* oc-ews-exchange.c: one SOAP request and its answer, the way Exchange wants
 * to be asked.
 *
 * Part of OcEwsClient. Exchange throttles: a client that sends too much
 * gets ErrorServerBusy (in a SOAP fault or per item) with BackOffMilliseconds,
 * or an HTTP 503 from the front end. Both mean the same here: wait that long
 * on the main loop (a timeout source, never a sleep), say so through the
 * client's "waiting" signal so the page can tell the user, and send again, a
 * few times at most. No more than max_in_flight requests (2 by default) are
 * on the way at once per client; the rest wait in a queue, in order.
 *
 * Exchange 2010 refuses requests in a newer schema version
 * (ErrorInvalidServerVersion): the client then speaks Exchange2010_SP1 from
 * that request on; every request owacal builds is valid in both.
 *
 * HTTP answers are mapped to what they mean for EWS: 200 and 500 carry SOAP
 * (500 is how a fault comes), 403 on /EWS means EWS is switched off for the
 * user or the server, 401 after an NTLM sign-in may be Extended Protection.
 */
#include "config.h"

#include "oc-ews-client-private.h"

#define DEFAULT_BACK_OFF_MS 2000u
#define MAX_BACK_OFF_MS (5u * 60 * 1000)

typedef struct {
  OcEwsBuildFunc build;
  OcEwsParseFunc parse;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
  guint attempts;
  const char *version_sent;
  GSource *wait;
  GSource *wait_cancel;
} Exchange;

static void send_exchange (GTask *task);

static void
clear_wait (Exchange *exchange)
{
  if (exchange->wait != NULL)
    g_source_destroy (exchange->wait);
  if (exchange->wait_cancel != NULL)
    g_source_destroy (exchange->wait_cancel);
  g_clear_pointer (&exchange->wait, g_source_unref);
  g_clear_pointer (&exchange->wait_cancel, g_source_unref);
}

static void
exchange_free (Exchange *exchange)
{
  clear_wait (exchange);
  if (exchange->data_free != NULL)
    exchange->data_free (exchange->data);
  g_free (exchange);
}

static void
start_next (OcEwsClient *self)
{
  while (self->in_flight < self->max_in_flight && !g_queue_is_empty (&self->pending))
    {
      g_autoptr (GTask) task = g_queue_pop_head (&self->pending);

      send_exchange (task);
    }
}

static void
enqueue (OcEwsClient *self,
         GTask       *task)
{
  g_queue_push_tail (&self->pending, g_object_ref (task));
  start_next (self);
}

/* The front end says 503 with Retry-After in seconds, when it says anything. */
static guint
read_retry_after (OcHttpResponse *response)
{
  const char *value = oc_http_response_get_header (response, "Retry-After");
  guint64 seconds;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, 3600, &seconds, NULL))
    return 0;
  return (guint) seconds * 1000;
}

static GError *
explain_sign_in (OcHttpResponse *response)
{
  g_autoptr (GError) http_error = NULL;
  OcHttpAuth tried = oc_http_response_get_auth_tried (response);

  oc_http_response_check (response, &http_error);
  /* Extended Protection (default from Exchange 2019 CU14) refuses NTLM
   * without channel binding, which libcurl does not send: the server answers
   * the NTLM handshake's last step with 401, exactly as for a wrong
   * password. Nothing in the answer tells the two apart, so say both, and
   * point to Kerberos, which Extended Protection accepts. */
  if ((tried & OC_HTTP_AUTH_NTLM) && !(tried & OC_HTTP_AUTH_NEGOTIATE))
    return g_error_new (OC_EWS_ERROR, OC_EWS_ERROR_EXTENDED_PROTECTION,
                        "%s If your password is right, the server requires Extended Protection "
                        "(channel binding), which owacal cannot give with NTLM: sign in with Kerberos "
                        "instead (get a ticket with “kinit user@REALM”, or log in to the desktop with "
                        "your domain account).", http_error->message);
  return g_steal_pointer (&http_error);
}

/* Returns the SOAP body to read, or NULL with @error. */
static GBytes *
check_response (OcEwsClient     *self,
                OcHttpResponse  *response,
                GError         **error)
{
  guint status = oc_http_response_get_status (response);

  switch (status)
    {
    case 200:
    case 500:
      return g_bytes_ref (oc_http_response_get_body (response));
    case 503:
      g_propagate_error (error, oc_ews_error_new_from_code ("ErrorServerBusy", NULL, "HTTP 503 Service Unavailable",
                                                            read_retry_after (response)));
      return NULL;
    case 401:
      g_propagate_error (error, explain_sign_in (response));
      return NULL;
    case 403:
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_DISABLED,
                   "%s refused Exchange Web Services to you (403 Forbidden): EWS is switched off for "
                   "your account or on this server. Ask your Exchange administrator to allow EWS "
                   "(Set-CASMailbox -EwsEnabled).", self->url);
      return NULL;
    default:
      if (!oc_http_response_check (response, error))
        return NULL;
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "%s answered %u %s where Exchange Web Services answer 200.", self->url, status,
                   oc_http_response_get_reason (response));
      return NULL;
    }
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);

  clear_wait (exchange);
  enqueue (g_task_get_source_object (task), task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  /* The source's own reference keeps the task alive until this returns. */
  clear_wait (g_task_get_task_data (task));
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
wait_and_retry (GTask *task,
                guint  milliseconds)
{
  OcEwsClient *self = g_task_get_source_object (task);
  Exchange *exchange = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  self->stats.retries++;
  oc_ews_client_emit_waiting (self, milliseconds);
  exchange->wait = g_timeout_source_new (milliseconds);
  g_source_set_callback (exchange->wait, retry_cb, g_object_ref (task), g_object_unref);
  g_source_attach (exchange->wait, g_main_context_get_thread_default ());
  if (cancellable != NULL)
    {
      exchange->wait_cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (exchange->wait_cancel, G_SOURCE_FUNC (wait_cancelled_cb), g_object_ref (task),
                             g_object_unref);
      g_source_attach (exchange->wait_cancel, g_main_context_get_thread_default ());
    }
}

static gboolean
is_version_refusal (const GError *error)
{
  g_autofree char *code = oc_ews_error_dup_code (error);

  return g_strcmp0 (code, "ErrorInvalidServerVersion") == 0 || g_strcmp0 (code, "ErrorIncorrectSchemaVersion") == 0;
}

static void
note_server_version (OcEwsClient *self,
                     GBytes      *body)
{
  g_autoptr (OcEwsAnswer) answer = NULL;

  if (self->server_version != OC_EWS_SERVER_UNKNOWN)
    return;
  answer = oc_ews_answer_parse (body, NULL, NULL);
  if (answer != NULL)
    self->server_version = answer->server_version;
  if (self->server_version == OC_EWS_SERVER_2007 || self->server_version == OC_EWS_SERVER_2010)
    self->request_version = OC_EWS_REQUEST_VERSION_2010;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcEwsClient *self = g_task_get_source_object (task);
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  gpointer parsed = NULL;

  self->in_flight--;
  start_next (self);

  response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  if (response != NULL && (body = check_response (self, response, &error)) != NULL)
    {
      note_server_version (self, body);
      parsed = exchange->parse (body, exchange->data, &error);
    }
  if (parsed != NULL)
    {
      g_task_return_pointer (task, parsed, exchange->result_free);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  if (is_version_refusal (error) && !g_str_equal (exchange->version_sent, OC_EWS_REQUEST_VERSION_2010) &&
      exchange->attempts < self->max_attempts)
    {
      self->request_version = OC_EWS_REQUEST_VERSION_2010;
      enqueue (self, task);
      return;
    }
  if (g_error_matches (error, OC_EWS_ERROR, OC_EWS_ERROR_SERVER_BUSY) && exchange->attempts < self->max_attempts)
    {
      guint wait = oc_ews_error_get_back_off (error);

      wait_and_retry (task, MIN (wait > 0 ? wait : DEFAULT_BACK_OFF_MS << (exchange->attempts - 1), MAX_BACK_OFF_MS));
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
send_exchange (GTask *task)
{
  OcEwsClient *self = g_task_get_source_object (task);
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("POST", self->url);
  g_autoptr (GBytes) body = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  exchange->attempts++;
  exchange->version_sent = self->request_version;
  body = exchange->build (self->request_version, exchange->data);
  oc_http_request_add_header (request, "Content-Type", "text/xml; charset=utf-8");
  oc_http_request_add_header (request, "Accept", "text/xml");
  oc_http_request_set_body (request, body);

  self->in_flight++;
  self->stats.requests++;
  self->stats.max_in_flight = MAX (self->stats.max_in_flight, self->in_flight);
  oc_http_client_send_async (self->http, request, g_task_get_cancellable (task), sent_cb, g_object_ref (task));
}

/**
 * oc_ews_client_exchange_async:
 * @self: a client
 * @build: makes the request in the schema version given
 * @parse: reads the answer; returns %NULL with an error in %OC_EWS_ERROR
 * @data: for @build and @parse
 * @data_free: (nullable): frees @data when the exchange is over
 * @result_free: frees what @parse returned, if nobody takes it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Sends the request when a slot is free, retries while Exchange is busy.
 */
void
oc_ews_client_exchange_async (OcEwsClient        *self,
                              OcEwsBuildFunc      build,
                              OcEwsParseFunc      parse,
                              gpointer            data,
                              GDestroyNotify      data_free,
                              GDestroyNotify      result_free,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Exchange *exchange = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, oc_ews_client_exchange_async);
  exchange->build = build;
  exchange->parse = parse;
  exchange->data = data;
  exchange->data_free = data_free;
  exchange->result_free = result_free;
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);
  enqueue (self, task);
}

/**
 * oc_ews_client_exchange_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the parse function returned
 */
gpointer
oc_ews_client_exchange_finish (OcEwsClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_ews_client_exchange_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oc_ews_client_exchange_get_data:
 * @result: the result of oc_ews_client_exchange_async()
 *
 * Returns: (transfer none): the data given to it, still alive in the callback
 */
gpointer
oc_ews_client_exchange_get_data (GAsyncResult *result)
{
  Exchange *exchange = g_task_get_task_data (G_TASK (result));

  return exchange->data;
}
