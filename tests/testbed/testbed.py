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
  ews-negotiate the Exchange Web Services stand-in (tests/servers/ews.py) over https behind
                Apache + Kerberos (implies kdc): OC_TEST_EWS_NEGOTIATE_URL, _LOG, _ACCESS_LOG
  ews-ntlm      the same over https with connection-bound NTLMv2: OC_TEST_EWS_NTLM_URL, _LOG
  ews-basic     the same over https with Basic: OC_TEST_EWS_BASIC_URL, _LOG
                (EWS at $URL/EWS/Exchange.asmx, Autodiscover at $URL/autodiscover/autodiscover.xml)
  m365          Microsoft 365 stand-in: identity platform v2 sign-in and Microsoft Graph over
                https with the private CA (OC_TEST_M365_LOGIN_URL, OC_TEST_M365_GRAPH_URL, ...)

EWS options (for "up" and "run"):
  --ews-version 2010SP2|2013|2016|2019  the Exchange version the ews-* servers are (default 2016)
  --ews-extra-people N            also N generated colleagues, colleague01@example.test onwards, whose free/busy
                                  everyone sees (for benchmarks of a team side by side)
  --ews-log-bodies                the ews-* logs also hold each SOAP request's body ("body")

slapd options (for "up" and "run"):
  --slapd-ldif FILE               the people to load (default tests/fixtures/ldap/directory.ldif)
  --slapd-generated-users N       also N generated mailbox users under ou=generated
  --slapd-size-limit N            AD-like page limit: N entries per search or page
  --slapd-paged-total-limit N     at most N entries in all pages of a paged search
  --slapd-no-extension-attributes schema without extensionAttribute1/2 (values dropped from the LDIF)
  --slapd-deny-write DN           this entry is read-only even for the administrators (repeatable)
  --slapd-limits-for DN LIMITS    slapd "limits" for one bind identity, e.g. "size.prtotal=250" (repeatable)
  --slapd-stalled-suffix DN       a naming context whose searches slapd ends at its 1 s time limit (result 3)
  --slapd-scp URL|COMPONENT       Exchange's Autodiscover service connection point in a naming context of its
                                  own, CN=Configuration,DC=example,DC=test (as in AD); COMPONENT (ews-negotiate,
                                  ews-ntlm, ews-basic) names that component's autodiscover URL; repeatable

Everything lives in DIR/state (wiped by "up"); nothing uses fixed ports or the network.
OC_TESTBED_TIMING=1 makes "run" print how long up and down took (stderr).
Run by the system interpreter on purpose: a pyenv python3 may come first on PATH.
"""

# This file is the command line and the Testbed that puts the parts together; each
# part lives beside it, named after what it starts: processes.py (ports, pids, the
# manifest, stopping), certificates.py (the private CA), web_servers.py (the OWA-like
# sites, TLS, the EWS stand-in, proxy, blackhole/closed), kerberos.py (KDC, keytabs, kinit), apache.py
# (Apache + mod_auth_gssapi), directory.py (slapd, its LDIF and --slapd-* options),
# account.py (alice).  Python puts this file's directory first on sys.path, so they
# are found from any working directory.

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from account import DOMAIN, EMAIL, PASSWORD, USER
from apache import Apache
from directory import Directory, SlapdOptions, add_slapd_arguments
from processes import PYTHON, Interrupts, TestbedError

COMPONENTS = ("kdc", "negotiate", "ntlm", "ntlm-negotiate", "owa", "tls", "forms", "proxy", "blackhole", "closed",
              "slapd", "ews-negotiate", "ews-ntlm", "ews-basic", "m365")
EWS_VERSIONS = ("2010SP2", "2013", "2016", "2019")


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

class Testbed(Apache, Directory):
    """Every component: Apache (built on WebServers and Kerberos) and Directory (on
    Certificates and Kerberos), all on processes.Processes, which starts and stops them."""

    def __init__(self, dir_: str, slapd_options=None, ews_version="2016", ews_options=()):
        super().__init__(dir_)
        self.slapd_options = slapd_options or SlapdOptions()
        self.ews_version = ews_version
        self.ews_options = list(ews_options)  # more arguments for every tests/servers/ews.py

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
        if components & {"negotiate", "slapd", "ews-negotiate"}:
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
        if "m365" in components:
            self.start_m365()
        if "blackhole" in components:
            self.start_hole("blackhole", "listen", "OC_TEST_BLACKHOLE_URL")
        if "closed" in components:
            self.start_hole("closed", "closed", "OC_TEST_CLOSED_URL")
        for kind in ("ntlm", "basic"):
            if f"ews-{kind}" in components:
                self.start_ews(kind, self.ews_version)
        if "kdc" in components:
            self.start_kdc()
        if "negotiate" in components:
            self.start_negotiate()
        if "ews-negotiate" in components:
            self.start_ews_negotiate(self.ews_version)
        if "slapd" in components:
            self.start_slapd()
        self.wait_ready()
        if "kdc" in components:
            self.kinit()

        with open(os.path.join(self.dir, "testbed.env"), "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in self.env.items())
        return self.env


# --- Commands ------------------------------------------------------------------------

def parse_components(text: str) -> set:
    names = {c.strip() for c in text.split(",") if c.strip()}
    if "all" in names:
        names = (names - {"all"}) | set(COMPONENTS)
    unknown = names - set(COMPONENTS)
    if unknown:
        raise TestbedError(f"unknown component(s): {', '.join(sorted(unknown))}; known: {', '.join(COMPONENTS)}")
    return names


def add_ews_arguments(parser):
    parser.add_argument("--ews-version", choices=EWS_VERSIONS, default="2016")
    parser.add_argument("--ews-extra-people", type=int, default=0, metavar="N")
    parser.add_argument("--ews-log-bodies", action="store_true")


def ews_options(args) -> list:
    """The ews-* options as arguments of tests/servers/ews.py."""
    options = ["--extra-people", str(args.ews_extra_people)] if args.ews_extra_people else []
    return options + (["--log-bodies"] if args.ews_log_bodies else [])


def cmd_up(args) -> int:
    tb = Testbed(args.dir, SlapdOptions(args), args.ews_version, ews_options(args))
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
    tb = Testbed(dir_, SlapdOptions(args), args.ews_version, ews_options(args))
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


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True, metavar="{up,down,run,kinit,kdestroy}")
    up = sub.add_parser("up")
    up.add_argument("--dir", required=True)
    up.add_argument("--with", dest="with_", required=True)
    add_slapd_arguments(up)
    add_ews_arguments(up)
    down = sub.add_parser("down")
    down.add_argument("--dir", required=True)
    run = sub.add_parser("run")
    run.add_argument("--dir")
    run.add_argument("--with", dest="with_", required=True)
    add_slapd_arguments(run)
    add_ews_arguments(run)
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
