/* oc-provision.c: from directory entries to the changes owacal-provision makes.
 *
 * The plan is computed once from one search and is the single source of the
 * table, the LDIF shown in a dry run, the undo LDIF and the modifications sent:
 * what the administrator reviewed is what gets applied.
 *
 * Every change names the value it expects to find: an existing value is removed
 * with "delete: attr / attr: <old>" and the new one added in the same modify
 * operation.  If someone changed the value between our search and our write, the
 * directory refuses (noSuchAttribute) instead of us overwriting their change.  The
 * undo records work the same way round, so an undo only puts back values that
 * are still exactly as owacal left them.
 */
#include "config.h"
#include "oc-provision.h"

#include <string.h>

#include "oc-calendar-url.h"
#include "oc-ldif.h"
#include "oc-mailbox.h"

struct _OcProvisionPlan {
  const OcCalendarUrl *url;
  char *attribute;
  char *link_attribute;
  gboolean force;
  GPtrArray *entries;  /* of OcProvisionEntry */
};

/* Helpers */

static void
entry_free (gpointer data)
{
  OcProvisionEntry *entry = data;

  for (guint i = 0; i < entry->n_values; i++)
    {
      g_free (entry->values[i].attribute);
      g_free (entry->values[i].old_value);
      g_free (entry->values[i].new_value);
      g_free (entry->values[i].reason);
    }
  g_clear_error (&entry->error);
  g_free (entry->dn);
  g_free (entry->person);
  g_free (entry);
}

static gboolean
value_changes (const OcProvisionValue *value)
{
  return value->action == OC_PROVISION_ACTION_ADD || value->action == OC_PROVISION_ACTION_REPLACE ||
         value->action == OC_PROVISION_ACTION_FORCE;
}

/* Decides what happens to one attribute: @wanted is the value owacal would
 * write (NULL with @wanted_error when it cannot be made), @is_ours says whether
 * the current value is one owacal may replace. */
static void
decide (OcProvisionValue *value,
        const char       *attribute,
        const char       *current,
        char             *wanted,
        GError           *wanted_error,
        gboolean          is_ours,
        gboolean          force)
{
  value->attribute = g_strdup (attribute);
  value->old_value = current != NULL && *current != '\0' ? g_strdup (current) : NULL;
  value->new_value = wanted;
  if (wanted == NULL)
    {
      value->action = OC_PROVISION_ACTION_CANNOT;
      value->reason = g_strdup (wanted_error->message);
    }
  else if (value->old_value == NULL)
    value->action = OC_PROVISION_ACTION_ADD;
  else if (strcmp (value->old_value, wanted) == 0)
    value->action = OC_PROVISION_ACTION_UNCHANGED;
  else if (is_ours)
    value->action = OC_PROVISION_ACTION_REPLACE;
  else
    value->action = force ? OC_PROVISION_ACTION_FORCE : OC_PROVISION_ACTION_KEEP;
}

static OcProvisionResult
planned_result (const OcProvisionEntry *entry)
{
  gboolean skipped = FALSE;

  for (guint i = 0; i < entry->n_values; i++)
    {
      if (value_changes (&entry->values[i]))
        return OC_PROVISION_RESULT_CHANGE;
      if (entry->values[i].action == OC_PROVISION_ACTION_KEEP || entry->values[i].action == OC_PROVISION_ACTION_CANNOT)
        skipped = TRUE;
    }
  return skipped ? OC_PROVISION_RESULT_SKIPPED : OC_PROVISION_RESULT_UNCHANGED;
}

/* Public API */

/**
 * oc_provision_plan_new:
 * @url: (transfer none): how calendar URLs are made; must outlive the plan
 * @attribute: where the URL goes (extensionAttribute1)
 * @link_attribute: (nullable): where an owacal: link goes, if anywhere
 * @force: replace values that owacal did not write
 *
 * Returns: (transfer full): an empty plan
 */
OcProvisionPlan *
oc_provision_plan_new (const OcCalendarUrl *url,
                       const char          *attribute,
                       const char          *link_attribute,
                       gboolean             force)
{
  OcProvisionPlan *plan;

  g_return_val_if_fail (url != NULL && attribute != NULL, NULL);

  plan = g_new0 (OcProvisionPlan, 1);
  plan->url = url;
  plan->attribute = g_strdup (attribute);
  plan->link_attribute = g_strdup (link_attribute);
  plan->force = force;
  plan->entries = g_ptr_array_new_with_free_func (entry_free);
  return plan;
}

/**
 * oc_provision_plan_free:
 * @plan: (nullable): a plan
 */
void
oc_provision_plan_free (OcProvisionPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->entries);
  g_free (plan->attribute);
  g_free (plan->link_attribute);
  g_free (plan);
}

/**
 * oc_provision_plan_add:
 * @plan: a plan
 * @entry: a mailbox user's entry, read with OC_MAILBOX_ATTRIBUTES and the plan's attributes
 *
 * Decides what to do with @entry and adds that to the plan.
 */
