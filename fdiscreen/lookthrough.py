"""The ownership look-through of FEFTA Art. 26(1) over columns: one least fixed point for one deal or a
batch of deals (the disjoint union of their entities), cycles included.

Every entity of every deal in the batch is a row of :class:`EntityTable`; holdings, partnership
contributions and executing partners are edge arrays between rows. A look-through test marks an
entity on its own facts (the seed), or when the stakes that count in it reach the test's limit, or
(partnerships) when marked executing partners are a majority; marks only grow, so repeating rounds
until nothing changes reaches the least fixed point on any graph. Unknown facts are three-valued: the
test runs once reading them as "no" and once as "yes"; where the runs differ the answer is unknown.

Stakes are exact: percentages are kept as integer numerators over one decimal scale for the whole
table (``10 ** k`` for the most decimals any stake has), and thresholds as fractions, so a stake of
exactly one third meets "one third or more" as the law's arithmetic says (the per-deal engine used
:class:`fractions.Fraction` for the same reason). The proportional attribution what-if (not law)
multiplies shares along chains and is the one place computed in floating point.

Tri-valued columns are ``int8`` (:mod:`fdiscreen.columns`): 1 yes, 0 no, -1 unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from fractions import Fraction
from typing import Any

import numpy as np

from fdiscreen.columns import NO, UNKNOWN, YES, KeyedByDeal, read, tri
from fdiscreen.errors import FdiscreenError
from fdiscreen.model import Deal, Entity
from fdiscreen.regime import Regime, to_fraction

KINDS = ("individual", "corporation", "partnership", "government", "state_owned_enterprise",
         "sovereign_wealth_fund", "public_pension", "financial_institution")
KIND = {k: i for i, k in enumerate(KINDS)}
#: entity kinds that are "companies" for the look-through of FEFTA Art. 26(1)(iii)
COMPANY_KINDS = frozenset({"corporation", "financial_institution", "state_owned_enterprise"})
STATE_KINDS = frozenset({"government", "state_owned_enterprise", "sovereign_wealth_fund", "public_pension"})
#: the most decimals a stake may have for int64 arithmetic; beyond it numerators are Python integers
INT64_DECIMALS = 12
OPS = (">=", ">", "<", "<=")

#: what-if readings of the indirect attribution a user may set (not the law; labelled as such in the factor note)
WHAT_IF_ATTRIBUTION = ("controlled_full", "proportional")
LAW_ATTRIBUTION = ("full_if_half_held", "full_if_half_held_or_subsidiary")


def attribution_method(regime: Regime) -> str:
    """The regime's ``indirect_voting_attribution``: the law or a labelled what-if."""
    method = regime.value("indirect_voting_attribution")
    if method not in (*LAW_ATTRIBUTION, *WHAT_IF_ATTRIBUTION):
        raise FdiscreenError(f"unknown attribution method {method!r}", path="indirect_voting_attribution",
                             expected=", ".join((*LAW_ATTRIBUTION, *WHAT_IF_ATTRIBUTION)))
    return str(method)


# -- exact percentages --------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _decimals(value: float) -> int:
    """Decimals of the shortest decimal that is ``value`` (``to_fraction``: ``Fraction(str(value))``); the
    same stakes recur across deals, so the answer is kept."""
    den = to_fraction(value).denominator
    k = 0
    while (10 ** k) % den:
        k += 1
    return k


