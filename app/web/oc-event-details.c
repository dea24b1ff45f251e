/* oc-event-details.c: one event's notes and attendees, asked of Exchange
 * when the page shows them.
 *
 * A colleague's calendar folder, read with FindItem, tells when, what and
 * where, but not the notes or who is invited: Exchange tells those only
 * item by item (GetItem). So the page asks, when the user opens an event:
 *
 *   owacal-calendar://<id>/details/<person>?item=<ItemId>
 *
 * answered here with JSON (oc_calendar_details_to_json()), through the same
 * client as the calendar: the same sign-in, queue and error messages.
 */
#include "config.h"
#include "oc-event-details.h"

#include <string.h>

#include "oc-calendar-page.h"

static void
finish_with_json (WebKitURISchemeRequest *request,
                  char                   *json)
{
  gsize length = strlen (json);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_data (json, (gssize) length, g_free);
  g_autoptr (WebKitURISchemeResponse) response = webkit_uri_scheme_response_new (stream, (gint64) length);

  webkit_uri_scheme_response_set_content_type (response, "application/json; charset=utf-8");
  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
details_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (WebKitURISchemeRequest) request = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalInstance) event = oc_schedule_fetcher_get_details_finish (OC_SCHEDULE_FETCHER (source), result,
                                                                            &error);

  finish_with_json (request, oc_calendar_details_to_json (event, error));
}

typedef struct {
  WebKitURISchemeRequest *request;
  char *uid;
} Asking;

static void
fetcher_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Asking *asking = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcScheduleFetcher) fetcher = oc_exchange_access_get_fetcher_finish (OC_EXCHANGE_ACCESS (source), result,
                                                                                 &error);

  if (fetcher == NULL)
    oc_event_details_refuse (asking->request, error);
  else
    {
      g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
      oc_schedule_fetcher_get_details_async (fetcher, asking->uid, zone, NULL, details_cb,
                                             g_object_ref (asking->request));
    }
  g_object_unref (asking->request);
  g_free (asking->uid);
  g_free (asking);
}

/**
 * oc_event_details_answer:
 * @request: the page's request for the event's details
 * @access: who answers for colleagues on Exchange
 * @email: whose event
 * @uid: the event's uid (EWS: its ItemId)
 *
 * Answers @request with the event's notes and attendees, or with why they
 * could not be had.
 */
void
oc_event_details_answer (WebKitURISchemeRequest *request,
                         OcExchangeAccess       *access,
                         const char             *email,
                         const char             *uid)
{
  Asking *asking = g_new0 (Asking, 1);

  asking->request = g_object_ref (request);
  asking->uid = g_strdup (uid);
  oc_exchange_access_get_fetcher_async (access, email, NULL, fetcher_cb, asking);
}

/**
 * oc_event_details_refuse:
 * @request: the page's request for an event's details
 * @error: why there are none
 */
void
oc_event_details_refuse (WebKitURISchemeRequest *request,
                         const GError           *error)
{
  finish_with_json (request, oc_calendar_details_to_json (NULL, error));
}
