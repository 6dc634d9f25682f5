"""Loader for MOF's list of listed companies by FEFTA category (本邦上場会社の外為法における対内直接投資等
事前届出該当性リスト; MOF's English title: "List of classifications of listed companies regarding the
prior-notification requirements on inward direct investment under the FEFTA"), read as MOF publishes it
(an Excel workbook) or as a CSV.

The list sorts listed companies into ① non-designated businesses only (post-investment report only,
事後報告業種), ② designated businesses but none core, ③ at least one core business (コア業種). MOF builds it
from a survey of listed companies, their articles and annual securities reports, as an aid: the investor
remains responsible for the judgement. It is revised after each amendment of the business-sector notices
(first published 2020-05-08; revised e.g. 2020-06-05, 2020-07-10, 2021-07, 2021-11-02, 2023-05-19,
2024-09-13, 2025-07-15).

What public descriptions say about the file (read 2026-12-01; none of it is a MOF specification, and MOF's
own pages could not be fetched here, so every point below is second-hand):

- Where: the Japanese FEFTA page (https://www.mof.go.jp/policy/international_policy/gaitame_kawase/fdi/)
  links the workbook as ``list.xlsx`` (no date in the name; GitHub ticker-list scripts download
  https://www.mof.go.jp/policy/international_policy/gaitame_kawase/fdi/list.xlsx). The English page
  "Related Guidance and Documents"
  (https://www.mof.go.jp/english/policy/international_policy/fdi/Related_Guidance_and_Documents/index.html)
  links it with the revision date in the link text ("...under the FEFTA"(As of 15 July, 2025)(Excel:296KB)")
  and in the file name (``gaitouseilist20250715.xlsx``), per a GitHub FEFTA crawler's specification and
  tests. That crawler reads the file from the English page with the Japanese sheet name and bilingual
  headers, so the "English edition" appears to be the same bilingual workbook; an English-only layout is
  nowhere described, and English-only headers ("Securities code", "Category") are accepted as well.
- Sheet: 「上場企業の銘柄リスト」 in the older scripts, 「上場企業の該当性リスト」 in the 2025 crawler.
- Header: the scripts read the first row as the header (pandas ``header=0``); header cells are bilingual,
  with a line break inside the cell: 「証券コード\n(Securities code)」, 「ISINコード (ISIN code)」,
  「会社名（和名）」, 「(Issue name / company name)」, 「区分」 (values ①/②/③), and, in the 2025 file,
  「特定コア事業者」 (specified core business entity; blank or a mark).
- Categories ① ② ③ and their meaning: MOF's releases of revision, as reproduced at
  https://www.mhmjapan.com/ja/headlines/year/2023/5/13/11.html (2023-05-19) and
  https://www.gov-base.info/2020/07/10/91304 (2020-07-10); n-legal.co.jp's column on the 2024-09-13 list.
- Not found in any public description: whether title rows sit above the header, where (or whether) the
  revision date appears inside the workbook, the notes rows below the list. The reader therefore assumes
  no fixed position: it takes the first sheet whose header row (within the first rows) names a
  securities-code and a category column (Japanese or English, NFKC, whitespace and line breaks ignored,
  the part in brackets read as a second name), skips title rows above and blank or notes rows below, and
  reads the revision date from the rows above the header ("2026年10月15日現在", "令和8年10月15日現在",
  "As of October 15, 2026", "(as of 15 October 2026)"), failing that from the file name
  ("gaitouseilist20261015.xlsx", "list_20261015.xlsx"), or takes it from the caller (``vintage=``); the
  Japanese page's ``list.xlsx`` may give none, and the result then says the date is unknown.
- The 「特定コア事業者」 column is not read (the deal file states ``specified_core_business_entity``).

Every result that used the list records it (``TargetClassConclusion.mof_list``: file, sheet, vintage) and
``fdiscreen.filing.target`` warns when the vintage predates the latest notice revision in force on the
as-of date (the revision dates come from the activity catalog, not from this module).

Limits: a workbook is refused above the table limit of ``fdiscreen.infiles`` (the file and its uncompressed
parts); the old binary .xls format is refused (save it as .xlsx or CSV).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from fdiscreen.csvfile import read_rows
from fdiscreen.errors import FdiscreenError
from fdiscreen.infiles import TABLE_LIMIT, check_readable
from fdiscreen.model import FeftaClass

#: header names of the securities-code column (証券コード), compared NFKC, lower case, without whitespace
CODE_HEADERS = ("証券コード", "銘柄コード", "コード", "securities code", "security code", "stock code", "local code", "code")
#: header names of the category column (区分: ① ② ③)
CATEGORY_HEADERS = ("区分", "該当区分", "分類", "category", "classification")
#: the rows searched for the header in each sheet (title rows above it)
HEADER_SEARCH_ROWS = 50
#: the sheet names MOF's workbook is known to use; such a sheet is read before the others
LIST_SHEETS = ("上場企業の該当性リスト", "上場企業の銘柄リスト")

VintageFrom = Literal["title", "file_name", "given"]
EXPECTED = "the MOF classification list as an .xlsx workbook or a CSV (UTF-8 or Shift_JIS)"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office format (.xls)
CLASS_BY_NUMBER: dict[str, FeftaClass] = {"1": "non_designated", "2": "designated", "3": "core",
                                          "i": "non_designated", "ii": "designated", "iii": "core"}
MONTHS = {m: i for i, ms in enumerate((("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
                                       ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
                                       ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
                                       ("december", "dec")), start=1) for m in ms}
#: the year before an era's first year (令和元年 = 2019, 平成元年 = 1989): calendar arithmetic, not law
ERA_BASE = {"令和": 2018, "平成": 1988}
_MARK = r"\s*(?:現在|時点|更新|改訂|版)"
_JA_WESTERN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日" + _MARK)
_JA_ERA = re.compile(r"(令和|平成)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日" + _MARK)
_NUMERIC = re.compile(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})" + _MARK)
_EN_DMY = re.compile(r"as\s+(?:of|at)\s+(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_EN_MDY = re.compile(r"as\s+(?:of|at)\s+([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_EN_ISO = re.compile(r"as\s+(?:of|at)\s+(\d{4})-(\d{1,2})-(\d{1,2})")
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
#: a TSE securities code: four characters, digits in places 1 and 3, a digit or capital letter in 2 and 4
#: (alphanumeric codes such as 130A from 2024); a fifth check character 0 (the 5-digit form) is dropped
_CODE = re.compile(r"([0-9][0-9A-Z][0-9][0-9A-Z])0?")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _norm(text: str) -> str:
    """NFKC, lower case, whitespace (and line breaks) removed: how header cells are compared."""
    return re.sub(r"\s+", "", _nfkc(text)).lower()


def header_names(cell: Any) -> set[str]:
    """The names a header cell gives: the whole text and each part outside and inside brackets
    (「証券コード\\n(Securities code)」 -> 証券コード, securitiescode), footnote marks dropped."""
    if cell is None:
        return set()
    text = _norm(str(cell))
    parts = [p.strip("/:・.*※＊") for p in re.split(r"[()\[\]【】<>〈〉《》「」]", text)]
    return {p for p in [text, *parts] if p}


def _matches(cell: Any, names: tuple[str, ...]) -> bool:
    return bool(header_names(cell) & {_norm(n) for n in names})


def normalize_code(value: Any) -> str | None:
    """A securities code as text: 1301, 1301.0, '１３０１', ' 130a ' -> '1301' / '130A'; None when empty."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", _nfkc(str(value))).upper()
    text = re.sub(r"^(\d+)\.0+$", r"\1", text)
    return text or None


