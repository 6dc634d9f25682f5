"""The memo a firm files: a bibliography resolved from factors/sources.yaml (primary law first), citations
grouped by provision, a To / From / Re / Date / Matter no. cover with a neutral legend, no command-line
syntax in the prose, dates and numbers in the reader's convention, and Markdown that CommonMark reads as
meant (issue 18, item 4)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import ROOT
from fdiscreen.errors import FdiscreenError
from fdiscreen.listing import ListingPlan, screen_listing
from fdiscreen.load import load_deal
from fdiscreen.regime import PRIMARY_LAW, Source, factors_dir, load_catalog
from fdiscreen.render.document import Bullets, Cover, Document, Para, Pre, Section, Table
from fdiscreen.locale import format_date, format_number, format_percent
from fdiscreen.render.markdown import escape_md, to_markdown
from fdiscreen.render.memo import build_comparison, build_listing_memo, build_memo, cited, localise, source_group
from fdiscreen.screening import Screening, screen

DATE = dt.date(2026, 12, 1)
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json"))
BIDS = sorted((ROOT / "examples" / "bids").glob("*.yaml"))
INDIRECT = ROOT / "examples" / "indirect-overseas-parent.yaml"
# keys that stood in the bibliography before it was restructured (a sample of the 127 kept)
KEPT_KEYS = ["IURIS26", "IURIS27", "JLT151", "JLT152", "JLT5196", "EGOV-KYUJITSU", "MOF2021EN", "SEED003", "WC2021", "REF",
             "TREAS2008", "RISKTAISAKU2020", "JSIC2023", "KANPO20250404"]
COMMAND = re.compile(r"(?<![\w-])--[a-z]|\bfdiscreen (?:screen|check|listing|compare|batch|replay|factors|serve|schema|explain)\b|`")


@lru_cache(maxsize=None)
def screened(path: Path) -> Screening:
    return screen(load_deal(path), as_of=DATE)


def prose(doc: Document, skip_titles: tuple[str, ...] = ()) -> list[str]:
    """Every piece of text a reader sees, but the appendix's deal file (Pre) and sections titled as given
    (with the sub-sections under them)."""
    out = [doc.title, doc.subtitle or "", doc.marking or "", *(v for _, v in doc.meta)]
    skipping = False
    for sec in doc.sections:
        if sec.title.startswith(skip_titles):
            skipping = True
            continue
        if skipping and sec.level >= 2:
            continue
        skipping = False
        out.append(sec.title)
        for b in sec.blocks:
            if isinstance(b, Para):
                out += [b.text, b.bold_lead or ""]
            elif isinstance(b, Bullets):
                out += b.items
            elif isinstance(b, Table):
                out += b.header + [c for row in b.rows for c in row]
    return out


def section(doc: Document, title: str) -> Section:
    return next(s for s in doc.sections if s.title == title)


# -- sources.yaml as a bibliography -------------------------------------------------------------

def test_every_source_key_is_a_bibliography_entry() -> None:
    """sources.yaml: 127 keys kept, each with title, publisher, address, ISO date or null and a kind."""
    sources = load_catalog().sources
    assert len(sources) >= 127 and all(k in sources for k in KEPT_KEYS)
    assert all(isinstance(v, Source) and v.title and v.publisher for v in sources.values())
    assert sources["IURIS26"].kind == "statute" and sources["IURIS26"].primary and sources["IURIS26"].title_ja
    assert sources["JLT151"].kind == "notice" and sources["WC2021"].kind == "secondary" and not sources["WC2021"].primary
    assert sources["TREAS2008"].date == dt.date(2008, 12, 8)  # 73 FR 74567, 8 December 2008
    raw = yaml.safe_load((factors_dir() / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    assert all(set(v) >= {"title", "publisher", "url", "date", "kind"} for v in raw.values())


def _factors_copy(tmp_path: Path) -> Path:
    root = tmp_path / "factors"
    shutil.copytree(factors_dir(), root)
    return root


def test_a_bad_source_entry_names_its_key_and_field(tmp_path: Path) -> None:
    root = _factors_copy(tmp_path)
    path = root / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["sources"]["IURIS26"]["publisher"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FdiscreenError) as err:
        load_catalog(str(root))
    assert err.value.path == "sources.IURIS26.publisher" and err.value.file and err.value.file.endswith("sources.yaml")
    data["sources"]["IURIS26"].update(publisher="x", kind="blog")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FdiscreenError, match="IURIS26"):
        load_catalog(str(root))


def test_an_unknown_source_key_is_still_refused(tmp_path: Path) -> None:
    root = _factors_copy(tmp_path)
    path = root / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["sources"]["IURIS27"]  # cited by the waiting-period items
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FdiscreenError, match="unknown source keys"):
        load_catalog(str(root))


# -- the bibliography and the citations ------------------------------------------------------------

def _bibliography_rows(doc: Document, title: str = "Bibliography") -> list[list[str]]:
    """The rows of the bibliography's tables: the sub-sections (one per group) that follow its heading."""
    at = next(i for i, sec in enumerate(doc.sections) if sec.title == title)
    groups = []
    for sec in doc.sections[at + 1:]:
        if sec.level < 2:
            break
        groups.append(sec)
    return [row for sec in groups for b in sec.blocks if isinstance(b, Table) for row in b.rows]


