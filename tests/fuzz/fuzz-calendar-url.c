/* fuzz-calendar-url.c: whether a value in the directory is a person's
 * calendar URL (oc-calendar-url.c), which decides whether owacal-provision may
 * replace it, and the URL a template makes.
 *
 * Input: a URL template, a value found in the directory, then the entry's
 * "attribute=value" lines. Holds: the URL owacal would write for the person
 * is recognised as theirs; a URL made by the template is http(s). */
#include "config.h"

#include "fuzz-common.h"
#include "oc-calendar-url.h"

FUZZ_INIT ()

static void
classify (OcCalendarUrl     *url,
          const char        *value,
          const OcLdapEntry *entry)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *own = oc_calendar_url_for_mailbox (url, entry, &error);
  g_autofree char *described = oc_calendar_url_describe (url);

  g_assert (described != NULL);
  (void) oc_calendar_url_is_calendar_of (url, value, entry);
  if (own == NULL)
    {
      g_assert (error != NULL);
      return;
    }
  /* A web-part or template URL, or for Exchange 2016 and later the owacal: link. */
  g_assert (g_ascii_strncasecmp (own, "http://", 7) == 0 || g_ascii_strncasecmp (own, "https://", 8) == 0 ||
            g_ascii_strncasecmp (own, "owacal:", 7) == 0);
  g_assert (oc_calendar_url_is_calendar_of (url, own, entry));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto (GStrv) lines = fuzz_fields (data, size, -1);
  const char *url_template = fuzz_field (lines, 0);
  const char *value = fuzz_field (lines, 1);
  g_autoptr (OcLdapEntry) entry = oc_ldap_entry_new ("uid=fuzz,dc=example,dc=com");
  g_autoptr (OcCalendarUrl) from_template = NULL;
  g_autoptr (OcCalendarUrl) exchange2016 = oc_calendar_url_new_for_exchange ("2016", TRUE, "mail.example.com", NULL);
  g_autoptr (OcCalendarUrl) exchange2003 = oc_calendar_url_new_for_exchange ("2003", FALSE, "exch.example.com", NULL);

  for (guint i = 2; i < g_strv_length (lines); i++)
    {
      char *eq = strchr (lines[i], '=');
      g_autofree char *attribute = eq && eq != lines[i] ? g_strndup (lines[i], eq - lines[i]) : NULL;

      if (attribute != NULL)
        oc_ldap_entry_add_value (entry, attribute, eq + 1);
    }
  from_template = oc_calendar_url_new_for_template (url_template, "mail.example.com", NULL);
  if (from_template != NULL)
    classify (from_template, value, entry);
  classify (exchange2016, value, entry);
  classify (exchange2003, value, entry);
  return 0;
}
