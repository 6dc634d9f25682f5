"""Invariants of the scores (hypothesis): in range; more stake, seats, access, proposals or state
ownership never lowers a risk; a mitigation never raises residual risk; order and names do not matter;
identical input gives identical output."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE, merge
from fdiscreen.assess.mitigation import catalog
from fdiscreen.load import parse_deal
from fdiscreen.regime import make_regime
from fdiscreen.screening import screen
from test_properties import DATES

ACTIVITIES = ["machine_tools_robots", "software", "retail", "electricity_core", "semiconductor_equipment", "broadcasting"]
TECH = ["MLCC", "photoresist", "carbon fibre", "restaurant software", "permanent magnet", "quantum dot display"]
MEASURES = sorted(catalog(make_regime(DATES[-2])).keys())
DIMS = ("threat", "sensitivity", "access", "overall")

params = st.fixed_dictionaries({
    "jurisdiction": st.sampled_from(["US", "CN", "SG", "DE"]),
    "duty": st.sampled_from([True, False]),
    "state": st.floats(0, 100),
    "kind": st.sampled_from(["corporation", "state_owned_enterprise", "partnership"]),
    "military": st.booleans(),
    "activity": st.sampled_from(ACTIVITIES),
    "tech": st.lists(st.sampled_from(TECH), max_size=3, unique=True),
    "listed": st.booleans(),
    "after": st.floats(0, 100),
    "seats": st.one_of(st.none(), st.integers(0, 4)),
    "auditors": st.integers(0, 1),
    "access": st.one_of(st.none(), st.booleans()),
    "joint": st.booleans(),
    "relocate": st.booleans(),
    "proposal": st.booleans(),
    "measures": st.lists(st.sampled_from(MEASURES), max_size=3, unique=True),
    "as_of": st.sampled_from(DATES),
})


def build(p: dict[str, Any]) -> Any:
    ent = {"id": "buyer", "name": "Buyer", "kind": p["kind"], "jurisdiction": p["jurisdiction"], "state_owned_pct": p["state"],
           "information_cooperation_duty": p["duty"], "military_links": p["military"], "fefta_violation_sanctioned": False}
    if p["kind"] == "partnership":
        ent["partnership"] = {"foreign_contribution_pct": 90}
    tx = {"shares_before_pct": 0, "shares_after_pct": p["after"], "board_seats": p["seats"], "auditor_seats": p["auditors"],
          "relocate_production_abroad": p["relocate"], "risk_mitigation_measures": p["measures"], "acquired_from": "market",
          "technology_access": {"non_public_technology_information": p["access"], "joint_development": p["joint"]},
          "proposals": [{"kind": "designated_business_transfer", "proposed_by_investor": True, "investor_consents": False}] if p["proposal"] else []}
    target = {"listed": p["listed"], "businesses": [{"name": "b", "activity": p["activity"]}], "technologies": p["tech"]}
    return parse_deal(merge(BASE, {"entities": [ent], "target": target, "transaction": tx}))


def scores(p: dict[str, Any]) -> tuple[Any, Any]:
    s = screen(build(p), as_of=p["as_of"])
    return s.scores, s.mitigations.residual


SET = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SET
@given(params)
def test_scores_in_range(p: dict[str, Any]) -> None:
    for sc in scores(p):
        for d in DIMS:
            assert 0 <= getattr(sc, d) <= 100


MORE = {
    "after": lambda p, r: {"after": min(100.0, p["after"] + r.uniform(0.01, 50))},
    "seats": lambda p, r: {"seats": (p["seats"] or 0) + 1},
    "auditors": lambda p, r: {"auditors": p["auditors"] + 1},
    "access": lambda p, r: {"access": True},
    "joint": lambda p, r: {"joint": True},
    "proposal": lambda p, r: {"proposal": True},
    "relocate": lambda p, r: {"relocate": True},
    "state": lambda p, r: {"state": min(100.0, p["state"] + r.uniform(0.01, 60))},
}


@SET
@given(params, st.sampled_from(sorted(MORE)), st.integers(0, 10_000))
def test_more_involvement_never_lowers_a_risk(p: dict[str, Any], what: str, seed: int) -> None:
    q = {**p, **MORE[what](p, random.Random(seed))}
    (g0, r0), (g1, r1) = scores(p), scores(q)
    for d in DIMS:
        assert getattr(g1, d) >= getattr(g0, d), (what, d)
        assert getattr(r1, d) >= getattr(r0, d) - 1e-9, (what, d)


@SET
@given(params, st.sampled_from(MEASURES))
def test_a_mitigation_never_raises_residual_risk(p: dict[str, Any], measure: str) -> None:
    _, before = scores(p)
    _, after = scores({**p, "measures": sorted(set(p["measures"]) | {measure})})
    for d in DIMS:
        assert getattr(after, d) <= getattr(before, d) + 1e-9


@SET
@given(params, st.integers(0, 10_000))
def test_order_and_names_do_not_change_scores(p: dict[str, Any], seed: int) -> None:
    d = build(p)
    raw = d.model_dump(mode="json")
    rng = random.Random(seed)
    other = copy.deepcopy(raw)
    other["matter"] = "renamed matter"
    other["entities"][0]["name"] = "Another Name Ltd"
    other["target"]["name"] = "Renamed Target K.K."
    rng.shuffle(other["target"]["technologies"])
    rng.shuffle(other["transaction"]["risk_mitigation_measures"])
    a = screen(d, as_of=p["as_of"])
    b = screen(parse_deal(other), as_of=p["as_of"])
    assert a.scores == b.scores and a.mitigations.residual == b.mitigations.residual
    assert sorted(f.id for f in a.findings) == sorted(f.id for f in b.findings)


@SET
@given(params)
def test_identical_input_identical_output(p: dict[str, Any]) -> None:
    assert screen(build(p), as_of=p["as_of"]).to_json() == screen(build(p), as_of=p["as_of"]).to_json()


@SET
@given(params, st.integers(0, 4), st.booleans())
def test_unknown_facts_widen_the_range_never_lower_the_score(p: dict[str, Any], seats: int, access: bool) -> None:
    """A fact left unknown gives the known-facts score as the low end; answering it, either way, never
    scores below that, and the conservative end is at least the low end."""
    unknown = {**p, "seats": None, "access": None}
    g, _ = scores(unknown)
    assert g.range is None or g.range.high >= g.range.low == g.overall
    known, _ = scores({**p, "seats": seats, "access": access})
    assert known.overall >= g.overall - 1e-9
    # seats are always in the range's scope (technology access only for a designated or core business)
    one_seat, _ = scores({**p, "seats": min(seats, 1), "access": False})
    assert g.range is not None and g.overall - 1e-9 <= one_seat.overall <= g.range.high + 1e-9


@SET
@given(params)
def test_every_score_is_built_from_its_findings(p: dict[str, Any]) -> None:
    """Each component is its base plus its findings' points, within 0-100; overall is the weighted product of their shares."""
    s = screen(build(p), as_of=p["as_of"])
    sums = {d: sum(f.points.get(d, 0.0) for f in s.findings) for d in DIMS[:3]}
    for d in DIMS[:3]:
        assert abs(s.scores.component(d) - min(100.0, max(0.0, s.scores.formula["base"][d] + sums[d]))) < 0.06
    prod = 100.0
    for d in DIMS[:3]:
        prod *= (s.scores.component(d) / 100.0) ** s.scores.formula["weights"][d]
    assert abs(prod - s.scores.overall) < 0.2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(-500, 500, allow_nan=False), st.integers(-500_000, 500_000).map(lambda k: (k + 0.5) / 1000)),
                min_size=1, max_size=40))
