/* oc-forms-login.c: signing in through Outlook Web Access's sign-in form.
 *
 * Two requests on the client's own connections: GET the sign-in page (its
 * form says where to post and which hidden fields go with it), then POST
 * the filled-in form. OWA answers a good password with a redirect to the
 * destination and its session cookies (sessionid and cadata on 2003,
 * UserContext on 2007, the cadata* family on 2010 and later), which land in
 * the client's jar; a wrong one with a redirect back to the sign-in page
 * (reason=2). Both requests are made with sign-in handling off, so that
 * they never start a sign-in of their own.
 */
#include "config.h"
#include "oc-forms-login.h"

#include "oc-http-client-private.h"
#include "oc-logon-form.h"

typedef struct {
  OcCredentials *credentials;
  char *logon_url;
} Login;

static void
login_free (Login *login)
{
  oc_credentials_unref (login->credentials);
  g_free (login->logon_url);
  g_free (login);
}

static char *
dup_destination (const char *logon_url)
{
  g_autoptr (GUri) uri = g_uri_parse (logon_url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr (GHashTable) params = NULL;

  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_CASE_INSENSITIVE, NULL);
  return params ? g_strdup (g_hash_table_lookup (params, "url")) : NULL;
}

static gboolean
check_action (OcHttpClient  *client,
              const char    *page_url,
              const char    *action,
              GError       **error)
{
  if (!oc_http_client_is_trusted_url (client, action))
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                   "The sign-in form of %s would send your password to %s, which is not the "
                   "calendar’s server; owacal did not send it.", page_url, action);
      return FALSE;
    }
  if (!oc_http_client_may_send_password (client, action))
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                   "The sign-in form of %s would send your password unencrypted (http); owacal "
                   "did not send it. Use the https address of the server.", page_url);
      return FALSE;
    }
  return TRUE;
}

/* Callbacks */

static void
form_posted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (OcHttpResponse) response = NULL;
  GError *error = NULL;
  guint status;

  response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = oc_http_response_get_status (response);
  if (status >= 300 && status < 400 && oc_http_response_get_header (response, "Location") != NULL)
    {
      g_autofree char *next = g_uri_resolve_relative (oc_http_response_get_url (response),
                                                      oc_http_response_get_header (response, "Location"),
                                                      G_URI_FLAGS_ENCODED, NULL);
      /* Back on the sign-in page (reason=2): the password was wrong. */
      g_task_return_int (task, next != NULL && oc_logon_form_is_logon_url (next) ? OC_FORMS_LOGIN_REJECTED
                                                                               : OC_FORMS_LOGIN_SIGNED_IN);
      return;
    }
  if (status == 200)
    {
      gsize size = 0;
      const char *html = g_bytes_get_data (oc_http_response_get_body (response), &size);
      g_autoptr (OcLogonForm) again = oc_logon_form_parse (html ? html : "", (gssize) size,
                                                           oc_http_response_get_url (response), NULL);
      g_task_return_int (task, again != NULL ? OC_FORMS_LOGIN_REJECTED : OC_FORMS_LOGIN_SIGNED_IN);
      return;
    }
  if (!oc_http_response_check (response, &error))
    g_prefix_error (&error, "Signing in with the sign-in form: ");
  else
    error = g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                         "Signing in with the sign-in form: %s answered %u %s.",
                         oc_http_response_get_url (response), status, oc_http_response_get_reason (response));
  g_task_return_error (task, error);
}

static void
page_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  OcHttpClient *client = OC_HTTP_CLIENT (source);
  Login *login = g_task_get_task_data (task);
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (OcLogonForm) form = NULL;
  g_autoptr (OcHttpRequest) post = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *destination = NULL;
  const char *page_url, *html;
  GError *error = NULL;
  gsize size = 0;

  response = oc_http_client_send_finish (client, result, &error);
  if (response == NULL || !oc_http_response_check (response, &error))
    {
      g_prefix_error (&error, "Fetching the sign-in page: ");
      g_task_return_error (task, error);
      return;
    }
  page_url = oc_http_response_get_url (response);
  html = g_bytes_get_data (oc_http_response_get_body (response), &size);
  form = oc_logon_form_parse (html ? html : "", (gssize) size, page_url, &error);
  if (form == NULL || !check_action (client, page_url, oc_logon_form_get_action (form), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  destination = dup_destination (page_url);
  body = oc_logon_form_encode (form, oc_credentials_get_user (login->credentials),
                               oc_credentials_get_password (login->credentials), destination);
  post = oc_http_request_new ("POST", oc_logon_form_get_action (form));
  oc_http_request_add_header (post, "Content-Type", "application/x-www-form-urlencoded");
  oc_http_request_add_header (post, "Referer", page_url);
  oc_http_request_set_body (post, body);
  oc_http_request_set_sign_in (post, FALSE);
  oc_http_client_send_async (client, post, g_task_get_cancellable (task), form_posted_cb, g_object_ref (task));
}

/* Public API */

/**
 * oc_forms_login_async:
 * @client: the client whose cookie jar gets the session
 * @logon_url: OWA's sign-in page, as OWA redirected to it (its "url"
 *   parameter is where to land afterwards)
 * @credentials: the user name and password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when signed in, refused, or failed
 * @user_data: data for @callback
 *
 * The caller has checked that @logon_url is trusted and may get a password.
 */
void
oc_forms_login_async (OcHttpClient        *client,
                      const char          *logon_url,
                      OcCredentials       *credentials,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (client, cancellable, callback, user_data);
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("GET", logon_url);
  Login *login = g_new0 (Login, 1);

  g_task_set_source_tag (task, oc_forms_login_async);
  login->credentials = oc_credentials_ref (credentials);
  login->logon_url = g_strdup (logon_url);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);

  oc_http_request_add_header (request, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
  oc_http_request_set_follow_redirects (request, TRUE);
  oc_http_request_set_sign_in (request, FALSE);
  oc_http_client_send_async (client, request, cancellable, page_fetched_cb, g_steal_pointer (&task));
}

/**
 * oc_forms_login_finish:
 * @client: the client
 * @result: the result passed to the callback
 * @out_result: (out): signed in, or refused
 * @error: return location for a #GError
 *
 * Returns: %FALSE if the sign-in could not be tried (no form, no server, ...)
 */
gboolean
oc_forms_login_finish (OcHttpClient        *client,
                       GAsyncResult        *result,
                       OcFormsLoginResult  *out_result,
                       GError             **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_forms_login_async, FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  *out_result = (OcFormsLoginResult) value;
  return TRUE;
}
