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

Each rule is written once over columns: :func:`timing_columns` (per deal row the deal date and a timing
code: not enacted, in force, not in force, or both readings while the in-force date is unknown),
:func:`amendment_columns` (a code per change and row: absent, listed, touching the deal) and the labels of
the exemption and report conclusions (:func:`exemption_label_columns`, :func:`report_label_columns`).
:func:`amendments_of`, :func:`label_exemptions` and :func:`label_reports` run them on a table of deals and
render each row from the codes; :func:`amendment_timing` and :func:`amendment_2026` are a table of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, Field

from fdiscreen.columns import NO, UNKNOWN, YES, DealTable, tri, tri_value
from fdiscreen.filing.conclusion import WHO_COUNSEL, Conclusion, FactNeeded, Reasoning, Status, status_of, tri_of
from fdiscreen.i18n import T, Text
from fdiscreen.lookthrough import Usage, use
from fdiscreen.lookthrough import record_use as record_rows
from fdiscreen.model import Deal
from fdiscreen.ownership import Tri
from fdiscreen.regime import Citation, Regime, add_citation

from fdiscreen.filing.acts import ACT_CODE, NOTICE_OPEN, POST_REPORT, PRIOR, ActConclusion, ActRows, act_rows

if TYPE_CHECKING:
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


# == over columns ====================================================================================
# The same law, written once over a DealTable (one row per deal; a deal alone is a table of one): the
# timing of the amendment per row (a code: not enacted, in force, not in force, both readings), a code per
# change of the amendment per row (absent, listed, touching the deal), and the labels the exemption and
# report conclusions carry. Sentences are rendered from the codes below, for one row at a time.

#: the timing of the amendment on the deal date (AmendmentColumns.code, TimingColumns.code), per deal row
TIMING_NOT_ENACTED = 0   #: not enacted on the as-of date (and no in-force date assumed): not law
TIMING_IN_FORCE = 1      #: in force on the deal date
TIMING_NOT_IN_FORCE = 2  #: enacted, not in force on the deal date
TIMING_BOTH = 3          #: inside the window: it turns on the cabinet order's date, both readings follow

_TIMING_OF_TRI = np.array([TIMING_BOTH, TIMING_NOT_IN_FORCE, TIMING_IN_FORCE], dtype=np.int8)  # by tri + 1

#: what the user or the law tells of the in-force date, one per table (TimingColumns.basis)
BASIS_CODES: tuple[EffectiveBasis, ...] = ("not_enacted", "cabinet_order", "user_assumption", "unknown")


def day_numbers(days: Sequence[dt.date | None]) -> np.ndarray:
    """Dates as their proleptic Gregorian ordinals (``date.toordinal``; None: 0, before every date)."""
    return np.array([0 if d is None else d.toordinal() for d in days], dtype=np.int64)


def in_force_on_days(days: np.ndarray, promulgated: dt.date, latest: dt.date | None, effective: dt.date | None) -> np.ndarray:
    """In force on each day (tri; ``days`` as :func:`day_numbers`)? With a known date, from that date.
    With none: not on or before promulgation (only the interagency consultation took effect then);
    certainly on and after the last day the Act allows (the order can fix no later date); either way in
    between."""
    if effective is not None:
        return (days >= effective.toordinal()).astype(np.int8)  # YES 1, NO 0
    after = days > promulgated.toordinal()
    if latest is None:
        return -after.astype(np.int8)  # UNKNOWN -1 after promulgation, else NO 0
    return (after.astype(np.int8) * np.where(days >= latest.toordinal(), YES, UNKNOWN)).astype(np.int8)


def in_force_on(day: dt.date, promulgated: dt.date, latest: dt.date | None, effective: dt.date | None) -> Tri:
    """:func:`in_force_on_days` for one day."""
    return tri_value(int(in_force_on_days(day_numbers([day]), promulgated, latest, effective)[0]))


