#!/usr/bin/env bash
# Issue 17: `make test` RUNS times in a row while a CPU-burning load keeps
# every core busy.  The load is `make fuzz FUZZ_SECONDS=...` (18 targets, two
# at a time); when it ends before the runs do, one busy loop per core takes
# over until the last run ends.  Prints each run's wall time and result and
# exits non-zero if any run failed.  Logs: $LOGS (default build/under-load).
#   bench/make_test_under_load.sh [RUNS]      (RUNS default 5; FUZZ_SECONDS default 600)
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
logs=${LOGS:-build/under-load}
mkdir -p "$logs"
rm -f "$logs/done"
make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-600}" >"$logs/fuzz.log" 2>&1 &
fuzz=$!
(
  while kill -0 "$fuzz" 2>/dev/null; do sleep 5; done
  for _ in $(seq "$(nproc)"); do (while [ ! -f "$logs/done" ]; do :; done) & done
  wait
) &
spin=$!
failed=0
for i in $(seq "$runs"); do
  start=$(date +%s)
  make test >"$logs/test$i.log" 2>&1
  rc=$?
  [ "$rc" = 0 ] || failed=1
  echo "make test $i: exit $rc, $(( $(date +%s) - start )) s, $(grep -E 'tests passed' "$logs/test$i.log" | tail -1)"
done
touch "$logs/done"
wait "$fuzz"; echo "make fuzz: exit $? (its table: $logs/fuzz.log)"
wait "$spin"
exit $failed
