"""After the decision to file or not: post-investment reports (事後報告), the implementation report
(実行報告) and the waiting period (禁止期間) with its shortening and extensions.

Each rule is written once over columns (:func:`report_columns`, :func:`waiting_columns`): per deal row a
conclusion code and the code of each branch, the reports due as a long table (deal row, kind, trigger,
days, statutory and due dates), and the rows that needed each factor item. The per-deal functions
(:func:`post_investment_report_due`, :func:`waiting_period`) run them on a table of one and render row 0."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from fdiscreen.columns import NO, UNKNOWN, YES, DealTable, KeyedByDeal, tri
from fdiscreen.dates import NAT, _as_date, add_working_days_column, day_column, working_day_deadlines
from fdiscreen.filing.acts import ACT_CODE, ACT_LABELS, ActConclusion, ActRows, act_rows
from fdiscreen.filing.acts import POST_REPORT as NOTIFIED_BY_POST_REPORT
from fdiscreen.filing.conclusion import Conclusion, Reasoning, Status, tri_of
from fdiscreen.filing.exemption import KIND_CODE, ExemptionConclusion
from fdiscreen.filing.related import holding_with_related
from fdiscreen.i18n import T, Text, pct
from fdiscreen.lookthrough import Scale, Usage, limit, record_uses, use
from fdiscreen.model import Deal
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


# == over columns ====================================================================================
# The same law, written once over a DealTable (one row per deal; a deal alone is a table of one): codes
# say which branch decided, evidence columns carry what the sentences show, and the reports due are a
# long table keyed by the deal's row. Sentences are rendered from them below, for one row at a time.

#: report kinds by code (ReportRows.kind)
KIND_CODES: tuple[ReportKind, ...] = ("post_investment_report", "implementation_report")
POST_REPORT, IMPLEMENTATION_REPORT = 0, 1

#: triggers (ReportRows.trigger): which rule made the report due
EXEMPT_UNLISTED, EXEMPT_LADDER, NON_DESIGNATED, EXECUTION = 0, 1, 2, 3

#: the exemption user's report (FEFTA Art. 55-5), per deal
EX_NOT_USED = 0               # the exemption is not used (or no kind applies): no report on this ground
EX_UNLISTED_NOT_IN_FORCE = 1  # unlisted target, the every-act rule not in force on the date: nothing to say
EX_UNLISTED = 2               # unlisted target: every exempt acquisition is reported
EX_LADDER_REACHED = 3         # listed target: the acquisition reaches a rung of the class's ladder
EX_LADDER_NOT_REACHED = 4     # listed target: it reaches none

#: the report of an act in a non-designated company (事後報告業種), per act row
ND_NOT_IN_POINT, ND_MET, ND_NOT_MET = 0, 1, 2

#: the implementation report (実行報告), per deal
IMPL_NOT_IN_POINT, IMPL_DUE, IMPL_NOT_ENCODED = 0, 1, 2

#: the conclusion, per deal
REPORTS_DUE, NO_REPORT, NO_REPORT_ACTS_OPEN = 0, 1, 2

#: the ladder item each exemption kind (by its code in exemption.EXEMPTION_KINDS) reads
LADDER_ITEM = {1: "exemption_post_report_fi_pct", 2: "exemption_post_report_general_pct"}
NON_DESIGNATED_ITEM = {True: "non_designated_listed_report_pct", False: "non_designated_unlisted_report_pct"}
#: acts whose non-designated report turns on the holding reaching the threshold; others are reported whatever it is
HOLDING_ACTS = ("listed_share_acquisition", "listed_voting_acquisition", "unlisted_share_acquisition")
#: act codes (ActRows.act: positions in ACT_LABELS; -1: an act with no label) and which are measured on a holding
MEASURED_ON_HOLDING = np.array([act in HOLDING_ACTS for act in ACT_LABELS] + [False], dtype=bool)


# -- the inputs: deal facts and upstream answers as columns ---------------------------------------------

@dataclass(frozen=True, eq=False)
class ReportInputs:
    """Per deal row, the facts and upstream answers the report rules read; a batch passes them for many rows."""

    listed: np.ndarray          # bool: the target is listed
    closing: np.ndarray         # datetime64[D]: the closing date (NaT: not given)
    exemption: np.ndarray       # tri: the exemption's status
    exemption_kind: np.ndarray  # int8 code into EXEMPTION_KINDS (0: none)
    must_file: np.ndarray       # tri: prior notification must be filed
    acts: ActRows
    before: np.ndarray          # float: holding with closely related persons before the act (rows on the ladder)
    after: np.ndarray           # float: and after it


def on_the_ladder(listed: np.ndarray, exemption: np.ndarray, exemption_kind: np.ndarray) -> np.ndarray:
    """FEFTA Art. 55-5: an exempt acquisition of a listed company, reported by the ladder of the class
    (the rows whose holdings with closely related persons the report rules read)."""
    return _exemption_used(exemption, exemption_kind) & listed


def _exemption_used(exemption: np.ndarray, exemption_kind: np.ndarray) -> np.ndarray:
    """The exemption is used (or may be: an open status counts) under one of its kinds."""
    return (exemption != NO) & (exemption_kind != 0)


# -- the rules --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ReportRows(KeyedByDeal):
    """The reports due, one row each, ordered by deal and, within a deal, as listed (exemption user's
    report, non-designated acts in act order, implementation report)."""

    deal: np.ndarray            # int: the deal row
    kind: np.ndarray            # int8 code into KIND_CODES
    trigger: np.ndarray         # int8 trigger code
    act: np.ndarray             # int: the act row (NON_DESIGNATED), else -1
    days: np.ndarray            # int: the period in days (-1: not encoded)
    statutory: np.ndarray       # datetime64[D]: closing date plus the period
    due: np.ndarray             # datetime64[D]: the same moved past administrative holidays


@dataclass(frozen=True, eq=False)
class ReportColumns:
    """Per deal row: the conclusion code and the code of each branch, with the evidence the sentences show."""

    code: np.ndarray            # REPORTS_DUE / NO_REPORT / NO_REPORT_ACTS_OPEN
    exemption: np.ndarray       # EX_* code
    ladder_rungs: np.ndarray    # int: bitmask of the lower rungs reached, positions in the row's ladder
    ladder_top: np.ndarray      # bool: the top rung reached
    non_designated: np.ndarray  # ND_* code per act row
    implementation: np.ndarray  # IMPL_* code
    moved: np.ndarray           # bool: a due date was moved past an administrative holiday
    reports: ReportRows
    days: int | None            # post-investment report period of the table's date
    implementation_days: int | None
    ladders: dict[int, list[float]]  # per exemption-kind code, the ladder of the table's date
    usage: Usage = field(default_factory=dict)


def ladder_rungs_reached(before: np.ndarray, after: np.ndarray, ladder: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The rungs of an exemption-user report ladder each acquisition reaches: each lower rung on first
    reaching it (before < rung <= after), the top rung on any acquisition ending at or above it. Returns
    a bitmask of lower rungs (positions in ``ladder``) and whether the top is reached."""
    rungs = np.asarray(ladder, dtype=float)
    if not len(rungs):
        return np.zeros(len(before), dtype=np.int64), np.zeros(len(before), dtype=bool)
    top = rungs.max()
    lower = (rungs != top)[None, :] & (before[:, None] < rungs[None, :]) & (rungs[None, :] <= after[:, None])
    return (lower * (1 << np.arange(len(rungs), dtype=np.int64))[None, :]).sum(axis=1), after >= top


