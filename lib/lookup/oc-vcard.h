/* oc-vcard.h: the few things owacal reads from a vCard (RFC 6350 text). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *oc_vcard_get_text  (const char *vcard,
                              gssize      length,
                              const char *property);
GStrv     oc_vcard_get_texts (const char *vcard,
                              gssize      length,
                              const char *property);
gboolean  oc_vcard_has_text  (const char *vcard,
                              gssize      length,
                              const char *property,
                              const char *folded_value);

G_END_DECLS
