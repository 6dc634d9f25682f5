"""Write a Document in the format a file's suffix names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fdiscreen.errors import FdiscreenError
from fdiscreen.outfiles import atomic_path, check_output
from fdiscreen.render.document import Document


#: the memo formats, by file suffix
MEMO_FORMATS = (".pdf", ".docx", ".html", ".md")


def write_memo(path: Path, doc: Document, date: dt.date | None = None) -> None:
    """Write a memo in the format its suffix names (.pdf, .docx, .html, .md); the suffix and the folder
    are checked before any work, and nothing half-written is left."""
    suffix = path.suffix.lower()
    if suffix not in MEMO_FORMATS:
        raise FdiscreenError(f"unsupported memo format {suffix or '(none)'!r}", file=str(path), path="--memo",
                             expected=", ".join(MEMO_FORMATS))
    write_document(doc, path, date)


def write_document(doc: Document, path: Path, date: dt.date | None = None) -> None:
    """Render to a temporary file beside ``path`` and rename it into place when complete."""
    check_output(path, option="--memo")
    with atomic_path(path) as temp:
        _render(doc, temp, path.suffix.lower(), date)


def _render(doc: Document, path: Path, suffix: str, date: dt.date | None) -> None:
    if suffix == ".pdf":
        from fdiscreen.render.pdf import to_pdf

        to_pdf(doc, path, date)
    elif suffix == ".docx":
        from fdiscreen.render.docx import to_docx

        to_docx(doc, path, date)
    elif suffix == ".html":
        from fdiscreen.render.html import to_html

        path.write_text(to_html(doc, date), encoding="utf-8")
    else:
        from fdiscreen.render.markdown import to_markdown

        path.write_text(to_markdown(doc), encoding="utf-8")
