/* oc-calendar-url.c: which URL opens a colleague's calendar, and whether a value
 * already in the directory is such a URL.
 *
 * Exchange 2000/2003 (KB 821900): http(s)://<front-end>/exchange/<alias>/Calendar/
 * with Cmd=contents and a View.  2007 to 2013 (TechNet bb232199, the "web part"):
 * https://<cas>/owa/<primary smtp>/?cmd=contents&module=calendar&view=weekly;
 * it needs only Reviewer rights on the calendar folder.  Exchange 2016, 2019 and
 * SE have no web parts any more ("Exchange 2016, Exchange 2019, and Exchange
 * Online no longer include support for Web Parts"): there the value is the
 * link owacal:<primary smtp>, which owacal opens through Exchange Web
 * Services, with whatever the colleague shares (free/busy by default).  Sites
 * that differ (a reverse proxy path, a daily view) give a template instead.
 *
 * owacal must never overwrite a value it did not write (issue 7).  The directory
 * keeps no record of who wrote a value, so "owacal's" means "a calendar URL of
 * this very mailbox": what this configuration would write, any http(s) URL whose
 * path is /owa/<one of the person's addresses>/ or /exchange/<alias or address>/
 * Calendar/, or an owacal: link to one of the person's addresses.  That covers
 * every earlier owacal run (another version, host or scheme: a web part written
 * for 2016 before owacal knew better is replaced by the link) and the classic AD
 * script owacal replaces, which wrote the same shapes; a cost centre, free text,
 * or someone else's URL or link is not recognised and stays.
 */
#include "config.h"
#include "oc-calendar-url.h"

#include <string.h>

#include "oc-mailbox.h"
#include "oc-target.h"

G_DEFINE_QUARK (oc-calendar-url-error-quark, oc_calendar_url_error)

struct _OcCalendarUrl {
  char *url_template;  /* with {mail}, {alias} and {host}; NULL for owacal: links */
  char *host;          /* nullable when the template does not use it */
  char *label;         /* for oc_calendar_url_describe() */
};

/* Helpers */

static gboolean
is_valid_host (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-.:[]", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A mailbox address or alias inside a URL path: everything but '/', '?', '#', '%'
 * and spaces may stay as it is ('@' included, as OWA's own links have it). */
static char *
escape_path_element (const char *text)
{
  return g_uri_escape_string (text, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH_ELEMENT, TRUE);
}

typedef struct {
  const char *mail;
  const char *alias;
  const char *host;
} Values;

/* Expands {mail}, {alias} and {host}.  An unknown placeholder, an unbalanced
 * brace or a placeholder without a value is an error naming it. */
static char *
expand (const char   *url_template,
        const Values *values,
        GError      **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *p = url_template; *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *name = NULL;
      g_autofree char *escaped = NULL;

      if (*p == '}')
        {
          g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                       "The URL template “%s” has a “}” without “{”", url_template);
          return NULL;
        }
      if (*p != '{')
        {
          g_string_append_c (out, *p);
          continue;
        }
      end = strchr (p, '}');
      if (end == NULL)
        {
          g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                       "The URL template “%s” has a “{” without “}”", url_template);
          return NULL;
        }
      name = g_strndup (p + 1, end - p - 1);
      p = end;
      /* {email} as in owacal's own --url-template means the same as {mail}. */
      if (strcmp (name, "email") == 0)
        {
          g_free (name);
          name = g_strdup ("mail");
        }
      if (strcmp (name, "host") == 0 && values->host != NULL)
        g_string_append (out, values->host);
      else if (strcmp (name, "host") == 0)
        {
          g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                       "The URL template uses {host}: give the OWA host name (--owa-host)");
          return NULL;
        }
      else if (strcmp (name, "mail") == 0 && values->mail != NULL)
        g_string_append (out, (escaped = escape_path_element (values->mail)));
      else if (strcmp (name, "mail") == 0)
        {
          g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ADDRESS,
                       "no primary SMTP address (neither an SMTP: proxy address nor mail)");
          return NULL;
        }
      else if (strcmp (name, "alias") == 0 && values->alias != NULL)
        g_string_append (out, (escaped = escape_path_element (values->alias)));
      else if (strcmp (name, "alias") == 0)
        {
          g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ALIAS, "no Exchange alias (mailNickname)");
          return NULL;
        }
      else
        {
          g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                       "The URL template “%s” has an unknown placeholder {%s}: use {mail} (or {email}), {alias} or {host}",
                       url_template, name);
          return NULL;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
