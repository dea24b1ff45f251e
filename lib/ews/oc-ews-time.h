/* oc-ews-time.h: EWS's times (xs:dateTime) and time zones (Bias and transition rules). */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

char      *oc_ews_time_format          (gint64         utc_seconds,
                                        gboolean       with_z);
gboolean   oc_ews_time_parse           (const char    *text,
                                        GTimeZone     *zone,
                                        gint64        *out_utc_seconds);
gint64     oc_ews_time_all_day_date    (gint64         utc_seconds,
                                        GTimeZone     *zone);

xmlNode   *oc_ews_time_zone_add_utc    (xmlNode       *parent);
char      *oc_ews_time_zone_to_posix   (const xmlNode *time_zone);
GTimeZone *oc_ews_time_zone_parse      (const xmlNode *time_zone);

G_END_DECLS