@dataclass(frozen=True, eq=False)
class TimingColumns:
    """Where each deal row's date stands against the amendment's entry into force: per row the deal date
    (the closing date when later than the as-of date, else the as-of date), whether it is the closing
    date, whether the amendment is in force on it (tri) and the timing code; per table (one as-of date,
    one regime) the basis of the in-force date and the dates the law gives; per item the rows that
    needed it (``usage``)."""

    basis: EffectiveBasis
    promulgated: dt.date | None
    latest: dt.date | None
    effective: dt.date | None
    deal_date: np.ndarray        # day numbers (date ordinals)
    from_closing: np.ndarray     # bool: the deal date is the planned closing date
    in_force: np.ndarray         # tri
    in_force_on_as_of: int       # tri, one per table
    code: np.ndarray             # TIMING_*
    usage: Usage


def _peek_date(regime: Regime, item: str) -> dt.date | None:
    """A date item's value on the as-of date, read without counting it as used."""
    val = regime.peek(item)
    return None if val is None else val if isinstance(val, dt.date) else dt.date.fromisoformat(str(val))


def deal_dates(table: DealTable) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the deal date and whether it is the closing date: the planned closing date when it is
    after the as-of date (the acts are done then), else the as-of date, on which the whole determination
    reads the law (a past closing, as in a replayed case, is read like the rest)."""
    closing = day_numbers([d.transaction.closing_date for d in table.deals])
    as_of = table.regime.as_of.toordinal()
    later = closing > as_of
    return np.where(later, closing, as_of), later


def timing_columns(table: DealTable) -> TimingColumns:
    """The amendment's timing for every row of the table (built once per table)."""
    return table.column("amendment.timing", _timing_columns)


def _timing_columns(table: DealTable) -> TimingColumns:
    regime, n = table.regime, table.n
    day, from_closing = deal_dates(table)
    every = np.ones(n, dtype=bool)
    usage: Usage = {PROMULGATED: every}
    user = EFFECTIVE in regime.overrides
    promulgated = _peek_date(regime, PROMULGATED)
    if promulgated is None and not user:
        no = np.full(n, NO, dtype=np.int8)
        return TimingColumns("not_enacted", None, None, None, day, from_closing, no, NO,
                             np.full(n, TIMING_NOT_ENACTED, dtype=np.int8), usage)
    latest = _peek_date(regime, LATEST)
    usage[LATEST] = every
    fixed = not regime.item(EFFECTIVE).assumption
    effective = _peek_date(regime, EFFECTIVE) if user or fixed else None
    if user or fixed:
        usage[EFFECTIVE] = every
    basis: EffectiveBasis = "user_assumption" if user else "cabinet_order" if fixed else "unknown"
    start = promulgated or regime.as_of
    both = in_force_on_days(np.append(day, regime.as_of.toordinal()), start, latest, effective)
    on, on_as_of = both[:-1], int(both[-1])
    return TimingColumns(basis, promulgated, latest, effective, day, from_closing, on, on_as_of, _TIMING_OF_TRI[on + 1], usage)


def timing_of(c: TimingColumns, row: int) -> AmendmentTiming:
    """Row ``row``'s timing as the model the sentences read."""
    return AmendmentTiming(promulgated=c.promulgated, latest_effective_date=c.latest, effective_date=c.effective, basis=c.basis,
                           deal_date=dt.date.fromordinal(int(c.deal_date[row])), deal_date_source="closing_date" if c.from_closing[row] else "as_of",
                           in_force=tri_value(int(c.in_force[row])), in_force_on_as_of=tri_value(c.in_force_on_as_of))


def amendment_timing(deal: Deal, regime: Regime) -> AmendmentTiming:
    """Where the deal date stands against the amendment's entry into force (see :func:`deal_dates`):
    the timing columns of the deal as a table of one, row 0, its items counted as used."""
    c = timing_columns(DealTable.one(deal, regime))
    record_rows(regime, c.usage, slice(0, 1))
    return timing_of(c, 0)


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


# -- the changes of the amendment, per deal row ---------------------------------------------------------

#: the changes in the order the conclusion lists them (AmendmentColumns.changes: one column each)
CHANGE_ITEMS = ("indirect_acquisition", "deemed_foreign_investor_contract", "risk_mitigation_notification", "call_in_power",
                "interagency_consultation")
