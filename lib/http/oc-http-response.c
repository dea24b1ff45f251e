/* oc-http-response.c: what came back, and how owacal signed in to get it.
 *
 * Besides status, headers and body, a response remembers which sign-in
 * methods were tried and what the server offered, so that a refusal can be
 * explained in plain words: "no Kerberos ticket" is a different fix from
 * "the NTLM password was rejected".
 */
#include "config.h"
#include "oc-http-response.h"

#include <string.h>

#include "oc-http-error.h"

struct _OcHttpResponse {
  gatomicrefcount ref_count;
  char *url;
  guint status;
  char *reason;
  GPtrArray *header_lines;
  GBytes *body;
  OcHttpAuth auth_tried;
  char *auth_user;
  OcKerberosTicketState ticket_state;
  guint new_connections;
};

G_DEFINE_QUARK (oc-http-error-quark, oc_http_error)
G_DEFINE_BOXED_TYPE (OcHttpResponse, oc_http_response, oc_http_response_ref, oc_http_response_unref)

/**
 * oc_http_response_new:
 * @url: the URL that answered
 *
 * Returns: (transfer full): an empty response
 */
OcHttpResponse *
oc_http_response_new (const char *url)
{
  OcHttpResponse *self = g_new0 (OcHttpResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->url = g_strdup (url);
  self->header_lines = g_ptr_array_new_with_free_func (g_free);
  return self;
}

OcHttpResponse *
oc_http_response_ref (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
oc_http_response_unref (OcHttpResponse *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->url);
  g_free (self->reason);
  g_free (self->auth_user);
  g_ptr_array_unref (self->header_lines);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

const char *
oc_http_response_get_url (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

guint
oc_http_response_get_status (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->status;
}

/**
 * oc_http_response_get_reason:
 * @self: a response
 *
 * Returns: the reason phrase of the status line, or "" (HTTP/2 has none)
 */
const char *
oc_http_response_get_reason (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->reason ? self->reason : "";
}

/**
 * oc_http_response_get_body:
 * @self: a response
 *
 * Returns: (transfer none): the body, decoded from any Content-Encoding
 */
GBytes *
oc_http_response_get_body (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->body == NULL)
    self->body = g_bytes_new (NULL, 0);
  return self->body;
}

/**
 * oc_http_response_get_header:
 * @self: a response
 * @name: a header name, matched case-insensitively
 *
 * Returns: (nullable): the value of the first such header
 */
const char *
oc_http_response_get_header (OcHttpResponse *self,
                             const char     *name)
{
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  len = strlen (name);
  for (guint i = 0; i < self->header_lines->len; i++)
    {
      const char *line = g_ptr_array_index (self->header_lines, i);
      if (g_ascii_strncasecmp (line, name, len) == 0 && line[len] == ':')
        {
          line += len + 1;
          while (*line == ' ' || *line == '\t')
            line++;
          return line;
        }
    }
  return NULL;
}

/**
 * oc_http_response_get_header_lines:
 * @self: a response
 *
 * Returns: (transfer none) (element-type utf8): the final answer's headers as "Name: value" lines
 */
GPtrArray *
oc_http_response_get_header_lines (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->header_lines;
}

/**
 * oc_http_response_dup_content_type:
 * @self: a response
 *
 * Returns: (transfer full): the lower-cased media type without parameters,
 *   "application/octet-stream" when the server named none
 */
char *
oc_http_response_dup_content_type (OcHttpResponse *self)
{
  const char *value = oc_http_response_get_header (self, "Content-Type");
  const char *end;

  if (value == NULL || *value == '\0')
    return g_strdup ("application/octet-stream");
  end = strchr (value, ';');
  {
    g_autofree char *type = g_strndup (value, end ? (gsize) (end - value) : strlen (value));
    return g_ascii_strdown (g_strstrip (type), -1);
  }
}

OcHttpAuth
oc_http_response_get_auth_tried (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, OC_HTTP_AUTH_NONE);
  return self->auth_tried;
}

OcHttpAuth
oc_http_response_get_auth_offered (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, OC_HTTP_AUTH_NONE);
  return oc_http_auth_parse_challenges (self->header_lines);
}

/**
 * oc_http_response_get_new_connections:
 * @self: a response
 *
 * Returns: how many TCP connections were opened to get this answer (0 when
 *   an open, already signed-in connection was reused)
 */
