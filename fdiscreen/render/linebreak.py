"""Line breaking for Japanese and English text (禁則処理, kinsoku shori), the one set of rules every
renderer applies: the terminal (``wrap``), the PDF (``fdiscreen.render.typeset``) and the charts.

- no line starts with a closing bracket, a full stop or comma, "？！：；", a prolonged sound mark, a middle
  dot, an iteration mark or a small kana (行頭禁則);
- no line ends with an opening bracket (行末禁則);
- a run of Latin letters or digits is broken only at a space, a slash or the edge of Japanese text.

The character classes follow JIS X 4051 (行頭禁則和字, 行末禁則和字) in the usual strict form. These are
typographic conventions, not law."""

from __future__ import annotations

from unicodedata import category

from rich.cells import cell_len

SMALL_KANA = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
#: may not start a line (行頭禁則): closing brackets, punctuation, marks that continue the word before
CANNOT_START = frozenset(
    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー‐゠–〜～）〕］｝〉》」』】〙〗〟’”｠»…‥"
    ",.:;?!)]}%％‰°′″℃"
    + SMALL_KANA)
#: may not end a line (行末禁則): opening brackets
CANNOT_END = frozenset("（〔［｛〈《「『【〘〖〝‘“｟«([{")
#: after these a run of Latin text may break (a slash in an address; not a hyphen, which would split dates)
LATIN_BREAK_AFTER = frozenset("/")


def is_space(ch: str) -> bool:
    """A space a line may break after: any of Unicode's space separators (the no-break space too)."""
    return bool(ch) and category(ch) == "Zs"


def is_wide(ch: str) -> bool:
    """A character set on the ideographic grid (kana, kanji, full-width forms), between any two of which
    a line may break."""
    return bool(ch) and (0x2E80 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF or 0xFF00 <= ord(ch) <= 0xFFEF)


def kinsoku_allows(before: str, after: str) -> bool:
    """Whether the kinsoku rules let a line end with ``before`` and the next start with ``after``."""
    return after not in CANNOT_START and before not in CANNOT_END


def break_allowed(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after``: kinsoku holds, and a Latin run breaks
    only after a space or slash or where Japanese text begins or ends; never before a space
    (it would start the next line)."""
    if not kinsoku_allows(before, after) or is_space(after):
        return False
    return is_space(before) or is_wide(before) or is_wide(after) or before in LATIN_BREAK_AFTER


def break_units(text: str) -> list[str]:
    """Split text into the units a line may break between: a Latin word with its trailing space, or one
    wide character; a unit that must not start a line is glued to the one before, a unit that must not
    end a line to the one after."""
    units: list[str] = []
    word = ""
    for ch in text:
        if is_wide(ch):
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
        if glued and (unit[:1] in CANNOT_START or glued[-1][-1:] in CANNOT_END):
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
