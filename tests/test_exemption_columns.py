"""The exemption over columns (fdiscreen.filing.exemption): one table of many deals gives each deal the
codes, statuses, evidence, criteria and factor items a table of that deal alone gives, and the rendered
conclusion of a row of the many is the conclusion of the deal alone; the law's branches a library deal
does not reach are checked on upstream columns passed directly, as a batch passes them."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE, CLEAN, deal, merge, run
from test_lookthrough import DATES, LIBRARY
from fdiscreen.columns import NO, UNKNOWN, YES, DealTable
from fdiscreen.filing import determine
from fdiscreen.filing.acts import ACT_LABELS, ActConclusion
from fdiscreen.filing.investor import InvestorClassConclusion
from fdiscreen.filing.target import TargetClassConclusion
from fdiscreen.i18n import T
from fdiscreen.load import parse_deal
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, make_regime

ex = importlib.import_module("fdiscreen.filing.exemption")

Upstream = tuple[InvestorClassConclusion, TargetClassConclusion, list[ActConclusion]]


def _upstream(d: Deal, regime: Regime) -> Upstream:
    """The conclusions the determination hands the exemption (no acts when nothing needs prior notification)."""
    det = determine(d, regime)
    acts = det.acts if det.prior_notification_required.status != "no" else []
    return det.investor_class, det.target_class, acts


def _row(c: Any, up: Any, row: int) -> dict[str, Any]:
    """Everything the columns say about one row, as plain values."""
    cond = c.conditions.of_deal(row)
    return {"code": ex.CODES[int(c.code[row])], "status": int(c.status[row]), "kind": int(c.kind[row]),
            "conservative": bool(c.conservative[row]), "core": bool(c.core[row]), "equivalent": bool(c.equivalent[row]),
            "holding": float(c.holding[row]), "outside": c.outside[up.acts.deal == row].tolist(),
            "conditions": [(c.conditions.entries[e][1]["id"], k) for e, k in zip(c.conditions.entry[cond].tolist(), c.conditions.kept[cond].tolist())],
            "items": sorted(item for item, rows in c.usage.items() if rows[row])}


def _assert_many_equals_one(deals: list[Deal], day: dt.date) -> None:
    ups = [_upstream(d, make_regime(day)) for d in deals]
    regime = make_regime(day)
    many_up = ex.Upstream.of([u[0] for u in ups], [u[1] for u in ups], [u[2] for u in ups])
    many = ex.exemption_columns(DealTable(deals, regime), many_up)
    for row, (d, (ic, tc, acts)) in enumerate(zip(deals, ups)):
        one_up = ex.Upstream.of([ic], [tc], [acts])
        one = ex.exemption_columns(DealTable.one(d, make_regime(day)), one_up)
        assert _row(many, many_up, row) == _row(one, one_up, 0), (d.matter, day)
        shown = ex.render_exemption(many, many_up, row, d, make_regime(day), ic, tc, acts)
        assert shown == ex.exemption(d, make_regime(day), ic, tc, acts), (d.matter, day)


def test_a_batch_of_the_whole_library_gives_each_deal_its_own_exemption() -> None:
    """Every example, bid and case in one table, on dates before the scheme (2019), after it (2020-05-08)
    and after the 2025 reform (specified foreign investors)."""
    for day in DATES:
        _assert_many_equals_one(LIBRARY, day)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(range(len(LIBRARY))), min_size=1, max_size=10), st.sampled_from(DATES))
def test_any_batch_in_any_order_gives_each_deal_its_own_exemption(picks: list[int], day: dt.date) -> None:
    """The same deal may come twice, in any order, next to any others: its exemption does not change."""
    _assert_many_equals_one([LIBRARY[i] for i in picks], day)


# -- branches over upstream columns (the batch path) ----------------------------------------------------------

def _act(act: str, holding: float | None = 5.0, notification: str | None = "prior_notification") -> ActConclusion:
    return ActConclusion(id=act, status="yes", summary=T("s", "s"), act=act, label=ACT_LABELS[act], notification=notification,  # type: ignore[arg-type]
                         holding_pct=holding)


def _ic(cls: str, status: str = "yes") -> InvestorClassConclusion:
    return InvestorClassConclusion(id="investor_class", status=status, summary=T("An investor", "投資家"), investor_class=cls)  # type: ignore[arg-type]


def _tc(cls: str | None, sac: bool | None = False) -> TargetClassConclusion:
    return TargetClassConclusion(id="target_class", status="yes", summary=T("t", "t"), fefta_class=cls, specified_acquisition_core=sac)  # type: ignore[arg-type]


def _columns(rows: list[tuple[Deal, InvestorClassConclusion, TargetClassConclusion, list[ActConclusion]]],
             day: dt.date = dt.date(2026, 12, 1)) -> tuple[Any, Any]:
    up = ex.Upstream.of([r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    return ex.exemption_columns(DealTable([r[0] for r in rows], make_regime(day)), up), up


def test_core_limit_is_exact_at_the_boundary() -> None:
    """Notice on the exemption criteria (core_exemption_below_pct): a general investor in a core business
    only strictly below 10%; 9.99% and 10 - 1e-9 pass, 10% and 10.000001% do not (exact decimals)."""
    d = deal()
    holdings = [9.99, 10 - 1e-9, 10.0, 10.000001]
    c, _ = _columns([(d, _ic("general_investor"), _tc("core"), [_act("listed_share_acquisition", h)]) for h in holdings])
    assert [ex.CODES[k] for k in c.code] == ["available", "available", "core_at_or_above_limit", "core_at_or_above_limit"]
    assert c.usage["core_exemption_below_pct"].tolist() == [True] * 4


def test_specified_acquisition_on_the_core_list_is_never_exempt() -> None:
    """Notice on the exemption criteria (specified_acquisition_core_exemption): a specified acquisition of a
    company on the specified-acquisition core list has no exemption; with the listing unknown the 'no' is open."""
    d = deal(target={"listed": False})
    rows = [(d, _ic("general_investor"), _tc("designated", sac), [_act("specified_acquisition")]) for sac in (True, None, False)]
    c, up = _columns(rows)
    assert [ex.CODES[k] for k in c.code] == ["specified_acquisition_core", "specified_acquisition_core", "available"]
    assert c.status.tolist() == [NO, UNKNOWN, YES]
    shown = ex.render_exemption(c, up, 0, d, make_regime(dt.date(2026, 12, 1)), *rows[0][1:])
    assert "specified_acquisition_core_exemption" in {x.item for x in shown.citations}


def test_an_act_outside_the_exemption_next_to_a_share_purchase_closes_it() -> None:
    """exemption_covered_acts: the exemption covers share and voting-right acquisitions only; a loan beside
    them must be notified, so the deal's exemption is 'no' though its criteria are kept."""
    d = deal(target={"businesses": [{"name": "Software", "activity": "software"}]})
    acts = [_act("listed_share_acquisition"), _act("loan", None)]
    c, up = _columns([(d, _ic("general_investor"), _tc("designated"), acts), (d, _ic("general_investor"), _tc("designated"), acts[1:])])
    assert [ex.CODES[k] for k in c.code] == ["act_not_covered_in_deal", "acts_not_covered"]
    assert c.status.tolist() == [NO, NO] and c.outside.tolist() == [False, True, True]
    assert ex.EXEMPTION_KINDS[int(c.kind[0])] == "regular" and ex.EXEMPTION_KINDS[int(c.kind[1])] is None
    shown = ex.render_exemption(c, up, 0, d, make_regime(dt.date(2026, 12, 1)), *(_ic("general_investor"), _tc("designated"), acts))
    assert shown.citations[-1].item == "exemption_covered_acts" and shown.conditions


