/* OcHttpClient against real servers on loopback (tests/testbed/testbed.py):
 * an MIT KDC with Apache and mod_auth_gssapi, an NTLMv2 server, TLS servers
 * with a private CA, a port that never answers and one that is closed. */
#include "config.h"

#include <string.h>

#include "oc-http-client.h"
#include "test-support.h"

typedef struct {
  OcHttpClient *client;
  OcHttpResponse *response;
  GError *error;
} Fixture;

static char *
mailbox_url (const char *base)
{
  return g_strdup_printf ("%s/owa/%s/?cmd=contents&module=calendar", base, test_require_env ("OC_TEST_EMAIL"));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->client = oc_http_client_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->response, oc_http_response_unref);
  g_clear_error (&f->error);
  g_clear_object (&f->client);
}

static void
send (Fixture *f, OcHttpRequest *request)
{
  g_clear_pointer (&f->response, oc_http_response_unref);
  g_clear_error (&f->error);
  f->response = test_send (f->client, request, NULL, &f->error);
}

static void
get (Fixture *f, const char *url)
{
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("GET", url);
  send (f, request);
}

static void
trust (Fixture *f, const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  oc_http_client_trust_host (f->client, g_uri_get_host (uri));
}

static void
assert_message_says (const GError *error, const char *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
}

static void
set_ntlm_credentials (Fixture *f, const char *password)
{
  g_autofree char *user = g_strdup_printf ("%s\\%s", test_require_env ("OC_TEST_DOMAIN"), test_require_env ("OC_TEST_USER"));
  oc_http_client_set_credentials (f->client, user, password);
}

/* Kerberos single sign-on */

static void
test_negotiate (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NEGOTIATE_URL"));
  OcHttpClientStats stats;

  trust (f, url);
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (oc_http_response_get_new_connections (f->response), ==, 1);
  g_assert_true (test_body_contains (f->response, "<title>"));

  /* libcurl sends a Negotiate token up front (no 401 round trip) and the
   * next request rides on the same connection. */
  get (f, url);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (oc_http_response_get_new_connections (f->response), ==, 0);
  oc_http_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.connections, ==, 1);
  g_assert_cmpuint (stats.challenges, ==, 0);
  g_assert_cmpuint (stats.requests, ==, 2);
}

static void
test_negotiate_untrusted_host (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NEGOTIATE_URL"));
  g_autoptr (GError) error = NULL;

  /* Not trusted: no ticket is offered to this host. */
  get (f, url);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 401);
  g_assert_cmpuint (oc_http_response_get_auth_tried (f->response), ==, OC_HTTP_AUTH_NONE);
  g_assert_false (oc_http_response_check (f->response, &error));
  assert_message_says (error, "not the calendar’s own server");
}

static void
test_negotiate_without_ticket (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NEGOTIATE_URL"));
  g_autofree char *empty_cache = g_build_filename (test_require_env ("OC_TESTBED_DIR"), "no-ticket-ccache", NULL);
  g_autofree char *saved = g_strdup (test_require_env ("KRB5CCNAME"));
  g_autofree char *cache_name = g_strconcat ("FILE:", empty_cache, NULL);
  g_autoptr (GError) error = NULL;

  g_setenv ("KRB5CCNAME", cache_name, TRUE);
  trust (f, url);
  get (f, url);
  g_setenv ("KRB5CCNAME", saved, TRUE);

  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 401);
  g_assert_false (oc_http_response_check (f->response, &error));
  g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
  assert_message_says (error, "you have no Kerberos ticket");
}

static void
run_kinit (const char *lifetime)
{
  g_autofree char *principal = g_strdup_printf ("%s@%s", test_require_env ("OC_TEST_USER"), test_require_env ("OC_TEST_REALM"));
  g_autofree char *input = g_strdup_printf ("%s\n", test_require_env ("OC_TEST_PASSWORD"));
  g_autoptr (GSubprocess) kinit = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *output = NULL;

  if (lifetime != NULL)
    kinit = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_MERGE, &error, "kinit", "-l", lifetime, principal, NULL);
  else
    kinit = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_MERGE, &error, "kinit", principal, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (kinit, input, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (kinit))
    g_error ("kinit failed: %s", output);
}

