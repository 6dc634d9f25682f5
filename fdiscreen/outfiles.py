"""Files fdiscreen writes: written to a temporary name in the same folder and renamed into place
when complete, so a killed run or a full disk leaves the previous file intact; never over an input;
CSV cells a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fdiscreen.errors import FdiscreenError

#: a text cell starting with one of these is run as a formula by spreadsheets (CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_output(path: Path, inputs: Iterable[Path] = (), option: str = "--out") -> None:
    """Refuse, before any work, an output path that is an input, a folder, or in a missing or
    read-only folder."""
    target = path.resolve()
    for given in inputs:
        if Path(given).resolve() == target:
            raise FdiscreenError("the output would overwrite an input", file=str(path), path=option, expected="a new file name")
    if path.is_dir():
        raise FdiscreenError("is a directory", file=str(path), path=option, expected="a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FdiscreenError("folder does not exist", file=str(folder), path=option, expected="an existing folder")
    if not os.access(folder, os.W_OK):
        raise FdiscreenError("folder is not writable", file=str(folder), path=option, expected="a folder you can write to")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` (same suffix) to write; renamed onto ``path`` only when the
    block finishes, removed if it fails."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=folder)
    os.close(fd)
    temp = Path(tmp)
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FdiscreenError(f"cannot write: {exc.strerror or exc}", file=str(path), expected="room on the disk and a writable folder; "
                             "the previous file, if any, is unchanged") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def neutralise_formulas(frame: Any) -> Any:
    """A copy of the table with every text cell that starts like a formula prefixed by an apostrophe
    (numbers stay numbers)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def flat_lists(frame: Any) -> Any:
    """A copy with every list cell joined by "; " (CSV has no list type; Parquet and JSON keep lists)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def csv_frame(frame: Any) -> Any:
    """The table as it goes into a CSV file: lists joined, formulas neutralised."""
    return neutralise_formulas(flat_lists(frame))


def csv_bytes(frame: Any) -> bytes:
    """The table as UTF-8 CSV with formulas neutralised (for downloads)."""
    return str(csv_frame(frame).to_csv(index=False)).encode("utf-8")


def write_table(frame: Any, path: Path, inputs: Iterable[Path] = (), option: str = "--out") -> None:
    """A table as CSV (formulas neutralised), Parquet or JSON Lines by suffix, written atomically."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".jsonl", ".ndjson"):
        raise FdiscreenError(f"unsupported table format {suffix!r}", file=str(path), path=option, expected=".csv, .parquet or .jsonl")
    check_output(path, inputs, option)
    with atomic_path(path) as temp:
        if suffix == ".csv":
            csv_frame(frame).to_csv(temp, index=False)
        elif suffix == ".parquet":
            frame.to_parquet(temp, index=False)
        else:
            frame.to_json(temp, orient="records", lines=True, force_ascii=False, date_format="iso", date_unit="s")
