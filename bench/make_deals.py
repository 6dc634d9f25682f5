"""Synthetic flat deal rows for the batch benchmark: ``python bench/make_deals.py N OUT.csv``.

Seeded, so the same N gives the same file. Five bad rows are planted at fixed positions (when N is large
enough): three stakes above 100%, an unknown country code and a board-seat count in words.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ACTIVITIES = ["machine_tools_robots", "software", "retail", "electricity_core", "semiconductor_equipment", "restaurants",
              "broadcasting", "critical_minerals"]
ACQUIRER_KINDS = ["corporation", "partnership", "sovereign_wealth_fund", "financial_institution"]
JURISDICTIONS = ["US", "GB", "SG", "CN", "DE"]
STAKES_BEFORE = [0, 0, 0.5, 2, 5, 9]
STAKE_INCREASES = [0.5, 1, 2, 5, 8, 15, 40]
#: planted bad rows: 0-based position -> (column, bad value)
BAD_ROWS = {3: ("shares_after_pct", 140), 17: ("shares_after_pct", 140), 42: ("shares_after_pct", 140),
            60: ("acquirer_jurisdiction", "XX"), 61: ("board_seats", "two")}


def deal_row(i: int, rng: random.Random) -> dict[str, object]:
    """One synthetic deal (the draws are made in a fixed order, so files are reproducible)."""
    before = rng.choice(STAKES_BEFORE)
    after = before + rng.choice(STAKE_INCREASES)
    return {
        "matter": f"deal {i}", "acquirer_name": f"Investor {i % 500}", "acquirer_kind": rng.choice(ACQUIRER_KINDS),
        "acquirer_jurisdiction": rng.choice(JURISDICTIONS), "acquirer_fefta_violation": "false",
        "acquirer_intelligence_duty": rng.choice(["false", "false", "true"]), "acquirer_decisions_by_obliged": "false",
        "acquirer_decisions_in_obliging_country": "false", "acquirer_contractual_disclosure_duty": "false",
        "acquirer_accredited": rng.choice(["true", "false"]), "acquirer_regulated_fi": rng.choice(["false", "false", "true"]),
        "target_name": f"Target {i % 900}", "target_listed": rng.choice(["true", "true", "false"]),
        "target_activity": rng.choice(ACTIVITIES), "target_subsidiaries_complete": "true", "target_specified_core": "false",
        "shares_before_pct": before, "shares_after_pct": min(100, after), "acquired_from": "market",
        "board_seats": rng.choice([0, 0, 0, 1]), "nonpublic_tech_access": rng.choice(["false", "false", "true"]),
        "any_nonpublic_information": "false", "as_of": rng.choice(["2026-11-22", "2024-01-10"]),
    }


def deal_rows(n: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = [deal_row(i, rng) for i in range(n)]
    for position, (column, value) in BAD_ROWS.items():
        if position < n:
            rows[position][column] = value
    return rows


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    rows = deal_rows(n)
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
