"""Errata 5, 13, 16, 20 and 21 of issue 15: who is a foreign investor, and its class.

Each test names the primary text it encodes:
- 16: FEFTA Art. 26(1)(iii) ("前二号に掲げるもの") with Cabinet Order on Inward Direct Investment Art. 2(1),
  before and from Cabinet Order No. 154 of 2020 (in force 2020-05-08: Companies Act subsidiaries).
- 21: FEFTA Art. 26(1)(ii) and (iv); before 2020-05-08, Art. 26(1) as enacted by Act No. 65 of 1979.
- 13: Cabinet Order as amended by Cabinet Order No. 172 of 2025 (特定外国投資家, officer limb; MOF Finance 2025/04 p.37).
- 20: the Order's 外国金融機関 (financial institutions supervised under their home law; MOF Finance 2025/04 p.35).
- 5: FEFTA Art. 27(14) / old Art. 26(5) (名義によらない取得); see also tests/test_foreign_investor.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from conftest import CLEAN, deal, run
from fdiscreen.errors import FdiscreenError
from fdiscreen.model import Officers

JP_OFFICERS = {"directors_total": 3, "directors_non_resident": 0, "representatives_total": 1, "representatives_non_resident": 0}
BEFORE_2020 = dt.date(2019, 6, 1)


def jp(eid: str, owners: list[dict[str, Any]] | None = None, **kw: Any) -> dict[str, Any]:
    base = dict(id=eid, name=eid.upper(), kind="corporation", jurisdiction="JP", owners_complete=True,
                officers=JP_OFFICERS, owners=owners or [], **CLEAN)
    return {**base, **kw}


def foreign(eid: str, country: str = "US", **kw: Any) -> dict[str, Any]:
    return {**dict(id=eid, name=eid.upper(), kind="corporation", jurisdiction=country, **CLEAN), **kw}


def own(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"owner": o, "voting_pct": v} for o, v in pairs]


# -- erratum 16: Cabinet Order Art. 2(1), full attribution through a half-held company --------------------

def _through_intermediate(us_pct: float) -> Any:
    """buyer <- 60% mid <- us_pct US (the rest a Japanese holder)."""
    return deal(entities=[jp("buyer", own(("mid", 60), ("local", 40))),
                          jp("mid", own(("us", us_pct), ("local", 100 - us_pct))), foreign("us"), jp("local")])


def test_half_held_intermediate_passes_its_holding_in_full() -> None:
    """Cabinet Order Art. 2(1): a company held 50% or more (exactly 50% included) by item 1/2 persons passes
    all its voting rights: 60% of the buyer, not 60% x 50% = 30%."""
    f = run(_through_intermediate(50)).foreign_investor
    assert (f.status, f.category) == ("yes", 3)
    assert f.chain[:2] == ["buyer", "mid"]
    cited = {c.item: c for c in f.citations}
    assert "indirect_attribution_intermediate_pct" in cited
    assert not cited["indirect_voting_attribution"].assumption
    assert "Art. 2(1)" in cited["indirect_voting_attribution"].ref


def test_intermediate_below_half_passes_nothing() -> None:
    """Cabinet Order Art. 2(1): 49% foreign-held, the intermediate's 60% of the buyer counts for nothing."""
    assert run(_through_intermediate(49)).foreign_investor.status == "no"


def _two_levels(sub_pct: float) -> Any:
    """buyer <- 60% sub <- sub_pct parent <- 60% US: sub holds no foreign votes directly."""
    return deal(entities=[jp("buyer", own(("sub", 60), ("local", 40))),
                          jp("sub", own(("parent", sub_pct), ("local", 100 - sub_pct))),
                          jp("parent", own(("us", 60), ("local", 40))), foreign("us"), jp("local")])


def test_subsidiary_of_a_half_held_company_counts_from_2020_05_08() -> None:
    """Cabinet Order No. 154 of 2020 (in force 2020-05-08) added the Companies Act subsidiaries of such a
    company: before it the subsidiary's holding did not count, from it it counts in full."""
    d = _two_levels(60)
    assert run(d, BEFORE_2020).foreign_investor.status == "no"
    assert run(d, dt.date(2020, 5, 7)).foreign_investor.status == "no"
    on = run(d, dt.date(2020, 5, 8)).foreign_investor
    assert (on.status, on.category) == ("yes", 3)
    assert any(c.item == "indirect_attribution_subsidiary_more_than_pct" for c in on.citations)
    assert any("154 of 2020" in c.ref for c in on.citations if c.item == "indirect_voting_attribution")
    assert any("before Cabinet Order No. 154" in c.ref for c in run(d, BEFORE_2020).foreign_investor.citations
               if c.item == "indirect_voting_attribution")


def test_subsidiary_needs_more_than_half() -> None:
    """Companies Act Art. 2(iii), Regulation Art. 3(3)(i): exactly half is not a subsidiary."""
    assert run(_two_levels(50)).foreign_investor.status == "no"
    assert run(_two_levels(50.01)).foreign_investor.status == "yes"


