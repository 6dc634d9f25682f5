"""After the decision to file or not: post-investment reports (事後報告), the implementation report
(実行報告) and the waiting period (禁止期間) with its shortening and extensions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from fdiscreen.filing.acts import ActConclusion
from fdiscreen.filing.conclusion import Conclusion, Reasoning, Status
from fdiscreen.filing.exemption import ExemptionConclusion
from fdiscreen.filing.related import holding_with_related
from fdiscreen.i18n import T, Text, pct
from fdiscreen.model import Deal
from fdiscreen.dates import add_working_days, working_day_deadline
from fdiscreen.regime import Regime

ReportKind = Literal["post_investment_report", "implementation_report"]


class ReportDue(BaseModel):
    kind: ReportKind
    trigger: Text
    deadline_days: int | None
    due_date: dt.date | None = Field(None, description="the deadline to act on: the statutory date, moved past administrative holidays")
    statutory_due_date: dt.date | None = Field(None, description="closing date plus the period, before any move for a holiday")


class ReportConclusion(Conclusion):
    reports: list[ReportDue] = Field(default_factory=list)


class WaitingPeriodConclusion(Conclusion):
    days: int | None = None
    shortened_business_days: int | None = None
    extension_months: int | None = None
    max_months: int | None = None
    earliest_closing_after_acceptance: int | None = None
    earliest_closing_date: dt.date | None = Field(None, description="first day the act may be done: the day after the period ends")
    earliest_closing_date_if_shortened: dt.date | None = Field(
        None, description="the same if the period is shortened to the reported business days (assumption)")


def report_due(deal: Deal, regime: Regime, kind: ReportKind, trigger: Text, days: int | None) -> ReportDue:
    """A report due ``days`` after the act (calendar days from the closing date); a deadline on an
    administrative holiday moves to the next working day (行政機関の休日に関する法律 Art. 2)."""
    when = deal.transaction.closing_date
    statutory = when + dt.timedelta(days=days) if when and days is not None else None
    due = working_day_deadline(statutory, regime) if statutory else None
    return ReportDue(kind=kind, trigger=trigger, deadline_days=days, due_date=due, statutory_due_date=statutory)


def deadline_text(x: ReportDue) -> Text:
    """'within 45 days (due 4 January 2027; the statutory day, 2 January, is an administrative holiday)'."""
    if x.deadline_days is None:
        return T("deadline not encoded for this date", "期限は本基準日について未設定")
    en, ja = f"within {x.deadline_days} days", f"{x.deadline_days}日以内"
    if x.due_date and x.statutory_due_date and x.due_date != x.statutory_due_date:
        en += f" (due {x.due_date}; the statutory day {x.statutory_due_date} is an administrative holiday)"
        ja += f"（期限{x.due_date}。法定の期限日{x.statutory_due_date}は行政機関の休日）"
    elif x.due_date:
        en += f" (due {x.due_date})"
        ja += f"（期限{x.due_date}）"
    return T(en, ja)


def exemption_report_thresholds_crossed(before: float, after: float, thresholds: list[float]) -> list[float]:
    """Thresholds of the exemption-user report ladder this acquisition reaches: each of the lower
    rungs on first reaching it, the top rung on any acquisition at or above it."""
    if not thresholds:
        return []
    top = max(thresholds)
    hit = [t for t in thresholds if t != top and before < t <= after]
    if after >= top:
        hit.append(top)
    return hit


def post_investment_report_due(deal: Deal, regime: Regime, acts: list[ActConclusion], ex: ExemptionConclusion,
                               must_file: Status) -> ReportConclusion:
    """Is a post-investment report (事後報告) or an implementation report (実行報告) due, and by when?"""
    r = Reasoning(regime)
    reports: list[ReportDue] = []
    days = regime.value("post_investment_report_days")
    covered = [a for a in acts if a.status == "yes"]
    tx = deal.transaction
    if ex.status in ("yes", "indeterminate") and ex.kind is not None:
        report = _exemption_user_report(deal, regime, ex, r, days)
        if report is not None:
            reports.append(report)
    for a in covered:
        if a.notification == "post_investment_report":
            reports += _non_designated_report(deal, regime, a, r, days)
    idays = regime.value("implementation_report_days") if must_file == "yes" else None
    if must_file == "yes" and idays is not None:
        reports.append(report_due(deal, regime, "implementation_report", T("Executing the notified investment", "届出に係る対内直接投資等の実行"), idays))
        r.say(f"After executing a notified investment an implementation report is due within {idays} days.",
              f"届出に係る投資の実行後{idays}日以内に実行報告が必要。", "implementation_report_days")
    elif must_file == "yes":
        r.say("No implementation-report period is encoded for this date.", "本基準日について実行報告の期限はコード化されていない。",
              "implementation_report_days")
    if not reports:
        r.say("No post-investment or implementation report is due on these facts.", "本件事実の下では事後報告・実行報告は不要。")
        status: Status = "indeterminate" if any(a.status == "indeterminate" for a in acts) else "no"
        return ReportConclusion(**r.conclude("post_investment_report", status, T("No report due.", "報告不要。")))
    if any(x.due_date != x.statutory_due_date for x in reports):
        r.cite("deadline_moves_past_holidays")
        r.cite("administrative_holidays")
    summary = T("; ".join(f"{x.trigger.en}: {deadline_text(x).en}" for x in reports),
                "、".join(f"{x.trigger.ja}：{deadline_text(x).ja}" for x in reports))
    return ReportConclusion(**r.conclude("post_investment_report", "yes", summary, reports=reports))


def _exemption_user_report(deal: Deal, regime: Regime, ex: ExemptionConclusion, r: Reasoning, days: int | None) -> ReportDue | None:
    """FEFTA Art. 55-5: an acquisition made under the exemption is reported after the fact. Of a listed
    company, the acquisitions reported are those that first reach a lower rung of the class's ladder or
    end at or above its top rung; of an unlisted company, every exempt acquisition. One act is one
    report, however many rungs it passes."""
    tx = deal.transaction
    if not deal.target.listed:
        if not regime.in_force("exemption_post_report_unlisted_every_act"):
            return None
        r.say("An acquisition of unlisted shares made under the exemption is reported after the fact.",
              "免除を利用した非上場会社の株式の取得は事後報告の対象となる。", "exemption_post_report_unlisted_every_act", "post_investment_report_days")
        return report_due(deal, regime, "post_investment_report", T("Using the exemption (unlisted company)", "免除の利用（非上場会社）"), days)
    item = "exemption_post_report_fi_pct" if ex.kind == "general" else "exemption_post_report_general_pct"
    ladder = [float(x) for x in regime.value(item) or []]
    after = holding_with_related(deal, regime, tx.voting_after or 0) or 0.0
    before = holding_with_related(deal, regime, tx.voting_before) or 0.0
    reached = exemption_report_thresholds_crossed(before, after, ladder)
    r.say(f"An exemption user reports an acquisition that first reaches {', '.join(pct(x) for x in ladder[:-1]) or '-'} or ends at or above {pct(ladder[-1]) if ladder else '-'} (ladder for its class); this acquisition takes it from {pct(before)} to {pct(after)}"
          + (", so one report is due for it." if reached else ", so none is due."),
          f"免除利用者は、{'、'.join(pct(x) for x in ladder[:-1]) or '-'}に初めて到達する取得又は{pct(ladder[-1]) if ladder else '-'}以上となる取得について事後報告を行う。本件で{pct(before)}から{pct(after)}となる"
          + ("ため、本件取得について1件の報告を要する。" if reached else "ため、報告は不要。"),
          item, "post_investment_report_days")
    if not reached:
        return None
    rungs = ", ".join(pct(t) for t in reached)
    return report_due(deal, regime, "post_investment_report",
                      T(f"Using the exemption and reaching {rungs}", f"免除を利用し{'、'.join(pct(t) for t in reached)}に到達"), days)


def _non_designated_report(deal: Deal, regime: Regime, act: ActConclusion, r: Reasoning, days: int | None) -> list[ReportDue]:
    """Non-designated targets (事後報告業種): listed at 10% or more; unlisted per the assumed threshold."""
    item = "non_designated_listed_report_pct" if deal.target.listed else "non_designated_unlisted_report_pct"
    held = act.holding_pct
    if act.act in ("listed_share_acquisition", "listed_voting_acquisition", "unlisted_share_acquisition"):
        met = regime.meets(item, held)
    else:
        met = True
    r.say(f"The target is in no designated business: {act.label.en.lower()} is reported after the fact when the holding is at least {pct(regime.threshold(item))} (here {pct(held)}).",
          f"指定業種以外：{act.label.ja}は出資比率{pct(regime.threshold(item))}以上で事後報告（本件{pct(held)}）。", item)
    if not met:
        return []
    return [report_due(deal, regime, "post_investment_report",
                       T(f"{act.label.en} in a non-designated company", f"指定業種以外の会社に係る{act.label.ja}"), days)]


def waiting_period(deal: Deal, regime: Regime, must_file: Status) -> WaitingPeriodConclusion:
    """Art. 27(2)-(6): no closing until 30 days after acceptance; shortenable; extendable to four
    months, and to five where a recommendation is pursued and the Council needs more time."""
    r = Reasoning(regime)
    if must_file == "no":
        r.say("No prior notification, so no waiting period.", "事前届出を要しないため禁止期間はない。")
        return WaitingPeriodConclusion(**r.conclude("waiting_period", "no", T("No waiting period.", "禁止期間なし。")))
    days = regime.value("waiting_period_days")
    short = regime.value("waiting_period_shortened_business_days")
    ext = regime.value("waiting_period_extension_months")
    mx = regime.value("waiting_period_max_months")
    r.say(f"No closing until {days} days after the notification is accepted.", f"届出受理日から{days}日を経過するまで実行できない。", "waiting_period_days")
    if short:
        r.say(f"The period can be shortened where no screening is needed; about {short} business days is commonly reported.",
              f"審査不要の場合は短縮され得る（約{short}営業日との実務報告あり）。", "waiting_period_shortened_business_days")
    r.say(f"If screening is needed it can be extended to {ext} months from acceptance, and to {mx} months where a recommendation is pursued and the Council needs more time.",
          f"審査が必要な場合は受理から{ext}か月まで、勧告に関し審議会の意見が間に合わない場合は{mx}か月まで延長され得る。",
          "waiting_period_extension_months", "waiting_period_max_months")
    r.cite("advance_filing_max_months")
    summary = T(f"{days} days from acceptance (shortenable; extendable to {ext}-{mx} months).",
                f"受理から{days}日（短縮あり、{ext}〜{mx}か月まで延長あり）。")
    earliest, shortened = _earliest_closing(deal, regime, r, days, short)
    if earliest is not None:
        summary = T(f"{summary.en.rstrip('.')}; earliest closing {earliest}" + (f" ({shortened} if shortened)." if shortened else "."),
                    f"{summary.ja.rstrip('。')}。最短の実行日は{earliest}" + (f"（短縮された場合は{shortened}）。" if shortened else "。"))
    return WaitingPeriodConclusion(**r.conclude("waiting_period", must_file, summary, days=days, shortened_business_days=short,
                                                extension_months=ext, max_months=mx, earliest_closing_after_acceptance=days,
                                                earliest_closing_date=earliest, earliest_closing_date_if_shortened=shortened))


def _earliest_closing(deal: Deal, regime: Regime, r: Reasoning, days: int | None,
                      short: int | None) -> tuple[dt.date | None, dt.date | None]:
    """Art. 27(2): the act may not be done until the period counted from the day of acceptance (that day
    included: 受理された日から起算して) has passed, so the first permitted day is acceptance + days in
    calendar days (a prohibition period, not a deadline: holidays do not move it). A shortened period is
    counted in the offices' business days (営業日), the first after acceptance being day one."""
    accepted = deal.transaction.notification_accepted_date
    if accepted is None or days is None:
        return None, None
    first_day = 0 if regime.in_force("waiting_period_counts_acceptance_day") else 1
    earliest = accepted + dt.timedelta(days=days + first_day)
    r.say(f"Accepted on {accepted}: the {days}-day period counts that day as day one, so the earliest closing is {earliest}.",
          f"{accepted}受理：受理日を初日として{days}日を数えるため、最短の実行日は{earliest}。", "waiting_period_counts_acceptance_day")
    if not short:
        return earliest, None
    shortened = add_working_days(accepted, short, regime) + dt.timedelta(days=1)
    r.say(f"If shortened to {short} business days (counted on administrative working days from the day after acceptance), the earliest closing is {shortened}.",
          f"{short}営業日（受理の翌日から行政機関の休日を除いて計算）に短縮された場合、最短の実行日は{shortened}。",
          "waiting_period_shortened_business_days", "administrative_holidays")
    return earliest, shortened
