/* oc-lookup.h: the app's side of finding a calendar by e-mail address. */
#pragma once

#include <gio/gio.h>

#include "oc-credentials-provider.h"
#include "oc-resolver.h"
#include "oc-tab.h"

G_BEGIN_DECLS

extern const GOptionEntry oc_lookup_option_entries[];

typedef void (*OcLookupFoundFunc) (OcTab          *tab,
                                   const OcTarget *target,
                                   gpointer        user_data);

OcResolver *oc_lookup_new_resolver         (GVariantDict          *options,
                                            GFile                 *cwd,
                                            OcCredentialsProvider *provider,
                                            GError               **error);
int         oc_lookup_print_url            (GVariantDict *options,
                                            GPtrArray    *targets);
gboolean    oc_lookup_resolver_for_command_line (GApplicationCommandLine *command_line,
                                                 GVariantDict            *options,
                                                 GPtrArray               *targets,
                                                 OcCredentialsProvider   *provider,
                                                 OcResolver             **out_resolver,
                                                 GError                 **error);
void        oc_lookup_open_in_tab          (OcResolver         *resolver,
                                            const char         *email,
                                            OcTab              *tab,
                                            GApplication       *application,
                                            OcLookupFoundFunc   found,
                                            gpointer            user_data);

G_END_DECLS
