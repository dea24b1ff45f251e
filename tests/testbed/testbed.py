#!/usr/bin/python3
"""Real servers on loopback for owacal's integration and UI tests.

  testbed.py up   --dir DIR --with COMPONENTS     start, write DIR/testbed.env, print it
  testbed.py down --dir DIR                       stop everything (idempotent)
  testbed.py run  --with COMPONENTS [--dir DIR] -- COMMAND ARGS...
  testbed.py kinit --dir DIR [--lifetime SECONDS]
  testbed.py kdestroy --dir DIR

COMPONENTS (comma list, or "all"):
  kdc           MIT KDC for EXAMPLE.TEST; alice gets a ticket in KRB5CCNAME
  negotiate     Apache + mod_auth_gssapi (Kerberos) in front of the OWA site (implies kdc)
  ntlm          the OWA site with its own connection-bound NTLMv2 (offers NTLM only)
  ntlm-negotiate  the same, offering "Negotiate" and "NTLM" like IIS (SSO->NTLM fallback tests)
  owa           the OWA site, no authentication
  tls           the OWA site over TLS: private CA, self-signed, expired and wrong-host certificates
  proxy         a forward proxy (http, and CONNECT for https) that wants NTLM sign-in
  forms         the OWA site with forms-based sign-in: Exchange 2003, 2007, 2010+ over https
                (OC_TEST_FORMS2003_URL ...), the 2010 shape over http (OC_TEST_FORMS_HTTP_URL)
  blackhole     a port that accepts and never answers
  closed        a port that refuses connections
  slapd         OpenLDAP with an AD-like schema (implies kdc): anonymous, simple and
                SASL GSSAPI binds, StartTLS and ldaps with the private CA

slapd options (for "up" and "run"):
  --slapd-ldif FILE               the people to load (default tests/fixtures/ldap/directory.ldif)
  --slapd-generated-users N       also N generated mailbox users under ou=generated
  --slapd-size-limit N            AD-like page limit: N entries per search or page
  --slapd-paged-total-limit N     at most N entries in all pages of a paged search
  --slapd-no-extension-attributes schema without extensionAttribute1/2 (values dropped from the LDIF)
  --slapd-deny-write DN           this entry is read-only even for the administrators (repeatable)
  --slapd-limits-for DN LIMITS    slapd "limits" for one bind identity, e.g. "size.prtotal=250" (repeatable)
  --slapd-stalled-suffix DN       a naming context whose searches slapd ends at its 1 s time limit (result 3)

Everything lives in DIR/state (wiped by "up"); nothing uses fixed ports or the network.
OC_TESTBED_TIMING=1 makes "run" print how long up and down took (stderr).
Run by the system interpreter on purpose: a pyenv python3 may come first on PATH.
"""

import argparse
import fcntl
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = os.path.normpath(os.path.join(HERE, "..", "servers"))
LDAP_FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "ldap"))
PYTHON = "/usr/bin/python3"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"

USER, PASSWORD, DOMAIN = "alice", "Wonderland-2024", "EXAMPLE"
REALM, DNS_DOMAIN, EMAIL = "EXAMPLE.TEST", "example.test", "alice@example.test"
KDC_MASTER_PASSWORD = "testbed-master-key"
LDAP_BASE = "dc=example,dc=test"
LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD = f"cn=admin,{LDAP_BASE}", "Directory-Admin-2024"
LDAP_READER_DN, LDAP_READER_PASSWORD = f"uid=reader,{LDAP_BASE}", "Read-Only-2024"
SLAPD = "/usr/sbin/slapd"

COMPONENTS = ("kdc", "negotiate", "ntlm", "ntlm-negotiate", "owa", "tls", "forms", "proxy", "blackhole", "closed",
              "slapd")
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


def reachable_by_others(path: str) -> bool:
    """Whether a process running as nobody can traverse down to path."""
    path = os.path.abspath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        if path == "/":
            return True
        path = os.path.dirname(path)


def machine_names() -> list:
    """This machine's host names, as libldap may substitute them for "localhost"."""
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.add(socket.gethostbyname_ex(socket.gethostname())[0])
    except OSError:
        pass
    return sorted(n for n in names if n and n != "localhost" and all(c.isalnum() or c in "-." for c in n))


def read_env(dir_: str) -> dict:
    env = {}
    try:
        with open(os.path.join(dir_, "testbed.env")) as f:
            for line in f:
                key, eq, value = line.rstrip("\n").partition("=")
                if eq:
                    env[key] = value
    except OSError:
        raise TestbedError(f"{dir_}/testbed.env not found: run 'testbed.py up' first")
    return env


# --- The testbed ------------------------------------------------------------------

