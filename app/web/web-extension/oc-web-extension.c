/* oc-web-extension.c: runs inside WebKit's web process.
 *
 * Relative links of a page shown as owacal-https://host/ stay in owacal's
 * scheme by themselves, but absolute http(s) URLs in the page (an image, a
 * script's fetch(), a form's action, a link) would go through WebKit's own
 * network stack: unauthenticated, with cookies of their own, and past
 * owacal. Every request the page makes passes WebKitWebPage::send-request
 * first, so this is where such URLs are moved into owacal's scheme too.
 * The mapping is the one of lib/http/oc-scheme-bridge.c, which this small module
 * does not link to keep libcurl out of the web process.
 */
#include "config.h"

#include <string.h>
#include <webkit2/webkit-web-extension.h>

static gboolean
send_request_cb (WebKitWebPage     *page,
                 WebKitURIRequest  *request,
                 WebKitURIResponse *redirected_response,
                 gpointer           user_data)
{
  const char *uri = webkit_uri_request_get_uri (request);

  if (g_ascii_strncasecmp (uri, "http:", 5) == 0 || g_ascii_strncasecmp (uri, "https:", 6) == 0)
    {
      g_autofree char *routed = g_strconcat ("owacal-", uri, NULL);
      webkit_uri_request_set_uri (request, routed);
    }
  /* FALSE: let the (now routed) request go on. */
  return FALSE;
}

static void
page_created_cb (WebKitWebExtension *extension,
                 WebKitWebPage      *page,
                 gpointer            user_data)
{
  g_signal_connect (page, "send-request", G_CALLBACK (send_request_cb), NULL);
}

G_MODULE_EXPORT void
webkit_web_extension_initialize (WebKitWebExtension *extension)
{
  g_signal_connect (extension, "page-created", G_CALLBACK (page_created_cb), NULL);
}
