/* oc-ews-autodiscover-xml.c: Autodiscover's questions and answers, POX and SOAP.
 *
 * POX ([MS-OXDSCLI]) is what every Exchange since 2007 answers at
 * /autodiscover/autodiscover.xml: the question names the address and the
 * schema owacal reads (Outlook's 2006a), the answer an Account with one
 * Protocol per way in (EXCH: inside the company, EXPR: Outlook Anywhere,
 * from outside), or an Action that sends the client elsewhere. SOAP
 * ([MS-OXWSADISC]) at /autodiscover/autodiscover.svc asks for named
 * settings; owacal uses it where POX is not served.
 *
 * Both are built and read with libxml2 (oc-ews-xml.c), by namespace and
 * local name: Exchange nests the 2006a namespace inside the 2006 one.
 */
#include "config.h"
#include "oc-ews-autodiscover-xml.h"

#include "oc-ews-error.h"
#include "oc-ews-soap.h"
#include "oc-ews-xml.h"

#define NS_ADDRESSING "http://www.w3.org/2005/08/addressing"
#define SOAP_ACTION "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings"

/* Whichever Exchange answers, 2010's Autodiscover schema is understood. */
#define SOAP_REQUESTED_VERSION "Exchange2010"

static OcEwsAutodiscoverAnswer *
answer_new (OcEwsAutodiscoverAction action)
{
  OcEwsAutodiscoverAnswer *answer = g_new0 (OcEwsAutodiscoverAnswer, 1);

  answer->action = action;
  return answer;
}

static char *
child_text_stripped (const xmlNode *node,
                     const char    *ns,
                     const char    *name)
{
  char *text = oc_ews_xml_child_text (node, ns, name);

  if (text != NULL)
    g_strstrip (text);
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* POX */

/* An Error element, in either namespace: Exchange uses the 2006 one for
 * errors about the request and the 2006a one for errors about the user. */
static GError *
pox_error (const xmlNode *error_node)
{
  g_autofree char *code = child_text_stripped (error_node, NULL, "ErrorCode");
  g_autofree char *message = child_text_stripped (error_node, NULL, "Message");

  return g_error_new (OC_EWS_ERROR, code && g_str_equal (code, "500") ? OC_EWS_ERROR_NO_MAILBOX : OC_EWS_ERROR_FAILED,
                      "Autodiscover answered error %s: %s", code ? code : "(no code)",
                      message ? message : "no reason given");
}

/* EXCH before EXPR: owacal runs on the company's desktops, inside. */
static char *
pox_ews_url (const xmlNode *account,
             char         **out_version)
{
  const char *const types[] = { "EXCH", "EXPR" };

  for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
    for (xmlNode *protocol = oc_ews_xml_child (account, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "Protocol"); protocol;
         protocol = oc_ews_xml_next (protocol, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "Protocol"))
      {
        g_autofree char *type = child_text_stripped (protocol, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "Type");
        g_autofree char *url = NULL;

        if (type == NULL || !g_str_equal (type, types[t]))
          continue;
        url = child_text_stripped (protocol, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "EwsUrl");
        if (url == NULL)
          continue;
        *out_version = child_text_stripped (protocol, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "ServerVersion");
        return g_steal_pointer (&url);
      }
  return NULL;
}

/**
 * oc_ews_autodiscover_build_pox:
 * @email: the address to ask about
 *
 * Returns: (transfer full): the POX request body
 */
GBytes *
oc_ews_autodiscover_build_pox (const char *email)
{
  g_autoptr (xmlDoc) doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewNode (NULL, (const xmlChar *) "Autodiscover");
  xmlNs *ns = xmlNewNs (root, (const xmlChar *) OC_EWS_NS_AUTODISCOVER_REQUEST, NULL);
  xmlNode *request;

  g_return_val_if_fail (email != NULL, NULL);
  xmlSetNs (root, ns);
  xmlDocSetRootElement (doc, root);
  request = oc_ews_xml_add (root, NULL, "Request", NULL);
  oc_ews_xml_add (request, NULL, "EMailAddress", email);
  oc_ews_xml_add (request, NULL, "AcceptableResponseSchema", OC_EWS_NS_AUTODISCOVER_OUTLOOK);
  return oc_ews_xml_write (doc);
}

/**
 * oc_ews_autodiscover_parse_pox:
 * @body: a POX answer
 * @error: return location for a #GError (%OC_EWS_ERROR)
 *
 * Returns: (transfer full) (nullable): what the answer says; %NULL with
 *   @error for an Error element or an answer that is no POX Autodiscover
 */
OcEwsAutodiscoverAnswer *
oc_ews_autodiscover_parse_pox (GBytes  *body,
                               GError **error)
{
  g_autoptr (xmlDoc) doc = oc_ews_xml_read (body, error);
  g_autoptr (OcEwsAutodiscoverAnswer) answer = NULL;
  xmlNode *root, *response, *account, *problem;
  g_autofree char *action = NULL;

  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (!oc_ews_xml_is (root, OC_EWS_NS_AUTODISCOVER_RESPONSE, "Autodiscover"))
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "The answer is no POX Autodiscover answer (its root is “%s”).", (const char *) root->name);
      return NULL;
    }
  response = oc_ews_xml_child (root, NULL, "Response");
  if ((problem = oc_ews_xml_child (response, NULL, "Error")) != NULL)
    {
      g_propagate_error (error, pox_error (problem));
      return NULL;
    }
  account = oc_ews_xml_child (response, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "Account");
  action = child_text_stripped (account, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "Action");
  if (action != NULL && g_ascii_strcasecmp (action, "redirectAddr") == 0)
    {
      answer = answer_new (OC_EWS_AUTODISCOVER_REDIRECT_ADDR);
      answer->redirect = child_text_stripped (account, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "RedirectAddr");
    }
  else if (action != NULL && g_ascii_strcasecmp (action, "redirectUrl") == 0)
    {
      answer = answer_new (OC_EWS_AUTODISCOVER_REDIRECT_URL);
      answer->redirect = child_text_stripped (account, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "RedirectUrl");
    }
  else if (action != NULL && g_ascii_strcasecmp (action, "settings") == 0)
    {
      g_autofree char *online = child_text_stripped (account, OC_EWS_NS_AUTODISCOVER_OUTLOOK, "MicrosoftOnline");

      answer = answer_new (OC_EWS_AUTODISCOVER_SETTINGS);
      answer->ews_url = pox_ews_url (account, &answer->server_version);
      answer->microsoft_online = online != NULL && g_ascii_strcasecmp (online, "true") == 0;
      if (answer->ews_url == NULL)
        {
          g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                       "Autodiscover answered without an Exchange Web Services address (no EwsUrl of EXCH or EXPR).");
          return NULL;
        }
      return g_steal_pointer (&answer);
    }
  else
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "The POX Autodiscover answer has no Action owacal knows (“%s”).", action ? action : "none");
      return NULL;
    }
  if (answer->redirect == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "Autodiscover answered %s without saying where to.", action);
      return NULL;
    }
  return g_steal_pointer (&answer);
}

