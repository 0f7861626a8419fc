#!/usr/bin/env bash
# The main job: the cross-layer exploration (train -> quantize -> RTL ->
# bit-exact verification -> synthesis, timing, power -> Pareto front ->
# layouts -> report).  On the embedded synthetic recordings it runs
# examples/explore-small.json (tuned for them: minutes); when GAITLSTM_DATA
# points at a directory of Daphnet recordings it runs
# examples/explore-daphnet.json, a config suited to real recordings (the
# chip-sized detectors on the ankle, leave-one-subject-out AUC; <= 10 min on
# 2 cores).  Resumable: a second `make demo` reuses every finished result
# from DIR/explore*/explore.db.
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
config=explore-small.json
dest=$out/explore
if [ -n "${GAITLSTM_DATA:-}" ]; then
  echo "== data: $GAITLSTM_DATA (GAITLSTM_DATA)"
  data_args=(--data "$GAITLSTM_DATA")
  config=explore-daphnet.json
  dest=$out/explore-daphnet
else
  echo "== data: embedded synthetic default (no real data given; set GAITLSTM_DATA to use recordings)"
fi
echo "== explore: examples/$config, $jobs job(s)"
"$gaitlstm" explore --config "$here/examples/$config" --out "$dest" -j "$jobs" "${data_args[@]}" "${layout_args[@]}"
echo "== demo finished; open $dest/report.html (also report.md, results.json)"