def test_bars_in_the_order_the_law_gives_them() -> None:
    """violator_excluded, foreign_government_excluded, specified_foreign_investor_excluded bar a settled
    class; an open class does not bar (FEFTA Art. 27-2 with the Cabinet Order); a foreign financial
    institution gets the general exemption (foreign_financial_institution_no_upper_limit)."""
    d = deal()
    classes = ["violator", "foreign_government", "specified_foreign_investor", "foreign_financial_institution"]
    rows = [(d, _ic(cls), _tc("core"), [_act("listed_share_acquisition", 40)]) for cls in classes]
    rows.append((d, _ic("violator", "indeterminate"), _tc("core"), [_act("listed_share_acquisition", 5)]))
    c, _ = _columns(rows)
    assert [ex.CODES[k] for k in c.code] == ["violator_excluded", "foreign_government_excluded", "specified_foreign_investor_excluded",
                                               "available", "available"]
    assert [ex.EXEMPTION_KINDS[k] for k in c.kind] == [None, None, None, "general", "regular"]
    assert c.status[-1] == UNKNOWN


def test_each_criterion_is_tested_on_the_deal() -> None:
    """Notice on the exemption criteria (basic_criteria, additional_criteria, equivalent_extra_criteria):
    each criterion breached, kept, or open when its fact is not given, for many deals at once."""
    tx = BASE["transaction"]
    deals = [deal(), deal(transaction={"board_seats": 1}), deal(transaction={"board_seats": None}),
             deal(transaction={"proposals": [{"kind": "director_appointment", "investor_consents": True}]}),
             deal(transaction={"proposals": [{"kind": "designated_business_abolition", "proposed_by_investor": True, "investor_consents": False}]}),
             deal(transaction={"core_committee_attendance": None}), deal(transaction={"written_proposals_with_deadline": True}),
             deal(transaction={"technology_access": {**tx["technology_access"], "any_non_public_information": None, "personnel_exchange": True}})]
    t = DealTable(deals, make_regime(dt.date(2026, 12, 1)))
    kept = {cid: ex.criterion_kept(t, cid).tolist() for cid in ex.CONDITION_TESTS}
    assert kept["no_officer_seat"] == [YES, NO, UNKNOWN, NO, YES, YES, YES, YES]
    assert kept["no_designated_business_transfer_proposal"] == [YES, YES, YES, YES, NO, YES, YES, YES]
    assert kept["no_core_committee_attendance"] == [YES, YES, YES, YES, YES, UNKNOWN, YES, YES]
    assert kept["no_deadline_written_proposals"] == [YES, YES, YES, YES, YES, YES, NO, YES]
    assert kept["no_nonpublic_information_access"] == [YES] * 7 + [UNKNOWN]
    assert kept["personnel_limits"] == [YES, NO, UNKNOWN, YES, YES, YES, YES, NO]


