"""The covered acts over columns (fdiscreen.filing.acts): one table of many deals gives each deal the act
rows (act, status, code, covered as, holding, threshold, exemptable, notification), the rows that needed
each factor item and the rendered conclusions that a table of that deal alone gives (a batch of many
equals a batch of one), and every conclusion code is reached by a deal of the library or a variant.

Citations: FEFTA Art. 26(2)(i)-(vii) and 26(3) (acts and specified acquisition); Cabinet Order
(直投令) Art. 2 (closely related persons, thresholds, consents in Art. 2(11), loans in Art. 2(14),
joint-voting consent); Order (直投命令) Art. 2(1), 2(4) (the loan's balance and liabilities tests);
FEFTA Art. 27(14) (the nominee rule's scope); the 2026 amendment (間接取得, pending cabinet order).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE, deal
from fdiscreen.columns import NO, UNKNOWN, YES, DealTable
from fdiscreen.filing import acts as A
from fdiscreen.filing.acts import (ActTable, TargetColumns, act_table, any_act, combine, covered_acts, outside_deemed_scope, render_act,
                                   within_deemed_scope)
from fdiscreen.filing.target import TargetClassConclusion, target_class
from fdiscreen.lookthrough import record_use
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, make_regime
from test_lookthrough import DATES, LIBRARY

RESIDENT = {"entities": [{**BASE["entities"][0], "jurisdiction": "JP", "owners": [{"owner": "parent", "voting_pct": 100}], "owners_complete": True},
                         {"id": "parent", "name": "Parent", "kind": "corporation", "jurisdiction": "US"}]}
INDIVIDUAL = {"entities": [{**BASE["entities"][0], "name": "Taro Yamada", "kind": "individual", "jurisdiction": "SG", "resident_in_japan": False}]}


def _loan(**loan: object) -> dict[str, object]:
    amount = loan.get("amount_jpy", 5_000_000_000)
    return {"kind": "loan", "loan": {"amount_jpy": amount, "term_years": 5, "borrower_liabilities_jpy": 4_000_000_000,
                                     "lender_loan_balance_after_jpy": amount, "lender_bonds_held_jpy": 0, **loan}}


def _former(listed: bool = False, **transfer: object) -> dict[str, Any]:
    return {**INDIVIDUAL, "target": {"listed": listed},
            "transaction": {"kind": "former_resident_share_transfer", "shares_after_pct": None,
                            "former_resident_transfer": {"held_since_before_non_resident": True, "transferee_foreign_investor": True, **transfer}}}


def _indirect(**indirect: object) -> dict[str, Any]:
    return {"entities": [*BASE["entities"], {"id": "holder", "name": "Holder AG", "kind": "corporation", "jurisdiction": "CH"}],
            "transaction": {"kind": "indirect_acquisition", "closing_date": "2027-09-30",
                            "indirect": {"holding_entity": "holder", "holding_entity_stake_in_target_pct": 35, "acquirer_voting_before_pct": 0,
                                         "acquirer_voting_after_pct": 100, **indirect}}}


#: deals that reach the branches the library does not (each names the branch it is for)
VARIANTS: list[Deal] = [
    deal(transaction={"shares_after_pct": None}),                                                 # listed holding unknown
    deal(transaction={"shares_after_pct": 5, "voting_after_pct": 12}),                            # voting rights (iv)
    deal(transaction={"shares_after_pct": 0.5, "proxy_voting_pct": 0.6}),                         # proxies count with votes, exactly
    deal(target={"listed": False}, transaction={"acquired_from": "foreign_investor", "shares_after_pct": 30}),  # specified / before 2017-10-01
    deal(transaction={"proposals": [{"kind": "director_appointment", "appointee_is_investor_or_related": False},
                                    {"kind": "business_purpose_change"}, {"kind": "designated_business_abolition", "investor_consents": False},
                                    {"kind": "designated_business_transfer"}]}),                  # consents: order, unrelated appointee
    deal(target={"listed": False}, transaction={"board_seats": 1, "proposals": [{"kind": "business_purpose_change"}]}),  # seats imply consent
    deal(transaction={"board_seats": None, "auditor_seats": 1, "shares_after_pct": None}),        # seats with an unknown holding
    deal(transaction=_loan(lender_financial_institution_in_business=True)),                       # financial institution
    deal(transaction=_loan(currency="JPY"), **RESIDENT),                                           # resident yen loan
    deal(transaction=_loan(currency="usd"), **RESIDENT),                                           # resident, foreign currency
    deal(transaction=_loan(), **RESIDENT),                                                         # resident, currency unknown
    deal(transaction=_loan(amount_jpy=3_000_000_000, lender_loan_balance_after_jpy=None, lender_bonds_held_jpy=None)),  # parts asked
    deal(transaction=_loan(amount_jpy=50_000_000, lender_loan_balance_after_jpy=None, borrower_liabilities_jpy=None)),  # balance, liabilities asked
    deal(transaction=_loan(amount_jpy=0, lender_loan_balance_after_jpy=0, borrower_liabilities_jpy=0, term_years=0.5)),  # zero base
    deal(transaction=_loan(amount_jpy=4_000_000_000)),                                             # exactly half: not more than 50%
    deal(target={"listed": False}, transaction={"kind": "consent_only", "shares_after_pct": 3, "shares_before_pct": 3,
                                                "joint_voting": {"combined_voting_pct": 12}}),     # joint voting, unlisted
    deal(transaction={"kind": "branch_establishment", "shares_after_pct": None}),                 # branch by a foreign entity
    deal(transaction={"kind": "branch_establishment", "shares_after_pct": None}, **RESIDENT),     # branch by a Japanese company
    deal(**_former()),                                                                             # former resident: covered
    deal(**_former(held_since_before_non_resident=None, transferee_foreign_investor=False)),      # former resident: not covered
    deal(**_former(transferee_foreign_investor=None)),                                             # former resident: open
    deal(**_former(listed=True)),                                                                  # former resident: listed
    deal(**_indirect(holding_entity_stake_in_target_pct=None, related_persons_take_officer_majority=True)),  # indirect: stake asked
    deal(**_indirect(acquirer_voting_before_pct=60, acquirer_voting_after_pct=80)),               # indirect: not newly reaching
    deal(**{**_indirect(acquirer_voting_after_pct=30), "target": {"listed": False}}),             # indirect: unlisted, below
]
ALL = [*LIBRARY, *VARIANTS]
MORE_DATES = (*DATES, dt.date(2017, 9, 30), dt.date(2027, 6, 1))


def _target(d: Deal, day: dt.date) -> TargetClassConclusion:
    return target_class(d.target, make_regime(day))


def _rows(acts: ActTable, row: int) -> dict[str, object]:
    """Everything the act table says about deal ``row``."""
    i = acts.of_deal(row)
    return {"act": acts.act[i].tolist(), "status": acts.status[i].tolist(), "code": acts.code[i].tolist(), "detail": acts.detail[i].tolist(),
            "covered": acts.covered[i].tolist(), "holding": [None if np.isnan(x) else x for x in acts.holding[i]],
            "threshold": [None if np.isnan(x) else x for x in acts.threshold[i]], "exemptable": acts.exemptable[i].tolist(),
            "notification": acts.notification[i].tolist(), "ratio": [None if np.isnan(x) else x for x in acts.ratio[i]], "used": sorted(item for item, rows in acts.usage.items() if rows[row])}


def _assert_many_equals_one(deals: list[Deal], day: dt.date) -> None:
    tcs = [_target(d, day) for d in deals]
    many = act_table(DealTable(deals, make_regime(day)), TargetColumns.of(tcs))
    assert np.all(np.diff(many.deal) >= 0)
    for row, (d, tc) in enumerate(zip(deals, tcs)):
        alone = act_table(DealTable.one(d, make_regime(day)), TargetColumns.of([tc]))
        assert _rows(many, row) == _rows(alone, 0), (d.matter, day)
        r_many, r_one = make_regime(day), make_regime(day)
        record_use(r_many, many.usage, np.array([row]))
        mine = many.of_deal(row)
        shown = [render_act(d, r_many, many, i, tc.fefta_class) for i in range(mine.start, mine.stop)]
        assert shown == covered_acts(d, r_one, tc), (d.matter, day)
        assert set(r_many.used) == set(r_one.used), (d.matter, day)


def test_a_batch_of_the_library_and_variants_gives_each_deal_its_own_acts() -> None:
    """Every example, bid, case and variant in one table, on dates straddling 2017-10-01 (Art. 26(3)),
    the 2019-2020 amendments and the 2026 amendment's window."""
    for day in MORE_DATES:
        _assert_many_equals_one(ALL, day)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(ALL))), min_size=1, max_size=12), st.sampled_from(MORE_DATES))
