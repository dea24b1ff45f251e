#!/usr/bin/python3
"""Colleagues on Exchange 2016 and later: read through Exchange Web Services, drawn by owacal.

The EWS stand-in (tests/servers/ews.py) answers as Exchange 2016 behind Kerberos (Apache with
mod_auth_gssapi), NTLMv2 and Basic over https, and validates every request against Microsoft's
schema. Its people (tests/fixtures/ews/calendars.json): Bob gives alice Reviewer, Carol free/busy
only, Erin subjects and places, Dave nothing. The tests read the page's DOM and the stand-in's log
(every request, its mailboxes, whether it validated).
"""
import json
import os
import sys
import urllib.request
import ssl

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, main, read_jsonl  # noqa: E402

FACTS_JS = """(() => ({
  title: document.title,
  href: location.href,
  text: document.body.innerText,
  error: document.body.dataset.owacalError || null,
  events: [...document.querySelectorAll('button.event')].map((e) => ({
    person: Number(e.dataset.person), start: e.dataset.start, end: e.dataset.end, busy: e.dataset.busy,
    allDay: e.dataset.allDay === 'true', text: e.innerText, label: e.getAttribute('aria-label'),
    day: (e.closest('.day') || {dataset: {}}).dataset.date || null})),
  banners: [...document.querySelectorAll('.banner')].map((b) => ({
    kind: b.classList.contains('error') ? 'error' : b.classList.contains('info') ? 'info' : 'warning',
    person: Number(b.dataset.person), text: b.textContent})),
  free: [...document.querySelectorAll('.free-slot')].map((f) => ({
    day: f.closest('.day').dataset.date, start: f.dataset.start, end: f.dataset.end})),
}))()"""


