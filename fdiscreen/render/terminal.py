"""Document -> terminal, with rich. Deal text is printed literally (no console markup)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text as RichText

from fdiscreen.render.document import Bullets, Document, Figure, Para, Pre, Table

TONE_STYLE = {"normal": "", "note": "dim", "good": "green", "warn": "yellow", "bad": "bold red"}


def print_document(doc: Document, console: Console | None = None) -> None:
    con = console or Console()
    con.print(RichText(doc.title, style="bold underline"))
    for k, v in doc.meta:
        con.print(RichText.assemble((f"{k}: ", "bold"), v))
    for sec in doc.sections:
        con.print()
        con.print(RichText(sec.title, style="bold cyan" if sec.level == 1 else "bold"))
        for b in sec.blocks:
            if isinstance(b, Para):
                line = RichText()
                if b.bold_lead:
                    line.append(b.bold_lead + " ", style="bold " + TONE_STYLE[b.tone])
                line.append(b.text, style=TONE_STYLE[b.tone])
                con.print(line)
            elif isinstance(b, Bullets):
                for i, item in enumerate(b.items):
                    con.print(RichText(f"  {i + 1}. " if b.numbered else "  • ") + RichText(item))
            elif isinstance(b, Table):
                t = RichTable(show_lines=False, header_style="bold")
                for h in b.header:
                    t.add_column(escape(h), overflow="fold")
                for row in b.rows:
                    t.add_row(*[RichText(c) for c in row])
                con.print(t)
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
