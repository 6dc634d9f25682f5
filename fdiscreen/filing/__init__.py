"""The filing determination: one small function per legal test, combined into a Determination."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from fdiscreen.columns import DealTable
from fdiscreen.filing.acts import ActConclusion, combine, covered_acts_of, within_deemed_scope
from fdiscreen.filing.amendment import (AmendmentConclusion, amendments_of, both_readings_note, label_exemptions, label_reports,
                                        outcome_note)
from fdiscreen.filing.conclusion import Conclusion, FactNeeded, Reasoning, Status
from fdiscreen.filing.exemption import ExemptionConclusion, exemptions_of
from fdiscreen.filing.investor import (DealRows, ForeignInvestorConclusion, InvestorClassConclusion, deal_rows,
                                       investor_class, is_foreign_investor)
from fdiscreen.filing.reports import ReportConclusion, WaitingPeriodConclusion, reports_of, waiting_periods_of
from fdiscreen.filing.target import TargetClassConclusion, TargetRows, target_class
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal
from fdiscreen.mof_list import MofList
from fdiscreen.regime import Regime

OutcomeCode = Literal["not_foreign_investor", "prior_notification", "exempt_with_conditions", "post_investment_report",
                      "no_filing", "indeterminate"]


class Outcome(BaseModel):
    code: OutcomeCode
    summary: Text


class Determination(BaseModel):
    """Every filing conclusion for one deal on one date."""

    foreign_investor: ForeignInvestorConclusion
    investor_class: InvestorClassConclusion
    target_class: TargetClassConclusion
    acts: list[ActConclusion]
    prior_notification_required: Conclusion
    exemption: ExemptionConclusion
    must_file: Conclusion
    post_investment_report: ReportConclusion
    waiting_period_days: WaitingPeriodConclusion
    indirect_acquisition: Conclusion
    amendment_2026: AmendmentConclusion
    outcome: Outcome

    def conclusions(self) -> list[Conclusion]:
        return [self.foreign_investor, self.investor_class, self.target_class, *self.acts, self.prior_notification_required,
                self.exemption, self.must_file, self.post_investment_report, self.waiting_period_days,
                self.indirect_acquisition, self.amendment_2026]

    def open_facts(self) -> list[FactNeeded]:
        """The facts still to confirm across every conclusion, once per field path, in conclusion order."""
        seen: dict[str, FactNeeded] = {}
        for c in self.conclusions():
            for fact in c.facts_needed:
                seen.setdefault(fact.path, fact)
        return list(seen.values())


def prior_notification_required(regime: Regime, foreign: ForeignInvestorConclusion, acts: list[ActConclusion],
                                tclass: TargetClassConclusion) -> Conclusion:
    """Does any act need prior notification (事前届出) under Art. 27 or 28, before any exemption?"""
    r = Reasoning(regime)
    if foreign.status == "no":
        r.say("The acquirer is not a foreign investor, so FEFTA's inward-investment filings do not apply.",
              "取得者は外国投資家でないため、対内直接投資等の届出は不要。")
        return Conclusion(**r.conclude("prior_notification_required", "no", T("No: not a foreign investor.", "不要：外国投資家でない。")))
    statuses: list[Status] = []
    for a in acts:
        if a.status == "no" or a.notification in ("none", "post_investment_report"):
            continue
        r.absorb(a)
        if a.status == "yes" and a.notification == "prior_notification":
            r.say(f"{a.label.en}: the target runs a designated business, so prior notification is required.",
                  f"{a.label.ja}：発行会社は指定業種を営むため事前届出が必要。")
            statuses.append("yes")
        else:
            if a.notification is None:
                r.absorb(tclass)
            r.say(f"{a.label.en}: whether it needs prior notification depends on the open facts.",
                  f"{a.label.ja}：事前届出の要否は確認事項による。")
            statuses.append("indeterminate")
    status = combine(statuses)
    if foreign.status == "indeterminate" and status == "yes":
        status = "indeterminate"
    r.absorb(foreign)
    summary = {"yes": T("Yes: a notifiable act in a designated business (unless exempt).", "必要：指定業種に係る届出対象行為（免除を除く）。"),
               "no": T("No act needs prior notification.", "事前届出を要する行為はない。"),
               "indeterminate": T("Indeterminate: depends on facts to confirm.", "未確定：確認事項による。")}[status]
    return Conclusion(**r.conclude("prior_notification_required", status, summary))


def must_file(regime: Regime, prior: Conclusion, ex: ExemptionConclusion) -> Conclusion:
    """Must the investor file before closing: notifiable and no exemption it can rely on."""
    r = Reasoning(regime)
    if prior.status == "no":
        status: Status = "no"
    elif ex.status == "yes":
        status = "no"
        r.say("The exemption can be used if its conditions are kept; otherwise file.", "免除基準を遵守すれば免除を利用できる。遵守しない場合は届出。")
    elif prior.status == "yes" and ex.status == "no":
        status = "yes"
        r.say(f"A notifiable act needs prior notification and the exemption cannot be used: {ex.summary.en}",
              f"届出対象行為であり、免除は利用できない：{ex.summary.ja}")
    else:
        status = "indeterminate"
        r.say("Whether a notification must be filed turns on the open facts listed; until they are confirmed, the conservative course is to file.",
              "届出の要否は確認事項に依存する。確認までは届出を行うのが保守的な対応である。")
    if prior.status == "no":
        r.say("No act of the deal needs prior notification.", "事前届出を要する行為はない。")
    r.absorb(prior)
    r.absorb(ex)
    summary = {"yes": T("File a prior notification and wait before closing.", "事前届出を行い、禁止期間の経過を待って実行する。"),
               "no": T("No prior notification needs to be filed.", "事前届出は不要。"),
               "indeterminate": T("Filing need is indeterminate; conservative reading: file.", "届出要否は未確定（保守的には届出）。")}[status]
    return Conclusion(**r.conclude("must_file", status, summary))


def _indirect_conclusion(regime: Regime, acts: list[ActConclusion]) -> Conclusion:
    act = next((a for a in acts if a.act == "indirect_acquisition"), None)
    if act is None:
        r = Reasoning(regime)
        r.say("The deal is not structured through an overseas holding entity.", "海外の直接保有者を通じた取引ではない。")
        return Conclusion(**r.conclude("indirect_acquisition", "no", T("No indirect structure.", "間接取得の構造なし。")))
    return Conclusion(**act.model_dump(include={"status", "summary", "reasons", "citations", "facts_needed"}), id="indirect_acquisition")


def outcome(foreign: Conclusion, must: Conclusion, ex: ExemptionConclusion, reports: ReportConclusion,
            pending: Text | None = None) -> Outcome:
    """One line a person can act on; ``pending`` says which parts rest on assumptions about the 2026
    amendment (its in-force date, its cabinet order)."""
    plain = base_outcome(foreign, must, ex, reports)
    if pending is None or plain.code == "not_foreign_investor":
        return plain
    return Outcome(code=plain.code, summary=T(f"{plain.summary.en} {pending.en}", f"{plain.summary.ja}{pending.ja}"))


def base_outcome(foreign: Conclusion, must: Conclusion, ex: ExemptionConclusion, reports: ReportConclusion) -> Outcome:
    """The outcome code and its plain line (without the 2026-amendment note)."""
    if foreign.status == "no":
        return Outcome(code="not_foreign_investor", summary=T("Not a foreign investor: no FEFTA inward-investment filing.", "外国投資家に該当せず、外為法の対内直接投資等の届出は不要。"))
    if must.status == "yes":
        return Outcome(code="prior_notification", summary=T("Prior notification required before closing.", "実行前に事前届出が必要。"))
    if must.status == "indeterminate":
        return Outcome(code="indeterminate", summary=T("Indeterminate: confirm the open facts; the conservative course is to file.", "未確定：確認事項を確認のこと。保守的には届出。"))
    if foreign.status == "indeterminate":
        rest = base_outcome(foreign.model_copy(update={"status": "yes"}), must, ex, reports)
        return Outcome(code="indeterminate", summary=T(
            f"Indeterminate whether the acquirer is a foreign investor; no prior notification is needed either way. If it is one: {rest.summary.en}",
            f"取得者の外国投資家該当性は未確定だが、いずれにせよ事前届出は不要。外国投資家である場合：{rest.summary.ja}"))
    if ex.status == "yes":
        return Outcome(code="exempt_with_conditions", summary=T("Exemption available on conditions; post-investment reports as listed.", "免除基準の遵守を条件に免除利用可。事後報告は記載のとおり。"))
    if reports.status == "yes":
        return Outcome(code="post_investment_report", summary=T("No prior notification; a post-investment report is due.", "事前届出不要。事後報告が必要。"))
    return Outcome(code="no_filing", summary=T("No FEFTA filing or report needed on these facts.", "本件事実の下では外為法上の届出・報告は不要。"))


@dataclass(frozen=True)
class BatchRows:
    """A deal's rows in the columns computed once for a batch of deals of one date (investor look-through,
    target class); a deal screened alone is a batch of one."""

    investor: DealRows
    target: TargetRows | None = None


def determine(deal: Deal, regime: Regime, mof: MofList | None = None, rows: BatchRows | None = None) -> Determination:
    """Run every legal test on the deal as of ``regime.as_of``; ``rows``: the deal's rows in a batch's
    columns (computed for many deals at once), else the deal is a batch of one."""
    return determine_many([deal], [regime], mof, [rows])[0]


def determine_many(deals: Sequence[Deal], regimes: Sequence[Regime], mof: MofList | None = None,
                   rows: Sequence[BatchRows | None] | None = None, law: Regime | None = None) -> list[Determination]:
    """Run every legal test on deals of one as-of date, each stage's columns computed once for all of
    them and each deal's conclusions rendered in its own regime (``regimes``, where its assumptions are
    counted). ``law``: the regime the columns read (the first deal's when not given); ``rows``: each
    deal's rows in a batch's investor and target columns."""
    at = list(rows) if rows is not None else [None] * len(deals)
    law = law or regimes[0]
    investor_rows = [deal_rows(d, r, b.investor if b else None) for d, r, b in zip(deals, regimes, at)]
    foreign = [is_foreign_investor(d, r, ir) for d, r, ir in zip(deals, regimes, investor_rows)]
    iclass = [investor_class(d, r, f, ir) for d, r, f, ir in zip(deals, regimes, foreign, investor_rows)]
    tclass = [target_class(d.target, r, mof, b.target if b else None) for d, r, b in zip(deals, regimes, at)]
    acts = _acts(deals, regimes, law, foreign, tclass)
    prior = [prior_notification_required(r, f, a, tc) for r, f, a, tc in zip(regimes, foreign, acts, tclass)]
    table = DealTable(deals, law, regimes)
    ex = label_exemptions(exemptions_of(table, iclass, tclass, [a if p.status != "no" else [] for a, p in zip(acts, prior)]), acts)
    must = [must_file(r, p, e) for r, p, e in zip(regimes, prior, ex)]
    reports = label_reports(reports_of(table, acts, ex, [m.status for m in must]), acts)
    wait = waiting_periods_of(table, [m.status for m in must])
    decisive = [[f, m, e, x] for f, m, e, x in zip(foreign, must, ex, reports)]
    amend = amendments_of(table, acts, [m.status for m in must], decisive)
    return [Determination(foreign_investor=foreign[k], investor_class=iclass[k], target_class=tclass[k], acts=acts[k],
                          prior_notification_required=prior[k], exemption=ex[k], must_file=must[k], post_investment_report=reports[k],
                          waiting_period_days=wait[k], indirect_acquisition=_indirect_conclusion(regimes[k], acts[k]), amendment_2026=amend[k],
                          outcome=outcome(foreign[k], must[k], ex[k], reports[k],
                                          _pending_note(deals[k], regimes[k], mof, amend[k], decisive[k])))
            for k in range(len(deals))]


def _acts(deals: Sequence[Deal], regimes: Sequence[Regime], law: Regime, foreign: Sequence[ForeignInvestorConclusion],
          tclass: Sequence[TargetClassConclusion]) -> list[list[ActConclusion]]:
    """The acts of the deals whose acquirer may be a foreign investor (none for the others), within the
    nominee rule's reach; open where the foreign-investor status is."""
    tested = [k for k, f in enumerate(foreign) if f.status != "no"]
    found = covered_acts_of(DealTable([deals[k] for k in tested], law, [regimes[k] for k in tested]), [tclass[k] for k in tested]) if tested else []
    out: list[list[ActConclusion]] = [[] for _ in deals]
    for k, acts in zip(tested, found):
        acts = within_deemed_scope(acts, regimes[k], foreign[k].deemed)
        if foreign[k].status == "indeterminate":
            acts = [a.model_copy(update={"status": "indeterminate" if a.status == "yes" else a.status}) for a in acts]
        out[k] = acts
    return out


def _pending_note(deal: Deal, regime: Regime, mof: MofList | None, amend: AmendmentConclusion, decisive: list[Conclusion]) -> Text | None:
    """What the outcome line adds for the 2026 amendment: both readings when the outcome turns on its
    unknown in-force date, and the assumptions it rests on."""
    notes = [n for n in (both_readings_note(deal, regime, mof, amend, decisive), outcome_note(amend, decisive)) if n is not None]
    return T(" ".join(n.en for n in notes), "".join(n.ja for n in notes)) if notes else None
