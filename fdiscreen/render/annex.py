"""Long lists and long texts in a memo. The body shows the first items of any list longer than a fixed
number and "… and K more, listed in Annex X"; the whole list is an annex table at the end of the memo,
which every renderer lets run over as many pages as it needs. A table cell shows at most a fixed number
of characters; longer text is cut there and printed whole, as a paragraph, in an annex of full texts, so
no cell is taller than a page. This keeps the body readable however long the deal's lists and names are,
and keeps the work of rendering proportional to their length.

The limits are presentation choices, not law."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fdiscreen.i18n import Lang, T
from fdiscreen.render.document import Block, Bullets, Para, Section, Table

#: the most items of one list the memo body shows: table rows, bullet items, entries of a list in the
#: deal file. Ordinary memos stay under it (the longest list among the examples is the 25 citations).
BODY_LIST_ITEMS = 30
#: the most entries of a list shown inside one table cell (an evidence value such as target.businesses)
CELL_LIST_ITEMS = 10
#: the most characters of text one table cell shows (at the memo's type size about a third of a page in
#: the narrowest column); longer text is cut there, with a pointer to the annex of full texts
CELL_TEXT_CHARS = 1000
#: the most characters of a table's title used to label a text in the annex of full texts
LABEL_CHARS = 120

A = {
    "more": T("… and {k} more, listed in Annex {x}", "…ほか{k}件（全件は別表{x}）"),
    "title": T("Annex {x}: {title}", "別表{x}：{title}"),
    "entry": T("Entry", "内容"),
    "cut": T("… (cut here: the full text is no. {n} in Annex {x})", "…（以下略。全文は別表{x}の{n}）"),
    "texts": T("Annex {x}: full texts of long table cells", "別表{x}：長い表欄の全文"),
    "row": T("{table}, {column}, row {row}", "{table}、{column}、{row}行目"),
}
TEXTS = "texts"  # the key of the annex of full texts


def annex_letter(n: int) -> str:
    """The letter of the n-th annex (from 0): A ... Z, then AA, AB, ..."""
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


def more_text(k: int, letter: str, lang: Lang) -> str:
    """'… and K more, listed in Annex X' in ``lang``."""
    return A["more"].get(lang).format(k=f"{k:,}", x=letter)


def numbered(header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Table:
    """A table with a leading '#' column numbering its rows from 1 (so the body's first items and the
    annex line up)."""
    return Table(header=["#", *header], rows=[[str(i + 1), *r] for i, r in enumerate(rows)],
                 widths=[0.6, *widths] if widths and len(widths) == len(header) else None)


def clip(text: str) -> str:
    """Text cut to CELL_TEXT_CHARS characters with an ellipsis, for a cell whose text the memo prints whole
    elsewhere (the matter in the header table is the subtitle above it)."""
    return text if len(text) <= CELL_TEXT_CHARS else text[:CELL_TEXT_CHARS] + "…"


@dataclass
class _Annex:
    letter: str
    parts: dict[Lang, tuple[str, Table]] = field(default_factory=dict)  # by language: the list's title, the whole list


class Annexes:
    """The whole lists and texts a memo's body cuts short, lettered A, B, ... in the order the body first
    refers to them. The same list in the Japanese and the English half of a bilingual memo is one annex,
    printed once when its rows are the same in both (deal text) and once per language when they are not;
    the same long text is one entry of the annex of full texts, however often it is cut."""

    def __init__(self) -> None:
        self._by_key: dict[str, _Annex] = {}
        self._text_no: dict[str, int] = {}  # a full text -> its number in the annex of full texts
        self._texts: list[tuple[str, str]] = []  # (where it was first cut, the full text)
        self._text_langs: list[Lang] = []

    def _annex(self, key: str) -> _Annex:
        annex = self._by_key.get(key)
        if annex is None:
            annex = self._by_key[key] = _Annex(annex_letter(len(self._by_key)))
        return annex

    def refer(self, key: str, lang: Lang, title: str, table: Table) -> str:
        """Keep ``table`` as the whole list ``key`` (once per language) and return its annex letter."""
        annex = self._annex(key)
        annex.parts.setdefault(lang, (title, table))
        return annex.letter

    def cell_text(self, text: str, where: str, lang: Lang) -> str:
        """Text for a table cell: as it is up to CELL_TEXT_CHARS characters; else cut there with a pointer
        to its entry in the annex of full texts (``where`` names the cell for that entry)."""
        if len(text) <= CELL_TEXT_CHARS:
            return text
        letter = self._annex(TEXTS).letter
        if lang not in self._text_langs:
            self._text_langs.append(lang)
        n = self._text_no.get(text)
        if n is None:
            self._texts.append((where if len(where) <= LABEL_CHARS else where[:LABEL_CHARS] + "…", text))
            n = self._text_no[text] = len(self._texts)
        return text[:CELL_TEXT_CHARS] + " " + A["cut"].get(lang).format(n=n, x=letter)

    def cut_cells(self, t: Table, title: str, lang: Lang) -> Table:
        """``t`` with every cell's text within CELL_TEXT_CHARS (see cell_text)."""
        if not any(len(c) > CELL_TEXT_CHARS for row in t.rows for c in row):
            return t
        names = t.header + [""] * max(0, max(len(r) for r in t.rows) - len(t.header))
        rows = [[self.cell_text(c, A["row"].get(lang).format(table=title, column=names[j], row=i + 1), lang) for j, c in enumerate(row)]
                for i, row in enumerate(t.rows)]
        return t.model_copy(update={"rows": rows})

    def sections(self) -> list[Section]:
        """The annexes in letter order (cutting the long cells of the list annexes first, which may open
        the annex of full texts)."""
        lists = {key: _annex_sections(annex, self) for key, annex in list(self._by_key.items()) if key != TEXTS}
        return [sec for key in self._by_key for sec in (self._text_section() if key == TEXTS else lists[key])]

    def _text_section(self) -> list[Section]:
        letter = self._by_key[TEXTS].letter
        title = " / ".join(A["texts"].get(lang).format(x=letter) for lang in self._text_langs)
        sec = Section(title=title, annex=letter, anchor=f"annex-{letter.lower()}")
        return [sec.add(*[Para(text=text, bold_lead=f"{n}. {where}:") for n, (where, text) in enumerate(self._texts, 1)])]