/* klist's own opinion (it compares the end time with the clock, nothing else). */
static gboolean
ticket_is_listed (void)
{
  int status = -1;

  g_spawn_sync (NULL, (char *[]) { "klist", "-s", NULL }, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL);
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_ticket_renewed_while_running (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_NEGOTIATE_URL");
  g_autoptr (GUri) uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *by_name = mailbox_url (base);
  g_autofree char *by_address = NULL;
  g_autofree char *cache = g_build_filename (test_require_env ("OC_TESTBED_DIR"), "short-ticket-ccache", NULL);
  g_autofree char *cache_name = g_strconcat ("FILE:", cache, NULL);
  g_autofree char *saved = g_strdup (test_require_env ("KRB5CCNAME"));
  g_autoptr (GError) error = NULL;
  gint64 deadline;

  /* The same server under its address: a connection of its own. (Apache,
   * like IIS, keeps a signed-in connection signed in after the ticket ends.) */
  by_address = g_strdup_printf ("http://127.0.0.1:%d/owa/%s/?cmd=contents&module=calendar",
                                g_uri_get_port (uri), test_require_env ("OC_TEST_EMAIL"));
  g_setenv ("KRB5CCNAME", cache_name, TRUE);
  run_kinit ("3");
  oc_http_client_trust_host (f->client, "localhost");
  oc_http_client_trust_host (f->client, "127.0.0.1");
  get (f, by_name);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (oc_kerberos_get_ticket_state (NULL, NULL) != OC_KERBEROS_TICKET_EXPIRED || ticket_is_listed ())
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the 3-second ticket did not expire");
      g_usleep (200 * 1000);
    }
  /* Ticket times have whole seconds: "no time left" may still be the last one. */
  g_usleep (G_USEC_PER_SEC + 100 * 1000);
  get (f, by_address);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 401);
  g_assert_false (oc_http_response_check (f->response, &error));
  assert_message_says (error, "your Kerberos ticket has expired");

  /* kinit again: the same client signs in, no restart. */
  run_kinit (NULL);
  get (f, by_address);
  g_setenv ("KRB5CCNAME", saved, TRUE);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
}

/* NTLM */

static void
test_ntlm (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NTLM_URL"));
  g_autofree char *css = g_strdup_printf ("%s/owa/%s/style.css", test_require_env ("OC_TEST_NTLM_URL"),
                                          test_require_env ("OC_TEST_EMAIL"));
  OcHttpClientStats stats;

  set_ntlm_credentials (f, test_require_env ("OC_TEST_PASSWORD"));
  trust (f, url);
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  get (f, css);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (oc_http_response_get_new_connections (f->response), ==, 0);

  /* One connection and one handshake: the anonymous request's 401, the
   * Type-2 challenge's 401, then the page; the style sheet comes unchallenged. */
  oc_http_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.connections, ==, 1);
  g_assert_cmpuint (stats.challenges, ==, 2);
  g_assert_cmpuint (stats.requests, ==, 4);
}

static void
test_ntlm_without_ticket_starts_at_once (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NTLM_URL"));
  g_autofree char *empty_cache = g_build_filename (test_require_env ("OC_TESTBED_DIR"), "no-ticket-ccache", NULL);
  g_autofree char *saved = g_strdup (test_require_env ("KRB5CCNAME"));
  g_autofree char *cache_name = g_strconcat ("FILE:", empty_cache, NULL);
  OcHttpClientStats stats;

  /* No ticket: the Type-1 message goes with the first request, so the
   * handshake costs one 401 (the Type-2 challenge), not two. */
  g_setenv ("KRB5CCNAME", cache_name, TRUE);
  set_ntlm_credentials (f, test_require_env ("OC_TEST_PASSWORD"));
  trust (f, url);
  get (f, url);
  g_setenv ("KRB5CCNAME", saved, TRUE);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (oc_http_response_get_auth_tried (f->response), ==, OC_HTTP_AUTH_NTLM);
  oc_http_client_get_stats (f->client, &stats);
  g_assert_cmpuint (stats.challenges, ==, 1);
  g_assert_cmpuint (stats.requests, ==, 2);
}

static void
test_ntlm_wrong_password (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NTLM_URL"));
  g_autoptr (GError) error = NULL;

  set_ntlm_credentials (f, "not-the-password");
  trust (f, url);
  get (f, url);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 401);
  g_assert_false (oc_http_response_check (f->response, &error));
  g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
  assert_message_says (error, "the password for “EXAMPLE\\alice” was rejected");
  g_assert_null (strstr (error->message, "not-the-password"));
}

