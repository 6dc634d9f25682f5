"""The prior-notification exemption (事前届出免除制度, FEFTA Art. 27-2 and 28-2): is it available,
which kind (包括免除 for foreign financial institutions, 一般免除 for others), and on which conditions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from pydantic import BaseModel, Field

from fdiscreen.columns import NO, UNKNOWN, YES, DealTable, KeyedByDeal, tri, tri_value
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing.acts import ACT_CODE, ACTS, NOTIFICATIONS, ActConclusion, ActRows, act_rows
from fdiscreen.filing.conclusion import WHO_ACQUIRER, Conclusion, Reasoning, Status, status_of, tri_of
from fdiscreen.filing.investor import InvestorClass, InvestorClassConclusion
from fdiscreen.filing.target import CLASSES as TARGET_CLASSES
from fdiscreen.filing.target import TargetClassConclusion, is_specified_core_business_entity
from fdiscreen.i18n import T, Text, pct
from fdiscreen.lookthrough import Scale, Usage, limit, record_use, record_uses, use
from fdiscreen.model import Deal, ProposalKind, Transaction
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


GROUP_ITEMS = {"basic": "basic_criteria", "additional": "additional_criteria", "equivalent": "equivalent_extra_criteria"}


# == the exemption over columns (one table of deals; one deal is a table of one) =======================

EXEMPTION_KINDS: tuple[ExemptionKind | None, ...] = (None, "general", "regular")
"""Codes of the ``kind`` column: 0 no kind (the exemption is not reached), 1 general, 2 regular."""
KIND_CODE = {k: i for i, k in enumerate(EXEMPTION_KINDS)}
INVESTOR_CLASSES: tuple[str, ...] = get_args(InvestorClass)
INVESTOR_CODE = {c: i for i, c in enumerate(INVESTOR_CLASSES)}
TARGET_CODE = {c: i for i, c in enumerate(TARGET_CLASSES)}   # the codes of TargetClassColumns.fefta_class
_PRIOR_OR_OPEN = np.array([n in (None, "prior_notification") for n in NOTIFICATIONS])   # by notification code (open: None)
#: investor classes barred from the exemption, with the factor item of each bar (its code has the same name)
BARS: dict[str, str] = {"violator": "violator_excluded", "foreign_government": "foreign_government_excluded",
                        "specified_foreign_investor": "specified_foreign_investor_excluded"}
_BARRED = np.array([c in BARS for c in INVESTOR_CLASSES] + [False])   # by investor class code (-1: none)

CODES: tuple[str, ...] = (
    "not_needed",                         # no act needs prior notification
    "scheme_not_in_force",                # before 2020-05-08 (exemption_scheme)
    "acts_not_covered",                   # every notifiable act is outside the acts the exemption covers
    "violator_excluded",                  # the bars on the investor's class (factor items of the same names)
    "foreign_government_excluded",
    "specified_foreign_investor_excluded",
    "purpose_impairs_designated_business",  # exemption_bar_impairing_designated_business
    "unlisted_core",                      # unlisted company in a core business
    "specified_acquisition_core",         # specified acquisition of a company on the specified-acquisition core list
    "equivalent_specified_core_entity",   # a person equivalent to a specified foreign investor, specified core business entity
    "core_at_or_above_limit",             # general investor, core business, holding not below the limit
    "act_not_covered_in_deal",            # reached the criteria, but the deal also has an act the exemption does not cover
    "criteria_breached",                  # the deal as proposed breaches a criterion
    "available",                          # available (yes), or probably (open facts)
)
"""Conclusion codes of the exemption, in the order the law's tests decide (the first that applies)."""
CODE = {c: i for i, c in enumerate(CODES)}


