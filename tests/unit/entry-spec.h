/* entry-spec.h: directory entries for unit tests, written compactly.
 *
 *   entry_from_spec ("uid=a,dc=x", "mail=a@x.test;proxyAddresses=SMTP:a@x.test|smtp:b@x.test")
 *
 * ';' separates attributes, '|' separates the values of one attribute. */
#pragma once

#include "oc-ldap-entry.h"

static inline OcLdapEntry *
entry_from_spec (const char *dn,
                 const char *spec)
{
  OcLdapEntry *entry = oc_ldap_entry_new (dn);
  g_auto (GStrv) attributes = g_strsplit (spec != NULL ? spec : "", ";", -1);

  for (char **a = attributes; *a != NULL; a++)
    {
      char *eq = strchr (*a, '=');
      g_auto (GStrv) values = NULL;

      if (eq == NULL)
        continue;
      *eq = '\0';
      values = g_strsplit (eq + 1, "|", -1);
      for (char **v = values; *v != NULL; v++)
        oc_ldap_entry_add_value (entry, *a, *v);
    }
  return entry;
}
