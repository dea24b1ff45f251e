/* Proxies against a real forward proxy (tests/servers/proxy.py) that wants NTLM, like a
 * company's ISA/TMG: the desktop's choice through a GProxyResolver, for http and (CONNECT)
 * https; the environment's http_proxy when there is no resolver; the proxy's password from
 * the command line or from the credentials provider; a refusal explained. The proxy's log
 * and the site's log say who went where. */
#include "config.h"

#include <string.h>

#include "oc-http-client.h"
#include "test-support.h"

typedef struct {
  OcHttpClient *client;
  TestProvider *provider;
  OcHttpResponse *response;
  GError *error;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->client = oc_http_client_new ();
  f->provider = test_provider_new ();
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
}

static void
get (Fixture *f, const char *url)
{
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("GET", url);

  g_clear_pointer (&f->response, oc_http_response_unref);
  g_clear_error (&f->error);
  f->response = test_send (f->client, request, NULL, &f->error);
}

static char *
user_name (void)
{
  return g_strdup_printf ("%s\\%s", test_require_env ("OC_TEST_DOMAIN"), test_require_env ("OC_TEST_USER"));
}

static void
use_desktop_proxy (Fixture *f, const char *const *ignore_hosts)
{
  g_autoptr (GProxyResolver) resolver = g_simple_proxy_resolver_new (test_require_env ("OC_TEST_PROXY_URL"),
                                                                     (char **) ignore_hosts);
  oc_http_client_set_proxy_resolver (f->client, resolver);
}

/* The site under a name other than the proxy's own (127.0.0.1). */
static char *
site_url (const char *base_env, const char *path)
{
  g_autoptr (GUri) uri = g_uri_parse (test_require_env (base_env), G_URI_FLAGS_NONE, NULL);
  return g_strdup_printf ("%s://localhost:%d%s", g_uri_get_scheme (uri), g_uri_get_port (uri), path);
}

static guint
proxy_count (const char *key, const char *value)
{
  return test_count_log ("OC_TEST_PROXY_LOG", key, value);
}

static void
test_desktop_proxy_signs_in_with_ntlm (Fixture *f, gconstpointer data)
{
  g_autofree char *url = site_url ("OC_TEST_OWA_URL", "/owa/alice@example.test/app.js");
  g_autofree char *user = user_name ();
  guint signed_in = proxy_count ("ntlm", "type3-ok");
  guint site = test_count_log ("OC_TEST_OWA_LOG", "path", "/owa/alice@example.test/app.js");

  use_desktop_proxy (f, NULL);
  oc_http_client_set_credentials (f->client, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (proxy_count ("ntlm", "type3-ok"), ==, signed_in + 1);
  g_assert_cmpuint (test_count_log ("OC_TEST_OWA_LOG", "path", "/owa/alice@example.test/app.js"), ==, site + 1);

  /* The proxy connection stays signed in: the next request needs no handshake. */
  get (f, url);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (proxy_count ("ntlm", "type3-ok"), ==, signed_in + 1);
}

static void
test_desktop_proxy_tunnels_https (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (test_require_env ("OC_TEST_TLS_URL"), "/owa/alice@example.test/app.js", NULL);
  g_autofree char *user = user_name ();
  guint connects = proxy_count ("method", "CONNECT");

  use_desktop_proxy (f, NULL);
  oc_http_client_set_credentials (f->client, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  /* The CONNECT that got the Type-2 challenge, and the one signed in. */
  g_assert_cmpuint (proxy_count ("method", "CONNECT"), ==, connects + 2);
}

static void
test_proxy_password_asked_for (Fixture *f, gconstpointer data)
{
  g_autofree char *url = site_url ("OC_TEST_OWA_URL", "/owa/alice@example.test/style.css");
  g_autofree char *user = user_name ();
  g_autofree char *first = g_strdup ("proxy 127.0.0.1 - none 1");
  g_autofree char *second = g_strdup_printf ("proxy 127.0.0.1 %s rejected 2", user);
  g_autofree char *accepted = g_strdup_printf ("127.0.0.1 %s", user);

  use_desktop_proxy (f, NULL);
  oc_http_client_set_credentials_provider (f->client, OC_CREDENTIALS_PROVIDER (f->provider));
  test_provider_answer (f->provider, user, "wrong-password");
  test_provider_answer (f->provider, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (f->provider->questions->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->provider->questions, 0), ==, first);
  g_assert_cmpstr (g_ptr_array_index (f->provider->questions, 1), ==, second);
  g_assert_cmpuint (f->provider->accepted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->provider->accepted, 0), ==, accepted);
}

static void
test_proxy_refusal_explained (Fixture *f, gconstpointer data)
{
  g_autofree char *http = site_url ("OC_TEST_OWA_URL", "/owa/alice@example.test/app.js");
  g_autofree char *https = g_strconcat (test_require_env ("OC_TEST_TLS_URL"), "/owa/alice@example.test/app.js", NULL);
  g_autoptr (GError) error = NULL;

  use_desktop_proxy (f, NULL);
  get (f, http);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 407);
  g_assert_false (oc_http_response_check (f->response, &error));
  g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_PROXY);
  g_clear_error (&error);

  /* A refused CONNECT is the same refusal, not a broken connection. */
  get (f, https);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 407);
  g_assert_false (oc_http_response_check (f->response, &error));
  g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_PROXY);
}

