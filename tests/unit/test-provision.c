/* owacal-provision's plan: what it decides for each entry (web parts for Exchange
 * 2013, owacal: links for 2016 and later), the modifications and LDIF it makes of
 * that, and the search filter for --only/--exclude. */
#include "config.h"

#include <string.h>

#include "oc-provision.h"
#include "oc-provision-selection.h"
#include "entry-spec.h"

#define NEW_URL(who) "https://mail.example.test/owa/" who "/?cmd=contents&module=calendar&view=weekly"

typedef struct {
  const char *spec;
  gboolean force;
  OcProvisionAction url_action;
  OcProvisionAction link_action;
  OcProvisionResult result;
} PlanRow;

static const PlanRow plan_rows[] = {
  /* Empty: added. */
  { "mail=a@example.test", FALSE, OC_PROVISION_ACTION_ADD, OC_PROVISION_ACTION_ADD, OC_PROVISION_RESULT_CHANGE },
  /* Already right. */
  { "mail=a@example.test;extensionAttribute1=" NEW_URL ("a@example.test") ";extensionAttribute2=owacal:a@example.test",
    FALSE, OC_PROVISION_ACTION_UNCHANGED, OC_PROVISION_ACTION_UNCHANGED, OC_PROVISION_RESULT_UNCHANGED },
  /* An older calendar URL of this person (2003, another host) and a link to another of their addresses: replaced. */
  { "mail=a@example.test;mailNickname=a;proxyAddresses=SMTP:a@example.test|smtp:a2@example.test;"
    "extensionAttribute1=http://exch2003.example.test/exchange/a/Calendar/?Cmd=contents;extensionAttribute2=owacal:a2@example.test",
    FALSE, OC_PROVISION_ACTION_REPLACE, OC_PROVISION_ACTION_REPLACE, OC_PROVISION_RESULT_CHANGE },
  /* Someone else's values: kept, unless --force. */
  { "mail=a@example.test;extensionAttribute1=cost centre 4711;extensionAttribute2=https://intranet.example.test/a",
    FALSE, OC_PROVISION_ACTION_KEEP, OC_PROVISION_ACTION_KEEP, OC_PROVISION_RESULT_SKIPPED },
  { "mail=a@example.test;extensionAttribute1=cost centre 4711;extensionAttribute2=https://intranet.example.test/a",
    TRUE, OC_PROVISION_ACTION_FORCE, OC_PROVISION_ACTION_FORCE, OC_PROVISION_RESULT_CHANGE },
  /* Another person's calendar is not this person's: kept. */
  { "mail=a@example.test;extensionAttribute1=" NEW_URL ("b@example.test"), FALSE,
    OC_PROVISION_ACTION_KEEP, OC_PROVISION_ACTION_ADD, OC_PROVISION_RESULT_CHANGE },
  /* No address: nothing can be made, even with --force. */
  { "mailNickname=x;extensionAttribute1=cost centre", TRUE, OC_PROVISION_ACTION_CANNOT, OC_PROVISION_ACTION_CANNOT,
    OC_PROVISION_RESULT_SKIPPED },
};

static void
test_plan_row (gconstpointer data)
{
  const PlanRow *row = data;
  g_autoptr (OcCalendarUrl) url = oc_calendar_url_new_for_exchange ("2013", TRUE, "mail.example.test", NULL);
  g_autoptr (OcProvisionPlan) plan = oc_provision_plan_new (url, "extensionAttribute1", "extensionAttribute2", row->force);
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=a,dc=example,dc=test", row->spec);
  const OcProvisionEntry *item;
  OcProvisionSummary summary;

  oc_provision_plan_add (plan, entry);
  g_assert_cmpuint (oc_provision_plan_get_n_entries (plan), ==, 1);
  item = oc_provision_plan_get_entry (plan, 0);
  g_assert_cmpuint (item->n_values, ==, 2);
  g_assert_cmpstr (item->values[0].attribute, ==, "extensionAttribute1");
  g_assert_cmpint (item->values[0].action, ==, row->url_action);
  g_assert_cmpint (item->values[1].action, ==, row->link_action);
  g_assert_cmpstr (item->values[0].old_value, ==, oc_ldap_entry_get_value (entry, "extensionAttribute1"));
  g_assert_cmpint (item->result, ==, row->result);
  summary = oc_provision_plan_get_summary (plan);
  g_assert_cmpuint (summary.examined, ==, 1);
  g_assert_cmpuint (summary.changed, ==, row->result == OC_PROVISION_RESULT_CHANGE);
  g_assert_cmpuint (summary.unchanged, ==, row->result == OC_PROVISION_RESULT_UNCHANGED);
  g_assert_cmpuint (summary.skipped, ==, row->result == OC_PROVISION_RESULT_SKIPPED);
  if (row->url_action == OC_PROVISION_ACTION_CANNOT)
    g_assert_nonnull (strstr (item->values[0].reason, "no primary SMTP address"));
}

