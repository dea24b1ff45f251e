/* test-ews-autodiscover.c: Autodiscover against the testbed's EWS stand-in
 * (ews-basic, Basic over https) and slapd with its service connection point
 * (--slapd-scp ews-basic): SCP → POX → EWS address; a redirect to a host
 * nobody named or to http gets no credentials (the stand-in's log says so);
 * nothing found lists every place asked; the user's own Thunderbird
 * Exchange account is asked before anyone. */
#include "config.h"

#include <string.h>

#include "oc-ews-autodiscover.h"
#include "oc-ews-error.h"
#include "test-support.h"

typedef struct {
  OcHttpClient *http;
  OcResolver *resolver;
  OcEwsAutodiscover *autodiscover;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("%s/dc=example,dc=test", test_require_env ("OC_TEST_LDAP_URI"));
  g_autoptr (OcLdapDirectory) directory = oc_ldap_directory_new ("test", uri, NULL);
  const char *const sources[] = { OC_RESOLVER_SOURCE_DIRECTORY, OC_RESOLVER_SOURCE_EXCHANGE, NULL };

  fixture->http = oc_http_client_new ();
  oc_http_client_set_ca_file (fixture->http, test_require_env ("OC_TEST_TLS_CA"));
  oc_http_client_set_credentials (fixture->http, test_require_env ("OC_TEST_USER"),
                                  test_require_env ("OC_TEST_PASSWORD"));
  fixture->resolver = oc_resolver_new ();
  g_assert_true (oc_resolver_set_sources (fixture->resolver, sources, NULL));
  if (data == NULL)
    oc_resolver_set_directory (fixture->resolver, directory);
  fixture->autodiscover = oc_ews_autodiscover_new (fixture->http);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->autodiscover);
  g_clear_object (&fixture->resolver);
  g_clear_object (&fixture->http);
}

static void
keep_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static OcEwsAutodiscoverResult *
find (Fixture     *fixture,
      const char  *email,
      GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  oc_ews_autodiscover_find_async (fixture->autodiscover, email, fixture->resolver, NULL, keep_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return oc_ews_autodiscover_find_finish (fixture->autodiscover, result, error);
}

/* The stand-in's log lines since @since (one JSON object each). */
static GStrv
log_lines_since (guint  since,
                 guint *out_total)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  guint n;

  g_assert_true (g_file_get_contents (test_require_env ("OC_TEST_EWS_BASIC_LOG"), &contents, NULL, NULL));
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  n = *contents ? g_strv_length (lines) : 0;
  if (out_total != NULL)
    *out_total = n;
  return g_strdupv (lines + MIN (since, n));
}

static guint
log_length (void)
{
  guint total = 0;
  g_auto (GStrv) ignored = log_lines_since (0, &total);

  (void) ignored;
  return total;
}

static void
control (const char *path_and_query)
{
  g_autoptr (OcHttpClient) http = oc_http_client_new ();
  g_autofree char *url = g_strdup_printf ("%s%s", test_require_env ("OC_TEST_EWS_BASIC_URL"), path_and_query);
  g_autoptr (OcHttpRequest) request = oc_http_request_new ("POST", url);
  g_autoptr (OcHttpResponse) response = NULL;
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GError) error = NULL;

  oc_http_client_set_ca_file (http, test_require_env ("OC_TEST_TLS_CA"));
  oc_http_request_set_body (request, empty);
  response = test_send (http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oc_http_response_get_status (response), ==, 204);
}