static void
test_ntlm_post_body (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/owa/%s/service.svc?action=Ping", test_require_env ("OC_TEST_NTLM_URL"),
                                          test_require_env ("OC_TEST_EMAIL"));
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new_static ("{\"hello\":1}", 11);

  set_ntlm_credentials (f, test_require_env ("OC_TEST_PASSWORD"));
  trust (f, url);
  oc_http_request_add_header (request, "Content-Type", "application/json");
  oc_http_request_set_body (request, body);
  send (f, request);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_true (test_body_contains (f->response, "pong"));
}

static void
test_sso_falls_back_to_ntlm (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_NTLM_NEGOTIATE_URL"));
  g_autofree char *empty_cache = g_build_filename (test_require_env ("OC_TESTBED_DIR"), "no-ticket-ccache", NULL);
  g_autofree char *saved = g_strdup (test_require_env ("KRB5CCNAME"));
  g_autofree char *cache_name = g_strconcat ("FILE:", empty_cache, NULL);

  set_ntlm_credentials (f, test_require_env ("OC_TEST_PASSWORD"));
  trust (f, url);

  /* With a ticket the server does not take, then with none at all: libcurl
   * gives up on Negotiate both times, and the client asks again with NTLM. */
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (oc_http_response_get_auth_tried (f->response), ==, OC_HTTP_AUTH_NTLM);

  g_clear_object (&f->client);
  f->client = oc_http_client_new ();
  set_ntlm_credentials (f, test_require_env ("OC_TEST_PASSWORD"));
  trust (f, url);
  g_setenv ("KRB5CCNAME", cache_name, TRUE);
  get (f, url);
  g_setenv ("KRB5CCNAME", saved, TRUE);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
}

static void
test_redirect_to_other_host_carries_no_credentials (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_NTLM_URL");
  g_autofree char *page = mailbox_url (base);
  g_autofree char *elsewhere = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  g_autoptr (OcHttpRequest) request = NULL;
  g_autoptr (GUri) uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);

  /* localhost is the same server under another name: another host. */
  elsewhere = g_strdup_printf ("http://localhost:%d/owa/%s/?cmd=contents&module=calendar",
                               g_uri_get_port (uri), test_require_env ("OC_TEST_EMAIL"));
  escaped = g_uri_escape_string (elsewhere, NULL, FALSE);
  url = g_strdup_printf ("%s/redirect?to=%s", base, escaped);

  set_ntlm_credentials (f, test_require_env ("OC_TEST_PASSWORD"));
  trust (f, page);
  request = oc_http_request_new ("GET", url);
  oc_http_request_set_follow_redirects (request, TRUE);
  send (f, request);
  g_assert_no_error (f->error);
  g_assert_cmpstr (oc_http_response_get_url (f->response), ==, elsewhere);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 401);
  g_assert_cmpuint (oc_http_response_get_auth_tried (f->response), ==, OC_HTTP_AUTH_NONE);

  /* The same redirect within the trusted host signs in. */
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&escaped, g_free);
  escaped = g_uri_escape_string (page, NULL, FALSE);
  url = g_strdup_printf ("%s/redirect?to=%s", base, escaped);
  g_clear_pointer (&request, oc_http_request_unref);
  request = oc_http_request_new ("GET", url);
  oc_http_request_set_follow_redirects (request, TRUE);
  send (f, request);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
}

/* Errors a user meets */

static void
test_connection_refused (Fixture *f, gconstpointer data)
{
  get (f, test_require_env ("OC_TEST_CLOSED_URL"));
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_CONNECTION_REFUSED);
  assert_message_says (f->error, "refused the connection");
}

static void
test_host_not_found (Fixture *f, gconstpointer data)
{
  get (f, "http://no-such-host.invalid/owa/");
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_HOST_NOT_FOUND);
  assert_message_says (f->error, "“no-such-host.invalid” could not be found");
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  oc_http_client_set_timeouts (f->client, 1, 1);
  get (f, test_require_env ("OC_TEST_BLACKHOLE_URL"));
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TIMEOUT);
  assert_message_says (f->error, "did not answer in time");
}

static void
test_tls (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_TLS_URL"));

  get (f, url);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  assert_message_says (f->error, "issued by an authority this computer does not trust");
  assert_message_says (f->error, "--ca-file");

  oc_http_client_set_ca_file (f->client, test_require_env ("OC_TEST_TLS_CA"));
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
}

