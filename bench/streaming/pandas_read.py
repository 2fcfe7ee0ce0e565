"""Reference: pandas.read_csv of a data set from make-data.cs (C parser, default options).

Usage: /usr/bin/python3 bench/streaming/pandas_read.py PATH [CHUNKSIZE]
Without CHUNKSIZE the whole file becomes one DataFrame; with it the file is read in chunks of that many rows, each dropped
after use. Prints seconds (wall, read_csv alone), MB/s (file bytes / s, MB = 10^6 bytes), rows/s and the peak RSS
(resource.getrusage ru_maxrss, the whole process including the interpreter and pandas).
"""
import os
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
chunksize = int(sys.argv[2]) if len(sys.argv) > 2 else None
size = os.path.getsize(path)
start = time.perf_counter()
cpu_start = time.process_time()
if chunksize is None:
    frame = pd.read_csv(path)
    rows = len(frame)
    missing = int(frame["x3"].isna().sum() + frame["x7"].isna().sum())
else:
    rows = missing = 0
    for chunk in pd.read_csv(path, chunksize=chunksize):
        rows += len(chunk)
        missing += int(chunk["x3"].isna().sum() + chunk["x7"].isna().sum())
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
mode = "pandas" if chunksize is None else f"pandas-chunk{chunksize}"
print(f"{mode:<12} {os.path.basename(path):<18} {size / 1e6:8.0f} MB {rows:12,} rows  {seconds:7.2f} s ({cpu:.1f} s CPU)"
      f"  {size / 1e6 / seconds:6.0f} MB/s  {rows / seconds / 1e6:5.2f} M rows/s  peak RSS {peak / 1e6:.0f} MB  [missing {missing}, pandas {pd.__version__}]")
