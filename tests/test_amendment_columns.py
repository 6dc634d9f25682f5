"""The 2026 amendment over columns (fdiscreen.filing.amendment): the in-force test over a column of days
at the window's edges (2026 amending Act, supplementary provisions, 施行期日: a cabinet-order date within
one year of promulgation on 2026-06-05), and one table of many deals giving each deal the timing code,
change codes, labels and rendered conclusion a table of that deal alone gives."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fdiscreen.columns import NO, UNKNOWN, YES, DealTable, tri
from fdiscreen.filing import Determination, determine
from fdiscreen.filing.amendment import (CHANGE_ABSENT, CHANGE_APPLIES, CHANGE_ITEMS, CHANGE_LISTED, EXEMPTION_UNLABELLED,
                                        INDIRECT, NOMINEE, REPORTS_INDIRECT_PENDING, TIMING_BOTH, TIMING_IN_FORCE,
                                        TIMING_NOT_ENACTED, TIMING_NOT_IN_FORCE, AmendmentColumns, amendment_columns,
                                        amendment_inputs, day_numbers, exemption_label_columns, in_force_on, in_force_on_days,
                                        indirect_act_columns, render_amendment, render_exemption_label, render_reports_label,
                                        report_label_columns)
from fdiscreen.filing.acts import act_rows
from fdiscreen.filing.conclusion import tri_of
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, make_regime
from test_lookthrough import DATES, LIBRARY

PROMULGATED, LATEST = dt.date(2026, 6, 5), dt.date(2027, 6, 4)


class Rule(NamedTuple):
    """A rule set to screen on: the as-of date and the in-force date the user assumes (None: the law's)."""

    day: dt.date
    effective: dt.date | None = None

    def regime(self) -> Regime:
        return make_regime(self.day, amendment_effective=self.effective)


#: the three library dates, plus a user's assumed in-force date inside the window and one after it
RULES = (*(Rule(d) for d in DATES), Rule(dt.date(2026, 12, 1), dt.date(2027, 3, 1)), Rule(dt.date(2026, 12, 1), dt.date(2028, 1, 1)))


# -- the in-force test over a column of days ------------------------------------------------------------

def test_in_force_over_days_at_the_window_edges() -> None:
    """附則 (施行期日): not in force on promulgation day (only the consultation took effect then), either
    way from the next day, certainly in force on the last day the Act allows; with a date, from it."""
    dates = [dt.date(2026, 6, 4), PROMULGATED, dt.date(2026, 6, 6), dt.date(2027, 6, 3), LATEST, dt.date(2030, 1, 1)]
    days = day_numbers(dates)
    assert in_force_on_days(days, PROMULGATED, LATEST, None).tolist() == [NO, NO, UNKNOWN, UNKNOWN, YES, YES]
    assert in_force_on_days(days, PROMULGATED, None, None).tolist() == [NO, NO, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]
    assert in_force_on_days(days, PROMULGATED, LATEST, dt.date(2027, 6, 3)).tolist() == [NO, NO, NO, YES, YES, YES]
    for day in dates:
        assert in_force_on(day, PROMULGATED, LATEST, None) == {YES: True, NO: False, UNKNOWN: None}[
            int(in_force_on_days(day_numbers([day]), PROMULGATED, LATEST, None)[0])]


# -- a batch of many equals a batch of one ----------------------------------------------------------------

def _upstream(deals: list[Deal], rule: Rule) -> list[Determination]:
    return [determine(d, rule.regime()) for d in deals]


def _columns(deals: list[Deal], dets: list[Determination], regime: Regime) -> tuple[AmendmentColumns, np.ndarray, np.ndarray]:
    acts = [det.acts for det in dets]
    cols = amendment_columns(DealTable(deals, regime), amendment_inputs(acts, [det.must_file.status for det in dets],
                                                                         [det.foreign_investor for det in dets]))
    indirect = indirect_act_columns(act_rows(acts), len(acts))
    return cols, exemption_label_columns(indirect, tri([tri_of(det.exemption.status) for det in dets])), report_label_columns(indirect)


def _row(many: tuple[AmendmentColumns, np.ndarray, np.ndarray], det: Determination, row: int, rule: Rule) -> dict[str, Any]:
    """Everything the columns say of one row, as plain values, with its rendered conclusions and the
    factor items their rendering counted as used (on a fresh regime)."""
    c, ex, rep = many
    regime = rule.regime()
    others = [det.foreign_investor, det.must_file, det.exemption, det.post_investment_report]
    rendered = render_amendment(c, row, regime, det.acts, others).model_dump()
    t = c.timing
    return dict(code=int(c.code[row]), status=int(c.status[row]), changes=c.changes[row].tolist(), decisive=bool(c.decisive[row]),
                assumed=bool(c.date_assumed[row]), day=str(t.deal_date[row]), closing=bool(t.from_closing[row]),
                used={k for k, v in c.usage.items() if v[row]}, labels=(int(ex[row]), int(rep[row])),
                rendered=rendered, regime_used=set(regime.used),
                exemption=render_exemption_label(det.exemption, int(ex[row]), det.acts).model_dump(),
                reports=render_reports_label(det.post_investment_report, int(rep[row]), det.acts).model_dump())


def _assert_many_equals_one(deals: list[Deal], dets: list[Determination], rule: Rule) -> None:
    many = _columns(deals, dets, rule.regime())
    for d, deal in enumerate(deals):
        alone = _columns([deal], [dets[d]], rule.regime())
        assert _row(many, dets[d], d, rule) == _row(alone, dets[d], 0, rule), (deal.matter, rule)


UPSTREAM = {rule: _upstream(LIBRARY, rule) for rule in RULES}


def test_a_batch_of_the_whole_library_gives_each_deal_its_own_amendment() -> None:
    """Every example, bid and case in one table, under five rule sets (before the Act, in the window with
    the in-force date unknown, assumed inside and after the window): each row as alone; the batch meets
    every timing code and both kinds of listed change."""
    seen: set[tuple[str, int]] = set()
    for rule in RULES:
        _assert_many_equals_one(LIBRARY, UPSTREAM[rule], rule)
        c, ex, rep = _columns(LIBRARY, UPSTREAM[rule], rule.regime())
        seen |= {("timing", x) for x in c.code.tolist()} | {("change", x) for x in c.changes.ravel().tolist()}
        seen |= {("report", x) for x in rep.tolist()} | {("exemption", x) for x in ex.tolist()}
    assert {("timing", k) for k in (TIMING_NOT_ENACTED, TIMING_IN_FORCE, TIMING_NOT_IN_FORCE, TIMING_BOTH)} <= seen
    assert {("change", k) for k in (CHANGE_ABSENT, CHANGE_LISTED, CHANGE_APPLIES)} <= seen
    assert ("exemption", EXEMPTION_UNLABELLED) in seen


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(LIBRARY))), min_size=1, max_size=12), st.sampled_from(RULES))
def test_any_batch_in_any_order_gives_each_deal_its_own_amendment(picks: list[int], rule: Rule) -> None:
    """The same deal may come twice, in any order, next to any others: its amendment does not change."""
    _assert_many_equals_one([LIBRARY[i] for i in picks], [UPSTREAM[rule][i] for i in picks], rule)