INDIRECT, NOMINEE, RISK_MITIGATION, CALL_IN, CONSULTATION = range(len(CHANGE_ITEMS))
#: per change and row (AmendmentColumns.changes)
CHANGE_ABSENT = 0    #: not listed for the deal
CHANGE_LISTED = 1    #: listed, but it does not touch the deal
CHANGE_APPLIES = 2   #: listed, and it touches the deal

#: the indirect-acquisition act's status in AmendmentInputs.indirect_act when the deal has no such act
NO_ACT = -2


@dataclass(frozen=True, eq=False)
class AmendmentInputs:
    """The upstream answers the amendment reads, one per deal row (a later batch path passes columns for
    many rows; the per-deal adapter passes one-row columns made from the deal's conclusions)."""

    indirect_act: np.ndarray  # int8: the indirect-acquisition act's status (tri), NO_ACT when there is none
    must_file: np.ndarray     # tri: must the investor file a prior notification
    foreign: np.ndarray       # tri: is the acquirer a foreign investor (unknown when not given)


@dataclass(frozen=True, eq=False)
class AmendmentColumns:
    """The amendment for every row of a table: the conclusion code (the timing code), the status (tri),
    a code per change (``CHANGE_*``, one column per item of ``CHANGE_ITEMS``), whether a change that alters
    what the deal must file or report (indirect acquisition, the nominee contract rule, the risk-mitigation
    notification; not the call-in power or the consultation) touches it (``decisive``), whether the in-force date is an
    assumption of the row, and per item the rows that needed it."""

    timing: TimingColumns
    code: np.ndarray
    status: np.ndarray
    changes: np.ndarray              # int8 [rows, len(CHANGE_ITEMS)]
    consultation_in_force: bool      # one per table
    decisive: np.ndarray
    date_assumed: np.ndarray
    usage: Usage


def amendment_columns(table: DealTable, inputs: AmendmentInputs) -> AmendmentColumns:
    """Each element of the 2026 amendment for every deal row: whether it is in force on the deal date
    (closing date, else as-of date) and whether it touches the deal. Indirect acquisition: for a deal
    structured through an overseas holding entity, touching it when the act is not ruled out or the
    amendment is not in force; the nominee contract rule: for a deal with a nominee; when a filing may be
    due, the risk-mitigation notification (touching a deal that offers measures), else the call-in power
    (touching an acquirer not known to be domestic); the interagency consultation, touching a deal that
    may be filed."""
    regime, timing = table.regime, timing_columns(table)
    enacted = timing.code != TIMING_NOT_ENACTED
    indirect = enacted & _transaction_has(table, "indirect")
    nominee = enacted & _transaction_has(table, "nominee")
    offered = _transaction_has(table, "risk_mitigation_measures")
    may_file = inputs.must_file != NO
    indirect_touches = indirect & ((inputs.indirect_act != NO) & (inputs.indirect_act != NO_ACT) | (timing.in_force == NO))
    mitigation_touches = enacted & may_file & offered
    listed = np.array([indirect, nominee, enacted & may_file, enacted & ~may_file, enacted])  # in CHANGE_ITEMS order
    touches = np.array([indirect_touches, nominee, mitigation_touches, inputs.foreign != NO, may_file]) & listed
    changes = (listed * (CHANGE_LISTED + touches)).T.astype(np.int8)  # CHANGE_ABSENT 0, CHANGE_LISTED 1, CHANGE_APPLIES 2
    usage: Usage = dict(timing.usage)
    use(usage, "interagency_consultation", enacted)
    use(usage, EFFECTIVE, enacted)  # the conclusion gives the in-force date read (the assumed one while unknown)
    date_assumed = (timing.in_force == UNKNOWN) if timing.basis == "unknown" else np.full(table.n, timing.basis == "user_assumption")
    return AmendmentColumns(timing=timing, code=timing.code, status=timing.in_force, changes=changes,
                            consultation_in_force=_in_force_value(regime.peek("interagency_consultation")),
                            decisive=indirect_touches | nominee | mitigation_touches, date_assumed=date_assumed, usage=usage)


