"""Rendering: one document model (document.py) built once from a Screening (memo.py), written out
as Markdown, terminal text and, with the memo work, PDF, DOCX and HTML. No renderer holds content logic."""
