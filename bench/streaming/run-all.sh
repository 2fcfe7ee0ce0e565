#!/usr/bin/env bash
# Runs every raw-read measurement twice, one process at a time, after waiting for the machine to be idle; the README's
# table keeps the faster of the two. Usage (from the repository root): bash bench/streaming/run-all.sh [DATA_DIR] > results.txt
set -euo pipefail
dir=${1:-/tmp/stream-data}
here=$(cd "$(dirname "$0")" && pwd)

# Waits until the CPUs were at least 90% idle over 3 seconds (another build or test run would skew the wall times).
wait_quiet() {
  for _ in $(seq 1 60); do
    read -r _ u1 n1 s1 i1 w1 _ < /proc/stat; sleep 3; read -r _ u2 n2 s2 i2 w2 _ < /proc/stat
    busy=$(( (u2 + n2 + s2) - (u1 + n1 + s1) )); idle=$(( (i2 + w2) - (i1 + w1) ))
    (( idle * 10 >= (busy + idle) * 9 )) && return 0
  done
  echo "# (machine was not idle for 3 minutes: measuring anyway)"
}

dotnet build -c Release "$here/read-raw.cs" > /dev/null   # compile once, outside the timings
run() { for _ in 1 2; do wait_quiet; "$@"; done; }
for size in 1g 5g; do
  run dotnet run -c Release --no-build "$here/read-raw.cs" -- sep "$dir/train-$size.csv"
  run dotnet run -c Release --no-build "$here/read-raw.cs" -- sep-parallel "$dir/train-$size.csv"
  run dotnet run -c Release --no-build "$here/read-raw.cs" -- parquet "$dir/train-$size.parquet"
  run /usr/bin/python3 "$here/pandas_read.py" "$dir/train-$size.csv"
done
