/* oc-url-template.h: a calendar address made from an e-mail address. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *oc_url_template_expand (const char  *url_template,
                              const char  *email,
                              GError     **error);

G_END_DECLS
