/* The whole lookup against slapd: address books, the profile's directory, owacal's directory
 * and the URL template, in order; a directory that is down is a note, and the next source answers. */
#include "config.h"

#include "oc-resolver.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-fixture.h"
#include "test-support.h"

#define ALICE_URL "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar"
#define BOB_URL "http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents"

typedef struct {
  char *home;
  char *profile;
  OcResolver *resolver;
} Fixture;

/* Points the real profile's “Corp AD” at @url. */
static void
move_corp_ad (Fixture    *fixture,
              const char *url)
{
  g_autofree char *user_js = g_build_filename (fixture->profile, "user.js", NULL);
  g_autofree char *prefs = g_strdup_printf ("user_pref(\"ldap_2.servers.CorpAD.uri\", \"%s\");\n", url);

  g_assert_true (g_file_set_contents (user_js, prefs, -1, NULL));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *slapd = g_strdup_printf ("%s/%s??sub?(objectclass=*)", tb_fixture_env ("OC_TEST_LDAP_URI"),
                                            tb_fixture_env ("OC_TEST_LDAP_BASE"));
  g_autoptr (OcLdapDirectory) own = oc_ldap_directory_new ("owacal", slapd, NULL);

  fixture->home = g_dir_make_tmp ("home-XXXXXX", NULL);
  fixture->profile = tb_fixture_install (fixture->home);
  move_corp_ad (fixture, slapd);
  fixture->resolver = oc_resolver_new ();
  oc_resolver_set_home (fixture->resolver, fixture->home);
  oc_ldap_directory_set_custom1_attributes (own, "extensionAttribute1");
  oc_resolver_set_directory (fixture->resolver, own);
  oc_resolver_set_url_template (fixture->resolver, "https://mail.example.test/owa/{email}/");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_unref (fixture->resolver);
  tb_fixture_remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->profile);
}

static OcResolution *
resolve (Fixture    *fixture,
         const char *email)
{
  g_autoptr (GError) error = NULL;
  OcResolution *resolution = oc_resolver_resolve_sync (fixture->resolver, email, NULL, &error);

  g_assert_no_error (error);
  return resolution;
}

static void
set_sources (Fixture           *fixture,
             const char *const *sources)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (oc_resolver_set_sources (fixture->resolver, sources, &error));
  g_assert_no_error (error);
}

static void
test_order (Fixture *fixture, gconstpointer data)
{
  g_autoptr (OcResolution) alice = resolve (fixture, "alice@example.test");
  g_autoptr (OcResolution) carol = resolve (fixture, "carol@example.test");
  g_autoptr (OcResolution) bob = NULL;

  g_assert_cmpstr (alice->source, ==, "Thunderbird address book “Personal Address Book”");
  g_assert_cmpstr (alice->target->value, ==, ALICE_URL);
  /* Carol has no calendar address anywhere: every source is asked, the template answers. */
  g_assert_cmpstr (carol->source, ==, "URL template");
  g_assert_cmpstrv (carol->trail, ((const char *const[]) {
    "Thunderbird address book “Personal Address Book”: the card of Carol Nourl has no Custom1",
    "Thunderbird address book “Collected Addresses”: no card with carol@example.test",
    "Microsoft 365: not set up",
    "Thunderbird directory “Corp AD”: the entry of Carol Nourl has no Custom1",
    "owacal directory: the entry of Carol Nourl has no Custom1",
    "Exchange Web Services: none set",
    "URL template: https://mail.example.test/owa/{email}/ is https://mail.example.test/owa/carol@example.test/",
    NULL }));
  g_assert_cmpstrv (carol->notes, ((const char *const[]) { NULL }));

  set_sources (fixture, (const char *const[]) { OC_RESOLVER_SOURCE_THUNDERBIRD_DIRECTORIES,
                                                OC_RESOLVER_SOURCE_ADDRESS_BOOKS, NULL });
  bob = resolve (fixture, "bob@example.test");
  g_assert_cmpstr (bob->source, ==, "Thunderbird directory “Corp AD”");
  g_assert_cmpstr (bob->detail, ==, "Custom1 of Bob Example");
  g_assert_cmpstr (bob->target->value, ==, BOB_URL);
}

static void
test_directory_down (Fixture *fixture, gconstpointer data)
{
  const char *blackhole = strrchr (tb_fixture_env ("OC_TEST_BLACKHOLE_URL"), ':') + 1;
  g_autofree char *down = g_strdup_printf ("ldap://127.0.0.1:%s/dc=example,dc=test??sub", blackhole);
  g_autoptr (OcResolution) resolution = NULL;

  move_corp_ad (fixture, down);
  oc_resolver_set_ldap_options (fixture->resolver, 1, NULL);
  set_sources (fixture, (const char *const[]) { OC_RESOLVER_SOURCE_THUNDERBIRD_DIRECTORIES,
                                                OC_RESOLVER_SOURCE_DIRECTORY, NULL });
  resolution = resolve (fixture, "alice@example.test");
  g_assert_cmpstr (resolution->source, ==, "owacal directory");
  g_assert_cmpstr (resolution->target->value, ==, ALICE_URL);
  g_assert_cmpuint (g_strv_length (resolution->notes), ==, 1);
  g_assert_true (g_str_has_prefix (resolution->notes[0], "Thunderbird directory “Corp AD” (ldap://127.0.0.1:"));
  g_assert_nonnull (strstr (resolution->notes[0], "took too long"));
}