def _transaction_has(table: DealTable, field: str) -> np.ndarray:
    """Per row: does the deal's transaction give ``field`` (a structure, a nominee, measures offered)?"""
    return table.column(f"amendment.transaction.{field}", lambda t: np.array([bool(getattr(d.transaction, field)) for d in t.deals], dtype=bool))


def _in_force_value(val: object) -> bool:
    """A rule's value read as "in force" (as Regime.in_force reads it)."""
    return val is not None and val is not False


def amendment_inputs(acts: Sequence[Sequence[ActConclusion]], must_file: Sequence[Status],
                     foreign: Sequence[Conclusion | None]) -> AmendmentInputs:
    """The upstream columns from each row's conclusions: its acts, its must-file status and its
    foreign-investor conclusion (None when not given)."""
    return AmendmentInputs(indirect_act=indirect_act_columns(act_rows(acts), len(acts)).status,
                           must_file=tri([tri_of(s) for s in must_file]),
                           foreign=tri([None if f is None else tri_of(f.status) for f in foreign]))




# -- rendering one row: the sentences, citations and facts of each code -------------------------------

def _indirect_text(on: Tri) -> Text:
    return {True: T("Indirect acquisition is inward direct investment: buying 50% or more of the overseas holding entity needs the same filing analysis as a direct purchase.",
                    "間接取得が対内直接投資等となり、海外の直接保有者の議決権50%以上の取得は直接取得と同様の届出判断を要する。"),
            False: T("Once in force, buying 50% or more of the overseas holding entity becomes inward direct investment; on the deal date it is outside FEFTA.",
                     "施行後は、海外の直接保有者の議決権50%以上の取得が対内直接投資等となる（本件の実行日には外為法の対象外）。"),
            None: T("Buying 50% or more of the overseas holding entity is inward direct investment if the amendment is in force by the deal date, and outside FEFTA if not.",
                    "海外の直接保有者の議決権50%以上の取得は、実行日までに改正法が施行されていれば対内直接投資等となり、施行前であれば外為法の対象外である。")}[on]


def _render_indirect(r: Reasoning, timing: AmendmentTiming, applies: bool, acts: list[ActConclusion]) -> AmendmentChange:
    act = next((a for a in acts if a.act == "indirect_acquisition"), None)  # none when the acquirer is not foreign
    pending = pending_assumptions(act) if act is not None else []
    r.cite("indirect_acquisition")
    return AmendmentChange(item="indirect_acquisition", in_force=timing.in_force, applies_to_deal=applies,
                           text=_with_pending(_indirect_text(timing.in_force), pending), assumptions=pending)


def _render_nominee(r: Reasoning, timing: AmendmentTiming, applies: bool, acts: list[ActConclusion]) -> AmendmentChange:
    r.cite("deemed_foreign_investor_contract")
    return AmendmentChange(item="deemed_foreign_investor_contract", in_force=timing.in_force, applies_to_deal=applies, text=T(
        "A person acting under a contract for non-residents without using their names is deemed a foreign investor, for specified acquisitions too.",
        "契約等に基づき非居住者等のために名義によらないで行う者は、特定取得を含め外国投資家とみなされる。"))


def _render_risk_mitigation(r: Reasoning, timing: AmendmentTiming, applies: bool, acts: list[ActConclusion]) -> AmendmentChange:
    r.cite("risk_mitigation_notification")
    return AmendmentChange(item="risk_mitigation_notification", in_force=timing.in_force, applies_to_deal=applies, text=T(
        "Risk-mitigation measures offered must be stated in the prior notification, and any change to them notified in advance.",
        "リスク軽減措置を講じる場合は事前届出に記載し、その変更は事前に届け出なければならない。"))


_CALL_IN_PENDING = ("call_in_power_scope", "call_in_lookback_years")