@dataclass(frozen=True)
class Scale:
    """Percentages as integer numerators over ``unit`` (10 ** decimals): exact sums and comparisons."""

    unit: int
    dtype: Any

    @classmethod
    def for_values(cls, values: Sequence[float]) -> "Scale":
        k = max((_decimals(v) for v in set(values)), default=0)
        return cls(unit=10 ** k, dtype=np.int64 if k <= INT64_DECIMALS else object)

    def column(self, values: Sequence[float | None]) -> np.ndarray:
        """Numerators of the percentages (None: 0; callers keep a known mask where it matters)."""
        out = [0 if v is None else int(to_fraction(v) * self.unit) for v in values]
        return np.array(out, dtype=self.dtype) if out else np.zeros(0, dtype=self.dtype)

    def meets(self, held: np.ndarray, limit: Fraction | None, op: str) -> np.ndarray:
        """``held / unit  op  limit`` exactly (a limit not in force is never met)."""
        if limit is None:
            return np.zeros(len(held), dtype=bool)
        lhs = held * limit.denominator if self.dtype is object else held.astype(self.dtype) * limit.denominator
        rhs = limit.numerator * self.unit
        return _compare(lhs, rhs, op)

    def ratio_meets(self, part: np.ndarray, whole: np.ndarray, limit: Fraction | None, op: str) -> np.ndarray:
        """``100 * part / whole  op  limit`` exactly (counts of officers or partners)."""
        if limit is None:
            return np.zeros(len(part), dtype=bool)
        lhs = part.astype(object) * (100 * limit.denominator)
        rhs = whole.astype(object) * limit.numerator
        return _compare(lhs, rhs, op).astype(bool)


def _compare(lhs: Any, rhs: Any, op: str) -> np.ndarray:
    if op == ">=":
        return np.asarray(lhs >= rhs, dtype=bool)
    if op == ">":
        return np.asarray(lhs > rhs, dtype=bool)
    if op == "<":
        return np.asarray(lhs < rhs, dtype=bool)
    return np.asarray(lhs <= rhs, dtype=bool)


# -- the entities of a batch as columns ----------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Edges:
    """Edges between entity rows (holder -> held) with exact stakes, in the order the files list them."""

    holder: np.ndarray
    held: np.ndarray
    stake: np.ndarray

    def __len__(self) -> int:
        return len(self.holder)

    def where(self, mask: np.ndarray) -> "Edges":
        return Edges(self.holder[mask], self.held[mask], self.stake[mask])


@dataclass(frozen=True, eq=False)
class EntityTable(KeyedByDeal):
    """Every entity of a batch of deals as one row (the disjoint union of the deals' entities)."""

    n: int
    scale: Scale
    deal: np.ndarray            # int: the deal row each entity belongs to
    ids: list[str]
    acquirer: np.ndarray        # bool: the deal's acquirer
    kind: np.ndarray            # int8 code into KINDS
    home: np.ndarray            # bool: incorporated in Japan with its principal office there (or none stated elsewhere)
    jurisdiction_home: np.ndarray  # bool: jurisdiction is Japan
    resident: np.ndarray        # tri: resident of Japan (individuals)
    officers: np.ndarray        # bool: officer counts given
    counts: dict[str, np.ndarray]  # officer counts, -1 unknown
    owners_complete: np.ndarray  # tri
    has_partnership: np.ndarray  # bool: partnership facts given
    gp_count: np.ndarray        # int: executing partners listed
    foreign_contribution: np.ndarray  # exact; see foreign_contribution_known
    foreign_contribution_known: np.ndarray
    contributions_short: np.ndarray  # bool: listed contributions sum below 100%
    state_owned: np.ndarray     # exact; see state_owned_known
    state_owned_known: np.ndarray
    accredited: np.ndarray      # bool
    information_duty: np.ndarray  # tri
    voting_instructions: np.ndarray  # bool
    owners: Edges               # holdings of voting rights
    contributions: Edges        # partnership contributions (partner -> partnership)
    executing: Edges            # executing partners (partner -> partnership), stake 1

    def kind_in(self, kinds: frozenset[str] | set[str]) -> np.ndarray:
        return np.array([k in kinds for k in KINDS], dtype=bool)[self.kind]


OFFICER_FIELDS = ("directors_total", "directors_non_resident", "representatives_total", "representatives_non_resident",
                  "appointed_by_state_or_obliged", "representatives_appointed_by_state_or_obliged")