def _rungs(ladder: Sequence[float], mask: int, top: bool) -> list[float]:
    """The rungs a bitmask and top flag name, in the ladder's order, the top last."""
    return [float(x) for j, x in enumerate(ladder) if mask >> j & 1] + ([float(max(ladder))] if top else [])


def exemption_report_thresholds_crossed(before: float, after: float, thresholds: list[float]) -> list[float]:
    """Thresholds of the exemption-user report ladder this acquisition reaches (one row of
    :func:`ladder_rungs_reached`)."""
    mask, top = ladder_rungs_reached(np.array([before], dtype=float), np.array([after], dtype=float), thresholds)
    return _rungs(thresholds, int(mask[0]), bool(top[0])) if thresholds else []


def exemption_user_report(inputs: ReportInputs, regime: Regime, usage: Usage) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """FEFTA Art. 55-5: an acquisition made under the exemption is reported after the fact. Of a listed
    company, the acquisitions reported are those that first reach a lower rung of the class's ladder or
    end at or above its top rung; of an unlisted company, every exempt acquisition (from the date the
    rule is in force). One act is one report, however many rungs it passes. Returns the EX_* code per
    row, the lower rungs reached (bitmask) and whether the top is."""
    n = len(inputs.listed)
    used = _exemption_used(inputs.exemption, inputs.exemption_kind)
    unlisted = used & ~inputs.listed
    use(usage, "exemption_post_report_unlisted_every_act", unlisted)
    every_act = regime.peek_in_force("exemption_post_report_unlisted_every_act")
    code = np.where(unlisted, EX_UNLISTED if every_act else EX_UNLISTED_NOT_IN_FORCE, EX_NOT_USED)
    mask, top = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    ladder = used & inputs.listed
    if not ladder.any():
        return code.astype(np.int8), mask, top
    for kind, item in LADDER_ITEM.items():
        rows = ladder & (inputs.exemption_kind == kind)
        if not rows.any():
            continue
        use(usage, item, rows)
        m, t = ladder_rungs_reached(inputs.before, inputs.after, _ladder(regime, item))
        mask, top = np.where(rows, m, mask), rows & t | top
        code = np.where(rows, np.where((m != 0) | t, EX_LADDER_REACHED, EX_LADDER_NOT_REACHED), code)
    return code.astype(np.int8), mask, top


