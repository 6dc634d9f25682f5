"""Document -> PDF with reportlab: the Japanese font embedded, every piece of text escaped for
reportlab's paragraph markup, tables wrapped to the page, figures as vector drawings, and the same
bytes for the same input (invariant mode: fixed dates and document ids)."""

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
from reportlab.platypus import (Flowable, KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from fdiscreen.render import figures
from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre
from fdiscreen.render.document import Table as DocTable
from fdiscreen.render.fonts import register_fonts

MARGIN = 18 * mm
TONE_BG = {"note": None, "good": colors.HexColor("#e8f5e9"), "warn": colors.HexColor("#fff8e1"), "bad": colors.HexColor("#fdecea")}


def safe(text: str) -> str:
    """Escape text for reportlab's paragraph markup; drop control characters it cannot draw."""
    cleaned = "".join(ch for ch in str(text) if ch in "\t\n" or ord(ch) >= 32)
    return escape(cleaned).replace("\n", "<br/>")


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


def _para(b: Para, st: dict[str, ParagraphStyle]) -> Flowable:
    lead = f"<b>{safe(b.bold_lead)}</b> " if b.bold_lead else ""
    if b.tone == "normal":
        return Paragraph(lead + safe(b.text), st["body"])
    style = ParagraphStyle(f"tone-{b.tone}", parent=st["note"] if b.tone == "note" else st["body"], backColor=TONE_BG[b.tone],
                           borderPadding=(3, 4, 3, 4) if TONE_BG[b.tone] else 0, spaceBefore=3, spaceAfter=6)
    return Paragraph(lead + safe(b.text), style)


def _table(b: DocTable, st: dict[str, ParagraphStyle], width: float) -> Flowable:
    n = len(b.header)
    weights = b.widths if b.widths and len(b.widths) == n else [1.0] * n
    col_widths = [width * w / sum(weights) for w in weights]
    data = [[Paragraph(safe(h), st["head"]) for h in b.header]]
    data += [[Paragraph(safe(c), st["cell"]) for c in (row + [""] * n)[:n]] for row in b.rows]
    t = Table(data, colWidths=col_widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b7c3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def _meta_table(meta: list[tuple[str, str]], st: dict[str, ParagraphStyle], width: float) -> Flowable:
    t = Table([[Paragraph(safe(k), st["cell"]), Paragraph(safe(v), st["cell"])] for k, v in meta], colWidths=[width * 0.25, width * 0.75])
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b7c3")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#555555"))]))
    return t


def _figure(b: Figure, st: dict[str, ParagraphStyle], width: float) -> Flowable:
    d = figures.drawing(b)
    scale = min(1.0, width / d.width)
    d.scale(scale, scale)
    d.width, d.height = d.width * scale, d.height * scale
    return KeepTogether([d, Paragraph(safe(b.caption), st["caption"]), Spacer(1, 4)])


def _block(b: Block, st: dict[str, ParagraphStyle], width: float) -> Flowable:
    if isinstance(b, Para):
        return _para(b, st)
    if isinstance(b, Bullets):
        items = [ListItem(Paragraph(safe(x), st["body"]), leftIndent=10) for x in b.items]
        return ListFlowable(items, bulletType="1" if b.numbered else "bullet", start=None if b.numbered else "•",
                            bulletFontName=st["body"].fontName, bulletFontSize=7, leftIndent=12)
    if isinstance(b, DocTable):
        return _table(b, st, width)
    if isinstance(b, Pre):
        lines = [safe(line).replace(" ", "&nbsp;") for line in b.text.split("\n")]
        return Paragraph("<br/>".join(lines), st["cell"])
    return _figure(b, st, width)


def _story(doc: Document, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    story: list[Flowable] = []
    if doc.marking:
        story.append(Paragraph(safe(doc.marking), st["marking"]))
    story.append(Paragraph(safe(doc.title), st["title"]))
    if doc.subtitle:
        story.append(Paragraph(safe(doc.subtitle), st["subtitle"]))
    if doc.meta:
        story.append(_meta_table(doc.meta, st, width))
    for sec in doc.sections:
        heading = Paragraph(safe(sec.title), st["h1" if sec.level <= 1 else "h2"])
        blocks = [_block(b, st, width) for b in sec.blocks]
        story.append(KeepTogether([heading, blocks[0]]) if blocks else heading)
        story.extend(blocks[1:])
    return story


def _footer(doc: Document, font: str) -> Any:
    label = "".join(ch for ch in (doc.subtitle or doc.title) if ord(ch) >= 32)[:90]

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
