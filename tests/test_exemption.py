"""The exemption scheme (事前届出免除制度), FEFTA Art. 27-2 / 28-2, with the 2025 reform."""

from __future__ import annotations

import datetime as dt

from conftest import BASE, CLEAN, deal, run

DESIGNATED = {"businesses": [{"name": "Software", "activity": "software"}]}


def test_general_investor_core_below_10pct_regular_exemption_with_additional_criteria() -> None:
    ex = run(deal()).exemption
    assert (ex.eligible, ex.kind) == ("yes", "regular")
    assert {c.group for c in ex.conditions} == {"basic", "additional"}


def test_core_at_10pct_needs_notification() -> None:
    """Notice on exemption criteria: general investors in core businesses only below 10%."""
    det = run(deal(transaction={"shares_after_pct": 10}))
    assert det.exemption.eligible == "no" and det.must_file.status == "yes"


def test_designated_non_core_no_upper_limit_basic_only() -> None:
    ex = run(deal(target=DESIGNATED, transaction={"shares_after_pct": 40})).exemption
    assert ex.eligible == "yes" and {c.group for c in ex.conditions} == {"basic"}


def test_foreign_financial_institution_general_exemption_no_upper_limit() -> None:
    d = deal(entities=[dict(id="buyer", name="Bank", kind="financial_institution", jurisdiction="CH",
                            regulated_financial_institution=True, **CLEAN)], transaction={"shares_after_pct": 25})
    ex = run(d).exemption
    assert (ex.eligible, ex.kind) == ("yes", "general")
    assert {c.group for c in ex.conditions} == {"basic"}


def test_unlisted_core_never_exempt() -> None:
    det = run(deal(target={"listed": False}, transaction={"acquired_from": "resident"}))
    assert det.exemption.eligible == "no" and det.must_file.status == "yes"
    assert any(c.item == "unlisted_core_exemption" for c in det.exemption.citations)


def test_specified_acquisition_in_core_never_exempt() -> None:
    det = run(deal(target={"listed": False}, transaction={"acquired_from": "foreign_investor"}))
    assert det.exemption.eligible == "no"


def test_basic_criteria_breaches_each_close_the_exemption() -> None:
    for tx in ({"board_seats": 1}, {"auditor_seats": 1},
               {"technology_access": {"non_public_technology_information": True}},
               {"proposals": [{"kind": "designated_business_transfer", "proposed_by_investor": True, "investor_consents": False}]},
               {"core_committee_attendance": True}, {"written_proposals_with_deadline": True}):
        assert run(deal(transaction=tx)).exemption.eligible == "no", tx


def test_unknown_technology_access_is_indeterminate() -> None:
    ex = run(deal(transaction={"technology_access": {"non_public_technology_information": None}})).exemption
    assert ex.eligible == "indeterminate" and ex.facts_needed


def test_exemption_did_not_exist_before_2020_05_08() -> None:
    power = {"businesses": [{"name": "Power", "activity": "electricity_core"}]}
    det = run(deal(target=power, transaction={"shares_after_pct": 15}), dt.date(2019, 6, 1))
    assert det.exemption.eligible == "no" and det.must_file.status == "yes"


def test_foreign_government_excluded_accredited_swf_allowed() -> None:
    swf = dict(id="buyer", name="SWF", kind="sovereign_wealth_fund", jurisdiction="NO", **CLEAN)
    assert run(deal(entities=[{**swf, "accredited": True}])).exemption.eligible == "yes"
    assert run(deal(entities=[{**swf, "accredited": False}])).exemption.eligible == "no"
    soe_owned = deal(entities=[dict(id="buyer", name="Sub", kind="corporation", jurisdiction="HK", owners=[{"owner": "gov", "voting_pct": 60}], **CLEAN),
                               dict(id="gov", name="State Co", kind="state_owned_enterprise", jurisdiction="CN")])
    assert run(soe_owned).investor_class.investor_class == "foreign_government"


def test_violator_excluded() -> None:
    d = deal(entities=[dict(id="buyer", name="B", kind="corporation", jurisdiction="US", **{**CLEAN, "fefta_violation_sanctioned": True})])
    assert run(d).exemption.eligible == "no"


def test_specified_foreign_investor_excluded_from_2025_05_19() -> None:
    """2025 reform: 特定外国投資家 cannot use the exemption in any designated business."""
    d = deal(target=DESIGNATED, entities=[dict(id="buyer", name="B", kind="corporation", jurisdiction="CN",
                                               **{**CLEAN, "information_cooperation_duty": True})], transaction={"shares_after_pct": 1.5})
    assert run(d).exemption.eligible == "no"
    assert run(d, dt.date(2025, 5, 18)).exemption.eligible == "yes"


