/* test-graph.c: lib/graph without a network: PKCE (RFC 7636's own vector),
 * the authorize URL and its redirect, and every answer shape of the identity
 * platform and Microsoft Graph that owacal reads, good and bad. */
#include "config.h"

#include "oc-graph-error.h"
#include "oc-graph-parse.h"
#include "oc-oauth-pkce.h"

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "graph", name,
                                            NULL);
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

static OcOAuthConfig *
test_config (void)
{
  return oc_oauth_config_new ("https://login.example.test/", "contoso.onmicrosoft.com", "client-1", NULL);
}

/* RFC 7636 appendix B: this verifier has this S256 challenge. */
static void
test_pkce_rfc7636_vector (void)
{
  g_autofree char *challenge = oc_oauth_pkce_challenge_s256 ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_pkce_fresh_values (void)
{
  g_autofree char *a = oc_oauth_pkce_new_verifier ();
  g_autofree char *b = oc_oauth_pkce_new_verifier ();
  g_autofree char *state = oc_oauth_pkce_new_state ();

  /* RFC 7636 4.1: 43–128 characters of [A-Za-z0-9-._~]. */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpuint (strspn (a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"), ==, 43);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpuint (strlen (state), >=, 22);
}

static void
test_pkce_authorize_url (void)
{
  g_autoptr (OcOAuthConfig) config = test_config ();
  g_autoptr (OcOAuthPkce) pkce = oc_oauth_pkce_new_with (config, "bob@contoso.com",
                                                         "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "st4te");
  g_autoptr (GUri) uri = g_uri_parse (pkce->authorize_url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr (GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);

  g_assert_cmpstr (g_uri_get_host (uri), ==, "login.example.test");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "client-1");
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, OC_OAUTH_DEFAULT_REDIRECT_URI);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "st4te");
  g_assert_cmpstr (g_hash_table_lookup (params, "login_hint"), ==, "bob@contoso.com");
  g_assert_nonnull (strstr (g_hash_table_lookup (params, "scope"), "offline_access"));
  g_assert_null (strstr (pkce->authorize_url, "dBjftJeZ"));  /* the verifier never leaves */
}

typedef struct {
  const char *uri;
  const char *code;          /* expected, or NULL */
  int error;                 /* OcGraphError when code is NULL */
} RedirectRow;

static void
test_pkce_redirects (void)
{
  static const RedirectRow rows[] = {
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?code=abc%2Bd&state=st4te&session_state=x", "abc+d", 0 },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "#code=frag&state=st4te", "frag", 0 },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?code=abc&state=other", NULL, OC_GRAPH_ERROR_STATE_MISMATCH },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?code=abc", NULL, OC_GRAPH_ERROR_STATE_MISMATCH },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?state=st4te", NULL, OC_GRAPH_ERROR_INVALID_RESPONSE },
    { "https://evil.example/common/oauth2/nativeclient?code=abc&state=st4te", NULL, OC_GRAPH_ERROR_INVALID_RESPONSE },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?error=consent_required&error_description=AADSTS65001%3A+The+user+or+"
      "administrator+has+not+consented.%0D%0ATrace+ID%3A+1&state=st4te", NULL, OC_GRAPH_ERROR_CONSENT_REQUIRED },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?error=access_denied&error_description=AADSTS50105%3A+blocked&state=st4te",
      NULL, OC_GRAPH_ERROR_USER_NOT_ALLOWED },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?error=access_denied&error_description=AADSTS53003%3A+CA&state=st4te",
      NULL, OC_GRAPH_ERROR_CONDITIONAL_ACCESS },
    { OC_OAUTH_DEFAULT_REDIRECT_URI "?error=access_denied&error_description=the+user+canceled&state=st4te",
      NULL, OC_GRAPH_ERROR_DECLINED },
  };
  g_autoptr (OcOAuthConfig) config = test_config ();
  g_autoptr (OcOAuthPkce) pkce = oc_oauth_pkce_new_with (config, NULL, "verifier-verifier-verifier-verifier-verif",
                                                         "st4te");

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *code = oc_oauth_pkce_parse_redirect (pkce, rows[i].uri, "client-1", &error);

      g_test_message ("%s", rows[i].uri);
      g_assert_cmpstr (code, ==, rows[i].code);
      if (rows[i].code == NULL)
        {
          g_assert_error (error, OC_GRAPH_ERROR, rows[i].error);
          g_assert_null (strstr (error->message, "Trace ID"));
        }
    }
  g_assert_true (oc_oauth_pkce_is_redirect (pkce, OC_OAUTH_DEFAULT_REDIRECT_URI "?x=1"));
  g_assert_false (oc_oauth_pkce_is_redirect (pkce, "https://login.microsoftonline.com/common/oauth2/other?x=1"));
}

