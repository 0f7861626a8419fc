#!/usr/bin/env bash
# Gate-level simulation speed, Icarus (the library's cell models) against
# Verilator (cell models generated from the liberty): `verify --netlist` and
# `power` of one synthesized detector on the first DECISIONS real decisions.
#
#   bench/gate_level_sim_bench.sh BUILD OUT QMODEL RTL_DIR NETLIST DATA [DECISIONS] [LIBRARY] [SIMULATORS]
#
# QMODEL, RTL_DIR: `gaitlstm quantize` / `gaitlstm rtl` outputs; NETLIST:
# `gaitlstm synth`'s netlist of RTL_DIR on LIBRARY (osu018 | sky130hd).
# SIMULATORS defaults to "verilator icarus".  Writes OUT/summary.tsv:
# simulator, task, decisions, simulated cycles, simulation wall s (the run
# alone, from the JSON), decisions/s of the run, whole command wall and user
# CPU s (build included), result.  Runs one command at a time (nice); wall
# times on a loaded machine are not speeds: compare user CPU.  No assertion.
set -euo pipefail
if [ $# -lt 6 ]; then
  sed -n 2,14p "$0"
  exit 2
fi
BUILD=$1 OUT=$2 QMODEL=$3 RTL=$4 NETLIST=$5 DATA=$6
DECISIONS=${7:-4} LIBRARY=${8:-osu018} SIMULATORS=${9:-verilator icarus}
G=$(realpath "$BUILD")/gaitlstm
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
summary="$OUT/summary.tsv"
printf 'simulator\ttask\tdecisions\tcycles\tsim_wall_s\tdecisions_per_s\tcommand_wall_s\tcommand_user_s\tresult\n' > "$summary"

timed() {  # timed LOG cmd... -> "wall user" of the command, its output in LOG
  local log=$1; shift
  local t="$OUT/time.$$"
  if /usr/bin/time -f '%e %U' -o "$t" nice "$@" > "$log" 2>&1; then echo "ok $(cat "$t")"; else echo "failed $(tail -1 "$t")"; fi
  rm -f "$t"
}

for sim in $SIMULATORS; do
  work="$OUT/verify-$sim"
  rm -rf "$work"
  read -r result wall user < <(timed "$OUT/verify-$sim.log" "$G" verify --model "$QMODEL" --rtl "$RTL" \
    --netlist "$NETLIST" --library "$LIBRARY" --data "$DATA" --windows "$DECISIONS" --simulator "$sim" \
    --work "$work" --json "$OUT/verify-$sim.json")
  read -r cycles simwall rate < <(python3 - "$OUT/verify-$sim.json" "$work/response.txt" <<'EOF'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    cycles = [l.split()[2] for l in open(sys.argv[2]) if l.startswith('R ')][0]
    s = j['simulation_seconds']
    print(cycles, f"{s:.2f}", f"{j['decisions'] / s:.3f}")
except Exception:
    print('-', '-', '-')
EOF
)
  printf '%s\tverify\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$sim" "$DECISIONS" "$cycles" "$simwall" "$rate" "$wall" "$user" \
    "$result" >> "$summary"

  work="$OUT/power-$sim"
  rm -rf "$work"
  read -r result wall user < <(timed "$OUT/power-$sim.log" "$G" power --model "$QMODEL" --rtl "$RTL" \
    --netlist "$NETLIST" --library "$LIBRARY" --data "$DATA" --decisions "$DECISIONS" --simulator "$sim" \
    --work "$work" --json "$OUT/power-$sim.json")
  simwall=$(grep -h -o 'simulated_cycles[^,]*' "$OUT/power-$sim.json" 2>/dev/null | head -1 | tr -dc '0-9.' || true)
  printf '%s\tpower\t%s\t%s\t-\t-\t%s\t%s\t%s\n' "$sim" "$DECISIONS" "${simwall:--}" "$wall" "$user" "$result" >> "$summary"
  rm -rf "$work/sim/obj" "$work/sim"/*.vcd "$work/sim"/*.vvp "$OUT/verify-$sim/obj" "$OUT/verify-$sim"/*.vvp
done
column -t -s $'\t' "$summary"
