/* fuzz-mailbox.c: a directory entry's mail, proxyAddresses and mailNickname
 * (oc-mailbox.c), and the owacal: link written for it (oc-calendar-url.c).
 *
 * Input: "attribute=value" lines. Holds: the primary address is one of the
 * addresses; each address is found by oc_mailbox_has_address(); a link made
 * for the entry opens that entry's address and is recognised as its link. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-calendar-url.h"
#include "oc-mailbox.h"
#include "oc-target.h"

FUZZ_INIT ()

/* "mail=a@x" lines into an entry. */
static OcLdapEntry *
entry_from_lines (GStrv lines)
{
  OcLdapEntry *entry = oc_ldap_entry_new ("uid=fuzz,dc=example,dc=com");

  for (char **line = lines; *line; line++)
    {
      char *eq = strchr (*line, '=');
      g_autofree char *attribute = NULL;

      if (eq == NULL || eq == *line)
        continue;
      attribute = g_strndup (*line, eq - *line);
      oc_ldap_entry_add_value (entry, attribute, eq + 1);
    }
  return entry;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto (GStrv) lines = fuzz_fields (data, size, -1);
  g_autoptr (OcLdapEntry) entry = entry_from_lines (lines);
  g_auto (GStrv) addresses = oc_mailbox_dup_addresses (entry);
  const char *primary = oc_mailbox_get_primary_address (entry);
  g_autoptr (GError) error = NULL;
  g_autofree char *link = oc_calendar_link_for_mailbox (entry, &error);

  (void) oc_mailbox_get_alias (entry);
  g_assert (oc_mailbox_get_display_name (entry) != NULL);
  if (primary != NULL)
    g_assert (addresses[0] != NULL && g_ascii_strcasecmp (addresses[0], primary) == 0);
  for (char **address = addresses; *address; address++)
    g_assert (oc_mailbox_has_address (entry, *address));
  if (link == NULL)
    g_assert_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ADDRESS);
  else
    {
      g_autoptr (OcTarget) target = oc_target_parse (link, NULL);

      g_assert (oc_calendar_link_is_link_of (link, entry));
      g_assert (target != NULL && target->kind == OC_TARGET_KIND_EMAIL);
      g_assert (oc_mailbox_has_address (entry, target->value));
    }
  return 0;
}
