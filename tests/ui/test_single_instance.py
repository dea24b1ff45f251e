#!/usr/bin/python3
"""One owacal per session: a second `owacal <calendar>` becomes a tab of the first,
on the first one's signed-in connections."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl  # noqa: E402


class SingleInstanceTest(OwacalTestCase):

    def list_tabs(self):
        result = self.run_owacal("--list-tabs", timeout=30)
        if result.returncode == 1 and "not running" in result.stderr:
            return []
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def wait_for_titles(self, titles):
        seen = []

        def have_titles():
            tabs = self.list_tabs()
            seen[:] = tabs
            return [tab[1] for tab in tabs] == titles and tabs
        try:
            return self.wait_for(have_titles, timeout=60, interval=0.2, what=f"tabs titled {titles}")
        except AssertionError:
            print(f"last tabs: {seen}\nfirst owacal said:\n{self.process_output(0)}", file=sys.stderr)
            raise

    def test_second_invocation_opens_a_tab_on_signed_in_connections(self):
        base = env("OC_TEST_NTLM_URL")
        alice = mailbox_url(base, extra="&autosubmit=0")
        bob = mailbox_url(base, mailbox="bob@example.test", extra="&autosubmit=0")
        password = self.password_file(env("OC_TEST_PASSWORD"))

        primary = self.start_owacal("--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}",
                                    "--password-file", password, alice)
        self.wait_for_titles(["Calendar - alice@example.test"])
        time.sleep(0.5)  # let alice's page finish its scripted requests
        mark = count_lines(env("OC_TEST_NTLM_LOG"))
        before = read_jsonl(env("OC_TEST_NTLM_LOG"))
        signed_in_connections = {r["conn"] for r in before if r["ntlm"] == "type3-ok"}

        # The second invocation hands its command line over and exits at once.
        started = time.monotonic()
        second = self.run_owacal(bob, timeout=30)
        forwarded_ms = (time.monotonic() - started) * 1000
        self.assertEqual(second.returncode, 0, second.stderr)
        print(f"second invocation returned after {forwarded_ms:.0f} ms", file=sys.stderr)

        tabs = self.wait_for_titles(["Calendar - alice@example.test", "Calendar - bob@example.test"])
        self.assertTrue(tabs[1][2].startswith(base + "/owa/bob@example.test/"), tabs)
        self.assertIsNone(primary.poll(), "the first owacal exited")

        # Bob's page came over a connection alice's page had signed in, without a new handshake.
        after = read_jsonl(env("OC_TEST_NTLM_LOG"), mark)
        document = [r for r in after if r["path"].startswith("/owa/bob@example.test/?")]
        self.assertTrue(document, after)
        self.assertEqual(document[0]["status"], 200, document)
        self.assertIsNone(document[0]["ntlm"], document)
        self.assertIn(document[0]["conn"], signed_in_connections)

        # A bad target given to the running instance is refused by the second process, exit 2.
        refused = self.run_owacal("javascript:alert(1)", timeout=30)
        self.assertEqual(refused.returncode, 2)
        self.assertEqual(len(self.list_tabs()), 2)


if __name__ == "__main__":
    main()
