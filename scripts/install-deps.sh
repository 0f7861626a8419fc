#!/usr/bin/env bash
# Installs the Debian packages gaitlstm needs to build, test and run: the
# C++ toolchain and libraries, and the hardware flow's tools (Yosys,
# Verilator, Icarus Verilog, OpenSTA, qflow with graywolf/qrouter/magic/
# netgen, the OSU 0.18 um standard cells, KLayout, and the iCE40 FPGA flow:
# nextpnr-ice40 and fpga-icestorm's icepack/icetime with its chip database),
# and Slurm + munge for the tests of the exploration's Slurm executor
# (scripts/slurm-local.sh).  Idempotent and quiet when everything is
# present; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libeigen3-dev libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev
  libcurl4-openssl-dev libarchive-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  yosys opensta iverilog verilator
  qflow qflow-tech-osu018 graywolf qrouter magic netgen-lvs
  klayout
  nextpnr-ice40 fpga-icestorm fpga-icestorm-chipdb
  slurm-wlm munge
)
# `--bench`: also what only the benchmarks need (headless Chromium renders
# the exploration report: bench/explore_report_screenshot.sh).
if [ "${1:-}" = "--bench" ]; then
  packages+=(chromium)
fi
# `--fuzz`: clang with libFuzzer for `make fuzz` (fuzz/).
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