static void
test_loopback_redirect_any_port (void)
{
  g_autoptr (OcOAuthConfig) config = oc_oauth_config_new (NULL, "organizations", "c", "http://localhost");
  g_autoptr (OcOAuthPkce) pkce = oc_oauth_pkce_new (config, NULL);

  g_assert_true (oc_oauth_pkce_is_redirect (pkce, "http://localhost:43123/?code=1"));
  g_assert_false (oc_oauth_pkce_is_redirect (pkce, "http://localhost.evil:43123/?code=1"));
}

/* Token endpoint answers */

static void
test_token_answer (void)
{
  /* An ID token whose payload is {"preferred_username":"Alice@Contoso.com","name":"A"}. */
  g_autoptr (GBytes) body = text_bytes (
    "{\"token_type\":\"Bearer\",\"scope\":\"https://graph.microsoft.com/Calendars.ReadBasic\",\"expires_in\":3599,"
    "\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\",\"id_token\":"
    "\"eyJ0eXAiOiJKV1QifQ.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJBbGljZUBDb250b3NvLmNvbSIsIm5hbWUiOiJBIn0.\"}");
  g_autoptr (GBytes) none = text_bytes ("{\"token_type\":\"mac\",\"access_token\":\"x\"}");
  g_autoptr (GBytes) junk = text_bytes ("<html>");
  g_auto (OcOAuthTokenAnswer) answer = { 0 };
  g_auto (OcOAuthTokenAnswer) bad = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (oc_graph_parse_token_answer (body, &answer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (answer.access_token, ==, "at-1");
  g_assert_cmpstr (answer.refresh_token, ==, "rt-1");
  g_assert_cmpstr (answer.user, ==, "alice@contoso.com");
  g_assert_cmpint (answer.expires_in, ==, 3599);
  g_assert_false (oc_graph_parse_token_answer (none, &bad, &error));
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_false (oc_graph_parse_token_answer (junk, &bad, &error));
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE);
}

/* A member of another kind than Graph's is taken as missing: json-glib's
 * *_with_default() getters fail an assertion on an object or an array
 * (found by fuzz-graph-answer); a number in a string is read. */
static void
test_members_of_the_wrong_kind (void)
{
  g_autoptr (GBytes) events_body = text_bytes (
    "{\"value\":[{\"id\":\"a\",\"subject\":\"S\",\"isAllDay\":{\"x\":1},\"isCancelled\":[true],"
    "\"start\":{\"dateTime\":\"2026-03-09T09:30:00.0000000\",\"timeZone\":\"UTC\"},"
    "\"end\":{\"dateTime\":\"2026-03-09T10:00:00.0000000\",\"timeZone\":\"UTC\"}}]}");
  g_autoptr (GBytes) string_expiry = text_bytes ("{\"token_type\":\"Bearer\",\"access_token\":\"at\",\"expires_in\":\"3599\"}");
  g_autoptr (GBytes) object_expiry = text_bytes ("{\"token_type\":\"Bearer\",\"access_token\":\"at\",\"expires_in\":{}}");
  g_autoptr (GTimeZone) utc_zone = g_time_zone_new_utc ();
  g_auto (OcOAuthTokenAnswer) from_string = { 0 };
  g_auto (OcOAuthTokenAnswer) from_object = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  OcIcalInstance *event;

  events = oc_graph_parse_events (events_body, utc_zone, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_false (event->all_day);
  g_assert_cmpint (event->end - event->start, ==, 30 * 60);

  g_assert_true (oc_graph_parse_token_answer (string_expiry, &from_string, &error));
  g_assert_cmpint (from_string.expires_in, ==, 3599);
  g_assert_true (oc_graph_parse_token_answer (object_expiry, &from_object, &error));
  g_assert_cmpint (from_object.expires_in, ==, 3600);
}

typedef struct {
  const char *error;
  guint aadsts;
  int expected;
} TokenErrorRow;

static void
test_token_errors (void)
{
  static const TokenErrorRow rows[] = {
    { "unauthorized_client", 700016, OC_GRAPH_ERROR_UNKNOWN_CLIENT },
    { "invalid_grant", 65001, OC_GRAPH_ERROR_CONSENT_REQUIRED },
    { "invalid_grant", 50173, OC_GRAPH_ERROR_SIGN_IN_REQUIRED },
    { "invalid_grant", 700082, OC_GRAPH_ERROR_SIGN_IN_REQUIRED },
    { "invalid_grant", 501481, OC_GRAPH_ERROR_SIGN_IN_REQUIRED },
    { "access_denied", 50105, OC_GRAPH_ERROR_USER_NOT_ALLOWED },
    { "access_denied", 53003, OC_GRAPH_ERROR_CONDITIONAL_ACCESS },
    { "authorization_pending", 70016, OC_GRAPH_ERROR_PENDING },
    { "slow_down", 70016, OC_GRAPH_ERROR_SLOW_DOWN },
    { "expired_token", 70019, OC_GRAPH_ERROR_CODE_EXPIRED },
    { "authorization_declined", 70000, OC_GRAPH_ERROR_DECLINED },
    { "invalid_scope", 70011, OC_GRAPH_ERROR_SIGN_IN_FAILED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"error\":\"%s\",\"error_description\":\"AADSTS%u: Words of the service.\\r\\nTrace ID: 0000\\r\\n"
        "Correlation ID: 1111\\r\\nTimestamp: 2026-01-01 00:00:00Z\",\"error_codes\":[%u],"
        "\"timestamp\":\"2026-01-01 00:00:00Z\",\"trace_id\":\"0000\",\"correlation_id\":\"1111\"}",
        rows[i].error, rows[i].aadsts, rows[i].aadsts);
      g_autoptr (GBytes) body = text_bytes (json);
      g_autoptr (GError) error = oc_graph_error_from_token_response (400, body, "client-1");

      g_test_message ("%s AADSTS%u: %s", rows[i].error, rows[i].aadsts, error->message);
      g_assert_error (error, OC_GRAPH_ERROR, rows[i].expected);
      g_assert_null (strstr (error->message, "Correlation ID"));
    }
  {
    g_autoptr (GBytes) html = text_bytes ("<html>busy</html>");
    g_autoptr (GError) error = oc_graph_error_from_token_response (503, html, NULL);
    g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SERVER);
  }
  g_assert_cmpuint (oc_graph_error_parse_aadsts ("AADSTS700016: Application"), ==, 700016);
  g_assert_cmpuint (oc_graph_error_parse_aadsts ("no code"), ==, 0);
}

static void
test_unknown_client_says_what_to_do (void)
{
  g_autoptr (GError) error = oc_graph_error_new_aad ("unauthorized_client", "AADSTS700016: Application with "
                                                     "identifier 'c-9' was not found.", "c-9");

  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_UNKNOWN_CLIENT);
  g_assert_nonnull (strstr (error->message, "c-9"));
  g_assert_nonnull (strstr (error->message, "administrator must register"));
}

