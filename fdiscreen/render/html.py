"""Document -> one standalone HTML5 page: inline CSS, figures as inline SVG, nothing loaded from the
network, every piece of text escaped (deal names print as written). Same input, same string."""

from __future__ import annotations

import base64
import datetime as dt
import re
from io import BytesIO
from html import escape

from fdiscreen.render import figures
from fdiscreen.render.fonts import japanese_font_path
from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre
from fdiscreen.render.document import Table as DocTable

# Characters HTML forbids in text: C0 controls other than tab, newline, carriage return (and form feed), DEL..C1.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SVG_ID = re.compile(r'\bid="([^"]+)"')

CSS = """
:root { color-scheme: light; }
body { font-family: "fdiscreen-ja", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans CJK JP", "IPAexGothic", system-ui, sans-serif;
  line-height: 1.6; color: #222; background: #fff; margin: 0; padding: 1.5rem 1rem 3rem; }
main { max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.6rem; line-height: 1.3; border-bottom: 2px solid #1f3a5f; padding-bottom: .3rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; color: #1f3a5f; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d6e0; }
h3 { font-size: 1.05rem; color: #1f3a5f; margin: 1.3rem 0 .4rem; }
h1, h2, h3, .subtitle { overflow-wrap: anywhere; }
.subtitle { font-size: 1.1rem; color: #444; margin: 0 0 1rem; }
.marking { font-weight: bold; color: #b71c1c; border: 1px solid #b71c1c; padding: .3rem .6rem; display: inline-block; }
p { margin: .4rem 0; overflow-wrap: anywhere; white-space: pre-wrap; }
ul, ol { margin: .4rem 0; padding-left: 1.6rem; }
li { overflow-wrap: anywhere; white-space: pre-wrap; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #b0b7c3; padding: .3rem .4rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: normal; white-space: pre-wrap; }
th { background: #1f3a5f; color: #fff; }
tbody tr:nth-child(even) td { background: #f4f6f9; }
table.meta { width: auto; max-width: 100%; table-layout: auto; }
table.meta th { background: #eef1f6; color: #222; }
.tone-note { color: #555; font-size: .92rem; border-left: 3px solid #b0b7c3; padding-left: .6rem; }
.tone-good { background: #e8f5e9; border-left: 4px solid #2e7d32; padding: .3rem .6rem; }
.tone-warn { background: #fff8e1; border-left: 4px solid #f9a825; padding: .3rem .6rem; }
.tone-bad { background: #fdecea; border-left: 4px solid #c62828; padding: .3rem .6rem; }
pre.pre { font-size: .8rem; background: #f6f7f9; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figure svg text { font-family: "fdiscreen-ja", "IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans CJK JP", sans-serif !important; }
figcaption { font-size: .9rem; color: #555; margin-top: .3rem; }
@media print { body { padding: 0; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
""".strip()


def esc(text: object) -> str:
    """Escape text (quotes too) and drop characters HTML forbids; newlines stay (shown by the CSS where needed)."""
    return escape(_FORBIDDEN.sub("", str(text)), quote=True)


def _inline_svg(fig: Figure, n: int) -> str:
    """The figure's SVG with its ids made unique in the page (reportlab names every clip path 'clip'),
    and its placeholder title replaced by the caption."""
    text = figures.svg(fig)
    for name in sorted(set(_SVG_ID.findall(text)), key=len, reverse=True):
        new = f"fig{n}-{name}"
        text = text.replace(f'id="{name}"', f'id="{new}"').replace(f"url(#{name})", f"url(#{new})")
        text = text.replace(f'href="#{name}"', f'href="#{new}"')
    text = text.replace("<title>...</title>", f"<title>{esc(fig.caption)}</title>", 1).replace("<desc>...</desc>", "", 1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{esc(fig.caption)}" ', 1)


def _para(b: Para) -> str:
    lead = f"<strong>{esc(b.bold_lead)}</strong> " if b.bold_lead else ""
    cls = f' class="tone-{b.tone}"' if b.tone != "normal" else ""
    return f"<p{cls}>{lead}{esc(b.text)}</p>"


def _table(b: DocTable, table_class: str = "") -> str:
    n = len(b.header)
    out = [f'<table class="{table_class}">' if table_class else "<table>"]
    if b.widths and len(b.widths) == n and sum(b.widths) > 0:
        total = sum(b.widths)
        out.append("<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in b.widths) + "</colgroup>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in b.header) + "</tr></thead>")
    out.append("<tbody>")
    for row in b.rows:
        cells = (list(row) + [""] * n)[:n] if n else list(row)
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def block_html(b: Block, counter: list[int], table_class: str = "") -> str:
    """One document block as HTML; ``counter`` numbers the figures so their SVG ids stay unique in a page."""
    if isinstance(b, Para):
        return _para(b)
    if isinstance(b, Bullets):
        tag = "ol" if b.numbered else "ul"
        return f"<{tag}>\n" + "\n".join(f"<li>{esc(x)}</li>" for x in b.items) + f"\n</{tag}>"
    if isinstance(b, DocTable):
        return _table(b, table_class)
    if isinstance(b, Pre):
        return f'<pre class="pre">{esc(b.text)}</pre>'
    if isinstance(b, Figure):
        counter[0] += 1
        return f"<figure>\n{_inline_svg(b, counter[0]).strip()}\n<figcaption>{esc(b.caption)}</figcaption>\n</figure>"
    raise TypeError(b)


def font_face(text: str) -> str:
    """An @font-face with IPAexGothic subset to the page's own characters, inlined, so Japanese shows on
    machines without a Japanese font and nothing is fetched. Empty for pages with no non-ASCII text."""
    chars = {ch for ch in text if ord(ch) > 0x7F}
    if not chars:
        return ""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(japanese_font_path()), recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(chars)) + "".join(chr(c) for c in range(0x20, 0x7F)))
    sub.subset(font)
    buf = BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"@font-face {{ font-family: 'fdiscreen-ja'; src: url(data:font/ttf;base64,{data}) format('truetype'); }}\n"


def to_html(doc: Document, date: dt.date | None = None) -> str:
    """The memo as a complete HTML page. ``date``, when given, is recorded in a meta tag (the visible date
    is the one in the document's own metadata)."""
    lang = "ja" if doc.lang == "ja" else "en"
    head = ['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="fdiscreen">']
    if date is not None:
        head.append(f'<meta name="date" content="{date.isoformat()}">')
    body: list[str] = []
    if doc.marking:
        body.append(f'<p class="marking">{esc(doc.marking)}</p>')
    body.append(f"<h1>{esc(doc.title)}</h1>")
    if doc.subtitle:
        body.append(f'<p class="subtitle">{esc(doc.subtitle)}</p>')
    if doc.meta:
        body.append('<table class="meta"><tbody>' + "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>"
                                                          for k, v in doc.meta) + "</tbody></table>")
    counter = [0]
    for s in doc.sections:
        tag = "h2" if s.level <= 1 else "h3"
        anchor = f' id="{esc(s.anchor)}"' if s.anchor else ""
        body.append(f"<section>\n<{tag}{anchor}>{esc(s.title)}</{tag}>")
        body.extend(block_html(b, counter) for b in s.blocks)
        body.append("</section>")
    head += [f"<title>{esc(doc.title)}</title>", f"<style>\n{font_face(''.join(body) + doc.title)}{CSS}\n</style>"]
    return ("<!DOCTYPE html>\n" f'<html lang="{lang}">\n<head>\n' + "\n".join(head) + "\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n</main>\n</body>\n</html>\n")
