"""Ports, server processes and their pid files for the testbed: free ports shared
with every other testbed of this user, servers spawned in their own sessions and
recorded in a manifest (read by "down" and the watchdog), readiness, and stopping.
"""

import fcntl
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = os.path.normpath(os.path.join(HERE, "..", "servers"))
PYTHON = "/usr/bin/python3"

PORT_MIN, PORT_MAX = 20000, 32000  # below the kernel's ephemeral range (32768+)
# Ports handed out recently, shared by all testbeds of this user: meson starts many
# tests at once, and a port found free by one testbed stays free (so looks free to
# the others) until its server binds it a few hundred milliseconds later.
CLAIMS_FILE = f"/tmp/owacal-testbed-ports-{os.getuid()}.json"
CLAIM_SECONDS = 60
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0


class TestbedError(Exception):
    pass


class Interrupts:
    """SIGTERM/SIGINT/SIGHUP become KeyboardInterrupt, except inside critical
    sections, where they are held until the section ends.  (Not pthread_sigmask:
    a blocked mask is inherited by the servers we spawn, and Apache's workers
    then ignore their master's shutdown.)"""
    critical = 0
    pending = False

    @classmethod
    def handler(cls, signum=None, frame=None):
        if cls.critical:
            cls.pending = True
        else:
            raise KeyboardInterrupt

    @classmethod
    def enter(cls):
        cls.critical += 1

    @classmethod
    def leave(cls):
        cls.critical -= 1
        if not cls.critical and cls.pending:
            cls.pending = False
            raise KeyboardInterrupt


# --- Small helpers ----------------------------------------------------------------

def port_is_free(port: int, udp: bool = False) -> bool:
    kinds = [socket.SOCK_STREAM] + ([socket.SOCK_DGRAM] if udp else [])
    for kind in kinds:
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def listening_ports() -> set:
    """Ports in LISTEN state on 127.0.0.1 or 0.0.0.0, read from /proc.

    Used instead of a test connection so readiness checks leave no trace in the
    servers' logs (a bare connect shows up as a failed TLS handshake, an
    empty Apache request, ...).
    """
    ports = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            local, state = line.split()[1], line.split()[3]
            addr, port = local.split(":")
            if state == "0A" and addr in ("0100007F", "00000000"):
                ports.add(int(port, 16))
    return ports


