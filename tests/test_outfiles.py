"""Outputs are written atomically, never over an input, and CSV cells that a spreadsheet would run as
formulas are neutralised (issue 17, items 2 and 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from fdiscreen.errors import FdiscreenError
from fdiscreen.outfiles import atomic_path, csv_bytes, write_table
from test_cli import cli

BATCH = ROOT / "examples" / "batch" / "deals.csv"


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({"matter": ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1", "-2", "\tx", "plain"], "overall": [1.5, -2.0, 3, 4, 5, 6]})
    out = tmp_path / "t.csv"
    write_table(frame, out)
    back = pd.read_csv(out)
    assert list(back["matter"]) == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+1", "'-2", "'\tx", "plain"]
    assert list(back["overall"]) == [1.5, -2.0, 3, 4, 5, 6]
    assert csv_bytes(frame).decode("utf-8").splitlines()[1].startswith('"\'=HYPERLINK')


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    out.write_text("previous good output\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(out) as temp:
            temp.write_text("half", encoding="utf-8")
            raise RuntimeError("killed mid-write")
    assert out.read_text(encoding="utf-8") == "previous good output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temporary left behind


@pytest.mark.parametrize("bad", ["input", "directory", "missing_folder"])
def test_batch_refuses_a_bad_output_before_any_work(tmp_path: Path, bad: str) -> None:
    src = tmp_path / "deals.csv"
    shutil.copy(BATCH, src)
    before = src.read_bytes()
    out = {"input": src, "directory": tmp_path, "missing_folder": tmp_path / "nope" / "r.csv"}[bad]
    res = cli("batch", str(src), "--out", str(out))
    assert res.returncode == 2 and "--out" in res.stderr and "Traceback" not in res.stderr
    assert src.read_bytes() == before


def test_write_table_refuses_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(FdiscreenError, match="unsupported table format"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.xlsx")