class Testbed:
    def __init__(self, dir_: str, slapd_options=None):
        self.dir = os.path.abspath(dir_)
        self.slapd_options = slapd_options or SlapdOptions()
        self.state = os.path.join(self.dir, "state")
        self.logs = os.path.join(self.state, "logs")
        self.run_dir = os.path.join(self.state, "run")
        self.manifest = os.path.join(self.run_dir, "servers.json")
        self.ports = set()
        self.children = []  # Popen objects, reaped in down()
        self.pending = []   # (name, port, pidfile, popen) waiting to be ready
        self.env = {}

    # -- ports and processes -----------------------------------------------------

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

    # -- up ------------------------------------------------------------------------

    def up(self, components: set) -> dict:
        # One retry if a server lost its port to someone else between our check and its bind().
        try:
            return self.up_once(set(components))
        except TestbedError:
            if not self.port_clash():
                raise
            print("testbed: a port was taken meanwhile; retrying with other ports", file=sys.stderr)
            self.ports.clear()
            return self.up_once(set(components))

    def port_clash(self) -> bool:
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

    def up_once(self, components: set) -> dict:
        self.down()  # a previous "up" without "down" must not leave orphans behind
        self.pending = []
        shutil.rmtree(self.state, ignore_errors=True)
        try:
            os.unlink(os.path.join(self.dir, "testbed.env"))  # never leave a stale one behind
        except OSError:
            pass
        for d in (self.state, self.logs, self.run_dir):
            os.makedirs(d, exist_ok=True)
        os.chmod(self.state, 0o755)
        if components & {"negotiate", "slapd"}:
            components.add("kdc")

        self.env = {"OC_TESTBED_DIR": self.dir, "OC_TEST_USER": USER, "OC_TEST_PASSWORD": PASSWORD,
                    "OC_TEST_DOMAIN": DOMAIN, "OC_TEST_EMAIL": EMAIL}
        # Python servers first: they start in parallel with the KDC and Apache setup.
        if "owa" in components:
            self.start_owa("owa", "OC_TEST_OWA", ["--auth", "none"])
        if "ntlm" in components:
            self.start_owa("ntlm", "OC_TEST_NTLM", ["--auth", "ntlm"])
        if "ntlm-negotiate" in components:
            self.start_owa("ntlm-negotiate", "OC_TEST_NTLM_NEGOTIATE", ["--auth", "ntlm", "--offer-negotiate"])
        if "tls" in components:
            self.start_tls()
        if "forms" in components:
            self.start_forms()
        if "proxy" in components:
            self.start_proxy()
        if "blackhole" in components:
            self.start_hole("blackhole", "listen", "OC_TEST_BLACKHOLE_URL")
        if "closed" in components:
            self.start_hole("closed", "closed", "OC_TEST_CLOSED_URL")
        if "kdc" in components:
            self.start_kdc()
        if "negotiate" in components:
            self.start_negotiate()
        if "slapd" in components:
            self.start_slapd()
        self.wait_ready()
        if "kdc" in components:
            self.kinit()

        with open(os.path.join(self.dir, "testbed.env"), "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in self.env.items())
        return self.env

    def server_env(self) -> dict:
        return dict(os.environ, OC_TEST_PASSWORD=PASSWORD)  # keeps the password out of `ps`

    def start_owa(self, name, prefix, auth_args, tls=None, host="127.0.0.1", scheme="http"):
        port = self.free_port()
        log = os.path.join(self.logs, f"{name}.jsonl")
        args = ["--port", str(port), "--log", log, "--user", USER, "--domain", DOMAIN,
                "--dns-domain", DNS_DOMAIN] + auth_args
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.spawn_python(name, "owa_site.py", args, port, self.server_env())
        if prefix:
            self.env[f"{prefix}_URL"] = f"{scheme}://{host}:{port}"
            self.env[f"{prefix}_LOG"] = log
        return port

    def start_hole(self, name, mode, key):
        port = self.free_port()
        self.spawn_python(name, "blackhole.py", ["--mode", mode, "--port", str(port)],
                          port if mode == "listen" else None)
        self.env[key] = f"http://127.0.0.1:{port}"

    # -- TLS -----------------------------------------------------------------------

    def ensure_ca(self) -> str:
        """The private CA and a certificate for localhost/127.0.0.1 signed by it, made once
        per testbed (the tls and slapd components share them).  Returns the directory."""
        tls = os.path.join(self.state, "tls")
        if os.path.exists(os.path.join(tls, "localhost.pem")):
            return tls
        os.makedirs(os.path.join(tls, "issued"))
        cnf = os.path.join(tls, "openssl.cnf")
        with open(cnf, "w") as f:
            f.write(OPENSSL_CNF.format(tls=tls, machine_names="".join(
                f", DNS:{n}" for n in machine_names())))
        with open(os.path.join(tls, "index.txt"), "w"):
            pass
        with open(os.path.join(tls, "serial"), "w") as f:
            f.write("1000\n")

        def path(n):
            return os.path.join(tls, n)

        ossl = ["openssl"]
        # EC P-256 keys: RSA key generation would dominate the start-up time.
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        self.run_tool(ossl + ["req", "-config", cnf, "-x509", "-new"] + ec + [
            "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "3650",
            "-subj", "/CN=owacal testbed CA", "-extensions", "v3_ca"])
        self.run_tool(ossl + ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-out", path("leaf.key")])
        self.run_tool(ossl + ["req", "-config", cnf, "-new", "-key", path("leaf.key"),
                              "-subj", "/CN=localhost", "-out", path("localhost.csr")])
        self.run_tool(ossl + ["ca", "-config", cnf, "-batch", "-notext", "-in", path("localhost.csr"),
                              "-out", path("localhost.pem"), "-extensions", "leaf_localhost", "-days", "365"])
        return tls

    def start_tls(self):
        tls = self.ensure_ca()
        cnf = os.path.join(tls, "openssl.cnf")

        def path(n):
            return os.path.join(tls, n)

        ossl = ["openssl"]
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        self.run_tool(ossl + ["req", "-config", cnf, "-x509", "-new"] + ec + [
            "-keyout", path("selfsigned.key"), "-out", path("selfsigned.pem"), "-days", "365",
            "-subj", "/CN=localhost", "-extensions", "leaf_localhost"])
        self.run_tool(ossl + ["req", "-config", cnf, "-new", "-key", path("leaf.key"),
                              "-subj", "/CN=otherhost.example", "-out", path("otherhost.example.csr")])
        # "openssl x509 -days" cannot go negative; "openssl ca" takes explicit dates.
        sign = ossl + ["ca", "-config", cnf, "-batch", "-notext"]
        self.run_tool(sign + ["-in", path("localhost.csr"), "-out", path("expired.pem"),
                              "-extensions", "leaf_localhost",
                              "-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])
        self.run_tool(sign + ["-in", path("otherhost.example.csr"), "-out", path("wronghost.pem"),
                              "-extensions", "leaf_otherhost", "-days", "365"])

        key = path("leaf.key")
        self.env["OC_TEST_TLS_CA"] = path("ca.pem")
        self.start_owa("tls", "OC_TEST_TLS", ["--auth", "none"], (path("localhost.pem"), key),
                       host="localhost", scheme="https")
        port = self.start_owa("tls-selfsigned", None, ["--auth", "none"],
                              (path("selfsigned.pem"), path("selfsigned.key")))
        self.env["OC_TEST_TLS_SELFSIGNED_URL"] = f"https://localhost:{port}"
        # A self-signed server whose certificate (and key) can change: POST /testbed/swap-certificate.
        self.run_tool(ossl + ["req", "-config", cnf, "-x509", "-new"] + ec + [
            "-keyout", path("selfsigned2.key"), "-out", path("selfsigned2.pem"), "-days", "365",
            "-subj", "/CN=localhost", "-extensions", "leaf_localhost"])
        port = self.start_owa("tls-changing", None, ["--auth", "none", "--tls-alt-cert", path("selfsigned2.pem"),
                                                      "--tls-alt-key", path("selfsigned2.key")],
                              (path("selfsigned.pem"), path("selfsigned.key")))
        self.env["OC_TEST_TLS_CHANGING_URL"] = f"https://localhost:{port}"
        port = self.start_owa("tls-expired", None, ["--auth", "none"], (path("expired.pem"), key))
        self.env["OC_TEST_TLS_EXPIRED_URL"] = f"https://localhost:{port}"
        port = self.start_owa("tls-wronghost", None, ["--auth", "none"], (path("wronghost.pem"), key))
        self.env["OC_TEST_TLS_WRONGHOST_URL"] = f"https://127.0.0.1:{port}"

    def start_forms(self):
        """OWA's forms-based sign-in in the shapes of Exchange 2003, 2007 and 2010+, over
        https with the private CA, and the 2010 shape over plain http."""
        tls = self.ensure_ca()
        self.env["OC_TEST_TLS_CA"] = os.path.join(tls, "ca.pem")
        pair = (os.path.join(tls, "localhost.pem"), os.path.join(tls, "leaf.key"))
        for version in ("2003", "2007", "2010"):
            self.start_owa(f"forms-{version}", f"OC_TEST_FORMS{version}",
                           ["--auth", "forms", "--forms-version", version], pair, host="localhost", scheme="https")
        self.start_owa("forms-http", "OC_TEST_FORMS_HTTP", ["--auth", "forms", "--forms-version", "2010"],
                       host="localhost")
        # HTTP Basic, over https and over http.
        self.start_owa("basic", "OC_TEST_BASIC", ["--auth", "basic"], pair, host="localhost", scheme="https")
        self.start_owa("basic-http", "OC_TEST_BASIC_HTTP", ["--auth", "basic"], host="localhost")

    def start_proxy(self):
        """A forward proxy for http and, with CONNECT, https, that wants NTLMv2 like ISA/TMG."""
        port = self.free_port()
        log = os.path.join(self.logs, "proxy.jsonl")
        self.spawn_python("proxy", "proxy.py", ["--port", str(port), "--log", log, "--user", USER, "--domain",
                                                DOMAIN, "--dns-domain", DNS_DOMAIN], port, self.server_env())
        self.env["OC_TEST_PROXY_URL"] = f"http://127.0.0.1:{port}"
        self.env["OC_TEST_PROXY_LOG"] = log

    # -- Kerberos ------------------------------------------------------------------

    def start_kdc(self):
        kdc_dir = os.path.join(self.state, "kdc")
        os.makedirs(kdc_dir)
        port = self.free_port(udp=True)
        krb5_conf = os.path.join(self.state, "krb5.conf")
        kdc_conf = os.path.join(kdc_dir, "kdc.conf")
        mech_conf = os.path.join(self.state, "gss-mech.conf")
        with open(krb5_conf, "w") as f:
            f.write(KRB5_CONF.format(realm=REALM, port=port, dns_domain=DNS_DOMAIN))
        with open(kdc_conf, "w") as f:
            f.write(KDC_CONF.format(realm=REALM, port=port, kdc=kdc_dir, logs=self.logs))
        with open(os.path.join(kdc_dir, "kadm5.acl"), "w"):
            pass
        with open(mech_conf, "w"):
            pass  # empty on purpose: hides the system's gss-ntlmssp from SPNEGO
        for p in (krb5_conf, mech_conf):
            os.chmod(p, 0o644)

        env = dict(os.environ, KRB5_CONFIG=krb5_conf, KRB5_KDC_PROFILE=kdc_conf)
        # -W: weak (non-blocking) randomness is fine for a throw-away realm.
        self.run_tool(["kdb5_util", "-r", REALM, "create", "-s", "-W", "-P", KDC_MASTER_PASSWORD], env)
        self.keytab = os.path.join(kdc_dir, "http.keytab")
        self.ldap_keytab = os.path.join(kdc_dir, "ldap.keytab")
        self.run_tool(["kadmin.local", "-r", REALM], env, stdin="\n".join([
            f"addprinc -pw {PASSWORD} {USER}",
            # With canonicalisation off, clients ask for HTTP/<host as written in the URL>.
            "addprinc -randkey HTTP/localhost",
            "addprinc -randkey HTTP/127.0.0.1",
            f"ktadd -k {self.keytab} HTTP/localhost HTTP/127.0.0.1",
            # slapd's GSSAPI acceptor; clients ask for ldap/<host in the URL> with SASL_NOCANON.
            "addprinc -randkey ldap/localhost",
            f"ktadd -k {self.ldap_keytab} ldap/localhost", ""]))
        pidfile = os.path.join(self.run_dir, "kdc.pid")
        self.spawn("kdc", ["krb5kdc", "-n", "-r", REALM, "-P", pidfile], port, pidfile, "krb5kdc", pidfile, env)

        self.env.update({
            "KRB5_CONFIG": krb5_conf,
            "KRB5CCNAME": "FILE:" + os.path.join(self.state, "ccache"),
            "OC_TEST_REALM": REALM,
            "GSS_MECH_CONFIG": mech_conf,
            "OC_TEST_KDC_PORT": str(port),
        })

    def kinit(self, lifetime=None):
        env = dict(os.environ, KRB5_CONFIG=self.env["KRB5_CONFIG"], KRB5CCNAME=self.env["KRB5CCNAME"])
        argv = ["kinit"] + (["-l", f"{lifetime}s"] if lifetime else []) + [f"{USER}@{REALM}"]
        self.run_tool(argv, env, stdin=PASSWORD + "\n")

    # -- Apache + mod_auth_gssapi ----------------------------------------------------

    def start_negotiate(self):
        backend = self.start_owa("negotiate-backend", None, ["--auth", "header"], host="localhost")
        self.env["OC_TEST_NEGOTIATE_BACKEND_LOG"] = os.path.join(self.logs, "negotiate-backend.jsonl")
        apache_dir = os.path.join(self.state, "apache")
        os.makedirs(os.path.join(apache_dir, "runtime"))
        as_root = os.geteuid() == 0

        # As root, Apache's workers run as nobody and read the keytab, krb5.conf and
        # the replay cache at request time.  If nobody cannot reach our state dir
        # (a build dir under /root, a 0700 --dir), those files go to a side dir in /tmp.
        shared = os.path.join(apache_dir, "shared")
        if as_root and not reachable_by_others(self.state):
            shared = tempfile.mkdtemp(prefix="owacal-testbed-apache-")
            with open(os.path.join(self.run_dir, "side-dir"), "w") as f:
                f.write(shared)
        os.makedirs(shared, exist_ok=True)
        os.chmod(shared, 0o755)
        rcache = os.path.join(shared, "rcache")
        os.makedirs(rcache)
        os.chmod(rcache, 0o1777)
        files = {}
        for name, src in (("http.keytab", self.keytab), ("krb5.conf", self.env["KRB5_CONFIG"]),
                          ("gss-mech.conf", self.env["GSS_MECH_CONFIG"])):
            files[name] = os.path.join(shared, name)
            shutil.copyfile(src, files[name])
            os.chmod(files[name], 0o644)  # a test keytab; readable by nobody on purpose

        port = self.free_port()
        conf = os.path.join(apache_dir, "httpd.conf")
        pidfile = os.path.join(self.run_dir, "apache.pid")
        access_log = os.path.join(self.logs, "apache-access.log")
        with open(conf, "w") as f:
            f.write(HTTPD_CONF.format(
                root=apache_dir, pidfile=pidfile, logs=self.logs, port=port, modules=APACHE_MODULES,
                user="User nobody\nGroup nogroup" if as_root else "# not root: runs as the caller",
                keytab=files["http.keytab"], backend=backend, access_log=access_log))
        env = dict(os.environ, KRB5_CONFIG=files["krb5.conf"], GSS_MECH_CONFIG=files["gss-mech.conf"],
                   KRB5RCACHEDIR=rcache, KRB5_KTNAME=files["http.keytab"])
        self.spawn("apache", [APACHE, "-f", conf, "-D", "FOREGROUND"], port, pidfile, "apache2", conf, env)
        self.env.update({
            "KRB5RCACHEDIR": rcache,
            "OC_TEST_NEGOTIATE_URL": f"http://localhost:{port}",
            "OC_TEST_NEGOTIATE_LOG": access_log,
        })

    # -- OpenLDAP --------------------------------------------------------------------

    def start_slapd(self):
        opts = self.slapd_options
        slapd_dir = os.path.join(self.state, "slapd")
        db = os.path.join(slapd_dir, "db")
        os.makedirs(db)
        tls = self.ensure_ca()
        schemas = [f"/etc/ldap/schema/{n}.schema" for n in ("core", "cosine", "inetorgperson", "nis")]
        schemas.append(os.path.join(LDAP_FIXTURES, "ad-mailbox.schema"))
        if not opts.no_extension_attributes:
            schemas.append(os.path.join(LDAP_FIXTURES, "ad-extension-attributes.schema"))

        # Like AD's MaxPageSize: a plain search stops after N entries (sizeLimitExceeded),
        # a paged one gets every entry in pages of at most N.  (slapd refuses a larger page
        # size with adminLimitExceeded where AD silently shrinks it.)  Every bind DN here is
        # an ordinary entry, never the rootdn, because the rootdn ignores limits.
        limits = []
        if opts.size_limit is not None:
            limits += [f"size.soft={opts.size_limit}", f"size.hard={opts.size_limit}",
                       f"size.pr={opts.size_limit}", "size.prtotal=unlimited"]
        if opts.paged_total_limit is not None:
            limits = [x for x in limits if not x.startswith("size.prtotal")]
            limits.append(f"size.prtotal={opts.paged_total_limit}")
        deny = "".join(f'access to dn.base="{ldap_conf_quote(dn)}"\n    by * read\n'
                       for dn in opts.deny_write)
        # Limits of one bind identity (slapd.limits(5)); they replace the ones above for it.
        identity_limits = "".join(f'\nlimits dn.exact="{ldap_conf_quote(dn)}" {spec}'
                                  for dn, spec in opts.limits_for)

        stalled = ""
        if opts.stalled_suffix:
            stall_port = self.free_port()
            self.spawn_python("ldap-stall", "ldap_stall.py", ["--port", str(stall_port)], stall_port)
            stalled = SLAPD_STALLED_CONF.format(suffix=ldap_conf_quote(opts.stalled_suffix), port=stall_port)

        conf = os.path.join(slapd_dir, "slapd.conf")
        pidfile = os.path.join(self.run_dir, "slapd.pid")
        with open(conf, "w") as f:
            f.write(SLAPD_CONF.format(
                includes="".join(f"include {x}\n" for x in schemas), pidfile=pidfile,
                args=os.path.join(slapd_dir, "slapd.args"), ca=os.path.join(tls, "ca.pem"),
                cert=os.path.join(tls, "localhost.pem"), key=os.path.join(tls, "leaf.key"),
                base=LDAP_BASE, db=db, admin=LDAP_ADMIN_DN, user=USER, deny=deny,
                limits=(("sizelimit " + " ".join(limits)) if limits else "# no size limit") + identity_limits)
                + stalled)

        ldif = os.path.join(slapd_dir, "directory.ldif")
        with open(ldif, "w") as f:
            f.write(SLAPD_BASE_LDIF.format(base=LDAP_BASE, admin_password=LDAP_ADMIN_PASSWORD,
                                           reader_password=LDAP_READER_PASSWORD))
            f.write("\n")
            with open(opts.ldif) as people:
                text = people.read()
            if opts.no_extension_attributes:
                text = without_extension_attributes(text)
            f.write(text.rstrip("\n") + "\n\n")
            if opts.generated_users:
                f.write(generated_users_ldif(opts.generated_users, not opts.no_extension_attributes))
        # -q: no consistency checks, an order of magnitude faster for thousands of entries.
        self.run_tool(["slapadd", "-q", "-f", conf, "-l", ldif])

        port, tls_port = self.free_port(), self.free_port()
        rcache = os.path.join(slapd_dir, "rcache")
        os.makedirs(rcache)
        env = dict(os.environ, KRB5_CONFIG=self.env["KRB5_CONFIG"], KRB5_KTNAME=self.ldap_keytab,
                   GSS_MECH_CONFIG=self.env["GSS_MECH_CONFIG"], KRB5RCACHEDIR=rcache)
        # -d 256: stay in the foreground and log every connection and operation ("stats")
        # to stderr, which spawn() keeps in logs/slapd.stderr.
        urls = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"
        self.spawn("slapd", [SLAPD, "-d", "256", "-h", urls, "-f", conf], (port, tls_port),
                   pidfile, "slapd", conf, env)
        self.env.update({
            # localhost, not 127.0.0.1: the GSSAPI service principal is ldap/localhost.
            "OC_TEST_LDAP_URI": f"ldap://localhost:{port}",
            "OC_TEST_LDAPS_URI": f"ldaps://localhost:{tls_port}",
            "OC_TEST_LDAP_CA": os.path.join(tls, "ca.pem"),
            "OC_TEST_LDAP_BASE": LDAP_BASE,
            "OC_TEST_LDAP_ADMIN_DN": LDAP_ADMIN_DN,
            "OC_TEST_LDAP_ADMIN_PASSWORD": LDAP_ADMIN_PASSWORD,
            "OC_TEST_LDAP_READER_DN": LDAP_READER_DN,
            "OC_TEST_LDAP_READER_PASSWORD": LDAP_READER_PASSWORD,
            "OC_TEST_LDAP_LOG": os.path.join(self.logs, "slapd.stderr"),
            "OC_TEST_LDAP_LDIF": ldif,
            # Otherwise libldap asks for ldap/<canonical host name>, which does not exist.
            "LDAPSASL_NOCANON": "on",
        })

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
        side = os.path.join(self.run_dir, "side-dir")
        if os.path.exists(side):
            with open(side) as f:
                shutil.rmtree(f.read().strip(), ignore_errors=True)
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


class SlapdOptions:
    """What the slapd component loads and how it limits clients (see the module doc)."""

    def __init__(self, args=None):
        self.ldif = os.path.join(LDAP_FIXTURES, "directory.ldif")
        self.generated_users = 0
        self.size_limit = None
        self.paged_total_limit = None
        self.no_extension_attributes = False
        self.deny_write = []
        self.limits_for = []
        self.stalled_suffix = None
        if args is not None:
            self.ldif = os.path.abspath(args.slapd_ldif or self.ldif)
            self.generated_users = args.slapd_generated_users
            self.size_limit = args.slapd_size_limit
            self.paged_total_limit = args.slapd_paged_total_limit
            self.no_extension_attributes = args.slapd_no_extension_attributes
            self.deny_write = args.slapd_deny_write or []
            self.limits_for = args.slapd_limits_for or []
            self.stalled_suffix = args.slapd_stalled_suffix


def ldap_conf_quote(text: str) -> str:
    """A value for a double-quoted slapd.conf argument."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def without_extension_attributes(ldif: str) -> str:
    """The LDIF as it would be in a directory without extensionAttribute1/2: their values
    and the auxiliary class that carries them are dropped (with folded continuations)."""
    out, dropping = [], False
    for line in ldif.splitlines():
        if line.startswith(" ") and dropping:
            continue
        key = line.split(":", 1)[0].strip().lower()
        dropping = key in ("extensionattribute1", "extensionattribute2") or \
            (key == "objectclass" and line.split(":", 1)[1].strip().lower() == "exampleextensionattributes")
        if not dropping:
            out.append(line)
    return "\n".join(out) + "\n"


def generated_users_ldif(count: int, extension_attributes: bool) -> str:
    """count mailbox users under ou=generated, for paging tests (AD pages at 1000)."""
    parts = [f"dn: ou=generated,{LDAP_BASE}\nobjectClass: organizationalUnit\nou: generated\n"]
    aux = "objectClass: exampleExtensionAttributes\n" if extension_attributes else ""
    for i in range(1, count + 1):
        uid = f"gen{i:05d}"
        parts.append(
            f"dn: uid={uid},ou=generated,{LDAP_BASE}\nobjectClass: user\n"
            f"objectClass: exampleMailRecipient\n{aux}objectCategory: person\n"
            f"cn: Generated User {i:05d}\nsn: User {i:05d}\nuid: {uid}\nmail: {uid}@example.test\n"
            f"mailNickname: {uid}\nproxyAddresses: SMTP:{uid}@example.test\n"
            f"homeMDB: CN=Mailbox Database 2,CN=Databases,CN=Exchange Administrative Group,"
            f"CN=Administrative Groups,CN=Example,CN=Microsoft Exchange,CN=Services,"
            f"CN=Configuration,{LDAP_BASE}\n")
    return "\n".join(parts) + "\n"


# --- Configuration templates ----------------------------------------------------------

KRB5_CONF = """\
[libdefaults]
    default_realm = {realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    # TCP only: the KDC port was checked free for TCP and UDP, but TCP is simpler to debug.
    udp_preference_limit = 1
    forwardable = false

[realms]
    {realm} = {{
        kdc = 127.0.0.1:{port}
    }}

[domain_realm]
    localhost = {realm}
    127.0.0.1 = {realm}
    .{dns_domain} = {realm}
    {dns_domain} = {realm}
"""

KDC_CONF = """\
[kdcdefaults]
    kdc_listen = 127.0.0.1:{port}
    kdc_tcp_listen = 127.0.0.1:{port}

[realms]
    {realm} = {{
        database_name = {kdc}/principal
        key_stash_file = {kdc}/stash
        acl_file = {kdc}/kadm5.acl
        # Tickets default to 10 h; "testbed.py kinit --lifetime 5" asks for less
        # (the KDC has no minimum lifetime), for expiry tests.
        max_life = 10h
        max_renewable_life = 0
    }}

[logging]
    kdc = FILE:{logs}/kdc.log
"""

HTTPD_CONF = """\
# Apache for the testbed: Kerberos (SPNEGO) in front of the OWA site, like IIS
# with Integrated Windows Authentication.
ServerRoot "{root}"
ServerName localhost
PidFile "{pidfile}"
DefaultRuntimeDir "{root}/runtime"
Mutex file:{root}/runtime default
ErrorLog "{logs}/apache-error.log"
LogLevel warn auth_gssapi:info
Listen 127.0.0.1:{port}
{user}

LoadModule mpm_event_module {modules}/mod_mpm_event.so
<IfModule !log_config_module>
    LoadModule log_config_module {modules}/mod_log_config.so
</IfModule>
<IfModule !unixd_module>
    LoadModule unixd_module {modules}/mod_unixd.so
</IfModule>
LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_user_module {modules}/mod_authz_user.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule setenvif_module {modules}/mod_setenvif.so
LoadModule auth_gssapi_module {modules}/mod_auth_gssapi.so
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_http_module {modules}/mod_proxy_http.so

# Small: one process is plenty for tests and starts faster.
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
MinSpareThreads 5
MaxSpareThreads 50

KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
# Long enough for the site's /slow?ms=120000.
Timeout 130

# Log the Authorization *scheme* only, never the token.
SetEnvIf Authorization "^([A-Za-z0-9_-]+)" OC_AUTH_SCHEME=$1
LogFormat "%{{%s}}t.%{{msec_frac}}t port=%{{remote}}p ka=%k user=%u status=%>s auth=%{{OC_AUTH_SCHEME}}e req=\\"%r\\" ua=\\"%{{User-Agent}}i\\"" testbed
CustomLog "{access_log}" testbed

<Location />
    AuthType GSSAPI
    AuthName "OWA testbed"
    GssapiCredStore keytab:{keytab}
    GssapiAllowedMech krb5
    # Like IIS: an authenticated keep-alive connection stays authenticated.
    GssapiConnectionBound On
    <RequireAny>
        # CORS preflights carry no credentials (the OWA site answers them unauthenticated too).
        Require method OPTIONS
        Require valid-user
    </RequireAny>
</Location>

# Overwrites anything a client sends under this name.
RequestHeader set X-Remote-User expr=%{{REMOTE_USER}}
ProxyPreserveHost On
# ttl: drop pooled backend connections long before the site closes idle ones.
ProxyPass / http://127.0.0.1:{backend}/ nocanon ttl=60
ProxyPassReverse / http://127.0.0.1:{backend}/
"""

SLAPD_CONF = """\
# slapd for the testbed: an AD-like directory (see tests/fixtures/ldap/*.schema).
{includes}
pidfile {pidfile}
argsfile {args}
modulepath /usr/lib/ldap
moduleload back_mdb

# TLS for StartTLS and ldaps://, with the testbed's private CA.
TLSCACertificateFile {ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
TLSVerifyClient never

# SASL GSSAPI: slapd accepts ldap/localhost from KRB5_KTNAME.  The authenticated
# identity uid=<user>[,cn=<realm>],cn=gssapi,cn=auth becomes the entry with that uid.
sasl-host localhost
authz-regexp "^uid=([^,]+)(,cn=[^,]+)?,cn=gssapi,cn=auth$" "ldap:///{base}??sub?(uid=$1)"

access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read

database mdb
suffix "{base}"
# Nobody can bind as the rootdn (it has no password); slapadd loads the data.
rootdn "cn=testbed-root,{base}"
directory {db}
maxsize 268435456
{limits}
index objectClass,uid,mail eq

access to attrs=userPassword
    by anonymous auth
    by * none
# Entries even the administrators may not change (--slapd-deny-write).
{deny}
# Write: the administrator's simple bind, and {user} when signed in with Kerberos
# (the admin's ticket).  Read: everyone, anonymous included, as in many AD setups
# that Thunderbird queries without binding.
access to dn.subtree="{base}"
    by dn.exact="{admin}" write
    by set="user/uid & [{user}]" write
    by * read
"""

# --slapd-stalled-suffix: slapd forwards this naming context (back-ldap) to
# tests/servers/ldap_stall.py, which lets it bind and never answers its searches,
# so slapd's own time limit ends each one (timeLimitExceeded) after a second.
SLAPD_STALLED_CONF = """
moduleload back_ldap
database ldap
suffix "{suffix}"
uri ldap://127.0.0.1:{port}/
timelimit 1
"""

SLAPD_BASE_LDIF = """\
dn: {base}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: cn=admin,{base}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: admin
description: directory administrator (simple bind, write access)
userPassword: {admin_password}

dn: uid=reader,{base}
objectClass: account
objectClass: simpleSecurityObject
uid: reader
description: read-only service account (simple bind)
userPassword: {reader_password}
"""

OPENSSL_CNF = """\
# Private CA for the testbed's TLS servers (openssl req / openssl ca).
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[leaf_localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
# libldap checks a certificate for an ldap://localhost URL against the machine's own
# name instead of "localhost" (tls2.c), so the machine's names are in here too.
subjectAltName = DNS:localhost, IP:127.0.0.1{machine_names}

[leaf_otherhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:otherhost.example

[ca]
default_ca = testbed_ca
[testbed_ca]
database = {tls}/index.txt
new_certs_dir = {tls}/issued
serial = {tls}/serial
certificate = {tls}/ca.pem
private_key = {tls}/ca.key
default_md = sha256
policy = policy_any
# The valid and the expired certificate share the subject CN=localhost.
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
"""


# --- Commands ------------------------------------------------------------------------

def parse_components(text: str) -> set:
    names = {c.strip() for c in text.split(",") if c.strip()}
    if "all" in names:
        names = (names - {"all"}) | set(COMPONENTS)
    unknown = names - set(COMPONENTS)
    if unknown:
        raise TestbedError(f"unknown component(s): {', '.join(sorted(unknown))}; known: {', '.join(COMPONENTS)}")
    return names


def cmd_up(args) -> int:
    tb = Testbed(args.dir, SlapdOptions(args))
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, Interrupts.handler)  # so the except clause below cleans up
    try:
        env = tb.up(parse_components(args.with_))
    except BaseException:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        tb.down()
        raise
    sys.stdout.writelines(f"{k}={v}\n" for k, v in env.items())
    return 0


def cmd_down(args) -> int:
    Testbed(args.dir).down()
    return 0


def cmd_kinit(args) -> int:
    env = read_env(args.dir)
    if "KRB5CCNAME" not in env:
        raise TestbedError("this testbed has no kdc")
    tb = Testbed(args.dir)
    tb.env = env
    tb.kinit(args.lifetime)
    return 0


def cmd_kdestroy(args) -> int:
    env = read_env(args.dir)
    if "KRB5CCNAME" in env:
        subprocess.run(["kdestroy", "-q", "-c", env["KRB5CCNAME"]],
                       env=dict(os.environ, KRB5_CONFIG=env["KRB5_CONFIG"]), check=False)
    return 0


def cmd_run(args) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise TestbedError("run: no command given after --")
    components = parse_components(args.with_)
    temp = None
    if args.dir:
        dir_ = args.dir
    else:
        dir_ = temp = tempfile.mkdtemp(prefix="owacal-testbed-")
        os.chmod(temp, 0o755)  # Apache's workers (nobody) read the keytab below it
    tb = Testbed(dir_, SlapdOptions(args))
    child = None
    # The watchdog stops the servers if we die without running our finally clause
    # (SIGKILL after meson's timeout): it waits for EOF on a pipe only we hold.
    watchdog = subprocess.Popen([PYTHON, os.path.abspath(__file__), "watchdog", "--dir", dir_],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    # On SIGTERM/SIGINT/SIGHUP (meson's timeout, Ctrl-C): pass it on to the command,
    # or abort "up"; the finally clause below stops the servers in every case.
    def on_signal(signum, frame):
        if child is not None and child.poll() is None:
            child.send_signal(signum)
        else:
            Interrupts.handler()
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    rc = 99  # meson: "the test harness itself failed"
    t_up = None
    t0 = time.monotonic()
    try:
        env = tb.up(components)
        t_up = time.monotonic() - t0
        child = subprocess.Popen(command, env=dict(os.environ, **env))
        while True:
            try:
                rc = child.wait()
                break
            except KeyboardInterrupt:
                continue  # the signal was forwarded; wait for the command to react
        if rc < 0:
            rc = 128 - rc
    except TestbedError as e:
        print(f"testbed: {e}", file=sys.stderr)
    except KeyboardInterrupt:
        print("testbed: interrupted", file=sys.stderr)
        rc = 130 if rc == 99 else rc
    finally:
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)  # a second signal must not skip the cleanup
        t1 = time.monotonic()
        tb.down()
        t_down = time.monotonic() - t1
        watchdog.stdin.close()
        if rc != 0:
            print(f"testbed: exit status {rc}; server logs follow\n{tb.log_tails()}", file=sys.stderr)
            if temp:
                print(f"testbed: state kept in {temp}", file=sys.stderr)
        elif temp:
            shutil.rmtree(temp, ignore_errors=True)
        if os.environ.get("OC_TESTBED_TIMING"):
            print(f"testbed: up {t_up or -1:.3f} s, down {t_down:.3f} s", file=sys.stderr)
    return rc


def cmd_watchdog(args) -> int:
    try:
        sys.stdin.buffer.read()  # returns at EOF: "run" finished or was killed
    except OSError:
        pass
    Testbed(args.dir).down()
    return 0


def add_slapd_arguments(parser):
    parser.add_argument("--slapd-ldif", metavar="FILE")
    parser.add_argument("--slapd-generated-users", type=int, default=0, metavar="N")
    parser.add_argument("--slapd-size-limit", type=int, metavar="N")
    parser.add_argument("--slapd-paged-total-limit", type=int, metavar="N")
    # --slapd-no-ad-schema: the name the first plans used for the same thing.
    parser.add_argument("--slapd-no-extension-attributes", "--slapd-no-ad-schema", action="store_true")
    parser.add_argument("--slapd-deny-write", action="append", metavar="DN")
    parser.add_argument("--slapd-limits-for", action="append", nargs=2, metavar=("DN", "LIMITS"))
    parser.add_argument("--slapd-stalled-suffix", metavar="DN")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True, metavar="{up,down,run,kinit,kdestroy}")
    up = sub.add_parser("up")
    up.add_argument("--dir", required=True)
    up.add_argument("--with", dest="with_", required=True)
    add_slapd_arguments(up)
    down = sub.add_parser("down")
    down.add_argument("--dir", required=True)
    run = sub.add_parser("run")
    run.add_argument("--dir")
    run.add_argument("--with", dest="with_", required=True)
    add_slapd_arguments(run)
    run.add_argument("command", nargs=argparse.REMAINDER)
    kinit = sub.add_parser("kinit")
    kinit.add_argument("--dir", required=True)
    kinit.add_argument("--lifetime", type=int, help="ticket lifetime in seconds")
    kdestroy = sub.add_parser("kdestroy")
    kdestroy.add_argument("--dir", required=True)
    watchdog = sub.add_parser("watchdog")  # internal, started by "run"; no help so it stays unlisted
    watchdog.add_argument("--dir", required=True)
    args = p.parse_args()
    try:
        return {"up": cmd_up, "down": cmd_down, "run": cmd_run, "kinit": cmd_kinit,
                "kdestroy": cmd_kdestroy, "watchdog": cmd_watchdog}[args.cmd](args)
    except TestbedError as e:
        print(f"testbed: {e}", file=sys.stderr)
        return 99


if __name__ == "__main__":
    sys.exit(main())
