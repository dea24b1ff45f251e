/* oc-curl-error.h: a failed libcurl transfer, told in plain words (internal to lib/). */
#pragma once

#include <glib.h>
#include <curl/curl.h>

G_BEGIN_DECLS

GError *oc_curl_error_new (const char *url,
                           CURLcode    code,
                           const char *error_buffer,
                           long        verify_result);

gboolean oc_curl_error_is_certificate_problem (CURLcode code,
                                               long     verify_result);

G_END_DECLS
