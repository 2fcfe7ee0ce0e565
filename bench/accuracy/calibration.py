#!/usr/bin/python3
"""Calibration and conformal benchmark: how far Backprop's probabilities and intervals can be trusted on held-out data.

On the same 75/25 splits as run.py (seeds 0, 1, 2), Backprop trains on the training file and is scored on the test file:
for classification, accuracy, log loss and expected calibration error (ECE, 15 bins) with and without calibration
(temperature scaling on the rows held out in training), and the coverage and mean size of `predict --set`; for
regression, the coverage and width of `predict --interval`. Each variant is a set of extra train flags.
"""

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the data sets, their preparation and splits)


def cli_json(command: list) -> dict:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout)


def coverage_run(cli: list, flags: list, data_set, parts, seed: int, coverage: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        model, predictions = str(Path(tmp) / "m.safetensors"), Path(tmp) / "p.csv"
        cli_json(cli + ["train", "--data", str(parts.train), "--target", data_set.target, "--task", data_set.task,
                        "--seed", str(seed), "--save", model, "--json", *flags])
        evaluated = cli_json(cli + ["evaluate", "--model", model, "--data", str(parts.test), "--json"])
        test = run.read_frame(parts.test)
        truth = test[data_set.target]
        result = {}
        if data_set.task == run.CLASSIFICATION:
            result.update(accuracy=evaluated["accuracy"], log_loss=evaluated["log_loss"], ece=evaluated["ece"])
            if "--calibrate" not in flags:
                cli_json(cli + ["predict", "--model", model, "--data", str(parts.test), "--set", str(coverage),
                                "--out", str(predictions), "--json"])
                sets = run.pd.read_csv(predictions, dtype=str, keep_default_na=False)["set"].str.split("|")
                labels = truth.astype(str).tolist()
                result.update(covered=float(np.mean([y in s for y, s in zip(labels, sets)])),
                              size=float(np.mean([len(s) for s in sets])))
        else:
            result.update(r2=evaluated["r2"])
            if "--calibrate" not in flags:
                cli_json(cli + ["predict", "--model", model, "--data", str(parts.test), "--interval", str(coverage),
                                "--out", str(predictions), "--json"])
                p = run.pd.read_csv(predictions)
                y = truth.to_numpy(dtype=float)
                result.update(covered=float(np.mean((p["lower"] <= y) & (y <= p["upper"]))),
                              width=float(np.mean(p["upper"] - p["lower"]) / np.std(y)))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default=run.DEFAULT_CLI)
    parser.add_argument("--variant", dest="variants", action="append", type=run.Variant.parse, metavar='NAME="FLAGS"')
    parser.add_argument("--sets", type=run.parse_sets, default=run.SETS)
    parser.add_argument("--seeds", type=lambda s: tuple(int(x) for x in s.split(",")), default=run.SEEDS)
    parser.add_argument("--coverage", type=float, default=0.9)
    parser.add_argument("--data-dir", type=Path, default=run.DEFAULT_DATA)
    parser.add_argument("--out", type=Path, help="write the per-run results as JSON")
    args = parser.parse_args()
    variants = args.variants or [run.Variant("default", ())]
    cli = shlex.split(args.cli)
    rows = []
    for data_set in args.sets:
        frame = run.prepare(data_set, args.data_dir, False)
        for seed in args.seeds:
            parts = run.split(data_set, frame, seed, args.data_dir)
            for variant in variants:
                result = coverage_run(cli, list(variant.flags), data_set, parts, seed, args.coverage)
                rows.append({"set": data_set.name, "task": data_set.task, "seed": seed, "variant": variant.name, **result})
                print(json.dumps(rows[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))
    # Means over seeds, per set and variant.
    keys = ["accuracy", "log_loss", "ece", "covered", "size", "r2", "width"]
    print(f"\n{'set':14} {'variant':14} " + " ".join(f"{k:>9}" for k in keys))
    for data_set in args.sets:
        for variant in variants:
            mine = [r for r in rows if r["set"] == data_set.name and r["variant"] == variant.name]
            cells = [np.mean([r[k] for r in mine]) if all(k in r for r in mine) and mine else None for k in keys]
            print(f"{data_set.name:14} {variant.name:14} " + " ".join(f"{c:9.4f}" if c is not None else f"{'':9}" for c in cells))


if __name__ == "__main__":
    main()