static void
test_not_found (Fixture *fixture, gconstpointer data)
{
  const char *closed = strrchr (tb_fixture_env ("OC_TEST_CLOSED_URL"), ':') + 1;
  g_autofree char *refused = g_strdup_printf ("ldap://127.0.0.1:%s/dc=example,dc=test??sub", closed);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcResolution) resolution = NULL;

  move_corp_ad (fixture, refused);
  oc_resolver_set_url_template (fixture->resolver, NULL);
  resolution = oc_resolver_resolve_sync (fixture->resolver, "nobody@example.test", NULL, &error);
  g_assert_null (resolution);
  g_assert_error (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "No calendar address found for nobody@example.test\nLooked in:\n"));
  g_assert_nonnull (strstr (error->message, "\n  Thunderbird directory “Corp AD” (ldap://127.0.0.1:"));
  g_assert_nonnull (strstr (error->message, "could not be reached"));
  g_assert_nonnull (strstr (error->message, "\n  owacal directory: no entry with nobody@example.test\n"));
  g_assert_true (g_str_has_suffix (error->message, "\n  URL template: none set"));
}

static void
cancel_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **out = user_data;
  g_autoptr (OcResolution) resolution = oc_resolver_resolve_finish (OC_RESOLVER (source), result, out);

  g_assert_null (resolution);
}

/* A lookup waiting on a silent directory ends when cancelled: the window's tab was closed. */
static void
test_cancel (Fixture *fixture, gconstpointer data)
{
  const char *blackhole = strrchr (tb_fixture_env ("OC_TEST_BLACKHOLE_URL"), ':') + 1;
  g_autofree char *down = g_strdup_printf ("ldap://127.0.0.1:%s/dc=example,dc=test??sub", blackhole);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  move_corp_ad (fixture, down);
  set_sources (fixture, (const char *const[]) { OC_RESOLVER_SOURCE_THUNDERBIRD_DIRECTORIES,
                                                OC_RESOLVER_SOURCE_URL_TEMPLATE, NULL });
  oc_resolver_resolve_async (fixture->resolver, "alice@example.test", cancellable, cancel_cb, &error);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

static TestProvider *
use_provider (Fixture           *fixture,
              const char *const *answers)
{
  TestProvider *provider = test_provider_new ();
  g_autofree char *url = g_strdup_printf ("%s/%s??sub", tb_fixture_env ("OC_TEST_LDAP_URI"),
                                          tb_fixture_env ("OC_TEST_LDAP_BASE"));
  g_autoptr (OcLdapDirectory) own = oc_ldap_directory_new ("owacal", url, NULL);

  for (gsize i = 0; answers[i] != NULL; i++)
    test_provider_answer (provider, "ignored", g_str_equal (answers[i], "-") ? NULL : answers[i]);
  oc_ldap_directory_set_custom1_attributes (own, "extensionAttribute1");
  oc_ldap_directory_set_bind_dn (own, tb_fixture_env ("OC_TEST_LDAP_READER_DN"));
  oc_resolver_set_directory (fixture->resolver, own);
  oc_resolver_set_credentials_provider (fixture->resolver, OC_CREDENTIALS_PROVIDER (provider));
  set_sources (fixture, (const char *const[]) { OC_RESOLVER_SOURCE_DIRECTORY, OC_RESOLVER_SOURCE_URL_TEMPLATE, NULL });
  return provider;
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OcResolution **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = oc_resolver_resolve_finish (OC_RESOLVER (source), result, &error);
  g_assert_no_error (error);
}

/* The window's way: the lookup thread waits while the provider answers on the main loop. */
static void
test_provider_async (Fixture *fixture, gconstpointer data)
{
  const char *reader = tb_fixture_env ("OC_TEST_LDAP_READER_PASSWORD");
  g_autoptr (TestProvider) provider = use_provider (fixture, (const char *const[]) { "wrong", reader, NULL });
  g_autofree char *first = g_strdup_printf ("localhost %s none 1", tb_fixture_env ("OC_TEST_LDAP_READER_DN"));
  g_autofree char *second = g_strdup_printf ("localhost %s rejected 2", tb_fixture_env ("OC_TEST_LDAP_READER_DN"));
  g_autofree char *stored = g_strdup_printf ("localhost %s", reader);
  g_autoptr (OcResolution) resolution = NULL;

  oc_resolver_resolve_async (fixture->resolver, "bob@example.test", NULL, resolved_cb, &resolution);
  while (resolution == NULL || provider->accepted_passwords->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (resolution->source, ==, "owacal directory");
  g_assert_cmpstr (resolution->target->value, ==, BOB_URL);
  g_ptr_array_add (provider->questions, NULL);
  g_assert_cmpstrv ((const char *const *) provider->questions->pdata, ((const char *const[]) { first, second, NULL }));
  g_assert_cmpuint (provider->accepted_passwords->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (provider->accepted_passwords, 0), ==, stored);
}

/* A command-line tool's way: no main loop runs, the waiting thread runs it. */
static void
test_provider_sync (Fixture *fixture, gconstpointer data)
{
  g_autoptr (TestProvider) provider = use_provider (fixture, (const char *const[]) { "-", NULL });
  g_autoptr (OcResolution) resolution = resolve (fixture, "bob@example.test");

  /* Declined: a note, and the next source answers; nothing is stored. */
  g_assert_cmpstr (resolution->source, ==, "URL template");
  g_assert_cmpuint (provider->questions->len, ==, 1);
  g_assert_cmpuint (g_strv_length (resolution->notes), ==, 1);
  g_assert_nonnull (strstr (resolution->notes[0], "The user cancelled the sign-in"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (provider->accepted_passwords->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/oc/resolver-ldap/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("order", test_order);
  ADD ("directory-down", test_directory_down);
  ADD ("not-found", test_not_found);
  ADD ("cancel", test_cancel);
  ADD ("provider-async", test_provider_async);
  ADD ("provider-sync", test_provider_sync);
#undef ADD
  return g_test_run ();
}
