/* oc-ical-expander.h: the occurrences of a calendar's events in a range of time. */
#pragma once

#include "oc-ical-calendar.h"
#include "oc-ical-instance.h"
#include "oc-ical-zone.h"

G_BEGIN_DECLS

GPtrArray *oc_ical_expand (OcIcalCalendar *calendar,
                           OcIcalZone     *view_zone,
                           gint64          range_start,
                           gint64          range_end);
GPtrArray *oc_ical_expand_full (OcIcalCalendar *calendar,
                                OcIcalZone     *view_zone,
                                gint64          range_start,
                                gint64          range_end,
                                GPtrArray     **out_left_out);

G_END_DECLS
