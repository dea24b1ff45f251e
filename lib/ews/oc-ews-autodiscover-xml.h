/* oc-ews-autodiscover-xml.h: Autodiscover's questions and answers, POX and SOAP. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OC_EWS_NS_AUTODISCOVER_REQUEST  "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
#define OC_EWS_NS_AUTODISCOVER_RESPONSE "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define OC_EWS_NS_AUTODISCOVER_OUTLOOK  "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define OC_EWS_NS_AUTODISCOVER_SOAP     "http://schemas.microsoft.com/exchange/2010/Autodiscover"

typedef enum {
  OC_EWS_AUTODISCOVER_SETTINGS,        /* the answer names the EWS server */
  OC_EWS_AUTODISCOVER_REDIRECT_ADDR,   /* ask again for another address (and its domain) */
  OC_EWS_AUTODISCOVER_REDIRECT_URL,    /* ask the same question at another URL */
} OcEwsAutodiscoverAction;

typedef struct {
  OcEwsAutodiscoverAction action;
  char *ews_url;             /* SETTINGS: EXCH's (internal) EwsUrl, else EXPR's (external) */
  char *redirect;            /* REDIRECT_*: the address or the URL */
  char *server_version;      /* nullable: POX ServerVersion (hex) or SOAP CasVersion */
  gboolean microsoft_online; /* POX MicrosoftOnline: the mailbox is in Exchange Online */
} OcEwsAutodiscoverAnswer;

GBytes                  *oc_ews_autodiscover_build_pox   (const char   *email);
GBytes                  *oc_ews_autodiscover_build_soap  (const char   *email,
                                                          const char   *url);
OcEwsAutodiscoverAnswer *oc_ews_autodiscover_parse_pox   (GBytes       *body,
                                                          GError      **error);
OcEwsAutodiscoverAnswer *oc_ews_autodiscover_parse_soap  (GBytes       *body,
                                                          GError      **error);
void                     oc_ews_autodiscover_answer_free (OcEwsAutodiscoverAnswer *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcEwsAutodiscoverAnswer, oc_ews_autodiscover_answer_free)

G_END_DECLS
