/* test-ews-schema.c: every kind of request lib/ews builds is valid against
 * Microsoft's EWS schema (tests/fixtures/ews-schema/, the files Exchange
 * serves at /EWS/), checked by xmllint. The body's operation and the
 * header's RequestServerVersion are each validated on their own, as the
 * schema declares them; broken requests must be refused, which shows the
 * check can fail.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libxml/tree.h>

#include "oc-ews-availability.h"
#include "oc-ews-calendar-view.h"
#include "oc-ews-soap.h"

#define START 1772323200   /* 2026-03-01T00:00:00Z */
#define DAY (24 * 3600)

static const char * const versions[] = { OC_EWS_REQUEST_VERSION, OC_EWS_REQUEST_VERSION_2010 };

/* Runs xmllint on @element alone; returns whether the schema accepts it. */
static gboolean
validates (xmlNode *element)
{
  g_autofree char *schema = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ews-schema",
                                              "messages.xsd", NULL);
  g_autofree char *dir = g_dir_make_tmp ("ews-schema-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "element.xml", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (xmlDoc) doc = xmlNewDoc ((const xmlChar *) "1.0");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "xmllint", "--noout", "--nonet", "--schema", schema, path, NULL };
  int status = -1;

  /* The copy declares the namespaces the envelope declared. */
  xmlDocSetRootElement (doc, xmlDocCopyNode (element, doc, 1));
  bytes = oc_ews_xml_write (doc);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                               &error));
  g_assert_no_error (error);
  g_test_message ("xmllint on <%s>: %s", (const char *) element->name, err);
  g_unlink (path);
  g_rmdir (dir);
  return g_spawn_check_wait_status (status, NULL);
}

static xmlDoc *
read_request (GBytes *request)
{
  g_autoptr (GError) error = NULL;
  xmlDoc *doc = oc_ews_xml_read (request, &error);

  g_assert_no_error (error);
  return doc;
}

static xmlNode *
operation_of (xmlDoc *doc)
{
  xmlNode *body = oc_ews_xml_child (xmlDocGetRootElement (doc), OC_EWS_NS_SOAP, "Body");

  for (xmlNode *child = body->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      return child;
  g_assert_not_reached ();
}

/* The whole request: envelope shape, header and operation. */
static void
assert_request_valid (GBytes     *request,
                      const char *operation,
                      const char *version)
{
  g_autoptr (xmlDoc) doc = read_request (request);
  xmlNode *envelope = xmlDocGetRootElement (doc);
  xmlNode *header = oc_ews_xml_child (envelope, OC_EWS_NS_SOAP, "Header");
  xmlNode *server_version = oc_ews_xml_child (header, OC_EWS_NS_TYPES, "RequestServerVersion");
  g_autofree char *version_sent = oc_ews_xml_attribute (server_version, "Version");

  g_assert_true (oc_ews_xml_is (envelope, OC_EWS_NS_SOAP, "Envelope"));
  g_assert_cmpstr (version_sent, ==, version);
  g_assert_true (oc_ews_xml_is (operation_of (doc), OC_EWS_NS_MESSAGES, operation));
  g_assert_true (validates (server_version));
  g_assert_true (validates (operation_of (doc)));
}

static void
test_availability (void)
{
  static const char * const one[] = { "alice@example.test", NULL };
  static const char * const three[] = { "alice@example.test", "bob@example.test", "carol@example.test", NULL };
  OcEwsFreeBusyView views[] = { OC_EWS_VIEW_DETAILED, OC_EWS_VIEW_DETAILED_MERGED, OC_EWS_VIEW_FREE_BUSY,
                                OC_EWS_VIEW_FREE_BUSY_MERGED };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    for (guint w = 0; w < G_N_ELEMENTS (views); w++)
      {
        g_autoptr (GBytes) request = oc_ews_availability_build_request (versions[v], w % 2 ? three : one, START,
                                                                        START + 42 * DAY, views[w]);

        assert_request_valid (request, "GetUserAvailabilityRequest", versions[v]);
      }
}

static void
test_availability_hundred (void)
{
  g_autoptr (GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) request = NULL;

  for (guint i = 0; i < OC_EWS_AVAILABILITY_MAX_MAILBOXES; i++)
    g_ptr_array_add (emails, g_strdup_printf ("person%u@example.test", i));
  g_ptr_array_add (emails, NULL);
  request = oc_ews_availability_build_request (OC_EWS_REQUEST_VERSION, (const char * const *) emails->pdata,
                                               START, START + DAY, OC_EWS_VIEW_DETAILED);
  assert_request_valid (request, "GetUserAvailabilityRequest", OC_EWS_REQUEST_VERSION);
}

static void
test_calendar_view (void)
{
  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr (GBytes) request = oc_ews_calendar_view_build_request (versions[v], "bob@example.test", START,
                                                                       START + 7 * DAY, 1000);

      assert_request_valid (request, "FindItem", versions[v]);
    }
}

