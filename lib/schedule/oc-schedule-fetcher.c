/* oc-schedule-fetcher.c: whatever tells colleagues' schedules over a range. */
#include "config.h"
#include "oc-schedule-fetcher.h"

G_DEFINE_INTERFACE (OcScheduleFetcher, oc_schedule_fetcher, G_TYPE_OBJECT)

static void
oc_schedule_fetcher_default_init (OcScheduleFetcherInterface *iface)
{
}

/**
 * oc_schedule_fetcher_fetch_async:
 * @self: a fetcher
 * @emails: (array zero-terminated=1): the colleagues
 * @start: the range's start, UTC seconds
 * @end: its end (exclusive)
 * @zone: the viewer's zone
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with one OcSchedule per colleague
 * @user_data: for @callback
 *
 * Asks for everyone at once, in as few requests as the server allows. A
 * colleague the server refuses or does not know gets a schedule with an
 * error; only a failure of the whole request fails.
 */
void
oc_schedule_fetcher_fetch_async (OcScheduleFetcher   *self,
                                 const char * const  *emails,
                                 gint64               start,
                                 gint64               end,
                                 GTimeZone           *zone,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (OC_IS_SCHEDULE_FETCHER (self));
  OC_SCHEDULE_FETCHER_GET_IFACE (self)->fetch_async (self, emails, start, end, zone, cancellable, callback,
                                                     user_data);
}

/**
 * oc_schedule_fetcher_fetch_finish:
 * @self: a fetcher
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type OcSchedule) (nullable): one
 *   schedule per colleague asked for
 */
GPtrArray *
oc_schedule_fetcher_fetch_finish (OcScheduleFetcher *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (OC_IS_SCHEDULE_FETCHER (self), NULL);
  return OC_SCHEDULE_FETCHER_GET_IFACE (self)->fetch_finish (self, result, error);
}