static void
test_tls_bad_certificates (Fixture *f, gconstpointer data)
{
  oc_http_client_set_ca_file (f->client, test_require_env ("OC_TEST_TLS_CA"));

  get (f, test_require_env ("OC_TEST_TLS_SELFSIGNED_URL"));
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  assert_message_says (f->error, "self-signed");

  get (f, test_require_env ("OC_TEST_TLS_EXPIRED_URL"));
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  assert_message_says (f->error, "expired");

  get (f, test_require_env ("OC_TEST_TLS_WRONGHOST_URL"));
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  assert_message_says (f->error, "another server name");
}

static void
test_status_pages (Fixture *f, gconstpointer data)
{
  static const struct { const char *path; int code; } rows[] = {
    { "/status/403", OC_HTTP_ERROR_FORBIDDEN },
    { "/status/404", OC_HTTP_ERROR_NOT_FOUND },
    { "/status/500", OC_HTTP_ERROR_SERVER },
    { "/status/503", OC_HTTP_ERROR_SERVER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = g_strconcat (test_require_env ("OC_TEST_OWA_URL"), rows[i].path, NULL);
      g_autoptr (GError) error = NULL;

      get (f, url);
      g_assert_no_error (f->error);
      g_assert_false (oc_http_response_check (f->response, &error));
      g_assert_error (error, OC_HTTP_ERROR, rows[i].code);
    }
}

/* Cookies and redirects */

static void
test_cookies_kept (Fixture *f, gconstpointer data)
{
  g_autofree char *url = mailbox_url (test_require_env ("OC_TEST_OWA_URL"));
  g_auto (GStrv) jar = NULL;
  gboolean canary = FALSE, http_only_session = FALSE;

  get (f, url);
  g_assert_no_error (f->error);
  jar = oc_http_client_dup_cookie_lines (f->client);
  for (char **line = jar; *line; line++)
    {
      canary |= strstr (*line, "\tX-OWA-CANARY\t") != NULL && !g_str_has_prefix (*line, "#HttpOnly_");
      http_only_session |= g_str_has_prefix (*line, "#HttpOnly_") && strstr (*line, "\towa-session\t") != NULL;
    }
  g_assert_true (canary);
  g_assert_true (http_only_session);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("GET", test_require_env ("OC_TEST_BLACKHOLE_URL"));
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  f->response = test_send (f->client, request, cancellable, &f->error);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_refuses_other_schemes (Fixture *f, gconstpointer data)
{
  get (f, "file:///etc/passwd");
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_REFUSED_REQUEST);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/oc/http-client/negotiate", test_negotiate);
  ADD ("/oc/http-client/negotiate-untrusted-host", test_negotiate_untrusted_host);
  ADD ("/oc/http-client/negotiate-without-ticket", test_negotiate_without_ticket);
  ADD ("/oc/http-client/ticket-renewed-while-running", test_ticket_renewed_while_running);
  ADD ("/oc/http-client/ntlm", test_ntlm);
  ADD ("/oc/http-client/ntlm-without-ticket-starts-at-once", test_ntlm_without_ticket_starts_at_once);
  ADD ("/oc/http-client/ntlm-wrong-password", test_ntlm_wrong_password);
  ADD ("/oc/http-client/ntlm-post-body", test_ntlm_post_body);
  ADD ("/oc/http-client/sso-falls-back-to-ntlm", test_sso_falls_back_to_ntlm);
  ADD ("/oc/http-client/redirect-to-other-host-carries-no-credentials",
       test_redirect_to_other_host_carries_no_credentials);
  ADD ("/oc/http-client/connection-refused", test_connection_refused);
  ADD ("/oc/http-client/host-not-found", test_host_not_found);
  ADD ("/oc/http-client/timeout", test_timeout);
  ADD ("/oc/http-client/tls", test_tls);
  ADD ("/oc/http-client/tls-bad-certificates", test_tls_bad_certificates);
  ADD ("/oc/http-client/status-pages", test_status_pages);
  ADD ("/oc/http-client/cookies-kept", test_cookies_kept);
  ADD ("/oc/http-client/cancel", test_cancel);
  ADD ("/oc/http-client/refuses-other-schemes", test_refuses_other_schemes);
#undef ADD
  return g_test_run ();
}
