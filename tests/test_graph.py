"""Ownership graphs on DuckDB: loading and checking CSVs, foreign status through the 50% look-through
with cycles, ultimate controllers, indirect holdings, and deal entities that the per-deal engine reads
the same way."""

from __future__ import annotations

import copy
import datetime as dt
import random
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from typer.testing import CliRunner  # noqa: E402

from fdiscreen import graph  # noqa: E402
from fdiscreen.errors import FdiscreenError  # noqa: E402
from fdiscreen.filing.investor import foreign_status as deal_foreign_status  # noqa: E402
from fdiscreen.graph_cli import graph_app  # noqa: E402
from fdiscreen.load import parse_deal  # noqa: E402
from fdiscreen.lookthrough import entity_table, fully_attributed, limit  # noqa: E402
from fdiscreen.regime import make_regime  # noqa: E402

from conftest import BASE, ROOT, TODAY, kill_cli_when  # noqa: E402

ENT_HEADER = "id,name,jurisdiction,kind,listed,fefta_class,resident_in_japan"
HOLD_HEADER = "holder_id,held_id,voting_pct,equity_pct,control_only"


def write_graph(tmp: Path, entities: list[str], holdings: list[str], name: str = "g") -> Path:
    """Write the two CSVs, load them, return the database path."""
    e, h, db = tmp / f"{name}-entities.csv", tmp / f"{name}-holdings.csv", tmp / f"{name}.duckdb"
    e.write_text("\n".join([ENT_HEADER, *entities]) + "\n", encoding="utf-8")
    h.write_text("\n".join([HOLD_HEADER, *holdings]) + "\n", encoding="utf-8")
    graph.load(e, h, db)
    return db


def corp(eid: str, jur: str = "JP", cls: str = "", kind: str = "corporation") -> str:
    return f"{eid},{eid} Co,{jur},{kind},,{cls},"


def status(db: Path, **kw) -> dict[str, bool]:
    frame = graph.foreign_status(db, TODAY, **kw)
    return dict(zip(frame["id"], frame["foreign"]))


def status_on(db: Path, as_of: dt.date, overrides: dict | None = None) -> dict[str, bool]:
    frame = graph.foreign_status(db, as_of, overrides=overrides)
    return dict(zip(frame["id"], map(bool, frame["foreign"])))


# -- foreign status ------------------------------------------------------------------------------------

#: the what-if reading (not law) that counts every foreign-investor holder in full
CONTROLLED_FULL = {"indirect_voting_attribution": "controlled_full"}
BEFORE_2020 = dt.date(2019, 6, 1)  # Cabinet Order Art. 2(1) before Cabinet Order No. 154 of 2020 (no subsidiaries)


def test_cross_shareholding_reaches_threshold_only_with_the_partners_votes(tmp_path: Path) -> None:
    # A: 30% US + 25% from B; B: 35% GB + 20% from G (foreign through 60% CN) + 30% from A.
    # Alone neither A (30%) nor B (35%) reaches 50%: B does with G's block, then A with B's.
    db = write_graph(tmp_path, [corp("US1", "US"), corp("GB1", "GB"), corp("CN1", "CN"), corp("A"), corp("B"), corp("G"),
                                corp("J1"), corp("J2")],
                     ["US1,A,30,,", "B,A,25,,", "J1,A,45,,", "GB1,B,35,,", "G,B,20,,", "A,B,30,,", "J2,B,15,,",
                      "CN1,G,60,,", "J2,G,40,,"])
    frame = graph.foreign_status(db, TODAY, overrides=CONTROLLED_FULL).set_index("id")
    assert frame.loc["G", "foreign"] and frame.loc["B", "foreign"] and frame.loc["A", "foreign"]
    assert frame.loc["B", "foreign_voting_pct"] == pytest.approx(85.0)  # 35 + 20 + A's 30 once A is foreign
    assert frame.loc["A", "foreign_voting_pct"] == pytest.approx(55.0)
    assert frame.loc["A", "category"] == 3
    assert not frame.loc["J1", "foreign"]
    assert frame.attrs["attribution"] == "controlled_full" and frame.attrs["attribution_what_if"]
    # the law (Cabinet Order Art. 2(1)): G is held 60% by an item 2 person, so its 20% of B counts and B is
    # foreign (35 + 20); B itself is held only 35% by item 1/2 persons, so its 25% of A counts for nothing
    law = graph.foreign_status(db, TODAY).set_index("id")
    assert law.attrs["attribution"] == "full_if_half_held_or_subsidiary" and not law.attrs["attribution_what_if"]
    assert law.loc["G", "foreign"] and law.loc["B", "foreign"] and not law.loc["A", "foreign"]
    assert law.loc["B", "foreign_voting_pct"] == pytest.approx(55.0) and law.loc["A", "foreign_voting_pct"] == pytest.approx(30.0)


def test_mutual_stakes_cannot_make_a_cycle_foreign_by_themselves(tmp_path: Path) -> None:
    # A and B each 30% foreign and 25% held by the other: counted together they would reach 55%, but
    # only holdings of entities already foreign count (least fixed point), so neither is foreign.
    db = write_graph(tmp_path, [corp("US1", "US"), corp("A"), corp("B"), corp("J1")],
                     ["US1,A,30,,", "B,A,25,,", "J1,A,45,,", "US1,B,30,,", "A,B,25,,", "J1,B,45,,"])
    s = status(db)
    assert not s["A"] and not s["B"]


