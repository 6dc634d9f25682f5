"""No row is lost and none is invented; no output is destroyed (issue 17, items 2, 3 and 6).

Each damaged row is that row's error (row number, column, message); every other row is screened and
written; the exit code is 2 when any row was bad. A write that fails or is killed leaves the previous
output as it was.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, kill_cli_when
from fdiscreen import batch as b
from fdiscreen.errors import FdiscreenError
from test_cli import cli

DEALS = ROOT / "examples" / "batch" / "deals.csv"
LINES = DEALS.read_text(encoding="utf-8").splitlines()
HEADER, ROWS = LINES[0], LINES[1:]
GOOD = [r for i, r in enumerate(ROWS, start=1) if i not in (4, 18, 43)]  # the sample's three bad rows left out


def _rows_of(data: bytes, name: str = "t.csv") -> b.Rows:
    return b.read_rows_bytes(name, data)


def _screen(data: bytes, name: str = "t.csv") -> tuple[pd.DataFrame, pd.DataFrame]:
    return b.screen_rows(_rows_of(data, name))


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


# -- CSV rows that cannot be parsed or decoded --------------------------------------------------------

def test_a_row_with_an_extra_field_is_that_rows_error() -> None:
    results, errors = _screen(_csv(GOOD[0], GOOD[1] + ",surplus", GOOD[2]))
    assert list(results["row"]) == [1, 3]
    assert errors.to_dict("records") == [{"row": 2, "column": "", "message": "line 3: 37 fields where the header has 36"}]


def test_an_unterminated_quote_costs_only_its_row() -> None:
    broken = GOOD[1].replace(",", ',"', 1)
    results, errors = _screen(_csv(GOOD[0], broken, *GOOD[2:6]))
    assert list(results["row"]) == [1, 3, 4, 5, 6]
    assert list(errors["row"]) == [2] and "never closed" in errors.iloc[0]["message"]


def test_a_quoted_cell_may_span_lines() -> None:
    cells = GOOD[0].split(",")
    name_at = HEADER.split(",").index("matter")
    cells[name_at] = '"first line\nsecond line"'
    results, errors = _screen(_csv(",".join(cells), GOOD[1]))
    assert errors.empty and list(results["matter"])[0] == "first line\nsecond line"


def test_a_badly_encoded_row_is_that_rows_error_and_other_rows_keep_their_text() -> None:
    japanese = GOOD[0].replace(GOOD[0].split(",")[HEADER.split(",").index("matter")], "東京精密の取得", 1)
    data = _csv(japanese, GOOD[1]) + "大阪".encode("cp932") + b"\xff," + GOOD[2].encode() + b"\n" + GOOD[3].encode() + b"\n"
    results, errors = _screen(data)
    assert list(results["row"]) == [1, 2, 4]
    assert results.iloc[0]["matter"] == "東京精密の取得"  # read as UTF-8, not re-read as Shift_JIS
    assert list(errors["row"]) == [3] and "not UTF-8" in errors.iloc[0]["message"]


def test_a_whole_shift_jis_file_is_read_as_such() -> None:
    cells = GOOD[0].split(",")
    cells[HEADER.split(",").index("matter")] = "東京精密の取得"
    data = ("\n".join([HEADER, ",".join(cells)]) + "\n").encode("cp932")
    results, errors = _screen(data)
    assert errors.empty and results.iloc[0]["matter"] == "東京精密の取得"


def test_blank_lines_are_skipped_and_not_counted() -> None:
    results, errors = _screen(_csv(GOOD[0], "", GOOD[1]))
    assert errors.empty and list(results["row"]) == [1, 2]


# -- cells that are not numbers or dates ----------------------------------------------------------

@pytest.mark.parametrize("column, value, expected", [
    ("board_seats", "nan", "not a finite number"), ("board_seats", "inf", "not a finite number"),
    ("board_seats", "1e400", "not a finite number"), ("board_seats", "9" * 5000, "not a number"),
    ("board_seats", "1.5", "not a whole number"), ("shares_after_pct", "-inf", "not a finite number"),
    ("closing_date", "2026-11-22junk", "not a date"), ("closing_date", "2026-02-30", "no such date"),
    ("closing_date", "1900-01-01", "outside 1949-12-01"), ("as_of", "1970-01-01", "not encoded before"),
])
def test_a_bad_cell_is_that_rows_error_with_its_column(column: str, value: str, expected: str) -> None:
    header = HEADER.split(",")
    cells = GOOD[0].split(",")
    if column not in header:
        header.append(column)
        cells.append(value)
        for_others = [r + "," for r in GOOD[1:3]]
    else:
        cells[header.index(column)] = value
        for_others = GOOD[1:3]
    data = ("\n".join([",".join(header), ",".join(cells), *for_others]) + "\n").encode()
    results, errors = _screen(data)
    assert list(results["row"]) == [2, 3]
    assert list(errors["row"]) == [1] and errors.iloc[0]["column"] == column and expected in errors.iloc[0]["message"], errors.to_dict("records")


# -- JSON Lines and Parquet -------------------------------------------------------------------------

def _good_records(n: int) -> list[dict[str, str]]:
    return b.read_table(DEALS).drop(index=[3, 17, 42]).head(n).to_dict("records")


def test_jsonl_extra_key_array_line_and_broken_line_cost_only_their_rows() -> None:
    recs = _good_records(20)
    lines = [json.dumps(r) for r in recs]
    lines[4] = json.dumps({**recs[4], "surprise": 1})
    lines[9] = json.dumps([1, 2, 3])
    lines[14] = lines[14][:-5]
    lines[17] = lines[17].replace('"matter": ', '"matter": NaN, "x": ', 1)
    results, errors = _screen(("\n".join(lines) + "\n").encode(), "t.jsonl")
    assert len(results) == 16 and list(errors["row"]) == [5, 10, 15, 18]
    assert errors.iloc[0]["column"] == "surprise" and "unknown column" in errors.iloc[0]["message"]
    assert "not an object" in errors.iloc[1]["message"] and "not valid JSON" in errors.iloc[2]["message"]


def test_parquet_with_an_infinite_value_keeps_its_good_rows() -> None:
    frame = pd.DataFrame(_good_records(17))
    frame["board_seats"] = [1.0] * 16 + [float("inf")]
    frame["loan_term_years"] = [float("nan")] * 17
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    results, errors = _screen(buf.getvalue(), "t.parquet")
    assert len(results) == 16
    assert errors.to_dict("records") == [{"row": 17, "column": "board_seats", "message": "not a finite number: inf (expected a whole number)"}]


def _boom_rows() -> bytes:
    cells = GOOD[1].split(",")
    at = HEADER.split(",").index("matter")
    cells[at] = cells[at] + "#boom"
    cells[HEADER.split(",").index("shares_after_pct")] = "7.77"  # a deal of its own (not shared through the cache)
    return _csv(GOOD[0], ",".join(cells), GOOD[2])


def _only_the_boom_row_failed(results: pd.DataFrame, errors: pd.DataFrame) -> None:
    """Rows 1 and 3 screened; row 2 (the planted fault) is the one error, with its exception named."""
    assert list(results["row"]) == [1, 3]
    assert list(errors["row"]) == [2] and "ZeroDivisionError" in errors.iloc[0]["message"]


def test_an_internal_error_in_one_rows_screening_costs_only_that_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault while one row's findings are found (after the batch's determination) is that row's error:
    the table of the law's deals fails, and each deal is then found alone."""
    import fdiscreen.assess as assess

    real = assess._found_together

    def flaky(deals, *args, **kw):  # type: ignore[no-untyped-def]
        if any(d.matter.endswith("#boom") for d in deals):
            raise ZeroDivisionError("simulated fault")
        return real(deals, *args, **kw)

    monkeypatch.setattr(assess, "_found_together", flaky)
    results, errors = _screen(_boom_rows())
    _only_the_boom_row_failed(results, errors)
    assert "internal error" in errors.iloc[0]["message"]


