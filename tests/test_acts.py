"""Covered acts: inward direct investment etc. (Art. 26(2)) and specified acquisition (Art. 26(3))."""

from __future__ import annotations

import datetime as dt

from conftest import BASE, deal, run

DESIGNATED = {"businesses": [{"name": "Software", "activity": "software"}]}
NON_DESIGNATED = {"businesses": [{"name": "Shops", "activity": "retail"}]}


def act(det, name):  # type: ignore[no-untyped-def]
    return next(a for a in det.acts if a.act == name)


def test_art_26_2_iii_listed_threshold_1pct_now_10pct_before_2020_06_07() -> None:
    d = deal(transaction={"shares_after_pct": 5})
    assert act(run(d), "listed_share_acquisition").status == "yes"
    assert act(run(d, dt.date(2020, 6, 6)), "listed_share_acquisition").status == "no"
    small = deal(transaction={"shares_after_pct": 0.99})
    assert act(run(small), "listed_share_acquisition").status == "no"
    assert act(run(deal(transaction={"shares_after_pct": 1})), "listed_share_acquisition").status == "yes"


def test_closely_related_persons_are_aggregated() -> None:
    """Thresholds count the investor together with its closely related persons (密接関係者)."""
    d = deal(transaction={"shares_after_pct": 0.6, "closely_related_voting_pct": 0.5})
    assert act(run(d), "listed_share_acquisition").status == "yes"


def test_art_26_2_i_unlisted_any_amount_and_specified_acquisition() -> None:
    """Unlisted: one share is enough; from another foreign investor it is a specified acquisition (from 2017-10-01)."""
    d = deal(target={"listed": False}, transaction={"shares_after_pct": 0.1, "acquired_from": "resident"})
    assert act(run(d), "unlisted_share_acquisition").status == "yes"
    spec = deal(target={"listed": False}, transaction={"acquired_from": "foreign_investor"})
    a = act(run(spec), "specified_acquisition")
    assert (a.status, a.covered_as, a.notification) == ("yes", "specified_acquisition", "prior_notification")
    old = run(spec, dt.date(2017, 9, 30))
    assert act(old, "unlisted_share_acquisition").status == "no"


def test_specified_acquisition_outside_the_list_needs_nothing() -> None:
    # Broadcasting is designated but not on the specified-acquisition designated list (a national-security
    # list). Software was used here before; the 2019 IT additions are on that list (MOF release 2019-05-27).
    broadcasting = {"businesses": [{"name": "Broadcasting", "activity": "broadcasting"}]}
    d = deal(target={"listed": False, **broadcasting}, transaction={"acquired_from": "foreign_investor"})
    det = run(d)
    assert act(det, "specified_acquisition").notification == "none"
    assert det.prior_notification_required.status == "no"


def test_unknown_seller_of_unlisted_shares_is_a_fact_needed() -> None:
    d = deal(target={"listed": False}, transaction={"acquired_from": "unknown"})
    a = act(run(d), "unlisted_share_acquisition")
    assert any(f.path == "transaction.acquired_from" for f in a.facts_needed)


def test_consent_to_director_appointment_listed_from_1pct_since_2020() -> None:
    """Art. 26(2)(vi) and Cabinet Order Art. 2: consent to appointing the investor's related person."""
    tx = {"kind": "consent_only", "shares_before_pct": 2, "shares_after_pct": 2,
          "proposals": [{"kind": "director_appointment", "investor_consents": True}]}
    det = run(deal(transaction=tx))
    a = act(det, "consent_director_appointment")
    assert (a.status, a.notification) == ("yes", "prior_notification")
    assert det.exemption.status == "no" and det.must_file.status == "yes"
    assert act(run(deal(transaction=tx), dt.date(2019, 1, 1)), "consent_director_appointment").status == "no"


def test_board_seat_implies_consent_to_appointment() -> None:
    det = run(deal(transaction={"board_seats": 1}))
    assert act(det, "consent_director_appointment").status == "yes"


def test_business_purpose_change_consent_needs_one_third_when_listed() -> None:
    tx = {"kind": "consent_only", "shares_before_pct": 30, "shares_after_pct": 30,
          "proposals": [{"kind": "business_purpose_change", "investor_consents": True}]}
    assert act(run(deal(transaction=tx)), "consent_business_purpose_change").status == "no"
    tx["shares_after_pct"] = tx["shares_before_pct"] = 34
    assert act(run(deal(transaction=tx)), "consent_business_purpose_change").status == "yes"


def _loan(**loan: object) -> dict[str, object]:
    """A loan whose balance after is this loan alone and with no bonds held, unless given."""
    amount = loan.get("amount_jpy", 5_000_000_000)
    return {"kind": "loan", "loan": {"amount_jpy": amount, "term_years": 5, "borrower_liabilities_jpy": 4_000_000_000,
                                     "lender_loan_balance_after_jpy": amount, "lender_bonds_held_jpy": 0, **loan}}


