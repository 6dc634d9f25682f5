"""Issue 17, rendering: any text, however long, renders in every format, and long lists are summarised in
the memo body (the first BODY_LIST_ITEMS items and "… and K more, listed in Annex X") with the whole list
in an annex table that runs over as many pages as it needs. Linearity is shown by counting work, not by
timing (bench/memo_long_lists.py times it)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from reportlab.platypus.paragraph import Paragraph

from conftest import ROOT
from fdiscreen.load import load_deal, parse_deal, read_mapping
from fdiscreen.render import figures
from fdiscreen.render.annex import BODY_LIST_ITEMS, CELL_LIST_ITEMS, CELL_TEXT_CHARS, Annexes, annex_letter, cell_list, summarise_section
from fdiscreen.render.document import Bullets, Document, Figure, Para, Pre, Section, Table
from fdiscreen.render.docx import to_docx_bytes
from fdiscreen.render.html import to_html
from fdiscreen.render.markdown import to_markdown
from fdiscreen.render.charts import CHART_BOXES_PER_LEVEL, CHART_LEVELS
from fdiscreen.render.memo import build_comparison, build_memo
from fdiscreen.render.pdf import PARAGRAPH_CHARS, pieces, to_pdf_bytes
from fdiscreen.screening import Screening, screen

DATE = dt.date(2026, 11, 22)
EXAMPLE = ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml"
TITLE_START = "Matter-start Blue Ridge / Tokai"
LONG_TITLE = TITLE_START + (" long matter title" * 600)[: 10_000 - len(TITLE_START)]
UNBROKEN = "x" * 10_000
KANJI = "漢" * 20_000


def deal_data(**target: Any) -> dict[str, Any]:
    data = copy.deepcopy(read_mapping(EXAMPLE))
    data["target"].update(target)
    return data


def technologies(n: int) -> list[str]:
    return [f"technology {i:04d} for five-axis machining" for i in range(n)]


@lru_cache(maxsize=None)
def long_text_screening() -> Screening:
    """Every kind of deal text a memo shows, far longer than a page: matter, target name, entity name,
    business name, a technology of 20,000 kanji (in a list long enough for an annex table)."""
    data = deal_data(name=UNBROKEN, name_ja="東" * 5_000, technologies=[KANJI, *technologies(BODY_LIST_ITEMS)])
    data["matter"] = LONG_TITLE
    data["entities"][0]["name"] = "Blue Ridge " + "y" * 10_000
    data["target"]["businesses"][0]["name"] = "CNC " + "machining centres " * 700
    return screen(parse_deal(data), as_of=DATE)


@lru_cache(maxsize=None)
def long_list_screening(n: int, entities: int = 0) -> Screening:
    data = deal_data(technologies=technologies(n))
    data["entities"] += [{"id": f"lp_{i}", "name": f"Limited Partner {i} LLC", "kind": "corporation", "jurisdiction": "US"}
                         for i in range(entities)]
    return screen(parse_deal(data), as_of=DATE)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def body(doc: Document) -> list[Section]:
    return [s for s in doc.sections if s.annex is None]


def annexes(doc: Document) -> dict[str, list[Section]]:
    out: dict[str, list[Section]] = {}
    for s in doc.sections:
        if s.annex:
            out.setdefault(s.annex, []).append(s)
    return out


def appendix_text(doc: Document) -> str:
    return "\n".join(b.text for s in body(doc) for b in s.blocks if isinstance(b, Pre))


# -- any text renders ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "both"])
def test_long_text_renders_in_every_format(lang: str) -> None:
    doc = build_memo(long_text_screening(), lang, DATE)  # type: ignore[arg-type]
    pdf = to_pdf_bytes(doc, DATE)
    text = pdf_text(pdf)
    assert TITLE_START in text and "漢漢漢漢" in text and "xxxxxxxx" in text
    assert len(PdfReader(BytesIO(pdf)).pages) > 10  # the long texts run over pages instead of failing

    d = docx.Document(BytesIO(to_docx_bytes(doc, DATE)))
    assert [p.text for p in d.paragraphs if p.style.name == "Subtitle"] == [LONG_TITLE]
    assert any(KANJI in p.text for p in d.paragraphs)  # the full text, in the annex of full texts

    page = to_html(doc, DATE)
    assert LONG_TITLE in page and KANJI in page and UNBROKEN in page
    assert "overflow-wrap: anywhere" in page.split("h1, h2, h3", 1)[1].split("}", 1)[0]  # titles wrap
    md = to_markdown(doc)
    assert LONG_TITLE in md and KANJI in md


def test_no_cell_is_longer_than_the_cap_and_its_full_text_is_in_an_annex() -> None:
    doc = build_memo(long_text_screening(), "en", DATE)
    cells = [c for s in doc.sections for b in s.blocks if isinstance(b, Table) for row in b.rows for c in row]
    cut = [c for c in cells if "the full text is no." in c]
    assert cut and all(len(c) <= CELL_TEXT_CHARS + 80 for c in cells)
    texts = [s for s in doc.sections if s.annex and "full texts" in s.title]
    assert len(texts) == 1
    full = [b.text for b in texts[0].blocks if isinstance(b, Para)]
    assert KANJI in full and any(t.startswith("Blue Ridge yyyy") for t in full) and any("CNC machining centres machining" in t for t in full)
    number, letter = re.search(r"no\. (\d+) in Annex ([A-Z]+)", cut[0]).groups()  # type: ignore[union-attr]
    assert texts[0].annex == letter and cut[0][:CELL_TEXT_CHARS] == full[int(number) - 1][:CELL_TEXT_CHARS]
    assert all(len(v) <= CELL_TEXT_CHARS + 1 for _, v in doc.meta)  # the matter is the subtitle, whole


def test_unbroken_and_page_tall_text_renders_in_pdf_tables_lists_and_pre() -> None:
    """The renderers on their own (no memo caps): in the PDF a cell taller than a page splits inside its
    row, a long unbroken string wraps, a long paragraph or line is set in pieces; DOCX keeps a long title."""
    sec = Section(title="t " + "T" * 3_000).add(
        Table(header=["a", "b"], rows=[["k", UNBROKEN], ["漢" * 20_000, "v"], ["short", "row"]], widths=[1, 3]),
        Para(text=KANJI, bold_lead="lead:"), Bullets(items=[UNBROKEN, "two"], numbered=True), Pre(text=f"key: {KANJI}\n\n  end"))
    doc = Document(title="T" * 5_000, subtitle=UNBROKEN, meta=[("matter", UNBROKEN)], sections=[sec])
    text = pdf_text(to_pdf_bytes(doc, DATE))
    assert "lead:" in text and "short" in text and "end" in text
    assert text.count("x") >= 3 * len(UNBROKEN) - 100  # subtitle, meta, cell, bullet; nothing dropped
    d = docx.Document(BytesIO(to_docx_bytes(doc, DATE)))
    assert d.paragraphs[0].text == doc.title and d.core_properties.title == doc.title[:255]
    assert UNBROKEN in to_html(doc, DATE) and UNBROKEN in to_markdown(doc)


def test_long_pdf_table_rows_get_reportlabs_heights_and_tall_rows_still_split() -> None:
    """A table longer than LONG_TABLE_ROWS gets its row heights computed once a cell (reportlab's own pass
    is quadratic in the rows): the same heights reportlab computes, and a row taller than a page is still
    split by reportlab."""
    from fdiscreen.render import pdf
    from fdiscreen.render.fonts import register_fonts

    rows = [[str(i), ("technology " * (i % 13)) + "漢" * (i % 40), "x" * (i % 300)] for i in range(pdf.LONG_TABLE_ROWS + 40)]
    table = pdf._table(Table(header=["#", "Entry", "z"], rows=rows, widths=[0.6, 5, 3]), pdf._styles(register_fonts()), 480)
    given = list(table._argH)
    table._argH = [None] * len(given)
    table._calc(480, 10**9)
    assert given == table._rowHeights
    rows[50] = ["50", KANJI, ""]
    rows[70] = [UNBROKEN, "y", ""]
    text = pdf_text(to_pdf_bytes(Document(title="t", sections=[Section(title="a").add(Table(header=["#", "Entry", "z"], rows=rows))]), DATE))
    assert text.count("漢") >= len(KANJI) and text.count("x") >= len(UNBROKEN)


def test_pieces_cut_at_breaks_and_keep_every_character() -> None:
    text = ("word " * 1_000) + "漢" * 5_000
    parts = pieces(text)
    assert all(len(p) <= PARAGRAPH_CHARS for p in parts) and len(parts) > 3
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")
    assert parts[0].endswith("word")  # cut at a space, not inside a word
    assert pieces("short") == ["short"]


def test_annex_letters() -> None:
    assert [annex_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


# -- long lists are summarised, whole in an annex ------------------------------------------------

def test_5000_technologies_and_2000_entities_body_shows_n_annex_all() -> None:
    s = long_list_screening(5_000, entities=2_000)
    doc = build_memo(s, "en", DATE)
    appendix = appendix_text(doc)
    shown = re.findall(r"technology \d{4} for", appendix)
    assert len(shown) == BODY_LIST_ITEMS
    more = re.search(r"… and 4,970 more, listed in Annex ([A-Z]+)", appendix)
    assert more, appendix[-2000:]
    (tech,) = annexes(doc)[more.group(1)]
    (table,) = [b for b in tech.blocks if isinstance(b, Table)]
    assert [r[1] for r in table.rows] == technologies(5_000) and [r[0] for r in table.rows[:3]] == ["1", "2", "3"]
    assert "target.technologies" in tech.title
    ent = re.search(r"… and 1,972 more, listed in Annex ([A-Z]+)", appendix)  # 2 entities of the example + 2,000
    assert ent
    rows = annexes(doc)[ent.group(1)][0].blocks[0].rows  # type: ignore[union-attr]
    assert len(rows) == 2_002 and '"Limited Partner 1999 LLC"' in rows[-1][1]
    assert all(len(b.rows) <= BODY_LIST_ITEMS for sec in body(doc) for b in sec.blocks if isinstance(b, Table))
    assert all(len(b.items) <= BODY_LIST_ITEMS for sec in body(doc) for b in sec.blocks if isinstance(b, Bullets))


def test_bilingual_memo_has_one_annex_per_list() -> None:
    doc = build_memo(long_list_screening(300), "both", DATE)
    appendix = appendix_text(doc)
    assert "… and 270 more, listed in Annex A" in appendix and "…ほか270件（全件は別表A）" in appendix
    (annex,) = annexes(doc)["A"]  # deal text is the same in both halves: one table, titled in both languages
    assert annex.title.startswith("別表A：target.technologies / Annex A: target.technologies")
    assert len(annex.blocks[0].rows) == 300  # type: ignore[union-attr]


def test_pdf_body_lists_n_and_the_annex_lists_all() -> None:
    text = pdf_text(to_pdf_bytes(build_memo(long_list_screening(300), "en", DATE), DATE))
    body_text, annex_text = text.split("Annex A: target.technologies", 1)
    found = Counter(re.findall(r"technology (\d{4}) for", body_text))
    assert len(found) == BODY_LIST_ITEMS and "… and 270 more, listed in Annex A" in body_text
    assert sorted(set(re.findall(r"technology (\d{4}) for", annex_text))) == [f"{i:04d}" for i in range(300)]


def test_lists_in_tables_bullets_and_cells_are_cut_short() -> None:
    """The same rule for every list the body shows: a findings evidence value, table rows, bullet items."""
    long_rows = Table(header=["a", "b"], rows=[[str(i), "x"] for i in range(BODY_LIST_ITEMS + 5)])
    bullets = Bullets(items=[f"item {i}" for i in range(BODY_LIST_ITEMS + 7)])
    grids = [f"grid {i}" for i in range(CELL_LIST_ITEMS + 3)]

    ann = Annexes()
    sec = summarise_section(Section(title="S").add(long_rows, bullets), "k", "en", ann)
    assert [type(b).__name__ for b in sec.blocks] == ["Table", "Para", "Bullets", "Para"]
    assert len(sec.blocks[0].rows) == BODY_LIST_ITEMS and len(sec.blocks[2].items) == BODY_LIST_ITEMS  # type: ignore[union-attr]
    assert sec.blocks[1].text == "… and 5 more, listed in Annex A" and sec.blocks[3].text == "… and 7 more, listed in Annex B"  # type: ignore[union-attr]
    cell = cell_list("target.critical_infrastructure", grids, "ja", ann)
    assert cell.endswith("…ほか3件（全件は別表C）") and "grid 9" in cell and "grid 10" not in cell
    out = ann.sections()
    assert [x.annex for x in out] == ["A", "B", "C"] and len(out[2].blocks[0].rows) == CELL_LIST_ITEMS + 3  # type: ignore[union-attr]


def test_ownership_chart_draws_within_its_limits_and_lists_every_stake() -> None:
    """Many owners, and a chain deeper than the chart, are drawn in part; the annex lists every stake."""
    s = long_list_screening(0)
    inp = copy.deepcopy(s.input)
    fund = inp["entities"][0]
    fund["owners"] = [{"owner": f"lp_{i}", "voting_pct": 0.5} for i in range(40)] + [{"owner": "top_0", "voting_pct": 50}]
    inp["entities"] += [{"id": f"lp_{i}", "name": f"LP {i}", "kind": "corporation", "jurisdiction": "US"} for i in range(40)]
    for i in range(20):
        inp["entities"].append({"id": f"top_{i}", "name": f"Holding {i}", "kind": "corporation", "jurisdiction": "KY",
                                "owners": [{"owner": f"top_{i + 1}", "voting_pct": 100}] if i < 19 else []})
    wide = s.model_copy(update={"input": inp})
    doc = build_memo(wide, "en", DATE)
    (sec,) = [x for x in body(doc) if x.title == "Ownership structure"]
    fig = next(b for b in sec.blocks if isinstance(b, Figure))
    levels = Counter(n["level"] for n in fig.data["nodes"] if n["id"] != "__target__")
    assert max(levels.values()) <= CHART_BOXES_PER_LEVEL and max(levels) <= CHART_LEVELS + 1
    note = next(b.text for b in sec.blocks if isinstance(b, Para) and "more, listed" in b.text)
    assert "of the 61 entities" in note  # the fund, its 40 partners and the 20 holdings above it
    letter = note.rsplit(" ", 1)[1]
    rows = annexes(doc)[letter][0].blocks[0].rows  # type: ignore[union-attr]
    assert len(rows) == 41 + 19 and rows[-1][2:] == ["Holding 19 (top_19)", "100%"]
    drawing = figures.drawing(fig)
    assert drawing.height < 700  # fits a page
    assert "Ownership structure" in pdf_text(to_pdf_bytes(doc, DATE))


def test_comparison_memo_with_long_matters_and_many_bids() -> None:
    long = long_text_screening()
    short = long_list_screening(0)
    doc = build_comparison([long, short] + [short] * (BODY_LIST_ITEMS + 2), "en", DATE)
    bids = doc.sections[0].blocks
    assert len(bids[0].rows) == BODY_LIST_ITEMS and "… and 4 more, listed in Annex" in bids[1].text  # type: ignore[union-attr]
    small = build_comparison([long, short], "both", DATE)
    assert TITLE_START in pdf_text(to_pdf_bytes(small, DATE))
    docx.Document(BytesIO(to_docx_bytes(small, DATE)))


def test_listing_memo_cuts_a_long_technology_list_in_its_evidence() -> None:
    from fdiscreen.listing import ListingPlan, screen_listing
    from fdiscreen.render.memo import build_listing_memo

    data = read_mapping(ROOT / "examples" / "listings" / "photoresist-maker-prime.yaml")
    data["company"]["technologies"] = technologies(500)
    data["matter"] = LONG_TITLE
    doc = build_listing_memo(screen_listing(ListingPlan.model_validate(data), DATE), "en", DATE)
    evidence = [c for s in body(doc) for b in s.blocks if isinstance(b, Table) for row in b.rows for c in row if "company.technologies" in c]
    assert evidence and all(f"… and {500 - CELL_LIST_ITEMS} more, listed in Annex A" in c for c in evidence)
    assert len(annexes(doc)["A"][0].blocks[0].rows) == 500  # type: ignore[union-attr]
    assert TITLE_START in pdf_text(to_pdf_bytes(doc, DATE))


# -- linear work, same bytes -------------------------------------------------------------------

def _characters_laid_out(doc: Document, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many characters reportlab breaks into lines to render ``doc``, counting every time a
    paragraph is laid out again (a paragraph split over pages is laid out once per page)."""
    work = [0]
    from fdiscreen.render.typeset import KinsokuParagraph  # the PDF's paragraphs break lines with their own breakLinesCJK

    originals = {name: getattr(Paragraph, name) for name in ("breakLines", "breakLinesCJK")}
    kinsoku = KinsokuParagraph.breakLinesCJK

    def counting(name: str) -> Any:
        def run(self: Paragraph, *args: Any, **kwargs: Any) -> Any:
            work[0] += sum(len(getattr(f, "text", "") or "") for f in self.frags)
            return originals[name](self, *args, **kwargs)
        return run

    with monkeypatch.context() as m:
        for name in originals:
            m.setattr(Paragraph, name, counting(name))
        originals["kinsoku"] = kinsoku
        m.setattr(KinsokuParagraph, "breakLinesCJK", counting("kinsoku"))
        to_pdf_bytes(doc, DATE)
    return work[0]


