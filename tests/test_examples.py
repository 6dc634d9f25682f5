"""Every bundled example, with its expected determination (and under other dates where the law differs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import ROOT, TODAY
from fdiscreen.load import load_deal
from fdiscreen.screening import screen

# file, options, expected: outcome code, must_file, exemption eligible/kind, foreign investor status
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("us-fund-5pct-core.yaml", {}, {"outcome": "exempt_with_conditions", "must": "no", "ex": ("yes", "regular"), "fi": "yes"}),
    ("us-fund-5pct-core-board-seat.yaml", {}, {"outcome": "prior_notification", "must": "yes", "ex": ("no", "regular"), "fi": "yes",
                                            "acts": ["listed_share_acquisition", "consent_director_appointment"]}),
    ("swf-accredited-3pct.yaml", {}, {"outcome": "exempt_with_conditions", "must": "no", "ex": ("yes", "regular"), "class": "accredited_swf"}),
    ("swf-non-accredited-3pct.yaml", {}, {"outcome": "prior_notification", "must": "yes", "ex": ("no", None), "class": "foreign_government"}),
    ("intel-duty-1-5pct-designated.yaml", {}, {"outcome": "prior_notification", "must": "yes", "class": "specified_foreign_investor"}),
    ("intel-duty-1-5pct-designated.yaml", {"as_of": dt.date(2025, 1, 15)}, {"outcome": "exempt_with_conditions", "class": "general_investor"}),
    ("non-designated-12pct.yaml", {}, {"outcome": "post_investment_report", "must": "no", "prior": "no"}),
    ("unlisted-designated-20pct.yaml", {}, {"outcome": "exempt_with_conditions", "ex": ("yes", "regular"), "acts": ["unlisted_share_acquisition"]}),
    ("jp-company-lookthrough.yaml", {}, {"outcome": "exempt_with_conditions", "fi": "yes", "category": 3}),
    ("indirect-overseas-parent.yaml", {}, {"outcome": "no_filing", "prior": "no", "indirect": "no", "amend_in_force": False}),
    ("indirect-overseas-parent.yaml", {"as_of": dt.date(2027, 9, 30)}, {"outcome": "prior_notification", "indirect": "yes", "amend_in_force": True}),
    ("indirect-overseas-parent.yaml", {"amendment_effective": dt.date(2026, 10, 1)}, {"outcome": "prior_notification", "indirect": "yes"}),
    ("nominee-for-non-resident.yaml", {}, {"outcome": "indeterminate", "fi": "indeterminate"}),
    ("nominee-for-non-resident.yaml", {"as_of": dt.date(2027, 8, 1)}, {"outcome": "exempt_with_conditions", "fi": "yes"}),
    ("foreign-bank-general-exemption.json", {}, {"outcome": "exempt_with_conditions", "ex": ("yes", "general"), "class": "foreign_financial_institution"}),
    ("loan-above-thresholds.yaml", {}, {"outcome": "prior_notification", "acts": ["loan"], "ex": ("no", None)}),
    ("consent-director-appointment.yaml", {}, {"outcome": "prior_notification", "acts": ["consent_director_appointment"]}),
    ("purchase-2008-ten-pct-rule.yaml", {}, {"outcome": "no_filing", "prior": "no", "as_of": dt.date(2008, 3, 3)}),
    ("purchase-2008-ten-pct-rule.yaml", {"as_of": TODAY}, {"outcome": "exempt_with_conditions", "prior": "yes"}),
]


@pytest.mark.parametrize(("name", "opts", "want"), CASES, ids=[f"{c[0]}{c[1] or ''}" for c in CASES])
def test_example_determination(name: str, opts: dict[str, Any], want: dict[str, Any]) -> None:
    d = load_deal(ROOT / "examples" / name)
    as_of = opts.get("as_of") or (d.as_of or TODAY)
    s = screen(d, as_of=as_of, amendment_effective=opts.get("amendment_effective"))
    f = s.filing
    assert f.outcome.code == want["outcome"]
    if "must" in want:
        assert f.must_file.status == want["must"]
    if "prior" in want:
        assert f.prior_notification_required.status == want["prior"]
    if "ex" in want:
        assert (f.exemption.eligible, f.exemption.kind) == want["ex"]
    if "fi" in want:
        assert f.foreign_investor.status == want["fi"]
    if "class" in want:
        assert f.investor_class.investor_class == want["class"]
    if "category" in want:
        assert f.foreign_investor.category == want["category"]
    if "acts" in want:
        assert [a.act for a in f.acts if a.status == "yes"] == want["acts"]
    if "indirect" in want:
        assert f.indirect_acquisition.status == want["indirect"]
    if "amend_in_force" in want:
        assert f.amendment_2026.in_force is want["amend_in_force"]
    if "as_of" in want:
        assert s.regime.as_of == want["as_of"]
    for c in f.conclusions():
        assert c.reasons or c.status == "no", c.id
        assert c.summary.en and c.summary.ja


def test_every_example_is_in_the_table() -> None:
    files = {p.name for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json")}
    assert files <= {c[0] for c in CASES}


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