def test_a_row_that_breaks_the_batchs_scoring_costs_only_that_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """When a law's deals cannot be scored in one table, each is scored alone: the row whose scores
    fail is that row's error, and the others are scored."""
    import fdiscreen.assess as assess
    import fdiscreen.screening as screening

    real_find, real_score = screening.find_many, assess._score_group
    bad: list[object] = []

    def find_many(deals, *args, **kw):  # type: ignore[no-untyped-def]
        found = real_find(deals, *args, **kw)
        bad.extend(f for d, f in zip(deals, found) if d.matter.endswith("#boom"))
        return found

    def score_group(group, *args, **kw):  # type: ignore[no-untyped-def]
        if any(f is b for f in group for b in bad):
            raise ZeroDivisionError("simulated fault")
        return real_score(group, *args, **kw)

    monkeypatch.setattr(screening, "find_many", find_many)
    monkeypatch.setattr(assess, "_score_group", score_group)
    _only_the_boom_row_failed(*_screen(_boom_rows()))


def test_a_row_that_breaks_the_batchs_determination_costs_only_that_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """When a date's deals cannot be determined together, each is determined alone: the row whose deal
    fails is that row's error, and the others are screened."""
    import fdiscreen.screening as screening

    real_many, real_one = screening.determine_many, screening.determine

    def many(deals, *args, **kw):  # type: ignore[no-untyped-def]
        if any(d.matter.endswith("#boom") for d in deals):
            raise ZeroDivisionError("simulated fault")
        return real_many(deals, *args, **kw)

    def one(deal, *args, **kw):  # type: ignore[no-untyped-def]
        if deal.matter.endswith("#boom"):
            raise ZeroDivisionError("simulated fault")
        return real_one(deal, *args, **kw)

    monkeypatch.setattr(screening, "determine_many", many)
    monkeypatch.setattr(screening, "determine", one)
    _only_the_boom_row_failed(*_screen(_boom_rows()))