def test_grandchild_through_the_subsidiary_chain() -> None:
    """A subsidiary of a subsidiary is a subsidiary (Regulation Art. 3(3): the subsidiaries' votes count)."""
    d = deal(entities=[jp("buyer", own(("grand", 55), ("local", 45))), jp("grand", own(("sub", 51), ("local", 49))),
                       jp("sub", own(("parent", 51), ("local", 49))), jp("parent", own(("us", 50), ("local", 50))),
                       foreign("us"), jp("local")])
    assert run(d).foreign_investor.status == "yes"
    assert run(d, BEFORE_2020).foreign_investor.status == "no"


def test_direct_holdings_count_only_for_item_1_and_2_persons() -> None:
    """FEFTA Art. 26(1)(iii) '前二号に掲げるもの': a Japanese company foreign only by its non-resident directors
    (item 5) holds 60% of the buyer; its votes are not counted."""
    d = deal(entities=[jp("buyer", own(("mid", 60), ("local", 40))),
                       jp("mid", own(("local", 100)), officers={"directors_total": 3, "directors_non_resident": 2}), jp("local")])
    det = run(d)
    assert det.foreign_investor.status == "no"


def test_proportional_is_only_a_labelled_what_if() -> None:
    """Not the law: kept as an override. US 40% + 30% through a 40%-US company: 52% proportionally, 40% in law."""
    d = deal(entities=[jp("buyer", own(("us", 40), ("mid", 30), ("local", 30))),
                       jp("mid", own(("us", 40), ("local", 60))), foreign("us"), jp("local")])
    assert run(d).foreign_investor.status == "no"
    assert run(d, overrides={"indirect_voting_attribution": "proportional"}).foreign_investor.status == "yes"
    with pytest.raises(FdiscreenError):
        run(d, overrides={"indirect_voting_attribution": "pro-rata"})


def test_unknown_holders_of_the_intermediate_are_asked() -> None:
    d = deal(entities=[jp("buyer", own(("sub", 60), ("local", 40))),
                       jp("sub", own(("parent", 40)), owners_complete=None),
                       jp("parent", own(("us", 60), ("local", 40))), foreign("us"), jp("local")])
    f = run(d).foreign_investor
    assert f.status == "indeterminate"
    assert "entities[1].owners" in {x.path for x in f.facts_needed}


def test_cross_holdings_terminate_under_the_law() -> None:
    d = deal(entities=[jp("buyer", own(("b", 60), ("local", 40))), jp("b", own(("buyer", 30), ("us", 60), ("local", 10))),
                       foreign("us"), jp("local")])
    assert run(d).foreign_investor.status == "yes"  # b is 60% US: its 60% of the buyer counts in full


# -- erratum 21: investment partnerships ------------------------------------------------------------

def partnership(eid: str, country: str, block: dict[str, Any] | None) -> dict[str, Any]:
    e: dict[str, Any] = dict(id=eid, name=f"{eid.upper()} LP", kind="partnership", jurisdiction=country, **CLEAN)
    if block is not None:
        e["partnership"] = block
    return e


def test_cayman_lp_with_a_cayman_gp_is_foreign_without_the_contribution_split() -> None:
    """Art. 26(1)(iv): a non-resident majority of the executing partners suffices alone."""
    d = deal(entities=[partnership("buyer", "KY", {"executing_partners": ["gp"]}), foreign("gp", "KY")])
    f = run(d).foreign_investor
    assert (f.status, f.category) == ("yes", 4)
    assert not f.facts_needed


def test_partnership_with_neither_limb_known_names_both_facts() -> None:
    f = run(deal(entities=[partnership("buyer", "KY", None)])).foreign_investor
    assert f.status == "indeterminate"
    paths = {x.path for x in f.facts_needed}
    assert {"entities[0].partnership.executing_partners", "entities[0].partnership.contributions"} <= paths


def test_known_resident_gps_and_unknown_contributions_ask_for_the_contributions() -> None:
    d = deal(entities=[partnership("buyer", "JP", {"executing_partners": ["gp"]}), jp("gp")])
    f = run(d).foreign_investor
    assert f.status == "indeterminate"
    assert {x.path for x in f.facts_needed} >= {"entities[0].partnership.contributions"}
    assert "entities[0].partnership.executing_partners" not in {x.path for x in f.facts_needed}


def test_exactly_half_of_the_executing_partners_is_not_a_majority() -> None:
    block = {"executing_partners": ["gp1", "gp2"], "contributions": [{"partner": "lp", "contribution_pct": 100}]}
    d = deal(entities=[partnership("buyer", "JP", block), jp("gp1"), foreign("gp2", "SG"), jp("lp")])
    assert run(d).foreign_investor.status == "no"
    block3 = {**block, "executing_partners": ["gp1", "gp2", "gp3"]}
    d3 = deal(entities=[partnership("buyer", "JP", block3), jp("gp1"), foreign("gp2", "SG"), foreign("gp3", "SG"), jp("lp")])
    assert run(d3).foreign_investor.status == "yes"


