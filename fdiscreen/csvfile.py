"""CSV files users supply (MOF lists, watch lists): UTF-8 or Shift_JIS, read into rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fdiscreen.errors import FdiscreenError


def read_rows(path: Path, what: str) -> list[list[str]]:
    """Rows of a CSV in UTF-8 (with or without BOM) or Shift_JIS (cp932), as Japanese agencies publish."""
    if path.is_dir():
        raise FdiscreenError("is a directory", file=str(path), expected=what)
    if not path.is_file():
        raise FdiscreenError("no such file" if not path.exists() else "not a regular file", file=str(path), expected=what)
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            return list(csv.reader(io.StringIO(raw.decode(enc))))
        except UnicodeDecodeError:
            continue
    raise FdiscreenError("cannot decode", file=str(path), expected=f"{what} in UTF-8 or Shift_JIS (cp932)")
