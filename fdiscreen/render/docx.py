"""Document -> DOCX with python-docx, using Word's built-in styles only (Title, Heading 1/2, Normal,
List Bullet/Number, Quote, Caption, a built-in table style) so a firm can restyle the memo with its own
template. Japanese is shown through the East Asian font of those styles (IPAexGothic; Word substitutes
a Japanese font if it is missing). Figures are PNGs of the same drawings the PDF uses. The same input
gives the same bytes: fixed core properties and a re-written zip with fixed member dates."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from fdiscreen.render import figures
from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre
from fdiscreen.render.document import Table as DocTable
from fdiscreen.render.fonts import FONT_NAME

TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2.5 cm margins each side
FIGURE_WIDTH_CM = 15.0
FIXED_DATE = dt.date(2000, 1, 1)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
CORE_PROPERTY_CHARS = 255  # python-docx refuses a longer core property (the title)
TONE_STYLE = {"note": "Quote", "good": "Quote", "warn": "Intense Quote", "bad": "Intense Quote"}
FONT_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Caption", "Quote", "Intense Quote")
TABLE_STYLES = ("Light Grid Accent 1", "Table Grid")
# Characters XML 1.0 forbids: C0 controls other than tab, newline and carriage return, surrogates, U+FFFE/FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """Deal text as python-docx can store it: forbidden XML characters dropped."""
    return _XML_FORBIDDEN.sub("", str(text))


def _set_east_asian_font(d: Any) -> None:
    """Give the styles the memo uses an explicit East Asian font. Theme font attributes win over explicit
    ones in Word, so every ``w:eastAsiaTheme`` in the style sheet is replaced by the named font."""
    styles_el = d.styles.element
    for rfonts in styles_el.iter(qn("w:rFonts")):
        if rfonts.get(qn("w:eastAsiaTheme")) is not None:
            del rfonts.attrib[qn("w:eastAsiaTheme")]
            rfonts.set(qn("w:eastAsia"), FONT_NAME)
    names = {s.name for s in d.styles}
    for name in FONT_STYLES:
        if name in names:
            d.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)
    rpr = d.styles["Normal"].element.get_or_add_rPr()
    if rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:eastAsia"), "ja-JP")
        rpr.append(lang)


def _style(d: Any, wanted: tuple[str, ...]) -> str:
    names = {s.name for s in d.styles}
    return next((n for n in wanted if n in names), wanted[-1])


def _restart_numbering(d: Any, paragraph: Any) -> None:
    """Make this 'List Number' paragraph start again at 1 (every numbered list is numbered on its own)."""
    style_num = d.styles["List Number"].element.pPr.numPr.numId.val
    numbering = d.part.numbering_part.element
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == style_num)
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num.numId
    paragraph._p.pPr.numPr.get_or_add_ilvl().val = 0


def _look(table: Any, first_row: bool, first_column: bool) -> None:
    """Which conditional formats of the table style apply (python-docx defaults to first column too)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:lastRow"), "0")
    look.set(qn("w:lastColumn"), "0")
    look.set(qn("w:noHBand"), "0")
    look.set(qn("w:noVBand"), "1")
    look.set(qn("w:val"), f"{0x0400 | (0x0020 if first_row else 0) | (0x0080 if first_column else 0):04X}")


def _table(d: Any, header: list[str] | None, rows: list[list[str]], widths: list[float] | None, bold_first_col: bool = False) -> Any:
    n = len(header) if header else max((len(r) for r in rows), default=1)
    body = [(list(r) + [""] * n)[:n] for r in rows]
    table = d.add_table(rows=(1 if header else 0) + len(body), cols=n)
    table.style = d.styles[_style(d, TABLE_STYLES)]
    table.autofit = False
    _look(table, first_row=bool(header), first_column=bold_first_col)
    weights = widths if widths and len(widths) == n and sum(widths) > 0 else [1.0] * n
    col_cm = [TEXT_WIDTH_CM * w / sum(weights) for w in weights]
    for i, col in enumerate(table.columns):
        col.width = Cm(col_cm[i])
    grid = ([header] if header else []) + body
    for r, (row, values) in enumerate(zip(table.rows, grid)):
        if header and r == 0:
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeat the header row on each page
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Cm(col_cm[c])
            run = cell.paragraphs[0].add_run(clean(value))
            if (header and r == 0) or (bold_first_col and c == 0):
                run.bold = True
    return table