class ExchangeTest(OwacalTestCase):
    def setUp(self):
        super().setUp()
        # The viewer is in Berlin: the week of 25 March 2024 ends with Europe's change to summer time.
        self.env["TZ"] = "Europe/Berlin"

    def ews(self, scheme):
        base = env(f"OC_TEST_EWS_{scheme}_URL")
        return base, f"{base}/EWS/Exchange.asmx", env(f"OC_TEST_EWS_{scheme}_LOG")

    def sign_in(self, scheme):
        """What a user of that server gives owacal: nothing for Kerberos (the ticket), a password otherwise."""
        if scheme == "NEGOTIATE":
            return []
        user = f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}" if scheme == "NTLM" else env("OC_TEST_USER")
        return ["--user", user, "--password-file", self.password_file(env("OC_TEST_PASSWORD"))]

    def open(self, scheme, *people, date="2024-03-13", view="week", name=None, expect=0):
        base, url, log = self.ews(scheme)
        since = count_lines(log)
        status, facts, result = self.snapshot(people[-1], "--ca-file", env("OC_TEST_TLS_CA"), "--ews-url", url,
                                              "--view", view, "--date", date, *self.sign_in(scheme), *people[:-1],
                                              name=name, script=FACTS_JS)
        self.assertEqual(status, expect, result.stderr + result.stdout[-2000:])
        requests = read_jsonl(log, since)
        # Every SOAP request owacal sent is valid against Microsoft's schema.
        for request in requests:
            if request.get("operation"):
                self.assertTrue(request["valid"]["ok"], request)
        return facts, requests, result

    def test_reviewer_sees_events_with_subjects(self):
        facts, requests, _ = self.open("NEGOTIATE", "bob@example.test", name="exchange-reviewer")
        self.assertTrue(facts["title"].startswith("bob@example.test · 11 – 17 March 2024")
                        or facts["title"].startswith("Bob"), facts["title"])
        self.assertTrue(facts["href"].startswith("owacal-calendar://"), facts["href"])
        review = [e for e in facts["events"] if e["text"].startswith("Design review")]
        self.assertEqual(len(review), 1, facts["events"])
        # 13:00 UTC is 14:00 in Berlin in March (winter time).
        self.assertEqual(review[0]["start"], "2024-03-13T14:00")
        # A private appointment: when, not what.
        self.assertNotIn("Dentist", facts["text"])
        self.assertTrue(any(e["text"].startswith("Private") for e in facts["events"]), facts["events"])
        # Bob shares his calendar: nothing to say about it.
        self.assertEqual([b for b in facts["banners"] if b["kind"] != "info" or "shares" in b["text"]], [])
        operations = [r["operation"] for r in requests if r.get("operation")]
        self.assertIn("FindItem", operations)
        self.assertTrue(all(r["auth"] == "Negotiate" for r in requests if r.get("operation")), requests)

    def test_free_busy_colleague_as_blocks_with_a_notice(self):
        facts, requests, _ = self.open("NTLM", "carol@example.test", date="2024-03-11", name="exchange-free-busy")
        monday = [e for e in facts["events"] if e["day"] == "2024-03-11"]
        # Her customer call 15:00–16:00 UTC is 16:00–17:00 in Berlin: a block, without its subject.
        self.assertIn("2024-03-11T16:00", [e["start"] for e in monday], monday)
        self.assertNotIn("Customer call", facts["text"])
        self.assertNotIn("Off-site", facts["text"])
        notices = [b for b in facts["banners"] if b["kind"] == "info"]
        self.assertEqual(len(notices), 1, facts["banners"])
        self.assertIn("shares when they are busy, not what they do", notices[0]["text"])
        self.assertFalse([b for b in facts["banners"] if b["kind"] == "error"], facts["banners"])
        self.assertTrue(any(r.get("ntlm") == "type3-ok" for r in requests) or
                        any(r.get("auth") == "NTLM" for r in requests), requests[:3])

    def test_colleague_who_shares_nothing_is_refused_clearly(self):
        facts, requests, result = self.open("BASIC", "dave@example.test", expect=1)
        self.assertIn("does not share their calendar with you", result.stderr)
        self.assertIn("ErrorNoFreeBusyAccess", [c for r in requests for c in (r.get("codes") or [])])

    def test_unknown_mailbox_is_said_so(self):
        facts, requests, result = self.open("NEGOTIATE", "nobody@example.test", expect=1)
        self.assertRegex(result.stderr, "nobody@example.test")
        self.assertTrue(any(c.startswith("Error") for r in requests for c in (r.get("codes") or [])), requests)

    def test_team_of_three_in_one_availability_request(self):
        facts, requests, _ = self.open("NEGOTIATE", "bob@example.test", "carol@example.test", "erin@example.test",
                                       name="exchange-team")
        availability = [r for r in requests if r.get("operation") == "GetUserAvailability"]
        self.assertEqual(len(availability), 1, availability)
        self.assertEqual(sorted(availability[0]["mailboxes"]),
                         ["bob@example.test", "carol@example.test", "erin@example.test"])
        people = {e["person"] for e in facts["events"]}
        self.assertEqual(people, {0, 1, 2}, facts["events"])
        # Erin shares subjects and places: her design review is named; Carol's off-site is not.
        erin = [e for e in facts["events"] if e["person"] == 2]
        self.assertTrue(any(e["text"].startswith("Design review") for e in erin), erin)
        self.assertNotIn("Off-site", facts["text"])
        # Free for all: only where all three are at work and free. Bob and Erin work 09:00–17:00 in
        # Berlin, Carol 09:00–17:00 in New York (14:00–22:00 in Berlin that week): 14:00–17:00 at most.
        self.assertTrue(facts["free"], facts["text"][:500])
        for slot in facts["free"]:
            self.assertGreaterEqual(slot["start"], "14:00", slot)
            self.assertLessEqual(slot["end"], "17:00", slot)

    def test_week_across_a_change_to_summer_time(self):
        # Bob's weekly team sync is at 09:00 Berlin time, whatever UTC says: 08:00 UTC in winter
        # (19 March), 07:00 UTC in summer (2 April). The week between ends with the change
        # (Sunday 31 March): that week's sync was moved to Wednesday 13:00 UTC, 14:00 in Berlin.
        winter, _, _ = self.open("NEGOTIATE", "bob@example.test", date="2024-03-19")
        change, _, _ = self.open("NEGOTIATE", "bob@example.test", date="2024-03-26", name="exchange-dst-week")
        summer, _, _ = self.open("NEGOTIATE", "bob@example.test", date="2024-04-02")
        for facts, starts in ((winter, ["2024-03-19T09:00"]), (change, ["2024-03-27T14:00"]),
                              (summer, ["2024-04-02T09:00"])):
            syncs = [e for e in facts["events"] if e["text"].startswith("Team sync")]
            self.assertEqual([e["start"] for e in syncs], starts, facts["events"])
        self.assertIn("Team sync (moved to Wednesday)", change["text"])
        # Friday's release planning, 08:00 UTC, is 09:00 before the change.
        release = [e for e in change["events"] if e["text"].startswith("Release planning")]
        self.assertEqual([e["start"] for e in release], ["2024-03-29T09:00"])

    def test_web_part_on_exchange_2016_is_a_failure_or_read_through_ews(self):
        owa = env("OC_TEST_OWA_URL")
        urllib.request.urlopen(urllib.request.Request(f"{owa}/testbed/owa-version?v=2016", method="POST", data=b""),
                               timeout=10).read()
        web_part = f"{owa}/owa/bob@example.test/?cmd=contents&module=calendar&view=weekly"
        # OWA's own error page is no calendar: exit 1, and the page says what to do.
        status, facts, result = self.snapshot(web_part, script=FACTS_JS)
        self.assertEqual(status, 1, result.stdout[-1000:])
        self.assertEqual(facts["error"], "owa-refused", facts)
        self.assertIn("Exchange 2016 and later have no calendar web parts", facts["text"])
        self.assertIn("OwaExplicitLogonException", result.stderr)
        # With Exchange Web Services known, the same address shows Bob's calendar, read from there.
        _, url, log = self.ews("NEGOTIATE")
        since = count_lines(log)
        status, facts, result = self.snapshot(web_part, "--ews-url", url, "--ca-file", env("OC_TEST_TLS_CA"),
                                              "--date", "2024-03-13", script=FACTS_JS)
        self.assertEqual(status, 0, result.stderr + result.stdout[-1000:])
        self.assertTrue(facts["href"].startswith("owacal-calendar://"), facts["href"])
        self.assertIn("Design review", facts["text"])
        self.assertIn("bob@example.test", [m for r in read_jsonl(log, since) for m in (r.get("mailboxes") or [])])

    def test_a_second_owacal_shows_what_the_first_fetched(self):
        # (--snapshot runs on its own, as a separate owacal: this is the window's case.)
        _, url, log = self.ews("NEGOTIATE")
        since = count_lines(log)
        common = ["--ca-file", env("OC_TEST_TLS_CA"), "--ews-url", url, "--date", "2024-03-13"]
        self.start_owacal(*common, "bob@example.test")
        # The first owacal has drawn Bob's week (its tab has the page's title).
        self.wait_for(lambda: any(tab[1].startswith("bob@example.test · 11") for tab in self.list_tabs()),
                      timeout=60, interval=0.3, what="the first owacal's page of Bob's week")
        self.assertTrue(any(r.get("operation") == "FindItem" for r in read_jsonl(log, since)))
        fetched = count_lines(log)
        # A second `owacal bob@…` hands over to the first: its new tab shows what the first fetched.
        second = self.start_owacal(*common, "bob@example.test")
        self.assertEqual(second.wait(timeout=60), 0)
        self.wait_for(lambda: sum(tab[1].startswith("bob@example.test · 11") for tab in self.list_tabs()) == 2,
                      timeout=60, interval=0.3, what="a second tab of Bob's week")
        self.assertEqual(read_jsonl(log, fetched), [], "the second owacal asked Exchange again")

    def test_event_details_are_asked_for_when_shown(self):
        _, url, log = self.ews("NEGOTIATE")
        self.start_owacal("--ca-file", env("OC_TEST_TLS_CA"), "--ews-url", url, "--date", "2024-03-13",
                          "--view", "week", "bob@example.test")
        self.wait_for(lambda: any(tab[1].startswith("bob@example.test · 11") for tab in self.list_tabs()),
                      timeout=60, interval=0.3, what="Bob's week")
        since = count_lines(log)
        # What the page was given: FindItem tells no notes or attendees; a private event asks for none.
        data = json.loads(self.eval_in_tab("document.getElementById('event-data').textContent"))
        review = next(e for e in data.values() if e["title"] == "Design review")
        self.assertIsNone(review["description"])
        self.assertEqual(review["attendees"], [])
        self.assertTrue(review["more"].startswith("owacal-calendar://"), review)
        self.assertEqual([e["more"] for e in data.values() if e["private"]], [None])

        self.eval_in_tab("[...document.querySelectorAll('button.event')]"
                         ".find((b) => b.innerText.startsWith('Design review')).click(), 'clicked'")
        details = "document.getElementById('details').open + '|' + document.getElementById('details-list').innerText"
        shown = self.wait_for(lambda: (lambda text: "new week view" in text and text)(self.eval_in_tab(details)),
                              timeout=60, interval=0.3, what="the notes in the event's details")
        self.assertTrue(shown.startswith("true|"), shown)
        self.assertIn("The calendar page's new week view.", shown)
        self.assertIn("Dave Example <dave@example.test> (optional)", shown)
        self.assertIn("erin@example.test", shown)
        # One GetItem, valid against the schema, for that event only.
        operations = [r for r in read_jsonl(log, since) if r.get("operation")]
        self.assertEqual([r["operation"] for r in operations], ["GetItem"], operations)
        self.assertTrue(operations[0]["valid"]["ok"], operations[0])

        # Shown again: nothing is asked again.
        asked = count_lines(log)
        self.eval_in_tab("document.getElementById('details').close(), [...document.querySelectorAll('button.event')]"
                         ".find((b) => b.innerText.startsWith('Design review')).click(), 'again'")
        self.assertIn("new week view", self.eval_in_tab(details))
        self.assertEqual(read_jsonl(log, asked), [])

    def test_print_url_names_the_exchange_link(self):
        _, url, _ = self.ews("NEGOTIATE")
        result = self.run_owacal("--print-url", "--ews-url", url, "Bob@Example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), ["owacal:bob@example.test", f"exchange: {url}",
                                                      f"source: Exchange Web Services ({url})"])
        # Without Exchange's address, a person in no address book is not found, as before.
        result = self.run_owacal("--print-url", "--lookup-sources", "exchange", "bob@example.test")
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("Exchange Web Services: none set", result.stderr)

    def throttle(self, count, backoff):
        """The stand-in answers the next COUNT requests with ErrorServerBusy, BackOffMilliseconds BACKOFF."""
        base, _, _ = self.ews("BASIC")
        context = ssl.create_default_context(cafile=env("OC_TEST_TLS_CA"))
        request = urllib.request.Request(f"{base}/testbed/throttle?count={count}&backoff={backoff}", method="POST",
                                         data=b"")
        urllib.request.urlopen(request, context=context, timeout=10).read()

    def test_a_busy_server_is_waited_for(self):
        self.throttle(2, 300)
        facts, requests, result = self.open("BASIC", "carol@example.test", date="2024-03-11")
        codes = [c for r in requests for c in (r.get("codes") or [])]
        self.assertIn("ErrorServerBusy", codes)
        self.assertFalse([b for b in facts["banners"] if b["kind"] == "error"], facts["banners"])
        self.assertIn("2024-03-11T16:00", [e["start"] for e in facts["events"]])
        # A wait this short is not worth a word.
        self.assertNotIn("Exchange is busy", result.stderr)

    def test_a_long_wait_is_said(self):
        self.throttle(1, 2500)
        facts, requests, result = self.open("BASIC", "carol@example.test", date="2024-03-11")
        self.assertIn("ErrorServerBusy", [c for r in requests for c in (r.get("codes") or [])])
        # A --snapshot has no window to show it over the page: it says so on stderr.
        self.assertIn("owacal: Exchange is busy: owacal asks again in 3 seconds.", result.stderr)
        self.assertIn("2024-03-11T16:00", [e["start"] for e in facts["events"]])


if __name__ == "__main__":
    main()
