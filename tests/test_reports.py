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


def test_exempt_purchase_reports_with_due_date() -> None:
    det = run(deal(transaction={"closing_date": "2026-12-15"}))
    reports = det.post_investment_report.reports
    assert [r.kind for r in reports] == ["post_investment_report", "post_investment_report"]
    assert reports[0].due_date == dt.date(2026, 12, 15) + dt.timedelta(days=45)


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
