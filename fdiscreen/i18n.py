"""Bilingual text: every user-facing sentence carries Japanese and English."""

from __future__ import annotations

from functools import lru_cache
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


@lru_cache(maxsize=1 << 16)
def T(en: str, ja: str) -> Text:
    """Shorthand constructor for a bilingual sentence. A Text is frozen, so the same sentence is one shared
    object: this runs dozens of times per screening, mostly with the same fixed sentences. (Plain
    validation: for a two-string model it is faster than ``model_construct`` in pydantic v2.)"""
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
