/* oc-ews-xml.c: small readers and writers over libxml2's tree, for EWS.
 *
 * Exchange's answers are read by walking the tree by namespace and local
 * name, never by prefix: servers (and Microsoft's own examples) bind the
 * same namespace to m:, t:, a default namespace or none at all.
 *
 * Answers are parsed without entity substitution and without network access
 * (no XML_PARSE_NOENT, XML_PARSE_NONET): a server, or whoever sits between,
 * cannot make owacal read local files or other hosts through the XML.
 */
#include "config.h"
#include "oc-ews-xml.h"

#include <string.h>
#include <libxml/parser.h>

#include "oc-ews-error.h"

/**
 * oc_ews_xml_is:
 * @node: (nullable): a node
 * @ns: (nullable): a namespace URI, or %NULL for any
 * @name: a local name
 *
 * Returns: whether @node is an element called @name in @ns
 */
gboolean
oc_ews_xml_is (const xmlNode *node,
               const char    *ns,
               const char    *name)
{
  if (node == NULL || node->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) node->name, name))
    return FALSE;
  if (ns == NULL)
    return TRUE;
  return node->ns != NULL && node->ns->href != NULL && g_str_equal ((const char *) node->ns->href, ns);
}

static xmlNode *
find_sibling (const xmlNode *node,
              const char    *ns,
              const char    *name)
{
  for (; node != NULL; node = node->next)
    if (oc_ews_xml_is (node, ns, name))
      return (xmlNode *) node;
  return NULL;
}

/**
 * oc_ews_xml_child:
 * @node: (nullable): an element
 * @ns: (nullable): a namespace URI, %NULL for any
 * @name: a local name
 *
 * Returns: (transfer none) (nullable): the first child element so called
 */
xmlNode *
oc_ews_xml_child (const xmlNode *node,
                  const char    *ns,
                  const char    *name)
{
  return node != NULL ? find_sibling (node->children, ns, name) : NULL;
}

/**
 * oc_ews_xml_next:
 * @node: (nullable): an element
 * @ns: (nullable): a namespace URI, %NULL for any
 * @name: a local name
 *
 * Returns: (transfer none) (nullable): the next sibling element so called,
 *   for loops over repeated elements
 */
xmlNode *
oc_ews_xml_next (const xmlNode *node,
                 const char    *ns,
                 const char    *name)
{
  return node != NULL ? find_sibling (node->next, ns, name) : NULL;
}

/**
 * oc_ews_xml_find:
 * @node: (nullable): an element
 * @ns: (nullable): a namespace URI, %NULL for any
 * @name: a local name
 *
 * Returns: (transfer none) (nullable): the first descendant element so
 *   called, depth first
 */
xmlNode *
oc_ews_xml_find (const xmlNode *node,
                 const char    *ns,
                 const char    *name)
{
  for (xmlNode *child = node != NULL ? node->children : NULL; child != NULL; child = child->next)
    {
      xmlNode *found;

      if (oc_ews_xml_is (child, ns, name))
        return child;
      if ((found = oc_ews_xml_find (child, ns, name)) != NULL)
        return found;
    }
  return NULL;
}

/**
 * oc_ews_xml_path:
 * @node: (nullable): an element
 * @ns: (nullable): the namespace of every step, %NULL for any
 * @...: local names of the children to step into, then %NULL
 *
 * Returns: (transfer none) (nullable): the element at the end of the path
 */
xmlNode *
oc_ews_xml_path (const xmlNode *node,
                 const char    *ns,
                 ...)
{
  va_list args;
  const char *name;

  va_start (args, ns);
  while (node != NULL && (name = va_arg (args, const char *)) != NULL)
    node = oc_ews_xml_child (node, ns, name);
  va_end (args);
  return (xmlNode *) node;
}

/**
 * oc_ews_xml_text:
 * @node: (nullable): an element
 *
 * Returns: (transfer full) (nullable): its text, whitespace around it
 *   removed; %NULL for no element
 */
char *
oc_ews_xml_text (const xmlNode *node)
{
  xmlChar *content;
  char *text;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  text = g_strstrip (g_strdup (content != NULL ? (const char *) content : ""));
  xmlFree (content);
  return text;
}

/**
 * oc_ews_xml_child_text:
 * @node: (nullable): an element
 * @ns: (nullable): a namespace URI, %NULL for any
 * @name: a child's local name
 *
 * Returns: (transfer full) (nullable): the child's text; %NULL when there
 *   is no such child or it is empty
 */
