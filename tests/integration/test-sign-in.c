/* Signing in with passwords against real servers (tests/testbed/testbed.py): the
 * credentials provider asked once per server and told when a password worked; OWA's
 * forms login in the shapes of Exchange 2003, 2007 and 2010+ (sign-in page, form post,
 * session cookies, 440 Login Timeout, wrong password back to the page with reason=2).
 * The provider here answers from a script; the servers are real. */
#include "config.h"

#include <string.h>

#include "oc-http-client.h"
#include "test-support.h"

/* Fixture */

typedef struct {
  OcHttpClient *client;
  TestProvider *provider;
  GMainLoop *loop;
  OcHttpResponse *response;
  GError *error;
  guint pending;
} Fixture;

static char *
user_name (void)
{
  return g_strdup_printf ("%s\\%s", test_require_env ("OC_TEST_DOMAIN"), test_require_env ("OC_TEST_USER"));
}

static void
answer (Fixture *f, const char *password)
{
  g_autofree char *user = user_name ();
  test_provider_answer (f->provider, user, password);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->client = oc_http_client_new ();
  f->provider = test_provider_new ();
  f->loop = g_main_loop_new (NULL, FALSE);
  oc_http_client_set_credentials_provider (f->client, OC_CREDENTIALS_PROVIDER (f->provider));
  oc_http_client_set_ca_file (f->client, test_require_env ("OC_TEST_TLS_CA"));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->response, oc_http_response_unref);
  g_clear_error (&f->error);
  g_clear_object (&f->client);
  g_assert_cmpuint (f->provider->answers->len, ==, 0);
  g_clear_object (&f->provider);
  g_main_loop_unref (f->loop);
}

static void
sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  g_clear_pointer (&f->response, oc_http_response_unref);
  g_clear_error (&f->error);
  f->response = oc_http_client_send_finish (OC_HTTP_CLIENT (source), result, &f->error);
  if (--f->pending == 0)
    g_main_loop_quit (f->loop);
}

static void
send_many (Fixture *f, const char *method, const char *const *urls)
{
  for (const char *const *url = urls; *url; url++)
    {
      g_autoptr (OcHttpRequest) request = oc_http_request_new (method, *url);
      g_autoptr (GUri) uri = g_uri_parse (*url, G_URI_FLAGS_NONE, NULL);

      oc_http_client_trust_host (f->client, g_uri_get_host (uri));
      f->pending++;
      oc_http_client_send_async (f->client, request, NULL, sent_cb, f);
    }
  g_main_loop_run (f->loop);
}

static void
get (Fixture *f, const char *url)
{
  const char *urls[] = { url, NULL };
  send_many (f, "GET", urls);
}

static guint
status (Fixture *f)
{
  g_assert_no_error (f->error);
  return oc_http_response_get_status (f->response);
}

static void
assert_body_says (Fixture *f, const char *needle)
{
  if (!test_body_contains (f->response, needle))
    g_error ("the answer from %s does not say “%s”", oc_http_response_get_url (f->response), needle);
}

static void
assert_strv (GPtrArray *seen, const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MAX (n, seen->len); i++)
    if (i >= n || i >= seen->len || g_strcmp0 (g_ptr_array_index (seen, i), expected[i]) != 0)
      g_error ("line %u is “%s”, not “%s”", i, i < seen->len ? (char *) g_ptr_array_index (seen, i) : "(none)",
               i < n ? expected[i] : "(none)");
}

static char *
host_of (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return g_strdup (g_uri_get_host (uri));
}

static char *
calendar_url (const char *base)
{
  return g_strdup_printf ("%s/owa/%s/?cmd=contents&module=calendar", base, test_require_env ("OC_TEST_EMAIL"));
}

static void
post_control (Fixture *f, const char *base, const char *path)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  const char *urls[] = { url, NULL };
  send_many (f, "POST", urls);
  g_assert_cmpuint (status (f), ==, 204);
}

/* Passwords asked for: NTLM */

static void
test_ntlm_asks_once_for_many_loads (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_NTLM_URL");
  g_autofree char *page = calendar_url (base);
  g_autofree char *css = g_strdup_printf ("%s/owa/%s/style.css", base, test_require_env ("OC_TEST_EMAIL"));
  g_autofree char *js = g_strdup_printf ("%s/owa/%s/app.js", base, test_require_env ("OC_TEST_EMAIL"));
  g_autofree char *logo = g_strdup_printf ("%s/owa/%s/logo.png", base, test_require_env ("OC_TEST_EMAIL"));
  g_autofree char *host = host_of (base);
  g_autofree char *question = g_strdup_printf ("%s - none 1", host);
  g_autofree char *accepted = g_strdup_printf ("%s EXAMPLE\\alice", host);
  const char *urls[] = { page, css, js, logo, NULL };
  const char *questions[] = { question, NULL };
  const char *accepts[] = { accepted, NULL };

  /* Four loads at once meet the same 401: one question, and all four sign in. */
  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  send_many (f, "GET", urls);
  g_assert_cmpuint (status (f), ==, 200);
  assert_strv (f->provider->questions, questions);
  assert_strv (f->provider->accepted, accepts);
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  assert_body_says (f, "<title>Calendar - alice@example.test</title>");
  g_assert_cmpuint (f->provider->questions->len, ==, 1);
}

