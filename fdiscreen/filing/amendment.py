"""What the 2026 FEFTA amendment (外国為替及び外国貿易法の一部を改正する法律, promulgated 2026-06-05)
changes for this deal, and whether it is in force on the date the deal is done.

The Act takes effect on a date a cabinet order fixes within one year of promulgation (附則, 施行期日);
only the interagency consultation (対日外国投資委員会) took effect on promulgation. Until the cabinet
order is found, the date is unknown: a deal date (the closing date, else the as-of date) after
promulgation and before the last day the Act allows is judged under both readings, and the cabinet
order's date is the fact to confirm. A date given with ``--assume-amendment-effective`` settles the
reading but stays the user's assumption. Much of the amended law waits for the cabinet order too
(sectors, investors, the direct holding entity's proportion, exemption, reports, call-in scope): every
conclusion that rests on one of those items says "assumed, pending the cabinet order".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from fdiscreen.filing.conclusion import WHO_COUNSEL, Conclusion, FactNeeded, Reasoning, Status, status_of
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal
from fdiscreen.ownership import Tri
from fdiscreen.regime import Regime, add_citation

if TYPE_CHECKING:
    from fdiscreen.filing.acts import ActConclusion
    from fdiscreen.mof_list import MofList
    from fdiscreen.filing.exemption import ExemptionConclusion
    from fdiscreen.filing.reports import ReportConclusion

EFFECTIVE = "amendment_2026_effective_date"
PROMULGATED = "amendment_2026_promulgation_date"
LATEST = "amendment_2026_latest_effective_date"

PENDING = T("assumed, pending the cabinet order", "仮定（政令未制定）")
"""The label every conclusion that rests on the amendment's subordinate legislation carries."""

EffectiveBasis = Literal["cabinet_order", "user_assumption", "unknown", "not_enacted"]
DealDateSource = Literal["closing_date", "as_of"]


class AmendmentTiming(BaseModel):
    """Whether the 2026 amendment (other than the interagency consultation) is in force on the deal's
    date (実行日), as far as the law known on the as-of date tells."""

    promulgated: dt.date | None = None
    latest_effective_date: dt.date | None = None
    effective_date: dt.date | None = None
    """The date the cabinet order fixed, or the user's assumed date; None while unknown."""
    basis: EffectiveBasis = "not_enacted"
    deal_date: dt.date
    deal_date_source: DealDateSource = "as_of"
    in_force: Tri = False
    """In force on ``deal_date``: None while the cabinet order's date is unknown and the deal date
    falls after promulgation and before the last day the Act allows."""
    in_force_on_as_of: Tri = False


def in_force_on(day: dt.date, promulgated: dt.date, latest: dt.date | None, effective: dt.date | None) -> Tri:
    """In force on ``day``? With a known date, from that date. With none: not on or before promulgation
    (only the interagency consultation took effect then); certainly on and after the last day the Act
    allows (the order can fix no later date); either way in between."""
    if effective is not None:
        return day >= effective
    if day <= promulgated:
        return False
    if latest is not None and day >= latest:
        return True
    return None


def amendment_timing(deal: Deal, regime: Regime) -> AmendmentTiming:
    """Where the deal date stands against the amendment's entry into force. The deal date is the planned
    closing date when it is after the as-of date (the acts are done then), else the as-of date, on which
    the whole determination reads the law (a past closing, as in a replayed case, is read like the rest)."""
    closing = deal.transaction.closing_date
    later = closing is not None and closing > regime.as_of
    day, source = (closing, "closing_date") if later else (regime.as_of, "as_of")
    user = EFFECTIVE in regime.overrides
    promulgated = regime.date_value(PROMULGATED)
    if promulgated is None and not user:
        return AmendmentTiming(deal_date=day, deal_date_source=source)
    latest = regime.date_value(LATEST)
    fixed = not regime.item(EFFECTIVE).assumption
    effective = regime.date_value(EFFECTIVE) if user or fixed else None
    basis: EffectiveBasis = "user_assumption" if user else "cabinet_order" if fixed else "unknown"
    start = promulgated or regime.as_of
    return AmendmentTiming(promulgated=promulgated, latest_effective_date=latest, effective_date=effective, basis=basis,
                           deal_date=day, deal_date_source=source, in_force=in_force_on(day, start, latest, effective),
                           in_force_on_as_of=in_force_on(regime.as_of, start, latest, effective))