def test_pure_domestic_cycle_is_not_foreign_and_terminates(tmp_path: Path) -> None:
    ents = [corp(f"D{i}") for i in range(5)] + ["P1,Taro,JP,individual,,,true"]
    holds = [f"D{i},D{(i + 1) % 5},60,," for i in range(5)] + [f"P1,D{i},40,," for i in range(5)]
    db = write_graph(tmp_path, ents, holds)
    s = status(db)
    assert not any(s.values())
    assert len(s) == 6


def test_japanese_company_foreign_through_a_foreign_held_japanese_parent(tmp_path: Path) -> None:
    # US 60% -> JP parent P (foreign, 3) ; P 50% -> S (foreign: P counts in full); S 30% + US 25% -> T (55%).
    # U: 40% US (not foreign); V: 40% US + 30% from U.
    db = write_graph(tmp_path, [corp("US1", "US"), corp("P"), corp("S"), corp("T"), corp("J1"), "NR,Ken,JP,individual,,,false",
                                corp("U"), corp("V")],
                     ["US1,P,60,,", "J1,P,40,,", "P,S,50,,", "J1,S,50,,", "S,T,30,,", "US1,T,25,,", "J1,T,45,,",
                      "US1,U,40,,", "J1,U,60,,", "US1,V,40,,", "U,V,30,,", "J1,V,30,,"])
    frame = graph.foreign_status(db, TODAY, overrides=CONTROLLED_FULL).set_index("id")
    assert list(frame.loc[["P", "S", "T"], "foreign"]) == [True, True, True]
    assert frame.loc["T", "foreign_voting_pct"] == pytest.approx(55.0)
    assert frame.loc["NR", "category"] == 1  # a non-resident individual of Japanese nationality
    assert not frame.loc["U", "foreign"] and not frame.loc["V", "foreign"]  # U is not foreign: its 30% of V does not count
    # the law (Cabinet Order Art. 2(1)): P (60% US) passes its 50% of S in full, but S, held exactly half by P,
    # is not P's Companies Act subsidiary (more than half) nor held by item 1/2 persons: T gets only US's 25%
    law = graph.foreign_status(db, TODAY).set_index("id")
    assert list(law.loc[["P", "S", "T"], "foreign"]) == [True, True, False]
    assert law.loc["T", "foreign_voting_pct"] == pytest.approx(25.0)
    # proportional attribution (the alternative reading): V gets 40 + 30 x 40% = 52%
    prop = graph.foreign_status(db, TODAY, overrides={"indirect_voting_attribution": "proportional"}).set_index("id")
    assert list(prop.loc[["P", "S", "T"], "foreign"]) == [True, True, True]
    assert not prop.loc["U", "foreign"] and prop.loc["V", "foreign"]
    assert prop.loc["V", "foreign_voting_pct"] == pytest.approx(52.0)


def test_threshold_comes_from_the_regime(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("US1", "US"), corp("A"), corp("J1")], ["US1,A,40,,", "J1,A,60,,"])
    assert not status(db)["A"]
    assert status(db, overrides={"foreign_owned_company_pct": 40})["A"]
    with pytest.raises(FdiscreenError, match="unknown attribution method"):  # the per-deal engine's check
        status(db, overrides={"indirect_voting_attribution": "pro-rata"})


# -- Cabinet Order Art. 2(1): which holdings count for FEFTA Art. 26(1)(iii) -----------------------------

@pytest.mark.parametrize("as_of", [BEFORE_2020, TODAY])
def test_half_held_intermediate_passes_its_holding_in_full_and_49_percent_passes_nothing(tmp_path: Path, as_of: dt.date) -> None:
    """Cabinet Order Art. 2(1) (indirect_attribution_intermediate_pct, 百分の五十以上): M50, held exactly half
    by a US company, passes all of its 60% of T1; M49, held 49%, passes none of its 60% of T2."""
    db = write_graph(tmp_path, [corp("US1", "US"), corp("M50"), corp("M49"), corp("T1"), corp("T2"), corp("J0")],
                     ["US1,M50,50,,", "J0,M50,50,,", "M50,T1,60,,", "J0,T1,40,,",
                      "US1,M49,49,,", "J0,M49,51,,", "M49,T2,60,,", "J0,T2,40,,"])
    frame = graph.foreign_status(db, as_of).set_index("id")
    assert frame.loc["T1", "foreign"] and frame.loc["T1", "foreign_voting_pct"] == pytest.approx(60.0)
    assert not frame.loc["T2", "foreign"] and frame.loc["T2", "foreign_voting_pct"] == pytest.approx(0.0)
    assert frame.loc["M50", "foreign"] and not frame.loc["M49", "foreign"]
    _assert_agrees(db, as_of)


