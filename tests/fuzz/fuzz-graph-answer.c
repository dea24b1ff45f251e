/* fuzz-graph-answer.c: what Microsoft's identity platform and Microsoft Graph
 * (or whoever answers in their place) send back to lib/graph: JSON.
 *
 * Input: one selector byte, then the HTTP body. The selector's remainder
 * modulo 7 picks the reader:
 *   0 the token endpoint's answer (oc_graph_parse_token_answer(), with the ID
 *     token in it)
 *   1 the devicecode endpoint's answer (oc_graph_parse_device_code())
 *   2 getSchedule (oc_graph_parse_schedules())
 *   3 one page of calendarView (oc_graph_parse_events())
 *   4 users, one or a collection (oc_graph_parse_users())
 *   5 an error body, of the token endpoint and of Graph, with an HTTP status
 *     picked by the selector's quotient (oc_graph_error_from_*_response())
 *   6 an ID token by itself (oc_graph_parse_id_token_user())
 * Holds: an answer read or a GError with a message, never both nor neither;
 * an error body always makes an error; every occurrence ends no earlier than
 * it starts; every string read is valid UTF-8; a token answer read has an
 * access token, a device code its code, user code and address. */
#include "config.h"

#include "fuzz-common.h"
#include "fuzz-schedule-checks.h"
#include "oc-graph-error.h"
#include "oc-graph-parse.h"

/* The window of the recorded getSchedule answer: 2019-03-15 UTC, one day. */
#define WINDOW_START 1552608000
#define WINDOW_END   1552694400

static const guint statuses[] = { 200, 400, 401, 403, 404, 429, 500, 502, 503 };

static GTimeZone *berlin;

FUZZ_INIT (berlin = g_time_zone_new_identifier ("Europe/Berlin"); g_assert (berlin != NULL))

static void
read_token (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_auto (OcOAuthTokenAnswer) answer = { 0 };

  if (!oc_graph_parse_token_answer (body, &answer, &error))
    {
      check_error (error);
      g_assert (answer.access_token == NULL && answer.refresh_token == NULL);
      return;
    }
  g_assert (error == NULL);
  g_assert (answer.access_token != NULL);
  check_text (answer.access_token);
  check_text (answer.refresh_token);
  check_text (answer.user);
}

static void
read_device_code (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcOAuthDeviceCode) code = oc_graph_parse_device_code (body, &error);

  if (code == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  g_assert (code->device_code != NULL && code->user_code != NULL && code->verification_uri != NULL);
  check_text (code->device_code);
  check_text (code->user_code);
  check_text (code->verification_uri);
  check_text (code->message);
}

static void
read_schedules (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = oc_graph_parse_schedules (body, WINDOW_START, WINDOW_END, berlin, &error);

  if (schedules == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  for (guint i = 0; i < schedules->len; i++)
    check_schedule (g_ptr_array_index (schedules, i));
}

static void
read_events (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr (GPtrArray) instances = oc_graph_parse_events (body, berlin, &next, &error);

  if (instances == NULL)
    {
      check_error (error);
      g_assert (next == NULL);
      return;
    }
  g_assert (error == NULL);
  check_text (next);
  for (guint i = 0; i < instances->len; i++)
    check_instance (g_ptr_array_index (instances, i));
}

static void
read_users (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = oc_graph_parse_users (body, &error);

  if (contacts == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  for (guint i = 0; i < contacts->len; i++)
    {
      const OcContact *contact = g_ptr_array_index (contacts, i);
      g_assert (contact->id != NULL);
      check_text (contact->id);
      check_text (contact->display_name);
      check_text (contact->custom1);
    }
}

static void
read_error_body (GBytes *body,
                 guint   status)
{
  g_autoptr (GError) token = oc_graph_error_from_token_response (status, body, "client-1");
  g_autoptr (GError) graph = oc_graph_error_from_graph_response (status, body, "bob's calendar");

  check_error (token);
  check_error (graph);
  g_assert (token->domain == OC_GRAPH_ERROR && graph->domain == OC_GRAPH_ERROR);
}

static void
read_id_token (const uint8_t *data,
               size_t         size)
{
  g_autofree char *id_token = fuzz_string (data, size);
  g_autofree char *user = oc_graph_parse_id_token_user (id_token);

  check_text (user);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GBytes) body = NULL;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  switch (data[0] % 7)
    {
    case 0:
      read_token (body);
      break;
    case 1:
      read_device_code (body);
      break;
    case 2:
      read_schedules (body);
      break;
    case 3:
      read_events (body);
      break;
    case 4:
      read_users (body);
      break;
    case 5:
      read_error_body (body, statuses[(data[0] / 7) % G_N_ELEMENTS (statuses)]);
      break;
    default:
      read_id_token (data + 1, size - 1);
      break;
    }
  return 0;
}
