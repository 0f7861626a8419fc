#!/usr/bin/env bash
# A single-node Slurm cluster on this machine (Debian slurm-wlm + munge, no
# systemd), for the tests of `gaitlstm explore --executor slurm` and for
# trying the executor on a laptop.  Needs root (munged and slurmd).
#
#   scripts/slurm-local.sh start    # fresh config + state, daemons up, node idle
#   scripts/slurm-local.sh stop     # daemons down (munged only if this script started it)
#   scripts/slurm-local.sh status   # node and queue
#   scripts/slurm-local.sh env      # prints: export SLURM_CONF=...
#
# Everything lives under $SLURM_LOCAL_DIR (default build/slurm-local of this
# checkout): slurm.conf, state, spool, logs, pid files.  Every Slurm command
# needs SLURM_CONF=$SLURM_LOCAL_DIR/slurm.conf (see `env`).
#
# What this machine kind taught (../shared/docs/FLOW-FACTS.md, Slurm):
# munged refuses to run as root, so it runs as user munge with its key 0400;
# TaskPlugin=task/none and ProctrackType=proctrack/linuxproc need no cgroups;
# no accounting (no sacct): the executor polls squeue, so MinJobAge must stay
# >= 2 (300 here, as on most clusters: finished records then leave squeue
# after five minutes, which the executor handles); kill_invalid_depend
# belongs in DependencyParameters.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${SLURM_LOCAL_DIR:-$here/build/slurm-local}
mkdir -p "$base"
base=$(cd "$base" && pwd)
export SLURM_CONF=$base/slurm.conf
munge_pid=/run/munge/munged.pid
log() { echo "slurm-local: $*" >&2; }
alive() { local p; p=$(cat "$1" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

stop_pidfile() {  # TERM, up to 15 s, then KILL
  local f=$1 p i
  p=$(cat "$f" 2>/dev/null) && kill -0 "$p" 2>/dev/null || { rm -f "$f"; return 0; }
  kill "$p" 2>/dev/null || true
  for i in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && { log "SIGKILL $p"; kill -9 "$p" 2>/dev/null || true; }
  rm -f "$f"
}

do_stop() {
  if alive "$base/slurmctld.pid" || alive "$base/slurmd.pid"; then
    scontrol shutdown >/dev/null 2>&1 || true
    for i in $(seq 100); do
      alive "$base/slurmctld.pid" || alive "$base/slurmd.pid" || break
      sleep 0.1
    done
  fi
  stop_pidfile "$base/slurmctld.pid"
  stop_pidfile "$base/slurmd.pid"
  # Job steps of this cluster that outlived slurmd (they hold our log directory open).
  local p fd
  for p in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = /usr/sbin/slurmstepd ] || continue
    for fd in /proc/"$p"/fd/*; do
      case "$(readlink "$fd" 2>/dev/null)" in
        "$base"/*) log "killing stray slurmstepd $p"; kill -9 "$p" 2>/dev/null || true; break ;;
      esac
    done
  done
  if [ -e "$base/munged.ours" ]; then
    stop_pidfile "$munge_pid"
    rm -f "$base/munged.ours"
  fi
}

start_munge() {
  if alive "$munge_pid" && munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge /etc/munge/munge.key
  chmod 0700 /etc/munge
  chmod 0400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  touch "$base/munged.ours"
  for i in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "munge does not work (see /var/log/munge/munged.log)"
  exit 1
}

do_start() {
  local cmd
  for cmd in slurmctld slurmd munged sbatch squeue; do
    command -v "$cmd" >/dev/null || { log "$cmd missing: run scripts/install-deps.sh (slurm-wlm, munge)"; exit 1; }
  done
  [ "$(id -u)" -eq 0 ] || { log "needs root (munged and slurmd)"; exit 1; }
  do_stop
  start_munge
  local host hw
  host=$(hostname -s)
  hw=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]* //')  # CPUs=.. Boards=.. ... RealMemory=..
  rm -rf "$base/state" "$base/spool"
  mkdir -p "$base/state" "$base/spool" "$base/log"
  cat > "$SLURM_CONF" <<EOF
# Written by scripts/slurm-local.sh: one node, no accounting, no cgroups.
ClusterName=gaitlstm-local
SlurmctldHost=$host
SlurmctldPort=${SLURM_LOCAL_CTLD_PORT:-6817}
SlurmdPort=${SLURM_LOCAL_D_PORT:-6818}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
DependencyParameters=kill_invalid_depend
ReturnToService=2
MinJobAge=300
MaxJobCount=100000
MaxArraySize=100001
MailProg=/bin/true
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
NodeName=$host $hw State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  for i in $(seq 300); do
    if [ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = idle ]; then
      log "node $host idle ($SLURM_CONF)"
      return 0
    fi
    sleep 0.1
  done
  log "node did not become idle"
  sinfo -N -l >&2 || true
  exit 1
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  status)
    if alive "$base/slurmctld.pid"; then sinfo -N -l; squeue; else echo "slurm-local: not running ($base)"; exit 3; fi ;;
  env) echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