def test_any_batch_in_any_order_gives_each_deal_its_own_acts(picks: list[int], day: dt.date) -> None:
    """The same deal may come twice, in any order, next to any others: its acts do not change."""
    _assert_many_equals_one([ALL[i] for i in picks], day)


CODES = {name: value for name, value in vars(A).items() if name.split("_")[0] in
         ("LISTED", "VOTING", "UNLISTED", "CONSENT", "LOAN", "JOINT", "BRANCH", "INDIRECT", "FORMER") and isinstance(value, int)}


def test_every_conclusion_code_is_reached_and_has_a_renderer() -> None:
    """Each code names one branch of Art. 26(2)-(3); the library and the variants reach all of them."""
    assert sorted(CODES.values()) == list(range(len(CODES)))
    assert set(CODES.values()) == set(A._RENDER)
    seen: set[int] = set()
    for day in MORE_DATES:
        deals = ALL
        seen |= set(act_table(DealTable(deals, make_regime(day)), TargetColumns.of([_target(d, day) for d in deals])).code.tolist())
    # item (ii) is in force from 1980-12-01, the first encoded date: its absence is reached by an override
    law = make_regime(dt.date(2026, 12, 1))
    without = Regime(law.catalog, law.as_of, {"former_resident_transfer_covered": False})
    former = [d for d in VARIANTS if d.transaction.kind == "former_resident_share_transfer"]
    seen |= set(act_table(DealTable(former, without), TargetColumns.of([_target(d, law.as_of) for d in former])).code.tolist())
    assert {name for name, v in CODES.items() if v not in seen} == set()


