/* oc-event-details.h: one event's notes and attendees, asked of Exchange when the page shows them. */
#pragma once

#include <webkit2/webkit2.h>

#include "oc-exchange-access.h"

G_BEGIN_DECLS

void oc_event_details_answer (WebKitURISchemeRequest *request,
                              OcExchangeAccess       *access,
                              const char             *email,
                              const char             *uid);
void oc_event_details_refuse (WebKitURISchemeRequest *request,
                              const GError           *error);

G_END_DECLS
