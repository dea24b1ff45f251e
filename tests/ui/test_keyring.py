#!/usr/bin/python3
"""Passwords in the desktop keyring, asked for at most once.

Each test starts a real Secret Service (gnome-keyring-daemon, unlocked) on its private bus.
The sign-in dialog is driven under Xvfb with xdotool, typing as a keyboard would. The keyring
is read back with secret-tool, the server's log says what it received, and the running
owacal's tabs (--list-tabs --eval) say what the page shows."""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import (OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl,  # noqa: E402
                       set_directory_attribute)


class KeyringTest(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)


    def setUp(self):
        super().setUp()
        self.start_keyring()
        self.user = f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}"

    def xdotool(self, *args, check=True):
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60,
                              check=check)

    def start(self, *args):
        """Starts owacal, logging its questions; dialogs are looked for in this process only
        (the display is shared with other tests)."""
        self.owacal = self.start_owacal(*args, extra_env={"G_MESSAGES_DEBUG": "owacal"})
        self.owacal_log = len(self.processes) - 1
        return self.owacal

    def debug_log(self):
        """owacal's debug messages (they hold no secrets)."""
        return [re.sub(r"^.*DEBUG: [0-9:.]+: ", "", line) for line in self.process_output(self.owacal_log).splitlines()
                if "-DEBUG: " in line]

    def questions(self):
        """The sign-in dialogs owacal showed, and the keyring's answers."""
        return [line for line in self.debug_log() if line.startswith(("Sign-in dialog ", "The keyring has "))
                and " answered: " not in line]

    def answers(self):
        return [line.split(" answered: ")[1] for line in self.debug_log() if " answered: " in line]

    def dialogs(self):
        """Visible sign-in dialogs of the owacal started last: [(window id, title)]."""
        for _ in range(10):
            # A window that goes away during the search makes xdotool fail with BadWindow: search again.
            search = self.xdotool("search", "--all", "--onlyvisible", "--pid", str(self.owacal.pid), "--name", " — ",
                                  check=False)
            if "BadWindow" not in search.stderr:
                break
        found = []
        for window in search.stdout.split():
            name = self.xdotool("getwindowname", window, check=False)
            if name.returncode == 0 and name.stdout.startswith(("Sign In — ", "Password Rejected — ")):
                found.append((window, name.stdout.strip()))
        return found

    def focus(self, window):
        self.give_keyboard_to(window)

    def dialog_titled(self, title):
        try:
            return self.wait_for(lambda: next((w for w, t in self.dialogs() if t == title), None), timeout=60,
                                 what=f"the dialog “{title}”")
        except AssertionError:
            print(f"dialogs {self.dialogs()}, log {self.debug_log()}, tabs {self.list_tabs()}", file=sys.stderr)
            raise

    def answer_dialog(self, title, password, user=None):
        """Types into the dialog titled @title and presses Return."""
        answered = len(self.answers())
        window = self.dialog_titled(title)
        self.focus(window)
        if user is not None:
            self.xdotool("type", "--delay", "20", user)
            self.xdotool("key", "Tab")
        self.xdotool("type", "--delay", "20", password)
        self.xdotool("key", "Return")
        try:
            self.wait_for(lambda: len(self.answers()) > answered, timeout=30, what="owacal to take the answer")
        except AssertionError:
            focus = self.xdotool("getwindowfocus", check=False).stdout.strip()
            print(f"dialog {window}, focus {focus}, dialogs {self.dialogs()}, log {self.debug_log()}", file=sys.stderr)
            raise
        self.assertEqual(self.answers()[-1], "sign in")

    def stored_password(self, host):
        result = self.secret_tool("lookup", "server", host, "user", self.user)
        return result.stdout if result.returncode == 0 else None

    def test_password_is_asked_stored_reused_and_forgotten(self):
        base = env("OC_TEST_NTLM_URL")
        host = "127.0.0.1"
        url = mailbox_url(base, extra="&autosubmit=0")
        self.assertIsNone(self.stored_password(host))

        # First start: the dialog asks, the page loads, the password lands in the keyring.
        first = self.start(url)
        self.answer_dialog(f"Sign In — {host}", env("OC_TEST_PASSWORD"), user=self.user)
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.wait_for(lambda: self.stored_password(host), timeout=30, what="the password in the keyring")
        self.assertEqual(self.stored_password(host), env("OC_TEST_PASSWORD"))
        first.terminate()
        first.wait(timeout=30)

        # Second start: nothing asked; the stored password signs in.
        mark = count_lines(env("OC_TEST_NTLM_LOG"))
        self.start(url)
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.assertEqual(self.dialogs(), [])
        self.assertEqual(self.questions(), ["The keyring has the password of 127.0.0.1"])
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
        self.start(url)
        self.answer_dialog(f"Sign In — {host}", "wrong-1", user=self.user)
        # The user name stays filled in; the dialog says the password was rejected.
        self.answer_dialog(f"Password Rejected — {host}", "wrong-2")
        self.answer_dialog(f"Password Rejected — {host}", "wrong-3")
        self.wait_for_titles(["Sign-In Failed"])
        self.assertEqual(self.dialogs(), [])
        self.assertEqual(self.questions(), ["Sign-in dialog 1 for 127.0.0.1: none stored",
                                            "Sign-in dialog 2 for 127.0.0.1: the password was rejected",
                                            "Sign-in dialog 3 for 127.0.0.1: the password was rejected"])
        tabs = self.run_owacal("--list-tabs", "--eval", "document.getElementById('message').textContent", timeout=30)
        self.assertIn(f"the password for “{self.user}” was rejected", tabs.stdout)
        self.assertNotIn("wrong-", tabs.stdout)
        self.assertIsNone(self.stored_password(host))

        # “Try Again” is the user asking again: the dialog comes back, and the right password works.
        self.run_owacal("--list-tabs", "--eval", "document.getElementById('retry').click()", timeout=30)
        self.answer_dialog(f"Sign In — {host}", env("OC_TEST_PASSWORD"))
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.assertEqual(self.questions()[3:], ["Sign-in dialog 4 for 127.0.0.1: none stored"])

    def test_forms_login_with_the_dialog(self):
        base = env("OC_TEST_FORMS2010_URL")
        url = mailbox_url(base, extra="&autosubmit=0")
        ca = ["--ca-file", env("OC_TEST_TLS_CA")]
        mark = count_lines(env("OC_TEST_FORMS2010_LOG"))
        self.start(*ca, url)
        self.answer_dialog("Sign In — localhost", env("OC_TEST_PASSWORD"), user=self.user)
        self.wait_for_titles(["Calendar - alice@example.test"])
        log = read_jsonl(env("OC_TEST_FORMS2010_LOG"), mark)
        self.assertEqual(sum(r["forms"] == "login-ok" for r in log), 1, log)
        self.wait_for(lambda: self.stored_password("localhost"), timeout=30, what="the password in the keyring")

        # Unattended through the sign-in form with the stored password.
        status, facts, result = self.snapshot(url, *ca)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], "Calendar - alice@example.test")

    def test_directory_password_from_the_dialog_then_the_keyring(self):
        """A directory that wants a password for its bind DN: asked once, then the keyring answers."""
        reader = env("OC_TEST_LDAP_READER_DN")
        directory = f"{env('OC_TEST_LDAP_URI')}/{env('OC_TEST_LDAP_BASE')}??sub?(objectclass=*)"
        lookup = ["--lookup-sources", "directory", "--directory", directory, "--directory-bind-dn", reader]
        set_directory_attribute("frank", mailbox_url(env("OC_TEST_OWA_URL"), "frank@example.test"))

        # --print-url asks nobody: with nothing stored it says what is missing.
        result = self.run_owacal("--print-url", *lookup, "frank@example.test", timeout=60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"owacal has no password for {reader} on localhost in the keyring", result.stderr)

        # The window asks, the bind goes through, the calendar opens, the keyring keeps the password.
        mark = count_lines(env("OC_TEST_LDAP_LOG"))
        self.start(*lookup, "frank@example.test")
        self.answer_dialog("Sign In — localhost", env("OC_TEST_LDAP_READER_PASSWORD"))
        self.wait_for_titles(["Calendar - frank@example.test"])
        self.assertEqual(self.questions(), ["Sign-in dialog 1 for localhost: none stored"])
        stored = lambda: self.secret_tool("lookup", "server", "localhost", "user", reader).stdout or None  # noqa: E731
        self.assertEqual(self.wait_for(stored, timeout=30, what="the password in the keyring"),
                         env("OC_TEST_LDAP_READER_PASSWORD"))
        with open(env("OC_TEST_LDAP_LOG")) as log:
            self.assertIn(f'BIND dn="{reader}" method=128', "".join(log.readlines()[mark:]))

        # From now on the keyring answers, also for --print-url.
        result = self.run_owacal("--print-url", *lookup, "frank@example.test", timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[1], "source: owacal directory (Custom1 of Frank Nomailbox)")

    def test_cancel_asks_no_more(self):
        url = mailbox_url(env("OC_TEST_NTLM_URL"), extra="&autosubmit=0")
        self.start(url)
        self.dialog_titled("Sign In — 127.0.0.1")

        # A key can get lost while the dialog takes the focus: press again only after
        # owacal has had ample time to take the first one (a second Escape on the window
        # would stop its load).
        for _ in range(3):
            for window, _ in self.dialogs():
                self.focus(window)
                self.xdotool("key", "Escape")
            try:
                self.wait_for(self.answers, timeout=15, what="owacal to take the Escape")
                break
            except AssertionError:
                continue
        self.assertEqual(self.answers(), ["cancel"])
        self.wait_for_titles(["Sign-In Failed"])
        tabs = self.run_owacal("--list-tabs", "--eval", "document.getElementById('message').textContent", timeout=30)
        self.assertIn("none was given", tabs.stdout)
        self.assertEqual(self.questions(), ["Sign-in dialog 1 for 127.0.0.1: none stored"])


if __name__ == "__main__":
    main()