@pytest.mark.parametrize("as_of", [BEFORE_2020, TODAY])
def test_company_foreign_only_under_item_3_is_not_a_direct_holder(tmp_path: Path, as_of: dt.date) -> None:
    """FEFTA Art. 26(1)(iii) counts direct holdings of item 1 and 2 persons only ("前二号に掲げるもの"): Q is a
    foreign investor (40% US + 20% from H, which is 60% US) but, held only 40% by item 1/2 persons and not
    H's subsidiary, its 60% of R counts for nothing. The what-if controlled_full would count it."""
    db = write_graph(tmp_path, [corp("US1", "US"), corp("H"), corp("Q"), corp("R"), corp("J0")],
                     ["US1,H,60,,", "J0,H,40,,", "US1,Q,40,,", "H,Q,20,,", "J0,Q,40,,", "Q,R,60,,", "J0,R,40,,"])
    frame = graph.foreign_status(db, as_of).set_index("id")
    assert frame.loc["Q", "foreign"] and frame.loc["Q", "category"] == 3
    assert frame.loc["Q", "foreign_voting_pct"] == pytest.approx(60.0)
    assert not frame.loc["R", "foreign"] and frame.loc["R", "foreign_voting_pct"] == pytest.approx(0.0)
    assert status_on(db, as_of, CONTROLLED_FULL)["R"]
    _assert_agrees(db, as_of)


def test_foreign_law_partnership_is_not_an_item_2_holder_from_2020(tmp_path: Path) -> None:
    """FEFTA Art. 26(1)(ii) excludes 特定組合等 from 2020-05-08 (partnership_as_foreign_law_entity): a Cayman LP
    is then foreign only under item (iv), here by 70% US contributions, and item (iii) does not count its 60%
    of A; the Japanese partnership JLP is foreign under item (iv) through the LP's 60% contribution. Before,
    the LP is an item (ii) organisation and A is foreign; a Japanese partnership had no item of its own."""
    db = write_graph(tmp_path, [corp("US1", "US"), corp("LP", "KY", kind="partnership"), corp("A"),
                                corp("JLP", kind="partnership"), corp("J0"), "P0,Resident,JP,individual,,,true"],
                     ["US1,LP,70,,", "LP,A,60,,", "J0,A,40,,", "LP,JLP,60,,", "J0,JLP,40,,"])
    now, before = status_on(db, TODAY), status_on(db, BEFORE_2020)
    assert not now["A"] and now["JLP"]
    assert before["A"] and not before["JLP"]
    for as_of in (BEFORE_2020, TODAY):
        _assert_agrees(db, as_of)


SUBSIDIARY_ENTITIES = [corp("US1", "US"), corp("GB1", "GB"), corp("P"), corp("P2"), corp("S"), corp("T"), corp("S50"),
                       corp("T50"), corp("U"), corp("V"), corp("X"), corp("Y"), corp("C1"), corp("C2"), corp("Z"), corp("J0")]
SUBSIDIARY_HOLDINGS = [
    "US1,P,60,,", "J0,P,40,,", "GB1,P2,60,,", "J0,P2,40,,",
    "P,S,51,,", "J0,S,49,,", "S,T,60,,", "J0,T,40,,",            # S: more than half held by P, a subsidiary
    "P,S50,50,,", "J0,S50,50,,", "S50,T50,60,,", "J0,T50,40,,",  # S50: exactly half, not a subsidiary
    "P,U,30,,", "S,U,25,,", "J0,U,45,,", "U,V,60,,", "J0,V,40,,",  # U: P and its subsidiary S together 55%
    "P,X,30,,", "P2,X,30,,", "J0,X,40,,", "X,Y,60,,", "J0,Y,40,,",  # X: 30% from each of two groups
    "P,C1,30,,", "C2,C1,25,,", "J0,C1,45,,", "C1,C2,55,,", "J0,C2,45,,", "C1,Z,60,,", "J0,Z,40,,",  # mutual stakes
]


def test_from_2020_a_subsidiary_of_a_half_held_company_passes_its_holding_in_full(tmp_path: Path) -> None:
    """Cabinet Order Art. 2(1) as amended by Cabinet Order No. 154 of 2020 (from 2020-05-08): the holdings of
    a Companies Act subsidiary (会社法上の子会社, more than half of the votes held by the half-held company and
    its subsidiaries: indirect_attribution_subsidiary_more_than_pct) of a half-held company count in full."""
    db = write_graph(tmp_path, SUBSIDIARY_ENTITIES, SUBSIDIARY_HOLDINGS)
    now = graph.foreign_status(db, TODAY).set_index("id")
    assert now.attrs["attribution"] == "full_if_half_held_or_subsidiary"
    assert now.loc["T", "foreign"] and now.loc["T", "foreign_voting_pct"] == pytest.approx(60.0)
    assert not now.loc["T50", "foreign"]                      # exactly half is not more than half
    assert now.loc["U", "foreign"] and now.loc["V", "foreign"]  # P 30% + its subsidiary S 25%: U is a subsidiary too
    assert now.loc["X", "foreign"] and not now.loc["Y", "foreign"]  # two groups' 30% each do not add up
    assert not now.loc["Z", "foreign"]                        # C1 and C2 cannot make each other subsidiaries
    before = graph.foreign_status(db, BEFORE_2020).set_index("id")
    assert before.attrs["attribution"] == "full_if_half_held"
    assert before.loc["S", "foreign"] and not before.loc["T", "foreign"]  # S passes nothing before 2020-05-08
    assert not before.loc["U", "foreign"] and not before.loc["V", "foreign"]
    for as_of in (BEFORE_2020, TODAY):
        _assert_agrees(db, as_of)


# -- ultimate controllers ----------------------------------------------------------------------------