def cite_timing(r: Reasoning, timing: AmendmentTiming) -> None:
    """Cite the dates the timing rests on: the cabinet order's or the user's date; while none is known,
    promulgation and the last day the Act allows, and the assumed date only when the deal date turns
    on it (none before the Act was promulgated)."""
    if timing.basis == "not_enacted":
        return
    if timing.basis == "unknown":
        r.cite(PROMULGATED)
        r.cite(LATEST)
    if timing.basis != "unknown" or timing.in_force is None:
        r.cite(EFFECTIVE)


def amended_law(regime: Regime, timing: AmendmentTiming) -> Regime:
    """The law as it reads once the amendment is in force: the regime itself when it already is on the
    as-of date, else the same law read on the deal date or on the date the amendment is read as taking
    effect, whichever is later. Call ``record_use`` after reading it."""
    if regime.in_force("indirect_acquisition"):
        return regime
    keyed = regime.date_value(EFFECTIVE)
    day = max(d for d in (timing.deal_date, keyed, regime.as_of) if d is not None)
    return regime.fork(day)


def record_use(regime: Regime, law: Regime) -> None:
    """Count what the amended-law reading used as used by the screening, so its assumptions are listed."""
    if law is not regime:
        regime.used.update(law.used)
        regime.later_values.update({i: law._raw_value(i) for i in law.used})


def effective_phrase(timing: AmendmentTiming) -> Text:
    """How the in-force date is known: the cabinet order's date, the user's assumption, or unknown."""
    if timing.basis == "cabinet_order":
        return T(f"in force from {timing.effective_date} (cabinet order)", f"{timing.effective_date}施行（政令）")
    if timing.basis == "user_assumption":
        return T(f"assumed in force from {timing.effective_date} (the user's assumption of the in-force date)",
                 f"{timing.effective_date}施行と仮定（利用者の仮定による施行日）")
    return T(f"in-force date not yet fixed by cabinet order (it can be no later than {timing.latest_effective_date})",
             f"施行日は政令未制定（遅くとも{timing.latest_effective_date}まで）")


def deal_date_phrase(timing: AmendmentTiming) -> Text:
    if timing.deal_date_source == "closing_date":
        return T(f"the planned closing on {timing.deal_date}", f"実行予定日{timing.deal_date}")
    return T(f"the as-of date {timing.deal_date} (no later closing date given)", f"基準日{timing.deal_date}（これより後の実行予定日の記載なし）")


def pending_date_fact(timing: AmendmentTiming) -> FactNeeded:
    """The fact that settles a deal date inside the window: the date the cabinet order fixes."""
    return FactNeeded(
        path=EFFECTIVE,
        question=T(f"On what date does the cabinet order bring the 2026 amendment into force: on or before {timing.deal_date}? "
                   "(a date can be assumed for the screening meanwhile)",
                   f"政令が定める2026年改正法の施行日は{timing.deal_date}以前か（それまでは施行日を仮定して判定できる）"),
        conservative_reading=T("treat the amended law as in force by closing", "実行時に改正法が施行済みとして扱う"),
        who_confirms=WHO_COUNSEL)


def say_window(r: Reasoning, timing: AmendmentTiming) -> None:
    """Say that the deal date falls inside the window in which the cabinet order may bring the
    amendment into force, so both readings follow."""
    when = deal_date_phrase(timing)
    r.say(f"The cabinet order has not fixed the in-force date, and {when.en} falls after promulgation ({timing.promulgated}) "
          f"and before the last day the Act allows ({timing.latest_effective_date}): both readings follow.",
          f"施行日を定める政令は未制定であり、{when.ja}は公布日（{timing.promulgated}）後、法が許容する施行期限（{timing.latest_effective_date}）前である。以下の両方の読み方を示す。",
          EFFECTIVE, LATEST)


def say_both_readings(r: Reasoning, timing: AmendmentTiming, if_in_force: Text, if_not: Text, decisive: bool = True) -> None:
    """The two readings of a deal date inside the window, and (when they differ: ``decisive``) the fact
    that decides between them."""
    r.say(f"If in force by then: {if_in_force.en}", f"それまでに施行される場合：{if_in_force.ja}")
    r.say(f"If not yet in force: {if_not.en}", f"施行前の場合：{if_not.ja}")
    if decisive:
        fact = pending_date_fact(timing)
        r.need(fact.path, fact.question, fact.conservative_reading, fact.who_confirms)


