"""Document -> terminal, with rich. Deal text is printed literally (no console markup)."""

from __future__ import annotations

from rich.console import Console
from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text as RichText

from fdiscreen.render.linebreak import wrap
from fdiscreen.render.document import Bullets, Document, Figure, Para, Pre, Table

TONE_STYLE = {"normal": "", "note": "dim", "good": "green", "warn": "yellow", "bad": "bold red"}


def print_document(doc: Document, console: Console | None = None) -> None:
    con = console or Console()
    con.print(RichText(doc.title, style="bold underline"))
    for k, v in doc.meta:
        for n, text in enumerate(wrap(f"{k}: {v}", con.width, "  ")):
            con.print(RichText.assemble((text[:len(k) + 1], "bold"), text[len(k) + 1:]) if n == 0 else RichText(text))
    for sec in doc.sections:
        con.print()
        for text in wrap(sec.title, con.width):
            con.print(RichText(text, style="bold cyan" if sec.level == 1 else "bold", no_wrap=True, overflow="crop"))
        for b in sec.blocks:
            if isinstance(b, Para):
                lead = f"{b.bold_lead} " if b.bold_lead else ""
                lines = wrap(lead + b.text, con.width)
                for n, text in enumerate(lines):
                    line = RichText(no_wrap=True, overflow="crop")
                    if n == 0 and lead:
                        line.append(text[:len(lead)], style="bold " + TONE_STYLE[b.tone])
                        text = text[len(lead):]
                    line.append(text, style=TONE_STYLE[b.tone])
                    con.print(line)
            elif isinstance(b, Bullets):
                for i, item in enumerate(b.items):
                    mark = f"  {i + 1}. " if b.numbered else "  • "
                    for text in wrap(item, con.width, " " * len(mark), mark):
                        con.print(RichText(text, no_wrap=True, overflow="crop"))
            elif isinstance(b, Table):
                print_table_block(b, con)
            elif isinstance(b, Pre):
                con.print(RichText(b.text, style="dim"))
            elif isinstance(b, Figure):
                con.print(RichText(f"[{b.caption}] {figure_summary(b)}", style="italic"))


def figure_summary(fig: Figure) -> str:
    """A figure in one line of text, for the terminal: its numeric data, flattened."""
    parts = []
    for key, val in fig.data.items():
        if isinstance(val, dict):
            inner = ", ".join(f"{k} {v:g}" for k, v in val.items() if isinstance(v, (int, float)))
            if inner:
                parts.append(f"{key}: {inner}")
    return "; ".join(parts)


def table_fits(b: Table, width: int) -> bool:
    """Whether the table can be drawn within ``width`` cells with no cell wrapped (rich's borders and
    padding take three cells a column, plus one): only then is no word at risk of being cut."""
    columns = [[h, *(row[i] for row in b.rows if i < len(row))] for i, h in enumerate(b.header)]
    return sum(max(cell_len(t) for t in col) for col in columns) + 3 * len(columns) + 1 <= width


def print_table_block(b: Table, con: Console) -> None:
    """A table as a table when it fits the console unwrapped; otherwise one block per row (its
    first cell, then each other column as 'header: value'), wrapped without breaking words."""
    if table_fits(b, con.width):
        t = RichTable(show_lines=False, header_style="bold")
        for h in b.header:
            t.add_column(escape(h), overflow="fold")
        for row in b.rows:
            t.add_row(*[RichText(c) for c in row])
        con.print(t)
        return
    for row in b.rows:
        con.print()
        for text in wrap(row[0] if row else "", con.width, "  "):
            con.print(RichText(text, style="bold", no_wrap=True, overflow="crop"))
        for head, cell in zip(b.header[1:], row[1:]):
            if cell:
                for text in wrap(f"{head}: {cell}" if head else cell, con.width, "    ", "  "):
                    con.print(RichText(text, no_wrap=True, overflow="crop"))
