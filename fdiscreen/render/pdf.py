"""Document -> PDF with reportlab: the Japanese font embedded, every piece of text escaped for
reportlab's paragraph markup, tables wrapped to the page, figures as vector drawings, and the same
bytes for the same input (invariant mode: fixed dates and document ids).

Any text renders and the time stays linear in its length: text wraps anywhere when it has no spaces
(wordWrap='CJK'), tables split between rows and, for a row taller than a page, inside it (LongTable,
splitInRow), and long text is set as consecutive paragraphs of at most PARAGRAPH_CHARS characters."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, LongTable, Paragraph, SimpleDocTemplate, Spacer,
                                TableStyle)

from fdiscreen.render import figures
from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre
from fdiscreen.render.document import Table as DocTable
from fdiscreen.render.fonts import register_fonts

MARGIN = 18 * mm
#: the longest text one reportlab Paragraph is given. reportlab lays a paragraph out again each time it
#: splits it over a page, so longer text is set as consecutive paragraphs (cut at a line break or space
#: near the limit where there is one), which keeps the time linear in the text's length.
PARAGRAPH_CHARS = 2000
LONG_TABLE_ROWS = 60  # rows; a longer table gets its row heights from _row_heights and is not kept whole with its heading
CELL_PAD = 3  # points of padding on each side of a table cell
MEASURE_HEIGHT = 72000 - 2 * CELL_PAD  # the height reportlab offers a cell's content when it measures it
TALL_ROW = 200.0  # points: a row at least this tall gets its height (and any split) from reportlab itself
HEADING_ROOM = 40 * mm  # room a heading needs below it for the start of a long table
FOOTER_LABEL_WIDTH = A4[0] - 2 * MARGIN - 40  # points: the page number sits at the right
TONE_BG = {"note": None, "good": colors.HexColor("#e8f5e9"), "warn": colors.HexColor("#fff8e1"), "bad": colors.HexColor("#fdecea")}


def safe(text: str) -> str:
    """Escape text for reportlab's paragraph markup; drop control characters it cannot draw."""
    cleaned = "".join(ch for ch in str(text) if ch in "\t\n" or ord(ch) >= 32)
    return escape(cleaned).replace("\n", "<br/>")