def with_label(text: Text, en: str, ja: str) -> Text:
    """``text`` with a parenthesised label before its closing full stop."""
    return T(f"{text.en.rstrip('.')} ({en}).", f"{text.ja.rstrip('。')}（{ja}）。")


def pending_assumptions(c: Conclusion) -> list[str]:
    """The amendment items marked assumption that a conclusion cites (the in-force date apart)."""
    return [x.item for x in c.citations if x.assumption and x.item != EFFECTIVE and x.item.startswith(_PENDING_PREFIXES)]


_PENDING_PREFIXES = ("indirect_", "call_in_", "amendment_2026_streamlining")


class AmendmentChange(BaseModel):
    item: str
    in_force: Tri
    """In force on the deal date; None while that turns on the cabinet order's date."""
    applies_to_deal: bool
    text: Text
    assumptions: list[str] = Field(default_factory=list)
    """Factor items marked assumption this change rests on (pending the cabinet order)."""


class AmendmentConclusion(Conclusion):
    effective_date: dt.date | None = None
    """The date the amendment is read as taking effect: the cabinet order's, the user's, or (while
    unknown) the last day the Act allows."""
    effective_date_assumed: bool = True
    """True unless a cabinet order fixed the date (a date the user gives is an assumption too)."""
    effective_date_basis: EffectiveBasis = "not_enacted"
    promulgated: dt.date | None = None
    latest_effective_date: dt.date | None = None
    deal_date: dt.date | None = None
    deal_date_source: DealDateSource = "as_of"
    in_force: Tri = False
    """In force on the deal date (closing date, else as-of date); None while unknown."""
    in_force_on_as_of: Tri = False
    changes: list[AmendmentChange] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    """Every pending-law assumption the deal's conclusions rest on (the in-force date included)."""


def pending_points(n: int) -> Text:
    """'3 points the cabinet order will settle, listed with the assumptions': prose names no factor id
    (the ids stay in the structured ``assumptions`` fields, and outputs list them with their labels)."""
    return T(f"{n} point{'s' if n > 1 else ''} the cabinet order will settle, listed with the assumptions",
             f"政令で定められる{n}点（前提とした仮定に列挙）")


def _with_pending(text: Text, items: list[str]) -> Text:
    if not items:
        return text
    points = pending_points(len(items))
    return T(f"{text.en} ({PENDING.en}: {points.en})", f"{text.ja}（{PENDING.ja}：{points.ja}）")


def _indirect_change(deal: Deal, timing: AmendmentTiming, acts: list[ActConclusion]) -> AmendmentChange | None:
    if deal.transaction.indirect is None:
        return None
    act = next(a for a in acts if a.act == "indirect_acquisition")
    on = timing.in_force
    text = {True: T("Indirect acquisition is inward direct investment: buying 50% or more of the overseas holding entity needs the same filing analysis as a direct purchase.",
                    "間接取得が対内直接投資等となり、海外の直接保有者の議決権50%以上の取得は直接取得と同様の届出判断を要する。"),
            False: T("Once in force, buying 50% or more of the overseas holding entity becomes inward direct investment; on the deal date it is outside FEFTA.",
                     "施行後は、海外の直接保有者の議決権50%以上の取得が対内直接投資等となる（本件の実行日には外為法の対象外）。"),
            None: T("Buying 50% or more of the overseas holding entity is inward direct investment if the amendment is in force by the deal date, and outside FEFTA if not.",
                    "海外の直接保有者の議決権50%以上の取得は、実行日までに改正法が施行されていれば対内直接投資等となり、施行前であれば外為法の対象外である。")}[on]
    pending = pending_assumptions(act)
    return AmendmentChange(item="indirect_acquisition", in_force=on, applies_to_deal=act.status != "no" or on is False,
                           text=_with_pending(text, pending), assumptions=pending)


_DECISIVE = ("indirect_acquisition", "deemed_foreign_investor_contract", "risk_mitigation_notification")
"""Changes that alter what the deal must file or report (the call-in power and the consultation do not)."""


