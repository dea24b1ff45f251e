#!/usr/bin/python3
"""owacal's viewer benchmark: prints figures, asserts nothing.

  bench/viewer.py [--runs 7]     (from a built tree; needs a display, e.g. xvfb-run -a)

It starts the test servers (tests/testbed/testbed.py) and measures, by the wall clock
from process start:
  1. cold start to "page loaded" for the Kerberos-protected test page, against the floor:
     a minimal WebKitGTK program (bench/floor.c) loading the same page unauthenticated
     through WebKit's own network stack; both alternate, medians and their ratio;
  2. warm open: a second `owacal <url>` handed to the running instance, until its tab
     has loaded;
  3. HTTP requests, TCP connections and NTLM handshakes for one page load under NTLM, and
     the same for one page load through OWA's forms login (Exchange 2010+ shape, https);
  4. peak memory (sum of PSS) of all owacal processes: UI, web and network processes.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)
BUILD_ROOT = os.environ.get("OWACAL_BUILD_ROOT", os.path.join(SOURCE_ROOT, "build"))
OWACAL = os.path.join(BUILD_ROOT, "app", "owacal")
FLOOR = os.path.join(BUILD_ROOT, "bench", "owacal-bench-floor")
TESTBED = os.path.join(SOURCE_ROOT, "tests", "testbed", "testbed.py")


def testbed_up(directory):
    out = subprocess.run(["/usr/bin/python3", TESTBED, "up", "--dir", directory, "--with", "negotiate,ntlm,owa,forms"],
                         check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def wait_for_line(process, marker, timeout=60):
    """Reads the process's stderr until a line contains marker; returns the time it came."""
    deadline = time.monotonic() + timeout
    for line in process.stderr:
        if marker in line:
            return time.monotonic(), line
        if time.monotonic() > deadline:
            break
    raise RuntimeError(f"no '{marker}' from {process.args[0]}")


def timed_run(argv, marker, env):
    started = time.monotonic()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    when, _ = wait_for_line(process, marker)
    elapsed = (when - started) * 1000
    process.stderr.close()
    process.terminate()
    process.wait()
    return elapsed


