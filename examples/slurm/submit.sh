#!/usr/bin/env bash
# Submit a netstates experiment to a Slurm cluster as an array job of shards, then a merge
# job that runs once every shard has succeeded.
#
# Usage, from the repository root, after `cargo build --release`:
#
#   examples/slurm/submit.sh SCENARIO.toml SHARDS RUNS [SEED]
#
#   e.g. examples/slurm/submit.sh scenarios/baseline.toml 50 100000 7
#
# Array task K (0 <= K < SHARDS) runs shard K/SHARDS of the RUNS runs into
# RESULTS/shard-K-of-SHARDS; the merge job then writes the whole experiment to
# RESULTS/merged, whose runs.csv and summary.json equal those of one unsharded
# `netstates run SCENARIO.toml --runs RUNS --seed SEED`. Without SEED the scenario's
# [experiment] seed (else 0) is used, as by `netstates run`.
#
# Environment overrides (all optional):
#   NETSTATES_PARTITION    partition for both jobs           (default: the cluster's default)
#   NETSTATES_TIME         time limit of each shard task     (default: 01:00:00)
#   NETSTATES_CPUS         CPUs per shard task, passed on as `netstates run -j` (default: 4)
#   NETSTATES_MEM          memory per shard task, e.g. 4G    (default: the cluster's default)
#   NETSTATES_ACCOUNT      account to charge                 (default: your default account)
#   NETSTATES_MAX_PARALLEL at most this many shards at once  (default: no limit)
#   NETSTATES_MERGE_TIME   time limit of the merge job       (default: 00:30:00)
#   NETSTATES_RESULTS      results folder of this experiment (default: results/<scenario name>)
#   NETSTATES_BIN          the netstates binary              (default: target/release/netstates)
#   NETSTATES_SBATCH_ARGS  extra sbatch options for both jobs, split on spaces
#                          (e.g. "--qos=short --mail-type=END")
#
# The results folder and the binary must be on a file system that the compute nodes share
# with this machine. Slurm's own SBATCH_* variables (SBATCH_PARTITION, ...) work as well.
#
# Submitting the same experiment again is safe: shards already finished are kept as they are
# (netstates sees the same experiment and does nothing), and a shard that was interrupted
# (time limit, preemption, node failure) continues where it stopped. The merge refuses to
# overwrite an existing RESULTS/merged, so this script stops early when there is one.
set -euo pipefail

die() {
    echo "submit.sh: $*" >&2
    exit 2
}