def _render_call_in(r: Reasoning, timing: AmendmentTiming, applies: bool, acts: list[ActConclusion]) -> AmendmentChange:
    """The call-in power, citing its scope and look-back as the amended law reads them on the deal date."""
    r.cite("call_in_power")
    law = amended_law(r.regime, timing)
    cites = [law.cite(i) for i in _CALL_IN_PENDING]
    record_use(r.regime, law)
    for c in cites:
        add_citation(r.citations, c)
    text = T("Even without a notification, ministers may demand reports and, if a serious security risk arises, recommend and order disposal of the shares.",
             "届出不要の投資でも、安全保障上のおそれが大きい場合には報告徴収及び株式処分等の勧告・命令があり得る。")
    return AmendmentChange(item="call_in_power", in_force=timing.in_force, applies_to_deal=applies,
                           text=_with_pending(text, list(_CALL_IN_PENDING)), assumptions=list(_CALL_IN_PENDING))


def _consultation_renderer(in_force: bool) -> Callable[[Reasoning, AmendmentTiming, bool, list[ActConclusion]], AmendmentChange]:
    def render(r: Reasoning, timing: AmendmentTiming, applies: bool, acts: list[ActConclusion]) -> AmendmentChange:
        change = AmendmentChange(item="interagency_consultation", in_force=in_force, applies_to_deal=applies, text=T(
            "Ministers must seek the views of relevant agency heads when they judge it necessary (Committee on Foreign Investment in Japan); in force since promulgation.",
            "必要と認めるときは関係行政機関の長の意見を求める（対日外国投資委員会）。公布日から施行。"))
        r.cite("interagency_consultation")
        return change
    return render


_CHANGE_RENDER = {INDIRECT: _render_indirect, NOMINEE: _render_nominee, RISK_MITIGATION: _render_risk_mitigation, CALL_IN: _render_call_in}


def _say_in_force(r: Reasoning, timing: AmendmentTiming, decisive: bool) -> None:
    how, when = effective_phrase(timing), deal_date_phrase(timing)
    why = (T(f" {when.en} is on or after the last day the Act allows, so it is in force whatever date the cabinet order fixes.",
             f"{when.ja}は法が許容する施行期限以後であり、政令がいずれの日を定めても施行済みである。")
           if timing.basis == "unknown" else T("", ""))
    r.say(f"The amendment is in force on {when.en}: {how.en}.{why.en}", f"{when.ja}には改正法は施行済み：{how.ja}。{why.ja}")


def _say_not_in_force(r: Reasoning, timing: AmendmentTiming, decisive: bool) -> None:
    how, when = effective_phrase(timing), deal_date_phrase(timing)
    r.say(f"The amendment is enacted but not in force on {when.en}: {how.en}. An in-force date can be assumed to see its effect.",
          f"改正法は成立済みだが{when.ja}には未施行：{how.ja}。施行日を仮定してその影響を判定できる。")


def _say_both(r: Reasoning, timing: AmendmentTiming, decisive: bool) -> None:
    how, when = effective_phrase(timing), deal_date_phrase(timing)
    r.say(f"Whether the amendment is in force on {when.en} turns on the cabinet order's date: {how.en}.",
          f"{when.ja}に改正法が施行されているかは政令の定める施行日による：{how.ja}。")
    if decisive:
        fact = pending_date_fact(timing)
        r.need(fact.path, fact.question, fact.conservative_reading, fact.who_confirms)
    else:
        r.say("No filing of this deal turns on that date.", "本件の届出・報告の要否はその日付に左右されない。")


_TIMING_SAY = {TIMING_IN_FORCE: _say_in_force, TIMING_NOT_IN_FORCE: _say_not_in_force, TIMING_BOTH: _say_both}

_STATE_ON_AS_OF = {True: T("in force", "施行済み"), False: T("not in force", "未施行"), None: T("possibly in force", "施行済みか未確定")}
_STATE = {True: T("in force", "施行済み"), False: T("not yet in force", "未施行"),
          None: T("possibly in force (it turns on the cabinet order's date)", "施行済みか未確定（政令の定める施行日による）")}


