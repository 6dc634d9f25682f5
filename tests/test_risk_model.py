"""The three-component risk model on the sanity deals: investor threat x target sensitivity x access
and control, combined so that a low component keeps the overall low (factors/scoring.yaml)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import numpy as np

import pytest

from conftest import ROOT
from fdiscreen.load import load_deal
from fdiscreen.screening import Screening, screen

TODAY = dt.date(2026, 12, 1)
SANITY = ROOT / "examples" / "sanity"


def run(name: str) -> Screening:
    return screen(load_deal(SANITY / name))


def test_state_linked_buyer_with_intelligence_duty_in_core_semiconductor_equipment_is_top_tier() -> None:
    s = run("state-linked-semicap-25pct-board.yaml")
    assert s.scores.tier == "severe" and s.scores.predicted_outcome == "at_risk"
    assert min(s.scores.threat, s.scores.sensitivity) >= 80


def test_public_pension_buying_two_percent_of_a_retailer_scores_lowest() -> None:
    low = run("public-pension-2pct-retailer.yaml")
    assert low.scores.tier == "low" and low.scores.predicted_outcome == "clear"
    others = [screen(load_deal(p)).scores.overall for p in sorted(SANITY.glob("*.yaml")) + sorted((ROOT / "examples" / "bids").glob("*.yaml"))
              if p.name != "public-pension-2pct-retailer.yaml"]
    assert low.scores.overall < min(others)


@pytest.mark.parametrize("name", ["public-pension-3pct-defence.yaml", "state-linked-buyer-noodle-chain.yaml"])
def test_a_low_component_keeps_the_overall_low(name: str) -> None:
    """A pension fund in a defence maker (little threat, little access) or a state-linked buyer of a
    noodle chain (nothing sensitive) is not at risk, though one or two components are high."""
    s = run(name)
    assert max(s.scores.threat, s.scores.sensitivity, s.scores.access) >= 85
    assert s.scores.predicted_outcome != "at_risk"


def test_one_low_component_caps_the_overall_below_the_high_tier() -> None:
    """The weights are set so that a component at 20 keeps the overall below 45 with the others at 100."""
    from fdiscreen.assess.combine import combine
    from fdiscreen.regime import make_regime

    formula = make_regime(TODAY).value("score_formula")
    overall = combine(np.array([[20.0, 100.0, 100.0], [100.0, 100.0, 100.0]]), formula)
    assert overall[0] < 45
    assert overall[1] == 100


def test_bids_rank_by_threat_then_access() -> None:
    bids = {p.stem: screen(load_deal(p)).scores for p in (ROOT / "examples" / "bids").glob("*.yaml")}
    a, b, c = bids["bid-a-pe-take-private"], bids["bid-b-strategic-intel-duty"], bids["bid-c-european-minority"]
    assert b.overall > a.overall > c.overall
    assert b.predicted_outcome == "at_risk" and c.predicted_outcome == "clear"


def test_range_names_the_facts_that_move_it(tmp_path: Path) -> None:
    """Seats left unknown: the known-facts score, a higher conservative end, and the seat question among the movers."""
    text = (SANITY / "state-linked-semicap-25pct-board.yaml").read_text(encoding="utf-8").replace("  board_seats: 1\n", "  board_seats: null\n")
    f = tmp_path / "deal.yaml"
    f.write_text(text, encoding="utf-8")
    s = screen(load_deal(f))
    rg = s.scores.range
    assert rg is not None and rg.low == s.scores.overall < rg.high
    assert rg.movers and rg.movers[0].path == "transaction.board_seats" and "board seats" in rg.movers[0].question.en


def _unknown_seats(tmp_path: Path) -> Path:
    text = (SANITY / "state-linked-semicap-25pct-board.yaml").read_text(encoding="utf-8").replace("  board_seats: 1\n", "  board_seats: null\n")
    f = tmp_path / "unknown-seats.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_range_is_on_every_output(tmp_path: Path) -> None:
    """JSON, the memo, the terminal layout and the web page all show the range where facts are unknown."""
    import json

    from fastapi.testclient import TestClient

    from fdiscreen.render.markdown import to_markdown
    from fdiscreen.render.memo import build_memo
    from fdiscreen.web.app import create_app

    f = _unknown_seats(tmp_path)
    s = screen(load_deal(f))
    rg = s.scores.range
    assert rg is not None
    js = json.loads(s.to_json())
    assert js["scores"]["range"]["high"] == rg.high and js["scores"]["range"]["movers"][0]["path"] == "transaction.board_seats"
    md = to_markdown(build_memo(s, "both"))
    assert f"{rg.low:g}-{rg.high:g}" in md.replace("\\", "") and "Range where facts are unknown" in md and "不明な事実による幅" in md
    with TestClient(create_app(), base_url="http://127.0.0.1:8765") as client, f.open("rb") as fh:
        page = client.post("/upload", files={"deal_file": (f.name, fh, "application/yaml")})
    assert page.status_code == 200 and 'id="score-range"' in page.text and f"{rg.low:g}-{rg.high:g}" in page.text
    assert 'id="score-formula"' in page.text and "Investor threat" in page.text


@pytest.mark.parametrize("name", ["state-linked-semicap-25pct-board.yaml", "public-pension-3pct-defence.yaml"])
def test_re_running_only_the_rules_that_read_a_fact_equals_re_running_all(name: str) -> None:
    """The range re-runs only the rules FACT_READERS names for a changed fact; for every fact the
    range reads, that gives the same findings (what they are scored from: rule, points, risk keys, and
    their sentences) as running every rule on the changed deal."""
    from fdiscreen.assess.finding import FindingTable
    from fdiscreen.assess.ranges import readers, resolve_path, with_fact
    from fdiscreen.assess.rules import findings_by_rule, flat, merged
    from fdiscreen.filing import determine
    from fdiscreen.regime import make_regime

    deal = load_deal(SANITY / name)
    regime = make_regime(TODAY)
    det = determine(deal, regime)

    def table(d: object) -> FindingTable:
        return FindingTable.of_deals([d], [det], [regime], [[]], [True], [True])  # type: ignore[list-item]
    base = findings_by_rule(table(deal))[0]
    for key, row in regime.value("range_unknowns").items():
        path = resolve_path(deal, key)
        changed = with_fact(deal, path, row["conservative"])
        full = flat(findings_by_rule(table(changed))[0])
        redone = findings_by_rule(table(changed), [readers(path)])[0]

        def scored(found: list) -> list:  # type: ignore[type-arg]
            return [(f.id, f.points, f.risk_keys, f.text) for f in found]
        assert scored(merged(base, redone)) == scored(full), path


def _with_scales(change: dict[str, dict[str, object]]) -> dict[str, object]:
    from fdiscreen.regime import make_regime

    scales = copy.deepcopy(make_regime(TODAY).value("finding_scales"))
    for key, values in change.items():
        scales[key].update(values)
    return {"finding_scales": scales}


def test_partial_strength_scales_are_read_from_the_scoring_factors() -> None:
    """finding_scales (factors/scoring.yaml) sets the market-share cut points and the seat scale: bid A's
    18% global share is below the 30% cut, and its five board seats count three seats' worth."""
    bid = load_deal(ROOT / "examples" / "bids" / "bid-a-pe-take-private.yaml")

    def points(s: Screening, rule: str) -> float | None:
        return next((sum(f.points.values()) for f in s.findings if f.id == rule), None)

    base = screen(bid, as_of=TODAY)
    assert points(base, "business.indispensability") is None
    lower_cut = screen(bid, as_of=TODAY, overrides=_with_scales({"indispensability": {"partial_share_from_pct": 15}}))
    full_cut = screen(bid, as_of=TODAY, overrides=_with_scales({"indispensability": {"partial_share_from_pct": 15, "full_share_from_pct": 15}}))
    partial, full = points(lower_cut, "business.indispensability"), points(full_cut, "business.indispensability")
    assert partial is not None and full is not None and partial == pytest.approx(0.6 * full)
    one_seat_each = screen(bid, as_of=TODAY, overrides=_with_scales({"seats": {"each_further": 0.0}}))
    seats, single = points(base, "seats.board"), points(one_seat_each, "seats.board")
    assert seats is not None and single is not None and seats == pytest.approx(3 * single)


