/* oc-ical-zone.h: a time zone of a calendar: an IANA zone or a VTIMEZONE. */
#pragma once

#include <glib.h>
#include <libical/ical.h>

G_BEGIN_DECLS

typedef struct _OcIcalZone OcIcalZone;

OcIcalZone *oc_ical_zone_new_utc           (void);
OcIcalZone *oc_ical_zone_new_iana          (const char    *identifier);
OcIcalZone *oc_ical_zone_new_vtimezone     (icalcomponent *vtimezone);
OcIcalZone *oc_ical_zone_new_for_gtimezone (GTimeZone     *gzone);
OcIcalZone *oc_ical_zone_ref               (OcIcalZone    *zone);
void        oc_ical_zone_unref             (OcIcalZone    *zone);

const char *oc_ical_zone_get_id            (OcIcalZone    *zone);
gboolean    oc_ical_zone_is_iana           (OcIcalZone    *zone);
GTimeZone  *oc_ical_zone_get_gtimezone     (OcIcalZone    *zone);
int         oc_ical_zone_get_offset        (OcIcalZone    *zone,
                                            gint64         utc);
gint64      oc_ical_zone_to_utc            (OcIcalZone    *zone,
                                            int            year,
                                            int            month,
                                            int            day,
                                            int            hour,
                                            int            minute,
                                            int            second);

char       *oc_ical_zone_resolve_tzid      (const char    *tzid);

gint64      oc_ical_civil_to_seconds       (int            year,
                                            int            month,
                                            int            day,
                                            int            hour,
                                            int            minute,
                                            int            second);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcIcalZone, oc_ical_zone_unref)

G_END_DECLS
