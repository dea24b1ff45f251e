/* oc-ews-schedule-cache.h: what was fetched of whom and when, for a page that moves through time. */
#pragma once

#include <glib.h>

#include "oc-schedule.h"

G_BEGIN_DECLS

typedef struct _OcEwsScheduleCache OcEwsScheduleCache;

OcEwsScheduleCache *oc_ews_schedule_cache_new          (void);
void                oc_ews_schedule_cache_free         (OcEwsScheduleCache *cache);
void                oc_ews_schedule_cache_store        (OcEwsScheduleCache *cache,
                                                        const OcSchedule   *schedule);
OcSchedule         *oc_ews_schedule_cache_lookup       (OcEwsScheduleCache *cache,
                                                        const char         *email,
                                                        gint64              start,
                                                        gint64              end);
GArray             *oc_ews_schedule_cache_missing      (OcEwsScheduleCache *cache,
                                                        const char         *email,
                                                        gint64              start,
                                                        gint64              end);
gboolean            oc_ews_schedule_cache_missing_span (OcEwsScheduleCache *cache,
                                                        const char * const *emails,
                                                        gint64              start,
                                                        gint64              end,
                                                        gint64             *out_start,
                                                        gint64             *out_end);
void                oc_ews_schedule_cache_forget       (OcEwsScheduleCache *cache,
                                                        const char         *email);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcEwsScheduleCache, oc_ews_schedule_cache_free)

G_END_DECLS
