"""Ownership graphs on DuckDB: loading and checking CSVs, foreign status through the 50% look-through
with cycles, ultimate controllers, indirect holdings, and deal entities that the per-deal engine reads
the same way."""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from typer.testing import CliRunner  # noqa: E402

from fdiscreen import graph  # noqa: E402
from fdiscreen.errors import FdiscreenError  # noqa: E402
from fdiscreen.filing.investor import foreign_status as deal_foreign_status  # noqa: E402
from fdiscreen.graph_cli import graph_app  # noqa: E402
from fdiscreen.load import parse_deal  # noqa: E402
from fdiscreen.regime import make_regime  # noqa: E402

from conftest import BASE, TODAY  # noqa: E402

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


# -- foreign status ------------------------------------------------------------------------------------

def test_cross_shareholding_reaches_threshold_only_with_the_partners_votes(tmp_path: Path) -> None:
    # A: 30% US + 25% from B; B: 35% GB + 20% from G (foreign through 60% CN) + 30% from A.
    # Alone neither A (30%) nor B (35%) reaches 50%: B does with G's block, then A with B's.
    db = write_graph(tmp_path, [corp("US1", "US"), corp("GB1", "GB"), corp("CN1", "CN"), corp("A"), corp("B"), corp("G"),
                                corp("J1"), corp("J2")],
                     ["US1,A,30,,", "B,A,25,,", "J1,A,45,,", "GB1,B,35,,", "G,B,20,,", "A,B,30,,", "J2,B,15,,",
                      "CN1,G,60,,", "J2,G,40,,"])
    frame = graph.foreign_status(db, TODAY).set_index("id")
    assert frame.loc["G", "foreign"] and frame.loc["B", "foreign"] and frame.loc["A", "foreign"]
    assert frame.loc["B", "foreign_voting_pct"] == pytest.approx(85.0)  # 35 + 20 + A's 30 once A is foreign
    assert frame.loc["A", "foreign_voting_pct"] == pytest.approx(55.0)
    assert frame.loc["A", "category"] == 3
    assert not frame.loc["J1", "foreign"]


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
    frame = graph.foreign_status(db, TODAY).set_index("id")
    assert list(frame.loc[["P", "S", "T"], "foreign"]) == [True, True, True]
    assert frame.loc["T", "foreign_voting_pct"] == pytest.approx(55.0)
    assert frame.loc["NR", "category"] == 1  # a non-resident individual of Japanese nationality
    assert not frame.loc["U", "foreign"] and not frame.loc["V", "foreign"]  # U is not foreign: its 30% of V does not count
    # proportional attribution (the alternative reading): V gets 40 + 30 x 40% = 52%
    prop = graph.foreign_status(db, TODAY, overrides={"indirect_voting_attribution": "proportional"}).set_index("id")
    assert list(prop.loc[["P", "S", "T"], "foreign"]) == [True, True, True]
    assert not prop.loc["U", "foreign"] and prop.loc["V", "foreign"]
    assert prop.loc["V", "foreign_voting_pct"] == pytest.approx(52.0)


def test_threshold_comes_from_the_regime(tmp_path: Path) -> None:
    db = write_graph(tmp_path, [corp("US1", "US"), corp("A"), corp("J1")], ["US1,A,40,,", "J1,A,60,,"])
    assert not status(db)["A"]
    assert status(db, overrides={"foreign_owned_company_pct": 40})["A"]


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
    out = graph.indirect_holdings(db, "O", 50).set_index("id")
    assert set(out.index) == {"J1", "J2"}
    assert out.loc["J1", "effective_pct"] == pytest.approx(80.0)  # O3's 60 + J2's 20 (J2 controlled: 55%)
    assert out.loc["J2", "effective_pct"] == pytest.approx(55.0) and out.loc["J2", "direct_pct"] == 25.0
    assert out.loc["J1", "path"] == ["O", "O2", "O3", "J1"]
    low = graph.indirect_holdings(db, "O", 10).set_index("id")
    assert set(low.index) == {"J1", "J2", "J3", "J5"} and not low.loc["J3", "controlled"]
    assert "J4" in set(graph.indirect_holdings(db, "O", 50, classes=("non_designated",))["id"])
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


@pytest.mark.parametrize("method", ["controlled_full", "proportional"])
def test_graph_agrees_with_the_per_deal_engine(random_graphs: list[Path], method: str) -> None:
    for seed, db in enumerate(random_graphs):
        frame = graph.foreign_status(db, TODAY, overrides={"indirect_voting_attribution": method})
        jp = list(frame["id"])
        deal = parse_deal(_deal_from(db, jp[0], jp[1:]))
        marked = deal_foreign_status(deal, make_regime(TODAY, {"indirect_voting_attribution": method}))
        # the graph reads unknown facts (officers, unlisted holders) as "no": the engine's definite "yes"
        for eid, foreign in zip(frame["id"], frame["foreign"]):
            assert bool(foreign) == (marked.status[eid] is True), (seed, eid)
        # with officers resident and holders complete, the engine is definite and agrees exactly
        # (a partnership also needs its executing partners, which the graph does not hold)
        data = _deal_from(db, jp[0], jp[1:])
        for e in data["entities"]:
            if e["jurisdiction"] == "JP" and e["kind"] not in ("individual", "partnership"):
                e["officers"] = {"directors_total": 3, "directors_non_resident": 0}
                e["owners_complete"] = True
            if e["kind"] == "partnership":  # Art. 26(1)(iv): a resident executing partner settles the GP limb
                e.setdefault("partnership", {})["executing_partners"] = ["P0"]
        marked = deal_foreign_status(parse_deal(data), make_regime(TODAY, {"indirect_voting_attribution": method}))
        kinds = dict(zip(frame["id"], frame["kind"]))
        for eid, foreign in zip(frame["id"], frame["foreign"]):
            if kinds[eid] != "partnership":
                assert marked.status[eid] is bool(foreign), (seed, eid)


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
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert graph.default_db() == tmp_path / "fdiscreen" / "graph.duckdb"
    with pytest.raises(FdiscreenError, match="no ownership graph"):
        graph.foreign_status(None, dt.date(2026, 1, 1))