def _state_timing(r: Reasoning, timing: AmendmentTiming, code: int, decisive: bool) -> None:
    """Say how the in-force date is known and where the deal date stands; inside the window, name the
    cabinet order's date as a fact to confirm when a change that alters the deal's filings hangs on it
    (``decisive``)."""
    cite_timing(r, timing)
    _TIMING_SAY[code](r, timing, decisive)
    if timing.deal_date_source == "closing_date" and timing.in_force_on_as_of is not timing.in_force:
        state = _STATE_ON_AS_OF[timing.in_force_on_as_of]
        r.say(f"(On the as-of date {r.regime.as_of} it is {state.en}; the closing date governs the acts of the deal.)",
              f"（基準日{r.regime.as_of}には{state.ja}。本件の行為には実行予定日の法令が適用される。）")


def _render_not_enacted(r: Reasoning, timing: AmendmentTiming) -> AmendmentConclusion:
    r.say("On this date the 2026 amendment had not been enacted.", "本基準日には2026年改正法は成立していない。")
    return AmendmentConclusion(**r.conclude("amendment_2026", "no", T("Not yet law on this date.", "本基準日には未成立。"),
                                            deal_date=timing.deal_date, deal_date_source=timing.deal_date_source))


def render_amendment(c: AmendmentColumns, row: int, regime: Regime, acts: list[ActConclusion],
                     others: list[Conclusion] | None = None) -> AmendmentConclusion:
    """Row ``row``'s conclusion from its codes (``acts`` and ``others`` are that row's conclusions, whose
    pending-law citations the conclusion lists as assumptions)."""
    record_rows(regime, c.usage, slice(row, row + 1))
    r = Reasoning(regime)
    timing = timing_of(c.timing, row)
    code = int(c.code[row])
    if code == TIMING_NOT_ENACTED:
        return _render_not_enacted(r, timing)
    listed = c.changes[row].tolist()
    render = {**_CHANGE_RENDER, CONSULTATION: _consultation_renderer(c.consultation_in_force)}
    changes = [render[k](r, timing, x == CHANGE_APPLIES, acts) for k, x in enumerate(listed) if x != CHANGE_ABSENT]
    _state_timing(r, timing, code, bool(c.decisive[row]))
    assumed = list(dict.fromkeys([*([EFFECTIVE] if c.date_assumed[row] else []), *(i for x in [*acts, *(others or [])] for i in pending_assumptions(x)),
                                  *(i for ch in changes if ch.applies_to_deal for i in ch.assumptions)]))
    touches = sum(1 for k, x in enumerate(listed) if x == CHANGE_APPLIES and k != CONSULTATION)
    how, when = effective_phrase(timing), deal_date_phrase(timing)
    rests = [i for i in assumed if i != EFFECTIVE]
    points = pending_points(len(rests))
    tail = T(f"; {PENDING.en}: {points.en}", f"。{PENDING.ja}：{points.ja}") if rests else T("", "")
    state = _STATE[timing.in_force]
    summary = T(f"2026 amendment {state.en} on {when.en} ({how.en}); {touches} change(s) touch this deal{tail.en}.",
                f"2026年改正は{when.ja}に{state.ja}（{how.ja}）。本件に関係する変更{touches}件{tail.ja}。")
    if rests:
        r.say(f"Parts of this analysis rest on the amendment's subordinate legislation, not yet made ({PENDING.en}): {points.en}.",
              f"本分析の一部は未制定の下位法令に依拠する（{PENDING.ja}）：{points.ja}。")
    return AmendmentConclusion(**r.conclude(
        "amendment_2026", status_of(timing.in_force), summary,
        effective_date=_peek_date(regime, EFFECTIVE) if timing.basis == "unknown" else timing.effective_date,
        effective_date_assumed=timing.basis != "cabinet_order", effective_date_basis=timing.basis,
        promulgated=timing.promulgated, latest_effective_date=timing.latest_effective_date,
        deal_date=timing.deal_date, deal_date_source=timing.deal_date_source,
        in_force=timing.in_force, in_force_on_as_of=timing.in_force_on_as_of, changes=changes, assumptions=assumed))