static void
test_scp_pox_ews_url (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *ews = g_strdup_printf ("%s/EWS/Exchange.asmx", test_require_env ("OC_TEST_EWS_BASIC_URL"));
  g_autofree char *pox = g_strdup_printf ("%s/autodiscover/autodiscover.xml", test_require_env ("OC_TEST_EWS_BASIC_URL"));
  guint since = log_length ();
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = find (fixture, "bob@example.test", &error);
  g_autoptr (OcEwsAutodiscoverResult) again = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean signed_in = FALSE;

  g_assert_no_error (error);
  g_assert_cmpstr (found->ews_url, ==, ews);
  g_assert_cmpint (found->kind, ==, OC_EWS_AUTODISCOVER_KIND_EXCHANGE);
  g_assert_true (found->trusted);
  g_assert_false (found->cached);
  g_assert_true (g_str_has_prefix (found->where, "the service connection point in ldap://"));
  g_assert_true (g_str_has_suffix (found->where, pox));
  lines = log_lines_since (since, NULL);
  /* POX, answered for bob, to alice signed in with Basic: the SCP's host is the company's. */
  for (char **line = lines; *line; line++)
    {
      g_assert_nonnull (strstr (*line, "\"path\": \"/autodiscover/autodiscover.xml\""));
      g_assert_null (strstr (*line, "\"600\""));
      signed_in |= strstr (*line, "\"auth\": \"Basic\"") != NULL && strstr (*line, "\"NoError\"") != NULL;
    }
  g_assert_true (signed_in);

  /* The domain's answer is kept: asked again, nobody is asked. */
  since = log_length ();
  again = find (fixture, "carol@EXAMPLE.test", &error);
  g_assert_no_error (error);
  g_assert_true (again->cached);
  g_assert_cmpstr (again->ews_url, ==, ews);
  g_assert_cmpuint (log_length (), ==, since);
}

static void
test_redirect_to_untrusted_host_gets_no_credentials (Fixture       *fixture,
                                                     gconstpointer  data)
{
  g_autoptr (GUri) base = g_uri_parse (test_require_env ("OC_TEST_EWS_BASIC_URL"), G_URI_FLAGS_NONE, NULL);
  /* The same server under a name nobody gave owacal. */
  g_autofree char *elsewhere = g_strdup_printf ("https://127.0.0.1:%d/autodiscover/autodiscover.xml",
                                                g_uri_get_port (base));
  g_autofree char *escaped = g_uri_escape_string (elsewhere, NULL, FALSE);
  g_autofree char *switch_on = g_strdup_printf ("/testbed/autodiscover-redirect?count=1&url=%s", escaped);
  guint since = log_length ();
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean redirected = FALSE;
  guint after = 0;

  control (switch_on);
  found = find (fixture, "bob@example.test", &error);
  g_assert_null (found);
  g_assert_error (error, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, elsewhere));
  g_assert_nonnull (strstr (error->message, "owacal gives no credentials to a host your company did not name"));
  lines = log_lines_since (since, NULL);
  for (char **line = lines; *line; line++)
    {
      if (strstr (*line, "\"operation\": \"control\"") != NULL)
        continue;
      if (redirected)
        {
          after++;
          g_assert_nonnull (strstr (*line, "\"auth\": null"));
          g_assert_nonnull (strstr (*line, "\"user\": null"));
        }
      redirected |= strstr (*line, "\"redirectUrl\"") != NULL;
    }
  g_assert_true (redirected);
  g_assert_cmpuint (after, >=, 1);
}

