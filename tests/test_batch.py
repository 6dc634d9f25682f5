"""Batch screening: flat rows in, results out; bad rows listed, good rows all written; the same
results as screening one by one; the Dask engine gives the same table."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from conftest import ROOT
from fdiscreen import batch as b
from fdiscreen.load import load_deal, parse_deal
from fdiscreen.model import Deal
from fdiscreen.screening import Screened, screen, screened_each
from test_cli import cli

DEALS = ROOT / "examples" / "batch" / "deals.csv"


def frame() -> pd.DataFrame:
    return b.read_table(DEALS)


def alone(deal: Deal, as_of: dt.date | None = None) -> Screened:
    """A deal determined and assessed by itself (a batch of one), what a batch row is read from."""
    s = screened_each([deal], as_of)[0]
    assert not isinstance(s, Exception), s
    return s


def test_good_rows_all_written_and_bad_rows_listed() -> None:
    results, errors = b.screen_frame(frame())
    assert len(results) + len(errors) == len(frame())
    assert list(errors["row"]) == [4, 18, 43] and set(errors["column"]) == {"shares_after_pct"}
    assert list(results.columns) == b.OUTPUT_COLUMNS and results["row"].is_monotonic_increasing


def test_results_identical_to_screening_one_by_one() -> None:
    results, _ = b.screen_frame(frame())
    by_row = results.set_index("row")
    for number, row in b._records(frame()):
        if number not in by_row.index:
            continue
        tree = b.row_to_deal(row, number)
        s = alone(parse_deal(tree))
        expected = b._result(number, tree["matter"], s, tree)
        got = by_row.loc[number].to_dict()
        assert {k: got[k] for k in expected if k != "row"} == {k: v for k, v in expected.items() if k != "row"}, number


def test_screening_a_batch_leaves_no_reference_cycles() -> None:
    """The batch engine pauses Python's cyclic garbage collector (screening.collector_paused). That is
    safe only while screening leaves nothing for the collector to find: screen the bundled batch (good and
    bad rows, with explanations) with the collector off, drop the results, and count what it collects
    (after a first run, which may load what the libraries load on first use)."""
    import gc

    rows = frame()
    assert gc.isenabled()
    b.screen_records(b._records(rows), explain=True)
    assert gc.isenabled(), "the collector is on again after a batch"
    gc.collect()
    gc.disable()
    try:
        out = b.screen_records(b._records(rows), explain=True)
        assert len(out[0]) and len(out[1])
        del out
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0


def test_columns_map_to_errors_and_unknown_columns(tmp_path: Path) -> None:
    df = pd.DataFrame([{"acquirer_jurisdiction": "XX", "target_activity": "software", "target_listed": "true", "shares_after_pct": 5},
                       {"acquirer_jurisdiction": "US", "target_activity": "software", "target_listed": "maybe", "shares_after_pct": 5},
                       {"acquirer_jurisdiction": "US", "target_activity": "warp", "target_listed": "true", "shares_after_pct": 5}])
    _, errors = b.screen_frame(df)
    assert list(errors["column"]) == ["acquirer_jurisdiction", "target_listed", "target_activity"]
    _, errors = b.screen_frame(pd.DataFrame([{"surprise": 1}]))
    assert errors.iloc[0]["column"] == "surprise" and "unknown column" in errors.iloc[0]["message"]


CLEAN_ACQUIRER = {"acquirer_fefta_violation": "false", "acquirer_intelligence_duty": "false", "acquirer_decisions_by_obliged": "false",
                  "acquirer_decisions_in_obliging_country": "false", "acquirer_contractual_disclosure_duty": "false"}
LOAN_ROW = {"acquirer_name": "Meridian Structured Finance LLC", "acquirer_jurisdiction": "US", **CLEAN_ACQUIRER,
            "target_name": "Hokkaido Rail Logistics K.K.", "target_listed": "false", "target_business": "Freight railway operation",
            "target_activity": "railway_core", "target_total_liabilities_jpy": "4000000000",
            "target_subsidiaries_complete": "true", "target_specified_core": "false", "kind": "loan", "closing_date": "2026-12-01",
            "loan_amount_jpy": "5000000000", "loan_term_years": "5", "loan_currency": "USD",
            "loan_balance_after_jpy": "5000000000", "loan_bonds_held_jpy": "0", "loan_borrower_liabilities_jpy": "4000000000"}
INDIRECT_ROW = {"acquirer_name": "Orion Capital Holdings Ltd", "acquirer_jurisdiction": "KY", **CLEAN_ACQUIRER,
                "target_name": "Tsukuba Photonics K.K.", "target_listed": "true", "target_securities_code": "6999",
                "target_business": "Semiconductor lithography optics", "target_activity": "semiconductor_equipment",
                "target_subsidiaries_complete": "true", "target_specified_core": "false",
                "kind": "indirect_acquisition", "closing_date": "2027-09-30", "indirect_holder_name": "Helvetia Sensors AG",
                "indirect_holder_jurisdiction": "CH", "indirect_holder_stake_pct": "35", "indirect_voting_before_pct": "0",
                "indirect_voting_after_pct": "100"}

NOMINEE_ROW = {"acquirer_name": "Kanto Trading K.K.", "acquirer_jurisdiction": "JP", **CLEAN_ACQUIRER, "acquirer_owners_complete": "true",
               "acquirer_directors_total": "3", "acquirer_directors_non_resident": "0", "parent_name": "Taro Yamada", "parent_kind": "individual",
               "parent_jurisdiction": "JP", "parent_voting_pct": "100", "nominee_principal_name": "Lee Wei Ming",
               "nominee_principal_kind": "individual", "nominee_principal_jurisdiction": "SG", "nominee_principal_resident_in_japan": "false",
               "nominee_arrangement": "contract", "target_name": "Tokai Precision Tools K.K.", "target_listed": "true",
               "target_securities_code": "6199", "target_business": "CNC machining centres", "target_activity": "machine_tools_robots",
               "target_technologies": "five-axis machining centre control software", "closing_date": "2027-08-01",
               "target_subsidiaries_complete": "true", "target_specified_core": "false", "shares_after_pct": "3", "acquired_from": "market"}


@pytest.mark.parametrize("row, example", [(LOAN_ROW, "loan-above-thresholds.yaml"), (INDIRECT_ROW, "indirect-overseas-parent.yaml"),
                                          (NOMINEE_ROW, "nominee-for-non-resident.yaml")])
@pytest.mark.parametrize("as_of", ["2026-11-22", "2027-08-01"])
def test_loan_and_indirect_rows_match_their_deal_files(row: dict[str, str], example: str, as_of: str) -> None:
    """A loan and an indirect acquisition (2026 amendment, before and after it is assumed in force) as
    flat rows give the same result as the example deal files spelling them out."""
    results, errors = b.screen_frame(pd.DataFrame([{**row, "as_of": as_of}], dtype=object))
    assert errors.empty, errors.to_dict("records")
    s = alone(load_deal(ROOT / "examples" / example), dt.date.fromisoformat(as_of))
    expected = b._result(1, "", s)
    got = results.iloc[0].to_dict()
    assert {k: got[k] for k in expected if k not in ("row", "matter")} == {k: v for k, v in expected.items() if k not in ("row", "matter")}


def test_loan_and_indirect_column_errors_name_their_columns() -> None:
    no_loan = {"kind": "share_acquisition", **{k: "" for k in LOAN_ROW if k.startswith("loan_")}}
    rows = [{**INDIRECT_ROW, "indirect_holder_jurisdiction": "XX"}, {**INDIRECT_ROW, "indirect_holder_name": "", "indirect_holder_jurisdiction": ""},
            {**LOAN_ROW, **no_loan, "nominee_arrangement": "contract"},
            {**LOAN_ROW, **no_loan, "nominee_principal_jurisdiction": "XX", "nominee_principal_name": "P"},
            {**LOAN_ROW, "loan_term_years": "long"}, {**LOAN_ROW, "loan_amount_jpy": "-5"},
            {**INDIRECT_ROW, "parent_name": "P", "parent_jurisdiction": "XX", "parent_voting_pct": "60"}]
    _, errors = b.screen_frame(pd.DataFrame(rows, dtype=object))
    assert errors["column"].tolist() == ["indirect_holder_jurisdiction", "indirect_holder_name", "nominee_principal_name",
                                         "nominee_principal_jurisdiction", "loan_term_years", "loan_amount_jpy", "parent_jurisdiction"], \
        errors.to_dict("records")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_cli_formats_in_and_out(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / f"in{suffix}"
    b.write_table(frame(), src)
    out = tmp_path / f"out{suffix}"
    res = cli("batch", str(src), "--out", str(out))
    assert res.returncode == 0 and "3 of 62 rows are bad" in res.stderr, res.stderr  # the sample's three bad rows
    written = b.read_table(out)
    assert len(written) == len(frame()) - 3
    assert len(pd.read_csv(b.errors_path_for(out))) == 3
    top_outcome, n = next(iter(written["outcome"].value_counts().items()))
    assert f"outcome: {top_outcome} {n:,}" in res.stdout and "tier: " in res.stdout


def test_cli_bad_input_file(tmp_path: Path) -> None:
    assert cli("batch", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")).returncode == 2
    assert cli("batch", str(DEALS), "--out", str(tmp_path / "o.xlsx")).returncode == 2
    no_workers = cli("batch", str(DEALS), "--out", str(tmp_path / "o.csv"), "--engine", "dask", "--workers", "0")
    assert no_workers.returncode == 2 and "--workers" in no_workers.stderr


def test_progress_counts_every_row() -> None:
    seen: list[int] = []
    b.screen_frame(frame(), tick=seen.append)
    assert sum(seen) == len(frame())


def test_screening_in_slices_gives_the_same_table_and_moves_the_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """Distinct deals are screened a slice at a time as the rows are read (``SCREEN_SLICE``), so memory
    does not grow with the file: slices of 7 give the tables of one slice, every row is told to the
    progress once, and the progress moves slice by slice while the file is screened."""
    whole_results, whole_errors = b.screen_frame(frame())
    monkeypatch.setattr(b, "SCREEN_SLICE", 7)
    seen: list[int] = []
    results, errors = b.screen_frame(frame(), tick=seen.append)
    pd.testing.assert_frame_equal(whole_results, results)
    pd.testing.assert_frame_equal(whole_errors, errors)
    assert sum(seen) == len(frame()) and sum(1 for n in seen if n >= 7) >= len(frame()) // 7 - 2


def run_on_terminal(args: list[str]) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; return its exit code and what the terminal showed."""
    import os
    import pty
    import subprocess

    main, side = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "fdiscreen.cli", *args], stdout=subprocess.PIPE, stderr=side,
                            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(side)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return proc.wait(timeout=120), shown.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminal test written for Linux")