def _ladder(regime: Regime, item: str) -> list[float]:
    return [float(x) for x in regime.peek(item) or []]


def non_designated_report(inputs: ReportInputs, regime: Regime, usage: Usage) -> np.ndarray:
    """Non-designated targets (事後報告業種), per act row: a covered act whose notification is a
    post-investment report is reported when the holding reaches the threshold (listed and unlisted
    targets have their own; a holding not given reaches none), acts not measured on a holding always."""
    a = inputs.acts
    in_point = (a.status == YES) & (a.notification == NOTIFIED_BY_POST_REPORT)
    if not in_point.any():
        return np.zeros(len(a.deal), dtype=np.int8)
    listed = inputs.listed[a.deal]
    known = ~np.isnan(a.holding)
    scale = Scale.for_values(a.holding[known].tolist())
    held = scale.column([float(h) if k else None for h, k in zip(a.holding, known)])
    met = np.ones(len(a.deal), dtype=bool)
    measured = MEASURED_ON_HOLDING[a.act]
    for is_listed, item in NON_DESIGNATED_ITEM.items():
        rows = in_point & (listed == is_listed)
        use(usage, item, _deal_rows(len(inputs.listed), a.deal[rows]))
        lim = limit(regime, item)
        met = np.where(rows & measured, known & scale.meets(held, lim.value, lim.op), met)
    return np.where(in_point, np.where(met, ND_MET, ND_NOT_MET), ND_NOT_IN_POINT).astype(np.int8)


def implementation_report(inputs: ReportInputs, regime: Regime, usage: Usage) -> tuple[np.ndarray, int | None]:
    """After executing a notified investment an implementation report (実行報告) is due, within the
    period the date encodes; per row the IMPL_* code, and the period."""
    filing = inputs.must_file == YES
    use(usage, "implementation_report_days", filing)
    days = regime.peek("implementation_report_days")
    return np.where(filing, IMPL_NOT_ENCODED if days is None else IMPL_DUE, IMPL_NOT_IN_POINT).astype(np.int8), days


