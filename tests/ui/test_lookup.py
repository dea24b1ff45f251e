#!/usr/bin/python3
"""owacal ADDRESS: from an e-mail address to the calendar, end to end.

Each test writes a Thunderbird profile into its own home directory (the real one Thunderbird 153
wrote, its LDAP directory moved to the testbed's slapd, plus cards whose Custom1 points at the OWA
test site, whose port is only known at run time; for the same reason the directory's entries get
their extensionAttribute1 at run time), then runs the real owacal: --print-url, --snapshot and the
window. The page's DOM proves which calendar was opened, from each source.
"""
import os
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import thunderbird_profile  # noqa: E402
from owacal_ui import (BUILD_ROOT, OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl,  # noqa: E402
                       set_directory_attribute)

TB_LOCKER = os.path.join(BUILD_ROOT, "tests", "tb-locker")
PERSONAL = "Thunderbird address book “Personal Address Book”"


class LookupTest(OwacalTestCase):

    def setUp(self):
        super().setUp()
        self.directory_url = f"{env('OC_TEST_LDAP_URI')}/{env('OC_TEST_LDAP_BASE')}??sub?(objectclass=*)"
        self.profile = thunderbird_profile.install(
            self.tmp, f'user_pref("ldap_2.servers.CorpAD.uri", "{self.directory_url}");\n')
        self.abook = os.path.join(self.profile, "abook.sqlite")
        self.site = env("OC_TEST_OWA_URL")
        # Alice's and Bob's cards, as Thunderbird wrote them, now point at the test site (the URLs are
        # folded and escaped in their vCards).
        self.alice_url = mailbox_url(self.site, "alice@example.test", "&view=week,day")
        self.point_card("Alice Example", ["alice@example.test"], self.alice_url)
        self.point_card("Bob Example", ["bob@example.test", "bob.example@corp.example.test"],
                        mailbox_url(self.site, "bob@example.test"))

    def point_card(self, name, emails, url):
        db = sqlite3.connect(self.abook)
        uid = db.execute("SELECT card FROM properties WHERE name='PrimaryEmail' AND value=?", (emails[0],)).fetchone()[0]
        db.execute("UPDATE properties SET value=? WHERE card=? AND name='_vCard'",
                   (thunderbird_profile.vcard(uid, name, emails, url), uid))
        db.commit()
        db.close()

    def assert_calendar(self, facts, mailbox):
        self.assertIsNotNone(facts)
        self.assertEqual(facts["title"], f"Calendar - {mailbox}")
        self.assertTrue((facts["status"] or "").startswith("ok: 5 events"), facts)
        self.assertIn(f"/owa/{mailbox}/", facts["href"])

    def test_print_url(self):
        env_without_display = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
        for spelling in ("alice@example.test", "Alice@Example.TEST", "mailto:alice@example.test",
                         "owacal:alice@example.test", "owacal://alice@example.test/"):
            result = self.run_owacal("--print-url", spelling, extra_env=env_without_display)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout.splitlines(),
                             [self.alice_url, f"source: {PERSONAL} (Custom1 of Alice Example)"])
        # It resolved in its own process: no display was needed, and no owacal is running.
        result = self.run_owacal("--list-tabs")
        self.assertEqual(result.returncode, 1)
        self.assertIn("not running", result.stderr)

    def test_print_url_not_found(self):
        result = self.run_owacal("--print-url", "carol@example.test")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn("No calendar address found for carol@example.test", result.stderr)
        self.assertIn(f"{PERSONAL}: the card of Carol Nourl has no Custom1", result.stderr)
        self.assertIn("URL template: none set", result.stderr)

        result = self.run_owacal("--print-url", "--url-template", f"{self.site}/owa/{{email}}/", "carol@example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(),
                         [f"{self.site}/owa/carol@example.test/", f"source: URL template ({self.site}/owa/{{email}}/)"])

        result = self.run_owacal("--print-url", f"{self.site}/owa/")
        self.assertEqual(result.returncode, 2)

    def test_snapshot_from_address_book(self):
        mark = count_lines(env("OC_TEST_OWA_LOG"))
        status, facts, result = self.snapshot("alice@example.test", name="lookup-address-book")
        self.assertEqual(status, 0, result.stderr)
        self.assert_calendar(facts, "alice@example.test")
        # The first request was the folded, escaped Custom1 of her card, whole.
        first = read_jsonl(env("OC_TEST_OWA_LOG"), mark)[0]
        self.assertEqual(first["path"], "/owa/alice@example.test/?cmd=contents&module=calendar&view=week,day")

    def test_snapshot_from_url_template(self):
        template = mailbox_url(self.site, "{email}")
        status, facts, result = self.snapshot("carol@example.test", "--url-template", template)
        self.assertEqual(status, 0, result.stderr)
        self.assert_calendar(facts, "carol@example.test")

    def test_snapshot_while_thunderbird_holds_the_book(self):
        """A running Thunderbird holds abook.sqlite exclusively; a new card is still only in its -wal."""
        url = mailbox_url(self.site, "nora@example.test")
        db = sqlite3.connect(":memory:")
        with open(os.path.join(thunderbird_profile.FIXTURE, "history.sql")) as f:
            db.executescript(f.read())
        thunderbird_profile.add_card(db, "Nora", ["nora@example.test"], url)
        committed = "".join(f"INSERT INTO properties VALUES({', '.join(map(sql_quote, row))});"
                            for row in db.execute("SELECT card, name, value FROM properties"))
        locker = subprocess.Popen([TB_LOCKER, self.abook, committed, "SELECT 1"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(locker.stdout.readline().strip(), "locked")
            status, facts, result = self.snapshot("nora@example.test")
            self.assertEqual(status, 0, result.stderr)
            self.assert_calendar(facts, "nora@example.test")
        finally:
            locker.stdin.close()
            locker.wait()
            locker.stdout.close()

    def test_snapshot_not_found(self):
        status, facts, result = self.snapshot("nobody@example.test")
        self.assertEqual(status, 1)
        self.assertIn("No calendar address found for nobody@example.test", result.stderr)

    def test_snapshot_from_thunderbird_directory(self):
        """frank has no card; the profile's “Corp AD” (attrmap Custom1 → extensionAttribute1) has him."""
        set_directory_attribute("frank", mailbox_url(self.site, "frank@example.test"))
        status, facts, result = self.snapshot("frank@example.test", name="lookup-thunderbird-directory")
        self.assertEqual(status, 0, result.stderr)
        self.assert_calendar(facts, "frank@example.test")
        result = self.run_owacal("--print-url", "frank@example.test")
        self.assertEqual(result.stdout.splitlines()[1], "source: Thunderbird directory “Corp AD” (Custom1 of Frank Nomailbox)")

    def test_snapshot_from_owacal_directory(self):
        """Without Thunderbird: owacal's own directory, signed in with the user's Kerberos ticket."""
        shutil.rmtree(os.path.join(self.tmp, ".thunderbird"))
        set_directory_attribute("heidi", mailbox_url(self.site, "heidi@partner.example"))
        status, facts, result = self.snapshot("heidi@partner.example", "--directory", self.directory_url,
                                              "--directory-sasl-mechanism", "GSSAPI")
        self.assertEqual(status, 0, result.stderr)
        self.assert_calendar(facts, "heidi@partner.example")
        with open(env("OC_TEST_LDAP_LOG")) as log:
            self.assertIn('BIND dn="uid=alice,ou=people,dc=example,dc=test" mech=GSSAPI', log.read())

    def test_print_url_directory_bind(self):
        args = ["--print-url", "--lookup-sources", "directory", "--directory", self.directory_url,
                "--directory-bind-dn", env("OC_TEST_LDAP_READER_DN")]
        right = self.run_owacal(*args, "--directory-password-file",
                                self.password_file(env("OC_TEST_LDAP_READER_PASSWORD")), "bob@example.test")
        self.assertEqual(right.returncode, 0, right.stderr)
        self.assertEqual(right.stdout.splitlines(),
                         ["http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents",
                          "source: owacal directory (Custom1 of Bob Example)"])
        wrong = self.run_owacal(*args, "--directory-password-file", self.password_file("wrong"), "bob@example.test")
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("The password for uid=reader,dc=example,dc=test was not accepted", wrong.stderr)
        self.assertNotIn("wrong", wrong.stderr.replace("was not accepted", ""))

    def test_print_url_directory_down(self):
        """A directory that never answers costs its timeout, then the next source answers, with a note."""
        port = env("OC_TEST_BLACKHOLE_URL").rsplit(":", 1)[1]
        user_js = os.path.join(self.profile, "user.js")
        with open(user_js, "w") as f:
            f.write(f'user_pref("ldap_2.servers.CorpAD.uri", "ldap://127.0.0.1:{port}/dc=example,dc=test??sub");\n')
        result = self.run_owacal("--print-url", "--url-template", f"{self.site}/owa/{{email}}/", "frank@example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[0], f"{self.site}/owa/frank@example.test/")
        self.assertIn("owacal: note: Thunderbird directory “Corp AD” (ldap://127.0.0.1:", result.stderr)
        self.assertIn("took too long", result.stderr)

    def test_window(self):
        """The window shows a tab at once and the calendar when the lookup is done; a miss is an error page."""
        # Two lookups at once, each in its own thread, each into its own tab.
        self.start_owacal("alice@example.test", "mailto:bob@example.test")
        self.wait_for_titles(["Calendar - alice@example.test", "Calendar - bob@example.test"])
        set_directory_attribute("frank", None)  # another test may have set it
        self.run_owacal("frank@example.test")
        self.wait_for_titles(["Calendar - alice@example.test", "Calendar - bob@example.test", "No Calendar Found"])
        result = self.run_owacal("--list-tabs", "--eval", "document.body.dataset.owacalError")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.splitlines()[2].endswith("\tno-calendar-address"), result.stdout)

        # The administrator fills in frank's calendar; “Try Again” looks him up again, in the same tab.
        set_directory_attribute("frank", mailbox_url(self.site, "frank@example.test"))
        mark = count_lines(env("OC_TEST_LDAP_LOG"))
        self.run_owacal("--list-tabs", "--eval", "document.body.dataset.owacalError && "
                        "document.getElementById('retry').click()", timeout=30)
        self.wait_for_titles(["Calendar - alice@example.test", "Calendar - bob@example.test",
                              "Calendar - frank@example.test"])
        with open(env("OC_TEST_LDAP_LOG")) as log:
            self.assertIn("frank@example.test", "".join(log.readlines()[mark:]))


def sql_quote(value):
    return "'" + value.replace("'", "''") + "'"


if __name__ == "__main__":
    main()