in_strv_ci (char       **strv,
            const char  *text)
{
  for (; strv != NULL && *strv != NULL; strv++)
    if (g_ascii_strcasecmp (*strv, text) == 0)
      return TRUE;
  return FALSE;
}

/* /owa/<address>[/] or /exchange/<alias or address>/Calendar[/], for this person. */
static gboolean
is_known_calendar_path (const char        *path,
                        const OcLdapEntry *entry)
{
  g_autofree char *unescaped = g_uri_unescape_string (path, NULL);
  g_auto (GStrv) segments = NULL;
  g_auto (GStrv) addresses = NULL;
  guint n;

  if (unescaped == NULL)
    return FALSE;
  segments = g_strsplit (unescaped, "/", -1);
  n = g_strv_length (segments);
  /* Drop the empty segment a trailing slash leaves. */
  if (n > 1 && *segments[n - 1] == '\0')
    n--;
  addresses = oc_mailbox_dup_addresses (entry);
  if (n == 3 && *segments[0] == '\0' && g_ascii_strcasecmp (segments[1], "owa") == 0)
    return in_strv_ci (addresses, segments[2]);
  if (n == 4 && *segments[0] == '\0' && g_ascii_strcasecmp (segments[1], "exchange") == 0 &&
      g_ascii_strcasecmp (segments[3], "calendar") == 0)
    {
      const char *alias = oc_mailbox_get_alias (entry);

      return in_strv_ci (addresses, segments[2]) || (alias != NULL && g_ascii_strcasecmp (alias, segments[2]) == 0);
    }
  return FALSE;
}

/* Public API */

/**
 * oc_calendar_url_version_has_no_web_parts:
 * @version: an Exchange version as given to oc_calendar_url_new_for_exchange()
 *
 * Returns: whether that Exchange is 2016 or later (2016, 2019, SE in any
 *   case), where OWA has no calendar web part and owacal: links are written instead
 */
gboolean
oc_calendar_url_version_has_no_web_parts (const char *version)
{
  return version != NULL && (strcmp (version, "2016") == 0 || strcmp (version, "2019") == 0 ||
                             g_ascii_strcasecmp (version, "se") == 0);
}

/**
 * oc_calendar_url_new_for_exchange:
 * @version: "2003"; "2007", "2010", "2013" (the web part); "2016", "2019",
 *   "se" (owacal: links)
 * @https: https (else http); not used for owacal: links
 * @host: (nullable): the OWA host, optionally with ":port"; needed up to 2013,
 *   not used from 2016 on
 * @error: return location for an %OC_CALENDAR_URL_ERROR
 *
 * Returns: (transfer full) (nullable): the calendar URLs of that Exchange version
 */
OcCalendarUrl *
oc_calendar_url_new_for_exchange (const char *version,
                                  gboolean    https,
                                  const char *host,
                                  GError    **error)
{
  static const char * const web_part_versions[] = { "2007", "2010", "2013", NULL };
  g_autoptr (OcCalendarUrl) self = NULL;
  const char *scheme = https ? "https" : "http";
  gboolean exchange_2003;

  g_return_val_if_fail (version != NULL, NULL);

  /* No web parts: the owacal: link, whatever the server is called.  owacal
   * finds the server itself (Autodiscover) and reads what the colleague shares. */
  if (oc_calendar_url_version_has_no_web_parts (version))
    {
      self = g_new0 (OcCalendarUrl, 1);
      self->label = g_strdup_printf ("owacal: links for Exchange %s (it has no web parts; owacal reads the "
                                     "calendars through Exchange Web Services)",
                                     g_ascii_strcasecmp (version, "se") == 0 ? "SE" : version);
      return g_steal_pointer (&self);
    }
  exchange_2003 = strcmp (version, "2003") == 0 || strcmp (version, "2000") == 0;
  if (!exchange_2003 && !g_strv_contains (web_part_versions, version))
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                   "Unknown Exchange version “%s”: use 2003, 2007, 2010, 2013, 2016, 2019 or se", version);
      return NULL;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                   "Exchange %s's calendar URLs name the OWA server: give its name with --owa-host HOST "
                   "(2016, 2019 and se need none)", version);
      return NULL;
    }
  if (!is_valid_host (host))
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                   "“%s” is not a host name: give the OWA server's name, e.g. mail.example.com (--owa-host)", host);
      return NULL;
    }
  self = g_new0 (OcCalendarUrl, 1);
  self->host = g_strdup (host);
  if (exchange_2003)
    {
      self->url_template = g_strdup_printf ("%s://{host}/exchange/{alias}/Calendar/?Cmd=contents&View=Weekly", scheme);
      self->label = g_strdup_printf ("Exchange 2000/2003 on %s://%s", scheme, host);
    }
  else
    {
      self->url_template = g_strdup_printf ("%s://{host}/owa/{mail}/?cmd=contents&module=calendar&view=weekly", scheme);
      self->label = g_strdup_printf ("Exchange 2007-2013 web part on %s://%s", scheme, host);
    }
  return g_steal_pointer (&self);
}