def test_ultimate_controller_through_a_chain(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("X", "US"), corp("Y"), corp("Z"), corp("W"), corp("M")],
                     ["X,Y,80,,", "Y,Z,60,,", "Z,W,51,,", "M,W,49,,"])
    (c,) = graph.ultimate_controllers(db, "W")
    assert c["id"] == "X" and c["basis"] == "chain" and c["path"] == ["W", "Z", "Y", "X"]
    assert c["effective_voting_pct"] == pytest.approx(51 * 0.6 * 0.8)
    (own,) = graph.ultimate_controllers(db, "M")
    assert own["basis"] == "self" and "controls itself" in own["note"]
    allc = graph.ultimate_controllers_all(db).set_index("id")
    assert allc.loc["W", "controller_id"] == "X" and allc.loc["W", "effective_voting_pct"] == pytest.approx(24.48)
    assert allc.loc["M", "basis"] == "self"


def test_ultimate_controllers_end_at_a_majority_cycle(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("M1"), corp("M2"), corp("N"), corp("Q")],
                     ["M1,M2,60,,", "M2,M1,70,,", "M2,N,55,,", "N,Q,90,,"])
    found = graph.ultimate_controllers(db, "Q")
    assert {c["id"] for c in found} == {"M1", "M2"}
    assert all(c["basis"] == "cycle" and sorted(c["cycle"]) == ["M1", "M2"] for c in found)
    assert found[0]["path"] == ["Q", "N", "M2"]
    allc = graph.ultimate_controllers_all(db).set_index("id")
    assert set(allc.loc[["Q", "N", "M1", "M2"], "controller_id"]) == {"M1"}  # named by the cycle's first row
    assert set(allc.loc[["Q", "N", "M1", "M2"], "basis"]) == {"cycle"}


def test_gleif_consolidation_link_without_a_percentage(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("PARENT", "DE"), corp("CHILD"), corp("J1")], ["PARENT,CHILD,,,true", "J1,CHILD,10,,"])
    (c,) = graph.ultimate_controllers(db, "CHILD")
    assert c["id"] == "PARENT" and c["voting_pcts"] == [90.0]  # assumed: the 90% the other rows leave
    assert status(db)["CHILD"]


# -- indirect holdings -----------------------------------------------------------------------------------

def test_indirect_holdings_through_a_foreign_subsidiary_chain(tmp_path: Path) -> None:
    ents = [corp("O", "SG"), corp("O2", "KY"), corp("O3", "NL"), corp("J1", cls="designated"), corp("J2", cls="core"),
            corp("J3", cls="core"), corp("J4", cls="non_designated"), corp("J5", cls="core"), corp("R")]
    holds = ["O,O2,100,,", "O2,O3,60,,", "R,O3,40,,", "O3,J1,60,,", "O2,J2,30,,", "O,J2,25,,", "J1,J3,40,,",
             "O3,J4,100,,", "J2,J1,20,,", "O,J5,10,,", "R,J5,90,,"]
    db = write_graph(tmp_path, ents, holds)
    out = graph.indirect_holdings(db, "O", 50, overrides=CONTROLLED_FULL).set_index("id")
    assert set(out.index) == {"J1", "J2"}
    assert out.loc["J1", "effective_pct"] == pytest.approx(80.0)  # O3's 60 + J2's 20 (J2 controlled: 55%)
    assert out.loc["J2", "effective_pct"] == pytest.approx(55.0) and out.loc["J2", "direct_pct"] == 25.0
    assert out.loc["J1", "path"] == ["O", "O2", "O3", "J1"]
    low = graph.indirect_holdings(db, "O", 10, overrides=CONTROLLED_FULL).set_index("id")
    assert set(low.index) == {"J1", "J2", "J3", "J5"} and not low.loc["J3", "controlled"]
    assert "J4" in set(graph.indirect_holdings(db, "O", 50, classes=("non_designated",), overrides=CONTROLLED_FULL)["id"])
    # the law (Cabinet Order Art. 2(1), O the only direct holder): O2 (100% O) and its subsidiaries O3 (60%)
    # and J1 (60% from O3) count in full; J2 (25% O + 30% O2) is held 55% but is neither held half by O
    # directly nor more than half by O2's group, so its 20% of J1 does not count
    law = graph.indirect_holdings(db, "O", 50).set_index("id")
    assert set(law.index) == {"J1", "J2"} and law.attrs["attribution"] == "full_if_half_held_or_subsidiary"
    assert law.loc["J1", "effective_pct"] == pytest.approx(60.0) and law.loc["J1", "controlled"]
    assert law.loc["J2", "effective_pct"] == pytest.approx(55.0) and not law.loc["J2", "controlled"]
    assert law.loc["J1", "path"] == ["O", "O2", "O3", "J1"]
    # before 2020-05-08 only O2 (half held by O directly) passes its holdings: J1 gets nothing through O3
    old = graph.indirect_holdings(db, "O", 10, as_of=BEFORE_2020).set_index("id")
    assert set(old.index) == {"J2", "J5"} and old.loc["J2", "effective_pct"] == pytest.approx(55.0)
    prop = graph.indirect_holdings(db, "O", 0.0001, overrides={"indirect_voting_attribution": "proportional"}).set_index("id")
    # O3 60% x 60% = 36% plus J2's 20% x J2's share (25 + 30 + ...); a fixed point over the J1<->J2 chain
    assert 36.0 < prop.loc["J1", "effective_pct"] < 50.0


# -- bad input -----------------------------------------------------------------------------------------

def _load_err(tmp: Path, entities: list[str], holdings: list[str]) -> FdiscreenError:
    with pytest.raises(FdiscreenError) as info:
        write_graph(tmp, entities, holdings)
    return info.value


