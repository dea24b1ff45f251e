/* Thunderbird's Exchange (EWS) accounts in prefs.js: which are read, and
 * which colleague each one answers for. */
#include "config.h"

#include "oc-thunderbird-accounts.h"

static OcPrefs *
prefs_from (const char *text)
{
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (oc_prefs_load_data (prefs, text, -1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&prefs);
}

/* Three accounts: IMAP, Exchange for corp.example, Exchange for a second
 * company; a fourth Exchange server is left by a removed account (not in
 * the account manager's list), a fifth has no usable address. */
static const char profile[] =
  "user_pref(\"mail.accountmanager.accounts\", \"account1, account2,account3,,account5\");\n"
  "user_pref(\"mail.account.account1.server\", \"server1\");\n"
  "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
  "user_pref(\"mail.server.server1.type\", \"imap\");\n"
  "user_pref(\"mail.identity.id1.useremail\", \"me@private.example\");\n"
  "user_pref(\"mail.account.account2.server\", \"server2\");\n"
  "user_pref(\"mail.account.account2.identities\", \"id2,id3\");\n"
  "user_pref(\"mail.server.server2.type\", \"ews\");\n"
  "user_pref(\"mail.server.server2.ews_url\", \"https://mail.corp.example/EWS/Exchange.asmx\");\n"
  "user_pref(\"mail.identity.id2.useremail\", \"not an address\");\n"
  "user_pref(\"mail.identity.id3.useremail\", \"Me@Corp.Example\");\n"
  "user_pref(\"mail.account.account3.server\", \"server3\");\n"
  "user_pref(\"mail.account.account3.identities\", \"id4\");\n"
  "user_pref(\"mail.server.server3.type\", \"ews\");\n"
  "user_pref(\"mail.server.server3.ews_url\", \"https://outlook.office365.com/EWS/Exchange.asmx\");\n"
  "user_pref(\"mail.identity.id4.useremail\", \"me@partner.example\");\n"
  "user_pref(\"mail.server.server4.type\", \"ews\");\n"
  "user_pref(\"mail.server.server4.ews_url\", \"https://old.corp.example/EWS/Exchange.asmx\");\n"
  "user_pref(\"mail.account.account5.server\", \"server5\");\n"
  "user_pref(\"mail.server.server5.type\", \"ews\");\n"
  "user_pref(\"mail.server.server5.ews_url\", \"file:///etc/passwd\");\n";

static void
test_lists_exchange_accounts (void)
{
  g_autoptr (OcPrefs) prefs = prefs_from (profile);
  g_autoptr (GPtrArray) accounts = oc_thunderbird_list_exchange_accounts (prefs);
  const OcThunderbirdExchangeAccount *account;

  g_assert_cmpuint (accounts->len, ==, 2);
  account = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (account->key, ==, "account2");
  g_assert_cmpstr (account->email, ==, "Me@Corp.Example");
  g_assert_cmpstr (account->ews_url, ==, "https://mail.corp.example/EWS/Exchange.asmx");
  account = g_ptr_array_index (accounts, 1);
  g_assert_cmpstr (account->key, ==, "account3");
  g_assert_cmpstr (account->email, ==, "me@partner.example");
}

static void
test_finds_by_domain (void)
{
  g_autoptr (OcPrefs) prefs = prefs_from (profile);
  g_autoptr (GPtrArray) accounts = oc_thunderbird_list_exchange_accounts (prefs);
  const OcThunderbirdExchangeAccount *account;

  account = oc_thunderbird_find_exchange_account (accounts, "bob@corp.EXAMPLE");
  g_assert_nonnull (account);
  g_assert_cmpstr (account->key, ==, "account2");
  account = oc_thunderbird_find_exchange_account (accounts, "carol@partner.example");
  g_assert_nonnull (account);
  g_assert_cmpstr (account->key, ==, "account3");
  /* Neither another company, nor a sub-domain, nor the IMAP account's, nor no domain. */
  g_assert_null (oc_thunderbird_find_exchange_account (accounts, "eve@elsewhere.example"));
  g_assert_null (oc_thunderbird_find_exchange_account (accounts, "eve@eu.corp.example"));
  g_assert_null (oc_thunderbird_find_exchange_account (accounts, "eve@private.example"));
  g_assert_null (oc_thunderbird_find_exchange_account (accounts, "bob"));
  g_assert_null (oc_thunderbird_find_exchange_account (accounts, "bob@"));
}

static void
test_no_accounts (void)
{
  g_autoptr (OcPrefs) prefs = prefs_from ("user_pref(\"mail.server.server2.type\", \"ews\");\n");
  g_autoptr (GPtrArray) accounts = oc_thunderbird_list_exchange_accounts (prefs);

  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_null (oc_thunderbird_find_exchange_account (accounts, "bob@corp.example"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/oc/thunderbird-accounts/lists-exchange-accounts", test_lists_exchange_accounts);
  g_test_add_func ("/oc/thunderbird-accounts/finds-by-domain", test_finds_by_domain);
  g_test_add_func ("/oc/thunderbird-accounts/no-accounts", test_no_accounts);
  return g_test_run ();
}