def _code_key(value: Any) -> str | None:
    """The four-character code a cell holds, or None when it does not look like a securities code."""
    text = normalize_code(value)
    m = _CODE.fullmatch(text) if text else None
    return m.group(1) if m else None


def category_class(value: Any) -> FeftaClass | None:
    """The FEFTA class a category cell gives: ①/②/③, 1/2/3 (number or text), I/II/III, or text led by
    one of them ("③ コア業種あり"); None when it gives none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _nfkc(str(value)).strip().lower()  # NFKC turns ① into 1 and Ⅲ into III
    m = re.match(r"(iii|ii|i|[123])(?![0-9a-z])", text)
    return CLASS_BY_NUMBER[m.group(1)] if m else None


# -- the revision date (vintage) ----------------------------------------------------------------------

def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def date_in_text(text: str) -> dt.date | None:
    """The first revision date a title gives: 「2026年10月15日現在」, 「令和8年10月15日現在」, 「2026/10/15現在」,
    "As of October 15, 2026", "(as of 15 October 2026)", "as of 2026-10-15"; None when there is none."""
    t = _nfkc(text).lower()
    found: list[tuple[int, dt.date | None]] = []
    for m in _JA_WESTERN.finditer(t):
        found.append((m.start(), _date(int(m[1]), int(m[2]), int(m[3]))))
    for m in _JA_ERA.finditer(t):
        year = 1 if m[2] == "元" else int(m[2])
        found.append((m.start(), _date(ERA_BASE[m[1]] + year, int(m[3]), int(m[4]))))
    for m in _NUMERIC.finditer(t):
        found.append((m.start(), _date(int(m[1]), int(m[2]), int(m[3]))))
    for m in _EN_DMY.finditer(t):
        month = _month(m[2])
        found.append((m.start(), _date(int(m[3]), month, int(m[1])) if month else None))
    for m in _EN_MDY.finditer(t):
        month = _month(m[1])
        found.append((m.start(), _date(int(m[3]), month, int(m[2])) if month else None))
    for m in _EN_ISO.finditer(t):
        found.append((m.start(), _date(int(m[1]), int(m[2]), int(m[3]))))
    dates = [d for _, d in sorted(found, key=lambda p: p[0]) if d is not None]
    return dates[0] if dates else None


def date_in_file_name(name: str) -> dt.date | None:
    """The revision date a file name gives: a title-style date, else YYYYMMDD (also YYYY-MM-DD, YYYY_MM_DD)."""
    stem = Path(name).stem
    found = date_in_text(stem) or date_in_text(stem + "現在")
    if found:
        return found
    for m in _FILE_DATE.finditer(_nfkc(stem)):
        when = _date(int(m[1]), int(m[2]), int(m[3]))
        if when is not None:
            return when
    return None


def _cell_date(cells: Iterable[Any]) -> dt.date | None:
    for cell in cells:
        if isinstance(cell, dt.datetime):
            return cell.date()
        if isinstance(cell, dt.date):
            return cell
        if isinstance(cell, str):
            when = date_in_text(cell)
            if when is not None:
                return when
    return None


# -- the list -----------------------------------------------------------------------------------------

class MofListRecord(BaseModel):
    """The MOF list a result used, as the result records it: file, sheet and revision date (vintage)."""

    source: str
    sheet: str | None = None
    vintage: dt.date | None = None
    """The date the list is as of (「○年○月○日現在」); None when neither the title rows nor the file name give it."""
    vintage_from: VintageFrom | None = None
    companies: int = 0


@dataclass(frozen=True)
class MofList:
    """Securities code -> FEFTA class, read from one file, with the date the list is as of."""

    source: str
    classes: dict[str, FeftaClass]
    vintage: dt.date | None = None
    vintage_from: VintageFrom | None = None
    sheet: str | None = None

    def lookup(self, code: str) -> FeftaClass | None:
        key = _code_key(code) or normalize_code(code)
        return self.classes.get(key) if key else None

    def record(self) -> MofListRecord:
        return MofListRecord(source=self.source, sheet=self.sheet, vintage=self.vintage, vintage_from=self.vintage_from,
                             companies=len(self.classes))


@dataclass(frozen=True)
class _Table:
    """One sheet (or the CSV) as rows of cell values, numbered from 1."""

    name: str | None
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def _where(table: _Table, row: int, col: int | None = None, header: Any = None) -> str:
    sheet = f"sheet '{table.name}', " if table.name is not None else ""
    if col is None:
        return f"{sheet}row {row}"
    from openpyxl.utils import get_column_letter

    name = " ".join(str(header).split()) if header is not None else ""
    return f"{sheet}row {row}, column {get_column_letter(col + 1)}" + (f" ({name})" if name else "")


def _find_header(table: _Table) -> tuple[int, tuple[Any, ...], int, int, list[tuple[Any, ...]]] | None:
    """The header row (number, cells, code column, category column) and the rows above it, or None."""
    above: list[tuple[Any, ...]] = []
    for n, cells in table.rows:
        codes = [i for i, c in enumerate(cells) if _matches(c, CODE_HEADERS)]
        cats = [i for i, c in enumerate(cells) if _matches(c, CATEGORY_HEADERS)]
        if codes and cats:
            return n, cells, codes[0], cats[0], above
        above.append(cells)
        if n >= HEADER_SEARCH_ROWS:
            return None
    return None


def _read_classes(table: _Table, file: str, header: tuple[Any, ...], code_col: int, cat_col: int) -> dict[str, FeftaClass]:
    """The rows below the header: a company row has a securities code and a category; a row without a
    code (blank, a note, a merged notes cell) is skipped, and so is a note written in the code column."""
    classes: dict[str, FeftaClass] = {}
    first_row: dict[str, int] = {}
    for n, cells in table.rows:
        raw_code = cells[code_col] if code_col < len(cells) else None
        raw_cat = cells[cat_col] if cat_col < len(cells) else None
        if normalize_code(raw_code) is None:
            continue
        code = _code_key(raw_code)
        empty_cat = raw_cat is None or not str(raw_cat).strip()
        if code is None:
            if empty_cat:
                continue  # a note in the code column (「（注）…」)
            raise FdiscreenError(f"{str(raw_code).strip()!r} is not a securities code", file=file,
                                 path=_where(table, n, code_col, header[code_col]),
                                 expected="a 4-character TSE code such as 7203 or 130A")
        cls = category_class(raw_cat)
        if cls is None:
            what = "no category" if empty_cat else f"unknown category {str(raw_cat).strip()!r}"
            raise FdiscreenError(f"{what} for securities code {code}", file=file, path=_where(table, n, cat_col, header[cat_col]),
                                 expected="①/②/③ or 1/2/3 (text may follow, as in '③ コア業種あり')")
        if code in classes and classes[code] != cls:
            raise FdiscreenError(f"securities code {code} is listed twice with different categories (first in row {first_row[code]})",
                                 file=file, path=_where(table, n, cat_col, header[cat_col]), expected="one category per code")
        classes[code] = cls
        first_row.setdefault(code, n)
    return classes


def _csv_tables(path: Path) -> Generator[_Table, None, None]:
    rows = read_rows(path, EXPECTED)
    yield _Table(None, iter(list(enumerate((tuple(r) for r in rows), start=1))))


def _check_workbook_size(path: Path) -> None:
    """Refuse a workbook whose parts unpack beyond the table limit (a compressed bomb)."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FdiscreenError(f"cannot read the workbook: {exc}", file=str(path), expected=EXPECTED) from None
    if total > TABLE_LIMIT:
        raise FdiscreenError(f"unpacks to {total / 2**20:,.0f} MiB, larger than the {TABLE_LIMIT / 2**20:,.0f} MiB limit",
                             file=str(path), expected=EXPECTED)


