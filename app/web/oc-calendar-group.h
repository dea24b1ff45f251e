/* oc-calendar-group.h: the calendars of one command line, resolved for one tab. */
#pragma once

#include <gio/gio.h>

#include "oc-calendar-page.h"
#include "oc-resolver.h"
#include "oc-target.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *sources;          /* OcCalendarSource: published calendars, side by side */
  GPtrArray *others;           /* OcTarget: addresses that led to web pages (OWA) instead */
  GPtrArray *errors;           /* char *: lookups that found nothing */
} OcCalendarGroup;

gboolean         oc_calendar_group_wanted          (GPtrArray           *targets);
gboolean         oc_target_is_calendar             (const OcTarget      *target);
GObject         *oc_calendar_source_for_target     (const OcTarget      *target,
                                                    const char          *label,
                                                    GError             **error);
void             oc_calendar_group_resolve_async   (GPtrArray           *targets,
                                                    OcResolver          *resolver,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
OcCalendarGroup *oc_calendar_group_resolve_finish  (GAsyncResult        *result);
void             oc_calendar_group_free            (OcCalendarGroup     *group);
gboolean         oc_calendar_parse_start_options   (GVariantDict        *options,
                                                    OcCalendarView      *out_view,
                                                    GDate               *out_date,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcCalendarGroup, oc_calendar_group_free)

G_END_DECLS