char *
oc_ews_xml_child_text (const xmlNode *node,
                       const char    *ns,
                       const char    *name)
{
  g_autofree char *text = oc_ews_xml_text (oc_ews_xml_child (node, ns, name));

  return text != NULL && *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/**
 * oc_ews_xml_child_bool:
 * @node: (nullable): an element
 * @ns: (nullable): a namespace URI, %NULL for any
 * @name: a child's local name
 *
 * Returns: whether the child says true (xs:boolean: "true" or "1")
 */
gboolean
oc_ews_xml_child_bool (const xmlNode *node,
                       const char    *ns,
                       const char    *name)
{
  g_autofree char *text = oc_ews_xml_child_text (node, ns, name);

  return text != NULL && (g_str_equal (text, "true") || g_str_equal (text, "1"));
}

/**
 * oc_ews_xml_attribute:
 * @node: (nullable): an element
 * @name: an attribute without namespace
 *
 * Returns: (transfer full) (nullable): its value
 */
char *
oc_ews_xml_attribute (const xmlNode *node,
                      const char    *name)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlGetNoNsProp (node, (const xmlChar *) name);
  copy = value != NULL ? g_strdup ((const char *) value) : NULL;
  xmlFree (value);
  return copy;
}

/**
 * oc_ews_xml_add:
 * @parent: an element
 * @prefix: (nullable): the prefix of a namespace declared on @parent or
 *   above ("m", "t"), %NULL for @parent's own namespace
 * @name: the new element's local name
 * @text: (nullable): its text, escaped by libxml2
 *
 * Returns: (transfer none): the new child
 */
xmlNode *
oc_ews_xml_add (xmlNode    *parent,
                const char *prefix,
                const char *name,
                const char *text)
{
  xmlNs *ns = prefix != NULL ? xmlSearchNs (parent->doc, parent, (const xmlChar *) prefix) : parent->ns;
  xmlNode *child;

  g_assert (prefix == NULL || ns != NULL);
  /* xmlNewTextChild escapes the text; xmlNewChild would take it as markup. */
  child = xmlNewTextChild (parent, ns, (const xmlChar *) name, (const xmlChar *) text);
  return child;
}

/**
 * oc_ews_xml_add_printf:
 * @parent: an element
 * @prefix: (nullable): as for oc_ews_xml_add()
 * @name: the new element's local name
 * @format: printf() format of its text
 * @...: the arguments
 *
 * Returns: (transfer none): the new child
 */
xmlNode *
oc_ews_xml_add_printf (xmlNode    *parent,
                       const char *prefix,
                       const char *name,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return oc_ews_xml_add (parent, prefix, name, text);
}

/**
 * oc_ews_xml_set:
 * @node: an element
 * @name: an attribute without namespace
 * @value: its value, escaped by libxml2
 */
void
oc_ews_xml_set (xmlNode    *node,
                const char *name,
                const char *value)
{
  xmlSetProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

/**
 * oc_ews_xml_read:
 * @bytes: a document as received
 * @error: return location for a #GError in %OC_EWS_ERROR (%OC_EWS_ERROR_BAD_XML)
 *
 * Returns: (transfer full) (nullable): the parsed document
 */
xmlDoc *
oc_ews_xml_read (GBytes  *bytes,
                 GError **error)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  xmlDoc *doc = NULL;
  const xmlError *problem;
  g_autofree char *reason = NULL;

  if (size > 0 && size <= G_MAXINT)
    doc = xmlReadMemory (data, (int) size, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc != NULL && xmlDocGetRootElement (doc) != NULL)
    return doc;

  problem = xmlGetLastError ();
  if (doc != NULL)
    reason = g_strdup ("it has no root element");
  else if (size == 0)
    reason = g_strdup ("it is empty");
  else if (problem != NULL && problem->message != NULL)
    {
      /* libxml2 quotes the answer's bytes as they were, UTF-8 or not. */
      g_autofree char *message = g_utf8_make_valid (problem->message, -1);
      reason = g_strstrip (g_strdup_printf ("line %d: %s", problem->line, message));
    }
  else
    reason = g_strdup ("libxml2 gave no reason");
  g_set_error (error, OC_EWS_ERROR, OC_EWS_ERROR_BAD_XML,
               "The server's answer is not XML that owacal can read (%s; %" G_GSIZE_FORMAT " bytes).",
               reason, size);
  g_clear_pointer (&doc, xmlFreeDoc);
  return NULL;
}

/**
 * oc_ews_xml_write:
 * @doc: a document
 *
 * Returns: (transfer full): @doc serialized as UTF-8 with an XML declaration
 */
GBytes *
oc_ews_xml_write (xmlDoc *doc)
{
  xmlChar *text = NULL;
  int size = 0;
  GBytes *bytes;

  xmlDocDumpMemoryEnc (doc, &text, &size, "UTF-8");
  bytes = g_bytes_new (text, size);
  xmlFree (text);
  return bytes;
}
