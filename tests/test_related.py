"""Closely related persons (密接関係者 / 特別の関係にある者): FEFTA Art. 26(2)(iii)-(iv) count the investor's
holding together with that of the persons listed in Cabinet Order Art. 2 (factors/related_persons.yaml)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import BASE, CLEAN, TODAY, merge, regime, run
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing.related import closely_related_persons
from fdiscreen.load import parse_deal
from fdiscreen.model import Deal

BUYER = dict(id="buyer", name="Buyer Inc.", kind="corporation", jurisdiction="US", **CLEAN)


def corp(eid: str, name: str, **kw: Any) -> dict[str, Any]:
    return dict(id=eid, name=name, kind="corporation", jurisdiction="US", **CLEAN, **kw)


def person(eid: str, name: str, **kw: Any) -> dict[str, Any]:
    return dict(id=eid, name=name, kind="individual", jurisdiction="US", resident_in_japan=False, **CLEAN, **kw)


def make(entities: list[dict[str, Any]], acquirer: str = "buyer", shares: float = 0.6, **tx: Any) -> Deal:
    data = merge(BASE, {"transaction": {"shares_after_pct": shares, **tx}})
    data["entities"] = entities
    data["acquirer"] = acquirer
    return parse_deal(data)


def listed_act(d: Deal, as_of: dt.date = TODAY):  # type: ignore[no-untyped-def]
    return next(a for a in run(d, as_of).acts if a.act == "listed_share_acquisition")


def related_ids(d: Deal, as_of: dt.date = TODAY, **kw: Any) -> dict[str, str]:
    return {p.entity: p.relation for p in closely_related_persons(d, regime(as_of, **kw)).persons}


def with_parent(pct: float, held: float | None = 0.5) -> Deal:
    return make([{**BUYER, "owners": [{"owner": "parent", "voting_pct": pct}]},
                 corp("parent", "Parent Co.", **({} if held is None else {"target_voting_pct": held}))])


def test_parent_stake_is_added_and_named_in_the_reasons() -> None:
    """Cabinet Order Art. 2: a company holding 50% or more of the investor is related; 0.6% + 0.5% = 1.1% >= 1%."""
    a = listed_act(with_parent(60))
    assert (a.status, a.holding_pct) == ("yes", 1.1)
    text = " ".join(x.en for x in a.reasons)
    assert "Parent Co. 0.5% (parent, 50% or more)" in text
    assert "親会社等、50%以上" in " ".join(x.ja for x in a.reasons)
    assert {"closely_related_person_kinds", "closely_related_control_pct"} <= {c.item for c in a.citations}


def test_fifty_percent_or_more_boundary() -> None:
    """Cabinet Order Art. 2: 50% "or more" (以上): exactly 50% counts, just under does not."""
    assert listed_act(with_parent(50)).status == "yes"
    below = listed_act(with_parent(49.99))
    assert (below.status, below.holding_pct) == ("no", 0.6)
    assert not any("closely related persons (密接関係者):" in x.en for x in below.reasons)


def test_subsidiary_and_chain_of_control() -> None:
    """Cabinet Order Art. 2: companies the investor holds 50% or more of, also through companies it controls."""
    ents = [{**BUYER}, corp("sub", "Sub K.K.", owners=[{"owner": "buyer", "voting_pct": 100}]),
            corp("joint", "Joint Co.", target_voting_pct=0.5,
                 owners=[{"owner": "buyer", "voting_pct": 30}, {"owner": "sub", "voting_pct": 30}])]
    d = make(ents)
    assert related_ids(d) == {"sub": "subsidiary", "joint": "subsidiary"}
    assert listed_act(d).holding_pct == 1.1
    # without look-through (the factor item), 30% + 30% held through a subsidiary is not control
    assert "joint" not in related_ids(d, overrides={"closely_related_control_through_chains": False})


def test_grandparent_through_a_chain_is_a_parent() -> None:
    ents = [{**BUYER, "owners": [{"owner": "mid", "voting_pct": 60}]},
            corp("mid", "Mid Co.", owners=[{"owner": "top", "voting_pct": 55}]), corp("top", "Top Co.", target_voting_pct=0.5)]
    assert related_ids(make(ents)) == {"mid": "parent", "top": "parent"}


def test_sister_company_under_a_common_parent() -> None:
    """Cabinet Order Art. 2: companies held 50% or more by the investor's parent (兄弟会社)."""
    ents = [{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co."),
            corp("sister", "Sister Co.", target_voting_pct=0.5, owners=[{"owner": "parent", "voting_pct": 70}])]
    a = listed_act(make(ents))
    assert a.status == "yes"
    assert "Sister Co. 0.5% (sister company under Parent Co., 50% or more)" in " ".join(x.en for x in a.reasons)


def test_unrelated_holder_is_not_counted() -> None:
    ents = [{**BUYER, "owners": [{"owner": "minor", "voting_pct": 10}]}, corp("minor", "Minority Co.", target_voting_pct=5)]
    a = listed_act(make(ents))
    assert (a.status, a.holding_pct) == ("no", 0.6)


def test_spouse_and_lineal_relative_of_an_individual_investor() -> None:
    """Cabinet Order Art. 2: an individual investor's spouse (配偶者) and lineal relatives (直系血族); the tie may
    be stated on either side."""
    ents = [person("buyer", "Jane Roe", relatives=[{"person": "son", "relation": "lineal_relative"}]),
            person("wife", "Ann Roe", target_voting_pct=0.2, relatives=[{"person": "buyer", "relation": "spouse"}]),
            person("son", "Tom Roe", target_voting_pct=0.3)]
    d = make(ents)
    assert related_ids(d) == {"son": "lineal_relative", "wife": "spouse"}
    a = listed_act(d)
    assert (a.status, a.holding_pct) == ("yes", 1.1)
    text = " ".join(x.en for x in a.reasons)
    assert "Ann Roe 0.2% (spouse)" in text and "Tom Roe 0.3% (lineal relative)" in text


def test_family_company_held_with_the_spouse() -> None:
    ents = [person("buyer", "Jane Roe", relatives=[{"person": "wife", "relation": "spouse"}]), person("wife", "Ann Roe"),
            corp("famco", "Roe Family LLC", target_voting_pct=0.5,
                 owners=[{"owner": "buyer", "voting_pct": 30}, {"owner": "wife", "voting_pct": 30}])]
    rel = related_ids(make(ents))
    assert rel["famco"] == "family_company"


def test_officer_of_the_investor_or_of_its_parent() -> None:
    """Cabinet Order Art. 2: officers (役員) of the investor and of the companies related to it."""
    ents = [{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co."),
            person("ceo", "Chief Executive", target_voting_pct=0.3, officer_of=["buyer"]),
            person("pdir", "Parent Director", target_voting_pct=0.2, officer_of=["parent"]),
            person("other", "Outside Person", target_voting_pct=0.2)]
    d = make(ents)
    assert related_ids(d) == {"parent": "parent", "ceo": "officer", "pdir": "officer"}
    a = listed_act(d)
    assert a.holding_pct == 1.1
    assert "Chief Executive 0.3% (officer of Buyer Inc.)" in " ".join(x.en for x in a.reasons)


def fund(**gp: Any) -> Deal:
    ents = [dict(id="fund", name="Fund L.P.", kind="partnership", jurisdiction="KY", **CLEAN,
                 partnership={"executing_partners": ["gp"], "foreign_contribution_pct": 100}),
            corp("gp", "Fund GP Ltd.", **gp), corp("gp_parent", "GP Parent Co.", target_voting_pct=0.2)]
    return make(ents, acquirer="fund")


def test_executing_partner_of_a_fund_and_its_own_related_persons() -> None:
    """Cabinet Order Art. 2: a fund's executing partners (業務執行組合員) and the persons related to them."""
    d = fund(target_voting_pct=0.3, owners=[{"owner": "gp_parent", "voting_pct": 100}])
    assert related_ids(d) == {"gp": "executing_partner", "gp_parent": "parent"}
    a = listed_act(d)
    assert (a.status, a.holding_pct) == ("yes", 1.1)
    assert "GP Parent Co. 0.2% (parent, 50% or more, of executing partner Fund GP Ltd.)" in " ".join(x.en for x in a.reasons)


def test_executing_partner_kind_dated_from_2020_05_08() -> None:
    """factors/related_persons.yaml: the executing-partner kind is assumed to apply from the 2020-05-08 reform."""
    d = fund(target_voting_pct=0.3)
    assert "gp" in related_ids(d, dt.date(2020, 5, 8))
    assert "gp" not in related_ids(d, dt.date(2020, 5, 7))


def test_discretionary_mandate_holdings_count_from_2019_10_26() -> None:
    """Cabinet Order Art. 2 as amended by Cabinet Order No. 111 of 2019: votes under a discretionary investment
    contract (株式への一任運用) count with the manager's (保有等議決権)."""
    ents = [{**BUYER, "discretionary_mandate_for": ["client"]}, corp("client", "Pension Client", target_voting_pct=0.5)]
    d = make(ents)
    a = listed_act(d)
    assert (a.status, a.holding_pct) == ("yes", 1.1)
    assert "Pension Client 0.5% (managed by Buyer Inc. under a discretionary mandate)" in " ".join(x.en for x in a.reasons)
    assert "client" not in related_ids(d, dt.date(2019, 10, 25))


def test_no_double_counting() -> None:
    """Each person counts once, whatever the number of ties; the acquirer is never its own related person."""
    ents = [{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}], "discretionary_mandate_for": ["parent"]},
            corp("parent", "Parent Co.", target_voting_pct=0.5, owners=[{"owner": "buyer", "voting_pct": 50}])]
    rh = closely_related_persons(make(ents), regime())
    assert [p.entity for p in rh.persons] == ["parent"]
    assert rh.related_pct == 0.5
    assert listed_act(make(ents)).holding_pct == 1.1


