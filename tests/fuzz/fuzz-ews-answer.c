/* fuzz-ews-answer.c: what an Exchange server (or whoever answers in its
 * place) sends back to lib/ews: SOAP answers and Autodiscover's.
 *
 * Input: one selector byte, then the HTTP body. The selector picks the reader:
 *   0 GetUserAvailability (oc_ews_availability_parse(), four people asked)
 *   1 FindItem with a CalendarView (oc_ews_calendar_view_parse())
 *   2 GetItem (oc_ews_item_parse())
 *   3 any SOAP answer: faults, ServerVersionInfo (oc_ews_answer_parse())
 *   4 Autodiscover POX (oc_ews_autodiscover_parse_pox())
 *   5 Autodiscover SOAP (oc_ews_autodiscover_parse_soap())
 * Holds: an answer read or a GError with a message, never both nor neither;
 * every occurrence ends no earlier than it starts; every string read is valid
 * UTF-8; a schedule per person asked, in their order; an Autodiscover answer
 * that says where EWS is names it, one that redirects names where to. The
 * body is read without fetching anything (XML_PARSE_NONET, no external
 * entities): a fetch here would leave the sandbox and be a finding too. */
#include "config.h"

#include "fuzz-common.h"
#include "fuzz-schedule-checks.h"
#include "oc-ews-autodiscover-xml.h"
#include "oc-ews-availability.h"
#include "oc-ews-calendar-view.h"
#include "oc-ews-soap.h"

#include <libxml/parserInternals.h>

/* The window of the recorded answers: 2026-03-01 to 2026-04-12 UTC. */
#define WINDOW_START 1772323200
#define WINDOW_END   1775952000

static const char * const team[] = {
  "alice@example.test", "bob@example.test", "carol@example.test", "dave@example.test", NULL
};

static GTimeZone *berlin;

/* libxml2 asks this for every DTD or entity it would load, file or network:
 * lib/ews reads without loading any (no XML_PARSE_DTDLOAD, XML_PARSE_NOENT;
 * XML_PARSE_NONET besides), so any call is a finding. */
static xmlParserInputPtr
refuse_external_entity (const char       *url,
                        const char       *id,
                        xmlParserCtxtPtr  context)
{
  fuzz_fail ("an external entity was loaded: %s (%s)", url ? url : "no URL", id ? id : "no ID");
  return NULL;
}

FUZZ_INIT (berlin = g_time_zone_new_identifier ("Europe/Berlin"); g_assert (berlin != NULL);
           xmlSetExternalEntityLoader (refuse_external_entity))

static void
read_availability (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = oc_ews_availability_parse (body, team, WINDOW_START, WINDOW_END, berlin,
                                                               &error);

  if (schedules == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  g_assert_cmpuint (schedules->len, ==, g_strv_length ((GStrv) team));
  for (guint i = 0; i < schedules->len; i++)
    {
      const OcSchedule *schedule = g_ptr_array_index (schedules, i);
      check_schedule (schedule);
      g_assert_cmpstr (schedule->email, ==, team[i]);
    }
}

static void
read_calendar_view (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  gboolean complete = FALSE;
  g_autoptr (OcSchedule) schedule = oc_ews_calendar_view_parse (body, team[1], WINDOW_START, WINDOW_END, berlin,
                                                                &complete, &error);

  if (schedule == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  check_schedule (schedule);
}

static void
read_item (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcIcalInstance) item = oc_ews_item_parse (body, berlin, &error);

  if (item == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  check_instance (item);
}

static void
read_soap (GBytes *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAnswer) answer = oc_ews_answer_parse (body, NULL, &error);

  if (answer == NULL)
    {
      g_autofree char *code = NULL;

      check_error (error);
      code = oc_ews_error_dup_code (error);
      check_text (code);
      (void) oc_ews_error_get_back_off (error);
      return;
    }
  g_assert (error == NULL);
  g_assert (answer->doc != NULL && answer->operation != NULL);
  check_text (oc_ews_server_version_to_string (answer->server_version));
}

static void
read_autodiscover (GBytes  *body,
                   gboolean soap)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcEwsAutodiscoverAnswer) answer = soap ? oc_ews_autodiscover_parse_soap (body, &error)
                                                    : oc_ews_autodiscover_parse_pox (body, &error);

  if (answer == NULL)
    {
      check_error (error);
      return;
    }
  g_assert (error == NULL);
  check_text (answer->ews_url);
  check_text (answer->redirect);
  check_text (answer->server_version);
  if (answer->action == OC_EWS_AUTODISCOVER_SETTINGS && answer->ews_url == NULL)
    fuzz_fail ("an answer with settings and no EWS URL");
  if (answer->action != OC_EWS_AUTODISCOVER_SETTINGS && answer->redirect == NULL)
    fuzz_fail ("a redirect to nowhere");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GBytes) body = NULL;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  switch (data[0] % 6)
    {
    case 0:
      read_availability (body);
      break;
    case 1:
      read_calendar_view (body);
      break;
    case 2:
      read_item (body);
      break;
    case 3:
      read_soap (body);
      break;
    case 4:
      read_autodiscover (body, FALSE);
      break;
    default:
      read_autodiscover (body, TRUE);
      break;
    }
  return 0;
}
