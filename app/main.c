/* main.c: owacal, a viewer for colleagues' Exchange (OWA) calendars.
 *
 * A reading guide. Start with oc-application.c: the command line, single
 * instance, and how a target becomes a tab. Each tab (oc-tab.c) holds a
 * WebKit view whose every load is answered by oc-scheme-handler.c with the
 * libcurl client of lib/oc-http-client.c, which signs in with Kerberos or
 * NTLM. lib/oc-scheme-bridge.c says how the web view's owacal-https://
 * addresses map onto the real https:// ones; web-extension/ routes the
 * page's absolute links the same way; resources/page-bridge.js gives the
 * page its cookies. oc-snapshot-command.c is --snapshot (oc-snapshot.c
 * loads the page unseen); oc-tab-report.c is --list-tabs. An e-mail address
 * is looked up by oc-lookup.c with lib/oc-resolver.c; published calendars
 * are drawn by oc-calendar-handler.c; passwords come from
 * oc-password-provider.c (the keyring, then oc-sign-in-dialog.c).
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
