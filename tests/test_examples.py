"""Every bundled example: its expected determinations live in tests/law/examples.yaml; here the checks that are not law."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from fdiscreen.load import load_deal
from fdiscreen.screening import screen
from fdiscreen.testsheet import Row, load_sheet, screen_row

SHEET = ROOT / "tests" / "law" / "examples.yaml"
ROWS = load_sheet(SHEET)  # the expected determinations are in the sheet, run by tests/law/plugin.py


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_example_conclusions_are_explained(row: Row) -> None:
    """Every conclusion but a plain 'no' gives reasons, and every summary exists in English and Japanese."""
    f = screen_row(row).filing
    for c in f.conclusions():
        assert c.reasons or c.status == "no", c.id
        assert c.summary.en and c.summary.ja


def test_every_example_is_in_the_table() -> None:
    files = {p.name for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json")}
    assert files <= {Path(r.deal_file).name for r in ROWS if r.deal_file}


def test_the_deal_files_own_date_is_the_default() -> None:
    s = screen(load_deal(ROOT / "examples" / "purchase-2008-ten-pct-rule.yaml"))
    assert s.regime.as_of == dt.date(2008, 3, 3) and s.filing.outcome.code == "no_filing"


def test_assumptions_are_labelled_in_results() -> None:
    s = screen(load_deal(ROOT / "examples" / "indirect-overseas-parent.yaml"), as_of=dt.date(2027, 9, 30))
    ids = {a.id for a in s.regime.assumptions}
    assert {"amendment_2026_effective_date", "indirect_direct_holder_min_listed_pct"} <= ids
    assert all(c.assumption for c in s.filing.indirect_acquisition.citations if c.item in ids)


def test_fingerprint_is_stable_and_sensitive() -> None:
    d = load_deal(ROOT / "examples" / "us-fund-5pct-core.yaml")
    a, b = screen(d, as_of=TODAY), screen(d, as_of=TODAY)
    assert a.fingerprint == b.fingerprint and a.to_json() == b.to_json()
    assert screen(d, as_of=dt.date(2026, 1, 1)).fingerprint != a.fingerprint
    assert screen(d, as_of=TODAY, overrides={"non_designated_unlisted_report_pct": 10}).fingerprint != a.fingerprint