static void
test_ignored_hosts_go_direct (Fixture *f, gconstpointer data)
{
  const char *ignore[] = { "localhost", NULL };
  g_autofree char *url = site_url ("OC_TEST_OWA_URL", "/owa/alice@example.test/app.js");
  guint before = proxy_count ("status", "407") + proxy_count ("method", "GET");

  use_desktop_proxy (f, ignore);
  get (f, url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (proxy_count ("status", "407") + proxy_count ("method", "GET"), ==, before);
}

static void
test_environment_proxy (Fixture *f, gconstpointer data)
{
  g_autofree char *url = site_url ("OC_TEST_OWA_URL", "/owa/alice@example.test/logo.png");
  g_autofree char *user = user_name ();
  guint signed_in = proxy_count ("ntlm", "type3-ok");

  /* No resolver: libcurl's own http_proxy, with the proxy sign-in owacal configures. */
  g_setenv ("http_proxy", test_require_env ("OC_TEST_PROXY_URL"), TRUE);
  g_setenv ("no_proxy", "", TRUE);
  oc_http_client_set_credentials (f->client, user, test_require_env ("OC_TEST_PASSWORD"));
  get (f, url);
  g_unsetenv ("http_proxy");
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  g_assert_cmpuint (proxy_count ("ntlm", "type3-ok"), ==, signed_in + 1);
}

int
main (int argc, char *argv[])
{
  g_autofree char *no_ticket = NULL;

  g_test_init (&argc, &argv, NULL);
  no_ticket = g_strconcat ("FILE:", test_require_env ("OC_TESTBED_DIR"), "/no-ccache", NULL);
  g_setenv ("KRB5CCNAME", no_ticket, TRUE);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/oc/proxy/desktop-proxy-signs-in-with-ntlm", test_desktop_proxy_signs_in_with_ntlm);
  ADD ("/oc/proxy/desktop-proxy-tunnels-https", test_desktop_proxy_tunnels_https);
  ADD ("/oc/proxy/proxy-password-asked-for", test_proxy_password_asked_for);
  ADD ("/oc/proxy/proxy-refusal-explained", test_proxy_refusal_explained);
  ADD ("/oc/proxy/ignored-hosts-go-direct", test_ignored_hosts_go_direct);
  ADD ("/oc/proxy/environment-proxy", test_environment_proxy);
#undef ADD
  return g_test_run ();
}
