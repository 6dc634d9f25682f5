"""A deal file naming its acquirer in the ownership graph (acquirer_graph_id) instead of its chain."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import ROOT
from fdiscreen.outfiles import csv_frame
from fdiscreen import batch, graph
from fdiscreen.errors import FdiscreenError
from fdiscreen.load import expand_graph_refs, load_deal, parse_deal
from fdiscreen.screening import screen
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


def test_listed_entity_adds_facts_to_the_graph_entity(tmp_path: Path) -> None:
    """An entity the deal also lists under its graph id keeps the graph's holders and gains the facts given."""
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    data = yaml.safe_load((G / "deal-by-graph-id.yaml").read_text(encoding="utf-8"))
    data["entities"] = [{"id": "JPH", "information_cooperation_duty": False}, {"id": "EXTRA", "name": "Extra", "kind": "individual",
                                                                                "jurisdiction": "US"}]
    deal = parse_deal(data, graph_db=db)
    jph = deal.entity("JPH")
    assert jph.information_cooperation_duty is False and jph.name == "Nihon Holdings K.K."
    assert {h.owner for h in jph.owners} == {"USP", "JPB", "LOC"} and deal.entity("EXTRA").kind == "individual"


GRAPH_ROWS = pd.DataFrame([
    {"acquirer_graph_id": "JPH", "acquirer_intelligence_duty": "false", "target_name": "Hokuriku Cloud Systems K.K.", "target_listed": "true",
     "target_activity": "software", "target_subsidiaries_complete": "true", "target_specified_core": "false", "shares_after_pct": "3",
     "acquired_from": "market", "as_of": "2026-11-22"},
    {"acquirer_graph_id": "NOPE", "target_name": "T", "target_activity": "software", "shares_after_pct": "3"},
    {"acquirer_graph_id": "JPH", "parent_name": "P", "target_name": "T", "target_activity": "software", "shares_after_pct": "3"},
], dtype=object)


def test_batch_rows_name_the_acquirer_in_the_graph(tmp_path: Path) -> None:
    """A row naming acquirer_graph_id gets the same answer as the deal file naming it; a bad id or parent
    columns beside it are listed as bad rows."""
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    results, errors = batch.screen_frame(GRAPH_ROWS, graph_db=db)
    one = screen(parse_deal(batch.row_to_deal({k: v for k, v in GRAPH_ROWS.iloc[0].items() if isinstance(v, str)}, 1), graph_db=db))
    assert one.input["entities"][0]["id"] == "JPH" and len(one.input["entities"]) >= 4
    assert results["row"].tolist() == [1] and results.loc[0, "foreign_investor"] == "yes"
    assert results.loc[0, "outcome"] == one.filing.outcome.code and results.loc[0, "overall"] == one.scores.overall
    assert errors["row"].tolist() == [2, 3] and errors["column"].tolist() == ["acquirer_graph_id", "parent_name"]
    out = tmp_path / "o.csv"
    src = tmp_path / "in.csv"
    GRAPH_ROWS.to_csv(src, index=False)
    res = cli("batch", str(src), "--out", str(out), "--db", str(db))
    assert res.returncode == 0 and "2 of 3 rows are bad" in res.stderr, res.stderr  # rows 2 and 3 are bad (above)
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(io.StringIO(csv_frame(results).to_csv(index=False))))


@pytest.mark.skipif(sys.platform != "linux", reason="local cluster test written for Linux")
def test_dask_workers_read_the_graph_too(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    local = batch.screen_frame(GRAPH_ROWS, graph_db=db)
    distributed = batch.screen_frame_dask(GRAPH_ROWS, workers=1, partitions=2, graph_db=db)
    for a, b in zip(local, distributed):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_a_reloaded_graph_is_read_afresh(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    assert {h["owner"] for h in graph.chain_for_deal_cached(db, "JPH")[0]["owners"]} == {"USP", "JPB", "LOC"}
    fewer = tmp_path / "h.csv"
    fewer.write_text("".join(line for line in (G / "holdings.csv").read_text().splitlines(keepends=True) if not line.startswith("USP,")))
    graph.load(G / "entities.csv", fewer, db)
    assert {h["owner"] for h in graph.chain_for_deal_cached(db, "JPH")[0]["owners"]} == {"JPB", "LOC"}


def test_graph_row_paths_name_the_acquirer_columns_the_row_entities_and_graph_ids(tmp_path: Path) -> None:
    """In a row naming acquirer_graph_id, a deal path on the acquirer names its column, one on the
    row's holding entity names the indirect_holder column, and one on an entity read from the graph
    names it by its graph id (it has no column)."""
    db = tmp_path / "g.duckdb"
    graph.load(G / "entities.csv", G / "holdings.csv", db)
    row = {"acquirer_graph_id": "JPH", "kind": "indirect_acquisition", "indirect_holder_name": "H", "indirect_holder_jurisdiction": "CH",
           "indirect_holder_stake_pct": "35", "indirect_voting_after_pct": "60", "target_activity": "software"}
    tree = batch.row_to_deal(row, 1)
    expanded = expand_graph_refs(tree, db, None)
    ids = [e["id"] for e in expanded["entities"]]
    assert ids[0] == "JPH" and "USP" in ids and ids[-1] == "holding"

    def col(path: str) -> str:
        return batch._column_of(path, tree, expanded)

    assert col("entities[0].information_cooperation_duty") == "acquirer_intelligence_duty"
    assert col(f"entities[{ids.index('USP')}].listed") == "graph:USP.listed"
    assert col(f"entities[{len(ids) - 1}].jurisdiction") == "indirect_holder_jurisdiction"
