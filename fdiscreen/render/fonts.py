"""The Japanese fonts every memo embeds, bundled in the package (``fdiscreen/render/fonts/``, with
their licence) so no font has to be on the reader's machine: IPAexMincho (明朝) for body text and
IPAexGothic (ゴシック) for headings, table headers and figure labels. Both are TrueType fonts reportlab
can embed and subset. IPAex has no bold face; bold maps to IPAexGothic, as Japanese typesetting
commonly does, rather than to a faked bold Mincho."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from fdiscreen.errors import FdiscreenError

FontKind = Literal["body", "heading"]

#: the Gothic face; the name figures, the web app and older callers use
FONT_NAME = "IPAexGothic"
#: body text (明朝体)
BODY_FONT = "IPAexMincho"
#: headings, table headers, figure labels and bold text (ゴシック体)
HEADING_FONT = FONT_NAME
FONT_FILES: dict[str, str] = {BODY_FONT: "ipaexm.ttf", HEADING_FONT: "ipaexg.ttf"}
KIND_FONT: dict[FontKind, str] = {"body": BODY_FONT, "heading": HEADING_FONT}


def font_path(kind: FontKind = "heading") -> Path:
    """The bundled TrueType file of the body (Mincho) or heading (Gothic) face."""
    name = FONT_FILES[KIND_FONT[kind]]
    path = Path(str(resources.files("fdiscreen.render") / "fonts" / name))
    if not path.is_file():
        raise FdiscreenError("Japanese font file missing from the package", file=str(path),
                             expected=f"{name} in fdiscreen/render/fonts/ (reinstall fdiscreen)")
    return path


def japanese_font_path() -> Path:
    """The Gothic face's file (IPAexGothic), which the figures and the web workbench use."""
    return font_path("heading")


def _register(name: str, kind: FontKind) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_path(kind))))


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register IPAexGothic with reportlab once (regular and bold map to the same face); return its name."""
    from reportlab.lib.fonts import addMapping

    _register(HEADING_FONT, "heading")
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(HEADING_FONT, bold, italic, HEADING_FONT)
    return HEADING_FONT


@lru_cache(maxsize=1)
def register_memo_fonts() -> tuple[str, str]:
    """Register both faces with reportlab once and return (body, heading) font names. In paragraph markup
    ``<b>`` in Mincho text sets IPAexGothic; italic keeps the upright face (Japanese has no italic)."""
    from reportlab.lib.fonts import addMapping

    register_fonts()
    _register(BODY_FONT, "body")
    for italic in (0, 1):
        addMapping(BODY_FONT, 0, italic, BODY_FONT)
        addMapping(BODY_FONT, 1, italic, HEADING_FONT)
    return BODY_FONT, HEADING_FONT
