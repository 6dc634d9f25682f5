"""Dates and numbers in the reader's convention, through Babel: 2026年12月1日 (or 令和8年12月1日) in
Japanese, 1 December 2026 in English; 1,234.5 and 9.9% in both. Only rendering localises: results keep
ISO dates and plain numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

from fdiscreen.i18n import Lang

_LOCALE = {"en": "en_GB", "ja": "ja_JP"}
_DATE_PATTERN = {"en": "d MMMM y", "ja": "y年M月d日"}

# The start of each Japanese era (元号) this tool can meet, latest first: calendar data, not law.
_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
)


def _era_date(d: dt.date) -> str:
    """``d`` in the Japanese era calendar (和暦): 令和8年12月1日, the first year written 元年."""
    for start, name in _ERAS:
        if d >= start:
            year = d.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    return _babel_date(d, _DATE_PATTERN["ja"], locale=_LOCALE["ja"])


def format_date(d: dt.date, lang: Lang, era: bool = False) -> str:
    """A date as a reader of ``lang`` writes it: '1 December 2026' or '2026年12月1日'
    (with ``era=True`` in Japanese, '令和8年12月1日')."""
    if lang == "ja" and era:
        return _era_date(d)
    return _babel_date(d, _DATE_PATTERN[lang], locale=_LOCALE[lang])


def format_iso_date(text: str, lang: Lang, era: bool = False) -> str:
    """An ISO date string (YYYY-MM-DD) localised; any other text is returned as it is."""
    try:
        return format_date(dt.date.fromisoformat(text), lang, era)
    except ValueError:
        return text


def format_number(value: float | int, lang: Lang, digits: int = 3) -> str:
    """A number with the locale's grouping: 1,234.5; no trailing zeros (10.0 -> '10'), at most
    ``digits`` decimals."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return _babel_decimal(Decimal(str(value)), pattern, locale=_LOCALE[lang])


def format_percent(value: float | int, lang: Lang, digits: int = 2) -> str:
    """A percentage given in percent units: 9.9 -> '9.9%', 10.0 -> '10%' (the same in Japanese)."""
    return f"{format_number(value, lang, digits)}%"


def format_signed(value: float | int, lang: Lang) -> str:
    """A signed number (points added or taken away): '+40', '-3.9'."""
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return sign + format_number(abs(value), lang)
