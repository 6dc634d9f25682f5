"""Risk assessment: findings per MOF review consideration (seed 003), scores as sums of findings,
mitigation and residual risk."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CLEAN, deal, regime
from fdiscreen.assess import assess
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing import determine


def run(d, as_of=dt.date(2026, 11, 22), **kw):  # type: ignore[no-untyped-def]
    r = regime(as_of)
    return assess(d, determine(d, r), r, **kw)


def ids(a) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.id for f in a.findings}


def test_every_finding_has_evidence_basis_and_consideration() -> None:
    d = deal(target={"technologies": ["MLCC dielectric layers"], "defence_supplier": True},
             transaction={"board_seats": 1, "technology_access": {"non_public_technology_information": True, "joint_development": True}})
    a = run(d)
    for f in a.findings:
        assert f.evidence and f.basis and f.consideration and f.text.en and f.text.ja
        assert any(c.item == "review_considerations" for c in f.basis)
    assert {"business.dialogue_technology", "business.defence_supply", "seats.board", "technology.nonpublic_access",
            "technology.joint_development"} <= ids(a)


def test_scores_are_sums_of_findings() -> None:
    a = run(deal(transaction={"board_seats": 2, "shares_after_pct": 40}))
    sums = {d: round(sum(f.points[d] for f in a.findings), 3) for d in ("threat", "sensitivity", "access")}
    assert a.scores.raw == sums
    base = a.scores.formula["base"]
    assert a.scores.access == min(100, max(0, round(base["access"] + sums["access"], 1)))


def test_business_content_findings_seed_001_and_004() -> None:
    d = deal(target={"technologies": ["積層セラミックコンデンサ"], "critical_infrastructure": ["regional railway"],
                     "single_source_supplier": True, "government_funded_research": True,
                     "businesses": [{"name": "Permanent magnet production", "activity": "permanent_magnets"}]})
    got = ids(run(d))
    assert {"business.core_business", "business.dialogue_technology", "business.critical_material", "business.critical_infrastructure",
            "business.indispensability", "business.government_funded_research"} <= got


def test_investor_attribute_findings() -> None:
    d = deal(entities=[dict(id="buyer", name="B", kind="corporation", jurisdiction="CN", military_links=True, state_owned_pct=30,
                            past_conduct=["blocked_deal", "activist_campaign"], investment_plan="control",
                            **{**CLEAN, "information_cooperation_duty": True, "fefta_violation_sanctioned": True})])
    got = ids(run(d))
    assert {"investor.intelligence_duty", "investor.state_control", "investor.military_links", "investor.fefta_violation",
            "investor.past_conduct_blocked", "investor.past_conduct_activist", "investor.control_plan"} <= got
    # owners merely not stated widen the range; owners stated to be incomplete are a finding
    assert "investor.opaque_ownership" not in got
    undisclosed = deal(entities=[dict(id="buyer", name="B", kind="corporation", jurisdiction="CN", owners_complete=False, **CLEAN)])
    assert "investor.opaque_ownership" in ids(run(undisclosed))


def test_state_control_scales_with_state_share() -> None:
    def points(p: float) -> float:
        a = run(deal(entities=[dict(id="buyer", name="B", kind="corporation", jurisdiction="SG", state_owned_pct=p, **CLEAN)]))
        return sum(f.total for f in a.findings if f.id == "investor.state_control")
    assert points(0) == 0 < points(10) < points(30) < points(60)


def test_stake_bands_companies_act() -> None:
    """1% proposal right, 3% books, 10% dissolution, >1/3 blocking, >50% control, 2/3 special resolutions."""
    def bands(p: float) -> float:
        return next((f.points["access"] for f in run(deal(transaction={"shares_after_pct": p})).findings if f.id == "terms.stake_band"), 0.0)
    # stake_band_points: 5, 5, 10, 20, 35, 10 (factors/scoring.yaml)
    assert bands(0.5) == 0 and bands(1) == 5 and bands(3) == 10 and bands(10) == 20
    assert bands(33.33) == 20 and bands(33.34) == 40 and bands(50) == 40 and bands(50.01) == 75 and bands(66.67) == 85


def test_unknown_technology_access_widens_the_range() -> None:
    """An unknown answer scores nothing at the known facts and is read as access at the conservative end."""
    known = run(deal(transaction={"technology_access": {"non_public_technology_information": False}}))
    a = run(deal(transaction={"technology_access": {"non_public_technology_information": None}}))
    assert "technology.nonpublic_access" not in ids(a) and a.scores.overall == known.scores.overall
    assert a.scores.range is not None and a.scores.range.high > a.scores.overall
    assert "transaction.technology_access.non_public_technology_information" in a.scores.range.unknown
    assert any(m.path == "transaction.technology_access.non_public_technology_information" for m in a.scores.range.movers)


def test_proposals_findings() -> None:
    d = deal(transaction={"relocate_production_abroad": True,
                          "proposals": [{"kind": "designated_business_abolition", "proposed_by_investor": True, "investor_consents": False}]})
    assert {"proposals.transfer_abolition", "proposals.production_relocation"} <= ids(run(d))


def test_protection_checklist_lowers_access() -> None:
    base = run(deal(transaction={"technology_access": {"non_public_technology_information": True}}))
    prot = run(deal(target={"protection_checklist": {"a1_b_core_technology_reviewed": True, "b1_e_leak_control_in_supply_measures": True,
                                                     "a2_a_security_in_strategy": True}},
                    transaction={"technology_access": {"non_public_technology_information": True}}))
    assert prot.scores.access < base.scores.access
    assert len([f for f in prot.findings if f.id == "protection.checklist_yes"]) == 3


def test_unknown_checklist_question_is_rejected() -> None:
    with pytest.raises(FdiscreenError, match="target.protection_checklist.nope"):
        deal(target={"protection_checklist": {"nope": True}})


def test_mitigation_applies_and_residual_is_lower() -> None:
    d = deal(transaction={"board_seats": 1, "shares_after_pct": 20, "technology_access": {"non_public_technology_information": True}})
    gross = run(d)
    mitigated = run(d, extra_measures=["no_board_seat", "no_technology_access"])
    assert mitigated.mitigations.residual.overall < gross.scores.overall
    assert mitigated.scores == gross.scores  # gross is unchanged; the residual shows the effect
    assert mitigated.mitigations.notification_duty is not None and "2026 amendment" in mitigated.mitigations.notification_duty.en
    seat = next(f for f in gross.findings if f.id == "seats.board")
    assert "no_board_seat" in seat.mitigations


def test_mitigation_in_deal_file_and_unknown_measure() -> None:
    a = run(deal(transaction={"board_seats": 1, "risk_mitigation_measures": ["no_board_seat"]}))
    assert a.mitigations.applied == ["no_board_seat"]
    with pytest.raises(FdiscreenError, match="unknown measure"):
        run(deal(), extra_measures=["magic"])
    with pytest.raises(FdiscreenError, match="risk_mitigation_measures"):
        deal(transaction={"risk_mitigation_measures": ["magic"]})


def test_suggestions_rank_measures_by_effect() -> None:
    a = run(deal(transaction={"board_seats": 2, "technology_access": {"non_public_technology_information": True}}))
    assert a.mitigations.suggestions
    reductions = [s.reduction for s in a.mitigations.suggestions]
    assert reductions == sorted(reductions, reverse=True) and reductions[0] > 0


def test_shareholder_restraint_is_not_suggested_to_a_majority_buyer() -> None:
    """A majority holder appoints the board (Companies Act Arts. 329, 341): pledging no seat is not put forward."""
    minority = run(deal(transaction={"shares_after_pct": 20, "board_seats": 2}))
    majority = run(deal(transaction={"shares_after_pct": 60, "board_seats": 2}))
    assert "no_board_seat" in [s.measure for s in minority.mitigations.suggestions]
    assert not {"no_board_seat", "voting_limits", "standstill_cap"} & {s.measure for s in majority.mitigations.suggestions}
    assert majority.mitigations.suggestions  # other measures (firewall, prior notice...) still are
    applied = run(deal(transaction={"shares_after_pct": 60, "board_seats": 2}), extra_measures=["no_board_seat"])
    assert applied.mitigations.residual.overall < majority.mitigations.residual.overall  # still applicable on request


def test_tiers_and_predicted_outcome_from_factors() -> None:
    low = run(deal(target={"businesses": [{"name": "Shops", "activity": "retail"}]}, transaction={"shares_after_pct": 1}))
    assert low.scores.tier == "low" and low.scores.predicted_outcome == "clear"
    high = run(deal(entities=[dict(id="buyer", name="B", kind="state_owned_enterprise", jurisdiction="CN",
                                   **{**CLEAN, "information_cooperation_duty": True})],
                    transaction={"shares_after_pct": 60, "board_seats": 3, "technology_access": {"non_public_technology_information": True}}))
    assert high.scores.tier in ("high", "severe") and high.scores.predicted_outcome == "at_risk"


def test_suggestions_are_the_same_whatever_number_of_measures_is_tried_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suggested measures are tried together in blocks bounded by STACKED_ROWS (a memory bound): one
    measure at a time gives the same suggestions and scores as all at once."""
    import fdiscreen.assess as assessment
    from conftest import ROOT
    from fdiscreen import batch as b
    from fdiscreen.load import parse_deal
    from fdiscreen.screening import screen_each

    deals = [parse_deal(b.row_to_deal(row, n)) for n, row in b._records(b.read_table(ROOT / "examples" / "batch" / "deals.csv"))
             if n not in (4, 18, 43)]
    together = [s.model_dump_json() for s in screen_each(deals)]  # type: ignore[union-attr]
    monkeypatch.setattr(assessment, "STACKED_ROWS", 1)
    assert [s.model_dump_json() for s in screen_each(deals)] == together  # type: ignore[union-attr]
    assert any(s.mitigations.suggestions for s in screen_each(deals[:5]))  # type: ignore[union-attr]


