/* oc-snapshot-command.h: owacal --snapshot FILE.png TARGET…, the command. */
#pragma once

#include "oc-application.h"
#include "oc-resolver.h"

G_BEGIN_DECLS

int oc_snapshot_command_run (OcApplication           *self,
                             GApplicationCommandLine *command_line,
                             GVariantDict            *options,
                             GPtrArray               *targets,
                             OcResolver              *resolver);

G_END_DECLS
