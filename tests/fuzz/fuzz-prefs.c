/* fuzz-prefs.c: a Thunderbird profile's prefs.js or user.js (oc-prefs.c),
 * and the Exchange accounts read from it (oc-thunderbird-accounts.c).
 *
 * Holds: every string preference read is valid UTF-8 (it reaches messages
 * and LDAP); what is listed as a child can be looked up; an Exchange account
 * found has an http(s) EWS address, and answers only for its own domain. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-prefs.h"
#include "oc-thunderbird-accounts.h"

#include <string.h>

FUZZ_INIT ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_exact_copy (data, size);
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) servers = NULL;
  g_autoptr (GPtrArray) accounts = NULL;

  if (!oc_prefs_load_data (prefs, text, size, &error))
    {
      g_assert (error != NULL);
      return 0;
    }
  servers = oc_prefs_dup_children (prefs, "ldap_2.servers.");
  for (char **server = servers; *server; server++)
    {
      static const char *const keys[] = { "uri", "description", "attrmap.Custom1", "auth.dn", "filename" };

      for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autofree char *name = g_strdup_printf ("ldap_2.servers.%s.%s", *server, keys[i]);
          const char *value = oc_prefs_get_string (prefs, name);
          int number;
          gboolean flag;

          g_assert (value == NULL || g_utf8_validate (value, -1, NULL));
          (void) oc_prefs_get_int (prefs, name, &number);
          (void) oc_prefs_get_bool (prefs, name, &flag);
        }
    }
  (void) oc_prefs_get_n_skipped (prefs);

  accounts = oc_thunderbird_list_exchange_accounts (prefs);
  for (guint i = 0; i < accounts->len; i++)
    {
      const OcThunderbirdExchangeAccount *account = g_ptr_array_index (accounts, i);
      const char *at = account->email ? strrchr (account->email, '@') : NULL;
      g_autofree char *colleague = at && at[1] ? g_strconcat ("colleague", at, NULL) : NULL;

      g_assert (g_ascii_strncasecmp (account->ews_url, "http", 4) == 0);
      if (colleague != NULL)
        g_assert (oc_thunderbird_find_exchange_account (accounts, colleague) != NULL);
    }
  g_assert (oc_thunderbird_find_exchange_account (accounts, "nobody@owacal.invalid") == NULL ||
            accounts->len > 0);
  return 0;
}
