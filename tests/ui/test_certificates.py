#!/usr/bin/python3
"""An untrusted certificate: the page shows the server, issuer, validity and SHA-256 fingerprint
(checked against openssl's), the user trusts that certificate for that server from the bar above
the page (never the page itself), the choice lasts across runs, and a changed certificate on that
server is refused again. --trust-certificate does the same for scripts."""
import json
import os
import ssl
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, env, mailbox_url, main  # noqa: E402

CERTIFICATE_JS = """JSON.stringify({
  host: (document.getElementById('cert-host') || {}).textContent || null,
  subject: (document.getElementById('cert-subject') || {}).textContent || null,
  issuer: (document.getElementById('cert-issuer') || {}).textContent || null,
  notBefore: (document.getElementById('cert-not-before') || {}).textContent || null,
  notAfter: (document.getElementById('cert-not-after') || {}).textContent || null,
  sha256: (document.getElementById('cert-sha256') || {}).textContent || null,
  message: (document.getElementById('message') || {}).textContent || null,
})"""


def openssl_fingerprint(name):
    path = os.path.join(env("OC_TESTBED_DIR"), "state", "tls", name)
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", path],
                         capture_output=True, text=True, check=True).stdout
    return out.strip().split("=", 1)[1]


def swap_certificate():
    """The test server's control page; the test does not care who it is talking to."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(env("OC_TEST_TLS_CHANGING_URL") + "/testbed/swap-certificate", method="POST")
    with urllib.request.urlopen(request, context=context, timeout=30) as answer:
        assert answer.status == 204


class CertificatesTest(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)


    def setUp(self):
        super().setUp()
        self.base = env("OC_TEST_TLS_CHANGING_URL")
        self.server = f"localhost:{urlsplit(self.base).port}"
        self.url = mailbox_url(self.base, extra="&autosubmit=0")
        self.pins = os.path.join(self.tmp, ".local", "share", "owacal", "trusted-certificates")

    def xdotool(self, *args, check=True):
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60,
                              check=check)

    def window(self, name):
        """A visible window of our owacal whose title contains @name, or None."""
        for _ in range(10):
            search = self.xdotool("search", "--all", "--onlyvisible", "--pid", str(self.owacal.pid), "--name", name,
                                  check=False)
            if "BadWindow" not in search.stderr:
                return (search.stdout.split() or [None])[0]
        return None

    def press(self, name, key):
        """Types @key into our window titled @name, once that window has the keyboard."""
        window = self.wait_for(lambda: self.window(name), timeout=60, what=f"a window “{name}”")
        self.give_keyboard_to(window)
        self.xdotool("key", "--clearmodifiers", key)

    def page_certificate(self):
        result = self.run_owacal("--list-tabs", "--eval", CERTIFICATE_JS, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout.splitlines()[0].split("\t")[3])

    def test_trust_from_the_bar_lasts_until_the_certificate_changes(self):
        self.owacal = self.start_owacal(self.url)
        self.wait_for_titles(["Connection Not Trusted"])
        facts = self.page_certificate()
        self.assertEqual(facts["host"], self.server)
        self.assertEqual(facts["sha256"], openssl_fingerprint("selfsigned.pem"))
        self.assertEqual(facts["subject"], "CN = localhost")
        self.assertEqual(facts["issuer"], "CN = localhost")
        self.assertTrue(facts["notBefore"] and facts["notAfter"], facts)
        self.assertIn("self-signed", facts["message"])

        # The bar above the page, then the confirmation: Alt+T twice.
        self.press("Connection Not Trusted", "alt+t")
        self.press("Trust This Certificate?", "alt+t")
        self.wait_for_titles(["Calendar - alice@example.test"])
        with open(self.pins) as f:
            self.assertIn(openssl_fingerprint("selfsigned.pem"), f.read())
        self.owacal.terminate()
        self.owacal.wait(timeout=30)

        # Another run: trusted still.
        status, facts, result = self.snapshot(self.url)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], "Calendar - alice@example.test")

        # The server's certificate changes: refused, and the new one is shown.
        swap_certificate()
        try:
            status, facts, result = self.snapshot(self.url, script=CERTIFICATE_JS)
        finally:
            swap_certificate()
        self.assertEqual(status, 1)
        self.assertIn("has changed since you trusted it", facts["message"])
        self.assertEqual(facts["sha256"], openssl_fingerprint("selfsigned2.pem"))

    def test_return_in_the_confirmation_trusts_nothing(self):
        self.owacal = self.start_owacal(self.url)
        self.wait_for_titles(["Connection Not Trusted"])
        self.press("Connection Not Trusted", "alt+t")
        self.press("Trust This Certificate?", "Return")
        self.wait_for(lambda: self.window("Trust This Certificate?") is None, timeout=30, what="the dialog to close")
        self.assertFalse(os.path.exists(self.pins))
        self.assertEqual([tab[1] for tab in self.list_tabs()], ["Connection Not Trusted"])

    def test_trust_certificate_option(self):
        fingerprint = openssl_fingerprint("selfsigned.pem")
        status, facts, result = self.snapshot(self.url, "--trust-certificate", f"{self.server}={fingerprint}")
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], "Calendar - alice@example.test")
        # Not remembered: an option holds for its run.
        self.assertFalse(os.path.exists(self.pins))
        wrong = openssl_fingerprint("selfsigned2.pem")
        status, facts, result = self.snapshot(self.url, "--trust-certificate", f"{self.server}={wrong}")
        self.assertEqual(status, 1)
        self.assertEqual(facts["error"], "tls")
        result = self.run_owacal("--trust-certificate", "localhost=12:34", self.url, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn("HOST[:PORT]=SHA256-FINGERPRINT", result.stderr)


if __name__ == "__main__":
    main()