def amendment_2026(deal: Deal, regime: Regime, acts: list[ActConclusion], must_file: Status,
                   others: list[Conclusion] | None = None) -> AmendmentConclusion:
    """Report each element of the 2026 amendment: whether it is in force on the deal date (closing
    date, else as-of date), whether it touches this deal, and which parts are assumptions pending the
    cabinet order. ``others`` are the deal's other conclusions, searched for those assumptions (and for
    the foreign-investor conclusion). The columns of the deal as a table of one, row 0 rendered."""
    return amendments_of(DealTable.one(deal, regime), [acts], [must_file], [others or []])[0]


def amendments_of(t: DealTable, acts: Sequence[list[ActConclusion]], must_file: Sequence[Status],
                  others: Sequence[list[Conclusion]]) -> list[AmendmentConclusion]:
    """:func:`amendment_2026` for every deal of the table: the columns once, each row rendered in its own regime."""
    foreign = [next((c for c in row if c.id == "foreign_investor"), None) for row in others]
    cols = amendment_columns(t, amendment_inputs(acts, must_file, foreign))
    return [render_amendment(cols, k, t.regime_of(k), acts[k], others[k]) for k in range(t.n)]


# -- the labels the exemption and report conclusions carry, per deal row ----------------------------------

#: notifications of an act, by code (IndirectActColumns.notification: acts.NOTIFICATIONS)
NOTIFICATION_NONE_GIVEN, NOTIFICATION_PRIOR, NOTIFICATION_POST = NOTICE_OPEN, PRIOR, POST_REPORT

#: the exemption conclusion's label (ExemptionLabelColumns), per deal row
EXEMPTION_UNLABELLED = 0        #: no indirect acquisition left outside the exemption on pending law
EXEMPTION_REASON = 1            #: a reason and the citation added (another act also calls for prior notification)
EXEMPTION_REASON_SUMMARY = 2    #: the same, and the summary labelled (the indirect acquisition is the only notifiable act)

#: the report conclusion's label, per deal row
REPORTS_UNLABELLED = 0          #: no post-investment report for an indirect acquisition on pending law
REPORTS_INDIRECT_PENDING = 1    #: the report for the indirect acquisition of a non-designated company is pending law

EXEMPTION_ITEM = "indirect_acquisition_exemption_available"
REPORT_ITEM = "indirect_acquisition_non_designated_report"


@dataclass(frozen=True, eq=False)
class IndirectActColumns:
    """Each deal row's indirect-acquisition act as the labels read it: its status (tri; NO_ACT: none),
    its notification code, whether it cites the two pending items the labels name, and whether another
    act of the deal calls for prior notification before any exemption (or leaves it open)."""

    status: np.ndarray
    notification: np.ndarray
    cites_exemption: np.ndarray
    cites_report: np.ndarray
    others_notifiable: np.ndarray


def indirect_act_columns(acts: ActRows, n: int) -> IndirectActColumns:
    """Per deal row (of ``n``): its first indirect-acquisition act (status NO_ACT when it has none), and
    whether any other of its acts calls for prior notification before any exemption or leaves it open."""
    rows = np.flatnonzero(acts.act == ACT_CODE["indirect_acquisition"])
    deals, at = np.unique(acts.deal[rows], return_index=True)
    first = rows[at]
    status, notification = np.full(n, NO_ACT, dtype=np.int8), np.full(n, NOTIFICATION_NONE_GIVEN, dtype=np.int8)
    status[deals], notification[deals] = acts.status[first], acts.notification[first]
    cites_exemption, cites_report = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    cites_exemption[deals] = [EXEMPTION_ITEM in acts.items[i] for i in first.tolist()]
    cites_report[deals] = [REPORT_ITEM in acts.items[i] for i in first.tolist()]
    notifiable = (acts.status != NO) & ((acts.notification == NOTIFICATION_NONE_GIVEN) | (acts.notification == NOTIFICATION_PRIOR))
    notifiable[first] = False
    return IndirectActColumns(status=status, notification=notification, cites_exemption=cites_exemption, cites_report=cites_report,
                              others_notifiable=np.bincount(acts.deal[notifiable], minlength=n)[:n] > 0)