/* Exchange 2016 and later: extensionAttribute1 gets the owacal: link, whatever
 * --owa-host says; owacal's own earlier values of the person are replaced. */
typedef struct {
  const char *version;
  const char *host;     /* --owa-host, not used */
  const char *spec;
  gboolean force;
  const char *new_value;
  OcProvisionAction action;
} LinkRow;

static const LinkRow link_rows[] = {
  { "2016", NULL, "mail=a@example.test", FALSE, "owacal:a@example.test", OC_PROVISION_ACTION_ADD },
  { "2019", "mail.example.test", "mail=a@example.test", FALSE, "owacal:a@example.test", OC_PROVISION_ACTION_ADD },
  { "se", NULL, "mail=old@example.test;proxyAddresses=SMTP:a@example.test|smtp:old@example.test", FALSE,
    "owacal:a@example.test", OC_PROVISION_ACTION_ADD },
  { "SE", "m", "mail=a@example.test", FALSE, "owacal:a@example.test", OC_PROVISION_ACTION_ADD },
  /* The web part an earlier run wrote for 2016 (it ends on OWA's error page there): replaced, no --force. */
  { "2019", NULL, "mail=a@example.test;extensionAttribute1=" NEW_URL ("a@example.test"), FALSE,
    "owacal:a@example.test", OC_PROVISION_ACTION_REPLACE },
  { "2016", NULL, "mail=a@example.test;proxyAddresses=SMTP:a@example.test|smtp:a2@example.test;"
    "extensionAttribute1=https://old-cas.example.test/owa/a2@example.test/", FALSE,
    "owacal:a@example.test", OC_PROVISION_ACTION_REPLACE },
  { "2019", NULL, "mail=a@example.test;mailNickname=a;extensionAttribute1=http://exch2003.example.test/exchange/a/Calendar/",
    FALSE, "owacal:a@example.test", OC_PROVISION_ACTION_REPLACE },
  /* A link to another of the person's addresses is theirs too; the same link is left as it is. */
  { "se", NULL, "mail=a@example.test;proxyAddresses=SMTP:a@example.test|smtp:a2@example.test;"
    "extensionAttribute1=owacal:a2@example.test", FALSE, "owacal:a@example.test", OC_PROVISION_ACTION_REPLACE },
  { "2019", NULL, "mail=a@example.test;extensionAttribute1=owacal:a@example.test", FALSE, "owacal:a@example.test",
    OC_PROVISION_ACTION_UNCHANGED },
  /* Someone else's link or web part, and other data: kept unless --force. */
  { "2019", NULL, "mail=a@example.test;extensionAttribute1=owacal:b@example.test", FALSE, "owacal:a@example.test",
    OC_PROVISION_ACTION_KEEP },
  { "2019", NULL, "mail=a@example.test;extensionAttribute1=" NEW_URL ("b@example.test"), FALSE, "owacal:a@example.test",
    OC_PROVISION_ACTION_KEEP },
  { "2019", NULL, "mail=a@example.test;extensionAttribute1=cost centre 4711", FALSE, "owacal:a@example.test",
    OC_PROVISION_ACTION_KEEP },
  { "2019", NULL, "mail=a@example.test;extensionAttribute1=owacal:b@example.test", TRUE, "owacal:a@example.test",
    OC_PROVISION_ACTION_FORCE },
  /* No address, no link. */
  { "2019", NULL, "mailNickname=x", FALSE, NULL, OC_PROVISION_ACTION_CANNOT },
};

static void
test_link_row (gconstpointer data)
{
  const LinkRow *row = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcCalendarUrl) url = oc_calendar_url_new_for_exchange (row->version, TRUE, row->host, &error);
  g_autoptr (OcProvisionPlan) plan = NULL;
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=a,dc=example,dc=test", row->spec);
  const OcProvisionEntry *item;

  g_assert_no_error (error);
  plan = oc_provision_plan_new (url, "extensionAttribute1", NULL, row->force);
  oc_provision_plan_add (plan, entry);
  item = oc_provision_plan_get_entry (plan, 0);
  g_assert_cmpuint (item->n_values, ==, 1);
  g_assert_cmpstr (item->values[0].new_value, ==, row->new_value);
  g_assert_cmpint (item->values[0].action, ==, row->action);
  g_assert_cmpstr (item->values[0].old_value, ==, oc_ldap_entry_get_value (entry, "extensionAttribute1"));
}

