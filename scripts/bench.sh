#!/usr/bin/env bash
# Runs every benchmark; JSON results go to BUILD/bench-results/.
set -euo pipefail
build=${1:-build}
out=$build/bench-results
mkdir -p "$out"
for bench in "$build"/bench/bench_*; do
  [ -x "$bench" ] || continue
  name=$(basename "$bench")
  echo "== $name"
  "$bench" --benchmark_out="$out/$name.json" --benchmark_out_format=json
done
