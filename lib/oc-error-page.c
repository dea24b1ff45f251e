/* oc-error-page.c: a failure, told in plain words as a page in the window.
 *
 * A blank view tells the user nothing, so every failed page load shows this
 * page instead: what happened, what to do about it, and the technical details
 * folded away for the help desk. Error messages in owacal put the plain
 * sentence on the first line and the technical details after a newline.
 */
#include "config.h"
#include "oc-error-page.h"

#include <string.h>

#include "oc-graph-error.h"
#include "oc-http-error.h"
#include "oc-resolver.h"
#include "oc-ews-error.h"
#include "oc-target.h"

typedef struct {
  int code;
  const char *slug;
  const char *title;
  const char *advice;
} ErrorKind;

static const ErrorKind http_kinds[] = {
  { OC_HTTP_ERROR_HOST_NOT_FOUND, "host-not-found", "Server Not Found",
    "Check the address for typos. If you work from home, connect to your company’s VPN first." },
  { OC_HTTP_ERROR_CONNECTION_REFUSED, "connection-refused", "Could Not Connect",
    "The server may be down for maintenance. Try again in a few minutes." },
  { OC_HTTP_ERROR_TIMEOUT, "timeout", "The Server Did Not Answer",
    "Check your network connection, then try again." },
  { OC_HTTP_ERROR_TLS, "tls", "Connection Not Trusted",
    "Do not continue if you did not expect this. Ask your administrator which certificate "
    "authority your company uses." },
  { OC_HTTP_ERROR_AUTH_FAILED, "auth-failed", "Sign-In Failed",
    "Renew your Kerberos ticket with “kinit”, or give your Windows user name and password." },
  { OC_HTTP_ERROR_FORBIDDEN, "forbidden", "Access Denied",
    "Ask the calendar’s owner to share it with you (Reviewer rights are enough)." },
  { OC_HTTP_ERROR_NOT_FOUND, "not-found", "Calendar Not Found",
    "Check the calendar address, or look the person up again by e-mail address." },
  { OC_HTTP_ERROR_SERVER, "server-error", "Server Error",
    "This is a problem on the server, not on your computer. Try again later." },
  { OC_HTTP_ERROR_PROXY, "proxy", "Proxy Problem",
    "Check the proxy settings of your desktop (Settings → Network → Network Proxy)." },
  { OC_HTTP_ERROR_OWA_REFUSED, "owa-refused", "Outlook Web Access Could Not Show This Calendar",
    "Exchange 2016 and later have no calendar web parts. Ask your administrator for the address of "
    "Exchange Web Services and set it in Preferences (or start owacal with --ews-url): owacal then "
    "reads the calendar directly, with what its owner shares with you." },
};

static const ErrorKind ews_kinds[] = {
  { OC_EWS_ERROR_NO_MAILBOX, "unknown-mailbox", "No Such Mailbox",
    "Check the e-mail address: Exchange knows no mailbox by that name." },
  { OC_EWS_ERROR_ACCESS_DENIED, "not-shared", "Calendar Not Shared",
    "Ask the calendar’s owner to share it with you: free/busy, or Reviewer to see what is in it." },
  { OC_EWS_ERROR_FOLDER_NOT_FOUND, "not-shared", "Calendar Not Shared",
    "Ask the calendar’s owner to share it with you: free/busy, or Reviewer to see what is in it." },
  { OC_EWS_ERROR_DISABLED, "ews-disabled", "Exchange Web Services Switched Off",
    "Your administrator has switched Exchange Web Services off for you or for the server. Ask them to "
    "allow it for owacal." },
  { OC_EWS_ERROR_EXTENDED_PROTECTION, "extended-protection", "Sign-In Refused",
    "The server wants Kerberos (Extended Protection refuses NTLM here). Sign in to your desktop with your "
    "Windows account, or run “kinit”, then try again." },
  { OC_EWS_ERROR_NOT_FOUND, "no-exchange", "Exchange Not Found",
    "Ask your administrator for the address of Exchange Web Services and set it in Preferences (or start "
    "owacal with --ews-url)." },
  { OC_EWS_ERROR_SERVER_BUSY, "server-busy", "Exchange Is Busy",
    "Exchange asked owacal to wait and try later. Try again in a few minutes." },
};

static const ErrorKind resolver_kinds[] = {
  { OC_RESOLVER_ERROR_NOT_FOUND, "no-calendar-address", "No Calendar Found",
    "Check the e-mail address. If it is right, ask the person for their calendar’s address, or ask "
    "your administrator to fill in Custom1 (extensionAttribute1) in the directory." },
  { OC_RESOLVER_ERROR_BAD_SETTINGS, "lookup-settings", "Lookup Settings Not Valid",
    "Check owacal’s settings for looking up e-mail addresses." },
};

/* Microsoft 365: the message says what an administrator has to do; the
 * advice says who to ask. */
