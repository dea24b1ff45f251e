/* oc-error-page.h: a failure, told in plain words as a page in the window. */
#pragma once

#include <glib.h>

#include "oc-certificate.h"

G_BEGIN_DECLS

const char *oc_error_page_title_for (const GError *error);
const char *oc_error_page_slug_for  (const GError *error);
char       *oc_error_page_render    (const GError *error,
                                     const char   *web_url);
char       *oc_error_page_render_certificate (const GError  *error,
                                              const char    *web_url,
                                              OcCertificate *certificate);

G_END_DECLS
