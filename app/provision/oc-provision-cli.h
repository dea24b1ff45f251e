/* oc-provision-cli.h: owacal-provision's options, help text and output. */
#pragma once

#include <glib.h>

#include "oc-provision.h"

G_BEGIN_DECLS

enum {
  OC_PROVISION_EXIT_OK = 0,         /* a dry run, or every change made */
  OC_PROVISION_EXIT_PARTIAL = 1,    /* some entries could not be changed */
  OC_PROVISION_EXIT_USAGE = 2,      /* wrong options */
  OC_PROVISION_EXIT_CONNECT = 3,    /* could not connect or sign in */
  OC_PROVISION_EXIT_DIRECTORY = 4,  /* the directory refused the work; nothing was changed */
  OC_PROVISION_EXIT_UNMATCHED = 5,  /* an --only or --exclude value matches nobody; nothing was changed */
};

typedef struct {
  char *uri, *ca_file, *bind_dn, *password_file, *base, *filter;
  gboolean starttls, gssapi;
  int page_size;
  char *exchange, *url_template, *owa_host, *attribute, *link_attribute;
  gboolean http;
  char **only, **exclude;
  gboolean apply, force;
  char *undo_file, *undo, *thunderbird_id;
} OcProvisionOptions;

void     oc_provision_options_clear        (OcProvisionOptions *o);
gboolean oc_provision_cli_parse            (OcProvisionOptions *o,
                                            int                *argc,
                                            char             ***argv,
                                            GError            **error);
int      oc_provision_cli_fail             (int                 status,
                                            const GError       *error);
int      oc_provision_cli_fail_message     (int                 status,
                                            const char         *format,
                                            ...) G_GNUC_PRINTF (2, 3);
int      oc_provision_cli_fail_search      (const OcProvisionOptions *o,
                                            const GError       *error);
gboolean oc_provision_cli_report_unmatched (const OcProvisionOptions *o,
                                            const char * const *unmatched_only,
                                            const char * const *unmatched_exclude);
char    *oc_provision_cli_thunderbird_lines (const OcProvisionOptions *o);
void     oc_provision_cli_append_header    (GString            *out,
                                            gboolean            apply,
                                            const char         *uri,
                                            const char         *identity,
                                            const char         *base,
                                            const char         *filter,
                                            guint               n_pages,
                                            const char         *url_description,
                                            const char         *attribute,
                                            const char         *link_attribute);
void     oc_provision_cli_append_summary   (GString            *out,
                                            const OcProvisionPlan *plan,
                                            gboolean            apply);
void     oc_provision_cli_print_failures   (const OcProvisionPlan *plan);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OcProvisionOptions, oc_provision_options_clear)

G_END_DECLS
