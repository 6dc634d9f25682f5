"""Today is a date in Japan: the default as-of date follows Japan Standard Time (UTC+9), whatever the
machine's time zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from fdiscreen.clock import japan_today
from fdiscreen.load import load_deal
from fdiscreen.screening import screen

UTC = dt.timezone.utc


def test_japan_date_turns_at_midnight_jst_not_utc() -> None:
    assert japan_today(dt.datetime(2026, 11, 30, 14, 59, tzinfo=UTC)) == dt.date(2026, 11, 30)
    assert japan_today(dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) == dt.date(2026, 12, 1)
    london = dt.timezone(dt.timedelta(hours=0))
    assert japan_today(dt.datetime(2026, 11, 30, 23, 30, tzinfo=london)) == dt.date(2026, 12, 1)


def test_default_as_of_is_the_same_in_every_time_zone_and_says_where_it_came_from() -> None:
    code = ("from fdiscreen.load import load_deal; from fdiscreen.screening import screen; "
            f"s = screen(load_deal({str(ROOT / 'examples' / 'us-fund-5pct-core.yaml')!r})); "
            "print(s.regime.as_of, s.regime.as_of_from)")
    seen = set()
    for tz in ("Asia/Tokyo", "Europe/London", "Pacific/Kiritimati", "Etc/GMT+12", "UTC"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "TZ": tz}, check=True)
        seen.add(out.stdout.strip())
    assert len(seen) == 1 and seen.pop().endswith("today_in_japan")
    s = screen(load_deal(ROOT / "examples" / "us-fund-5pct-core.yaml"), as_of=dt.date(2026, 1, 5))
    assert s.regime.as_of_from == "option" and s.regime.as_of == dt.date(2026, 1, 5)


def test_national_holidays_are_the_same_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Japan's holidays of a year come from the library once, then from the cache folder; a damaged
    entry is computed again."""
    import holidays

    from fdiscreen import dates

    monkeypatch.setenv("FDISCREEN_CACHE_DIR", str(tmp_path))
    expected = frozenset(holidays.country_holidays("JP", years=2027))
    assert dates._national_holidays.__wrapped__(2027) == expected
    (entry,) = tmp_path.glob("holidays-JP-*-2027.json")
    assert dates._national_holidays.__wrapped__(2027) == expected
    entry.write_text("[not json", encoding="utf-8")
    assert dates._national_holidays.__wrapped__(2027) == expected