def _xlsx_tables(path: Path) -> Generator[_Table, None, None]:
    """Each worksheet of an .xlsx workbook, read streaming (read-only, cached values of formulas)."""
    import openpyxl

    _check_workbook_size(path)
    with path.open("rb") as f:  # a file object: openpyxl would refuse a workbook whose name does not end in .xlsx
        try:
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise FdiscreenError(f"cannot read the workbook: {type(exc).__name__}: {exc}", file=str(path), expected=EXPECTED) from None
        try:
            for ws in sorted(wb.worksheets, key=lambda w: _nfkc(w.title).strip() not in LIST_SHEETS):
                yield _Table(ws.title, enumerate(ws.iter_rows(min_row=1, values_only=True), start=1))
        finally:
            wb.close()


def _format(path: Path) -> Literal["xlsx", "csv"]:
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(OLE_MAGIC) or (path.suffix.lower() == ".xls" and not head.startswith(ZIP_MAGIC)):
        raise FdiscreenError("is an .xls workbook (the old binary Excel format), which is not read", file=str(path),
                             expected="the list saved as .xlsx (Excel 2007 or later) or as CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm") and not head.startswith(ZIP_MAGIC):
        raise FdiscreenError("is named as a workbook but is not one (an .xlsx file is a ZIP archive)", file=str(path), expected=EXPECTED)
    return "xlsx" if head.startswith(ZIP_MAGIC) else "csv"