static void
test_ntlm_rejected_password_asks_again (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_NTLM_URL"));
  g_autofree char *host = host_of (page);
  g_autofree char *first = g_strdup_printf ("%s - none 1", host);
  g_autofree char *second = g_strdup_printf ("%s EXAMPLE\\alice rejected 2", host);
  const char *questions[] = { first, second, NULL };

  answer (f, "wrong-password");
  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  assert_strv (f->provider->questions, questions);
  g_assert_cmpuint (f->provider->accepted->len, ==, 1);
}

static void
test_ntlm_three_rejections_end_the_asking (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_NTLM_URL"));
  g_autofree char *host = host_of (page);
  g_autoptr (GError) error = NULL;

  answer (f, "wrong-1");
  answer (f, "wrong-2");
  answer (f, "wrong-3");
  get (f, page);
  g_assert_cmpuint (status (f), ==, 401);
  g_assert_cmpuint (f->provider->questions->len, ==, 3);
  g_assert_false (oc_http_response_check (f->response, &error));
  g_assert_nonnull (strstr (error->message, "the password for “EXAMPLE\\alice” was rejected"));
  g_assert_null (strstr (error->message, "wrong-3"));

  /* No loop: the next load (a page's script, say) gets the refusal without a question. */
  get (f, page);
  g_assert_cmpuint (status (f), ==, 401);
  g_assert_cmpuint (f->provider->questions->len, ==, 3);
  g_assert_cmpuint (f->provider->accepted->len, ==, 0);

  /* The user opens the calendar again: one more question. */
  oc_http_client_retry_sign_in (f->client, host);
  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpuint (f->provider->questions->len, ==, 4);
}

static void
test_declined_question_is_not_repeated (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_NTLM_URL"));

  answer (f, NULL);
  get (f, page);
  g_assert_cmpuint (status (f), ==, 401);
  get (f, page);
  g_assert_cmpuint (status (f), ==, 401);
  g_assert_cmpuint (f->provider->questions->len, ==, 1);
}

