"""Batch screening: flat rows in, results out; bad rows listed, good rows all written; the same
results as screening one by one; the Dask engine gives the same table."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from fdiscreen import batch as b
from fdiscreen.load import parse_deal
from fdiscreen.screening import screen
from test_cli import cli

DEALS = ROOT / "examples" / "batch" / "deals.csv"


def frame() -> pd.DataFrame:
    return b.read_table(DEALS)


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
        s = screen(parse_deal(tree))
        expected = b._result(number, tree["matter"], s)
        got = by_row.loc[number].to_dict()
        assert {k: got[k] for k in expected if k != "row"} == {k: v for k, v in expected.items() if k != "row"}, number


def test_columns_map_to_errors_and_unknown_columns(tmp_path: Path) -> None:
    df = pd.DataFrame([{"acquirer_jurisdiction": "XX", "target_activity": "software", "target_listed": "true", "shares_after_pct": 5},
                       {"acquirer_jurisdiction": "US", "target_activity": "software", "target_listed": "maybe", "shares_after_pct": 5},
                       {"acquirer_jurisdiction": "US", "target_activity": "warp", "target_listed": "true", "shares_after_pct": 5}])
    _, errors = b.screen_frame(df)
    assert list(errors["column"]) == ["acquirer_jurisdiction", "target_listed", "target_activity"]
    _, errors = b.screen_frame(pd.DataFrame([{"surprise": 1}]))
    assert errors.iloc[0]["column"] == "surprise" and "unknown column" in errors.iloc[0]["message"]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_cli_formats_in_and_out(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / f"in{suffix}"
    b.write_table(frame(), src)
    out = tmp_path / f"out{suffix}"
    res = cli("batch", str(src), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert len(b.read_table(out)) == len(frame()) - 3
    assert len(pd.read_csv(b.errors_path_for(out))) == 3


def test_cli_bad_input_file(tmp_path: Path) -> None:
    assert cli("batch", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")).returncode == 2
    assert cli("batch", str(DEALS), "--out", str(tmp_path / "o.xlsx")).returncode == 2
    no_workers = cli("batch", str(DEALS), "--out", str(tmp_path / "o.csv"), "--engine", "dask", "--workers", "0")
    assert no_workers.returncode == 2 and "--workers" in no_workers.stderr


def test_progress_counts_every_row() -> None:
    seen: list[int] = []
    b.screen_frame(frame(), tick=seen.append)
    assert sum(seen) == len(frame())


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


@pytest.mark.skipif(sys.platform != "linux", reason="local cluster test written for Linux")
def test_dask_engine_matches_local_engine() -> None:
    pytest.importorskip("dask.distributed")
    local, local_err = b.screen_frame(frame())
    seen: list[int] = []
    dask_res, dask_err = b.screen_frame_dask(frame(), workers=2, partitions=4, tick=seen.append)
    pd.testing.assert_frame_equal(local.reset_index(drop=True), dask_res.reset_index(drop=True))
    pd.testing.assert_frame_equal(local_err.reset_index(drop=True), dask_err.reset_index(drop=True))
    assert len(seen) == 4 and sum(seen) == len(frame())
