/* oc-timing.h: milestones for the benchmarks (OWACAL_TIMING=1). */
#pragma once

#include <glib.h>

void oc_timing_start (void);
void oc_timing_mark  (const char *milestone,
                      const char *detail);
