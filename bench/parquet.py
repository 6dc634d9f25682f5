"""Benchmark: a Parquet file of N synthetic deals screened end to end by the command line (read, screen,
write results and bad rows), as a user runs it, on the local engine and on Dask with two local workers;
wall time, rows per second and peak memory (the largest peak of one process: the batch, or one Dask
worker), and the Dask ratio against the local run in the same call.

    python bench/parquet.py [--rows 1000000] [--dask]

The goal of issue 19 is 1,000,000 rows in under 60 s with peak memory under 4 GiB, and Dask on two
workers at least 1.7x the local engine on that file. A run on fewer rows reports its own figures and says
that the goal was not measured.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GOAL_ROWS = 1_000_000
GOAL_SECONDS = 60.0
GOAL_PEAK_MIB = 4 * 1024.0
GOAL_DASK_RATIO = 1.7
#: runs a command, then prints the largest peak resident memory (MiB) of it or any process it started
PEAK = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, file=sys.stderr); sys.exit(rc)")


def make_parquet(rows: int, folder: Path) -> Path:
    """The synthetic deals of bench/make_deals.py (seeded; five planted bad rows) as a Parquet file."""
    csv_path, out = folder / f"deals-{rows}.csv", folder / f"deals-{rows}.parquet"
    if not out.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_deals.py"), str(rows), str(csv_path)], check=True)
        pd.read_csv(csv_path, dtype=str, keep_default_na=False).to_parquet(out, index=False)
    return out


def run_batch(src: Path, out: Path, engine: str) -> dict[str, Any]:
    """``fdiscreen batch SRC --out OUT --engine ENGINE`` in a fresh process: its wall time and peak memory."""
    cmd = [sys.executable, "-c", PEAK, sys.executable, "-m", "fdiscreen", "batch", str(src), "--out", str(out), "--engine", engine]
    if engine == "dask":
        cmd += ["--workers", "2"]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"fdiscreen batch failed ({done.returncode}): {done.stderr[-2000:]}")
    peak = float(done.stderr.strip().splitlines()[-1])
    results = pd.read_parquet(out)
    errors = pd.read_csv(out.with_name(out.name.removesuffix(".parquet") + ".errors.csv"))
    return {"seconds": round(seconds, 2), "rows_per_s": round((len(results) + len(errors)) / seconds, 1),
            "peak_rss_mib": round(peak, 1), "screened": len(results), "bad": len(errors)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=GOAL_ROWS)
    ap.add_argument("--dask", action="store_true", help="also run the Dask engine on two local workers")
    args = ap.parse_args()
    folder = Path("/tmp/fdiscreen-bench")
    folder.mkdir(exist_ok=True)
    src = make_parquet(args.rows, folder)
    local = run_batch(src, folder / "out-local.parquet", "local")
    report: dict[str, Any] = {"rows": args.rows, "local": local}
    at_goal = args.rows >= GOAL_ROWS
    report["goal_end_to_end"] = (("met" if local["seconds"] < GOAL_SECONDS and local["peak_rss_mib"] < GOAL_PEAK_MIB else "missed")
                                 if at_goal else f"not measured: {args.rows:,} rows, not {GOAL_ROWS:,}")
    if args.dask:
        dask = run_batch(src, folder / "out-dask.parquet", "dask")
        ratio = round(local["seconds"] / dask["seconds"], 2)
        same = pd.read_parquet(folder / "out-local.parquet").equals(pd.read_parquet(folder / "out-dask.parquet"))
        report.update({"dask": dask, "dask_speedup_vs_local": ratio, "dask_identical": bool(same)})
        report["goal_dask"] = (("met" if ratio >= GOAL_DASK_RATIO and same else "missed") if at_goal
                               else f"not measured: {args.rows:,} rows, not {GOAL_ROWS:,}")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