def test_exactly_half_of_contributions_from_foreign_persons_is_enough() -> None:
    block = {"executing_partners": ["gp"], "contributions": [{"partner": "lp", "contribution_pct": 50},
                                                            {"partner": "us", "contribution_pct": 50}]}
    d = deal(entities=[partnership("buyer", "JP", block), jp("gp"), jp("lp"), foreign("us")])
    assert run(d).foreign_investor.category == 4


def test_uk_limited_partnership_in_2008_is_a_foreign_law_organisation() -> None:
    """Before 2020-05-08 (FEFTA Art. 26(1) as enacted by Act No. 65 of 1979): no partnership item, and item
    (ii) did not exclude partnerships, so a UK LP with a UK general partner is foreign under item (ii)."""
    d = deal(entities=[partnership("buyer", "GB", {"executing_partners": ["gp"]}), foreign("gp", "GB")])
    f = run(d, dt.date(2008, 3, 3)).foreign_investor
    assert (f.status, f.category) == ("yes", 2)
    assert not f.facts_needed
    assert any(c.item == "partnership_as_foreign_law_entity" and "1979" in c.ref for c in f.citations)
    bare = run(deal(entities=[partnership("buyer", "GB", None)]), dt.date(2008, 3, 3)).foreign_investor
    assert bare.status == "yes" and not bare.facts_needed


def test_japanese_partnership_before_2020_is_not_itself_a_foreign_investor() -> None:
    d = deal(entities=[partnership("buyer", "JP", {"executing_partners": ["gp"]}), foreign("gp", "KY")])
    before = run(d, BEFORE_2020).foreign_investor
    assert before.status == "no"
    assert any("2020-05-08" in r.en for r in before.reasons)
    assert run(d).foreign_investor.status == "yes"


# -- erratum 13: specified foreign investor, representative-officers limb ------------------------------

def _officer_deal(**officers: int) -> Any:
    return deal(entities=[foreign("buyer", "SG", officers=officers)])


def test_one_third_of_the_representative_officers_suffices() -> None:
    """Cabinet Order as amended by No. 172 of 2025: one third of the directors OR of the representative officers."""
    d = _officer_deal(directors_total=6, appointed_by_state_or_obliged=1, representatives_total=2,
                      representatives_appointed_by_state_or_obliged=1)
    ic = run(d).investor_class
    assert ic.investor_class == "specified_foreign_investor" and ic.status == "yes"
    cited = {c.item: c for c in ic.citations}
    assert "Cabinet Order No. 172 of 2025" in cited["specified_foreign_investor_officer_pct"].ref
    assert run(d, dt.date(2025, 5, 18)).investor_class.investor_class == "general_investor"


def test_directors_limb_at_exactly_one_third_and_below() -> None:
    assert run(_officer_deal(directors_total=3, appointed_by_state_or_obliged=1)).investor_class.investor_class == "specified_foreign_investor"
    low = _officer_deal(directors_total=4, appointed_by_state_or_obliged=1, representatives_total=4,
                        representatives_appointed_by_state_or_obliged=1)
    assert run(low).investor_class.investor_class == "general_investor"


def test_representative_count_cannot_exceed_the_total() -> None:
    with pytest.raises(ValidationError):
        Officers(representatives_total=1, representatives_appointed_by_state_or_obliged=2)


# -- erratum 20: only regulated financial institutions ----------------------------------------------

def _bank(regulated: bool | None) -> Any:
    e = foreign("buyer", "GB", kind="financial_institution")
    if regulated is not None:
        e["regulated_financial_institution"] = regulated
    return deal(entities=[e])


def test_unregulated_financial_institution_is_a_general_investor() -> None:
    det = run(_bank(False))
    assert (det.investor_class.investor_class, det.investor_class.status) == ("general_investor", "yes")
    assert det.exemption.kind == "regular"


def test_regulated_financial_institution_gets_the_general_exemption() -> None:
    det = run(_bank(True))
    assert det.investor_class.investor_class == "foreign_financial_institution"
    assert det.exemption.kind == "general"


def test_unknown_regulation_is_indeterminate_naming_the_fact() -> None:
    ic = run(_bank(None)).investor_class
    assert ic.status == "indeterminate" and ic.investor_class == "general_investor"
    fact = next(x for x in ic.facts_needed if x.path == "entities[0].regulated_financial_institution")
    assert "regular exemption only" in fact.conservative_reading.en
    assert run(_bank(None)).exemption.kind == "regular"


def test_a_corporation_with_regulation_unknown_is_not_asked() -> None:
    ic = run(deal()).investor_class
    assert ic.status == "yes" and ic.investor_class == "general_investor"