def entity_table(deals: Sequence[Deal], home: str) -> EntityTable:
    """The entities of ``deals`` as one table (``home``: the home country code, Japan)."""
    ents: list[Entity] = []
    deal_of: list[int] = []
    row_of: list[dict[str, int]] = []
    for d, deal in enumerate(deals):
        base = len(ents)
        row_of.append({e.id: base + i for i, e in enumerate(deal.entities)})
        ents.extend(deal.entities)
        deal_of.extend([d] * len(deal.entities))
    stakes = [h.voting_pct for e in ents for h in e.owners]
    stakes += [c.contribution_pct for e in ents if e.partnership for c in e.partnership.contributions]
    stakes += [v for e in ents for v in (e.state_owned_pct, e.partnership.foreign_contribution_pct if e.partnership else None)
               if v is not None]
    scale = Scale.for_values(stakes)
    n = len(ents)
    acquirer = np.zeros(n, dtype=bool)
    acquirer[[row_of[d][deal.acquirer] for d, deal in enumerate(deals)]] = True
    return EntityTable(
        n=n, scale=scale, deal=np.array(deal_of, dtype=np.int64), ids=[e.id for e in ents],
        acquirer=acquirer,
        kind=np.array([KIND[e.kind] for e in ents], dtype=np.int8),
        home=np.array([e.jurisdiction == home and e.principal_office in (None, home) for e in ents], dtype=bool),
        jurisdiction_home=np.array([e.jurisdiction == home for e in ents], dtype=bool),
        resident=tri([e.resident_in_japan for e in ents]),
        officers=np.array([e.officers is not None for e in ents], dtype=bool),
        counts={f: np.array([-1 if e.officers is None or getattr(e.officers, f) is None else getattr(e.officers, f)
                             for e in ents], dtype=np.int64) for f in OFFICER_FIELDS},
        owners_complete=tri([e.owners_complete for e in ents]),
        has_partnership=np.array([e.partnership is not None for e in ents], dtype=bool),
        gp_count=np.array([len(e.partnership.executing_partners) if e.partnership else 0 for e in ents], dtype=np.int64),
        foreign_contribution=scale.column([e.partnership.foreign_contribution_pct if e.partnership else None for e in ents]),
        foreign_contribution_known=np.array([bool(e.partnership and e.partnership.foreign_contribution_pct is not None) for e in ents], dtype=bool),
        contributions_short=np.array([bool(e.partnership) and sum(c.contribution_pct for c in e.partnership.contributions) < 100 - 1e-9
                                      for e in ents], dtype=bool),
        state_owned=scale.column([e.state_owned_pct for e in ents]),
        state_owned_known=np.array([e.state_owned_pct is not None for e in ents], dtype=bool),
        accredited=np.array([bool(e.accredited) for e in ents], dtype=bool),
        information_duty=tri([e.information_cooperation_duty for e in ents]),
        voting_instructions=np.array([bool(e.voting_instructions_from_obliged) for e in ents], dtype=bool),
        owners=_edges([(row_of[d][h.owner], i, h.voting_pct) for i, (e, d) in enumerate(zip(ents, deal_of)) for h in e.owners], scale),
        contributions=_edges([(row_of[d][c.partner], i, c.contribution_pct) for i, (e, d) in enumerate(zip(ents, deal_of))
                              if e.partnership for c in e.partnership.contributions], scale),
        executing=_edges([(row_of[d][g], i, 1) for i, (e, d) in enumerate(zip(ents, deal_of))
                          if e.partnership for g in e.partnership.executing_partners], scale, exact=False),
    )


def _edges(rows: list[tuple[int, int, float]], scale: Scale, exact: bool = True) -> Edges:
    holder = np.array([r[0] for r in rows], dtype=np.int64)
    held = np.array([r[1] for r in rows], dtype=np.int64)
    stake = scale.column([r[2] for r in rows]) if exact else np.ones(len(rows), dtype=np.int64)
    return Edges(holder, held, stake)


