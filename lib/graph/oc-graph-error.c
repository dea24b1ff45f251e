/* oc-graph-error.c: why Microsoft 365 said no, in plain words with what to do.
 *
 * The identity platform answers with an OAuth error ("invalid_grant") and a
 * description that starts with its own code ("AADSTS50173: The provided grant
 * has expired …"). The OAuth word says little; the AADSTS number says what an
 * administrator has to change, so it decides the message. Graph answers with
 * {"error": {"code": "ErrorAccessDenied", "message": …}}, and getSchedule
 * with an error object per person ({"responseCode", "message"}).
 */
#include "config.h"
#include "oc-graph-error.h"

#include <json-glib/json-glib.h>

#include "oc-graph-parse.h"
#include "oc-http-error.h"

G_DEFINE_QUARK (oc-graph-error-quark, oc_graph_error)

/* The service's own words, up to the end of its first sentence and without the
 * trace and correlation ids, which help nobody reading a dialog. */
static char *
first_sentence (const char *description)
{
  const char *end;

  if (description == NULL)
    return g_strdup ("");
  end = strstr (description, "\r\n");
  if (end == NULL)
    end = strchr (description, '\n');
  return g_strstrip (end ? g_strndup (description, end - description) : g_strdup (description));
}

/**
 * oc_graph_error_parse_aadsts:
 * @description: (nullable): an error_description of the identity platform
 *
 * Returns: the number after "AADSTS" at its start, or 0
 */
guint
oc_graph_error_parse_aadsts (const char *description)
{
  const char *p;

  if (description == NULL)
    return 0;
  p = strstr (description, "AADSTS");
  if (p == NULL)
    return 0;
  return (guint) g_ascii_strtoull (p + strlen ("AADSTS"), NULL, 10);
}

/**
 * oc_graph_error_new_aad:
 * @error: the OAuth error ("invalid_grant", "access_denied", …)
 * @description: (nullable): its error_description
 * @client_id: (nullable): the application (client) ID owacal signed in with
 *
 * Returns: (transfer full): an %OC_GRAPH_ERROR saying what happened and what an
 *   administrator or the user has to do
 */
GError *
oc_graph_error_new_aad (const char *error,
                        const char *description,
                        const char *client_id)
{
  g_autofree char *said = first_sentence (description);
  guint code = oc_graph_error_parse_aadsts (description);
  const char *id = client_id ? client_id : "?";

  switch (code)
    {
    case 700016:
      return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_UNKNOWN_CLIENT,
                          "owacal is not registered in your organisation's Microsoft 365 (no application "
                          "with client ID %s). An administrator must register owacal as a public client "
                          "application (Microsoft Entra admin center → App registrations) and give you its "
                          "client ID and tenant. [%s]", id, said);
    case 65001:
    case 90094:
      return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_CONSENT_REQUIRED,
                          "Your organisation has not allowed owacal to read calendars yet. An administrator "
                          "must grant consent to owacal's permissions (Calendars.ReadBasic, "
                          "Calendars.Read.Shared, User.ReadBasic.All) in the Microsoft Entra admin center → "
                          "Enterprise applications → owacal → Permissions. [%s]", said);
    case 50105:
      return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_USER_NOT_ALLOWED,
                          "Your account is not allowed to use owacal. An administrator must assign you, or a "
                          "group you are in, to owacal (Microsoft Entra admin center → Enterprise applications "
                          "→ owacal → Users and groups). [%s]", said);
    case 53003:
      return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_CONDITIONAL_ACCESS,
                          "A Conditional Access policy of your organisation blocked the sign-in. Ask an "
                          "administrator which policy applies (the sign-in logs in the Microsoft Entra admin "
                          "center say) and what your device or location must meet. [%s]", said);
    case 50173:
    case 70008:
    case 700082:
    case 50076:
    case 50078:
    case 50079:
    case 54005:
      return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED,
                          "Your Microsoft 365 sign-in has expired or was revoked: sign in again. [%s]", said);
    case 70019:
      return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_CODE_EXPIRED,
                          "The sign-in code expired before it was entered: start the sign-in again. [%s]", said);
    default:
      break;
    }

  if (g_strcmp0 (error, "authorization_pending") == 0)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_PENDING, "The sign-in code was not entered yet.");
  if (g_strcmp0 (error, "slow_down") == 0)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SLOW_DOWN, "The sign-in service asks to be asked less often.");
  if (g_strcmp0 (error, "expired_token") == 0)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_CODE_EXPIRED,
                        "The sign-in code expired before it was entered: start the sign-in again. [%s]", said);
  if (g_strcmp0 (error, "authorization_declined") == 0 ||
      (g_strcmp0 (error, "access_denied") == 0 && code == 0))
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_DECLINED, "The sign-in was cancelled or declined.%s%s",
                        *said ? " " : "", said);
  if (g_strcmp0 (error, "invalid_grant") == 0 || g_strcmp0 (error, "interaction_required") == 0 ||
      g_strcmp0 (error, "login_required") == 0)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED,
                        "Microsoft 365 wants you to sign in again. [%s]", *said ? said : error);
  return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_FAILED,
                      "Microsoft 365 refused the sign-in (%s). [%s]", error ? error : "no reason given", said);
}