def test_readings_that_share_the_reading_of_every_unknown_equal_readings_run_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fact read alone whose rules no other unknown fact reaches takes its findings from the reading of
    every unknown (ranges.SHARE_DISJOINT_READINGS): every example deal's Screening is the one it gets when
    each fact read alone re-runs its own rules on its own copy of the deal."""
    from fdiscreen.assess import ranges

    import pandas as pd

    from fdiscreen import batch
    from fdiscreen.load import parse_deal

    deals = []
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        try:
            deals.append(load_deal(path))
        except Exception:  # noqa: BLE001 - not a deal file (a watch list, a MOF list, a sheet)
            continue
    rows = pd.read_csv(ROOT / "examples" / "batch" / "deals.csv", dtype=str, keep_default_na=False)
    for number, row in batch._records(rows):
        try:
            deals.append(parse_deal(batch.row_to_deal(row, number)))
        except Exception:  # noqa: BLE001 - the file's bad rows
            continue
    shared = [screen(d, as_of=TODAY).to_json() for d in deals]
    calls = {"n": 0}
    original = ranges.with_fact

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(ranges, "with_fact", counted)
    assert [screen(d, as_of=TODAY).to_json() for d in deals] == shared
    fewer = calls["n"]
    monkeypatch.setattr(ranges, "SHARE_DISJOINT_READINGS", False)
    alone = [screen(d, as_of=TODAY).to_json() for d in deals]
    assert calls["n"] - fewer > fewer, "most single readings share the reading of every unknown"
    assert alone == shared and len(deals) >= 60


def test_facts_read_by_the_same_rule_are_each_read_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four unknown technology-access answers are read by one rule: each one read alone re-runs that rule
    with only its own answer set (sharing the reading of every unknown would count all four)."""
    from fdiscreen.assess import ranges

    bid = load_deal(ROOT / "examples" / "bids" / "bid-c-european-minority.yaml")  # access well below its cap
    fields = ("non_public_technology_information", "any_non_public_information", "joint_development", "personnel_exchange")
    unknown = ranges.with_facts(bid, [(f"transaction.technology_access.{f}", None) for f in fields])
    shared = screen(unknown, as_of=TODAY)
    assert shared.scores.range is not None and {f"transaction.technology_access.{f}" for f in fields} <= set(shared.scores.range.unknown)
    monkeypatch.setattr(ranges, "SHARE_DISJOINT_READINGS", False)
    assert screen(unknown, as_of=TODAY).to_json() == shared.to_json()
