"""Reports and the waiting period over columns (fdiscreen.filing.reports): one table of many deals gives
each deal the codes, report rows, dates and rendered conclusion a table of that deal alone gives, and
the vectorised holiday move equals the day-by-day walk of fdiscreen.dates on every day of 2026-2027."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import deal as make_deal
from conftest import run
from fdiscreen.columns import DealTable
from fdiscreen.dates import add_working_days_column, day_column, working_day_deadlines
from fdiscreen.filing import determine
from fdiscreen.filing.reports import (EX_LADDER_NOT_REACHED, EX_LADDER_REACHED, ND_MET, ND_NOT_MET, REPORTS_DUE,
                                      ReportColumns, ReportInputs, WaitingColumns, accepted_dates, ladder_rungs_reached,
                                      render_reports, render_waiting_period, report_columns, report_inputs, waiting_columns)
from fdiscreen.columns import tri
from fdiscreen.filing.conclusion import tri_of
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, make_regime
from test_lookthrough import DATES, LIBRARY

EVERY_DAY = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(730)]


# -- the holiday move (行政機関の休日に関する法律 Art. 1(1), Art. 2) ---------------------------------------------

def _holiday_by_hand(day: dt.date) -> bool:
    """The oracle, written from the statute and apart from the engine: 行政機関の休日に関する法律 Art. 1(1)
    (Saturdays, Sundays, national holidays as the ``holidays`` library gives them, 29 December to 3 January)."""
    import holidays

    return day.isoweekday() >= 6 or day in holidays.country_holidays("JP", years=day.year) or (day.month, day.day) >= (12, 29) \
        or (day.month, day.day) <= (1, 3)


def _deadline_by_hand(day: dt.date) -> dt.date:
    while _holiday_by_hand(day):
        day += dt.timedelta(days=1)
    return day


def _working_days_by_hand(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= not _holiday_by_hand(day)
    return day


def test_deadline_move_equals_the_walk_on_every_day_of_2026_and_2027() -> None:
    """行政機関の休日に関する法律 Art. 2 (factor deadline_moves_past_holidays): each of 730 days moves
    exactly as the statute's day-by-day walk moves it, a day alone as in a column, and a NaT stays NaT."""
    regime = make_regime(dt.date(2026, 12, 1))
    moved = working_day_deadlines(day_column([*EVERY_DAY, None]), regime)
    expected = [_deadline_by_hand(d) for d in EVERY_DAY]
    assert [d.astype(object) for d in moved[:-1]] == expected
    assert [working_day_deadlines(day_column([d]), regime)[0].astype(object) for d in EVERY_DAY[::7]] == expected[::7]
    assert np.isnat(moved[-1])
    assert moved[EVERY_DAY.index(dt.date(2027, 1, 2))].astype(object) == dt.date(2027, 1, 4)


def test_business_days_equal_the_walk_on_every_day_of_2026_and_2027() -> None:
    """The shortened waiting period's business days (factor administrative_holidays): the n-th working
    day after each of 730 days, for n = 1..6, is the statute's day-by-day count's."""
    regime = make_regime(dt.date(2026, 12, 1))
    days = day_column(EVERY_DAY)
    for n in range(1, 7):
        got = add_working_days_column(days, n, regime)
        expected = [_working_days_by_hand(d, n) for d in EVERY_DAY]
        assert [d.astype(object) for d in got] == expected, n
        assert [add_working_days_column(day_column([d]), n, regime)[0].astype(object) for d in EVERY_DAY[::11]] == expected[::11], n


