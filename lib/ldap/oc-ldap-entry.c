/* oc-ldap-entry.c: a DN and its attributes' values, independent of libldap.
 *
 * Attribute names are case-insensitive in LDAP (AD answers "mailNickname" to a
 * request for "mailnickname" and vice versa), so lookups fold ASCII case.
 * Values are kept as the directory sent them: text attributes are UTF-8.
 */
#include "config.h"
#include "oc-ldap-entry.h"

struct _OcLdapEntry {
  char *dn;
  GHashTable *values;  /* lower-cased attribute name -> GPtrArray of char* (NULL-terminated) */
};

static void
free_values (gpointer data)
{
  g_ptr_array_unref (data);
}

/**
 * oc_ldap_entry_new:
 * @dn: the entry's distinguished name
 *
 * Returns: (transfer full): an entry without attributes
 */
OcLdapEntry *
oc_ldap_entry_new (const char *dn)
{
  OcLdapEntry *entry;

  g_return_val_if_fail (dn != NULL, NULL);

  entry = g_new0 (OcLdapEntry, 1);
  entry->dn = g_strdup (dn);
  entry->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_values);
  return entry;
}

/**
 * oc_ldap_entry_free:
 * @entry: (nullable): an entry
 */
void
oc_ldap_entry_free (OcLdapEntry *entry)
{
  if (entry == NULL)
    return;
  g_hash_table_unref (entry->values);
  g_free (entry->dn);
  g_free (entry);
}

/**
 * oc_ldap_entry_add_value:
 * @entry: an entry
 * @attribute: an attribute name, in any case
 * @value: one more value of @attribute
 */
void
oc_ldap_entry_add_value (OcLdapEntry *entry,
                         const char  *attribute,
                         const char  *value)
{
  g_autofree char *key = NULL;
  GPtrArray *values;

  g_return_if_fail (entry != NULL && attribute != NULL && value != NULL);

  key = g_ascii_strdown (attribute, -1);
  values = g_hash_table_lookup (entry->values, key);
  if (values == NULL)
    {
      values = g_ptr_array_new_null_terminated (1, g_free, TRUE);
      g_hash_table_insert (entry->values, g_steal_pointer (&key), values);
    }
  g_ptr_array_add (values, g_strdup (value));
}

/**
 * oc_ldap_entry_get_dn:
 * @entry: an entry
 *
 * Returns: (transfer none): the entry's DN
 */
const char *
oc_ldap_entry_get_dn (const OcLdapEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return entry->dn;
}

/**
 * oc_ldap_entry_get_values:
 * @entry: an entry
 * @attribute: an attribute name, in any case
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the values of
 *   @attribute in the order the directory sent them, or %NULL if it has none
 */
const char * const *
oc_ldap_entry_get_values (const OcLdapEntry *entry,
                          const char        *attribute)
{
  g_autofree char *key = NULL;
  GPtrArray *values;

  g_return_val_if_fail (entry != NULL && attribute != NULL, NULL);

  key = g_ascii_strdown (attribute, -1);
  values = g_hash_table_lookup (entry->values, key);
  return values != NULL ? (const char * const *) values->pdata : NULL;
}

/**
 * oc_ldap_entry_get_value:
 * @entry: an entry
 * @attribute: an attribute name, in any case
 *
 * Returns: (transfer none) (nullable): the first value of @attribute, for
 *   single-valued attributes
 */
const char *
oc_ldap_entry_get_value (const OcLdapEntry *entry,
                         const char        *attribute)
{
  const char * const *values = oc_ldap_entry_get_values (entry, attribute);

  return values != NULL ? values[0] : NULL;
}
