"""Document -> Markdown, with every piece of deal text escaped."""

from __future__ import annotations

import re

from fdiscreen.render.document import Block, Bullets, Document, Figure, Para, Pre, Table

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")


def escape_md(text: str) -> str:
    """Escape Markdown and inline-HTML characters so names print as written."""
    flat = _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)


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