# -- codes on known deals ------------------------------------------------------------------------------

def _indirect_deals() -> list[int]:
    return [i for i, d in enumerate(LIBRARY) if d.transaction.indirect is not None]


def _in_window(deal: Deal) -> Deal:
    """The deal closing on 2027-03-01, after promulgation and before the last day the Act allows."""
    return deal.model_copy(update={"transaction": deal.transaction.model_copy(update={"closing_date": dt.date(2027, 3, 1)})})


def test_indirect_deal_in_the_window_is_both_readings_and_decisive() -> None:
    """附則 (施行期日) with factor amendment_2026_effective_date (assumption): an indirect acquisition
    closing after promulgation and before 2027-06-04 with no cabinet order is TIMING_BOTH, the change is
    listed as touching the deal, the date is the row's assumption; assumed from 2028-01-01 by the user,
    the same deal is TIMING_NOT_IN_FORCE with the change still touching it (not yet in force)."""
    deals = [_in_window(LIBRARY[i]) for i in _indirect_deals()]
    assert deals
    for rule, code in ((Rule(dt.date(2026, 12, 1)), TIMING_BOTH), (Rule(dt.date(2026, 12, 1), dt.date(2028, 1, 1)), TIMING_NOT_IN_FORCE)):
        dets = _upstream(deals, rule)
        c, _, _ = _columns(deals, dets, rule.regime())
        assert c.code.tolist() == [code] * len(deals)
        assert (c.changes[:, INDIRECT] == CHANGE_APPLIES).all() and c.decisive.all() and c.date_assumed.all()
        _assert_many_equals_one(deals, dets, rule)


