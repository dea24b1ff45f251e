/* test-ews-autodiscover.c: Autodiscover's POX and SOAP questions and answers
 * (tests/fixtures/ews/autodiscover/), redirects, Exchange Online, which
 * addresses are asked, and the cache file. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>

#include "oc-ews-autodiscover-cache.h"
#include "oc-ews-autodiscover-xml.h"
#include "oc-ews-autodiscover.h"
#include "oc-ews-error.h"
#include "oc-ews-xml.h"

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ews",
                                            "autodiscover", name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;
  gsize length = 0;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (text, length);
}

/* Both documents, blanks between elements dropped, written out alike. */
static char *
canonical (GBytes *bytes)
{
  g_autoptr (xmlDoc) doc = xmlReadMemory (g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes), NULL, NULL,
                                          XML_PARSE_NOBLANKS | XML_PARSE_NONET);
  xmlChar *text = NULL;
  int size = 0;
  char *copy;

  g_assert_nonnull (doc);
  xmlDocDumpMemory (doc, &text, &size);
  /* From the root on: the declaration's spelling of UTF-8 is no difference. */
  copy = g_strdup (strchr ((const char *) text, '\n'));
  xmlFree (text);
  return copy;
}

static void
test_pox_request_is_the_sample (void)
{
  g_autoptr (GBytes) built = oc_ews_autodiscover_build_pox ("alice@example.test");
  g_autoptr (GBytes) sample = read_fixture ("pox-alice.xml");
  g_autofree char *built_text = canonical (built);
  g_autofree char *sample_text = canonical (sample);

  g_assert_cmpstr (built_text, ==, sample_text);
}

static void
test_soap_request (void)
{
  g_autoptr (GBytes) built = oc_ews_autodiscover_build_soap ("a&b@example.test",
                                                             "https://mail.example.test/autodiscover/autodiscover.svc");
  g_autoptr (xmlDoc) doc = oc_ews_xml_read (built, NULL);
  xmlNode *root = xmlDocGetRootElement (doc);
  xmlNode *header = oc_ews_xml_child (root, OC_EWS_NS_SOAP, "Header");
  xmlNode *request = oc_ews_xml_path (oc_ews_xml_child (root, OC_EWS_NS_SOAP, "Body"), OC_EWS_NS_AUTODISCOVER_SOAP,
                                      "GetUserSettingsRequestMessage", "Request", NULL);
  g_autofree char *mailbox = oc_ews_xml_text (oc_ews_xml_path (request, OC_EWS_NS_AUTODISCOVER_SOAP, "Users", "User",
                                                               "Mailbox", NULL));
  g_autofree char *to = oc_ews_xml_child_text (header, "http://www.w3.org/2005/08/addressing", "To");
  g_autofree char *version = oc_ews_xml_child_text (header, OC_EWS_NS_AUTODISCOVER_SOAP, "RequestedServerVersion");
  g_autoptr (GString) settings = g_string_new (NULL);

  g_assert_true (oc_ews_xml_is (root, OC_EWS_NS_SOAP, "Envelope"));
  g_assert_cmpstr (mailbox, ==, "a&b@example.test");
  g_assert_cmpstr (to, ==, "https://mail.example.test/autodiscover/autodiscover.svc");
  g_assert_cmpstr (version, ==, "Exchange2010");
  for (xmlNode *setting = oc_ews_xml_child (oc_ews_xml_child (request, OC_EWS_NS_AUTODISCOVER_SOAP,
                                                              "RequestedSettings"),
                                            OC_EWS_NS_AUTODISCOVER_SOAP, "Setting");
       setting != NULL; setting = oc_ews_xml_next (setting, OC_EWS_NS_AUTODISCOVER_SOAP, "Setting"))
    {
      g_autofree char *text = oc_ews_xml_text (setting);
      g_string_append_printf (settings, "%s ", text);
    }
  g_assert_cmpstr (settings->str, ==, "InternalEwsUrl ExternalEwsUrl CasVersion ");
}

typedef struct {
  const char *fixture;
  gboolean soap;
  OcEwsAutodiscoverAction action;
  const char *ews_url_or_redirect;   /* NULL: an error is expected */
  const char *version;
  gboolean online;
  int error_code;
  const char *error_words;
} AnswerRow;