usage() {
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -eq 3 || $# -eq 4 ]] || usage
scenario=$1
shards=$2
runs=$3
seed=${4:-}

command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm login node"
[[ -f $scenario ]] || die "no scenario file $scenario"
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "SHARDS must be a positive integer, got '$shards'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$runs'"
[[ -z $seed || $seed =~ ^[0-9]+$ ]] || die "SEED must be a non-negative integer, got '$seed'"
((shards <= runs)) || die "SHARDS ($shards) must not exceed RUNS ($runs)"

partition=${NETSTATES_PARTITION:-}
time_limit=${NETSTATES_TIME:-01:00:00}
cpus=${NETSTATES_CPUS:-4}
mem=${NETSTATES_MEM:-}
account=${NETSTATES_ACCOUNT:-}
max_parallel=${NETSTATES_MAX_PARALLEL:-}
merge_time=${NETSTATES_MERGE_TIME:-00:30:00}
read -r -a extra <<<"${NETSTATES_SBATCH_ARGS:-}"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "NETSTATES_CPUS must be a positive integer, got '$cpus'"

# The binary, as an absolute path: the jobs may start in another directory.
bin=$(realpath -m "${NETSTATES_BIN:-target/release/netstates}")
[[ -x $bin ]] || die "no netstates binary at $bin: run 'cargo build --release' first, or set NETSTATES_BIN"

# The scenario's name: the first `name = "..."` after the [scenario] header, else the file
# name. (An extending scenario names itself in its own [scenario] table.)
name=$(awk '
    /^[[:space:]]*\[/ { in_scenario = ($0 ~ /^[[:space:]]*\[scenario\][[:space:]]*(#.*)?$/) }
    in_scenario && /^[[:space:]]*name[[:space:]]*=/ {
        if (match($0, /"[^"]*"/)) { print substr($0, RSTART + 1, RLENGTH - 2); exit }
    }' "$scenario")
[[ -n $name ]] || name=$(basename "$scenario" .toml)

# Check the scenario here rather than in the shards: a typo fails now, not in every task.
"$bin" check "$scenario" >/dev/null || die "$scenario does not pass 'netstates check'"

results=$(realpath -m "${NETSTATES_RESULTS:-results/$name}")
scenario=$(realpath "$scenario")
[[ ! -e $results/merged ]] ||
    die "$results/merged already exists: remove it, or set NETSTATES_RESULTS to another folder"
mkdir -p "$results/logs"

common=(--parsable --chdir="$PWD")
[[ -n $partition ]] && common+=(--partition="$partition")
[[ -n $account ]] && common+=(--account="$account")
common+=(${extra[@]+"${extra[@]}"})

# Writes a job script: `#!/bin/bash`, the named variables with their current values (shell
# quoted), then the body read from stdin. The bodies below are quoted heredocs, so they read
# like ordinary scripts: nothing in them is expanded until the job runs. The scripts are
# kept in the logs folder to be read or submitted again by hand.
job_script() {
    local file=$1 var
    shift
    {
        echo '#!/bin/bash'
        echo 'set -euo pipefail'
        for var in "$@"; do
            printf '%s=%q\n' "$var" "${!var}"
        done
        cat
    } >"$file"
}

# --- the shards: one array task each ---------------------------------------------------------
job_script "$results/logs/shard.sbatch" bin scenario shards runs seed results <<'EOF'
# The shard is passed explicitly: SLURM_ARRAY_TASK_COUNT is only set by newer Slurm versions
# (and would be wrong for a resubmission of some of the tasks).
k=$SLURM_ARRAY_TASK_ID
out=$results/shard-$k-of-$shards
cpus=${SLURM_CPUS_PER_TASK:-1}

# A shard that was interrupted (time limit, preemption, requeue) left a manifest but no
# runs.csv: continue it. A finished one is recognised by netstates and left as it is.
resume=
if [[ -f $out/manifest.json && ! -f $out/runs.csv ]]; then
    resume=--resume
fi

echo "netstates shard $k/$shards of $runs runs on $(hostname) with $cpus CPUs${resume:+, resuming}"
"$bin" run "$scenario" --runs "$runs" ${seed:+--seed "$seed"} \
    --shard "$k/$shards" -j "$cpus" --out "$out" --quiet $resume
EOF

array=(--job-name="ns-$name" --array="0-$((shards - 1))${max_parallel:+%$max_parallel}"
    --ntasks=1 --cpus-per-task="$cpus" --time="$time_limit"
    --output="$results/logs/shard-%a-of-$shards.out")
[[ -n $mem ]] && array+=(--mem="$mem")
array_id=$(sbatch "${common[@]}" "${array[@]}" "$results/logs/shard.sbatch")
array_id=${array_id%%;*} # --parsable prints "id" or "id;cluster"
[[ $array_id =~ ^[0-9]+$ ]] || die "sbatch did not return a job id: '$array_id'"

# --- the merge: once every shard has succeeded ------------------------------------------------
job_script "$results/logs/merge.sbatch" bin shards results <<'EOF'
dirs=()
for ((k = 0; k < shards; k++)); do
    dirs+=("$results/shard-$k-of-$shards")
done
"$bin" merge "${dirs[@]}" --out "$results/merged"
EOF

# --kill-on-invalid-dep: if a shard fails, the merge job is cancelled instead of waiting
# forever (DependencyNeverSatisfied).
merge=(--job-name="ns-$name-merge" --dependency="afterok:$array_id" --kill-on-invalid-dep=yes
    --ntasks=1 --cpus-per-task=1 --time="$merge_time"
    --output="$results/logs/merge.out")
merge_id=$(sbatch "${common[@]}" "${merge[@]}" "$results/logs/merge.sbatch")
merge_id=${merge_id%%;*}
[[ $merge_id =~ ^[0-9]+$ ]] || die "sbatch did not return a job id for the merge: '$merge_id'"

echo "scenario:  $name ($scenario), $runs runs in $shards shards${seed:+, seed $seed}"
echo "shards:    array job $array_id, $cpus CPUs each -> $results/shard-K-of-$shards"
echo "merge:     job $merge_id, after every shard succeeded -> $results/merged"
echo "logs:      $results/logs/"
echo "watch:     squeue -j $array_id,$merge_id"
echo "array job $array_id"
echo "merge job $merge_id"
