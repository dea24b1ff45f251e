/* oc-ews-error.h: why Exchange Web Services did not answer as hoped, in plain words. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  OC_EWS_ERROR_NO_MAILBOX,          /* ErrorNonExistentMailbox, ErrorMailRecipientNotFound, … */
  OC_EWS_ERROR_ACCESS_DENIED,       /* ErrorAccessDenied, ErrorNoFreeBusyAccess */
  OC_EWS_ERROR_FOLDER_NOT_FOUND,    /* ErrorFolderNotFound: not there, or not shared */
  OC_EWS_ERROR_ITEM_NOT_FOUND,      /* ErrorItemNotFound */
  OC_EWS_ERROR_SERVER_BUSY,         /* ErrorServerBusy, HTTP 503: wait and retry */
  OC_EWS_ERROR_WINDOW_TOO_LONG,     /* ErrorTimeIntervalTooBig, ErrorCalendarViewRangeTooBig */
  OC_EWS_ERROR_SCHEMA,              /* ErrorSchemaValidation and the like: owacal's request is wrong */
  OC_EWS_ERROR_DISABLED,            /* HTTP 403 on /EWS: EWS is switched off for the user or server */
  OC_EWS_ERROR_BAD_XML,             /* the answer is no SOAP owacal can read */
  OC_EWS_ERROR_EXTENDED_PROTECTION, /* NTLM refused without channel binding */
  OC_EWS_ERROR_NOT_FOUND,           /* Autodiscover found no EWS server */
  OC_EWS_ERROR_FAILED,              /* any other ResponseCode */
} OcEwsError;

#define OC_EWS_ERROR (oc_ews_error_quark ())
GQuark      oc_ews_error_quark          (void);

OcEwsError  oc_ews_error_from_code      (const char   *response_code);
GError     *oc_ews_error_new_from_code  (const char   *response_code,
                                         const char   *mailbox,
                                         const char   *server_text,
                                         guint         back_off_ms);
guint       oc_ews_error_get_back_off   (const GError *error);
char       *oc_ews_error_dup_code       (const GError *error);

G_END_DECLS
