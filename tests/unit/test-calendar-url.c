/* Calendar URLs per Exchange version (web parts up to 2013, owacal: links from
 * 2016 on) and template, and which existing values owacal may replace. */
#include "config.h"

#include <string.h>

#include "oc-calendar-url.h"
#include "oc-mailbox.h"
#include "oc-target.h"
#include "entry-spec.h"

#define ALICE "mail=alice@example.test;mailNickname=alice;proxyAddresses=SMTP:alice@example.test|smtp:a.example@corp.example.test"

typedef struct {
  const char *version;   /* NULL: template */
  const char *url_template;
  gboolean https;
  const char *host;
  const char *spec;
  const char *url;       /* NULL: an error is expected */
  int error_code;
} UrlRow;

static const UrlRow url_rows[] = {
  /* Exchange 2003: the alias; http or https. */
  { "2003", NULL, FALSE, "exch2003.example.test", ALICE,
    "http://exch2003.example.test/exchange/alice/Calendar/?Cmd=contents&View=Weekly" },
  { "2003", NULL, TRUE, "owa.example.test:8443", ALICE,
    "https://owa.example.test:8443/exchange/alice/Calendar/?Cmd=contents&View=Weekly" },
  { "2003", NULL, TRUE, "h", "mail=x@example.test", NULL, OC_CALENDAR_URL_ERROR_NO_ALIAS },
  /* 2007 to 2013, the web part: the primary SMTP address, from SMTP: before mail. */
  { "2007", NULL, TRUE, "mail.example.test", ALICE,
    "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2010", NULL, TRUE, "mail.example.test", "mail=old@example.test;proxyAddresses=SMTP:new@example.test",
    "https://mail.example.test/owa/new@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2013", NULL, FALSE, "mail.example.test", "mail=bob@example.test",
    "http://mail.example.test/owa/bob@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2013", NULL, TRUE, "mail.example.test", "proxyAddresses=smtp:x@example.test|SMTP:dave@example.test",
    "https://mail.example.test/owa/dave@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2013", NULL, TRUE, "mail.example.test", "mailNickname=nobody", NULL, OC_CALENDAR_URL_ERROR_NO_ADDRESS },
  /* Characters an address may hold but a URL path may not are escaped; '@' and '+' stay. */
  { "2013", NULL, TRUE, "m", "mail=o#brien+cal@example.test",
    "https://m/owa/o%23brien+cal@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2013", NULL, TRUE, "m", "mail=a b%c/d@example.test",
    "https://m/owa/a%20b%25c%2Fd@example.test/?cmd=contents&module=calendar&view=weekly" },
  /* 2016, 2019 and SE have no web parts: the owacal: link to the primary address,
   * never an /owa/ URL, with or without a host (which it does not use), http or not. */
  { "2016", NULL, TRUE, NULL, "proxyAddresses=smtp:x@example.test|SMTP:dave@example.test", "owacal:dave@example.test" },
  { "2016", NULL, TRUE, "mail.example.test", ALICE, "owacal:alice@example.test" },
  { "2019", NULL, TRUE, NULL, "mail=old@example.test;proxyAddresses=SMTP:new@example.test", "owacal:new@example.test" },
  { "2019", NULL, FALSE, "mail.example.test", ALICE, "owacal:alice@example.test" },
  { "2019", NULL, TRUE, "", ALICE, "owacal:alice@example.test" },
  { "se", NULL, TRUE, NULL, ALICE, "owacal:alice@example.test" },
  { "SE", NULL, TRUE, "cas.example.test:8443", ALICE, "owacal:alice@example.test" },
  { "2019", NULL, TRUE, NULL, "mailNickname=nobody", NULL, OC_CALENDAR_URL_ERROR_NO_ADDRESS },
  { "se", NULL, TRUE, NULL, "mail=o#brien+cal@example.test", "owacal:o%23brien+cal@example.test" },
  /* Bad configurations. */
  { "2022", NULL, TRUE, "m", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2022", NULL, TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "s", NULL, TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2013", NULL, TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2003", NULL, TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2013", NULL, TRUE, "", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2013", NULL, TRUE, "https://mail.example.test", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2010", NULL, TRUE, "mail.example.test/owa", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  /* Templates. */
  { NULL, "https://{host}/owa/{mail}/?cmd=contents&module=calendar&view=daily", TRUE, "mail.example.test", ALICE,
    "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar&view=daily" },
  { NULL, "https://proxy.example.test/calendars/{alias}?who={mail}", TRUE, NULL, ALICE,
    "https://proxy.example.test/calendars/alice?who=alice@example.test" },
  { NULL, "https://{host}/owa/{email}/", TRUE, "m.example.test", ALICE, "https://m.example.test/owa/alice@example.test/" },
  { NULL, "https://{host}/x/{alias}", TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { NULL, "https://h/{user}/", TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { NULL, "https://h/{mail/", TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { NULL, "https://h/mail}/", TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { NULL, "ftp://h/{mail}", TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { NULL, "{mail}", TRUE, NULL, ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { NULL, "https://h/{alias}/", TRUE, NULL, "mail=x@example.test", NULL, OC_CALENDAR_URL_ERROR_NO_ALIAS },
};

static OcCalendarUrl *
make_url (const UrlRow *row, GError **error)
{
  if (row->version != NULL)
    return oc_calendar_url_new_for_exchange (row->version, row->https, row->host, error);
  return oc_calendar_url_new_for_template (row->url_template, row->host, error);
}

static void
test_url_row (gconstpointer data)
{
  const UrlRow *row = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=x,dc=example,dc=test", row->spec);
  g_autoptr (OcCalendarUrl) url = make_url (row, &error);
  g_autofree char *result = NULL;

  if (url == NULL)
    {
      g_assert_null (row->url);
      g_assert_error (error, OC_CALENDAR_URL_ERROR, row->error_code);
      return;
    }
  g_assert_no_error (error);
  result = oc_calendar_url_for_mailbox (url, entry, &error);
  if (row->url == NULL)
    {
      g_assert_null (result);
      g_assert_error (error, OC_CALENDAR_URL_ERROR, row->error_code);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, row->url);
  if (oc_calendar_url_version_has_no_web_parts (row->version))
    g_assert_null (strstr (result, "/owa/"));
  /* What owacal writes, it recognises as its own. */
  g_assert_true (oc_calendar_url_is_calendar_of (url, result, entry));
}

typedef struct {
  const char *value;
  gboolean ours;
} OursRow;

/* Judged for alice (ALICE), the same with the 2013 configuration on
 * mail.example.test and with 2019's (owacal: links): what owacal or the script
 * before it wrote in any generation is owacal's. */
static const OursRow ours_rows[] = {
  /* Calendar URLs of alice's mailbox, whatever host, scheme, version or query. */
  { "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar", TRUE },
  { "https://old-cas.example.test/owa/alice@example.test/?cmd=contents&module=calendar&view=daily", TRUE },
  { "http://mail.example.test/owa/A.Example@Corp.Example.test/", TRUE },
  { "https://mail.example.test/owa/alice%40example.test/", TRUE },
  { "https://mail.example.test/owa/alice@example.test", TRUE },
  { "https://mail.example.test/owa/alice@example.test/#path=/calendar", TRUE },
  { "http://exch2003.example.test/exchange/alice/Calendar/?Cmd=contents", TRUE },
  { "http://exch2003.example.test/exchange/ALICE/calendar", TRUE },
  { "http://exch2003.example.test/exchange/alice@example.test/Calendar/", TRUE },
  /* Not hers, not a calendar, or not a URL at all: someone else's data. */
  { "https://mail.example.test/owa/bob@example.test/?cmd=contents&module=calendar", FALSE },
  { "http://exch2003.example.test/exchange/bob/Calendar/", FALSE },
  { "http://exch2003.example.test/exchange/alice/Inbox/", FALSE },
  { "https://mail.example.test/owa/alice@example.test/calendar/published.ics", FALSE },
  { "https://mail.example.test/owa/", FALSE },
  { "https://intranet.example.test/people/alice", FALSE },
  { "ftp://mail.example.test/owa/alice@example.test/", FALSE },
  /* owacal: links, what 2016 and later get (and --link-attribute): hers, or not. */
  { "owacal:alice@example.test", TRUE },
  { "OWACAL://A.Example@Corp.Example.test/", TRUE },
  { "owacal:alice%40example.test", TRUE },
  { "owacal:bob@example.test", FALSE },
  { "owacal:https://mail.example.test/owa/alice@example.test/", FALSE },
  { "owacal:", FALSE },
  { "cost centre 4711", FALSE },
  { "alice@example.test", FALSE },
  { "https:///owa/alice@example.test/", FALSE },
};

static void
test_ours_row (gconstpointer data)
{
  const OursRow *row = data;
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=alice,dc=example,dc=test", ALICE);
  g_autoptr (OcCalendarUrl) web_part = oc_calendar_url_new_for_exchange ("2013", TRUE, "mail.example.test", NULL);
  g_autoptr (OcCalendarUrl) link = oc_calendar_url_new_for_exchange ("2019", TRUE, NULL, NULL);

  g_assert_cmpint (oc_calendar_url_is_calendar_of (web_part, row->value, entry), ==, row->ours);
  g_assert_cmpint (oc_calendar_url_is_calendar_of (link, row->value, entry), ==, row->ours);
}

static void
test_template_recognised (void)
{
  /* A template's own output counts as owacal's even where the shapes above do not. */
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=alice,dc=example,dc=test", ALICE);
  g_autoptr (OcCalendarUrl) url = oc_calendar_url_new_for_template ("https://p.example.test/cal/{alias}", NULL, NULL);

  g_assert_true (oc_calendar_url_is_calendar_of (url, "https://p.example.test/cal/alice", entry));
  g_assert_false (oc_calendar_url_is_calendar_of (url, "https://p.example.test/cal/bob", entry));
}

static void
test_link (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=alice,dc=example,dc=test", ALICE);
  g_autoptr (OcLdapEntry) nobody = entry_from_spec ("uid=n,dc=example,dc=test", "mailNickname=n");
  g_autoptr (OcLdapEntry) odd = entry_from_spec ("uid=o,dc=example,dc=test", "mail=o#brien+x?y@example.test");
  g_autofree char *link = oc_calendar_link_for_mailbox (entry, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (link, ==, "owacal:alice@example.test");
  g_assert_true (oc_calendar_link_is_link_of (link, entry));
  g_assert_true (oc_calendar_link_is_link_of ("OWACAL:a.example@corp.example.test", entry));
  g_assert_true (oc_calendar_link_is_link_of ("owacal://alice@example.test/", entry));
  g_assert_false (oc_calendar_link_is_link_of ("owacal:bob@example.test", entry));
  g_assert_false (oc_calendar_link_is_link_of ("owacal:", entry));
  g_assert_false (oc_calendar_link_is_link_of ("https://mail.example.test/owa/alice@example.test/", entry));
  /* An address with characters a link must not carry as they are: escaped, and still hers. */
  g_clear_pointer (&link, g_free);
  link = oc_calendar_link_for_mailbox (odd, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link, ==, "owacal:o%23brien+x%3Fy@example.test");
  g_assert_true (oc_calendar_link_is_link_of (link, odd));
  /* The same person however a mail client spelled the link; never a file. */
  g_assert_true (oc_calendar_link_is_link_of ("owacal:alice%40example.test", entry));
  g_assert_false (oc_calendar_link_is_link_of ("owacal:/home/alice@example.test", entry));
  g_assert_false (oc_calendar_link_is_link_of ("owacal:alice@example.test.evil", entry));
  g_assert_null (oc_calendar_link_for_mailbox (nobody, &error));
  g_assert_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ADDRESS);
}

/* Whatever the directory holds, a link owacal writes opens that person (as
 * oc_target_parse() reads it) and is recognised as theirs again; a primary
 * address that is no e-mail address gives no link at all. */
static void
test_link_round_trip (void)
{
  static const struct { const char *spec; const char *link; } rows[] = {
    { "mail=alice@example.test", "owacal:alice@example.test" },
    { "proxyAddresses=SMTP:Bob.B@Example.test", "owacal:Bob.B@Example.test" },
    { "mail=a%41@example.test", "owacal:a%2541@example.test" },
    { "mail=a/b@example.test", "owacal:a%2Fb@example.test" },
    { "mail=a?b@example.test", "owacal:a%3Fb@example.test" },
    { "mail=carol@example.test.ics", "owacal:carol@example.test.ics" },
    { "mail=x@example.test/", NULL },
    { "proxyAddresses=SMTP://x@example.test", NULL },
    { "mail=/", NULL },
    { "mail= alice@example.test", NULL },
    { "mail=not an address", NULL },
    { "mail=../../secret.ics", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=x,dc=example,dc=test", rows[i].spec);
      g_autoptr (GError) error = NULL;
      g_autofree char *link = oc_calendar_link_for_mailbox (entry, &error);
      g_autoptr (OcTarget) target = NULL;

      g_test_message ("%s", rows[i].spec);
      g_assert_cmpstr (link, ==, rows[i].link);
      if (link == NULL)
        {
          g_assert_error (error, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_NO_ADDRESS);
          continue;
        }
      g_assert_true (oc_calendar_link_is_link_of (link, entry));
      target = oc_target_parse (link, &error);
      g_assert_no_error (error);
      g_assert_cmpint (target->kind, ==, OC_TARGET_KIND_EMAIL);
      g_assert_true (oc_mailbox_has_address (entry, target->value));
    }
}

static void
test_describe (void)
{
  g_autoptr (OcCalendarUrl) u2003 = oc_calendar_url_new_for_exchange ("2003", FALSE, "e.example.test", NULL);
  g_autoptr (OcCalendarUrl) u2013 = oc_calendar_url_new_for_exchange ("2013", TRUE, "m.example.test", NULL);
  g_autoptr (OcCalendarUrl) u2019 = oc_calendar_url_new_for_exchange ("2019", TRUE, "m.example.test", NULL);
  g_autoptr (OcCalendarUrl) use = oc_calendar_url_new_for_exchange ("se", TRUE, NULL, NULL);
  g_autofree char *d2003 = oc_calendar_url_describe (u2003);
  g_autofree char *d2013 = oc_calendar_url_describe (u2013);
  g_autofree char *d2019 = oc_calendar_url_describe (u2019);
  g_autofree char *dse = oc_calendar_url_describe (use);

  g_assert_cmpstr (d2003, ==, "Exchange 2000/2003 on http://e.example.test");
  g_assert_cmpstr (d2013, ==, "Exchange 2007-2013 web part on https://m.example.test");
  g_assert_cmpstr (d2019, ==, "owacal: links for Exchange 2019 (it has no web parts; owacal reads the calendars "
                              "through Exchange Web Services)");
  g_assert_true (g_str_has_prefix (dse, "owacal: links for Exchange SE ("));
}

static void
test_versions (void)
{
  const char *no_web_parts[] = { "2016", "2019", "se", "SE", "Se" };
  const char *web_parts[] = { "2003", "2007", "2010", "2013", "2022", "s", "" };
  g_autoptr (GError) unknown = NULL;
  g_autoptr (GError) no_host = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (no_web_parts); i++)
    g_assert_true (oc_calendar_url_version_has_no_web_parts (no_web_parts[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (web_parts); i++)
    g_assert_false (oc_calendar_url_version_has_no_web_parts (web_parts[i]));
  g_assert_false (oc_calendar_url_version_has_no_web_parts (NULL));

  /* The messages name what to give instead. */
  g_assert_null (oc_calendar_url_new_for_exchange ("2021", TRUE, NULL, &unknown));
  g_assert_error (unknown, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID);
  g_assert_cmpstr (unknown->message, ==, "Unknown Exchange version “2021”: use 2003, 2007, 2010, 2013, 2016, 2019 or se");
  g_assert_null (oc_calendar_url_new_for_exchange ("2013", TRUE, NULL, &no_host));
  g_assert_error (no_host, OC_CALENDAR_URL_ERROR, OC_CALENDAR_URL_ERROR_INVALID);
  g_assert_nonnull (strstr (no_host->message, "--owa-host HOST"));
  g_assert_nonnull (strstr (no_host->message, "2016, 2019 and se need none"));
}

static void
test_web_part_mailbox (void)
{
  static const struct {
    const char *url;
    const char *mailbox;
  } rows[] = {
    { "https://mail.example.test/owa/Bob@Example.test/?cmd=contents&module=calendar&view=weekly", "bob@example.test" },
    { "https://mail.example.test/owa/o%27brien@example.test/?cmd=contents&module=calendar", "o'brien@example.test" },
    { "https://mail.example.test/owa/bob@example.test/", NULL },
    { "https://mail.example.test/owa/?cmd=contents&module=calendar", NULL },
    { "https://mail.example.test/owa/@example.test/?module=calendar", NULL },
    { "https://mail.example.test/exchange/bob/Calendar/?Cmd=contents", NULL },
    { "not a url", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *mailbox = oc_calendar_url_dup_web_part_mailbox (rows[i].url);
      g_assert_cmpstr (mailbox, ==, rows[i].mailbox);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (url_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/calendar-url/url/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &url_rows[i], test_url_row);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (ours_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/calendar-url/ours/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &ours_rows[i], test_ours_row);
    }
  g_test_add_func ("/oc/calendar-url/template-recognised", test_template_recognised);
  g_test_add_func ("/oc/calendar-url/web-part-mailbox", test_web_part_mailbox);
  g_test_add_func ("/oc/calendar-url/link", test_link);
  g_test_add_func ("/oc/calendar-url/link-round-trip", test_link_round_trip);
  g_test_add_func ("/oc/calendar-url/describe", test_describe);
  g_test_add_func ("/oc/calendar-url/versions", test_versions);
  return g_test_run ();
}
