#!/usr/bin/env bash
# Runs Backprop's `bench` workloads and the reference scripts of ../shared/bench back to back, ROUNDS times, so that every
# ratio compares numbers taken minutes apart on the same (shared, noisy) machine. Take the best of the rounds for each line.
#   bench/compare.sh [ROUNDS] [REFERENCES_DIR]      (needs /usr/bin/python3 with numpy, scikit-learn and torch)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
refs=${2:-../shared/bench}
[ -d "$refs" ] || refs=/work/shared/bench
dotnet build src/Backprop.Cli -c Release -v quiet -nologo >/dev/null
backprop() { dotnet src/Backprop.Cli/bin/Release/net10.0/backprop.dll "$@"; }
# OpenBLAS must pick its own kernel for a fair reference (see the environment notes on OPENBLAS_CORETYPE).
python() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$@"; }
for round in $(seq "$rounds"); do
  echo "== round $round  ($(date +%T), load $(cut -d' ' -f1 /proc/loadavg))"
  echo "-- gemm 1024³, 1 thread";  OPENBLAS_NUM_THREADS=1 python "$refs/numpy_gemm.py" | grep '^1024'
  backprop bench --workload gemm --threads 1 | grep 1024x
  echo "-- gemm 1024³, 2 threads"; OPENBLAS_NUM_THREADS=2 python "$refs/numpy_gemm.py" | grep '^1024'
  backprop bench --workload gemm --threads 2 | grep 1024x
  echo "-- seed";                  python "$refs/numpy_seed.py" | tail -1
  backprop bench --workload seed
  echo "-- mlp";                   OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=1 python "$refs/torch_mlp.py" 1
  python "$refs/torch_mlp.py" 2
  backprop bench --workload mlp --threads 2
done
