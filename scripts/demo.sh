#!/usr/bin/env bash
# The main job: the cross-layer exploration of examples/explore-small.json
# (train -> quantize -> RTL -> bit-exact verification -> synthesis, timing,
# power -> Pareto front -> layouts -> report) on the embedded synthetic
# recordings, or on the real Daphnet files when GAITLSTM_DATA points at a
# directory of them.  Resumable: a second `make demo` reuses every finished
# result from DIR/explore/explore.db.
set -euo pipefail
gaitlstm=$1
out=$2
jobs=${GAITLSTM_JOBS:-2}
# Place and route of the ~10k-cell example designs takes 10-30 min on shared
# cores, so the demo skips it unless GAITLSTM_DEMO_LAYOUT=1; rerunning with
# it set reuses every point and adds the layouts.
layout_args=(--no-layout)
[ "${GAITLSTM_DEMO_LAYOUT:-0}" = 1 ] && layout_args=()
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
data_args=()
if [ -n "${GAITLSTM_DATA:-}" ]; then
  echo "== data: $GAITLSTM_DATA (GAITLSTM_DATA)"
  data_args=(--data "$GAITLSTM_DATA")
else
  echo "== data: embedded synthetic default (no real data given; set GAITLSTM_DATA to use recordings)"
fi
echo "== explore: examples/explore-small.json, $jobs job(s)"
"$gaitlstm" explore --config "$here/examples/explore-small.json" --out "$out/explore" -j "$jobs" "${data_args[@]}" "${layout_args[@]}"
echo "== demo finished; open $out/explore/report.html (also report.md, results.json)"