def _call_in_change(r: Reasoning, timing: AmendmentTiming, foreign: bool) -> AmendmentChange:
    r.cite("call_in_power")
    law = amended_law(r.regime, timing)
    scope = law.cite("call_in_power_scope")
    lookback = law.cite("call_in_lookback_years")
    record_use(r.regime, law)
    for c in (scope, lookback):
        add_citation(r.citations, c)
    pending = ["call_in_power_scope", "call_in_lookback_years"]
    text = T("Even without a notification, ministers may demand reports and, if a serious security risk arises, recommend and order disposal of the shares.",
             "届出不要の投資でも、安全保障上のおそれが大きい場合には報告徴収及び株式処分等の勧告・命令があり得る。")
    return AmendmentChange(item="call_in_power", in_force=timing.in_force, applies_to_deal=foreign, text=_with_pending(text, pending),
                           assumptions=pending)


def _state_timing(r: Reasoning, timing: AmendmentTiming, decisive: bool) -> None:
    """Say how the in-force date is known and where the deal date stands; inside the window, name the
    cabinet order's date as a fact to confirm when a change that alters the deal's filings hangs on it
    (``decisive``)."""
    cite_timing(r, timing)
    how, when = effective_phrase(timing), deal_date_phrase(timing)
    if timing.in_force is True:
        why = (T(f" {when.en} is on or after the last day the Act allows, so it is in force whatever date the cabinet order fixes.",
                 f"{when.ja}は法が許容する施行期限以後であり、政令がいずれの日を定めても施行済みである。")
               if timing.basis == "unknown" else T("", ""))
        r.say(f"The amendment is in force on {when.en}: {how.en}.{why.en}", f"{when.ja}には改正法は施行済み：{how.ja}。{why.ja}")
    elif timing.in_force is False:
        r.say(f"The amendment is enacted but not in force on {when.en}: {how.en}. An in-force date can be assumed to see its effect.",
              f"改正法は成立済みだが{when.ja}には未施行：{how.ja}。施行日を仮定してその影響を判定できる。")
    else:
        r.say(f"Whether the amendment is in force on {when.en} turns on the cabinet order's date: {how.en}.",
              f"{when.ja}に改正法が施行されているかは政令の定める施行日による：{how.ja}。")
        if decisive:
            fact = pending_date_fact(timing)
            r.need(fact.path, fact.question, fact.conservative_reading, fact.who_confirms)
        else:
            r.say("No filing of this deal turns on that date.", "本件の届出・報告の要否はその日付に左右されない。")
    if timing.deal_date_source == "closing_date" and timing.in_force_on_as_of is not timing.in_force:
        state = {True: T("in force", "施行済み"), False: T("not in force", "未施行"), None: T("possibly in force", "施行済みか未確定")}
        r.say(f"(On the as-of date {r.regime.as_of} it is {state[timing.in_force_on_as_of].en}; the closing date governs the acts of the deal.)",
              f"（基準日{r.regime.as_of}には{state[timing.in_force_on_as_of].ja}。本件の行為には実行予定日の法令が適用される。）")