static const ErrorKind graph_kinds[] = {
  { OC_GRAPH_ERROR_SIGN_IN_REQUIRED, "microsoft365-sign-in", "Sign In to Microsoft 365",
    "Reload the page to sign in." },
  { OC_GRAPH_ERROR_DECLINED, "microsoft365-declined", "Not Signed In to Microsoft 365",
    "Reload the page to sign in." },
  { OC_GRAPH_ERROR_CODE_EXPIRED, "microsoft365-code-expired", "The Sign-In Code Expired",
    "Run the command again and enter the new code within 15 minutes." },
  { OC_GRAPH_ERROR_UNKNOWN_CLIENT, "microsoft365-unknown-client", "owacal Is Not Registered",
    "Give this page to your Microsoft 365 administrator." },
  { OC_GRAPH_ERROR_CONSENT_REQUIRED, "microsoft365-consent", "owacal Is Not Allowed Yet",
    "Give this page to your Microsoft 365 administrator." },
  { OC_GRAPH_ERROR_USER_NOT_ALLOWED, "microsoft365-user-not-allowed", "Your Account May Not Use owacal",
    "Give this page to your Microsoft 365 administrator." },
  { OC_GRAPH_ERROR_CONDITIONAL_ACCESS, "microsoft365-conditional-access", "Blocked by Your Organisation’s Policy",
    "Give this page to your Microsoft 365 administrator." },
  { OC_GRAPH_ERROR_SIGN_IN_FAILED, "microsoft365-sign-in-failed", "Microsoft 365 Refused the Sign-In",
    "Try again; if it fails again, give this page to your administrator." },
  { OC_GRAPH_ERROR_ACCESS_DENIED, "microsoft365-access-denied", "Calendar Not Shared",
    "Ask the colleague to share their calendar with you in Outlook." },
  { OC_GRAPH_ERROR_NOT_FOUND, "microsoft365-not-found", "Nobody Has This Address",
    "Check the e-mail address." },
  { OC_GRAPH_ERROR_THROTTLED, "microsoft365-throttled", "Microsoft 365 Is Busy",
    "Try again in a few minutes." },
  { OC_GRAPH_ERROR_OFFLINE, "microsoft365-offline", "Microsoft 365 Cannot Be Reached",
    "Check your network connection, then try again." },
};

static const ErrorKind *
find_kind (const GError *error)
{
  if (error != NULL && error->domain == OC_GRAPH_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (graph_kinds); i++)
      if (graph_kinds[i].code == error->code)
        return &graph_kinds[i];
  if (error != NULL && error->domain == OC_HTTP_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (http_kinds); i++)
      if (http_kinds[i].code == error->code)
        return &http_kinds[i];
  if (error != NULL && error->domain == OC_EWS_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (ews_kinds); i++)
      if (ews_kinds[i].code == error->code)
        return &ews_kinds[i];
  if (error != NULL && error->domain == OC_RESOLVER_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (resolver_kinds); i++)
      if (resolver_kinds[i].code == error->code)
        return &resolver_kinds[i];
  return NULL;
}

/**
 * oc_error_page_title_for:
 * @error: an error
 *
 * Returns: a short title for the error, in title case
 */
const char *
oc_error_page_title_for (const GError *error)
{
  const ErrorKind *kind = find_kind (error);

  if (kind != NULL)
    return kind->title;
  if (error != NULL && error->domain == OC_TARGET_ERROR)
    return "Not a Calendar Address";
  return "Could Not Open the Calendar";
}

/**
 * oc_error_page_slug_for:
 * @error: an error
 *
 * Returns: a stable, machine-readable name of the error ("auth-failed"),
 *   put on the page's body for scripts and tests
 */
const char *
oc_error_page_slug_for (const GError *error)
{
  const ErrorKind *kind = find_kind (error);

  return kind != NULL ? kind->slug : "other";
}

static const char page_style[] =
  ":root{color-scheme:light dark;--fg:#241f31;--dim:#5e5c64;--bg:#fafafa;--card:#fff;--accent:#3584e4}"
  "@media (prefers-color-scheme:dark){:root{--fg:#fff;--dim:#c0bfbc;--bg:#242424;--card:#303030}}"
  "body{margin:0;font:15px/1.5 Cantarell,'Noto Sans',sans-serif;background:var(--bg);color:var(--fg)}"
  "main{max-width:38em;margin:12vh auto;padding:2em}"
  "svg{width:64px;height:64px;fill:var(--dim)}"
  "h1{font-size:1.6em;margin:.4em 0}"
  "p{margin:.6em 0}.advice{color:var(--dim)}"
  "button{font:inherit;padding:.45em 1.2em;border-radius:6px;border:0;background:var(--accent);"
  "color:#fff;cursor:pointer;margin-top:1em}button:focus-visible{outline:2px solid var(--fg)}"
  "#certificate dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;background:var(--card);"
  "padding:.8em;border-radius:6px}#certificate dt{color:var(--dim)}#certificate dd{margin:0;word-break:break-all}"
  "#certificate h2{font-size:1.1em;margin:1.2em 0 .4em}"
  "details{margin-top:2em;color:var(--dim)}pre{white-space:pre-wrap;word-break:break-all;"
  "background:var(--card);padding:.8em;border-radius:6px;font-size:.85em}";

