/* oc-certificate.c: a server's certificate, as shown to the user and pinned.
 *
 * When a server's certificate is not trusted, the transfer that met it ends
 * before anything was sent. To show the user what the server presented (to
 * whom and by whom it was issued, how long it is valid, its SHA-256
 * fingerprint, the one thing an administrator can confirm), owacal opens one
 * more connection to it, with verification off, that only does the TLS
 * handshake (CURLOPT_CONNECT_ONLY) and reads the chain (CURLOPT_CERTINFO).
 * It sends no request, no cookie and no credential.
 *
 * Trusting that certificate for that server pins its public key: libcurl
 * then accepts a handshake only from the holder of that key
 * (CURLOPT_PINNEDPUBLICKEY "sha256//…", the SHA-256 of the DER
 * SubjectPublicKeyInfo), read here from the certificate with a few lines of
 * DER rather than a second TLS library.
 */
#include "config.h"
#include "oc-certificate.h"

#include <string.h>
#include <curl/curl.h>

#include "oc-autocleanups.h"
#include "oc-credentials.h"
#include "oc-http-error.h"

struct _OcCertificate {
  gatomicrefcount ref_count;
  char *host;
  guint16 port;
  char *subject;
  char *issuer;
  char *not_before;
  char *not_after;
  char *fingerprint;           /* "AB:CD:…", 32 bytes in upper-case hex */
  char *public_key_pin;        /* "sha256//<base64>" */
};

G_DEFINE_BOXED_TYPE (OcCertificate, oc_certificate, oc_certificate_ref, oc_certificate_unref)

/* DER */

/* Reads one DER header at *p; returns FALSE if it runs past end. */
static gboolean
read_der_header (const guint8 **p,
                 const guint8  *end,
                 guint8        *out_tag,
                 gsize         *out_length)
{
  const guint8 *q = *p;
  gsize length = 0;

  if (end - q < 2)
    return FALSE;
  *out_tag = *q++;
  if (*q < 0x80)
    length = *q++;
  else
    {
      int n = *q++ & 0x7f;
      if (n == 0 || n > 4 || end - q < n)
        return FALSE;
      while (n-- > 0)
        length = (length << 8) | *q++;
    }
  if ((gsize) (end - q) < length)
    return FALSE;
  *p = q;
  *out_length = length;
  return TRUE;
}

/* Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL,
 *   serialNumber, signature, issuer, validity, subject,
 *   subjectPublicKeyInfo, … }, … } (RFC 5280, 4.1) */
static gboolean
find_public_key_info (GBytes        *der,
                      const guint8 **out_start,
                      gsize         *out_length)
{
  gsize size = 0;
  const guint8 *p = g_bytes_get_data (der, &size);
  const guint8 *end = p + size;
  guint8 tag;
  gsize length;

  if (!read_der_header (&p, end, &tag, &length) || tag != 0x30)
    return FALSE;
  if (!read_der_header (&p, end, &tag, &length) || tag != 0x30)
    return FALSE;
  end = p + length;
  for (int field = 0; field < 7; field++)
    {
      const guint8 *start = p;

      if (!read_der_header (&p, end, &tag, &length))
        return FALSE;
      if (field == 0 && tag != 0xa0)
        field++;               /* no explicit version: the serial comes first */
      if (field == 6)
        {
          if (tag != 0x30)
            return FALSE;
          *out_start = start;
          *out_length = (gsize) (p - start) + length;
          return TRUE;
        }
      p += length;
    }
  return FALSE;
}

static GBytes *
decode_pem (const char *pem)
{
  const char *begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  const char *end;
  g_autofree char *body = NULL;
  guchar *der;
  gsize length;

  if (begin == NULL || (end = strstr (begin, "-----END CERTIFICATE-----")) == NULL)
    return NULL;
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  body = g_strndup (begin, end - begin);
  der = g_base64_decode (body, &length);
  return length > 0 ? g_bytes_new_take (der, length) : (g_free (der), NULL);
}

static char *
hex_fingerprint (GBytes *der)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  GString *text = g_string_new (NULL);

  g_checksum_update (checksum, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (checksum, digest, &length);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, "%s%02X", i ? ":" : "", digest[i]);
  return g_string_free (text, FALSE);
}

/* Public API: the certificate */

/**
 * oc_certificate_new_from_pem:
 * @host: the server that presented it
 * @port: its port
 * @pem: the certificate, PEM ("-----BEGIN CERTIFICATE-----" …)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the certificate, with its
 *   fingerprint and public-key pin; subject, issuer and dates are set with
 *   oc_certificate_set_details()
 */