static void
test_answers (void)
{
  static const AnswerRow rows[] = {
    { "answer-pox-settings.xml", FALSE, OC_EWS_AUTODISCOVER_SETTINGS,
      "https://cas1.corp.example.test/EWS/Exchange.asmx", "73C18880", FALSE, 0, NULL },
    { "answer-pox-expr-only.xml", FALSE, OC_EWS_AUTODISCOVER_SETTINGS,
      "https://mail.example.test/EWS/Exchange.asmx", NULL, FALSE, 0, NULL },
    { "answer-pox-office365.xml", FALSE, OC_EWS_AUTODISCOVER_SETTINGS,
      "https://outlook.office365.com/EWS/Exchange.asmx", NULL, TRUE, 0, NULL },
    { "answer-pox-redirect-addr.xml", FALSE, OC_EWS_AUTODISCOVER_REDIRECT_ADDR, "alice@corp.example.test", NULL,
      FALSE, 0, NULL },
    { "answer-pox-redirect-url.xml", FALSE, OC_EWS_AUTODISCOVER_REDIRECT_URL,
      "https://autodiscover.corp.example.test/autodiscover/autodiscover.xml", NULL, FALSE, 0, NULL },
    { "answer-pox-error-500.xml", FALSE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_NO_MAILBOX,
      "error 500: The e-mail address cannot be found." },
    { "answer-pox-no-action.xml", FALSE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_BAD_XML, "no Action" },
    { "answer-html.xml", FALSE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_BAD_XML, "not XML" },
    { "answer-soap-settings.xml", FALSE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_BAD_XML, "no POX" },
    { "answer-soap-settings.xml", TRUE, OC_EWS_AUTODISCOVER_SETTINGS,
      "https://cas1.corp.example.test/EWS/Exchange.asmx", "15.01.2507.006", FALSE, 0, NULL },
    { "answer-soap-redirect-addr.xml", TRUE, OC_EWS_AUTODISCOVER_REDIRECT_ADDR, "alice@corp.example.test", NULL,
      FALSE, 0, NULL },
    { "answer-soap-invalid-user.xml", TRUE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_NO_MAILBOX,
      "InvalidUser: Invalid user: 'nobody@example.test'" },
    { "answer-soap-fault.xml", TRUE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_FAILED, "SOAP fault: The request is not" },
    { "answer-pox-settings.xml", TRUE, 0, NULL, NULL, FALSE, OC_EWS_ERROR_BAD_XML, "no SOAP" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const AnswerRow *row = &rows[i];
      g_autoptr (GBytes) body = read_fixture (row->fixture);
      g_autoptr (GError) error = NULL;
      g_autoptr (OcEwsAutodiscoverAnswer) answer = row->soap ? oc_ews_autodiscover_parse_soap (body, &error)
                                                             : oc_ews_autodiscover_parse_pox (body, &error);

      g_test_message ("%s as %s", row->fixture, row->soap ? "SOAP" : "POX");
      if (row->ews_url_or_redirect == NULL)
        {
          g_assert_null (answer);
          g_assert_error (error, OC_EWS_ERROR, row->error_code);
          g_assert_nonnull (strstr (error->message, row->error_words));
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (answer->action, ==, row->action);
      g_assert_cmpstr (row->action == OC_EWS_AUTODISCOVER_SETTINGS ? answer->ews_url : answer->redirect, ==,
                       row->ews_url_or_redirect);
      g_assert_cmpstr (answer->server_version, ==, row->version);
      g_assert_cmpint (answer->microsoft_online, ==, row->online);
    }
}

static void
test_urls (void)
{
  static const struct {
    const char *url;
    gboolean asked;
    gboolean microsoft_365;
  } rows[] = {
    { "https://autodiscover.example.test/autodiscover/autodiscover.xml", TRUE, FALSE },
    { "HTTPS://localhost:8443/Autodiscover/Autodiscover.xml", TRUE, FALSE },
    { "http://autodiscover.example.test/autodiscover/autodiscover.xml", FALSE, FALSE },
    { "ftp://example.test/autodiscover.xml", FALSE, FALSE },
    { "autodiscover.example.test", FALSE, FALSE },
    { "https://outlook.office365.com/EWS/Exchange.asmx", TRUE, TRUE },
    { "https://Autodiscover-S.Outlook.com/autodiscover/autodiscover.xml", TRUE, TRUE },
    { "https://outlook.office365.com.example.test/EWS/Exchange.asmx", TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_cmpint (oc_ews_autodiscover_check_url (rows[i].url, &error), ==, rows[i].asked);
      if (!rows[i].asked)
        g_assert_error (error, OC_EWS_ERROR, OC_EWS_ERROR_FAILED);
      g_assert_cmpint (oc_ews_autodiscover_is_microsoft_365 (rows[i].url), ==, rows[i].microsoft_365);
    }
  {
    g_autofree char *soap = oc_ews_autodiscover_soap_url ("https://mail.example.test/Autodiscover/Autodiscover.xml");
    g_autofree char *none = oc_ews_autodiscover_soap_url ("https://mail.example.test/EWS/Exchange.asmx");

    g_assert_cmpstr (soap, ==, "https://mail.example.test/Autodiscover/autodiscover.svc");
    g_assert_null (none);
  }
}

static void
test_cache (void)
{
  g_autofree char *dir = g_dir_make_tmp ("owacal-autodiscover-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "owacal", "autodiscover.ini", NULL);
  g_autofree char *parent = NULL;
  g_autoptr (OcHttpClient) http = oc_http_client_new ();
  g_autoptr (OcEwsAutodiscover) autodiscover = oc_ews_autodiscover_new (http);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  OcEwsAutodiscoverResult young = { OC_EWS_AUTODISCOVER_KIND_EXCHANGE, "example.test",
                                    "https://mail.example.test/EWS/Exchange.asmx", "the service connection point",
                                    TRUE, now - 60, FALSE };
  OcEwsAutodiscoverResult old = { OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365, "old.test",
                                  "https://outlook.office365.com/EWS/Exchange.asmx", "the Autodiscover address of old.test",
                                  FALSE, now - 7200, FALSE };
  g_autoptr (OcEwsAutodiscoverResult) read = NULL;
  g_autoptr (OcEwsAutodiscoverResult) found = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  g_assert_null (oc_ews_autodiscover_cache_read (path, "example.test", &error));
  g_assert_no_error (error);
  g_assert_true (oc_ews_autodiscover_cache_write (path, &young, &error));
  g_assert_true (oc_ews_autodiscover_cache_write (path, &old, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  read = oc_ews_autodiscover_cache_read (path, "old.test", &error);
  g_assert_nonnull (read);
  g_assert_cmpint (read->kind, ==, OC_EWS_AUTODISCOVER_KIND_MICROSOFT_365);
  g_assert_cmpstr (read->ews_url, ==, old.ews_url);
  g_assert_cmpint (read->found_at, ==, old.found_at);
  g_assert_false (read->trusted);

  /* An hour's lifetime: the young answer is used, the two-hour-old one is asked again. */
  oc_ews_autodiscover_set_cache (autodiscover, path, 3600);
  found = oc_ews_autodiscover_lookup_cached (autodiscover, "Example.Test");
  g_assert_nonnull (found);
  g_assert_true (found->cached && found->trusted);
  g_assert_cmpstr (found->where, ==, "the service connection point");
  g_assert_null (oc_ews_autodiscover_lookup_cached (autodiscover, "old.test"));
  g_assert_null (oc_ews_autodiscover_lookup_cached (autodiscover, "other.test"));

  g_unlink (path);
  parent = g_path_get_dirname (path);
  g_rmdir (parent);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/ews-autodiscover/pox-request", test_pox_request_is_the_sample);
  g_test_add_func ("/oc/ews-autodiscover/soap-request", test_soap_request);
  g_test_add_func ("/oc/ews-autodiscover/answers", test_answers);
  g_test_add_func ("/oc/ews-autodiscover/urls", test_urls);
  g_test_add_func ("/oc/ews-autodiscover/cache", test_cache);
  return g_test_run ();
}
