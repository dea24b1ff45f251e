#!/usr/bin/python3
"""Colleagues on Exchange Online: Microsoft 365's sign-in in owacal's window, then Microsoft Graph.

The m365 stand-in (tests/servers/microsoft365.py) is the identity platform (a sign-in form, a second
factor, PKCE checked, refresh tokens that can be revoked, device codes) and Microsoft Graph. Its
people (tests/fixtures/graph/people.json), as alice sees them in the week of 9 March 2026: Bob shares
his calendar, Carol only when she is busy, Dave nothing. The sign-in is typed into the web page under
a private Xvfb with xdotool; the keyring is a real gnome-keyring-daemon, read back with secret-tool;
the stand-in's logs say what owacal asked (they never hold a token).
"""
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, main, read_jsonl  # noqa: E402
from test_exchange import FACTS_JS  # noqa: E402

WINDOW = "Sign In — Microsoft 365"
PEOPLE = ["bob@example.test", "carol@example.test", "dave@example.test"]


class Microsoft365Test(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)

    def setUp(self):
        super().setUp()
        self.start_keyring()
        self.env["TZ"] = "UTC"

    def options(self):
        return ["--ca-file", env("OC_TEST_TLS_CA"), "--client-id", env("OC_TEST_M365_CLIENT_ID"),
                "--tenant", env("OC_TEST_M365_TENANT"), "--microsoft365-authority", env("OC_TEST_M365_LOGIN_URL"),
                "--microsoft365-graph-url", env("OC_TEST_M365_GRAPH_URL"), "--date", "2026-03-11"]

    def switch(self, base, path):
        context = ssl.create_default_context(cafile=env("OC_TEST_TLS_CA"))
        request = urllib.request.Request(base + path, method="POST", data=b"")
        return urllib.request.urlopen(request, context=context, timeout=10).read()

    def xdotool(self, *args, check=True):
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60,
                              check=check)

    def start(self):
        self.owacal = self.start_owacal(*self.options(), *PEOPLE, extra_env={"G_MESSAGES_DEBUG": "owacal"})
        self.log_index = len(self.processes) - 1
        return self.owacal

    def stop(self):
        self.owacal.terminate()
        self.owacal.wait(timeout=30)

    def debug_log(self):
        return [re.sub(r"^.*DEBUG: [0-9:.]+: ", "", line) for line in self.process_output(self.log_index).splitlines()
                if "-DEBUG: " in line]

    def sign_in_windows(self):
        search = self.xdotool("search", "--onlyvisible", "--pid", str(self.owacal.pid), "--name", WINDOW, check=False)
        # xdotool's search also answers with windows that no longer have that name: ask each.
        return [w for w in search.stdout.split()
                if self.xdotool("getwindowname", w, check=False).stdout.startswith(WINDOW)]

    def page_loaded(self, title):
        return any(line == f"Microsoft 365 sign-in window: page loaded: {title}" for line in self.debug_log())

    def type_into_page(self, window, *fields):
        """Tab to the page's first field, then type each field, Tab between, Return at the end."""
        self.give_keyboard_to(window)
        self.xdotool("key", "--window", window, "Tab")
        for index, text in enumerate(fields):
            if index:
                self.xdotool("key", "Tab")
            self.xdotool("type", "--delay", "20", text)
        self.xdotool("key", "Return")

    def sign_in(self):
        """Types alice's address, password and second factor into Microsoft's pages."""
        try:
            window = self.wait_for(lambda: (self.sign_in_windows() or [None])[0], timeout=60,
                                   what="the Microsoft 365 sign-in window")
            self.wait_for(lambda: self.page_loaded("Sign in to your account"), timeout=60, what="the sign-in page")
            self.type_into_page(window, env("OC_TEST_EMAIL"), env("OC_TEST_PASSWORD"))
            self.wait_for(lambda: self.page_loaded("Verify your identity"), timeout=60, what="the second factor")
            self.type_into_page(window, env("OC_TEST_M365_MFA_CODE"))
            self.wait_for(lambda: not self.sign_in_windows(), timeout=60, what="the sign-in window to close")
        except AssertionError:
            names = [self.xdotool("getwindowname", w, check=False).stdout for w in self.sign_in_windows()]
            print(f"windows {names}; owacal said:\n{self.process_output(self.log_index)}", file=sys.stderr)
            raise

    def page_facts(self):
        facts = {}

        def settled():
            tabs = self.tab_values(FACTS_JS)
            if not tabs or not tabs[-1][2].startswith("owacal-calendar://"):
                return False
            facts.update(json.loads(tabs[-1][3]))
            return facts.get("events") and len(facts.get("banners", [])) >= 2
        try:
            self.wait_for(settled, timeout=90, interval=0.5, what="the calendar page of the three")
        except AssertionError:
            print(f"facts {facts}\nowacal said:\n{self.process_output(self.log_index)}", file=sys.stderr)
            raise
        return facts

    def check_page(self, facts):
        bob = [e for e in facts["events"] if e["person"] == 0]
        self.assertTrue(any(e["text"].startswith("Daily stand-up") for e in bob), bob)
        notices = [b for b in facts["banners"] if b["kind"] == "info" and b["person"] == 1]
        self.assertTrue(notices and "shares when they are busy" in notices[0]["text"], facts["banners"])
        self.assertTrue([e for e in facts["events"] if e["person"] == 1], facts["events"])
        refusals = [b for b in facts["banners"] if b["kind"] == "error" and b["person"] == 2]
        self.assertEqual(len(refusals), 1, facts["banners"])

    def stored_token(self):
        result = self.secret_tool("lookup", "tenant", env("OC_TEST_M365_TENANT").lower())
        return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None

    def authorize_requests(self, since):
        return [r for r in read_jsonl(env("OC_TEST_M365_LOGIN_LOG"), since)
                if r["path"].endswith("/oauth2/v2.0/authorize") and r["method"] == "GET"]

    def test_sign_in_window_silent_restart_revoked_token_and_429(self):
        login_log, graph_log = env("OC_TEST_M365_LOGIN_LOG"), env("OC_TEST_M365_GRAPH_LOG")
        login_mark, graph_mark = count_lines(login_log), count_lines(graph_log)

        # First start: nobody signed in: the window with Microsoft's pages, typed into.
        self.start()
        self.sign_in()
        self.check_page(self.page_facts())
        self.assertEqual(len(self.authorize_requests(login_mark)), 1)
        tokens = [r for r in read_jsonl(login_log, login_mark) if r["path"].endswith("/token")]
        self.assertIn("authorization_code", [r["grant_type"] for r in tokens])
        self.assertTrue(all(r["pkce"] == "ok" for r in tokens if r["grant_type"] == "authorization_code"), tokens)
        # A team of three: one getSchedule for all of them.
        schedules = [r for r in read_jsonl(graph_log, graph_mark) if r["path"].endswith("/getSchedule")]
        self.assertEqual(len(schedules), 1, schedules)
        self.assertEqual(sorted(schedules[0]["schedules"]), PEOPLE, schedules)
        # The refresh token: in the keyring, in no file of the user's.
        token = self.wait_for(self.stored_token, timeout=30, what="the refresh token in the keyring")
        self.stop()
        for folder, _, files in os.walk(self.tmp):
            for name in files:
                path = os.path.join(folder, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as f:
                        self.assertNotIn(token.encode(), f.read(), path)

        # Second start, Graph busy once: signed in silently, the 429 waited out.
        login_mark, graph_mark = count_lines(login_log), count_lines(graph_log)
        self.switch(env("OC_TEST_M365_GRAPH_URL").rsplit("/v1.0", 1)[0], "/testbed/throttle?count=1&retry_after=1")
        self.start()
        self.check_page(self.page_facts())
        self.assertEqual(self.authorize_requests(login_mark), [])
        self.assertEqual(self.sign_in_windows(), [])
        grants = [r["grant_type"] for r in read_jsonl(login_log, login_mark) if r["path"].endswith("/token")]
        self.assertEqual(grants, ["refresh_token"])
        statuses = [r["status"] for r in read_jsonl(graph_log, graph_mark)]
        self.assertIn(429, statuses)
        self.stop()

        # The refresh token revoked: asked once, not in a loop.
        self.switch(env("OC_TEST_M365_LOGIN_URL"), "/testbed/revoke")
        login_mark = count_lines(login_log)
        self.start()
        self.sign_in()
        self.check_page(self.page_facts())
        time.sleep(2)  # a loop would ask again now
        self.assertEqual(len(self.authorize_requests(login_mark)), 1)
        self.assertEqual(self.sign_in_windows(), [])
        self.stop()

        # --forget-password microsoft365 signs out.
        result = self.run_owacal("--forget-password", "microsoft365", *self.options()[2:6])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("removed the Microsoft 365 sign-in", result.stdout)
        self.assertIsNone(self.stored_token())

    def test_snapshot_signs_in_with_a_device_code(self):
        png = os.path.join(self.tmp, "snapshot.png")
        process = subprocess.Popen(["/usr/bin/env", os.path.join(os.environ.get("OWACAL_BUILD_ROOT", ""), "app",
                                                                 "owacal"),
                                    "--snapshot", png, "--eval", FACTS_JS, *self.options(),
                                    "carol@example.test"],
                                   env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        stderr = []
        code = None
        for line in process.stderr:
            stderr.append(line)
            match = re.match(r"owacal: code: (\S+)", line)
            if match:
                code = match.group(1)
                break
        self.assertIsNotNone(code, "".join(stderr))
        self.assertTrue(any("/devicelogin" in line for line in stderr), stderr)
        self.switch(env("OC_TEST_M365_LOGIN_URL"), f"/testbed/devicecode?user_code={code}&action=approve")
        stdout, rest = process.communicate(timeout=120)
        self.assertEqual(process.returncode, 0, "".join(stderr) + rest)
        facts = json.loads(stdout.splitlines()[-1])
        self.assertTrue(facts["events"], facts)
        self.assertIn("signed in to Microsoft 365 as alice@example.test", rest)
        self.assertIsNotNone(self.stored_token())
        # Signed in, --print-url finds her in the organisation's directory, silently.
        graph_mark = count_lines(env("OC_TEST_M365_GRAPH_LOG"))
        result = self.run_owacal("--print-url", *self.options()[:-2], "carol@example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[0], "owacal:carol@example.test")
        self.assertRegex(result.stdout.splitlines()[2], r"^source: microsoft365 \(.+\)$")
        users = [r for r in read_jsonl(env("OC_TEST_M365_GRAPH_LOG"), graph_mark) if r["path"].endswith("/users")]
        self.assertEqual([r["status"] for r in users], [200], users)

    def test_cancelled_sign_in_is_said_on_the_page_and_not_asked_again(self):
        login_mark = count_lines(env("OC_TEST_M365_LOGIN_LOG"))
        self.owacal = self.start_owacal(*self.options(), "bob@example.test", extra_env={"G_MESSAGES_DEBUG": "owacal"})
        self.log_index = len(self.processes) - 1
        window = self.wait_for(lambda: (self.sign_in_windows() or [None])[0], timeout=60,
                               what="the Microsoft 365 sign-in window")
        self.assertIn("bob@example.test", self.xdotool("getwindowname", window).stdout)
        self.wait_for(lambda: self.page_loaded("Sign in to your account"), timeout=60, what="the sign-in page")
        self.give_keyboard_to(window)
        # To the focused window: the key's release goes nowhere once the window has gone.
        self.xdotool("key", "Escape")
        self.wait_for(lambda: not self.sign_in_windows(), timeout=30, what="the sign-in window to close")
        self.value_becomes("document.body.dataset.owacalError || ''", lambda v: v == "microsoft365-declined",
                           "the page to say that nobody signed in")
        time.sleep(2)  # a loop would ask again now
        self.assertEqual(self.sign_in_windows(), [])
        self.assertEqual(len(self.authorize_requests(login_mark)), 1)

    def test_setup_microsoft365_saves_the_settings(self):
        keyfile = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": os.path.join(self.tmp, "config")}
        result = self.run_owacal("--setup-microsoft365", "--client-id", env("OC_TEST_M365_CLIENT_ID"),
                                 "--tenant", env("OC_TEST_M365_TENANT"), "--microsoft365-domain", "example.test",
                                 extra_env=keyfile)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"client ID {env('OC_TEST_M365_CLIENT_ID')}", result.stdout)
        self.assertIn("colleagues of example.test", result.stdout)
        # The saved settings route the domain to Microsoft 365 in the next run (endpoints: the stand-in's).
        result = self.run_owacal("--print-url", "--lookup-sources", "exchange", "--microsoft365-graph-url",
                                 env("OC_TEST_M365_GRAPH_URL"), "carol@example.test", extra_env=keyfile)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[1],
                         f"microsoft365: {env('OC_TEST_M365_GRAPH_URL')} (tenant {env('OC_TEST_M365_TENANT')})")
        result = self.run_owacal("--setup-microsoft365", "--client-id", "x", extra_env=keyfile)
        self.assertEqual(result.returncode, 2, result.stderr)

    def test_errors_are_said_in_plain_words(self):
        # A client ID the tenant does not know: the administrator has to register owacal.
        options = self.options()
        options[options.index("--client-id") + 1] = "00000000-0000-4000-8000-000000000000"
        status, facts, result = self.snapshot("bob@example.test", *options, script=FACTS_JS)
        self.assertEqual(status, 1, result.stderr)
        self.assertIn("owacal is not registered in your organisation's Microsoft 365", result.stderr)
        self.assertEqual(facts["error"], "microsoft365-unknown-client", facts)
        # The identity platform out of reach (a port nobody listens on): offline, said so.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = f"https://127.0.0.1:{s.getsockname()[1]}"
        options = self.options()
        options[options.index("--microsoft365-authority") + 1] = closed
        status, facts, result = self.snapshot("bob@example.test", *options, script=FACTS_JS)
        self.assertEqual(status, 1, result.stderr)
        self.assertEqual(facts["error"], "microsoft365-offline", (facts, result.stderr))

    def test_print_url_finds_a_colleague_in_microsoft365(self):
        # Not signed in: the directory is skipped, quietly; the exchange source still finds her.
        result = self.run_owacal("--print-url", *self.options()[:-2], "carol@example.test")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[0], "owacal:carol@example.test")
        self.assertTrue(result.stdout.splitlines()[1].startswith("microsoft365: " + env("OC_TEST_M365_GRAPH_URL")))
        self.assertEqual(result.stdout.splitlines()[2], "source: Microsoft 365")


if __name__ == "__main__":
    main()
