#!/usr/bin/env bash
# Issue 13/14 figures of the chip preset (docs/RESULTS.md, "Detection across
# sites"): every cross-validation the section reports, seeds 1-3, one JSON per
# run in OUT, then the tables (bench/detection_tables.py).  Runs one
# measurement at a time, niced; a run whose JSON exists is skipped, so an
# interrupted matrix resumes.
#
#   bench/detection_figures.sh [--build DIR] [--out DIR] [--seeds "1 2 3"] [PART...]
#
# PART: preset (Daphnet LOSO float + 1 pp search, the battery float and
# golden with the searched bits, PDFE LOSO, leave-one-dataset-out both ways,
# the search's bits on both), searchshift (the same search with
# --search-shift gain:0.5,gain:2, its battery and transfer), episodes (cue off / --cue / --choose-cue,
# float and golden), calibration (fixed vs self-calibrated), ablation (each
# feature switch and augmentation against the preset: Daphnet LOSO, PDFE
# LOSO, both LODO directions, float).  Default: all five.
set -euo pipefail

BUILD=build
OUT=detection-figures
SEEDS="1 2 3"
PARTS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --seeds) SEEDS="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) PARTS+=("$1"); shift ;;
  esac
done
[[ ${#PARTS[@]} -gt 0 ]] || PARTS=(preset searchshift episodes calibration ablation)

HERE="$(cd "$(dirname "$0")/.." && pwd)"
GAITLSTM="$BUILD/gaitlstm"
[[ -x "$GAITLSTM" ]] || { echo "no $GAITLSTM (build first)" >&2; exit 1; }
D=${DAPHNET:-$HERE/../shared/data/daphnet}
P=${PDFE:-$HERE/../shared/data/pdfe-turning}
PSPEC=$HERE/examples/pdfe-turning.json
mkdir -p "$OUT"
echo '{}' > "$OUT/bits8.json"   # every tensor at its 8-bit start: the search's starting point

DAPHNET_SET=(--data "$D")
PDFE_SET=(--data "$P" --spec "$PSPEC")
BOTH_SETS=(--data "$D" --data "$P" --spec "$PSPEC" --folds dataset)
# PDFE: 26 folds; the validation-subject threshold (26 models instead of
# 26 x 25 nested ones).  AUC does not depend on the threshold option.
PDFE_THRESHOLD=(--threshold-from validation)

# run NAME ARGS...: one cross-validation, JSON in OUT/NAME.json, log beside it.
run() {
  local name="$1"; shift
  if [[ -s "$OUT/$name.json" ]]; then echo "skip $name (exists)"; return; fi
  echo "run  $name: gaitlstm cv --preset chip $*"
  local start=$SECONDS
  nice "$GAITLSTM" cv --preset chip --threads 2 "$@" --json "$OUT/$name.json" > "$OUT/$name.log" 2>&1 \
    || { echo "FAILED $name (see $OUT/$name.log)" >&2; rm -f "$OUT/$name.json"; return 1; }
  echo "$((SECONDS - start))" > "$OUT/$name.seconds"
}

bits() { echo "$OUT/bits_$1_s$2/bits-within-1.0pp.json"; }

part_preset() {
  for S in $SEEDS; do
    run daphnet_s$S "${DAPHNET_SET[@]}" --seed $S --quant-search --budgets 0.01 --survivor-bits "$OUT/bits_daphnet_s$S"
    run daphnet_shift_s$S "${DAPHNET_SET[@]}" --seed $S --shift all --quant-bits "$(bits daphnet $S)"
    run daphnet_shift8_s$S "${DAPHNET_SET[@]}" --seed $S --shift all --quant-bits "$OUT/bits8.json"
    run pdfe_s$S "${PDFE_SET[@]}" "${PDFE_THRESHOLD[@]}" --seed $S
    run lodo_s$S "${BOTH_SETS[@]}" --seed $S --quant-search --budgets 0.01 --survivor-bits "$OUT/bits_lodo_s$S"
    run lodo_shift_s$S "${BOTH_SETS[@]}" --seed $S --shift all --quant-bits "$(bits lodo $S)"
    run lodo_shift8_s$S "${BOTH_SETS[@]}" --seed $S --shift all --quant-bits "$OUT/bits8.json"
  done
}

# The 1 pp search with level-shifted copies in its data (cv --search-shift).
SEARCH_SHIFT=gain:0.5,gain:2
part_searchshift() {
  for S in $SEEDS; do
    run daphnet_ss_s$S "${DAPHNET_SET[@]}" --seed $S --quant-search --budgets 0.01 --search-shift $SEARCH_SHIFT \
      --survivor-bits "$OUT/bits_daphnet_ss_s$S"
    run daphnet_ss_shift_s$S "${DAPHNET_SET[@]}" --seed $S --shift all --quant-bits "$(bits daphnet_ss $S)"
    run lodo_ss_s$S "${BOTH_SETS[@]}" --seed $S --quant-search --budgets 0.01 --search-shift $SEARCH_SHIFT \
      --survivor-bits "$OUT/bits_lodo_ss_s$S"
    run lodo_ss_shift_s$S "${BOTH_SETS[@]}" --seed $S --shift all --quant-bits "$(bits lodo_ss $S)"
  done
}

part_episodes() {  # cue off is in daphnet_s$S (float and golden)
  for S in $SEEDS; do
    run daphnet_cue_s$S "${DAPHNET_SET[@]}" --seed $S --cue --quant-bits "$(bits daphnet $S)"
    run daphnet_choosecue_s$S "${DAPHNET_SET[@]}" --seed $S --choose-cue --quant-bits "$(bits daphnet $S)"
  done
}

part_calibration() {
  # grep reads all of the help (grep -q would close the pipe early: pipefail)
  if ! "$GAITLSTM" cv --help | grep -- --calibration > /dev/null; then
    echo "calibration: this gaitlstm has no cv --calibration; skipped" >&2; return
  fi
  for S in $SEEDS; do
    run daphnet_cal_s$S "${DAPHNET_SET[@]}" --seed $S --calibration on --quant-bits "$(bits daphnet $S)"
    run daphnet_calshift_s$S "${DAPHNET_SET[@]}" --seed $S --calibration on --shift all --quant-bits "$(bits daphnet $S)"
    run pdfe_cal_s$S "${PDFE_SET[@]}" "${PDFE_THRESHOLD[@]}" --seed $S --calibration on
    run lodo_cal_s$S "${BOTH_SETS[@]}" --seed $S --calibration on
  done
}

# Ablation variants: NAME and the flags that change the preset.
ABLATION=(
  "levels+ratios|--keep-levels 1"
  "levels only (no ratio)|--ratios 0 --keep-levels 1"
  "ratios+baseline|--baseline-shift 6"
  "energy smoothing 0|--energy-smoothing 0"
  "energy smoothing 2|--energy-smoothing 2"
  "energy smoothing 4|--energy-smoothing 4"
  "3 bands (2 ratios)|--bands 0.5-2,2-4,4-8"
  "freeze-index bands|--bands 0.5-3,3-8"
  "per-axis ratios|--axes-per-sensor 1"
  "output smoothing 8|--smoothing 8"
  "history 16|--history 16"
  "epochs 60|--epochs 60"
  "lr 0.01|--lr 0.01"
  "augment rotation (copy control)|--augment rotation"
  "augment gain|--augment gain"
  "augment noise|--augment noise"
  "augment adc|--augment adc"
  "augment warp|--augment warp"
  "augment jitter|--augment jitter"
  "augment all|--augment all"
)
ablation_tag() { echo "$1" | tr -c 'a-zA-Z0-9\n' '_' | tr -s '_'; }

part_ablation() {
  # the preset's own rows are the float figures of part preset
  for entry in "${ABLATION[@]}"; do
    local tag; tag=$(ablation_tag "${entry%%|*}")
    read -r -a flags <<< "${entry#*|}"
    for S in $SEEDS; do
      run abl_${tag}_daphnet_s$S "${DAPHNET_SET[@]}" --seed $S "${flags[@]}"
      run abl_${tag}_pdfe_s$S "${PDFE_SET[@]}" "${PDFE_THRESHOLD[@]}" --seed $S "${flags[@]}"
      run abl_${tag}_lodo_s$S "${BOTH_SETS[@]}" --seed $S "${flags[@]}"
    done
  done
}

for part in "${PARTS[@]}"; do
  case "$part" in
    preset|searchshift|episodes|calibration|ablation) "part_$part" ;;
    *) echo "unknown part '$part' (preset, searchshift, episodes, calibration, ablation)" >&2; exit 1 ;;
  esac
done
if command -v python3 > /dev/null; then
  python3 "$HERE/bench/detection_tables.py" "$OUT" > "$OUT/tables.md" && echo "tables: $OUT/tables.md"
fi
