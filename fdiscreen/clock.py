"""Today is a date in Japan (日本標準時): the default as-of date and every "today" are the current
date in Japan Standard Time, whatever the machine's time zone, so the same deal screened at the same
moment in Tokyo and in London is judged on the same day.

Japan Standard Time is UTC+9 with no daylight saving time (標準時: 明治十九年勅令第五十一号; no DST
since 1952), so a fixed offset is exact and needs no time-zone database."""

from __future__ import annotations

import datetime as dt

JAPAN_STANDARD_TIME = dt.timezone(dt.timedelta(hours=9), "JST")


def japan_today(now: dt.datetime | None = None) -> dt.date:
    """The current date in Japan (``now``, an aware datetime, for tests)."""
    moment = now if now is not None else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(JAPAN_STANDARD_TIME).date()
