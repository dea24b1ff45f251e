/* oc-cookie-jar.h: document.cookie, answered from libcurl's cookie jar. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *oc_cookie_jar_document_cookie (const char *const *jar_lines,
                                     const char        *web_url,
                                     gint64             now);
char *oc_cookie_jar_line_from_document (const char        *web_url,
                                        const char        *assignment,
                                        const char *const *jar_lines,
                                        gint64             now);

G_END_DECLS
