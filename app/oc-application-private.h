/* oc-application-private.h: what the application's command handlers share. */
#pragma once

#include <webkit2/webkit2.h>

#include "oc-application.h"
#include "oc-calendar-handler.h"
#include "oc-connection-config.h"
#include "oc-demo-server.h"
#include "oc-exchange-access.h"
#include "oc-http-client.h"
#include "oc-password-provider.h"
#include "oc-scheme-handler.h"
#include "oc-target.h"

G_BEGIN_DECLS

/* What a published calendar looked up by e-mail address is called by (an option of the command line). */
#define OC_APPLICATION_LABEL_KEY "oc-calendar-label"

struct _OcApplication {
  GtkApplication parent_instance;

  OcHttpClient *client;
  OcConnectionConfig *connection_config;
  OcPasswordProvider *password_provider;
  OcSchemeHandler *scheme_handler;
  OcCalendarHandler *calendar_handler;
  OcExchangeAccess *exchange_access;
  WebKitWebContext *web_context;
  OcDemoServer *demo_server;
  int exit_status;
};

char *oc_application_resolve_target (OcApplication   *self,
                                     const OcTarget  *target,
                                     const char      *label,
                                     GError         **error);
char *oc_application_open_calendars (OcApplication   *self,
                                     GPtrArray       *sources);
void  oc_application_trust_site_of  (OcApplication   *self,
                                     const char      *web_url);

G_END_DECLS
