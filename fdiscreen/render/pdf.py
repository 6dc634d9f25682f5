"""Document -> PDF with reportlab: the bundled Japanese fonts embedded (IPAexMincho for body text,
IPAexGothic for titles, headings, table headers, captions and bold), lines broken by the kinsoku rules
(``typeset.KinsokuParagraph``), every piece of text escaped for reportlab's paragraph markup, tables
wrapped to the page, figures as vector drawings, a running header (matter, date) and footer (legend,
"page N of M"), headings kept with what follows them without forcing a page break, and the same bytes
for the same input (invariant mode: document ids fixed, the file's dates set to the memo's date).

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
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, LongTable, SimpleDocTemplate, Spacer, TableStyle

from fdiscreen.render import figures
from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre
from fdiscreen.render.document import Table as DocTable
from fdiscreen.render.fonts import register_memo_fonts
from fdiscreen.render.typeset import KinsokuParagraph as Paragraph

MARGIN = 18 * mm
#: the longest text one reportlab Paragraph is given. reportlab lays a paragraph out again each time it
#: splits it over a page, so longer text is set as consecutive paragraphs (cut at a line break or space
#: near the limit where there is one), which keeps the time linear in the text's length.
PARAGRAPH_CHARS = 2000
LONG_TABLE_ROWS = 60  # rows; a longer table gets its row heights from _row_heights (reportlab's own pass is quadratic)
CELL_PAD = 3  # points of padding on each side of a table cell
MEASURE_HEIGHT = 72000 - 2 * CELL_PAD  # the height reportlab offers a cell's content when it measures it
TALL_ROW = 200.0  # points: a row at least this tall gets its height (and any split) from reportlab itself
TOP_MARGIN = 20 * mm  # the running header sits in it
BOTTOM_MARGIN = 18 * mm  # the footer sits in it
FRAME_HEIGHT = A4[1] - TOP_MARGIN - BOTTOM_MARGIN - 12  # points: the text area (SimpleDocTemplate's frame pads 6 points each side)
LEAD_ROOM = 3 * 14.0  # points: three lines of body text, the least of a block that may follow its heading on a page
HEADER_Y = A4[1] - 12 * mm
FOOTER_Y = 10 * mm
RUNNING_LABEL_WIDTH = (A4[0] - 2 * MARGIN) * 0.62  # points: the matter (header) or legend (footer) at the left
RUNNING_SIZE = 7
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


def _styles(font: str, heading: str | None = None) -> dict[str, ParagraphStyle]:
    """The memo's paragraph styles: body text, cells and notes in ``font`` (Mincho), titles, headings,
    table headers, captions and the legend in ``heading`` (Gothic; ``font`` when not given)."""
    gothic = heading or font
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=14, alignment=TA_LEFT, wordWrap="CJK", spaceAfter=3)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=gothic, fontSize=16, leading=21, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=gothic, fontSize=11, leading=15, textColor=colors.HexColor("#333333")),
        "h1": ParagraphStyle("h1", parent=base, fontName=gothic, fontSize=12.5, leading=17, spaceBefore=9, spaceAfter=4,
                             textColor=colors.HexColor("#1f3a5f")),
        "h2": ParagraphStyle("h2", parent=base, fontName=gothic, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3,
                             textColor=colors.HexColor("#1f3a5f")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=10.5, spaceAfter=0),
        "key": ParagraphStyle("key", parent=base, fontName=gothic, fontSize=7.5, leading=10.5, spaceAfter=0, textColor=colors.HexColor("#555555")),
        "head": ParagraphStyle("head", parent=base, fontName=gothic, fontSize=7.5, leading=10.5, spaceAfter=0, textColor=colors.white),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=12, textColor=colors.HexColor("#555555")),
        "caption": ParagraphStyle("caption", parent=base, fontName=gothic, fontSize=7.5, leading=10, textColor=colors.HexColor("#555555")),
        "marking": ParagraphStyle("marking", parent=base, fontName=gothic, fontSize=9, textColor=colors.HexColor("#b71c1c")),
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
        ("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName),  # reportlab's default (Helvetica) would be named in the file, unembedded
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
    t = LongTable([[Paragraph(safe(k), st["key"]), Paragraph(safe(v), st["cell"])] for k, v in meta], colWidths=[width * 0.25, width * 0.75],
                  splitInRow=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName), ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b7c3")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _figure(b: Figure, st: dict[str, ParagraphStyle], width: float) -> Flowable:
    """The drawing and its caption, kept on one page (a KeepTogether, which ``_with_heading`` opens up:
    reportlab moves a KeepTogether nested in another to the next page whatever room is left)."""
    d = figures.drawing(b)
    d.initialFontName = st["caption"].fontName  # else reportlab names Helvetica (unembedded) for the drawing's text state
    scale = min(1.0, width / d.width)
    d.scale(scale, scale)
    d.width, d.height = d.width * scale, d.height * scale
    return KeepTogether([d, Paragraph(safe(b.caption), st["caption"]), Spacer(1, 4)])


#: how many lines of preformatted text stay on the page of the heading above them
PRE_LEAD_LINES = 3


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
        lead = PRE_LEAD_LINES if sec.blocks and isinstance(sec.blocks[0], Pre) else 1  # preformatted text is a paragraph a line
        story.extend(_with_heading(heading, blocks[:lead], width))
        story.extend(blocks[lead:])
    return story


def _height(flowables: list[Flowable], width: float) -> float:
    """The height of ``flowables`` set one after another at ``width``, with the space between them."""
    total = 0.0
    for i, f in enumerate(flowables):
        total += f.wrap(width, FRAME_HEIGHT)[1] + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
    return total


def _lead_height(block: Flowable, width: float) -> float:
    """How much of ``block`` must share a page with the heading above it: a table's header row and first
    row, at most the first three lines of body text otherwise (LEAD_ROOM; all of it when shorter). Only
    those rows are measured: measuring a long table whole takes time growing with the square of its rows."""
    if isinstance(block, LongTable):
        rows = block._cellvalues[:2]
        return sum(max(c.wrap(w - 2 * CELL_PAD, MEASURE_HEIGHT)[1] for c, w in zip(row, block._colWidths)) + 2 * CELL_PAD for row in rows)
    if isinstance(block, Paragraph):
        return min(_height([block], width), LEAD_ROOM)
    return LEAD_ROOM  # a list: reportlab measures it only on the page (it needs the canvas)


def _with_heading(heading: list[Flowable], first: list[Flowable], width: float) -> list[Flowable]:
    """A heading kept on the page of what follows it (keep-with-next) without forcing a page break: the
    heading moves to the next page only when the rest of this page cannot hold it and the start of its
    first block (``_lead_height``); a long table or list then splits over the pages as usual. A figure
    (a drawing and its caption, which never split) moves with its heading as a whole."""
    if first and isinstance(first[0], KeepTogether):
        return [KeepTogether([*heading, *first[0]._content]), *first[1:]]
    lead = sum(_lead_height(f, width) + f.getSpaceAfter() for f in first) if first else LEAD_ROOM
    return [CondPageBreak(_height(heading, width) + lead), *heading, *first]


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


PAGE_LABEL = {"en": "Page {n} of {total}", "ja": "{n} / {total} ページ"}


def page_label(lang: str, n: int, total: int) -> str:
    """'Page N of M' in the memo's language (「N / M ページ」; a bilingual memo gives "N / M")."""
    return PAGE_LABEL.get(lang, "{n} / {total}").format(n=n, total=total)


