#!/usr/bin/env bash
# The main job on the embedded default: synthetic recordings, or the real
# Daphnet files when GAITLSTM_DATA points at a directory of them.
set -euo pipefail
gaitlstm=$1
out=$2
mkdir -p "$out"
if [ -n "${GAITLSTM_DATA:-}" ]; then
  data=$GAITLSTM_DATA
  echo "== data: $data (GAITLSTM_DATA)"
else
  data=$out/synthetic
  echo "== data: embedded synthetic default (no real data given; set GAITLSTM_DATA to use recordings)"
  "$gaitlstm" data synth --out "$data" --seed 1
fi
"$gaitlstm" data summary --data "$data" --json "$out/summary.json"
echo "== demo finished; machine-readable summary: $out/summary.json"
