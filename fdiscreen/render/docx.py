"""Document -> DOCX with python-docx, using Word's built-in styles (Title, Heading 1/2, Normal, List
Bullet/Number, Quote, Caption, Header, Footer) and one table style of its own based on "Table Grid", so a
firm can restyle the memo with its own template. Fonts are ones Word users have: 游明朝 (Yu Mincho) for
body text and 游ゴシック (Yu Gothic) for headings, both shipped with Word on Windows and macOS, with
Century and Arial for Latin text. The font table describes 游明朝 and 游ゴシック by their PANOSE class and
the Japanese character set, so a Word without them substitutes ＭＳ 明朝 / ＭＳ ゴシック (the theme names
those as its Japanese fonts too), and LibreOffice substitutes an installed Japanese font. The header
holds the matter and the legend, the footer the legend and "page N of M" (PAGE and NUMPAGES fields).
Figures are PNGs of the same drawings the PDF uses. The same input gives the same bytes: fixed core
properties (dated the memo's date) and a re-written zip with fixed member dates."""

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

TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2.5 cm margins each side
FIGURE_WIDTH_CM = 15.0
FIXED_DATE = dt.date(2000, 1, 1)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
CORE_PROPERTY_CHARS = 255  # python-docx refuses a longer core property (the title)
TONE_STYLE = {"note": "Quote", "good": "Quote", "warn": "Intense Quote", "bad": "Intense Quote"}
#: body text: East Asian, Latin (ascii/hAnsi) and complex-script faces
BODY_FONTS = {"eastAsia": "游明朝", "ascii": "Century", "hAnsi": "Century", "cs": "Times New Roman"}
#: headings, titles, captions, table headers, header and footer
HEADING_FONTS = {"eastAsia": "游ゴシック", "ascii": "Arial", "hAnsi": "Arial", "cs": "Arial"}
HEADING_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "Header", "Footer")
BODY_STYLES = ("Normal", "Quote", "Intense Quote", "List Bullet", "List Number", "No Spacing")
#: what the font table says of each face: PANOSE, character set (80 = Shift JIS), family; for the Japanese
#: faces also the English name. Word substitutes a face it lacks by these (游明朝 -> ＭＳ 明朝).
FONT_TABLE = {
    "游明朝": ("Yu Mincho", "02020400000000000000", "80", "roman"),
    "游ゴシック": ("Yu Gothic", "020B0400000000000000", "80", "swiss"),
    "Century": (None, "02040604050505020304", "00", "roman"),
    "Arial": (None, "020B0604020202020204", "00", "swiss"),
}
#: the theme's fonts (minor: body, major: headings) for the scripts the memo uses
THEME_FONTS = {"minorFont": {"latin": "Century", "Jpan": "游明朝"}, "majorFont": {"latin": "Arial", "Jpan": "游ゴシック"}}
TABLE_STYLE = "fdiscreen Table"
STYLE_TABS_TWIPS = (4680, 9360)  # the centre and right tab stops of the template's Header and Footer styles
#: styles the template sets in italic: Japanese has no italic (Word would slant the glyphs)
UPRIGHT_STYLES = ("Subtitle", "Quote", "Intense Quote", "Caption")
HEADER_FILL = "1F3A5F"
BAND_FILL = "F4F6F9"
PAGE_LABEL = {"en": ("Page ", " of ", ""), "ja": ("", " / ", " ページ")}
LANGUAGE = {"en": "en-GB", "ja": "ja-JP"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Characters XML 1.0 forbids: C0 controls other than tab, newline and carriage return, surrogates, U+FFFE/FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """Deal text as python-docx can store it: forbidden XML characters dropped."""
    return _XML_FORBIDDEN.sub("", str(text))


def _set_rfonts(rpr: Any, faces: dict[str, str]) -> None:
    """Name the faces explicitly and drop the theme references (in Word a theme font wins over a named one)."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for slot, face in faces.items():
        rfonts.set(qn(f"w:{slot}"), face)


def _set_fonts(d: Any, lang: str) -> None:
    """Body styles in 游明朝 / Century, heading styles in 游ゴシック / Arial, the document defaults in the
    body faces, the text's language set (Japanese for East Asian text), and no theme font left to win."""
    styles_el = d.styles.element
    for rfonts in styles_el.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
    defaults = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(defaults, BODY_FONTS)
    lang_el = defaults.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        defaults.append(lang_el)
    lang_el.set(qn("w:val"), LANGUAGE.get(lang, "en-GB"))
    lang_el.set(qn("w:eastAsia"), "ja-JP")
    names = {s.name for s in d.styles}
    for group, faces in ((BODY_STYLES, BODY_FONTS), (HEADING_STYLES, HEADING_FONTS)):
        for name in group:
            if name in names:
                _set_rfonts(d.styles[name].element.get_or_add_rPr(), faces)
    d.styles["Normal"].font.size = Pt(10.5)
    for name in UPRIGHT_STYLES:
        if name in names:
            d.styles[name].font.italic = False


def _font_table(xml: bytes) -> bytes:
    """The font table with an entry for each face the memo names (see FONT_TABLE)."""
    root = etree.fromstring(xml)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for font in list(root):
        if font.get(f"{{{w}}}name") in FONT_TABLE:
            root.remove(font)
    for name, (alt, panose, charset, family) in FONT_TABLE.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        if alt:
            etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}panose1", {f"{{{w}}}val": panose})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": charset})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme(xml: bytes) -> bytes:
    """The theme's body and heading fonts: Century / 游明朝 and Arial / 游ゴシック."""
    root = etree.fromstring(xml)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for kind, faces in THEME_FONTS.items():
        for el in root.iter(f"{{{a}}}{kind}"):
            latin = el.find(f"{{{a}}}latin")
            if latin is not None:
                latin.set("typeface", faces["latin"])
            for font in el.findall(f"{{{a}}}font"):
                if font.get("script") == "Jpan":
                    font.set("typeface", faces["Jpan"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table_style(d: Any) -> str:
    """A table style of the memo's own, based on Table Grid: header row bold in 游ゴシック, white on dark
    blue, repeated on each page; banded rows."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {s.name for s in d.styles}
    if TABLE_STYLE in names:
        return TABLE_STYLE
    style = d.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = d.styles["Table Grid"]
    style.font.size = Pt(9)
    el = style.element
    el.find(qn("w:rPr")).addprevious(etree.fromstring(  # the schema puts pPr before rPr
        f'<w:pPr xmlns:w="{W_NS}"><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>'))
    el.append(etree.fromstring(
        f'<w:tblPr xmlns:w="{W_NS}"><w:tblStyleRowBandSize w:val="1"/><w:tblBorders>'
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="B0B7C3"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'))
    el.append(etree.fromstring(
        f'<w:tblStylePr xmlns:w="{W_NS}" w:type="firstRow"><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="游ゴシック" w:cs="Arial"/>'
        f'<w:b/><w:color w:val="FFFFFF"/></w:rPr><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'))
    el.append(etree.fromstring(
        f'<w:tblStylePr xmlns:w="{W_NS}" w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BAND_FILL}"/></w:tcPr>'
        '</w:tblStylePr>'))
    return TABLE_STYLE


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
    table.style = d.styles[_table_style(d)]
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


def memo_date(doc: Document, date: dt.date | None) -> dt.date:
    """The memo's date (``doc.date_iso``), else ``date``, else a fixed date, so the same input gives the same file."""
    iso = getattr(doc, "date_iso", None)
    try:
        return dt.date.fromisoformat(str(iso)[:10]) if iso else (date or FIXED_DATE)
    except ValueError:
        return date or FIXED_DATE


def _field(paragraph: Any, instr: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``paragraph``; ``shown`` is the text until Word updates it."""
    def run(*children: Any) -> None:
        r = paragraph.add_run()._r
        for c in children:
            r.append(c)

    begin, sep, end = OxmlElement("w:fldChar"), OxmlElement("w:fldChar"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    sep.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} "
    run(begin)
    run(code)
    run(sep)
    paragraph.add_run(shown)
    run(end)


def _right_tab(paragraph: Any) -> None:
    """One right-aligned tab stop at the right margin (the second item of a header or footer line); the
    Header and Footer styles' own centre and right stops are cleared."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Twips

    stops = paragraph.paragraph_format.tab_stops
    for twips in STYLE_TABS_TWIPS:
        stops.add_tab_stop(Twips(twips), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)


def _header_footer(d: Any, doc: Document) -> None:
    """Header: the matter, and the legend at the right. Footer: the legend, and "page N of M" at the right."""
    sec = d.sections[0]
    matter = clean(getattr(doc, "matter", None) or doc.subtitle or doc.title)
    legend = clean(doc.marking or "")
    head = sec.header.paragraphs[0]
    head.style = d.styles["Header"]
    _right_tab(head)
    head.add_run(matter)
    if legend:
        head.add_run("\t")
        head.add_run(legend).bold = True
    foot = sec.footer.paragraphs[0]
    foot.style = d.styles["Footer"]
    _right_tab(foot)
    foot.add_run(legend or clean(doc.title))
    before, between, after = PAGE_LABEL.get(doc.lang, ("", " / ", ""))
    foot.add_run("\t" + before)
    _field(foot, "PAGE", "1")
    foot.add_run(between)
    _field(foot, "NUMPAGES", "1")
    if after:
        foot.add_run(after)


def _core_properties(d: Any, doc: Document, date: dt.date | None) -> None:
    stamp = dt.datetime.combine(memo_date(doc, date), dt.time(0, 0))
    cp = d.core_properties
    author = clean(getattr(doc, "author", None) or "fdiscreen")[:CORE_PROPERTY_CHARS]
    cp.author = author
    cp.last_modified_by = author
    cp.comments = "generated by fdiscreen"
    cp.language = LANGUAGE.get(doc.lang, LANGUAGE["ja"])  # a bilingual memo starts in Japanese
    cp.subject = clean(getattr(doc, "matter", None) or doc.subtitle or "")[:CORE_PROPERTY_CHARS]
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


def _same(body: bytes) -> bytes:
    return body


REWRITE = {"_rels/.rels": _drop_thumbnail, "word/fontTable.xml": _font_table, "word/theme/theme1.xml": _theme}


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
            dst.writestr(info, REWRITE.get(name, _same)(body))
    return out.getvalue()


def to_docx_bytes(doc: Document, date: dt.date | None = None) -> bytes:
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm((21.0 - TEXT_WIDTH_CM) / 2)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    _set_fonts(d, doc.lang)
    _header_footer(d, doc)
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
