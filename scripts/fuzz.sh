#!/usr/bin/env bash
# `make fuzz [FUZZ_SECONDS=N] [FUZZ_JOBS=2] [FUZZ_TARGETS="daphnet def"]`:
# builds the libFuzzer targets of fuzz/ with clang (own build folder), runs
# each for N seconds (FUZZ_JOBS at a time) on a working corpus seeded from
# fuzz/corpus/<target>, and fails if any target reports a crash, a leak, a
# timeout, running out of memory or a sanitizer finding.  Prints per target:
# executions per second, corpus size, edge coverage.  docs/TESTING.md.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
case $build in /*) ;; *) build=$here/$build ;; esac

cxx=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}
[ -n "$cxx" ] || { echo "fuzz: needs clang++ (apt-get install clang-14)" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ "${FUZZ_BUILD:-1}" = 1 ]; then  # FUZZ_BUILD=0: run what is built
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
    -DGAITLSTM_FUZZ=ON -DBUILD_TESTING=OFF -DGAITLSTM_BENCH=OFF >/dev/null || exit 1
  cmake --build "$build" --target fuzz_targets -j "${FUZZ_BUILD_JOBS:-2}" || exit 1
fi

targets=${FUZZ_TARGETS:-$(cd "$build/fuzz" && ls fuzz_* | sed 's/^fuzz_//' | sort)}
mkdir -p "$build/fuzz-corpus" "$build/fuzz-logs" "$build/fuzz-artifacts"

# One target: its working corpus grows across runs; seeds and dictionary
# come from the source tree.  -timeout: one input taking longer is a hang.
run_target() {
  local t=$1 corpus=$build/fuzz-corpus/$1 seeds=$here/fuzz/corpus/$1 dict=()
  mkdir -p "$corpus" "$build/fuzz-artifacts/$t"
  [ -f "$here/fuzz/dict/$t.dict" ] && dict=(-dict="$here/fuzz/dict/$t.dict")
  [ -d "$seeds" ] || seeds=
  "$build/fuzz/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-30}" \
    -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t/" "$corpus" $seeds >"$build/fuzz-logs/$t.log" 2>&1
  echo $? >"$build/fuzz-logs/$t.rc"
}

running=0
for t in $targets; do
  [ -x "$build/fuzz/fuzz_$t" ] || { echo "fuzz: no target '$t'" >&2; exit 1; }
  echo "fuzz: $t for ${seconds}s"
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

failed=0
printf '%-16s %6s %10s %10s %8s %8s  %s\n' target rc execs execs/s corpus edges result
for t in $targets; do
  log=$build/fuzz-logs/$t.log
  rc=$(cat "$build/fuzz-logs/$t.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # The last status line: "#N DONE cov: E ft: F corp: C/S ..." (or pulse/NEW).
  status=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
  edges=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
  corpus=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$status")
  result=ok
  if [ "$rc" != 0 ] || grep -qE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: |ALARM: working on the last Unit|out-of-memory' "$log"; then
    result="FAILED ($log; artifacts in $build/fuzz-artifacts/$t/)"
    failed=1
  fi
  printf '%-16s %6s %10s %10s %8s %8s  %s\n' "$t" "$rc" "${execs:-?}" "${speed:-?}" "${corpus:-?}" "${edges:-?}" "$result"
done
exit $failed
