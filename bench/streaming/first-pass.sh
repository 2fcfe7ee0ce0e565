#!/bin/bash
# Back to back on the same files: the first pass of a streamed run (read, check and sample every row; from its note) beside
# the raw readers (read-raw.cs: Sep, Parquet.Net) and pandas.read_csv. One process at a time.
# Usage: bash bench/streaming/first-pass.sh [DATA_DIR (default /tmp/stream-data)] [SIZE (default 1g)]   (from the repository root)
set -euo pipefail
DATA=${1:-/tmp/stream-data}
SIZE=${2:-1g}
here=$(cd "$(dirname "$0")" && pwd)
dotnet build src/Backprop.Cli -c Release -v q -nologo > /dev/null
dotnet build -c Release "$here/read-raw.cs" > /dev/null
CLI=$(mktemp -d)
cp -r src/Backprop.Cli/bin/Release/net10.0/. "$CLI"
first_pass() {
  dotnet "$CLI/backprop.dll" train --data "$1" --stream --epochs 0 --quiet 2>&1 >/dev/null \
    | grep -oE "^note: streamed [0-9,]+ rows .*first pass [0-9.]+ s, [0-9]+ MB/s" | sed 's/^note: /backprop first pass: /'
}
first_pass "$DATA/train-$SIZE.csv"
dotnet run -c Release --no-build "$here/read-raw.cs" -- sep "$DATA/train-$SIZE.csv"
/usr/bin/python3 "$here/pandas_read.py" "$DATA/train-$SIZE.csv"
first_pass "$DATA/train-$SIZE.parquet"
dotnet run -c Release --no-build "$here/read-raw.cs" -- parquet "$DATA/train-$SIZE.parquet"