def test_loan_liabilities_base_adds_this_loan_order_art_2_4() -> None:
    """Order on Inward Direct Investment Art. 2(4): the 50% base is last year-end liabilities plus this loan.
    ¥3bn against ¥4bn of liabilities is 3/7 = 42.9%: not inward direct investment (errata 1)."""
    assert act(run(deal(transaction=_loan(amount_jpy=3_000_000_000))), "loan").status == "no"
    covered = act(run(deal(transaction=_loan())), "loan")  # 5/9 = 55.6%
    assert covered.status == "yes"
    assert any("55.55" in r.en for r in covered.reasons)
    assert {"loan_liabilities_share_pct", "loan_liabilities_base_adds_loan"} <= {c.item for c in covered.citations}
    # exactly half of liabilities plus loan is not "more than 50%": 4bn / (4bn + 4bn)
    assert act(run(deal(transaction=_loan(amount_jpy=4_000_000_000))), "loan").status == "no"


def test_loan_balance_test_reads_the_loan_balance_cabinet_order_art_2_14_i() -> None:
    """Cabinet Order Art. 2(14)(i): the loan balance must exceed ¥100m; bonds count only in the 50% test."""
    at_limit = _loan(amount_jpy=100_000_000, borrower_liabilities_jpy=10_000_000, lender_loan_balance_after_jpy=100_000_000,
                     lender_bonds_held_jpy=500_000_000)
    assert act(run(deal(transaction=at_limit)), "loan").status == "no"
    above = {**at_limit, "loan": {**at_limit["loan"], "lender_loan_balance_after_jpy": 100_000_001}}  # type: ignore[dict-item]
    assert act(run(deal(transaction=above)), "loan").status == "yes"
    unknown_balance = _loan(amount_jpy=100_000_000, borrower_liabilities_jpy=10_000_000, lender_loan_balance_after_jpy=None)
    got = act(run(deal(transaction=unknown_balance)), "loan")
    assert got.status == "indeterminate"
    assert "transaction.loan.lender_loan_balance_after_jpy" in {f.path for f in got.facts_needed}


def test_loan_exclusions_cabinet_order_art_2_14() -> None:
    """Excluded: loans by financial institutions in their business (not only banks), and yen loans by a
    resident foreign investor (errata 2)."""
    assert act(run(deal(transaction=_loan(lender_financial_institution_in_business=True))), "loan").status == "no"
    assert act(run(deal(transaction=_loan(ordinary_bank_lending=True))), "loan").status == "no"  # the old field name still reads
    short = _loan(term_years=1)
    assert act(run(deal(transaction=short)), "loan").status == "no"
    unknown = {"kind": "loan", "loan": {"amount_jpy": 3_000_000_000, "term_years": 5}}
    assert act(run(deal(transaction=unknown)), "loan").status == "indeterminate"
    resident = {"entities": [{**BASE["entities"][0], "jurisdiction": "JP", "owners": [{"owner": "parent", "voting_pct": 100}],
                              "owners_complete": True},
                             {"id": "parent", "name": "Parent", "kind": "corporation", "jurisdiction": "US"}]}
    yen = act(run(deal(transaction=_loan(currency="JPY"), **resident)), "loan")
    assert yen.status == "no" and "loan_resident_yen_loans_excluded" in {c.item for c in yen.citations}
    assert act(run(deal(transaction=_loan(currency="USD"), **resident)), "loan").status == "yes"
    open_currency = act(run(deal(transaction=_loan(), **resident)), "loan")
    assert open_currency.status == "indeterminate"
    assert "transaction.loan.currency" in {f.path for f in open_currency.facts_needed}
    assert act(run(deal(transaction=_loan(currency="JPY"))), "loan").status == "yes"  # a non-resident lender's yen loan is covered


def test_joint_voting_consent_ten_percent() -> None:
    tx = {"kind": "consent_only", "shares_before_pct": 3, "shares_after_pct": 3, "joint_voting": {"combined_voting_pct": 12}}
    assert act(run(deal(transaction=tx)), "joint_voting_consent").status == "yes"
    tx["joint_voting"] = {"combined_voting_pct": 9}
    assert act(run(deal(transaction=tx)), "joint_voting_consent").status == "no"