def _para(d: Any, b: Para) -> None:
    p = d.add_paragraph(style=TONE_STYLE.get(b.tone, "Normal"))
    if b.bold_lead:
        p.add_run(clean(b.bold_lead)).bold = True
        p.add_run(" ")
    p.add_run(clean(b.text))


def _block(d: Any, b: Block) -> None:
    if isinstance(b, Para):
        _para(d, b)
    elif isinstance(b, Bullets):
        for i, item in enumerate(b.items):
            p = d.add_paragraph(clean(item), style="List Number" if b.numbered else "List Bullet")
            if b.numbered and i == 0:
                _restart_numbering(d, p)
    elif isinstance(b, DocTable):
        _table(d, b.header, b.rows, b.widths)
        d.add_paragraph()  # Word joins adjacent tables; keep them apart
    elif isinstance(b, Pre):
        style = _style(d, ("No Spacing", "Normal"))  # looked up once: python-docx searches the styles on every lookup
        for line in b.text.split("\n"):
            run = d.add_paragraph(style=style).add_run(clean(line))
            run.font.size = Pt(8)
    elif isinstance(b, Figure):
        d.add_picture(BytesIO(figures.png(b)), width=Cm(FIGURE_WIDTH_CM))
        d.paragraphs[-1].paragraph_format.keep_with_next = True
        d.add_paragraph(clean(b.caption), style="Caption")
    else:
        raise TypeError(b)


def _core_properties(d: Any, doc: Document, date: dt.date | None) -> None:
    stamp = dt.datetime.combine(date or FIXED_DATE, dt.time(0, 0))
    cp = d.core_properties
    cp.author = "fdiscreen"
    cp.last_modified_by = "fdiscreen"
    cp.comments = "generated by fdiscreen"
    cp.title = clean(doc.title)[:CORE_PROPERTY_CHARS]
    cp.revision = 1
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp


def _drop_thumbnail(rels_xml: bytes) -> bytes:
    """The template's thumbnail shows a blank python-docx page, not the memo: unlink it."""
    root = etree.fromstring(rels_xml)
    for rel in list(root):
        if rel.get("Type", "").endswith("/metadata/thumbnail"):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fixed_zip(data: bytes) -> bytes:
    """Re-write the archive with fixed member dates and a stable member order."""
    src = zipfile.ZipFile(BytesIO(data))
    names = [n for n in src.namelist() if n != "docProps/thumbnail.jpeg"]
    order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            body = src.read(name)
            dst.writestr(info, _drop_thumbnail(body) if name == "_rels/.rels" else body)
    return out.getvalue()


def to_docx_bytes(doc: Document, date: dt.date | None = None) -> bytes:
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm((21.0 - TEXT_WIDTH_CM) / 2)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    _set_east_asian_font(d)
    if doc.marking:
        d.add_paragraph().add_run(clean(doc.marking)).bold = True
    d.add_paragraph(clean(doc.title), style="Title")
    if doc.subtitle:
        d.add_paragraph(clean(doc.subtitle), style="Subtitle")
    if doc.meta:
        _table(d, None, [[k, v] for k, v in doc.meta], [1, 3], bold_first_col=True)
        d.add_paragraph()
    for s in doc.sections:
        d.add_paragraph(clean(s.title), style="Heading 1" if s.level <= 1 else "Heading 2")
        for b in s.blocks:
            _block(d, b)
    _core_properties(d, doc, date)
    buf = BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def to_docx(doc: Document, path: Path, date: dt.date | None = None) -> None:
    Path(path).write_bytes(to_docx_bytes(doc, date))
