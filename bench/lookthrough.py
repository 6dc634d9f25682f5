"""Benchmark: the investor rules' look-through (FEFTA Art. 26(1) foreign status with Cabinet Order Art. 2(1)
attribution, foreign government twice, specified foreign investor) over a batch of deals as one table,
against the same code run deal by deal (a table of one each), in the same process on the same deals.

    python bench/lookthrough.py [--deals 20000] [--as-of 2026-12-01]

The deals are the bundled examples, bids and cases, repeated (each copy a separate deal in the table).
The answers of the two runs are compared in full. Figures: deals per second each way and the ratio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import argparse
import datetime as dt
import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from fdiscreen.filing.investor import InvestorColumns


def library() -> list:
    from fdiscreen.cases import load_cases
    from fdiscreen.load import load_deal

    files = sorted(glob.glob(str(ROOT / "examples" / "*.yaml"))) + sorted(glob.glob(str(ROOT / "examples" / "bids" / "*.yaml")))
    return [load_deal(Path(f)) for f in files] + [c.deal for c in load_cases()]


def everything(cols: "InvestorColumns") -> "InvestorColumns":
    """Run every test now (the foreign-government and specified-investor ones run on first use)."""
    cols.state, cols.specified  # noqa: B018 - computed on access
    return cols


def main() -> None:
    import numpy as np

    from fdiscreen.filing.investor import investor_columns
    from fdiscreen.lookthrough import entity_table
    from fdiscreen.regime import make_regime

    ap = argparse.ArgumentParser()
    ap.add_argument("--deals", type=int, default=20_000)
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 12, 1))
    args = ap.parse_args()
    base = library()
    deals = [base[i % len(base)] for i in range(args.deals)]
    regime = make_regime(args.as_of)
    home = regime.catalog.home_country

    t0 = time.perf_counter()
    table = entity_table(deals, home)
    t1 = time.perf_counter()
    together = everything(investor_columns(table, regime))
    t2 = time.perf_counter()

    sample = deals[: min(len(deals), 2_000)]      # the per-deal loop on a sample (it is the slow side)
    t3 = time.perf_counter()
    alone = [everything(investor_columns(entity_table([d], home), regime)) for d in sample]
    t4 = time.perf_counter()

    for d, cols in enumerate(alone):
        rows = table.per_deal(d)
        assert np.array_equal(together.foreign.status[rows], cols.foreign.status), d
        assert all(np.array_equal(a.status[rows], b.status) for a, b in zip(together.state, cols.state)), d
        if cols.specified is not None:
            assert together.specified is not None and np.array_equal(together.specified.status[rows], cols.specified.status), d
    batch_rate = len(deals) / (t2 - t0)
    loop_rate = len(sample) / (t4 - t3)
    print(f"deals {len(deals):,} ({table.n:,} entities, {len(table.owners):,} holdings) on {args.as_of}")
    print(f"  batch: table {t1 - t0:.3f} s + look-through {t2 - t1:.3f} s -> {batch_rate:,.0f} deals/s")
    print(f"  per-deal loop (tables of one, {len(sample):,} deals): {t4 - t3:.3f} s -> {loop_rate:,.0f} deals/s")
    print(f"  ratio batch / per-deal: {batch_rate / loop_rate:.1f}x; answers equal on the {len(sample):,} compared")


if __name__ == "__main__":
    main()