def test_typed_in_extra_adds_and_is_named() -> None:
    """transaction.closely_related_voting_pct stays, for related persons not in the file."""
    a = listed_act(with_parent(60))
    d = make([{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co.", target_voting_pct=0.5)],
             closely_related_voting_pct=0.2)
    b = listed_act(d)
    assert (a.holding_pct, b.holding_pct) == (1.1, 1.3)
    assert "0.2% stated for related persons not in the file" in " ".join(x.en for x in b.reasons)


def test_exact_sums_at_the_threshold() -> None:
    """0.7% + 0.2% + 0.1% is 1%, not 0.999...%: the threshold is met."""
    ents = [{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co.", target_voting_pct=0.2)]
    assert listed_act(make(ents, shares=0.7, closely_related_voting_pct=0.1)).status == "yes"


def test_unknown_related_holding_is_a_fact_needed_only_if_it_could_move_the_threshold() -> None:
    below = listed_act(with_parent(60, held=None))
    assert [f.path for f in below.facts_needed] == ["entities[1].target_voting_pct"]
    assert "not counted" in " ".join(x.en for x in below.reasons)
    above = listed_act(make([{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co.")], shares=5))
    assert above.status == "yes" and not above.facts_needed


def test_voting_and_consent_thresholds_use_related_persons() -> None:
    """Every threshold counts related persons: voting rights (Art. 26(2)(iv)) and consents (Art. 26(2)(v))."""
    ents = [{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co.", target_voting_pct=0.5)]
    det = run(make(ents, kind="consent_only", shares_before_pct=0.6, shares=0.6,
                   proposals=[{"kind": "director_appointment", "investor_consents": True}]))
    consent = next(a for a in det.acts if a.act == "consent_director_appointment")
    assert (consent.status, consent.holding_pct) == ("yes", 1.1)
    assert "Parent Co. 0.5%" in " ".join(x.en for x in consent.reasons)
    det = run(make(ents, voting_after_pct=0.7))
    voting = next(a for a in det.acts if a.act == "listed_voting_acquisition")
    assert (voting.status, voting.holding_pct) == ("yes", 1.2)


def test_unlisted_target_asks_for_no_related_holding() -> None:
    data = merge(BASE, {"target": {"listed": False}, "transaction": {"acquired_from": "resident", "shares_after_pct": 0.6}})
    data["entities"] = [{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}]}, corp("parent", "Parent Co.")]
    d = parse_deal(data)
    a = next(a for a in run(d).acts if a.act == "unlisted_share_acquisition")
    assert a.status == "yes" and not a.facts_needed


@pytest.mark.parametrize(("entities", "path", "message"), [
    ([person("buyer", "Jane Roe", relatives=[{"person": "buyer", "relation": "spouse"}])], "entities[0].relatives[0].person",
     "own relative"),
    ([person("buyer", "Jane Roe", relatives=[{"person": "nobody", "relation": "spouse"}])], "entities[0].relatives[0].person",
     "unknown entity"),
    ([person("buyer", "Jane Roe", relatives=[{"person": "co", "relation": "spouse"}]), corp("co", "Co.")],
     "entities[0].relatives[0].person", "not an individual"),
    ([{**BUYER, "officer_of": ["buyer"]}], "entities[0].officer_of", "only an individual"),
    ([{**BUYER, "discretionary_mandate_for": ["ghost"]}], "entities[0].discretionary_mandate_for[0]", "unknown entity"),
    ([{**BUYER, "target_voting_pct": 1}], "entities[0].target_voting_pct", "given by the transaction"),
    ([{**BUYER}, corp("a", "A", target_voting_pct=60), corp("b", "B", target_voting_pct=40)], "entities[2].target_voting_pct",
     "sum to"),
])
def test_load_checks_related_ties(entities: list[dict[str, Any]], path: str, message: str) -> None:
    data = merge(BASE, {})
    data["entities"] = entities
    with pytest.raises(FdiscreenError) as err:
        parse_deal(data)
    assert err.value.path == path and message in err.value.message
