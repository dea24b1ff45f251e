#!/usr/bin/python3
"""The window answers the keyboard: zoom, reload, back, close tab, quit.

Keys are typed into the real window with xdotool (XTEST, as a keyboard would);
the effect is read from the page itself (owacal --list-tabs --eval) and from the
server's log."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl  # noqa: E402


class WindowKeysTest(OwacalTestCase):
    private_display = True  # it types: a display of its own (see owacal_ui.py)

    def tabs(self, script="location.href"):
        result = self.run_owacal("--list-tabs", "--eval", script, timeout=30)
        if result.returncode == 1 and "not running" in result.stderr:
            return []
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def press(self, *keys):
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "Calendar - "],
                                env=self.env, capture_output=True, text=True, timeout=30).stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=self.env, check=True, timeout=30)
        for key in keys:
            subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self.env, check=True, timeout=30)
            time.sleep(0.2)

    def value_becomes(self, script, predicate, what):
        seen = []

        def check():
            tabs = self.tabs(script)
            seen[:] = tabs
            return tabs and predicate(tabs[-1][3])
        try:
            self.wait_for(check, timeout=30, interval=0.2, what=what)
        except AssertionError:
            print(f"last seen: {seen}", file=sys.stderr)
            raise

    def test_keyboard(self):
        base = env("OC_TEST_OWA_URL")
        page = mailbox_url(base, extra="&autosubmit=0")
        process = self.start_owacal(page)
        self.value_becomes("document.body.dataset.done || ''", lambda v: v == "1", "the page to load")
        width = int(self.tabs("window.innerWidth")[0][3])

        # Ctrl+plus zooms in: the page's CSS viewport gets narrower. Ctrl+0 undoes it.
        self.press("ctrl+plus")
        self.value_becomes("window.innerWidth", lambda v: int(v) < width, "Ctrl+plus to zoom in")
        self.press("ctrl+0")
        self.value_becomes("window.innerWidth", lambda v: int(v) == width, "Ctrl+0 to reset the zoom")
        self.press("ctrl+minus")
        self.value_becomes("window.innerWidth", lambda v: int(v) > width, "Ctrl+minus to zoom out")
        self.press("ctrl+0")

        # F5 and Ctrl+R reload: the server sees the document again.
        log = env("OC_TEST_OWA_LOG")
        for key in ("F5", "ctrl+r"):
            mark = count_lines(log)
            self.press(key)
            self.wait_for(lambda: any(r["path"].startswith("/owa/alice@example.test/?") for r in read_jsonl(log, mark)),
                          timeout=30, what=f"{key} to reload")

        # Alt+Left goes back after a navigation, Alt+Right forward again.
        self.tabs("(location.href = location.href.replace('autosubmit=0', 'autosubmit=0&step=2'), 'going')")
        self.value_becomes("location.href", lambda v: "step=2" in v, "the navigation")
        self.press("alt+Left")
        self.value_becomes("location.href", lambda v: "step=2" not in v, "Alt+Left to go back")
        self.press("alt+Right")
        self.value_becomes("location.href", lambda v: "step=2" in v, "Alt+Right to go forward")

        # A second calendar in a tab; Ctrl+W closes the current one, Ctrl+Q quits.
        self.assertEqual(self.run_owacal(mailbox_url(base, "bob@example.test", "&autosubmit=0")).returncode, 0)
        self.wait_for(lambda: len(self.tabs()) == 2, timeout=30, what="a second tab")
        self.press("ctrl+w")
        self.wait_for(lambda: len(self.tabs()) == 1, timeout=30, what="Ctrl+W to close the tab")
        self.assertIn("alice@example.test", self.tabs()[0][2])
        self.press("ctrl+q")
        process.wait(timeout=30)
        self.assertEqual(process.returncode, 0)

    def type_into_window(self, name, text):
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", name],
                                env=self.env, capture_output=True, text=True, timeout=30).stdout.split()[0]
        self.give_keyboard_to(window)
        # The page's input has the focus (autofocus) once the page is there.
        self.value_becomes("document.activeElement ? document.activeElement.id : ''", lambda v: v == "target",
                           "the address field to have the focus")
        subprocess.run(["xdotool", "type", "--delay", "15", text], env=self.env, check=True, timeout=60)
        subprocess.run(["xdotool", "key", "Return"], env=self.env, check=True, timeout=30)

    def test_open_a_calendar_from_the_welcome_page(self):
        """Started from the desktop's menu (no calendar given): type an address, press Enter."""
        self.start_owacal()
        self.wait_for_titles(["owacal"])
        log = env("OC_TEST_OWA_LOG")
        mark = count_lines(log)
        self.type_into_window("^owacal$", mailbox_url(env("OC_TEST_OWA_URL"), extra="&autosubmit=0"))
        # The calendar opens in owacal, signed in as any other; the welcome page has done its job.
        self.wait_for_titles(["Calendar - alice@example.test"])
        self.assertTrue(any(r["path"].startswith("/owa/alice@example.test/?") for r in read_jsonl(log, mark)))

        # Ctrl+L asks again, in a new tab; what is not an address gets a page that says why.
        self.press("ctrl+l")
        self.wait_for_titles(["Calendar - alice@example.test", "owacal"])
        self.type_into_window("^owacal$", "alice at example")
        self.wait_for_titles(["Calendar - alice@example.test", "Not a Calendar Address"])
        message = self.tabs("document.getElementById('message').textContent")[1][3]
        self.assertIn("“alice at example” is neither a web address nor an e-mail address", message)

    def geometry(self, process):
        # Not `search --sync`: xdotool gives up, printing nothing, when a window it looks at goes away
        # meanwhile (WebKit makes and drops windows of its own while a page loads).
        def find():
            return (subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(process.pid), "--name",
                                    "Calendar - "], env=self.env, capture_output=True, text=True,
                                   timeout=30).stdout.split() or [None])[0]
        window = self.wait_for(find, timeout=60, what="owacal's window")
        shape = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], env=self.env,
                               capture_output=True, text=True, timeout=30).stdout
        values = dict(line.split("=") for line in shape.split())
        return window, (int(values["WIDTH"]), int(values["HEIGHT"]))

    def test_window_size_is_remembered(self):
        """As GNOME applications do: the next start opens at the size the window was closed at."""
        settings = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": os.path.join(self.tmp, "config")}
        first = self.start_owacal("--demo", extra_env=settings)
        window, (width, height) = self.geometry(first)
        smaller = (width - 300, height - 200)
        subprocess.run(["xdotool", "windowsize", window, *map(str, smaller)], env=self.env, check=True, timeout=30)
        self.wait_for(lambda: self.geometry(first)[1] == smaller, timeout=30, what="the window to be resized")
        self.press("ctrl+q")
        first.wait(timeout=30)
        with open(os.path.join(self.tmp, "config", "glib-2.0", "settings", "keyfile")) as keyfile:
            self.assertIn("window-width=", keyfile.read())

        second = self.start_owacal("--demo", extra_env=settings)
        self.assertEqual(self.geometry(second)[1], smaller)

    def test_preferences(self):
        """Ctrl+, shows the preferences; what is typed there is saved and used at once."""
        config = os.path.join(self.tmp, "config")
        settings = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config}
        self.start_owacal("--demo", extra_env=settings)
        self.wait_for(lambda: [t[1][:11] for t in self.tabs()] == ["Calendar - "], timeout=60, what="the demo")
        self.press("ctrl+comma")
        dialog = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^Preferences$"],
                                env=self.env, capture_output=True, text=True, timeout=30).stdout.split()[0]
        self.give_keyboard_to(dialog)
        template = env("OC_TEST_OWA_URL") + "/owa/{email}/?cmd=contents&module=calendar&autosubmit=0"
        subprocess.run(["xdotool", "type", "--delay", "10", template], env=self.env, check=True, timeout=60)
        subprocess.run(["xdotool", "key", "Escape"], env=self.env, check=True, timeout=30)

        # The entry saves as it is typed into: the file holds each prefix in turn (under load it
        # may be read between two), until the whole template.
        keyfile = os.path.join(config, "glib-2.0", "settings", "keyfile")
        self.wait_for(lambda: os.path.exists(keyfile) and f"url-template='{template}'\n" in open(keyfile).read(),
                      timeout=30, what="the whole template in the settings")
        # The running owacal looks the next address up with it.
        self.assertEqual(self.run_owacal("frank@example.test", extra_env=settings).returncode, 0)
        self.wait_for(lambda: [t[1] for t in self.tabs()][1:] == ["Calendar - frank@example.test"], timeout=60,
                      what="frank's calendar from the template")


if __name__ == "__main__":
    main()
