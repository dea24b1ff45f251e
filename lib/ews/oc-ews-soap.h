/* oc-ews-soap.h: the SOAP envelope of EWS requests, and what answers say in theirs. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "oc-ews-error.h"
#include "oc-ews-xml.h"

G_BEGIN_DECLS

/* The schema version owacal asks in; Exchange 2010 servers refuse newer ones. */
#define OC_EWS_REQUEST_VERSION      "Exchange2013_SP1"
#define OC_EWS_REQUEST_VERSION_2010 "Exchange2010_SP1"

/* The product, from ServerVersionInfo's MajorVersion and MinorVersion. */
typedef enum {
  OC_EWS_SERVER_UNKNOWN = 0,
  OC_EWS_SERVER_2007 = 2007,        /* 8.x */
  OC_EWS_SERVER_2010 = 2010,        /* 14.x */
  OC_EWS_SERVER_2013 = 2013,        /* 15.0 */
  OC_EWS_SERVER_2016 = 2016,        /* 15.1 */
  OC_EWS_SERVER_2019 = 2019,        /* 15.2: 2019 and Subscription Edition */
} OcEwsServerVersion;

typedef struct {
  xmlDoc *doc;
  xmlNode *operation;               /* the element inside soap:Body (…Response) */
  OcEwsServerVersion server_version;
  int major_version;                /* as ServerVersionInfo says, -1 when absent */
  int minor_version;
} OcEwsAnswer;

xmlDoc             *oc_ews_soap_new_request       (const char    *request_version,
                                                   const char    *operation,
                                                   xmlNode      **out_operation);
OcEwsAnswer        *oc_ews_answer_parse           (GBytes        *body,
                                                   const char    *operation,
                                                   GError       **error);
void                oc_ews_answer_free            (OcEwsAnswer   *answer);
OcEwsServerVersion  oc_ews_server_version_from_numbers (int       major,
                                                   int            minor);
const char         *oc_ews_server_version_to_string (OcEwsServerVersion version);
gboolean            oc_ews_response_message_check (const xmlNode *message,
                                                   const char    *mailbox,
                                                   GError       **error);
GError             *oc_ews_error_from_message_xml (const char    *response_code,
                                                   const char    *mailbox,
                                                   const char    *text,
                                                   const xmlNode *message_xml);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcEwsAnswer, oc_ews_answer_free)

G_END_DECLS
