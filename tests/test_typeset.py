"""Japanese typesetting of the PDF memo (issue 18, item 4): Mincho body text and Gothic headings from the
bundled fonts, kinsoku line breaking in paragraphs and table cells (JIS X 4051's 行頭禁則 and 行末禁則),
no page left mostly blank by a section break, a running header and footer with the legend and
'page N of M', and the memo's date and author in the PDF's metadata."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from conftest import ROOT
from fdiscreen.load import load_deal
from fdiscreen.render import fonts, pdf
from fdiscreen.render.memo import build_memo
from fdiscreen.render.typeset import KinsokuParagraph, break_allowed
from fdiscreen.screening import screen

DATE = dt.date(2026, 12, 1)
#: the two memos issue 18 asks to be looked at: an indirect acquisition and bid B of the bid examples
MEMOS = [ROOT / "examples" / "indirect-overseas-parent.yaml", ROOT / "examples" / "bids" / "bid-b-strategic-intel-duty.yaml"]
#: written out here, independently of the renderer's own classes: what may not start / end a line
NO_LINE_START = set("。、）」』】？！：；ー・，．〕］｝〉》") | set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_LINE_END = set("（「『【〔［｛〈《")
#: a page other than the last must have content reaching at least this far down its text area
MIN_PAGE_FILL = 0.5


@lru_cache(maxsize=None)
def memo_pdf(path: Path, lang: str) -> bytes:
    s = screen(load_deal(path), as_of=DATE)
    return pdf.to_pdf_bytes(build_memo(s, lang, DATE), DATE)  # type: ignore[arg-type]


def written(data: bytes, tmp: Path, name: str = "m.pdf") -> Path:
    out = tmp / name
    out.write_bytes(data)
    return out


def pdf_lines(path: Path) -> list[list[list[str]]]:
    """Per page, per text object (a paragraph or a table cell: reportlab sets each in one BT ... ET), its
    lines in order: the text shown at one baseline, read with pypdf."""
    pages = []
    for page in PdfReader(str(path)).pages:
        objects: list[list[list[object]]] = []

        def begin(op: bytes, args: object, cm: object, tm: object) -> None:
            if op == b"BT":
                objects.append([])

        def text(t: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
            if t and objects:
                y = round(tm[5] * cm[3] + cm[5], 1)
                lines = objects[-1]
                if lines and lines[-1][0] == y:
                    lines[-1][1] = str(lines[-1][1]) + t
                else:
                    lines.append([y, t])

        page.extract_text(visitor_operand_before=begin, visitor_text=text)
        pages.append([[str(t).strip("\n") for _, t in lines] for lines in objects if lines])
    return pages


def kinsoku_breaches(pages: list[list[list[str]]]) -> list[str]:
    """Every line start or end, in a paragraph or cell of two or more lines, that the kinsoku rules forbid."""
    bad = []
    for n, objects in enumerate(pages, 1):
        for lines in objects:
            lines = [x.rstrip() for x in lines if x.strip()]
            for a, b in zip(lines, lines[1:]):
                if b.lstrip()[:1] in NO_LINE_START or a[-1:] in NO_LINE_END:
                    bad.append(f"page {n}: {a[-12:]!r} / {b[:12]!r}")
    return bad


def test_break_rules() -> None:
    """The rule itself: no break before closing marks, small kana, full-width ？：, or after opening
    brackets; a Latin word is not broken inside, but may break where Japanese text begins."""
    for before, after in [("あ", "。"), ("あ", "？"), ("あ", "："), ("あ", "）"), ("あ", "ょ"), ("あ", "ー"), ("（", "あ"), ("「", "あ"),
                          ("o", "r"), ("d", ","), ("a", " ")]:
        assert not break_allowed(before, after), (before, after)
    for before, after in [("あ", "い"), ("。", "あ"), ("）", "あ"), ("d", "あ"), (" ", "w"), ("あ", "（")]:
        assert break_allowed(before, after), (before, after)


@pytest.mark.parametrize("width", [60 + 7 * k for k in range(14)])
def test_paragraph_lines_obey_kinsoku(width: int) -> None:
    """A paragraph dense with brackets and punctuation, set at many widths (from about six characters a
    line: a run of marks that may not be split must fit on one), never puts a forbidden mark at a line
    start or end, keeps every character, and keeps each line within the width."""
    body, _ = fonts.register_memo_fonts()
    style = ParagraphStyle("t", fontName=body, fontSize=9, leading=13, wordWrap="CJK")
    text = ("外為法（第27条）に基づく「事前届出」が必要か？：結論は『必要』。ただし、【仮定】としてチェック・シェアを含む"
            "（政令未制定）。」」English words stay whole, [IURIS26, WC2021]; 2026年12月1日（火）。") * 2
    p = KinsokuParagraph(text, style)
    p.wrap(width, 10000)
    lines = ["".join(w.text for w in line.words) for line in p.blPara.lines]
    assert "".join(lines) == text
    assert all(line.currentWidth <= width + 0.01 for line in p.blPara.lines)
    assert not kinsoku_breaches([[lines]]), lines
    assert not any(line.endswith(("Engli", "wor", "IURI")) for line in lines), lines


@pytest.mark.parametrize("path", MEMOS, ids=lambda p: p.name)
def test_japanese_memo_has_no_kinsoku_breach(tmp_path: Path, path: Path) -> None:
    """Body text and table cells of the Japanese memo, read back from the PDF."""
    pages = pdf_lines(written(memo_pdf(path, "ja"), tmp_path))
    multi = [lines for objects in pages for lines in objects if len(lines) > 1]
    assert len(multi) > 20  # the check reads real wrapped paragraphs and cells
    assert kinsoku_breaches(pages) == []


def page_fill(path: Path, tmp: Path) -> list[float]:
    """For each page, how far down its text area the content reaches (0 = nothing below the header, 1 = down
    to the footer): the lowest row of the page rendered in grey (pdftoppm) holding a dark pixel, between the
    top and bottom margins. Measuring the lowest content rather than the ink counts a figure or a sparse
    table as filling the page, and an early section break as leaving it blank, which is what a reader sees."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(path), str(tmp / "fill")], check=True)
    fills = []
    for png in sorted(tmp.glob("fill-*.pgm")):
        img = Image.open(png)
        w, h = img.size
        top, bottom = round(h * pdf.TOP_MARGIN / pdf.A4[1]), round(h * (1 - pdf.BOTTOM_MARGIN / pdf.A4[1]))
        px = img.load()
        rows = [y for y in range(top, bottom) if any(px[x, y] < 160 for x in range(w))]
        fills.append(((rows[-1] - top) / (bottom - top)) if rows else 0.0)
    return fills


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", MEMOS, ids=lambda p: p.name)
def test_no_page_left_mostly_blank(tmp_path: Path, path: Path, lang: str) -> None:
    fills = page_fill(written(memo_pdf(path, lang), tmp_path), tmp_path)
    assert len(fills) > 3
    assert all(f >= MIN_PAGE_FILL for f in fills[:-1]), [round(f, 2) for f in fills]


