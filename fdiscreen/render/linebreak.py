"""Line breaking for Japanese and English text (JIS X 4051 kinsoku, simplified): where a line may
break, and the characters that must not start or end a line. Used by the terminal renderer; the PDF
renderer applies the same character classes."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

#: characters that must not start a line (行頭禁則): closing brackets, punctuation, small kana, the
#: long-vowel mark and the iteration marks
NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!ー～…‥々ゝゞヽヾ"
    "）〕］｝〉》」』】〙〗)]}"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "%％‰°′″℃"
)
#: characters that must not end a line (行末禁則): opening brackets
NO_LINE_END = frozenset("（〔［｛〈《「『【〘〖([{")


def _is_wide(ch: str) -> bool:
    """A character that may break on either side (CJK ideographs, kana, full-width forms)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def break_units(text: str) -> list[str]:
    """Split text into the units a line may break between: a Latin word with its trailing space, or one
    wide character; a unit that must not start a line is glued to the one before, a unit that must not
    end a line to the one after."""
    units: list[str] = []
    word = ""
    for ch in text:
        if _is_wide(ch):
            if word:
                units.append(word)
                word = ""
            units.append(ch)
        elif ch == " ":
            units.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        units.append(word)
    glued: list[str] = []
    for unit in units:
        if glued and (unit[:1] in NO_LINE_START or glued[-1][-1:] in NO_LINE_END):
            glued[-1] += unit
        else:
            glued.append(unit)
    return glued


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Lines of at most ``width`` terminal cells (a unit longer than a line is cut), the first starting
    with ``first`` (default ``indent``) and the others with ``indent``; trailing spaces dropped."""
    lines: list[str] = []
    line = first if first is not None else indent
    start = len(line)
    for unit in break_units(text):
        if cell_len(line + unit.rstrip()) > width and len(line) > start:
            lines.append(line.rstrip())
            line = indent
            start = len(line)
            unit = unit.lstrip()
        while cell_len(line + unit.rstrip()) > width and len(unit) > 1:  # a unit wider than the line
            room = max(width - cell_len(line), 1)
            cut = _fit(unit, room)
            lines.append(line + unit[:cut])
            unit, line = unit[cut:], indent
        line += unit
    lines.append(line.rstrip())
    return lines


def _fit(unit: str, room: int) -> int:
    """How many leading characters of ``unit`` fit in ``room`` cells (at least one)."""
    n = 0
    while n < len(unit) and cell_len(unit[:n + 1]) <= room:
        n += 1
    return max(n, 1)
