#!/usr/bin/env bash
# The RTL table of docs/RESULTS.md for one quantized model: every
# architecture generated, verified bit-exact on the first segment of DATA
# (every decision) plus a random stream, and synthesized generically with
# Yosys (no liberty: flip-flops and generic cells).
# Usage: bench/rtl_table.sh BUILD QMODEL DATA OUT [ARCH...]
set -euo pipefail
build=$1; qmodel=$2; data=$3; out=$4; shift 4
archs=("$@"); [ ${#archs[@]} -eq 0 ] && archs=(serial gates lanes:8 mcm)
gaitlstm=$build/gaitlstm
mkdir -p "$out"
printf '| architecture | MAC units | cycles/decision | core cycles | MAC utilisation | verified decisions | mismatches | flip-flops | generic cells | sim samples/s |\n|---|---|---|---|---|---|---|---|---|---|\n' > "$out/table.md"
for arch in "${archs[@]}"; do
  dir=$out/rtl_${arch/:/_}
  "$gaitlstm" rtl --model "$qmodel" --arch "$arch" --out "$dir" > "$dir.rtl.log"
  "$gaitlstm" verify --model "$qmodel" --rtl "$dir" --data "$data" --segments 1 --json "$dir.verify.json" > "$dir.verify.log" 2>&1 || true
  top=$(python3 -c "import json;print(json.load(open('$dir/design.json'))['top'])")
  yosys -q -p "read_verilog $(ls "$dir"/*.v | tr '\n' ' '); synth -top $top -flatten; tee -o $dir.stat.txt stat" > "$dir.yosys.log" 2>&1
  ffs=$(grep -E '\$_(S?DFF|DFFE|SDFFE|SDFFCE)[A-Z_]*_ ' "$dir.stat.txt" | awk '{s+=$2} END {print s+0}')
  cells=$(grep -E 'Number of cells:' "$dir.stat.txt" | tail -1 | awk '{print $4}')
  python3 - "$dir" "$arch" "$ffs" "$cells" >> "$out/table.md" <<'PY'
import json, sys
d, arch, ffs, cells = sys.argv[1:]
design = json.load(open(d + "/design.json"))
v = json.load(open(d + ".verify.json"))
util = f"{100*design['mac_utilization']:.1f} %" if design['lanes'] else "-"
print(f"| {arch} | {design['lanes']} | {design['cycles_per_decision']} | {design['core_cycles']} | {util} | "
      f"{v['decisions']} + {v['random_decisions']} random | {v['mismatches']} | {ffs} | {cells} | {v['samples_per_second']:.0f} |")
PY
done
cat "$out/table.md"
