/* oc-ews-xml.h: small readers and writers over libxml2's tree, for EWS. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

#define OC_EWS_NS_SOAP     "http://schemas.xmlsoap.org/soap/envelope/"
#define OC_EWS_NS_MESSAGES "http://schemas.microsoft.com/exchange/services/2006/messages"
#define OC_EWS_NS_TYPES    "http://schemas.microsoft.com/exchange/services/2006/types"
#define OC_EWS_NS_ERRORS   "http://schemas.microsoft.com/exchange/services/2006/errors"

gboolean  oc_ews_xml_is          (const xmlNode *node,
                                  const char    *ns,
                                  const char    *name);
xmlNode  *oc_ews_xml_child       (const xmlNode *node,
                                  const char    *ns,
                                  const char    *name);
xmlNode  *oc_ews_xml_next        (const xmlNode *node,
                                  const char    *ns,
                                  const char    *name);
xmlNode  *oc_ews_xml_find        (const xmlNode *node,
                                  const char    *ns,
                                  const char    *name);
xmlNode  *oc_ews_xml_path        (const xmlNode *node,
                                  const char    *ns,
                                  ...) G_GNUC_NULL_TERMINATED;
char     *oc_ews_xml_text        (const xmlNode *node);
char     *oc_ews_xml_child_text  (const xmlNode *node,
                                  const char    *ns,
                                  const char    *name);
gboolean  oc_ews_xml_child_bool  (const xmlNode *node,
                                  const char    *ns,
                                  const char    *name);
char     *oc_ews_xml_attribute   (const xmlNode *node,
                                  const char    *name);

xmlNode  *oc_ews_xml_add         (xmlNode       *parent,
                                  const char    *prefix,
                                  const char    *name,
                                  const char    *text);
xmlNode  *oc_ews_xml_add_printf  (xmlNode       *parent,
                                  const char    *prefix,
                                  const char    *name,
                                  const char    *format,
                                  ...) G_GNUC_PRINTF (4, 5);
void      oc_ews_xml_set         (xmlNode       *node,
                                  const char    *name,
                                  const char    *value);

xmlDoc   *oc_ews_xml_read        (GBytes        *bytes,
                                  GError       **error);
GBytes   *oc_ews_xml_write       (xmlDoc        *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