def _vintage(given: dt.date | None, title: dt.date | None, file_name: dt.date | None) -> tuple[dt.date | None, VintageFrom | None]:
    """The list's date and where it came from: given by the user, else the title rows, else the file name."""
    if given is not None:
        return given, "given"
    if title is not None:
        return title, "title"
    return (file_name, "file_name") if file_name is not None else (None, None)


def load_mof_list(path: str | Path, vintage: dt.date | None = None) -> MofList:
    """Read the MOF classification list: an .xlsx workbook as MOF publishes it (the sheet whose header row
    names a securities-code and a category column) or a CSV (UTF-8 or Shift_JIS). The list's date is
    ``vintage`` when given, else read from the title rows, else from the file name, else unknown."""
    p = Path(path)
    check_readable(p, EXPECTED, TABLE_LIMIT)
    kind = _format(p)
    tables = _xlsx_tables(p) if kind == "xlsx" else _csv_tables(p)
    try:
        return _first_list(p, tables, kind, vintage)
    except FdiscreenError:
        raise
    except Exception as exc:  # a damaged sheet inside a sound ZIP surfaces while its rows are read
        if kind == "csv":
            raise
        raise FdiscreenError(f"cannot read the workbook: {type(exc).__name__}: {exc}", file=str(p), expected=EXPECTED) from None
    finally:
        tables.close()