static const char *
mod_to_string (const OcLdapMod *mod, char *buffer, gsize size)
{
  g_snprintf (buffer, size, "%s %s=%s", mod->op == OC_LDAP_MOD_ADD ? "add" : mod->op == OC_LDAP_MOD_DELETE ? "delete" : "replace",
              mod->attribute, mod->value ? mod->value : "(all)");
  return buffer;
}

static char *
mods_to_string (GArray *mods)
{
  g_autoptr (GString) out = g_string_new (NULL);
  char buffer[512];

  for (guint i = 0; i < mods->len; i++)
    g_string_append_printf (out, "%s%s", i ? "; " : "", mod_to_string (&g_array_index (mods, OcLdapMod, i), buffer, sizeof buffer));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_mods_name_expected_values (void)
{
  /* Apply: delete the old value by name, add the new; undo: the other way round. */
  g_autoptr (OcCalendarUrl) url = oc_calendar_url_new_for_exchange ("2013", TRUE, "mail.example.test", NULL);
  g_autoptr (OcProvisionPlan) plan = oc_provision_plan_new (url, "extensionAttribute1", "extensionAttribute2", FALSE);
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=a,dc=x",
                                                   "mail=a@example.test;extensionAttribute1=https://old.example.test/owa/a@example.test/");
  g_autoptr (GArray) apply = NULL;
  g_autoptr (GArray) undo = NULL;
  g_autofree char *apply_text = NULL, *undo_text = NULL;

  oc_provision_plan_add (plan, entry);
  apply = oc_provision_entry_dup_mods (oc_provision_plan_get_entry (plan, 0), FALSE);
  undo = oc_provision_entry_dup_mods (oc_provision_plan_get_entry (plan, 0), TRUE);
  apply_text = mods_to_string (apply);
  undo_text = mods_to_string (undo);
  g_assert_cmpstr (apply_text, ==,
                   "delete extensionAttribute1=https://old.example.test/owa/a@example.test/; "
                   "add extensionAttribute1=" NEW_URL ("a@example.test") "; "
                   "add extensionAttribute2=owacal:a@example.test");
  g_assert_cmpstr (undo_text, ==,
                   "delete extensionAttribute1=" NEW_URL ("a@example.test") "; "
                   "add extensionAttribute1=https://old.example.test/owa/a@example.test/; "
                   "delete extensionAttribute2=owacal:a@example.test");
}

/* The table has these cells, row after row, in columns that start at the same
 * place on every line, at least two spaces apart. */
static void
assert_table (const char  *table,
              const char **cells,
              guint        n_columns)
{
  g_auto (GStrv) lines = g_strsplit (table, "\n", -1);
  gsize starts[8] = { 0 };
  guint cell = 0;

  for (guint l = 0; lines[l] != NULL && *lines[l] != '\0'; l++)
    {
      gsize at = 0;

      for (guint c = 0; c < n_columns; c++, cell++)
        {
          g_assert_nonnull (cells[cell]);
          g_assert_cmpint (strncmp (lines[l] + at, cells[cell], strlen (cells[cell])), ==, 0);
          if (l == 0)
            starts[c] = at;
          g_assert_cmpuint (at, ==, starts[c]);
          at += strlen (cells[cell]);
          if (c + 1 < n_columns)
            {
              g_assert_true (g_str_has_prefix (lines[l] + at, "  "));
              while (lines[l][at] == ' ')
                at++;
            }
        }
      g_assert_cmpuint (strlen (lines[l]), ==, at);
    }
  g_assert_null (cells[cell]);
}