/* A calendar with a cross: the symbolic-icon style of GNOME's error pages. */
static const char page_icon[] =
  "<svg viewBox='0 0 16 16' aria-hidden='true'><path d='M3 1v1H2a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h12"
  "a1 1 0 0 0 1-1V3a1 1 0 0 0-1-1h-1V1h-2v1H5V1zM2 5h12v9H2zm3.7 2L5 7.7 7.3 10 5 12.3l.7.7L8 10.7"
  " 10.3 13l.7-.7L8.7 10 11 7.7 10.3 7 8 9.3z'/></svg>";

static void
append_certificate (GString       *page,
                    OcCertificate *certificate)
{
  static const struct { const char *id; const char *label; const char *(*get) (OcCertificate *); } rows[] = {
    { "cert-subject", "Issued to", oc_certificate_get_subject },
    { "cert-issuer", "Issued by", oc_certificate_get_issuer },
    { "cert-not-before", "Valid from", oc_certificate_get_not_before },
    { "cert-not-after", "Valid until", oc_certificate_get_not_after },
    { "cert-sha256", "SHA-256 fingerprint", oc_certificate_get_fingerprint },
  };
  g_autofree char *host = g_markup_escape_text (oc_certificate_get_host (certificate), -1);

  /* Shown, not folded away: these are what the user checks with the administrator. */
  g_string_append_printf (page, "<section id='certificate'><h2>The certificate <span id='cert-host'>%s:%u</span> "
                                "presented</h2><dl>", host, oc_certificate_get_port (certificate));
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = g_markup_escape_text (rows[i].get (certificate), -1);
      g_string_append_printf (page, "<dt>%s</dt><dd id='%s'>%s</dd>", rows[i].label, rows[i].id, value);
    }
  g_string_append (page, "</dl><p class='advice'>To trust this certificate for this server, use "
                         "“Trust This Certificate” above the page, once your administrator has "
                         "confirmed its fingerprint.</p></section>");
}

static char *
render (const GError  *error,
        const char    *web_url,
        OcCertificate *certificate)
{
  const ErrorKind *kind = find_kind (error);
  const char *message = error ? error->message : "Unknown error";
  const char *newline = strchr (message, '\n');
  g_autofree char *summary = g_markup_escape_text (message, newline ? newline - message : -1);
  g_autofree char *details = newline ? g_markup_escape_text (newline + 1, -1) : NULL;
  g_autofree char *title = g_markup_escape_text (oc_error_page_title_for (error), -1);
  g_autofree char *url = web_url ? g_markup_escape_text (web_url, -1) : NULL;
  g_autoptr (GString) page = g_string_new (NULL);

  g_string_append_printf (page,
                          "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                          "<title>%s</title><style>%s</style></head>"
                          "<body data-owacal-error='%s'><main role='alert'>%s<h1>%s</h1><p id='message'>%s</p>",
                          title, page_style, oc_error_page_slug_for (error), page_icon, title, summary);
  if (kind != NULL)
    g_string_append_printf (page, "<p class='advice'>%s</p>", kind->advice);
  if (certificate != NULL)
    append_certificate (page, certificate);
  g_string_append (page, "<button id='retry' onclick='location.reload()' autofocus>Try Again</button>");
  if (details != NULL || url != NULL)
    {
      g_string_append (page, "<details><summary>Technical details</summary><pre>");
      if (url != NULL)
        g_string_append_printf (page, "Address: %s\n", url);
      if (details != NULL)
        g_string_append (page, details);
      g_string_append (page, "</pre></details>");
    }
  g_string_append (page, "</main></body></html>\n");
  return g_string_free (g_steal_pointer (&page), FALSE);
}

/**
 * oc_error_page_render:
 * @error: what went wrong
 * @web_url: (nullable): the address that was being opened
 *
 * Returns: (transfer full): a complete HTML page
 */
char *
oc_error_page_render (const GError *error,
                      const char   *web_url)
{
  return render (error, web_url, NULL);
}

/**
 * oc_error_page_render_certificate:
 * @error: why the server was not trusted
 * @web_url: (nullable): the address that was being opened
 * @certificate: what the server presented
 *
 * Returns: (transfer full): a complete HTML page that also shows the
 *   certificate's server, subject, issuer, validity and SHA-256 fingerprint
 */
char *
oc_error_page_render_certificate (const GError  *error,
                                  const char    *web_url,
                                  OcCertificate *certificate)
{
  return render (error, web_url, certificate);
}