def amendment_2026(deal: Deal, regime: Regime, acts: list[ActConclusion], must_file: Status,
                   others: list[Conclusion] | None = None) -> AmendmentConclusion:
    """Report each element of the 2026 amendment: whether it is in force on the deal date (closing
    date, else as-of date), whether it touches this deal, and which parts are assumptions pending the
    cabinet order. ``others`` are the deal's other conclusions, searched for those assumptions."""
    r = Reasoning(regime)
    timing = amendment_timing(deal, regime)
    if timing.basis == "not_enacted":
        r.say("On this date the 2026 amendment had not been enacted.", "本基準日には2026年改正法は成立していない。")
        return AmendmentConclusion(**r.conclude("amendment_2026", "no", T("Not yet law on this date.", "本基準日には未成立。"),
                                                deal_date=timing.deal_date, deal_date_source=timing.deal_date_source))
    changes: list[AmendmentChange] = []
    indirect = _indirect_change(deal, timing, acts)
    if indirect:
        changes.append(indirect)
        r.cite("indirect_acquisition")
    if deal.transaction.nominee is not None:
        changes.append(AmendmentChange(item="deemed_foreign_investor_contract", in_force=timing.in_force, applies_to_deal=True, text=T(
            "A person acting under a contract for non-residents without using their names is deemed a foreign investor, for specified acquisitions too.",
            "契約等に基づき非居住者等のために名義によらないで行う者は、特定取得を含め外国投資家とみなされる。")))
        r.cite("deemed_foreign_investor_contract")
    mitigations = bool(deal.transaction.risk_mitigation_measures)
    if must_file != "no":
        changes.append(AmendmentChange(item="risk_mitigation_notification", in_force=timing.in_force, applies_to_deal=mitigations, text=T(
            "Risk-mitigation measures offered must be stated in the prior notification, and any change to them notified in advance.",
            "リスク軽減措置を講じる場合は事前届出に記載し、その変更は事前に届け出なければならない。")))
        r.cite("risk_mitigation_notification")
    else:
        foreign = next((c for c in others or [] if c.id == "foreign_investor"), None)
        changes.append(_call_in_change(r, timing, foreign is None or foreign.status != "no"))
    consult = regime.in_force("interagency_consultation")
    changes.append(AmendmentChange(item="interagency_consultation", in_force=consult, applies_to_deal=must_file != "no", text=T(
        "Ministers must seek the views of relevant agency heads when they judge it necessary (Committee on Foreign Investment in Japan); in force since promulgation.",
        "必要と認めるときは関係行政機関の長の意見を求める（対日外国投資委員会）。公布日から施行。")))
    r.cite("interagency_consultation")
    _state_timing(r, timing, any(c.applies_to_deal and c.item in _DECISIVE for c in changes))
    date_assumed = timing.basis == "user_assumption" or timing.basis == "unknown" and timing.in_force is None
    assumed = list(dict.fromkeys([*([EFFECTIVE] if date_assumed else []), *(i for c in [*acts, *(others or [])] for i in pending_assumptions(c)),
                                  *(i for ch in changes if ch.applies_to_deal for i in ch.assumptions)]))
    touches = [c for c in changes if c.applies_to_deal and c.item != "interagency_consultation"]
    state = {True: T("in force", "施行済み"), False: T("not yet in force", "未施行"), None: T("possibly in force (it turns on the cabinet order's date)", "施行済みか未確定（政令の定める施行日による）")}[timing.in_force]
    how, when = effective_phrase(timing), deal_date_phrase(timing)
    rests = [i for i in assumed if i != EFFECTIVE]
    points = pending_points(len(rests))
    tail = T(f"; {PENDING.en}: {points.en}", f"。{PENDING.ja}：{points.ja}") if rests else T("", "")
    summary = T(f"2026 amendment {state.en} on {when.en} ({how.en}); {len(touches)} change(s) touch this deal{tail.en}.",
                f"2026年改正は{when.ja}に{state.ja}（{how.ja}）。本件に関係する変更{len(touches)}件{tail.ja}。")
    if rests:
        r.say(f"Parts of this analysis rest on the amendment's subordinate legislation, not yet made ({PENDING.en}): {points.en}.",
              f"本分析の一部は未制定の下位法令に依拠する（{PENDING.ja}）：{points.ja}。")
    status: Status = status_of(timing.in_force)
    return AmendmentConclusion(**r.conclude("amendment_2026", status, summary, effective_date=regime.date_value(EFFECTIVE) if timing.basis == "unknown" else timing.effective_date,
                                            effective_date_assumed=timing.basis != "cabinet_order", effective_date_basis=timing.basis,
                                            promulgated=timing.promulgated, latest_effective_date=timing.latest_effective_date,
                                            deal_date=timing.deal_date, deal_date_source=timing.deal_date_source,
                                            in_force=timing.in_force, in_force_on_as_of=timing.in_force_on_as_of, changes=changes,
                                            assumptions=assumed))


def _indirect_notifiable(acts: list[ActConclusion]) -> ActConclusion | None:
    return next((a for a in acts if a.act == "indirect_acquisition" and a.status != "no"), None)


