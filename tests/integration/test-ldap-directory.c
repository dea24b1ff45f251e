/* Looking people up in a real slapd (tests/testbed: slapd, closed, blackhole), as Thunderbird's
 * directory settings and owacal's own directory describe it. The directory holds the people of
 * tests/fixtures/ldap/directory.ldif: alice and bob have extensionAttribute1, carol has none. */
#include "config.h"

#include "oc-ldap-connection.h"
#include "oc-ldap-directory.h"
#include "oc-resolver.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-fixture.h"

#define ALICE_URL "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar"
#define BOB_URL "http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents"

/* ldap://127.0.0.1:PORT/ of a testbed server that is not LDAP (closed: refuses; blackhole: never answers). */
static char *
ldap_url_of (const char *http_env)
{
  const char *colon = strrchr (tb_fixture_env (http_env), ':');

  return g_strdup_printf ("ldap://127.0.0.1:%s/dc=example,dc=test??sub?(objectclass=*)", colon + 1);
}

static char *
base_url (const char *suffix)
{
  return g_strdup_printf ("%s/%s??sub?(objectclass=*)%s", tb_fixture_env ("OC_TEST_LDAP_URI"), tb_fixture_env ("OC_TEST_LDAP_BASE"),
                          suffix);
}

/* The directory of the real Thunderbird profile, pointed at the testbed's slapd. */
static OcLdapDirectory *
thunderbird_directory (const char *extra_prefs)
{
  g_autofree char *prefs_js = tb_fixture_read ("prefs.js");
  g_autofree char *url = base_url ("");
  g_autofree char *moved = g_strdup_printf ("user_pref(\"ldap_2.servers.CorpAD.uri\", \"%s\");\n%s", url,
                                            extra_prefs ? extra_prefs : "");
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) directories = NULL;

  oc_prefs_load_data (prefs, prefs_js, -1, NULL);
  oc_prefs_load_data (prefs, moved, -1, NULL);
  directories = oc_ldap_directory_list_thunderbird (prefs, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (directories->len, ==, 1);
  g_assert_cmpstr (oc_ldap_directory_get_name (g_ptr_array_index (directories, 0)), ==, "Corp AD");
  return g_object_ref (g_ptr_array_index (directories, 0));
}

typedef struct {
  const char *password;      /* given the first time */
  const char *retry_password; /* given after a refusal, or NULL */
  int calls;
  int retries;
} Passwords;

static char *
password_cb (OcLdapDirectory *directory,
             const char      *bind_dn,
             gboolean         retry,
             gpointer         user_data,
             GCancellable    *cancellable,
             GError         **error)
{
  Passwords *passwords = user_data;

  g_assert_cmpstr (bind_dn, ==, tb_fixture_env ("OC_TEST_LDAP_READER_DN"));
  passwords->calls++;
  passwords->retries += retry;
  return g_strdup (retry ? passwords->retry_password : passwords->password);
}

static OcContact *
lookup (OcLdapDirectory *directory,
        const char      *email,
        Passwords       *passwords,
        GError         **error)
{
  return oc_ldap_directory_lookup_sync (directory, email, passwords ? password_cb : NULL, passwords, NULL, error);
}

