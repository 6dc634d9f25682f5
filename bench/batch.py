"""Benchmark: batch throughput against a per-row loop over the same deals (baseline measured in the
same run), the same rows with their explanations rendered (``batch --explain``: each row's whole
Screening as JSON), peak memory, and Dask on a two-worker local cluster against the local engine.

    python bench/batch.py [--rows 5000] [--dask-rows 200000]

The goals of issue 6 are checked in one place, ``bench/scale.py``, which runs this.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make(rows: int, path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_deals.py"), str(rows), str(path)], check=True)


def stage_split(b: Any, frame: Any) -> dict[str, float]:
    """Where a deal's time goes (mean microseconds per good row): flat row to deal mapping, validation,
    the filing determination, the risk assessment, and the Screening record; and the share of good rows
    that are distinct deals once names are set aside (what the engine's result cache can save)."""
    from fdiscreen.assess import assess
    from fdiscreen.filing import determine
    from fdiscreen.load import parse_deal
    from fdiscreen.regime import make_regime
    from fdiscreen.screening import resolve_as_of, screen

    spent = dict.fromkeys(["row_to_deal", "validate", "determine", "assess", "screening_record"], 0.0)
    good = 0
    keys = set()
    for number, row in b._records(frame):
        try:
            t0 = time.perf_counter()
            tree = b.row_to_deal(row, number)
            t1 = time.perf_counter()
            deal = parse_deal(tree)
        except Exception:  # noqa: BLE001 - bad rows are not timed
            continue
        keys.add(b._key(tree))
        t2 = time.perf_counter()
        regime = make_regime(resolve_as_of(deal, None))
        det = determine(deal, regime)
        t3 = time.perf_counter()
        assess(deal, det, regime)
        t4 = time.perf_counter()
        screen(deal)
        t5 = time.perf_counter()
        good += 1
        for key, dt_ in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, (t5 - t4) - (t4 - t2))):
            spent[key] += dt_
    return {**{k: round(v / max(1, good) * 1e6, 1) for k, v in spent.items()}, "distinct_deals_share": round(len(keys) / max(1, good), 3)}


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
    t = time.perf_counter()
    b.screen_records(b._records(frame), explain=True)
    explained_s = time.perf_counter() - t
    stages = stage_split(b, frame)

    out = {"rows": len(frame), "bad_rows": len(errors), "engine_s": round(engine_s, 3), "engine_rows_per_s": round(len(frame) / engine_s, 1),
           "per_row_loop_s": round(loop_s, 3), "per_row_loop_rows_per_s": round(len(frame) / loop_s, 1),
           "ratio_engine_to_loop": round(loop_s / engine_s, 2),
           "explained_engine_s": round(explained_s, 3), "explained_rows_per_s": round(len(frame) / explained_s, 1),
           "explanation_microseconds_per_row": round((explained_s - engine_s) / len(frame) * 1e6, 1),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
           "distinct_deals_share": stages.pop("distinct_deals_share"),
           "microseconds_per_deal_by_stage": stages}
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
