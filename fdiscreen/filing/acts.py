"""Which acts of the deal are inward direct investment etc. (対内直接投資等, Art. 26(2)) or a
specified acquisition (特定取得, Art. 26(3)), and what each needs given the target's class.

Each act's test is written once over columns (:func:`act_table`): the acts of every deal are one long
table (:class:`ActTable`: deal row, act, status, conclusion code, covered as, holding, threshold,
exemptable, notification) computed from a :class:`~fdiscreen.columns.DealTable` and the target's class as
columns (:class:`TargetColumns`). The per-deal functions (:func:`covered_acts`, :func:`within_deemed_scope`,
:func:`combine`) run them on a table of one and render each act row from its code (:func:`render_act`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from fdiscreen.columns import NO, UNKNOWN, YES, DealTable, KeyedByDeal, tri, tri_all, tri_value
from fdiscreen.filing.conclusion import WHO_ACQUIRER, WHO_TARGET, Conclusion, Reasoning, Status, status_of, tri_of
from fdiscreen.filing.related import holding_with_related
from fdiscreen.filing.target import RANK, TargetClassConclusion
from fdiscreen.i18n import T, Text, pct
from fdiscreen.lookthrough import Limit, Scale, Usage, limit, record_uses, use
from fdiscreen.model import Deal, FeftaClass, Transaction
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


# == over columns ====================================================================================
# Each act's test is written once over a DealTable (one row per deal; a deal alone is a table of one) and
# the target's class as columns. The acts of every deal are one long table (ActTable): the deal's row,
# the act, its status, the code of the branch that decided (and, for the loan, the codes of its tests),
# what it is covered as, the holding and threshold it was measured on, whether the exemption can apply
# and what it needs. Sentences are rendered from those for the one row shown (render_act).

#: act codes: positions in ACT_LABELS
ACTS: tuple[str, ...] = tuple(ACT_LABELS)
ACT_CODE = {act: i for i, act in enumerate(ACTS)}
#: what a covered act is (ActTable.covered; 0: not covered)
COVERED_AS: tuple[CoveredAs | None, ...] = (None, "inward_direct_investment", "specified_acquisition")
NOT_COVERED, INWARD, SPECIFIED = 0, 1, 2
#: what an act needs (ActTable.notification; 0: open, the class or the listing is unknown)
NOTIFICATIONS: tuple[Notification | None, ...] = (None, "prior_notification", "post_investment_report", "none")
NOTICE_OPEN, PRIOR, POST_REPORT, NO_NOTICE = 0, 1, 2, 3

# Conclusion codes (ActTable.code): which branch of the law decided the act.
LISTED_HELD = 0                 #: listed shares: the holding with related persons against the threshold
LISTED_HELD_UNKNOWN = 1         #: listed shares: the holding after the act is not given (asked)
VOTING_NOT_IN_FORCE = 2         #: voting rights as such not a covered act on the date
VOTING_HELD = 3                 #: voting rights (with proxies) against the threshold
UNLISTED_NO_CHANGE = 4          #: unlisted: no shares change hands
UNLISTED_SPECIFIED = 5          #: unlisted, bought from another foreign investor: a specified acquisition
UNLISTED_BEFORE_SPECIFIED = 6   #: unlisted, from a foreign investor before Art. 26(3) was in force: not covered
UNLISTED_SELLER_UNKNOWN = 7     #: unlisted, the seller not known: covered as inward direct investment (asked)
UNLISTED_FROM_NON_FOREIGN = 8   #: unlisted, from a non-foreign holder: inward direct investment
CONSENT_NOT_IN_FORCE = 9        #: the consent not a covered act on the date
CONSENT_APPOINTEE_UNRELATED = 10  #: the appointee is neither the investor nor a closely related person
CONSENT_LISTED = 11             #: listed: the votes with related persons against the consent threshold
CONSENT_UNLISTED = 12           #: unlisted: covered at any holding
LOAN_FINANCIAL_INSTITUTION = 13  #: a loan by a financial institution in its business: excluded
LOAN_RESIDENT_YEN = 14          #: a yen loan by a resident foreign investor: excluded
LOAN_TESTED = 15                #: the term, balance and liabilities tests (codes in ActTable.detail)
JOINT_NOT_IN_FORCE = 16         #: joint-voting consent not a covered act on the date
JOINT_UNLISTED = 17             #: joint-voting consent: the target is unlisted
JOINT_TESTED = 18               #: joint-voting consent: the combined votes against the threshold
BRANCH = 19                     #: establishing a branch, factory or office
INDIRECT_NOT_IN_FORCE = 20      #: indirect acquisition: the 2026 amendment not in force on the deal date
INDIRECT_IN_FORCE = 21          #: indirect acquisition under the amended law
INDIRECT_WINDOW = 22            #: indirect acquisition: the deal date inside the window (both readings)
FORMER_NOT_IN_FORCE = 23        #: former-resident transfer: item (ii) not in force
FORMER_LISTED = 24              #: former-resident transfer: listed shares, outside item (ii)
FORMER_TESTED = 25              #: former-resident transfer: the transferor, the holding period and the transferee

# The loan's tests (ActTable.detail of LOAN_TESTED rows: resident + 4 * balance + 16 * liabilities).
RES_NOT_RESIDENT, RES_CURRENCY_UNKNOWN, RES_FOREIGN_CURRENCY = 0, 1, 2   #: the resident-yen exclusion
BAL_MET, BAL_NOT_MET, BAL_ASKED = 0, 1, 2                                #: the ¥100m balance test
LIAB_UNKNOWN, LIAB_ZERO_BASE, LIAB_TESTED, LIAB_ASKED = 0, 1, 2, 3       #: the half-the-liabilities test
#: consent acts: the seats sought imply the director appointment (ActTable.detail of consent rows)
SEATS_IMPLY_CONSENT = 1

#: where each act stands among a deal's acts (the order the per-deal result lists them)
SLOT_SHARES, SLOT_VOTING, SLOT_BRANCH, SLOT_FORMER, SLOT_CONSENT, SLOT_LOAN, SLOT_JOINT, SLOT_INDIRECT = 0, 1, 2, 3, 4, 1000, 1001, 1002

_OPS = {">=": np.greater_equal, ">": np.greater, "<": np.less, "<=": np.less_equal}


@dataclass(frozen=True, eq=False)
class ActTable(KeyedByDeal):
    """The acts of every deal as a long table, ordered by deal and, within a deal, as the result lists them."""

    deal: np.ndarray            # int: the deal row
    act: np.ndarray             # int: the act's code (ACT_CODE)
    status: np.ndarray          # tri: the act is covered
    code: np.ndarray            # int8: the conclusion code (which branch decided)
    detail: np.ndarray          # int16: codes inside the branch (loan tests, seats)
    covered: np.ndarray         # int8 into COVERED_AS (0 where the act is not covered)
    holding: np.ndarray         # float: the holding the act was measured on (NaN: none or not given)
    threshold: np.ndarray       # float: the threshold it was measured against (NaN: none)
    exemptable: np.ndarray      # bool: the exemption from prior notification can apply
    notification: np.ndarray    # int8 into NOTIFICATIONS
    ratio: np.ndarray           # float: a loan's balance plus bonds held, in % of the liabilities base (NaN: not measured)
    usage: Usage = field(default_factory=dict)  # per deal row: the rows that needed each item
    related_reasons: dict[tuple[float | None, str | None], Reasoning] = field(default_factory=dict)
    """A table of one: the reasons on the related persons each holding was read with (by base and item)."""
    regime: Regime | None = None


@dataclass(frozen=True, eq=False)
class TargetColumns:
    """The target's class per deal row, as the acts read it (upstream: :mod:`fdiscreen.filing.target`)."""

    fefta_class: np.ndarray         # int8 rank into target.CLASSES (-1: unknown)
    specified_listed: np.ndarray    # tri: some business is on the specified-acquisition designated list

    @classmethod
    def of(cls, conclusions: Sequence[TargetClassConclusion]) -> "TargetColumns":
        return cls(fefta_class=np.array([UNKNOWN if c.fefta_class is None else RANK[c.fefta_class] for c in conclusions], dtype=np.int8),
                   specified_listed=tri([c.specified_acquisition_listed for c in conclusions]))