static OcProvisionPlan *
three_people_plan (OcCalendarUrl **out_url)
{
  OcCalendarUrl *url = oc_calendar_url_new_for_exchange ("2003", FALSE, "exch.example.test", NULL);
  OcProvisionPlan *plan = oc_provision_plan_new (url, "extensionAttribute1", NULL, FALSE);
  const char *specs[][2] = {
    { "uid=a,dc=x", "mail=a@example.test;mailNickname=a" },
    { "uid=b,dc=x", "mail=b@example.test;mailNickname=b;extensionAttribute1=http://exch.example.test/exchange/b/Calendar/?Cmd=contents&View=Weekly" },
    { "uid=c,dc=x", "mail=c@example.test;mailNickname=c;extensionAttribute1=cost centre 4711" },
    { "uid=d,dc=x", "mail=d@example.test" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (OcLdapEntry) entry = entry_from_spec (specs[i][0], specs[i][1]);

      oc_provision_plan_add (plan, entry);
    }
  *out_url = url;
  return plan;
}

static void
test_ldif_and_table (void)
{
  g_autoptr (OcCalendarUrl) url = NULL;
  g_autoptr (OcProvisionPlan) plan = three_people_plan (&url);
  g_autoptr (GString) ldif = g_string_new (NULL);
  g_autoptr (GString) undo = g_string_new (NULL);
  g_autofree char *table = oc_provision_plan_format_table (plan);
  OcProvisionSummary summary = oc_provision_plan_get_summary (plan);

  /* Only the entry that changes gets a record. */
  oc_provision_plan_append_ldif (plan, ldif, FALSE);
  g_assert_cmpstr (ldif->str, ==,
                   "# a@example.test\n"
                   "dn: uid=a,dc=x\nchangetype: modify\nadd: extensionAttribute1\n"
                   "extensionAttribute1: http://exch.example.test/exchange/a/Calendar/?Cmd=conte\n"
                   " nts&View=Weekly\n-\n\n");
  oc_provision_plan_append_ldif (plan, undo, TRUE);
  g_assert_cmpstr (undo->str, ==,
                   "# a@example.test\n"
                   "dn: uid=a,dc=x\nchangetype: modify\ndelete: extensionAttribute1\n"
                   "extensionAttribute1: http://exch.example.test/exchange/a/Calendar/?Cmd=conte\n"
                   " nts&View=Weekly\n-\n\n");
  assert_table (table, (const char *[]) {
    "PERSON", "CURRENT", "NEW", "ACTION",
    "a@example.test", "-", "http://exch.example.test/exchange/a/Calendar/?Cmd=contents&View=Weekly", "add",
    "b@example.test", "http://exch.example.test/exchange/b/Calendar/?Cmd=contents&View=Weekly",
    "http://exch.example.test/exchange/b/Calendar/?Cmd=contents&View=Weekly", "unchanged",
    "c@example.test", "cost centre 4711", "http://exch.example.test/exchange/c/Calendar/?Cmd=contents&View=Weekly",
    "keep: not written by owacal (--force replaces it)",
    "d@example.test", "-", "-", "skip: no Exchange alias (mailNickname)",
    NULL }, 4);
  g_assert_cmpuint (summary.examined, ==, 4);
  g_assert_cmpuint (summary.changed, ==, 1);
  g_assert_cmpuint (summary.unchanged, ==, 1);
  g_assert_cmpuint (summary.skipped, ==, 2);
  g_assert_cmpuint (summary.failed, ==, 0);
}

typedef struct {
  const char *filter;
  const char *only[3];
  const char *exclude[3];
  const char *result;   /* NULL: error */
} FilterRow;

#define DEFAULT OC_PROVISION_DEFAULT_FILTER

static const FilterRow filter_rows[] = {
  { NULL, { NULL }, { NULL }, DEFAULT },
  { "(mail=*)", { NULL }, { NULL }, "(mail=*)" },
  { NULL, { "alice@example.test", NULL }, { NULL },
    "(&" DEFAULT "(|(|(mail=alice@example.test)(proxyAddresses=smtp:alice@example.test))))" },
  { NULL, { NULL }, { "(department=Board)", "bob@example.test", NULL },
    "(&" DEFAULT "(!(|(department=Board)(|(mail=bob@example.test)(proxyAddresses=smtp:bob@example.test)))))" },
  { "(mail=*)", { "(ou=x)", NULL }, { "a@b", NULL }, "(&(mail=*)(|(ou=x))(!(|(|(mail=a@b)(proxyAddresses=smtp:a@b)))))" },
  /* An address cannot widen the filter. */
  { "(mail=*)", { "*)(uid=*@x", NULL }, { NULL },
    "(&(mail=*)(|(|(mail=\\2a\\29\\28uid=\\2a@x)(proxyAddresses=smtp:\\2a\\29\\28uid=\\2a@x))))" },
  { "(cn=a\\29b)", { NULL }, { NULL }, "(cn=a\\29b)" },
  /* Refused. */
  { "mail=*", { NULL }, { NULL }, NULL },
  { "(&(mail=*)", { NULL }, { NULL }, NULL },
  { "(mail=*))(", { NULL }, { NULL }, NULL },
  { NULL, { "alice", NULL }, { NULL }, NULL },
  { NULL, { NULL }, { "not an address@x", NULL }, NULL },
};

static void
test_filter_row (gconstpointer data)
{
  const FilterRow *row = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *filter = oc_provision_build_filter (row->filter, row->only, row->exclude, &error);

  if (row->result == NULL)
    {
      g_assert_null (filter);
      g_assert_error (error, OC_LDAP_ERROR, OC_LDAP_ERROR_INVALID_ARGUMENT);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (filter, ==, row->result);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (plan_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/provision/plan/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &plan_rows[i], test_plan_row);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (filter_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/provision/filter/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &filter_rows[i], test_filter_row);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (link_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/provision/link/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &link_rows[i], test_link_row);
    }
  g_test_add_func ("/oc/provision/mods-name-expected-values", test_mods_name_expected_values);
  g_test_add_func ("/oc/provision/ldif-and-table", test_ldif_and_table);
  return g_test_run ();
}
