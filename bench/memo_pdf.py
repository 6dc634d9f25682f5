"""Benchmark: median time and peak memory to produce one PDF memo with figures.

Baseline measured in the same run: a one-page PDF with one paragraph in the same embedded font
(what reportlab costs with no memo content). Goal: under 1 s per memo and under 150 MB peak.

    python bench/memo_pdf.py [--runs 15] [--example examples/us-fund-5pct-core-board-seat.yaml]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_memo(example: Path) -> bytes:
    from fdiscreen.load import load_deal
    from fdiscreen.render.memo import build_memo
    from fdiscreen.render.pdf import to_pdf_bytes
    from fdiscreen.screening import screen

    s = screen(load_deal(example), as_of=dt.date(2026, 11, 22))
    return to_pdf_bytes(build_memo(s, "both", dt.date(2026, 11, 22)), dt.date(2026, 11, 22))


def baseline() -> bytes:
    from fdiscreen.render.document import Document, Para, Section
    from fdiscreen.render.pdf import to_pdf_bytes

    return to_pdf_bytes(Document(title="baseline", sections=[Section(title="s").add(Para(text="一行 one line"))]))


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm: font registration and imports are paid once per process
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def peak_rss_mb(example: Path) -> float:
    """Peak resident memory of a fresh process that renders one memo (imports included)."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.argv=['x']; import runpy; "
            f"m = runpy.run_path({str(Path(__file__))!r}, run_name='bench'); m['one_memo'](__import__('pathlib').Path({str(example)!r})); "
            "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--example", type=Path, default=ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml")
    args = ap.parse_args()
    t0 = time.perf_counter()
    import fdiscreen.render.pdf  # noqa: F401
    import_s = time.perf_counter() - t0
    memo = timed(lambda: one_memo(args.example), args.runs)
    base = timed(baseline, args.runs)
    med, bmed = statistics.median(memo), statistics.median(base)
    pages = one_memo(args.example).count(b"/Type /Page\n") or one_memo(args.example).count(b"/Type /Page")
    result = {"example": args.example.name, "runs": args.runs, "memo_median_s": round(med, 4), "baseline_median_s": round(bmed, 4),
              "ratio_memo_to_baseline": round(med / bmed, 2), "goal_s": 1.0, "goal_met": med < 1.0,
              "peak_rss_mb_fresh_process": round(peak_rss_mb(args.example), 1), "goal_mb": 150, "import_s": round(import_s, 3),
              "pages": pages, "self_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