@dataclass(eq=False)
class _Part:
    """The rows one act's test adds to the table (each field aligned with ``deal``)."""

    deal: np.ndarray
    act: np.ndarray
    status: np.ndarray
    code: np.ndarray
    covered: int | np.ndarray
    slot: int | np.ndarray
    holding: np.ndarray | None = None
    threshold: np.ndarray | None = None
    exemptable: bool | np.ndarray = False
    detail: np.ndarray | None = None
    ratio: np.ndarray | None = None

    def column(self, value: Any, dtype: Any, fill: Any) -> np.ndarray:
        if isinstance(value, np.ndarray):
            return value.astype(dtype, copy=False)
        return np.full(len(self.deal), fill if value is None else value, dtype=dtype)


def _mask(n: int, rows: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


def _use(usage: Usage, t: DealTable, item: str, rows: np.ndarray) -> None:
    """Deal rows ``rows`` (indices) needed ``item``."""
    if len(rows):
        use(usage, item, _mask(t.n, rows))


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _pct_meets(values: Sequence[float | None], lim: Limit) -> np.ndarray:
    """``Regime.meets`` over percentages, exactly: unknown where the value is not given or the limit not in force."""
    if lim.value is None:
        return np.full(len(values), UNKNOWN, dtype=np.int8)
    scale = Scale.for_values([v for v in values if v is not None])
    met = scale.meets(scale.column(values), lim.value, lim.op)
    return np.where([v is None for v in values], UNKNOWN, met).astype(np.int8)


def _amount_meets(values: np.ndarray, lim: Limit) -> np.ndarray:
    """``Regime.meets`` over whole amounts (yen; Python integers, exact): False where the limit is not in force."""
    if lim.value is None:
        return np.zeros(len(values), dtype=bool)
    return np.asarray(_OPS[lim.op](values * lim.value.denominator, lim.value.numerator), dtype=bool)


def _related(t: DealTable, rows: np.ndarray, base: Sequence[float | None], item: str | None = None) -> list[float | None]:
    """Holdings with closely related persons (密接関係者) of the deals ``rows`` on ``base``, tested against
    ``item``; read per row by :func:`holding_with_related` (which counts what it uses in the table's regime).
    A column of it plugs in here. A table of one keeps the reasons the same call gives (its row is always
    shown), so showing it does not read the related persons again."""
    if t.n != 1:
        return [holding_with_related(t.deals[i], t.regime_of(i), b) for i, b in zip(rows.tolist(), base)]
    kept = t.column("acts.related_reasons", lambda t: {})
    out = []
    for b in base:
        r = Reasoning(t.regime)
        out.append(holding_with_related(t.deals[0], t.regime, b, r, item))
        kept[(b, item)] = r
    return out


def _voting_base(tx: Transaction) -> float:
    """Votes after the act, with those under proxy or discretionary authority (議決権行使等権限)."""
    return (tx.voting_after_pct if tx.voting_after_pct is not None else (tx.shares_after_pct or 0)) + (tx.proxy_voting_pct or 0)


def _facts(t: DealTable) -> "_DealFacts":
    return t.column("acts.facts", _DealFacts.of)


@dataclass(frozen=True, eq=False)
class _DealFacts:
    """The deal facts the acts read, one per deal row (extraction from the deal models, not law)."""

    kind: np.ndarray            # object: transaction kind
    listed: np.ndarray          # bool
    has_loan: np.ndarray
    has_joint: np.ndarray
    has_indirect: np.ndarray

    @classmethod
    def of(cls, t: DealTable) -> "_DealFacts":
        tx = [d.transaction for d in t.deals]
        return cls(kind=np.array([x.kind for x in tx], dtype=object), listed=t.values(lambda d: bool(d.target.listed), dtype=bool),
                   has_loan=np.array([x.loan is not None for x in tx], dtype=bool),
                   has_joint=np.array([x.joint_voting is not None for x in tx], dtype=bool),
                   has_indirect=np.array([x.indirect is not None for x in tx], dtype=bool))


# -- the acts' tests --------------------------------------------------------------------------------------

def listed_share_acquisition(t: DealTable, usage: Usage) -> list[_Part]:
    """Art. 26(2)(iii)/(iv): listed shares, or voting rights (with proxies and discretionary authority),
    reaching the threshold after the act, counted with closely related persons."""
    f = _facts(t)
    rows = np.flatnonzero((f.kind == "share_acquisition") & f.listed)
    if not len(rows):
        return []
    tx = [t.deals[i].transaction for i in rows.tolist()]
    lim = limit(t.regime, "listed_share_threshold_pct")
    _use(usage, t, lim.item, rows)
    held = _related(t, rows, [x.shares_after_pct for x in tx], lim.item)
    known = np.array([h is not None for h in held], dtype=bool)
    shares = _Part(rows, np.full(len(rows), ACT_CODE["listed_share_acquisition"]), _pct_meets(held, lim),
                   np.where(known, LISTED_HELD, LISTED_HELD_UNKNOWN), INWARD, SLOT_SHARES, _floats(held),
                   np.full(len(rows), np.nan if lim.value is None else float(lim.value)), True)
    voting = np.array([(x.voting_after_pct is not None and x.voting_after_pct != x.shares_after_pct) or bool(x.proxy_voting_pct) for x in tx], dtype=bool)
    if not voting.any():
        return [shares]
    vrows, vtx = rows[voting], [x for x, v in zip(tx, voting) if v]
    vlim = limit(t.regime, "listed_voting_threshold_pct")
    _use(usage, t, vlim.item, vrows)
    vheld = _related(t, vrows, [_voting_base(x) for x in vtx], vlim.item)
    in_force = vlim.value is not None
    votes = _Part(vrows, np.full(len(vrows), ACT_CODE["listed_voting_acquisition"]),
                  _pct_meets(vheld, vlim) if in_force else np.full(len(vrows), NO, dtype=np.int8),
                  np.full(len(vrows), VOTING_HELD if in_force else VOTING_NOT_IN_FORCE), INWARD, SLOT_VOTING, _floats(vheld),
                  np.full(len(vrows), float(vlim.value) if in_force else np.nan), True)
    return [shares, votes]


_SELLER = {"foreign_investor": 0, "unknown": 1}


def unlisted_share_acquisition(t: DealTable, usage: Usage) -> list[_Part]:
    """Art. 26(2)(i): any acquisition of unlisted shares; from another foreign investor it is instead a
    specified acquisition (Art. 26(3), from 2017-10-01)."""
    f = _facts(t)
    rows = np.flatnonzero((f.kind == "share_acquisition") & ~f.listed)
    if not len(rows):
        return []
    tx = [t.deals[i].transaction for i in rows.tolist()]
    held = _floats(_related(t, rows, [x.shares_after_pct for x in tx]))
    no_change = np.array([x.shares_after_pct is not None and x.shares_after_pct <= x.shares_before_pct for x in tx], dtype=bool)
    seller = np.array([_SELLER.get(x.acquired_from, 2) for x in tx], dtype=np.int8)
    _use(usage, t, "specified_acquisition_in_force", rows[~no_change])
    specified = t.regime.peek_in_force("specified_acquisition_in_force")
    code = np.select([no_change, seller == 0, seller == 1], [UNLISTED_NO_CHANGE, UNLISTED_SPECIFIED if specified else UNLISTED_BEFORE_SPECIFIED,
                                                             UNLISTED_SELLER_UNKNOWN], UNLISTED_FROM_NON_FOREIGN)
    covered = np.isin(code, (UNLISTED_SPECIFIED, UNLISTED_SELLER_UNKNOWN, UNLISTED_FROM_NON_FOREIGN))
    act = np.where(code == UNLISTED_SPECIFIED, ACT_CODE["specified_acquisition"], ACT_CODE["unlisted_share_acquisition"])
    return [_Part(rows, act, np.where(covered, YES, NO).astype(np.int8), code,
                  np.where(code == UNLISTED_SPECIFIED, SPECIFIED, np.where(covered, INWARD, NOT_COVERED)), SLOT_SHARES, held,
                  exemptable=covered)]


CONSENT_RULES = {
    "director_appointment": ("consent_director_appointment", "consent_director_appointment_listed_pct"),
    "business_purpose_change": ("consent_business_purpose_change", "consent_business_purpose_change_listed_pct"),
    "designated_business_transfer": ("consent_designated_business_transfer", "consent_designated_business_transfer_listed_pct"),
    "designated_business_abolition": ("consent_designated_business_transfer", "consent_designated_business_transfer_listed_pct"),
}
CONSENT_ACTS = tuple(dict.fromkeys(act for act, _ in CONSENT_RULES.values()))
CONSENT_ITEM = {act: item for act, item in CONSENT_RULES.values()}


@dataclass(frozen=True, eq=False)
class Proposals:
    """The consented shareholders' meeting proposals of every deal (the one the seats sought imply
    included): for each deal and consent act, the first consented proposal, one row each."""

    deal: np.ndarray            # int: the deal row
    act: np.ndarray             # int: the consent act's code (ACT_CODE)
    position: np.ndarray        # int: the proposal's place among the deal's proposals (the implied one last)
    director: np.ndarray        # bool: it appoints a director or auditor
    related: np.ndarray         # bool: the appointee is the investor or a closely related person
    seats: np.ndarray           # bool: the deal seeks board or auditor seats

    @classmethod
    def of(cls, t: DealTable) -> "Proposals":
        rows: list[tuple[int, int, int, bool, bool, bool]] = []
        for d, deal in enumerate(t.deals):
            tx = deal.transaction
            seats = bool((tx.board_seats or 0) + (tx.auditor_seats or 0))  # unknown seats imply no consent act; the share act still decides
            props = [(p.kind, p.investor_consents, p.appointee_is_investor_or_related) for p in tx.proposals]
            if seats and not any(k == "director_appointment" for k, _, _ in props):
                props.append(("director_appointment", True, True))
            seen: set[str] = set()
            for pos, (kind, consents, related) in enumerate(props):
                act = CONSENT_RULES[kind][0]
                if consents and act not in seen:
                    seen.add(act)
                    rows.append((d, ACT_CODE[act], pos, kind == "director_appointment", related, seats))
        cols = list(zip(*rows)) or [()] * 6
        return cls(*(np.array(c, dtype=dt) for c, dt in zip(cols, (np.int64, np.int64, np.int64, bool, bool, bool))))


def consent_acts(t: DealTable, usage: Usage) -> list[_Part]:
    """Art. 26(2)(v) and Cabinet Order Art. 2(11) (before 2020-05-08, Art. 26(2)(iv), business-purpose
    changes only): consents to shareholders' meeting proposals. Board or auditor seats are filled by an
    election the investor votes for, so seats imply a consent."""
    p = t.column("acts.proposals", Proposals.of)
    if not len(p.deal):
        return []
    listed = _facts(t).listed[p.deal]
    status = np.full(len(p.deal), NO, dtype=np.int8)
    code = np.full(len(p.deal), CONSENT_NOT_IN_FORCE, dtype=np.int8)
    holding, threshold = np.full(len(p.deal), np.nan), np.full(len(p.deal), np.nan)
    for act in CONSENT_ACTS:
        mine = p.act == ACT_CODE[act]
        lim = limit(t.regime, CONSENT_ITEM[act])
        _use(usage, t, lim.item, p.deal[mine])
        if lim.value is None:
            continue
        threshold[mine] = float(lim.value)
        unrelated = mine & p.director & ~p.related
        code[unrelated] = CONSENT_APPOINTEE_UNRELATED
        tested = np.flatnonzero(mine & ~unrelated)
        held = _related(t, p.deal[tested], [t.deals[d].transaction.voting_after for d in p.deal[tested].tolist()], lim.item)
        holding[tested] = _floats(held)
        on_listed = listed[tested]
        status[tested] = np.where(on_listed, _pct_meets(held, lim), YES)
        code[tested] = np.where(on_listed, CONSENT_LISTED, CONSENT_UNLISTED)
    covered = np.isin(code, (CONSENT_LISTED, CONSENT_UNLISTED))
    threshold[~covered] = np.nan
    detail = np.where(covered & p.seats & p.director, SEATS_IMPLY_CONSENT, 0)
    return [_Part(p.deal, p.act, status, code, np.where(covered, INWARD, NOT_COVERED), SLOT_CONSENT + p.position, holding, threshold,
                  detail=detail)]


@dataclass(frozen=True, eq=False)
class Loans:
    """The loans of the deals that make one (deal row, and the loan's facts as columns)."""

    deal: np.ndarray
    financial_institution: np.ndarray   # bool: a financial institution lends in its business
    resident: np.ndarray                # bool: the lender is a resident foreign investor (居住者外国投資家)
    currency: np.ndarray                # object: the currency, upper case (None: not given)
    term: list[float]
    amount: np.ndarray                  # object (int): this loan
    balance: np.ndarray                 # object (int): the balance after the loan (this loan if not given)
    balance_given: np.ndarray           # bool
    bonds: np.ndarray                   # object (int): bonds held (0 if not given)
    bonds_given: np.ndarray             # bool
    liabilities: np.ndarray             # object (int or None): the borrower's liabilities at the last fiscal year-end

    @classmethod
    def of(cls, t: DealTable) -> "Loans":
        rows = np.flatnonzero(_facts(t).has_loan)
        home = t.regime.catalog.home_country
        deals = [t.deals[i] for i in rows.tolist()]
        loans = [x for x in (d.transaction.loan for d in deals) if x is not None]
        lenders = [d.entity(d.acquirer) for d in deals]

        def ints(values: Iterable[int | None]) -> np.ndarray:
            return np.array(list(values), dtype=object)

        return cls(deal=rows, financial_institution=np.array([x.lender_financial_institution_in_business for x in loans], dtype=bool),
                   resident=np.array([bool(e.resident_in_japan if e.kind == "individual" else e.jurisdiction == home and e.principal_office in (None, home))
                                      for e in lenders], dtype=bool),
                   currency=np.array([None if x.currency is None else x.currency.upper() for x in loans], dtype=object),
                   term=[x.term_years for x in loans], amount=ints(x.amount_jpy for x in loans),
                   balance=ints(x.amount_jpy if x.lender_loan_balance_after_jpy is None else x.lender_loan_balance_after_jpy for x in loans),
                   balance_given=np.array([x.lender_loan_balance_after_jpy is not None for x in loans], dtype=bool),
                   bonds=ints(x.lender_bonds_held_jpy or 0 for x in loans),
                   bonds_given=np.array([x.lender_bonds_held_jpy is not None for x in loans], dtype=bool),
                   liabilities=ints(x.borrower_liabilities_jpy if x.borrower_liabilities_jpy is not None else d.target.total_liabilities_jpy
                                    for x, d in zip(loans, deals)))


def loan_act(t: DealTable, usage: Usage) -> list[_Part]:
    """Art. 26(2)(vii), Cabinet Order Art. 2(14): a loan of over one year whose balance after the loan
    exceeds ¥100m and whose balance plus bonds held exceeds half the borrower's liabilities plus this loan
    (Order Art. 2(4)); yen loans by resident foreign investors and loans by financial institutions in
    their business are excluded."""
    if not _facts(t).has_loan.any():
        return []
    ln = t.column("acts.loans", Loans.of)
    n, regime = len(ln.deal), t.regime
    _use(usage, t, "loan_financial_institution_excluded", ln.deal[ln.financial_institution])
    fi = ln.financial_institution & regime.peek_in_force("loan_financial_institution_excluded")
    _use(usage, t, "loan_resident_yen_loans_excluded", ln.deal[~fi & ln.resident])
    resident = ~fi & ln.resident & regime.peek_in_force("loan_resident_yen_loans_excluded")
    yen = resident & (ln.currency == "JPY")
    res = np.select([resident & np.array([c is None for c in ln.currency], dtype=bool), resident], [RES_CURRENCY_UNKNOWN, RES_FOREIGN_CURRENCY], RES_NOT_RESIDENT)
    tested = ~fi & ~yen
    for item in ("loan_min_term_years", "loan_min_balance_jpy"):
        _use(usage, t, item, ln.deal[tested])
    term = _pct_meets(ln.term, limit(regime, "loan_min_term_years"))
    least = limit(regime, "loan_min_balance_jpy")
    balance_met = _amount_meets(ln.balance, least)
    bal = np.where(balance_met, BAL_MET, np.where(ln.balance_given, BAL_NOT_MET, BAL_ASKED))
    balance = np.where((bal == BAL_ASKED) | (least.value is None), UNKNOWN, balance_met).astype(np.int8)
    liab_known = np.array([x is not None for x in ln.liabilities], dtype=bool)
    _use(usage, t, "loan_liabilities_base_adds_loan", ln.deal[tested & liab_known])
    adds = regime.peek_in_force("loan_liabilities_base_adds_loan")
    base = np.where(liab_known, ln.liabilities, 0) + (ln.amount if adds else 0)
    zero = liab_known & (base == 0)
    share = limit(regime, "loan_liabilities_share_pct")
    _use(usage, t, share.item, ln.deal[tested & liab_known & ~zero])
    over = (np.asarray(_OPS[share.op]((ln.balance + ln.bonds) * 100 * share.value.denominator, share.value.numerator * base), dtype=bool)
            if share.value is not None else np.zeros(n, dtype=bool))
    open_parts = ~ln.balance_given | ~ln.bonds_given
    liab = np.select([~liab_known, zero, over | ~open_parts], [LIAB_UNKNOWN, LIAB_ZERO_BASE, LIAB_TESTED], LIAB_ASKED)
    liabilities = np.select([liab == LIAB_UNKNOWN, liab == LIAB_ZERO_BASE, liab == LIAB_TESTED],
                            [UNKNOWN, YES, over if share.value is not None else UNKNOWN], UNKNOWN).astype(np.int8)
    excluded = np.where(res == RES_CURRENCY_UNKNOWN, UNKNOWN, YES).astype(np.int8)
    status = np.where(tested, tri_all(excluded, term, balance, liabilities), NO).astype(np.int8)
    code = np.select([fi, yen], [LOAN_FINANCIAL_INSTITUTION, LOAN_RESIDENT_YEN], LOAN_TESTED)
    measured = tested & liab_known & ~zero
    ratio = np.full(n, np.nan)
    ratio[measured] = ((ln.balance + ln.bonds) * 100)[measured] / base[measured]  # Python ints: a correctly rounded quotient
    return [_Part(ln.deal, np.full(n, ACT_CODE["loan"]), status, code, np.where(tested, INWARD, NOT_COVERED), SLOT_LOAN,
                  detail=np.where(tested, res + 4 * bal + 16 * liab, 0), ratio=ratio)]


def joint_voting_act(t: DealTable, usage: Usage) -> list[_Part]:
    """Cabinet Order Art. 2 (from 2019-10-26): obtaining other holders' consent to exercise votes jointly
    as shareholders of a listed company (共同議決権行使同意取得), when the combined votes reach the threshold.
    Listed companies only."""
    f = _facts(t)
    rows = np.flatnonzero(f.has_joint)
    if not len(rows):
        return []
    lim = limit(t.regime, "joint_voting_consent_listed_pct")
    _use(usage, t, lim.item, rows)
    combined = [x.combined_voting_pct for x in (t.deals[i].transaction.joint_voting for i in rows.tolist()) if x is not None]
    listed = f.listed[rows]
    code = np.where(lim.value is None, JOINT_NOT_IN_FORCE, np.where(listed, JOINT_TESTED, JOINT_UNLISTED))
    tested = code == JOINT_TESTED
    status = np.where(tested, _pct_meets(combined, lim), NO).astype(np.int8)
    return [_Part(rows, np.full(len(rows), ACT_CODE["joint_voting_consent"]), status, code, np.where(tested, INWARD, NOT_COVERED), SLOT_JOINT,
                  np.where(tested, _floats(combined), np.nan), np.where(tested, np.nan if lim.value is None else float(lim.value), np.nan))]


def branch_act(t: DealTable, usage: Usage) -> list[_Part]:
    """Art. 26(2)(vi) (item (v) before 2020-05-08): a non-resident individual or foreign entity
    establishing a branch, factory or other office in Japan."""
    rows = np.flatnonzero(_facts(t).kind == "branch_establishment")
    if not len(rows):
        return []
    home = t.regime.catalog.home_country
    acq = [t.deals[i].entity(t.deals[i].acquirer) for i in rows.tolist()]
    foreign_own = np.array([e.kind == "individual" and e.resident_in_japan is False or not (e.jurisdiction == home and e.principal_office in (None, home))
                            for e in acq], dtype=bool)
    _use(usage, t, "branch_establishment_covered", rows)
    status = (foreign_own & t.regime.peek_in_force("branch_establishment_covered")).astype(np.int8)
    return [_Part(rows, np.full(len(rows), ACT_CODE["branch_establishment"]), status, np.full(len(rows), BRANCH),
                  np.where(status == YES, INWARD, NOT_COVERED), SLOT_BRANCH)]


def former_resident_transfer_act(t: DealTable, usage: Usage) -> list[_Part]:
    """Art. 26(2)(ii): a non-resident individual transfers, to a foreign investor, shares of an unlisted
    company that it has held since before it became non-resident."""
    f = _facts(t)
    rows = np.flatnonzero(f.kind == "former_resident_share_transfer")
    if not len(rows):
        return []
    _use(usage, t, "former_resident_transfer_covered", rows)
    covered = t.regime.peek_in_force("former_resident_transfer_covered")
    deals = [t.deals[i] for i in rows.tolist()]
    transfers = [x for x in (d.transaction.former_resident_transfer for d in deals) if x is not None]
    acq = [d.entity(d.acquirer) for d in deals]
    individual = tri([e.kind == "individual" and (None if e.resident_in_japan is None else not e.resident_in_japan) for e in acq])
    met = tri_all(individual, tri([x.held_since_before_non_resident for x in transfers]), tri([x.transferee_foreign_investor for x in transfers]))
    listed = f.listed[rows]
    code = np.where(not covered, FORMER_NOT_IN_FORCE, np.where(listed, FORMER_LISTED, FORMER_TESTED))
    tested = code == FORMER_TESTED
    status = np.where(tested, met, NO).astype(np.int8)
    return [_Part(rows, np.full(len(rows), ACT_CODE["former_resident_share_transfer"]), status, code,
                  np.where(tested & (status != NO), INWARD, NOT_COVERED), SLOT_FORMER)]


def indirect_acquisition_act(t: DealTable, usage: Usage) -> list[_Part]:
    """2026 amendment (間接取得, a new item of Art. 26(2)): acquiring 50% or more of the voting rights of
    an overseas entity (直接保有者) that holds the Japanese company at or above the proportion the
    cabinet order will fix. Judged on the deal date (closing date, else as-of date), reading the amended
    law on that date (one reading per distinct date of the table); inside the window in which the
    cabinet order may bring it into force, both readings are given. The proportion, the sectors, the
    investors, "newly reaching", the exemption and reports rest on the cabinet order and are labelled
    assumptions. The law is read without counting its items as used: the row shown records the reading it
    renders (:func:`_render_indirect`)."""
    from fdiscreen.filing.amendment import amended_law, amendment_timing

    rows = np.flatnonzero(_facts(t).has_indirect)
    if not len(rows):
        return []
    n = len(rows)
    status, code = np.full(n, NO, dtype=np.int8), np.full(n, INDIRECT_NOT_IN_FORCE, dtype=np.int8)
    exemptable = np.zeros(n, dtype=bool)
    threshold = np.full(n, np.nan)
    detail = np.zeros(n, dtype=np.int16)
    inds = [x for x in (t.deals[i].transaction.indirect for i in rows.tolist()) if x is not None]
    quiet = t.regime.fork()
    timings = [amendment_timing(t.deals[i], quiet) for i in rows.tolist()]
    readings: dict[dt.date, tuple[Regime, list[int]]] = {}
    for k, timing in enumerate(timings):
        if timing.in_force is not False:
            law = amended_law(quiet, timing)
            readings.setdefault(law.as_of, (law, []))[1].append(k)
    for law, ks in readings.values():
        at = np.array(ks, dtype=np.int64)
        sub = [inds[k] for k in ks]
        lim = law.threshold("indirect_holding_entity_voting_pct")
        control = law_meets(law, "indirect_holding_entity_voting_pct", [x.acquirer_voting_after_pct for x in sub])
        before = law_meets(law, "indirect_holding_entity_voting_pct", [x.acquirer_voting_before_pct for x in sub])
        newly = (tri_all(control, np.where(before == UNKNOWN, UNKNOWN, 1 - before).astype(np.int8))
                 if law.value("indirect_acquisition_newly_reaching_only") else control)
        officer = np.array([x.related_persons_take_officer_majority for x in sub], dtype=bool)
        officer &= law.peek_in_force("indirect_officer_majority_limb")
        listed = _facts(t).listed[rows[at]]
        enough = np.empty(len(ks), dtype=np.int8)
        for flag, item in ((True, "indirect_direct_holder_min_listed_pct"), (False, "indirect_direct_holder_min_unlisted_pct")):
            mine = listed == flag
            if mine.any():
                enough[mine] = law_meets(law, item, [x.holding_entity_stake_in_target_pct for x, m in zip(sub, mine) if m])
        met = tri_all(np.where(officer, YES, newly).astype(np.int8), enough)
        detail[at] = met + 1
        exemptable[at] = bool(law.peek("indirect_acquisition_exemption_available"))
        threshold[at] = np.nan if lim is None else float(lim)
        window = np.array([timings[k].in_force is None for k in ks], dtype=bool)
        status[at] = np.where(window, np.where(met == NO, NO, UNKNOWN), met)
        code[at] = np.where(window, INDIRECT_WINDOW, INDIRECT_IN_FORCE)
    holding = _floats([x.acquirer_voting_after_pct for x in inds])
    covered = code != INDIRECT_NOT_IN_FORCE
    return [_Part(rows, np.full(n, ACT_CODE["indirect_acquisition"]), status, code, np.where(covered, INWARD, NOT_COVERED), SLOT_INDIRECT,
                  np.where(covered, holding, np.nan), threshold, exemptable & covered, detail)]


def law_meets(law: Regime, item: str, values: Sequence[float | None]) -> np.ndarray:
    """``Regime.meets`` of ``law`` over a column."""
    return _pct_meets(values, limit(law, item))


def notification(deal: np.ndarray, status: np.ndarray, covered: np.ndarray, target: TargetColumns) -> np.ndarray:
    """What each act needs given the target's class: nothing when not covered; a specified acquisition
    prior notification when a business is on the specified-acquisition list; other acts prior
    notification in a designated (or core) company, a post-investment report in a non-designated one."""
    specified = _NOTICE_OF_LISTING[target.specified_listed[deal] + 1]
    inward = _NOTICE_OF_CLASS[target.fefta_class[deal] + 1]
    return np.where((status == NO) | (covered == NOT_COVERED), NO_NOTICE, np.where(covered == SPECIFIED, specified, inward)).astype(np.int8)


#: a specified acquisition's notification by the listing (tri + 1: unknown, no, yes)
_NOTICE_OF_LISTING = np.array([NOTICE_OPEN, NO_NOTICE, PRIOR], dtype=np.int8)
#: another act's notification by the class (rank + 1: unknown, non-designated, designated, core)
_NOTICE_OF_CLASS = np.array([NOTICE_OPEN, POST_REPORT, PRIOR, PRIOR], dtype=np.int8)


def act_table(t: DealTable, target: TargetColumns) -> ActTable:
    """Every act of every deal tested against Art. 26(2)-(3), in each deal's order: the share acts, a
    branch, a former resident's transfer, the consents, a loan, joint voting, an indirect acquisition."""
    usage: Usage = {}
    parts = [*listed_share_acquisition(t, usage), *unlisted_share_acquisition(t, usage), *branch_act(t, usage),
             *former_resident_transfer_act(t, usage), *consent_acts(t, usage), *loan_act(t, usage), *joint_voting_act(t, usage),
             *indirect_acquisition_act(t, usage)]

    def cat(field: str, dtype: Any, fill: Any) -> np.ndarray:
        """One field of every part, in table order (a part alone is in order: by deal, then slot)."""
        if len(parts) < 2:
            return parts[0].column(getattr(parts[0], field), dtype, fill) if parts else np.zeros(0, dtype=dtype)
        return np.concatenate([p.column(getattr(p, field), dtype, fill) for p in parts])[order]

    order = np.lexsort((np.concatenate([p.column(p.slot, np.int64, 0) for p in parts]), np.concatenate([p.deal for p in parts]))) \
        if len(parts) > 1 else None
    deal, status = cat("deal", np.int64, 0), cat("status", np.int8, NO)
    covered = np.where(status == NO, NOT_COVERED, cat("covered", np.int8, NOT_COVERED)).astype(np.int8)
    return ActTable(deal=deal, act=cat("act", np.int64, 0), status=status, code=cat("code", np.int8, 0), detail=cat("detail", np.int16, 0),
                    covered=covered, holding=cat("holding", float, np.nan), threshold=cat("threshold", float, np.nan),
                    exemptable=cat("exemptable", bool, False), notification=notification(deal, status, covered, target),
                    ratio=cat("ratio", float, np.nan), usage=usage,
                    related_reasons=t.column("acts.related_reasons", lambda t: {}), regime=t.regime)


def outside_deemed_scope(acts: ActTable, deemed: np.ndarray, regime: Regime) -> np.ndarray:
    """FEFTA Art. 27(14): per act row, the acquirer is a foreign investor only by the nominee rule
    (みなし外国投資家, ``deemed`` per deal row) and the act is of a kind the rule does not reach on the date
    (inward direct investment; specified acquisitions too once the 2026 amendment is in force)."""
    scope = regime.peek("deemed_foreign_investor_scope") or []
    reached = np.array([kind in scope for kind in COVERED_AS], dtype=bool)
    return deemed[acts.deal] & (acts.status != NO) & (acts.covered != NOT_COVERED) & ~reached[acts.covered]


def any_act(deal: np.ndarray, status: np.ndarray, n: int) -> np.ndarray:
    """Three-valued OR of the acts' statuses per deal row (no act: no)."""
    yes, unknown = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    yes[deal[status == YES]] = True
    unknown[deal[status == UNKNOWN]] = True
    return np.where(yes, YES, np.where(unknown, UNKNOWN, NO)).astype(np.int8)


# -- explanations: rendered from the codes, for one act row ---------------------------------------------------

@dataclass(frozen=True)
class _Shown:
    """One act row being rendered, with its deal."""

    deal: Deal
    regime: Regime
    acts: ActTable
    i: int
    fefta_class: FeftaClass | None

    @property
    def holding(self) -> float | None:
        h = self.acts.holding[self.i]
        return None if np.isnan(h) else float(h)

    @property
    def threshold(self) -> float | None:
        return _float(self.acts.threshold[self.i])

    @property
    def tx(self) -> Transaction:
        return self.deal.transaction


def _related_reasons(s: _Shown, r: Reasoning, base: float | None, item: str | None = None) -> None:
    """The reasons naming whose holdings were added to ``base`` (密接関係者, Cabinet Order Art. 2): those a
    table of one kept when it read the holding in the same regime, else read now."""
    kept = s.acts.related_reasons.get((base, item)) if s.regime is s.acts.regime else None
    if kept is None:
        holding_with_related(s.deal, s.regime, base, r, item)
    else:
        r.absorb(kept, reasons=True)


def _render_listed(s: _Shown, r: Reasoning) -> None:
    _related_reasons(s, r, s.tx.shares_after_pct, "listed_share_threshold_pct")
    if s.acts.code[s.i] == LISTED_HELD_UNKNOWN:
        r.need("transaction.shares_after_pct", T("What will the investor's shareholding be after the acquisition?", "取得後の出資比率は？"),
               T("assume the threshold is reached", "基準に達するものとして扱う"), WHO_ACQUIRER)
        return
    held, lim = s.holding, s.threshold
    r.say(f"After the act the investor and its closely related persons hold {pct(held)} of the listed shares; the threshold on this date is {pct(lim)}.",
          f"取得後、投資家及び密接関係者の出資比率は{pct(held)}であり、本基準日の基準は{pct(lim)}である。",
          "listed_share_threshold_pct")


def _render_voting(s: _Shown, r: Reasoning) -> None:
    _related_reasons(s, r, _voting_base(s.tx), "listed_voting_threshold_pct")
    if s.acts.code[s.i] == VOTING_NOT_IN_FORCE:
        r.say("Acquiring voting rights as such was not a covered act on this date.", "本基準日には議決権の取得は対象行為ではない。",
              "listed_voting_threshold_pct")
        return
    vheld, vlim = s.holding, s.threshold
    r.say(f"Voting rights (incl. proxy or discretionary authority) after the act: {pct(vheld)}; threshold {pct(vlim)}.",
          f"取得後の議決権（代理行使・議決権行使等権限を含む）：{pct(vheld)}、基準{pct(vlim)}。",
          "listed_voting_threshold_pct")


def _render_unlisted(s: _Shown, r: Reasoning) -> None:
    _related_reasons(s, r, s.tx.shares_after_pct)
    code = int(s.acts.code[s.i])
    if code == UNLISTED_NO_CHANGE:
        r.say("No shares change hands.", "株式の取得はない。")
        return
    r.cite("unlisted_share_any_amount")
    if code == UNLISTED_SPECIFIED:
        r.say("The shares are bought from another foreign investor: a specified acquisition.",
              "他の外国投資家からの取得であり、特定取得に該当する。", "specified_acquisition_in_force")
    elif code == UNLISTED_BEFORE_SPECIFIED:
        r.say("Before 2017-10-01 an acquisition of unlisted shares from another foreign investor was not covered.",
              "2017年10月1日より前は、外国投資家からの非上場株式の取得は対象外であった。", "specified_acquisition_in_force")
    elif code == UNLISTED_SELLER_UNKNOWN:
        r.say("Any acquisition of unlisted shares is covered; whether it is inward direct investment or a specified acquisition depends on the seller.",
              "非上場株式の取得は一株でも対象となる。対内直接投資等か特定取得かは売主による。")
        r.need("transaction.acquired_from", T("Who sells the shares: a resident, or another foreign investor?", "売主は居住者か、他の外国投資家か？"),
               T("treat as inward direct investment (the broader rule)", "対内直接投資等として扱う（より広い規律）"), WHO_ACQUIRER)
    else:
        r.say("Any acquisition of unlisted shares from a non-foreign holder is inward direct investment.",
              "外国投資家以外からの非上場株式の取得は、一株でも対内直接投資等に該当する。")


def _render_consent(s: _Shown, r: Reasoning) -> None:
    item = CONSENT_ITEM[ACTS[s.acts.act[s.i]]]
    code = int(s.acts.code[s.i])
    if code == CONSENT_NOT_IN_FORCE:
        r.say("This consent was not a covered act on this date.", "本基準日には当該同意は対象行為ではない。", item)
        return
    if code == CONSENT_APPOINTEE_UNRELATED:
        r.say("The appointee is neither the investor nor its closely related person.", "被選任者は投資家又はその密接関係者ではない。", item)
        return
    _related_reasons(s, r, s.tx.voting_after, item)
    if code == CONSENT_LISTED:
        held, lim = s.holding, s.threshold
        r.say(f"The investor (with closely related persons) holds {pct(held)} of the votes; consent is covered from {pct(lim)}.",
              f"投資家（密接関係者を含む）の議決権は{pct(held)}であり、{pct(lim)}以上で同意が対象となる。", item)
    else:
        r.say("For an unlisted company the consent is covered at any holding.", "非上場会社では保有比率にかかわらず同意が対象となる。", item)
    if s.acts.detail[s.i] == SEATS_IMPLY_CONSENT:
        r.say("The seats sought will be filled by a shareholders' meeting election the investor consents to.",
              "求める役員ポストは、投資家が同意する株主総会の選任議案により充足される。")


def _render_loan(s: _Shown, r: Reasoning) -> None:
    loan, code = s.tx.loan, int(s.acts.code[s.i])
    assert loan is not None
    if code == LOAN_FINANCIAL_INSTITUTION:
        r.say("A loan made by a financial institution in its business is excluded.", "金融機関がその業務として行う貸付けは除かれる。",
              "loan_financial_institution_excluded")
        return
    lender = s.deal.entity(s.deal.acquirer)
    detail = int(s.acts.detail[s.i])
    res, bal, liab = detail % 4, detail // 4 % 4, detail // 16
    if code == LOAN_RESIDENT_YEN:
        r.say(f"{lender.name} is a resident foreign investor lending in yen: the loan is excluded.",
              f"{lender.name}は居住者外国投資家であり、本邦通貨による貸付けは除かれる。", "loan_resident_yen_loans_excluded")
        return
    if res == RES_CURRENCY_UNKNOWN:
        r.need("transaction.loan.currency", T("In which currency is the loan made? (A yen loan by a resident foreign investor is excluded.)",
                                              "貸付けの通貨は何か（居住者外国投資家による本邦通貨建ての貸付けは除かれる）？"),
               T("treat it as a foreign-currency loan (covered)", "外貨建て（対象）として扱う"), WHO_ACQUIRER)
    elif res == RES_FOREIGN_CURRENCY:
        r.say(f"{lender.name} is a resident foreign investor, but the loan is in {loan.currency.upper()}, not yen: not excluded.",
              f"{lender.name}は居住者外国投資家であるが、貸付けは本邦通貨ではなく{loan.currency.upper()}建てであり、除外されない。",
              "loan_resident_yen_loans_excluded")
    r.say(f"Term {loan.term_years:g} years (covered above {s.regime.peek('loan_min_term_years')} year).",
          f"期間{loan.term_years:g}年（{s.regime.peek('loan_min_term_years')}年超が対象）。", "loan_min_term_years")
    _render_loan_balance(s, r, bal)
    _render_loan_liabilities(s, r, liab)


def _render_loan_balance(s: _Shown, r: Reasoning, bal: int) -> None:
    loan = s.tx.loan
    assert loan is not None
    balance = loan.lender_loan_balance_after_jpy if loan.lender_loan_balance_after_jpy is not None else loan.amount_jpy
    lim = s.regime.peek("loan_min_balance_jpy")
    r.say(f"Loan balance after the loan ¥{balance:,} (covered above ¥{lim:,}).",
          f"貸付け後の貸付残高{balance:,}円（{lim:,}円超が対象）。", "loan_min_balance_jpy")
    if bal == BAL_ASKED:
        r.need("transaction.loan.lender_loan_balance_after_jpy",
               T("What is the lender's total loan balance to the borrower after this loan (earlier loans included)?",
                 "本件貸付け後の貸付人から借入先への貸付残高（既存の貸付けを含む）は？"),
               T("assume earlier loans take it above the threshold", "既存の貸付けにより基準を超えるものとして扱う"), WHO_ACQUIRER)


def _render_loan_liabilities(s: _Shown, r: Reasoning, liab: int) -> None:
    loan = s.tx.loan
    assert loan is not None
    if liab == LIAB_UNKNOWN:
        r.need("transaction.loan.borrower_liabilities_jpy",
               T("What liabilities did the borrower's balance sheet show at the end of the fiscal year before the loan?",
                 "借入先の貸付日の属する事業年度の直前事業年度末の貸借対照表の負債の額は？"),
               T("assume the loan exceeds the liabilities test", "負債割合の基準を超えるものとして扱う"), WHO_TARGET)
        return
    if liab == LIAB_ZERO_BASE:
        return
    liabilities = loan.borrower_liabilities_jpy if loan.borrower_liabilities_jpy is not None else s.deal.target.total_liabilities_jpy
    balance = loan.lender_loan_balance_after_jpy if loan.lender_loan_balance_after_jpy is not None else loan.amount_jpy
    bonds = loan.lender_bonds_held_jpy or 0
    ratio = float(s.acts.ratio[s.i])
    lim = pct(limit(s.regime, "loan_liabilities_share_pct").value)
    r.say(f"Loan balance ¥{balance:,} plus bonds held ¥{bonds:,} is {pct(ratio)} of the borrower's liabilities "
          f"(¥{liabilities:,} at the last fiscal year-end plus this loan of ¥{loan.amount_jpy:,}); covered above {lim}.",
          f"貸付残高{balance:,}円と保有社債{bonds:,}円の合計は、借入先の負債の額（直前事業年度末の負債{liabilities:,}円に本件貸付額"
          f"{loan.amount_jpy:,}円を合算した額）の{pct(ratio)}（{lim}超が対象）。",
          "loan_liabilities_share_pct", "loan_liabilities_base_adds_loan")
    if liab != LIAB_ASKED:
        return
    for path, value in (("lender_loan_balance_after_jpy", loan.lender_loan_balance_after_jpy), ("lender_bonds_held_jpy", loan.lender_bonds_held_jpy)):
        if value is None:
            r.need(f"transaction.loan.{path}",
                   T("Does the lender hold earlier loans to, or bonds of, the borrower? Give the totals after this loan.",
                     "貸付人は借入先に対する既存の貸付け又は借入先の社債を保有しているか。本件貸付け後の合計額は？"),
                   T("assume they take it above half the liabilities", "負債の50%を超えるものとして扱う"), WHO_ACQUIRER)


def _render_joint(s: _Shown, r: Reasoning) -> None:
    code = int(s.acts.code[s.i])
    if code == JOINT_NOT_IN_FORCE:
        r.say("Joint-voting consent was not a covered act on this date.", "本基準日には共同議決権行使同意取得は対象行為ではない。",
              "joint_voting_consent_listed_pct")
    elif code == JOINT_UNLISTED:
        r.say("Consent to joint voting is covered only for listed companies; the target is unlisted.",
              "共同議決権行使同意取得は上場会社等に限り対象となるが、発行会社は非上場である。", "joint_voting_consent_listed_pct")
    else:
        jv = s.tx.joint_voting
        assert jv is not None
        combined, lim = jv.combined_voting_pct, s.threshold
        r.say(f"Combined votes under the agreement: {pct(combined)} (threshold {pct(lim)}).",
              f"合意に係る合計議決権：{pct(combined)}（基準{pct(lim)}）。", "joint_voting_consent_listed_pct")


def _render_branch(s: _Shown, r: Reasoning) -> None:
    r.say("A foreign entity or non-resident individual establishing a branch, factory or office in Japan is inward direct investment.",
          "外国法人等又は非居住者個人による本邦における支店等の設置は対内直接投資等に該当する。", "branch_establishment_covered")


def _render_former(s: _Shown, r: Reasoning) -> None:
    r.cite("former_resident_transfer_covered")
    code = int(s.acts.code[s.i])
    if code == FORMER_NOT_IN_FORCE:
        return
    if code == FORMER_LISTED:
        r.say("The shares are listed; item (ii) covers only shares of unlisted companies.", "上場株式であり、第2号は非上場会社の株式に限られる。")
        return
    t, acq = s.tx.former_resident_transfer, s.deal.entity(s.deal.acquirer)
    assert t is not None
    if acq.kind == "individual" and acq.resident_in_japan is None:
        r.need(f"entities[{s.deal.entity_index(acq.id)}].resident_in_japan", T(f"Is {acq.name} a non-resident of Japan?", f"{acq.name}は非居住者か？"),
               T("treat as non-resident", "非居住者として扱う"), WHO_ACQUIRER)
    for path, value, question in (
            ("held_since_before_non_resident", t.held_since_before_non_resident,
             T("Has the transferor held the shares since before becoming non-resident?", "譲渡人は非居住者となる以前から株式を引き続き所有しているか？")),
            ("transferee_foreign_investor", t.transferee_foreign_investor, T("Is the transferee a foreign investor?", "譲受人は外国投資家か？"))):
        if value is None:
            r.need(f"transaction.former_resident_transfer.{path}", question, T("assume yes (covered)", "該当するものとして扱う"), WHO_ACQUIRER)
    met = s.acts.status[s.i] == YES
    r.say(f"{acq.name}, a non-resident individual, transfers unlisted shares held since before becoming non-resident to a foreign investor."
          if met else "Item (ii) needs a non-resident individual transferring to a foreign investor unlisted shares held since before becoming non-resident.",
          f"非居住者である個人{acq.name}が、非居住者となる以前から引き続き所有する非上場株式を外国投資家に譲渡する。"
          if met else "第2号は、非居住者個人が非居住者となる以前から所有する非上場株式を外国投資家に譲渡する場合に限られる。")


def _render_indirect(s: _Shown, r: Reasoning) -> None:
    from fdiscreen.filing.amendment import (PENDING, amended_law, amendment_timing, cite_timing, effective_phrase, record_use as record_law,
                                            say_both_readings, say_window)

    ind, regime = s.tx.indirect, s.regime
    assert ind is not None
    holder = s.deal.entity(ind.holding_entity)
    timing = amendment_timing(s.deal, regime)
    cite_timing(r, timing)
    outside = T(f"buying {holder.name}, an overseas entity, is not inward direct investment.",
                f"海外法人{holder.name}の取得は対内直接投資等に該当しない。")
    code = int(s.acts.code[s.i])
    if code == INDIRECT_NOT_IN_FORCE:
        how = effective_phrase(timing)
        r.say(f"On the deal date ({timing.deal_date}) the 2026 amendment that covers indirect acquisitions is not in force ({how.en}): {outside.en}",
              f"本件の実行日（{timing.deal_date}）には間接取得を対象とする2026年改正は未施行である（{how.ja}）：{outside.ja}",
              "indirect_acquisition")
        return
    law = amended_law(regime, timing)
    a = Reasoning(law)
    a.cite("indirect_acquisition")
    lim = limit(law, "indirect_holding_entity_voting_pct").value
    item = "indirect_direct_holder_min_listed_pct" if s.deal.target.listed else "indirect_direct_holder_min_unlisted_pct"
    stake, target = ind.holding_entity_stake_in_target_pct, s.deal.target.name
    if stake is None:
        a.need("transaction.indirect.holding_entity_stake_in_target_pct",
               T(f"What share of {target} does {holder.name} hold?", f"{holder.name}は{target}の何％を保有しているか？"),
               T("assume it meets the proportion", "基準割合を満たすものとして扱う"), WHO_ACQUIRER)
    a.say(f"The acquirer goes from {pct(ind.acquirer_voting_before_pct)} to {pct(ind.acquirer_voting_after_pct)} of {holder.name}'s voting rights (the Act covers reaching {pct(lim)}).",
          f"取得者は{holder.name}の議決権を{pct(ind.acquirer_voting_before_pct)}から{pct(ind.acquirer_voting_after_pct)}へ取得する（法は{pct(lim)}以上の取得を対象とする）。",
          "indirect_holding_entity_voting_pct")
    a.say(f"Only newly reaching {pct(lim)} is taken as covered ({PENDING.en}).", f"新たに{pct(lim)}以上となる場合のみ対象とする（{PENDING.ja}）。",
          "indirect_acquisition_newly_reaching_only")
    proportion = pct(limit(law, item).value)
    a.say(f"{holder.name} holds {pct(stake)} of {target}; the proportion the direct holding entity must hold is taken as {proportion} ({PENDING.en}).",
          f"{holder.name}は{target}の{pct(stake)}を保有する。直接保有者の保有割合の基準は{proportion}とする（{PENDING.ja}）。", item)
    if ind.related_persons_take_officer_majority and law.in_force("indirect_officer_majority_limb"):
        a.say(f"The acquirer's related persons will also take a majority of the holding entity's officers (second limb, {PENDING.en}).",
              f"取得者の関係者が直接保有者の役員の過半数を占める（第二類型、{PENDING.ja}）。", "indirect_officer_majority_limb")
    a.say(f"The same rule is applied to every investor; the cabinet order is expected to treat high-risk investors more broadly and others more narrowly ({PENDING.en}).",
          f"全ての投資家に同一の規則を適用する。政令は高リスク投資家を広く、その他を狭く対象とする見込みである（{PENDING.ja}）。",
          "indirect_high_risk_differentiation")
    if s.fefta_class != "non_designated":
        a.say(f"A company in a designated business is taken to call for prior notification of an indirect acquisition, as of a direct one, with no exemption ({PENDING.en}).",
              f"指定業種を営む会社については、直接取得と同様に間接取得にも事前届出を要し、免除制度は利用できないものとする（{PENDING.ja}）。",
              "indirect_acquisition_notification_follows_target_class", "indirect_acquisition_exemption_available")
    if s.fefta_class != "designated" and s.fefta_class != "core":
        a.say(f"A company in no designated business is taken to call for a post-investment report of an indirect acquisition ({PENDING.en}).",
              f"指定業種以外の会社については、間接取得に事後報告を要するものとする（{PENDING.ja}）。", "indirect_acquisition_non_designated_report")
    law.value("indirect_acquisition_exemption_available")
    record_law(regime, law)
    if code == INDIRECT_WINDOW:
        say_window(r, timing)
    r.absorb(a, reasons=True)
    if code == INDIRECT_WINDOW:
        met = tri_value(int(s.acts.detail[s.i]) - 1)  # the amended law's answer (detail: tri + 1)
        covered = {True: T("it is inward direct investment.", "対内直接投資等に該当する。"),
                   None: T("whether it is inward direct investment turns on the facts to confirm.", "対内直接投資等に該当するかは確認事項による。"),
                   False: T("it is not inward direct investment either.", "その場合も対内直接投資等に該当しない。")}[met]
        say_both_readings(r, timing, covered, outside, decisive=met is not False)


_RENDER: dict[int, Callable[[_Shown, Reasoning], None]] = {
    LISTED_HELD: _render_listed, LISTED_HELD_UNKNOWN: _render_listed, VOTING_NOT_IN_FORCE: _render_voting, VOTING_HELD: _render_voting,
    **{c: _render_unlisted for c in (UNLISTED_NO_CHANGE, UNLISTED_SPECIFIED, UNLISTED_BEFORE_SPECIFIED, UNLISTED_SELLER_UNKNOWN,
                                     UNLISTED_FROM_NON_FOREIGN)},
    **{c: _render_consent for c in (CONSENT_NOT_IN_FORCE, CONSENT_APPOINTEE_UNRELATED, CONSENT_LISTED, CONSENT_UNLISTED)},
    **{c: _render_loan for c in (LOAN_FINANCIAL_INSTITUTION, LOAN_RESIDENT_YEN, LOAN_TESTED)},
    **{c: _render_joint for c in (JOINT_NOT_IN_FORCE, JOINT_UNLISTED, JOINT_TESTED)},
    BRANCH: _render_branch,
    **{c: _render_indirect for c in (INDIRECT_NOT_IN_FORCE, INDIRECT_IN_FORCE, INDIRECT_WINDOW)},
    **{c: _render_former for c in (FORMER_NOT_IN_FORCE, FORMER_LISTED, FORMER_TESTED)},
}


def _summary(label: Text, status: bool | None) -> Text:
    return {True: T(f"{label.en}: covered.", f"{label.ja}：対象。"), False: T(f"{label.en}: not covered.", f"{label.ja}：対象外。"),
            None: T(f"{label.en}: indeterminate.", f"{label.ja}：未確定。")}[status]


def _float(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def render_act(deal: Deal, regime: Regime, acts: ActTable, i: int, fefta_class: FeftaClass | None) -> ActConclusion:
    """Act row ``i`` (of ``deal``) as a conclusion: the reasons of the branch its code names, citations,
    facts needed, summary and fields."""
    r = Reasoning(regime)
    _RENDER[int(acts.code[i])](_Shown(deal, regime, acts, i, fefta_class), r)
    act = ACTS[int(acts.act[i])]
    status = tri_value(int(acts.status[i]))
    return ActConclusion(**r.conclude(act, status_of(status), _summary(ACT_LABELS[act], status), act=act, label=ACT_LABELS[act],
                                      covered_as=COVERED_AS[int(acts.covered[i])], holding_pct=_float(acts.holding[i]),
                                      threshold_pct=_float(acts.threshold[i]), exemptable=bool(acts.exemptable[i]),
                                      notification=NOTIFICATIONS[int(acts.notification[i])]))


# -- the acts as later stages read them ------------------------------------------------------------------

NOTIFICATION_CODE = {n: k for k, n in enumerate(NOTIFICATIONS)}


@dataclass(frozen=True, eq=False)
class ActRows(KeyedByDeal):
    """The acts of every deal as a long table read off their conclusions (after the nominee rule's reach
    and an open foreign-investor status), in each deal's order: what the exemption, the reports and the
    2026 amendment's labels read. Built once for a batch (:func:`act_rows`)."""

    deal: np.ndarray            # int: the deal row
    act: np.ndarray             # int: code into ACTS (-1: another act)
    label: list[Text]           # the act's label, for the sentences
    status: np.ndarray          # tri: the act is covered
    notification: np.ndarray    # int8 into NOTIFICATIONS (NOTICE_OPEN: not settled)
    holding: np.ndarray         # float: the holding the act is measured on (NaN: not given)
    items: list[frozenset[str]]  # the factor items the act's conclusion cites


def act_rows(acts_per_deal: Sequence[Sequence[ActConclusion]]) -> ActRows:
    """The long table of the deals' act conclusions (one list per deal row)."""
    flat = [(d, a) for d, acts in enumerate(acts_per_deal) for a in acts]
    return ActRows(deal=np.array([d for d, _ in flat], dtype=np.int64), act=np.array([ACT_CODE.get(a.act, -1) for _, a in flat], dtype=np.int64),
                   label=[a.label for _, a in flat], status=tri([tri_of(a.status) for _, a in flat]),
                   notification=np.array([NOTIFICATION_CODE[a.notification] for _, a in flat], dtype=np.int8),
                   holding=np.array([np.nan if a.holding_pct is None else a.holding_pct for _, a in flat], dtype=float),
                   items=[frozenset(c.item for c in a.citations) for _, a in flat])


# -- per deal: a table of one -----------------------------------------------------------------------------

def covered_acts_of(t: DealTable, tcs: Sequence[TargetClassConclusion]) -> list[list[ActConclusion]]:
    """Every act of every deal of the table tested against Art. 26(2)-(3) (``tcs``: each row's target
    class), the columns computed once and each row's acts rendered in its own regime."""
    acts = act_table(t, TargetColumns.of(tcs))
    record_uses(t.regimes, acts.usage)
    out = []
    for k, (deal, tc) in enumerate(zip(t.deals, tcs)):
        regime, mine = t.regime_of(k), acts.of_deal(k)
        out.append([render_act(deal, regime, acts, i, tc.fefta_class) for i in range(mine.start, mine.stop)])
    return out


def covered_acts(deal: Deal, regime: Regime, tc: TargetClassConclusion) -> list[ActConclusion]:
    """Every act of the deal tested against Art. 26(2)-(3): the columns of a table of one, rendered."""
    return covered_acts_of(DealTable.one(deal, regime), [tc])[0]


def _covered_code(a: ActConclusion) -> int:
    return COVERED_AS.index(a.covered_as)


def within_deemed_scope(acts: list[ActConclusion], regime: Regime, deemed: bool) -> list[ActConclusion]:
    """FEFTA Art. 27(14): an acquirer that is a foreign investor only by the nominee rule (みなし外国投資家)
    is one for the kinds of act the rule reaches on the date (inward direct investment; specified
    acquisitions too once the 2026 amendment is in force); its other acts are not covered
    (:func:`outside_deemed_scope` over the acts as a table of one deal)."""
    if not deemed:
        return acts
    scope = regime.value("deemed_foreign_investor_scope") or []
    rows = ActTable(deal=np.zeros(len(acts), dtype=np.int64), act=np.array([ACT_CODE.get(a.act, -1) for a in acts], dtype=np.int64),
                    status=tri([tri_of(a.status) for a in acts]), code=np.zeros(len(acts), dtype=np.int8),
                    detail=np.zeros(len(acts), dtype=np.int16), covered=np.array([_covered_code(a) for a in acts], dtype=np.int8),
                    holding=np.full(len(acts), np.nan), threshold=np.full(len(acts), np.nan), exemptable=np.zeros(len(acts), dtype=bool),
                    notification=np.zeros(len(acts), dtype=np.int8), ratio=np.full(len(acts), np.nan))
    outside = outside_deemed_scope(rows, np.array([True]), regime)
    return [_outside_scope(a, regime, scope) if out else a for a, out in zip(acts, outside.tolist())]


def _outside_scope(a: ActConclusion, regime: Regime, scope: list[str]) -> ActConclusion:
    """An act the nominee rule does not reach, rendered as not covered."""
    r = Reasoning(regime)
    r.say(f"{a.label.en}: the acquirer is a foreign investor only by the nominee rule, which on this date reaches {', '.join(scope)} only; this act is not covered.",
          f"{a.label.ja}：取得者は名義によらない取得に関するみなし規定によってのみ外国投資家とされ、本基準日における同規定の対象は対内直接投資等に限られるため、本行為は対象外。",
          "deemed_foreign_investor_scope")
    return a.model_copy(update={"status": "no", "notification": "none", "covered_as": None,
                                "reasons": [*a.reasons, *r.reasons], "citations": [*a.citations, *r.citations],
                                "summary": T(f"{a.label.en}: not covered (nominee rule does not reach it).", f"{a.label.ja}：対象外（みなし規定の対象外）。")})


def combine(statuses: list[Status]) -> Status:
    """Three-valued OR over statuses (:func:`any_act` over one deal)."""
    values = tri([tri_of(s) for s in statuses])
    return status_of(tri_value(int(any_act(np.zeros(len(values), dtype=np.int64), values, 1)[0])))
