"""Foreign investor (外国投資家), FEFTA Art. 26(1) items 1-5, the look-through, cycles and deeming."""

from __future__ import annotations

import datetime as dt

from conftest import CLEAN, deal, run
from fdiscreen.ownership import chains_to_ultimate_owners, ultimate_owners

JP_OFFICERS = {"directors_total": 5, "directors_non_resident": 0, "representatives_total": 1, "representatives_non_resident": 0}


def jp(eid: str, owners: list[dict] | None = None, **kw: object) -> dict:
    base = dict(id=eid, name=eid.upper(), kind="corporation", jurisdiction="JP", owners_complete=True,
                officers=JP_OFFICERS, owners=owners or [], **CLEAN)
    return {**base, **kw}


def test_art_26_1_i_non_resident_individual_whatever_nationality() -> None:
    """Art. 26(1)(i): a Japanese national living abroad is a foreign investor."""
    d = deal(entities=[dict(id="buyer", name="Hanako", kind="individual", jurisdiction="SG", resident_in_japan=False, **CLEAN)])
    f = run(d).foreign_investor
    assert (f.status, f.category) == ("yes", 1)
    d2 = deal(entities=[dict(id="buyer", name="Hanako", kind="individual", jurisdiction="JP", resident_in_japan=True, **CLEAN)])
    assert run(d2).foreign_investor.status == "no"


def test_art_26_1_ii_foreign_law_entity() -> None:
    f = run(deal()).foreign_investor
    assert (f.status, f.category) == ("yes", 2)
    assert any(c.item == "foreign_investor_framework" for c in f.citations)


def test_art_26_1_ii_japanese_entity_with_principal_office_abroad() -> None:
    d = deal(entities=[jp("buyer", principal_office="HK")])
    assert run(d).foreign_investor.category == 2


def test_art_26_1_iii_fifty_percent_look_through_with_indirect_chain() -> None:
    """Art. 26(1)(iii): 30% direct foreign + 30% via a Japanese company that is itself foreign-held = 60%."""
    d = deal(entities=[
        jp("buyer", owners=[{"owner": "us", "voting_pct": 30}, {"owner": "mid", "voting_pct": 30}, {"owner": "local", "voting_pct": 40}]),
        dict(id="us", name="US Co", kind="corporation", jurisdiction="US"),
        jp("mid", owners=[{"owner": "de", "voting_pct": 55}]),
        dict(id="de", name="DE GmbH", kind="corporation", jurisdiction="DE"),
        jp("local")])
    f = run(d).foreign_investor
    assert (f.status, f.category) == ("yes", 3)
    assert f.chain[0] == "buyer"


def test_art_26_1_iii_below_fifty_is_not_foreign() -> None:
    d = deal(entities=[jp("buyer", owners=[{"owner": "us", "voting_pct": 49.9}, {"owner": "local", "voting_pct": 50.1}]),
                       dict(id="us", name="US Co", kind="corporation", jurisdiction="US"), jp("local")])
    assert run(d).foreign_investor.status == "no"


def test_cross_shareholding_cycle_terminates_and_is_correct() -> None:
    """Two Japanese companies hold each other; only foreign votes that reach 50% make either foreign."""
    d = deal(entities=[
        jp("buyer", owners=[{"owner": "b", "voting_pct": 40}, {"owner": "us", "voting_pct": 20}, {"owner": "local", "voting_pct": 40}]),
        jp("b", owners=[{"owner": "buyer", "voting_pct": 30}, {"owner": "us", "voting_pct": 60}, {"owner": "local", "voting_pct": 10}]),
        dict(id="us", name="US Co", kind="corporation", jurisdiction="US"), jp("local")])
    det = run(d)
    # b is foreign (60% US); buyer then has 40 (b) + 20 (US) = 60% foreign
    assert det.foreign_investor.status == "yes" and det.foreign_investor.category == 3
    chains = chains_to_ultimate_owners(d, "buyer")
    assert ["buyer", "b", "buyer"] in chains
    assert set(ultimate_owners(d, "buyer")) == {"us", "local"}


def test_pure_cycle_with_no_foreign_owner_is_not_foreign() -> None:
    d = deal(entities=[jp("buyer", owners=[{"owner": "b", "voting_pct": 60}, {"owner": "local", "voting_pct": 40}]),
                       jp("b", owners=[{"owner": "buyer", "voting_pct": 60}, {"owner": "local", "voting_pct": 40}]), jp("local")])
    assert run(d).foreign_investor.status == "no"


