/* test-graph-client.c: lib/graph against the Microsoft 365 stand-in
 * (testbed component m365, tests/servers/microsoft365.py) and a real
 * gnome-keyring on the test's private session bus.
 *
 * The interactive sign-in is driven over HTTP as a browser would: the
 * sign-in form, the second factor, and the 302 to the redirect URI, which is
 * caught, not followed. The stand-in's logs say what lib/graph sent: PKCE,
 * grants, one getSchedule for a team, pages, retries. Cases run in order
 * and share the keyring: the first signs in, later ones use what it stored. */
#include "config.h"

#include <libsecret/secret.h>

#include "oc-graph-client.h"
#include "oc-graph-error.h"
#include "oc-keyring.h"
#include "oc-oauth-token.h"
#include "test-support.h"

static OcHttpClient *http;
static OcOAuthConfig *config;
static GPid keyring_pid;
static char *keyring_dir;    /* the keyring daemon's XDG_DATA_HOME and XDG_RUNTIME_DIR */

/* Running the main loop until an async call answers */

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The stand-in */

static char *
login_url (const char *path)
{
  return g_strconcat (test_require_env ("OC_TEST_M365_LOGIN_URL"), path, NULL);
}

static OcHttpResponse *
post (const char *url,
      const char *form)
{
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr (GError) error = NULL;
  OcHttpResponse *response;

  oc_http_request_set_sign_in (request, FALSE);
  oc_http_request_set_follow_redirects (request, FALSE);
  oc_http_request_add_header (request, "Content-Type", "application/x-www-form-urlencoded");
  oc_http_request_set_body (request, body);
  response = test_send (http, request, NULL, &error);
  g_assert_no_error (error);
  return response;
}

static void
testbed_switch (const char *base_env,
                const char *path_and_query)
{
  g_autofree char *base = g_strdup (test_require_env (base_env));
  g_autofree char *url = NULL;
  g_autoptr (OcHttpResponse) response = NULL;

  if (g_str_has_suffix (base, "/v1.0"))
    base[strlen (base) - strlen ("/v1.0")] = '\0';
  url = g_strconcat (base, path_and_query, NULL);
  response = post (url, "");
  g_assert_cmpuint (oc_http_response_get_status (response), ==, 200);
}

/* Counts log lines holding "key": value (value as JSON text: "\"x\"" or 42). */
static guint
count_log (const char *log_env,
           const char *key,
           const char *json_value)
{
  g_autofree char *contents = NULL;
  g_autofree char *needle = g_strdup_printf ("\"%s\": %s", key, json_value);
  guint n = 0;

  g_assert_true (g_file_get_contents (test_require_env (log_env), &contents, NULL, NULL));
  for (const char *p = contents; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

static char *
form_field (GBytes     *html,
            const char *name)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (html, NULL), g_bytes_get_size (html));
  g_autofree char *pattern = g_strdup_printf ("name=\"%s\" value=\"([^\"]*)\"", name);
  g_autoptr (GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

/* What a browser does: load the sign-in page, post the address and password,
 * then the one-time code. Returns where the last answer redirects. */
static char *
browser_sign_in (const char *authorize_url,
                 const char *user)
{
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("GET", authorize_url);
  g_autoptr (OcHttpResponse) page = NULL;
  g_autoptr (OcHttpResponse) second = NULL;
  g_autoptr (OcHttpResponse) done = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ctx = NULL;
  g_autofree char *form = NULL;
  g_autofree char *action = NULL;
  g_autofree char *tenant_path = g_strdup_printf ("/%s/oauth2/v2.0/authorize", config->tenant);

  oc_http_request_set_sign_in (request, FALSE);
  page = test_send (http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oc_http_response_get_status (page), ==, 200);
  ctx = form_field (oc_http_response_get_body (page), "ctx");
  g_assert_nonnull (ctx);

  action = login_url (tenant_path);
  form = g_strdup_printf ("ctx=%s&login=%s&passwd=%s", ctx, user, test_require_env ("OC_TEST_PASSWORD"));
  {
    g_autofree char *url = g_strconcat (action, "/login", NULL);
    second = post (url, form);
  }
  g_assert_cmpuint (oc_http_response_get_status (second), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (oc_http_response_get_body (second), NULL),
                                  g_bytes_get_size (oc_http_response_get_body (second)), "name=\"otc\""));
  g_free (form);
  form = g_strdup_printf ("ctx=%s&otc=%s", ctx, test_require_env ("OC_TEST_M365_MFA_CODE"));
  {
    g_autofree char *url = g_strconcat (action, "/mfa", NULL);
    done = post (url, form);
  }
  g_assert_cmpuint (oc_http_response_get_status (done), ==, 302);
  return g_strdup (oc_http_response_get_header (done, "Location"));
}

static OcOAuthToken *
new_token (void)
{
  return oc_oauth_token_new (http, config);
}

static OcGraphClient *
new_client (OcOAuthToken *token)
{
  return oc_graph_client_new (http, token, test_require_env ("OC_TEST_M365_GRAPH_URL"));
}

static char *
stored_refresh_token (const char *user)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (OcCredentials) stored = NULL;
  g_autoptr (GError) error = NULL;

  oc_keyring_lookup_token_async (config->tenant, config->client_id, user, NULL, got_result_cb, &result);
  stored = oc_keyring_lookup_token_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return stored ? g_strdup (oc_credentials_get_password (stored)) : NULL;
}

