/* oc-thunderbird-accounts.c: the Exchange accounts of a Thunderbird profile.
 *
 * Thunderbird 145 and later reads Exchange mail through EWS. Such an account
 * is, in prefs.js (the names are Thunderbird's, mailnews/base and
 * mailnews/protocols/ews):
 *
 *   mail.accountmanager.accounts  "account1,account2"
 *   mail.account.account2.server  "server2"
 *   mail.account.account2.identities  "id2"
 *   mail.server.server2.type      "ews"
 *   mail.server.server2.ews_url   "https://mail.corp.example/EWS/Exchange.asmx"
 *   mail.identity.id2.useremail   "me@corp.example"
 *
 * One Exchange organisation answers for the whole company, so the user's own
 * account tells where EWS is for every colleague of the same domain: no
 * Autodiscover needed, and the host is one the user already signs in to.
 */
#include "config.h"
#include "oc-thunderbird-accounts.h"

#include <string.h>

void
oc_thunderbird_exchange_account_free (OcThunderbirdExchangeAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->key);
  g_free (account->email);
  g_free (account->ews_url);
  g_free (account);
}

static const char *
get_branch_string (OcPrefs    *prefs,
                   const char *branch,
                   const char *name,
                   const char *leaf)
{
  g_autofree char *key = g_strdup_printf ("%s.%s.%s", branch, name, leaf);

  return oc_prefs_get_string (prefs, key);
}

/* A comma-separated list of names, as the account manager keeps them. */
static GStrv
split_names (const char *list)
{
  g_auto (GStrv) names = g_strsplit (list != NULL ? list : "", ",", -1);
  g_autoptr (GStrvBuilder) kept = g_strv_builder_new ();

  for (char **name = names; *name != NULL; name++)
    if (*g_strstrip (*name) != '\0')
      g_strv_builder_add (kept, *name);
  return g_strv_builder_end (kept);
}

static char *
dup_first_address (OcPrefs    *prefs,
                   const char *identities)
{
  g_auto (GStrv) names = split_names (identities);

  for (char **name = names; *name != NULL; name++)
    {
      const char *address = get_branch_string (prefs, "mail.identity", *name, "useremail");
      if (address != NULL && strchr (address, '@') != NULL)
        return g_strdup (address);
    }
  return NULL;
}

/* Only an http(s) address with a host: prefs.js is the user's, but a
 * profile can be old, copied or hand-edited. */
static gboolean
is_endpoint (const char *url)
{
  g_autoptr (GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL) : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  return scheme != NULL && (g_str_equal (scheme, "https") || g_str_equal (scheme, "http")) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/**
 * oc_thunderbird_list_exchange_accounts:
 * @prefs: a Thunderbird profile's preferences
 *
 * Returns: (transfer container) (element-type OcThunderbirdExchangeAccount):
 *   the profile's EWS accounts, in the account manager's order
 */
GPtrArray *
oc_thunderbird_list_exchange_accounts (OcPrefs *prefs)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_thunderbird_exchange_account_free);
  g_auto (GStrv) keys = NULL;

  g_return_val_if_fail (OC_IS_PREFS (prefs), accounts);

  keys = split_names (oc_prefs_get_string (prefs, "mail.accountmanager.accounts"));
  for (char **key = keys; *key != NULL; key++)
    {
      const char *server = get_branch_string (prefs, "mail.account", *key, "server");
      const char *type = server ? get_branch_string (prefs, "mail.server", server, "type") : NULL;
      const char *url = server ? get_branch_string (prefs, "mail.server", server, "ews_url") : NULL;
      OcThunderbirdExchangeAccount *account;

      if (type == NULL || !g_str_equal (type, "ews") || !is_endpoint (url))
        continue;
      account = g_new0 (OcThunderbirdExchangeAccount, 1);
      account->key = g_strdup (*key);
      account->ews_url = g_strdup (url);
      account->email = dup_first_address (prefs, get_branch_string (prefs, "mail.account", *key, "identities"));
      g_ptr_array_add (accounts, account);
    }
  return accounts;
}

static const char *
domain_of (const char *email)
{
  const char *at = email != NULL ? strrchr (email, '@') : NULL;

  return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

/**
 * oc_thunderbird_find_exchange_account:
 * @accounts: (element-type OcThunderbirdExchangeAccount): from
 *   oc_thunderbird_list_exchange_accounts()
 * @email: a colleague's address
 *
 * Returns: (transfer none) (nullable): the first account whose address has
 *   @email's domain: its Exchange serves @email too. Another company's
 *   address gets none: the user's credentials are not for its server.
 */
const OcThunderbirdExchangeAccount *
oc_thunderbird_find_exchange_account (GPtrArray  *accounts,
                                      const char *email)
{
  const char *domain = domain_of (email);

  g_return_val_if_fail (accounts != NULL, NULL);

  for (guint i = 0; domain != NULL && i < accounts->len; i++)
    {
      const OcThunderbirdExchangeAccount *account = g_ptr_array_index (accounts, i);
      const char *own = domain_of (account->email);
      if (own != NULL && g_ascii_strcasecmp (own, domain) == 0)
        return account;
    }
  return NULL;
}
