"""Dates the way the law counts them: administrative-office holidays (行政機関の休日) and the deadline
rule of 行政機関の休日に関する法律 Art. 2 (a deadline for an act towards an administrative office that
falls on such a holiday is the next day that is not one).

National holidays come from the ``holidays`` library (国民の祝日に関する法律, substitute and citizens'
holidays included); the weekday rule and the year-end closure are read from ``factors/procedure.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from typing import Any

import numpy as np

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


# -- the calendar of administrative holidays, over columns of days (one day is a column of one) ----------

NAT = np.datetime64("NaT", "D")
#: no run of administrative holidays is longer than this (the year-end closure with a weekend and
#: national holidays is at most about ten days); a longer run falls back to the day-by-day walk
HOLIDAY_RUN_BOUND = 16
#: the widest span of years a column's days may cover for the per-year calendars (else the rule is applied directly)
CALENDAR_YEARS = 40
_LAST_DAY = np.datetime64(dt.date.max - dt.timedelta(days=1), "D")


def day_column(days: Sequence[dt.date | None]) -> np.ndarray:
    """Dates as ``datetime64[D]`` (None: NaT)."""
    return np.array(list(days), dtype="datetime64[D]")


def _as_date(day: np.datetime64) -> dt.date | None:
    return None if np.isnat(day) else day.astype(object)


@lru_cache(maxsize=256)
def _national_holiday_days(year: int) -> np.ndarray:
    return np.array(sorted(_national_holidays(year)), dtype="datetime64[D]")


def administrative_holiday_mask(days: np.ndarray, rule: dict[str, Any] | None) -> np.ndarray:
    """行政機関の休日に関する法律 Art. 1(1) over a column of days, for the regime's rule: Saturdays and
    Sundays (the weekdays listed), national holidays, and the year-end closure (29 December to
    3 January); NaT is not a holiday. Days are looked up in a calendar of each year they fall in, built
    once per rule and year."""
    known = ~np.isnat(days)
    if not rule or not known.any():
        return np.zeros(days.shape, dtype=bool)
    key = (tuple(rule["weekdays"]), bool(rule.get("national_holidays")), rule["year_end_from"], rule["year_end_to"])
    years = days.astype("datetime64[Y]")
    first, last = int(years[known].min().astype(np.int64)), int(years[known].max().astype(np.int64))
    if last - first > CALENDAR_YEARS:
        return _holidays_by_rule(days, rule)
    calendar = np.concatenate([_year_calendar(key, 1970 + y) for y in range(first, last + 1)])
    offset = (np.where(known, days, np.datetime64(f"{1970 + first:04d}-01-01", "D")) - np.datetime64(f"{1970 + first:04d}-01-01", "D")).astype(np.int64)
    return calendar[offset] & known


@lru_cache(maxsize=512)
def _year_calendar(key: tuple[tuple[int, ...], bool, str, str], year: int) -> np.ndarray:
    """Whether each day of ``year`` is an administrative holiday under the rule ``key``."""
    days = np.arange(np.datetime64(f"{year:04d}-01-01", "D"), np.datetime64(f"{year + 1:04d}-01-01", "D"))
    weekdays, national, start, end = key
    out = _holidays_by_rule(days, {"weekdays": weekdays, "national_holidays": national, "year_end_from": start, "year_end_to": end})
    out.setflags(write=False)
    return out


def _holidays_by_rule(days: np.ndarray, rule: dict[str, Any]) -> np.ndarray:
    """The rule applied to each day: ISO weekday listed, in the year-end closure, or a national holiday."""
    known = ~np.isnat(days)
    day = np.where(known, days, np.datetime64("2000-01-01", "D"))
    weekdays = np.zeros(8, dtype=bool)
    weekdays[list(rule["weekdays"])] = True
    out = weekdays[(day.astype(np.int64) + 3) % 7 + 1]           # ISO weekday; 1970-01-01 was a Thursday (4)
    month_start = day.astype("datetime64[M]")
    month_day = (month_start.astype(np.int64) % 12 + 1) * 100 + (day - month_start).astype(np.int64) + 1
    (m0, d0), (m1, d1) = _month_day(rule["year_end_from"]), _month_day(rule["year_end_to"])
    out |= (month_day >= m0 * 100 + d0) | (month_day <= m1 * 100 + d1)
    if rule.get("national_holidays"):
        years = sorted(set(day[known].astype("datetime64[Y]").astype(np.int64).tolist()))  # not np.unique: it loads numpy.ma
        national = np.concatenate([_national_holiday_days(y + 1970) for y in years])
        if len(national):
            out |= national[np.minimum(np.searchsorted(national, day), len(national) - 1)] == day
    return out & known


def _walk_the_rest(days: np.ndarray, moved: np.ndarray, rule: dict[str, Any] | None, n: int) -> np.ndarray:
    """Days whose window held no answer (a holiday rule no real calendar has) walk day by day: the
    ``n``-th later working day (``n`` 0: the first working day from the day itself), never past the
    last representable day."""
    def holiday(day: np.datetime64) -> bool:
        return bool(administrative_holiday_mask(np.array([day]), rule)[0])

    for i in np.flatnonzero(~np.isnat(days) & np.isnat(moved)).tolist():
        out, left = days[i], n
        if n == 0:
            while out < _LAST_DAY and holiday(out):
                out += 1
        while left > 0 and out < _LAST_DAY:
            out += 1
            left -= not holiday(out)
        moved[i] = out
    return moved


def deadlines_past_holidays(days: np.ndarray, rule: dict[str, Any] | None) -> np.ndarray:
    """Art. 2 over a column: each deadline on an administrative holiday moves to the next day that is not one."""
    if not len(days):
        return days.copy()
    ahead = days[:, None] + np.arange(HOLIDAY_RUN_BOUND)[None, :]
    free = ~administrative_holiday_mask(ahead, rule)
    moved = np.where(free.any(axis=1), ahead[np.arange(len(days)), free.argmax(axis=1)], NAT)
    return _walk_the_rest(days, moved, rule, 0)


def working_days_after(days: np.ndarray, n: int, rule: dict[str, Any] | None) -> np.ndarray:
    """The ``n``-th day after each day that is not an administrative holiday (営業日 as the offices count them)."""
    if n <= 0 or not len(days):
        return days.copy()
    ahead = days[:, None] + np.arange(1, n + HOLIDAY_RUN_BOUND * (1 + n // 5) + 1)[None, :]
    free = ~administrative_holiday_mask(ahead, rule)
    count = np.cumsum(free, axis=1)
    found = count[:, -1] >= n
    moved = np.where(found, ahead[np.arange(len(days)), (count >= n).argmax(axis=1)], NAT)
    return _walk_the_rest(days, moved, rule, n)


# -- with a regime: the rules of the date, read without counting them as used ---------------------------

def working_day_deadlines(days: np.ndarray, regime: Regime) -> np.ndarray:
    """:func:`deadlines_past_holidays` where the rule is in force on the date; the rules are read
    without counting them as used (the callers count them for the rows that need them)."""
    if not regime.peek_in_force("deadline_moves_past_holidays"):
        return days.copy()
    return deadlines_past_holidays(days, regime.peek("administrative_holidays"))


def add_working_days_column(days: np.ndarray, n: int, regime: Regime) -> np.ndarray:
    """:func:`working_days_after` under the regime's holiday rule (read without counting it as used)."""
    return working_days_after(days, n, regime.peek("administrative_holidays"))