def memo_date(doc: Document, date: dt.date | None) -> dt.date:
    """The memo's date: the document's (``date_iso``), else ``date``, else a fixed date (2000-01-01), so the
    same input gives the same file."""
    iso = getattr(doc, "date_iso", None)
    if isinstance(iso, dt.date):
        return iso
    if iso:
        try:
            return dt.date.fromisoformat(str(iso)[:10])
        except ValueError:
            pass
    return date or dt.date(2000, 1, 1)


def _running_text(text: str | None) -> str:
    """One line of header or footer text: control characters dropped, long text cut."""
    return " ".join("".join(ch if ord(ch) >= 32 else " " for ch in (text or "")[:300]).split())


def _running(doc: Document, font: str) -> Any:
    """Draw the running header (the matter at the left, the memo's date at the right) and footer (the
    legend at the left, 'page N of M' at the right) on a page of ``total``."""
    matter = fit_width(_running_text(getattr(doc, "matter", None) or doc.subtitle or doc.title), font, RUNNING_SIZE, RUNNING_LABEL_WIDTH)
    legend = fit_width(_running_text(doc.marking or doc.title), font, RUNNING_SIZE, RUNNING_LABEL_WIDTH)
    date_text = fit_width(_running_text(getattr(doc, "date", None) if isinstance(getattr(doc, "date", None), str) else ""), font,
                          RUNNING_SIZE, A4[0] - 2 * MARGIN - RUNNING_LABEL_WIDTH - 12)

    def draw(canvas: Any, total: int) -> None:
        canvas.saveState()
        canvas.setFont(font, RUNNING_SIZE)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, HEADER_Y, matter)
        if date_text:
            canvas.drawRightString(A4[0] - MARGIN, HEADER_Y, date_text)
        canvas.setStrokeColor(colors.HexColor("#b0b7c3"))
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, HEADER_Y - 3, A4[0] - MARGIN, HEADER_Y - 3)
        canvas.line(MARGIN, FOOTER_Y + 9, A4[0] - MARGIN, FOOTER_Y + 9)
        if doc.marking:
            canvas.setFillColor(colors.HexColor("#b71c1c"))
        canvas.drawString(MARGIN, FOOTER_Y, legend)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawRightString(A4[0] - MARGIN, FOOTER_Y, page_label(doc.lang, canvas.getPageNumber(), total))
        canvas.restoreState()

    return draw


class _RunningCanvas(Canvas):
    """A canvas that holds every page back until the document ends, so that each page's header and footer
    can be drawn knowing the number of pages (reportlab's usual recipe for 'page N of M')."""

    def __init__(self, *args: Any, running: Any, stamp: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._draw_running = running
        self.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._draw_running(self, total)
            super().showPage()
        super().save()


def to_pdf_bytes(doc: Document, date: dt.date | None = None) -> bytes:
    """Render the document; the same document gives the same bytes. The PDF's dates are the memo's date."""
    body, heading = register_memo_fonts()
    st = _styles(body, heading)
    buf = BytesIO()
    author = getattr(doc, "author", None) or "fdiscreen"
    template = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
                                 title=doc.title, author=author, subject=getattr(doc, "matter", None) or doc.subtitle or "",
                                 creator="fdiscreen", producer="fdiscreen", invariant=1, lang="ja" if doc.lang == "ja" else "en")
    width = A4[0] - 2 * MARGIN
    running = _running(doc, heading)
    stamp = memo_date(doc, date).strftime("D:%Y%m%d000000+00'00'")

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return _RunningCanvas(*args, **{**kwargs, "initialFontName": body}, running=running, stamp=stamp)

    template.build(_story(doc, st, width), canvasmaker=canvasmaker)
    return buf.getvalue()


def to_pdf(doc: Document, path: Path, date: dt.date | None = None) -> None:
    path.write_bytes(to_pdf_bytes(doc, date))
