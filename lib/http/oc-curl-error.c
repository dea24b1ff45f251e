/* oc-curl-error.c: a failed libcurl transfer, told in plain words.
 *
 * libcurl's own messages ("SSL certificate problem: unable to get local
 * issuer certificate") mean little to a calendar user. Each failure becomes
 * one sentence that says what happened and what to do, with curl's words
 * kept after a newline for the help desk (see oc-error-page.c).
 */
#include "config.h"
#include "oc-curl-error.h"

#include <string.h>

#include "oc-http-error.h"

static char *
dup_host_of_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

static const char *
describe_certificate_problem (long verify_result,
                              const char *curl_message)
{
  /* OpenSSL's X509_V_ERR_* codes, as libcurl reports them. */
  switch (verify_result)
    {
    case 9:
      return "its certificate is not valid yet (check this computer’s clock)";
    case 10:
      return "its certificate has expired";
    case 18:
      return "its certificate is self-signed, so nobody vouches for it";
    case 19:
    case 20:
    case 21:
      return "its certificate was issued by an authority this computer does not trust";
    case 23:
      return "its certificate has been revoked";
    case 62:
      return "its certificate was made out for another server name";
    default:
      break;
    }
  if (curl_message != NULL && (strstr (curl_message, "subject name") != NULL ||
                               strstr (curl_message, "does not match") != NULL))
    return "its certificate was made out for another server name";
  return "its certificate could not be verified";
}

/**
 * oc_curl_error_new:
 * @url: the URL being fetched
 * @code: what libcurl reported
 * @error_buffer: libcurl's CURLOPT_ERRORBUFFER text, possibly empty
 * @verify_result: CURLINFO_SSL_VERIFYRESULT (an OpenSSL X509_V_ERR_* code)
 *
 * Returns: (transfer full): an %OC_HTTP_ERROR whose first line says what
 *   happened and what to do, and whose later lines hold the details
 */
GError *
oc_curl_error_new (const char *url,
                   CURLcode    code,
                   const char *error_buffer,
                   long        verify_result)
{
  g_autofree char *host = dup_host_of_url (url);
  g_autofree char *details = NULL;
  const char *buffer = error_buffer ? error_buffer : "";

  details = g_strdup_printf ("While fetching %s: [%u] %s%s%s", url, code,
                             curl_easy_strerror (code), *buffer ? ": " : "", buffer);

  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_HOST_NOT_FOUND,
                          "The server “%s” could not be found. Check the address for typos and "
                          "that this computer is connected to your company’s network.\n%s",
                          host, details);
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_PROXY,
                          "The proxy server could not be reached. Check the proxy settings.\n%s",
                          details);
    case CURLE_COULDNT_CONNECT:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_CONNECTION_REFUSED,
                          "Could not connect to %s: the server refused the connection or is not "
                          "running. Try again later, or check the address.\n%s", host, details);
    case CURLE_OPERATION_TIMEDOUT:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_TIMEOUT,
                          "%s did not answer in time. The server or the network may be busy or "
                          "down; try again later.\n%s", host, details);
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_TLS,
                          "The certificate of %s has changed since you trusted it, so owacal did not "
                          "connect. This can be an attack, or the server got a new certificate: ask your "
                          "administrator before you trust the new one.\n%s", host, details);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      if (code == CURLE_SSL_CONNECT_ERROR && verify_result == 0)
        return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_TLS,
                            "A secure connection to %s could not be set up.\n%s", host, details);
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_TLS,
                          "%s could not prove its identity: %s. owacal did not connect. If your "
                          "organisation runs its own certificate authority, start owacal with "
                          "--ca-file pointing to that authority’s certificate; or, once your "
                          "administrator confirmed the fingerprint below, trust this certificate "
                          "for this server.\n%s",
                          host, describe_certificate_problem (verify_result, buffer), details);
    case CURLE_TOO_MANY_REDIRECTS:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_TOO_MANY_REDIRECTS,
                          "%s keeps redirecting to itself.\n%s", host, details);
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_NETWORK,
                          "The connection to %s broke off before the page arrived. Try again.\n%s",
                          host, details);
    default:
      return g_error_new (OC_HTTP_ERROR, OC_HTTP_ERROR_NETWORK,
                          "Could not fetch the page from %s.\n%s", host, details);
    }
}

/**
 * oc_curl_error_is_certificate_problem:
 * @code: what libcurl reported
 * @verify_result: CURLINFO_SSL_VERIFYRESULT
 *
 * Returns: whether the server answered with a certificate owacal did not
 *   trust (as opposed to a connection that broke during the handshake)
 */
gboolean
oc_curl_error_is_certificate_problem (CURLcode code,
                                      long     verify_result)
{
  switch (code)
    {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TRUE;
    case CURLE_SSL_CONNECT_ERROR:
      return verify_result != 0;
    default:
      return FALSE;
    }
}
