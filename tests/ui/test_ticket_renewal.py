#!/usr/bin/python3
"""A Kerberos ticket that expires while owacal runs, renewed with kinit, is used at once:
no restart. The running owacal first shows the "expired" sign-in failure for a new load, then,
after `testbed.py kinit`, loads the next calendar signed in."""
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, mailbox_url, main, read_apache_log  # noqa: E402

TESTBED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testbed", "testbed.py")


def testbed_kinit(*args):
    subprocess.run(["/usr/bin/python3", TESTBED, "kinit", "--dir", env("OC_TESTBED_DIR"), *args], check=True)


def ticket_is_valid():
    return subprocess.run(["klist", "-s"], env=os.environ).returncode == 0


class TicketRenewalTest(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)

    def decline_sign_in(self, owacal):
        def dialog():
            search = subprocess.run(["xdotool", "search", "--all", "--onlyvisible", "--pid", str(owacal.pid),
                                     "--name", "^Sign In — "], env=self.env, capture_output=True, text=True)
            return (search.stdout.split() or [None])[0]
        window = self.wait_for(dialog, timeout=60, what="the sign-in dialog")
        self.give_keyboard_to(window)
        subprocess.run(["xdotool", "key", "Escape"], env=self.env, check=True, timeout=30)
        try:
            self.wait_for(lambda: dialog() is None, timeout=30, what="Escape to close the dialog")
        except AssertionError:
            # Say where the key went: the window that had the keyboard when it was typed.
            focus = subprocess.run(["xdotool", "getwindowfocus", "getwindowname"], env=self.env,
                                   capture_output=True, text=True).stdout.strip()
            print(f"the dialog {window} is still open; the keyboard is with: {focus!r}", file=sys.stderr)
            raise

    def alice_page_is_done(self):
        facts = self.run_owacal("--list-tabs", "--eval", "document.getElementById('status').textContent + ' ' + "
                                "document.body.dataset.ping", timeout=30).stdout
        return "ok: " in facts and "pong" in facts

    def test_ticket_renewed_while_running(self):
        base = env("OC_TEST_NEGOTIATE_URL")
        port = urlsplit(base).port
        # The same server under its address: new connections. Apache, like IIS, keeps a
        # connection signed in after the ticket ends, so only new ones show the expiry.
        by_address = f"http://127.0.0.1:{port}"
        testbed_kinit()
        try:
            first = self.start_owacal(mailbox_url(base, extra="&autosubmit=0"))
            self.wait_for_titles(["Calendar - alice@example.test"])
            # Alice's page makes requests of its own after it loads (GetCalendarView, Ping). They
            # are done before the ticket is made to expire: one that met the expiry would ask for
            # a password too, and which dialog came first would depend on the machine's load.
            self.wait_for(self.alice_page_is_done, timeout=60, what="alice's page to finish its requests")
            testbed_kinit("--lifetime", "2")
            self.wait_for(lambda: not ticket_is_valid(), timeout=30, what="the 2-second ticket to expire")
            time.sleep(1.1)  # ticket times have whole seconds
            self.assertEqual(self.run_owacal(mailbox_url(by_address, "bob@example.test", "&autosubmit=0"),
                                             timeout=30).returncode, 0)
            # Apache (mod_auth_gssapi) offers NTLM too, so owacal asks for a password; the user
            # declines, and the page says why the single sign-on failed.
            self.decline_sign_in(first)
            self.wait_for_titles(["Calendar - alice@example.test", "Sign-In Failed"])
            pages = self.run_owacal("--list-tabs", "--eval", "document.getElementById('message') ? "
                                    "document.getElementById('message').textContent : ''", timeout=30)
            self.assertIn("your Kerberos ticket has expired", pages.stdout)

            testbed_kinit()
            mark = count_lines(env("OC_TEST_NEGOTIATE_LOG"))
            self.assertEqual(self.run_owacal(mailbox_url(by_address, "carol@example.test", "&autosubmit=0"),
                                             timeout=30).returncode, 0)
            self.wait_for_titles(["Calendar - alice@example.test", "Sign-In Failed", "Calendar - carol@example.test"])
        finally:
            testbed_kinit()
        front = read_apache_log(env("OC_TEST_NEGOTIATE_LOG"), mark)
        carol = [r for r in front if "carol@example.test" in r["req"]]
        self.assertTrue(carol and all(r["user"] == "alice@EXAMPLE.TEST" for r in carol), carol)


if __name__ == "__main__":
    main()