def test_indirect_acquisition_only_after_the_2026_amendment() -> None:
    """2026 amendment: >= 50% of an overseas entity that holds the Japanese company."""
    d = deal(entities=[*deal().model_dump()["entities"], dict(id="hold", name="Hold AG", kind="corporation", jurisdiction="CH")],
             transaction={"kind": "indirect_acquisition", "indirect": {"holding_entity": "hold", "holding_entity_stake_in_target_pct": 20,
                                                                       "acquirer_voting_after_pct": 51}})
    assert act(run(d, dt.date(2026, 6, 5)), "indirect_acquisition").status == "no"  # promulgation day: not in force
    assert act(run(d), "indirect_acquisition").status == "indeterminate"  # inside the window, no cabinet order (errata 15)
    after = run(d, dt.date(2027, 7, 1))
    assert act(after, "indirect_acquisition").status == "yes"
    assert after.must_file.status == "yes"
    assert any(c.item == "indirect_direct_holder_min_listed_pct" for c in after.acts[0].citations)
    under = deal(entities=d.model_dump()["entities"], transaction={"kind": "indirect_acquisition", "indirect": {
        "holding_entity": "hold", "holding_entity_stake_in_target_pct": 20, "acquirer_voting_after_pct": 49}})
    assert act(run(under, dt.date(2027, 7, 1)), "indirect_acquisition").status == "no"


def test_non_designated_target_needs_no_prior_notification() -> None:
    det = run(deal(target=NON_DESIGNATED, transaction={"shares_after_pct": 12}))
    assert det.prior_notification_required.status == "no"
    assert det.post_investment_report.status == "yes"
    det9 = run(deal(target=NON_DESIGNATED, transaction={"shares_after_pct": 9}))
    assert det9.post_investment_report.status == "no"


def test_subsidiary_business_counts_whatever_its_size() -> None:
    d = deal(target={**NON_DESIGNATED, "subsidiaries": [{"name": "Sub", "businesses": [{"name": "Drones", "activity": "aircraft"}]}]})
    assert run(d).target_class.fefta_class == "core"


def test_unknown_subsidiaries_make_class_indeterminate() -> None:
    d = deal(target={**NON_DESIGNATED, "subsidiaries_complete": None})
    det = run(d)
    assert det.target_class.status == "indeterminate"
    assert any(f.path == "target.subsidiaries_complete" for f in det.target_class.facts_needed)
    assert det.prior_notification_required.status == "indeterminate"


def test_joint_voting_consent_listed_only_from_2019_10_26() -> None:
    """Cabinet Order Art. 2 as amended 2019-09-26, in force 2019-10-26; listed companies only (errata 6)."""
    tx = {"kind": "consent_only", "shares_before_pct": 3, "shares_after_pct": 3, "joint_voting": {"combined_voting_pct": 12}}
    assert act(run(deal(transaction=tx), as_of=dt.date(2019, 10, 25)), "joint_voting_consent").status == "no"
    assert act(run(deal(transaction=tx), as_of=dt.date(2019, 10, 26)), "joint_voting_consent").status == "yes"
    unlisted = deal(transaction=tx, target={**BASE["target"], "listed": False})
    assert act(run(unlisted), "joint_voting_consent").status == "no"


def test_voting_rights_and_proxy_of_ten_percent_before_the_one_percent_rule() -> None:
    """Cabinet Order Art. 2 as amended 2019-09-26: voting rights or proxy authority of 10% or more of a
    listed company, from 2019-10-26 until the 1% rule applied on 2020-06-07 (errata 8)."""
    tx = {**BASE["transaction"], "shares_after_pct": 2, "proxy_voting_pct": 9}
    on = run(deal(transaction=tx), as_of=dt.date(2019, 11, 1))
    assert act(on, "listed_voting_acquisition").status == "yes"
    assert act(run(deal(transaction=tx), as_of=dt.date(2019, 10, 25)), "listed_voting_acquisition").status == "no"
    below = {**tx, "proxy_voting_pct": 7.99}
    assert act(run(deal(transaction=below), as_of=dt.date(2019, 11, 1)), "listed_voting_acquisition").status == "no"
    cite = next(c for c in act(on, "listed_voting_acquisition").citations if c.item == "listed_voting_threshold_pct")
    assert cite.effective == dt.date(2019, 10, 26) and "2019-09-26" in cite.ref


def test_citations_name_the_provision_in_force_on_the_date() -> None:
    """Consents are FEFTA Art. 26(2)(v) with Cabinet Order Art. 2(11) (errata 9); a 2008 share purchase
    cites the pre-2019 10% rule with its own dates, not the 2019 amendment (errata 22)."""
    seat = deal(transaction={**BASE["transaction"], "board_seats": 1})
    c = next(c for c in act(run(seat), "consent_director_appointment").citations if c.item == "consent_director_appointment_listed_pct")
    assert "Art. 26(2)(v)" in c.ref and "Art. 2(11)" in c.ref
    old = next(c for c in act(run(deal(), as_of=dt.date(2008, 3, 3)), "listed_share_acquisition").citations
               if c.item == "listed_share_threshold_pct")
    assert old.promulgated is None and old.effective == dt.date(1980, 12, 1) and "10%" in old.ref
    assert "2019" not in (old.promulgated.isoformat() if old.promulgated else "")
