/* A person's addresses and alias as Exchange writes them into the directory. */
#include "config.h"

#include <string.h>

#include "oc-mailbox.h"
#include "entry-spec.h"

typedef struct {
  const char *spec;
  const char *primary;    /* NULL: none */
  const char *addresses;  /* '|'-separated, primary first */
  const char *alias;
} Row;

static const Row rows[] = {
  /* The upper-case SMTP: entry is the primary address, wherever it is in the list. */
  { "mail=alice@example.test;proxyAddresses=SMTP:alice@example.test|smtp:alice.example@corp.example.test",
    "alice@example.test", "alice@example.test|alice.example@corp.example.test" },
  { "proxyAddresses=smtp:d.legacy@corp.example.test|SMTP:dave@example.test|X400:c=US;mailNickname=dlegacy",
    "dave@example.test", "dave@example.test|d.legacy@corp.example.test", "dlegacy" },
  /* SMTP: wins over a mail attribute that lags behind a policy change. */
  { "mail=old@example.test;proxyAddresses=SMTP:new@example.test|smtp:old@example.test",
    "new@example.test", "new@example.test|old@example.test" },
  /* No SMTP: entry: mail. Lower-case smtp: entries are never primary. */
  { "mail=bob@example.test;proxyAddresses=smtp:bob2@example.test", "bob@example.test", "bob@example.test|bob2@example.test" },
  { "proxyAddresses=smtp:only@example.test", NULL, "only@example.test" },
  /* Other address types are not e-mail addresses; an empty SMTP: is ignored. */
  { "proxyAddresses=X400:c=US a= p=Example|SIP:alice@example.test|SMTP:", NULL, "" },
  { "mail=carol@example.test", "carol@example.test", "carol@example.test" },
  /* Duplicates differing in case are one address; the first spelling stays. */
  { "mail=Eve@Example.test;proxyAddresses=SMTP:eve@example.test|smtp:EVE@EXAMPLE.TEST",
    "eve@example.test", "eve@example.test" },
  { "", NULL, "" },
  { "mailNickname=", NULL, "", NULL },
};

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("cn=x,dc=example,dc=test", row->spec);
  g_auto (GStrv) addresses = oc_mailbox_dup_addresses (entry);
  g_autofree char *joined = g_strjoinv ("|", addresses);

  g_assert_cmpstr (oc_mailbox_get_primary_address (entry), ==, row->primary);
  g_assert_cmpstr (joined, ==, row->addresses);
  g_assert_cmpstr (oc_mailbox_get_alias (entry), ==, row->alias);
  for (char **a = addresses; *a != NULL; a++)
    {
      g_autofree char *upper = g_ascii_strup (*a, -1);

      g_assert_true (oc_mailbox_has_address (entry, upper));
    }
  g_assert_false (oc_mailbox_has_address (entry, "nobody@example.test"));
}

static void
test_display_name (void)
{
  g_autoptr (OcLdapEntry) both = entry_from_spec ("cn=a,dc=x", "cn=Alice;displayName=Alice Example");
  g_autoptr (OcLdapEntry) cn = entry_from_spec ("cn=a,dc=x", "cn=Alice");
  g_autoptr (OcLdapEntry) none = entry_from_spec ("cn=a,dc=x", "");

  g_assert_cmpstr (oc_mailbox_get_display_name (both), ==, "Alice Example");
  g_assert_cmpstr (oc_mailbox_get_display_name (cn), ==, "Alice");
  g_assert_cmpstr (oc_mailbox_get_display_name (none), ==, "cn=a,dc=x");
}

static void
test_attribute_case (void)
{
  /* LDAP attribute names have no case: AD may answer "mailnickname". */
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("cn=a,dc=x", "MAILNICKNAME=al;PROXYADDRESSES=SMTP:al@x.test");

  g_assert_cmpstr (oc_mailbox_get_alias (entry), ==, "al");
  g_assert_cmpstr (oc_mailbox_get_primary_address (entry), ==, "al@x.test");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/mailbox/row/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &rows[i], test_row);
    }
  g_test_add_func ("/oc/mailbox/display-name", test_display_name);
  g_test_add_func ("/oc/mailbox/attribute-case", test_attribute_case);
  return g_test_run ();
}
