"""Benchmark: memo rendering time against the length of the deal's lists (issue 17: linear, not quadratic).

Builds deals in code from an example with 500 and 5,000 technologies (and, with --entities, that many
extra entities), screens each once, then times building and rendering the memo in each format. The
baseline, measured in the same run, is the example itself: the increments over it should grow like the
list, so for a linear renderer (t_5000 - t_base) / (t_500 - t_base) is about 10; a quadratic one gives
about 100.

    python bench/memo_long_lists.py [--runs 3] [--formats pdf,docx,html,md] [--entities 0] [--lang both]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATE = dt.date(2026, 11, 22)
EXAMPLE = ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml"
SIZES = (500, 5000)


def long_deal(technologies: int, entities: int = 0) -> Any:
    """The example with ``technologies`` technologies and ``entities`` extra (unrelated) entities."""
    from fdiscreen.load import parse_deal, read_mapping

    data = copy.deepcopy(read_mapping(EXAMPLE))
    data["target"]["technologies"] = [f"technology {i}: five-axis machining control, revision {i % 7}" for i in range(technologies)]
    data["entities"] += [{"id": f"lp_{i}", "name": f"Limited Partner {i} LLC", "kind": "corporation", "jurisdiction": "US"}
                         for i in range(entities)]
    return parse_deal(data)


def render(screening: Any, fmt: str, lang: str) -> int:
    from fdiscreen.render.memo import build_memo

    doc = build_memo(screening, lang, DATE)  # type: ignore[arg-type]
    if fmt == "pdf":
        from fdiscreen.render.pdf import to_pdf_bytes

        return len(to_pdf_bytes(doc, DATE))
    if fmt == "docx":
        from fdiscreen.render.docx import to_docx_bytes

        return len(to_docx_bytes(doc, DATE))
    if fmt == "html":
        from fdiscreen.render.html import to_html

        return len(to_html(doc, DATE))
    from fdiscreen.render.markdown import to_markdown

    return len(to_markdown(doc))


def best_of(fn: Any, runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="pdf,docx,html,md")
    ap.add_argument("--entities", type=int, default=0, help="extra entities in the long deals (the baseline has none)")
    ap.add_argument("--lang", default="both", choices=["en", "ja", "both"])
    args = ap.parse_args()
    from fdiscreen.screening import screen

    screenings = {0: screen(long_deal(0), as_of=DATE)}
    screenings.update({n: screen(long_deal(n, args.entities), as_of=DATE) for n in SIZES})
    result: dict[str, Any] = {"example": EXAMPLE.name, "runs": args.runs, "lang": args.lang, "entities": args.entities}
    for fmt in args.formats.split(","):
        render(screenings[0], fmt, args.lang)  # warm: fonts and imports are paid once per process
        t = {n: best_of(lambda s=s: render(s, fmt, args.lang), args.runs) for n, s in screenings.items()}
        small, large = t[SIZES[0]] - t[0], t[SIZES[1]] - t[0]
        result[fmt] = {"baseline_s": round(t[0], 3), "t_500_s": round(t[500], 3), "t_5000_s": round(t[5000], 3),
                       "ratio_5000_to_500": round(t[5000] / t[500], 2),
                       "increment_ratio": round(large / small, 1) if small > 0 else None,
                       "linear_if_about": 10}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
