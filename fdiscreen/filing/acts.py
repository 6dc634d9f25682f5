"""Which acts of the deal are inward direct investment etc. (対内直接投資等, Art. 26(2)) or a
specified acquisition (特定取得, Art. 26(3)), and what each needs given the target's class."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from fdiscreen.filing.conclusion import WHO_ACQUIRER, WHO_TARGET, Conclusion, Reasoning, Status, status_of
from fdiscreen.filing.related import holding_with_related
from fdiscreen.filing.target import TargetClassConclusion
from fdiscreen.i18n import T, Text, pct
from fdiscreen.model import Deal, FeftaClass, ShareholderProposal
from fdiscreen.ownership import Tri, is_home
from fdiscreen.regime import Regime

CoveredAs = Literal["inward_direct_investment", "specified_acquisition"]
Notification = Literal["prior_notification", "post_investment_report", "none"]


class ActConclusion(Conclusion):
    act: str
    label: Text
    covered_as: CoveredAs | None = None
    holding_pct: float | None = None
    threshold_pct: float | None = None
    exemptable: bool = False
    notification: Notification | None = None


ACT_LABELS = {
    "listed_share_acquisition": T("Acquisition of listed shares", "上場会社等の株式の取得"),
    "listed_voting_acquisition": T("Acquisition of voting rights (incl. discretionary voting authority) in a listed company", "上場会社等の議決権の取得（議決権行使等権限を含む）"),
    "unlisted_share_acquisition": T("Acquisition of unlisted shares", "非上場会社の株式・持分の取得"),
    "specified_acquisition": T("Specified acquisition (unlisted shares from another foreign investor)", "特定取得（外国投資家からの非上場株式の取得）"),
    "consent_director_appointment": T("Consent to a proposal appointing the investor or a closely related person as director or auditor", "自己又は密接関係者の取締役・監査役選任議案への同意"),
    "consent_business_purpose_change": T("Consent to a substantial change of business purpose", "事業目的の実質的な変更への同意"),
    "consent_designated_business_transfer": T("Consent to a proposal to transfer or abolish a designated-sector business", "指定業種に属する事業の譲渡・廃止議案への同意"),
    "loan": T("Loan of over one year", "1年超の金銭の貸付け"),
    "joint_voting_consent": T("Obtaining consent to exercise voting rights jointly", "共同議決権行使同意取得"),
    "branch_establishment": T("Establishing a branch, factory or office in Japan", "支店・工場等の設置"),
    "indirect_acquisition": T("Indirect acquisition through an overseas holding entity", "海外の直接保有者を通じた間接取得"),
    "former_resident_share_transfer": T("Transfer, by a non-resident individual to a foreign investor, of unlisted shares held since before becoming non-resident",
                                        "非居住者となる以前から引き続き所有する非上場株式の非居住者個人から外国投資家への譲渡"),
}


def _holding(deal: Deal, regime: Regime, base: float | None, r: Reasoning, item: str | None = None) -> float | None:
    """Post-act holding with closely related persons (密接関係者, Cabinet Order Art. 2), as the thresholds
    require; the reasons in ``r`` name whose holdings were added (``item``: the threshold they are tested against)."""
    return holding_with_related(deal, regime, base, r, item)


def _notification(covered: CoveredAs | None, cls: FeftaClass | None, spec_listed: bool | None) -> Notification | None:
    """What a covered act needs given the target's class: designated/core -> prior notification."""
    if covered is None:
        return "none"
    if covered == "specified_acquisition":
        return None if spec_listed is None else ("prior_notification" if spec_listed else "none")
    if cls is None:
        return None
    return "post_investment_report" if cls == "non_designated" else "prior_notification"