static void
test_device_code (void)
{
  g_autoptr (GBytes) body = text_bytes (
    "{\"user_code\":\"FAGW7K9QS\",\"device_code\":\"DAQABAA\",\"verification_uri\":"
    "\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":5,\"message\":\"To sign in, use a web "
    "browser to open the page https://microsoft.com/devicelogin and enter the code FAGW7K9QS to authenticate.\"}");
  g_autoptr (GBytes) partial = text_bytes ("{\"user_code\":\"X\"}");
  g_autoptr (OcOAuthDeviceCode) code = oc_graph_parse_device_code (body, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (code);
  g_assert_cmpstr (code->user_code, ==, "FAGW7K9QS");
  g_assert_cmpstr (code->device_code, ==, "DAQABAA");
  g_assert_cmpstr (code->verification_uri, ==, "https://microsoft.com/devicelogin");
  g_assert_cmpint (code->interval, ==, 5);
  g_assert_cmpint (code->expires_in, ==, 900);
  g_assert_nonnull (strstr (code->message, "FAGW7K9QS"));
  g_assert_null (oc_graph_parse_device_code (partial, &error));
  g_assert_error (error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_INVALID_RESPONSE);
}

/* Graph answers */

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr (GDateTime) t = g_date_time_new_utc (y, mo, d, h, mi, 0);
  return g_date_time_to_unix (t);
}