def test_setting_facts_at_once_equals_setting_them_one_by_one() -> None:
    """with_facts copies each object on the paths once; the deal is the one with_fact gives fact by fact
    (a later fact at a path wins; a fact at a field replaces what earlier facts set below it)."""
    from functools import reduce

    from fdiscreen.assess.ranges import with_fact, with_facts

    d = deal()
    facts = [("transaction.board_seats", 2), ("target.defence_supplier", True), ("entities[0].military_links", True),
             ("transaction.technology_access.joint_development", True), ("transaction.board_seats", 3),
             ("transaction.technology_access.personnel_exchange", True), ("entities[0].state_owned_pct", 40.0)]
    for n in range(len(facts) + 1):
        expected = reduce(lambda x, f: with_fact(x, *f), facts[:n], d)
        assert with_facts(d, facts[:n]).model_dump() == expected.model_dump()
    replaced = d.transaction.technology_access.model_copy(update={"joint_development": False})
    both = [("transaction.technology_access.personnel_exchange", True), ("transaction.technology_access", replaced),
            ("transaction.technology_access.joint_development", True)]
    got = with_facts(d, both).transaction.technology_access
    assert got.joint_development is True and got.personnel_exchange == replaced.personnel_exchange
    assert with_facts(d, []).model_dump() == d.model_dump() and d.transaction.board_seats != 3
