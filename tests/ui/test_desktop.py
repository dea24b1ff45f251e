#!/usr/bin/python3
"""Where the user clicks: an owacal: link anywhere, a shortcut per colleague.

Each test gets a private HOME and a private session bus whose daemon reads that
HOME's D-Bus services, as a desktop session's would. `owacal --register` writes
the per-user files; then a link is opened the way desktops open them: `gio open`
(GIO, as GNOME and Thunderbird do: D-Bus activation of the DBusActivatable
desktop file) and `xdg-open` outside GNOME (the desktop file's Exec=). What was
opened is read back from the running owacal (--list-tabs) and the server's log.
"""
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OWACAL, OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl  # noqa: E402

APP_ID = "io.github.owacal.Owacal"
HOSTILE_NAME = "Bob O'Brien \"$(touch /tmp/owned)\" 100% %u; — Zoë\nExec=/bin/false"


class DesktopTestCase(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)

    def setUp(self):
        super().setUp()
        # Settings in a file of this HOME, which an owacal started by D-Bus reads too.
        self.env.update(XDG_DATA_HOME=os.path.join(self.tmp, ".local", "share"),
                        XDG_CONFIG_HOME=os.path.join(self.tmp, ".config"), GSETTINGS_BACKEND="keyfile")
        for name in ("XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION",
                     "GNOME_DESKTOP_SESSION_ID", "BROWSER"):
            self.env.pop(name, None)
        # A session bus that looks for D-Bus services in this test's HOME, and
        # starts them with this test's environment (display, servers).
        self.bus.terminate()
        self.bus.wait()
        self.bus.stdout.close()
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                    stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    text=True, env=self.env)
        self.bus_address = self.bus.stdout.readline().strip()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address

    def tearDown(self):
        # owacal started by D-Bus is not ours to wait for: quit it through its own
        # action (only when it runs: a call would start it).
        if self.owacal_is_running():
            subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                            "/io/github/owacal/Owacal", "--method", "org.gtk.Actions.Activate", "quit", "[]", "{}"],
                           env=self.env, capture_output=True, timeout=30)
            self.wait_for(lambda: not self.owacal_is_running(), timeout=30, what="owacal to quit")
        super().tearDown()

    def owacal_is_running(self):
        result = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
                                 "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.NameHasOwner", APP_ID],
                                env=self.env, capture_output=True, text=True, timeout=30)
        return "true" in result.stdout

    def owacal_process(self):
        """The running owacal's command line and environment, as /proc has them."""
        reply = self.run_tool("gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
                              "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID",
                              APP_ID)
        pid = int(reply.strip("()\n, ").split()[-1])
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().decode().split("\0")[:-1]
        with open(f"/proc/{pid}/environ", "rb") as f:
            environ = dict(item.split("=", 1) for item in f.read().decode(errors="replace").split("\0") if "=" in item)
        return argv, environ

    def run_tool(self, *args, timeout=60):
        result = subprocess.run(list(args), env=self.env, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=timeout)
        self.assertEqual(result.returncode, 0, f"{args}: {result.stdout}{result.stderr}")
        return result.stdout

    def launch(self, launcher):
        """`gio launch`, whose child (owacal itself, when none runs) keeps its output: not a pipe."""
        with open(os.path.join(self.tmp, "gio-launch.log"), "a") as out:
            result = subprocess.run(["gio", "launch", launcher], env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, timeout=60)
        self.assertEqual(result.returncode, 0, launcher)

    def register(self):
        result = self.run_owacal("--register", timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("owacal now opens owacal: links", result.stdout)
        mime = self.run_tool("gio", "mime", "x-scheme-handler/owacal")
        self.assertIn(f"Default application for “x-scheme-handler/owacal”: {APP_ID}.desktop", mime)

    def tab_page_message(self):
        result = self.run_owacal("--list-tabs", "--eval",
                                 "(document.getElementById('message') || {}).textContent || ''", timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def add_shortcut_from_the_menu(self, name=None):
        """The window menu's Add a Shortcut, then the dialog as a user fills it in (the name
        field keeps its suggestion when @name is None); returns --list-shortcuts' rows."""
        self.run_tool("gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                      "/io/github/owacal/Owacal/window/1", "--method", "org.gtk.Actions.Activate",
                      "add-shortcut", "[]", "{}")
        dialog = self.run_tool("xdotool", "search", "--sync", "--onlyvisible", "--name", "Add a Shortcut").split()[0]
        self.run_tool("xdotool", "windowfocus", "--sync", dialog)
        if name is not None:
            self.run_tool("xdotool", "key", "--clearmodifiers", "ctrl+a")
            self.run_tool("xdotool", "type", "--delay", "20", name)
        self.run_tool("xdotool", "key", "--clearmodifiers", "Return")

        def listed():
            lines = self.run_owacal("--list-shortcuts", timeout=30).stdout.splitlines()
            return [line.split("\t") for line in lines]
        return self.wait_for(listed, timeout=30, what="the shortcut from the menu")

    def validate(self, path):
        result = subprocess.run(["desktop-file-validate", path], capture_output=True, text=True, timeout=30)
        self.assertEqual((result.returncode, result.stdout + result.stderr), (0, ""), path)


class UrlHandlerTest(DesktopTestCase):

    def test_gio_open_starts_owacal_through_dbus(self):
        self.register()
        self.assertFalse(self.owacal_is_running())
        log = env("OC_TEST_OWA_LOG")
        mark = count_lines(log)
        alice = mailbox_url(env("OC_TEST_OWA_URL"), extra="&autosubmit=0")

        # Nobody starts owacal but D-Bus, from the registered service file.
        self.run_tool("gio", "open", "owacal:" + alice)
        self.wait_for_titles(["Calendar - alice@example.test"])
        # Started by the bus from the service file: dbus-daemon marks what it starts.
        argv, environ = self.owacal_process()
        self.assertEqual(argv[1:], ["--gapplication-service"])
        self.assertEqual(environ.get("DBUS_STARTER_BUS_TYPE"), "session")
        tabs = self.list_tabs()
        self.assertEqual(tabs[0][2], alice)
        self.assertTrue(any(r["path"].startswith("/owa/alice@example.test/?") for r in read_jsonl(log, mark)))

        # The running owacal takes the next link, in the owacal:// spelling, as a tab.
        bob = mailbox_url(env("OC_TEST_OWA_URL"), "bob@example.test", "&autosubmit=0")
        self.run_tool("gio", "open", "owacal://" + urllib.parse.quote(bob, safe=""))
        self.wait_for_titles(["Calendar - alice@example.test", "Calendar - bob@example.test"])

        # Anything else is refused, in words, in the window: no page of it is loaded.
        mark = count_lines(log)
        self.run_tool("gio", "open", "owacal:javascript:alert(document.cookie)")
        self.wait_for_titles(["Calendar - alice@example.test", "Calendar - bob@example.test",
                              "Not a Calendar Address"])
        messages = self.tab_page_message()
        self.assertIn("not “javascript:” links", messages[2][3])
        self.assertEqual(read_jsonl(log, mark), [])

    def test_gio_open_a_colleagues_address(self):
        # The usual link in a mail: owacal:<e-mail>. Looked up here through the URL template setting.
        settings = os.path.join(self.env["XDG_CONFIG_HOME"], "glib-2.0", "settings")
        os.makedirs(settings)
        with open(os.path.join(settings, "keyfile"), "w") as f:
            f.write("[io/github/owacal/Owacal]\n"
                    f"url-template='{env('OC_TEST_OWA_URL')}/owa/{{email}}/?cmd=contents&module=calendar&autosubmit=0'\n"
                    "lookup-sources=['url-template']\n")
        self.register()
        self.run_tool("gio", "open", "owacal:Carol@Example.test")
        self.wait_for_titles(["Calendar - carol@example.test"])
        self.assertEqual(self.list_tabs()[0][2], mailbox_url(env("OC_TEST_OWA_URL"), "carol@example.test",
                                                             "&autosubmit=0"))

    def test_xdg_open_outside_gnome_runs_exec(self):
        self.register()
        alice = mailbox_url(env("OC_TEST_OWA_URL"), extra="&autosubmit=0")
        # Without a known desktop, xdg-open runs the desktop file's Exec= itself,
        # and waits for the program: keep it running in the background.
        with open(os.path.join(self.tmp, "xdg-open.log"), "w") as out:
            self.processes.append(subprocess.Popen(["xdg-open", "owacal:" + alice], env=self.env,
                                                   stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT))
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.assertEqual(self.list_tabs()[0][2], alice)

    def test_unregister_undoes_it(self):
        self.register()
        result = self.run_owacal("--unregister", timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        mime = subprocess.run(["gio", "mime", "x-scheme-handler/owacal"], env=self.env, capture_output=True,
                              text=True, timeout=30)
        self.assertNotIn(APP_ID, mime.stdout + mime.stderr)
        opened = subprocess.run(["gio", "open", "owacal:alice@example.test"], env=self.env, capture_output=True,
                                text=True, timeout=60)
        self.assertNotEqual(opened.returncode, 0)
        self.assertFalse(self.owacal_is_running())


class ShortcutTest(DesktopTestCase):

    def test_shortcut_with_a_hostile_name_opens_the_calendar(self):
        bob = mailbox_url(env("OC_TEST_OWA_URL"), "bob@example.test", "&autosubmit=0&x=%25u'$HOME;|")
        created = self.run_owacal("--create-shortcut", bob, "--name", HOSTILE_NAME, "--on-desktop", timeout=30)
        self.assertEqual(created.returncode, 0, created.stderr)
        listed = self.run_owacal("--list-shortcuts", timeout=30).stdout.splitlines()
        self.assertEqual(len(listed), 1, listed)
        name, target, path, desktop_copy = listed[0].split("\t")
        self.assertEqual(name, HOSTILE_NAME.replace("\n", " "))
        self.assertEqual(target, bob)
        self.assertTrue(desktop_copy.startswith(os.path.join(self.tmp, "Desktop") + "/"))
        for launcher in (path, desktop_copy):
            self.validate(launcher)

        # Again: the same file, unchanged.
        with open(path) as f:
            before = f.read()
        again = self.run_owacal("--create-shortcut", bob, "--name", HOSTILE_NAME, timeout=30)
        self.assertIn("is already there", again.stdout)
        with open(path) as f:
            self.assertEqual(f.read(), before)

        # Launched as the desktop launches it, it opens bob's calendar, nothing else.
        self.launch(desktop_copy)
        self.wait_for_titles(["Calendar - bob@example.test"])
        self.assertEqual(self.list_tabs()[0][2], bob)
        self.assertFalse(os.path.exists("/tmp/owned"))

        removed = self.run_owacal("--remove-shortcut", bob, timeout=30)
        self.assertEqual(removed.returncode, 0, removed.stderr)
        self.assertFalse(os.path.exists(path) or os.path.exists(desktop_copy))

    def test_add_shortcut_from_the_window_menu(self):
        alice = mailbox_url(env("OC_TEST_OWA_URL"), extra="&autosubmit=0")
        self.start_owacal(alice)
        self.wait_for_titles(["Calendar - alice@example.test"])

        shortcuts = self.add_shortcut_from_the_menu("Alice From The Menu")
        self.assertEqual(shortcuts[0][:2], ["Alice From The Menu", alice])
        self.validate(shortcuts[0][2])

        # It opens alice's calendar again, as a second tab of the running owacal.
        self.launch(shortcuts[0][2])
        self.wait_for_titles(["Calendar - alice@example.test", "Calendar - alice@example.test"])

    def test_shortcut_from_a_tab_opened_by_address_keeps_the_address(self):
        # Looked up by e-mail address, the calendar's web address may change;
        # the shortcut keeps the person.
        template = f"{env('OC_TEST_OWA_URL')}/owa/{{email}}/?cmd=contents&module=calendar&autosubmit=0"
        self.start_owacal("--lookup-sources", "url-template", "--url-template", template, "Carol@Example.test")
        self.wait_for_titles(["Calendar - carol@example.test"])
        shortcuts = self.add_shortcut_from_the_menu()
        # The name field was filled in with the address; the calendar is the address.
        self.assertEqual(shortcuts[0][:2], ["carol@example.test", "carol@example.test"])

    def test_team_shortcut_opens_the_calendars_side_by_side(self):
        """A side-by-side tab's shortcut opens the same people side by side; so does --create-shortcut A B."""
        base = env("OC_TEST_OWA_URL")
        team = [f"{base}/owa/calendar/5f0c8e1e9a2b4c6d@example.test/{name}/calendar.ics" for name in ("alice", "bob")]
        self.start_owacal("--date", "2024-03-13", *team)
        side_by_side = "Alice Example and Bob Builder · 11 – 17 March 2024"
        self.wait_for(lambda: [t[1] for t in self.list_tabs()] == [side_by_side], timeout=60,
                      what="the calendars side by side")
        shortcuts = self.add_shortcut_from_the_menu("Team")
        # Kept as webcal: links, which say "a published calendar" wherever they are opened.
        self.assertEqual(shortcuts[0][:2], ["Team", " ".join("webcal" + url[len("http"):] for url in team)])
        self.validate(shortcuts[0][2])

        # The same from the command line: the same file, and it opens both again, side by side.
        created = self.run_owacal("--create-shortcut", team[0], team[1], "--name", "Team", timeout=30)
        self.assertEqual(created.returncode, 0, created.stderr)
        self.assertIn("“Calendar — Team” is already there", created.stdout)
        self.launch(shortcuts[0][2])
        self.wait_for(lambda: len(self.list_tabs()) == 2 and self.list_tabs()[1][1].startswith(
            "Alice Example and Bob Builder · "), timeout=60, what="the shortcut's tab side by side")
        removed = self.run_owacal("--remove-shortcut", team[0], team[1], timeout=30)
        self.assertEqual(removed.returncode, 0, removed.stderr)
        self.assertFalse(os.path.exists(shortcuts[0][2]))


class ThunderbirdSetupTest(DesktopTestCase):
    """--setup-thunderbird on a copy of the profile Thunderbird 153 wrote (tests/fixtures/thunderbird-153)."""

    CUSTOM1 = 'user_pref("ldap_2.servers.CorpAD.attrmap.Custom1", "extensionAttribute1");'
    WEBPAGE1 = 'user_pref("ldap_2.servers.CorpAD.attrmap.WebPage1", "owacalLink,mozillaWorkUrl,workurl,labeledURI");'

    def setUp(self):
        super().setUp()
        fixture = os.path.join(env("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "thunderbird-153")
        root = os.path.join(self.tmp, ".thunderbird")
        self.profile = os.path.join(root, "4yl18usa.default-default")
        os.makedirs(self.profile)
        os.makedirs(os.path.join(root, "ke3j8gv5.default"))
        for name, folder in (("profiles.ini", root), ("installs.ini", root), ("prefs.js", self.profile)):
            with open(os.path.join(fixture, name)) as src, open(os.path.join(folder, name), "w") as dst:
                dst.write(src.read())
        self.user_js = os.path.join(self.profile, "user.js")

    def setup_thunderbird(self, *args):
        return self.run_owacal("--setup-thunderbird", *args, timeout=30)

    def test_user_js_lines_idempotent_dry_run(self):
        dry = self.setup_thunderbird("--dry-run", "--website-attribute", "owacalLink")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertIn(self.CUSTOM1, dry.stdout)
        self.assertIn(self.WEBPAGE1, dry.stdout)
        self.assertFalse(os.path.exists(self.user_js), "--dry-run wrote user.js")

        with open(self.user_js, "w") as f:
            f.write('user_pref("mail.spellcheck.inline", false);\n')
        done = self.setup_thunderbird("--website-attribute", "owacalLink")
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(self.user_js) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], 'user_pref("mail.spellcheck.inline", false);')
        self.assertEqual(lines[2:], [self.CUSTOM1, self.WEBPAGE1])

        with open(self.user_js) as f:
            before = f.read()
        again = self.setup_thunderbird("--website-attribute", "owacalLink")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("nothing to do", again.stdout)
        with open(self.user_js) as f:
            self.assertEqual(f.read(), before)

    def test_refused_while_thunderbird_runs(self):
        # Thunderbird's lock: a symlink to "address:+pid" of a running process.
        holder = subprocess.Popen(["sleep", "600"])
        self.processes.append(holder)
        os.symlink(f"127.0.1.1:+{holder.pid}", os.path.join(self.profile, "lock"))
        refused = self.setup_thunderbird()
        self.assertEqual(refused.returncode, 1)
        self.assertIn("Thunderbird is running", refused.stderr)
        self.assertIn(f"process {holder.pid}", refused.stderr)
        self.assertFalse(os.path.exists(self.user_js))

        # Thunderbird quits and leaves its lock behind, as after a crash: no longer refused.
        holder.kill()
        holder.wait()
        done = self.setup_thunderbird()
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(self.user_js) as f:
            self.assertIn(self.CUSTOM1, f.read().splitlines())

    def test_chosen_profile_and_bad_input(self):
        # The Default=1 profile has no directory: refused with what to do.
        empty = self.setup_thunderbird("--profile", "default")
        self.assertEqual(empty.returncode, 1)
        self.assertIn("no LDAP directory", empty.stderr)
        bad = self.setup_thunderbird("--attribute", 'x"); user_pref("evil')
        self.assertEqual(bad.returncode, 2)
        self.assertFalse(os.path.exists(self.user_js))
        usage = self.run_owacal("--dry-run", timeout=30)
        self.assertEqual(usage.returncode, 2)
        named = self.setup_thunderbird("--profile", "default-default", "--attribute", "extensionAttribute7")
        self.assertEqual(named.returncode, 0, named.stderr)
        with open(self.user_js) as f:
            self.assertIn('user_pref("ldap_2.servers.CorpAD.attrmap.Custom1", "extensionAttribute7");',
                          f.read().splitlines())


if __name__ == "__main__":
    main()
