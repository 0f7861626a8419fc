#!/usr/bin/env bash
# Place-and-route benchmark of the physical flow: stage times, die areas and
# failed routes of the fixture designs at a few densities, one run at a time
# (graywolf and qrouter are single-threaded; parallel runs distort times).
#
#   bench/eda_layout_bench.sh [BUILD_DIR] [OUT_DIR] [CASES...]
#
# A case is NAME:DENSITY[:SPEEDUP[:ASPECT[:cleanup]]]; NAME is a folder of
# tests/eda/fixtures; "cleanup" turns qrouter's stage 3 on (--route-cleanup).
# Default cases: the 5k-cell lstm_lanes at 0.45 and 0.6 and the 8k-cell
# lstm_lanes8 at 0.45, all with graywolf TWSC*fast 4.  Results: one JSON per
# case (gaitlstm layout --json) + a PNG + summary.tsv in OUT_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$build/bench-results/eda-layout}
shift $(( $# > 2 ? 2 : $# ))
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(lstm_lanes:0.45 lstm_lanes:0.6 lstm_lanes8:0.45)
gaitlstm=$build/gaitlstm
[ -x "$gaitlstm" ] || { echo "eda_layout_bench: no $gaitlstm (build first)" >&2; exit 1; }
mkdir -p "$out"
summary=$out/summary.tsv
printf 'case\tcells\tdie_mm2\tutil\tfailed\tfmax_post_MHz\tplace_s\troute_s\twall_s\n' > "$summary"
for c in "${cases[@]}"; do
  IFS=: read -r name density speedup aspect cleanup <<< "$c"
  speedup=${speedup:-4}
  aspect=${aspect:-1}
  tag="$name-d$density-f$speedup-a$aspect${cleanup:+-$cleanup}"
  extra=()
  [ "$cleanup" = cleanup ] && extra+=(--route-cleanup)
  echo "== $tag"
  SECONDS=0
  "$gaitlstm" layout --rtl "$here/tests/eda/fixtures/$name" --density "$density" --speedup "$speedup" \
    --aspect "$aspect" "${extra[@]}" \
    --stage-timeout 3600 --work "$out/work-$tag" --png "$out/$tag.png" --json "$out/$tag.json"
  wall=$SECONDS
  python3 - "$out/$tag.json" "$tag" "$wall" >> "$summary" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["layouts"][0]
t = {s["stage"]: s["seconds"] for s in r["stages"]}
print("\t".join(str(x) for x in [sys.argv[2], r["cells"], round(r["die_area_mm2"], 4), round(r["core_utilisation"], 3),
      r["failed_routes"], round(r.get("post_route_fmax_mhz", 0), 1), round(t["place"], 1), round(t["route"], 1),
      round(float(sys.argv[3]), 1)]))
PY
done
column -t "$summary"