@pytest.mark.parametrize("engine", [["--engine", "local"], ["--engine", "dask", "--workers", "2"]])
def test_progress_bar_on_a_terminal(tmp_path: Path, engine: list[str]) -> None:
    """The bar is drawn on stderr when it is a terminal (stdout stays for the summary line)."""
    code, shown = run_on_terminal(["batch", str(DEALS), "--out", str(tmp_path / "o.csv"), *engine])
    assert code == 0 and "screening" in shown and "━" in shown and "100%" in shown


def test_parquet_rows_are_made_batch_by_batch_as_they_are_read(tmp_path: Path) -> None:
    """A Parquet table stays in Arrow's columns: its rows become Python mappings a batch at a time, as the
    engine reads them, numbered from 1 across batches, and the table screens as its CSV does."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame(), preserve_index=False)
    rows = b.ArrowRows(table, batch_rows=4)
    assert len(rows) == len(frame()) and list(rows) == list(enumerate(table.to_pylist(), start=1))
    path = tmp_path / "deals.parquet"
    frame().to_parquet(path, index=False)
    read = b.read_rows(path)
    assert isinstance(read.records, b.ArrowRows) and not read.errors
    from_parquet, _ = b.screen_rows(read)
    pd.testing.assert_frame_equal(from_parquet, b.screen_frame(frame())[0])


def test_dask_partitions_keep_rows_that_differ_only_in_names_together() -> None:
    """The Dask engine deals rows out by their cells apart from the names, so a deal repeated across the
    file is screened once, in one partition, as the local engine screens it once."""
    records = b._records(frame())
    renamed = [(n, {**row, **{c: f"{row.get(c)} (renamed)" for c in b.NAME_COLUMNS if c in row}}) for n, row in records]
    assert {"matter", "acquirer_name", "target_name"} <= b.NAME_COLUMNS
    ids = b.partition_ids(records, 8)
    assert ids.tolist() == b.partition_ids(renamed, 8).tolist()
    assert set(ids.tolist()) == set(range(8))
    changed = [(n, {**row, "shares_after_pct": "99.5"}) for n, row in records]
    assert ids.tolist() != b.partition_ids(changed, 8).tolist()
    assert b.partition_ids(records, 8, by_name=True).tolist() != b.partition_ids(renamed, 8, by_name=True).tolist()


def test_a_parquet_table_is_dealt_out_as_arrow_tables_with_its_row_numbers() -> None:
    """A Parquet table's partitions stay Arrow tables (no row becomes a mapping before its worker reads
    it), each row keeping its number in the file; every row is in exactly one partition, and a table is
    dealt out as its rows would be as a list."""
    import pyarrow as pa

    records = b._records(frame())
    table = b.ArrowRows(pa.Table.from_pylist([row for _, row in records]), batch_rows=3)
    parts = b._dealt_out(table, 4)
    assert all(isinstance(p, b.ArrowRows) for p in parts)
    assert sorted(r for p in parts for r in p) == records
    assert [list(p) for p in parts] == [list(p) for p in b._dealt_out(records, 4)]
    again = b._dealt_out(parts[0], 2)  # a part of a part keeps the rows' numbers in the file
    assert sorted(r for p in again for r in p) == list(parts[0])
    nested = [(1, {"a": "x", "b": [1, 2]}), (2, {"a": None, "b": {"c": 1}})]
    assert b.partition_ids(nested, 3).shape == (2,)


@pytest.mark.skipif(sys.platform != "linux", reason="local cluster test written for Linux")
def test_dask_engine_matches_local_engine() -> None:
    pytest.importorskip("dask.distributed")
    local, local_err = b.screen_frame(frame())
    seen: list[int] = []
    dask_res, dask_err = b.screen_frame_dask(frame(), workers=2, partitions=4, tick=seen.append)
    pd.testing.assert_frame_equal(local.reset_index(drop=True), dask_res.reset_index(drop=True))
    pd.testing.assert_frame_equal(local_err.reset_index(drop=True), dask_err.reset_index(drop=True))
    assert len(seen) == 4 and sum(seen) == len(frame())


@pytest.mark.skipif(sys.platform != "linux", reason="local cluster test written for Linux")
def test_dask_engine_joins_an_existing_scheduler() -> None:
    """--scheduler ADDRESS: the batch runs on a cluster someone else started, with the same table."""
    distributed = pytest.importorskip("dask.distributed")
    local, _ = b.screen_frame(frame())
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        joined, _ = b.screen_frame_dask(frame(), scheduler=cluster.scheduler_address, partitions=3)
        assert len(cluster.scheduler.workers) == 1  # the cluster is left running for its owner
    pd.testing.assert_frame_equal(local.reset_index(drop=True), joined.reset_index(drop=True))


BASE_ROW = {"acquirer_jurisdiction": "US", "target_listed": "true", "target_activity": "machine_tools_robots", "shares_after_pct": "50"}
SAMPLES = {"text": "X", "bool": "true", "int": "3", "pct": "12.5", "number": "2.5", "date": "2027-01-02", "list": "a; b"}
TEXT_SAMPLES = {"acquirer_kind": "partnership", "acquirer_jurisdiction": "GB", "parent_kind": "individual", "parent_jurisdiction": "FR",
                "target_activity": "software", "target_class": "core", "kind": "consent_only", "acquired_from": "resident",
                "acquirer_investment_plan": "control", "indirect_holder_kind": "partnership", "indirect_holder_jurisdiction": "CH",
                "as_of": "2026-11-22", "mitigations": "no_board_seat", "acquirer_past_conduct": "blocked_deal",
                "nominee_principal_kind": "individual", "nominee_principal_jurisdiction": "SG", "nominee_arrangement": "contract",
                **{f"target_subsidiary{n}_activity": "software" for n in b.SUBSIDIARY_SUFFIXES}}
NEEDS = {"parent": {"parent_name": "P", "parent_jurisdiction": "FR"},
         "target_subsidiary_2": {"target_subsidiary_name": "S1"},
         "target_subsidiary_3": {"target_subsidiary_name": "S1", "target_subsidiary_2_name": "S2"},
         "nominee": {"nominee_principal_name": "Principal", "nominee_principal_jurisdiction": "SG"},
         "loan": {"kind": "loan", "loan_amount_jpy": "200000000", "loan_term_years": "2"},
         "indirect": {"kind": "indirect_acquisition", "indirect_holder_name": "H", "indirect_holder_jurisdiction": "CH",
                      "indirect_holder_stake_pct": "35", "indirect_voting_after_pct": "60", "shares_after_pct": ""}}


def _at(deal: dict[str, Any], path: str) -> Any:
    """The value at a documented column path in a deal dump (row-only roots resolved to where they go)."""
    if path.startswith(b.PROPOSALS + "."):
        return any(p["kind"] == path.split(".", 1)[1] for p in deal["transaction"]["proposals"])
    root, _, field = path.partition(".")
    if root in b.ROW_ENTITIES:
        return next(e for e in deal["entities"] if e["id"] == b.ROW_ENTITIES[root][0])[field]
    node: Any = deal
    for step in b._steps(path):
        node = node[step]
    return node


@pytest.mark.parametrize("column", [c for c in b.COLUMNS if c != "acquirer_graph_id"])
def test_every_documented_column_reaches_its_deal_field(column: str) -> None:
    """Each flat column, given a valid value, lands on the deal field its documentation names."""
    spec = b.COLUMNS[column]
    value = TEXT_SAMPLES.get(column, SAMPLES[spec.kind])
    row = dict(BASE_ROW)
    for prefix, extra in NEEDS.items():
        if column.startswith(prefix):
            row.update(extra)
    row[column] = value
    row = {k: v for k, v in row.items() if v != ""}
    deal = parse_deal(b.row_to_deal(row, 1)).model_dump(mode="json")
    expected = b._convert(column, value)
    got = _at(deal, spec.path)
    assert got == expected or (isinstance(got, str) and got == str(expected)), (column, got, expected)


def test_a_designated_subsidiary_makes_the_target_designated() -> None:
    """The target's class counts its subsidiaries' businesses: a designated subsidiary makes the target designated."""
    row = {**BASE_ROW, "target_activity": "restaurants", "target_subsidiaries_complete": "true"}
    results, errors = b.screen_frame(pd.DataFrame([row, {**row, "target_subsidiary_activity": "software", "target_subsidiary_pct": "100"}],
                                                  dtype=object))
    assert errors.empty, errors.to_dict("records")
    plain, with_sub = (screen(parse_deal(b.row_to_deal(r, 1))) for r in (row, {**row, "target_subsidiary_activity": "software",
                                                                                  "target_subsidiary_pct": "100"}))
    assert plain.filing.target_class.fefta_class == "non_designated" and with_sub.filing.target_class.fefta_class == "designated"
    assert results["prior_notification"].tolist() == [plain.filing.prior_notification_required.status,
                                                        with_sub.filing.prior_notification_required.status]


def test_loan_or_indirect_columns_with_another_kind_are_a_bad_row() -> None:
    _, errors = b.screen_frame(pd.DataFrame([{**BASE_ROW, "loan_amount_jpy": "5"}, {**BASE_ROW, "indirect_holder_name": "H"}], dtype=object))
    assert errors["column"].tolist() == ["kind", "kind"]


def test_output_names_classes_timeline_open_facts_and_best_measure() -> None:
    """The columns a portfolio review sorts by: the classes, the waiting period (empty when nothing is
    notified), the facts still to confirm named by the columns that hold them, and the best next
    measure, which when offered in the row gives the residual score it promised."""
    quiet = {**BASE_ROW, "target_activity": "restaurants", "target_subsidiaries_complete": "true", "shares_after_pct": "5"}
    seated = {**BASE_ROW, "board_seats": "2", "nonpublic_tech_access": "true", "shares_after_pct": "12"}
    results, errors = b.screen_frame(pd.DataFrame([quiet, seated, {**seated, **CLEAN_ACQUIRER}], dtype=object))
    assert errors.empty, errors.to_dict("records")
    first, second, third = results.to_dict("records")
    assert (first["target_class"], first["prior_notification"], first["waiting_days"]) == ("non_designated", "no", None)
    assert (second["target_class"], second["investor_class"], second["prior_notification"]) == ("core", "general_investor", "yes")
    assert second["waiting_days"] > 0
    assert set(CLEAN_ACQUIRER) - {"acquirer_contractual_disclosure_duty", "acquirer_decisions_in_obliging_country"} \
        <= set(second["facts_to_confirm"])
    assert not set(CLEAN_ACQUIRER) & set(third["facts_to_confirm"])
    assert second["best_mitigation"] and second["overall_after_best_mitigation"] < second["overall"]
    offered, _ = b.screen_frame(pd.DataFrame([{**seated, "mitigations": second["best_mitigation"]}], dtype=object))
    assert offered.iloc[0]["residual_overall"] == second["overall_after_best_mitigation"]


def test_three_subsidiaries_in_order_and_a_gap_is_a_bad_row() -> None:
    """Up to three subsidiaries per row; a core subsidiary in third place makes the target core, and
    subsidiary columns skipping one are a bad row naming the missing columns."""
    row = {**BASE_ROW, "target_activity": "restaurants", "target_subsidiaries_complete": "true",
           "target_subsidiary_name": "A", "target_subsidiary_activity": "retail",
           "target_subsidiary_2_name": "B", "target_subsidiary_2_activity": "restaurants",
           "target_subsidiary_3_name": "C", "target_subsidiary_3_activity": "electricity_core", "target_subsidiary_3_pct": "80"}
    gap = {k: v for k, v in row.items() if not k.startswith("target_subsidiary_2")}
    results, errors = b.screen_frame(pd.DataFrame([row, gap], dtype=object))
    deal = parse_deal(b.row_to_deal(row, 1))
    assert [s.name for s in deal.target.subsidiaries] == ["A", "B", "C"] and deal.target.subsidiaries[2].ownership_pct == 80
    assert results["target_class"].tolist() == [screen(deal).filing.target_class.fefta_class] == ["core"]
    assert errors.to_dict("records") == [{"row": 2, "column": "target_subsidiary_2_name", "message":
                                          "target_subsidiary_3_* columns are filled in but not target_subsidiary_2_* "
                                          "(expected the subsidiary columns in order: target_subsidiary_*, then _2_*, then _3_*)"}]


def test_output_dtypes_dates_and_lists(tmp_path: Path) -> None:
    """Dates are dates and the findings and facts are lists: a list column in Parquet and JSON Lines,
    "; "-joined text in CSV (which has no list type)."""
    import pyarrow.parquet as pq

    results, _ = b.screen_frame(pd.DataFrame([{**BASE_ROW, "board_seats": "2", "shares_after_pct": "12"}], dtype=object))
    row = results.iloc[0]
    assert isinstance(row["as_of"], dt.date) and isinstance(row["top_findings"], list) and isinstance(row["facts_to_confirm"], list)
    b.write_table(results, tmp_path / "o.parquet")
    schema = pq.read_schema(tmp_path / "o.parquet")
    assert str(schema.field("as_of").type) == "date32[day]" and str(schema.field("top_findings").type).startswith("list<")
    b.write_table(results, tmp_path / "o.csv")
    text = pd.read_csv(tmp_path / "o.csv")["top_findings"].iloc[0]
    assert text == "; ".join(row["top_findings"]) and "[" not in text


def test_explain_writes_each_rows_own_screening(tmp_path: Path) -> None:
    """``batch --explain`` writes OUT.explain.jsonl: one line per screened row, holding the Screening that
    ``screen()`` gives that row's deal, its own names included (rows that differ only in names are not
    shared); the results table is the one written without it."""
    import json

    rows = [{**row, "acquirer_name": f"Name {number}"} for number, row in b._records(frame())][:8]
    rows.append({**rows[0], "matter": "the first deal under another name", "acquirer_name": "Someone Else"})
    src = tmp_path / "in.csv"
    b.write_table(pd.DataFrame(rows, dtype=object), src)
    plain, explained = tmp_path / "plain.csv", tmp_path / "explained.csv"
    assert cli("batch", str(src), "--out", str(plain), "--as-of", "2026-12-01").returncode == 0
    res = cli("batch", str(src), "--out", str(explained), "--as-of", "2026-12-01", "--explain")
    assert res.returncode == 0, res.stderr
    assert explained.read_bytes() == plain.read_bytes()
    lines = [json.loads(line) for line in b.explain_path_for(explained).read_text(encoding="utf-8").splitlines()]
    assert [x["row"] for x in lines] == [int(r) for r in b.read_table(explained)["row"]]
    source = dict(b._records(b.read_table(src)))
    for x in lines:
        expected = screen(parse_deal(b.row_to_deal(source[x["row"]], x["row"])), as_of=dt.date(2026, 12, 1))
        assert x["screening"] == json.loads(expected.to_json()), x["row"]
    assert lines[-1]["screening"]["matter"] == "the first deal under another name"


@pytest.mark.parametrize("example", sorted(p.relative_to(ROOT / "examples").as_posix() for p in (ROOT / "examples").rglob("*.yaml")
                                            if p.parent.name not in ("listings", "graph")))
def test_a_row_scored_without_explanations_gives_the_same_result_and_no_screening(example: str) -> None:
    """A batch row that is not explained is assessed for scoring only (findings without evidence or
    citations, and no unknown fact read alone, since the movers those readings rank are shown only with
    the explanation): its result row is the explained one's, and it cannot be shown as a Screening."""
    deal = load_deal(ROOT / "examples" / example)
    bare = screened_each([deal], dt.date(2026, 12, 1), explained=False)[0]
    full = alone(deal, dt.date(2026, 12, 1))
    assert not isinstance(bare, Exception)
    assert b._result(1, "", bare) == b._result(1, "", full)
    assert all(not f.evidence and not f.basis for f in bare.assessment.findings)
    assert all(f.evidence and f.basis for f in full.assessment.findings)
    for scores in (bare.assessment.scores, bare.assessment.mitigations.residual):
        assert scores.range is None or not scores.range.movers
    with pytest.raises(RuntimeError):
        bare.screening()


def test_an_explained_row_still_ranks_the_unknown_facts_that_move_its_score() -> None:
    deal = load_deal(ROOT / "examples" / "bids" / "bid-a-pe-take-private.yaml")
    bare, = screened_each([deal], dt.date(2026, 12, 1), explained=False)
    full = alone(deal, dt.date(2026, 12, 1))
    assert not isinstance(bare, Exception) and bare.assessment.scores.range and full.assessment.scores.range
    assert full.assessment.scores.range.movers and bare.assessment.scores.range.unknown == full.assessment.scores.range.unknown
