/* oc-ews-soap.c: the SOAP envelope of EWS requests, and what answers say in theirs.
 *
 * A request is a SOAP 1.1 envelope whose header names the schema version
 * (RequestServerVersion) and whose body holds one operation in the messages
 * namespace (m:) with its parts in the types namespace (t:). Both prefixes are
 * declared on the envelope, as Exchange's own clients do, so every builder can
 * add m: and t: elements anywhere below it.
 *
 * An answer is either the operation's …Response (HTTP 200, with a
 * ResponseClass per item) or a SOAP fault (HTTP 500) whose detail carries the
 * ResponseCode; both come back with ServerVersionInfo in the header.
 */
#include "config.h"
#include "oc-ews-soap.h"

#include <string.h>

/**
 * oc_ews_soap_new_request:
 * @request_version: %OC_EWS_REQUEST_VERSION or %OC_EWS_REQUEST_VERSION_2010
 * @operation: the operation's element name in the messages namespace ("FindItem")
 * @out_operation: (out) (transfer none): that element, to fill
 *
 * Returns: (transfer full): a SOAP envelope with the version header and the
 *   empty operation in its body
 */
xmlDoc *
oc_ews_soap_new_request (const char  *request_version,
                         const char  *operation,
                         xmlNode    **out_operation)
{
  xmlDoc *doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *envelope = xmlNewNode (NULL, (const xmlChar *) "Envelope");
  xmlNs *soap = xmlNewNs (envelope, (const xmlChar *) OC_EWS_NS_SOAP, (const xmlChar *) "soap");
  xmlNs *m = xmlNewNs (envelope, (const xmlChar *) OC_EWS_NS_MESSAGES, (const xmlChar *) "m");
  xmlNs *t = xmlNewNs (envelope, (const xmlChar *) OC_EWS_NS_TYPES, (const xmlChar *) "t");
  xmlNode *header;
  xmlNode *version;
  xmlNode *body;

  xmlSetNs (envelope, soap);
  xmlDocSetRootElement (doc, envelope);
  header = xmlNewChild (envelope, soap, (const xmlChar *) "Header", NULL);
  version = xmlNewChild (header, t, (const xmlChar *) "RequestServerVersion", NULL);
  oc_ews_xml_set (version, "Version", request_version);
  body = xmlNewChild (envelope, soap, (const xmlChar *) "Body", NULL);
  *out_operation = xmlNewChild (body, m, (const xmlChar *) operation, NULL);
  return doc;
}

/**
 * oc_ews_server_version_from_numbers:
 * @major: ServerVersionInfo's MajorVersion
 * @minor: its MinorVersion
 *
 * Returns: the Exchange product of that version
 */
OcEwsServerVersion
oc_ews_server_version_from_numbers (int major,
                                    int minor)
{
  if (major == 8)
    return OC_EWS_SERVER_2007;
  if (major == 14)
    return OC_EWS_SERVER_2010;
  if (major == 15)
    return minor <= 0 ? OC_EWS_SERVER_2013 : minor == 1 ? OC_EWS_SERVER_2016 : OC_EWS_SERVER_2019;
  /* Exchange Online answers 15.20 and above; anything newer speaks 2019's schema. */
  if (major > 15)
    return OC_EWS_SERVER_2019;
  return OC_EWS_SERVER_UNKNOWN;
}

const char *
oc_ews_server_version_to_string (OcEwsServerVersion version)
{
  switch (version)
    {
    case OC_EWS_SERVER_2007:
      return "Exchange 2007";
    case OC_EWS_SERVER_2010:
      return "Exchange 2010";
    case OC_EWS_SERVER_2013:
      return "Exchange 2013";
    case OC_EWS_SERVER_2016:
      return "Exchange 2016";
    case OC_EWS_SERVER_2019:
      return "Exchange 2019 or Subscription Edition";
    case OC_EWS_SERVER_UNKNOWN:
    default:
      return "an Exchange of unknown version";
    }
}

static guint
read_back_off (const xmlNode *message_xml)
{
  for (xmlNode *value = oc_ews_xml_child (message_xml, OC_EWS_NS_TYPES, "Value"); value != NULL;
       value = oc_ews_xml_next (value, OC_EWS_NS_TYPES, "Value"))
    {
      g_autofree char *name = oc_ews_xml_attribute (value, "Name");
      g_autofree char *text = oc_ews_xml_text (value);

      if (g_strcmp0 (name, "BackOffMilliseconds") == 0)
        return (guint) MIN (g_ascii_strtoull (text, NULL, 10), G_MAXUINT);
    }
  return 0;
}

/**
 * oc_ews_error_from_message_xml:
 * @response_code: an EWS ResponseCode
 * @mailbox: (nullable): whose mailbox the request was about
 * @text: (nullable): the server's words (MessageText, faultstring)
 * @message_xml: (nullable): the MessageXml element, which holds
 *   BackOffMilliseconds for ErrorServerBusy
 *
 * Returns: (transfer full): the error in %OC_EWS_ERROR
 */
GError *
oc_ews_error_from_message_xml (const char    *response_code,
                               const char    *mailbox,
                               const char    *text,
                               const xmlNode *message_xml)
{
  return oc_ews_error_new_from_code (response_code, mailbox, text, read_back_off (message_xml));
}

/**
 * oc_ews_response_message_check:
 * @message: a …ResponseMessage (or ResponseMessage) element
 * @mailbox: (nullable): whose mailbox it is about, for the error's words
 * @error: return location for a #GError in %OC_EWS_ERROR
 *
 * Success and Warning pass (a warning comes with a usable answer); Error
 * becomes a #GError from its ResponseCode.
 *
 * Returns: whether the message carries an answer
 */
