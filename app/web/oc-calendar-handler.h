/* oc-calendar-handler.h: owacal-calendar: pages, published calendars drawn by owacal. */
#pragma once

#include <webkit2/webkit2.h>

#include "oc-calendar-page.h"
#include "oc-calendar-source.h"
#include "oc-exchange-access.h"
#include "oc-http-client.h"

G_BEGIN_DECLS

#define OC_CALENDAR_SCHEME "owacal-calendar"

#define OC_TYPE_CALENDAR_HANDLER (oc_calendar_handler_get_type ())
G_DECLARE_FINAL_TYPE (OcCalendarHandler, oc_calendar_handler, OC, CALENDAR_HANDLER, GObject)

OcCalendarHandler *oc_calendar_handler_new        (OcHttpClient      *client,
                                                   OcExchangeAccess  *access);
void               oc_calendar_handler_register   (OcCalendarHandler *self,
                                                   WebKitWebContext  *context);
void               oc_calendar_handler_set_start  (OcCalendarHandler *self,
                                                   OcCalendarView     view,
                                                   const GDate       *date);
char              *oc_calendar_handler_add        (OcCalendarHandler *self,
                                                   GPtrArray         *sources);
char              *oc_calendar_handler_add_answer (OcCalendarHandler *self,
                                                   const char        *web_url,
                                                   GBytes            *body);
gboolean           oc_calendar_handler_is_calendar_url (const char   *url);

G_END_DECLS
