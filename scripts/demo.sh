#!/usr/bin/env bash
# The main job on the embedded default: synthetic recordings, or the real
# Daphnet files when GAITLSTM_DATA points at a directory of them.  Runs the
# flow as far as it exists: data summary -> train -> quantize -> RTL ->
# bit-exact verification -> synthesis.
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

echo "== train a small detector (H=8, 8-step history)"
"$gaitlstm" train --data "$data" --hidden 8 --history 8 --epochs 8 --out "$out/model.json" | tail -3
echo "== quantize (8-bit LSTM, range calibration)"
"$gaitlstm" quantize --model "$out/model.json" --data "$data" --out "$out/qmodel.json" --json "$out/quantize.json" | tail -2
echo "== generate the serial accelerator and verify it bit-exact against the golden model"
"$gaitlstm" rtl --model "$out/qmodel.json" --arch serial --out "$out/rtl_serial"
"$gaitlstm" verify --model "$out/qmodel.json" --rtl "$out/rtl_serial" --data "$data" --segments 2 --json "$out/verify.json"
echo "== synthesize (Yosys, OSU 0.18 um) and time it (OpenSTA)"
"$gaitlstm" synth --rtl "$out/rtl_serial" --clock-ns 20 --work "$out/eda-work" --json "$out/synth.json" | tail -12
echo "== demo finished; results in $out (summary.json, quantize.json, verify.json, synth.json)"
