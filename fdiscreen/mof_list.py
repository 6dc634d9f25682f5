"""Loader for MOF's list of listed companies by FEFTA category (本邦上場会社の外為法における対内直接投資等
事前届出該当性リスト), as a CSV the user supplies.

The list sorts companies into ① non-designated only, ② designated but not core, ③ at least one core
business. Its column layout is not fixed here: the loader finds the securities-code and category
columns by their Japanese or English headers. The list is an aid: the investor remains responsible.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fdiscreen.csvfile import read_rows
from fdiscreen.errors import FdiscreenError
from fdiscreen.model import FeftaClass

CODE_HEADERS = ("証券コード", "コード", "securities code", "code", "stock code")
CATEGORY_HEADERS = ("区分", "分類", "category", "classification")
CATEGORY_VALUES: dict[str, FeftaClass] = {
    "1": "non_designated", "①": "non_designated", "i": "non_designated",
    "2": "designated", "②": "designated", "ii": "designated",
    "3": "core", "③": "core", "iii": "core",
}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


@dataclass(frozen=True)
class MofList:
    """Securities code -> FEFTA class, read from one file."""

    source: str
    classes: dict[str, FeftaClass]

    def lookup(self, code: str) -> FeftaClass | None:
        return self.classes.get(_norm(code))


def _find_column(header: list[str], names: tuple[str, ...], file: str, what: str) -> int:
    normed = [_norm(h) for h in header]
    for name in names:
        for i, h in enumerate(normed):
            if h == _norm(name) or h.startswith(_norm(name)):
                return i
    raise FdiscreenError(f"no {what} column in header {header}", file=file, path="header",
                         expected=f"a column named one of {list(names)}")


def load_mof_list(path: str | Path) -> MofList:
    """Read a MOF-format classification list (CSV, UTF-8 or Shift_JIS)."""
    p = Path(path)
    rows = read_rows(p, "a CSV of the MOF classification list")
    header_at = next((i for i, row in enumerate(rows) if any(_norm(c) in {_norm(h) for h in CODE_HEADERS} for c in row)), None)
    if header_at is None:
        raise FdiscreenError("no header row with a securities-code column", file=str(p), path="header",
                             expected=f"a column named one of {list(CODE_HEADERS)}")
    header = rows[header_at]
    code_col = _find_column(header, CODE_HEADERS, str(p), "securities-code")
    cat_col = _find_column(header, CATEGORY_HEADERS, str(p), "category")
    classes: dict[str, FeftaClass] = {}
    for n, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not row or not any(c.strip() for c in row):
            continue
        raw_cat = _norm(row[cat_col]) if cat_col < len(row) else ""
        cls = CATEGORY_VALUES.get(raw_cat)
        if cls is None:
            raise FdiscreenError(f"unknown category {raw_cat!r}", file=str(p), path=f"row {n}, column {header[cat_col]}",
                                 expected="1/2/3 or ①/②/③")
        classes[_norm(row[code_col])] = cls
    return MofList(source=p.name, classes=classes)
