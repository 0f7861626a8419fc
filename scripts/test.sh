#!/usr/bin/env bash
# `make test`: every test, with a single-node Slurm cluster up for the
# tests of `explore --executor slurm` (scripts/slurm-local.sh) and down
# again afterwards, whatever happens.  Without root or without slurm-wlm
# the Slurm tests are skipped (they say so) and the rest runs as usual.
set -uo pipefail
build=$1
jobs=${2:-$(nproc)}
shift 2 2>/dev/null || shift $#   # the rest goes to ctest (e.g. -L unit)
here=$(cd "$(dirname "$0")/.." && pwd)
export SLURM_LOCAL_DIR=${SLURM_LOCAL_DIR:-$here/$build/slurm-local}
started=0
if [ "$(id -u)" -eq 0 ] && command -v slurmctld >/dev/null && command -v munged >/dev/null; then
  if "$here/scripts/slurm-local.sh" start; then
    started=1
    export SLURM_CONF=$SLURM_LOCAL_DIR/slurm.conf
  else
    echo "test: the local Slurm cluster did not start; its tests will be skipped" >&2
  fi
else
  echo "test: no local Slurm cluster (needs root and slurm-wlm); its tests will be skipped" >&2
fi
stop() { [ "$started" = 1 ] && "$here/scripts/slurm-local.sh" stop; }
trap stop EXIT
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