static void
assert_custom1 (OcLdapDirectory *directory,
                const char      *email,
                const char      *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = lookup (directory, email, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (contact);
  g_assert_cmpstr (contact->custom1, ==, expected);
}

static void
test_anonymous (void)
{
  g_autoptr (OcLdapDirectory) directory = thunderbird_directory (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) alice = lookup (directory, "alice@example.test", NULL, &error);
  g_autoptr (OcContact) carol = NULL;
  g_autoptr (OcContact) nobody = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (alice->custom1, ==, ALICE_URL);
  g_assert_cmpstr (alice->display_name, ==, "Alice Example");
  g_assert_cmpstr (alice->id, ==, "uid=alice,ou=people,dc=example,dc=test");
  assert_custom1 (directory, "Bob@Example.TEST", BOB_URL);
  /* An entry without the attribute is found, without a calendar. */
  carol = lookup (directory, "carol@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (carol);
  g_assert_null (carol->custom1);
  nobody = lookup (directory, "nobody@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (nobody);
}

static void
test_attribute_map (void)
{
  g_autoptr (OcLdapDirectory) defaults = NULL;
  g_autoptr (OcLdapDirectory) server_default = NULL;
  g_autoptr (OcLdapDirectory) list = NULL;

  /* Without attrmap.Custom1: Thunderbird's mozillaCustom1,custom1, which AD does not have. */
  defaults = thunderbird_directory ("user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"\");\n");
  assert_custom1 (defaults, "alice@example.test", NULL);
  /* The profile-wide default map applies to servers without their own. */
  server_default = thunderbird_directory ("user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", \"\");\n"
                                          "user_pref(\"ldap_2.servers.default.attrmap.Custom1\", \"extensionAttribute1\");\n");
  assert_custom1 (server_default, "alice@example.test", ALICE_URL);
  /* A list: the first attribute present wins. */
  list = thunderbird_directory ("user_pref(\"ldap_2.servers.CorpAD.attrmap.Custom1\", "
                                "\"mozillaCustom1, extensionAttribute1\");\n");
  assert_custom1 (list, "alice@example.test", ALICE_URL);
}

static void
test_first_present_wins (void)
{
  OcLdapOptions admin = { tb_fixture_env ("OC_TEST_LDAP_URI"), FALSE, NULL, OC_LDAP_BIND_SIMPLE,
                          tb_fixture_env ("OC_TEST_LDAP_ADMIN_DN"), tb_fixture_env ("OC_TEST_LDAP_ADMIN_PASSWORD"), 10 };
  OcLdapMod add = { OC_LDAP_MOD_ADD, (char *) "extensionAttribute2", (char *) "https://second.example.test/owa/bob/" };
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLdapConnection) connection = oc_ldap_connection_open_sync (&admin, NULL, &error);
  g_autoptr (OcLdapDirectory) directory = thunderbird_directory (NULL);

  g_assert_no_error (error);
  g_assert_true (oc_ldap_connection_modify_sync (connection, "uid=bob,ou=people,dc=example,dc=test", &add, 1, NULL,
                                                 &error));
  g_assert_no_error (error);
  oc_ldap_directory_set_custom1_attributes (directory, "extensionAttribute2,extensionAttribute1");
  assert_custom1 (directory, "bob@example.test", "https://second.example.test/owa/bob/");
  assert_custom1 (directory, "alice@example.test", ALICE_URL);
  oc_ldap_directory_set_custom1_attributes (directory, "extensionAttribute1,extensionAttribute2");
  assert_custom1 (directory, "bob@example.test", BOB_URL);
}

static void
test_simple_bind (void)
{
  g_autofree char *dn_pref = g_strdup_printf ("user_pref(\"ldap_2.servers.CorpAD.auth.dn\", \"%s\");\n",
                                              tb_fixture_env ("OC_TEST_LDAP_READER_DN"));
  g_autoptr (OcLdapDirectory) directory = thunderbird_directory (dn_pref);
  Passwords right = { tb_fixture_env ("OC_TEST_LDAP_READER_PASSWORD"), NULL, 0, 0 };
  Passwords wrong = { "not-the-password", NULL, 0, 0 };
  Passwords second_try = { "not-the-password", tb_fixture_env ("OC_TEST_LDAP_READER_PASSWORD"), 0, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = NULL;

  contact = lookup (directory, "alice@example.test", &right, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->custom1, ==, ALICE_URL);
  g_assert_cmpint (right.calls, ==, 1);
  g_clear_pointer (&contact, oc_contact_free);

  /* A refused password is asked for again; no second password: a clear error. */
  contact = lookup (directory, "alice@example.test", &wrong, &error);
  g_assert_null (contact);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "was not accepted"));
  g_assert_cmpint (wrong.calls, ==, 2);
  g_assert_cmpint (wrong.retries, ==, 1);
  g_clear_error (&error);

  contact = lookup (directory, "alice@example.test", &second_try, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->custom1, ==, ALICE_URL);
  g_clear_pointer (&contact, oc_contact_free);

  /* Nobody to ask. */
  contact = lookup (directory, "alice@example.test", NULL, &error);
  g_assert_null (contact);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "needs a password"));
}

static gboolean
log_has (const char *needle)
{
  g_autofree char *log = NULL;

  g_assert_true (g_file_get_contents (tb_fixture_env ("OC_TEST_LDAP_LOG"), &log, NULL, NULL));
  return strstr (log, needle) != NULL;
}

static void
test_gssapi (void)
{
  g_autoptr (OcLdapDirectory) directory =
    thunderbird_directory ("user_pref(\"ldap_2.servers.CorpAD.auth.saslmech\", \"GSSAPI\");\n");
  g_autofree char *empty_cache = g_build_filename (g_get_tmp_dir (), "owacal-no-ticket", NULL);
  g_autofree char *saved_cache = g_strdup (g_getenv ("KRB5CCNAME"));
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = NULL;

  g_assert_false (log_has ("mech=GSSAPI"));
  assert_custom1 (directory, "bob@example.test", BOB_URL);
  /* slapd saw alice's ticket. */
  g_assert_true (log_has ("BIND dn=\"uid=alice,ou=people,dc=example,dc=test\" mech=GSSAPI"));

  g_setenv ("KRB5CCNAME", empty_cache, TRUE);
  contact = lookup (directory, "bob@example.test", NULL, &error);
  g_setenv ("KRB5CCNAME", saved_cache, TRUE);
  g_assert_null (contact);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_AUTH_FAILED);
}

