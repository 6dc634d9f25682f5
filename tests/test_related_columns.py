"""Closely related persons over columns (fdiscreen.filing.related): one table of many deals gives each deal the
relation codes, ties, holdings and items used that a table of that deal alone gives (a batch of many equals a
batch of one), and the column rules at their branches.

Citations: FEFTA Art. 26(2)(iii)-(iv) (thresholds measured with the persons in a special relationship);
Cabinet Order on Inward Direct Investment Art. 2 (特別の関係にある者: parents, subsidiaries and sisters at 50% or
more, spouse, lineal relatives and family companies, officers, executing partners; factors/related_persons.yaml);
Cabinet Order No. 111 of 2019 (votes under a discretionary investment contract, 保有等議決権).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import regime
from fdiscreen.columns import DealTable
from fdiscreen.filing.related import (CODE, NOT_RELATED, RELATIONS, RelatedColumns, closely_related_persons, holdings_of,
                                      related_holdings, total_with_related)
from fdiscreen.lookthrough import entity_table, record_use
from fdiscreen.model import Deal
from fdiscreen.regime import make_regime
from test_lookthrough import DATES, HOME, LIBRARY
from test_related import BUYER, corp, fund, make, person, with_parent


def _ties() -> list[Deal]:
    """One deal for each relation of Cabinet Order Art. 2 (and the mandate of the 2019 order), several at once."""
    return [
        with_parent(60), with_parent(49.99), with_parent(60, held=None),
        make([{**BUYER}, corp("sub", "Sub K.K.", owners=[{"owner": "buyer", "voting_pct": 100}]),
              corp("joint", "Joint Co.", target_voting_pct=0.5,
                   owners=[{"owner": "buyer", "voting_pct": 30}, {"owner": "sub", "voting_pct": 30}])]),
        make([{**BUYER, "owners": [{"owner": "mid", "voting_pct": 60}]},
              corp("mid", "Mid Co.", owners=[{"owner": "top", "voting_pct": 55}]), corp("top", "Top Co.", target_voting_pct=0.5),
              corp("sister", "Sister Co.", target_voting_pct=0.25, owners=[{"owner": "top", "voting_pct": 70}]),
              person("dir", "Sister Director", target_voting_pct=0.1, officer_of=["sister", "top"])]),
        make([person("buyer", "Jane Roe", relatives=[{"person": "son", "relation": "lineal_relative"}]),
              person("wife", "Ann Roe", target_voting_pct=0.2, relatives=[{"person": "buyer", "relation": "spouse"}]),
              person("son", "Tom Roe", target_voting_pct=0.3),
              corp("famco", "Roe Family LLC", target_voting_pct=0.5,
                   owners=[{"owner": "buyer", "voting_pct": 30}, {"owner": "wife", "voting_pct": 30}])]),
        fund(target_voting_pct=0.3, owners=[{"owner": "gp_parent", "voting_pct": 100}]),
        make([{**BUYER, "owners": [{"owner": "parent", "voting_pct": 60}], "discretionary_mandate_for": ["parent", "client"]},
              corp("parent", "Parent Co.", target_voting_pct=0.5, owners=[{"owner": "buyer", "voting_pct": 50}]),
              corp("client", "Pension Client", target_voting_pct=0.4)], closely_related_voting_pct=0.2),
    ]


TIES = _ties()
DEALS = LIBRARY + TIES


def _row(c: RelatedColumns, d: int) -> dict[str, Any]:
    """Everything the columns say about deal row ``d`` (entity ids in place of rows)."""
    rows = c.entities.per_deal(d)
    ids = c.entities.ids

    def name(i: int) -> str | None:
        return ids[i] if i >= 0 else None

    return {"code": c.code[rows].tolist(), "via": [name(i) for i in c.via[rows]], "partner": [name(i) for i in c.partner[rows]],
            "place": c.place[rows].tolist(), "related": float(c.related_pct[d]), "extra": float(c.extra_pct[d]),
            "unknown": int(c.unknown[d]), "used": sorted(item for item, need in c.usage.items() if need[d])}


def _assert_many_equals_one(deals: list[Deal], as_of: dt.date) -> None:
    many = related_holdings(DealTable(deals, make_regime(as_of)))
    for d, deal in enumerate(deals):
        alone = related_holdings(DealTable.one(deal, make_regime(as_of)))
        assert _row(many, d) == _row(alone, 0), (deal.matter, as_of)
        shown, r_one = make_regime(as_of), make_regime(as_of)
        record_use(shown, many.usage, slice(d, d + 1))
        assert holdings_of(many, d, deal) == closely_related_persons(deal, r_one), (deal.matter, as_of)
        assert set(shown.used) == set(r_one.used), (deal.matter, as_of)


def test_a_batch_of_the_whole_library_gives_each_deal_its_own_related_persons() -> None:
    """Every example, bid and case and one deal per relation in one table, on three dates that straddle the
    2019 mandate order and the 2020-05-08 executing-partner kind."""
    for day in DATES:
        _assert_many_equals_one(DEALS, day)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(DEALS))), min_size=1, max_size=12), st.sampled_from(DATES))
def test_any_batch_in_any_order_gives_each_deal_its_own_related_persons(picks: list[int], day: dt.date) -> None:
    """The same deal may come twice, in any order, next to any others: its related persons do not change."""
    _assert_many_equals_one([DEALS[i] for i in picks], day)


def test_an_entity_table_with_its_deals_gives_the_same_columns() -> None:
    """A batch path holding the entities already passes them with the deals."""
    day = make_regime(DATES[-1])
    by_table = related_holdings(DealTable(TIES, day))
    by_entities = related_holdings(entity_table(TIES, HOME), TIES, day)
    assert [_row(by_table, d) for d in range(len(TIES))] == [_row(by_entities, d) for d in range(len(TIES))]


def _relations(c: RelatedColumns, d: int) -> dict[str, str]:
    rows = c.entities.per_deal(d)
    return {c.entities.ids[i]: RELATIONS[c.code[i]] for i in range(rows.start, rows.stop) if c.code[i] != NOT_RELATED}


def test_each_relation_is_coded_in_one_table() -> None:
    """Cabinet Order Art. 2 over one table: 50% or more makes a parent (49.99% does not); control runs down
    chains (30% + 30% through a subsidiary); a sister under the nearest common parent and an officer of it;
    spouse and lineal relative stated on either side and the company they control with the investor; a
    fund's executing partner and that partner's parent; votes under a discretionary mandate (the 2019 order),
    never the acquirer itself and never a person twice."""
    c = related_holdings(DealTable(TIES, regime()))
    assert [_relations(c, d) for d in range(len(TIES))] == [
        {"parent": "parent"}, {}, {"parent": "parent"},
        {"sub": "subsidiary", "joint": "subsidiary"},
        {"mid": "parent", "top": "parent", "sister": "sister", "dir": "officer"},
        {"son": "lineal_relative", "wife": "spouse", "famco": "family_company"},
        {"gp": "executing_partner", "gp_parent": "parent"},
        {"parent": "parent", "client": "discretionary_mandate"},
    ]
    rows = c.entities.per_deal(4)
    ids = c.entities.ids[rows]
    via = {ids[i]: c.entities.ids[v] for i, v in enumerate(c.via[rows]) if v >= 0}
    assert via == {"sister": "top", "dir": "top"}  # the parent before the sister it controls (companies in order)
    assert c.code[rows][ids.index("dir")] == CODE["officer"]
    assert c.related_pct.tolist()[:3] == [0.5, 0.0, 0.0] and c.unknown.tolist()[:3] == [0, 0, 1]
    assert (c.related_pct[7], c.extra_pct[7]) == (0.9, 0.2)


def test_control_without_chains_counts_direct_holdings_only() -> None:
    """factors/related_persons.yaml closely_related_control_through_chains (an assumption): switched off,
    30% held directly and 30% through a subsidiary is not control."""
    c = related_holdings(DealTable([TIES[3]], regime(overrides={"closely_related_control_through_chains": False})))
    assert _relations(c, 0) == {"sub": "subsidiary"}


def test_dated_kinds_and_mandates() -> None:
    """The executing-partner kind from 2020-05-08 and mandated votes from 2019-10-26 (assumptions of
    factors/related_persons.yaml): before those dates neither is a related person, and the items are used
    only by the deals that needed them."""
    early = related_holdings(DealTable(TIES, make_regime(dt.date(2019, 10, 25))))
    assert _relations(early, 6) == {} and _relations(early, 7) == {"parent": "parent"}
    needed = early.usage["discretionary_mandate_holdings_counted"]
    assert needed.tolist() == [False] * 7 + [True]


def test_totals_add_exactly_and_cap_at_the_whole() -> None:
    """FEFTA Art. 26(2)(iii)-(iv): 0.7% + 0.2% + 0.1% is exactly 1% (in floating point 0.9999999999999999), and
    a total beyond the whole reads as 100%."""
    assert 0.7 + 0.2 + 0.1 < 1
    out = total_with_related(np.array([0.7, 60.0, 1 / 3]), np.array([0.2, 30.0, 1 / 3]), np.array([0.1, 20.0, 0.0]))
    assert out.tolist() == [1.0, 100.0, float(1 / 3 + 1 / 3)]
