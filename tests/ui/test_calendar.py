#!/usr/bin/python3
"""Published calendars drawn by owacal: a week, three people side by side, fetched behind Kerberos.

The calendars are tests/fixtures/ical/people/*.ics: as files, and served by the OWA test site at
/owa/calendar/<guid>@<domain>/<name>/calendar.ics (an Exchange published-calendar address), also
behind Apache with mod_auth_gssapi. The tests read the page's DOM (which blocks are drawn where,
how overlapping ones sit side by side, which columns belong to whom), the servers' logs, and type
into the real window. Snapshots are kept in build/tests/artifacts/.
"""
import os
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import thunderbird_profile  # noqa: E402
from owacal_ui import (OwacalTestCase, count_lines, env, main, read_apache_log,  # noqa: E402
                       read_jsonl)

SOURCE_ROOT = os.environ.get("OWACAL_SOURCE_ROOT", "")
PEOPLE = os.path.join(SOURCE_ROOT, "tests", "fixtures", "ical", "people")
MALFORMED = os.path.join(SOURCE_ROOT, "tests", "fixtures", "ical", "malformed.ics")
GUID = "5f0c8e1e9a2b4c6d@example.test"

# What the page shows, read from its DOM.
CALENDAR_FACTS_JS = """(() => {
  const rect = (e) => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const data = (e) => e ? e.dataset : {};
  return {
    title: document.title,
    href: location.href,
    view: document.body.dataset.view || null,
    range: (document.getElementById('range') || {}).textContent || null,
    error: document.body.dataset.owacalError || null,
    text: document.body.innerText,
    events: [...document.querySelectorAll('button.event')].map((e) => ({
      uid: e.dataset.uid, person: Number(e.dataset.person), start: e.dataset.start, end: e.dataset.end,
      busy: e.dataset.busy, allDay: e.dataset.allDay === 'true', block: e.classList.contains('block'),
      chip: e.classList.contains('chip'), label: e.getAttribute('aria-label'), text: e.innerText,
      day: data(e.closest('.day')).date || null, rect: rect(e)})),
    days: [...document.querySelectorAll('.days .day')].map((d) => ({
      date: d.dataset.date, rect: rect(d),
      columns: [...d.querySelectorAll('.column')].map((c) => ({person: Number(c.dataset.person), rect: rect(c)}))})),
    heads: [...document.querySelectorAll('.day-head')].map((h) => ({
      date: h.dataset.date, rect: rect(h), people: [...h.querySelectorAll('.person-head')].map((p) => p.title)})),
    free: [...document.querySelectorAll('.free-slot')].map((f) => ({
      day: f.closest('.day').dataset.date, start: f.dataset.start, end: f.dataset.end, rect: rect(f)})),
    banners: [...document.querySelectorAll('.banner')].map((b) => ({
      kind: b.classList.contains('error') ? 'error' : 'warning', text: b.textContent,
      lines: [...b.querySelectorAll('li')].map((l) => Number(l.dataset.line))})),
    printable: [...document.styleSheets].some((s) => [...s.cssRules].some((r) => r.media && r.media.mediaText === 'print')),
  };
})()"""

DETAILS_JS = """(() => {
  const review = document.querySelector('[data-uid="alice-review"]');
  review.click();
  const dialog = document.getElementById('details');
  return {open: dialog.open, title: document.getElementById('details-title').textContent,
          text: dialog.innerText, focused: document.activeElement.className,
          link: (dialog.querySelector('a') || {}).href || null};
})()"""


def overlaps(a, b):
    return a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5 and \
        a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5


def inside(inner, outer):
    return outer["x"] - 0.5 <= inner["x"] and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + 0.5