def test_exemption_conditions_are_the_conditions_the_exemption_lists() -> None:
    """exemption_conditions (the criteria of named groups) gives the criteria the exemption lists for the
    same groups, with their citations (equivalent_extra_criteria for a person equivalent to a specified
    foreign investor in a core business)."""
    eq = dict(id="buyer", name="B", kind="corporation", jurisdiction="SG", **{**CLEAN, "contractual_disclosure_duty": True})
    d = deal(entities=[eq], transaction={"technology_access": {"personnel_exchange": None}})
    listed = run(d).exemption.conditions
    assert [x.group for x in listed] == ["basic"] * 3 + ["additional"] * 2 + ["equivalent"] * 2
    assert ex.exemption_conditions(d, make_regime(dt.date(2026, 11, 22)), ["basic", "additional", "equivalent"]) == listed
    assert listed[-1].kept_by_deal == "indeterminate" and listed[-1].citation.item == "equivalent_extra_criteria"


def test_a_deal_with_no_acts_needs_no_exemption() -> None:
    """No act needs prior notification: the exemption is not needed and reads no criteria."""
    d = parse_deal(merge(BASE, {}))
    c, _ = _columns([(d, _ic("general_investor"), _tc("core"), []), (d, _ic("general_investor"), _tc("core"), [_act("loan", None, "none")])])
    assert [ex.CODES[k] for k in c.code] == ["not_needed", "not_needed"]
    assert len(c.conditions.deal) == 0 and not np.any(c.usage["exemption_scheme"])
