#!/usr/bin/python3
"""owacal's Exchange benchmark: prints figures, asserts nothing.

  xvfb-run -a bench/exchange.py [--runs 7] [--team 20]   (from a built tree)

It starts the EWS stand-in (tests/testbed/testbed.py: ews-negotiate, ews-ntlm, with
--ews-extra-people for a team and --ews-log-bodies) and measures, by the wall clock from
process start, the week of 11 March 2024:
  1. command → page settled: `owacal --snapshot` of Bob (Reviewer: availability and
     FindItem) and of a team side by side (Bob, Carol, Erin and generated colleagues with
     free/busy), until its calendar page has loaded (the page's title is in it: owacal
     draws the page once the answers are in) and until it exits (the page settled: owacal
     waits 300 ms of quiet, then takes the picture); under Kerberos and under NTLM;
  2. requests and round trips per page, from the stand-in's log and Apache's access log:
     SOAP requests, HTTP requests with the 401 challenges among them, TCP connections;
  3. the floor: the very SOAP requests owacal sent (the stand-in logs their bodies) sent
     again by curl (--negotiate -u : or --ntlm), one after another in one curl, timed the
     same way, with its own requests and connections; owacal and curl alternate;
  4. the warm case: a second `owacal --snapshot` of Bob handed to a running owacal that
     shows Bob already (what it asks the server again, and how long it takes).
Medians of --runs runs; one run of each page before, not counted, also fills the
Kerberos ticket cache with the server's ticket (as a signed-in desktop has it).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)
BUILD_ROOT = os.environ.get("OWACAL_BUILD_ROOT", os.path.join(SOURCE_ROOT, "build"))
OWACAL = os.path.join(BUILD_ROOT, "app", "owacal")
TESTBED = os.path.join(SOURCE_ROOT, "tests", "testbed", "testbed.py")
PYTHON = "/usr/bin/python3"  # a pyenv python3 may come first on PATH

DATE = "2024-03-13"
FIXTURE_TEAM = ["bob@example.test", "carol@example.test", "erin@example.test"]
SCHEMES = ("NEGOTIATE", "NTLM")
SCHEME_NAMES = {"NEGOTIATE": "Kerberos", "NTLM": "NTLM"}


def testbed_up(directory, extra_people):
    out = subprocess.run([PYTHON, TESTBED, "up", "--dir", directory, "--with", "ews-negotiate,ews-ntlm",
                          "--ews-extra-people", str(extra_people), "--ews-log-bodies"],
                         check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def count_lines(path):
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0


def lines_since(path, mark):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()[mark:]


def apache_record(line):
    """One line of the testbed's Apache access log: its key=value fields."""
    fields = {"t": float(line.split(" ", 1)[0])}  # when the request arrived
    for part in line.split(" ")[1:]:
        key, eq, value = part.partition("=")
        if eq and key in ("port", "ka", "status", "auth"):
            fields[key] = value
    return fields


class Server:
    """One signed-in EWS endpoint of the testbed and what its logs say about a stretch of time."""

    def __init__(self, scheme, servers):
        self.scheme = scheme
        self.base = servers[f"OC_TEST_EWS_{scheme}_URL"]
        self.url = f"{self.base}/EWS/Exchange.asmx"
        self.log = servers[f"OC_TEST_EWS_{scheme}_LOG"]
        self.access_log = servers.get("OC_TEST_EWS_NEGOTIATE_ACCESS_LOG") if scheme == "NEGOTIATE" else None

    def mark(self):
        return count_lines(self.log), count_lines(self.access_log) if self.access_log else 0

    def since(self, mark):
        """(SOAP request bodies in order, counts) for everything logged after @mark."""
        records = [json.loads(line) for line in lines_since(self.log, mark[0]) if line.strip()]
        soap = [r for r in records if r.get("operation") and r["operation"] != "control"]
        counts = {"soap": len(soap), "answered": [r["t"] for r in soap]}  # epoch seconds, as the answer left
        if self.access_log:
            # Kerberos: Apache answers the 401s; the stand-in behind it sees signed-in requests only.
            front = [apache_record(line) for line in lines_since(self.access_log, mark[1]) if line.strip()]
            counts.update(http=len(front), challenges=sum(r.get("status") == "401" for r in front),
                          connections=len({r.get("port") for r in front}),
                          arrived=[r["t"] for r in front if "t" in r])
        else:
            # A challenge is answered at once: its time is when the first request arrived.
            counts.update(http=len(records), challenges=sum(r["status"] == 401 for r in records),
                          connections=len({r["conn"] for r in records}), arrived=[r["t"] for r in records])
        counts["operations"] = describe(soap)
        return [r.get("body") for r in soap], counts