class CalendarTest(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)

    def setUp(self):
        super().setUp()
        # The viewer is in Berlin; Carol's calendar is in New York.
        self.env["TZ"] = "Europe/Berlin"

    def published(self, base, name, leaf="calendar.ics"):
        return f"{base}/owa/calendar/{GUID}/{name}/{leaf}"

    def calendar_snapshot(self, *args, name=None, script=CALENDAR_FACTS_JS):
        status, facts, result = self.snapshot(args[-1], *args[:-1], name=name, script=script)
        self.assertEqual(status, 0, result.stderr + result.stdout[-2000:])
        self.assertIsNotNone(facts, result.stdout[-2000:])
        return facts

    def test_week_overlapping_all_day_recurring(self):
        facts = self.calendar_snapshot("--view", "week", "--date", "2024-03-13",
                                       os.path.join(PEOPLE, "alice.ics"), name="calendar-week")
        self.assertTrue(facts["title"].startswith("Alice Example · 11 – 17 March 2024"), facts["title"])
        self.assertTrue(facts["href"].startswith("owacal-calendar://"), facts["href"])
        self.assertEqual([d["date"] for d in facts["days"]],
                         [f"2024-03-{d}" for d in range(11, 18)])
        events = {}
        for event in facts["events"]:
            events.setdefault(event["uid"], []).append(event)

        # The recurring standup: one block a weekday, at 09:00 Berlin.
        standups = events["alice-standup"]
        self.assertEqual([e["day"] for e in standups], [f"2024-03-{d}" for d in range(11, 16)])
        self.assertTrue(all(e["start"].endswith("T09:00") and e["block"] for e in standups))

        # Review 10:00–11:30, supplier 10:30–11:00, budget 11:00–12:00: drawn side by side, never on top.
        review, supplier, budget = events["alice-review"][0], events["alice-supplier"][0], events["alice-budget"][0]
        for a, b in ((review, supplier), (review, budget)):
            self.assertLess(a["rect"]["y"], b["rect"]["y"] + b["rect"]["h"])
            self.assertFalse(overlaps(a["rect"], b["rect"]), (a, b))
        self.assertLess(review["rect"]["x"], supplier["rect"]["x"])
        self.assertAlmostEqual(supplier["rect"]["x"], budget["rect"]["x"], delta=1)
        monday = next(d for d in facts["days"] if d["date"] == "2024-03-11")
        for block in (review, supplier, budget):
            self.assertTrue(inside(block["rect"], monday["rect"]), block)
        # An hour is as tall everywhere: 10:00–11:30 is three times 10:30–11:00.
        self.assertAlmostEqual(review["rect"]["h"], 3 * supplier["rect"]["h"], delta=3)

        # All-day: the trade fair is one bar over Tuesday and Wednesday; the vacation is out of office.
        fair = events["alice-fair"]
        self.assertEqual(len(fair), 1)
        tuesday, wednesday = (next(h for h in facts["heads"] if h["date"] == d) for d in ("2024-03-12", "2024-03-13"))
        self.assertAlmostEqual(fair[0]["rect"]["x"], tuesday["rect"]["x"], delta=4)
        self.assertAlmostEqual(fair[0]["rect"]["x"] + fair[0]["rect"]["w"],
                               wednesday["rect"]["x"] + wednesday["rect"]["w"], delta=4)
        self.assertTrue(fair[0]["allDay"] and fair[0]["chip"])
        self.assertEqual(events["alice-vacation"][0]["busy"], "oof")
        self.assertEqual(events["alice-one-on-one"][0]["busy"], "tentative")
        self.assertEqual(events["alice-walk"][0]["busy"], "free")

        # Private: shown as busy, without what it is.
        self.assertEqual(events["alice-dentist"][0]["text"].split("\n")[0], "Private")
        self.assertNotIn("Dentist", facts["text"])
        self.assertNotIn("Zahn", facts["text"])
        self.assertTrue(facts["printable"])
        self.assertIn("Times in Europe/Berlin", facts["text"])

    def test_details(self):
        facts = self.calendar_snapshot("--date", "2024-03-11", "--view", "day", os.path.join(PEOPLE, "alice.ics"),
                                       name="calendar-details", script=DETAILS_JS)
        self.assertTrue(facts["open"])
        self.assertEqual(facts["title"], "Design review")
        for words in ("Monday, 11 March 2024, 10:00 – 11:30", "Room 4.12", "Alice Example <alice@example.test>",
                      "Bob Builder <bob@example.test>", "accepted", "Carol Jones <carol@example.test> (optional)",
                      "Mock-ups for the new booking flow."):
            self.assertIn(words, facts["text"])
        self.assertEqual(facts["link"], "https://meet.example.test/j/42")
        self.assertEqual(facts["focused"], "close")

    def test_side_by_side_three_people(self):
        files = [os.path.join(PEOPLE, f"{name}.ics") for name in ("alice", "bob", "carol")]
        facts = self.calendar_snapshot("--date", "2024-03-13", *files, name="calendar-side-by-side")
        self.assertTrue(facts["title"].startswith("Alice Example, Bob Builder and Carol Jones · 11 – 17 March 2024"))
        self.assertEqual(len(facts["days"]), 7)
        for day in facts["days"]:
            # One column per person, in order, left to right, inside the day.
            self.assertEqual([c["person"] for c in day["columns"]], [0, 1, 2])
            xs = [c["rect"]["x"] for c in day["columns"]]
            self.assertEqual(xs, sorted(xs))
            self.assertTrue(all(inside(c["rect"], day["rect"]) for c in day["columns"]))
        for head in facts["heads"]:
            self.assertEqual(head["people"], ["Alice Example", "Bob Builder", "Carol Jones"])
        # Every block sits in its owner's column of its day.
        blocks = [e for e in facts["events"] if e["block"]]
        self.assertGreater(len(blocks), 20)
        for event in blocks:
            day = next(d for d in facts["days"] if d["date"] == event["day"])
            column = next(c for c in day["columns"] if c["person"] == event["person"])
            self.assertTrue(inside(event["rect"], column["rect"]), event)
        owners = {e["uid"]: e["person"] for e in facts["events"]}
        self.assertEqual((owners["alice-review"], owners["bob-workshop"], owners["carol-planning"]), (0, 1, 2))
        # Carol's 08:00 in New York is 13:00 in Berlin this week (the US changed on 10 March).
        sync = [e for e in facts["events"] if e["uid"] == "carol-sync"]
        self.assertEqual([e["start"] for e in sync], [f"2024-03-{d}T13:00" for d in range(11, 16)])
        # Where nobody is busy, on Monday: 08:00–09:00, 09:15–10:00, 12:00–13:00, 15:00–16:00.
        monday = [(f["start"], f["end"]) for f in facts["free"] if f["day"] == "2024-03-11"]
        self.assertEqual(monday, [("08:00", "09:00"), ("09:15", "10:00"), ("12:00", "13:00"), ("15:00", "16:00")])
        # Tuesday Alice is at the trade fair, Friday out of office: no common slot.
        self.assertFalse([f for f in facts["free"] if f["day"] in ("2024-03-12", "2024-03-15")])
        # A free slot and a busy block never share space.
        for slot in facts["free"]:
            for event in blocks:
                if event["day"] == slot["day"] and event["busy"] in ("busy", "tentative", "oof"):
                    self.assertFalse(overlaps(slot["rect"], event["rect"]), (slot, event))

    def test_side_by_side_month_and_agenda(self):
        files = [os.path.join(PEOPLE, f"{name}.ics") for name in ("alice", "bob", "carol")]
        month = self.calendar_snapshot("--view", "month", "--date", "2024-03-13", *files, name="calendar-month")
        self.assertEqual(month["range"], "March 2024")
        self.assertIn("Vacation", month["text"])
        agenda = self.calendar_snapshot("--view", "agenda", "--date", "2024-03-13", *files, name="calendar-agenda")
        self.assertEqual(agenda["range"], "11 March – 7 April 2024")
        self.assertIn("Carol Jones", agenda["text"])

    def test_webcal_behind_negotiate(self):
        base = env("OC_TEST_NEGOTIATE_URL")
        link = "webcal" + self.published(base, "carol")[len("http"):]
        front_mark = count_lines(env("OC_TEST_NEGOTIATE_LOG"))
        backend_mark = count_lines(env("OC_TEST_NEGOTIATE_BACKEND_LOG"))
        facts = self.calendar_snapshot("--date", "2024-03-13", link, name="calendar-webcal-negotiate")
        self.assertTrue(facts["title"].startswith("Carol Jones · 11 – 17 March 2024"), facts["title"])
        self.assertIn("carol-planning", [e["uid"] for e in facts["events"]])
        # The .ics went over http (webcal:) and was signed in with Kerberos by owacal's client.
        fetched = [r for r in read_apache_log(env("OC_TEST_NEGOTIATE_LOG"), front_mark)
                   if "/carol/calendar.ics" in r.get("req", "")]
        self.assertTrue(any(r["status"] == "200" and r["auth"] == "Negotiate" and r["user"].startswith("alice")
                            for r in fetched), fetched)
        backend = [r for r in read_jsonl(env("OC_TEST_NEGOTIATE_BACKEND_LOG"), backend_mark)
                   if r["path"].endswith("/carol/calendar.ics")]
        self.assertTrue(backend and all(r["user"].startswith("alice") for r in backend), backend)

    def test_address_answering_text_calendar(self):
        # Not an .ics address: only the answer's Content-Type says it is a calendar.
        facts = self.calendar_snapshot("--date", "2024-03-13", self.published(env("OC_TEST_OWA_URL"), "bob", "feed"),
                                       name="calendar-answered-text-calendar")
        self.assertTrue(facts["href"].startswith("owacal-calendar://"), facts["href"])
        self.assertTrue(facts["title"].startswith("Bob Builder · "), facts["title"])
        self.assertIn("bob-workshop", [e["uid"] for e in facts["events"]])

    def test_addresses_side_by_side(self):
        # Three people whose address leads to a published calendar: one tab, a column each.
        template = self.published(env("OC_TEST_OWA_URL"), "{local}")
        facts = self.calendar_snapshot("--url-template", template, "--date", "2024-03-13", "alice@example.test",
                                       "bob@example.test", "nobody@example.test", name="calendar-addresses")
        self.assertEqual(facts["heads"][0]["people"], ["alice@example.test", "bob@example.test",
                                                      "nobody@example.test"])
        errors = [b for b in facts["banners"] if b["kind"] == "error"]
        self.assertEqual(len(errors), 1, facts["banners"])
        self.assertIn("nobody@example.test", errors[0]["text"])
        self.assertEqual({e["person"] for e in facts["events"]}, {0, 1})

    def test_custom1_holds_published_calendar(self):
        # Alice's card in the Thunderbird address book, Custom1 = Exchange's published .ics address.
        profile = thunderbird_profile.install(self.tmp)
        db = sqlite3.connect(os.path.join(profile, "abook.sqlite"))
        uid = db.execute("SELECT card FROM properties WHERE name='PrimaryEmail' AND value='alice@example.test'"
                         ).fetchone()[0]
        url = self.published(env("OC_TEST_OWA_URL"), "alice")
        db.execute("UPDATE properties SET value=? WHERE card=? AND name='_vCard'",
                   (thunderbird_profile.vcard(uid, "Alice Example", ["alice@example.test"], url), uid))
        db.commit()
        db.close()
        mark = count_lines(env("OC_TEST_OWA_LOG"))
        facts = self.calendar_snapshot("--date", "2024-03-13", "alice@example.test", name="calendar-custom1")
        self.assertTrue(facts["title"].startswith("alice@example.test · 11 – 17 March 2024"), facts["title"])
        self.assertIn("alice-review", [e["uid"] for e in facts["events"]])
        self.assertTrue(any(r["path"].endswith("/alice/calendar.ics") and r["status"] == 200
                            for r in read_jsonl(env("OC_TEST_OWA_LOG"), mark)))

    def test_malformed_file(self):
        facts = self.calendar_snapshot("--date", "2024-03-13", MALFORMED, name="calendar-malformed")
        warnings = [b for b in facts["banners"] if b["kind"] == "warning"]
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings[0]["lines"], [10, 12, 14, 22, 25, 28, 32, 43, 53, 53])
        self.assertIn("RRULE:FREQ=FORTNIGHTLY", warnings[0]["text"])
        self.assertIn("not a valid RECUR value for RRULE", warnings[0]["text"])
        self.assertEqual(sorted({e["uid"] for e in facts["events"]}),
                         ["after-missing-end", "backwards", "bad-rule", "good-1", "no-end-tag", "truncated",
                          "unknown-zone"])

    def test_unreadable_calendar_fails(self):
        status, facts, result = self.snapshot(self.published(env("OC_TEST_OWA_URL"), "nobody"), name=None)
        self.assertEqual(status, 1, result.stdout)
        self.assertIn("404", result.stderr)

    def test_desktop_twelve_hour_clock(self):
        """GNOME's clock format (Settings → Date & Time) decides how times are written."""
        config = os.path.join(self.tmp, "config")
        os.makedirs(os.path.join(config, "glib-2.0", "settings"))
        with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as keyfile:
            keyfile.write("[org/gnome/desktop/interface]\nclock-format='12h'\n")
        labels = "[...document.querySelectorAll('.hour-label')].slice(6, 9).map((e) => e.textContent)"
        files = [os.path.join(PEOPLE, f"{name}.ics") for name in ("alice", "bob")]
        for backend, expected in (({}, ["07:00", "08:00", "09:00"]),
                                  ({"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config},
                                   ["7 AM", "8 AM", "9 AM"])):
            status, facts, result = self.snapshot(files[-1], "--date", "2024-03-13", files[0], script=labels,
                                                  extra_env=backend)
            self.assertEqual(status, 0, result.stderr)
            self.assertEqual(facts, expected)

    def test_missing_file_fails(self):
        missing = os.path.join(self.tmp, "moved-away.ics")
        status, facts, result = self.snapshot(missing, name=None)
        self.assertEqual(status, 1, result.stdout)
        self.assertIn(f"There is no calendar file {missing}. Check the path", result.stderr)
        self.assertEqual(facts["title"], "Could Not Open the Calendar")

    # The real window

    def press(self, *keys):
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "Alice Example"],
                                env=self.env, capture_output=True, text=True, timeout=30).stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=self.env, check=True, timeout=30)
        for key in keys:
            subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self.env, check=True, timeout=30)
            time.sleep(0.2)

    def test_keyboard_navigation_and_reload(self):
        log = env("OC_TEST_OWA_LOG")
        url = self.published(env("OC_TEST_OWA_URL"), "alice")
        mark = count_lines(log)
        self.start_owacal("--date", "2024-03-13", url)
        range_js = "document.getElementById('range') ? document.getElementById('range').textContent : ''"
        self.value_becomes(range_js, lambda v: v == "11 – 17 March 2024", "the week to show")
        fetches = lambda: len([r for r in read_jsonl(log, mark) if r["path"].endswith("/alice/calendar.ics")])  # noqa: E731
        self.assertEqual(fetches(), 1)

        # Page Down: the next week, drawn from what was fetched; M: the month; Page Up: the month before.
        self.press("Next")
        self.value_becomes(range_js, lambda v: v == "18 – 24 March 2024", "Page Down to show the next week")
        self.press("m")
        self.value_becomes(range_js, lambda v: v == "March 2024", "M to show the month")
        self.press("Prior")
        self.value_becomes(range_js, lambda v: v == "February 2024", "Page Up to show the month before")
        self.assertEqual(fetches(), 1)

        # Back to the week (Alt+Left goes back through the views); an event takes the focus, Enter opens it.
        self.press("alt+Left", "alt+Left")
        self.value_becomes(range_js, lambda v: v == "18 – 24 March 2024", "Alt+Left to go back")
        self.press("Prior")
        self.value_becomes(range_js, lambda v: v == "11 – 17 March 2024", "Page Up to the first week")
        self.tab_values("(document.querySelector('[data-uid=\"alice-budget\"]').focus(), 'focused')")
        self.press("Return")
        self.value_becomes("document.getElementById('details').open ? document.getElementById('details-title').textContent : ''",
                           lambda v: v == "Budget", "Enter to open the event")
        self.press("Escape")
        self.value_becomes("String(document.getElementById('details').open) + ' ' + document.activeElement.dataset.uid",
                           lambda v: v == "false alice-budget", "Escape to close it and give the focus back")
        # Arrow keys walk from event to event.
        self.press("Right")
        self.value_becomes("document.activeElement.dataset.uid || ''", lambda v: v and v != "alice-budget",
                           "the arrow key to move to the next event")

        # F5 fetches the calendar again.
        self.press("F5")
        self.wait_for(lambda: fetches() == 2, timeout=30, what="F5 to fetch the calendar again")
        self.value_becomes(range_js, lambda v: v == "11 – 17 March 2024", "the page after Reload")


if __name__ == "__main__":
    main()