static JsonObject *
parse_object (GBytes     *body,
              JsonParser *parser)
{
  JsonNode *root;

  if (!oc_graph_json_load (parser, body, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

/* A member as the reference documents it, else @fallback: json-glib's own
 * getters fail an assertion on a member of another type ({"error": 1}), which
 * any server or proxy can send. */
static const char *
member_string (JsonObject *object,
               const char *name,
               const char *fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  /* json-glib 1.6 also reads escapes JSON has not (octal "\\202"), into
   * bytes that are not UTF-8: such a string is none. */
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
         g_utf8_validate (json_node_get_string (node), -1, NULL) ? json_node_get_string (node) : fallback;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * oc_graph_error_from_token_response:
 * @status: the token or devicecode endpoint's HTTP status
 * @body: (nullable): its JSON body
 * @client_id: (nullable): the application (client) ID
 *
 * Returns: (transfer full): the error the answer stands for
 */
GError *
oc_graph_error_from_token_response (guint       status,
                                    GBytes     *body,
                                    const char *client_id)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_object (body, parser);

  if (object == NULL || !json_object_has_member (object, "error"))
    return g_error_new (OC_GRAPH_ERROR, status >= 500 ? OC_GRAPH_ERROR_SERVER : OC_GRAPH_ERROR_INVALID_RESPONSE,
                        "The Microsoft sign-in service answered %u without an error a client can read.", status);
  return oc_graph_error_new_aad (member_string (object, "error", NULL),
                                 member_string (object, "error_description", NULL), client_id);
}

/**
 * oc_graph_error_from_graph_response:
 * @status: Microsoft Graph's HTTP status (4xx or 5xx)
 * @body: (nullable): its JSON body
 * @what: what was asked for, for the message ("Bob's calendar")
 *
 * Returns: (transfer full): the error the answer stands for
 */
GError *
oc_graph_error_from_graph_response (guint       status,
                                    GBytes     *body,
                                    const char *what)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_object (body, parser);
  JsonObject *error = member_object (object, "error");
  const char *code = member_string (error, "code", "");
  const char *message = member_string (error, "message", "");

  if (status == 401)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED,
                        "Microsoft Graph did not accept the sign-in for %s: sign in again. [%s: %s]",
                        what, code, message);
  if (status == 403)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_ACCESS_DENIED,
                        "%s is not shared with you. [%s: %s]", what, code, message);
  if (status == 404)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_NOT_FOUND,
                        "Microsoft 365 knows no %s. Check the address. [%s: %s]", what, code, message);
  if (status == 429 || status == 503)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_THROTTLED,
                        "Microsoft Graph is too busy to answer for %s now; try again in a few minutes. [%s]",
                        what, code);
  return g_error_new (OC_GRAPH_ERROR, error ? OC_GRAPH_ERROR_SERVER : OC_GRAPH_ERROR_INVALID_RESPONSE,
                      "Microsoft Graph could not answer for %s (%u). [%s: %s]", what, status, code, message);
}

/**
 * oc_graph_error_from_schedule_error:
 * @response_code: (nullable): getSchedule's responseCode for one person
 * @message: (nullable): its message
 * @email: whose schedule
 *
 * Returns: (transfer full): %OC_GRAPH_ERROR_NOT_FOUND for an address the
 *   directory does not know, %OC_GRAPH_ERROR_ACCESS_DENIED otherwise
 */
GError *
oc_graph_error_from_schedule_error (const char *response_code,
                                    const char *message,
                                    const char *email)
{
  /* 5009 is what Exchange Online says for an address it cannot resolve (seen
   * in the wild; the reference documents only that there is an error). */
  if (g_strcmp0 (response_code, "5009") == 0 || g_strcmp0 (response_code, "ErrorMailRecipientNotFound") == 0 ||
      g_strcmp0 (response_code, "ErrorInvalidSmtpAddress") == 0)
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_NOT_FOUND,
                        "Microsoft 365 knows nobody with the address %s. Check the address. [%s]",
                        email, message ? message : response_code);
  return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_ACCESS_DENIED,
                      "%s does not share their calendar with you, not even when they are busy. [%s: %s]",
                      email, response_code ? response_code : "", message ? message : "");
}

/**
 * oc_graph_error_from_http:
 * @http_error: an %OC_HTTP_ERROR from sending a request
 * @url: where it was sent
 *
 * Returns: (transfer full): %OC_GRAPH_ERROR_OFFLINE when the service could not
 *   be reached at all, else a copy of @http_error with @url in front
 */
GError *
oc_graph_error_from_http (const GError *http_error,
                          const char   *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : url;
  GError *copy;

  if (http_error->domain == OC_HTTP_ERROR &&
      (http_error->code == OC_HTTP_ERROR_HOST_NOT_FOUND || http_error->code == OC_HTTP_ERROR_CONNECTION_REFUSED ||
       http_error->code == OC_HTTP_ERROR_NETWORK || http_error->code == OC_HTTP_ERROR_TIMEOUT))
    return g_error_new (OC_GRAPH_ERROR, OC_GRAPH_ERROR_OFFLINE,
                        "Microsoft 365 cannot be reached (%s): this computer seems to be offline, or the "
                        "network blocks it. [%s]", host, http_error->message);
  copy = g_error_copy (http_error);
  g_prefix_error (&copy, "Asking %s: ", host);
  return copy;
}
