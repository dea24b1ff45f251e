/* oc-provision.h: what owacal-provision would change in the directory, and doing it. */
#pragma once

#include <gio/gio.h>

#include "oc-calendar-url.h"
#include "oc-ldap-connection.h"
#include "oc-ldap-entry.h"

G_BEGIN_DECLS

typedef enum {
  OC_PROVISION_ACTION_UNCHANGED,  /* already the right value */
  OC_PROVISION_ACTION_ADD,        /* empty: gets the value */
  OC_PROVISION_ACTION_REPLACE,    /* an older calendar URL (or link) of this person: replaced */
  OC_PROVISION_ACTION_FORCE,      /* a value owacal did not write, replaced because of --force */
  OC_PROVISION_ACTION_KEEP,       /* a value owacal did not write: left alone */
  OC_PROVISION_ACTION_CANNOT,     /* the person lacks what the value is made of (address, alias) */
} OcProvisionAction;

typedef struct {
  char *attribute;
  char *old_value;   /* nullable: empty in the directory */
  char *new_value;   /* nullable for CANNOT */
  char *reason;      /* nullable: why CANNOT */
  OcProvisionAction action;
} OcProvisionValue;

typedef enum {
  OC_PROVISION_RESULT_UNCHANGED,  /* nothing to do */
  OC_PROVISION_RESULT_SKIPPED,    /* something to do that owacal will not do (KEEP, CANNOT) */
  OC_PROVISION_RESULT_CHANGE,     /* will be (dry run) or was changed */
  OC_PROVISION_RESULT_FAILED,     /* the directory refused the change */
} OcProvisionResult;

typedef struct {
  char *dn;
  char *person;                 /* primary address, else the display name */
  OcProvisionValue values[2];   /* the URL, then the optional link */
  guint n_values;
  OcProvisionResult result;
  GError *error;                /* FAILED: why */
} OcProvisionEntry;

typedef struct {
  guint examined, changed, unchanged, skipped, failed;
} OcProvisionSummary;

typedef struct _OcProvisionPlan OcProvisionPlan;

OcProvisionPlan        *oc_provision_plan_new          (const OcCalendarUrl *url,
                                                        const char          *attribute,
                                                        const char          *link_attribute,
                                                        gboolean             force);
void                    oc_provision_plan_free         (OcProvisionPlan     *plan);
void                    oc_provision_plan_add          (OcProvisionPlan     *plan,
                                                        const OcLdapEntry   *entry);
guint                   oc_provision_plan_get_n_entries (const OcProvisionPlan *plan);
const OcProvisionEntry *oc_provision_plan_get_entry    (const OcProvisionPlan *plan,
                                                        guint                index);
OcProvisionSummary      oc_provision_plan_get_summary  (const OcProvisionPlan *plan);
GArray                 *oc_provision_entry_dup_mods    (const OcProvisionEntry *entry,
                                                        gboolean             undo);
char                   *oc_provision_plan_format_table (const OcProvisionPlan *plan);
void                    oc_provision_plan_append_ldif  (const OcProvisionPlan *plan,
                                                        GString             *ldif,
                                                        gboolean             undo);
gboolean                oc_provision_plan_apply_sync   (OcProvisionPlan     *plan,
                                                        OcLdapConnection    *connection,
                                                        GCancellable        *cancellable);

const char             *oc_provision_action_to_string  (OcProvisionAction    action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcProvisionPlan, oc_provision_plan_free)

G_END_DECLS
