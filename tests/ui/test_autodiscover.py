#!/usr/bin/python3
"""Colleagues on Exchange found by Autodiscover: no --ews-url, only the directory.

The testbed's slapd holds Exchange's Autodiscover service connection point
(--slapd-scp ews-basic) under CN=Configuration,DC=example,DC=test; it names the
EWS stand-in's POX Autodiscover (Basic over https), which names its EWS address.
Bob gives alice Reviewer (tests/fixtures/ews/calendars.json).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, main, read_jsonl  # noqa: E402

FACTS_JS = """(() => ({
  title: document.title,
  href: location.href,
  text: document.body.innerText,
  events: [...document.querySelectorAll('button.event')].map((e) => ({start: e.dataset.start, text: e.innerText})),
}))()"""


class AutodiscoverTest(OwacalTestCase):
    def setUp(self):
        super().setUp()
        self.env["TZ"] = "Europe/Berlin"
        self.base, self.log = env("OC_TEST_EWS_BASIC_URL"), env("OC_TEST_EWS_BASIC_LOG")
        self.directory = f"{env('OC_TEST_LDAP_URI')}/dc=example,dc=test"

    def sign_in(self):
        return ["--ca-file", env("OC_TEST_TLS_CA"), "--user", env("OC_TEST_USER"),
                "--password-file", self.password_file(env("OC_TEST_PASSWORD"))]

    def assert_valid(self, requests):
        """Every SOAP request is valid against the schema; every POX question is one the server understood."""
        for request in requests:
            if request.get("valid") is not None:
                self.assertTrue(request["valid"]["ok"], request)
            if request.get("operation") in ("Autodiscover", "GetUserSettings"):
                self.assertFalse({"600", "601", "InvalidRequest"} & set(request.get("codes") or []), request)

    def test_snapshot_finds_bob_through_the_directory(self):
        since = count_lines(self.log)
        status, facts, result = self.snapshot("bob@example.test", "--directory", self.directory, *self.sign_in(),
                                              "--view", "week", "--date", "2024-03-13", name="autodiscover-reviewer",
                                              script=FACTS_JS)
        self.assertEqual(status, 0, result.stderr + result.stdout[-2000:])
        self.assertNotIn("--ews-url", " ".join(result.args))
        self.assertTrue(facts["href"].startswith("owacal-calendar://"), facts["href"])
        review = [e for e in facts["events"] if e["text"].startswith("Design review")]
        self.assertEqual([e["start"] for e in review], ["2024-03-13T14:00"], facts["events"])
        requests = read_jsonl(self.log, since)
        self.assert_valid(requests)
        paths = [r["path"] for r in requests if r["status"] == 200]
        # Autodiscover first (POX), then EWS at the address it named, signed in.
        self.assertEqual(paths[0], "/autodiscover/autodiscover.xml", paths)
        self.assertIn("/EWS/Exchange.asmx", paths)
        self.assertTrue(all(r["auth"] == "Basic" for r in requests if r["status"] == 200), requests)
        # The answer is kept for the domain, readable by the user only.
        cache = os.path.join(self.env["XDG_CACHE_HOME"], "owacal", "autodiscover.ini")
        with open(cache) as f:
            self.assertIn(f"ews-url={self.base}/EWS/Exchange.asmx", f.read())
        self.assertEqual(os.stat(cache).st_mode & 0o777, 0o600)

    def thunderbird_profile_with_exchange(self):
        """A Thunderbird 145+ profile whose Exchange account (alice's) names the EWS stand-in, as Thunderbird writes it."""
        profile = os.path.join(self.env["HOME"], "thunderbird-with-exchange")
        os.makedirs(profile, exist_ok=True)
        with open(os.path.join(profile, "prefs.js"), "w") as f:
            f.write('user_pref("mail.accountmanager.accounts", "account1");\n'
                    'user_pref("mail.account.account1.identities", "id1");\n'
                    'user_pref("mail.account.account1.server", "server1");\n'
                    'user_pref("mail.identity.id1.useremail", "alice@example.test");\n'
                    f'user_pref("mail.server.server1.ews_url", "{self.base}/EWS/Exchange.asmx");\n'
                    'user_pref("mail.server.server1.type", "ews");\n')
        return profile

    def test_thunderbird_exchange_account_needs_no_autodiscover(self):
        profile = self.thunderbird_profile_with_exchange()
        since = count_lines(self.log)
        result = self.run_owacal("--print-url", "--profile", profile, *self.sign_in(), "bob@example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[:2], ["owacal:bob@example.test", f"exchange: {self.base}/EWS/Exchange.asmx"])
        self.assertIn(f"Thunderbird's Exchange account alice@example.test (profile {profile})", lines[2])

        status, facts, result = self.snapshot("bob@example.test", "--profile", profile, *self.sign_in(),
                                              "--view", "week", "--date", "2024-03-13",
                                              name="thunderbird-exchange-account", script=FACTS_JS)
        self.assertEqual(status, 0, result.stderr + result.stdout[-2000:])
        review = [e for e in facts["events"] if e["text"].startswith("Design review")]
        self.assertEqual([e["start"] for e in review], ["2024-03-13T14:00"], facts["events"])
        requests = read_jsonl(self.log, since)
        self.assert_valid(requests)
        # EWS straight away, signed in (the user's own Exchange): Autodiscover was never asked.
        self.assertEqual([r for r in requests if "autodiscover" in r["path"].lower()], [])
        self.assertTrue(any(r["path"] == "/EWS/Exchange.asmx" and r["auth"] == "Basic" and r["status"] == 200
                            for r in requests), requests)

    def test_print_url_says_where_exchange_was_found(self):
        since = count_lines(self.log)
        result = self.run_owacal("--print-url", "--directory", self.directory, *self.sign_in(), "Bob@Example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[:2], ["owacal:bob@example.test", f"exchange: {self.base}/EWS/Exchange.asmx"])
        self.assertEqual(len(lines), 3, lines)
        self.assertTrue(lines[2].startswith("source: Autodiscover (the service connection point in "
                                            f"{self.directory} (CN=Configuration,dc=example,dc=test): "), lines[2])
        self.assertTrue(lines[2].endswith(f"{self.base}/autodiscover/autodiscover.xml)"), lines[2])
        self.assert_valid(read_jsonl(self.log, since))

    def test_nothing_found_lists_where_owacal_and_autodiscover_looked(self):
        # Without the directory no service connection point is known, and example.test has no DNS here.
        result = self.run_owacal("--print-url", *self.sign_in(), "bob@example.test")
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("No calendar address found for bob@example.test", result.stderr)
        self.assertIn("Exchange Web Services: none set", result.stderr)
        for place in ("Autodiscover: Service connection points: no directory is set",
                      "Autodiscover: https://example.test/autodiscover/autodiscover.xml: ",
                      "Autodiscover: https://autodiscover.example.test/autodiscover/autodiscover.xml: ",
                      "Autodiscover: DNS SRV record _autodiscover._tcp.example.test: "):
            self.assertIn(place, result.stderr)


if __name__ == "__main__":
    main()