def test_bibliography_lists_every_cited_source_primary_law_first() -> None:
    s = screened(INDIRECT)
    doc = build_memo(s, "en", DATE)
    rows = _bibliography_rows(doc)
    sources = load_catalog().sources
    keys = list(dict.fromkeys(k for c in cited(s) for k in c.sources))
    assert [r[0] for r in rows] == [f"[{i}]" for i in range(1, len(keys) + 1)]  # every key once, numbered in order
    by_title = {localise(sources[k].title, "en"): k for k in keys}  # titles show their dates localised
    listed = [next(k for t, k in sorted(by_title.items(), key=lambda x: -len(x[0])) if r[1].startswith(t + ", ")) for r in rows]
    assert sorted(listed) == sorted(keys)
    groups = [source_group(sources[k]) for k in listed]
    assert groups == sorted(groups) and groups[0] == 0 and 2 in groups  # primary law, then releases, then secondary
    primary = [k for k in listed if sources[k].kind in PRIMARY_LAW]
    assert listed[:len(primary)] == primary
    iuris = rows[listed.index("IURIS26")][1]
    assert sources["IURIS26"].publisher in iuris and sources["IURIS26"].url in iuris
    kanpo = rows[listed.index("KANPO20250404")][1]
    assert "4 April 2025" in kanpo  # the date, localised
    ja = _bibliography_rows(build_memo(s, "ja", DATE), "参考文献")
    assert any(r[1].startswith("外国為替及び外国貿易法 第二十六条（定義）") for r in ja)  # title_ja in a Japanese memo
    assert any("2025年4月4日" in r[1] for r in ja)


def test_body_cites_numbers_primary_first_and_no_source_keys() -> None:
    """Source keys in the prose become [n] into the bibliography; a basis lists its primary sources first."""
    sources = load_catalog().sources
    for path in (INDIRECT, ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml", *BIDS):
        s = screened(path)
        for lang, bib_title in (("en", "Bibliography"), ("ja", "参考文献")):
            doc = build_memo(s, lang, DATE)
            text = "\n".join(prose(doc, (bib_title,)))
            named = [k for k in sources if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)]
            assert not named, (path.name, lang, named)
            assert re.search(r"\[\d+(, \d+)*\]", text)
    doc = build_memo(screened(INDIRECT), "en", DATE)
    numbers = {r[1]: int(r[0].strip("[]")) for r in _bibliography_rows(doc)}
    assert numbers
    basis = next(b.text for sec in doc.sections for b in sec.blocks
                 if isinstance(b, Para) and b.bold_lead == "Basis:" and b.text.startswith("FEFTA Art. 26(1)"))
    assert basis.startswith("FEFTA Art. 26(1) items 1-5 [1, ")  # IURIS26 (statute) is [1], the secondary source after


def test_citations_are_grouped_by_provision_never_by_internal_id() -> None:
    s = screened(INDIRECT)
    catalog = load_catalog()
    for lang, title in (("en", "Citations by provision"), ("ja", "根拠条項別の引用")):
        sec = section(build_memo(s, lang, DATE), title)
        (table,) = [b for b in sec.blocks if isinstance(b, Table)]
        provisions = [r[0] for r in table.rows]
        assert len(provisions) == len(set(provisions))  # one row per provision
        assert all(not re.match(r"^[a-z0-9_]+:", r[0]) for r in table.rows)
        text = " ".join(c for r in table.rows for c in r)
        assert "advance_filing_max_months" not in text and "waiting_period_days" not in text
        ids = [i for i in catalog.items if "_" in i and re.search(rf"(?<![\w]){re.escape(i)}(?![\w])", text)]
        assert set(ids) <= {"stake_bands"}, ids  # a reference may name a scale the way its data does, never a key
        assert all(r[1] for r in table.rows)  # each provision says in words what relies on it
    en = section(build_memo(s, "en", DATE), "Citations by provision")
    rows = {r[0].split(" [")[0]: r for b in en.blocks if isinstance(b, Table) for r in b.rows}
    assert "Waiting period" in rows["FEFTA Art. 27(2)"][1]
    assert "Is the acquirer a foreign investor?" in rows["FEFTA Art. 26(1) items 1-5"][1]


