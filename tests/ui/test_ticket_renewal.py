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

    def test_ticket_renewed_while_running(self):
        base = env("OC_TEST_NEGOTIATE_URL")
        port = urlsplit(base).port
        # The same server under its address: new connections. Apache, like IIS, keeps a
        # connection signed in after the ticket ends, so only new ones show the expiry.
        by_address = f"http://127.0.0.1:{port}"
        testbed_kinit("--lifetime", "4")
        try:
            self.start_owacal(mailbox_url(base, extra="&autosubmit=0"))
            self.wait_for_titles(["Calendar - alice@example.test"])

            self.wait_for(lambda: not ticket_is_valid(), timeout=30, what="the 4-second ticket to expire")
            time.sleep(1.1)  # ticket times have whole seconds
            self.assertEqual(self.run_owacal(mailbox_url(by_address, "bob@example.test", "&autosubmit=0"),
                                             timeout=30).returncode, 0)
            self.wait_for_titles(["Calendar - alice@example.test", "Sign-In Failed"])

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
