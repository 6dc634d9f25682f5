"""The memo as a tree: sections holding paragraphs, lists, tables and figures. Text is plain
(renderers escape it for their format); the language is chosen when the tree is built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fdiscreen.errors import FdiscreenError

Tone = Literal["normal", "note", "good", "warn", "bad"]


class Para(BaseModel):
    kind: Literal["para"] = "para"
    text: str
    tone: Tone = "normal"
    bold_lead: str | None = Field(None, description="a short lead-in shown in bold before the text")


class Bullets(BaseModel):
    kind: Literal["bullets"] = "bullets"
    items: list[str]
    numbered: bool = False


class Pre(BaseModel):
    """Preformatted text (the deal file in the appendix): line breaks and indentation kept."""

    kind: Literal["pre"] = "pre"
    text: str


class Table(BaseModel):
    kind: Literal["table"] = "table"
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = Field(None, description="relative column widths")


class Figure(BaseModel):
    kind: Literal["figure"] = "figure"
    figure: str = Field(description="figure type, e.g. risk_matrix, ownership, timeline")
    data: dict[str, Any]
    caption: str


Block = Union[Para, Bullets, Pre, Table, Figure]


class Section(BaseModel):
    title: str
    level: int = 1
    blocks: list[Block] = Field(default_factory=list)
    anchor: str | None = None
    annex: str | None = Field(None, description="the letter of an annex: a full list the body shows only the start of")

    def add(self, *blocks: Block) -> "Section":
        self.blocks.extend(blocks)
        return self


class Cover(BaseModel):
    """The memo's cover block: who it is to and from, what it is about, the matter number and the
    confidentiality legend. A field left out is left out of the block (Re defaults to the matter)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    to: str | None = None
    from_: str | None = Field(None, alias="from")
    re: str | None = None
    matter_number: str | None = None
    legend: str | None = Field(None, description="the confidentiality legend; overrides the default and the privileged one")

    @classmethod
    def from_file(cls, path: str | Path) -> "Cover":
        """A cover from a small YAML or JSON header file with keys to, from, re, matter_number, legend."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FdiscreenError(f"cannot read the header file: {exc.__class__.__name__}", file=str(p),
                                 expected="a UTF-8 YAML or JSON file") from None
        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise FdiscreenError(f"not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'}: {str(exc).splitlines()[0]}",
                                 file=str(p), expected="a mapping with to, from, re, matter_number, legend") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise FdiscreenError("the header file is not a mapping", file=str(p), expected="keys to, from, re, matter_number, legend")
        for key, value in data.items():
            if value is not None and not isinstance(value, (str, int)):
                raise FdiscreenError(f"not text: {type(value).__name__}", file=str(p), path=str(key), expected="a line of text")
        try:
            return cls.model_validate({k: (str(v) if isinstance(v, int) else v) for k, v in data.items()})
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"])
            msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            raise FdiscreenError(msg, file=str(p), path=field, expected="one of to, from, re, matter_number, legend") from None


    @classmethod
    def from_options(cls, header: str | Path | None = None, *, to: str | None = None, from_: str | None = None,
                     re: str | None = None, matter_number: str | None = None, legend: str | None = None) -> "Cover":
        """The cover a command line asks for: the header file's fields (if a file is given), each replaced
        by the option of the same name where that option is given."""
        base = cls.from_file(header) if header is not None else cls()
        given = {k: v for k, v in (("to", to), ("from_", from_), ("re", re), ("matter_number", matter_number), ("legend", legend))
                 if v is not None}
        return base.model_copy(update=given)


class Document(BaseModel):
    title: str
    subtitle: str | None = None
    meta: list[tuple[str, str]] = Field(default_factory=list)
    """The cover block rows (label, value) in display order."""
    marking: str | None = None
    """The confidentiality legend, shown at the top and in DOCX/PDF headers and footers."""
    sections: list[Section] = Field(default_factory=list)
    lang: str = "en"
    date: str | None = None
    """The memo's date as localised text (1 December 2026 / 2026年12月1日)."""
    date_iso: str | None = None
    """The memo's date as an ISO date, for document properties."""
    author: str | None = None
    """Who the memo is from (the cover's From), for document properties."""