static void
test_given_credentials_need_no_question (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_NTLM_URL"));
  g_autofree char *user = user_name ();

  oc_http_client_set_credentials (f->client, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpuint (f->provider->questions->len, ==, 0);
  g_assert_cmpuint (f->provider->accepted->len, ==, 1);
}

/* OWA's forms login */

typedef struct {
  const char *version;
  const char *path;            /* the calendar, as that version addresses it */
  const char *cookies[7];      /* the session cookies that version sets */
} FormsShape;

static const FormsShape shapes[] = {
  { "2003", "/exchange/alice/Calendar/?Cmd=contents&View=Weekly", { "sessionid", "cadata" } },
  { "2007", "/owa/alice@example.test/?cmd=contents&module=calendar", { "sessionid", "cadata", "UserContext" } },
  { "2010", "/owa/alice@example.test/?cmd=contents&module=calendar",
    { "cadata", "cadataIV", "cadataKey", "cadataSig", "cadataTTL", "sessionid" } },
};

static void
test_forms_login (Fixture *f, gconstpointer data)
{
  const FormsShape *shape = data;
  g_autofree char *url_env = g_strdup_printf ("OC_TEST_FORMS%s_URL", shape->version);
  g_autofree char *log_env = g_strdup_printf ("OC_TEST_FORMS%s_LOG", shape->version);
  g_autofree char *page = g_strconcat (test_require_env (url_env), shape->path, NULL);
  g_autofree char *css = NULL;
  g_auto (GStrv) jar = NULL;
  guint logins = test_count_log (log_env, "forms", "login-ok");
  OcHttpClientStats stats;

  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  /* The calendar itself, at its own address: the sign-in happened on the way. */
  g_assert_cmpstr (oc_http_response_get_url (f->response), ==, page);
  assert_body_says (f, "<title>Calendar - alice");
  g_assert_cmpuint (test_count_log (log_env, "forms", "login-ok"), ==, logins + 1);
  g_assert_cmpuint (f->provider->accepted->len, ==, 1);

  /* Its session cookies are in the jar, HttpOnly and all. */
  jar = oc_http_client_dup_cookie_lines (f->client);
  for (const char *const *name = shape->cookies; *name; name++)
    {
      g_autofree char *field = g_strdup_printf ("\t%s\t", *name);
      gboolean found = FALSE;
      for (char **line = jar; *line; line++)
        found |= strstr (*line, field) != NULL && g_str_has_prefix (*line, "#HttpOnly_");
      if (!found)
        g_error ("no HttpOnly cookie %s after signing in to Exchange %s", *name, shape->version);
    }

  /* The calendar's GET (302 to the sign-in page), the sign-in page, the form post
   * (302 with the cookies), the calendar again: on one kept-alive connection. */
  oc_http_client_get_stats (f->client, &stats);
  g_test_message ("forms login, Exchange %s: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                  " connections", shape->version, stats.requests, stats.connections);
  g_assert_cmpuint (stats.requests, ==, 4);
  g_assert_cmpuint (stats.connections, ==, 1);

  /* The page's style sheet rides on the session. */
  css = g_strconcat (test_require_env (url_env), g_str_has_prefix (shape->path, "/exchange") ?
                     "/exchange/alice/Calendar/style.css" : "/owa/alice@example.test/style.css", NULL);
  get (f, css);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpuint (test_count_log (log_env, "forms", "login-ok"), ==, logins + 1);
  g_assert_cmpuint (f->provider->questions->len, ==, 1);
}

static void
test_forms_wrong_password (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_FORMS2010_URL"));
  g_autofree char *host = host_of (page);
  g_autofree char *second = g_strdup_printf ("%s EXAMPLE\\alice rejected 2", host);
  guint bad = test_count_log ("OC_TEST_FORMS2010_LOG", "forms", "login-bad");

  answer (f, "wrong-password");
  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpstr (g_ptr_array_index (f->provider->questions, 1), ==, second);
  g_assert_cmpuint (test_count_log ("OC_TEST_FORMS2010_LOG", "forms", "login-bad"), ==, bad + 1);
}

static void
test_forms_three_wrong_passwords (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_FORMS2007_URL"));

  answer (f, "wrong-1");
  answer (f, "wrong-2");
  answer (f, "wrong-3");
  get (f, page);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (f->error->message, "did not accept the password for “EXAMPLE\\alice”"));
  g_assert_null (strstr (f->error->message, "wrong-3"));
  get (f, page);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
  g_assert_cmpuint (f->provider->questions->len, ==, 3);
}

static void
test_forms_session_expires (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_FORMS2010_URL");
  g_autofree char *page = calendar_url (base);
  g_autofree char *ping = g_strdup_printf ("%s/owa/%s/service.svc?action=Ping", base, test_require_env ("OC_TEST_EMAIL"));
  const char *pings[] = { ping, ping, ping, NULL };
  guint logins = test_count_log ("OC_TEST_FORMS2010_LOG", "forms", "login-ok");
  guint timeouts = test_count_log ("OC_TEST_FORMS2010_LOG", "forms", "expired");

  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);

  /* The session ends; three service calls meet 440 Login Timeout, one sign-in
   * follows with the same password (no question), and all three are answered. */
  post_control (f, base, "/testbed/expire-sessions");
  send_many (f, "POST", pings);
  g_assert_cmpuint (status (f), ==, 200);
  assert_body_says (f, "pong");
  g_assert_cmpuint (test_count_log ("OC_TEST_FORMS2010_LOG", "forms", "login-ok"), ==, logins + 2);
  g_assert_cmpuint (test_count_log ("OC_TEST_FORMS2010_LOG", "forms", "expired"), >=, timeouts + 1);
  g_assert_cmpuint (f->provider->questions->len, ==, 1);
}

static void
test_forms_session_that_never_lasts (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_FORMS2003_URL");
  g_autofree char *page = g_strconcat (base, "/exchange/alice/Calendar/?Cmd=contents&View=Weekly", NULL);
  g_autoptr (GError) error = NULL;
  guint logins = test_count_log ("OC_TEST_FORMS2003_LOG", "forms", "login-ok");

  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);

  /* From now on every new session is dead at once: one more sign-in, then the
   * 440 comes back as it is instead of a loop of sign-ins. */
  post_control (f, base, "/testbed/break-sessions?on=1");
  post_control (f, base, "/testbed/expire-sessions");
  get (f, page);
  g_assert_cmpuint (status (f), ==, 440);
  g_assert_false (oc_http_response_check (f->response, &error));
  g_assert_nonnull (strstr (error->message, "440"));
  post_control (f, base, "/testbed/break-sessions?on=0");
  g_assert_cmpuint (test_count_log ("OC_TEST_FORMS2003_LOG", "forms", "login-ok"), ==, logins + 2);
}

