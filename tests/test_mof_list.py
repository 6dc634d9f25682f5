"""Loader for the MOF list of listed companies by FEFTA category (①/②/③), on lists made here: CSV, and
small workbooks built with openpyxl in the layout public descriptions give (see fdiscreen.mof_list)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import ROOT, deal, run
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing import determine
from fdiscreen.filing.target import notice_revisions
from fdiscreen.mof_list import date_in_file_name, date_in_text, load_mof_list
from fdiscreen.regime import make_regime
from fdiscreen.screening import screen


def test_loads_japanese_headers_shift_jis(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_bytes("財務省 本邦上場会社リスト\n証券コード,ISIN,銘柄名,区分\n1301,JP3257200000,極洋,①\n6135,JP3862800004,牧野フライス製作所,③\n９４３２,X,日本電信電話,②\n".encode("cp932"))
    m = load_mof_list(p)
    assert m.lookup("1301") == "non_designated" and m.lookup("6135") == "core" and m.lookup("9432") == "designated"


def test_loads_english_headers(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("Securities code,Company name,Category\n7203,Toyota,2\n", encoding="utf-8")
    assert load_mof_list(p).lookup("7203") == "designated"


def test_bad_category_names_row(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("証券コード,区分\n7203,④\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="row 2"):
        load_mof_list(p)


def test_list_classifies_target_by_securities_code(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("証券コード,区分\n6199,③\n", encoding="utf-8")
    d = deal(target={"securities_code": "6199", "businesses": [], "subsidiaries_complete": None})
    assert run(d).target_class.status == "indeterminate"
    det = determine(d, make_regime(run.__defaults__[0]), load_mof_list(p))  # type: ignore[index]
    assert det.target_class.fefta_class == "core"


# -- the list as MOF publishes it: an .xlsx workbook (layout from public descriptions; see fdiscreen.mof_list) --

JA_TITLE = "本邦上場会社の外為法における対内直接投資等事前届出該当性リスト"
EN_TITLE = "List of classifications of listed companies regarding the prior-notification requirements on inward direct investment under the FEFTA"
#: the header row as GitHub scripts reading MOF's list.xlsx name it (bilingual cells, a line break inside)
JA_HEADER = ["証券コード\n(Securities code)", "ISINコード (ISIN code)", "会社名（和名）", "(Issue name / company name)", "区分", "特定コア事業者"]
EN_HEADER = ["Securities code", "ISIN code", "Company name", "Category"]
EXAMPLE = ROOT / "examples" / "us-fund-5pct-core.yaml"


def workbook(path: Path, header: list[str], rows: list[list[Any]], title: str | None = None, sheet: str = "上場企業の該当性リスト",
             notes: tuple[str, ...] = ("（注）本リストは外国投資家の便宜のために作成したものです。",), cover: bool = False) -> Path:
    """A small workbook in the published layout: a merged title cell, a blank row, the header, the
    companies, a blank row and notes rows; with ``cover``, a first sheet without any list."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if cover:
        ws.title = "表紙"
        ws["A1"] = "財務省国際局"
        ws["A2"] = "証券コードの一覧は次のシート"
        ws = wb.create_sheet()
    ws.title = sheet
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append([])
    for note in notes:
        ws.append([note])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    wb.save(path)
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "fdiscreen.cli", *args], capture_output=True, text=True, timeout=120, env=env)


def listed_deal(code: str) -> Any:
    return deal(target={"securities_code": code, "businesses": [], "subsidiaries_complete": None})


def test_japanese_edition_codes_as_numbers_and_text(tmp_path: Path) -> None:
    """Codes as ints, floats, full-width text and the alphanumeric form (130A, from 2024); categories as
    ①/②/③, numbers and text led by the numeral; the title, blank and notes rows are skipped."""
    p = workbook(tmp_path / "list.xlsx", JA_HEADER, [
        [1301, "JP3257200000", "極洋", "KYOKUYO CO.,LTD.", "①", None],
        [6135.0, "JP3862800004", "牧野フライス製作所", "Makino Milling Machine", "③ コア業種あり", "－"],
        ["９４３２", "JP3735400008", "日本電信電話", "NTT", 2, None],
        ["130A", "JP3000000000", "新規上場", "New Listing", "③", None],
    ], title=f"{JA_TITLE}（令和8年10月15日現在）")
    m = load_mof_list(p)
    assert (m.lookup("1301"), m.lookup("6135"), m.lookup("9432"), m.lookup("130a")) == ("non_designated", "core", "designated", "core")
    assert m.lookup("13010") == "non_designated"  # the five-digit form of the code
    assert len(m.classes) == 4 and m.sheet == "上場企業の該当性リスト"
    assert (m.vintage, m.vintage_from) == (dt.date(2026, 10, 15), "title")