static void
test_get_item (void)
{
  /* Ids are opaque base64 from the server, with characters XML must escape. */
  static const char id[] = "AAMkAGI2TG93AAA=&<\"quoted\">";

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr (GBytes) request = oc_ews_item_build_request (versions[v], id);
      g_autoptr (xmlDoc) doc = read_request (request);
      xmlNode *item_id = oc_ews_xml_path (operation_of (doc), NULL, "ItemIds", "ItemId", NULL);
      g_autofree char *sent = oc_ews_xml_attribute (item_id, "Id");

      g_assert_cmpstr (sent, ==, id);
      assert_request_valid (request, "GetItem", versions[v]);
    }
}

/* The check itself: requests broken the ways a builder could break them. */
static void
test_broken_requests_refused (void)
{
  static const char * const one[] = { "alice@example.test", NULL };
  g_autoptr (GBytes) availability = oc_ews_availability_build_request (OC_EWS_REQUEST_VERSION, one, START,
                                                                       START + DAY, OC_EWS_VIEW_DETAILED);
  g_autoptr (GBytes) calendar = oc_ews_calendar_view_build_request (OC_EWS_REQUEST_VERSION, "bob@example.test",
                                                                    START, START + DAY, 10);
  g_autoptr (xmlDoc) doc = NULL;
  xmlNode *node;

  /* A time zone without DaylightTime (the schema requires both transitions). */
  doc = read_request (availability);
  node = oc_ews_xml_path (operation_of (doc), OC_EWS_NS_TYPES, "TimeZone", "DaylightTime", NULL);
  g_assert_nonnull (node);
  xmlUnlinkNode (node);
  xmlFreeNode (node);
  g_assert_false (validates (operation_of (doc)));
  g_clear_pointer (&doc, xmlFreeDoc);

  /* A view the schema does not know. */
  doc = read_request (availability);
  node = oc_ews_xml_path (operation_of (doc), OC_EWS_NS_TYPES, "FreeBusyViewOptions", "RequestedView", NULL);
  xmlNodeSetContent (node, (const xmlChar *) "Everything");
  g_assert_false (validates (operation_of (doc)));
  g_clear_pointer (&doc, xmlFreeDoc);

  /* The CalendarView after ParentFolderIds: the wrong order. */
  doc = read_request (calendar);
  node = oc_ews_xml_child (operation_of (doc), OC_EWS_NS_MESSAGES, "CalendarView");
  xmlUnlinkNode (node);
  xmlAddChild (operation_of (doc), node);
  g_assert_false (validates (operation_of (doc)));
  g_clear_pointer (&doc, xmlFreeDoc);

  /* A CalendarView without its required EndDate. */
  doc = read_request (calendar);
  node = oc_ews_xml_child (operation_of (doc), OC_EWS_NS_MESSAGES, "CalendarView");
  xmlUnsetProp (node, (const xmlChar *) "EndDate");
  g_assert_false (validates (operation_of (doc)));
  g_clear_pointer (&doc, xmlFreeDoc);

  /* A request version the schema does not list. */
  doc = read_request (calendar);
  node = oc_ews_xml_path (xmlDocGetRootElement (doc), NULL, "Header", "RequestServerVersion", NULL);
  oc_ews_xml_set (node, "Version", "Exchange2099");
  g_assert_false (validates (node));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (g_getenv ("OWACAL_SOURCE_ROOT") == NULL)
    g_error ("OWACAL_SOURCE_ROOT is not set: run this test through meson");

  g_test_add_func ("/oc/ews-schema/availability", test_availability);
  g_test_add_func ("/oc/ews-schema/availability-hundred", test_availability_hundred);
  g_test_add_func ("/oc/ews-schema/calendar-view", test_calendar_view);
  g_test_add_func ("/oc/ews-schema/get-item", test_get_item);
  g_test_add_func ("/oc/ews-schema/broken-requests-refused", test_broken_requests_refused);
  return g_test_run ();
}