def descendants(pid):
    children = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children += [int(c) for c in f.read().split()]
    except OSError:
        return []
    result = list(children)
    for child in children:
        result += descendants(child)
    return result


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cold_start(env, servers, runs):
    page = f"{servers['OC_TEST_NEGOTIATE_URL']}/owa/alice@example.test/?cmd=contents&module=calendar&autosubmit=0"
    floor_page = f"{servers['OC_TEST_OWA_URL']}/owa/alice@example.test/?cmd=contents&module=calendar&autosubmit=0"
    owacal_env = dict(env, OWACAL_TIMING="1")
    png = os.path.join(tempfile.gettempdir(), "owacal-bench.png")
    floor_times, owacal_times, idle_times = [], [], []
    for _ in range(runs):
        floor_times.append(timed_run([FLOOR, floor_page], "load-finished", env))
        started = time.monotonic()
        process = subprocess.Popen([OWACAL, "--snapshot", png, page], env=owacal_env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        loaded, _ = wait_for_line(process, "snapshot-load-finished")
        idle = loaded
        for line in process.stderr:
            if "snapshot-idle" in line:
                idle = time.monotonic()
            if "snapshot-quiet" in line:
                break
        process.wait()
        owacal_times.append((loaded - started) * 1000)
        idle_times.append((idle - started) * 1000)
    return floor_times, owacal_times, idle_times


def warm_open(env, servers, runs):
    base = servers["OC_TEST_OWA_URL"]
    first = f"{base}/owa/alice@example.test/?cmd=contents&module=calendar&autosubmit=0"
    primary = subprocess.Popen([OWACAL, first], env=dict(env, OWACAL_TIMING="1"), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_line(primary, "tab-load-finished")
    forwarded, loaded = [], []
    for i in range(runs):
        url = f"{base}/owa/user{i}@example.test/?cmd=contents&module=calendar&autosubmit=0"
        started = time.monotonic()
        subprocess.run([OWACAL, url], env=env, check=True, stdin=subprocess.DEVNULL)
        forwarded.append((time.monotonic() - started) * 1000)
        when, _ = wait_for_line(primary, f"user{i}@example.test")
        loaded.append((when - started) * 1000)
    primary.terminate()
    primary.wait()
    return forwarded, loaded


def ntlm_page_load(env, servers):
    log = servers["OC_TEST_NTLM_LOG"]
    mark = sum(1 for _ in open(log))
    password = os.path.join(tempfile.mkdtemp(), "pw")
    with open(password, "w") as f:
        f.write(servers["OC_TEST_PASSWORD"])
    os.chmod(password, 0o600)
    page = f"{servers['OC_TEST_NTLM_URL']}/owa/alice@example.test/?cmd=contents&module=calendar&autosubmit=0"
    subprocess.run([OWACAL, "--snapshot", os.path.join(tempfile.gettempdir(), "owacal-bench-ntlm.png"),
                    "--user", "EXAMPLE\\alice", "--password-file", password, page],
                   env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    records = [json.loads(line) for line in list(open(log))[mark:]]
    return {
        "http_requests": len(records),
        "answered_requests": sum(r["status"] != 401 for r in records),
        "tcp_connections": len({r["conn"] for r in records}),
        "ntlm_handshakes": sum(r["ntlm"] == "type3-ok" for r in records),
        "challenges_401": sum(r["status"] == 401 for r in records),
    }


def forms_page_load(env, servers):
    log = servers["OC_TEST_FORMS2010_LOG"]
    mark = sum(1 for _ in open(log))
    password = os.path.join(tempfile.mkdtemp(), "pw")
    with open(password, "w") as f:
        f.write(servers["OC_TEST_PASSWORD"])
    os.chmod(password, 0o600)
    page = f"{servers['OC_TEST_FORMS2010_URL']}/owa/alice@example.test/?cmd=contents&module=calendar&autosubmit=0"
    subprocess.run([OWACAL, "--snapshot", os.path.join(tempfile.gettempdir(), "owacal-bench-forms.png"),
                    "--user", "EXAMPLE\\alice", "--password-file", password, "--ca-file", servers["OC_TEST_TLS_CA"],
                    page], env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    records = [json.loads(line) for line in list(open(log))[mark:]]
    signed_in = next((i for i, r in enumerate(records) if r["forms"] == "login-ok"), len(records))
    return {
        "http_requests": len(records),
        "requests_until_signed_in": signed_in + 1,
        "tcp_connections": len({r["conn"] for r in records}),
        "forms_logins": sum(r["forms"] == "login-ok" for r in records),
    }


def peak_memory(env, servers):
    page = f"{servers['OC_TEST_OWA_URL']}/owa/alice@example.test/?cmd=contents&module=calendar"
    process = subprocess.Popen([OWACAL, page], env=dict(env, OWACAL_TIMING="1"), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"total": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            pids = [process.pid] + descendants(process.pid)
            per = {pid: pss_kib(pid) for pid in pids}
            total = sum(per.values())
            if total > peak["total"]:
                peak.update(total=total, processes=len(pids), ui=per.get(process.pid, 0))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    wait_for_line(process, "step=2")       # the page posted its form and loaded again
    time.sleep(1.0)
    done.set()
    sampler.join()
    process.terminate()
    process.wait()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("bench/viewer.py needs a display: run it under xvfb-run -a")

    directory = tempfile.mkdtemp(prefix="owacal-bench-")
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        servers = testbed_up(directory)
        env = dict(os.environ, **servers, NO_AT_BRIDGE="1",
                   DBUS_SESSION_BUS_ADDRESS=bus.stdout.readline().strip())

        floor, owacal, idle = cold_start(env, servers, args.runs)
        ratio = statistics.median(owacal) / statistics.median(floor)
        print(f"cold start → page loaded, median of {args.runs}:")
        print(f"  floor (plain WebKitGTK, unauthenticated)  {statistics.median(floor):7.1f} ms")
        print(f"  owacal (Kerberos, every load via libcurl) {statistics.median(owacal):7.1f} ms   "
              f"ratio {ratio:.2f}×")
        print(f"  owacal, until the page's scripted requests are done {statistics.median(idle):7.1f} ms")

        forwarded, loaded = warm_open(env, servers, args.runs)
        print(f"warm open (second owacal into the running one), median of {args.runs}:")
        print(f"  command handed over and returned          {statistics.median(forwarded):7.1f} ms")
        print(f"  new tab loaded                            {statistics.median(loaded):7.1f} ms")

        ntlm = ntlm_page_load(env, servers)
        print("one page load under NTLM (server's log):")
        for key, value in ntlm.items():
            print(f"  {key.replace('_', ' '):<40} {value}")

        forms = forms_page_load(env, servers)
        print("one page load through OWA's forms login, Exchange 2010+ shape over https (server's log):")
        for key, value in forms.items():
            print(f"  {key.replace('_', ' '):<40} {value}")

        peak = peak_memory(env, servers)
        print(f"peak memory of all owacal processes ({peak.get('processes')} processes): "
              f"{peak['total'] / 1024:.0f} MiB PSS (UI process {peak.get('ui', 0) / 1024:.0f} MiB)")
    finally:
        subprocess.run(["/usr/bin/python3", TESTBED, "down", "--dir", directory], check=False)
        bus.terminate()
        bus.wait()


if __name__ == "__main__":
    main()