def test_unknown_holders_make_status_indeterminate_with_facts_needed() -> None:
    d = deal(entities=[jp("buyer", owners=[{"owner": "us", "voting_pct": 30}], owners_complete=None),
                       dict(id="us", name="US Co", kind="corporation", jurisdiction="US")])
    f = run(d).foreign_investor
    assert f.status == "indeterminate"
    assert any(x.path == "entities[0].owners" for x in f.facts_needed)


def test_art_26_1_iv_partnership_by_contributions_or_executing_partners() -> None:
    """Art. 26(1)(iv): >= 50% foreign contributions, or a majority of non-resident executing partners."""
    gp_foreign = dict(id="gp", name="GP", kind="corporation", jurisdiction="KY")
    lp_jp = jp("lp")
    by_contrib = deal(entities=[dict(id="buyer", name="Fund LPS", kind="partnership", jurisdiction="JP",
                                     partnership={"executing_partners": ["gpjp"], "foreign_contribution_pct": 50}, **CLEAN), jp("gpjp")])
    assert run(by_contrib).foreign_investor.category == 4
    by_gp = deal(entities=[dict(id="buyer", name="Fund LPS", kind="partnership", jurisdiction="JP",
                                partnership={"executing_partners": ["gp"], "contributions": [{"partner": "lp", "contribution_pct": 100}]}, **CLEAN),
                           gp_foreign, lp_jp])
    assert run(by_gp).foreign_investor.category == 4
    domestic = deal(entities=[dict(id="buyer", name="Fund LPS", kind="partnership", jurisdiction="JP",
                                   partnership={"executing_partners": ["gpjp"], "contributions": [{"partner": "lp", "contribution_pct": 100}]}, **CLEAN),
                              jp("gpjp"), lp_jp])
    assert run(domestic).foreign_investor.status == "no"


def test_art_26_1_v_non_resident_majority_of_directors() -> None:
    d = deal(entities=[jp("buyer", officers={"directors_total": 5, "directors_non_resident": 3})])
    assert run(d).foreign_investor.category == 5
    d2 = deal(entities=[jp("buyer", officers={"directors_total": 4, "directors_non_resident": 2, "representatives_total": 1,
                                              "representatives_non_resident": 1})])
    assert run(d2).foreign_investor.category == 5


def test_deemed_foreign_investor_nominee_existing_rule_and_2026_amendment() -> None:
    """Art. 27(14) (old Art. 26(5) before 1998): acting for a foreign investor without using its name, for
    its account or under a contract alike, is deemed today; the 2026 amendment widens the rule, it does not
    create it. (Changed: a contract arrangement was 'indeterminate' before the amendment; erratum 5.)"""
    ents = [jp("buyer"), dict(id="p", name="Principal", kind="individual", jurisdiction="SG", resident_in_japan=False)]
    account = deal(entities=ents, transaction={"nominee": {"acting_for": "p", "arrangement": "for_account"}})
    assert run(account).foreign_investor.status == "yes" and run(account).foreign_investor.deemed
    contract = deal(entities=ents, transaction={"nominee": {"acting_for": "p", "arrangement": "contract"}})
    today = run(contract).foreign_investor
    assert today.status == "yes" and today.deemed and not today.facts_needed
    assert any(c.item == "deemed_foreign_investor_nominee" and "27(14)" in c.ref for c in today.citations)
    assert run(contract, dt.date(2027, 7, 1)).foreign_investor.status == "yes"
    assert run(contract, dt.date(2027, 1, 1), amendment_effective=dt.date(2026, 12, 1)).foreign_investor.status == "yes"
    # before 1998 the same rule sat in old Art. 26(5)
    old = run(contract, dt.date(1995, 6, 1)).foreign_investor
    assert old.status == "yes" and any("26(5)" in c.ref for c in old.citations)
    # a principal that is not a foreign investor: no deeming
    resident = deal(entities=[jp("buyer"), dict(id="p", name="Principal", kind="individual", jurisdiction="JP", resident_in_japan=True)],
                    transaction={"nominee": {"acting_for": "p", "arrangement": "contract"}})
    assert run(resident).foreign_investor.status == "no"
