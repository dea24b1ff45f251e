/* oc-ews-error.c: why Exchange Web Services did not answer as hoped, in plain words.
 *
 * Exchange says what went wrong with a ResponseCode (per item, or in a SOAP
 * fault's detail). owacal acts on a few of them and words each for the
 * person at the screen; the raw code and the server's own text stay at the
 * end of the message, in parentheses, for the administrator they are passed
 * on to. ErrorServerBusy also carries how long to wait (BackOffMilliseconds);
 * it is kept in that tail as "back off N ms" so that the error alone tells
 * the retry loop what to do (oc_ews_error_get_back_off()).
 */
#include "config.h"
#include "oc-ews-error.h"

#include <string.h>

#include "oc-schedule.h"

G_DEFINE_QUARK (oc-ews-error-quark, oc_ews_error)

#define BACK_OFF_MARK "; back off "

static const struct {
  const char *code;
  OcEwsError error;
} codes[] = {
  { "ErrorNonExistentMailbox", OC_EWS_ERROR_NO_MAILBOX },
  { "ErrorMailRecipientNotFound", OC_EWS_ERROR_NO_MAILBOX },
  { "ErrorRecipientNotFound", OC_EWS_ERROR_NO_MAILBOX },
  { "ErrorInvalidSmtpAddress", OC_EWS_ERROR_NO_MAILBOX },
  { "ErrorNonPrimarySmtpAddress", OC_EWS_ERROR_NO_MAILBOX },
  { "ErrorAccessDenied", OC_EWS_ERROR_ACCESS_DENIED },
  { "ErrorNoFreeBusyAccess", OC_EWS_ERROR_ACCESS_DENIED },
  { "ErrorFolderNotFound", OC_EWS_ERROR_FOLDER_NOT_FOUND },
  { "ErrorItemNotFound", OC_EWS_ERROR_ITEM_NOT_FOUND },
  { "ErrorServerBusy", OC_EWS_ERROR_SERVER_BUSY },
  { "ErrorTimeIntervalTooBig", OC_EWS_ERROR_WINDOW_TOO_LONG },
  { "ErrorCalendarViewRangeTooBig", OC_EWS_ERROR_WINDOW_TOO_LONG },
  { "ErrorSchemaValidation", OC_EWS_ERROR_SCHEMA },
  { "ErrorInvalidRequest", OC_EWS_ERROR_SCHEMA },
  { "ErrorIncorrectSchemaVersion", OC_EWS_ERROR_SCHEMA },
  { "ErrorInvalidServerVersion", OC_EWS_ERROR_SCHEMA },
  { "ErrorInvalidSchemaVersionForMailboxVersion", OC_EWS_ERROR_SCHEMA },
};

/**
 * oc_ews_error_from_code:
 * @response_code: (nullable): an EWS ResponseCode ("ErrorServerBusy")
 *
 * Returns: the error owacal makes of it, %OC_EWS_ERROR_FAILED for the rest
 */
OcEwsError
oc_ews_error_from_code (const char *response_code)
{
  for (guint i = 0; response_code != NULL && i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (codes[i].code, response_code))
      return codes[i].error;
  return OC_EWS_ERROR_FAILED;
}

static char *
describe (OcEwsError  error,
          const char *who)
{
  switch (error)
    {
    case OC_EWS_ERROR_NO_MAILBOX:
      return g_strdup_printf ("Exchange knows no mailbox %s. Check the address; the person may have "
                              "left or use another one.", who);
    case OC_EWS_ERROR_ACCESS_DENIED:
      return oc_sharing_describe (OC_SHARING_NONE, who);
    case OC_EWS_ERROR_FOLDER_NOT_FOUND:
      return g_strdup_printf ("The calendar of %s cannot be opened: it is not shared with you (Reviewer) "
                              "or does not exist.", who);
    case OC_EWS_ERROR_ITEM_NOT_FOUND:
      return g_strdup_printf ("This event of %s is no longer there, or you may not read it. "
                              "Reload the calendar.", who);
    case OC_EWS_ERROR_SERVER_BUSY:
      return g_strdup ("Exchange is busy and asked owacal to wait. Try again in a minute.");
    case OC_EWS_ERROR_WINDOW_TOO_LONG:
      return g_strdup ("Exchange refused to answer for so long a time at once.");
    case OC_EWS_ERROR_SCHEMA:
      return g_strdup ("Exchange did not understand owacal's request. This is a fault of owacal: "
                       "please report it with the text in parentheses.");
    case OC_EWS_ERROR_FAILED:
    default:
      return g_strdup_printf ("Exchange could not answer for %s.", who);
    }
}

/**
 * oc_ews_error_new_from_code:
 * @response_code: an EWS ResponseCode
 * @mailbox: (nullable): whose mailbox the request was about
 * @server_text: (nullable): the server's MessageText or faultstring
 * @back_off_ms: for ErrorServerBusy, the server's BackOffMilliseconds, or 0
 *
 * Returns: (transfer full): an error in %OC_EWS_ERROR, in plain words, with
 *   the code and the server's text at the end
 */
GError *
oc_ews_error_new_from_code (const char *response_code,
                            const char *mailbox,
                            const char *server_text,
                            guint       back_off_ms)
{
  OcEwsError code = oc_ews_error_from_code (response_code);
  g_autofree char *words = describe (code, mailbox != NULL ? mailbox : "this person");
  g_autofree char *back_off = back_off_ms > 0 ? g_strdup_printf (BACK_OFF_MARK "%u ms", back_off_ms) : NULL;

  return g_error_new (OC_EWS_ERROR, code, "%s (%s%s%s%s)", words, response_code,
                      server_text != NULL ? ": " : "", server_text != NULL ? server_text : "",
                      back_off != NULL ? back_off : "");
}

/**
 * oc_ews_error_get_back_off:
 * @error: (nullable): an error
 *
 * Returns: how long the server asked to wait before trying again, in
 *   milliseconds; 0 when it did not say
 */
guint
oc_ews_error_get_back_off (const GError *error)
{
  const char *mark;

  if (error == NULL || error->domain != OC_EWS_ERROR)
    return 0;
  mark = g_strrstr (error->message, BACK_OFF_MARK);
  if (mark == NULL)
    return 0;
  return (guint) MIN (g_ascii_strtoull (mark + strlen (BACK_OFF_MARK), NULL, 10), G_MAXUINT);
}

/**
 * oc_ews_error_dup_code:
 * @error: (nullable): an error made by oc_ews_error_new_from_code()
 *
 * Returns: (transfer full) (nullable): the ResponseCode it was made from
 */
char *
oc_ews_error_dup_code (const GError *error)
{
  const char *open;
  gsize length;

  /* The plain words never hold " (Error", so its first occurrence opens the tail. */
  if (error == NULL || error->domain != OC_EWS_ERROR || (open = strstr (error->message, " (Error")) == NULL)
    return NULL;
  open += 2;
  length = strcspn (open, ":;)");
  return g_strndup (open, length);
}