void
oc_provision_plan_add (OcProvisionPlan   *plan,
                       const OcLdapEntry *entry)
{
  OcProvisionEntry *item;
  const char *address;

  g_return_if_fail (plan != NULL && entry != NULL);

  item = g_new0 (OcProvisionEntry, 1);
  item->dn = g_strdup (oc_ldap_entry_get_dn (entry));
  address = oc_mailbox_get_primary_address (entry);
  item->person = g_strdup (address != NULL ? address : oc_mailbox_get_display_name (entry));
  {
    g_autoptr (GError) error = NULL;
    const char *current = oc_ldap_entry_get_value (entry, plan->attribute);
    char *wanted = oc_calendar_url_for_mailbox (plan->url, entry, &error);
    gboolean ours = current != NULL && oc_calendar_url_is_calendar_of (plan->url, current, entry);

    decide (&item->values[item->n_values++], plan->attribute, current, wanted, error, ours, plan->force);
  }
  if (plan->link_attribute != NULL)
    {
      g_autoptr (GError) error = NULL;
      const char *current = oc_ldap_entry_get_value (entry, plan->link_attribute);
      char *wanted = oc_calendar_link_for_mailbox (entry, &error);
      gboolean ours = current != NULL && oc_calendar_link_is_link_of (current, entry);

      decide (&item->values[item->n_values++], plan->link_attribute, current, wanted, error, ours, plan->force);
    }
  item->result = planned_result (item);
  g_ptr_array_add (plan->entries, item);
}

/**
 * oc_provision_plan_get_n_entries:
 * @plan: a plan
 *
 * Returns: how many entries were examined
 */
guint
oc_provision_plan_get_n_entries (const OcProvisionPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->entries->len;
}

/**
 * oc_provision_plan_get_entry:
 * @plan: a plan
 * @index: below oc_provision_plan_get_n_entries()
 *
 * Returns: (transfer none): what happens to that entry
 */
const OcProvisionEntry *
oc_provision_plan_get_entry (const OcProvisionPlan *plan,
                             guint                  index)
{
  g_return_val_if_fail (plan != NULL && index < plan->entries->len, NULL);
  return plan->entries->pdata[index];
}

/**
 * oc_provision_plan_get_summary:
 * @plan: a plan
 *
 * Returns: entries examined, and how many of them change (or changed), stay
 *   unchanged, are skipped (a value owacal did not write, or no address) or failed
 */
OcProvisionSummary
oc_provision_plan_get_summary (const OcProvisionPlan *plan)
{
  OcProvisionSummary summary = { 0 };

  g_return_val_if_fail (plan != NULL, summary);

  summary.examined = plan->entries->len;
  for (guint i = 0; i < plan->entries->len; i++)
    {
      const OcProvisionEntry *entry = plan->entries->pdata[i];

      switch (entry->result)
        {
        case OC_PROVISION_RESULT_UNCHANGED: summary.unchanged++; break;
        case OC_PROVISION_RESULT_SKIPPED:   summary.skipped++;   break;
        case OC_PROVISION_RESULT_CHANGE:    summary.changed++;   break;
        case OC_PROVISION_RESULT_FAILED:    summary.failed++;    break;
        }
    }
  return summary;
}

/**
 * oc_provision_entry_dup_mods:
 * @entry: a planned entry
 * @undo: the modifications that take the change back instead
 *
 * Returns: (transfer full) (element-type OcLdapMod): the modifications, empty
 *   when nothing changes; each names the value it expects to find
 */
GArray *
oc_provision_entry_dup_mods (const OcProvisionEntry *entry,
                             gboolean                undo)
{
  GArray *mods = oc_ldap_mods_new ();

  for (guint i = 0; i < entry->n_values; i++)
    {
      const OcProvisionValue *value = &entry->values[i];
      const char *from = undo ? value->new_value : value->old_value;
      const char *to = undo ? value->old_value : value->new_value;

      if (!value_changes (value))
        continue;
      if (from != NULL)
        oc_ldap_mods_add (mods, OC_LDAP_MOD_DELETE, value->attribute, from);
      if (to != NULL)
        oc_ldap_mods_add (mods, OC_LDAP_MOD_ADD, value->attribute, to);
    }
  return mods;
}

/**
 * oc_provision_plan_append_ldif:
 * @plan: a plan
 * @ldif: where to append
 * @undo: the records that take the plan back instead
 *
 * Appends one "changetype: modify" record per entry that changes, preceded by a
 * comment naming the person.  The records can be applied with ldapmodify.
 */
void
oc_provision_plan_append_ldif (const OcProvisionPlan *plan,
                               GString               *ldif,
                               gboolean               undo)
{
  g_return_if_fail (plan != NULL && ldif != NULL);

  for (guint i = 0; i < plan->entries->len; i++)
    {
      const OcProvisionEntry *entry = plan->entries->pdata[i];
      g_autoptr (GArray) mods = NULL;

      if (entry->result != OC_PROVISION_RESULT_CHANGE)
        continue;
      mods = oc_provision_entry_dup_mods (entry, undo);
      oc_ldif_append_comment (ldif, entry->person);
      oc_ldif_append_modify (ldif, entry->dn, (const OcLdapMod *) mods->data, mods->len);
    }
}

