/* oc-logon-form.h: Outlook Web Access's sign-in page, read and filled in. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OcLogonForm OcLogonForm;

OcLogonForm *oc_logon_form_parse        (const char   *html,
                                         gssize        length,
                                         const char   *page_url,
                                         GError      **error);
void         oc_logon_form_free         (OcLogonForm  *self);
const char  *oc_logon_form_get_action   (OcLogonForm  *self);
GBytes      *oc_logon_form_encode       (OcLogonForm  *self,
                                         const char   *user,
                                         const char   *password,
                                         const char   *destination);

gboolean     oc_logon_form_is_logon_url (const char   *url);
char        *oc_logon_form_guess_logon_url (const char *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcLogonForm, oc_logon_form_free)

G_END_DECLS
