"""The memo as a tree: sections holding paragraphs, lists, tables and figures. Text is plain
(renderers escape it for their format); the language is chosen when the tree is built."""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, Field

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


class Document(BaseModel):
    title: str
    subtitle: str | None = None
    meta: list[tuple[str, str]] = Field(default_factory=list)
    marking: str | None = None
    sections: list[Section] = Field(default_factory=list)
    lang: str = "en"
