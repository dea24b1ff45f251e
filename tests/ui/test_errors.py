#!/usr/bin/python3
"""Every error page comes from a real condition: a closed port, a wrong password, no
ticket, an expired ticket, untrusted certificates, 403/404/5xx, a silent server.
owacal --snapshot must print the reason, exit 1, and show a page that says it in
plain words (read from the DOM). Wrong usage exits 2 with a one-line message."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, env, mailbox_url, main  # noqa: E402


class ErrorPagesTest(OwacalTestCase):

    def assert_error_page(self, target, slug, title, needle, *args, extra_env=None, name=None):
        status, facts, result = self.snapshot(target, *args, extra_env=extra_env, name=name)
        self.assertEqual(status, 1, f"{target}: {result.stdout} {result.stderr}")
        self.assertIsNotNone(facts, result.stdout + result.stderr)
        self.assertEqual(facts["error"], slug, facts)
        self.assertEqual(facts["title"], title)
        self.assertIn(needle, facts["message"])
        # WebKit's processes may warn on stderr too; owacal's own line says what happened.
        reasons = [line for line in result.stderr.splitlines() if line.startswith("owacal: ")]
        self.assertEqual(len(reasons), 1, result.stderr)
        self.assertIn(needle, reasons[0])
        return facts

    def ntlm_args(self, password):
        return ["--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}",
                "--password-file", self.password_file(password)]

    def test_connection_refused(self):
        self.assert_error_page(env("OC_TEST_CLOSED_URL") + "/owa/", "connection-refused", "Could Not Connect",
                               "refused the connection", name="error-connection-refused")

    def test_host_not_found(self):
        self.assert_error_page("http://no-such-host.invalid/owa/", "host-not-found", "Server Not Found",
                               "could not be found")

    def test_timeout(self):
        self.assert_error_page(env("OC_TEST_BLACKHOLE_URL") + "/owa/", "timeout", "The Server Did Not Answer",
                               "did not answer in time", "--timeout", "2")

    def test_ntlm_wrong_password(self):
        self.assert_error_page(mailbox_url(env("OC_TEST_NTLM_URL")), "auth-failed", "Sign-In Failed",
                               "the password for “EXAMPLE\\alice” was rejected", *self.ntlm_args("wrong-password"),
                               name="error-wrong-password")

    def test_no_kerberos_ticket(self):
        no_ticket = {"KRB5CCNAME": "FILE:" + os.path.join(self.tmp, "empty-ccache")}
        self.assert_error_page(mailbox_url(env("OC_TEST_NEGOTIATE_URL")), "auth-failed", "Sign-In Failed",
                               "you have no Kerberos ticket", extra_env=no_ticket)

    def test_expired_kerberos_ticket(self):
        cache = "FILE:" + os.path.join(self.tmp, "short-ccache")
        kinit = subprocess.run(["kinit", "-l", "2", f"{env('OC_TEST_USER')}@{env('OC_TEST_REALM')}"],
                               input=env("OC_TEST_PASSWORD") + "\n", capture_output=True, text=True,
                               env=dict(self.env, KRB5CCNAME=cache))
        self.assertEqual(kinit.returncode, 0, kinit.stderr)
        time.sleep(3)
        self.assert_error_page(mailbox_url(env("OC_TEST_NEGOTIATE_URL")), "auth-failed", "Sign-In Failed",
                               "your Kerberos ticket has expired", extra_env={"KRB5CCNAME": cache})

    def test_untrusted_certificate(self):
        url = mailbox_url(env("OC_TEST_TLS_URL"), extra="&autosubmit=0")
        self.assert_error_page(url, "tls", "Connection Not Trusted", "authority this computer does not trust",
                               name="error-untrusted-certificate")
        # The private CA, given with --ca-file, makes the same page work.
        status, facts, result = self.snapshot(url, "--ca-file", env("OC_TEST_TLS_CA"))
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], f"Calendar - {env('OC_TEST_EMAIL')}")

    def test_bad_certificates(self):
        ca = ["--ca-file", env("OC_TEST_TLS_CA")]
        self.assert_error_page(env("OC_TEST_TLS_SELFSIGNED_URL") + "/", "tls", "Connection Not Trusted",
                               "self-signed", *ca)
        self.assert_error_page(env("OC_TEST_TLS_EXPIRED_URL") + "/", "tls", "Connection Not Trusted",
                               "has expired", *ca)
        self.assert_error_page(env("OC_TEST_TLS_WRONGHOST_URL") + "/", "tls", "Connection Not Trusted",
                               "another server name", *ca)

    def test_http_status_pages(self):
        base = env("OC_TEST_OWA_URL")
        self.assert_error_page(base + "/status/403", "forbidden", "Access Denied", "403 Forbidden")
        self.assert_error_page(base + "/status/404", "not-found", "Calendar Not Found", "404")
        self.assert_error_page(base + "/status/500", "server-error", "Server Error", "500",
                               name="error-500")
        self.assert_error_page(base + "/status/503", "server-error", "Server Error", "503")


class UsageTest(OwacalTestCase):

    def test_bad_targets_exit_2(self):
        for target in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "ftp://example.com/",
                       "garbage here", "http://", "owacal:javascript:alert(1)", "mail.example.com/owa"]:
            with self.subTest(target=target):
                result = self.run_owacal(target, timeout=30)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertEqual(result.stdout, "")
                self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
                self.assertTrue(result.stderr.startswith("owacal: "), result.stderr)

    def test_password_file_must_be_private(self):
        path = self.password_file("secret", mode=0o644)
        result = self.run_owacal("--snapshot", os.path.join(self.tmp, "x.png"), "--user", "EXAMPLE\\alice",
                                 "--password-file", path, mailbox_url(env("OC_TEST_NTLM_URL")), timeout=30)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("can be read by other users", result.stderr)
        self.assertNotIn("secret", result.stderr + result.stdout)

    def test_help_and_version(self):
        result = self.run_owacal("--help", timeout=30)
        self.assertEqual(result.returncode, 0)
        for option in ("--snapshot", "--user", "--password-file", "--ca-file", "--demo"):
            self.assertIn(option, result.stdout)
        result = self.run_owacal("--version", timeout=30)
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^owacal \d+\.\d+")


if __name__ == "__main__":
    main()