static void
test_tls (void)
{
  g_autofree char *ldaps = g_strdup_printf ("%s/%s??sub", tb_fixture_env ("OC_TEST_LDAPS_URI"), tb_fixture_env ("OC_TEST_LDAP_BASE"));
  g_autofree char *starttls = base_url ("?!StartTLS");
  g_autoptr (OcLdapDirectory) over_ldaps = oc_ldap_directory_new ("TLS", ldaps, NULL);
  g_autoptr (OcLdapDirectory) over_starttls = oc_ldap_directory_new ("StartTLS", starttls, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = NULL;

  /* The testbed's CA is not the system's: refused until it is given. */
  oc_ldap_directory_set_custom1_attributes (over_ldaps, "extensionAttribute1");
  contact = lookup (over_ldaps, "alice@example.test", NULL, &error);
  g_assert_null (contact);
  g_assert_nonnull (error);
  g_clear_error (&error);
  oc_ldap_directory_set_ca_file (over_ldaps, tb_fixture_env ("OC_TEST_LDAP_CA"));
  assert_custom1 (over_ldaps, "alice@example.test", ALICE_URL);

  oc_ldap_directory_set_custom1_attributes (over_starttls, "extensionAttribute1");
  contact = lookup (over_starttls, "alice@example.test", NULL, &error);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_TLS);
  g_clear_error (&error);
  oc_ldap_directory_set_ca_file (over_starttls, tb_fixture_env ("OC_TEST_LDAP_CA"));
  assert_custom1 (over_starttls, "alice@example.test", ALICE_URL);
}

static void
test_filters (void)
{
  g_autofree char *contacts_only = g_strdup_printf ("%s/%s??sub?(objectClass=contact)",
                                                    tb_fixture_env ("OC_TEST_LDAP_URI"), tb_fixture_env ("OC_TEST_LDAP_BASE"));
  g_autoptr (OcLdapDirectory) contacts = oc_ldap_directory_new ("Contacts", contacts_only, NULL);
  g_autoptr (OcLdapDirectory) everyone = thunderbird_directory (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = NULL;

  /* The URL's filter narrows the search: alice is a user, not a contact. */
  contact = lookup (contacts, "alice@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (contact);
  contact = lookup (contacts, "grace@partner.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (contact);
  g_clear_pointer (&contact, oc_contact_free);
  /* An address cannot widen the filter. */
  contact = lookup (everyone, "*@example.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (contact);
}

static void
test_down (void)
{
  g_autofree char *closed_url = ldap_url_of ("OC_TEST_CLOSED_URL");
  g_autofree char *blackhole_url = ldap_url_of ("OC_TEST_BLACKHOLE_URL");
  g_autoptr (OcLdapDirectory) closed = oc_ldap_directory_new ("Closed", closed_url, NULL);
  g_autoptr (OcLdapDirectory) blackhole = oc_ldap_directory_new ("Blackhole", blackhole_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcContact) contact = NULL;

  contact = lookup (closed, "alice@example.test", NULL, &error);
  g_assert_null (contact);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_CONNECT);
  g_clear_error (&error);
  /* A server that never answers is given up on (after the timeout, measured in bench/, not here). */
  oc_ldap_directory_set_timeout (blackhole, 1);
  contact = lookup (blackhole, "alice@example.test", NULL, &error);
  g_assert_null (contact);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_TIME_LIMIT);
}

static void
test_bad_settings (void)
{
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) directories = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLdapDirectory) directory = oc_ldap_directory_new ("x", "http://example.test/", &error);

  g_assert_null (directory);
  g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT);
  oc_prefs_load_data (prefs, "user_pref(\"ldap_2.servers.A.uri\", \"ldap://a.example.test/dc=a??sub\");\n"
                             "user_pref(\"ldap_2.servers.A.auth.saslmech\", \"DIGEST-MD5\");\n"
                             "user_pref(\"ldap_2.servers.B.uri\", \"ldap://b.example.test/dc=b??one\");\n"
                             "user_pref(\"ldap_2.servers.pab.filename\", \"abook.sqlite\");\n", -1, NULL);
  directories = oc_ldap_directory_list_thunderbird (prefs, problems);
  g_assert_cmpuint (directories->len, ==, 1);
  g_assert_cmpstr (oc_ldap_directory_get_url (g_ptr_array_index (directories, 0)), ==, "ldap://b.example.test/dc=b??one");
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "DIGEST-MD5"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/oc/ldap-directory/anonymous", test_anonymous);
  g_test_add_func ("/oc/ldap-directory/attribute-map", test_attribute_map);
  g_test_add_func ("/oc/ldap-directory/first-present-wins", test_first_present_wins);
  g_test_add_func ("/oc/ldap-directory/simple-bind", test_simple_bind);
  g_test_add_func ("/oc/ldap-directory/gssapi", test_gssapi);
  g_test_add_func ("/oc/ldap-directory/tls", test_tls);
  g_test_add_func ("/oc/ldap-directory/filters", test_filters);
  g_test_add_func ("/oc/ldap-directory/down", test_down);
  g_test_add_func ("/oc/ldap-directory/bad-settings", test_bad_settings);
  return g_test_run ();
}