def _first_list(p: Path, tables: Generator[_Table, None, None], kind: str, vintage: dt.date | None) -> MofList:
    """The first table (sheet) with a header row and companies below it, read as the list."""
    seen: list[str] = []
    empty: str | None = None
    for table in tables:
        found = _find_header(table)
        if found is None:
            seen.append(f"'{table.name}'" if table.name is not None else "the file")
            continue
        n, header, code_col, cat_col, above = found
        classes = _read_classes(table, str(p), header, code_col, cat_col)
        if not classes:  # a header without companies (a blank form, a sheet of notes): try the next sheet
            empty = empty or _where(table, n)
            continue
        title = _cell_date([c for row in [*above, header] for c in row if c is not None] + ([table.name] if table.name else []))
        when, source = _vintage(vintage, title, date_in_file_name(p.name))
        return MofList(source=p.name, classes=classes, vintage=when, vintage_from=source, sheet=table.name)
    if empty is not None:
        raise FdiscreenError("no company rows below the header", file=str(p), path=empty,
                             expected="rows with a securities code and a category (①/②/③)")
    where = f" (sheets searched: {', '.join(seen)})" if kind == "xlsx" else ""
    raise FdiscreenError(f"no header row with a securities-code and a category column in the first {HEADER_SEARCH_ROWS} rows{where}",
                         file=str(p), path="header",
                         expected=f"a row with a column named one of {list(CODE_HEADERS[:4])} and one named one of {list(CATEGORY_HEADERS[:4])}")