static void
test_redirect_to_http_is_not_followed (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *http_url = g_strdup_printf ("%s/autodiscover/autodiscover.xml", test_require_env ("OC_TEST_OWA_URL"));
  g_autofree char *escaped = g_uri_escape_string (http_url, NULL, FALSE);
  g_autofree char *switch_on = g_strdup_printf ("/testbed/autodiscover-redirect?count=1&url=%s", escaped);
  g_autofree char *owa_log_before = NULL;
  g_autofree char *owa_log_after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = NULL;

  g_assert_true (g_file_get_contents (test_require_env ("OC_TEST_OWA_LOG"), &owa_log_before, NULL, NULL));
  control (switch_on);
  found = find (fixture, "bob@example.test", &error);
  g_assert_null (found);
  g_assert_error (error, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Autodiscover is asked over https only, not http"));
  /* The http server was never asked, so nothing reached it. */
  g_assert_true (g_file_get_contents (test_require_env ("OC_TEST_OWA_LOG"), &owa_log_after, NULL, NULL));
  g_assert_cmpstr (owa_log_after, ==, owa_log_before);
}

static void
test_nothing_found_lists_the_places (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = find (fixture, "nobody@example.test", &error);
  const char *const places[] = {
    "Autodiscover found no Exchange server for example.test\nAutodiscover looked in:\n  ",
    "/autodiscover/autodiscover.xml: Autodiscover answered error 500: The e-mail address cannot be found.",
    "\n  https://example.test/autodiscover/autodiscover.xml: ",
    "\n  https://autodiscover.example.test/autodiscover/autodiscover.xml: ",
    "\n  DNS SRV record _autodiscover._tcp.example.test: ",
  };
  const char *at;

  g_assert_null (found);
  g_assert_error (error, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  at = error->message;
  /* In the order asked. */
  for (gsize i = 0; i < G_N_ELEMENTS (places); i++)
    {
      at = strstr (at, places[i]);
      g_assert_nonnull (at);
    }
}

static void
test_no_directory_says_so (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = find (fixture, "bob@example.test", &error);

  g_assert_null (found);
  g_assert_nonnull (strstr (error->message, "Service connection points: no directory is set"));
}

/* A Thunderbird 145+ profile with an Exchange account, as Thunderbird writes
 * it (mail.server.*.type "ews", its ews_url), in a directory of its own. */
static char *
make_profile_with_exchange_account (const char *ews_url)
{
  /* G_TEST_OPTION_ISOLATE_DIRS removes it afterwards. */
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "thunderbird-profile", NULL);
  g_autofree char *prefs = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  prefs = g_strdup_printf ("// Mozilla User Preferences\n"
                           "user_pref(\"mail.accountmanager.accounts\", \"account1,account2\");\n"
                           "user_pref(\"mail.account.account1.server\", \"server1\");\n"
                           "user_pref(\"mail.server.server1.type\", \"none\");\n"
                           "user_pref(\"mail.account.account2.identities\", \"id1\");\n"
                           "user_pref(\"mail.account.account2.server\", \"server2\");\n"
                           "user_pref(\"mail.identity.id1.useremail\", \"alice@example.test\");\n"
                           "user_pref(\"mail.server.server2.ews_url\", \"%s\");\n"
                           "user_pref(\"mail.server.server2.hostname\", \"127.0.0.1\");\n"
                           "user_pref(\"mail.server.server2.type\", \"ews\");\n", ews_url);
  path = g_build_filename (dir, "prefs.js", NULL);
  g_assert_true (g_file_set_contents (path, prefs, -1, NULL));
  return g_steal_pointer (&dir);
}

static void
test_thunderbird_account_first (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *ews = g_strdup_printf ("%s/EWS/Exchange.asmx", test_require_env ("OC_TEST_EWS_BASIC_URL"));
  g_autofree char *profile = make_profile_with_exchange_account (ews);
  guint since = log_length ();
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = NULL;
  g_autoptr (OcEwsAutodiscoverResult) elsewhere = NULL;

  oc_resolver_set_profile (fixture->resolver, profile);
  found = find (fixture, "bob@EXAMPLE.test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->ews_url, ==, ews);
  g_assert_cmpint (found->kind, ==, OC_EWS_AUTODISCOVER_KIND_EXCHANGE);
  g_assert_true (found->trusted);
  g_test_message ("%s", found->where);
  g_assert_true (g_str_has_prefix (found->where, "Thunderbird's Exchange account alice@example.test (profile "));
  /* Nothing was asked of Autodiscover. */
  g_assert_cmpuint (log_length (), ==, since);

  /* Another company's address is not sent to the user's own server. */
  elsewhere = find (fixture, "dave@elsewhere.test", &error);
  g_assert_null (elsewhere);
  g_assert_nonnull (strstr (error->message, "Thunderbird: no Exchange account of elsewhere.test"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/oc/ews-autodiscover/scp-pox-ews-url", Fixture, NULL, fixture_set_up, test_scp_pox_ews_url,
              fixture_tear_down);
  g_test_add ("/oc/ews-autodiscover/redirect-untrusted", Fixture, NULL, fixture_set_up,
              test_redirect_to_untrusted_host_gets_no_credentials, fixture_tear_down);
  g_test_add ("/oc/ews-autodiscover/redirect-http", Fixture, NULL, fixture_set_up,
              test_redirect_to_http_is_not_followed, fixture_tear_down);
  g_test_add ("/oc/ews-autodiscover/nothing-found", Fixture, NULL, fixture_set_up, test_nothing_found_lists_the_places,
              fixture_tear_down);
  g_test_add ("/oc/ews-autodiscover/no-directory", Fixture, "no directory", fixture_set_up, test_no_directory_says_so,
              fixture_tear_down);
  g_test_add ("/oc/ews-autodiscover/thunderbird-account-first", Fixture, NULL, fixture_set_up,
              test_thunderbird_account_first, fixture_tear_down);
  return g_test_run ();
}
