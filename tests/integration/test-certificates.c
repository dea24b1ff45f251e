/* Certificates against real TLS servers (tests/testbed/testbed.py, component tls): an
 * untrusted certificate is read and described (host, issuer, dates, SHA-256 fingerprint,
 * checked against openssl's), trusting it for its server (a pin) lets the client in, a
 * changed certificate on that server is refused again, and reading a certificate sends
 * nothing to the server. */
#include "config.h"

#include <string.h>

#include "oc-http-client.h"
#include "test-support.h"

typedef struct {
  OcHttpClient *client;
  OcHttpResponse *response;
  GError *error;
} Fixture;

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
send (Fixture *f, const char *method, const char *url)
{
  g_autoptr (OcHttpRequest) request = oc_http_request_new (method, url);

  g_clear_pointer (&f->response, oc_http_response_unref);
  g_clear_error (&f->error);
  f->response = test_send (f->client, request, NULL, &f->error);
}

/* What openssl says the fingerprint of a testbed certificate is. */
static char *
openssl_fingerprint (const char *pem_name)
{
  g_autofree char *path = g_build_filename (test_require_env ("OC_TESTBED_DIR"), "state", "tls", pem_name, NULL);
  g_autofree char *output = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", path, NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output, NULL, NULL, &error))
    g_error ("openssl: %s", error->message);
  return g_strdup (g_strstrip (strchr (output, '=') + 1));
}

static guint16
port_of (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return (guint16) g_uri_get_port (uri);
}

static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; (p = strchr (p, '\n')) != NULL; p++)
    n++;
  return n;
}

static void
swap_certificate (const char *base, OcCertificate *current)
{
  g_autoptr (OcHttpClient) client = oc_http_client_new ();
  g_autofree char *url = g_strconcat (base, "/testbed/swap-certificate", NULL);
  Fixture f = { client, NULL, NULL };

  /* The control page is on the very server: reach it with a pin for what it has now. */
  oc_http_client_pin_certificate (client, "localhost", port_of (base), NULL,
                                  oc_certificate_get_public_key_pin (current));
  send (&f, "POST", url);
  g_assert_no_error (f.error);
  g_assert_cmpuint (oc_http_response_get_status (f.response), ==, 204);
  oc_http_response_unref (f.response);
  f.client = NULL;
}

static void
test_untrusted_certificate_is_described (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_TLS_CHANGING_URL");
  g_autofree char *url = g_strconcat (base, "/status/404", NULL);
  g_autofree char *expected = openssl_fingerprint ("selfsigned.pem");
  g_autoptr (OcCertificate) certificate = NULL;

  send (f, "GET", url);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  g_assert_nonnull (strstr (f->error->message, "self-signed"));
  g_assert_nonnull (strstr (f->error->message, expected));
  g_assert_nonnull (strstr (f->error->message, "Issued by: CN = localhost"));

  certificate = oc_http_client_get_certificate_problem (f->client, url);
  g_assert_nonnull (certificate);
  g_assert_cmpstr (oc_certificate_get_host (certificate), ==, "localhost");
  g_assert_cmpuint (oc_certificate_get_port (certificate), ==, port_of (base));
  g_assert_cmpstr (oc_certificate_get_fingerprint (certificate), ==, expected);
  g_assert_cmpstr (oc_certificate_get_subject (certificate), ==, "CN = localhost");
  g_assert_cmpstr (oc_certificate_get_issuer (certificate), ==, "CN = localhost");
  g_assert_cmpstr (oc_certificate_get_not_before (certificate), !=, "");
  g_assert_cmpstr (oc_certificate_get_not_after (certificate), !=, "");
}

static void
test_reading_a_certificate_sends_nothing (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_TLS_CHANGING_URL");
  g_autofree char *url = g_strconcat (base, "/status/404", NULL);
  g_autofree char *log = g_build_filename (test_require_env ("OC_TESTBED_DIR"), "state", "logs", "tls-changing.jsonl", NULL);
  g_autoptr (OcCertificate) certificate = NULL;
  guint before = count_lines (log);

  /* The refused handshake and the one that read the certificate: no request in the log. */
  send (f, "GET", url);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  certificate = oc_http_client_get_certificate_problem (f->client, url);
  g_assert_nonnull (certificate);
  g_assert_cmpuint (count_lines (log), ==, before);
}