/**
 * oc_provision_action_to_string:
 * @action: an action
 *
 * Returns: (transfer none): the words the table shows for it
 */
const char *
oc_provision_action_to_string (OcProvisionAction action)
{
  switch (action)
    {
    case OC_PROVISION_ACTION_UNCHANGED: return "unchanged";
    case OC_PROVISION_ACTION_ADD:       return "add";
    case OC_PROVISION_ACTION_REPLACE:   return "replace";
    case OC_PROVISION_ACTION_FORCE:     return "replace (--force)";
    case OC_PROVISION_ACTION_KEEP:      return "keep: not written by owacal (--force replaces it)";
    case OC_PROVISION_ACTION_CANNOT:    return "skip";
    }
  g_return_val_if_reached ("?");
}

/**
 * oc_provision_plan_format_table:
 * @plan: a plan
 *
 * Returns: (transfer full): one line per person and attribute: person, current
 *   value, new value and action, in aligned columns ("-" for no value)
 */
char *
oc_provision_plan_format_table (const OcProvisionPlan *plan)
{
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  gboolean two = plan->link_attribute != NULL;
  guint n_columns = two ? 5 : 4;
  gsize widths[5] = { 0 };
  GString *out = g_string_new (NULL);

  g_ptr_array_add (cells, g_strdup ("PERSON"));
  if (two)
    g_ptr_array_add (cells, g_strdup ("ATTRIBUTE"));
  g_ptr_array_add (cells, g_strdup ("CURRENT"));
  g_ptr_array_add (cells, g_strdup ("NEW"));
  g_ptr_array_add (cells, g_strdup ("ACTION"));
  for (guint i = 0; i < plan->entries->len; i++)
    {
      const OcProvisionEntry *entry = plan->entries->pdata[i];

      for (guint v = 0; v < entry->n_values; v++)
        {
          const OcProvisionValue *value = &entry->values[v];

          g_ptr_array_add (cells, g_strdup (entry->person));
          if (two)
            g_ptr_array_add (cells, g_strdup (value->attribute));
          g_ptr_array_add (cells, g_strdup (value->old_value ? value->old_value : "-"));
          g_ptr_array_add (cells, g_strdup (value->new_value ? value->new_value : "-"));
          if (value->action == OC_PROVISION_ACTION_CANNOT)
            g_ptr_array_add (cells, g_strdup_printf ("skip: %s", value->reason));
          else if (entry->result == OC_PROVISION_RESULT_FAILED && value_changes (value))
            g_ptr_array_add (cells, g_strdup_printf ("failed to %s", oc_provision_action_to_string (value->action)));
          else
            g_ptr_array_add (cells, g_strdup (oc_provision_action_to_string (value->action)));
        }
    }
  for (guint i = 0; i < cells->len; i++)
    widths[i % n_columns] = MAX (widths[i % n_columns], (gsize) g_utf8_strlen (cells->pdata[i], -1));
  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = cells->pdata[i];
      gboolean last = i % n_columns == n_columns - 1;

      g_string_append (out, cell);
      if (last)
        g_string_append_c (out, '\n');
      else
        for (gsize pad = (gsize) g_utf8_strlen (cell, -1); pad < widths[i % n_columns] + 2; pad++)
          g_string_append_c (out, ' ');
    }
  return g_string_free (out, FALSE);
}

/**
 * oc_provision_plan_apply_sync:
 * @plan: a plan
 * @connection: signed in with the right to write the attributes
 * @cancellable: (nullable): stops before the next entry
 *
 * Sends one modify operation per entry that changes.  A refusal (insufficient
 * access, a value changed meanwhile, ...) marks that entry FAILED with its error
 * and the run goes on with the next one.
 *
 * Returns: whether every change was made
 */
gboolean
oc_provision_plan_apply_sync (OcProvisionPlan  *plan,
                              OcLdapConnection *connection,
                              GCancellable     *cancellable)
{
  gboolean all = TRUE;

  g_return_val_if_fail (plan != NULL && OC_IS_LDAP_CONNECTION (connection), FALSE);

  for (guint i = 0; i < plan->entries->len; i++)
    {
      OcProvisionEntry *entry = plan->entries->pdata[i];
      g_autoptr (GArray) mods = NULL;

      if (entry->result != OC_PROVISION_RESULT_CHANGE)
        continue;
      mods = oc_provision_entry_dup_mods (entry, FALSE);
      if (!oc_ldap_connection_modify_sync (connection, entry->dn, (const OcLdapMod *) mods->data, mods->len,
                                           cancellable, &entry->error))
        {
          entry->result = OC_PROVISION_RESULT_FAILED;
          all = FALSE;
        }
    }
  return all;
}
