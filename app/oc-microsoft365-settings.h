/* oc-microsoft365-settings.h: Microsoft 365's settings and options, and
 * --setup-microsoft365. */
#pragma once

#include <gio/gio.h>

#include "oc-microsoft365.h"

G_BEGIN_DECLS

/* What --forget-password takes to forget the Microsoft 365 sign-in. */
#define OC_MICROSOFT365_FORGET_NAME "microsoft365"

extern const GOptionEntry oc_microsoft365_option_entries[];

int            oc_microsoft365_settings_run_setup (GVariantDict  *options);
OcOAuthConfig *oc_microsoft365_settings_read      (GVariantDict  *options,
                                                   char         **out_graph_url,
                                                   GStrv         *out_domains);
void           oc_microsoft365_settings_apply     (OcMicrosoft365 *microsoft365,
                                                   GVariantDict   *options);
gboolean       oc_microsoft365_settings_forget    (GVariantDict   *options,
                                                   const char     *name,
                                                   int            *out_status);

G_END_DECLS
