"""Invariants of the determination, checked on generated deals (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE, merge
from fdiscreen.filing import determine
from fdiscreen.load import parse_deal
from fdiscreen.regime import load_catalog, make_regime

ORDER = {"no": 0, "indeterminate": 1, "yes": 2}
ACTIVITIES = sorted(a.id for a in load_catalog().activities())
DATES = [dt.date(2008, 3, 1), dt.date(2019, 9, 1), dt.date(2020, 6, 7), dt.date(2023, 6, 1), dt.date(2025, 6, 1),
         dt.date(2026, 11, 22), dt.date(2027, 7, 1)]
tri = st.sampled_from([True, False, None])

acquirers = st.fixed_dictionaries({
    "id": st.just("buyer"), "name": st.just("Buyer"),
    "kind": st.sampled_from(["corporation", "sovereign_wealth_fund", "financial_institution", "state_owned_enterprise", "individual"]),
    "jurisdiction": st.sampled_from(["US", "CN", "JP", "GB", "SG"]),
    "accredited": tri, "fefta_violation_sanctioned": tri, "information_cooperation_duty": tri,
    "decisions_by_obliged_persons": tri, "contractual_disclosure_duty": tri,
    "regulated_financial_institution": st.booleans(),
})

deals = st.fixed_dictionaries({
    "entity": acquirers,
    "listed": st.booleans(),
    "activity": st.sampled_from(ACTIVITIES),
    "sub_activity": st.none() | st.sampled_from(ACTIVITIES),
    "complete": tri,
    "sce": tri,
    "before": st.floats(0, 30),
    "delta": st.floats(0, 60),
    "related": st.floats(0, 5),
    "seats": st.integers(0, 2),
    "tech": tri,
    "committee": st.booleans(),
    "source": st.sampled_from(["resident", "foreign_investor", "market", "unknown"]),
    "as_of": st.sampled_from(DATES),
})


def build(p: dict[str, Any], **over: Any) -> Any:
    q = {**p, **over}
    target: dict[str, Any] = {"listed": q["listed"], "businesses": [{"name": "b", "activity": q["activity"]}],
                              "subsidiaries_complete": q["complete"], "specified_core_business_entity": q["sce"],
                              "subsidiaries": [{"name": "s", "businesses": [{"name": "sb", "activity": q["sub_activity"]}]}] if q["sub_activity"] else []}
    tx = {"shares_before_pct": q["before"], "shares_after_pct": min(100.0, q["before"] + q["delta"]), "closely_related_voting_pct": 0.0,
          "board_seats": q["seats"], "core_committee_attendance": q["committee"], "acquired_from": q["source"],
          "technology_access": {"non_public_technology_information": q["tech"]}, "proposals": q.get("proposals", [])}
    ent = {k: v for k, v in q["entity"].items()}
    return parse_deal(merge(BASE, {"entities": [ent], "target": target, "transaction": tx}))


def decide(p: dict[str, Any], **over: Any) -> Any:
    return determine(build(p, **over), make_regime(p["as_of"]))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(deals)
def test_every_valid_deal_yields_a_determination(p: dict[str, Any]) -> None:
    det = decide(p)
    for c in det.conclusions():
        assert c.status in ORDER
        if c.status == "indeterminate" and c.id in ("must_file", "prior_notification_required", "exemption"):
            assert c.facts_needed, c.id
    assert det.outcome.code


@SETTINGS
@given(deals, st.floats(0.01, 40))
def test_raising_the_stake_never_removes_a_required_notification(p: dict[str, Any], more: float) -> None:
    low, high = decide(p), decide(p, delta=p["delta"] + more)
    assert ORDER[high.prior_notification_required.status] >= ORDER[low.prior_notification_required.status]
    if low.must_file.status == "yes":
        assert high.must_file.status == "yes"


@SETTINGS
@given(deals, st.sampled_from(["seat", "proposal", "tech", "committee"]))
def test_more_involvement_never_opens_a_closed_exemption(p: dict[str, Any], extra: str) -> None:
    base = decide(p)
    over: dict[str, Any] = {
        "seat": {"seats": p["seats"] + 1},
        "proposal": {"proposals": [{"kind": "designated_business_transfer", "proposed_by_investor": True, "investor_consents": False}]},
        "tech": {"tech": True},
        "committee": {"committee": True},
    }[extra]
    more = decide(p, **over)
    if base.exemption.eligible == "no" and base.exemption.needed:
        assert more.exemption.eligible == "no"
    assert ORDER[more.exemption.eligible] <= ORDER[base.exemption.eligible] or not base.exemption.needed


@SETTINGS
@given(deals)
def test_identical_input_gives_identical_output(p: dict[str, Any]) -> None:
    assert decide(p).model_dump_json() == decide(p).model_dump_json()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(deals, min_size=2, max_size=8))
def test_a_batch_of_many_gives_what_each_deal_gives_alone(ps: list[dict[str, Any]]) -> None:
    """Generated deals of mixed dates screened together (each legal test's columns once per date) give
    the Screening JSON each gives screened alone: the batch of many against the batch of one."""
    from fdiscreen.screening import screen, screen_many

    batch = [build(p).model_copy(update={"as_of": p["as_of"]}) for p in ps]
    assert [s.to_json() for s in screen_many(batch)] == [screen(d).to_json() for d in batch]
