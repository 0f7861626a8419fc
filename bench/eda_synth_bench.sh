#!/usr/bin/env bash
# Synthesis, timing and power of the fixture designs (seconds each): area,
# cells, flip-flops, f_max, vectorless power, and for mac_fsm power from a
# gate-level simulation of its testbench.
#
#   bench/eda_synth_bench.sh [BUILD_DIR] [OUT_DIR] [CLOCK_NS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$build/bench-results/eda-synth}
clock=${3:-10}
gaitlstm=$build/gaitlstm
fixtures=$here/tests/eda/fixtures
[ -x "$gaitlstm" ] || { echo "eda_synth_bench: no $gaitlstm (build first)" >&2; exit 1; }
mkdir -p "$out"
for design in counter mac_fsm lstm_lanes lstm_lanes8; do
  echo "== $design"
  /usr/bin/time -f "synth+sta wall %e s" "$gaitlstm" synth --rtl "$fixtures/$design" --clock-ns "$clock" \
    --work "$out/work-$design" --json "$out/$design.synth.json"
  /usr/bin/time -f "power wall %e s" "$gaitlstm" power --rtl "$fixtures/$design" --clock-ns "$clock" \
    --work "$out/work-$design-power" --json "$out/$design.power.json"
done
echo "== mac_fsm, activity from a gate-level simulation"
/usr/bin/time -f "power wall %e s" "$gaitlstm" power --rtl "$fixtures/mac_fsm" --clock-ns "$clock" \
  --testbench "$fixtures/mac_fsm/mac_fsm_tb.v" --cycles-per-decision 10 \
  --work "$out/work-mac_fsm-vcd" --json "$out/mac_fsm.power-vcd.json"