# -- the cover block and the legend --------------------------------------------------------------

def test_cover_from_a_header_file(tmp_path: Path) -> None:
    y = tmp_path / "header.yaml"
    y.write_text("to: General Counsel, Orion Capital\nfrom: A. Tanaka\nmatter_number: 2026-0457\nlegend: Draft — for discussion\n",
                 encoding="utf-8")
    c = Cover.from_file(y)
    assert (c.to, c.from_, c.re, c.matter_number, c.legend) == ("General Counsel, Orion Capital", "A. Tanaka", None, "2026-0457",
                                                                "Draft — for discussion")
    j = tmp_path / "header.json"
    j.write_text(json.dumps({"re": "Project Orion", "from": "B. Sato"}), encoding="utf-8")
    assert Cover.from_file(j).re == "Project Orion" and Cover.from_file(j).from_ == "B. Sato"
    bad = tmp_path / "bad.yaml"
    bad.write_text("to: x\ncc: y\n", encoding="utf-8")
    with pytest.raises(FdiscreenError) as err:
        Cover.from_file(bad)
    assert err.value.path == "cc" and err.value.file == str(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="not a mapping"):
        Cover.from_file(bad)
    bad.write_text("to: [unclosed\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="not valid YAML"):
        Cover.from_file(bad)
    with pytest.raises(FdiscreenError):
        Cover.from_file(tmp_path / "missing.yaml")


def test_cover_block_rows_and_document_properties() -> None:
    s = screened(INDIRECT)
    doc = build_memo(s, "en", DATE, cover=Cover(to="General Counsel", **{"from": "A. Tanaka"}, matter_number="2026-0457"))
    assert [k for k, _ in doc.meta] == ["To", "From", "Re", "Date", "Matter no."]
    assert dict(doc.meta)["Re"] == s.matter and dict(doc.meta)["Date"] == "1 December 2026"
    assert (doc.author, doc.date, doc.date_iso) == ("A. Tanaka", "1 December 2026", "2026-12-01")
    plain = build_memo(s, "en", DATE)
    assert [k for k, _ in plain.meta] == ["Re", "Date"]  # missing fields are left out
    ja = build_memo(s, "ja", DATE, cover=Cover(re="オリオン案件"))
    assert dict(ja.meta) == {"件名": "オリオン案件", "日付": "2026年12月1日"}
    both = build_memo(s, "both", DATE)
    assert dict(both.meta)["日付 / Date"] == "2026年12月1日 / 1 December 2026"
    notice = "\n".join(prose(Document(title="", sections=[doc.sections[-1]])))
    assert s.regime.version in notice and s.fingerprint[:16] in notice and "1 December 2026" in notice


def test_default_legend_is_confidential_not_a_privilege_claim() -> None:
    s = screened(INDIRECT)
    assert build_memo(s, "en", DATE).marking == "Confidential"
    assert build_memo(s, "ja", DATE).marking == "機密"
    assert build_memo(s, "both", DATE).marking == "機密 / Confidential"
    assert build_memo(s, "en", DATE, True).marking == "Privileged & Confidential — prepared for the purpose of legal advice"
    assert build_memo(s, "ja", DATE, privileged=True).marking == "秘密・法的助言目的で作成"
    assert build_memo(s, "en", DATE, privileged=True, cover=Cover(legend="Strictly private")).marking == "Strictly private"
    assert build_comparison([screened(p) for p in BIDS], "en", DATE).marking == "Confidential"
    assert all("秘匿特権" not in t and "ATTORNEY WORK PRODUCT" not in t for t in prose(build_memo(s, "both", DATE, privileged=True)))


# -- no command-line syntax ----------------------------------------------------------------------

def _listing_memo(lang: str) -> Document:
    plan = ListingPlan.model_validate(yaml.safe_load(next((ROOT / "examples" / "listings").glob("*.yaml")).read_text(encoding="utf-8")))
    return build_listing_memo(screen_listing(plan, DATE), lang, DATE)  # type: ignore[arg-type]


def test_no_command_line_syntax_in_any_memo() -> None:
    """'judged as of 30 June 2027', never a flag or a command, in every example's and bid's memo."""
    docs = [build_memo(screened(p), lang, DATE, view=view)  # type: ignore[arg-type]
            for p in (*EXAMPLES, *BIDS) for lang in ("en", "ja") for view in ("memo", "check", "explain")]
    docs += [build_comparison([screened(p) for p in BIDS], lang, DATE) for lang in ("en", "ja")]  # type: ignore[arg-type]
    docs += [_listing_memo(lang) for lang in ("en", "ja")]
    for doc in docs:
        hits = [t for t in prose(doc) if COMMAND.search(t)]
        assert not hits, (doc.subtitle, hits[:3])


# -- dates and numbers ---------------------------------------------------------------------------

def test_dates_and_numbers_in_the_readers_convention() -> None:
    d = dt.date(2026, 12, 1)
    assert format_date(d, "ja") == "2026年12月1日" and format_date(d, "ja", era=True) == "令和8年12月1日"
    assert format_date(d, "en") == "1 December 2026" and format_date(d, "en", era=True) == "1 December 2026"
    assert format_date(dt.date(2019, 5, 1), "ja", era=True) == "令和元年5月1日"
    assert format_date(dt.date(2019, 4, 30), "ja", era=True) == "平成31年4月30日"
    assert format_percent(9.9, "en") == "9.9%" and format_percent(10.0, "en") == "10%" and format_percent(10.0, "ja") == "10%"
    assert format_number(1234.5, "en") == "1,234.5" and format_number(16.4, "ja") == "16.4" and format_number(30.0, "en") == "30"


def test_memo_prose_shows_no_iso_dates_and_the_json_keeps_them() -> None:
    s = screened(INDIRECT)
    for lang, bib in (("en", "Bibliography"), ("ja", "参考文献")):
        text = "\n".join(prose(build_memo(s, lang, DATE), (bib,)))
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text.replace(s.regime.version, "")), lang
    ja = "\n".join(prose(build_memo(s, "ja", DATE)))
    assert "2027年9月30日" in ja and "2027年11月15日" in ja  # closing date and report deadline
    assert "30 September 2027" in "\n".join(prose(build_memo(s, "en", DATE)))
    assert '"closing_date": "2027-09-30"' in s.to_json()