def exemption_label_columns(acts: IndirectActColumns, exemption: np.ndarray) -> np.ndarray:
    """Per row: is leaving the indirect acquisition outside the exemption an assumption pending the
    cabinet order (the exemption criteria for the new act are not made)? So when the act is not ruled
    out, calls for prior notification or leaves it open, cites the exemption item, and the exemption
    (tri) is not available."""
    labelled = (((acts.status == YES) | (acts.status == UNKNOWN))
                & ((acts.notification == NOTIFICATION_PRIOR) | (acts.notification == NOTIFICATION_NONE_GIVEN))
                & (exemption != YES) & acts.cites_exemption)
    return np.where(labelled, np.where(acts.others_notifiable, EXEMPTION_REASON, EXEMPTION_REASON_SUMMARY), EXEMPTION_UNLABELLED).astype(np.int8)


def report_label_columns(acts: IndirectActColumns) -> np.ndarray:
    """Per row: is a post-investment report for an indirect acquisition of a non-designated company due
    on an assumption pending the cabinet order (the act is covered, reported, and cites the report item)?"""
    labelled = (acts.status == YES) & (acts.notification == NOTIFICATION_POST) & acts.cites_report
    return np.where(labelled, REPORTS_INDIRECT_PENDING, REPORTS_UNLABELLED).astype(np.int8)


def _cited(acts: list[ActConclusion], item: str) -> Citation:
    act = next(a for a in acts if a.act == "indirect_acquisition")
    return next(c for c in act.citations if c.item == item)


def render_exemption_label(ex: ExemptionConclusion, code: int, acts: list[ActConclusion]) -> ExemptionConclusion:
    """The exemption conclusion with its label ``code`` (``EXEMPTION_*``); ``acts`` are the row's acts."""
    if code == EXEMPTION_UNLABELLED:
        return ex
    reason = T(f"No exemption for the indirect acquisition: {PENDING.en}.", f"間接取得には免除制度を利用できない：{PENDING.ja}。")
    summary = with_label(ex.summary, PENDING.en, PENDING.ja) if code == EXEMPTION_REASON_SUMMARY else ex.summary
    return ex.model_copy(update={"reasons": [*ex.reasons, reason], "citations": [*ex.citations, _cited(acts, EXEMPTION_ITEM)], "summary": summary})


def render_reports_label(rep: ReportConclusion, code: int, acts: list[ActConclusion]) -> ReportConclusion:
    """The report conclusion with its label ``code`` (``REPORTS_*``); ``acts`` are the row's acts."""
    if code == REPORTS_UNLABELLED:
        return rep
    reason = T(f"The post-investment report for the indirect acquisition is {PENDING.en}.", f"間接取得に係る事後報告は{PENDING.ja}。")
    summary = with_label(rep.summary, f"{PENDING.en} for the indirect acquisition", f"間接取得について{PENDING.ja}")
    return rep.model_copy(update={"reasons": [*rep.reasons, reason], "citations": [*rep.citations, _cited(acts, REPORT_ITEM)], "summary": summary})


def label_exemptions(ex: Sequence[ExemptionConclusion], acts: Sequence[list[ActConclusion]]) -> list[ExemptionConclusion]:
    """Each deal row's exemption conclusion, saying that leaving an indirect acquisition outside the
    exemption is an assumption pending the cabinet order (see :func:`exemption_label_columns`)."""
    codes = exemption_label_columns(indirect_act_columns(act_rows(acts), len(acts)), tri([tri_of(x.status) for x in ex]))
    return [render_exemption_label(x, int(code), a) for x, code, a in zip(ex, codes, acts)]


def label_reports(rep: Sequence[ReportConclusion], acts: Sequence[list[ActConclusion]]) -> list[ReportConclusion]:
    """Each deal row's report conclusion, saying that a post-investment report for an indirect acquisition
    of a non-designated company is an assumption pending the cabinet order (see :func:`report_label_columns`)."""
    codes = report_label_columns(indirect_act_columns(act_rows(acts), len(acts)))
    return [render_reports_label(x, int(code), a) for x, code, a in zip(rep, codes, acts)]


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