def _any_per_deal(deal: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Per deal row: some row of a long table keyed by ``deal`` has ``mask``."""
    return np.bincount(deal[mask], minlength=n)[:n] > 0


# -- the inputs: upstream answers and deal facts as columns -----------------------------------------------

@dataclass(frozen=True, eq=False)
class Upstream:
    """The answers of other parts of the determination the exemption reads, one entry per deal row (a
    batch passes them for many rows; one deal's adapter builds them from its conclusions)."""

    investor_class: np.ndarray              # int: code into INVESTOR_CLASSES (-1: none)
    investor_status: np.ndarray             # tri: the class is settled (unknown: open)
    target_class: np.ndarray                # int: code into TARGET_CLASSES (-1: not settled)
    specified_acquisition_core: np.ndarray  # tri: a business on the specified-acquisition core list
    acts: ActRows

    @classmethod
    def of(cls, ics: Sequence[InvestorClassConclusion], tcs: Sequence[TargetClassConclusion],
           acts_per_deal: Sequence[Sequence[ActConclusion]]) -> "Upstream":
        return cls(investor_class=np.array([INVESTOR_CODE.get(ic.investor_class or "", -1) for ic in ics], dtype=np.int64),
                   investor_status=tri([tri_of(ic.status) for ic in ics]),
                   target_class=np.array([-1 if tc.fefta_class is None else TARGET_CODE[tc.fefta_class] for tc in tcs], dtype=np.int64),
                   specified_acquisition_core=tri([tc.specified_acquisition_core for tc in tcs]),
                   acts=act_rows(acts_per_deal))


PROPOSAL_KINDS: tuple[str, ...] = get_args(ProposalKind)
PROPOSAL_CODE = {k: i for i, k in enumerate(PROPOSAL_KINDS)}


@dataclass(frozen=True, eq=False)
class ProposalTable:
    """The shareholders' meeting proposals (株主総会議案) of every deal as a long table."""

    deal: np.ndarray                 # int: the deal row
    kind: np.ndarray                 # int: code into PROPOSAL_KINDS
    proposed_by_investor: np.ndarray
    investor_consents: np.ndarray
    appointee_related: np.ndarray    # the appointee is the investor or a closely related person


def proposal_table(t: DealTable) -> ProposalTable:
    def build(t: DealTable) -> ProposalTable:
        flat = [(d, p) for d, deal in enumerate(t.deals) for p in deal.transaction.proposals]
        flags = [np.array([getattr(p, f) for _, p in flat], dtype=bool)
                 for f in ("proposed_by_investor", "investor_consents", "appointee_is_investor_or_related")]
        return ProposalTable(np.array([d for d, _ in flat], dtype=np.int64),
                             np.array([PROPOSAL_CODE[p.kind] for _, p in flat], dtype=np.int64), *flags)
    return t.column("exemption.proposals", build)


_TRANSFER_KINDS = np.isin(np.arange(len(PROPOSAL_KINDS)), [PROPOSAL_CODE["designated_business_transfer"],
                                                           PROPOSAL_CODE["designated_business_abolition"]])


def related_officer_proposal(t: DealTable) -> np.ndarray:
    """The investor consents to a proposal appointing itself or a closely related person as director or
    auditor (同意: FEFTA Art. 26(2)(v) with Cabinet Order Art. 2(11)(i))."""
    p = proposal_table(t)
    return _any_per_deal(p.deal, (p.kind == PROPOSAL_CODE["director_appointment"]) & p.investor_consents & p.appointee_related, t.n)


def transfer_proposal(t: DealTable) -> np.ndarray:
    """The investor itself proposes to transfer or abolish a designated business (自ら提案)."""
    p = proposal_table(t)
    return _any_per_deal(p.deal, p.proposed_by_investor & _TRANSFER_KINDS[p.kind], t.n)


#: the facts of the transaction the criteria read, as the deal file gives them (a count or a flag; None: not given)
TRANSACTION_FACTS: dict[str, Callable[[Transaction], int | bool | None]] = {
    "board_seats": lambda tx: tx.board_seats,
    "auditor_seats": lambda tx: tx.auditor_seats,
    "technology_information": lambda tx: tx.technology_access.non_public_technology_information,
    "core_committee_attendance": lambda tx: tx.core_committee_attendance,
    "written_proposals_with_deadline": lambda tx: tx.written_proposals_with_deadline,
    "any_non_public_information": lambda tx: tx.technology_access.any_non_public_information,
    "personnel_exchange": lambda tx: tx.technology_access.personnel_exchange,
}
#: and the facts read from the proposals' long table
PROPOSAL_FACTS: dict[str, Callable[[DealTable], np.ndarray]] = {
    "related_officer_proposal": related_officer_proposal,
    "transfer_proposal": transfer_proposal,
}
FACTS: tuple[str, ...] = (*TRANSACTION_FACTS, *PROPOSAL_FACTS)

CONDITION_TESTS: dict[str, tuple[str, ...]] = {
    # basic criteria (基本基準)
    "no_officer_seat": ("board_seats", "auditor_seats", "related_officer_proposal"),
    "no_designated_business_transfer_proposal": ("transfer_proposal",),
    "no_nonpublic_technology_access": ("technology_information",),
    # additional criteria for core businesses (上乗せ基準)
    "no_core_committee_attendance": ("core_committee_attendance",),
    "no_deadline_written_proposals": ("written_proposals_with_deadline",),
    # extra criteria for a person equivalent to a specified foreign investor (2025)
    "no_nonpublic_information_access": ("any_non_public_information",),
    "personnel_limits": ("board_seats", "auditor_seats", "personnel_exchange"),
}
"""Each criterion id of the factor lists, with the facts that breach it: the deal as proposed keeps the
criterion when none of them is present, and leaves it open when none is present but one is not given."""
CRITERIA: tuple[str, ...] = tuple(CONDITION_TESTS)
CRITERION_INDEX = {c: i for i, c in enumerate(CRITERIA)}
_BREACHED_BY = np.array([[fact in facts for facts in CONDITION_TESTS.values()] for fact in FACTS], dtype=bool)


def present_facts(t: DealTable) -> np.ndarray:
    """Tri per deal and fact (columns in FACTS order): the fact is present (a non-zero count, a true
    flag), absent, or not given."""
    def build(t: DealTable) -> np.ndarray:
        given = [None if (v := get(d.transaction)) is None else bool(v) for d in t.deals for get in TRANSACTION_FACTS.values()]
        tx = tri(given).reshape(t.n, len(TRANSACTION_FACTS))
        proposals = np.stack([f(t) for f in PROPOSAL_FACTS.values()], axis=1).astype(np.int8)
        return np.concatenate([tx, proposals], axis=1)
    return t.column("exemption.facts", build)


def criteria_kept(t: DealTable) -> np.ndarray:
    """Tri per deal and criterion (columns in CRITERIA order): the deal as proposed keeps the criterion
    (免除基準): none of the facts that breach it is present; open when none is but one is not given."""
    def build(t: DealTable) -> np.ndarray:
        facts = present_facts(t)
        breached = (facts == YES) @ _BREACHED_BY
        open_ = (facts == UNKNOWN) @ _BREACHED_BY
        return np.where(breached, NO, np.where(open_, UNKNOWN, YES)).astype(np.int8)
    return t.column("exemption.criteria", build)


def criterion_kept(t: DealTable, criterion: str) -> np.ndarray:
    """Tri per deal: the deal as proposed keeps the criterion ``criterion``."""
    if criterion not in CRITERION_INDEX:
        raise FdiscreenError(f"no test for the exemption criterion {criterion!r}", path=criterion, expected=", ".join(CRITERIA))
    return criteria_kept(t)[:, CRITERION_INDEX[criterion]]


@dataclass(frozen=True, eq=False)
class ConditionTable(KeyedByDeal):
    """The criteria each deal must keep, one row per (deal, criterion): per deal, the groups in the order
    asked and each group's criteria in the order of the factor list in force."""

    deal: np.ndarray          # int: the deal row (sorted)
    entry: np.ndarray         # int: index into ``entries``
    kept: np.ndarray          # tri: the deal as proposed keeps the criterion
    entries: tuple[tuple[str, dict[str, str]], ...]   # (group, criterion as the factor lists it)


def condition_table(t: DealTable, groups: dict[str, np.ndarray], usage: Usage) -> ConditionTable:
    """The criteria of each group (免除基準: basic, additional, equivalent) in force on the table's date for
    the rows that must keep that group, each tested on the deal."""
    entries: list[tuple[str, dict[str, str]]] = []
    for group, rows in groups.items():
        use(usage, GROUP_ITEMS[group], rows)
        entries += [(group, criterion) for criterion in t.regime.peek(GROUP_ITEMS[group]) or []]
    for _, criterion in entries:
        if criterion["id"] not in CRITERION_INDEX:
            raise FdiscreenError(f"no test for the exemption criterion {criterion['id']!r}", path=criterion["id"],
                                 expected=", ".join(CRITERIA))
    if not entries:
        empty = np.zeros(0, dtype=np.int64)
        return ConditionTable(empty, empty, np.zeros(0, dtype=np.int8), ())
    group_of = list(groups)
    needs = np.stack(list(groups.values()), axis=1)[:, [group_of.index(g) for g, _ in entries]]
    deal, entry = np.nonzero(needs)          # row-major: by deal, then in entry order
    kept = criteria_kept(t)[deal, np.array([CRITERION_INDEX[c["id"]] for _, c in entries])[entry]]
    return ConditionTable(deal, entry, kept, tuple(entries))


# -- the exemption ------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ExemptionColumns:
    """The exemption of every deal row: the code of the test that decided, the status, and the evidence
    the explanation reads."""

    code: np.ndarray            # int: code into CODES
    status: np.ndarray          # tri: eligible (yes), not (no), open (unknown)
    kind: np.ndarray            # int: code into EXEMPTION_KINDS
    conservative: np.ndarray    # bool: the target's class is not settled and is read as core
    core: np.ndarray            # bool: the class (as read) is core
    equivalent: np.ndarray      # bool: the investor is a person equivalent to a specified foreign investor
    holding: np.ndarray         # float: the highest holding after a covered notifiable act
    outside: np.ndarray         # bool per act row: notifiable but not an act the exemption covers
    conditions: ConditionTable
    usage: Usage


def _first(tests: list[np.ndarray]) -> np.ndarray:
    """Per row: the index of the first test that holds (the order of CODES), the last code when none does."""
    return np.argmax(np.vstack([*tests, np.ones(len(tests[0]), dtype=bool)]), axis=0)


def notifiable_acts(acts: ActRows) -> np.ndarray:
    """Per act: it needs prior notification (事前届出), or may (open status or notification)."""
    return (acts.status != NO) & _PRIOR_OR_OPEN[acts.notification]


def exemption_columns(t: DealTable, up: Upstream) -> ExemptionColumns:
    """FEFTA Art. 27-2 / 28-2 for every row: the exemption, unless an act it does not cover, a bar on the
    investor or on the target applies, in the order the law's tests decide; then its kind and criteria."""
    n, regime, acts, usage = t.n, t.regime, up.acts, {}
    # the acts: needed at all, the scheme in force, the acts it covers (exemption_covered_acts)
    notifiable = notifiable_acts(acts)
    needed = _any_per_deal(acts.deal, notifiable, n)
    use(usage, "exemption_scheme", needed)
    scheme = needed & regime.peek_in_force("exemption_scheme")
    use(usage, "exemption_covered_acts", scheme)
    covered_acts = np.zeros(len(ACTS) + 1, dtype=bool)     # the last entry: an act of another kind (-1)
    covered_acts[[ACT_CODE[a] for a in regime.peek("exemption_covered_acts") or [] if a in ACT_CODE]] = True
    covered = notifiable & covered_acts[acts.act]
    outside = notifiable & ~covered
    all_outside = scheme & ~_any_per_deal(acts.deal, covered, n)
    open_ = scheme & ~all_outside
    # the bars on the investor's class, then on the investment's purpose
    barred = open_ & (up.investor_status == YES) & _BARRED[up.investor_class]
    bars = [barred & (up.investor_class == INVESTOR_CODE[cls]) for cls in BARS]
    for item, rows in zip(BARS.values(), bars):
        use(usage, item, rows)
    open_ &= ~barred
    purpose = open_ & t.column("exemption.purpose_impairs", lambda t: t.values(
        lambda d: d.transaction.purpose_impairs_designated_business, bool))
    use(usage, "exemption_bar_impairing_designated_business", purpose)
    impairing = purpose & regime.peek_in_force("exemption_bar_impairing_designated_business")
    open_ &= ~impairing
    # the bars on the target: an unsettled class is read as core
    conservative = up.target_class == -1
    core = conservative | (up.target_class == TARGET_CODE["core"])
    listed = t.column("exemption.listed", lambda t: t.values(lambda d: d.target.listed, bool))
    unlisted_core = open_ & core & ~listed
    use(usage, "unlisted_core_exemption", unlisted_core)
    open_ &= ~unlisted_core
    specified = _any_per_deal(acts.deal, covered & (acts.act == ACT_CODE["specified_acquisition"]), n)
    specified_core = open_ & specified & (up.specified_acquisition_core != NO)
    use(usage, "specified_acquisition_core_exemption", specified_core)
    open_ &= ~specified_core
    # the kind by investor class and target class: general (FFI), regular; core limits and extra bars
    ffi = up.investor_class == INVESTOR_CODE["foreign_financial_institution"]
    equivalent = up.investor_class == INVESTOR_CODE["equivalent_to_specified"]
    core_route = open_ & ~ffi & core
    sce = t.column("exemption.specified_core_entity", lambda t: t.tri(lambda d: d.target.specified_core_business_entity))
    equivalent_excluded = core_route & equivalent & (sce != NO)
    use(usage, "equivalent_specified_core_entity_excluded", equivalent_excluded)
    core_route &= ~equivalent_excluded
    holding = np.zeros(n, dtype=float)
    np.maximum.at(holding, acts.deal[covered], np.nan_to_num(acts.holding[covered]))  # a holding not given counts as none
    over_limit = core_route & ~below_core_limit(holding, core_route, regime, usage)
    # the criteria the rows that reach them must keep
    judged = open_ & ~equivalent_excluded & ~over_limit
    use(usage, "foreign_financial_institution_no_upper_limit", judged & ffi)
    core_judged = judged & ~ffi & core
    conditions = condition_table(t, {"basic": judged, "additional": core_judged, "equivalent": core_judged & equivalent}, usage)
    breached = _any_per_deal(conditions.deal, conditions.kept == NO, n)
    unknown = _any_per_deal(conditions.deal, conditions.kept == UNKNOWN, n)
    code = _first([~needed, needed & ~scheme, all_outside, *bars, impairing, unlisted_core, specified_core,
                   equivalent_excluded, over_limit, judged & _any_per_deal(acts.deal, outside, n), judged & breached])
    status = exemption_status(code, conservative, up, sce, unknown)
    kind = np.where(judged, np.where(ffi, KIND_CODE["general"], KIND_CODE["regular"]), KIND_CODE[None])
    return ExemptionColumns(code=code, status=status, kind=kind, conservative=conservative, core=core, equivalent=equivalent,
                            holding=holding, outside=outside, conditions=conditions, usage=usage)


def below_core_limit(holding: np.ndarray, rows: np.ndarray, regime: Regime, usage: Usage) -> np.ndarray:
    """Notice on the exemption criteria: in a core business a general investor may use the exemption only
    below the limit (exact; a limit not in force is never met)."""
    use(usage, "core_exemption_below_pct", rows)
    lim = limit(regime, "core_exemption_below_pct")
    below = np.zeros(len(holding), dtype=bool)
    distinct, each = np.unique(holding[rows], return_inverse=True)   # exact numerators once per distinct holding
    values = distinct.tolist()
    scale = Scale.for_values(values)
    below[rows] = scale.meets(scale.column(values), lim.value, lim.op)[each]
    return below


#: the codes decided after the target's class is read: a "no" reached on the conservative reading of an
#: unsettled class (or of the fact the test itself needs) is indeterminate
_AFTER_CLASS = np.array([CODES.index(c) >= CODE["unlisted_core"] for c in CODES])


def exemption_status(code: np.ndarray, conservative: np.ndarray, up: Upstream, sce: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Tri per row: available, probably (a criterion or the investor's class open), or not; a "no" that
    rests on an unknown fact read conservatively is indeterminate."""
    maybe = _AFTER_CLASS[code] & (conservative
                                  | ((code == CODE["specified_acquisition_core"]) & (up.specified_acquisition_core == UNKNOWN))
                                  | ((code == CODE["equivalent_specified_core_entity"]) & (sce == UNKNOWN)))
    available = np.where(unknown | (up.investor_status == UNKNOWN), UNKNOWN, YES)
    return np.where(code == CODE["available"], available, np.where(maybe, UNKNOWN, NO)).astype(np.int8)


# -- explanations: one row's conclusion rendered from its code and evidence --------------------------------

@dataclass(frozen=True)
class _Shown:
    """What the sentences of one row read: the investor's class conclusion, the acts outside the
    exemption, the holding tested and the law in force."""

    ic: InvestorClassConclusion
    outside: list[ActConclusion]
    holding: float
    regime: Regime

    @property
    def outside_en(self) -> str:
        return "; ".join(a.label.en for a in self.outside)

    @property
    def outside_ja(self) -> str:
        return "、".join(a.label.ja for a in self.outside)

    @property
    def core_limit(self) -> str:
        return pct(self.regime.threshold("core_exemption_below_pct"))  # type: ignore[arg-type]


def _barred(s: _Shown) -> tuple[str, str]:
    return f"{s.ic.summary.en} cannot use the exemption.", f"{s.ic.summary.ja}は免除を利用できない。"


#: per code that makes the exemption unavailable: the reason (en, ja) and the factor item it cites
_UNAVAILABLE: dict[str, tuple[Callable[[_Shown], tuple[str, str]], str]] = {
    "scheme_not_in_force": (lambda s: ("The exemption scheme did not exist on this date (it began on 2020-05-08).",
                                       "本基準日には免除制度は存在しない（2020年5月8日施行）。"), "exemption_scheme"),
    "acts_not_covered": (lambda s: (f"It covers only share and voting-right acquisitions, not: {s.outside_en}.",
                                    f"免除は株式・議決権の取得のみを対象とし、次の行為は対象外：{s.outside_ja}。"), "exemption_covered_acts"),
    **{item: (_barred, item) for item in BARS.values()},     # each bar's code is its factor item
    "purpose_impairs_designated_business": (lambda s: ("The investment aims to make the continuous, stable running of a designated business difficult.",
                                                       "指定業種に属する事業の継続的かつ安定的な実施を困難にすることを目的とする投資である。"),
                                            "exemption_bar_impairing_designated_business"),
    "unlisted_core": (lambda s: ("The target is an unlisted company in a core business: no investor may use the exemption.",
                                 "非上場のコア業種会社であり、いずれの投資家も免除を利用できない。"), "unlisted_core_exemption"),
    "specified_acquisition_core": (lambda s: ("A specified acquisition of a company in a business on the core list for specified acquisitions can never be exempt.",
                                              "特定取得に係るコア業種を営む会社の特定取得は免除されない。"), "specified_acquisition_core_exemption"),
    "equivalent_specified_core_entity": (lambda s: ("A person equivalent to a specified foreign investor may not use the exemption for a specified core business entity.",
                                                    "特定外国投資家に準ずる者は特定コア事業者への投資に免除を利用できない。"),
                                         "equivalent_specified_core_entity_excluded"),
    "core_at_or_above_limit": (lambda s: (f"In a core business a general investor may use it only below {s.core_limit}; the holding after the act is {pct(s.holding)}.",
                                          f"コア業種では一般投資家は{s.core_limit}未満に限り利用できるが、取得後の比率は{pct(s.holding)}である。"),
                               "core_exemption_below_pct"),
}


def _done(r: Reasoning, status: Status, summary: Text, *, needed: bool = True, kind: ExemptionKind | None = None,
          conditions: list[ExemptionCondition] | None = None) -> ExemptionConclusion:
    return ExemptionConclusion(**r.conclude("exemption", status, summary, eligible=status, needed=needed, kind=kind,
                                            conditions=conditions or []))


def _unavailable(r: Reasoning, code: str, status: Status, s: _Shown) -> ExemptionConclusion:
    sentence, item = _UNAVAILABLE[code]
    en, ja = sentence(s)
    r.say(en, ja, item)
    return _done(r, status, T(f"Exemption not available: {en[0].lower()}{en[1:]}", f"免除は利用できない：{ja}"))


def _condition_models(table: ConditionTable, row: int, regime: Regime) -> list[ExemptionCondition]:
    """One deal's criteria as the result lists them."""
    out = []
    rows = table.of_deal(row)
    for entry, kept in zip(table.entry[rows].tolist(), table.kept[rows].tolist()):
        group, criterion = table.entries[entry]
        out.append(ExemptionCondition(id=criterion["id"], group=group, text=T(criterion["en"], criterion["ja"]),  # type: ignore[arg-type]
                                      kept_by_deal=status_of(tri_value(kept)), citation=regime.cite(GROUP_ITEMS[group])))
    return out


def _route(r: Reasoning, c: ExemptionColumns, up: Upstream, row: int, deal: Deal, code: str, status: Status,
           s: _Shown) -> ExemptionConclusion | None:
    """The kind of exemption by investor class and target class (and the bars met on the way)."""
    if up.investor_class[row] == INVESTOR_CODE["foreign_financial_institution"]:
        r.say("A foreign financial institution may use the general exemption with no upper limit, keeping the basic criteria.",
              "外国金融機関は上限なく包括免除を利用でき、免除基準（基本基準）を遵守する。", "foreign_financial_institution_no_upper_limit")
    elif c.core[row]:
        if c.equivalent[row]:
            is_specified_core_business_entity(deal, r)
            if code == "equivalent_specified_core_entity":
                return _unavailable(r, code, status, s)
        if code == "core_at_or_above_limit":
            return _unavailable(r, code, status, s)
        r.say(f"Core business, holding {pct(s.holding)} below {s.core_limit}: the regular exemption with the basic and additional criteria.",
              f"コア業種で取得後比率{pct(s.holding)}は{s.core_limit}未満：基本基準と上乗せ基準を遵守して一般免除。",
              "core_exemption_below_pct", "additional_criteria")
        if c.equivalent[row]:
            r.say("As a person equivalent to a specified foreign investor it must also keep the extra criteria.",
                  "特定外国投資家に準ずる者として追加の基準も遵守する必要がある。", "equivalent_extra_criteria")
    else:
        r.say("Designated (non-core) business: the regular exemption with the basic criteria, no upper limit.",
              "指定業種（コア以外）：上限なく基本基準の遵守により一般免除。", "basic_criteria")
    return None


def _judged(r: Reasoning, code: str, status: Status, kind: ExemptionKind, conditions: list[ExemptionCondition],
            s: _Shown) -> ExemptionConclusion:
    """The criteria the deal as proposed keeps, breaches or leaves open; an act outside the exemption last."""
    breached = [x for x in conditions if x.kept_by_deal == "no"]
    if breached:
        r.say(f"The deal as proposed breaches: {'; '.join(x.text.en for x in breached)}.",
              f"提案された取引は次の基準に反する：{'、'.join(x.text.ja for x in breached)}。")
        summary = T(f"Exemption not available as proposed (breaches {len(breached)} criterion/criteria); it would be with the terms changed.",
                    f"提案内容では免除は利用できない（{len(breached)}件の基準に抵触）。条件を変更すれば利用可能。")
    else:
        for x in conditions:
            if x.kept_by_deal == "indeterminate":
                r.need("transaction.technology_access", T(f"Will the investor keep this criterion: {x.text.en}?", f"投資家は次の基準を遵守するか：{x.text.ja}？"),
                       T("assume it will not: file a prior notification", "遵守しないものとして事前届出を行う"), WHO_ACQUIRER)
        summary = T(f"Exemption available: {KIND_TEXT[kind].en}, on {len(conditions)} conditions the investor must keep.",
                    f"免除利用可：{KIND_TEXT[kind].ja}（遵守すべき基準{len(conditions)}件）。")
        if status == "indeterminate":
            summary = T(f"Exemption probably available ({KIND_TEXT[kind].en}) once open facts are confirmed.",
                        f"未確定事項の確認を条件に免除が利用できる見込み（{KIND_TEXT[kind].ja}）。")
    if code == "act_not_covered_in_deal":
        r.reasons.append(T(f"Whatever the share purchase, the exemption does not cover: {s.outside_en}; that act must be notified.",
                           f"株式取得とは別に、次の行為は免除の対象外であり届出を要する：{s.outside_ja}。"))
        r.citations.append(s.regime.cite("exemption_covered_acts"))
        summary = T(f"Exemption not available: the deal includes an act it does not cover ({s.outside_en}).",
                    f"免除は利用できない：免除対象外の行為（{s.outside_ja}）を含む。")
    return _done(r, status, summary, kind=kind, conditions=conditions)


def render_exemption(c: ExemptionColumns, up: Upstream, row: int, deal: Deal, regime: Regime, ic: InvestorClassConclusion,
                     tc: TargetClassConclusion, acts: Sequence[ActConclusion]) -> ExemptionConclusion:
    """Row ``row``'s exemption conclusion (reasons, citations, facts needed) from its code and evidence;
    ``ic``, ``tc`` and ``acts`` are that row's upstream conclusions (their facts and citations carry over)."""
    code = CODES[int(c.code[row])]
    status = status_of(tri_value(int(c.status[row])))
    r = Reasoning(regime)
    if code == "not_needed":
        r.say("No act of the deal needs prior notification, so the exemption is not needed.",
              "事前届出を要する行為がないため、免除制度の利用は不要である。")
        return _done(r, status, T("Not needed: no prior notification.", "不要（事前届出不要）。"), needed=False)
    outside = c.outside[up.acts.of_deal(row)].tolist()
    s = _Shown(ic, [a for a, out in zip(acts, outside) if out], float(c.holding[row]), regime)
    if CODE[code] >= CODE["violator_excluded"]:
        r.absorb(ic)
    if CODE[code] < CODE["unlisted_core"]:
        return _unavailable(r, code, status, s)
    if c.conservative[row]:
        r.say("The target's class is not settled; the exemption is read as for a core business.",
              "業種区分が未確定のため、コア業種として免除を判断する。")
    r.absorb(tc)
    if code in ("unlisted_core", "specified_acquisition_core"):
        return _unavailable(r, code, status, s)
    if (stopped := _route(r, c, up, row, deal, code, status, s)) is not None:
        return stopped
    conditions = _condition_models(c.conditions, row, regime)
    r.cite("basic_criteria")
    return _judged(r, code, status, EXEMPTION_KINDS[int(c.kind[row])], conditions, s)  # type: ignore[arg-type]


def exemptions_of(t: DealTable, ics: Sequence[InvestorClassConclusion], tcs: Sequence[TargetClassConclusion],
                  acts: Sequence[Sequence[ActConclusion]]) -> list[ExemptionConclusion]:
    """The exemption of every deal of the table (each row's investor class, target class and acts given),
    the columns computed once and each row rendered in its own regime."""
    up = Upstream.of(ics, tcs, acts)
    c = exemption_columns(t, up)
    record_uses(t.regimes, c.usage)
    return [render_exemption(c, up, k, deal, t.regime_of(k), ics[k], tcs[k], acts[k]) for k, deal in enumerate(t.deals)]


def exemption(deal: Deal, regime: Regime, ic: InvestorClassConclusion, tc: TargetClassConclusion,
              acts: list[ActConclusion]) -> ExemptionConclusion:
    """Can the investor skip prior notification under the exemption, and on what conditions? (A table of one.)"""
    return exemptions_of(DealTable.one(deal, regime), [ic], [tc], [acts])[0]


def exemption_conditions(deal: Deal, regime: Regime, groups: list[str]) -> list[ExemptionCondition]:
    """The criteria (免除基準) of the given groups in force on the date, each checked against the deal."""
    usage: Usage = {}
    table = condition_table(DealTable.one(deal, regime), {g: np.ones(1, dtype=bool) for g in groups}, usage)
    record_use(regime, usage, slice(0, 1))
    return _condition_models(table, 0, regime)
