#!/usr/bin/python3
"""OWA's forms-based sign-in (Exchange 2003, 2007, 2010+ shapes) in the real owacal, unattended:
`owacal --snapshot` with --user/--password-file signs in through the sign-in form, lands on
the calendar, and every load of the page (style sheet, scripts' service calls, the absolute
ping, the form post and its redirect) rides on the session cookies. The site's log proves it."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, main, read_jsonl  # noqa: E402
from test_pages import page_problems  # noqa: E402

PATHS = {
    "2003": "/exchange/alice/Calendar/?Cmd=contents&View=Weekly",
    "2007": "/owa/alice@example.test/?cmd=contents&module=calendar",
    "2010": "/owa/alice@example.test/?cmd=contents&module=calendar",
}


class FormsLoginTest(OwacalTestCase):

    def credentials(self, password=None):
        return ["--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}",
                "--password-file", self.password_file(password or env("OC_TEST_PASSWORD")),
                "--ca-file", env("OC_TEST_TLS_CA")]

    def check_version(self, version):
        log = env(f"OC_TEST_FORMS{version}_LOG")
        mark = count_lines(log)
        url = env(f"OC_TEST_FORMS{version}_URL") + PATHS[version]
        status, facts, result = self.snapshot(url, *self.credentials(), name=f"forms-{version}")
        self.assertEqual(status, 0, result.stderr)
        mailbox = "alice" if version == "2003" else env("OC_TEST_EMAIL")
        problems = [p for p in page_problems(facts, mailbox) if not p.startswith("ended on")]
        self.assertEqual(problems, [])
        self.assertIn("step=2", facts["href"])
        records = read_jsonl(log, mark)
        self.assertEqual(sum(r["forms"] == "login-ok" for r in records), 1, records)
        self.assertEqual(sum(r["forms"] == "login-bad" for r in records), 0)
        # After the sign-in, everything the page loaded came with the session.
        after = records[next(i for i, r in enumerate(records) if r["forms"] == "login-ok") + 1:]
        self.assertTrue(after)
        for r in after:
            self.assertEqual(r["user"], f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}", r)
        for fragment in ("style.css", "app.js", "logo.png", "GetCalendarView", "action=Ping", "options.aspx", "step=2"):
            self.assertTrue(any(fragment in r["path"] for r in after), f"no {fragment} on the session")

    def test_exchange_2003(self):
        self.check_version("2003")

    def test_exchange_2007(self):
        self.check_version("2007")

    def test_exchange_2010(self):
        self.check_version("2010")

    def test_wrong_password(self):
        url = env("OC_TEST_FORMS2010_URL") + PATHS["2010"]
        status, facts, result = self.snapshot(url, *self.credentials("not-the-password"))
        self.assertEqual(status, 1)
        self.assertEqual(facts["error"], "auth-failed", facts)
        self.assertIn("did not accept the password for “EXAMPLE\\alice”", facts["message"])
        self.assertNotIn("not-the-password", result.stdout + result.stderr)

    def test_http_needs_consent(self):
        url = env("OC_TEST_FORMS_HTTP_URL") + PATHS["2010"]
        status, facts, result = self.snapshot(url, *self.credentials())
        self.assertEqual(status, 1)
        self.assertIn("unencrypted", facts["message"])
        host = "localhost"
        status, facts, result = self.snapshot(url, *self.credentials(), "--allow-http-sign-in", host)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], f"Calendar - {env('OC_TEST_EMAIL')}")


if __name__ == "__main__":
    main()