def label_exemption(ex: ExemptionConclusion, acts: list[ActConclusion]) -> ExemptionConclusion:
    """The exemption conclusion, saying that leaving an indirect acquisition outside the exemption is
    an assumption pending the cabinet order (the exemption criteria for the new act are not made)."""
    act = _indirect_notifiable(acts)
    if act is None or act.notification not in ("prior_notification", None) or ex.status == "yes":
        return ex
    cite = next((c for c in act.citations if c.item == "indirect_acquisition_exemption_available"), None)
    if cite is None:
        return ex
    reason = T(f"No exemption for the indirect acquisition: {PENDING.en}.", f"間接取得には免除制度を利用できない：{PENDING.ja}。")
    only_indirect = all(a is act or a.status == "no" or a.notification in ("none", "post_investment_report") for a in acts)
    summary = with_label(ex.summary, PENDING.en, PENDING.ja) if only_indirect else ex.summary
    return ex.model_copy(update={"reasons": [*ex.reasons, reason], "citations": [*ex.citations, cite], "summary": summary})


def label_reports(rep: ReportConclusion, acts: list[ActConclusion]) -> ReportConclusion:
    """The report conclusion, saying that a post-investment report for an indirect acquisition of a
    non-designated company is an assumption pending the cabinet order."""
    act = next((a for a in acts if a.act == "indirect_acquisition" and a.status == "yes" and a.notification == "post_investment_report"), None)
    cite = None if act is None else next((c for c in act.citations if c.item == "indirect_acquisition_non_designated_report"), None)
    if cite is None:
        return rep
    reason = T(f"The post-investment report for the indirect acquisition is {PENDING.en}.", f"間接取得に係る事後報告は{PENDING.ja}。")
    summary = with_label(rep.summary, f"{PENDING.en} for the indirect acquisition", f"間接取得について{PENDING.ja}")
    return rep.model_copy(update={"reasons": [*rep.reasons, reason], "citations": [*rep.citations, cite], "summary": summary})


def outcome_note(amend: AmendmentConclusion, decisive: list[Conclusion]) -> Text | None:
    """The sentence the outcome line adds when the outcome rests on pending law: which parts are
    assumptions (the in-force date, the cabinet order's content)."""
    items = list(dict.fromkeys(x.item for c in decisive for x in c.citations
                               if x.assumption and (x.item == EFFECTIVE or x.item.startswith(_PENDING_PREFIXES))))
    if not items:
        return None
    parts_en, parts_ja = [], []
    if EFFECTIVE in items:
        parts_en.append({"user_assumption": f"the in-force date {amend.effective_date} (the user's assumption)",
                         "unknown": "the in-force date (no cabinet order yet)",
                         "cabinet_order": f"the in-force date {amend.effective_date}"}.get(amend.effective_date_basis, "the in-force date"))
        parts_ja.append({"user_assumption": f"施行日{amend.effective_date}（利用者の仮定）", "unknown": "施行日（政令未制定）",
                         "cabinet_order": f"施行日{amend.effective_date}"}.get(amend.effective_date_basis, "施行日"))
    rest = [i for i in items if i != EFFECTIVE]
    if rest:
        points = pending_points(len(rest))
        parts_en.append(f"{points.en} ({PENDING.en})")
        parts_ja.append(f"{points.ja}（{PENDING.ja}）")
    return T(f"Rests on assumptions about the 2026 amendment: {'; '.join(parts_en)}.",
             f"2026年改正に関する仮定に依拠：{'；'.join(parts_ja)}。")


def both_readings_note(deal: Deal, regime: Regime, mof: MofList | None, amend: AmendmentConclusion,
                       decisive: list[Conclusion]) -> Text | None:
    """When the outcome turns on the unknown in-force date (a decisive conclusion names it as a fact to
    confirm), the outcome under each reading: in force by the deal date, or not yet."""
    if amend.in_force is not None or amend.deal_date is None or not any(f.path == EFFECTIVE for c in decisive for f in c.facts_needed):
        return None
    from fdiscreen.filing import base_outcome, determine
    from fdiscreen.regime import make_regime

    others = {k: v for k, v in regime.overrides.items() if k != EFFECTIVE}
    lines = []
    for effective in (amend.deal_date, amend.deal_date + dt.timedelta(days=1)):
        det = determine(deal, make_regime(regime.as_of, others, amendment_effective=effective, root=str(regime.catalog.root)), mof)
        lines.append(base_outcome(det.foreign_investor, det.must_file, det.exemption, det.post_investment_report).summary)
    on, off = lines
    return T(f"If the 2026 amendment is in force by {amend.deal_date}: {on.en} If not: {off.en}",
             f"2026年改正が{amend.deal_date}までに施行される場合：{on.ja}施行前の場合：{off.ja}")