static char *
access_token (OcOAuthToken *token,
              GError      **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  oc_oauth_token_get_access_token_async (token, FALSE, NULL, got_result_cb, &result);
  return oc_oauth_token_get_access_token_finish (token, wait_result (&result), error);
}

/* True if @needle is in any file below @dir. */
static gboolean
found_in_files (const char *dir,
                const char *needle)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) ? found_in_files (path, needle) :
          (g_file_get_contents (path, &contents, &len, NULL) && g_strstr_len (contents, len, needle) != NULL))
        {
          g_test_message ("found in %s", path);
          return TRUE;
        }
    }
  return FALSE;
}

/* Cases */

static void
test_sign_in_with_pkce (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcOAuthPkce) pkce = oc_oauth_pkce_new (config, "alice@example.test");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *location = browser_sign_in (pkce->authorize_url, "alice@example.test");
  g_autofree char *code = NULL;
  g_autofree char *refresh = NULL;
  guint pkce_ok = count_log ("OC_TEST_M365_LOGIN_LOG", "pkce", "\"ok\"");

  g_assert_true (oc_oauth_pkce_is_redirect (pkce, location));
  code = oc_oauth_pkce_parse_redirect (pkce, location, config->client_id, &error);
  g_assert_no_error (error);
  oc_oauth_token_redeem_code_async (token, pkce, code, NULL, got_result_cb, &result);
  g_assert_true (oc_oauth_token_redeem_code_finish (token, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (oc_oauth_token_get_user (token), ==, "alice@example.test");
  g_assert_cmpuint (count_log ("OC_TEST_M365_LOGIN_LOG", "pkce", "\"ok\""), ==, pkce_ok + 1);

  /* The refresh token is in the keyring, and in no file: not in the test's
   * data (where the keyring keeps its encrypted file), config or cache
   * directories, not in the servers' logs. */
  refresh = stored_refresh_token ("alice@example.test");
  g_assert_nonnull (refresh);
  g_assert_false (found_in_files (keyring_dir, refresh));
  g_assert_false (found_in_files (g_get_user_data_dir (), refresh));
  g_assert_false (found_in_files (g_get_user_config_dir (), refresh));
  g_assert_false (found_in_files (g_get_user_cache_dir (), refresh));
  g_assert_false (found_in_files (test_require_env ("OC_TESTBED_DIR"), refresh));
  g_assert_false (found_in_files (test_require_env ("OC_TESTBED_DIR"), code));
}

static void
test_wrong_verifier_refused (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcOAuthPkce) pkce = oc_oauth_pkce_new (config, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *location = browser_sign_in (pkce->authorize_url, "alice@example.test");
  g_autofree char *code = oc_oauth_pkce_parse_redirect (pkce, location, config->client_id, NULL);

  oc_oauth_token_set_use_keyring (token, FALSE);
  g_free (pkce->verifier);
  pkce->verifier = oc_oauth_pkce_new_verifier ();   /* not the one the challenge was made of */
  oc_oauth_token_redeem_code_async (token, pkce, code, NULL, got_result_cb, &result);
  g_assert_false (oc_oauth_token_redeem_code_finish (token, wait_result (&result), &error));
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED);
  g_assert_cmpuint (count_log ("OC_TEST_M365_LOGIN_LOG", "pkce", "\"bad\""), ==, 1);
}