gboolean
oc_ews_response_message_check (const xmlNode  *message,
                               const char     *mailbox,
                               GError        **error)
{
  g_autofree char *response_class = oc_ews_xml_attribute (message, "ResponseClass");
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (response_class == NULL || !g_str_equal (response_class, "Error"))
    return TRUE;
  code = oc_ews_xml_child_text (message, OC_EWS_NS_MESSAGES, "ResponseCode");
  text = oc_ews_xml_child_text (message, OC_EWS_NS_MESSAGES, "MessageText");
  g_propagate_error (error, oc_ews_error_from_message_xml (code != NULL ? code : "ErrorUnknown", mailbox, text,
                                                           oc_ews_xml_child (message, OC_EWS_NS_MESSAGES,
                                                                             "MessageXml")));
  return FALSE;
}

/* A fault's faultcode is a QName: "a:ErrorSchemaValidation" or "soap:Client". */
static GError *
read_fault (const xmlNode *fault)
{
  const xmlNode *detail = oc_ews_xml_child (fault, NULL, "detail");
  g_autofree char *code = oc_ews_xml_child_text (detail, OC_EWS_NS_ERRORS, "ResponseCode");
  g_autofree char *text = oc_ews_xml_child_text (detail, OC_EWS_NS_ERRORS, "Message");
  g_autofree char *faultcode = oc_ews_xml_child_text (fault, NULL, "faultcode");
  g_autofree char *faultstring = oc_ews_xml_child_text (fault, NULL, "faultstring");
  const char *local;

  if (code == NULL && faultcode != NULL)
    {
      local = strchr (faultcode, ':') != NULL ? strchr (faultcode, ':') + 1 : faultcode;
      code = g_strdup (local);
    }
  if (code == NULL || !g_str_has_prefix (code, "Error"))
    return g_error_new (OC_EWS_ERROR, OC_EWS_ERROR_FAILED,
                        "Exchange refused the request (%s%s%s).", code != NULL ? code : "SOAP fault",
                        faultstring != NULL ? ": " : "", faultstring != NULL ? faultstring : "");
  return oc_ews_error_from_message_xml (code, NULL, text != NULL ? text : faultstring,
                                        oc_ews_xml_child (detail, OC_EWS_NS_TYPES, "MessageXml"));
}

static void
read_server_version (OcEwsAnswer   *answer,
                     const xmlNode *header)
{
  const xmlNode *info = oc_ews_xml_child (header, OC_EWS_NS_TYPES, "ServerVersionInfo");
  g_autofree char *major = oc_ews_xml_attribute (info, "MajorVersion");
  g_autofree char *minor = oc_ews_xml_attribute (info, "MinorVersion");

  answer->major_version = major != NULL ? (int) g_ascii_strtoll (major, NULL, 10) : -1;
  answer->minor_version = minor != NULL ? (int) g_ascii_strtoll (minor, NULL, 10) : -1;
  answer->server_version = oc_ews_server_version_from_numbers (answer->major_version, answer->minor_version);
}

/**
 * oc_ews_answer_parse:
 * @body: the HTTP body of an answer (200, or 500 for a fault)
 * @operation: (nullable): the element expected in the SOAP body
 *   ("FindItemResponse"); %NULL takes any
 * @error: return location for a #GError in %OC_EWS_ERROR
 *
 * Returns: (transfer full) (nullable): the answer; %NULL for a SOAP fault
 *   (the error carries its ResponseCode) or for anything that is not SOAP
 */
OcEwsAnswer *
oc_ews_answer_parse (GBytes      *body,
                     const char  *operation,
                     GError     **error)
{
  g_autoptr (OcEwsAnswer) answer = g_new0 (OcEwsAnswer, 1);
  xmlNode *envelope;
  xmlNode *soap_body;
  xmlNode *child;

  answer->doc = oc_ews_xml_read (body, error);
  if (answer->doc == NULL)
    return NULL;
  envelope = xmlDocGetRootElement (answer->doc);
  soap_body = oc_ews_xml_child (envelope, OC_EWS_NS_SOAP, "Body");
  if (!oc_ews_xml_is (envelope, OC_EWS_NS_SOAP, "Envelope") || soap_body == NULL)
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "The server's answer is XML but no SOAP envelope (its root is <%s>): the address "
                   "may not be an Exchange Web Services one.", (const char *) envelope->name);
      return NULL;
    }
  read_server_version (answer, oc_ews_xml_child (envelope, OC_EWS_NS_SOAP, "Header"));

  for (child = soap_body->children; child != NULL && child->type != XML_ELEMENT_NODE; child = child->next)
    ;
  if (oc_ews_xml_is (child, OC_EWS_NS_SOAP, "Fault"))
    {
      g_propagate_error (error, read_fault (child));
      return NULL;
    }
  if (child == NULL || (operation != NULL && !oc_ews_xml_is (child, OC_EWS_NS_MESSAGES, operation)))
    {
      g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
                   "The server answered <%s> where Exchange answers <%s>.",
                   child != NULL ? (const char *) child->name : "nothing",
                   operation != NULL ? operation : "an operation's answer");
      return NULL;
    }
  answer->operation = child;
  return g_steal_pointer (&answer);
}

void
oc_ews_answer_free (OcEwsAnswer *answer)
{
  if (answer == NULL)
    return;
  g_clear_pointer (&answer->doc, xmlFreeDoc);
  g_free (answer);
}