OcCertificate *
oc_certificate_new_from_pem (const char  *host,
                             guint16      port,
                             const char  *pem,
                             GError     **error)
{
  g_autoptr (GBytes) der = decode_pem (pem);
  g_autoptr (GChecksum) checksum = NULL;
  const guint8 *key_info = NULL;
  gsize key_info_length = 0;
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *base64 = NULL;
  OcCertificate *self;

  if (der == NULL || !find_public_key_info (der, &key_info, &key_info_length))
    {
      g_set_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS, "The certificate of %s could not be read.", host);
      return NULL;
    }
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, key_info, key_info_length);
  g_checksum_get_digest (checksum, digest, &length);
  base64 = g_base64_encode (digest, length);

  self = g_new0 (OcCertificate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->host = g_ascii_strdown (host, -1);
  self->port = port;
  self->fingerprint = hex_fingerprint (der);
  self->public_key_pin = g_strconcat ("sha256//", base64, NULL);
  return self;
}

/**
 * oc_certificate_to_variant:
 * @self: a certificate
 *
 * What a certificate is, as the parameter of an action (see
 * oc_certificate_new_from_variant()).
 *
 * Returns: (transfer floating): a tuple of type "(sqssssss)"
 */
GVariant *
oc_certificate_to_variant (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_variant_new ("(sqssssss)", self->host, self->port, self->fingerprint, self->public_key_pin,
                        self->subject ? self->subject : "", self->issuer ? self->issuer : "",
                        self->not_before ? self->not_before : "", self->not_after ? self->not_after : "");
}

/**
 * oc_certificate_new_from_variant:
 * @variant: what oc_certificate_to_variant() gave
 *
 * Returns: (transfer full): the certificate it describes
 */