class Bench:
    def __init__(self, servers, env, work, runs):
        self.servers = servers
        self.env = env
        self.work = work
        self.runs = runs
        self.png = os.path.join(work, "snapshot.png")
        self.password_file = os.path.join(work, "password")
        with open(self.password_file, "w") as f:
            f.write(servers["OC_TEST_PASSWORD"] + "\n")
        os.chmod(self.password_file, 0o600)
        # curl reads the NTLM user from a file too: no password on a command line.
        self.curl_ntlm_config = os.path.join(work, "curl-ntlm.conf")
        with open(self.curl_ntlm_config, "w") as f:
            f.write(f'user = "{servers["OC_TEST_DOMAIN"]}\\\\{servers["OC_TEST_USER"]}:{servers["OC_TEST_PASSWORD"]}"\n')
        os.chmod(self.curl_ntlm_config, 0o600)

    def owacal_args(self, server, people):
        args = ["--ca-file", self.servers["OC_TEST_TLS_CA"], "--ews-url", server.url, "--view", "week",
                "--date", DATE]
        if server.scheme == "NTLM":
            args += ["--user", f"{self.servers['OC_TEST_DOMAIN']}\\{self.servers['OC_TEST_USER']}",
                     "--password-file", self.password_file]
        return args + people

    def timed_snapshot(self, args):
        """`owacal --snapshot PNG ARGS`: (ms until its calendar page loaded, ms until it exited, title)."""
        started = time.monotonic()
        process = subprocess.Popen([OWACAL, "--snapshot", self.png, *args], env=dict(self.env, OWACAL_TIMING="1"),
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        loaded = None
        errors = []
        for line in process.stderr:
            if loaded is None and "timing: snapshot-load-finished" in line and "owacal-calendar:" in line:
                loaded = time.monotonic()
            elif "timing:" not in line:
                errors.append(line.rstrip())
        title = process.stdout.read().strip()
        status, cpu = wait_with_cpu(process)
        ended = time.monotonic()
        process.stdout.close()
        process.stderr.close()
        if status != 0:
            raise RuntimeError(f"owacal --snapshot {' '.join(args[-3:])} exited {status}: {' / '.join(errors)}")
        return (loaded - started) * 1000 if loaded else float("nan"), (ended - started) * 1000, title, cpu

    def snapshot(self, server, people):
        """One `owacal --snapshot` of @people: its times (ms from process start), title and what it asked."""
        mark = server.mark()
        wall = time.time()
        loaded, ended, title, cpu = self.timed_snapshot(self.owacal_args(server, people))
        bodies, counts = server.since(mark)
        answered = [(t - wall) * 1000 for t in counts.pop("answered")] or [float("nan")]
        arrived = [(t - wall) * 1000 for t in counts.pop("arrived")] or [float("nan")]
        return {"loaded": loaded, "exit": ended, "cpu": cpu, "first_request": min(arrived), "last_answer": max(answered),
                "title": title, "bodies": bodies, **counts}

    def local_calendar(self):
        """The same start-up and page without a server: a local .ics of a week like Bob's."""
        path = os.path.join(self.work, "week.ics")
        events = []
        for day in range(11, 16):
            for n, (start, end) in enumerate(((8, 9), (13, 14), (15, 17))):
                events.append(f"BEGIN:VEVENT\r\nUID:bench-{day}-{n}\r\nDTSTAMP:20240301T000000Z\r\n"
                              f"DTSTART:202403{day}T{start:02d}0000Z\r\nDTEND:202403{day}T{end:02d}0000Z\r\n"
                              f"SUMMARY:Meeting {n}\r\nLOCATION:Room {day}\r\nEND:VEVENT\r\n")
        with open(path, "w", newline="") as f:
            f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//owacal//bench//EN\r\n" + "".join(events)
                    + "END:VCALENDAR\r\n")
        args = ["--view", "week", "--date", DATE, path]
        self.timed_snapshot(args)
        runs = [self.timed_snapshot(args) for _ in range(self.runs)]
        return {"loaded": statistics.median(r[0] for r in runs), "exit": statistics.median(r[1] for r in runs),
                "cpu": statistics.median(r[3] for r in runs)}

    def curl_floor(self, server, bodies):
        """The same SOAP requests, one after another in one curl: ms from process start to exit."""
        files = []
        for index, body in enumerate(bodies):
            path = os.path.join(self.work, f"request-{index}.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            files.append(path)
        sign_in = ["--negotiate", "-u", ":"] if server.scheme == "NEGOTIATE" else ["--ntlm", "-K", self.curl_ntlm_config]
        argv = ["curl", "-sS", "--fail-with-body"]
        for index, path in enumerate(files):
            if index:
                argv.append("--next")
            argv += [*sign_in, "--cacert", self.servers["OC_TEST_TLS_CA"], "-o", "/dev/null",
                     "-H", "Content-Type: text/xml; charset=utf-8", "--data-binary", f"@{path}", server.url]
        mark = server.mark()
        started = time.monotonic()
        process = subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        errors = process.stderr.read()
        status, cpu = wait_with_cpu(process)
        elapsed = (time.monotonic() - started) * 1000
        process.stderr.close()
        if status != 0:
            raise RuntimeError(f"curl exited {status}: {errors.strip()}")
        _, counts = server.since(mark)
        counts.pop("answered")
        counts.pop("arrived")
        return {"exit": elapsed, "cpu": cpu, **counts}

    def page(self, server, people):
        """Median figures of owacal and of curl for one page; they alternate, after one run not counted."""
        first = self.snapshot(server, people)
        bodies = first["bodies"]
        self.curl_floor(server, bodies)
        owacal, curl = [], []
        for _ in range(self.runs):
            owacal.append(self.snapshot(server, people))
            curl.append(self.curl_floor(server, bodies))
        return {
            "loaded": statistics.median(r["loaded"] for r in owacal),
            "first_request": statistics.median(r["first_request"] for r in owacal),
            "last_answer": statistics.median(r["last_answer"] for r in owacal),
            "exit": statistics.median(r["exit"] for r in owacal),
            "floor": statistics.median(r["exit"] for r in curl),
            "cpu": statistics.median(r["cpu"] for r in owacal),
            "floor_cpu": statistics.median(r["cpu"] for r in curl),
            "title": first["title"],
            "operations": first["operations"],
            # Requests are the same every run (the stand-in is deterministic); the last run's are shown.
            "owacal": {k: owacal[-1][k] for k in ("soap", "http", "challenges", "connections")},
            "curl": {k: curl[-1][k] for k in ("soap", "http", "challenges", "connections")},
        }

    def warm(self, server, people):
        """A running owacal shows @people; `owacal --snapshot` of them again is handed to it."""
        args = self.owacal_args(server, people)
        primary = subprocess.Popen([OWACAL, *args], env=dict(self.env, OWACAL_TIMING="1"), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for line in primary.stderr:
                if "timing: tab-load-finished" in line and "owacal-calendar:" in line:
                    break
            else:
                raise RuntimeError(f"the first owacal ended ({primary.wait()}) before its tab loaded")
            times, counts = [], None
            for _ in range(self.runs):
                mark = server.mark()
                started = time.monotonic()
                result = subprocess.run([OWACAL, "--snapshot", self.png, *args], env=self.env,
                                        stdin=subprocess.DEVNULL, capture_output=True, text=True)
                times.append((time.monotonic() - started) * 1000)
                if result.returncode != 0:
                    raise RuntimeError(f"warm owacal --snapshot exited {result.returncode}: {result.stderr.strip()}")
                _, counts = server.since(mark)
                counts.pop("answered")
                counts.pop("arrived")
            return {"exit": statistics.median(times), **counts}
        finally:
            primary.terminate()
            primary.wait()
            primary.stderr.close()


def wait_with_cpu(process):
    """Waits for @process: (exit status, CPU ms, user + system, of it and the children it reaped:
    for owacal, WebKit's web and network processes). CPU time does not grow with the machine's load."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, (usage.ru_utime + usage.ru_stime) * 1000


def describe(soap):
    """SOAP requests as the stand-in logged them: "GetUserAvailability (20 mailboxes), FindItem (bob…)"."""
    names = []
    for record in soap:
        mailboxes = record.get("mailboxes") or []
        who = f"{len(mailboxes)} mailboxes" if len(mailboxes) > 2 else ", ".join(m.split("@")[0] for m in mailboxes)
        errors = sorted({c for c in record.get("codes") or [] if c != "NoError"})
        names.append(f"{record['operation']} ({who}{': ' + ', '.join(errors) if errors else ''})")
    return ", ".join(names)


def print_table(results, team_size, runs):
    columns = [(scheme, label) for scheme in SCHEMES for label in ("one", "team")]
    heads = [f"{SCHEME_NAMES[s]}, {'Bob' if p == 'one' else f'{team_size} people'}" for s, p in columns]
    width = 42

    def row(label, cell):
        print(f"{label:<{width}}" + "".join(f"{cell(results[c]):>20}" for c in columns))

    print(f"command → page, week of {DATE}, median of {runs} runs (ms, wall clock from process start); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(" " * width + "".join(f"{h:>20}" for h in heads))
    row("owacal: first HTTP request reached server", lambda r: f"{r['first_request']:.0f}")
    row("owacal: last SOAP answer sent", lambda r: f"{r['last_answer']:.0f}")
    row("owacal --snapshot: calendar page loaded", lambda r: f"{r['loaded']:.0f}")
    row("owacal --snapshot: settled, exited", lambda r: f"{r['exit']:.0f}")
    row("curl, the same SOAP requests (floor)", lambda r: f"{r['floor']:.0f}")
    row("page loaded / floor", lambda r: f"{r['loaded'] / r['floor']:.2f}×")
    row("CPU, user+sys ms: owacal (all processes)", lambda r: f"{r['cpu']:.0f}")
    row("CPU, user+sys ms: curl", lambda r: f"{r['floor_cpu']:.0f}")
    print("requests per page (stand-in's log; Kerberos: Apache's access log)")
    row("owacal: SOAP requests", lambda r: str(r["owacal"]["soap"]))
    row("owacal: HTTP requests (401 among them)", lambda r: f"{r['owacal']['http']} ({r['owacal']['challenges']})")
    row("owacal: TCP connections", lambda r: str(r["owacal"]["connections"]))
    row("curl: HTTP requests (401 among them)", lambda r: f"{r['curl']['http']} ({r['curl']['challenges']})")
    row("curl: TCP connections", lambda r: str(r["curl"]["connections"]))
    for column, head in zip(columns, heads):
        title = results[column]["title"]
        title = title if len(title) < 60 else f"{title[:25]}…{title[-30:]}"
        print(f"  {head}: {results[column]['operations']}; title “{title}”")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--team", type=int, default=20, help="people side by side (at least 4)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("bench/exchange.py needs a display: run it under xvfb-run -a")
    if not os.access(OWACAL, os.X_OK):
        sys.exit(f"{OWACAL} is not built (OWACAL_BUILD_ROOT names another build dir)")
    extra = max(args.team - len(FIXTURE_TEAM), 1)
    team = FIXTURE_TEAM + [f"colleague{n:02d}@example.test" for n in range(1, extra + 1)]

    work = tempfile.mkdtemp(prefix="owacal-bench-exchange-")
    directory = os.path.join(work, "testbed")
    os.makedirs(directory)
    os.chmod(work, 0o755)  # Apache's workers (nobody) read the keytab below it
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        servers = testbed_up(directory, extra)
        home = os.path.join(work, "home")
        os.makedirs(home)
        env = dict(os.environ, **servers, NO_AT_BRIDGE="1", DBUS_SESSION_BUS_ADDRESS=bus.stdout.readline().strip(),
                   HOME=home, XDG_RUNTIME_DIR=home, XDG_CACHE_HOME=os.path.join(home, "cache"),
                   XDG_CONFIG_HOME=os.path.join(home, "config"), TZ="Europe/Berlin")
        bench = Bench(servers, env, work, args.runs)
        results, warm = {}, {}
        for scheme in SCHEMES:
            server = Server(scheme, servers)
            results[(scheme, "one")] = bench.page(server, ["bob@example.test"])
            results[(scheme, "team")] = bench.page(server, team)
            warm[scheme] = bench.warm(server, ["bob@example.test"])
        local = bench.local_calendar()
        print_table(results, len(team), args.runs)
        print(f"baseline without a server: owacal --snapshot of a local .ics week (15 events), median of {args.runs}: "
              f"page loaded {local['loaded']:.0f} ms, exited {local['exit']:.0f} ms, CPU {local['cpu']:.0f} ms")
        print(f"warm: a second owacal --snapshot of Bob into a running owacal that shows him, median of {args.runs}")
        for scheme in SCHEMES:
            w = warm[scheme]
            print(f"  {SCHEME_NAMES[scheme]:<9} {w['exit']:6.0f} ms to exit; asks the server: {w['soap']} SOAP "
                  f"({w['operations'] or 'nothing'}), {w['http']} HTTP, {w['connections']} TCP connections")
    finally:
        subprocess.run([PYTHON, TESTBED, "down", "--dir", directory], check=False)
        bus.terminate()
        bus.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