def test_pdf_work_grows_linearly_with_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """10 times the technologies, about 10 times the layout work over the memo's own (a renderer that
    lays a long list out again on every page it spills onto does over 40 times the work here)."""
    w = {n: _characters_laid_out(build_memo(long_list_screening(n), "en", DATE), monkeypatch) for n in (0, 150, 1_500)}
    ratio = (w[1_500] - w[0]) / (w[150] - w[0])
    assert 7 <= ratio <= 13, (w, ratio)


def test_document_size_grows_linearly_with_the_list() -> None:
    """The body stays the same size whatever the list's length; only the annex grows, by one row an item."""
    def sizes(n: int) -> tuple[int, int]:
        doc = build_memo(long_list_screening(n), "en", DATE)
        blocks = sum(len(s.blocks) + sum(len(getattr(b, "rows", getattr(b, "items", []))) for b in s.blocks) for s in body(doc))
        rows = sum(len(b.rows) for ss in annexes(doc).values() for s in ss for b in s.blocks if isinstance(b, Table))
        return blocks, rows

    (b1, r1), (b2, r2) = sizes(500), sizes(5_000)
    assert b1 == b2 and (r1, r2) == (500, 5_000)


def test_long_memos_are_byte_identical_across_runs() -> None:
    s = long_list_screening(120)
    a, b = build_memo(s, "both", DATE), build_memo(s, "both", DATE)
    assert to_pdf_bytes(a, DATE) == to_pdf_bytes(b, DATE)
    assert to_docx_bytes(a, DATE) == to_docx_bytes(b, DATE)
    assert to_html(a, DATE) == to_html(b, DATE) and to_markdown(a) == to_markdown(b)


def test_ordinary_memos_are_not_summarised() -> None:
    """The limits are above what the examples need: none of their memos gets an annex."""
    for path in sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json")):
        doc = build_memo(screen(load_deal(path), as_of=DATE), "both", DATE)
        assert not annexes(doc), path.name


# -- the web result page -----------------------------------------------------------------------

def test_web_result_page_with_long_lists_and_long_text() -> None:
    import json

    from fdiscreen.web.pages import Ctx, result_page

    for s in (long_list_screening(5_000, entities=2_000), long_text_screening()):
        page = result_page(Ctx(lang="ja"), s, json.dumps(s.input, ensure_ascii=False, default=str), {}, [], None, None)
        assert "technology 4999" in page or KANJI in page
        assert "h1, h2, h3" in page  # long titles wrap
