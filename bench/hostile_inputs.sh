#!/usr/bin/env bash
# Hostile inputs at the limits (issue 17, item 5), the heavy cases: each run
# of `gaitlstm data summary` under /usr/bin/time -v, its peak memory and wall
# time printed as a Markdown table (docs/RESULTS.md).  Inputs are generated
# in a scratch directory (default /tmp) and removed afterwards; nothing is
# committed.  The fast cases are tests/cli/hostile_inputs_test.cc.
#
#   bench/hostile_inputs.sh [build/gaitlstm] [scratch dir]
#
# Cases:
#   daphnet-2gb     one 2 GB Daphnet recording (S01R01.txt, ~51 M rows)
#   csv-10m-rows    one subject, 10 M rows of a CSV recording with a spec
#   tiny-files      10 000 CSV recordings of 3 rows
#   spec-512        a spec with 512 channels, 2 x 20 000 rows
set -euo pipefail
gaitlstm=$(realpath "${1:-build/gaitlstm}")
scratch=$(mktemp -d "${2:-/tmp}/gaitlstm-hostile-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cases=${HOSTILE_CASES:-"daphnet-2gb csv-10m-rows tiny-files spec-512"}

spec() {  # spec <channels> : CSV spec, channels c0.., 64 Hz, label l
  python3 -c "import json,sys; n=int(sys.argv[1]); print(json.dumps({'format':'csv','files':'*.csv','sample_rate_hz':64,
  'channels':[f'c{i}' for i in range(n)],'label_column':'l','positive_labels':[2],'ignore_labels':[0],
  'subject_regex':'pt([0-9]+)'}))" "$1"
}
# csv <channels> <rows> : rows of a recording, a freeze every 2000 rows for 300.
csv() {
  awk -v n="$1" -v rows="$2" 'BEGIN {
    h = ""; for (c = 0; c < n; ++c) h = h "c" c ","; print h "l";
    for (r = 0; r < rows; ++r) { line = "";
      for (c = 0; c < n; ++c) line = line ((r * 7 + c * 13) % 2000 - 1000) ",";
      print line ((r % 2000) < 300 ? 2 : 1) } }'
}

measure() {  # measure <case> <input size> <args...>
  local name=$1 size=$2; shift 2
  local log=$scratch/$name.time
  local status=0
  /usr/bin/time -v "$gaitlstm" data summary "$@" --json "$scratch/$name.json" >"$scratch/$name.out" 2>"$log" || status=$?
  local rss wall
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  local result=ok
  [ "$status" = 0 ] || result="exit $status: $(grep -v '^\s' "$log" | head -1)"
  printf '| %s | %s | %s MB | %s | %s |\n' "$name" "$size" "$((rss / 1024))" "$wall" "$result"
}

echo "| case | input | peak RSS | wall time | result |"
echo "|---|---|---|---|---|"
for c in $cases; do
  case $c in
    daphnet-2gb)
      mkdir -p "$scratch/d2g"
      # 15.625 ms apart (64 Hz), three sensors, label 1 with a freeze (2) every 4096 rows.
      awk 'BEGIN { for (r = 0; r < 51000000; ++r) printf "%d %d %d %d %d %d %d %d %d %d %d\n",
        r * 15.625, r % 97 - 48, 1000 - r % 89, r % 83 - 41, r % 79, r % 73, r % 71, -r % 67, r % 61, r % 59,
        (r % 4096) < 512 ? 2 : 1 }' >"$scratch/d2g/S01R01.txt"
      measure daphnet-2gb "$(du -h "$scratch/d2g/S01R01.txt" | cut -f1), 51 M rows" --data "$scratch/d2g"
      rm -rf "$scratch/d2g" ;;
    csv-10m-rows)
      mkdir -p "$scratch/c10m"
      csv 3 10000000 >"$scratch/c10m/pt01.csv"
      spec 3 >"$scratch/c10m.json"
      measure csv-10m-rows "$(du -h "$scratch/c10m/pt01.csv" | cut -f1), 10 M rows, 1 subject" \
        --data "$scratch/c10m" --spec "$scratch/c10m.json"
      rm -rf "$scratch/c10m" ;;
    tiny-files)
      mkdir -p "$scratch/tiny"
      csv 3 3 >"$scratch/tiny.csv"
      for f in $(seq 0 9999); do cp "$scratch/tiny.csv" "$scratch/tiny/pt$(printf %02d $((f % 50 + 1)))_$f.csv"; done
      spec 3 >"$scratch/tiny.json"
      measure tiny-files "10 000 files of 3 rows" --data "$scratch/tiny" --spec "$scratch/tiny.json"
      rm -rf "$scratch/tiny" ;;
    spec-512)
      mkdir -p "$scratch/s512"
      csv 512 20000 >"$scratch/s512/pt01.csv"
      cp "$scratch/s512/pt01.csv" "$scratch/s512/pt02.csv"
      spec 512 >"$scratch/s512.json"
      measure spec-512 "2 files x 20 000 rows x 512 channels ($(du -sh "$scratch/s512" | cut -f1))" \
        --data "$scratch/s512" --spec "$scratch/s512.json"
      rm -rf "$scratch/s512" ;;
    *) echo "unknown case $c" >&2; exit 1 ;;
  esac
done