@pytest.mark.parametrize("lang, label", [("ja", "{n} / {m} ページ"), ("en", "Page {n} of {m}"), ("both", "{n} / {m}")])
def test_header_footer_and_metadata(tmp_path: Path, lang: str, label: str) -> None:
    path = MEMOS[0]
    reader = PdfReader(str(written(memo_pdf(path, lang), tmp_path)))
    m = len(reader.pages)
    s = screen(load_deal(path), as_of=DATE)
    doc = build_memo(s, lang, DATE)  # type: ignore[arg-type]
    for n, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert label.format(n=n, m=m) in text, (n, text[-200:])
        assert s.matter[:40] in text  # the running header
        if doc.marking:
            assert doc.marking[:30] in text  # the legend in the footer
    info = reader.metadata
    assert info.title == doc.title and info.author == (getattr(doc, "author", None) or "fdiscreen")
    assert info.subject == (getattr(doc, "matter", None) or doc.subtitle)
    assert info["/CreationDate"].startswith("D:20261201")


def test_memo_date_wins_over_the_argument() -> None:
    doc = build_memo(screen(load_deal(MEMOS[0]), as_of=DATE), "en", DATE)
    assert pdf.memo_date(doc, dt.date(2026, 5, 5)) == (dt.date.fromisoformat(str(getattr(doc, "date_iso", "2026-05-05"))[:10]))
    assert pdf.memo_date(doc.model_copy(update={}), None) in (DATE, dt.date(2000, 1, 1))


def test_same_input_same_bytes() -> None:
    memo_pdf.cache_clear()
    a = memo_pdf(MEMOS[1], "ja")
    memo_pdf.cache_clear()
    assert memo_pdf(MEMOS[1], "ja") == a


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_mincho_body_and_gothic_headings(tmp_path: Path) -> None:
    """Both bundled faces are embedded; body text is set in Mincho, headings and table headers in Gothic."""
    out = written(memo_pdf(MEMOS[0], "ja"), tmp_path)
    rows = [line.split() for line in subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]]
    for face in ("IPAexMincho", "IPAexGothic"):
        assert any(r[0].endswith("+" + face) for r in rows), rows
    assert all(r[-5] == "yes" for r in rows), rows  # every font embedded: no Helvetica named by a table or a drawing
    faces: dict[str, set[str]] = {}

    def text(t: str, cm: object, tm: object, font: dict | None, size: object) -> None:
        if t.strip() and font:
            faces.setdefault(str(font.get("/BaseFont", "")).split("+")[-1], set()).add(t.strip())

    PdfReader(str(out)).pages[0].extract_text(visitor_text=text)
    assert any("届出要否の判断" in t for t in faces.get("IPAexGothic", ())), faces.keys()  # a heading
    assert any("外国投資家に該当する" in t for t in faces.get("IPAexMincho", ())), faces.keys()  # body text


def test_font_paths_are_bundled() -> None:
    assert fonts.font_path("body").name == "ipaexm.ttf" and fonts.japanese_font_path().name == "ipaexg.ttf"
    assert fonts.japanese_font_path().parent == Path(fonts.__file__).parent / "fonts"
    assert fonts.register_fonts() == fonts.FONT_NAME == fonts.HEADING_FONT


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def test_every_character_of_the_example_memos_has_a_glyph() -> None:
    """reportlab draws a character its font lacks as an empty box without a word of warning: every
    character of the examples' bilingual memos must be in both bundled faces."""
    from fontTools.ttLib import TTFont

    faces = {kind: set(TTFont(str(fonts.font_path(kind))).getBestCmap()) for kind in ("body", "heading")}
    paths = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "bids").glob("*.yaml"))
    missing: dict[str, str] = {}
    for path in paths:
        doc = build_memo(screen(load_deal(path), as_of=DATE), "both", DATE)
        for text in _texts(doc.model_dump(mode="json")):
            for ch in text:
                if ord(ch) >= 32 and any(ord(ch) not in cmap for cmap in faces.values()):
                    missing.setdefault(f"U+{ord(ch):04X} {ch}", path.name)
    assert not missing, missing