def test_unknown_id_names_file_row_and_column(tmp_path: Path) -> None:
    err = _load_err(tmp_path, [corp("A"), corp("B")], ["A,B,10,,", "A,NOPE,10,,"])
    assert err.path == "row 3, column held_id" and "NOPE" in err.message and err.file.endswith("g-holdings.csv")
    assert "g-entities.csv" in (err.expected or "")


def test_percentage_outside_0_100(tmp_path: Path) -> None:
    err = _load_err(tmp_path, [corp("A"), corp("B")], ["A,B,140,,"])
    assert err.path == "row 2, column voting_pct" and "140" in err.message and err.expected == "a percentage 0-100"


def test_holders_of_one_entity_over_100(tmp_path: Path) -> None:
    err = _load_err(tmp_path, [corp("A"), corp("B"), corp("C")], ["A,C,60,,", "B,A,10,,", "B,C,50,,"])
    assert err.path == "row 4, column voting_pct" and "110" in err.message


def test_bad_entity_rows(tmp_path: Path) -> None:
    err = _load_err(tmp_path, [corp("A"), "B,B Co,XX,corporation,,,"], [])
    assert err.path == "row 3, column jurisdiction"
    err = _load_err(tmp_path, [corp("A"), corp("A")], [])
    assert err.path == "row 3, column id" and "first at row 2" in err.message
    err = _load_err(tmp_path, [corp("A"), "B,B Co,JP,company,,,"], [])
    assert err.path == "row 3, column kind"
    err = _load_err(tmp_path, [corp("A", "US", cls="core")], [])
    assert err.path == "row 2, column fefta_class"
    assert "row 2, column" in str(err) and "g-entities.csv" in str(err)


def test_nothing_is_written_when_a_file_is_bad(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("A"), corp("B")], ["A,B,10,,"])
    _load_err(tmp_path, [corp("A"), corp("B")], ["A,B,101,,"])
    assert graph.graph_info(db)["holdings"] == "1"


# -- deal entities from the graph, and agreement with the per-deal engine ------------------------------------

def _deal_from(db: Path, acquirer: str, extra_ids: list[str] = ()) -> dict:
    data = copy.deepcopy(BASE)
    data["acquirer"] = acquirer
    data["entities"] = graph.chain_for_deal(db, [acquirer, *extra_ids])
    return data


def test_chain_for_deal_is_a_valid_deal(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("US1", "US"), corp("P"), corp("S"), corp("J1"), "NR,Ken,JP,individual,,,false",
                                "LP,Fund LP,KY,partnership,,,"],
                     ["US1,P,60,,", "J1,P,40,,", "P,S,50,,", "NR,S,20,,", "S,J1,10,,", "LP,US1,30,,"])
    chain = graph.chain_for_deal(db, "S")
    assert chain[0]["id"] == "S" and {e["id"] for e in chain} == {"S", "P", "US1", "J1", "NR", "LP"}
    by_id = {e["id"]: e for e in chain}
    assert by_id["P"]["owners_complete"] is True and by_id["S"]["owners_complete"] is None
    assert by_id["NR"]["resident_in_japan"] is False
    deal = parse_deal(_deal_from(db, "S"))
    assert deal.acquirer == "S" and len(deal.entities) == 6


def _random_graph(tmp: Path, seed: int) -> Path:
    rng = random.Random(seed)
    ents = [corp(f"F{i}", rng.choice(["US", "CN", "GB"])) for i in range(4)] + [corp(f"J{i}") for i in range(14)]
    ents += ["P0,Resident,JP,individual,,,true", "P1,Abroad,JP,individual,,,false", "P2,Unstated,JP,individual,,,",
             corp("LP0", kind="partnership"), corp("SWF", "NO", kind="sovereign_wealth_fund"),
             corp("GOV", kind="government"), corp("BANK", kind="financial_institution")]
    ids = [e.split(",")[0] for e in ents]
    holds = []
    for held in ids:
        if held.startswith("P"):
            continue
        left = 100.0
        for holder in rng.sample([i for i in ids if i != held], rng.randint(1, 4)):
            v = round(rng.uniform(5, min(60, left)), 2) if left > 5 else 0
            if v <= 0:
                break
            holds.append(f"{holder},{held},{v},,")
            left -= v
    return write_graph(tmp, ents, holds, name=f"r{seed}")


@pytest.fixture(scope="module")
def random_graphs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("random-graphs")
    return [_random_graph(tmp, seed) for seed in range(5)]


def _assert_agrees(db: Path, as_of: dt.date, overrides: dict | None = None) -> dict[str, bool]:
    """The graph's foreign status of every Japanese entity equals the per-deal engine's on the same chain
    (the graph reads unknown facts as "no"); returns the graph's answers."""
    frame = graph.foreign_status(db, as_of, overrides=overrides)
    jp = list(frame["id"])
    deal = parse_deal(_deal_from(db, jp[0], jp[1:]))
    marked = deal_foreign_status(deal, make_regime(as_of, overrides))
    # the graph reads unknown facts (officers, unlisted holders) as "no": the engine's definite "yes"
    for eid, foreign in zip(frame["id"], frame["foreign"]):
        assert bool(foreign) == (marked.status[eid] is True), (db.name, as_of, eid)
    # with officers resident and holders complete, the engine is definite and agrees exactly
    # (a partnership also needs its executing partners, which the graph does not hold)
    data = _deal_from(db, jp[0], jp[1:])
    for e in data["entities"]:
        if e["jurisdiction"] == "JP" and e["kind"] not in ("individual", "partnership"):
            e["officers"] = {"directors_total": 3, "directors_non_resident": 0}
            e["owners_complete"] = True
        if e["kind"] == "partnership":  # Art. 26(1)(iv): a resident executing partner settles the GP limb
            e.setdefault("partnership", {})["executing_partners"] = ["P0"]
    marked = deal_foreign_status(parse_deal(data), make_regime(as_of, overrides))
    kinds = dict(zip(frame["id"], frame["kind"]))
    for eid, foreign in zip(frame["id"], frame["foreign"]):
        if kinds[eid] != "partnership":
            assert marked.status[eid] is bool(foreign), (db.name, as_of, eid)
    return dict(zip(frame["id"], map(bool, frame["foreign"])))


