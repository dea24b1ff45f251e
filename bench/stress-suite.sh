#!/bin/bash
# bench/stress-suite.sh: the whole test suite, several times in a row, two
# tests at a time, beside busy CPU loops: a test that fails now and then shows
# here, not in CI.
#
#   bench/stress-suite.sh [-n RUNS] [-l LOOPS] [-C BUILD_DIR] [-a ASAN_DIR]
#
# Defaults: 10 runs, 1 busy loop (`yes > /dev/null`), build/. With -a, each run
# also runs the unit, integration and fuzz suites of the sanitizer tree, as
# `./build-aux/setup.sh test` does. Every run goes on after a failure; the log
# of a failed run is kept as BUILD_DIR/meson-logs/stress-N.txt. Prints one line
# a run (result, minutes, load average, what failed) and exits 1 if any failed.
set -euo pipefail

runs=10
loops=1
cd "$(dirname "$0")/.."
build_dir=$PWD/build
asan_dir=""
while getopts n:l:C:a: option; do
  case $option in
    n) runs=$OPTARG ;;
    l) loops=$OPTARG ;;
    C) build_dir=$(realpath "$OPTARG") ;;
    a) asan_dir=$(realpath "$OPTARG") ;;
    *) echo "usage: $0 [-n RUNS] [-l LOOPS] [-C BUILD_DIR] [-a ASAN_DIR]" >&2; exit 2 ;;
  esac
done
[ -f "$build_dir/build.ninja" ] || { echo "$build_dir is no build tree: run ./build-aux/setup.sh test first" >&2; exit 1; }

busy=()
stop_loops() { [ ${#busy[@]} -eq 0 ] || kill "${busy[@]}" 2>/dev/null || true; }
trap stop_loops EXIT
for _ in $(seq "$loops"); do
  yes >/dev/null &
  busy+=($!)
done

# What failed in a run, from meson's JSON log: one name per failing test.
failures() {
  python3 - "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    test = json.loads(line)
    if test["result"] not in ("OK", "EXPECTEDFAIL", "SKIP"):
        print(f'{test["name"].split(" / ")[-1]} ({test["result"]})')
EOF
}

export NO_AT_BRIDGE=1
green=0
for run in $(seq "$runs"); do
  started=$SECONDS
  status=0
  xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp -noreset" dbus-run-session -- \
    meson test -C "$build_dir" --num-processes 2 >/dev/null 2>&1 || status=1
  failed=$(failures "$build_dir/meson-logs/testlog.json")
  [ $status -eq 0 ] || cp "$build_dir/meson-logs/testlog.txt" "$build_dir/meson-logs/stress-$run.txt"
  if [ -n "$asan_dir" ]; then
    asan_status=0
    dbus-run-session -- meson test -C "$asan_dir" --num-processes 2 --suite unit --suite integration --suite fuzz \
      >/dev/null 2>&1 || asan_status=1
    failed=$(printf '%s\n%s' "$failed" "$(failures "$asan_dir/meson-logs/testlog.json" | sed 's/^/asan: /')")
    if [ $asan_status -ne 0 ]; then
      status=1
      cp "$asan_dir/meson-logs/testlog.txt" "$asan_dir/meson-logs/stress-$run.txt"
    fi
  fi
  minutes=$(awk -v s=$((SECONDS - started)) 'BEGIN { printf "%.1f", s / 60 }')
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if [ $status -eq 0 ]; then
    green=$((green + 1))
    echo "run $run/$runs: green, $minutes min, load $load"
  else
    echo "run $run/$runs: FAILED, $minutes min, load $load: $(echo "$failed" | sed '/^$/d' | paste -sd, -)"
  fi
done
echo "$green/$runs runs green"
[ "$green" -eq "$runs" ]
