/* oc-trusted-domain.h: which servers the user trusts with their sign-in. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean oc_trusted_domain_check   (const char  *pattern,
                                    GError     **error);
gboolean oc_trusted_domain_matches (const char  *pattern,
                                    const char  *url);

G_END_DECLS
