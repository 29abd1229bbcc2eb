#!/usr/bin/env bash
# Checks examples/slurm/submit.sh end to end on this one machine: installs single-node Slurm
# from Debian's packages, starts a private Slurm cluster of this machine alone, submits a
# sharded experiment with submit.sh, waits for its merge job, runs the same experiment in one
# process, and compares the two: runs.csv and summary.json must be equal byte for byte. Then
# does the same for a sweep sharded by points as README.md in this folder shows it (an array
# job of `sweep --shard K/4`, then the same command without --shard): its sweep.csv must equal
# a one-process sweep's. Prints PASS (exit 0) or FAIL (exit 1).
#
# Usage, as root on Debian (tested on 12, bookworm), with cargo on PATH, from anywhere:
#
#   examples/slurm/test-local.sh
#
# Environment overrides (all optional):
#   NETSTATES_SLURM_WORK   working folder: config, state, logs, results (default:
#                          /tmp/netstates-slurm-test; emptied at the start of each run)
#   SCENARIO               scenario to run          (default: scenarios/baseline.toml)
#   SHARDS RUNS SEED       the experiment           (default: 4 shards of 200 runs, seed 7)
#   TIMEOUT                seconds to wait for the jobs (default: 600)
#   SLURMCTLD_PORT SLURMD_PORT  ports on 127.0.0.1  (default: 16817 and 16818, not Slurm's
#                          usual 6817/6818, to keep clear of a real Slurm)
#
# What it changes on the machine: installs the Debian packages slurmctld, slurmd,
# slurm-client and munge if they are missing (munge's package creates /etc/munge/munge.key),
# starts munged unless one is running already, and starts slurmctld and slurmd with a
# slurm.conf of its own in the working folder (through SLURM_CONF; /etc/slurm is left as it
# is). On exit, however it ends, it cancels the test's jobs and stops every daemon it started.
# Running it again is fine: it reuses the packages, and stops daemons that a killed earlier
# run left behind (by the process ids it recorded) before it starts.
#
# Not part of CI: it installs system packages and starts daemons.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${NETSTATES_SLURM_WORK:-/tmp/netstates-slurm-test}
scenario=${SCENARIO:-scenarios/baseline.toml}
shards=${SHARDS:-4}
runs=${RUNS:-200}
seed=${SEED:-7}
timeout=${TIMEOUT:-600}
ctld_port=${SLURMCTLD_PORT:-16817}
slurmd_port=${SLURMD_PORT:-16818}
export PATH=$PATH:/usr/sbin:/sbin

t0=$SECONDS
say() { printf '[test-local %4ds] %s\n' "$((SECONDS - t0))" "$*"; }
die() {
    say "error: $*" >&2
    exit 1
}