def test_column_rounding_is_pythons_round(values: list[float]) -> None:
    """The columns round each value as Python's round does (half-way cases included), so a batch's
    points are the same floats as one deal's."""
    import numpy as np

    from fdiscreen.assess.combine import python_round

    got = python_round(np.array(values), 3)
    assert got.tolist() == [round(v, 3) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*[st.one_of(st.just(0.0), st.floats(1e-3, 100), st.integers(0, 100_000).map(lambda k: k / 1000)) for _ in range(3)]),
                min_size=1, max_size=30))
def test_overall_column_is_the_formula_row_by_row(parts: list[tuple[float, float, float]]) -> None:
    """The overall score over a column of readings is, row by row, cap x prod((c / cap) ^ w) rounded to
    one place with the math library (zero when a component is), whatever numpy's own logarithms give.
    (Components are a base plus points kept to three places: zero or at least 0.001.)"""
    import math

    import numpy as np

    from fdiscreen.assess.combine import combine

    formula = make_regime(DATES[-2]).value("score_formula")
    cap = float(formula["cap"])
    w = [float(formula["weights"][d]) for d in ("threat", "sensitivity", "access")]
    want = [0.0 if min(p) <= 0 else round(cap * math.exp(sum(wd * math.log(x / cap) for wd, x in zip(w, p))), 1) for p in parts]
    assert combine(np.array(parts, dtype=float), formula).tolist() == want