OcCertificate *
oc_certificate_new_from_variant (GVariant *variant)
{
  OcCertificate *self;
  const char *subject, *issuer, *not_before, *not_after;

  g_return_val_if_fail (g_variant_is_of_type (variant, G_VARIANT_TYPE ("(sqssssss)")), NULL);
  self = g_new0 (OcCertificate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_variant_get (variant, "(sqss&s&s&s&s)", &self->host, &self->port, &self->fingerprint, &self->public_key_pin,
                 &subject, &issuer, &not_before, &not_after);
  oc_certificate_set_details (self, subject, issuer, not_before, not_after);
  return self;
}

OcCertificate *
oc_certificate_ref (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
oc_certificate_unref (OcCertificate *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->host);
  g_free (self->subject);
  g_free (self->issuer);
  g_free (self->not_before);
  g_free (self->not_after);
  g_free (self->fingerprint);
  g_free (self->public_key_pin);
  g_free (self);
}

const char *
oc_certificate_get_host (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->host;
}

guint16 
oc_certificate_get_port (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

const char *
oc_certificate_get_subject (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subject ? self->subject : "";
}

const char *
oc_certificate_get_issuer (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->issuer ? self->issuer : "";
}

const char *
oc_certificate_get_not_before (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->not_before ? self->not_before : "";
}

const char *
oc_certificate_get_not_after (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->not_after ? self->not_after : "";
}

const char *
oc_certificate_get_fingerprint (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->fingerprint;
}

const char *
oc_certificate_get_public_key_pin (OcCertificate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->public_key_pin;
}


void
oc_certificate_set_details (OcCertificate *self,
                            const char    *subject,
                            const char    *issuer,
                            const char    *not_before,
                            const char    *not_after)
{
  g_free (self->subject);
  g_free (self->issuer);
  g_free (self->not_before);
  g_free (self->not_after);
  self->subject = g_strdup (subject);
  self->issuer = g_strdup (issuer);
  self->not_before = g_strdup (not_before);
  self->not_after = g_strdup (not_after);
}

/**
 * oc_certificate_normalize_fingerprint:
 * @text: a SHA-256 fingerprint as a person or a tool wrote it: hex digits,
 *   with or without colons, any case, optionally after "sha256 Fingerprint="
 *   (as `openssl x509 -fingerprint -sha256` prints it)
 *
 * Returns: (transfer full) (nullable): "AB:CD:…", or %NULL if @text is no
 *   SHA-256 fingerprint
 */
char *
oc_certificate_normalize_fingerprint (const char *text)
{
  const char *equals = strchr (text, '=');
  GString *out = g_string_new (NULL);
  int digits = 0;

  for (const char *p = equals ? equals + 1 : text; *p != '\0'; p++)
    {
      if (*p == ':' || g_ascii_isspace (*p))
        continue;
      if (!g_ascii_isxdigit (*p))
        return (g_string_free (out, TRUE), NULL);
      if (digits > 0 && digits % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (*p));
      digits++;
    }
  if (digits != 64)
    return (g_string_free (out, TRUE), NULL);
  return g_string_free (out, FALSE);
}

/* Fetching: a handshake that sends nothing */

typedef struct {
  char *url;
  char *proxy;
  OcCredentials *proxy_credentials;
  long timeout;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->url);
  g_free (fetch->proxy);
  g_clear_pointer (&fetch->proxy_credentials, oc_credentials_unref);
  g_free (fetch);
}

static const char *
find_field (struct curl_slist *fields,
            const char        *name)
{
  gsize length = strlen (name);

  for (struct curl_slist *f = fields; f != NULL; f = f->next)
    if (strncmp (f->data, name, length) == 0 && f->data[length] == ':')
      return f->data + length + 1;
  return NULL;
}

static void
fetch_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Fetch *fetch = task_data;
  g_autoptr (CURL) easy = curl_easy_init ();
  g_autoptr (GUri) uri = g_uri_parse (fetch->url, G_URI_FLAGS_ENCODED, NULL);
  struct curl_certinfo *info = NULL;
  char error_buffer[CURL_ERROR_SIZE] = "";
  OcCertificate *certificate;
  GError *error = NULL;
  CURLcode code;
  int port;

  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443;
  curl_easy_setopt (easy, CURLOPT_URL, fetch->url);
  curl_easy_setopt (easy, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt (easy, CURLOPT_CERTINFO, 1L);
  /* Only to read what the server presents; nothing is sent over it. */
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (easy, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, fetch->timeout);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT, fetch->timeout);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "https");
  if (fetch->proxy != NULL)
    curl_easy_setopt (easy, CURLOPT_PROXY, fetch->proxy);
  /* Through the proxy the page would go through, signed in the same way. */
  if (fetch->proxy_credentials != NULL)
    {
      curl_easy_setopt (easy, CURLOPT_PROXYAUTH, (long) (CURLAUTH_NEGOTIATE | CURLAUTH_NTLM));
      curl_easy_setopt (easy, CURLOPT_PROXYUSERNAME, oc_credentials_get_user (fetch->proxy_credentials));
      curl_easy_setopt (easy, CURLOPT_PROXYPASSWORD, oc_credentials_get_password (fetch->proxy_credentials));
    }
  else
    {
      curl_easy_setopt (easy, CURLOPT_PROXYAUTH, (long) CURLAUTH_NEGOTIATE);
      curl_easy_setopt (easy, CURLOPT_PROXYUSERPWD, ":");
    }

  code = curl_easy_perform (easy);
  if (code == CURLE_OK)
    curl_easy_getinfo (easy, CURLINFO_CERTINFO, &info);
  if (code != CURLE_OK || info == NULL || info->num_of_certs < 1 || find_field (info->certinfo[0], "Cert") == NULL)
    {
      g_task_return_new_error (task, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS,
                               "Could not read the certificate of %s: %s", g_uri_get_host (uri),
                               *error_buffer ? error_buffer : curl_easy_strerror (code));
      return;
    }
  certificate = oc_certificate_new_from_pem (g_uri_get_host (uri), (guint16) port,
                                             find_field (info->certinfo[0], "Cert"), &error);
  if (certificate == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  oc_certificate_set_details (certificate, find_field (info->certinfo[0], "Subject"),
                              find_field (info->certinfo[0], "Issuer"),
                              find_field (info->certinfo[0], "Start date"),
                              find_field (info->certinfo[0], "Expire date"));
  g_task_return_pointer (task, certificate, (GDestroyNotify) oc_certificate_unref);
}

/**
 * oc_certificate_fetch_async:
 * @url: an https URL
 * @proxy: (nullable): the proxy to connect through, as CURLOPT_PROXY takes
 *   it, or %NULL for libcurl's choice (http_proxy and friends)
 * @proxy_credentials: (nullable): the password for the proxy
 * @timeout_seconds: how long the handshake may take
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context with the certificate
 * @user_data: data for @callback
 *
 * Reads the certificate the server of @url presents, in a worker thread;
 * only the TLS handshake happens.
 */
void
oc_certificate_fetch_async (const char          *url,
                            const char          *proxy,
                            OcCredentials       *proxy_credentials,
                            guint                timeout_seconds,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->url = g_strdup (url);
  fetch->proxy = g_strdup (proxy);
  fetch->proxy_credentials = proxy_credentials ? oc_credentials_ref (proxy_credentials) : NULL;
  fetch->timeout = MAX (1, (long) timeout_seconds);
  g_task_set_source_tag (task, oc_certificate_fetch_async);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  g_task_run_in_thread (task, fetch_in_thread);
}

/**
 * oc_certificate_fetch_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the server's certificate
 */
OcCertificate *
oc_certificate_fetch_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