@pytest.mark.parametrize("as_of", [BEFORE_2020, TODAY], ids=["full_if_half_held", "full_if_half_held_or_subsidiary"])
def test_graph_applies_the_cabinet_order_rule_as_the_per_deal_engine(random_graphs: list[Path], as_of: dt.date) -> None:
    """FEFTA Art. 26(1)(iii) with Cabinet Order Art. 2(1) (indirect_voting_attribution), before and after
    Cabinet Order No. 154 of 2020 added Companies Act subsidiaries: one rule in both engines."""
    differs, by_date = False, False
    for db in random_graphs:
        law = _assert_agrees(db, as_of)
        differs |= law != status_on(db, as_of, CONTROLLED_FULL)
        by_date |= law != status_on(db, TODAY if as_of == BEFORE_2020 else BEFORE_2020)
    assert differs and by_date  # the generated graphs tell the law from the what-if, and 2019 from 2026


def _group_graph(tmp: Path, seed: int) -> Path:
    """Japanese companies in layers, mostly majority-held from the layer above, with foreign holders on top:
    chains of Companies Act subsidiaries, groups meeting in one company, and cycles."""
    rng = random.Random(seed)
    foreign = [f"F{i}" for i in range(4)]
    layers = [[f"L{k}C{i}" for i in range(6)] for k in range(4)]
    ents = [corp(f, rng.choice(["US", "GB", "SG"])) for f in foreign] + [corp(c) for layer in layers for c in layer]
    holds = []
    for k, layer in enumerate(layers):
        for held in layer:
            above = foreign if k == 0 else layers[k - 1] + (rng.sample(foreign, 1) if rng.random() < 0.3 else [])
            pool = above + rng.sample([c for c in layer if c != held], 1)
            left = 100.0
            for holder in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
                v = round(rng.choice([rng.uniform(45, 60), rng.uniform(5, 35)]), 1)
                v = min(v, left)
                if v <= 0:
                    break
                holds.append(f"{holder},{held},{v},,")
                left -= v
    return write_graph(tmp, ents, holds, name=f"grp{seed}")


def _reference_fully_attributed(db: Path, as_of: dt.date) -> set[str]:
    """The per-deal engine's set (lookthrough.fully_attributed over the deal's entities as a batch of one,
    one membership group per half-held company)."""
    regime = make_regime(as_of)
    ids = list(graph.foreign_status(db, as_of)["id"])
    t = entity_table([parse_deal(_deal_from(db, ids[0], ids[1:]))], "JP")
    with_subsidiaries = graph._attribution(regime) == "full_if_half_held_or_subsidiary"
    subsidiary = limit(regime, "indirect_attribution_subsidiary_more_than_pct") if with_subsidiaries else None
    counted = fully_attributed(t, t.jurisdiction_home, ~t.jurisdiction_home, limit(regime, "indirect_attribution_intermediate_pct"),
                               subsidiary, np.zeros(t.n, dtype=bool), False)
    return {t.ids[i] for i in np.flatnonzero(counted)}


def test_graph_finds_the_same_fully_attributed_companies_as_the_per_deal_engine(tmp_path: Path) -> None:
    """Cabinet Order Art. 2(1): the companies whose holdings count in full, vectorised
    (graph._fully_attributed) and per half-held company (lookthrough.fully_attributed), agree on
    layered groups before and after 2020-05-08; so does every company's foreign status."""
    deepest = 0
    for seed in range(6):
        db = _group_graph(tmp_path, seed)
        a = graph.arrays(db)
        con = graph._connect(db)
        order = list(con.execute("SELECT id FROM entities ORDER BY idx").fetchnumpy()["id"])
        con.close()
        for as_of in (BEFORE_2020, TODAY):
            regime = make_regime(as_of)
            counted, rounds = graph._fully_attributed(a, graph._own_foreign(a, regime), a.jp & a.kind_is(("corporation",)),
                                                      *graph._attribution_limits(regime, graph._attribution(regime)))
            deepest = max(deepest, int(rounds.max()))
            assert {order[i] for i in np.flatnonzero(counted)} == _reference_fully_attributed(db, as_of), (seed, as_of)
            _assert_agrees(db, as_of)
    assert deepest >= 3  # subsidiaries of subsidiaries were found, not only half-held companies


@pytest.mark.parametrize("method", ["controlled_full", "proportional"])
def test_graph_agrees_with_the_per_deal_engine_on_the_what_if_readings(random_graphs: list[Path], method: str) -> None:
    for db in random_graphs:
        _assert_agrees(db, TODAY, {"indirect_voting_attribution": method})