typedef struct {
  const char *user;
  const char *client;        /* NULL: the registered one */
  int expected;
} RefusalRow;

static void
test_sign_in_refusals (void)
{
  const RefusalRow rows[] = {
    { "mallory@example.test", NULL, OC_GRAPH_ERROR_USER_NOT_ALLOWED },
    { "eve@example.test", NULL, OC_GRAPH_ERROR_CONDITIONAL_ACCESS },
    { "alice@example.test", test_require_env ("OC_TEST_M365_UNCONSENTED_CLIENT_ID"), OC_GRAPH_ERROR_CONSENT_REQUIRED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (OcOAuthConfig) other = oc_oauth_config_copy (config);
      g_autoptr (OcOAuthPkce) pkce = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *location = NULL;
      g_autofree char *code = NULL;

      if (rows[i].client)
        {
          g_free (other->client_id);
          other->client_id = g_strdup (rows[i].client);
        }
      pkce = oc_oauth_pkce_new (other, NULL);
      location = browser_sign_in (pkce->authorize_url, rows[i].user);
      code = oc_oauth_pkce_parse_redirect (pkce, location, other->client_id, &error);
      g_test_message ("%s: %s", rows[i].user, error ? error->message : "signed in");
      g_assert_null (code);
      g_assert_error (error, OC_GRAPH_ERROR, rows[i].expected);
    }
}

static void
test_unknown_client_page (void)
{
  g_autoptr (OcOAuthConfig) other = oc_oauth_config_copy (config);
  g_autoptr (OcOAuthPkce) pkce = NULL;
  g_autoptr (OcHttpRequest) request = NULL;
  g_autoptr (OcHttpResponse) page = NULL;
  g_autoptr (OcOAuthToken) token = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  g_free (other->client_id);
  other->client_id = g_strdup ("00000000-dead-beef-0000-000000000000");
  pkce = oc_oauth_pkce_new (other, NULL);
  request = oc_http_request_new ("GET", pkce->authorize_url);
  oc_http_request_set_sign_in (request, FALSE);
  page = test_send (http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (oc_http_response_get_body (page), NULL),
                                  g_bytes_get_size (oc_http_response_get_body (page)), "AADSTS700016"));
  /* The device code flow meets the same refusal as JSON. */
  token = oc_oauth_token_new (http, other);
  oc_oauth_token_start_device_code_async (token, NULL, got_result_cb, &result);
  g_assert_null (oc_oauth_token_start_device_code_finish (token, wait_result (&result), &error));
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_UNKNOWN_CLIENT);
}

static void
test_refresh_from_keyring (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  guint refreshes = count_log ("OC_TEST_M365_LOGIN_LOG", "grant_type", "\"refresh_token\"");

  first = access_token (token, &error);    /* a new start: only the keyring knows the sign-in */
  g_assert_no_error (error);
  g_assert_nonnull (first);
  again = access_token (token, &error);    /* still valid: from memory */
  g_assert_cmpstr (again, ==, first);
  g_assert_cmpstr (oc_oauth_token_get_user (token), ==, "alice@example.test");
  g_assert_cmpuint (count_log ("OC_TEST_M365_LOGIN_LOG", "grant_type", "\"refresh_token\""), ==, refreshes + 1);
}

static OcSchedule *
find (GPtrArray  *schedules,
      const char *email)
{
  for (guint i = 0; i < schedules->len; i++)
    if (g_strcmp0 (((OcSchedule *) g_ptr_array_index (schedules, i))->email, email) == 0)
      return g_ptr_array_index (schedules, i);
  g_assert_not_reached ();
}

static gint64
week_start (void)
{
  g_autoptr (GDateTime) t = g_date_time_new_utc (2026, 3, 9, 0, 0, 0);
  return g_date_time_to_unix (t);
}

