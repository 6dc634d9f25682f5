"""Issue 6's benchmarks in one command: batch throughput against a per-row loop, Dask on a two-worker
local cluster against the local engine (200,000 deals by default), and the million-holding ownership
look-through against networkx. Each part runs in its own process (its peak memory is its own) and
prints JSON; this prints them together with every goal marked met or missed.

    python bench/scale.py [--rows 5000] [--dask-rows 200000] [--holdings 1000000]   (needs '.[bench]')
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
GIB_MB = 1024.0


def run(script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout[done.stdout.index("{"):]))


def goals(batch: dict[str, Any], graph: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(goal, measured, met) for every goal of issue 6."""
    fd = graph["fdiscreen"]
    nx_ratio = graph["ratio_networkx_over_fdiscreen"]
    return [
        ("batch >= 50,000 deals/s on one core", f"{batch['engine_rows_per_s']} deals/s", batch["engine_rows_per_s"] >= 50_000),
        (">= 10x the per-row loop", f"{batch['ratio_engine_to_loop']}x", batch["ratio_engine_to_loop"] >= 10),
        ("batch peak memory < 2 GiB", f"{batch['peak_rss_mb']} MB", batch["peak_rss_mb"] < 2 * GIB_MB),
        ("look-through + controllers < 10 s", f"{fd['seconds']} s", fd["seconds"] < 10),
        (">= 5x faster than networkx", f"{nx_ratio}x (compute only {graph['ratio_compute_only']}x)", nx_ratio >= 5),
        ("graph peak memory < 2 GiB", f"{fd['peak_rss_mib']} MiB (load {graph['graph']['load_peak_rss_mib']} MiB)",
         fd["peak_rss_mib"] < 2 * GIB_MB and graph["graph"]["load_peak_rss_mib"] < 2 * GIB_MB),
        ("Dask two workers vs local engine on the Dask batch", f"{batch.get('dask_speedup_vs_local')}x, identical={batch.get('dask_identical')}",
         bool(batch.get("dask_identical"))),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--dask-rows", type=int, default=200_000)
    ap.add_argument("--holdings", type=int, default=1_000_000)
    args = ap.parse_args()
    batch = run("batch.py", "--rows", str(args.rows), "--dask-rows", str(args.dask_rows))
    graph = run("graph_lookthrough.py", "--holdings", str(args.holdings), "--entities", str(max(1000, args.holdings * 2 // 5)))
    print(json.dumps({"batch": batch, "graph": graph}, indent=2, default=str))
    for goal, measured, met in goals(batch, graph):
        print(f"{'met   ' if met else 'MISSED'}  {goal}: {measured}")


if __name__ == "__main__":
    main()