/**
 * oc_calendar_url_new_for_template:
 * @url_template: an http(s) URL with {mail} (primary SMTP address; {email} is
 *   the same), {alias} (mailNickname) and {host} placeholders
 * @host: (nullable): the value of {host}
 * @error: return location for an %OC_CALENDAR_URL_ERROR
 *
 * Returns: (transfer full) (nullable): the calendar URLs the template makes
 */
OcCalendarUrl *
oc_calendar_url_new_for_template (const char *url_template,
                                  const char *host,
                                  GError    **error)
{
  g_autoptr (OcCalendarUrl) self = NULL;
  g_autofree char *sample = NULL;
  Values values = { "someone@example.com", "someone", host };

  g_return_val_if_fail (url_template != NULL, NULL);

  if (host != NULL && !is_valid_host (host))
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID, "“%s” is not a host name", host);
      return NULL;
    }
  sample = expand (url_template, &values, error);
  if (sample == NULL)
    return NULL;
  if ((g_ascii_strncasecmp (sample, "http://", 7) != 0 && g_ascii_strncasecmp (sample, "https://", 8) != 0) ||
      !g_uri_is_valid (sample, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID,
                   "The URL template “%s” does not make an http:// or https:// URL (it gives “%s”)", url_template, sample);
      return NULL;
    }
  self = g_new0 (OcCalendarUrl, 1);
  self->url_template = g_strdup (url_template);
  self->host = g_strdup (host);
  self->label = g_strdup_printf ("the template %s", url_template);
  return g_steal_pointer (&self);
}

/**
 * oc_calendar_url_free:
 * @self: (nullable): a calendar URL configuration
 */
void
oc_calendar_url_free (OcCalendarUrl *self)
{
  if (self == NULL)
    return;
  g_free (self->url_template);
  g_free (self->host);
  g_free (self->label);
  g_free (self);
}

/**
 * oc_calendar_url_describe:
 * @self: a calendar URL configuration
 *
 * Returns: (transfer full): e.g. "Exchange 2007-2013 web part on https://mail.example.com"
 */
char *
oc_calendar_url_describe (const OcCalendarUrl *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_strdup (self->label);
}

/**
 * oc_calendar_url_for_mailbox:
 * @self: a calendar URL configuration
 * @entry: a mailbox user's directory entry
 * @error: return location for an %OC_CALENDAR_URL_ERROR (NO_ADDRESS, NO_ALIAS)
 *
 * Returns: (transfer full) (nullable): the person's calendar URL
 */
char *
oc_calendar_url_for_mailbox (const OcCalendarUrl *self,
                             const OcLdapEntry   *entry,
                             GError             **error)
{
  Values values;

  g_return_val_if_fail (self != NULL && entry != NULL, NULL);

  /* Exchange 2016 and later: the very value --link-attribute writes. */
  if (self->url_template == NULL)
    return oc_calendar_link_for_mailbox (entry, error);
  values.mail = oc_mailbox_get_primary_address (entry);
  values.alias = oc_mailbox_get_alias (entry);
  values.host = self->host;
  return expand (self->url_template, &values, error);
}

/**
 * oc_calendar_url_is_calendar_of:
 * @self: a calendar URL configuration
 * @value: a value found in the directory
 * @entry: the entry it was found in
 *
 * Whether @value is a calendar URL of @entry's mailbox, i.e. one that owacal (or
 * the script it replaces) may have written and may therefore replace.  See the
 * comment at the top of this file.
 *
 * Returns: %TRUE if @value may be replaced without --force
 */
