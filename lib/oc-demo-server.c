/* TEMPORARY STUB — replaced by the demo branch. */
#include "oc-demo-server.h"
struct _OcDemoServer { GObject parent; };
G_DEFINE_FINAL_TYPE (OcDemoServer, oc_demo_server, G_TYPE_OBJECT)
static void oc_demo_server_class_init (OcDemoServerClass *k) {}
static void oc_demo_server_init (OcDemoServer *s) {}
OcDemoServer *oc_demo_server_new (void) { return g_object_new (OC_TYPE_DEMO_SERVER, NULL); }
gboolean oc_demo_server_start (OcDemoServer *self, GError **error) { g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "stub"); return FALSE; }
void oc_demo_server_stop (OcDemoServer *self) {}
guint16 oc_demo_server_get_port (OcDemoServer *self) { return 0; }
char *oc_demo_server_get_calendar_url (OcDemoServer *self) { return NULL; }
