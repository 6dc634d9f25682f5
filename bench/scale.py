"""The scale goals (issues 6 and 19) in one command: batch throughput against a per-row loop, Dask on a
two-worker local cluster against the local engine, a Parquet file screened end to end by the command
line (1,000,000 rows by default, local and Dask), the million-holding ownership look-through against
networkx, and ``fdiscreen check`` on an example including start-up. Each part runs in its own process
(its peak memory is its own) and prints JSON; this prints them together with every goal marked met,
missed, or not measured (a run on fewer rows than a goal names does not measure it).

    python bench/scale.py [--rows 5000] [--dask-rows 200000] [--parquet-rows 1000000] [--holdings 1000000]   (needs '.[bench]')
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
GIB_MB = 1024.0


def run(script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout[done.stdout.index("{"):]))


def check_seconds(runs: int = 5) -> float:
    """Median wall time of ``fdiscreen check`` on an example, start-up included, in fresh processes."""
    example = BENCH.parent / "examples" / "us-fund-5pct-core.yaml"
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "fdiscreen", "check", str(example)], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 3)


def _goal(verdict: str) -> bool | None:
    return None if verdict.startswith("not measured") else verdict == "met"


def goals(batch: dict[str, Any], graph: dict[str, Any], parquet: dict[str, Any], check_s: float) -> list[tuple[str, str, bool | None]]:
    """(goal, measured, met: True, False, or None when not measured) for every goal of issues 6 and 19."""
    fd = graph["fdiscreen"]
    nx_ratio = graph["ratio_networkx_over_fdiscreen"]
    local = parquet["local"]
    return [
        ("batch >= 50,000 deals/s on one core", f"{batch['engine_rows_per_s']} deals/s", batch["engine_rows_per_s"] >= 50_000),
        (">= 30x the per-row loop", f"{batch['ratio_engine_to_loop']}x", batch["ratio_engine_to_loop"] >= 30),
        ("batch peak memory < 2 GiB", f"{batch['peak_rss_mb']} MB", batch["peak_rss_mb"] < 2 * GIB_MB),
        ("1,000,000-row Parquet end to end < 60 s, peak < 4 GiB",
         f"{parquet['rows']:,} rows in {local['seconds']} s, peak {local['peak_rss_mib']} MiB", _goal(parquet["goal_end_to_end"])),
        ("Dask two workers >= 1.7x the local engine on that file", f"{parquet.get('dask_speedup_vs_local')}x on {parquet['rows']:,} rows, "
         f"identical={parquet.get('dask_identical')}", _goal(parquet.get("goal_dask", "not measured: no Dask run"))),
        ("look-through + controllers < 10 s", f"{fd['seconds']} s", fd["seconds"] < 10),
        (">= 50x faster than networkx", f"{nx_ratio}x (compute only {graph['ratio_compute_only']}x)", nx_ratio >= 50),
        ("graph peak memory < 2 GiB", f"{fd['peak_rss_mib']} MiB (load {graph['graph']['load_peak_rss_mib']} MiB)",
         fd["peak_rss_mib"] < 2 * GIB_MB and graph["graph"]["load_peak_rss_mib"] < 2 * GIB_MB),
        ("Dask two workers vs local engine on the Dask batch", f"{batch.get('dask_speedup_vs_local')}x, identical={batch.get('dask_identical')}",
         bool(batch.get("dask_identical")) and (batch.get("dask_speedup_vs_local") or 0) >= 1.7),
        ("fdiscreen check on an example < 0.5 s including start-up", f"{check_s} s (median of 5)", check_s < 0.5),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--dask-rows", type=int, default=200_000)
    ap.add_argument("--parquet-rows", type=int, default=1_000_000)
    ap.add_argument("--holdings", type=int, default=1_000_000)
    args = ap.parse_args()
    batch = run("batch.py", "--rows", str(args.rows), "--dask-rows", str(args.dask_rows))
    parquet = run("parquet.py", "--rows", str(args.parquet_rows), "--dask")
    graph = run("graph_lookthrough.py", "--holdings", str(args.holdings), "--entities", str(max(1000, args.holdings * 2 // 5)))
    check_s = check_seconds()
    print(json.dumps({"batch": batch, "parquet": parquet, "graph": graph, "check_seconds": check_s}, indent=2, default=str))
    for goal, measured, met in goals(batch, graph, parquet, check_s):
        print(f"{'not measured' if met is None else 'met   ' if met else 'MISSED'}  {goal}: {measured}")


if __name__ == "__main__":
    main()
