"""A deal file naming its acquirer in the ownership graph (acquirer_graph_id) instead of its chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from fdiscreen import graph
from fdiscreen.errors import FdiscreenError
from fdiscreen.load import load_deal
from test_cli import cli

G = ROOT / "examples" / "graph"


def test_chain_is_read_from_the_graph(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    deal = load_deal(G / "deal-by-graph-id.yaml", graph_db=db)
    assert deal.acquirer == "JPH" and {"USP", "JPB", "DEH", "LOC"} <= {e.id for e in deal.entities}
    res = cli("screen", str(G / "deal-by-graph-id.yaml"), "--db", str(db), "--json")
    fi = json.loads(res.stdout)["filing"]["foreign_investor"]
    assert fi["status"] == "yes" and fi["category"] == 3


def test_unknown_graph_id_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    bad = tmp_path / "d.yaml"
    bad.write_text((G / "deal-by-graph-id.yaml").read_text(encoding="utf-8").replace("acquirer_graph_id: JPH", "acquirer_graph_id: NOPE"), encoding="utf-8")
    with pytest.raises(FdiscreenError, match="acquirer_graph_id"):
        load_deal(bad, graph_db=db)
    assert cli("check", str(bad), "--db", str(db)).returncode == 2
