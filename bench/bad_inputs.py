"""Run the generated bad-input corpus (tests/badinputs.py) through the CLI entry point and report
figures: runs, exits 0 / 2 / other, runs over the time bound, the slowest runs, and every failure.

    python bench/bad_inputs.py [--commands check,screen-json,screen-memo,compare] [--limit N]

The baseline measured in the same run is a good deal (a good listing plan for the listing commands)
through the same commands; the report gives each command's median time as a ratio of it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from badinputs import COMMANDS, BadInput, corpus, run_item, verdict  # noqa: E402

BOUND_SECONDS = 10.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--match", default=None, help="only items whose name contains this")
    args = ap.parse_args()
    commands = args.commands.split(",")
    start = time.perf_counter()
    items = corpus()
    if args.match:
        items = [i for i in items if args.match in i.name]
    items = items[: args.limit]
    print(f"corpus: {len(items)} bad inputs generated in {time.perf_counter() - start:.1f} s; commands: {', '.join(commands)}")
    good = BadInput("baseline", ".yaml", (ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml").read_bytes(), None)
    good_plan = BadInput("listing-baseline", ".yaml", (ROOT / "examples" / "listings" / "photoresist-maker-prime.yaml").read_bytes(), None)
    codes: Counter[str] = Counter()
    failures: list[str] = []
    slow: list[tuple[float, str]] = []
    times: dict[str, list[float]] = {c: [] for c in commands}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = {r.command: r.seconds for g in (good, good_plan) for r in run_item(g, folder, commands)}
        for item in items:
            for run in run_item(item, folder, commands):
                codes[str(run.code)] += 1
                times[run.command].append(run.seconds)
                if run.seconds > BOUND_SECONDS:
                    failures.append(f"{item.name} [{run.command}]: {run.seconds:.1f} s")
                slow.append((run.seconds, f"{item.name} [{run.command}]"))
                why = verdict(item, run, folder.name)
                if why:
                    failures.append(f"{item.name} [{run.command}]: {why}")
    total = sum(codes.values())
    print(f"runs: {total:,}; exit 0: {codes['0']:,}; exit 2: {codes['2']:,}; other: {total - codes['0'] - codes['2']:,}; "
          f"over {BOUND_SECONDS:.0f} s: {sum(1 for s, _ in slow if s > BOUND_SECONDS)}")
    for c in commands:
        if times[c]:
            print(f"  {c}: median {statistics.median(times[c]) * 1000:.1f} ms (x{statistics.median(times[c]) / base[c]:.2f} of the good deal), "
                  f"max {max(times[c]):.2f} s")
    print("slowest: " + "; ".join(f"{name} {s:.2f} s" for s, name in sorted(slow, reverse=True)[:5]))
    print(f"failures: {len(failures)}")
    for line in failures[:200]:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
