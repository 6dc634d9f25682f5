"""GLEIF golden-copy files converted into the ownership graph's files: direct consolidation links become
control holdings, everything left out is listed or counted, and the loaded graph answers as expected.
The example LEIs (examples/graph/gleif/) are made up."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from conftest import ROOT
from test_cli import cli

from fdiscreen import gleif, graph
from fdiscreen.errors import FdiscreenError

G = ROOT / "examples" / "graph" / "gleif"
US, NL, JP_HOLD, JP_PRECISION, JP_ROBOTICS = ("FDSX00US0000000000A1", "FDSX00NL0000000000B2", "FDSX00JP0000000000C3",
                                              "FDSX00JP0000000000D4", "FDSX00JP0000000000E5")
FUND, GOV, KANSAI = "FDSX00LU0000000000G7", "FDSX00SG0000000000H8", "FDSX00JP0000000000K0"


def convert(tmp: Path, level1: Path = G / "level1.csv", level2: Path = G / "level2.csv") -> gleif.Conversion:
    return gleif.convert(level1, level2, tmp)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def relationships(tmp: Path, rows: list[str], group: str = "Quantifiers") -> Path:
    """A level-2 file of direct-parent rows (child, parent, type, status, amount, units); ``group`` names
    the quantifier columns (``Quantifiers`` in the golden copy)."""
    header = ("Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType,Relationship.RelationshipStatus,"
              f"Relationship.{group}.1.QuantifierAmount,Relationship.{group}.1.QuantifierUnits")
    level2 = tmp / "rr.csv"
    level2.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return level2


def test_direct_parents_become_control_holdings_and_everything_left_out_is_accounted_for(tmp_path: Path) -> None:
    done = convert(tmp_path)
    ents = read(done.files["entities"]).set_index("id")
    assert list(ents.index) == [US, NL, JP_HOLD, JP_PRECISION, JP_ROBOTICS, FUND, GOV, KANSAI]
    assert ents.loc[US, "jurisdiction"] == "US" and ents.loc[GOV, "kind"] == "government" and ents.loc[FUND, "kind"] == "corporation"
    holds = read(done.files["holdings"])
    assert holds[["holder_id", "held_id", "voting_pct", "control_only"]].values.tolist() == [
        [US, NL, "", "true"], [NL, JP_HOLD, "", "true"], [JP_HOLD, JP_PRECISION, "", "true"], [JP_HOLD, JP_ROBOTICS, "60", "true"],
        [FUND, JP_ROBOTICS, "", "true"]]  # the fund: the 40% the stated parent leaves (assumed when loaded)
    skipped = read(done.files["skipped"])
    assert [(Path(f).name, int(r)) for f, r in zip(skipped["file"], skipped["row"])] == [
        ("level1.csv", 7), ("level1.csv", 10), ("level2.csv", 11), ("level2.csv", 12), ("level2.csv", 13)]
    assert "branch" in skipped["reason"].iloc[0] and "no longer active" in skipped["reason"].iloc[1]
    assert skipped["id"].iloc[2] == "FDSX00JP0000000000J9" and "parent" in skipped["reason"].iloc[2]  # its parent was skipped
    assert done.not_ownership == {"IS_FUND-MANAGED_BY": 1, "IS_INTERNATIONAL_BRANCH_OF": 1, "IS_ULTIMATELY_CONSOLIDATED_BY": 2}
    l1, l2 = (len(read(G / f)) for f in ("level1.csv", "level2.csv"))
    assert done.entities + sum(Path(f).name == "level1.csv" for f in skipped["file"]) == l1
    assert done.holdings + sum(Path(f).name == "level2.csv" for f in skipped["file"]) + sum(done.not_ownership.values()) == l2


def test_the_converted_graph_loads_and_answers(tmp_path: Path) -> None:
    """Controllers follow the direct parents to the US parent; the Japanese subsidiaries are foreign
    investors through the look-through; with a FEFTA class added, the indirect rule finds the company."""
    done = convert(tmp_path)
    db = tmp_path / "g.duckdb"
    graph.load(done.files["entities"], done.files["holdings"], db)
    (top,) = graph.ultimate_controllers(db, JP_PRECISION)
    assert top["id"] == US and top["path"] == [JP_PRECISION, JP_HOLD, NL, US]
    foreign = graph.foreign_status(db).set_index("id")["foreign"].to_dict()
    assert foreign == {JP_HOLD: True, JP_PRECISION: True, JP_ROBOTICS: True, KANSAI: False}
    ents = read(done.files["entities"])
    ents.loc[ents["id"] == JP_PRECISION, "fefta_class"] = "core"
    ents.to_csv(done.files["entities"], index=False)
    graph.load(done.files["entities"], done.files["holdings"], db)
    assert graph.indirect_holdings(db, US, 50)["id"].tolist() == [JP_PRECISION]


@pytest.mark.parametrize("group", ["Quantifiers", "RelationshipQuantifiers"])  # the golden copy's name, and another export's
def test_percentage_quantifiers_and_bad_ones(tmp_path: Path, group: str) -> None:
    rows = [f"{NL},{US},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,75.5,PERCENTAGE",
            f"{JP_HOLD},{NL},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,3,UNITS",
            f"{JP_PRECISION},{JP_HOLD},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,150,PERCENTAGE"]
    done = convert(tmp_path, level2=relationships(tmp_path, rows, group))
    assert read(done.files["holdings"])["voting_pct"].tolist() == ["75.5", ""]
    assert read(done.files["skipped"])["reason"].tolist()[-1] == "a percentage quantifier outside 0-100"


def test_parents_the_graph_cannot_take_are_listed(tmp_path: Path) -> None:
    """Per child: stated percentages past 100% in total, a second parent without a percentage, and one
    without a percentage when the others hold 100% are skipped; what is kept loads."""
    rows = [f"{JP_HOLD},{NL},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,60,PERCENTAGE",
            f"{JP_HOLD},{US},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,50,PERCENTAGE",  # 110% in all
            f"{JP_PRECISION},{NL},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,,",
            f"{JP_PRECISION},{US},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,,",  # a second one without a percentage
            f"{JP_ROBOTICS},{NL},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,100,PERCENTAGE",
            f"{JP_ROBOTICS},{US},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,,"]  # nothing left for it
    done = convert(tmp_path, level2=relationships(tmp_path, rows))
    assert read(done.files["holdings"])[["holder_id", "held_id"]].values.tolist() == [[NL, JP_HOLD], [NL, JP_PRECISION], [NL, JP_ROBOTICS]]
    level2_skips = read(done.files["skipped"]).query("file.str.endswith('rr.csv')")
    assert level2_skips["row"].astype(int).tolist() == [3, 5, 7]
    assert ["100%" in r or "without a percentage" in r for r in level2_skips["reason"]] == [True, True, True]
    graph.load(done.files["entities"], done.files["holdings"], tmp_path / "g.duckdb")


def test_zipped_golden_copy_files_are_read(tmp_path: Path) -> None:
    zipped = tmp_path / "lei2.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(G / "level1.csv", "20261128-0000-gleif-goldencopy-lei2-golden-copy.csv")
    assert convert(tmp_path, level1=zipped).entities == 8


def test_bad_files_name_the_file_and_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(FdiscreenError, match=r"level2\.csv: row 1 \(header\): missing column 'LEI'"):
        convert(tmp_path, level1=G / "level2.csv")
    with pytest.raises(FdiscreenError, match="folder does not exist"):
        gleif.convert(G / "level1.csv", G / "level2.csv", tmp_path / "missing")
    res = cli("graph", "gleif", str(G / "level1.csv"), str(G / "level1.csv"), "--out", str(tmp_path))
    assert res.returncode == 2 and "missing column 'Relationship.StartNode.NodeID'" in res.stderr and "Traceback" not in res.stderr


def test_cli_converts_and_loads(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    res = cli("graph", "gleif", str(G / "level1.csv"), str(G / "level2.csv"), "--out", str(tmp_path), "--load", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "fefta_class" in res.stdout and graph.ultimate_controllers(db, JP_ROBOTICS)[0]["id"] == US