static void
test_pinned_certificate_then_changed (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_TLS_CHANGING_URL");
  g_autofree char *url = g_strconcat (base, "/owa/alice@example.test/?cmd=contents&module=calendar", NULL);
  g_autofree char *second = openssl_fingerprint ("selfsigned2.pem");
  g_autoptr (OcCertificate) trusted = NULL;
  g_autoptr (OcCertificate) changed = NULL;

  send (f, "GET", url);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  trusted = oc_http_client_get_certificate_problem (f->client, url);

  /* The user trusts that certificate for that server. */
  oc_http_client_pin_certificate (f->client, oc_certificate_get_host (trusted), oc_certificate_get_port (trusted),
                                  oc_certificate_get_fingerprint (trusted),
                                  oc_certificate_get_public_key_pin (trusted));
  send (f, "GET", url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);

  /* The server's certificate changes (another key): refused again, in a new client
   * (connections are not reused across the change) holding the same pin. */
  swap_certificate (base, trusted);
  g_clear_object (&f->client);
  f->client = oc_http_client_new ();
  oc_http_client_pin_certificate (f->client, oc_certificate_get_host (trusted), oc_certificate_get_port (trusted),
                                  oc_certificate_get_fingerprint (trusted),
                                  oc_certificate_get_public_key_pin (trusted));
  send (f, "GET", url);
  changed = oc_http_client_get_certificate_problem (f->client, url);
  g_assert_nonnull (changed);
  swap_certificate (base, changed);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  g_assert_nonnull (strstr (f->error->message, "has changed since you trusted it"));
  g_assert_nonnull (strstr (f->error->message, second));
  g_assert_cmpstr (oc_certificate_get_fingerprint (changed), ==, second);
}

static void
test_pin_by_fingerprint (Fixture *f, gconstpointer data)
{
  const char *base = test_require_env ("OC_TEST_TLS_CHANGING_URL");
  g_autofree char *url = g_strconcat (base, "/owa/alice@example.test/app.js", NULL);
  g_autofree char *fingerprint = openssl_fingerprint ("selfsigned.pem");
  g_autofree char *other = openssl_fingerprint ("selfsigned2.pem");
  OcHttpClientStats stats;

  /* As --trust-certificate gives it: the fingerprint only; the key is learnt on first sight. */
  oc_http_client_pin_certificate (f->client, "localhost", port_of (base), fingerprint, NULL);
  send (f, "GET", url);
  g_assert_no_error (f->error);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  send (f, "GET", url);
  g_assert_cmpuint (oc_http_response_get_status (f->response), ==, 200);
  oc_http_client_get_stats (f->client, &stats);
  /* The refused connection and the pinned one, which the second request reused. */
  g_assert_cmpuint (stats.connections, ==, 2);

  /* A fingerprint the server's certificate does not have lets nothing through. */
  g_clear_object (&f->client);
  f->client = oc_http_client_new ();
  oc_http_client_pin_certificate (f->client, "localhost", port_of (base), other, NULL);
  send (f, "GET", url);
  g_assert_error (f->error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
  g_assert_nonnull (strstr (f->error->message, fingerprint));
}

static void
test_ca_file_still_wins (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (test_require_env ("OC_TEST_TLS_URL"), "/owa/alice@example.test/app.js", NULL);

  /* A server the CA file vouches for needs no pin and has no problem recorded. */
  oc_http_client_set_ca_file (f->client, test_require_env ("OC_TEST_TLS_CA"));
  send (f, "GET", url);
  g_assert_no_error (f->error);
  g_assert_null (oc_http_client_get_certificate_problem (f->client, url));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/oc/certificates/untrusted-certificate-is-described", test_untrusted_certificate_is_described);
  ADD ("/oc/certificates/reading-a-certificate-sends-nothing", test_reading_a_certificate_sends_nothing);
  ADD ("/oc/certificates/pinned-certificate-then-changed", test_pinned_certificate_then_changed);
  ADD ("/oc/certificates/pin-by-fingerprint", test_pin_by_fingerprint);
  ADD ("/oc/certificates/ca-file-still-wins", test_ca_file_still_wins);
#undef ADD
  return g_test_run ();
}