static void
test_team_in_one_request (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcGraphClient) client = new_client (token);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GError) error = NULL;
  const char *team[] = { "bob@example.test", "carol@example.test", "dave@example.test", NULL };
  guint requests = count_log ("OC_TEST_M365_GRAPH_LOG", "path", "\"/v1.0/me/calendar/getSchedule\"");

  oc_graph_client_get_schedules_async (client, team, week_start (), week_start () + 7 * 86400, utc, NULL,
                                       got_result_cb, &result);
  schedules = oc_graph_client_get_schedules_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_log ("OC_TEST_M365_GRAPH_LOG", "path", "\"/v1.0/me/calendar/getSchedule\""), ==,
                    requests + 1);
  g_assert_cmpuint (count_log ("OC_TEST_M365_GRAPH_LOG", "schedules",
                               "[\"bob@example.test\", \"carol@example.test\", \"dave@example.test\"]"), ==, 1);
  g_assert_cmpint (find (schedules, "bob@example.test")->sharing, ==, OC_SHARING_LIMITED);
  g_assert_cmpint (find (schedules, "carol@example.test")->sharing, ==, OC_SHARING_FREE_BUSY);
  g_assert_cmpuint (find (schedules, "carol@example.test")->instances->len, ==, 3);
  g_assert_nonnull (find (schedules, "carol@example.test")->working_hours);
  g_assert_cmpint (find (schedules, "dave@example.test")->sharing, ==, OC_SHARING_NONE);
  g_assert_error (find (schedules, "dave@example.test")->error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_ACCESS_DENIED);
}

static void
test_calendars_and_paging (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcGraphClient) client = new_client (token);
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GError) error = NULL;
  const char *people[] = { "bob@example.test", "carol@example.test", "erin@example.test", "dave@example.test",
                           "nobody@example.test", NULL };
  guint pages = count_log ("OC_TEST_M365_GRAPH_LOG", "path", "\"/v1.0/users/bob@example.test/calendar/calendarView\"");
  OcSchedule *bob;

  oc_graph_client_set_page_size (client, 3);
  oc_graph_client_fetch_async (client, people, week_start (), week_start () + 7 * 86400, berlin, NULL,
                               got_result_cb, &result);
  schedules = oc_graph_client_fetch_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  bob = find (schedules, "bob@example.test");
  g_assert_cmpint (bob->sharing, ==, OC_SHARING_FULL);
  g_assert_cmpuint (bob->instances->len, ==, 10);          /* 5 stand-ups + 5 others, on 4 pages of 3 */
  g_assert_cmpuint (count_log ("OC_TEST_M365_GRAPH_LOG", "path",
                               "\"/v1.0/users/bob@example.test/calendar/calendarView\""), ==, pages + 4);
  g_assert_nonnull (bob->working_hours);
  g_assert_cmpint (find (schedules, "carol@example.test")->sharing, ==, OC_SHARING_FREE_BUSY);
  g_assert_cmpint (find (schedules, "erin@example.test")->sharing, ==, OC_SHARING_LIMITED);
  g_assert_cmpint (find (schedules, "dave@example.test")->sharing, ==, OC_SHARING_NONE);
  g_assert_cmpint (find (schedules, "nobody@example.test")->sharing, ==, OC_SHARING_UNKNOWN);
  g_assert_error (find (schedules, "nobody@example.test")->error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_NOT_FOUND);
}

static OcContact *
find_user (OcGraphClient *client,
           const char    *address,
           GError       **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  oc_graph_client_find_user_async (client, address, NULL, got_result_cb, &result);
  return oc_graph_client_find_user_finish (client, wait_result (&result), error);
}

static void
test_expired_access_token_renewed (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcGraphClient) client = new_client (token);
  g_autoptr (OcContact) warm = NULL;
  g_autoptr (OcContact) bob = NULL;
  g_autoptr (GError) error = NULL;
  guint refused, refreshes;

  warm = find_user (client, "carol@example.test", &error);   /* has a token now */
  g_assert_no_error (error);
  refused = count_log ("OC_TEST_M365_GRAPH_LOG", "bearer", "\"expired\"");
  refreshes = count_log ("OC_TEST_M365_LOGIN_LOG", "grant_type", "\"refresh_token\"");
  testbed_switch ("OC_TEST_M365_LOGIN_URL", "/testbed/expire-access-tokens");
  bob = find_user (client, "bob@example.test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bob->display_name, ==, "Bob Builder");
  g_assert_cmpuint (count_log ("OC_TEST_M365_GRAPH_LOG", "bearer", "\"expired\""), ==, refused + 1);
  g_assert_cmpuint (count_log ("OC_TEST_M365_LOGIN_LOG", "grant_type", "\"refresh_token\""), ==, refreshes + 1);
}

