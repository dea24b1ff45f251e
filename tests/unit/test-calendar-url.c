/* Calendar URLs per Exchange version and template, and which existing values
 * owacal may replace. */
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
  /* 2007 to 2019: the primary SMTP address, from SMTP: before mail. */
  { "2007", NULL, TRUE, "mail.example.test", ALICE,
    "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2010", NULL, TRUE, "mail.example.test", "mail=old@example.test;proxyAddresses=SMTP:new@example.test",
    "https://mail.example.test/owa/new@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2013", NULL, FALSE, "mail.example.test", "mail=bob@example.test",
    "http://mail.example.test/owa/bob@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2016", NULL, TRUE, "mail.example.test", "proxyAddresses=smtp:x@example.test|SMTP:dave@example.test",
    "https://mail.example.test/owa/dave@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2019", NULL, TRUE, "mail.example.test", "mailNickname=nobody", NULL, OC_CALENDAR_URL_ERROR_NO_ADDRESS },
  /* Characters an address may hold but a URL path may not are escaped; '@' and '+' stay. */
  { "2016", NULL, TRUE, "m", "mail=o#brien+cal@example.test",
    "https://m/owa/o%23brien+cal@example.test/?cmd=contents&module=calendar&view=weekly" },
  { "2016", NULL, TRUE, "m", "mail=a b%c/d@example.test",
    "https://m/owa/a%20b%25c%2Fd@example.test/?cmd=contents&module=calendar&view=weekly" },
  /* Bad configurations. */
  { "2022", NULL, TRUE, "m", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2016", NULL, TRUE, "", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2016", NULL, TRUE, "https://mail.example.test", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
  { "2016", NULL, TRUE, "mail.example.test/owa", ALICE, NULL, OC_CALENDAR_URL_ERROR_INVALID },
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
  /* What owacal writes, it recognises as its own. */
  g_assert_true (oc_calendar_url_is_calendar_of (url, result, entry));
}

typedef struct {
  const char *value;
  gboolean ours;
} OursRow;

/* Judged for alice (ALICE) with the 2016 configuration on mail.example.test. */
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
  { "owacal:alice@example.test", FALSE },
  { "cost centre 4711", FALSE },
  { "alice@example.test", FALSE },
  { "https:///owa/alice@example.test/", FALSE },
};

static void
test_ours_row (gconstpointer data)
{
  const OursRow *row = data;
  g_autoptr (OcLdapEntry) entry = entry_from_spec ("uid=alice,dc=example,dc=test", ALICE);
  g_autoptr (OcCalendarUrl) url = oc_calendar_url_new_for_exchange ("2016", TRUE, "mail.example.test", NULL);

  g_assert_cmpint (oc_calendar_url_is_calendar_of (url, row->value, entry), ==, row->ours);
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
  g_autofree char *link = oc_calendar_link_for_mailbox (entry, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (link, ==, "owacal:alice@example.test");
  g_assert_true (oc_calendar_link_is_link_of (link, entry));
  g_assert_true (oc_calendar_link_is_link_of ("OWACAL:a.example@corp.example.test", entry));
  g_assert_true (oc_calendar_link_is_link_of ("owacal://alice@example.test/", entry));
  g_assert_false (oc_calendar_link_is_link_of ("owacal:bob@example.test", entry));
  g_assert_false (oc_calendar_link_is_link_of ("owacal:", entry));
  g_assert_false (oc_calendar_link_is_link_of ("https://mail.example.test/owa/alice@example.test/", entry));
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
  g_autoptr (OcCalendarUrl) u2019 = oc_calendar_url_new_for_exchange ("2019", TRUE, "m.example.test", NULL);
  g_autofree char *d2003 = oc_calendar_url_describe (u2003);
  g_autofree char *d2019 = oc_calendar_url_describe (u2019);

  g_assert_cmpstr (d2003, ==, "Exchange 2000/2003 on http://e.example.test");
  g_assert_cmpstr (d2019, ==, "Exchange 2007-2019 web part on https://m.example.test");
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
  g_test_add_func ("/oc/calendar-url/link", test_link);
  g_test_add_func ("/oc/calendar-url/link-round-trip", test_link_round_trip);
  g_test_add_func ("/oc/calendar-url/describe", test_describe);
  return g_test_run ();
}