def _acts(d: Deal, day: dt.date = dt.date(2026, 12, 1)) -> ActTable:
    return act_table(DealTable.one(d, make_regime(day)), TargetColumns.of([_target(d, day)]))


def test_loan_codes_cabinet_order_art_2_14_and_order_art_2_4() -> None:
    """Cabinet Order Art. 2(14): a financial institution's loan and a resident foreign investor's yen loan
    are excluded; Order Art. 2(1) balance over ¥100m; Order Art. 2(4) balance plus bonds over half the
    liabilities plus this loan (exactly half is not over)."""
    by = {i: _acts(VARIANTS[i]) for i in (7, 8, 9, 10, 11, 12, 13, 14)}
    assert by[7].code.tolist() == [A.LOAN_FINANCIAL_INSTITUTION] and by[7].status.tolist() == [NO]
    assert by[8].code.tolist() == [A.LOAN_RESIDENT_YEN] and by[8].status.tolist() == [NO]
    assert (by[9].detail[0] % 4, by[9].status[0]) == (A.RES_FOREIGN_CURRENCY, YES)
    assert (by[10].detail[0] % 4, by[10].status[0]) == (A.RES_CURRENCY_UNKNOWN, UNKNOWN)
    assert (by[11].detail[0] // 16, by[11].status[0]) == (A.LIAB_ASKED, UNKNOWN)
    assert (by[12].detail[0] // 4 % 4, by[12].detail[0] // 16, by[12].status[0]) == (A.BAL_ASKED, A.LIAB_UNKNOWN, UNKNOWN)
    assert (by[13].detail[0] // 16, by[13].status[0]) == (A.LIAB_ZERO_BASE, NO)  # the base is zero, but the term is not over a year
    assert (by[14].detail[0] // 16, by[14].status[0], by[14].ratio[0]) == (A.LIAB_TESTED, NO, 50.0)
    assert _acts(deal(transaction=_loan())).ratio.tolist() == [float(Fraction(500, 9))]  # 5bn of 4bn + 5bn, as the sentence shows it


def test_consents_keep_proposal_order_and_skip_unrelated_appointees_cabinet_order_art_2_11() -> None:
    """Cabinet Order Art. 2(11): a consent per kind, in the order the proposals come; an appointee who is
    neither the investor nor a closely related person is not a covered consent; an abolition not
    consented to does not stand for the transfer consented later."""
    a = _acts(VARIANTS[4])
    consent = [A.ACTS[x] for x, c in zip(a.act.tolist(), a.code.tolist()) if c in (A.CONSENT_APPOINTEE_UNRELATED, A.CONSENT_LISTED)]
    assert consent == ["consent_director_appointment", "consent_business_purpose_change", "consent_designated_business_transfer"]
    assert a.code[a.act == A.ACT_CODE["consent_director_appointment"]].tolist() == [A.CONSENT_APPOINTEE_UNRELATED]
    seats = _acts(VARIANTS[5])
    director = seats.act == A.ACT_CODE["consent_director_appointment"]
    assert seats.code[director].tolist() == [A.CONSENT_UNLISTED] and seats.detail[director].tolist() == [A.SEATS_IMPLY_CONSENT]


def test_voting_rights_with_proxies_are_exact_fefta_art_26_2_iv() -> None:
    """Art. 26(2)(iv), Cabinet Order Art. 2: 0.5% of votes plus 0.6% under proxy is 1.1%, over the 1% threshold."""
    a = _acts(VARIANTS[2])
    voting = a.act == A.ACT_CODE["listed_voting_acquisition"]
    assert a.code[voting].tolist() == [A.VOTING_HELD] and a.status[voting].tolist() == [YES] and a.holding[voting].tolist() == [1.1]
    before = _acts(VARIANTS[1], dt.date(2019, 1, 1))
    assert before.code[before.act == A.ACT_CODE["listed_voting_acquisition"]].tolist() == [A.VOTING_NOT_IN_FORCE]


def test_specified_acquisition_from_2017_10_01_fefta_art_26_3() -> None:
    """Art. 26(3): unlisted shares bought from another foreign investor are a specified acquisition from
    2017-10-01; the day before they were not covered."""
    assert _acts(VARIANTS[3]).code.tolist() == [A.UNLISTED_SPECIFIED]
    assert _acts(VARIANTS[3], dt.date(2017, 9, 30)).code.tolist() == [A.UNLISTED_BEFORE_SPECIFIED]


def test_nominee_rule_scope_fefta_art_27_14() -> None:
    """Art. 27(14): a deemed foreign investor's specified acquisition is outside the rule before the 2026
    amendment; its inward direct investment is inside."""
    d = VARIANTS[3]
    a = _acts(d)
    regime = make_regime(dt.date(2026, 12, 1))
    assert outside_deemed_scope(a, np.array([True]), regime).tolist() == [True]
    assert outside_deemed_scope(a, np.array([False]), regime).tolist() == [False]
    shown = within_deemed_scope(covered_acts(d, make_regime(dt.date(2026, 12, 1)), _target(d, dt.date(2026, 12, 1))), regime, True)
    assert [(x.status, x.notification, x.covered_as) for x in shown] == [("no", "none", None)]
    assert shown[0].citations[-1].item == "deemed_foreign_investor_scope"


def test_any_act_is_a_three_valued_or() -> None:
    """The filing turns on any act: yes if one is yes, open if one is open and none yes, else no."""
    deal_rows, status = np.array([0, 0, 1, 1, 2]), np.array([NO, YES, NO, UNKNOWN, NO], dtype=np.int8)
    assert any_act(deal_rows, status, 4).tolist() == [YES, UNKNOWN, NO, NO]
    assert [combine(s) for s in (["no", "yes"], ["indeterminate", "no"], [], ["no"])] == ["yes", "indeterminate", "no", "no"]
