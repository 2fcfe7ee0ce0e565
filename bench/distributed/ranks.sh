#!/bin/bash
# Data-parallel training with each rank streaming its own shards, against one process on the same shards, for
# docs/distributed.md ("Each rank its own shards"): seconds per epoch in the steady state (the runs of 2 and 4 epochs, the
# difference over the 2 epochs between, so that the first pass and compilation drop out), training rows per second, peak
# resident memory per process, and the accuracy of each model on a held-out file. One run at a time.
# Usage: bash bench/distributed/ranks.sh [DATA_DIR (default /tmp/rank-data)]   (from the repository root; needs Open MPI)
set -euo pipefail
DATA=${1:-/tmp/rank-data}
REPO=$(pwd)
mkdir -p "$DATA/shards"
M="dotnet run -c Release $REPO/bench/streaming/make-data.cs --"
# 4 Parquet shards of 262,144 rows (seeds 1–4: other rows each) and a test file of 200,000 rows (seed 9).
for s in 1 2 3 4; do
  [ -f "$DATA/shards/part-$s.parquet" ] || $M --out "$DATA/shards/part-$s.parquet" --rows 262144 --seed $s > /dev/null
done
[ -f "$DATA/test.csv" ] || $M --out "$DATA/test.csv" --rows 200000 --seed 9 > /dev/null
dotnet build src/Backprop.Cli -c Release -v q -nologo > /dev/null
CLI=$(mktemp -d)
cp -r src/Backprop.Cli/bin/Release/net10.0/. "$CLI"
B="dotnet $CLI/backprop.dll"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "$DATA"
FLAGS=(train --data 'shards/*.parquet' --validation 0.1 --cross-fit false)
declare -A SECONDS_OF
run() {
  name=$1; epochs=$2; launcher=$3; shift 3
  start=$(date +%s.%N)
  # shellcheck disable=SC2086 # the launcher is words
  /usr/bin/time -f "%M" -o "$name-$epochs.rss" $launcher "${FLAGS[@]}" "$@" --epochs "$epochs" --save "$name-$epochs.safetensors" > "$name-$epochs.log" 2> "$name-$epochs.err"
  end=$(date +%s.%N)
  SECONDS_OF[$name-$epochs]=$(echo "$end - $start" | bc)
  echo "$name, $epochs epochs: ${SECONDS_OF[$name-$epochs]} s, peak RSS $(( $(tail -1 "$name-$epochs.rss") / 1024 )) MB (the largest process)"
}
report() {
  name=$1
  rows=$(grep -oE "[0-9,]+ to train" "$name-4.err" | head -1 | tr -d ', to train')
  per=$(echo "(${SECONDS_OF[$name-4]} - ${SECONDS_OF[$name-2]}) / 2" | bc -l)
  printf "%s: %.2f s an epoch, %.0f training rows/s; " "$name" "$per" "$(echo "$rows / $per" | bc -l)"
  echo "test.csv: $($B evaluate --model "$name-4.safetensors" --data test.csv | grep -E "^\s*(accuracy|log loss)" | tr -s ' ' | tr '\n' ';')"
}
for epochs in 2 4; do
  run one-2threads $epochs "$B" --stream true
  run one-1thread $epochs "$B" --threads 1 --stream true
  run ranks-2 $epochs "mpirun -np 2 --oversubscribe $B" --threads 1 --distributed mpi
done
report one-2threads
report one-1thread
report ranks-2
grep -h "^note: data-parallel" ranks-2-4.err || true
