"""CSV files users supply (MOF lists, watch lists): UTF-8 or Shift_JIS, read into rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fdiscreen.errors import FdiscreenError
from fdiscreen.infiles import TABLE_LIMIT, read_input


def read_rows(path: Path, what: str) -> list[list[str]]:
    """Rows of a CSV in UTF-8 (with or without BOM) or Shift_JIS (cp932), as Japanese agencies publish."""
    raw = read_input(path, what, TABLE_LIMIT)
    for enc in ("utf-8-sig", "cp932"):
        try:
            return list(csv.reader(io.StringIO(raw.decode(enc))))
        except UnicodeDecodeError:
            continue
    raise FdiscreenError("cannot decode", file=str(path), expected=f"{what} in UTF-8 or Shift_JIS (cp932)")