static void
test_forms_over_http_needs_consent (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_FORMS_HTTP_URL"));
  g_autofree char *host = host_of (page);
  const char *allowed[] = { host, NULL };

  get (f, page);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (f->error->message, "unencrypted"));
  g_assert_nonnull (strstr (f->error->message, "--allow-http-sign-in"));
  g_assert_cmpuint (f->provider->questions->len, ==, 0);
  g_assert_cmpuint (test_count_log ("OC_TEST_FORMS_HTTP_LOG", "forms", "login-bad") +
                    test_count_log ("OC_TEST_FORMS_HTTP_LOG", "forms", "login-ok"), ==, 0);

  oc_http_client_set_http_sign_in_hosts (f->client, allowed);
  answer (f, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpuint (test_count_log ("OC_TEST_FORMS_HTTP_LOG", "forms", "login-ok"), ==, 1);
}

/* HTTP Basic sends the password itself */

static void
test_basic_over_https (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_BASIC_URL"));
  g_autofree char *user = user_name ();

  oc_http_client_set_credentials (f->client, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpuint (oc_http_response_get_auth_tried (f->response) & OC_HTTP_AUTH_BASIC, ==, OC_HTTP_AUTH_BASIC);
  g_assert_cmpuint (f->provider->accepted->len, ==, 1);
}

static void
test_basic_over_http_needs_consent (Fixture *f, gconstpointer data)
{
  g_autofree char *page = calendar_url (test_require_env ("OC_TEST_BASIC_HTTP_URL"));
  g_autofree char *host = host_of (page);
  g_autofree char *user = user_name ();
  const char *allowed[] = { host, NULL };
  guint sent = test_count_log ("OC_TEST_BASIC_HTTP_LOG", "auth", "Basic");

  /* Not over plain http: no Basic offered, no question asked, the password never sent. */
  oc_http_client_set_credentials (f->client, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, page);
  g_assert_cmpuint (status (f), ==, 401);
  g_assert_cmpuint (oc_http_response_get_auth_tried (f->response) & OC_HTTP_AUTH_BASIC, ==, 0);
  g_assert_cmpuint (f->provider->questions->len, ==, 0);
  g_assert_cmpuint (test_count_log ("OC_TEST_BASIC_HTTP_LOG", "auth", "Basic"), ==, sent);

  /* The user allowed http for this server. */
  oc_http_client_set_http_sign_in_hosts (f->client, allowed);
  get (f, page);
  g_assert_cmpuint (status (f), ==, 200);
  g_assert_cmpuint (test_count_log ("OC_TEST_BASIC_HTTP_LOG", "auth", "Basic"), >, sent);
}

int
main (int argc, char *argv[])
{
  g_autofree char *no_ticket = NULL;

  g_test_init (&argc, &argv, NULL);
  /* No Kerberos here: an empty ticket cache, whatever the machine has. */
  no_ticket = g_strconcat ("FILE:", g_get_tmp_dir (), "/owacal-sign-in-test-no-ccache", NULL);
  g_setenv ("KRB5CCNAME", no_ticket, TRUE);

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/oc/sign-in/ntlm-asks-once-for-many-loads", NULL, test_ntlm_asks_once_for_many_loads);
  ADD ("/oc/sign-in/ntlm-rejected-password-asks-again", NULL, test_ntlm_rejected_password_asks_again);
  ADD ("/oc/sign-in/ntlm-three-rejections-end-the-asking", NULL, test_ntlm_three_rejections_end_the_asking);
  ADD ("/oc/sign-in/declined-question-is-not-repeated", NULL, test_declined_question_is_not_repeated);
  ADD ("/oc/sign-in/given-credentials-need-no-question", NULL, test_given_credentials_need_no_question);
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/sign-in/forms-login-%s", shapes[i].version);
      ADD (path, &shapes[i], test_forms_login);
    }
  ADD ("/oc/sign-in/forms-wrong-password", NULL, test_forms_wrong_password);
  ADD ("/oc/sign-in/forms-three-wrong-passwords", NULL, test_forms_three_wrong_passwords);
  ADD ("/oc/sign-in/forms-session-expires", NULL, test_forms_session_expires);
  ADD ("/oc/sign-in/forms-session-that-never-lasts", NULL, test_forms_session_that_never_lasts);
  ADD ("/oc/sign-in/forms-over-http-needs-consent", NULL, test_forms_over_http_needs_consent);
  ADD ("/oc/sign-in/basic-over-https", NULL, test_basic_over_https);
  ADD ("/oc/sign-in/basic-over-http-needs-consent", NULL, test_basic_over_http_needs_consent);
#undef ADD
  return g_test_run ();
}