def test_english_edition_on_a_later_sheet(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list_en.xlsx", EN_HEADER, [[7203, "JP3633400001", "TOYOTA MOTOR", 2], [6501, "JP3788600009", "Hitachi", "3"]],
                 title=f"{EN_TITLE} (as of 15 October 2026)", sheet="Listed companies", cover=True)
    m = load_mof_list(p)
    assert m.lookup("7203") == "designated" and m.lookup("6501") == "core"
    assert m.sheet == "Listed companies" and m.vintage == dt.date(2026, 10, 15)


def test_isin_column_is_not_taken_for_the_code(tmp_path: Path) -> None:
    """Header cells compared without whitespace or line breaks (「証券\nコード」, 「区　分」); the ISIN code
    column, which also says "code", is not the securities-code column."""
    p = workbook(tmp_path / "list.xlsx", ["ISINコード\n(ISIN code)", "区　分", "証券\nコード"], [["JP3633400001", "②", "7203"]])
    assert load_mof_list(p).classes == {"7203": "designated"}


@pytest.mark.parametrize("text", ["2026年10月15日現在", "令和8年10月15日現在", "令和８年１０月１５日 現在", "As of October 15, 2026",
                                  "(as of 15 October 2026)", "As of 15 Oct., 2026", "as of 2026-10-15", "２０２６/10/15時点"])
def test_revision_date_in_a_title(text: str) -> None:
    assert date_in_text(f"{JA_TITLE}（{text}）") == dt.date(2026, 10, 15)


def test_no_revision_date_without_a_marker() -> None:
    """A date that is not the list's own (no 現在 / as of) is not taken for it."""
    assert date_in_text("令和2年5月8日に初めて公表") is None and date_in_text("revised on 15 October 2026") is None


def test_vintage_from_the_file_name(tmp_path: Path) -> None:
    rows = [[7203, "x", "トヨタ自動車", "TOYOTA", "②", None]]
    m = load_mof_list(workbook(tmp_path / "list_20261015.xlsx", JA_HEADER, rows, title=JA_TITLE))
    assert (m.vintage, m.vintage_from) == (dt.date(2026, 10, 15), "file_name")
    assert date_in_file_name("gaitouseilist20250715.xlsx") == dt.date(2025, 7, 15)  # the English page's file name
    unknown = load_mof_list(workbook(tmp_path / "list.xlsx", JA_HEADER, rows))  # the Japanese page's name, no date in it
    assert (unknown.vintage, unknown.vintage_from) == (None, None)
    given = load_mof_list(tmp_path / "list.xlsx", vintage=dt.date(2026, 10, 15))
    assert (given.vintage, given.vintage_from) == (dt.date(2026, 10, 15), "given")


def test_title_date_wins_over_the_file_name(tmp_path: Path) -> None:
    m = load_mof_list(workbook(tmp_path / "list_20250715.xlsx", EN_HEADER, [[7203, "x", "T", 2]], title=f"{EN_TITLE} As of October 15, 2026"))
    assert (m.vintage, m.vintage_from) == (dt.date(2026, 10, 15), "title")


def test_bad_category_names_file_sheet_row_and_column(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", JA_HEADER, [[7203, "x", "トヨタ", "TOYOTA", "②", None], [6501, "x", "日立", "Hitachi", "④", None]],
                 title=JA_TITLE)
    with pytest.raises(FdiscreenError) as exc:
        load_mof_list(p)
    line = exc.value.one_line()
    assert str(p) in line and "sheet '上場企業の該当性リスト', row 5, column E (区分)" in line and "'④'" in line


