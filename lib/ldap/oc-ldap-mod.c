/* oc-ldap-mod.c: lists of changes to an entry's attributes. */
#include "config.h"
#include "oc-ldap-mod.h"

static void
clear_mod (gpointer data)
{
  OcLdapMod *mod = data;

  g_free (mod->attribute);
  g_free (mod->value);
}

/**
 * oc_ldap_mods_new:
 *
 * Returns: (transfer full) (element-type OcLdapMod): an empty list of changes
 *   that frees their strings
 */
GArray *
oc_ldap_mods_new (void)
{
  GArray *mods = g_array_new (FALSE, TRUE, sizeof (OcLdapMod));

  g_array_set_clear_func (mods, clear_mod);
  return mods;
}

/**
 * oc_ldap_mods_add:
 * @mods: a list from oc_ldap_mods_new()
 * @op: what to do
 * @attribute: to which attribute
 * @value: (nullable): with which value
 *
 * Appends a copy of the change.
 */
void
oc_ldap_mods_add (GArray      *mods,
                  OcLdapModOp  op,
                  const char  *attribute,
                  const char  *value)
{
  OcLdapMod mod = { op, g_strdup (attribute), g_strdup (value) };

  g_return_if_fail (mods != NULL && attribute != NULL);
  g_array_append_val (mods, mod);
}
