"""Post-investment reports (事後報告), implementation reports and the waiting period (Art. 27(2)-(6))."""

from __future__ import annotations

import datetime as dt

from conftest import CLEAN, deal, run
from fdiscreen.filing.reports import exemption_report_thresholds_crossed


def test_exemption_report_ladder() -> None:
    assert exemption_report_thresholds_crossed(0, 5, [1, 3, 10]) == [1, 3]
    assert exemption_report_thresholds_crossed(2, 2.5, [1, 3, 10]) == []
    assert exemption_report_thresholds_crossed(12, 13, [1, 3, 10]) == [10]
    assert exemption_report_thresholds_crossed(0, 12, [10]) == [10]


def test_one_report_per_act_however_many_rungs_fefta_art_55_5() -> None:
    """An exempt purchase from 0% to 5% passes the 1% and 3% rungs: one act, one post-investment report
    (errata 7), due 45 days after closing."""
    det = run(deal(transaction={"closing_date": "2026-12-15"}))
    reports = det.post_investment_report.reports
    assert [r.kind for r in reports] == ["post_investment_report"]
    assert "1%" in reports[0].trigger.en and "3%" in reports[0].trigger.en
    assert reports[0].due_date == reports[0].statutory_due_date == dt.date(2026, 12, 15) + dt.timedelta(days=45)
    big = run(deal(transaction={"closing_date": "2026-12-15", "shares_after_pct": 9.5}))
    assert len(big.post_investment_report.reports) == 1


def test_unlisted_exempt_acquisition_is_reported_once() -> None:
    d = deal(target={"listed": False, "businesses": [{"name": "Software", "activity": "software"}]},
             transaction={"closing_date": "2026-12-15", "shares_after_pct": 20, "acquired_from": "resident"})
    det = run(d)
    assert det.exemption.status == "yes"
    assert [r.kind for r in det.post_investment_report.reports] == ["post_investment_report"]


def test_deadline_on_an_administrative_holiday_moves_to_the_next_working_day() -> None:
    """行政機関の休日に関する法律 Art. 2: 2026-11-18 + 45 days is Saturday 2027-01-02 (also in the
    year-end closure), so the report is due Monday 2027-01-04; both dates are shown."""
    det = run(deal(transaction={"closing_date": "2026-11-18"}))
    report = det.post_investment_report.reports[0]
    assert report.statutory_due_date == dt.date(2027, 1, 2)
    assert report.due_date == dt.date(2027, 1, 4)
    assert "2027-01-04" in det.post_investment_report.summary.en and "2027-01-02" in det.post_investment_report.summary.en
    assert {"deadline_moves_past_holidays", "administrative_holidays"} <= {c.item for c in det.post_investment_report.citations}


def test_national_holidays_and_weekdays_are_working_days_or_not() -> None:
    from fdiscreen.dates import administrative_holiday_mask, day_column, working_day_deadlines
    from fdiscreen.regime import make_regime
    r = make_regime(dt.date(2026, 12, 1))
    holiday = administrative_holiday_mask(day_column([dt.date(2027, 1, 11), dt.date(2026, 12, 29), dt.date(2026, 12, 28)]),
                                          r.peek("administrative_holidays")).tolist()
    assert holiday[0]       # Coming of Age Day
    assert holiday[1]       # year-end closure, a Tuesday
    assert not holiday[2]   # Monday
    assert working_day_deadlines(day_column([dt.date(2027, 5, 1)]), r)[0].astype(object) == dt.date(2027, 5, 6)  # Sat, Sun, 3-5 May holidays


def test_waiting_period_30_days_extendable_to_4_and_5_months() -> None:
    det = run(deal(transaction={"board_seats": 1}))
    w = det.waiting_period_days
    assert (w.status, w.days, w.extension_months, w.max_months) == ("yes", 30, 4, 5)
    assert any(c.item == "waiting_period_days" for c in w.citations)
    assert any(r.kind == "implementation_report" for r in det.post_investment_report.reports)


def test_no_waiting_period_without_filing() -> None:
    assert run(deal()).waiting_period_days.status == "no"


def test_not_a_foreign_investor_needs_nothing() -> None:
    d = deal(entities=[dict(id="buyer", name="JP", kind="corporation", jurisdiction="JP", owners_complete=True,
                            officers={"directors_total": 3, "directors_non_resident": 0}, **CLEAN)])
    det = run(d)
    assert det.outcome.code == "not_foreign_investor"
    assert det.acts == [] and det.post_investment_report.status == "no"


def test_amendment_states_risk_mitigation_duty_when_filing() -> None:
    det = run(deal(transaction={"board_seats": 1, "risk_mitigation_measures": ["no_technology_access"]}), dt.date(2027, 7, 1))
    change = next(c for c in det.amendment_2026.changes if c.item == "risk_mitigation_notification")
    assert change.in_force and change.applies_to_deal


def test_earliest_closing_counts_the_acceptance_day_and_business_days() -> None:
    """FEFTA Art. 27(2): 30 days counted from the day of acceptance (that day is day one), so accepted on
    2026-12-01 the earliest closing is 2026-12-31 (holidays do not move a prohibition period); five
    business days counted on administrative working days: Wed 2 to Tue 8 December, closing from 9 December.
    Accepted Friday 2026-12-25, five business days skip the year-end closure: 28 Dec, 4-7 Jan."""
    det = run(deal(transaction={"board_seats": 1, "notification_accepted_date": "2026-12-01"}))
    w = det.waiting_period_days
    assert w.earliest_closing_date == dt.date(2026, 12, 31)
    assert w.earliest_closing_date_if_shortened == dt.date(2026, 12, 9)
    assert "waiting_period_counts_acceptance_day" in {c.item for c in w.citations}
    late = run(deal(transaction={"board_seats": 1, "notification_accepted_date": "2026-12-25"})).waiting_period_days
    assert late.earliest_closing_date_if_shortened == dt.date(2027, 1, 8)
    assert run(deal(transaction={"board_seats": 1})).waiting_period_days.earliest_closing_date is None


def test_no_assumption_listed_for_a_rule_not_in_force_and_not_used() -> None:
    """A 2008 screening must not list the post-2020 implementation-report period as an assumption it relied on."""
    from fdiscreen.screening import screen
    s = screen(deal(), as_of=dt.date(2008, 3, 3))
    assert "implementation_report_days" not in {a.id for a in s.regime.assumptions}
    filed = screen(deal(transaction={"board_seats": 1}), as_of=dt.date(2008, 3, 3))
    assert "implementation_report_days" not in {a.id for a in filed.regime.assumptions}
