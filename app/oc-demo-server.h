/* oc-demo-server.h: the built-in demo calendar, an OWA look-alike on loopback. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OC_TYPE_DEMO_SERVER (oc_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (OcDemoServer, oc_demo_server, OC, DEMO_SERVER, GObject)

OcDemoServer *oc_demo_server_new              (void);
gboolean      oc_demo_server_start            (OcDemoServer  *self,
                                               GError       **error);
void          oc_demo_server_stop             (OcDemoServer  *self);
guint16       oc_demo_server_get_port         (OcDemoServer  *self);
char         *oc_demo_server_get_calendar_url (OcDemoServer  *self);

G_END_DECLS
