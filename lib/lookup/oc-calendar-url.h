/* oc-calendar-url.h: the address of a person's calendar, per Exchange version: an OWA
 * URL up to 2013, an owacal: link from 2016 on. */
#pragma once

#include <glib.h>

#include "oc-ldap-entry.h"

G_BEGIN_DECLS

typedef enum {
  OC_CALENDAR_URL_ERROR_INVALID,     /* an unknown version, a bad host or template */
  OC_CALENDAR_URL_ERROR_NO_ADDRESS,  /* the person has no primary SMTP address */
  OC_CALENDAR_URL_ERROR_NO_ALIAS,    /* the person has no mailNickname (Exchange 2003, {alias}) */
} OcCalendarUrlError;

#define OC_CALENDAR_URL_ERROR (oc_calendar_url_error_quark ())
GQuark oc_calendar_url_error_quark (void);

typedef struct _OcCalendarUrl OcCalendarUrl;

gboolean       oc_calendar_url_version_has_no_web_parts (const char *version);
OcCalendarUrl *oc_calendar_url_new_for_exchange (const char          *version,
                                                 gboolean             https,
                                                 const char          *host,
                                                 GError             **error);
OcCalendarUrl *oc_calendar_url_new_for_template (const char          *url_template,
                                                 const char          *host,
                                                 GError             **error);
void           oc_calendar_url_free             (OcCalendarUrl       *self);
char          *oc_calendar_url_describe         (const OcCalendarUrl *self);
char          *oc_calendar_url_for_mailbox      (const OcCalendarUrl *self,
                                                 const OcLdapEntry   *entry,
                                                 GError             **error);
gboolean       oc_calendar_url_is_calendar_of   (const OcCalendarUrl *self,
                                                 const char          *value,
                                                 const OcLdapEntry   *entry);

char          *oc_calendar_url_dup_web_part_mailbox (const char    *url);

char          *oc_calendar_link_for_mailbox     (const OcLdapEntry   *entry,
                                                 GError             **error);
gboolean       oc_calendar_link_is_link_of      (const char          *value,
                                                 const OcLdapEntry   *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcCalendarUrl, oc_calendar_url_free)

G_END_DECLS
