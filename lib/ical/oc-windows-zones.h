/* oc-windows-zones.h: Windows time zone names to IANA zones (CLDR). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *oc_windows_zone_to_iana   (const char   *name);
guint       oc_windows_zone_get_count (void);
void        oc_windows_zone_get_nth   (guint         n,
                                       const char  **out_windows,
                                       const char  **out_iana,
                                       const char  **out_display);

G_END_DECLS