def read_pid(pidfile: str):
    try:
        with open(pidfile) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def process_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The state follows the parenthesised command name; Z = zombie (dead, unreaped).
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def process_matches(pid: int, program: str, token: str) -> bool:
    """True if pid still runs `program` with `token` (our pid file or config) in its arguments,
    so a recycled pid never gets killed."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return False
    return any(os.path.basename(a) == program for a in args[:2]) and any(token in a for a in args)


def tail(path: str, lines: int = 25, width: int = 400) -> str:
    try:
        with open(path, errors="replace") as f:
            content = f.read().splitlines()[-lines:]
    except OSError:
        return ""
    return "\n".join(line[:width] for line in content)


# --- The servers of one testbed ----------------------------------------------------

class Processes:
    """The servers of one testbed directory: the base every component's part of
    Testbed builds on (spawn, run_tool, free_port, down)."""

    def __init__(self, dir_: str):
        self.dir = os.path.abspath(dir_)
        self.state = os.path.join(self.dir, "state")
        self.logs = os.path.join(self.state, "logs")
        self.run_dir = os.path.join(self.state, "run")
        self.manifest = os.path.join(self.run_dir, "servers.json")
        self.ports = set()
        self.children = []  # Popen objects, reaped in down()
        self.pending = []   # (name, port, pidfile, popen) waiting to be ready
        self.env = {}

    def free_port(self, udp: bool = False) -> int:
        with open(CLAIMS_FILE, "a+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            try:
                claims = json.loads(f.read() or "{}")
            except ValueError:
                claims = {}
            now = time.time()
            claims = {p: t for p, t in claims.items() if t > now}
            for _ in range(500):
                port = random.randint(PORT_MIN, PORT_MAX)
                if port not in self.ports and str(port) not in claims and port_is_free(port, udp):
                    self.ports.add(port)
                    claims[str(port)] = now + CLAIM_SECONDS
                    f.seek(0)
                    f.truncate()
                    f.write(json.dumps(claims))
                    return port
        raise TestbedError("no free port in 20000-32000")

    def register(self, entry: dict):
        entries = self.read_manifest() + [entry]
        # Atomic, because the watchdog may read it at any moment.
        with open(self.manifest + ".tmp", "w") as f:
            json.dump(entries, f, indent=1)
        os.replace(self.manifest + ".tmp", self.manifest)

    def read_manifest(self) -> list:
        try:
            with open(self.manifest) as f:
                return json.load(f)
        except (OSError, ValueError):
            return []

    def spawn(self, name, argv, port, pidfile, program, token, env=None):
        """Start a server in the foreground of its own session, all std streams on files
        (meson waits for every holder of the test's stdout pipe to close it).

        Every server runs in the foreground (krb5kdc -n, apache2 -D FOREGROUND), so the
        pid we get here is the server's own and down() can stop it even before it
        wrote its pid file.  Interrupts are held between fork and manifest entry so an
        interrupted "up" cannot lose track of a process.
        """
        out = open(os.path.join(self.logs, f"{name}.stderr"), "ab")
        Interrupts.enter()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                    env=env, cwd=self.state, start_new_session=True)
            self.children.append(proc)
            self.register({"name": name, "pid": proc.pid, "pidfile": pidfile,
                           "program": program, "token": token})
        finally:
            out.close()
            Interrupts.leave()
        self.pending.append((name, port, pidfile, proc))

    def spawn_python(self, name, script, args, port, env=None):
        pidfile = os.path.join(self.run_dir, f"{name}.pid")
        argv = [PYTHON, os.path.join(SERVERS, script)] + args + ["--pidfile", pidfile]
        self.spawn(name, argv, port, pidfile, PYTHON.rsplit("/", 1)[1], pidfile, env)

    def wait_ready(self):
        """Ready = pid file written and port listening ("closed" never listens, by design)."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.pending:
            listening = listening_ports()
            for item in list(self.pending):
                name, port, pidfile, proc = item
                rc = proc.poll()
                if rc is not None:
                    raise TestbedError(f"{name} exited with {rc} while starting:\n"
                                       + tail(os.path.join(self.logs, f"{name}.stderr")))
                ports = port if isinstance(port, tuple) else () if port is None else (port,)
                if os.path.exists(pidfile) and all(p in listening for p in ports):
                    self.pending.remove(item)
            if self.pending and time.monotonic() > deadline:
                raise TestbedError("timed out waiting for " + ", ".join(p[0] for p in self.pending))
            if self.pending:
                time.sleep(0.01)

    def run_tool(self, argv, env=None, stdin=None):
        """Run a setup tool (kdb5_util, openssl, ...) and fail loudly with its output."""
        r = subprocess.run(argv, input=stdin, env=env, cwd=self.state, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise TestbedError(f"{' '.join(argv[:3])} failed ({r.returncode}):\n{r.stdout[-2000:]}")
        return r.stdout

    def port_clash(self) -> bool:
        """Whether a server lost its port to someone else between our check and its bind()."""
        if not os.path.isdir(self.logs):
            return False
        for name in os.listdir(self.logs):
            try:
                with open(os.path.join(self.logs, name), errors="replace") as f:
                    if "Address already in use" in f.read():
                        return True
            except OSError:
                pass
        return False

    # -- down ------------------------------------------------------------------------

    def down(self):
        entries = self.read_manifest()
        victims = []
        for e in reversed(entries):
            pid = read_pid(e["pidfile"]) or e.get("pid")
            if pid and process_alive(pid) and process_matches(pid, e["program"], e["token"]):
                os.kill(pid, signal.SIGTERM)
                victims.append(pid)
        deadline = time.monotonic() + STOP_TIMEOUT
        while victims:
            self.reap()
            victims = [p for p in victims if process_alive(p)]
            if victims and time.monotonic() > deadline:
                for pid in victims:
                    os.kill(pid, signal.SIGKILL)
                deadline = float("inf")
            if victims:
                time.sleep(0.01)
        self.reap()
        for e in entries:
            try:
                os.unlink(e["pidfile"])
            except OSError:
                pass
        # Files a server's unprivileged workers read when they cannot reach our state dir (apache.py).
        side = os.path.join(self.run_dir, "side-dir")
        if os.path.exists(side):
            with open(side) as f:
                for line in f.read().split():  # one per Apache
                    shutil.rmtree(line, ignore_errors=True)
            os.unlink(side)
        try:
            os.unlink(self.manifest)
        except OSError:
            pass

    def reap(self):
        for proc in self.children:
            proc.poll()

    def log_tails(self) -> str:
        out = []
        if os.path.isdir(self.logs):
            for name in sorted(os.listdir(self.logs)):
                text = tail(os.path.join(self.logs, name))
                if text:
                    out.append(f"==> {os.path.join(self.logs, name)} <==\n{text}")
        return "\n".join(out)

