/* oc-tab-report.h: owacal --list-tabs [--eval SCRIPT]. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void oc_tab_report_run (GtkApplication          *application,
                        GApplicationCommandLine *command_line,
                        const char              *script);

G_END_DECLS