def test_controllers_vectorised_and_single_agree(random_graphs: list[Path]) -> None:
    for db in random_graphs[:1]:
        allc = graph.ultimate_controllers_all(db)
        for eid, ctrl, basis in zip(allc["id"], allc["controller_id"], allc["basis"]):
            found = graph.ultimate_controllers(db, eid)
            assert found[0]["basis"] == basis
            if basis == "cycle":
                assert ctrl in found[0]["cycle"]
            else:
                assert found[0]["id"] == ctrl


# -- command line ----------------------------------------------------------------------------------------

def test_cli_commands(tmp_path: Path) -> None:
    e, h, db = tmp_path / "e.csv", tmp_path / "h.csv", tmp_path / "cli.duckdb"
    e.write_text("\n".join([ENT_HEADER, corp("US1", "US"), corp("A", cls="core"), corp("B")]) + "\n")
    h.write_text("\n".join([HOLD_HEADER, "US1,A,60,,", "A,B,70,,"]) + "\n")
    runner = CliRunner()
    r = runner.invoke(graph_app, ["load", str(e), str(h), "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(graph_app, ["controllers", "B", "--db", str(db)])
    assert r.exit_code == 0 and "US1" in r.output
    r = runner.invoke(graph_app, ["indirect", "US1", "--min-pct", "50", "--db", str(db)])
    assert r.exit_code == 0 and "A Co" in r.output
    out = tmp_path / "foreign.csv"
    r = runner.invoke(graph_app, ["foreign", "--as-of", "2026-01-01", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0 and "2 of 2 Japanese entities" in r.output and out.read_text().count("\n") == 3
    r = runner.invoke(graph_app, ["controllers", "NOPE", "--db", str(db)])
    assert isinstance(r.exception, FdiscreenError)


def test_default_database_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FDISCREEN_DATA_DIR", str(tmp_path / "data"))
    assert graph.default_db() == tmp_path / "data" / "graph.duckdb"
    monkeypatch.delenv("FDISCREEN_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert graph.default_db() == tmp_path / "fdiscreen" / "graph.duckdb"
    with pytest.raises(FdiscreenError, match="no ownership graph"):
        graph.foreign_status(None, dt.date(2026, 1, 1))


def test_graph_load_killed_mid_write_leaves_the_old_graph(tmp_path: Path) -> None:
    """SIGKILL `graph load` the moment its write-ahead log appears: the database still opens and holds
    one whole graph, the old one or the new one, never a part (issue 17, item 3: DuckDB's transaction)."""
    db = tmp_path / "g.duckdb"
    graph.load(ROOT / "examples" / "graph" / "entities.csv", ROOT / "examples" / "graph" / "holdings.csv", db)
    n = 300_000
    ents, holds = tmp_path / "e.csv", tmp_path / "h.csv"
    ents.write_text("id,name,jurisdiction,kind\n" + "".join(f"E{i},Entity {i},US,corporation\n" for i in range(n)), encoding="utf-8")
    holds.write_text("holder_id,held_id,voting_pct\n" + "".join(f"E{i + 1},E{i},60\n" for i in range(n - 1)), encoding="utf-8")
    wal = Path(str(db) + ".wal")
    killed = kill_cli_when(["graph", "load", str(ents), str(holds), "--db", str(db)], lambda: wal.exists() and wal.stat().st_size > 0)
    assert killed, "graph load finished before its write was seen"
    con = graph._connect(db)
    try:
        count, held = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("entities", "holdings"))
    finally:
        con.close()
    old = [len((ROOT / "examples" / "graph" / f).read_text(encoding="utf-8").splitlines()) - 1 for f in ("entities.csv", "holdings.csv")]
    assert [count, held] in (old, [n, n - 1])


# -- the array engine's building blocks (issue 19: the same answers, faster) --------------------------------

def _reshuffled_copy(db: Path, out: Path) -> Path:
    """A copy of ``db`` whose entities and holdings tables are stored in a scrambled row order."""
    import duckdb

    shutil.copy(db, out)
    con = duckdb.connect(str(out))
    try:
        con.execute("DROP VIEW holdings_by_id")
        for table, key in (("holdings", "holder_idx * 7919 + held_idx"), ("entities", "idx")):
            con.execute(f"CREATE TABLE shuffled AS SELECT * FROM {table} ORDER BY hash({key})")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE shuffled RENAME TO {table}")
    finally:
        con.close()
    return out


def test_graph_stored_in_another_row_order_gives_the_same_arrays_and_answers(random_graphs: list[Path], tmp_path: Path) -> None:
    """The arrays are read in the order load() stores the tables in (by idx; holdings by held entity, then
    holder) and sorted when a database holds them otherwise: the same arrays, foreign status (FEFTA Art. 26(1)
    with Cabinet Order Art. 2(1)) and controllers either way."""
    for k, db in enumerate(random_graphs[:3]):
        other = _reshuffled_copy(db, tmp_path / f"shuffled{k}.duckdb")
        con = graph._connect(other)
        try:
            stored = con.execute("SELECT held_idx FROM holdings").fetchnumpy()["held_idx"]
        finally:
            con.close()
        assert np.any(np.diff(stored) < 0)  # the copy really is out of order
        a, b = graph.arrays(db), graph.arrays(other)
        for field in ("jp", "kind", "resident", "holder", "held", "voting", "control", "indptr", "out_order", "in_indptr"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), field
        for overrides in (None, CONTROLLED_FULL, {"indirect_voting_attribution": "proportional"}):
            pd.testing.assert_frame_equal(graph.foreign_status(db, TODAY, overrides), graph.foreign_status(other, TODAY, overrides))
        pd.testing.assert_frame_equal(graph.ultimate_controllers_all(db), graph.ultimate_controllers_all(other))


def test_holding_orders_match_a_stable_argsort() -> None:
    """The out-edge order (a packed sort) is the stable order by holder; ``_distinct`` is ``np.unique``
    by either route; the majority parent is the first largest holding of each held entity."""
    rng = np.random.default_rng(19)
    for n, m in ((1, 3), (7, 40), (500, 5000)):
        holder = rng.integers(0, n, size=m).astype(np.int32)
        assert np.array_equal(graph._holder_order(holder), np.argsort(holder, kind="stable"))
        for size in (0, 1, max(1, n // 40), 4 * n):
            nodes = rng.integers(0, n, size=size)
            assert np.array_equal(graph._distinct(nodes, n), np.unique(nodes))
        group = np.sort(rng.integers(0, n, size=m))
        value = rng.choice([10.0, 50.5, 60.0, 60.0], size=m)  # ties: the first (lowest holder) wins
        order = np.lexsort((np.arange(m), -value, group))
        first = order[np.concatenate(([True], group[order][1:] != group[order][:-1]))]
        assert np.array_equal(graph._first_largest_per_group(group, value), np.sort(first))


def test_round_sums_are_the_same_read_densely_or_by_out_edges(random_graphs: list[Path]) -> None:
    """A large frontier is summed in one masked pass over every holding, a small one over its out-edges;
    both add each entity's holdings in the same order (ascending holder), so the shares are bit for bit
    those of a plain bincount over the frontier's out-edges."""
    for db in random_graphs:
        a = graph.arrays(db)
        for frontier in (np.arange(a.n), np.arange(0, a.n, 2), np.array([a.n - 1])):
            pos = a.out_edges(frontier)
            expected = np.bincount(a.held[pos], weights=a.voting[pos], minlength=a.n)
            touched, sums = graph._round_sums(a, frontier)
            assert np.array_equal(touched, np.unique(a.held[pos]))
            assert np.array_equal(sums, expected[touched])  # exactly equal, not approximately


def test_controllers_through_a_chain_deeper_than_the_early_jumps_and_into_a_cycle(tmp_path: Path) -> None:
    """Pointer jumping moves only entities whose jump is not yet a top: a 150-step majority chain ending in
    a 3-member cycle, and a 100-step chain ending at a top, give what following each holding does
    (control: more than half of the voting rights, the Companies Act majority band of ``stake_bands``)."""
    cycle = ["M0", "M1", "M2"]
    chain_c = [f"C{i}" for i in range(150)]
    chain_d = [f"D{i}" for i in range(100)]
    ents = [corp(e) for e in cycle + chain_c + chain_d + ["T", "S"]]
    holds = [f"{cycle[(k + 1) % 3]},{cycle[k]},70,," for k in range(3)]  # M1 holds M0, M2 holds M1, M0 holds M2
    holds += [f"{chain_c[i + 1]},{chain_c[i]},60,," for i in range(149)] + [f"M1,{chain_c[-1]},60,,"]
    holds += [f"{chain_d[i + 1]},{chain_d[i]},90,," for i in range(99)] + [f"T,{chain_d[-1]},90,,", "S,T,30,,"]
    db = write_graph(tmp_path, ents, holds, name="deep")
    allc = graph.ultimate_controllers_all(db).set_index("id")
    for e in cycle + chain_c:
        assert (allc.loc[e, "controller_id"], allc.loc[e, "basis"]) == ("M0", "cycle"), e
        assert np.isnan(allc.loc[e, "effective_voting_pct"])
    for k, e in enumerate(chain_d):
        assert (allc.loc[e, "controller_id"], allc.loc[e, "basis"]) == ("T", "chain"), e
        assert allc.loc[e, "effective_voting_pct"] == pytest.approx(100 * 0.9 ** (100 - k), abs=1e-9)
    assert (allc.loc["T", "controller_id"], allc.loc["T", "basis"]) == ("T", "self")
    (top,) = graph.ultimate_controllers(db, "D0")
    assert top["id"] == "T" and len(top["path"]) == 101
    assert {c["id"] for c in graph.ultimate_controllers(db, "C0")} == set(cycle)


def test_result_frames_keep_the_default_text_dtype(random_graphs: list[Path]) -> None:
    """The text columns come from Arrow but have the dtype pandas gives Python strings (as DuckDB's
    ``fetchdf`` gave before), with a plain RangeIndex."""
    text = pd.Series(["x"]).dtype
    fs = graph.foreign_status(random_graphs[0], TODAY)
    uc = graph.ultimate_controllers_all(random_graphs[0])
    assert [fs[c].dtype for c in ("id", "name", "kind")] == [text] * 3
    assert [uc[c].dtype for c in ("id", "controller_id", "basis")] == [text] * 3
    assert (fs["foreign"].dtype, fs["category"].dtype, fs["foreign_voting_pct"].dtype) == (np.dtype(bool), np.dtype(np.int8), np.dtype(float))
    assert isinstance(fs.index, pd.RangeIndex) and isinstance(uc.index, pd.RangeIndex)
    assert set(uc["basis"]) <= set(graph.CONTROL_BASES)
