/* fuzz-logon-form.c: Outlook Web Access's sign-in page (oc-logon-form.c).
 *
 * The page is given with its length and no NUL after it, as a server's body
 * arrives. Holds: a form read has an http(s) action, and fills in to a body. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-logon-form.h"

FUZZ_INIT ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *html = fuzz_exact_copy (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLogonForm) form = oc_logon_form_parse (html, size, "https://mail.example.com/owa/auth/logon.aspx",
                                                      &error);
  if (form == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  {
    const char *action = oc_logon_form_get_action (form);
    g_autoptr (GBytes) body = oc_logon_form_encode (form, "EXAMPLE\\alice", "pä ss&=word",
                                                    "https://mail.example.com/owa/");

    g_assert (action != NULL);
    g_assert (g_str_has_prefix (action, "https://") || g_str_has_prefix (action, "http://"));
    g_assert (body != NULL);
    (void) oc_logon_form_is_logon_url (action);
  }
  return 0;
}