# -- the regime of each row ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Limit:
    """A threshold item as the regime gives it on its date (None: not in force), with its comparison."""

    item: str
    value: Fraction | None
    op: str


def limit(regime: Regime, item_id: str) -> Limit:
    """The threshold ``item_id``, read without counting it as used (rows that need it are recorded)."""
    raw = regime.peek(item_id)
    return Limit(item_id, None if raw is None else to_fraction(raw), regime.item(item_id).comparison or ">=")


Usage = dict[str, np.ndarray]
"""Per item: the rows whose answer needed it (for the assumptions each deal's result lists)."""


def use(usage: Usage, item: str, rows: np.ndarray) -> None:
    usage[item] = usage[item] | rows if item in usage else rows.copy()


def record_uses(regimes: Sequence[Regime], usage: Usage) -> None:
    """:func:`record_use` for every row of a table of deals at once, row ``k``'s use counted in ``regimes[k]``."""
    for item, needed in usage.items():
        for k in np.flatnonzero(needed[:len(regimes)]).tolist():
            regimes[k].value(item)


def record_use(regime: Regime, usage: Usage, rows: slice | np.ndarray) -> None:
    """Count as used, in ``regime``, every item some of ``rows`` needed (one deal's rows: a few values,
    read as Python booleans, which is cheaper than numpy's reduction on so few)."""
    for item, needed in usage.items():
        if any(needed[rows].tolist()):
            regime.value(item)


# -- the least fixed point ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Test:
    """One look-through test over a table.

    - ``seed``: each row's own facts (tri);
    - ``edges``: the stakes the test reads; an edge counts when ``fixed(unknown_as)`` says so whatever
      the marks, or when it is ``dynamic`` and its holder is marked;
    - ``limits``: (rows, limit) pairs: the counted stakes of those rows must meet the limit;
    - ``remainder_rows``: rows whose unlisted voting rights count when unknowns are read as "yes";
    - ``extra``: another way to be marked (marks -> rows marked), e.g. executing partners;
    - ``proportional``: the what-if (not law) weighing each stake by its holder's own share."""

    seed: np.ndarray
    edges: Edges
    limits: tuple[tuple[np.ndarray, Limit], ...]
    remainder_rows: np.ndarray
    dynamic: np.ndarray | None = None
    fixed: Callable[[bool], np.ndarray] | None = None
    extra: Callable[[np.ndarray], np.ndarray] | None = None
    proportional: bool = False
    seed_used: Usage = field(default_factory=dict)

    def counted(self, marked: np.ndarray, unknown_as: bool) -> np.ndarray:
        """The edges whose stakes count, given the marks so far."""
        dynamic = marked[self.edges.holder] if self.dynamic is None else self.dynamic & marked[self.edges.holder]
        return dynamic if self.fixed is None else dynamic | self.fixed(unknown_as)

    def met(self, t: "EntityTable", held: np.ndarray) -> np.ndarray:
        out = np.zeros(t.n, dtype=bool)
        for rows, lim in self.limits:
            out |= rows & t.scale.meets(held, lim.value, lim.op)
        return out


@dataclass(eq=False)
class Marks:
    """A test's answer per row (tri) and, for rows marked through their holders in the "no" reading,
    the edges counted (``via``: edge positions in ``test.edges``)."""

    status: np.ndarray
    via: np.ndarray
    used: Usage = field(default_factory=dict)


def run(t: EntityTable, test: Test) -> Marks:
    """Three-valued least fixed point of ``test`` over every row. With no unknown in play the "yes"
    reading changes nothing, so it is not run again."""
    low, counted = _fixed_point(t, test, False)
    unknowns = bool((test.seed == UNKNOWN).any() or test.remainder_rows.any())
    high = _fixed_point(t, test, True)[0] if unknowns else low
    status = np.where(low, YES, np.where(high, UNKNOWN, NO)).astype(np.int8)
    via = counted & ~read(test.seed, False)[test.edges.held] & low[test.edges.held]
    used = dict(test.seed_used)
    for rows, lim in test.limits:   # every row not marked on its own facts is tested against its limit
        use(used, lim.item, rows & ~read(test.seed, False))
    return Marks(status=status, via=via, used=used)


