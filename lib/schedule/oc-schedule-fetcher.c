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

/**
 * oc_schedule_fetcher_get_details_async:
 * @self: a fetcher
 * @uid: an event's uid, from a schedule whose instance has
 *   details_on_request set
 * @zone: the viewer's zone
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the event
 * @user_data: for @callback
 *
 * Asks for what a schedule does not tell of an event: its notes, organizer
 * and attendees. A fetcher that cannot fails with %G_IO_ERROR_NOT_SUPPORTED.
 */
void
oc_schedule_fetcher_get_details_async (OcScheduleFetcher   *self,
                                       const char          *uid,
                                       GTimeZone           *zone,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  OcScheduleFetcherInterface *iface;

  g_return_if_fail (OC_IS_SCHEDULE_FETCHER (self));
  g_return_if_fail (uid != NULL && zone != NULL);

  iface = OC_SCHEDULE_FETCHER_GET_IFACE (self);
  if (iface->get_details_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, oc_schedule_fetcher_get_details_async, G_IO_ERROR,
                               G_IO_ERROR_NOT_SUPPORTED, "This server tells no more of an event than its calendar shows.");
      return;
    }
  iface->get_details_async (self, uid, zone, cancellable, callback, user_data);
}

/**
 * oc_schedule_fetcher_get_details_finish:
 * @self: a fetcher
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the event with its notes, organizer
 *   and attendees
 */
OcIcalInstance *
oc_schedule_fetcher_get_details_finish (OcScheduleFetcher *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (OC_IS_SCHEDULE_FETCHER (self), NULL);
  if (g_async_result_is_tagged (result, oc_schedule_fetcher_get_details_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return OC_SCHEDULE_FETCHER_GET_IFACE (self)->get_details_finish (self, result, error);
}