static void
test_throttling_survived (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcGraphClient) client = new_client (token);
  g_autoptr (OcContact) erin = NULL;
  g_autoptr (OcContact) nobody = NULL;
  g_autoptr (GError) error = NULL;
  guint throttled = count_log ("OC_TEST_M365_GRAPH_LOG", "status", "429");

  testbed_switch ("OC_TEST_M365_GRAPH_URL", "/testbed/throttle?count=2&retry_after=1");
  erin = find_user (client, "erin@example.test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (erin->custom1, ==, "erin@example.test");
  g_assert_cmpuint (count_log ("OC_TEST_M365_GRAPH_LOG", "status", "429"), ==, throttled + 2);
  nobody = find_user (client, "nobody@example.test", &error);
  g_assert_no_error (error);
  g_assert_null (nobody);
}

static gboolean
approve_when_pending_cb (gpointer user_data)
{
  const char *user_code = user_data;
  g_autofree char *query = NULL;

  if (count_log ("OC_TEST_M365_LOGIN_LOG", "error", "70016") == 0)
    return G_SOURCE_CONTINUE;
  query = g_strdup_printf ("/testbed/devicecode?user_code=%s&action=approve&user=alice@example.test", user_code);
  testbed_switch ("OC_TEST_M365_LOGIN_URL", query);
  return G_SOURCE_REMOVE;
}

static void
test_device_code_flow (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcOAuthDeviceCode) code = NULL;
  g_autoptr (OcOAuthDeviceCode) expiring = NULL;
  g_autoptr (GAsyncResult) started = NULL;
  g_autoptr (GAsyncResult) polled = NULL;
  g_autoptr (GAsyncResult) started2 = NULL;
  g_autoptr (GAsyncResult) polled2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *query = NULL;

  oc_oauth_token_set_use_keyring (token, FALSE);
  oc_oauth_token_start_device_code_async (token, NULL, got_result_cb, &started);
  code = oc_oauth_token_start_device_code_finish (token, wait_result (&started), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (code->message, code->user_code));
  /* The user signs in elsewhere only after owacal polled once in vain. */
  g_timeout_add (100, approve_when_pending_cb, code->user_code);
  oc_oauth_token_poll_device_code_async (token, code, NULL, got_result_cb, &polled);
  g_assert_true (oc_oauth_token_poll_device_code_finish (token, wait_result (&polled), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (oc_oauth_token_get_user (token), ==, "alice@example.test");

  /* A code nobody enters expires: one clear error, no endless polling. */
  oc_oauth_token_start_device_code_async (token, NULL, got_result_cb, &started2);
  expiring = oc_oauth_token_start_device_code_finish (token, wait_result (&started2), &error);
  query = g_strdup_printf ("/testbed/devicecode?user_code=%s&action=expire", expiring->user_code);
  testbed_switch ("OC_TEST_M365_LOGIN_URL", query);
  oc_oauth_token_poll_device_code_async (token, expiring, NULL, got_result_cb, &polled2);
  g_assert_false (oc_oauth_token_poll_device_code_finish (token, wait_result (&polled2), &error));
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_CODE_EXPIRED);
}

static void
test_device_code_slow_down (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (OcOAuthDeviceCode) code = NULL;
  g_autoptr (GAsyncResult) started = NULL;
  g_autoptr (GAsyncResult) polled = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *slow = NULL;
  g_autofree char *approve = NULL;

  oc_oauth_token_set_use_keyring (token, FALSE);
  oc_oauth_token_start_device_code_async (token, NULL, got_result_cb, &started);
  code = oc_oauth_token_start_device_code_finish (token, wait_result (&started), &error);
  g_assert_no_error (error);
  slow = g_strdup_printf ("/testbed/devicecode?user_code=%s&action=slow-down", code->user_code);
  approve = g_strdup_printf ("/testbed/devicecode?user_code=%s&action=approve", code->user_code);
  testbed_switch ("OC_TEST_M365_LOGIN_URL", slow);
  testbed_switch ("OC_TEST_M365_LOGIN_URL", approve);
  oc_oauth_token_poll_device_code_async (token, code, NULL, got_result_cb, &polled);
  g_assert_true (oc_oauth_token_poll_device_code_finish (token, wait_result (&polled), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_log ("OC_TEST_M365_LOGIN_LOG", "error", "\"slow_down\""), ==, 1);
}

static void
test_revoked_asks_once (void)
{
  g_autoptr (OcOAuthToken) token = new_token ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *left = NULL;
  guint refreshes;

  testbed_switch ("OC_TEST_M365_LOGIN_URL", "/testbed/revoke?user=alice@example.test");
  refreshes = count_log ("OC_TEST_M365_LOGIN_LOG", "grant_type", "\"refresh_token\"");
  first = access_token (token, &error);
  g_assert_null (first);
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED);
  left = stored_refresh_token ("alice@example.test");
  g_assert_null (left);                                     /* forgotten at once */
  second = access_token (token, &again);                    /* no second try at the service */
  g_assert_error (again, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED);
  g_assert_cmpuint (count_log ("OC_TEST_M365_LOGIN_LOG", "grant_type", "\"refresh_token\""), ==, refreshes + 1);
}

