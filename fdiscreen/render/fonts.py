"""The Japanese font every memo embeds: IPAexGothic (a TrueType font reportlab can embed and
subset), shipped by the PyPI package matplotlib-fontja, so no font has to be on the reader's machine."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from fdiscreen.errors import FdiscreenError

FONT_NAME = "IPAexGothic"
FONT_PACKAGE = "matplotlib_fontja"


def japanese_font_path() -> Path:
    """Locate ipaexg.ttf inside the installed package without importing it (it would import matplotlib)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FdiscreenError(f"the font package {FONT_PACKAGE} is not installed", path="fonts",
                             expected="`pip install -e .` (it installs matplotlib-fontja)")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise FdiscreenError("Japanese font file missing", file=str(path), expected="ipaexg.ttf from matplotlib-fontja")
    return path


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register IPAexGothic with reportlab once (regular and bold map to the same face); return its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(japanese_font_path())))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT_NAME, bold, italic, FONT_NAME)
    return FONT_NAME