def test_controlled_by_obliged_persons_is_specified() -> None:
    d = deal(target=DESIGNATED, entities=[
        dict(id="buyer", name="B", kind="corporation", jurisdiction="SG", owners=[{"owner": "parent", "voting_pct": 70}], **CLEAN),
        dict(id="parent", name="P", kind="corporation", jurisdiction="CN", information_cooperation_duty=True)])
    assert run(d).investor_class.investor_class == "specified_foreign_investor"


def test_only_the_acquirers_holders_are_asked_about_the_cooperation_duty() -> None:
    """特定外国投資家 looks at the acquirer and those above it: an owner whose duty is unknown is a fact to
    confirm; an entity that does not hold the acquirer (here a co-investor listed in the deal) is not."""
    d = deal(target=DESIGNATED, entities=[
        dict(id="buyer", name="B", kind="corporation", jurisdiction="SG", owners=[{"owner": "parent", "voting_pct": 70}], **CLEAN),
        dict(id="parent", name="Parent Co", kind="corporation", jurisdiction="HK"),
        dict(id="other", name="Other Co", kind="corporation", jurisdiction="HK")])
    facts = {f.path: f for c in run(d).conclusions() for f in c.facts_needed}
    asked = facts["entities[*].information_cooperation_duty"].question.en
    assert "Parent Co" in asked and "Other Co" not in asked
    alone = deal(target=DESIGNATED, entities=[dict(id="buyer", name="B", kind="corporation", jurisdiction="SG", **CLEAN),
                                              dict(id="other", name="Other Co", kind="corporation", jurisdiction="HK")])
    assert "entities[*].information_cooperation_duty" not in {f.path for c in run(alone).conclusions() for f in c.facts_needed}


def test_equivalent_to_specified_rules() -> None:
    """準ずる者: none for specified core entities; core <10% only with extra criteria."""
    eq = dict(id="buyer", name="B", kind="corporation", jurisdiction="SG", **{**CLEAN, "contractual_disclosure_duty": True})
    sce = run(deal(entities=[eq], target={"specified_core_business_entity": True}))
    assert sce.exemption.eligible == "no"
    other = run(deal(entities=[eq]))
    assert other.exemption.eligible == "yes"
    assert "equivalent" in {c.group for c in other.exemption.conditions}
    unknown = run(deal(entities=[eq], target={"specified_core_business_entity": None}))
    assert unknown.exemption.eligible == "indeterminate"


def test_no_exemption_for_an_investment_aimed_at_impairing_a_designated_business() -> None:
    """Cabinet Order Art. 3-2(2)(iv) (errata 12): otherwise exempt, but the purpose bars the exemption."""
    d = deal(transaction={**BASE["transaction"], "purpose_impairs_designated_business": True})
    det = run(d)
    assert det.exemption.status == "no" and det.must_file.status == "yes"
    assert "exemption_bar_impairing_designated_business" in {c.item for c in det.exemption.citations}


def test_former_resident_transfer_fefta_art_26_2_ii() -> None:
    """Art. 26(2)(ii) (errata 11): a non-resident individual transfers unlisted shares held since before
    becoming non-resident to a foreign investor; unknown facts are asked for."""
    person = {"id": "buyer", "name": "Taro Yamada", "kind": "individual", "jurisdiction": "SG", "resident_in_japan": False, **CLEAN}
    tx = {"kind": "former_resident_share_transfer", "former_resident_transfer": {"held_since_before_non_resident": True,
                                                                             "transferee_foreign_investor": True}}
    unlisted = {**BASE["target"], "listed": False}
    det = run(deal(entities=[person], target=unlisted, transaction=tx))
    act = next(a for a in det.acts if a.act == "former_resident_share_transfer")
    assert act.status == "yes" and act.notification == "prior_notification"
    assert "former_resident_transfer_covered" in {c.item for c in act.citations}
    tx["former_resident_transfer"]["transferee_foreign_investor"] = False
    assert next(a for a in run(deal(entities=[person], target=unlisted, transaction=tx)).acts).status == "no"
    tx["former_resident_transfer"]["transferee_foreign_investor"] = None
    open_ = next(a for a in run(deal(entities=[person], target=unlisted, transaction=tx)).acts)
    assert open_.status == "indeterminate"
    assert "transaction.former_resident_transfer.transferee_foreign_investor" in {f.path for f in open_.facts_needed}