def _act(r: Reasoning, act: str, status: Tri, covered: CoveredAs | None, tc: TargetClassConclusion,
         holding: float | None = None, threshold: Fraction | None = None, exemptable: bool = False) -> ActConclusion:
    notice = _notification(covered, tc.fefta_class, tc.specified_acquisition_listed) if status is not False else "none"
    label = ACT_LABELS[act]
    summary = {True: T(f"{label.en}: covered.", f"{label.ja}：対象。"), False: T(f"{label.en}: not covered.", f"{label.ja}：対象外。"),
               None: T(f"{label.en}: indeterminate.", f"{label.ja}：未確定。")}[status]
    return ActConclusion(**r.conclude(act, status_of(status), summary, act=act, label=label, covered_as=covered if status is not False else None,
                                      holding_pct=holding, threshold_pct=None if threshold is None else float(threshold),
                                      exemptable=exemptable, notification=notice))


def listed_share_acquisition(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> list[ActConclusion]:
    """Art. 26(2)(iii)/(iv): listed shares or voting rights reaching the threshold after the act."""
    tx = deal.transaction
    out = []
    r = Reasoning(regime)
    held = _holding(deal, regime, tx.shares_after_pct, r, "listed_share_threshold_pct")
    limit = regime.threshold("listed_share_threshold_pct")
    met = regime.meets("listed_share_threshold_pct", held)
    if held is None:
        r.need("transaction.shares_after_pct", T("What will the investor's shareholding be after the acquisition?", "取得後の出資比率は？"),
               T("assume the threshold is reached", "基準に達するものとして扱う"), WHO_ACQUIRER)
    else:
        r.say(f"After the act the investor and its closely related persons hold {pct(held)} of the listed shares; the threshold on this date is {pct(limit)}.",
              f"取得後、投資家及び密接関係者の出資比率は{pct(held)}であり、本基準日の基準は{pct(limit)}である。",
              "listed_share_threshold_pct")
    out.append(_act(r, "listed_share_acquisition", met, "inward_direct_investment", tc, held, limit, exemptable=True))
    voting = tx.voting_after_pct if tx.voting_after_pct is not None else None
    proxy = tx.proxy_voting_pct
    if (voting is not None and voting != tx.shares_after_pct) or proxy:
        rv = Reasoning(regime)
        vheld = _holding(deal, regime, (voting if voting is not None else (tx.shares_after_pct or 0)) + (proxy or 0), rv,
                         "listed_voting_threshold_pct")
        vlimit = regime.threshold("listed_voting_threshold_pct")
        if vlimit is None:
            rv.say("Acquiring voting rights as such was not a covered act on this date.", "本基準日には議決権の取得は対象行為ではない。",
                   "listed_voting_threshold_pct")
            vmet: Tri = False
        else:
            vmet = regime.meets("listed_voting_threshold_pct", vheld)
            rv.say(f"Voting rights (incl. proxy or discretionary authority) after the act: {pct(vheld)}; threshold {pct(vlimit)}.",
                   f"取得後の議決権（代理行使・議決権行使等権限を含む）：{pct(vheld)}、基準{pct(vlimit)}。",
                   "listed_voting_threshold_pct")
        out.append(_act(rv, "listed_voting_acquisition", vmet, "inward_direct_investment", tc, vheld, vlimit, exemptable=True))
    return out


def unlisted_share_acquisition(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> ActConclusion:
    """Art. 26(2)(i): any acquisition of unlisted shares; from another foreign investor it is instead a
    specified acquisition (Art. 26(3), from 2017-10-01)."""
    tx = deal.transaction
    r = Reasoning(regime)
    held = _holding(deal, regime, tx.shares_after_pct, r)
    if tx.shares_after_pct is not None and tx.shares_after_pct <= tx.shares_before_pct:
        r.say("No shares change hands.", "株式の取得はない。")
        return _act(r, "unlisted_share_acquisition", False, None, tc, held)
    r.cite("unlisted_share_any_amount")
    specified = regime.in_force("specified_acquisition_in_force")
    if tx.acquired_from == "foreign_investor":
        if specified:
            r.say("The shares are bought from another foreign investor: a specified acquisition.",
                  "他の外国投資家からの取得であり、特定取得に該当する。", "specified_acquisition_in_force")
            return _act(r, "specified_acquisition", True, "specified_acquisition", tc, held, exemptable=True)
        r.say("Before 2017-10-01 an acquisition of unlisted shares from another foreign investor was not covered.",
              "2017年10月1日より前は、外国投資家からの非上場株式の取得は対象外であった。", "specified_acquisition_in_force")
        return _act(r, "unlisted_share_acquisition", False, None, tc, held)
    if tx.acquired_from == "unknown":
        r.say("Any acquisition of unlisted shares is covered; whether it is inward direct investment or a specified acquisition depends on the seller.",
              "非上場株式の取得は一株でも対象となる。対内直接投資等か特定取得かは売主による。")
        r.need("transaction.acquired_from", T("Who sells the shares: a resident, or another foreign investor?", "売主は居住者か、他の外国投資家か？"),
               T("treat as inward direct investment (the broader rule)", "対内直接投資等として扱う（より広い規律）"), WHO_ACQUIRER)
        return _act(r, "unlisted_share_acquisition", True, "inward_direct_investment", tc, held, exemptable=True)
    r.say("Any acquisition of unlisted shares from a non-foreign holder is inward direct investment.",
          "外国投資家以外からの非上場株式の取得は、一株でも対内直接投資等に該当する。")
    return _act(r, "unlisted_share_acquisition", True, "inward_direct_investment", tc, held, exemptable=True)


def _implied_proposals(deal: Deal) -> list[ShareholderProposal]:
    tx = deal.transaction
    props = list(tx.proposals)
    seats = (tx.board_seats or 0) + (tx.auditor_seats or 0)  # unknown seats imply no consent act; the share act still decides
    if seats and not any(p.kind == "director_appointment" for p in props):
        props.append(ShareholderProposal(kind="director_appointment", investor_consents=True, appointee_is_investor_or_related=True))
    return props


CONSENT_RULES = {
    "director_appointment": ("consent_director_appointment", "consent_director_appointment_listed_pct"),
    "business_purpose_change": ("consent_business_purpose_change", "consent_business_purpose_change_listed_pct"),
    "designated_business_transfer": ("consent_designated_business_transfer", "consent_designated_business_transfer_listed_pct"),
    "designated_business_abolition": ("consent_designated_business_transfer", "consent_designated_business_transfer_listed_pct"),
}


def consent_acts(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> list[ActConclusion]:
    """Art. 26(2)(v) and Cabinet Order Art. 2(11) (before 2020-05-08, Art. 26(2)(iv), business-purpose
    changes only): consents to shareholders' meeting proposals. Board or auditor seats are filled by an
    election the investor votes for, so seats imply a consent."""
    out: dict[str, ActConclusion] = {}
    for p in _implied_proposals(deal):
        act, item = CONSENT_RULES[p.kind]
        if act in out or not p.investor_consents:
            continue
        r = Reasoning(regime)
        limit = regime.threshold(item)
        if limit is None:
            r.say("This consent was not a covered act on this date.", "本基準日には当該同意は対象行為ではない。", item)
            out[act] = _act(r, act, False, None, tc)
            continue
        if p.kind == "director_appointment" and not p.appointee_is_investor_or_related:
            r.say("The appointee is neither the investor nor its closely related person.", "被選任者は投資家又はその密接関係者ではない。", item)
            out[act] = _act(r, act, False, None, tc)
            continue
        held = _holding(deal, regime, deal.transaction.voting_after, r, item)
        if deal.target.listed:
            met = regime.meets(item, held)
            r.say(f"The investor (with closely related persons) holds {pct(held)} of the votes; consent is covered from {pct(limit)}.",
                  f"投資家（密接関係者を含む）の議決権は{pct(held)}であり、{pct(limit)}以上で同意が対象となる。", item)
        else:
            met = True
            r.say("For an unlisted company the consent is covered at any holding.", "非上場会社では保有比率にかかわらず同意が対象となる。", item)
        if ((deal.transaction.board_seats or 0) + (deal.transaction.auditor_seats or 0)) and p.kind == "director_appointment":
            r.say("The seats sought will be filled by a shareholders' meeting election the investor consents to.",
                  "求める役員ポストは、投資家が同意する株主総会の選任議案により充足される。")
        out[act] = _act(r, act, met, "inward_direct_investment", tc, held, limit)
    return list(out.values())


def loan_act(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> ActConclusion | None:
    """Art. 26(2)(vii), Cabinet Order Art. 2(14): a loan of over one year whose balance after the loan
    exceeds ¥100m and whose balance plus bonds held exceeds half the borrower's liabilities plus this loan
    (Order Art. 2(4)); yen loans by resident foreign investors and loans by financial institutions in
    their business are excluded."""
    loan = deal.transaction.loan
    if loan is None:
        return None
    r = Reasoning(regime)
    if loan.lender_financial_institution_in_business and regime.in_force("loan_financial_institution_excluded"):
        r.say("A loan made by a financial institution in its business is excluded.", "金融機関がその業務として行う貸付けは除かれる。",
              "loan_financial_institution_excluded")
        return _act(r, "loan", False, None, tc)
    excluded = _resident_yen_loan(deal, regime, r)
    if excluded is True:
        return _act(r, "loan", False, None, tc)
    term = regime.meets("loan_min_term_years", loan.term_years)
    r.say(f"Term {loan.term_years:g} years (covered above {regime.value('loan_min_term_years')} year).",
          f"期間{loan.term_years:g}年（{regime.value('loan_min_term_years')}年超が対象）。", "loan_min_term_years")
    met = _and(None if excluded is None else True, term, loan_balance_test(deal, regime, r), loan_liabilities_test(deal, regime, r))
    return _act(r, "loan", met, "inward_direct_investment", tc)


def _resident_yen_loan(deal: Deal, regime: Regime, r: Reasoning) -> Tri:
    """Is this a yen loan by a resident foreign investor (居住者外国投資家), which is excluded?"""
    loan = deal.transaction.loan
    assert loan is not None
    lender = deal.entity(deal.acquirer)
    resident = lender.resident_in_japan if lender.kind == "individual" else is_home(lender, regime)
    if not resident or not regime.in_force("loan_resident_yen_loans_excluded"):
        return False
    if loan.currency is None:
        r.need("transaction.loan.currency", T("In which currency is the loan made? (A yen loan by a resident foreign investor is excluded.)",
                                              "貸付けの通貨は何か（居住者外国投資家による本邦通貨建ての貸付けは除かれる）？"),
               T("treat it as a foreign-currency loan (covered)", "外貨建て（対象）として扱う"), WHO_ACQUIRER)
        return None
    if loan.currency.upper() == "JPY":
        r.say(f"{lender.name} is a resident foreign investor lending in yen: the loan is excluded.",
              f"{lender.name}は居住者外国投資家であり、本邦通貨による貸付けは除かれる。", "loan_resident_yen_loans_excluded")
        return True
    r.say(f"{lender.name} is a resident foreign investor, but the loan is in {loan.currency.upper()}, not yen: not excluded.",
          f"{lender.name}は居住者外国投資家であるが、貸付けは本邦通貨ではなく{loan.currency.upper()}建てであり、除外されない。",
          "loan_resident_yen_loans_excluded")
    return False


def loan_balance_test(deal: Deal, regime: Regime, r: Reasoning) -> Tri:
    """Cabinet Order Art. 2(14)(i), Order Art. 2(1): the lender's loan balance after the loan exceeds ¥100m."""
    loan = deal.transaction.loan
    assert loan is not None
    limit = regime.value("loan_min_balance_jpy")
    balance = loan.lender_loan_balance_after_jpy if loan.lender_loan_balance_after_jpy is not None else loan.amount_jpy
    met = regime.meets("loan_min_balance_jpy", balance)
    r.say(f"Loan balance after the loan ¥{balance:,} (covered above ¥{limit:,}).",
          f"貸付け後の貸付残高{balance:,}円（{limit:,}円超が対象）。", "loan_min_balance_jpy")
    if loan.lender_loan_balance_after_jpy is None and not met:
        r.need("transaction.loan.lender_loan_balance_after_jpy",
               T("What is the lender's total loan balance to the borrower after this loan (earlier loans included)?",
                 "本件貸付け後の貸付人から借入先への貸付残高（既存の貸付けを含む）は？"),
               T("assume earlier loans take it above the threshold", "既存の貸付けにより基準を超えるものとして扱う"), WHO_ACQUIRER)
        return None
    return met


def loan_liabilities_test(deal: Deal, regime: Regime, r: Reasoning) -> Tri:
    """Cabinet Order Art. 2(14)(ii), Order Art. 2(4): loan balance plus the borrower's bonds the lender
    holds exceed 50% of the liabilities at the last fiscal year-end plus this loan."""
    loan = deal.transaction.loan
    assert loan is not None
    liabilities = loan.borrower_liabilities_jpy if loan.borrower_liabilities_jpy is not None else deal.target.total_liabilities_jpy
    if liabilities is None:
        r.need("transaction.loan.borrower_liabilities_jpy",
               T("What liabilities did the borrower's balance sheet show at the end of the fiscal year before the loan?",
                 "借入先の貸付日の属する事業年度の直前事業年度末の貸借対照表の負債の額は？"),
               T("assume the loan exceeds the liabilities test", "負債割合の基準を超えるものとして扱う"), WHO_TARGET)
        return None
    balance = loan.lender_loan_balance_after_jpy if loan.lender_loan_balance_after_jpy is not None else loan.amount_jpy
    bonds = loan.lender_bonds_held_jpy or 0
    base = liabilities + loan.amount_jpy if regime.in_force("loan_liabilities_base_adds_loan") else liabilities
    if base == 0:
        return True
    ratio = Fraction((balance + bonds) * 100, base)
    met = regime.meets("loan_liabilities_share_pct", ratio)
    limit = pct(regime.threshold("loan_liabilities_share_pct"))
    r.say(f"Loan balance ¥{balance:,} plus bonds held ¥{bonds:,} is {pct(float(ratio))} of the borrower's liabilities "
          f"(¥{liabilities:,} at the last fiscal year-end plus this loan of ¥{loan.amount_jpy:,}); covered above {limit}.",
          f"貸付残高{balance:,}円と保有社債{bonds:,}円の合計は、借入先の負債の額（直前事業年度末の負債{liabilities:,}円に本件貸付額"
          f"{loan.amount_jpy:,}円を合算した額）の{pct(float(ratio))}（{limit}超が対象）。",
          "loan_liabilities_share_pct", "loan_liabilities_base_adds_loan")
    unknown = [p for p, v in (("lender_loan_balance_after_jpy", loan.lender_loan_balance_after_jpy),
                              ("lender_bonds_held_jpy", loan.lender_bonds_held_jpy)) if v is None]
    if met or not unknown:
        return met
    for path in unknown:
        r.need(f"transaction.loan.{path}",
               T("Does the lender hold earlier loans to, or bonds of, the borrower? Give the totals after this loan.",
                 "貸付人は借入先に対する既存の貸付け又は借入先の社債を保有しているか。本件貸付け後の合計額は？"),
               T("assume they take it above half the liabilities", "負債の50%を超えるものとして扱う"), WHO_ACQUIRER)
    return None


def _and(*vals: Tri) -> Tri:
    if any(v is False for v in vals):
        return False
    return True if all(v is True for v in vals) else None


def joint_voting_act(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> ActConclusion | None:
    """Cabinet Order Art. 2 (from 2019-10-26): obtaining other holders' consent to exercise votes jointly
    as shareholders of a listed company (共同議決権行使同意取得), when the combined votes reach the threshold.
    Listed companies only."""
    jv = deal.transaction.joint_voting
    if jv is None:
        return None
    r = Reasoning(regime)
    limit = regime.threshold("joint_voting_consent_listed_pct")
    if limit is None:
        r.say("Joint-voting consent was not a covered act on this date.", "本基準日には共同議決権行使同意取得は対象行為ではない。",
              "joint_voting_consent_listed_pct")
        return _act(r, "joint_voting_consent", False, None, tc)
    if not deal.target.listed:
        r.say("Consent to joint voting is covered only for listed companies; the target is unlisted.",
              "共同議決権行使同意取得は上場会社等に限り対象となるが、発行会社は非上場である。", "joint_voting_consent_listed_pct")
        return _act(r, "joint_voting_consent", False, None, tc)
    met = regime.meets("joint_voting_consent_listed_pct", jv.combined_voting_pct)
    r.say(f"Combined votes under the agreement: {pct(jv.combined_voting_pct)} (threshold {pct(limit)}).",
          f"合意に係る合計議決権：{pct(jv.combined_voting_pct)}（基準{pct(limit)}）。", "joint_voting_consent_listed_pct")
    return _act(r, "joint_voting_consent", met, "inward_direct_investment", tc, jv.combined_voting_pct, limit)


def branch_act(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> ActConclusion:
    """Art. 26(2)(vi) (item (v) before 2020-05-08): a non-resident individual or foreign entity
    establishing a branch, factory or other office in Japan."""
    r = Reasoning(regime)
    acq = deal.entity(deal.acquirer)
    foreign_own = acq.kind == "individual" and acq.resident_in_japan is False or not is_home(acq, regime)
    r.say("A foreign entity or non-resident individual establishing a branch, factory or office in Japan is inward direct investment.",
          "外国法人等又は非居住者個人による本邦における支店等の設置は対内直接投資等に該当する。", "branch_establishment_covered")
    return _act(r, "branch_establishment", bool(regime.in_force("branch_establishment_covered") and foreign_own),
                "inward_direct_investment", tc)


def indirect_acquisition_act(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> ActConclusion | None:
    """2026 amendment (間接取得, a new item of Art. 26(2)): acquiring 50% or more of the voting rights of
    an overseas entity (直接保有者) that holds the Japanese company at or above the proportion the
    cabinet order will fix. Judged on the deal date (closing date, else as-of date); inside the window
    in which the cabinet order may bring it into force, both readings are given. The proportion, the
    sectors, the investors, "newly reaching", the exemption and reports rest on the cabinet order and
    are labelled assumptions."""
    from fdiscreen.filing.amendment import (PENDING, amended_law, amendment_timing, cite_timing, effective_phrase, record_use,
                                            say_both_readings, say_window)

    ind = deal.transaction.indirect
    if ind is None:
        return None
    r = Reasoning(regime)
    holder = deal.entity(ind.holding_entity)
    timing = amendment_timing(deal, regime)
    cite_timing(r, timing)
    outside = T(f"buying {holder.name}, an overseas entity, is not inward direct investment.",
                f"海外法人{holder.name}の取得は対内直接投資等に該当しない。")
    if timing.in_force is False:
        how = effective_phrase(timing)
        r.say(f"On the deal date ({timing.deal_date}) the 2026 amendment that covers indirect acquisitions is not in force ({how.en}): {outside.en}",
              f"本件の実行日（{timing.deal_date}）には間接取得を対象とする2026年改正は未施行である（{how.ja}）：{outside.ja}",
              "indirect_acquisition")
        return _act(r, "indirect_acquisition", False, None, tc)
    law = amended_law(regime, timing)
    a = Reasoning(law)
    a.cite("indirect_acquisition")
    limit = law.threshold("indirect_holding_entity_voting_pct")
    new_control = law.meets("indirect_holding_entity_voting_pct", ind.acquirer_voting_after_pct)
    before = law.meets("indirect_holding_entity_voting_pct", ind.acquirer_voting_before_pct)
    newly = _and(new_control, None if before is None else not before) if law.value("indirect_acquisition_newly_reaching_only") else new_control
    officer = bool(ind.related_persons_take_officer_majority and law.in_force("indirect_officer_majority_limb"))
    item = "indirect_direct_holder_min_listed_pct" if deal.target.listed else "indirect_direct_holder_min_unlisted_pct"
    stake = ind.holding_entity_stake_in_target_pct
    holds_enough = law.meets(item, stake)
    if stake is None:
        a.need("transaction.indirect.holding_entity_stake_in_target_pct",
               T(f"What share of {deal.target.name} does {holder.name} hold?", f"{holder.name}は{deal.target.name}の何％を保有しているか？"),
               T("assume it meets the proportion", "基準割合を満たすものとして扱う"), WHO_ACQUIRER)
    a.say(f"The acquirer goes from {pct(ind.acquirer_voting_before_pct)} to {pct(ind.acquirer_voting_after_pct)} of {holder.name}'s voting rights (the Act covers reaching {pct(limit)}).",
          f"取得者は{holder.name}の議決権を{pct(ind.acquirer_voting_before_pct)}から{pct(ind.acquirer_voting_after_pct)}へ取得する（法は{pct(limit)}以上の取得を対象とする）。",
          "indirect_holding_entity_voting_pct")
    a.say(f"Only newly reaching {pct(limit)} is taken as covered ({PENDING.en}).", f"新たに{pct(limit)}以上となる場合のみ対象とする（{PENDING.ja}）。",
          "indirect_acquisition_newly_reaching_only")
    a.say(f"{holder.name} holds {pct(stake)} of {deal.target.name}; the proportion the direct holding entity must hold is taken as {pct(law.threshold(item))} ({PENDING.en}).",
          f"{holder.name}は{deal.target.name}の{pct(stake)}を保有する。直接保有者の保有割合の基準は{pct(law.threshold(item))}とする（{PENDING.ja}）。", item)
    if officer:
        a.say(f"The acquirer's related persons will also take a majority of the holding entity's officers (second limb, {PENDING.en}).",
              f"取得者の関係者が直接保有者の役員の過半数を占める（第二類型、{PENDING.ja}）。", "indirect_officer_majority_limb")
    a.say(f"The same rule is applied to every investor; the cabinet order is expected to treat high-risk investors more broadly and others more narrowly ({PENDING.en}).",
          f"全ての投資家に同一の規則を適用する。政令は高リスク投資家を広く、その他を狭く対象とする見込みである（{PENDING.ja}）。",
          "indirect_high_risk_differentiation")
    if tc.fefta_class != "non_designated":
        a.say(f"A company in a designated business is taken to call for prior notification of an indirect acquisition, as of a direct one, with no exemption ({PENDING.en}).",
              f"指定業種を営む会社については、直接取得と同様に間接取得にも事前届出を要し、免除制度は利用できないものとする（{PENDING.ja}）。",
              "indirect_acquisition_notification_follows_target_class", "indirect_acquisition_exemption_available")
    if tc.fefta_class != "designated" and tc.fefta_class != "core":
        a.say(f"A company in no designated business is taken to call for a post-investment report of an indirect acquisition ({PENDING.en}).",
              f"指定業種以外の会社については、間接取得に事後報告を要するものとする（{PENDING.ja}）。", "indirect_acquisition_non_designated_report")
    met = _and(True if officer else newly, holds_enough)
    exemptable = bool(law.value("indirect_acquisition_exemption_available"))
    record_use(regime, law)
    if timing.in_force is None:
        say_window(r, timing)
    r.absorb(a, reasons=True)
    status: Tri = met
    if timing.in_force is None:
        covered = {True: T("it is inward direct investment.", "対内直接投資等に該当する。"),
                   None: T("whether it is inward direct investment turns on the facts to confirm.", "対内直接投資等に該当するかは確認事項による。"),
                   False: T("it is not inward direct investment either.", "その場合も対内直接投資等に該当しない。")}[met]
        say_both_readings(r, timing, covered, outside, decisive=met is not False)
        status = False if met is False else None
    return _act(r, "indirect_acquisition", status, "inward_direct_investment", tc, ind.acquirer_voting_after_pct, limit, exemptable=exemptable)


def former_resident_transfer_act(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> ActConclusion:
    """Art. 26(2)(ii): a non-resident individual transfers, to a foreign investor, shares of an unlisted
    company that it has held since before it became non-resident."""
    r = Reasoning(regime)
    t = deal.transaction.former_resident_transfer
    assert t is not None
    r.cite("former_resident_transfer_covered")
    acq = deal.entity(deal.acquirer)
    if not regime.in_force("former_resident_transfer_covered"):
        return _act(r, "former_resident_share_transfer", False, None, tc)
    if deal.target.listed:
        r.say("The shares are listed; item (ii) covers only shares of unlisted companies.", "上場株式であり、第2号は非上場会社の株式に限られる。")
        return _act(r, "former_resident_share_transfer", False, None, tc)
    individual: Tri = acq.kind == "individual" and (None if acq.resident_in_japan is None else not acq.resident_in_japan)
    if acq.kind == "individual" and acq.resident_in_japan is None:
        r.need(f"entities[{deal.entity_index(acq.id)}].resident_in_japan", T(f"Is {acq.name} a non-resident of Japan?", f"{acq.name}は非居住者か？"),
               T("treat as non-resident", "非居住者として扱う"), WHO_ACQUIRER)
    for path, value, question in (
            ("held_since_before_non_resident", t.held_since_before_non_resident,
             T("Has the transferor held the shares since before becoming non-resident?", "譲渡人は非居住者となる以前から株式を引き続き所有しているか？")),
            ("transferee_foreign_investor", t.transferee_foreign_investor, T("Is the transferee a foreign investor?", "譲受人は外国投資家か？"))):
        if value is None:
            r.need(f"transaction.former_resident_transfer.{path}", question, T("assume yes (covered)", "該当するものとして扱う"), WHO_ACQUIRER)
    met = _and(individual, t.held_since_before_non_resident, t.transferee_foreign_investor)
    r.say(f"{acq.name}, a non-resident individual, transfers unlisted shares held since before becoming non-resident to a foreign investor."
          if met else "Item (ii) needs a non-resident individual transferring to a foreign investor unlisted shares held since before becoming non-resident.",
          f"非居住者である個人{acq.name}が、非居住者となる以前から引き続き所有する非上場株式を外国投資家に譲渡する。"
          if met else "第2号は、非居住者個人が非居住者となる以前から所有する非上場株式を外国投資家に譲渡する場合に限られる。")
    return _act(r, "former_resident_share_transfer", met, "inward_direct_investment", tc)


def covered_acts(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> list[ActConclusion]:
    """Every act of the deal tested against Art. 26(2)-(3)."""
    tx = deal.transaction
    acts: list[ActConclusion] = []
    if tx.kind == "share_acquisition":
        acts += listed_share_acquisition(deal, regime, tc) if deal.target.listed else [unlisted_share_acquisition(deal, regime, tc)]
    if tx.kind == "branch_establishment":
        acts.append(branch_act(deal, regime, tc))
    if tx.kind == "former_resident_share_transfer":
        acts.append(former_resident_transfer_act(deal, regime, tc))
    acts += consent_acts(deal, regime, tc)
    for extra in (loan_act(deal, regime, tc), joint_voting_act(deal, regime, tc), indirect_acquisition_act(deal, regime, tc)):
        if extra is not None:
            acts.append(extra)
    return acts


def within_deemed_scope(acts: list[ActConclusion], regime: Regime, deemed: bool) -> list[ActConclusion]:
    """FEFTA Art. 27(14): an acquirer that is a foreign investor only by the nominee rule (みなし外国投資家)
    is one for the kinds of act the rule reaches on the date (inward direct investment; specified
    acquisitions too once the 2026 amendment is in force); its other acts are not covered."""
    if not deemed:
        return acts
    scope = regime.value("deemed_foreign_investor_scope") or []
    out = []
    for a in acts:
        if a.status == "no" or a.covered_as is None or a.covered_as in scope:
            out.append(a)
            continue
        r = Reasoning(regime)
        r.say(f"{a.label.en}: the acquirer is a foreign investor only by the nominee rule, which on this date reaches {', '.join(scope)} only; this act is not covered.",
              f"{a.label.ja}：取得者は名義によらない取得に関するみなし規定によってのみ外国投資家とされ、本基準日における同規定の対象は対内直接投資等に限られるため、本行為は対象外。",
              "deemed_foreign_investor_scope")
        out.append(a.model_copy(update={"status": "no", "notification": "none", "covered_as": None,
                                        "reasons": [*a.reasons, *r.reasons], "citations": [*a.citations, *r.citations],
                                        "summary": T(f"{a.label.en}: not covered (nominee rule does not reach it).", f"{a.label.ja}：対象外（みなし規定の対象外）。")}))
    return out


def combine(statuses: list[Status]) -> Status:
    """Three-valued OR over statuses."""
    if "yes" in statuses:
        return "yes"
    return "indeterminate" if "indeterminate" in statuses else "no"
