#!/usr/bin/env bash
# Issue 6's physical table for one quantized model: every architecture
# generated, synthesized on the OSU 0.18 um cells (area, f_max) and its power
# measured with activity from a gate-level simulation of a real recording;
# energy per decision = total power x cycles per decision x clock period.
# Every area, power and energy figure also scaled to 65 nm (estimate).
#
# Usage: [JOBS=N] bench/physical_table.sh BUILD QMODEL DATA OUT [CLOCK_NS [DECISIONS [ARCH...]]]
#   CLOCK_NS  clock for synthesis, timing and power (default 20)
#   DECISIONS decisions of the first recording segment simulated (default 4)
#   ARCH      default: serial gates lanes:8 mcm
# Writes OUT/table.md, OUT/table.json and per architecture OUT/rtl_<arch>/
# (Verilog), OUT/work_<arch>/ (scripts, netlist, logs), OUT/<arch>.*.json.
# The design is synthesized once (inside `gaitlstm power`); `gaitlstm sta`
# times that very netlist.
set -euo pipefail
if [ $# -lt 4 ]; then sed -n '2,15p' "$0" >&2; exit 2; fi
build=$1; qmodel=$2; data=$3; out=$4
clock_ns=${5:-20}; decisions=${6:-4}
shift $(( $# < 6 ? $# : 6 ))
archs=("$@"); [ ${#archs[@]} -eq 0 ] && archs=(serial gates lanes:8 mcm)
gaitlstm=$build/gaitlstm
mkdir -p "$out"
rm -f "$out/seconds.txt"
# One architecture: RTL, synthesis + gate-level power, timing of that netlist.
build_arch() {
  local arch=$1 name=${1/:/_} start top netlist
  local rtl=$out/rtl_$name
  start=$(date +%s)
  "$gaitlstm" rtl --model "$qmodel" --arch "$arch" --out "$rtl" > "$out/$name.rtl.log"
  top=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['top'])" "$rtl/design.json")
  "$gaitlstm" power --rtl "$rtl" --model "$qmodel" --data "$data" --decisions "$decisions" \
    --clock-ns "$clock_ns" --work "$out/work_$name" --json "$out/$name.power.json" > "$out/$name.power.log"
  netlist=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['synthesis']['netlist'])" "$out/$name.power.json")
  "$gaitlstm" sta --netlist "$netlist" --top "$top" --clock-ns "$clock_ns" --work "$out/work_$name" \
    --json "$out/$name.sta.json" > "$out/$name.sta.log"
  echo "$arch $(( $(date +%s) - start )) s" >> "$out/seconds.txt"
  echo "$arch done in $(( $(date +%s) - start )) s" >&2
}
# JOBS architectures at a time (default 1; each is one single-threaded tool at a time).
running=0
for arch in "${archs[@]}"; do
  if [ "$running" -ge "${JOBS:-1}" ]; then wait -n; running=$((running - 1)); fi
  build_arch "$arch" &
  running=$((running + 1))
done
wait
python3 - "$out" "$clock_ns" "$decisions" "${archs[@]}" <<'PY'
import json, sys
out, clock_ns, decisions, archs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
seconds = dict(line.split()[:2] for line in open(f"{out}/seconds.txt"))
rows = []
for arch in archs:
    name = arch.replace(":", "_")
    design = json.load(open(f"{out}/rtl_{name}/design.json"))
    p = json.load(open(f"{out}/{name}.power.json"))
    t = json.load(open(f"{out}/{name}.sta.json"))["timing"]
    s, pw, sc = p["synthesis"], p["power"], p["scaled"]
    e = p["energy"]
    rows.append({
        "architecture": arch, "mac_units": design["lanes"], "latency_cycles": design["cycles_per_decision"],
        "cells": s["cells"], "flip_flops": s["flip_flops"], "area_um2": s["area_um2"],
        "area_source": s["area_source"], "area_um2_65nm_estimate": s["area_um2"] * sc["area_factor"],
        "clock_ns": clock_ns, "fmax_mhz": t["fmax_mhz"], "worst_slack_ns": t["worst_slack_ns"],
        "latency_us_at_fmax": design["cycles_per_decision"] / t["fmax_mhz"],
        "dynamic_mw": pw["dynamic_w"] * 1e3, "leakage_mw": pw["leakage_w"] * 1e3, "total_mw": pw["total_w"] * 1e3,
        "dynamic_mw_65nm_estimate": sc["dynamic_w"] * 1e3,
        "cycles_per_decision": e["cycles_per_decision"], "energy_per_decision_nj": e["energy_per_decision_j"] * 1e9,
        "dynamic_energy_per_decision_nj_65nm_estimate": sc["dynamic_energy_per_decision_j"] * 1e9,
        "activity": pw["activity_source"], "annotated_pins": pw.get("annotated_pins"),
        "netlist_pins": pw.get("netlist_pins"), "simulated_cycles": pw.get("simulated_cycles"),
        "decisions_simulated": decisions, "seconds": float(seconds.get(arch, "nan")),
    })
json.dump({"clock_ns": clock_ns, "scaling": {k: v for k, v in sc.items() if k not in ("dynamic_w", "dynamic_energy_per_decision_j")},
           "rows": rows}, open(f"{out}/table.json", "w"), indent=1)
head = ("| architecture | MAC units | cells | flip-flops | area mm² | 65 nm mm² (est.) | f_max MHz | latency cycles | "
        "latency µs at f_max | power mW | 65 nm dyn. mW (est.) | cycles / decision | energy / decision nJ | "
        "65 nm dyn. nJ (est.) | pins annotated | s |")
lines = [head, "|---|" + "---:|" * (head.count("|") - 2)]
for r in rows:
    lines.append(f"| {r['architecture']} | {r['mac_units']} | {r['cells']:,} | {r['flip_flops']:,} | {r['area_um2'] / 1e6:.3f} | "
                 f"{r['area_um2_65nm_estimate'] / 1e6:.4f} | {r['fmax_mhz']:.1f} | {r['latency_cycles']:,} | "
                 f"{r['latency_us_at_fmax']:.1f} | {r['total_mw']:.3f} | {r['dynamic_mw_65nm_estimate']:.3f} | "
                 f"{r['cycles_per_decision']:,} | {r['energy_per_decision_nj']:.1f} | "
                 f"{r['dynamic_energy_per_decision_nj_65nm_estimate']:.2f} | {r['annotated_pins']} of {r['netlist_pins']} | "
                 f"{r['seconds']:.0f} |".replace(",", " "))
text = "\n".join(lines) + "\n"
open(f"{out}/table.md", "w").write(text)
print(text, end="")
PY
