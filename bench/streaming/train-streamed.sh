#!/bin/bash
# Streamed against in-memory training on the files of make-data.cs, for docs/data.md ("Larger than memory"): each run's time
# and peak resident memory (GNU time), its epochs, and the accuracy of its model on test.csv. One run at a time.
# Usage: bash bench/streaming/train-streamed.sh [DATA_DIR (default /tmp/stream-data)]   (from the repository root)
set -euo pipefail
DATA=${1:-/tmp/stream-data}
dotnet build src/Backprop.Cli -c Release -v q -nologo > /dev/null
CLI=$(mktemp -d)
cp -r src/Backprop.Cli/bin/Release/net10.0/. "$CLI"
B="dotnet $CLI/backprop.dll"
cd "$DATA"
run() {
  name=$1; shift
  /usr/bin/time -f "$name: %e s elapsed, %U s user, peak RSS %M KB" $B "$@" > "$name.log" 2> "$name.err"
  tail -1 "$name.err"
  grep -E "^note: (streamed [0-9]|read )" "$name.err" || true
  grep -E "^Epoch" "$name.log" || true
  echo "$name on test.csv: $($B evaluate --model "$name.safetensors" --data test.csv | grep -E "^\s*(accuracy|log loss)" | tr -s ' ' | tr '\n' ';')"
}
run s1g train --data train-1g.csv --stream --epochs 2 --validation 0.1 --cross-fit false --save s1g.safetensors
run m1g train --data train-1g.csv --stream false --epochs 2 --validation 0.1 --cross-fit false --save m1g.safetensors
run p1g train --data train-1g.parquet --stream --epochs 2 --validation 0.1 --cross-fit false --save p1g.safetensors
run s5g train --data train-5g.csv --stream --epochs 1 --save s5g.safetensors
run p5g train --data train-5g.parquet --stream --epochs 1 --save p5g.safetensors
