"""Bilingual text: every user-facing sentence carries Japanese and English."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Lang = Literal["en", "ja"]


class Text(BaseModel):
    """A sentence in English and Japanese (日本語)."""

    model_config = ConfigDict(frozen=True)

    en: str
    ja: str

    def get(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

    def __str__(self) -> str:  # English by default in logs and errors
        return self.en


def T(en: str, ja: str) -> Text:
    """Shorthand constructor for a bilingual sentence. (Plain validation: for a two-string model it is
    faster than ``model_construct`` in pydantic v2, and this runs dozens of times per screening.)"""
    return Text(en=en, ja=ja)


def pick(lang: Lang, en: str | None, ja: str | None) -> str | None:
    """The Japanese wording for Japanese output when there is one, else the English."""
    return (ja or en) if lang == "ja" else en


def pct(value: float | int | None) -> str:
    """Format a percentage for sentences: 9.9 -> '9.9%', 10.0 -> '10%'."""
    if value is None:
        return "?"
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"
