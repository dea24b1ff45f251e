#!/usr/bin/python3
"""Passwords in the desktop keyring, asked for at most once.

Each test starts a real Secret Service (gnome-keyring-daemon, unlocked) on its private bus.
The sign-in dialog is driven under Xvfb with xdotool, typing as a keyboard would. The keyring
is read back with secret-tool, the server's log says what it received, and the running
owacal's tabs (--list-tabs --eval) say what the page shows."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl  # noqa: E402


class KeyringTest(OwacalTestCase):

    def setUp(self):
        super().setUp()
        self.start_keyring()
        self.user = f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}"

    def xdotool(self, *args, check=True):
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60,
                              check=check)

    def dialogs(self):
        """Visible sign-in dialogs: (window id, title)."""
        found = self.xdotool("search", "--onlyvisible", "--name", " — ", check=False).stdout.split()
        titles = [(w, self.xdotool("getwindowname", w).stdout.strip()) for w in found]
        return [(w, t) for w, t in titles if t.startswith(("Sign In — ", "Password Rejected — "))]

    def focus(self, window):
        self.xdotool("windowfocus", "--sync", window)
        time.sleep(0.2)  # let GTK take the focus before keys arrive

    def answer_dialog(self, title, password, user=None):
        """Waits for the dialog titled @title, types into it and presses Return."""
        window = self.wait_for(lambda: next((w for w, t in self.dialogs() if t == title), None), timeout=60,
                               what=f"the dialog “{title}”")
        self.focus(window)
        if user is not None:
            self.xdotool("type", "--delay", "20", user)
            self.xdotool("key", "Tab")
        self.xdotool("type", "--delay", "20", password)
        self.xdotool("key", "Return")
        self.wait_for(lambda: window not in [w for w, _ in self.dialogs()], timeout=30, what="the dialog to close")

    def stored_password(self, host):
        result = self.secret_tool("lookup", "server", host, "user", self.user)
        return result.stdout if result.returncode == 0 else None

    def test_password_is_asked_stored_reused_and_forgotten(self):
        base = env("OC_TEST_NTLM_URL")
        host = "127.0.0.1"
        url = mailbox_url(base, extra="&autosubmit=0")
        self.assertIsNone(self.stored_password(host))

        # First start: the dialog asks, the page loads, the password lands in the keyring.
        first = self.start_owacal(url)
        self.answer_dialog(f"Sign In — {host}", env("OC_TEST_PASSWORD"), user=self.user)
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.wait_for(lambda: self.stored_password(host), timeout=30, what="the password in the keyring")
        self.assertEqual(self.stored_password(host), env("OC_TEST_PASSWORD"))
        first.terminate()
        first.wait(timeout=30)

        # Second start: nothing asked; the stored password signs in.
        mark = count_lines(env("OC_TEST_NTLM_LOG"))
        self.start_owacal(url)
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.assertEqual(self.dialogs(), [])
        log = read_jsonl(env("OC_TEST_NTLM_LOG"), mark)
        self.assertTrue(any(r["ntlm"] == "type3-ok" and r["user"] == env("OC_TEST_USER") for r in log), log)

        # Unattended, too: --snapshot signs in with the stored password.
        status, facts, result = self.snapshot(url)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], "Calendar - alice@example.test")

        # Forgotten on request: gone from the keyring, and --snapshot can no longer sign in.
        result = self.run_owacal("--forget-password", host, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"removed the password for {host}", result.stdout)
        self.assertIsNone(self.stored_password(host))
        status, facts, result = self.snapshot(url)
        self.assertEqual(status, 1)
        self.assertEqual(facts["error"], "auth-failed", facts)
        self.assertNotIn(env("OC_TEST_PASSWORD"), result.stdout + result.stderr)

    def test_three_rejected_passwords_end_in_an_error_page(self):
        host = "127.0.0.1"
        url = mailbox_url(env("OC_TEST_NTLM_URL"), extra="&autosubmit=0")
        self.start_owacal(url)
        self.answer_dialog(f"Sign In — {host}", "wrong-1", user=self.user)
        # The user name stays filled in; the dialog says the password was rejected.
        self.answer_dialog(f"Password Rejected — {host}", "wrong-2")
        self.answer_dialog(f"Password Rejected — {host}", "wrong-3")
        self.wait_for_titles(["Sign-In Failed"])
        self.assertEqual(self.dialogs(), [])
        tabs = self.run_owacal("--list-tabs", "--eval", "document.getElementById('message').textContent", timeout=30)
        self.assertIn(f"the password for “{self.user}” was rejected", tabs.stdout)
        self.assertNotIn("wrong-", tabs.stdout)
        self.assertIsNone(self.stored_password(host))

    def test_forms_login_with_the_dialog(self):
        base = env("OC_TEST_FORMS2010_URL")
        url = mailbox_url(base, extra="&autosubmit=0")
        ca = ["--ca-file", env("OC_TEST_TLS_CA")]
        mark = count_lines(env("OC_TEST_FORMS2010_LOG"))
        self.start_owacal(*ca, url)
        self.answer_dialog("Sign In — localhost", env("OC_TEST_PASSWORD"), user=self.user)
        self.wait_for_titles(["Calendar - alice@example.test"])
        log = read_jsonl(env("OC_TEST_FORMS2010_LOG"), mark)
        self.assertEqual(sum(r["forms"] == "login-ok" for r in log), 1, log)
        self.wait_for(lambda: self.stored_password("localhost"), timeout=30, what="the password in the keyring")

        # Unattended through the sign-in form with the stored password.
        status, facts, result = self.snapshot(url, *ca)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], "Calendar - alice@example.test")

    def test_cancel_asks_no_more(self):
        url = mailbox_url(env("OC_TEST_NTLM_URL"), extra="&autosubmit=0")
        self.start_owacal(url)
        window = self.wait_for(lambda: next((w for w, t in self.dialogs()), None), timeout=60, what="the dialog")
        self.focus(window)
        self.xdotool("key", "Escape")
        self.wait_for(lambda: window not in [w for w, _ in self.dialogs()], timeout=30, what="Escape to cancel")
        self.wait_for_titles(["Sign-In Failed"])
        tabs = self.run_owacal("--list-tabs", "--eval", "document.getElementById('message').textContent", timeout=30)
        self.assertIn("none was given", tabs.stdout)
        time.sleep(0.5)  # a second question would be on its way by now
        self.assertEqual(self.dialogs(), [])


if __name__ == "__main__":
    main()
