/* oc-calendar-layout.h: where overlapping events go, side by side. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An event in a day column, in minutes of the day. */
typedef struct {
  int start;
  int end;                     /* > start */
  /* Set by oc_calendar_layout_columns(): */
  int column;                  /* 0-based, from the left */
  int span;                    /* how many columns it may take */
  int columns;                 /* columns of its group of overlapping events */
} OcLayoutItem;

/* A bar across days (all-day events), in column indices [first, end). */
typedef struct {
  int first;
  int end;
  int lane;                    /* set by oc_calendar_layout_lanes() */
} OcLaneItem;

void oc_calendar_layout_columns (OcLayoutItem *items,
                                 guint         n);
int  oc_calendar_layout_lanes   (OcLaneItem   *items,
                                 guint         n);

G_END_DECLS
