/* main.c: owacal, a viewer for colleagues' Exchange (OWA) calendars.
 *
 * A reading guide. Start with oc-application.c: the command line, single
 * instance, and how a target becomes a tab. Each tab (window/oc-tab.c) holds
 * a WebKit view whose every load is answered by web/oc-scheme-handler.c with
 * the libcurl client of lib/http/oc-http-client.c, which signs in with
 * Kerberos or NTLM. lib/http/oc-scheme-bridge.c says how the web view's
 * owacal-https:// addresses map onto the real https:// ones;
 * web/web-extension/ routes the page's absolute links the same way;
 * resources/page-bridge.js gives the page its cookies.
 * commands/oc-snapshot-command.c is --snapshot (commands/oc-snapshot.c loads
 * the page unseen); commands/oc-tab-report.c is --list-tabs. An e-mail
 * address is looked up by oc-lookup.c with lib/lookup/oc-resolver.c;
 * published calendars are drawn by web/oc-calendar-handler.c with
 * lib/calendar-page/; passwords come from oc-password-provider.c (the
 * keyring, then window/oc-sign-in-dialog.c). provision/ is owacal-provision.
 */
#include "config.h"

#include <locale.h>

#include "oc-application.h"
#include "oc-timing.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (OcApplication) app = NULL;
  int status;

  oc_timing_start ();
  setlocale (LC_ALL, "");
  g_set_prgname ("owacal");
  g_set_application_name ("owacal");

  app = oc_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : oc_application_get_exit_status (app);
}