guint
oc_http_response_get_new_connections (OcHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->new_connections;
}

static OcHttpAuth
classify_scheme (const char *token,
                 gsize       len)
{
  if (len == 9 && g_ascii_strncasecmp (token, "Negotiate", len) == 0)
    return OC_HTTP_AUTH_NEGOTIATE;
  if (len == 4 && g_ascii_strncasecmp (token, "NTLM", len) == 0)
    return OC_HTTP_AUTH_NTLM;
  if (len == 5 && g_ascii_strncasecmp (token, "Basic", len) == 0)
    return OC_HTTP_AUTH_BASIC;
  return len > 0 ? OC_HTTP_AUTH_OTHER : OC_HTTP_AUTH_NONE;
}

/* One header may carry several challenges ("Negotiate, NTLM"), and a
 * challenge's parameters are comma-separated too (Basic realm="a, b",
 * charset="UTF-8"): an element that is a bare token starts a challenge, one
 * with "=" is a parameter, and commas inside quotes separate nothing. */
static OcHttpAuth
parse_challenges (GPtrArray  *header_lines,
                  const char *prefix)
{
  OcHttpAuth offered = OC_HTTP_AUTH_NONE;

  for (guint i = 0; i < header_lines->len; i++)
    {
      const char *p = g_ptr_array_index (header_lines, i);

      if (g_ascii_strncasecmp (p, prefix, strlen (prefix)) != 0)
        continue;
      p += strlen (prefix);
      while (*p != '\0')
        {
          gsize len;
          gboolean in_quotes = FALSE;

          while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
          len = strcspn (p, " \t=,");
          if (p[len] != '=' && len > 0)
            offered |= classify_scheme (p, len);
          /* Skip to the next comma outside quotes. */
          for (p += len; *p != '\0' && (in_quotes || *p != ','); p++)
            {
              if (*p == '\\' && in_quotes && p[1] != '\0')
                p++;
              else if (*p == '"')
                in_quotes = !in_quotes;
            }
        }
    }
  return offered;
}

/**
 * oc_http_auth_parse_challenges:
 * @header_lines: (element-type utf8): "Name: value" header lines
 *
 * Returns: the methods offered by the WWW-Authenticate headers
 */
OcHttpAuth
oc_http_auth_parse_challenges (GPtrArray *header_lines)
{
  return parse_challenges (header_lines, "WWW-Authenticate:");
}

/**
 * oc_http_auth_parse_proxy_challenges:
 * @header_lines: (element-type utf8): "Name: value" header lines
 *
 * Returns: the methods offered by the Proxy-Authenticate headers (of a 407)
 */
OcHttpAuth
oc_http_auth_parse_proxy_challenges (GPtrArray *header_lines)
{
  return parse_challenges (header_lines, "Proxy-Authenticate:");
}

static char *
describe_host (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : url);
}