[[ $(id -u) -eq 0 ]] || die "run this as root: it installs packages and starts daemons"
command -v apt-get >/dev/null || die "this needs a Debian-like system with apt-get"
cd "$repo"
[[ -f $scenario ]] || die "no scenario $scenario"
command -v cargo >/dev/null || die "cargo is not on PATH"
[[ $work == /* && $work != / ]] || die "NETSTATES_SLURM_WORK must be an absolute path other than /"

# --- daemons: started here, recorded in $work/pids, stopped on exit ------------------------
pids=$work/pids
made_policy= # set while a policy-rc.d of ours keeps apt from starting daemons

# Stops the process recorded in $pids/NAME.pid if it is still that program.
stop_recorded() {
    local name=$1 file=$pids/$1.pid pid i
    [[ -f $file ]] || return 0
    pid=$(<"$file")
    rm -f "$file"
    [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || return 0
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]] || return 0
    say "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        [[ -d /proc/$pid ]] || return 0
        sleep 0.1
    done
    say "$name (pid $pid) did not stop in 10 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    if [[ -f $pids/slurmctld.pid ]] && [[ -n ${SLURM_CONF:-} ]]; then
        local jobs
        jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
        if [[ -n ${jobs// /} ]]; then
            say "cancelling the test's jobs still queued or running: $jobs"
            # shellcheck disable=SC2086
            scancel $jobs
            sleep 2
        fi
    fi
    stop_recorded slurmd
    stop_recorded slurmctld
    stop_recorded munged
    [[ -z $made_policy ]] || rm -f /usr/sbin/policy-rc.d
    if pgrep -x slurmstepd >/dev/null; then
        say "warning: slurmstepd processes are still running: $(pgrep -x slurmstepd | tr '\n' ' ')"
    fi
    exit "$rc"
}

# A killed earlier run may have left its daemons: stop them (only those it recorded).
mkdir -p "$pids"
for name in slurmd slurmctld munged; do
    stop_recorded "$name"
done
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- packages ---------------------------------------------------------------------------------
if command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
    command -v sbatch >/dev/null && command -v munged >/dev/null; then
    say "Slurm and munge are installed: $(slurmctld -V), munge $(dpkg-query -W -f '${Version}' munge 2>/dev/null)"
else
    say "installing Slurm and munge from the distribution's packages"
    apt-get update
    say "available: $(apt-cache policy slurmctld | awk '/Candidate/ {print "slurmctld " $2}')"
    # Keep the packages' maintainer scripts from starting the daemons themselves.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        slurmctld slurmd slurm-client munge
    if [[ -n $made_policy ]]; then
        rm -f /usr/sbin/policy-rc.d
        made_policy=
    fi
    say "installed $(slurmctld -V)"
fi

# --- munge ------------------------------------------------------------------------------------
if [[ ! -s /etc/munge/munge.key ]]; then
    say "creating the munge key /etc/munge/munge.key"
    if command -v mungekey >/dev/null; then
        mungekey --create --keyfile=/etc/munge/munge.key
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
fi
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged is already running: using it (and leaving it running)"
else
    say "starting munged"
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
    rm -f /run/munge/munged.pid
    runuser -u munge -- munged
    for ((i = 0; i < 50; i++)); do
        [[ -s /run/munge/munged.pid ]] && break
        sleep 0.1
    done
    cp /run/munge/munged.pid "$pids/munged.pid"
    munge -n | unmunge >/dev/null || die "munged does not answer; see /var/log/munge/munged.log"
    say "munged is running (pid $(<"$pids/munged.pid"))"
fi

# --- slurm.conf for this machine alone --------------------------------------------------------
say "preparing $work (config, state, logs, results)"
rm -rf "${work:?}/etc" "${work:?}/state" "${work:?}/spool" "${work:?}/log" "${work:?}/results"
mkdir -p "$work/etc" "$work/state" "$work/spool" "$work/log" "$work/results"
host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 / 2) }' /proc/meminfo) # half: safely below
export SLURM_CONF=$work/etc/slurm.conf
cat >"$SLURM_CONF" <<EOF
# Written by examples/slurm/test-local.sh: a private one-machine cluster on 127.0.0.1.
ClusterName=netstates-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/state/slurmctld.pid
SlurmdPidFile=$work/spool/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
# No cgroups: plain process tracking, no task binding, no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Keep finished jobs visible to scontrol for a while.
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
say "wrote $SLURM_CONF: node $host, $cpus CPUs, RealMemory $mem_mb MB, ports $ctld_port/$slurmd_port"

# --- slurmctld and slurmd ---------------------------------------------------------------------
say "starting slurmctld"
slurmctld -D -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
echo $! >"$pids/slurmctld.pid"
say "starting slurmd"
slurmd -D -f "$SLURM_CONF" -N "$host" >"$work/log/slurmd.out" 2>&1 &
echo $! >"$pids/slurmd.pid"

show_daemon_logs() {
    local f
    # With -D the daemons copy their log to stdout, startup errors included.
    for f in "$work"/log/*.out; do
        echo "----- $f (last 30 lines; the whole log is in ${f%.out}.log)"
        tail -n 30 "$f"
    done
}

say "waiting for the node to be idle"
state=
for ((i = 0; i < 60; i++)); do
    for name in slurmctld slurmd; do
        if ! kill -0 "$(<"$pids/$name.pid")" 2>/dev/null; then
            show_daemon_logs
            die "$name has exited: see $work/log/"
        fi
    done
    state=$(sinfo -h -N -n "$host" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 1
done
if [[ $state != idle ]]; then
    show_daemon_logs
    die "the node is '${state:-unknown}', not idle, after 60 s: see $work/log/"
fi
sinfo

# --- netstates --------------------------------------------------------------------------------
say "building netstates (cargo build --release)"
cargo build --release
bin=$repo/target/release/netstates

# --- the sharded experiment through Slurm -----------------------------------------------------
results=$work/results
say "submitting: examples/slurm/submit.sh $scenario $shards $runs $seed"
submitted=$(NETSTATES_RESULTS=$results/slurm NETSTATES_CPUS=1 NETSTATES_TIME=00:30:00 \
    NETSTATES_MERGE_TIME=00:10:00 examples/slurm/submit.sh "$scenario" "$shards" "$runs" "$seed")
echo "$submitted"
array_id=$(awk '/^array job / { print $3 }' <<<"$submitted")
merge_id=$(awk '/^merge job / { print $3 }' <<<"$submitted")
[[ -n $array_id && -n $merge_id ]] || die "submit.sh did not report its job ids"

merged=$results/slurm/merged
say "waiting for merge job $merge_id to write $merged (at most ${timeout}s)"
# Waits until the queue is empty (or $timeout seconds), printing it whenever it changes.
wait_for_queue() {
    local queue last= wait_start=$SECONDS
    while :; do
        queue=$(squeue -h -o '%i %j %T %R' 2>/dev/null | sort || true)
        if [[ $queue != "$last" ]]; then
            if [[ -n $queue ]]; then
                say "queue (job, name, state, reason or node):"
                while IFS= read -r line; do echo "    $line"; done <<<"$queue"
            else
                say "queue: empty"
            fi
            last=$queue
        fi
        [[ -n $queue ]] || break
        if ((SECONDS - wait_start > timeout)); then
            say "timed out after ${timeout}s"
            break
        fi
        sleep 1
    done
}
wait_for_queue
merge_state=$(scontrol show job "$merge_id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
say "merge job $merge_id: ${merge_state:-unknown}"
echo "----- $results/slurm/logs/merge.out"
cat "$results/slurm/logs/merge.out" 2>/dev/null || echo "(none)"

fail() {
    for f in "$results"/slurm/logs/*.out; do
        echo "----- $f"
        cat "$f"
    done
    show_daemon_logs
    echo "FAIL: $*"
    exit 1
}
[[ $merge_state == COMPLETED ]] || fail "the merge job did not complete (state ${merge_state:-unknown})"
[[ -f $merged/manifest.json ]] || fail "no $merged/manifest.json"

# --- the same experiment in one process -------------------------------------------------------
say "running the same experiment in one process: netstates run $scenario --runs $runs --seed $seed"
"$bin" run "$scenario" --runs "$runs" --seed "$seed" --out "$results/single" --quiet | tail -n 1

say "comparing $merged with $results/single"
ok=1
for f in runs.csv summary.json; do
    if cmp "$merged/$f" "$results/single/$f"; then
        say "  $f: identical ($(wc -c <"$merged/$f") bytes)"
    else
        ok=
    fi
done
for d in "$results"/slurm/shard-*; do echo "    shard: $d ($(wc -l <"$d/runs.csv") lines in runs.csv)"; done
if [[ -z $ok ]]; then
    fail "the merged Slurm results differ from the single-process run"
fi
say "experiment: $shards Slurm array tasks + merge == one process"

# --- a sweep sharded by points, as examples/slurm/README.md shows it --------------------------
sweep_out=$results/slurm-sweep
sweep=(sweep "$scenario" --set "government.*.capacity=0.1..0.9:8" --runs 20 --seed "$seed"
    --set scenario.rounds=12 -q)
printf -v cmd '%q ' "$bin" "${sweep[@]}" --out "$sweep_out"
say "sweep: 4 array tasks of points, then the same command without --shard"
sweep_array=$(sbatch --parsable --chdir="$PWD" --array=0-3 --cpus-per-task=1 \
    --output="$results/slurm/logs/sweep-%a.out" \
    --wrap "$cmd --shard \$SLURM_ARRAY_TASK_ID/4 -j 1")
sweep_array=${sweep_array%%;*}
sbatch --parsable --chdir="$PWD" --dependency="afterok:$sweep_array" --kill-on-invalid-dep=yes \
    --output="$results/slurm/logs/sweep-collect.out" --wrap "$cmd" >/dev/null
wait_for_queue
[[ -f $sweep_out/sweep.csv ]] || fail "the collecting job wrote no $sweep_out/sweep.csv"
"$bin" "${sweep[@]}" --out "$results/sweep-single" >/dev/null
if cmp "$sweep_out/sweep.csv" "$results/sweep-single/sweep.csv"; then
    say "  sweep.csv: identical ($(wc -l <"$sweep_out/sweep.csv") lines)"
else
    fail "the sharded Slurm sweep differs from the single-process sweep"
fi

say "done in $((SECONDS - t0)) s; results kept in $results"
echo "PASS: $shards Slurm array tasks + merge == one process ($runs runs of $scenario, seed $seed);"
echo "      4 array tasks of sweep points + collection == one process"
