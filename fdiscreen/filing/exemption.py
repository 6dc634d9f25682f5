"""The prior-notification exemption (事前届出免除制度, FEFTA Art. 27-2 and 28-2): is it available,
which kind (包括免除 for foreign financial institutions, 一般免除 for others), and on which conditions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from fdiscreen.filing.acts import ActConclusion
from fdiscreen.filing.conclusion import WHO_ACQUIRER, Conclusion, Reasoning, Status
from fdiscreen.filing.investor import InvestorClassConclusion
from fdiscreen.filing.target import TargetClassConclusion, is_specified_core_business_entity
from fdiscreen.i18n import T, Text, pct
from fdiscreen.model import Deal, FeftaClass, Transaction
from fdiscreen.ownership import Tri
from fdiscreen.regime import Citation, Regime

ExemptionKind = Literal["general", "regular"]
KIND_TEXT = {
    "general": T("general exemption (包括免除) for foreign financial institutions", "包括免除（外国金融機関）"),
    "regular": T("regular exemption (一般免除)", "一般免除"),
}


class ExemptionCondition(BaseModel):
    """A criterion the investor must keep while it relies on the exemption, and whether the deal as
    proposed keeps it."""

    id: str
    group: Literal["basic", "additional", "equivalent"]
    text: Text
    kept_by_deal: Status
    citation: Citation


class ExemptionConclusion(Conclusion):
    eligible: Status = "no"
    needed: bool = False
    kind: ExemptionKind | None = None
    conditions: list[ExemptionCondition] = Field(default_factory=list)


def _none_of(*values: int | bool | None) -> Tri:
    """No: one of the values is present (a seat, an access right); unknown when none is but one is unknown."""
    if any(values):
        return False
    return None if any(v is None for v in values) else True


def _no_officer_seat(tx: Transaction) -> Tri:
    related = any(p.kind == "director_appointment" and p.investor_consents and p.appointee_is_investor_or_related for p in tx.proposals)
    return _none_of(tx.board_seats, tx.auditor_seats, related)


def _no_transfer_proposal(tx: Transaction) -> Tri:
    return not any(p.proposed_by_investor and p.kind in ("designated_business_transfer", "designated_business_abolition")
                   for p in tx.proposals)


CONDITION_TESTS: dict[str, Callable[[Transaction], Tri]] = {
    "no_officer_seat": _no_officer_seat,
    "no_designated_business_transfer_proposal": _no_transfer_proposal,
    "no_nonpublic_technology_access": lambda tx: _none_of(tx.technology_access.non_public_technology_information),
    "no_core_committee_attendance": lambda tx: _none_of(tx.core_committee_attendance),
    "no_deadline_written_proposals": lambda tx: not tx.written_proposals_with_deadline,
    "no_nonpublic_information_access": lambda tx: _none_of(tx.technology_access.any_non_public_information),
    "personnel_limits": lambda tx: _none_of(tx.board_seats, tx.auditor_seats, tx.technology_access.personnel_exchange),
}

GROUP_ITEMS = {"basic": "basic_criteria", "additional": "additional_criteria", "equivalent": "equivalent_extra_criteria"}


def exemption_conditions(deal: Deal, regime: Regime, groups: list[str]) -> list[ExemptionCondition]:
    """The criteria (免除基準) of the given groups in force on the date, each checked against the deal."""
    out = []
    for group in groups:
        item = GROUP_ITEMS[group]
        for entry in regime.value(item) or []:
            kept = CONDITION_TESTS[entry["id"]](deal.transaction)
            status: Status = "yes" if kept is True else "no" if kept is False else "indeterminate"
            out.append(ExemptionCondition(id=entry["id"], group=group, text=T(entry["en"], entry["ja"]),  # type: ignore[arg-type]
                                          kept_by_deal=status, citation=regime.cite(item)))
    return out


def _done(r: Reasoning, status: Status, summary: Text, *, needed: bool = True, kind: ExemptionKind | None = None,
          conditions: list[ExemptionCondition] | None = None) -> ExemptionConclusion:
    return ExemptionConclusion(**r.conclude("exemption", status, summary, eligible=status, needed=needed, kind=kind,
                                            conditions=conditions or []))


def _not_available(r: Reasoning, why_en: str, why_ja: str, *items: str) -> ExemptionConclusion:
    r.say(why_en, why_ja, *items)
    return _done(r, "no", T(f"Exemption not available: {why_en[0].lower()}{why_en[1:]}", f"免除は利用できない：{why_ja}"))


def exemption(deal: Deal, regime: Regime, ic: InvestorClassConclusion, tc: TargetClassConclusion,
              acts: list[ActConclusion]) -> ExemptionConclusion:
    """Can the investor skip prior notification under the exemption, and on what conditions?"""
    r = Reasoning(regime)
    notifiable = [a for a in acts if a.status != "no" and a.notification in ("prior_notification", None)]
    if not notifiable:
        r.say("No act of the deal needs prior notification, so the exemption is not needed.",
              "事前届出を要する行為がないため、免除制度の利用は不要である。")
        return _done(r, "no", T("Not needed: no prior notification.", "不要（事前届出不要）。"), needed=False)
    if not regime.in_force("exemption_scheme"):
        return _not_available(r, "The exemption scheme did not exist on this date (it began on 2020-05-08).",
                              "本基準日には免除制度は存在しない（2020年5月8日施行）。", "exemption_scheme")
    covered = regime.value("exemption_covered_acts") or []
    outside = [a for a in notifiable if a.act not in covered]
    if outside and len(outside) == len(notifiable):
        names_en = "; ".join(a.label.en for a in outside)
        names_ja = "、".join(a.label.ja for a in outside)
        return _not_available(r, f"It covers only share and voting-right acquisitions, not: {names_en}.",
                              f"免除は株式・議決権の取得のみを対象とし、次の行為は対象外：{names_ja}。", "exemption_covered_acts")
    notifiable = [a for a in notifiable if a not in outside]
    blocked = _investor_barred(ic, r)
    if blocked is not None:
        return blocked
    if deal.transaction.purpose_impairs_designated_business and regime.in_force("exemption_bar_impairing_designated_business"):
        return _not_available(r, "The investment aims to make the continuous, stable running of a designated business difficult.",
                              "指定業種に属する事業の継続的かつ安定的な実施を困難にすることを目的とする投資である。",
                              "exemption_bar_impairing_designated_business")
    cls: FeftaClass | None = tc.fefta_class
    conservative = cls is None
    if conservative:
        r.say("The target's class is not settled; the exemption is read as for a core business.",
              "業種区分が未確定のため、コア業種として免除を判断する。")
        cls = "core"
    r.absorb(tc)
    if cls == "core" and not deal.target.listed:
        return _maybe(_not_available(r, "The target is an unlisted company in a core business: no investor may use the exemption.",
                                     "非上場のコア業種会社であり、いずれの投資家も免除を利用できない。", "unlisted_core_exemption"), conservative)
    if any(a.act == "specified_acquisition" for a in notifiable) and tc.specified_acquisition_core is not False:
        return _maybe(_not_available(r, "A specified acquisition of a company in a business on the core list for specified acquisitions can never be exempt.",
                                     "特定取得に係るコア業種を営む会社の特定取得は免除されない。", "specified_acquisition_core_exemption"),
                      conservative or tc.specified_acquisition_core is None)
    equivalent = ic.investor_class == "equivalent_to_specified"
    groups = ["basic"]
    kind: ExemptionKind = "regular"
    if ic.investor_class == "foreign_financial_institution":
        kind = "general"
        r.say("A foreign financial institution may use the general exemption with no upper limit, keeping the basic criteria.",
              "外国金融機関は上限なく包括免除を利用でき、免除基準（基本基準）を遵守する。", "foreign_financial_institution_no_upper_limit")
    elif cls == "core":
        if equivalent:
            sce = is_specified_core_business_entity(deal, r)
            if sce is not False:
                result = _not_available(r, "A person equivalent to a specified foreign investor may not use the exemption for a specified core business entity.",
                                        "特定外国投資家に準ずる者は特定コア事業者への投資に免除を利用できない。", "equivalent_specified_core_entity_excluded")
                return _maybe(result, sce is None or conservative)
        holding = max((a.holding_pct or 0) for a in notifiable)
        below = regime.meets("core_exemption_below_pct", holding)
        if not below:
            return _maybe(_not_available(r, f"In a core business a general investor may use it only below {pct(regime.threshold('core_exemption_below_pct'))}; the holding after the act is {pct(holding)}.",
                                         f"コア業種では一般投資家は{pct(regime.threshold('core_exemption_below_pct'))}未満に限り利用できるが、取得後の比率は{pct(holding)}である。",
                                         "core_exemption_below_pct"), conservative)
        r.say(f"Core business, holding {pct(holding)} below {pct(regime.threshold('core_exemption_below_pct'))}: the regular exemption with the basic and additional criteria.",
              f"コア業種で取得後比率{pct(holding)}は{pct(regime.threshold('core_exemption_below_pct'))}未満：基本基準と上乗せ基準を遵守して一般免除。",
              "core_exemption_below_pct", "additional_criteria")
        groups.append("additional")
        if equivalent:
            groups.append("equivalent")
            r.say("As a person equivalent to a specified foreign investor it must also keep the extra criteria.",
                  "特定外国投資家に準ずる者として追加の基準も遵守する必要がある。", "equivalent_extra_criteria")
    else:
        r.say("Designated (non-core) business: the regular exemption with the basic criteria, no upper limit.",
              "指定業種（コア以外）：上限なく基本基準の遵守により一般免除。", "basic_criteria")
    conditions = exemption_conditions(deal, regime, groups)
    r.cite("basic_criteria")
    result = _judge_conditions(r, kind, conditions, ic)
    if outside:
        names_en = "; ".join(a.label.en for a in outside)
        names_ja = "、".join(a.label.ja for a in outside)
        result.reasons.append(T(f"Whatever the share purchase, the exemption does not cover: {names_en}; that act must be notified.",
                                f"株式取得とは別に、次の行為は免除の対象外であり届出を要する：{names_ja}。"))
        result.citations.append(regime.cite("exemption_covered_acts"))
        result.status = result.eligible = "no"
        result.summary = T(f"Exemption not available: the deal includes an act it does not cover ({names_en}).",
                           f"免除は利用できない：免除対象外の行為（{names_ja}）を含む。")
    return _maybe(result, conservative)


def _investor_barred(ic: InvestorClassConclusion, r: Reasoning) -> ExemptionConclusion | None:
    r.absorb(ic)
    barred = {"violator": "violator_excluded", "foreign_government": "foreign_government_excluded",
              "specified_foreign_investor": "specified_foreign_investor_excluded"}
    if ic.investor_class in barred and ic.status == "yes":
        return _not_available(r, f"{ic.summary.en} cannot use the exemption.", f"{ic.summary.ja}は免除を利用できない。",
                              barred[ic.investor_class])
    return None


def _judge_conditions(r: Reasoning, kind: ExemptionKind, conditions: list[ExemptionCondition],
                      ic: InvestorClassConclusion) -> ExemptionConclusion:
    breached = [c for c in conditions if c.kept_by_deal == "no"]
    unknown = [c for c in conditions if c.kept_by_deal == "indeterminate"]
    if breached:
        en = "; ".join(c.text.en for c in breached)
        ja = "、".join(c.text.ja for c in breached)
        r.say(f"The deal as proposed breaches: {en}.", f"提案された取引は次の基準に反する：{ja}。")
        return _done(r, "no", T(f"Exemption not available as proposed (breaches {len(breached)} criterion/criteria); it would be with the terms changed.",
                                f"提案内容では免除は利用できない（{len(breached)}件の基準に抵触）。条件を変更すれば利用可能。"),
                     kind=kind, conditions=conditions)
    for c in unknown:
        r.need("transaction.technology_access", T(f"Will the investor keep this criterion: {c.text.en}?", f"投資家は次の基準を遵守するか：{c.text.ja}？"),
               T("assume it will not: file a prior notification", "遵守しないものとして事前届出を行う"), WHO_ACQUIRER)
    status: Status = "indeterminate" if unknown or ic.status == "indeterminate" else "yes"
    summary = T(f"Exemption available: {KIND_TEXT[kind].en}, on {len(conditions)} conditions the investor must keep.",
                f"免除利用可：{KIND_TEXT[kind].ja}（遵守すべき基準{len(conditions)}件）。")
    if status == "indeterminate":
        summary = T(f"Exemption probably available ({KIND_TEXT[kind].en}) once open facts are confirmed.",
                    f"未確定事項の確認を条件に免除が利用できる見込み（{KIND_TEXT[kind].ja}）。")
    return _done(r, status, summary, kind=kind, conditions=conditions)


def _maybe(result: ExemptionConclusion, conservative: bool) -> ExemptionConclusion:
    """A 'no' reached only on a conservative reading of an unknown fact is indeterminate."""
    if conservative and result.status == "no":
        result.status = result.eligible = "indeterminate"
    return result
