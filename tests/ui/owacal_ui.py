"""Helpers for owacal's UI tests: the real program, under Xvfb, on a private session bus.

The tests run through tests/testbed/testbed.py, which starts the servers and puts
their addresses in the environment (OC_TEST_*). Each test case gets its own D-Bus
session bus, so that owacal's single-instance logic never joins another test's owacal.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BUILD_ROOT = os.environ.get("OWACAL_BUILD_ROOT", "")
OWACAL = os.path.join(BUILD_ROOT, "app", "owacal")
ARTIFACTS = os.path.join(BUILD_ROOT, "tests", "artifacts")
CHROME_UA_MARK = "Chrome/"

# What the test site's page reports about itself once its scripts are done.
PAGE_FACTS_JS = """({
  title: document.title,
  href: location.href,
  status: (document.getElementById('status') || {}).textContent || null,
  canary: document.body.dataset.canary || null,
  cookieSeen: document.body.dataset.cookieSeen || null,
  ping: document.body.dataset.ping || null,
  logo: document.body.dataset.logo || null,
  done: document.body.dataset.done || null,
  events: document.querySelectorAll('#events li').length,
  background: getComputedStyle(document.body).backgroundColor,
  error: document.body.dataset.owacalError || null,
  message: (document.getElementById('message') || {}).textContent || null,
})"""


def env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run this test through tests/testbed/testbed.py")
    return value


def mailbox_url(base, mailbox=None, extra=""):
    mailbox = mailbox or env("OC_TEST_EMAIL")
    return f"{base}/owa/{mailbox}/?cmd=contents&module=calendar{extra}"


def count_lines(path):
    """Where a server log stands now: tests share servers, so each reads only its own lines."""
    with open(path) as f:
        return sum(1 for _ in f)


def read_jsonl(path, since=0):
    with open(path) as f:
        return [json.loads(line) for line in list(f)[since:] if line.strip()]


def read_apache_log(path, since=0):
    """Lines like: t port=1 ka=0 user=u status=200 auth=Negotiate req="GET / HTTP/1.1" ua="..." """
    records = []
    with open(path) as f:
        for line in list(f)[since:]:
            record = {}
            rest = line.strip().split(" ", 1)[1]
            while rest:
                key, _, rest = rest.partition("=")
                if rest.startswith('"'):
                    value, _, rest = rest[1:].partition('"')
                else:
                    value, _, rest = rest.partition(" ")
                record[key.strip()] = value
                rest = rest.lstrip()
            records.append(record)
    return records


def owacal_criticals(output):
    """GLib's criticals of owacal itself (not of WebKit's processes): each is a bug."""
    return re.findall(r"^\(owacal:\d+\): [\w-]*CRITICAL.*$", output, re.MULTILINE)


def set_directory_attribute(uid, url):
    """Writes a person's extensionAttribute1 in the testbed's directory, as its administrator
    (None: removes it)."""
    ldif = (f"dn: uid={uid},ou=people,{env('OC_TEST_LDAP_BASE')}\nchangetype: modify\n"
            f"replace: extensionAttribute1\n" + (f"extensionAttribute1: {url}\n" if url else ""))
    subprocess.run(["ldapmodify", "-x", "-H", env("OC_TEST_LDAP_URI"), "-D", env("OC_TEST_LDAP_ADMIN_DN"),
                    "-w", env("OC_TEST_LDAP_ADMIN_PASSWORD")], input=ldif, text=True, check=True,
                   capture_output=True, timeout=60)


def descendants(pid):
    """The processes started by PID (WebKit's web and network processes), and theirs."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class OwacalTestCase(unittest.TestCase):
    """A private session bus and scratch directory per test; owacal processes are stopped after.

    A test case that types with the keyboard sets private_display = True: it then gets an X
    server of its own, because the tests that run at the same time share the one the suite was
    started under, and a window they focus would take the keys typed here."""

    private_display = False

    def start_private_display(self):
        read_end, write_end = os.pipe()
        # -noreset: an X server resets when its last client leaves, and a client connecting
        # meanwhile gets "cannot open display" (see build-aux/setup.sh).
        self.display = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24",
                                         "-nolisten", "tcp", "-noreset"], pass_fds=(write_end,),
                                        stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as f:
            number = f.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.env["DISPLAY"] = ":" + number
        self.env.pop("XAUTHORITY", None)

    def setUp(self):
        if not os.environ.get("DISPLAY"):
            raise RuntimeError("No DISPLAY: run the ui suite under Xvfb (see README.md)")
        if not os.access(OWACAL, os.X_OK):
            raise RuntimeError(f"{OWACAL} is not built")
        self.tmp = tempfile.mkdtemp(prefix="owacal-ui-")
        self.processes = []
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               text=True)
        self.bus = bus
        self.bus_address = bus.stdout.readline().strip()
        self.env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.bus_address, NO_AT_BRIDGE="1",
                        HOME=self.tmp, XDG_RUNTIME_DIR=self.tmp, XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))
        self.display = None
        if self.private_display:
            self.start_private_display()

    def tearDown(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        criticals = []
        for index in range(len(self.processes)):
            if os.path.exists(os.path.join(self.tmp, f"owacal-{index}.log")):
                criticals += owacal_criticals(self.process_output(index))
        if self.display is not None:
            self.display.terminate()
            self.display.wait()
        self.bus.terminate()
        self.bus.wait()
        self.bus.stdout.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertEqual(criticals, [], "owacal reported a programming error")

    def run_owacal(self, *args, timeout=90, extra_env=None):
        run_env = dict(self.env, **(extra_env or {}))
        # owacal's milestones (oc-timing.c) say where a hung run was; the tests see stderr without them.
        run_env.setdefault("OWACAL_TIMING", "1")
        process = subprocess.Popen([OWACAL, *args], env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, text=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # A hang is a bug to find: say where every thread of owacal and of its WebKit
            # processes was, then stop it.
            stacks = "(gdb is not installed)"
            if shutil.which("gdb"):
                stacks = ""
                for pid in [process.pid, *descendants(process.pid)]:
                    try:
                        with open(f"/proc/{pid}/cmdline", "rb") as f:
                            command = f.read().replace(b"\0", b" ").decode(errors="replace")[:200]
                    except OSError:
                        continue
                    stacks += f"--- process {pid}: {command}\n" + subprocess.run(
                        ["gdb", "-q", "-batch", "-p", str(pid), "-ex", "thread apply all bt"],
                        capture_output=True, text=True, timeout=60).stdout
            process.kill()
            stdout, stderr = process.communicate()
            print(f"owacal {' '.join(args)[:200]} hung; its threads:\n{stacks}\nstderr:\n{stderr}", file=sys.stderr)
            raise
        stderr = "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith("owacal: timing: "))
        self.assertEqual(owacal_criticals(stderr), [], "owacal reported a programming error")
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def start_owacal(self, *args, extra_env=None):
        run_env = dict(self.env, **(extra_env or {}))
        with open(os.path.join(self.tmp, f"owacal-{len(self.processes)}.log"), "w") as log:
            process = subprocess.Popen([OWACAL, *args], env=run_env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def process_output(self, index):
        with open(os.path.join(self.tmp, f"owacal-{index}.log")) as log:
            return log.read()

    def snapshot(self, target, *args, name=None, script=PAGE_FACTS_JS, extra_env=None, timeout=90):
        """Runs owacal --snapshot; returns (exit status, facts dict or None, completed process).
        target may be an option such as "--demo"."""
        png = os.path.join(self.tmp, "snapshot.png")
        result = self.run_owacal("--snapshot", png, "--eval", script, *args, target,
                                 extra_env=extra_env, timeout=timeout)
        facts = None
        lines = result.stdout.splitlines()
        if len(lines) >= 2:
            try:
                facts = json.loads(lines[-1])
            except ValueError:
                facts = None
        if name and os.path.exists(png):
            os.makedirs(ARTIFACTS, exist_ok=True)
            shutil.copy(png, os.path.join(ARTIFACTS, name + ".png"))
        self.last_png = png
        return result.returncode, facts, result

    def password_file(self, password, mode=0o600):
        path = os.path.join(self.tmp, "password")
        with open(path, "w") as f:
            f.write(password + "\n")
        os.chmod(path, mode)
        return path

    def start_keyring(self, password="keyring-password"):
        """A real Secret Service on this test's bus: gnome-keyring-daemon with a new login
        keyring, unlocked with @password (given on stdin, as the desktop's login does)."""
        env = dict(self.env, XDG_DATA_HOME=os.path.join(self.tmp, "data"))
        os.makedirs(env["XDG_DATA_HOME"], exist_ok=True)
        with open(os.path.join(self.tmp, "gnome-keyring.log"), "w") as log:
            daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                      env=env, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        daemon.stdin.write(password.encode())
        daemon.stdin.close()
        self.processes.append(daemon)

        def registered():
            reply = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                                    "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                                    "string:org.freedesktop.secrets"], env=self.env, capture_output=True, text=True)
            return "boolean true" in reply.stdout
        self.wait_for(registered, timeout=30, what="gnome-keyring-daemon on the test's bus")
        return daemon

    def secret_tool(self, *args, stdin=None):
        return subprocess.run(["secret-tool", *args], env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=30)

    def list_tabs(self):
        """[index, title, url] of each tab of the running owacal ([] when none runs)."""
        result = self.run_owacal("--list-tabs", timeout=30)
        if result.returncode == 1 and "not running" in result.stderr:
            return []
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def eval_in_tab(self, script):
        """What SCRIPT (awaited) gives on the page of the running owacal's only tab, as text."""
        result = self.run_owacal("--list-tabs", "--eval", script, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        fields = result.stdout.split("\t", 3)
        self.assertEqual(len(fields), 4, result.stdout)
        return fields[3].removesuffix("\n")

    def wait_for_titles(self, titles, timeout=60):
        """Waits until the running owacal's tabs have these titles, in this order."""
        seen = []

        def have_titles():
            seen[:] = self.list_tabs()
            return [tab[1] for tab in seen] == titles and seen
        try:
            return self.wait_for(have_titles, timeout=timeout, interval=0.2, what=f"tabs titled {titles}")
        except AssertionError:
            logs = sorted(n for n in os.listdir(self.tmp) if n.startswith("owacal-") and n.endswith(".log"))
            output = self.process_output(int(logs[0][7:-4])) if logs else ""
            print(f"last tabs: {seen}\nthe first owacal said:\n{output}", file=sys.stderr)
            raise

    def tab_values(self, script):
        """[[n, title, url, value], ...] from the running owacal's tabs; [] while it is still starting."""
        result = self.run_owacal("--list-tabs", "--eval", script, timeout=30)
        if result.returncode == 1 and "not running" in result.stderr:
            return []
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def value_becomes(self, script, predicate, what):
        """Waits until the last tab's value of @script satisfies @predicate."""
        seen = []

        def check():
            tabs = self.tab_values(script)
            seen[:] = tabs
            return tabs and predicate(tabs[-1][3])
        try:
            self.wait_for(check, timeout=30, interval=0.2, what=what)
        except AssertionError:
            print(f"last seen: {seen}", file=sys.stderr)
            raise

    def give_keyboard_to(self, window):
        """Focuses an X window and waits until it has the keyboard (no window manager here:
        keys typed before that go elsewhere)."""
        def focused():
            subprocess.run(["xdotool", "windowfocus", "--sync", window], env=self.env, capture_output=True,
                           timeout=30)
            time.sleep(0.2)  # GTK takes the focus after the X server gave it
            return subprocess.run(["xdotool", "getwindowfocus"], env=self.env, capture_output=True, text=True,
                                  timeout=30).stdout.strip() == window
        self.wait_for(focused, timeout=30, what=f"window {window} to have the keyboard")

    def wait_for(self, predicate, timeout=30, interval=0.1, what="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        self.fail(f"timed out waiting for {what}")


def main():
    unittest.main(verbosity=2)
