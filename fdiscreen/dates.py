"""Dates the way the law counts them: administrative-office holidays (行政機関の休日) and the deadline
rule of 行政機関の休日に関する法律 Art. 2 (a deadline for an act towards an administrative office that
falls on such a holiday is the next day that is not one).

National holidays come from the ``holidays`` library (国民の祝日に関する法律, substitute and citizens'
holidays included); the weekday rule and the year-end closure are read from ``factors/procedure.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import metadata

from fdiscreen.regime import Regime, cache_dir, keep_in_cache


@lru_cache(maxsize=256)
def _national_holidays(year: int) -> frozenset[dt.date]:
    """Japan's national holidays of ``year``, as the ``holidays`` library gives them; kept in the cache
    folder per library version, so a run that needs one year's holidays does not load the library."""
    folder = cache_dir()
    entry = folder / f"holidays-JP-{metadata.version('holidays')}-{year}.json" if folder is not None else None
    if entry is not None and entry.is_file():
        try:
            return frozenset(dt.date.fromisoformat(d) for d in json.loads(entry.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass  # a damaged entry is computed again
    import holidays  # loading its calendars takes a noticeable share of a short run

    days = frozenset(holidays.country_holidays("JP", years=year))
    if entry is not None:
        keep_in_cache(entry, lambda tmp: tmp.write_text(json.dumps(sorted(d.isoformat() for d in days)), encoding="utf-8"))
    return days


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def is_administrative_holiday(day: dt.date, regime: Regime) -> bool:
    """行政機関の休日に関する法律 Art. 1(1): Saturdays and Sundays, national holidays, and the year-end
    closure (29 December to 3 January), as the regime of the day encodes them."""
    rule = regime.value("administrative_holidays")
    if not rule:
        return False
    if day.isoweekday() in set(rule["weekdays"]):
        return True
    if rule.get("national_holidays") and day in _national_holidays(day.year):
        return True
    start, end = _month_day(rule["year_end_from"]), _month_day(rule["year_end_to"])
    return (day.month, day.day) >= start or (day.month, day.day) <= end


def add_working_days(day: dt.date, n: int, regime: Regime) -> dt.date:
    """The ``n``-th day after ``day`` that is not an administrative holiday (営業日 as the offices count them)."""
    out, left = day, n
    while left > 0:
        out += dt.timedelta(days=1)
        if not is_administrative_holiday(out, regime):
            left -= 1
    return out


def working_day_deadline(day: dt.date, regime: Regime) -> dt.date:
    """行政機関の休日に関する法律 Art. 2: a deadline on an administrative holiday moves to the next
    day that is not one (the walk ends: no run of holidays is longer than a fortnight)."""
    if not regime.in_force("deadline_moves_past_holidays"):
        return day
    moved = day
    while is_administrative_holiday(moved, regime) and moved < dt.date.max - dt.timedelta(days=1):
        moved += dt.timedelta(days=1)
    return moved