def test_a_holiday_rule_with_long_runs_takes_the_walk() -> None:
    """A rule no real calendar has (every weekday a holiday but Wednesday) leaves the window without an
    answer: the day-by-day walk gives the deadline and the working days."""
    from fdiscreen.dates import deadlines_past_holidays, working_days_after

    rule = {"weekdays": [1, 2, 4, 5, 6, 7], "national_holidays": False, "year_end_from": "12-29", "year_end_to": "01-03"}
    wednesday = dt.date(2026, 12, 2)
    assert deadlines_past_holidays(day_column([dt.date(2026, 12, 3)]), rule)[0].astype(object) == dt.date(2026, 12, 9)
    assert deadlines_past_holidays(day_column([dt.date(2026, 12, 24)]), rule)[0].astype(object) == dt.date(2027, 1, 6)
    closed_two_months = {**rule, "year_end_from": "12-01", "year_end_to": "01-31"}
    assert deadlines_past_holidays(day_column([dt.date(2026, 12, 3)]), closed_two_months)[0].astype(object) == dt.date(2027, 2, 3)
    assert working_days_after(day_column([wednesday]), 1, rule)[0].astype(object) == dt.date(2026, 12, 9)
    assert working_days_after(day_column([wednesday]), 5, rule)[0].astype(object) == dt.date(2027, 1, 13)


def test_no_move_before_the_holiday_rule_is_in_force() -> None:
    """Before 1992-05-01 (deadline_moves_past_holidays not in force) a deadline on a Sunday stays."""
    regime = make_regime(dt.date(1990, 1, 1))
    sunday = day_column([dt.date(1989, 12, 31)])
    assert working_day_deadlines(sunday, regime).tolist() == sunday.tolist()


# -- the rules on rows ------------------------------------------------------------------------------------

def test_ladder_over_many_rows_fefta_art_55_5() -> None:
    """FEFTA Art. 55-5 ladder (exemption_post_report_general_pct, 1/3/10): each row on its own."""
    before = np.array([0, 2, 12, 0, 0.5, 3])
    after = np.array([5, 2.5, 13, 12, 1, 3])
    mask, top = ladder_rungs_reached(before, after, [1, 3, 10])
    assert mask.tolist() == [0b011, 0, 0, 0b011, 0b001, 0]
    assert top.tolist() == [False, False, True, True, False, False]


def test_non_designated_listed_below_threshold_is_not_reported() -> None:
    """Non-designated listed target (non_designated_listed_report_pct, 10%): 5% is not reported, 10% is."""
    shops = {"businesses": [{"name": "Shops", "activity": "retail"}]}
    low = run(make_deal(target=shops, transaction={"closing_date": "2026-12-15", "shares_after_pct": 5}))
    high = run(make_deal(target=shops, transaction={"closing_date": "2026-12-15", "shares_after_pct": 10}))
    assert low.post_investment_report.status == "no"
    assert "non_designated_listed_report_pct" in {c.item for c in low.post_investment_report.citations}
    assert [r.kind for r in high.post_investment_report.reports] == ["post_investment_report"]
    assert high.post_investment_report.reports[0].due_date == dt.date(2027, 1, 29)


# -- a batch of many equals a batch of one ----------------------------------------------------------------

def _upstream(deals: list[Deal], regime: Regime) -> list[Any]:
    dets = [determine(d, make_regime(regime.as_of)) for d in deals]
    return [(det.acts, det.exemption, det.must_file.status) for det in dets]


def _columns(deals: list[Deal], ups: list[Any], regime: Regime) -> tuple[ReportInputs, ReportColumns, WaitingColumns]:
    t = DealTable(deals, regime)
    inputs = report_inputs(t, [u[0] for u in ups], [u[1] for u in ups], [u[2] for u in ups])
    return inputs, report_columns(inputs, regime), waiting_columns(tri([tri_of(u[2]) for u in ups]), accepted_dates(t), regime)


