/* oc-http-request.c: one HTTP request as the page (or owacal) wants it sent. */
#include "config.h"
#include "oc-http-request.h"

#include <string.h>

struct _OcHttpRequest {
  gatomicrefcount ref_count;
  char *method;
  char *url;
  GPtrArray *header_lines;  /* "Name: value", in the order given */
  GBytes *body;
  gboolean follow_redirects;
  gboolean no_sign_in;
};

G_DEFINE_BOXED_TYPE (OcHttpRequest, oc_http_request, oc_http_request_ref, oc_http_request_unref)

/**
 * oc_http_request_new:
 * @method: an HTTP method such as "GET"
 * @url: an absolute http or https URL
 *
 * Returns: (transfer full): a new request with no headers and no body
 */
OcHttpRequest *
oc_http_request_new (const char *method,
                     const char *url)
{
  OcHttpRequest *self;

  g_return_val_if_fail (method != NULL && *method != '\0', NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (OcHttpRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->method = g_ascii_strup (method, -1);
  self->url = g_strdup (url);
  self->header_lines = g_ptr_array_new_with_free_func (g_free);
  return self;
}

OcHttpRequest *
oc_http_request_ref (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
oc_http_request_unref (OcHttpRequest *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->method);
  g_free (self->url);
  g_ptr_array_unref (self->header_lines);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

const char *
oc_http_request_get_method (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

const char *
oc_http_request_get_url (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

/**
 * oc_http_request_add_header:
 * @self: a request
 * @name: a header name
 * @value: its value; an empty value tells libcurl not to add its own
 *
 * Headers with CR or LF in them are dropped: they would let a page inject
 * headers of its own into the request.
 */
void
oc_http_request_add_header (OcHttpRequest *self,
                            const char    *name,
                            const char    *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  if (strpbrk (name, "\r\n: ") != NULL || strpbrk (value, "\r\n") != NULL)
    return;
  /* "Name:" with nothing after it makes curl remove a header it would add;
   * "Name;" is curl's spelling of a header sent with an empty value. */
  if (*value == '\0')
    g_ptr_array_add (self->header_lines, g_strdup_printf ("%s;", name));
  else
    g_ptr_array_add (self->header_lines, g_strdup_printf ("%s: %s", name, value));
}

/**
 * oc_http_request_suppress_header:
 * @self: a request
 * @name: a header libcurl would otherwise add by itself, such as "Content-Type"
 */
void
oc_http_request_suppress_header (OcHttpRequest *self,
                                 const char    *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && strpbrk (name, "\r\n: ") == NULL);

  g_ptr_array_add (self->header_lines, g_strdup_printf ("%s:", name));
}

/**
 * oc_http_request_get_header:
 * @self: a request
 * @name: a header name, matched case-insensitively
 *
 * Returns: (nullable): the value of the first such header
 */
const char *
oc_http_request_get_header (OcHttpRequest *self,
                            const char    *name)
{
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  len = strlen (name);
  for (guint i = 0; i < self->header_lines->len; i++)
    {
      const char *line = g_ptr_array_index (self->header_lines, i);
      if (g_ascii_strncasecmp (line, name, len) != 0)
        continue;
      if (line[len] == ';' || (line[len] == ':' && line[len + 1] == '\0'))
        return "";
      if (line[len] == ':')
        return line + len + 1 + (line[len + 1] == ' ');
    }
  return NULL;
}

/**
 * oc_http_request_get_header_lines:
 * @self: a request
 *
 * Returns: (transfer none) (element-type utf8): the headers as "Name: value" lines
 */
GPtrArray *
oc_http_request_get_header_lines (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->header_lines;
}

void
oc_http_request_set_body (OcHttpRequest *self,
                          GBytes        *body)
{
  g_return_if_fail (self != NULL);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body ? g_bytes_ref (body) : NULL;
}

/**
 * oc_http_request_get_body:
 * @self: a request
 *
 * Returns: (transfer none) (nullable): the body
 */
GBytes *
oc_http_request_get_body (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

/**
 * oc_http_request_set_follow_redirects:
 * @self: a request
 * @follow: whether the client follows 3xx answers itself
 *
 * Sub-resources are followed inside owacal; a page navigation is not, because
 * the web view must learn the new address (relative links depend on it).
 */
void
oc_http_request_set_follow_redirects (OcHttpRequest *self,
                                      gboolean       follow)
{
  g_return_if_fail (self != NULL);
  self->follow_redirects = follow;
}

gboolean
oc_http_request_get_follow_redirects (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->follow_redirects;
}

/**
 * oc_http_request_set_sign_in:
 * @self: a request
 * @sign_in: whether the client may start a sign-in for this request
 *
 * By default, a trusted server's refusal (401, OWA's sign-in page, 440)
 * makes the client get credentials and sign in before it answers. The
 * requests of a sign-in themselves turn that off.
 */
void
oc_http_request_set_sign_in (OcHttpRequest *self,
                             gboolean       sign_in)
{
  g_return_if_fail (self != NULL);
  self->no_sign_in = !sign_in;
}

gboolean
oc_http_request_get_sign_in (OcHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return !self->no_sign_in;
}
