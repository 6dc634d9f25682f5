"""Benchmark: batch throughput against a per-row loop over the same deals (baseline measured in the
same run), peak memory, and Dask on a two-worker local cluster against the local engine.

    python bench/batch.py [--rows 5000] [--dask-rows 200000]

Goals (issue 6): >= 50,000 deals/s on one core and >= 10x the per-row loop; peak memory < 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make(rows: int, path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_deals.py"), str(rows), str(path)], check=True)


def main() -> None:
    import pandas as pd

    from fdiscreen import batch as b
    from fdiscreen.load import parse_deal
    from fdiscreen.screening import screen

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--dask-rows", type=int, default=200_000)
    args = ap.parse_args()
    tmp = Path("/tmp/fdiscreen-bench")
    tmp.mkdir(exist_ok=True)
    src = tmp / f"deals-{args.rows}.csv"
    make(args.rows, src)
    frame = b.read_table(src)
    b.screen_frame(frame.head(50))  # warm imports and caches for both

    t = time.perf_counter()
    loop_ok = 0
    for number, row in b._records(frame):
        try:
            screen(parse_deal(b.row_to_deal(row, number)))
            loop_ok += 1
        except Exception:  # noqa: BLE001 - the baseline just skips bad rows
            pass
    loop_s = time.perf_counter() - t

    t = time.perf_counter()
    results, errors = b.screen_frame(frame)
    engine_s = time.perf_counter() - t

    out = {"rows": len(frame), "bad_rows": len(errors), "engine_s": round(engine_s, 3), "engine_rows_per_s": round(len(frame) / engine_s, 1),
           "per_row_loop_s": round(loop_s, 3), "per_row_loop_rows_per_s": round(len(frame) / loop_s, 1),
           "ratio_engine_to_loop": round(loop_s / engine_s, 2), "goal_rows_per_s": 50000, "goal_ratio": 10,
           "goal_met": len(frame) / engine_s >= 50000 and loop_s / engine_s >= 10,
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if args.dask_rows:
        dsrc = tmp / f"deals-{args.dask_rows}.csv"
        make(args.dask_rows, dsrc)
        dframe = b.read_table(dsrc)
        t = time.perf_counter()
        local, _ = b.screen_frame(dframe)
        local_s = time.perf_counter() - t
        t = time.perf_counter()
        distributed, _ = b.screen_frame_dask(dframe, workers=2, partitions=8)
        dask_s = time.perf_counter() - t
        out.update({"dask_rows": len(dframe), "dask_local_engine_s": round(local_s, 2), "dask_two_workers_s": round(dask_s, 2),
                    "dask_speedup_vs_local": round(local_s / dask_s, 2),
                    "dask_identical": bool(local.reset_index(drop=True).equals(distributed.reset_index(drop=True)))})
    print(json.dumps(out, indent=2))
    del pd


if __name__ == "__main__":
    main()