def test_cli_batch_says_how_many_rows_were_bad_and_strict_exits_3(tmp_path: Path) -> None:
    """A batch that ran exits 0 and says how many rows were bad; with --strict it exits 3 (README, exit
    codes); either way the good rows are written and the bad ones listed."""
    src = tmp_path / "in.csv"
    src.write_bytes(_csv(GOOD[0], GOOD[1] + ",x", GOOD[2]))
    res = cli("batch", str(src), "--out", str(tmp_path / "o.csv"))
    assert res.returncode == 0 and "1 of 3 rows are bad" in res.stderr and "3 rows: 2 screened" in res.stdout
    assert len(pd.read_csv(tmp_path / "o.csv")) == 2 and len(pd.read_csv(tmp_path / "o.errors.csv")) == 1
    strict = cli("batch", str(src), "--out", str(tmp_path / "s.csv"), "--strict")
    assert strict.returncode == 3 and "1 of 3 rows are bad" in strict.stderr
    assert len(pd.read_csv(tmp_path / "s.csv")) == 2 and len(pd.read_csv(tmp_path / "s.errors.csv")) == 1
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(*GOOD[:3]))
    assert cli("batch", str(good), "--out", str(tmp_path / "g.csv"), "--strict").returncode == 0
    quiet = cli("-q", "batch", str(good), "--out", str(tmp_path / "q.csv"))
    assert quiet.returncode == 0 and quiet.stdout == ""


# -- files that are not regular, or too large -----------------------------------------------------

def test_a_fifo_or_device_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "deal.yaml"
    os.mkfifo(fifo)
    link = tmp_path / "random.csv"
    link.symlink_to("/dev/urandom")
    for args in (["check", str(fifo)], ["batch", str(link), "--out", str(tmp_path / "o.csv")]):
        res = subprocess.run([sys.executable, "-m", "fdiscreen.cli", *args], capture_output=True, text=True, timeout=60)
        assert res.returncode == 2 and "not a regular file" in res.stderr and "Traceback" not in res.stderr, res.stderr


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fdiscreen import infiles

    deal = tmp_path / "big.yaml"
    deal.write_bytes(b"# padding\n" * 200)
    monkeypatch.setattr(infiles, "DEAL_FILE_LIMIT", 1000)
    with pytest.raises(FdiscreenError, match="larger than the"):
        infiles.read_input(deal, "a deal file", infiles.DEAL_FILE_LIMIT)


# -- outputs: a full disk and a killed batch ----------------------------------------------------------

def test_a_full_disk_leaves_the_previous_output_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "results.csv"
    out.write_text("previous good output\n", encoding="utf-8")

    def no_space(self, path, *a, **kw):  # type: ignore[no-untyped-def]
        Path(path).write_text("partial", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pd.DataFrame, "to_csv", no_space)
    with pytest.raises(FdiscreenError, match="No space left on device") as caught:
        b.write_table(pd.DataFrame({"a": [1]}), out)
    assert "previous file, if any, is unchanged" in str(caught.value)
    assert out.read_text(encoding="utf-8") == "previous good output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]


def test_a_batch_killed_while_writing_leaves_the_previous_output(tmp_path: Path) -> None:
    """SIGKILL the batch as soon as its temporary output appears: the previous output is untouched
    (a non-atomic writer would leave it truncated)."""
    src = tmp_path / "deals.csv"
    src.write_bytes(_csv(*(GOOD * 400)))  # 23,600 rows, screened fast (identical deals share one screening)
    out = tmp_path / "results.csv"
    previous = "previous good output\n"
    out.write_text(previous, encoding="utf-8")
    killed_mid_write = kill_cli_when(["batch", str(src), "--out", str(out)],
                                     lambda: any(p.name.startswith(".results.") for p in tmp_path.iterdir()))
    assert killed_mid_write, "the batch finished before its output was seen being written"
    assert out.read_text(encoding="utf-8") == previous