/* SOAP */

/**
 * oc_ews_autodiscover_build_soap:
 * @email: the address to ask about
 * @url: where the request goes (its WS-Addressing To)
 *
 * Returns: (transfer full): a GetUserSettings request for the EWS addresses
 *   and the server's version
 */
GBytes *
oc_ews_autodiscover_build_soap (const char *email,
                                const char *url)
{
  g_autoptr (xmlDoc) doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *envelope = xmlNewNode (NULL, (const xmlChar *) "Envelope");
  xmlNs *soap = xmlNewNs (envelope, (const xmlChar *) OC_EWS_NS_SOAP, (const xmlChar *) "soap");
  xmlNs *a = xmlNewNs (envelope, (const xmlChar *) OC_EWS_NS_AUTODISCOVER_SOAP, (const xmlChar *) "a");
  xmlNs *wsa = xmlNewNs (envelope, (const xmlChar *) NS_ADDRESSING, (const xmlChar *) "wsa");
  const char *const settings[] = { "InternalEwsUrl", "ExternalEwsUrl", "CasVersion" };
  xmlNode *header, *body, *message, *request, *users, *user, *requested;

  g_return_val_if_fail (email != NULL && url != NULL, NULL);
  xmlSetNs (envelope, soap);
  xmlDocSetRootElement (doc, envelope);
  header = xmlNewChild (envelope, soap, (const xmlChar *) "Header", NULL);
  xmlNewTextChild (header, a, (const xmlChar *) "RequestedServerVersion", (const xmlChar *) SOAP_REQUESTED_VERSION);
  xmlNewTextChild (header, wsa, (const xmlChar *) "Action", (const xmlChar *) SOAP_ACTION);
  xmlNewTextChild (header, wsa, (const xmlChar *) "To", (const xmlChar *) url);
  body = xmlNewChild (envelope, soap, (const xmlChar *) "Body", NULL);
  message = xmlNewChild (body, a, (const xmlChar *) "GetUserSettingsRequestMessage", NULL);
  request = oc_ews_xml_add (message, "a", "Request", NULL);
  users = oc_ews_xml_add (request, "a", "Users", NULL);
  user = oc_ews_xml_add (users, "a", "User", NULL);
  oc_ews_xml_add (user, "a", "Mailbox", email);
  requested = oc_ews_xml_add (request, "a", "RequestedSettings", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    oc_ews_xml_add (requested, "a", "Setting", settings[i]);
  return oc_ews_xml_write (doc);
}

static char *
soap_setting (const xmlNode *user_response,
              const char    *name)
{
  xmlNode *settings = oc_ews_xml_child (user_response, OC_EWS_NS_AUTODISCOVER_SOAP, "UserSettings");

  for (xmlNode *setting = oc_ews_xml_child (settings, OC_EWS_NS_AUTODISCOVER_SOAP, "UserSetting"); setting;
       setting = oc_ews_xml_next (setting, OC_EWS_NS_AUTODISCOVER_SOAP, "UserSetting"))
    {
      g_autofree char *setting_name = child_text_stripped (setting, OC_EWS_NS_AUTODISCOVER_SOAP, "Name");

      if (setting_name != NULL && g_str_equal (setting_name, name))
        return child_text_stripped (setting, OC_EWS_NS_AUTODISCOVER_SOAP, "Value");
    }
  return NULL;
}

/* ErrorCode of the whole Response or of the one UserResponse. */
static gboolean
soap_check (const xmlNode           *node,
            OcEwsAutodiscoverAnswer **out_redirect,
            GError                  **error)
{
  g_autofree char *code = child_text_stripped (node, OC_EWS_NS_AUTODISCOVER_SOAP, "ErrorCode");
  g_autofree char *message = NULL;

  if (code == NULL || g_str_equal (code, "NoError"))
    return TRUE;
  if (g_str_equal (code, "RedirectAddress") || g_str_equal (code, "RedirectUrl"))
    {
      *out_redirect = answer_new (g_str_equal (code, "RedirectUrl") ? OC_EWS_AUTODISCOVER_REDIRECT_URL
                                                                     : OC_EWS_AUTODISCOVER_REDIRECT_ADDR);
      (*out_redirect)->redirect = child_text_stripped (node, OC_EWS_NS_AUTODISCOVER_SOAP, "RedirectTarget");
      if ((*out_redirect)->redirect != NULL)
        return FALSE;
      g_clear_pointer (out_redirect, oc_ews_autodiscover_answer_free);
    }
  message = child_text_stripped (node, OC_EWS_NS_AUTODISCOVER_SOAP, "ErrorMessage");
  g_set_error (error, OC_EWS_ERROR, g_str_equal (code, "InvalidUser") ? OC_EWS_ERROR_NO_MAILBOX : OC_EWS_ERROR_FAILED,
               "Autodiscover answered %s: %s", code, message ? message : "no reason given");
  return FALSE;
}

/**
 * oc_ews_autodiscover_parse_soap:
 * @body: a GetUserSettings answer (or a SOAP fault)
 * @error: return location for a #GError (%OC_EWS_ERROR)
 *
 * Returns: (transfer full) (nullable): the first user's settings or redirect
 */
OcEwsAutodiscoverAnswer *
oc_ews_autodiscover_parse_soap (GBytes  *body,
                                GError **error)
{
  g_autoptr (xmlDoc) doc = oc_ews_xml_read (body, error);
  g_autoptr (OcEwsAutodiscoverAnswer) answer = NULL;
  xmlNode *root, *soap_body, *fault, *response, *user;
  g_autofree char *internal = NULL;

  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  soap_body = oc_ews_xml_child (root, OC_EWS_NS_SOAP, "Body");
  if (!oc_ews_xml_is (root, OC_EWS_NS_SOAP, "Envelope") || soap_body == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML, "The answer is no SOAP Autodiscover answer.");
      return NULL;
    }
  if ((fault = oc_ews_xml_child (soap_body, OC_EWS_NS_SOAP, "Fault")) != NULL)
    {
      g_autofree char *text = child_text_stripped (fault, NULL, "faultstring");
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_FAILED, "Autodiscover answered with a SOAP fault: %s",
                   text ? text : "no reason given");
      return NULL;
    }
  response = oc_ews_xml_path (soap_body, OC_EWS_NS_AUTODISCOVER_SOAP, "GetUserSettingsResponseMessage", "Response",
                              NULL);
  user = oc_ews_xml_path (response, OC_EWS_NS_AUTODISCOVER_SOAP, "UserResponses", "UserResponse", NULL);
  if (response == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML, "The SOAP answer has no GetUserSettingsResponse.");
      return NULL;
    }
  if (!soap_check (response, &answer, error) || (user != NULL && !soap_check (user, &answer, error)))
    return g_steal_pointer (&answer);
  answer = answer_new (OC_EWS_AUTODISCOVER_SETTINGS);
  internal = soap_setting (user, "InternalEwsUrl");
  answer->ews_url = internal ? g_steal_pointer (&internal) : soap_setting (user, "ExternalEwsUrl");
  answer->server_version = soap_setting (user, "CasVersion");
  if (answer->ews_url == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_NOT_FOUND,
                   "Autodiscover answered without an Exchange Web Services address (no InternalEwsUrl or "
                   "ExternalEwsUrl).");
      return NULL;
    }
  return g_steal_pointer (&answer);
}

void
oc_ews_autodiscover_answer_free (OcEwsAutodiscoverAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->ews_url);
  g_free (answer->redirect);
  g_free (answer->server_version);
  g_free (answer);
}