def _met_float(test: Test, held: np.ndarray) -> np.ndarray:
    out = np.zeros(len(held), dtype=bool)
    for rows, lim in test.limits:
        if lim.value is not None:
            out |= rows & _compare(held, float(lim.value), lim.op)
    return out


def _remainder(t: EntityTable, edges: Edges, rows: np.ndarray) -> np.ndarray:
    """Per row: 100% less the stakes listed for it (at least 0), where ``rows``; else 0."""
    listed = _segment_sum(t.n, edges.held, edges.stake, t.scale)
    rem = np.maximum(100 * t.scale.unit - listed, 0) if t.scale.dtype is not object else \
        np.array([max(100 * t.scale.unit - x, 0) for x in listed], dtype=object)
    return np.where(rows, rem, 0) if t.scale.dtype is not object else np.array([r if f else 0 for r, f in zip(rem, rows)], dtype=object)


def _segment_sum(n: int, index: np.ndarray, values: np.ndarray, scale: Scale) -> np.ndarray:
    out = np.zeros(n, dtype=scale.dtype) if scale.dtype is not object else np.array([0] * n, dtype=object)
    if len(index):
        np.add.at(out, index, values)
    return out


def _fixed_point(t: EntityTable, test: Test, unknown_as: bool) -> tuple[np.ndarray, np.ndarray]:
    """Marks with unknowns read as ``unknown_as``, and the edges counted at the fixed point."""
    if test.proportional:
        return _fixed_point_proportional(t, test, unknown_as)
    marked = read(test.seed, unknown_as)
    e = test.edges
    rem = _remainder(t, e, test.remainder_rows) if unknown_as else None
    while True:
        counted = test.counted(marked, unknown_as)
        held = _segment_sum(t.n, e.held[counted], e.stake[counted], t.scale)
        held = cap(held + rem if rem is not None else held, t.scale)
        new = ~marked & test.met(t, held)
        if test.extra is not None:
            new |= ~marked & test.extra(marked)
        if not new.any():
            return marked, counted
        marked = marked | new


def cap(held: np.ndarray, scale: Scale) -> np.ndarray:
    """Stakes above 100% read as 100% (rounding of listed stakes, votes counted twice)."""
    top = 100 * scale.unit
    return np.minimum(held, top) if scale.dtype is not object else np.array([min(x, top) for x in held], dtype=object)