static char *
describe_sign_in_attempts (OcHttpResponse *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  OcHttpAuth offered = oc_http_response_get_auth_offered (self);

  if (self->auth_tried == OC_HTTP_AUTH_NONE)
    return g_strdup ("owacal sent no credentials to this server, because it is not the calendar’s "
                     "own server. Open the calendar from its own address, or add this domain to "
                     "the trusted domains.");

  if (self->auth_tried & OC_HTTP_AUTH_NEGOTIATE)
    {
      switch (self->ticket_state)
        {
        case OC_KERBEROS_TICKET_NONE:
          g_string_append (text, "Kerberos single sign-on: you have no Kerberos ticket "
                                 "(sign in again, or run “kinit”). ");
          break;
        case OC_KERBEROS_TICKET_EXPIRED:
          g_string_append (text, "Kerberos single sign-on: your Kerberos ticket has expired "
                                 "(renew it with “kinit”). ");
          break;
        case OC_KERBEROS_TICKET_VALID:
          g_string_append (text, "Kerberos single sign-on: the server did not accept your ticket. ");
          break;
        case OC_KERBEROS_TICKET_UNKNOWN:
        default:
          g_string_append (text, "Kerberos single sign-on was not accepted. ");
          break;
        }
    }
  if ((self->auth_tried & OC_HTTP_AUTH_NTLM) && self->auth_user != NULL &&
      (offered & OC_HTTP_AUTH_NTLM))
    g_string_append_printf (text, "NTLM: the password for “%s” was rejected. ", self->auth_user);
  else if ((self->auth_tried & OC_HTTP_AUTH_BASIC) && self->auth_user != NULL &&
           (offered & OC_HTTP_AUTH_BASIC))
    g_string_append_printf (text, "Password sign-in: the password for “%s” was rejected. ",
                            self->auth_user);
  else if (self->auth_user == NULL && (offered & (OC_HTTP_AUTH_NTLM | OC_HTTP_AUTH_BASIC)))
    g_string_append (text, "The server also accepts a user name and password, but none was given. ");
  else if (!(offered & self->auth_tried))
    g_string_append (text, "The server offers no sign-in method that owacal tried. ");

  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * oc_http_response_check:
 * @self: a response
 * @error: return location for a #GError in %OC_HTTP_ERROR
 *
 * Turns answers that mean "you will not see this page" into an error that
 * says so in plain words. 1xx–3xx and 2xx pass.
 *
 * Returns: %TRUE if the status is a success or a redirect
 */
gboolean
oc_http_response_check (OcHttpResponse  *self,
                        GError         **error)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->status < 400)
    return TRUE;

  host = describe_host (self->url);
  switch (self->status)
    {
    case 401:
      {
        g_autofree char *attempts = describe_sign_in_attempts (self);
        g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                     "%s did not accept the sign-in. %s", host, attempts);
      }
      break;
    case 403:
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_FORBIDDEN,
                   "%s refused access to this page (403 Forbidden). Your account may not be "
                   "allowed to see this calendar: ask its owner to share it with you.", host);
      break;
    case 404:
    case 410:
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_NOT_FOUND,
                   "%s has no page at this address (%u %s). Check the calendar address; "
                   "the mailbox may have moved.", host, self->status, oc_http_response_get_reason (self));
      break;
    case 440:
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED,
                   "%s ended the sign-in session (440 Login Timeout) and did not keep the new one "
                   "owacal signed in with. Try again later; if it lasts, tell your Exchange "
                   "administrator.", host);
      break;
    case 407:
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_PROXY,
                   "The proxy server refused to pass on the request to %s (407 Proxy "
                   "Authentication Required). Check your proxy settings.", host);
      break;
    default:
      if (self->status >= 500)
        g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_SERVER,
                     "%s has a problem of its own (%u %s). Try again later; if it lasts, "
                     "tell your Exchange administrator.", host, self->status,
                     oc_http_response_get_reason (self));
      else
        g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_STATUS,
                     "%s answered %u %s.", host, self->status, oc_http_response_get_reason (self));
      break;
    }
  return FALSE;
}

/**
 * oc_http_response_take_status_line:
 * @self: a response
 * @line: a status line such as "HTTP/1.1 401 Unauthorized"
 *
 * A new status line starts a new answer (after a 100 Continue or a sign-in
 * round trip), so the headers collected so far are dropped.
 */
void
oc_http_response_take_status_line (OcHttpResponse *self,
                                   const char     *line)
{
  const char *p;

  g_return_if_fail (self != NULL);

  g_ptr_array_set_size (self->header_lines, 0);
  g_clear_pointer (&self->reason, g_free);
  p = strchr (line, ' ');
  if (p == NULL)
    return;
  self->status = (guint) g_ascii_strtoull (p + 1, NULL, 10);
  p = strchr (p + 1, ' ');
  if (p != NULL)
    self->reason = g_strstrip (g_strdup (p + 1));
}

void
oc_http_response_add_header_line (OcHttpResponse *self,
                                  const char     *line)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_add (self->header_lines, g_strdup (line));
}

void
oc_http_response_set_body (OcHttpResponse *self,
                           GBytes         *body)
{
  g_return_if_fail (self != NULL);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body ? g_bytes_ref (body) : NULL;
}

void
oc_http_response_set_auth_tried (OcHttpResponse *self,
                                 OcHttpAuth      tried,
                                 const char     *user)
{
  g_return_if_fail (self != NULL);
  self->auth_tried = tried;
  g_free (self->auth_user);
  self->auth_user = g_strdup (user);
}

void
oc_http_response_set_ticket_state (OcHttpResponse        *self,
                                   OcKerberosTicketState  state)
{
  g_return_if_fail (self != NULL);
  self->ticket_state = state;
}

void
oc_http_response_set_new_connections (OcHttpResponse *self,
                                      guint           n)
{
  g_return_if_fail (self != NULL);
  self->new_connections = n;
}