static void
test_schedules (void)
{
  g_autoptr (GBytes) body = fixture ("schedules.json");
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GError) error = NULL;
  OcSchedule *adele, *megan, *nobody, *dave;
  OcIcalInstance *lunch, *first;

  schedules = oc_graph_parse_schedules (body, utc (2019, 3, 15, 0, 0), utc (2019, 3, 16, 0, 0), berlin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schedules->len, ==, 4);
  adele = g_ptr_array_index (schedules, 0);
  megan = g_ptr_array_index (schedules, 1);
  nobody = g_ptr_array_index (schedules, 2);
  dave = g_ptr_array_index (schedules, 3);

  /* Subjects where she allows them: limited details. 12:00 PDT = 19:00 UTC. */
  g_assert_cmpint (adele->sharing, ==, OC_SHARING_LIMITED);
  g_assert_cmpuint (adele->instances->len, ==, 2);
  lunch = g_ptr_array_index (adele->instances, 0);
  g_assert_cmpstr (lunch->summary, ==, "Let's go for lunch");
  g_assert_cmpstr (lunch->location, ==, "Harry's Bar");
  g_assert_cmpint (lunch->start, ==, utc (2019, 3, 15, 19, 0));
  g_assert_cmpint (lunch->end, ==, utc (2019, 3, 15, 21, 0));
  g_assert_cmpint (g_date_time_get_hour (lunch->local_start), ==, 20);  /* Berlin, UTC+1 in March 2019 */
  g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (adele->instances, 1))->privacy, ==, OC_PRIVACY_PRIVATE);
  g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (adele->instances, 1))->busy, ==, OC_BUSY_OUT_OF_OFFICE);
  g_assert_nonnull (adele->working_hours);
  g_assert_cmpuint (adele->working_hours->days, ==, 0x3e);       /* Monday (bit 1) … Friday (bit 5) */
  g_assert_cmpint (adele->working_hours->start_minute, ==, 8 * 60);
  g_assert_cmpint (adele->working_hours->end_minute, ==, 17 * 60);
  g_assert_cmpstr (g_time_zone_get_identifier (adele->working_hours->zone), ==, "America/Los_Angeles");

  /* Times only: free/busy; sorted; "free" items are no blocks. */
  g_assert_cmpint (megan->sharing, ==, OC_SHARING_FREE_BUSY);
  g_assert_cmpuint (megan->instances->len, ==, 2);
  first = g_ptr_array_index (megan->instances, 0);
  g_assert_cmpint (first->start, ==, utc (2019, 3, 15, 15, 30));
  g_assert_null (first->summary);
  g_assert_true (first->from_freebusy);
  g_assert_cmpint (((OcIcalInstance *) g_ptr_array_index (megan->instances, 1))->busy, ==, OC_BUSY_TENTATIVE);
  /* customTimeZone: bias 480 minutes west = UTC-8. */
  g_assert_cmpint (g_time_zone_get_offset (megan->working_hours->zone, 0), ==, -8 * 3600);
  g_assert_cmpuint (megan->working_hours->days, ==, (1u << 1) | (1u << 3));

  g_assert_cmpint (nobody->sharing, ==, OC_SHARING_UNKNOWN);
  g_assert_error (nobody->error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_NOT_FOUND);
  g_assert_cmpint (dave->sharing, ==, OC_SHARING_NONE);
  g_assert_error (dave->error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_ACCESS_DENIED);
}