def test_before_promulgation_nothing_is_listed() -> None:
    """Before 2026-06-05 (amendment_2026_promulgation_date) the amendment is not law: TIMING_NOT_ENACTED,
    no change listed, status no, and only the promulgation date counted as used."""
    rule = Rule(dt.date(2020, 6, 1))
    c, _, _ = _columns(LIBRARY, UPSTREAM[rule], rule.regime())
    assert set(c.code.tolist()) == {TIMING_NOT_ENACTED} and (c.changes == CHANGE_ABSENT).all() and (c.status == NO).all()
    assert {k for k, v in c.usage.items() if v.any()} == {"amendment_2026_promulgation_date"}


def test_nominee_change_follows_the_deal_file() -> None:
    """Deemed foreign investor by contract (factor deemed_foreign_investor_contract): listed and touching
    exactly the rows whose deal names a nominee, once the Act is enacted."""
    rule = Rule(dt.date(2026, 12, 1))
    c, _, _ = _columns(LIBRARY, UPSTREAM[rule], rule.regime())
    nominee = np.array([d.transaction.nominee is not None for d in LIBRARY])
    assert nominee.any()
    assert (c.changes[:, NOMINEE] == np.where(nominee, CHANGE_APPLIES, CHANGE_ABSENT)).all()
    assert CHANGE_ITEMS[NOMINEE] == "deemed_foreign_investor_contract"


def test_report_label_on_a_non_designated_indirect_acquisition() -> None:
    """Factor indirect_acquisition_non_designated_report (assumption): an indirect acquisition of a
    non-designated company, in force by an assumed date, is reported on pending law (label code 1)."""
    rule = Rule(dt.date(2026, 12, 1), dt.date(2027, 3, 1))
    for i in _indirect_deals():
        det = UPSTREAM[rule][i]
        _, _, rep = _columns([LIBRARY[i]], [det], rule.regime())
        act = next(a for a in det.acts if a.act == "indirect_acquisition")
        expected = (act.status == "yes" and act.notification == "post_investment_report"
                    and any(x.item == "indirect_acquisition_non_designated_report" for x in act.citations))
        assert (int(rep[0]) == REPORTS_INDIRECT_PENDING) == expected


def test_both_readings_note_ignores_the_batch_rows() -> None:
    """The outcome under each reading re-runs the determination on its own regime (a batch's rows are for
    the batch's regime): a deal in the window determined in a batch gives the outcome it gives alone,
    both readings included."""
    from fdiscreen.filing import determine_many
    from fdiscreen.screening import batch_rows

    day = dt.date(2026, 12, 1)
    deals = [_in_window(LIBRARY[i]) for i in _indirect_deals()] + LIBRARY[:3]
    law = make_regime(day)
    together = determine_many(deals, [make_regime(day) for _ in deals], None, batch_rows(deals, law), law)
    for deal, det in zip(deals, together):
        assert det.outcome == determine(deal, make_regime(day)).outcome
    assert any("If the 2026 amendment is in force by" in determine(d, make_regime(day)).outcome.summary.en for d in deals)