/* oc-ical-scanner.h: iCalendar text into lines libical can take, with line numbers. */
#pragma once

#include <glib.h>

#include "oc-ical-calendar.h"

G_BEGIN_DECLS

/* One content line handed to libical, after unfolding. */
typedef struct {
  guint first_line;            /* 1-based physical lines of the file */
  guint last_line;
  gsize offset;                /* into OcIcalScan.clean */
  gsize length;
} OcIcalScanLine;

/* One BEGIN…END block, in the order of its BEGIN in the file. */
typedef struct {
  char *name;                  /* upper case: VEVENT, VTIMEZONE, … */
  guint begin_line;
  guint end_line;
  GArray *properties;          /* guint: indices into lines of its own property lines */
} OcIcalScanComponent;

typedef struct {
  GString *clean;              /* what libical parses: kept lines, CRLF-terminated */
  GArray *lines;               /* OcIcalScanLine */
  GArray *components;          /* OcIcalScanComponent */
  GPtrArray *problems;         /* OcIcalProblem */
  gboolean saw_calendar;       /* a BEGIN:VCALENDAR (or a component) was found */
} OcIcalScan;

OcIcalScan *oc_ical_scan      (const char *data,
                               gsize       length);
void        oc_ical_scan_free (OcIcalScan *scan);
char       *oc_ical_scan_dup_line (OcIcalScan *scan,
                                   guint       index);

OcIcalProblem *oc_ical_problem_new (guint       first_line,
                                    guint       last_line,
                                    const char *text,
                                    const char *reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcIcalScan, oc_ical_scan_free)

G_END_DECLS