/* A real Secret Service on this test's bus (run under dbus-run-session), as tests/ui does. */
static void
start_keyring (void)
{
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  g_auto (GStrv) env = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets", NULL };
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GError) error = NULL;
  int stdin_fd;

  g_assert_nonnull (bus);
  /* G_TEST_OPTION_ISOLATE_DIRS gives each case directories of its own, and
   * none outside them: the daemon, which outlives the cases, gets its own. */
  keyring_dir = g_dir_make_tmp ("owacal-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (keyring_dir, "data", NULL);
  runtime = g_build_filename (keyring_dir, "runtime", NULL);
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);
  env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", data, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &keyring_pid, &stdin_fd, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (write (stdin_fd, "keyring-password", 16), ==, 16);
  close (stdin_fd);
  for (;;)
    {
      g_autoptr (GVariant) owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                                "org.freedesktop.DBus", "NameHasOwner",
                                                                g_variant_new ("(s)", "org.freedesktop.secrets"),
                                                                G_VARIANT_TYPE ("(b)"), 0, -1, NULL, NULL);
      gboolean has = FALSE;
      if (owned != NULL)
        g_variant_get (owned, "(b)", &has);
      if (has)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not appear on the session bus within 30 s");
      g_usleep (50000);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_error ("test-graph-client needs a private session bus: run it under dbus-run-session");
  start_keyring ();
  http = oc_http_client_new ();
  oc_http_client_set_ca_file (http, test_require_env ("OC_TEST_TLS_CA"));
  config = oc_oauth_config_new (test_require_env ("OC_TEST_M365_LOGIN_URL"), test_require_env ("OC_TEST_M365_TENANT"),
                                test_require_env ("OC_TEST_M365_CLIENT_ID"),
                                test_require_env ("OC_TEST_M365_REDIRECT_URI"));

  /* One suite, numbered: the cases build on each other (sign-in first,
   * revocation last), and GLib runs them in this order. */
  g_test_add_func ("/oc/graph-client/01-sign-in-pkce", test_sign_in_with_pkce);
  g_test_add_func ("/oc/graph-client/02-sign-in-wrong-verifier", test_wrong_verifier_refused);
  g_test_add_func ("/oc/graph-client/03-sign-in-refusals", test_sign_in_refusals);
  g_test_add_func ("/oc/graph-client/04-sign-in-unknown-client", test_unknown_client_page);
  g_test_add_func ("/oc/graph-client/05-token-refresh-from-keyring", test_refresh_from_keyring);
  g_test_add_func ("/oc/graph-client/06-schedules-team-in-one-request", test_team_in_one_request);
  g_test_add_func ("/oc/graph-client/07-calendars-paging", test_calendars_and_paging);
  g_test_add_func ("/oc/graph-client/08-retry-expired-access-token", test_expired_access_token_renewed);
  g_test_add_func ("/oc/graph-client/09-retry-throttled", test_throttling_survived);
  g_test_add_func ("/oc/graph-client/10-device-code-flow", test_device_code_flow);
  g_test_add_func ("/oc/graph-client/11-device-code-slow-down", test_device_code_slow_down);
  g_test_add_func ("/oc/graph-client/12-token-revoked", test_revoked_asks_once);
  status = g_test_run ();

  g_clear_object (&http);
  oc_oauth_config_free (config);
  kill (keyring_pid, SIGTERM);
  g_spawn_close_pid (keyring_pid);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", keyring_dir);
    if (system (rm) != 0)
      g_printerr ("could not remove %s\n", keyring_dir);
  }
  g_free (keyring_dir);
  return status;
}