# -- Markdown that CommonMark reads as meant -------------------------------------------------------

def test_escaping_only_where_commonmark_would_misread() -> None:
    assert escape_md("94.5 points") == "94.5 points" and escape_md("0.1.0+abc") == "0.1.0+abc"
    assert escape_md("1. not a list") == "1\\. not a list" and escape_md("2) nor this") == "2\\) nor this"
    assert escape_md("# no heading") == "\\# no heading" and escape_md("- no bullet") == "\\- no bullet"
    assert escape_md("---") == "\\---" and escape_md("16.4-65.4") == "16.4-65.4" and escape_md("#5 item") == "#5 item"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_markdown_memos_render_clean_in_commonmark(path: Path) -> None:
    md = MarkdownIt("commonmark")
    for lang in ("en", "ja", "both"):
        doc = build_memo(screened(path), lang, DATE)  # type: ignore[arg-type]
        html = md.render(to_markdown(doc))
        text = re.sub(r"<[^>]+>", "", re.sub(r"<pre>.*?</pre>", "", html, flags=re.S))
        assert "\\" not in text, (lang, text[max(0, text.find("\\") - 60):text.find("\\") + 40])
        assert len(re.findall(r"<h[1-6]>", html)) == 1 + len(doc.sections), lang  # the title and one per section
        lists = (1 if doc.meta else 0) + sum(isinstance(b, Bullets) for sec in doc.sections for b in sec.blocks)
        assert len(re.findall(r"<[ou]l>", html)) == lists, lang  # no list the document does not hold
        assert all(isinstance(b, Pre) or "<pre>" not in b.model_dump_json() for sec in doc.sections for b in sec.blocks)


def test_cover_options_override_the_header_file(tmp_path: Path) -> None:
    """What the CLI's --header FILE with --to/--from/--re/--matter-number/--legend builds."""
    y = tmp_path / "h.yaml"
    y.write_text("to: Board\nfrom: A. Tanaka\nlegend: Internal\n", encoding="utf-8")
    c = Cover.from_options(y, from_="B. Sato", matter_number="M-1")
    assert (c.to, c.from_, c.matter_number, c.legend, c.re) == ("Board", "B. Sato", "M-1", "Internal", None)
    assert Cover.from_options(None, to="X") == Cover(to="X") and Cover(from_="Y").from_ == "Y"
