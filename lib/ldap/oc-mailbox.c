/* oc-mailbox.c: a person's addresses and alias, read the way Exchange writes them.
 *
 * proxyAddresses holds every address of a recipient as "<type>:<address>".  The
 * type's case carries meaning: exactly one "SMTP:" (upper case) is the primary
 * address, "smtp:" ones are secondary, and other types (X400:, SIP:, X500:) are
 * not e-mail addresses at all.  "mail" is a copy of the primary address that
 * Exchange's recipient policies maintain; it can lag behind a policy change (2003's
 * Recipient Update Service is asynchronous) or be missing, so the SMTP: entry wins.
 */
#include "config.h"
#include "oc-mailbox.h"

#include <string.h>

static gboolean
is_smtp_proxy (const char *value)
{
  return g_ascii_strncasecmp (value, "smtp:", 5) == 0 && value[5] != '\0';
}

/**
 * oc_mailbox_get_primary_address:
 * @entry: a directory entry
 *
 * Returns: (transfer none) (nullable): the primary SMTP address: the "SMTP:"
 *   entry of proxyAddresses, else "mail"
 */
const char *
oc_mailbox_get_primary_address (const OcLdapEntry *entry)
{
  const char * const *proxies = oc_ldap_entry_get_values (entry, "proxyAddresses");
  const char *mail;

  for (gsize i = 0; proxies != NULL && proxies[i] != NULL; i++)
    if (strncmp (proxies[i], "SMTP:", 5) == 0 && proxies[i][5] != '\0')
      return proxies[i] + 5;
  mail = oc_ldap_entry_get_value (entry, "mail");
  return mail != NULL && *mail != '\0' ? mail : NULL;
}

/**
 * oc_mailbox_dup_addresses:
 * @entry: a directory entry
 *
 * Returns: (transfer full): every SMTP address of @entry (mail and all smtp:
 *   proxy addresses), primary first, each once (compared without case)
 */
GStrv
oc_mailbox_dup_addresses (const OcLdapEntry *entry)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *proxies = oc_ldap_entry_get_values (entry, "proxyAddresses");
  const char * const *mails = oc_ldap_entry_get_values (entry, "mail");
  g_autoptr (GPtrArray) candidates = g_ptr_array_new ();
  const char *primary = oc_mailbox_get_primary_address (entry);

  if (primary != NULL)
    g_ptr_array_add (candidates, (gpointer) primary);
  for (gsize i = 0; mails != NULL && mails[i] != NULL; i++)
    g_ptr_array_add (candidates, (gpointer) mails[i]);
  for (gsize i = 0; proxies != NULL && proxies[i] != NULL; i++)
    if (is_smtp_proxy (proxies[i]))
      g_ptr_array_add (candidates, (gpointer) (proxies[i] + 5));

  for (guint i = 0; i < candidates->len; i++)
    {
      char *key = g_ascii_strdown (candidates->pdata[i], -1);

      if (*key != '\0' && g_hash_table_add (seen, key))
        g_strv_builder_add (builder, candidates->pdata[i]);
      else if (*key == '\0')
        g_free (key);
    }
  return g_strv_builder_end (builder);
}

/**
 * oc_mailbox_has_address:
 * @entry: a directory entry
 * @address: an e-mail address
 *
 * Returns: whether @address is one of @entry's SMTP addresses (any case)
 */
gboolean
oc_mailbox_has_address (const OcLdapEntry *entry,
                        const char        *address)
{
  g_auto (GStrv) addresses = oc_mailbox_dup_addresses (entry);

  for (char **a = addresses; *a != NULL; a++)
    if (g_ascii_strcasecmp (*a, address) == 0)
      return TRUE;
  return FALSE;
}

/**
 * oc_mailbox_get_alias:
 * @entry: a directory entry
 *
 * Returns: (transfer none) (nullable): the Exchange alias (mailNickname)
 */
const char *
oc_mailbox_get_alias (const OcLdapEntry *entry)
{
  const char *alias = oc_ldap_entry_get_value (entry, "mailNickname");

  return alias != NULL && *alias != '\0' ? alias : NULL;
}

/**
 * oc_mailbox_get_display_name:
 * @entry: a directory entry
 *
 * Returns: (transfer none): displayName, else cn, else the DN
 */
const char *
oc_mailbox_get_display_name (const OcLdapEntry *entry)
{
  const char *name = oc_ldap_entry_get_value (entry, "displayName");

  if (name == NULL || *name == '\0')
    name = oc_ldap_entry_get_value (entry, "cn");
  return name != NULL && *name != '\0' ? name : oc_ldap_entry_get_dn (entry);
}