def pieces(text: str, limit: int = PARAGRAPH_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, each at the last line break or space in
    the second half of the piece when there is one (the break is dropped: a new paragraph starts a line)."""
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = max(text.rfind("\n", start + limit // 2, end), text.rfind(" ", start + limit // 2, end))
        out.append(text[start:cut if cut > 0 else end])
        start = cut + 1 if cut > 0 else end
    out.append(text[start:])
    return out


def _paragraphs(text: str, style: ParagraphStyle, lead: str = "") -> list[Flowable]:
    """Plain ``text`` as one Paragraph, or as consecutive paragraphs with no space between them when it is
    longer than PARAGRAPH_CHARS; ``lead`` (markup) starts the first."""
    parts = pieces(text)
    if len(parts) == 1:
        return [Paragraph(lead + safe(text), style)]
    first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
    middle = ParagraphStyle(f"{style.name}-middle", parent=style, spaceBefore=0, spaceAfter=0)
    last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
    return [Paragraph(lead + safe(parts[0]), first), *(Paragraph(safe(x), middle) for x in parts[1:-1]), Paragraph(safe(parts[-1]), last)]


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, alignment=TA_LEFT, wordWrap="CJK", spaceAfter=3)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=21, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, textColor=colors.HexColor("#333333")),
        "h1": ParagraphStyle("h1", parent=base, fontSize=12.5, leading=17, spaceBefore=9, spaceAfter=4, textColor=colors.HexColor("#1f3a5f")),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3, textColor=colors.HexColor("#1f3a5f")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=10, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontSize=7.5, leading=10, spaceAfter=0, textColor=colors.white),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#555555")),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.5, leading=10, textColor=colors.HexColor("#555555")),
        "marking": ParagraphStyle("marking", parent=base, fontSize=9, textColor=colors.HexColor("#b71c1c")),
    }


def _para(b: Para, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lead = f"<b>{safe(b.bold_lead)}</b> " if b.bold_lead else ""
    if b.tone == "normal":
        return _paragraphs(b.text, st["body"], lead)
    style = ParagraphStyle(f"tone-{b.tone}", parent=st["note"] if b.tone == "note" else st["body"], backColor=TONE_BG[b.tone],
                           borderPadding=(3, 4, 3, 4) if TONE_BG[b.tone] else 0, spaceBefore=3, spaceAfter=6)
    return _paragraphs(b.text, style, lead)


def _table(b: DocTable, st: dict[str, ParagraphStyle], width: float) -> Flowable:
    n = len(b.header)
    weights = b.widths if b.widths and len(b.widths) == n else [1.0] * n
    col_widths = [width * w / sum(weights) for w in weights]
    data = [[Paragraph(safe(h), st["head"]) for h in b.header]]
    data += [[Paragraph(safe(c), st["cell"]) for c in (row + [""] * n)[:n]] for row in b.rows]
    heights = _row_heights(data, col_widths) if len(data) > LONG_TABLE_ROWS else None
    t = LongTable(data, colWidths=col_widths, rowHeights=heights, repeatRows=1, splitInRow=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b7c3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]))
    return t


def _row_heights(data: list[list[Paragraph]], col_widths: list[float]) -> list[float | None]:
    """Each row's height as reportlab works it out (its tallest cell plus the padding), computed here once
    a cell: reportlab's own pass over a long table takes time growing with the square of its rows. A row
    too tall for a page is left to reportlab (None), which splits it across pages."""
    heights = [max(p.wrap(w - 2 * CELL_PAD, MEASURE_HEIGHT)[1] for p, w in zip(row, col_widths)) + 2 * CELL_PAD for row in data]
    return [h if h <= TALL_ROW else None for h in heights]


def _meta_table(meta: list[tuple[str, str]], st: dict[str, ParagraphStyle], width: float) -> Flowable:
    t = LongTable([[Paragraph(safe(k), st["cell"]), Paragraph(safe(v), st["cell"])] for k, v in meta], colWidths=[width * 0.25, width * 0.75],
                  splitInRow=1)
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b7c3")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#555555"))]))
    return t


def _figure(b: Figure, st: dict[str, ParagraphStyle], width: float) -> Flowable:
    d = figures.drawing(b)
    scale = min(1.0, width / d.width)
    d.scale(scale, scale)
    d.width, d.height = d.width * scale, d.height * scale
    return KeepTogether([d, Paragraph(safe(b.caption), st["caption"]), Spacer(1, 4)])


def _pre(b: Pre, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Preformatted text, a paragraph a line (a long line in pieces), spaces kept."""
    return [Paragraph(safe(piece).replace(" ", "&nbsp;") or "&nbsp;", st["cell"]) for line in b.text.split("\n") for piece in pieces(line)]


def _block(b: Block, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if isinstance(b, Para):
        return _para(b, st)
    if isinstance(b, Bullets):
        items = [ListItem(_paragraphs(x, st["body"]), leftIndent=10) for x in b.items]
        return [ListFlowable(items, bulletType="1" if b.numbered else "bullet", start=None if b.numbered else "•",
                             bulletFontName=st["body"].fontName, bulletFontSize=7, leftIndent=12)]
    if isinstance(b, DocTable):
        return [_table(b, st, width)]
    if isinstance(b, Pre):
        return _pre(b, st)
    return [_figure(b, st, width)]


def _story(doc: Document, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    story: list[Flowable] = []
    if doc.marking:
        story.append(Paragraph(safe(doc.marking), st["marking"]))
    story += _paragraphs(doc.title, st["title"])
    if doc.subtitle:
        story += _paragraphs(doc.subtitle, st["subtitle"])
    if doc.meta:
        story.append(_meta_table(doc.meta, st, width))
    for sec in doc.sections:
        heading = _paragraphs(sec.title, st["h1" if sec.level <= 1 else "h2"])
        blocks = [f for b in sec.blocks for f in _block(b, st, width)]
        story.extend(_with_heading(heading, blocks[:1]))
        story.extend(blocks[1:])
    return story


def _with_heading(heading: list[Flowable], first: list[Flowable]) -> list[Flowable]:
    """A heading kept on the page of what follows it. A long table is not measured whole for that (reportlab
    would lay out every row, in time growing with the square of their number): the heading starts a new
    page instead when less than HEADING_ROOM is left."""
    if first and isinstance(first[0], LongTable) and len(first[0]._cellvalues) > LONG_TABLE_ROWS:
        return [CondPageBreak(HEADING_ROOM), *heading, *first]
    return [KeepTogether([*heading, *first])]


def fit_width(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut, with an ellipsis, to fit ``width`` points in ``font`` at ``size``."""
    if stringWidth(text, font, size) <= width:
        return text
    used, out = stringWidth("…", font, size), []
    for ch in text:
        used += stringWidth(ch, font, size)
        if used > width:
            break
        out.append(ch)
    return "".join(out) + "…"


def _footer(doc: Document, font: str) -> Any:
    label = fit_width("".join(ch for ch in (doc.subtitle or doc.title)[:200] if ord(ch) >= 32)[:90], font, 7, FOOTER_LABEL_WIDTH)

    def draw(canvas: Any, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(MARGIN, 10 * mm, label)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"{canvas.getPageNumber()}")
        if doc.marking:
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 10 * mm, doc.marking[:120])
        canvas.restoreState()

    return draw


def to_pdf_bytes(doc: Document, date: dt.date | None = None) -> bytes:
    """Render the document; the same document gives the same bytes."""
    font = register_fonts()
    st = _styles(font)
    buf = BytesIO()
    template = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm, bottomMargin=16 * mm,
                                 title=doc.title, author="fdiscreen", subject=doc.subtitle or "", creator="fdiscreen",
                                 producer="fdiscreen", invariant=1, lang="ja" if doc.lang == "ja" else "en")
    width = A4[0] - 2 * MARGIN
    footer = _footer(doc, font)
    stamp = (date or dt.date(2000, 1, 1)).strftime("D:%Y%m%d000000+00'00'")

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **{**kwargs, "initialFontName": font})
        canvas.setDateFormatter(lambda *_: stamp)
        return canvas

    template.build(_story(doc, st, width), onFirstPage=footer, onLaterPages=footer, canvasmaker=canvasmaker)
    return buf.getvalue()


def to_pdf(doc: Document, path: Path, date: dt.date | None = None) -> None:
    path.write_bytes(to_pdf_bytes(doc, date))
