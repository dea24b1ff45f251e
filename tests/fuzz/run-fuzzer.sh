#!/bin/sh
# run-fuzzer.sh HARNESS SEEDS SECONDS [WORK]: one libFuzzer run of HARNESS over
# the committed corpus SEEDS (read only) for SECONDS.
#
# FUZZ_SEED, when set, fixes libFuzzer's random seed. The test suite sets it:
# its 20 s are a check that a change breaks nothing the first mutations reach,
# and a failure must come back when the same run is repeated (a finding with a
# random seed would fail one CI run in many, for a bug the change did not make).
# bench/fuzz.sh leaves it unset, so long runs explore anew each time.
#
# New inputs go to WORK/corpus (default: next to HARNESS, in the build tree),
# a crash, leak or timeout to WORK/artifacts/ and makes the run fail. Used by
# the `fuzz` test suite (20 s each) and by bench/fuzz.sh (long runs).
set -eu

harness=$1
seeds=$2
seconds=$3
work=${4:-$(dirname "$harness")/fuzz-work/$(basename "$harness")}

mkdir -p "$work/corpus" "$work/artifacts"
seed=${FUZZ_SEED:+-seed=$FUZZ_SEED}
runs=${FUZZ_RUNS:+-runs=$FUZZ_RUNS}   # bench/fuzz.sh -r
# -timeout: one input that takes 10 s is a finding (a hang), not a slow run.
# libFuzzer's clock is the wall's: fuzz-ical's worst inputs spend the
# expander's whole step budget in each of its four ranges, 3 s of CPU under
# ASan, which a busy machine stretches past 10 s; it gets 30.
unit_timeout=10
[ "$(basename "$harness")" = fuzz-ical ] && unit_timeout=30
exec "$harness" $seed $runs -max_total_time="$seconds" -timeout=$unit_timeout -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
