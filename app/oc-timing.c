/* oc-timing.c: milestones for the benchmarks (OWACAL_TIMING=1).
 *
 * bench/ measures owacal from outside, by the wall clock, and reads these
 * lines on stderr to know when a page finished loading or settled.
 */
#include "config.h"
#include "oc-timing.h"

static gint64 started;
static gboolean enabled;

void
oc_timing_start (void)
{
  started = g_get_monotonic_time ();
  enabled = g_getenv ("OWACAL_TIMING") != NULL;
}

void
oc_timing_mark (const char *milestone,
                const char *detail)
{
  if (!enabled)
    return;
  g_printerr ("owacal: timing: %s %.1f ms %s\n", milestone, (g_get_monotonic_time () - started) / 1000.0,
              detail ? detail : "");
}
