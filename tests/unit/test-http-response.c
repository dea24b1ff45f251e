/* Reading answers: status lines, challenges, and explaining failures. */
#include "config.h"

#include <string.h>

#include "oc-http-error.h"
#include "oc-http-response.h"

static OcHttpResponse *
make_response (const char         *url,
               const char         *status_line,
               const char *const  *headers)
{
  OcHttpResponse *response = oc_http_response_new (url);

  /* An earlier answer on the way (a sign-in round trip) must not leak into the final one. */
  oc_http_response_take_status_line (response, "HTTP/1.1 401 Unauthorized");
  oc_http_response_add_header_line (response, "WWW-Authenticate: Basic realm=\"old\"");
  oc_http_response_take_status_line (response, status_line);
  for (const char *const *h = headers; h && *h; h++)
    oc_http_response_add_header_line (response, *h);
  return response;
}

static void
test_status_and_headers (void)
{
  const char *headers[] = { "Content-Type: Text/HTML; charset=utf-8", "X-Multi:  a  ", "x-multi: b", NULL };
  g_autoptr (OcHttpResponse) response = make_response ("https://h/", "HTTP/1.1 200 OK", headers);
  g_autofree char *type = oc_http_response_dup_content_type (response);

  g_assert_cmpuint (oc_http_response_get_status (response), ==, 200);
  g_assert_cmpstr (oc_http_response_get_reason (response), ==, "OK");
  g_assert_cmpstr (type, ==, "text/html");
  g_assert_cmpstr (oc_http_response_get_header (response, "x-multi"), ==, "a  ");
  g_assert_null (oc_http_response_get_header (response, "WWW-Authenticate"));
  g_assert_cmpuint (oc_http_response_get_auth_offered (response), ==, OC_HTTP_AUTH_NONE);
  g_assert_true (oc_http_response_check (response, NULL));
}

static void
test_http2_status_line (void)
{
  g_autoptr (OcHttpResponse) response = make_response ("https://h/", "HTTP/2 404", NULL);
  g_autofree char *type = oc_http_response_dup_content_type (response);

  g_assert_cmpuint (oc_http_response_get_status (response), ==, 404);
  g_assert_cmpstr (oc_http_response_get_reason (response), ==, "");
  g_assert_cmpstr (type, ==, "application/octet-stream");
}

static void
test_challenges (void)
{
  static const struct { const char *headers[4]; OcHttpAuth expected; } rows[] = {
    { { "WWW-Authenticate: Negotiate", "WWW-Authenticate: NTLM" }, OC_HTTP_AUTH_NEGOTIATE | OC_HTTP_AUTH_NTLM },
    { { "WWW-Authenticate: Negotiate, NTLM" }, OC_HTTP_AUTH_NEGOTIATE | OC_HTTP_AUTH_NTLM },
    { { "www-authenticate: ntlm TlRMTVNTUAACAAAA" }, OC_HTTP_AUTH_NTLM },
    { { "WWW-Authenticate: Basic realm=\"mail, example\", charset=\"UTF-8\"" }, OC_HTTP_AUTH_BASIC },
    { { "WWW-Authenticate: Digest realm=\"x\", nonce=\"y\"" }, OC_HTTP_AUTH_OTHER },
    { { "X-Other: NTLM" }, OC_HTTP_AUTH_NONE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (OcHttpResponse) response = make_response ("https://h/", "HTTP/1.1 401 Unauthorized",
                                                           rows[i].headers);
      g_assert_cmpuint (oc_http_response_get_auth_offered (response), ==, rows[i].expected);
    }
}

static void
assert_check_fails (guint        status,
                    int          code,
                    const char  *needle)
{
  g_autofree char *line = g_strdup_printf ("HTTP/1.1 %u Something", status);
  g_autoptr (OcHttpResponse) response = make_response ("https://mail.example.com/owa/", line, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (oc_http_response_check (response, &error));
  g_assert_error (error, OC_HTTP_ERROR, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
  g_assert_nonnull (strstr (error->message, "mail.example.com"));
}

static void
test_status_errors (void)
{
  assert_check_fails (403, OC_HTTP_ERROR_FORBIDDEN, "403 Forbidden");
  assert_check_fails (404, OC_HTTP_ERROR_NOT_FOUND, "404");
  assert_check_fails (500, OC_HTTP_ERROR_SERVER, "500");
  assert_check_fails (503, OC_HTTP_ERROR_SERVER, "503");
  assert_check_fails (418, OC_HTTP_ERROR_STATUS, "418");
}

static void
test_sign_in_explained (void)
{
  static const struct {
    OcHttpAuth tried;
    const char *user;
    OcKerberosTicketState ticket;
    const char *offered;
    const char *needle;
  } rows[] = {
    { OC_HTTP_AUTH_NEGOTIATE, NULL, OC_KERBEROS_TICKET_NONE, "Negotiate", "you have no Kerberos ticket" },
    { OC_HTTP_AUTH_NEGOTIATE, NULL, OC_KERBEROS_TICKET_EXPIRED, "Negotiate", "has expired" },
    { OC_HTTP_AUTH_NEGOTIATE, NULL, OC_KERBEROS_TICKET_VALID, "Negotiate", "did not accept your ticket" },
    { OC_HTTP_AUTH_NEGOTIATE | OC_HTTP_AUTH_NTLM, "EXAMPLE\\alice", OC_KERBEROS_TICKET_NONE, "NTLM",
      "the password for “EXAMPLE\\alice” was rejected" },
    { OC_HTTP_AUTH_NEGOTIATE, NULL, OC_KERBEROS_TICKET_NONE, "NTLM", "none was given" },
    { OC_HTTP_AUTH_NONE, NULL, OC_KERBEROS_TICKET_UNKNOWN, "NTLM", "not the calendar’s own server" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *challenge = g_strdup_printf ("WWW-Authenticate: %s", rows[i].offered);
      const char *headers[] = { challenge, NULL };
      g_autoptr (OcHttpResponse) response = make_response ("https://mail.example.com/owa/",
                                                           "HTTP/1.1 401 Unauthorized", headers);
      g_autoptr (GError) error = NULL;

      oc_http_response_set_auth_tried (response, rows[i].tried, rows[i].user);
      oc_http_response_set_ticket_state (response, rows[i].ticket);
      g_assert_false (oc_http_response_check (response, &error));
      g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
      if (strstr (error->message, rows[i].needle) == NULL)
        g_error ("row %zu: “%s” does not say “%s”", i, error->message, rows[i].needle);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/http-response/status-and-headers", test_status_and_headers);
  g_test_add_func ("/oc/http-response/http2-status-line", test_http2_status_line);
  g_test_add_func ("/oc/http-response/challenges", test_challenges);
  g_test_add_func ("/oc/http-response/status-errors", test_status_errors);
  g_test_add_func ("/oc/http-response/sign-in-explained", test_sign_in_explained);
  return g_test_run ();
}
