/* oc-lookup.h: the app's side of finding a calendar by e-mail address. */
#pragma once

#include <gio/gio.h>

#include "oc-resolver.h"

G_BEGIN_DECLS

extern const GOptionEntry oc_lookup_option_entries[];

OcResolver *oc_lookup_new_resolver         (GVariantDict *options,
                                            GFile        *cwd,
                                            GError      **error);
int         oc_lookup_print_url            (GVariantDict *options,
                                            GPtrArray    *targets);
char       *oc_lookup_render_progress_page (const char   *email);

G_END_DECLS
