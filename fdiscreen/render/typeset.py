"""Japanese line breaking (禁則処理, kinsoku shori) for the PDF memo.

reportlab's ``wordWrap="CJK"`` breaks anywhere between characters and, when the character that no longer
fits may not start a line, hangs that one character in the margin. It does not know full-width "？", "！",
"：" or "；", never stops a line ending with an opening bracket, and lets the second of two closing
marks ("）。") start the next line. ``KinsokuParagraph`` replaces its line breaker with one that breaks
only where the rules of ``fdiscreen.render.linebreak`` allow (a single word longer than the line is the
one exception), and:

- when the character that overflows may not start a line, the break moves back (追い出し) to the last
  place the rules allow, never hangs past the margin (table cells have no room there).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import ParaLines, Paragraph, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

from fdiscreen.render.linebreak import break_allowed, is_space, kinsoku_allows


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return float(w)


def _break_before(units: list[str], start: int, over: int) -> int:
    """Where the line that starts at ``units[start]`` ends when ``units[over]`` no longer fits: the index
    of the first unit of the next line. Prefer the last place ``break_allowed``; for a word longer than the
    line, the last place kinsoku allows; at worst just before ``over`` (always at least one unit a line)."""
    if is_space(units[over]):  # a space that does not fit ends the line: break after it (and after any run of spaces)
        end = over + 1
        while end < len(units) and is_space(units[end]):
            end += 1
        return end
    for test in (break_allowed, kinsoku_allows):
        for b in range(over, start, -1):
            if test(units[b - 1], units[b]):
                return b
    return max(over, start + 1)


def kinsoku_split(frags: list[Any], max_widths: list[float], calc_bounds: bool, encoding: str = "utf8") -> ParaLines:
    """reportlab's ``cjkFragSplit`` with the kinsoku rules: the fragments' characters set in lines no wider
    than ``max_widths`` (the first line's, then the others'), breaking only where ``_break_before`` allows."""
    units: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            units.extend(cjkU(t, f, encoding) for t in text)
        else:
            units.append(cjkU(text, f, encoding))  # an empty fragment: a line break, an image
    lines: list[Any] = []
    start, n = 0, len(units)
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used, i, line_break = 0.0, start, False
        while i < n:
            w = _width(units[i], max_width)
            if hasattr(units[i].frag, "lineBreak"):
                i, line_break = i + 1, True
                break
            if used + w > max_width + _FUZZ and i > start:
                i = _break_before(units, start, i)
                break
            used += w
            i += 1
        line = units[start:i]
        width = sum(_width(u, max_width) for u in line if not (is_space(u) and u is line[-1]))
        lines.append(makeCJKParaLine(line, max_width, width, max_width - width, line_break, calc_bounds))
        start = i
    return ParaLines(kind=1, lines=lines)


class KinsokuParagraph(Paragraph):
    """A reportlab Paragraph (style with ``wordWrap="CJK"``) whose lines break by the kinsoku rules."""

    def breakLinesCJK(self, maxWidths: Any) -> ParaLines:  # noqa: N802, N803 (reportlab's names)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        self.height = 0
        style = self.style
        from reportlab.platypus.paragraph import _handleBulletWidth

        _handleBulletWidth(self.bulletText, style, maxWidths)
        if not self.frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor, lines=[],
                             ascent=style.fontSize, descent=-0.2 * style.fontSize)
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return kinsoku_split(self.frags, list(maxWidths), auto_leading not in ("", "off"))
