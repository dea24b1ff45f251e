/* oc-setup-commands.h: the command-line set-up commands (--register, shortcuts, Thunderbird). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void  oc_setup_commands_add_options (GApplication *application);
int   oc_setup_commands_run         (GVariantDict *options);
char *oc_setup_commands_dup_executable (void);

G_END_DECLS