def _deal_rows(n: int, rows: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


def report_rows(inputs: ReportInputs, ex: np.ndarray, nd: np.ndarray, impl: np.ndarray, days: int | None,
                idays: int | None) -> ReportRows:
    """The reports due as a long table, ordered by deal, then as listed (exemption user's report,
    non-designated acts in act order, implementation report); dates are filled by :func:`report_dates`."""
    ex_rows = np.flatnonzero((ex == EX_UNLISTED) | (ex == EX_LADDER_REACHED))
    nd_rows = np.flatnonzero(nd == ND_MET)
    impl_rows = np.flatnonzero(impl == IMPL_DUE)
    sizes = [len(ex_rows), len(nd_rows), len(impl_rows)]
    if not any(sizes):
        none = np.zeros(0, dtype=np.int64)
        return ReportRows(deal=none, kind=none.astype(np.int8), trigger=none.astype(np.int8), act=none, days=none,
                          statutory=none.astype("datetime64[D]"), due=none.astype("datetime64[D]"))
    deal = np.concatenate([ex_rows, inputs.acts.deal[nd_rows], impl_rows]).astype(np.int64)
    group = np.repeat(np.arange(3), sizes)
    act = np.concatenate([np.full(sizes[0], -1), nd_rows, np.full(sizes[2], -1)]).astype(np.int64)
    trigger = np.concatenate([np.where(ex[ex_rows] == EX_UNLISTED, EXEMPT_UNLISTED, EXEMPT_LADDER),
                              np.full(sizes[1], NON_DESIGNATED), np.full(sizes[2], EXECUTION)]).astype(np.int8)
    period = np.where(group == 2, -1 if idays is None else idays, -1 if days is None else days).astype(np.int64)
    if sum(size > 0 for size in sizes) > 1:
        order = np.lexsort((act, group, deal))
        deal, group, act, trigger, period = deal[order], group[order], act[order], trigger[order], period[order]
    return ReportRows(deal=deal, kind=np.where(group == 2, IMPLEMENTATION_REPORT, POST_REPORT).astype(np.int8),
                      trigger=trigger, act=act, days=period, statutory=np.full(len(deal), NAT), due=np.full(len(deal), NAT))


def report_dates(inputs: ReportInputs, reports: ReportRows, regime: Regime, usage: Usage) -> np.ndarray:
    """Fill each report's statutory day (closing date plus the period, in calendar days) and its due
    day (moved past administrative holidays, 行政機関の休日に関する法律 Art. 2); per deal, whether one moved."""
    n = len(inputs.listed)
    closing = inputs.closing[reports.deal]
    dated = (reports.days >= 0) & ~np.isnat(closing)
    if not dated.any():
        return np.zeros(n, dtype=bool)
    reports.statutory[dated] = closing[dated] + reports.days[dated].astype("timedelta64[D]")
    dated_deals = _deal_rows(n, reports.deal[dated])
    use(usage, "deadline_moves_past_holidays", dated_deals)
    if regime.peek_in_force("deadline_moves_past_holidays"):
        use(usage, "administrative_holidays", dated_deals)
    reports.due[:] = working_day_deadlines(reports.statutory, regime)
    moved = _deal_rows(n, reports.deal[dated & (reports.due != reports.statutory)])
    use(usage, "administrative_holidays", moved)
    return moved


def report_columns(inputs: ReportInputs, regime: Regime) -> ReportColumns:
    """Is a post-investment report (事後報告) or an implementation report (実行報告) due, and by when,
    for every row: the branches' codes, the reports due as a long table, and the conclusion code."""
    n = len(inputs.listed)
    usage: Usage = {}
    use(usage, "post_investment_report_days", np.ones(n, dtype=bool))
    days = regime.peek("post_investment_report_days")
    ex, rungs, top = exemption_user_report(inputs, regime, usage)
    nd = non_designated_report(inputs, regime, usage)
    impl, idays = implementation_report(inputs, regime, usage)
    reports = report_rows(inputs, ex, nd, impl, days, idays)
    moved = report_dates(inputs, reports, regime, usage)
    any_due = _deal_rows(n, reports.deal)
    open_act = _deal_rows(n, inputs.acts.deal[inputs.acts.status == UNKNOWN])
    code = np.where(any_due, REPORTS_DUE, np.where(open_act, NO_REPORT_ACTS_OPEN, NO_REPORT)).astype(np.int8)
    return ReportColumns(code=code, exemption=ex, ladder_rungs=rungs, ladder_top=top, non_designated=nd, implementation=impl,
                         moved=moved, reports=reports, days=days, implementation_days=idays,
                         ladders={k: _ladder(regime, item) for k, item in LADDER_ITEM.items()}, usage=usage)


# -- the waiting period -----------------------------------------------------------------------------------

WAIT_NONE, WAIT_RUNS = 0, 1
EARLIEST_NOT_KNOWN, EARLIEST, EARLIEST_AND_SHORTENED = 0, 1, 2


@dataclass(frozen=True, eq=False)
class WaitingColumns:
    """Per deal row: the waiting-period code and status, the earliest closing dates and their code, and
    the periods of the table's date."""

    code: np.ndarray            # WAIT_NONE / WAIT_RUNS
    status: np.ndarray          # tri: the status the conclusion takes (must_file where a period runs)
    earliest_code: np.ndarray   # EARLIEST_NOT_KNOWN / EARLIEST / EARLIEST_AND_SHORTENED
    accepted: np.ndarray        # datetime64[D]
    earliest: np.ndarray        # datetime64[D]
    shortened: np.ndarray       # datetime64[D]
    days: int | None
    short: int | None
    extension: int | None
    max_months: int | None
    usage: Usage = field(default_factory=dict)


WAITING_ITEMS = ("waiting_period_days", "waiting_period_shortened_business_days", "waiting_period_extension_months",
                 "waiting_period_max_months", "advance_filing_max_months")


def waiting_columns(must_file: np.ndarray, accepted: np.ndarray, regime: Regime) -> WaitingColumns:
    """Art. 27(2)-(6) for every row: a prior notification starts a waiting period (no closing until 30
    days after acceptance; shortenable; extendable to four and five months). Art. 27(2) counts the
    period from the day of acceptance, that day included (受理された日から起算して), so the first
    permitted day is acceptance + days in calendar days (a prohibition period: holidays do not move it);
    a shortened period counts the offices' business days (営業日), the first after acceptance being day one."""
    usage: Usage = {}
    runs = must_file != NO
    for item in WAITING_ITEMS:
        use(usage, item, runs)
    days, short = regime.peek("waiting_period_days"), regime.peek("waiting_period_shortened_business_days")
    dated = runs & ~np.isnat(accepted) & (days is not None)
    earliest, shortened = np.full(len(accepted), NAT), np.full(len(accepted), NAT)
    if dated.any():
        use(usage, "waiting_period_counts_acceptance_day", dated)
        first_day = 0 if regime.peek_in_force("waiting_period_counts_acceptance_day") else 1
        earliest[dated] = accepted[dated] + np.timedelta64((days or 0) + first_day, "D")
        if short:
            use(usage, "administrative_holidays", dated)
            shortened[dated] = add_working_days_column(accepted[dated], short, regime) + np.timedelta64(1, "D")
    earliest_code = np.where(dated, EARLIEST_AND_SHORTENED if short else EARLIEST, EARLIEST_NOT_KNOWN).astype(np.int8)
    return WaitingColumns(code=np.where(runs, WAIT_RUNS, WAIT_NONE).astype(np.int8), status=np.where(runs, must_file, NO).astype(np.int8),
                          earliest_code=earliest_code, accepted=accepted, earliest=earliest, shortened=shortened, days=days, short=short,
                          extension=regime.peek("waiting_period_extension_months"), max_months=regime.peek("waiting_period_max_months"),
                          usage=usage)


# -- explanations: rendered from the codes, for one row ----------------------------------------------------

def _exemption_reason(c: ReportColumns, row: int, kind: int, before: float, after: float) -> tuple[Text, tuple[str, ...]] | None:
    code = int(c.exemption[row])
    if code == EX_UNLISTED:
        return (T("An acquisition of unlisted shares made under the exemption is reported after the fact.",
                  "免除を利用した非上場会社の株式の取得は事後報告の対象となる。"),
                ("exemption_post_report_unlisted_every_act", "post_investment_report_days"))
    if code not in (EX_LADDER_REACHED, EX_LADDER_NOT_REACHED):
        return None
    ladder, reached = c.ladders[kind], code == EX_LADDER_REACHED
    lower_en, lower_ja = ", ".join(pct(x) for x in ladder[:-1]) or "-", "、".join(pct(x) for x in ladder[:-1]) or "-"
    top = pct(ladder[-1]) if ladder else "-"
    return (T(f"An exemption user reports an acquisition that first reaches {lower_en} or ends at or above {top} (ladder for its class); this acquisition takes it from {pct(before)} to {pct(after)}"
              + (", so one report is due for it." if reached else ", so none is due."),
              f"免除利用者は、{lower_ja}に初めて到達する取得又は{top}以上となる取得について事後報告を行う。本件で{pct(before)}から{pct(after)}となる"
              + ("ため、本件取得について1件の報告を要する。" if reached else "ため、報告は不要。")),
            (LADDER_ITEM[kind], "post_investment_report_days"))


def _non_designated_reason(regime: Regime, label: Text, listed: bool, held: float | None) -> tuple[Text, tuple[str, ...]]:
    item = NON_DESIGNATED_ITEM[listed]
    threshold = pct(limit(regime, item).value)
    return (T(f"The target is in no designated business: {label.en.lower()} is reported after the fact when the holding is at least {threshold} (here {pct(held)}).",
              f"指定業種以外：{label.ja}は出資比率{threshold}以上で事後報告（本件{pct(held)}）。"), (item,))


def _implementation_reason(code: int, days: int | None) -> tuple[Text, tuple[str, ...]] | None:
    if code == IMPL_DUE:
        return (T(f"After executing a notified investment an implementation report is due within {days} days.",
                  f"届出に係る投資の実行後{days}日以内に実行報告が必要。"), ("implementation_report_days",))
    if code == IMPL_NOT_ENCODED:
        return (T("No implementation-report period is encoded for this date.", "本基準日について実行報告の期限はコード化されていない。"),
                ("implementation_report_days",))
    return None


def _trigger(trigger: int, ladder: list[float], mask: int, top: bool, label: Text | None) -> Text:
    if trigger == EXEMPT_UNLISTED:
        return T("Using the exemption (unlisted company)", "免除の利用（非上場会社）")
    if trigger == EXEMPT_LADDER:
        reached = _rungs(ladder, mask, top)
        return T(f"Using the exemption and reaching {', '.join(pct(t) for t in reached)}", f"免除を利用し{'、'.join(pct(t) for t in reached)}に到達")
    if trigger == NON_DESIGNATED:
        assert label is not None
        return T(f"{label.en} in a non-designated company", f"指定業種以外の会社に係る{label.ja}")
    return T("Executing the notified investment", "届出に係る対内直接投資等の実行")


def render_reports(regime: Regime, c: ReportColumns, inputs: ReportInputs, row: int) -> ReportConclusion:
    """Row ``row``'s conclusion: reasons in the order the rules run, the reports due, citations, summary."""
    r = Reasoning(regime)
    kind = int(inputs.exemption_kind[row])

    def say(reason: tuple[Text, tuple[str, ...]] | None) -> None:
        if reason is not None:
            r.say(reason[0].en, reason[0].ja, *reason[1])

    say(_exemption_reason(c, row, kind, float(inputs.before[row]), float(inputs.after[row])))
    a = inputs.acts
    acts = a.of_deal(row)
    for i in acts.start + np.flatnonzero(c.non_designated[acts] != ND_NOT_IN_POINT):
        say(_non_designated_reason(regime, a.label[i], bool(inputs.listed[row]), None if np.isnan(a.holding[i]) else float(a.holding[i])))
    say(_implementation_reason(int(c.implementation[row]), c.implementation_days))
    rep = c.reports
    mine = rep.of_deal(row)
    reports = [ReportDue(kind=KIND_CODES[rep.kind[i]],
                         trigger=_trigger(int(rep.trigger[i]), c.ladders.get(kind, []), int(c.ladder_rungs[row]), bool(c.ladder_top[row]),
                                          a.label[rep.act[i]] if rep.act[i] >= 0 else None),
                         deadline_days=None if rep.days[i] < 0 else int(rep.days[i]),
                         due_date=_as_date(rep.due[i]), statutory_due_date=_as_date(rep.statutory[i])) for i in range(mine.start, mine.stop)]
    code = int(c.code[row])
    if code != REPORTS_DUE:
        r.say("No post-investment or implementation report is due on these facts.", "本件事実の下では事後報告・実行報告は不要。")
        status: Status = "indeterminate" if code == NO_REPORT_ACTS_OPEN else "no"
        return ReportConclusion(**r.conclude("post_investment_report", status, T("No report due.", "報告不要。")))
    if c.moved[row]:
        r.cite("deadline_moves_past_holidays")
        r.cite("administrative_holidays")
    summary = T("; ".join(f"{x.trigger.en}: {deadline_text(x).en}" for x in reports),
                "、".join(f"{x.trigger.ja}：{deadline_text(x).ja}" for x in reports))
    return ReportConclusion(**r.conclude("post_investment_report", "yes", summary, reports=reports))


def render_waiting_period(regime: Regime, w: WaitingColumns, row: int) -> WaitingPeriodConclusion:
    """Row ``row``'s waiting-period conclusion from its codes and dates."""
    r = Reasoning(regime)
    if w.code[row] == WAIT_NONE:
        r.say("No prior notification, so no waiting period.", "事前届出を要しないため禁止期間はない。")
        return WaitingPeriodConclusion(**r.conclude("waiting_period", "no", T("No waiting period.", "禁止期間なし。")))
    days, short, ext, mx = w.days, w.short, w.extension, w.max_months
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
    accepted, earliest, shortened = _as_date(w.accepted[row]), _as_date(w.earliest[row]), _as_date(w.shortened[row])
    if w.earliest_code[row] != EARLIEST_NOT_KNOWN:
        r.say(f"Accepted on {accepted}: the {days}-day period counts that day as day one, so the earliest closing is {earliest}.",
              f"{accepted}受理：受理日を初日として{days}日を数えるため、最短の実行日は{earliest}。", "waiting_period_counts_acceptance_day")
    if w.earliest_code[row] == EARLIEST_AND_SHORTENED:
        r.say(f"If shortened to {short} business days (counted on administrative working days from the day after acceptance), the earliest closing is {shortened}.",
              f"{short}営業日（受理の翌日から行政機関の休日を除いて計算）に短縮された場合、最短の実行日は{shortened}。",
              "waiting_period_shortened_business_days", "administrative_holidays")
    if earliest is not None:
        summary = T(f"{summary.en.rstrip('.')}; earliest closing {earliest}" + (f" ({shortened} if shortened)." if shortened else "."),
                    f"{summary.ja.rstrip('。')}。最短の実行日は{earliest}" + (f"（短縮された場合は{shortened}）。" if shortened else "。"))
    status: Status = "yes" if w.status[row] == YES else "indeterminate"
    return WaitingPeriodConclusion(**r.conclude("waiting_period", status, summary, days=days, shortened_business_days=short,
                                                extension_months=ext, max_months=mx, earliest_closing_after_acceptance=days,
                                                earliest_closing_date=earliest, earliest_closing_date_if_shortened=shortened))


# -- per deal: a table of one -------------------------------------------------------------------------------

def accepted_dates(t: DealTable) -> np.ndarray:
    """The day each prior notification was accepted (NaT: not given)."""
    return t.column("reports.accepted",
                    lambda t: day_column([d.transaction.notification_accepted_date for d in t.deals]))


def report_inputs(t: DealTable, acts: Sequence[Sequence[ActConclusion]], ex: Sequence[ExemptionConclusion],
                  must_file: Sequence[Status]) -> ReportInputs:
    """The table's facts and the upstream conclusions of each row (acts, exemption, must_file) as columns.
    The holdings with closely related persons are read (by :func:`holding_with_related`, which counts
    what it uses in ``t.regime``) only for the rows on the ladder; a batch path may pass its own columns."""
    listed = t.column("reports.listed", lambda t: t.values(lambda d: bool(d.target.listed), dtype=bool))
    exemption = tri([tri_of(x.status) for x in ex])
    kind = np.array([KIND_CODE[x.kind] for x in ex], dtype=np.int8)
    before, after = np.full(t.n, np.nan), np.full(t.n, np.nan)
    for i in np.flatnonzero(on_the_ladder(listed, exemption, kind)):
        deal, tx, regime = t.deals[i], t.deals[i].transaction, t.regime_of(int(i))
        after[i] = holding_with_related(deal, regime, tx.voting_after or 0) or 0.0
        before[i] = holding_with_related(deal, regime, tx.voting_before) or 0.0
    closing = t.column("reports.closing", lambda t: day_column([d.transaction.closing_date for d in t.deals]))
    return ReportInputs(listed=listed, closing=closing, exemption=exemption, exemption_kind=kind,
                        must_file=tri([tri_of(m) for m in must_file]), acts=act_rows(acts), before=before, after=after)


def reports_of(t: DealTable, acts: Sequence[Sequence[ActConclusion]], ex: Sequence[ExemptionConclusion],
               must_file: Sequence[Status]) -> list[ReportConclusion]:
    """The reports due of every deal of the table, the columns computed once and each row rendered in its
    own regime."""
    inputs = report_inputs(t, acts, ex, must_file)
    c = report_columns(inputs, t.regime)
    record_uses(t.regimes, c.usage)
    return [render_reports(t.regime_of(k), c, inputs, k) for k in range(t.n)]


def post_investment_report_due(deal: Deal, regime: Regime, acts: list[ActConclusion], ex: ExemptionConclusion,
                               must_file: Status) -> ReportConclusion:
    """Is a post-investment report (事後報告) or an implementation report (実行報告) due, and by when?"""
    return reports_of(DealTable.one(deal, regime), [acts], [ex], [must_file])[0]


def waiting_periods_of(t: DealTable, must_file: Sequence[Status]) -> list[WaitingPeriodConclusion]:
    """The waiting period of every deal of the table (columns once, each row rendered in its own regime)."""
    w = waiting_columns(tri([tri_of(m) for m in must_file]), accepted_dates(t), t.regime)
    record_uses(t.regimes, w.usage)
    return [render_waiting_period(t.regime_of(k), w, k) for k in range(t.n)]


def waiting_period(deal: Deal, regime: Regime, must_file: Status) -> WaitingPeriodConclusion:
    """Art. 27(2)-(6): no closing until 30 days after acceptance; shortenable; extendable to four
    months, and to five where a recommendation is pursued and the Council needs more time."""
    return waiting_periods_of(DealTable.one(deal, regime), [must_file])[0]