def test_missing_category_and_non_code_rows(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", JA_HEADER, [[7203, "x", "トヨタ", "TOYOTA", None, None]])
    with pytest.raises(FdiscreenError, match="no category for securities code 7203"):
        load_mof_list(p)
    p = workbook(tmp_path / "list2.xlsx", JA_HEADER, [["合計", "", "", "", "③", None]])
    with pytest.raises(FdiscreenError, match="row 2, column A .*'合計' is not a securities code"):
        load_mof_list(p)


def test_code_listed_twice_with_different_categories(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", EN_HEADER, [[7203, "x", "T", 2], [7203, "x", "T", 3]])
    with pytest.raises(FdiscreenError, match="listed twice.*first in row 2"):
        load_mof_list(p)


def test_no_recognisable_header(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", ["番号", "名称", "備考"], [[1, "a", "b"]], title=JA_TITLE)
    with pytest.raises(FdiscreenError) as exc:
        load_mof_list(p)
    assert str(p) in str(exc.value) and "no header row" in str(exc.value) and "'上場企業の該当性リスト'" in str(exc.value)


def test_old_xls_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "list.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(FdiscreenError, match=r"\.xls workbook.*saved as \.xlsx .* or as CSV"):
        load_mof_list(p)


def test_workbook_named_csv_is_still_read_as_a_workbook(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", EN_HEADER, [[7203, "x", "T", 2]])
    q = tmp_path / "list.csv"
    q.write_bytes(p.read_bytes())
    assert load_mof_list(q).lookup("7203") == "designated"


def test_size_limits_of_infiles_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table limit of fdiscreen.infiles bounds the file and what its parts unpack to."""
    import fdiscreen.mof_list as mod

    p = workbook(tmp_path / "list.xlsx", EN_HEADER, [[7203 + i, "x", "T" * 50, 2] for i in range(200)])
    unpacked = sum(i.file_size for i in zipfile.ZipFile(p).infolist())
    assert unpacked > p.stat().st_size
    monkeypatch.setattr(mod, "TABLE_LIMIT", p.stat().st_size - 1)
    with pytest.raises(FdiscreenError, match="larger than the"):
        load_mof_list(p)
    monkeypatch.setattr(mod, "TABLE_LIMIT", unpacked - 1)
    with pytest.raises(FdiscreenError, match="unpacks to"):
        load_mof_list(p)


# -- the list's date in results, and the staleness warning (dates computed from the catalog's notice revisions) --

def _target_class(tmp_path: Path, vintage: dt.date | None, as_of: dt.date, code: str = "6135") -> Any:
    p = workbook(tmp_path / "list.xlsx", JA_HEADER, [[6135, "x", "牧野フライス製作所", "Makino", "③", None]], title=JA_TITLE)
    return determine(listed_deal(code), make_regime(as_of), load_mof_list(p, vintage=vintage)).target_class


def test_notice_revisions_come_from_the_catalog() -> None:
    """The 2024 amendment of the notices: made 2024-08-16, applying from 2024-09-15 (errata 4; activities.yaml n2024)."""
    revs = notice_revisions(make_regime(dt.date(2026, 12, 1)))
    latest = [v for v in revs if v.applies <= dt.date(2026, 12, 1)][-1]
    assert (latest.made, latest.applies) == (dt.date(2024, 8, 16), dt.date(2024, 9, 15))


def test_vintage_recorded_in_reasons_and_result(tmp_path: Path) -> None:
    tc = _target_class(tmp_path, dt.date(2026, 10, 15), dt.date(2026, 12, 1))
    assert tc.fefta_class == "core" and tc.mof_list is not None and tc.mof_list.vintage == dt.date(2026, 10, 15)
    assert any("the MOF list supplied (list.xlsx, as of 15 October 2026)" in x.en.replace("The MOF", "the MOF") for x in tc.reasons)
    assert any("list.xlsx、2026年10月15日現在" in x.ja for x in tc.reasons)
    assert not any("Warning" in x.en for x in tc.reasons) and not tc.facts_needed


def test_stale_list_warns(tmp_path: Path) -> None:
    """A list of 19 May 2023 used on 1 December 2026 predates the 2024-08-16 amendment of the notices."""
    tc = _target_class(tmp_path, dt.date(2023, 5, 19), dt.date(2026, 12, 1))
    warn = [x for x in tc.reasons if x.en.startswith("Warning")]
    assert len(warn) == 1 and "19 May 2023" in warn[0].en and "16 August 2024" in warn[0].en and "注意" in warn[0].ja
    assert [f.path for f in tc.facts_needed] == ["mof_list.vintage"] and "19 May 2023" in tc.facts_needed[0].question.en
    assert any(c.applies_from == dt.date(2024, 9, 15) for c in tc.citations)


def test_list_revised_between_promulgation_and_application_is_not_stale(tmp_path: Path) -> None:
    """MOF revised the list on 2024-09-13, after the notice of 2024-08-16 and before it applied (2024-09-15):
    the list reflects it, so no warning on a later date."""
    tc = _target_class(tmp_path, dt.date(2024, 9, 13), dt.date(2026, 12, 1))
    assert not any("Warning" in x.en for x in tc.reasons) and not tc.facts_needed


def test_list_reflecting_a_revision_not_yet_applying_warns(tmp_path: Path) -> None:
    tc = _target_class(tmp_path, dt.date(2024, 9, 13), dt.date(2024, 9, 1))
    assert any(x.en.startswith("Warning") and "does not yet apply on 1 September 2024" in x.en for x in tc.reasons)
    assert [f.path for f in tc.facts_needed] == ["mof_list.vintage"]


def test_unknown_vintage_asks_to_confirm(tmp_path: Path) -> None:
    tc = _target_class(tmp_path, None, dt.date(2026, 12, 1))
    assert tc.fefta_class == "core" and tc.mof_list is not None and tc.mof_list.vintage is None
    assert any("date is unknown" in x.en and "16 August 2024" in x.en for x in tc.reasons)
    assert any("作成日が不明" in x.ja for x in tc.reasons)
    assert [f.path for f in tc.facts_needed] == ["mof_list.vintage"]


def test_code_not_in_list_still_records_the_list(tmp_path: Path) -> None:
    tc = _target_class(tmp_path, dt.date(2026, 10, 15), dt.date(2026, 12, 1), code="7203")
    assert tc.mof_list is not None and any("7203 is not in the MOF list supplied (list.xlsx, as of 15 October 2026)" in x.en for x in tc.reasons)


def test_no_list_no_record() -> None:
    assert run(listed_deal("6135")).target_class.mof_list is None


def test_screening_json_shows_the_vintage(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", JA_HEADER, [[6135, "x", "牧野", "Makino", "③", None]], title=f"{JA_TITLE}（2026年10月15日現在）")
    s = json.loads(screen(listed_deal("6135"), as_of=dt.date(2026, 12, 1), mof=load_mof_list(p)).to_json())
    assert s["filing"]["target_class"]["mof_list"] == {"source": "list.xlsx", "sheet": "上場企業の該当性リスト", "vintage": "2026-10-15",
                                                       "vintage_from": "title", "companies": 1}


def test_cli_reads_the_workbook(tmp_path: Path) -> None:
    p = workbook(tmp_path / "gaitouseilist20261015.xlsx", JA_HEADER, [[6199, "x", "東海精密工機", "Tokai Precision Tools", "③", None]],
                 title=JA_TITLE)
    res = cli("screen", str(EXAMPLE), "--json", "--as-of", "2026-12-01", "--mof-list", str(p))
    assert res.returncode == 0, res.stderr
    tc = json.loads(res.stdout)["filing"]["target_class"]
    assert tc["mof_list"]["vintage"] == "2026-10-15" and tc["mof_list"]["vintage_from"] == "file_name"
    assert any("gaitouseilist20261015.xlsx, as of 15 October 2026" in x["en"] for x in tc["reasons"])


def test_cli_workbook_without_header_exits_2_naming_the_file(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", ["番号", "名称"], [[1, "a"]], title=JA_TITLE)
    res = cli("check", str(EXAMPLE), "--mof-list", str(p))
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and str(p) in lines[0] and "no header row" in lines[0]


def test_csv_title_row_gives_the_vintage(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_bytes(f"{JA_TITLE}（令和8年10月15日現在）\n証券コード,銘柄名,区分\n7203,トヨタ自動車,②\n（注）参考情報\n".encode("cp932"))
    m = load_mof_list(p)
    assert m.lookup("7203") == "designated" and (m.vintage, m.vintage_from) == (dt.date(2026, 10, 15), "title")


def test_testsheet_mof_list_key_reads_a_workbook(tmp_path: Path) -> None:
    """The test sheets' ``mof_list:`` key takes the workbook as MOF publishes it."""
    from fdiscreen.testsheet import run_sheet

    workbook(tmp_path / "mof.xlsx", JA_HEADER, [[9991, "x", "サンプル", "Sample", "③", None]], title=f"{JA_TITLE}（2026年10月15日現在）")
    row = {"name": "listed code 9991 in category 3", "citation": "MOF list (an aid)", "deal": str(EXAMPLE),
           "change": {"target.securities_code": "9991", "target.businesses": [], "target.subsidiaries": [], "target.subsidiaries_complete": None},
           "mof_list": "mof.xlsx", "as_of": "2026-12-01", "expect": {"target_class": "core"}}
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    results = run_sheet(sheet)
    assert len(results) == 1 and results[0].passed, results


def test_list_sheet_read_before_a_revision_history_sheet(tmp_path: Path) -> None:
    """A sheet named as MOF names the list is read first, even behind another sheet with the same columns."""
    wb = openpyxl.Workbook()
    history = wb.active
    history.title = "改訂履歴"
    history.append(["証券コード", "区分", "変更内容"])
    history.append([7203, "①", "旧区分"])
    ws = wb.create_sheet("上場企業の該当性リスト")
    ws.append(JA_HEADER)
    ws.append([7203, "x", "トヨタ自動車", "TOYOTA", "②", None])
    wb.save(tmp_path / "list.xlsx")
    m = load_mof_list(tmp_path / "list.xlsx")
    assert m.sheet == "上場企業の該当性リスト" and m.lookup("7203") == "designated"


def test_header_without_companies(tmp_path: Path) -> None:
    p = workbook(tmp_path / "list.xlsx", JA_HEADER, [], title=JA_TITLE)
    with pytest.raises(FdiscreenError, match="sheet '上場企業の該当性リスト', row 3: no company rows below the header"):
        load_mof_list(p)
    p = workbook(tmp_path / "two.xlsx", EN_HEADER, [[7203, "x", "T", 2]], sheet="List", cover=True)
    wb = openpyxl.load_workbook(p)
    wb["表紙"].append(["証券コード", "区分"])  # a cover sheet showing the column names, no companies
    wb.save(p)
    assert load_mof_list(p).sheet == "List"


def test_damaged_workbooks_are_bad_input(tmp_path: Path) -> None:
    """Not a ZIP although named .xlsx, or a sheet cut short inside a sound ZIP: a one-line error, not a crash."""
    fake = tmp_path / "list.xlsx"
    fake.write_text("証券コード,区分\n7203,②\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="named as a workbook but is not one"):
        load_mof_list(fake)
    good = workbook(tmp_path / "good.xlsx", EN_HEADER, [[7203, "x", "T", 2]])
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(cut, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[: len(data) // 2] if info.filename.startswith("xl/worksheets/") else data)
    with pytest.raises(FdiscreenError, match="cannot read the workbook"):
        load_mof_list(cut)


def test_the_fingerprint_records_the_list_used(tmp_path: Path) -> None:
    """Same deal, same date: a MOF list (its classes and date) changes the fingerprint; no list leaves it as it was."""
    from fdiscreen.load import load_deal
    from fdiscreen.screening import screen

    d = load_deal(EXAMPLE)
    plain = screen(d, as_of=dt.date(2026, 11, 22))
    p = tmp_path / "list_20261015.csv"
    p.write_text("証券コード,銘柄名,区分\n6199,東海精密工機,③\n", encoding="utf-8")
    with_list = screen(d, as_of=dt.date(2026, 11, 22), mof=load_mof_list(p))
    assert plain.fingerprint != with_list.fingerprint
    assert screen(d, as_of=dt.date(2026, 11, 22)).fingerprint == plain.fingerprint