def _fixed_point_proportional(t: EntityTable, test: Test, unknown_as: bool, max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """What-if only (not law): each holder's stake weighed by its own attributed share, in floating point
    (shares only grow, so the iteration converges)."""
    marked = read(test.seed, unknown_as)
    e = test.edges
    stake = e.stake.astype(float) / t.scale.unit
    rem = (_remainder(t, e, test.remainder_rows).astype(float) / t.scale.unit) if unknown_as else np.zeros(t.n)
    share = np.where(marked, 100.0, 0.0)
    for _ in range(max_iter):
        weight = np.where(marked, 100.0, share)[e.holder] / 100.0
        held = np.minimum(np.bincount(e.held, weights=stake * weight, minlength=t.n) + rem, 100.0)
        grown = np.where(marked, 100.0, np.maximum(share, held))
        new = ~marked & _met_float(test, held)
        if test.extra is not None:
            new |= ~marked & test.extra(marked)
        settled = not new.any() and float(np.max(np.abs(grown - share), initial=0.0)) < 1e-12
        marked = marked | new
        share = np.where(marked, 100.0, grown)
        if settled:
            break
    return marked, (np.where(marked, 100.0, share)[e.holder] > 0)


# -- Cabinet Order Art. 2(1): holders whose votes count in full --------------------------------------

def fully_attributed(t: EntityTable, companies: np.ndarray, direct: np.ndarray, parent: Limit,
                     subsidiary: Limit | None, remainder_rows: np.ndarray, unknown_as: bool) -> np.ndarray:
    """The companies whose voting rights in another company count in full as held indirectly by foreign
    investors (Cabinet Order on Inward Direct Investment Art. 2(1), for FEFTA Art. 26(1)(iii)).

    A company counts when the ``direct`` holders (items 1 and 2) hold directly ``parent`` of its voting
    rights (a half-held company); with ``subsidiary`` (from 2020-05-08) so does each of its Companies
    Act subsidiaries: a company whose voting rights the half-held company and its subsidiaries together
    hold beyond that limit. Each half-held company's group grows on its own (a company may join several
    groups when votes nobody listed are read as held by them), as memberships (company, group)."""
    o = t.owners
    rem = _remainder(t, o, remainder_rows & companies) if unknown_as else _segment_sum(t.n, o.held[:0], o.stake[:0], t.scale)
    held_direct = cap(_segment_sum(t.n, o.held[direct[o.holder]], o.stake[direct[o.holder]], t.scale) + rem, t.scale)
    parents = companies & t.scale.meets(held_direct, parent.value, parent.op)
    if subsidiary is None or not parents.any():
        return parents
    return _subsidiary_groups(t, companies, parents, subsidiary, rem)


def _subsidiary_groups(t: EntityTable, companies: np.ndarray, parents: np.ndarray, subsidiary: Limit,
                       rem: np.ndarray) -> np.ndarray:
    """Companies in the group of some half-held company: memberships grow until none is added."""
    o = t.owners
    colours = np.flatnonzero(parents)
    k = len(colours)
    member_key = np.sort(colours * k + np.arange(k))        # key = row * k + group
    # every (company, group) pair of one deal may join: the group's members' stakes plus the remainder
    cand_rows = np.flatnonzero(companies)
    colour_deal = t.deal[colours]
    lo = np.searchsorted(colour_deal, t.deal[cand_rows], side="left")
    hi = np.searchsorted(colour_deal, t.deal[cand_rows], side="right")
    pair_row = np.repeat(cand_rows, hi - lo)
    pair_group = ranges(lo, hi)
    pos, edge = _edge_pairs(o, pair_row)
    while True:
        # stakes held in each candidate pair's company by members of the pair's group
        held_by_group = _segment_sum(len(pair_row), pos[:0], o.stake[:0], t.scale)
        member = np.isin(o.holder[edge] * k + pair_group[pos], member_key)
        if member.any():
            np.add.at(held_by_group, pos[member], o.stake[edge[member]])
        joins = t.scale.meets(cap(held_by_group + rem[pair_row], t.scale), subsidiary.value, subsidiary.op)
        new = np.setdiff1d(pair_row[joins] * k + pair_group[joins], member_key)
        if not len(new):
            break
        member_key = np.union1d(member_key, new)
    out = np.zeros(t.n, dtype=bool)
    out[member_key // k] = True
    return out


def _edge_pairs(o: Edges, pair_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair position, owner-edge position) for every owner edge into each candidate pair's company."""
    order = np.argsort(o.held, kind="stable")
    starts = np.searchsorted(o.held[order], pair_row, side="left")
    ends = np.searchsorted(o.held[order], pair_row, side="right")
    pos = np.repeat(np.arange(len(pair_row)), ends - starts)
    return pos, order[ranges(starts, ends)]


def ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The concatenated integer ranges ``[lo[i], hi[i])``."""
    lens = hi - lo
    if not lens.sum():
        return np.zeros(0, dtype=np.int64)
    return np.repeat(lo - np.concatenate(([0], np.cumsum(lens)[:-1])), lens) + np.arange(int(lens.sum()))