gboolean
oc_calendar_url_is_calendar_of (const OcCalendarUrl *self,
                                const char          *value,
                                const OcLdapEntry   *entry)
{
  g_autofree char *own = NULL;
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (self != NULL && value != NULL && entry != NULL, FALSE);

  own = oc_calendar_url_for_mailbox (self, entry, NULL);
  if (own != NULL && strcmp (own, value) == 0)
    return TRUE;
  /* What owacal writes for Exchange 2016 and later (and into --link-attribute). */
  if (oc_calendar_link_is_link_of (value, entry))
    return TRUE;
  uri = g_uri_parse (value, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;
  return is_known_calendar_path (g_uri_get_path (uri), entry);
}

/**
 * oc_calendar_link_for_mailbox:
 * @entry: a mailbox user's directory entry
 * @error: return location for %OC_CALENDAR_URL_ERROR_NO_ADDRESS
 *
 * The owacal: link to the person's calendar, "owacal:<primary address>", for an
 * attribute that Thunderbird shows as a clickable link. Characters that a link
 * reader would take for something else ('%', '/', '?') are percent-encoded, so
 * that oc_target_parse() and oc_calendar_link_is_link_of() read the link back
 * as this very address.
 *
 * Returns: (transfer full) (nullable): the link, or %NULL if the person has
 *   no primary address that is an e-mail address
 */
char *
oc_calendar_link_for_mailbox (const OcLdapEntry *entry,
                              GError           **error)
{
  const char *address = oc_mailbox_get_primary_address (entry);
  g_autofree char *escaped = NULL;
  g_autofree char *link = NULL;

  if (address == NULL)
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ADDRESS,
                   "no primary SMTP address (neither an SMTP: proxy address nor mail)");
      return NULL;
    }
  /* A link to "x@example.test/" or "//x@example.test" would open someone else,
   * or nothing: the link must read back as this person's, or none is made. */
  escaped = g_uri_escape_string (address, "@!$&'*+=", FALSE);
  link = g_strconcat ("owacal:", escaped, NULL);
  if (!oc_is_email_address (address) || !oc_calendar_link_is_link_of (link, entry))
    {
      g_set_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ADDRESS,
                   "the primary SMTP address “%s” is not an e-mail address an owacal: link can name", address);
      return NULL;
    }
  return g_steal_pointer (&link);
}

/**
 * oc_calendar_link_is_link_of:
 * @value: a value found in the directory
 * @entry: the entry it was found in
 *
 * Reads @value as owacal itself reads a clicked link (oc_target_parse()).
 *
 * Returns: whether @value is an owacal: link to one of @entry's addresses
 */
gboolean
oc_calendar_link_is_link_of (const char        *value,
                             const OcLdapEntry *entry)
{
  g_autoptr (OcTarget) target = NULL;

  g_return_val_if_fail (value != NULL && entry != NULL, FALSE);

  if (g_ascii_strncasecmp (value, "owacal:", 7) != 0)
    return FALSE;
  target = oc_target_parse (value, NULL);
  return target != NULL && target->kind == OC_TARGET_KIND_EMAIL && oc_mailbox_has_address (entry, target->value);
}

/**
 * oc_calendar_url_dup_web_part_mailbox:
 * @url: an address
 *
 * The mailbox an OWA calendar web part shows: the address in
 * https://HOST/owa/<address>/?cmd=contents&module=calendar (Exchange 2007 to
 * 2013), so that the same calendar can be read another way where web parts
 * are gone.
 *
 * Returns: (transfer full) (nullable): the mailbox's address, lower-cased, or
 *   %NULL when @url is no calendar web part
 */
char *
oc_calendar_url_dup_web_part_mailbox (const char *url)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *path = NULL;
  g_auto (GStrv) segments = NULL;
  const char *query;

  g_return_val_if_fail (url != NULL, NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  query = g_uri_get_query (uri);
  if (query == NULL || strstr (query, "module=calendar") == NULL)
    return NULL;
  path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  if (path == NULL)
    return NULL;
  segments = g_strsplit (path, "/", -1);
  /* "", "owa", "<address>", "" */
  if (g_strv_length (segments) < 3 || g_ascii_strcasecmp (segments[1], "owa") != 0 ||
      strchr (segments[2], '@') == NULL || strchr (segments[2], '@') == segments[2])
    return NULL;
  return g_ascii_strdown (segments[2], -1);
}
