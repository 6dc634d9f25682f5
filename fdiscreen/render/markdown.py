"""Document -> Markdown, with every piece of deal text escaped."""

from __future__ import annotations

import re

from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre, Table

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~])")
# What CommonMark reads as a block at the start of a line: an ATX heading (# to ######), a bullet (- or +)
# and an ordered-list marker (up to nine digits then . or )), each followed by a space or the line's end,
# and a thematic break (three or more -). Only the punctuation is escaped: a backslash before a digit or
# a letter is not an escape in CommonMark and would print.
_HEADING = re.compile(r"^(#{1,6})(?=[ \t]|$)")
_BULLET = re.compile(r"^([+\-])(?=[ \t]|$)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_BREAK = re.compile(r"^(-)(?=(?:[ \t]*-){2,}[ \t]*$)")


def _escape_line_start(flat: str) -> str:
    flat = _HEADING.sub(r"\\\1", flat, count=1)
    flat = _BULLET.sub(r"\\\1", flat, count=1)
    flat = _BREAK.sub(r"\\\1", flat, count=1)
    return _ORDERED.sub(r"\1\\\2", flat, count=1)


def escape_md(text: str) -> str:
    """Escape Markdown and inline-HTML characters so names print as written: the inline ones everywhere,
    the block markers only where CommonMark would read them (``1. `` at the start becomes ``1\\. ``; a
    leading ``94.5`` is left alone). Line breaks become spaces; leading and trailing blanks are dropped
    (four leading spaces would make a code block, two trailing ones a hard break)."""
    flat = _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " ")).strip()
    return _escape_line_start(flat)


def _cell(text: str) -> str:
    return escape_md(text) if text else " "


def _block(b: Block) -> str:
    if isinstance(b, Para):
        lead = f"**{escape_md(b.bold_lead)}** " if b.bold_lead else ""
        body = f"{lead}{escape_md(b.text)}"
        return f"> {body}" if b.tone in ("note", "warn", "bad") else body
    if isinstance(b, Bullets):
        return "\n".join(f"{i + 1}. {escape_md(x)}" if b.numbered else f"- {escape_md(x)}" for i, x in enumerate(b.items))
    if isinstance(b, Table):
        head = "| " + " | ".join(_cell(h) for h in b.header) + " |"
        rule = "|" + "|".join("---" for _ in b.header) + "|"
        rows = ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
        return "\n".join([head, rule, *rows])
    if isinstance(b, Figure):
        return f"*{escape_md(b.caption)}*"
    if isinstance(b, Pre):
        fence = "~~~~" if "```" in b.text or "~~~" in b.text else "```"
        return f"{fence}text\n{b.text}\n{fence}"
    raise TypeError(b)


def to_markdown(doc: Document) -> str:
    out = [f"# {escape_md(doc.title)}"]
    if doc.subtitle:
        out.append(escape_md(doc.subtitle))
    if doc.marking:
        out.append(f"**{escape_md(doc.marking)}**")
    if doc.meta:
        out.append("\n".join(f"- **{escape_md(k)}**: {escape_md(v)}" for k, v in doc.meta))
    for s in doc.sections:
        out.append(f"{'#' * (s.level + 1)} {escape_md(s.title)}")
        out.extend(_block(b) for b in s.blocks)
    return "\n\n".join(out) + "\n"
