/* oc-snapshot-command.h: owacal --snapshot FILE.png TARGET…, the command. */
#pragma once

#include <webkit2/webkit2.h>

#include "oc-password-provider.h"
#include "oc-resolver.h"
#include "oc-scheme-handler.h"
#include "oc-target.h"

G_BEGIN_DECLS

/* What the command needs of the application, handed in: the command does not
 * reach into the application (which would make the two include each other). */
typedef struct {
  GApplication *application;            /* held while a snapshot runs */
  WebKitWebContext *web_context;
  OcSchemeHandler *scheme_handler;
  OcPasswordProvider *password_provider;
  /* The address of the page that shows @target (see oc_application_resolve_target ()). */
  char *(*resolve_target)  (GApplication *application, const OcTarget *target, const char *label, GError **error);
  /* The address of the page that shows @sources side by side. */
  char *(*open_calendars)  (GApplication *application, GPtrArray *sources);
  void  (*trust_site_of)   (GApplication *application, const char *web_url);
  void  (*set_exit_status) (GApplication *application, int status);
} OcSnapshotHost;

int oc_snapshot_command_run (const OcSnapshotHost    *host,
                             GApplicationCommandLine *command_line,
                             GVariantDict            *options,
                             GPtrArray               *targets,
                             OcResolver              *resolver);

G_END_DECLS