def _annex_sections(annex: _Annex, annexes: Annexes) -> list[Section]:
    parts = list(annex.parts.items())
    first = parts[0][1][1]
    anchor = f"annex-{annex.letter.lower()}"
    if len(parts) > 1 and all(table.rows == first.rows for _, (_, table) in parts[1:]):
        title = " / ".join(A["title"].get(lang).format(x=annex.letter, title=t) for lang, (t, _) in parts)
        header = [" / ".join(dict.fromkeys(names)) for names in zip(*(table.header for _, (_, table) in parts))]
        whole = annexes.cut_cells(first.model_copy(update={"header": header}), title, parts[0][0])
        return [Section(title=title, annex=annex.letter, anchor=anchor).add(whole)]
    out = []
    for i, (lang, (t, table)) in enumerate(parts):
        title = A["title"].get(lang).format(x=annex.letter, title=t)
        out.append(Section(title=title, annex=annex.letter, anchor=anchor if i == 0 else None).add(annexes.cut_cells(table, title, lang)))
    return out


def summarise_section(sec: Section, key: str, lang: Lang, annexes: Annexes) -> Section:
    """The section with every table and bullet list longer than BODY_LIST_ITEMS cut to its first rows or
    items and a note pointing to the annex that holds it whole, and every table cell within CELL_TEXT_CHARS."""
    if not any(_too_long(b) or isinstance(b, Table) for b in sec.blocks):
        return sec
    blocks: list[Block] = []
    for j, b in enumerate(sec.blocks):
        shown = _summarised(b, f"{key}/{j}", sec.title, lang, annexes) if _too_long(b) else [b]
        blocks.extend(annexes.cut_cells(x, sec.title, lang) if isinstance(x, Table) else x for x in shown)
    return sec.model_copy(update={"blocks": blocks})


def _too_long(b: Block) -> bool:
    return (isinstance(b, Table) and len(b.rows) > BODY_LIST_ITEMS) or (isinstance(b, Bullets) and len(b.items) > BODY_LIST_ITEMS)


def _summarised(b: Block, key: str, title: str, lang: Lang, annexes: Annexes) -> list[Block]:
    if isinstance(b, Table):
        letter = annexes.refer(key, lang, title, numbered(b.header, b.rows, b.widths))
        return [b.model_copy(update={"rows": b.rows[:BODY_LIST_ITEMS]}),
                Para(text=more_text(len(b.rows) - BODY_LIST_ITEMS, letter, lang), tone="note")]
    assert isinstance(b, Bullets)
    letter = annexes.refer(key, lang, title, numbered([A["entry"].get(lang)], [[x] for x in b.items], [9]))
    return [b.model_copy(update={"items": b.items[:BODY_LIST_ITEMS]}),
            Para(text=more_text(len(b.items) - BODY_LIST_ITEMS, letter, lang), tone="note")]


def cell_list(key: str, values: list[Any], lang: Lang, annexes: Annexes) -> str:
    """A list shown inside a table cell: whole when it has at most CELL_LIST_ITEMS entries, else its first
    entries and a pointer to the annex listing it whole (titled ``key``, e.g. the evidence's field path)."""
    if len(values) <= CELL_LIST_ITEMS:
        return str(values)
    rows = [[entry_text(v)] for v in values]
    letter = annexes.refer(f"cell:{key}", lang, key, numbered([A["entry"].get(lang)], rows, [9]))
    return f"{values[:CELL_LIST_ITEMS]} {more_text(len(values) - CELL_LIST_ITEMS, letter, lang)}"


def entry_text(value: Any) -> str:
    """One entry of a list on one line: text as it is, anything else as JSON (fast, and unambiguous)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def summarised_input(value: Any, path: str, lang: Lang, annexes: Annexes) -> Any:
    """The deal's input with every list longer than BODY_LIST_ITEMS cut to its first entries and a pointer
    to the annex holding it whole; nested lists are cut first, so no annex row holds a long list either.
    (The depth is the deal schema's, which the loader bounds, not the lists' length.)"""
    if isinstance(value, dict):
        return {k: summarised_input(v, f"{path}.{k}" if path else str(k), lang, annexes) for k, v in value.items()}
    if not isinstance(value, list):
        return value
    items = [summarised_input(v, f"{path}[{i}]", lang, annexes) for i, v in enumerate(value)]
    if len(items) <= BODY_LIST_ITEMS:
        return items
    rows = [[entry_text(v)] for v in items]
    letter = annexes.refer(f"input:{path}", lang, path, numbered([A["entry"].get(lang)], rows, [9]))
    return [*items[:BODY_LIST_ITEMS], more_text(len(items) - BODY_LIST_ITEMS, letter, lang)]
