"""Listing screen (capital policy, seed 000 section 4(2)(i)) and bid comparison, through the CLI too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from fdiscreen.errors import FdiscreenError
from fdiscreen.listing import load_listing_plan, screen_listing
from test_cli import cli

LISTINGS = ROOT / "examples" / "listings"
BIDS = sorted(str(p) for p in (ROOT / "examples" / "bids").glob("*.yaml"))


def test_photoresist_listing_flags_technology_and_takeover_exposure() -> None:
    ls = screen_listing(load_listing_plan(LISTINGS / "photoresist-maker-prime.yaml"))
    ids = {f.id for f in ls.findings}
    assert {"listing.market_purchases", "listing.takeover_exposure", "listing.no_stable_blocking_stake",
            "business.dialogue_technology", "business.indispensability"} <= ids
    assert ls.target_class.fefta_class == "core"
    assert {"stable_shareholders", "disclosure_discipline"} <= {r.id for r in ls.recommendations}


def test_broadcaster_listing_cap_and_planned_measures_lower_residual() -> None:
    ls = screen_listing(load_listing_plan(LISTINGS / "regional-broadcaster-standard.yaml"))
    assert "listing.sector_cap" in {f.id for f in ls.findings}
    assert "listing.no_stable_blocking_stake" not in {f.id for f in ls.findings}
    assert ls.residual.overall < ls.scores.overall


def test_restaurant_listing_is_low_exposure() -> None:
    ls = screen_listing(load_listing_plan(LISTINGS / "restaurant-chain-growth.yaml"))
    assert ls.target_class.fefta_class == "non_designated" and ls.scores.tier == "low"


def test_listing_bad_field(tmp_path: Path) -> None:
    p = tmp_path / "plan.yaml"
    p.write_text("matter: x\ncompany: {name: A, listed: false}\nfree_float_pct: 130\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="free_float_pct"):
        load_listing_plan(p)
    res = cli("listing", str(p))
    assert res.returncode == 2 and "free_float_pct" in res.stderr


def test_listing_cli_json_and_memo(tmp_path: Path) -> None:
    res = cli("listing", str(LISTINGS / "photoresist-maker-prime.yaml"), "--json")
    data = json.loads(res.stdout)
    assert data["scores"]["tier"] and data["recommendations"]
    out = tmp_path / "listing.md"
    assert cli("listing", str(LISTINGS / "photoresist-maker-prime.yaml"), "--memo", str(out), "--lang", "ja").returncode == 0
    assert "推奨される資本政策上の措置" in out.read_text(encoding="utf-8")


def test_compare_three_bids(tmp_path: Path) -> None:
    res = cli("compare", *BIDS, "--json")
    rows = json.loads(res.stdout)
    assert len(rows) == 3
    by = {r["matter"][:5]: r for r in rows}
    assert by["Bid C"]["scores"]["overall"] < by["Bid A"]["scores"]["overall"] <= by["Bid B"]["scores"]["overall"]
    out = tmp_path / "cmp.md"
    assert cli("compare", *BIDS, "--memo", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "Bid A" in text and "Bid C" in text and "Mitigation that would move it most" in text
    assert cli("compare", BIDS[0]).returncode == 2


def test_explain_mitigate_and_watchlist_options(tmp_path: Path) -> None:
    deal = str(ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml")
    res = cli("check", deal, "--explain")
    assert "Where every point comes from" in res.stdout and "Board and auditor seats" in res.stdout
    js = json.loads(cli("screen", deal, "--json", "--mitigate", "no_board_seat").stdout)
    assert js["mitigations"]["applied"] == ["no_board_seat"]
    assert js["mitigations"]["residual"]["overall"] < js["scores"]["overall"]
    for key in ("threat", "sensitivity", "access", "overall", "tier", "predicted_outcome", "range"):
        assert key in js["scores"]
    assert {"factor", "points", "evidence", "basis", "mitigations"} <= set(js["findings"][0])
    assert cli("screen", deal, "--mitigate", "magic").returncode == 2
    wl = tmp_path / "targets.simple.csv"
    wl.write_text("id,schema,name,aliases,countries\nx1,Company,Blue Ridge Capital Partners IV LP,,us\n", encoding="utf-8")
    js = json.loads(cli("screen", deal, "--json", "--watchlist", str(wl)).stdout)
    assert js["watchlist_hits"] and js["watchlist_hits"][0]["score"] == 1.0


def test_comparison_pdf_is_reproducible_with_a_fixed_date(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        assert cli("compare", *BIDS, "--memo", str(out), "--lang", "both", "--date", "2020-01-15").returncode == 0
    assert first.read_bytes() == second.read_bytes() and first.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    assert "15 January 2020" in PdfReader(first).pages[0].extract_text()  # the memo carries the date given (localised), not today's
