#!/usr/bin/python3
"""owacal's directory benchmark: prints figures, asserts nothing.

  bench/directory.py [--runs 5]     (from a built tree)

It starts the testbed's slapd and two servers that are not LDAP (tests/testbed/testbed.py:
closed refuses connections, blackhole accepts and never answers), then times
`owacal --print-url` in a fresh process, median of the runs, for an address found
  - in the directory, anonymously and with Kerberos (SASL GSSAPI);
  - after a directory that refuses the connection, by the URL template;
  - after a directory that never answers, by the URL template: this is what a directory
    that is down costs (the timeout, OC_LDAP_DIRECTORY_DEFAULT_TIMEOUT seconds).
"""
import argparse
import os
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.access(OWACAL, os.X_OK):
        raise SystemExit(f"{OWACAL} is not built (ninja -C {BUILD_ROOT})")

    with tempfile.TemporaryDirectory(prefix="owacal-bench-directory-") as tmp:
        testbed = os.path.join(tmp, "testbed")
        out = subprocess.run(["/usr/bin/python3", TESTBED, "up", "--dir", testbed, "--with", "slapd,closed,blackhole"],
                             check=True, capture_output=True, text=True).stdout
        tb = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        try:
            env = dict(os.environ, **tb, HOME=tmp, GSETTINGS_BACKEND="memory", DISPLAY="", WAYLAND_DISPLAY="")
            directory = f"{tb['OC_TEST_LDAP_URI']}/{tb['OC_TEST_LDAP_BASE']}??sub?(objectclass=*)"
            template = ["--url-template", "https://mail.example.test/owa/{email}/"]

            def down(name):
                port = tb[name].rsplit(":", 1)[1]
                return f"ldap://127.0.0.1:{port}/dc=example,dc=test??sub"

            cases = [
                ("found, anonymous bind", ["--directory", directory]),
                ("found, Kerberos (GSSAPI)", ["--directory", directory, "--directory-sasl-mechanism", "GSSAPI"]),
                ("directory refuses, template", ["--directory", down("OC_TEST_CLOSED_URL")] + template),
                ("directory silent, template", ["--directory", down("OC_TEST_BLACKHOLE_URL")] + template),
            ]
            print(f"owacal --print-url alice@example.test, cold process, median of {args.runs} runs")
            for label, extra in cases:
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    result = subprocess.run([OWACAL, "--print-url", "--lookup-sources", "directory,url-template",
                                             *extra, "alice@example.test"], env=env, capture_output=True, text=True)
                    times.append((time.perf_counter() - started) * 1000)
                    if result.returncode != 0:
                        raise SystemExit(f"{label}: {result.stderr}")
                print(f"  {label:32} {statistics.median(times):8.1f} ms")
        finally:
            subprocess.run(["/usr/bin/python3", TESTBED, "down", "--dir", testbed], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