static void
test_calendar_view (void)
{
  g_autoptr (GBytes) body = fixture ("calendar-view.json");
  g_autoptr (GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autofree char *next = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  OcIcalInstance *standup, *dentist, *offsite;
  OcIcalAttendee *carol;

  events = oc_graph_parse_events (body, ny, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);   /* the cancelled one is not shown */
  g_assert_nonnull (strstr (next, "%24skip=4"));

  standup = g_ptr_array_index (events, 0);
  g_assert_cmpstr (standup->summary, ==, "Daily stand-up");
  g_assert_cmpint (standup->start, ==, utc (2026, 3, 9, 8, 30));     /* 09:30 in Berlin */
  g_assert_true (standup->recurring);
  g_assert_cmpstr (standup->uid, ==, "040000008200E00074C5B7101A82E0080000000001");
  g_assert_cmpstr (standup->description, ==, "Yesterday, today, blockers.");
  g_assert_cmpstr (standup->organizer_email, ==, "bob@contoso.com");
  g_assert_cmpuint (standup->attendees->len, ==, 2);
  carol = g_ptr_array_index (standup->attendees, 1);
  g_assert_cmpstr (carol->role, ==, "OPT-PARTICIPANT");
  g_assert_cmpstr (carol->partstat, ==, "TENTATIVE");

  dentist = g_ptr_array_index (events, 1);
  g_assert_cmpint (dentist->privacy, ==, OC_PRIVACY_PRIVATE);
  g_assert_null (dentist->summary);
  g_assert_null (dentist->location);
  g_assert_cmpint (dentist->busy, ==, OC_BUSY_OUT_OF_OFFICE);

  /* All day: the same date at the viewer's midnights, whatever zone Graph used. */
  offsite = g_ptr_array_index (events, 2);
  g_assert_true (offsite->all_day);
  g_assert_cmpint (g_date_time_get_day_of_month (offsite->local_start), ==, 12);
  g_assert_cmpint (g_date_time_get_hour (offsite->local_start), ==, 0);
  g_assert_cmpint (offsite->end - offsite->start, ==, 24 * 3600);
  g_assert_cmpint (offsite->busy, ==, OC_BUSY_WORKING_ELSEWHERE);
}

typedef struct {
  guint status;
  const char *body;
  int expected;
} GraphErrorRow;

static void
test_graph_errors (void)
{
  static const GraphErrorRow rows[] = {
    { 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired.\"}}",
      OC_GRAPH_ERROR_SIGN_IN_REQUIRED },
    { 403, "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied.\"}}",
      OC_GRAPH_ERROR_ACCESS_DENIED },
    { 404, "{\"error\":{\"code\":\"ErrorInvalidUser\",\"message\":\"The requested user is invalid.\"}}",
      OC_GRAPH_ERROR_NOT_FOUND },
    { 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Please retry after\"}}", OC_GRAPH_ERROR_THROTTLED },
    { 500, "{\"error\":{\"code\":\"generalException\",\"message\":\"x\"}}", OC_GRAPH_ERROR_SERVER },
    { 502, "<html>Bad gateway</html>", OC_GRAPH_ERROR_INVALID_RESPONSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GBytes) body = text_bytes (rows[i].body);
      g_autoptr (GError) error = oc_graph_error_from_graph_response (rows[i].status, body, "bob's calendar");

      g_assert_error (error, OC_GRAPH_ERROR, rows[i].expected);
    }
}

static void
test_users (void)
{
  g_autoptr (GBytes) list = text_bytes ("{\"value\":[{\"id\":\"1\",\"displayName\":\"Bob Builder\","
                                        "\"mail\":\"bob@contoso.com\",\"userPrincipalName\":\"bob@contoso.com\"},"
                                        "{\"id\":\"2\",\"displayName\":\"No mail\",\"mail\":null,"
                                        "\"userPrincipalName\":\"nomail@contoso.com\"}]}");
  g_autoptr (GBytes) one = text_bytes ("{\"id\":\"3\",\"displayName\":\"Carol\",\"mail\":\"carol@contoso.com\"}");
  g_autoptr (GPtrArray) contacts = oc_graph_parse_users (list, NULL);
  g_autoptr (GPtrArray) single = oc_graph_parse_users (one, NULL);
  OcContact *bob, *nomail;

  g_assert_cmpuint (contacts->len, ==, 2);
  bob = g_ptr_array_index (contacts, 0);
  nomail = g_ptr_array_index (contacts, 1);
  g_assert_cmpstr (bob->display_name, ==, "Bob Builder");
  g_assert_cmpstr (bob->custom1, ==, "bob@contoso.com");
  g_assert_cmpstr (nomail->custom1, ==, "nomail@contoso.com");
  g_assert_cmpuint (single->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/graph/pkce/rfc7636-vector", test_pkce_rfc7636_vector);
  g_test_add_func ("/oc/graph/pkce/fresh-values", test_pkce_fresh_values);
  g_test_add_func ("/oc/graph/pkce/authorize-url", test_pkce_authorize_url);
  g_test_add_func ("/oc/graph/pkce/redirects", test_pkce_redirects);
  g_test_add_func ("/oc/graph/pkce/loopback-redirect", test_loopback_redirect_any_port);
  g_test_add_func ("/oc/graph/token/answer", test_token_answer);
  g_test_add_func ("/oc/graph/parse/members-of-the-wrong-kind", test_members_of_the_wrong_kind);
  g_test_add_func ("/oc/graph/token/errors", test_token_errors);
  g_test_add_func ("/oc/graph/token/unknown-client", test_unknown_client_says_what_to_do);
  g_test_add_func ("/oc/graph/token/device-code", test_device_code);
  g_test_add_func ("/oc/graph/parse/schedules", test_schedules);
  g_test_add_func ("/oc/graph/parse/calendar-view", test_calendar_view);
  g_test_add_func ("/oc/graph/parse/errors", test_graph_errors);
  g_test_add_func ("/oc/graph/parse/users", test_users);
  return g_test_run ();
}