def _row(inputs: ReportInputs, c: ReportColumns, w: WaitingColumns, row: int, regime: Regime) -> dict[str, Any]:
    """Everything the columns say of one row, as plain values (report and act rows renumbered)."""
    acts = np.flatnonzero(inputs.acts.deal == row)
    reps = c.reports.of_deal(row)
    first_act = acts[0] if len(acts) else 0
    used = {k: bool(v[row]) for k, v in c.usage.items()} | {f"w:{k}": bool(v[row]) for k, v in w.usage.items()}
    return dict(
        code=int(c.code[row]), ex=int(c.exemption[row]), rungs=int(c.ladder_rungs[row]), top=bool(c.ladder_top[row]),
        nd=c.non_designated[acts].tolist(), impl=int(c.implementation[row]), moved=bool(c.moved[row]),
        reports=[(int(c.reports.kind[i]), int(c.reports.trigger[i]), int(c.reports.act[i] - first_act) if c.reports.act[i] >= 0 else -1,
                  int(c.reports.days[i]), str(c.reports.statutory[i]), str(c.reports.due[i])) for i in range(reps.start, reps.stop)],
        wait=(int(w.code[row]), int(w.status[row]), int(w.earliest_code[row]), str(w.earliest[row]), str(w.shortened[row])),
        used={k: v for k, v in used.items() if v},
        rendered=(render_reports(regime, c, inputs, row).model_dump(), render_waiting_period(regime, w, row).model_dump()))


def _assert_many_equals_one(deals: list[Deal], ups: list[Any], day: dt.date) -> None:
    regime = make_regime(day)
    many = _columns(deals, ups, regime)
    for d, deal in enumerate(deals):
        alone = _columns([deal], [ups[d]], regime)
        assert _row(*many, d, regime) == _row(*alone, 0, regime), (deal.matter, day)


UPSTREAM = {day: _upstream(LIBRARY, make_regime(day)) for day in DATES}


def test_a_batch_of_the_whole_library_gives_each_deal_its_own_reports() -> None:
    """Every example, bid and case in one table, on three dates (the 2020-05-08 report changes among
    them: post_investment_report_days 15 -> 45, implementation_report_days, the exemption ladders)."""
    seen: set[int] = set()
    for day in DATES:
        _assert_many_equals_one(LIBRARY, UPSTREAM[day], day)
        c = _columns(LIBRARY, UPSTREAM[day], make_regime(day))[1]
        seen |= set(c.exemption.tolist()) | {10 + x for x in c.non_designated.tolist()} | {20 + x for x in c.code.tolist()}
    assert {EX_LADDER_REACHED, EX_LADDER_NOT_REACHED, 10 + ND_MET, 20 + REPORTS_DUE} <= seen


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(LIBRARY))), min_size=1, max_size=12), st.sampled_from(DATES))
def test_any_batch_in_any_order_gives_each_deal_its_own_reports(picks: list[int], day: dt.date) -> None:
    """The same deal may come twice, in any order, next to any others: its reports do not change."""
    _assert_many_equals_one([LIBRARY[i] for i in picks], [UPSTREAM[day][i] for i in picks], day)


def test_nd_not_met_code() -> None:
    """The code ND_NOT_MET on a listed non-designated target below 10% (non_designated_listed_report_pct)."""
    d = make_deal(target={"businesses": [{"name": "Shops", "activity": "retail"}]})
    regime = make_regime(dt.date(2026, 12, 1))
    ups = _upstream([d], regime)
    assert _columns([d], ups, regime)[1].non_designated.tolist() == [ND_NOT_MET]


def test_holiday_mask_on_days_years_apart_and_unknown() -> None:
    """行政機関の休日に関する法律 Art. 1(1) (factor administrative_holidays): days more than the calendar
    span apart, and NaT, are marked as the statute's rule marks them."""
    from fdiscreen.dates import administrative_holiday_mask
    regime = make_regime(dt.date(2026, 12, 1))
    days = [dt.date(1995, 1, 3), dt.date(1995, 1, 4), dt.date(2060, 5, 3), dt.date(2060, 5, 7), dt.date(2026, 12, 28)]
    for sample in (days, days[2:4]):
        got = administrative_holiday_mask(day_column([*sample, None]), regime.peek("administrative_holidays"))
        assert got.tolist() == [_holiday_by_hand(d) for d in sample] + [False]
