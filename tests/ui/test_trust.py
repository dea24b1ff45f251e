#!/usr/bin/python3
"""Credentials go only to servers the user trusts: the calendar's own, and trusted domains.

The test page's script tries to make owacal send the user's sign-in to another server
(?probe=URL: a credentialed fetch() and an image of that URL). The other server here is the
same NTLM site under another name (localhost instead of 127.0.0.1), so its log shows exactly
what each name received: the probe must arrive with no Authorization header and no cookies.
"""
import os
import sys
from urllib.parse import quote, urlsplit

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl  # noqa: E402


class TrustTest(OwacalTestCase):

    def probe_page(self, *args):
        base = env("OC_TEST_NTLM_URL")
        port = urlsplit(base).port
        self.assertEqual(urlsplit(base).hostname, "127.0.0.1")
        probe = f"http://localhost:{port}/owa/{env('OC_TEST_EMAIL')}/service.svc?action=Ping"
        url = mailbox_url(base, extra="&autosubmit=0&probe=" + quote(probe, safe=""))
        mark = count_lines(env("OC_TEST_NTLM_LOG"))
        password = self.password_file(env("OC_TEST_PASSWORD"))
        script = "({title: document.title, probe: document.body.dataset.probe || null})"
        status, facts, result = self.snapshot(url, "--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}",
                                              "--password-file", password, *args, script=script)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], f"Calendar - {env('OC_TEST_EMAIL')}")
        log = read_jsonl(env("OC_TEST_NTLM_LOG"), mark)
        own = [r for r in log if (r.get("host") or "").startswith("127.0.0.1:")]
        other = [r for r in log if (r.get("host") or "").startswith("localhost:")]
        # The calendar's own server did get the sign-in and set its cookies.
        self.assertTrue(any(r["ntlm"] == "type3-ok" for r in own), own)
        self.assertTrue(any("X-OWA-CANARY" in r["cookies"] for r in own), own)
        # The probe reached the other name: the fetch and the image.
        self.assertTrue(any(r["method"] == "POST" for r in other), log)
        self.assertTrue(any("img=1" in r["path"] for r in other), log)
        return facts, other

    def test_page_script_gets_no_credentials_sent_elsewhere(self):
        facts, other = self.probe_page()
        leaks = [r for r in other if r.get("auth") or r.get("cookies") or r.get("user")]
        self.assertEqual(leaks, [], "the other server got credentials or cookies")
        self.assertEqual(facts["probe"], "401")

    def test_trusted_domain_gets_the_sign_in(self):
        """The control: trusting the other name makes the same probe carry the sign-in."""
        facts, other = self.probe_page("--trusted-domain", "localhost")
        self.assertTrue(any(r.get("auth") == "NTLM" for r in other), other)
        self.assertTrue(any(r.get("user") == env("OC_TEST_USER") for r in other), other)
        self.assertEqual(facts["probe"], "200")
        # Cookies stay with the server that set them, trusted or not.
        self.assertEqual([r for r in other if r.get("cookies")], [])

    def test_bad_trusted_domain_is_wrong_usage(self):
        result = self.run_owacal("--trusted-domain", "com", mailbox_url(env("OC_TEST_NTLM_URL")), timeout=30)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("not a trusted domain", result.stderr)


if __name__ == "__main__":
    main()
