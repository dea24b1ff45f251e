/* oc-web-context.c: the one WebKit context behind every tab and snapshot.
 *
 * The context is ephemeral: owacal keeps no web cookies, cache or storage on
 * disk, and WebKit's own network stack does no Negotiate by itself in an
 * ephemeral context, so the only way a page reaches a server is owacal's
 * libcurl client. The web extension routes the page's absolute http(s) URLs
 * into owacal's scheme; the page bridge script answers document.cookie.
 */
#include "config.h"
#include "oc-web-context.h"

#include <string.h>

#include "oc-http-client.h"

#define SETTINGS_KEY "oc-settings"
#define CONTENT_MANAGER_KEY "oc-user-content-manager"

static const char *
find_web_extensions_directory (void)
{
  static char *directory;
  g_autofree char *exe = NULL;

  if (directory != NULL)
    return directory;
  /* Run from the build tree (tests, benchmarks), use the freshly built module. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (g_getenv ("OWACAL_WEB_EXTENSIONS_DIR") != NULL)
    directory = g_strdup (g_getenv ("OWACAL_WEB_EXTENSIONS_DIR"));
  else if (exe != NULL && g_str_has_prefix (exe, OC_BUILD_ROOT "/"))
    directory = g_strdup (OC_BUILD_WEB_EXTENSIONS_DIR);
  else
    directory = g_strdup (OC_WEB_EXTENSIONS_DIR);
  return directory;
}

static WebKitUserContentManager *
create_user_content_manager (void)
{
  WebKitUserContentManager *manager = webkit_user_content_manager_new ();
  g_autoptr (GBytes) source = NULL;
  g_autoptr (WebKitUserScript) script = NULL;

  source = g_resources_lookup_data ("/io/github/owacal/Owacal/page-bridge.js",
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (source != NULL);
  script = webkit_user_script_new (g_bytes_get_data (source, NULL),
                                   WEBKIT_USER_CONTENT_INJECT_ALL_FRAMES,
                                   WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START, NULL, NULL);
  webkit_user_content_manager_add_script (manager, script);
  return manager;
}

static WebKitSettings *
create_settings (OcSchemeHandler *handler)
{
  WebKitSettings *settings = webkit_settings_new ();
  OcHttpClient *client = oc_scheme_handler_get_client (handler);

  /* The page's scripts must see the browser the server was told about:
   * OWA picks its premium or light version by the User-Agent. */
  webkit_settings_set_user_agent (settings, oc_http_client_get_user_agent (client));
  webkit_settings_set_enable_developer_extras (settings, g_getenv ("OWACAL_DEBUG") != NULL);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, TRUE);
  return settings;
}

/**
 * oc_web_context_new:
 * @handler: answers the context's owacal-http(s) loads
 *
 * Returns: (transfer full): a new context
 */
WebKitWebContext *
oc_web_context_new (OcSchemeHandler *handler)
{
  WebKitWebContext *context = webkit_web_context_new_ephemeral ();

  webkit_web_context_set_web_extensions_directory (context, find_web_extensions_directory ());
  webkit_web_context_set_cache_model (context, WEBKIT_CACHE_MODEL_WEB_BROWSER);
  oc_scheme_handler_register (handler, context);
  g_object_set_data_full (G_OBJECT (context), SETTINGS_KEY, create_settings (handler), g_object_unref);
  g_object_set_data_full (G_OBJECT (context), CONTENT_MANAGER_KEY, create_user_content_manager (),
                          g_object_unref);
  return context;
}

/**
 * oc_web_context_create_view:
 * @context: a context made by oc_web_context_new()
 * @related: (nullable): a view whose web process the new one may share
 *
 * Returns: (transfer floating): a new web view
 */
WebKitWebView *
oc_web_context_create_view (WebKitWebContext *context,
                            WebKitWebView    *related)
{
  if (related != NULL)
    return WEBKIT_WEB_VIEW (g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                          "related-view", related,
                                          "settings", g_object_get_data (G_OBJECT (context), SETTINGS_KEY),
                                          "user-content-manager",
                                          g_object_get_data (G_OBJECT (context), CONTENT_MANAGER_KEY),
                                          NULL));
  return WEBKIT_WEB_VIEW (g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                        "web-context", context,
                                        "settings", g_object_get_data (G_OBJECT (context), SETTINGS_KEY),
                                        "user-content-manager",
                                        g_object_get_data (G_OBJECT (context), CONTENT_MANAGER_KEY),
                                        NULL));
}
