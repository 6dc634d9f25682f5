"""Closely related persons (密接関係者 / 特別の関係にある者): who, among the entities of the deal file, is in a
special relationship with the investor, and how much of the target they hold.

FEFTA Art. 26(2)(iii)-(iv) measure every threshold on the investor's holding together with that of the persons
the Cabinet Order (対内直接投資等に関する政令 Art. 2) lists as being in a special relationship with it. The
kinds in force, the 50% control test and whether control runs down chains are factor items
(``factors/related_persons.yaml``); this module only applies them to the ties the deal file states:
``Entity.owners`` (parents, subsidiaries, sisters), ``Entity.relatives`` (spouse, lineal relatives),
``Entity.officer_of`` (officers), ``Partnership.executing_partners`` and ``Entity.discretionary_mandate_for``.
Each person is counted once, the acquirer never (its holding is the transaction's).

Written once over columns (one deal is a table of one): every entity of every deal is a row of
:class:`fdiscreen.lookthrough.EntityTable` and the ties a long table (:class:`Ties`); control is one least
fixed point over (entity, group) pairs for every group of every deal (:func:`controlled`), and each relation
gives candidate rows with a code (``RELATIONS``) and keys that order them; an entity takes the first relation
that reaches it (:class:`RelatedColumns`). The persons of the row shown are rendered from the codes
(:func:`holdings_of`); sentences are written by :func:`explain_related` only when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from fdiscreen.columns import DealTable
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing.conclusion import WHO_ACQUIRER, Reasoning
from fdiscreen.filing.investor import entity_columns
from fdiscreen.i18n import T, Text, pct
from fdiscreen.lookthrough import KIND, EntityTable, Limit, Scale, Usage, ranges, entity_table, limit, record_use, use
from fdiscreen.model import Deal, Entity
from fdiscreen.regime import Regime, to_fraction

RelationKind = Literal["parent", "subsidiary", "sister", "family_company", "officer", "spouse", "lineal_relative",
                       "executing_partner", "discretionary_mandate"]

KINDS_ITEM = "closely_related_person_kinds"
CONTROL_ITEM = "closely_related_control_pct"
CHAINS_ITEM = "closely_related_control_through_chains"
MANDATE_ITEM = "discretionary_mandate_holdings_counted"
COMPANY_RELATIONS = frozenset({"parent", "subsidiary", "sister", "family_company"})


class RelatedPerson(BaseModel):
    """One person in a special relationship with the investor (特別の関係にある者) and its holding of the target."""

    entity: str = Field(description="entity id in the deal file")
    name: str
    relation: RelationKind
    via: str | None = Field(None, description="entity the tie runs through: common parent, company served as officer, mandate manager")
    through_partner: str | None = Field(None, description="executing partner whose own related person this is (fund investors)")
    basis: list[str] = Field(default_factory=list, description="factor items the relation rests on")
    target_voting_pct: float | None = Field(None, description="its share of the target's voting rights; None: not given")


class RelatedHoldings(BaseModel):
    """The closely related persons found in the file and what they add to the investor's holding."""

    persons: list[RelatedPerson] = Field(default_factory=list)
    related_pct: float = Field(0.0, description="sum of the known holdings of the related persons in the file")
    extra_pct: float = Field(0.0, description="typed-in holdings of related persons not in the file (transaction.closely_related_voting_pct)")
    unknown: list[str] = Field(default_factory=list, description="ids of related persons whose holding of the target is not given")

    @property
    def added_pct(self) -> float:
        """What the related persons add to the investor's own holding, for every threshold."""
        return self.related_pct + self.extra_pct

    def counted(self) -> list[RelatedPerson]:
        """Related persons holding a known, non-zero share of the target."""
        return [p for p in self.persons if p.target_voting_pct]


# -- the relations over columns: every entity of every deal a row --------------------------------------

# Conclusion codes of one entity: the relation that made it a person in a special relationship (-1: none).
RELATIONS: tuple[RelationKind, ...] = ("parent", "subsidiary", "sister", "family_company", "officer", "spouse",
                                       "lineal_relative", "executing_partner", "discretionary_mandate")
CODE: dict[str, int] = {k: i for i, k in enumerate(RELATIONS)}
NOT_RELATED = -1
#: the order the relations of one investor are tested in (Cabinet Order Art. 2 as the finder reads it): an
#: entity is counted once, under the first relation that reaches it
_STEP = {"parent": 0, "subsidiary": 1, "sister": 2, "spouse": 3, "lineal_relative": 3, "family_company": 4, "officer": 5}
#: passes: the acquirer's relations, then its executing partners, then each partner's own relations
_ACQUIRER_PASS, _PARTNER_STEP, _MANDATE_PASS = 0, 1, 2 ** 40
BASIS: dict[str, list[str]] = {**{k: [CONTROL_ITEM, CHAINS_ITEM, KINDS_ITEM] for k in COMPANY_RELATIONS},
                               **{k: [KINDS_ITEM] for k in ("officer", "spouse", "lineal_relative", "executing_partner")},
                               "discretionary_mandate": [MANDATE_ITEM]}


@dataclass(frozen=True)
class Ties:
    """The family, officer and mandate ties and the target holdings of the entities of a table (long tables
    of entity rows, in the order the files state them)."""

    family_person: np.ndarray   # int64: the individual whose relative ``family_relative`` is (both directions)
    family_relative: np.ndarray
    family_spouse: np.ndarray   # bool
    officer: np.ndarray         # int64: an individual serving ...
    officer_company: np.ndarray  # ... as officer of this entity
    manager: np.ndarray         # int64: manages under a discretionary mandate ...
    client: np.ndarray          # ... the votes of this entity
    target_scale: Scale
    target: np.ndarray          # numerators of each entity's share of the target's voting rights (0 when not given)
    target_known: np.ndarray    # bool
    extra: np.ndarray           # float per deal: transaction.closely_related_voting_pct
    entities: np.ndarray        # int64 per deal: how many entities the file has


def deal_ties(deals: Sequence[Deal], t: EntityTable) -> Ties:
    """The ties of ``deals`` (the deals ``t`` was built from, in the same order) as rows of ``t``."""
    fam: list[tuple[int, int, bool]] = []
    off: list[tuple[int, int]] = []
    man: list[tuple[int, int]] = []
    pcts: list[float | None] = []
    base = 0
    for deal in deals:
        row = {e.id: base + i for i, e in enumerate(deal.entities)}
        for e in deal.entities:
            me = row[e.id]
            for rel in e.relatives:  # a tie stated on either side, the first statement of a pair deciding its kind
                fam += [(me, row[rel.person], rel.relation == "spouse"), (row[rel.person], me, rel.relation == "spouse")]
            if e.kind == "individual":
                off += [(me, row[c]) for c in e.officer_of]
            man += [(me, row[c]) for c in e.discretionary_mandate_for]
            pcts.append(e.target_voting_pct)
        base += len(deal.entities)
    scale = Scale.for_values([p for p in pcts if p is not None])
    fp, fr, fs = _int_columns(fam, 3)
    officer, company = _int_columns(off, 2)
    manager, client = _int_columns(man, 2)
    return Ties(family_person=fp, family_relative=fr, family_spouse=fs.astype(bool), officer=officer,
                officer_company=company, manager=manager, client=client, target_scale=scale,
                target=scale.column(pcts), target_known=np.array([p is not None for p in pcts], dtype=bool),
                extra=np.array([d.transaction.closely_related_voting_pct for d in deals], dtype=float),
                entities=np.array([len(d.entities) for d in deals], dtype=np.int64))


def _int_columns(rows: Sequence[tuple[int, ...]], k: int) -> list[np.ndarray]:
    """``k`` integer columns of a list of tuples."""
    if not rows:
        return [np.zeros(0, dtype=np.int64) for _ in range(k)]
    return list(np.array(rows, dtype=np.int64).T)


@dataclass(frozen=True)
class Groups:
    """The entities each group of holders controls (members), as (row, group) pairs; ``n``: the number of groups."""

    n: int
    member_row: np.ndarray
    member_group: np.ndarray
    member_round: np.ndarray    # the round of the fixed point in which the member joined (nearest first)


def controlled(t: EntityTable, root_row: np.ndarray, root_group: np.ndarray, n_groups: int, lim: Limit | None,
               chains: bool) -> Groups:
    """Cabinet Order Art. 2: the entities whose voting rights each group holds enough of to control
    (``lim``: the 50% item and its comparison), counting, where control runs down chains, the votes of the
    companies the group already controls: a least fixed point over (entity, group) pairs, each round adding
    the pairs whose counted stakes meet the limit (a group's own members are never its members)."""
    o = t.owners
    empty = np.zeros(0, dtype=np.int64)
    if lim is None or lim.value is None or not len(o) or not n_groups:
        return Groups(n_groups, empty, empty, empty)
    by_holder = np.argsort(o.holder, kind="stable")
    holder_sorted = o.holder[by_holder]
    roots = _unique_sorted(root_row * n_groups + root_group)
    members = empty
    rounds = empty
    step = 0
    while True:
        step += 1
        inside = np.concatenate([roots, members]) if chains else roots
        rows, groups = inside // n_groups, inside % n_groups
        lo = np.searchsorted(holder_sorted, rows, side="left")
        hi = np.searchsorted(holder_sorted, rows, side="right")
        edge = by_holder[ranges(lo, hi)]
        key = o.held[edge] * n_groups + np.repeat(groups, hi - lo)
        fresh = ~_isin(key, roots) & ~_isin(key, members)
        key, edge = key[fresh], edge[fresh]
        if not len(key):
            break
        by_key = np.argsort(key, kind="stable")
        key = key[by_key]
        head = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        cand = key[head]
        held = np.add.reduceat(o.stake[edge[by_key]], head)  # the stakes each (entity, group) pair counts
        new = cand[t.scale.meets(held, lim.value, lim.op)]
        if not len(new):
            break
        order = np.argsort(np.concatenate([members, new]), kind="stable")
        members = np.concatenate([members, new])[order]
        rounds = np.concatenate([rounds, np.full(len(new), step, dtype=np.int64)])[order]
        if not chains:
            break
    return Groups(n_groups, members // n_groups, members % n_groups, rounds)


def _above(t: EntityTable, start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start index, holder row, rank) for every entity holding ``start[i]`` directly or through others, in
    the order parents are named in: nearest first, each level in the order its holdings are listed."""
    o = t.owners
    if not len(o):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    by_held = np.argsort(o.held, kind="stable")  # the holders of each entity in the order they are listed
    held_sorted = o.held[by_held]
    n = max(t.n, 1)
    seen = np.zeros(0, dtype=np.int64)
    found: list[np.ndarray] = []
    frontier_i, frontier_row = np.arange(len(start), dtype=np.int64), start.astype(np.int64)
    while len(frontier_i):
        lo = np.searchsorted(held_sorted, frontier_row, side="left")
        hi = np.searchsorted(held_sorted, frontier_row, side="right")
        key = np.repeat(frontier_i, hi - lo) * n + o.holder[by_held[ranges(lo, hi)]]
        key = key[~_isin(key, seen) & (key % n != start[key // n])]
        if not len(key):
            break
        by_key = np.argsort(key, kind="stable")
        ordered = key[by_key]
        key = key[np.sort(by_key[np.concatenate(([True], ordered[1:] != ordered[:-1]))])]   # first found first
        seen = np.sort(np.concatenate([seen, key]))
        found.append(key)
        frontier_i, frontier_row = key // n, key % n
    key = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return key // n, key % n, np.arange(len(key), dtype=np.int64)


Resolved = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
_NONE = np.zeros(0, dtype=np.int64)


def _column(value: np.ndarray | int, k: int) -> np.ndarray:
    """``value`` as an int64 column of ``k`` rows (a number repeated)."""
    return np.full(k, value, dtype=np.int64) if np.ndim(value) == 0 else np.asarray(value, dtype=np.int64)


def _unique_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted."""
    out = np.sort(values)
    return out[np.concatenate(([True], out[1:] != out[:-1]))] if len(out) else out


@dataclass
class _Candidates:
    """Relations found for entity rows, with the keys that order them (the first of an entity's decides)."""

    row: list[np.ndarray] = field(default_factory=list)
    code: list[np.ndarray] = field(default_factory=list)
    via: list[np.ndarray] = field(default_factory=list)
    partner: list[np.ndarray] = field(default_factory=list)
    keys: list[np.ndarray] = field(default_factory=list)  # (pass, step, rank 1, rank 2) per candidate

    def add(self, kinds: set[str], relation: str, row: np.ndarray, via: np.ndarray | int, partner: np.ndarray | int,
            pass_: np.ndarray | int, step: int, rank1: np.ndarray | int, rank2: np.ndarray | int) -> None:
        if relation not in kinds and relation != "discretionary_mandate" or not len(row):
            return
        k = len(row)
        self.row.append(row.astype(np.int64))
        self.code.append(np.full(k, CODE[relation], dtype=np.int8))
        self.via.append(_column(via, k))
        self.partner.append(_column(partner, k))
        self.keys.append(np.stack([_column(x, k) for x in (pass_, step, rank1, rank2)]))

    def resolve(self, t: EntityTable) -> Resolved:
        """Per entity row: relation code, via, partner, its place among its deal's related persons, and the
        keys of the relation chosen."""
        code = np.full(t.n, NOT_RELATED, dtype=np.int8)
        via, partner, place = (np.full(t.n, -1, dtype=np.int64) for _ in range(3))
        if not self.row:
            return code, via, partner, place, np.zeros((4, t.n), dtype=np.int64)
        row = np.concatenate(self.row)
        keys = np.concatenate(self.keys, axis=1)
        keep = ~t.acquirer[row]
        row, keys = row[keep], keys[:, keep]
        pick = np.lexsort((*keys[::-1], row))
        row, keys = row[pick], keys[:, pick]
        first = np.concatenate(([True], row[1:] != row[:-1])) if len(row) else np.zeros(0, dtype=bool)
        chosen = np.flatnonzero(keep)[pick][first]
        row = row[first]
        code[row] = np.concatenate(self.code)[chosen]
        via[row] = np.concatenate(self.via)[chosen]
        partner[row] = np.concatenate(self.partner)[chosen]
        full = np.full((4, t.n), -1, dtype=np.int64)
        full[:, row] = keys[:, first]
        order = np.lexsort((*full[::-1], t.deal))
        related = code[order] != NOT_RELATED
        ranked = order[related]
        deal_start = np.searchsorted(t.deal[ranked], t.deal[ranked], side="left")
        place[ranked] = np.arange(len(ranked)) - deal_start
        return code, via, partner, place, full


@dataclass(frozen=True)
class RelatedColumns:
    """Per entity row: the relation code (``NOT_RELATED`` for none), the entity the tie runs through and the
    executing partner whose related person it is (-1: none), its place among its deal's related persons;
    per deal: the related persons' known holdings of the target, the typed-in extra, the count of related
    persons whose holding is not given, and the factor items each deal needed."""

    entities: EntityTable
    ties: Ties
    code: np.ndarray
    via: np.ndarray
    partner: np.ndarray
    place: np.ndarray
    related_pct: np.ndarray
    extra_pct: np.ndarray
    unknown: np.ndarray
    usage: Usage


def related_holdings(source: DealTable | EntityTable, deals: Sequence[Deal] | None = None,
                     regime: Regime | None = None) -> RelatedColumns:
    """The persons in a special relationship with each deal's acquirer (FEFTA Art. 26(2)(iii)-(iv), Cabinet
    Order Art. 2) among the entities of its file, and their holdings of the target, for every deal of a table
    at once. ``source`` is a :class:`DealTable` (its entities built once), or an :class:`EntityTable` with the
    ``deals`` it was built from and their ``regime``."""
    if isinstance(source, DealTable):
        table = source
        return table.column("related.holdings", lambda tb: _related_columns(_table_entities(tb), tb.deals, tb.regime))
    if deals is None or regime is None:
        raise FdiscreenError("related_holdings needs the deals and the regime of an entity table", path="related_holdings",
                             expected="a DealTable, or an EntityTable with deals and regime")
    return _related_columns(source, deals, regime)


def _table_entities(table: DealTable) -> EntityTable:
    if table.n == 1:
        return entity_columns(table.deals[0], table.regime)
    return table.column("related.entities", lambda tb: entity_table(tb.deals, tb.regime.catalog.home_country))


def _related_columns(t: EntityTable, deals: Sequence[Deal], regime: Regime) -> RelatedColumns:
    ties = deal_ties(deals, t)
    n_deals = len(deals)
    several = ties.entities > 1
    usage: Usage = {}
    if not several.any():   # the acquirer alone: nobody to be related to it, no item read
        none = np.full(t.n, -1, dtype=np.int64)
        return RelatedColumns(entities=t, ties=ties, code=np.full(t.n, NOT_RELATED, dtype=np.int8), via=none, partner=none,
                              place=none, related_pct=np.zeros(n_deals), extra_pct=ties.extra,
                              unknown=np.zeros(n_deals, dtype=np.int64), usage=usage)
    kinds = set(regime.peek(KINDS_ITEM) or [])
    use(usage, KINDS_ITEM, several)
    lim: Limit | None = None
    if kinds & COMPANY_RELATIONS:
        lim = limit(regime, CONTROL_ITEM)
        use(usage, CONTROL_ITEM, several)
        if lim.value is None:
            lim = None
    chains = False
    if lim is not None:
        chains = regime.peek(CHAINS_ITEM) not in (None, False)
        use(usage, CHAINS_ITEM, several)
    cands = _Candidates()
    acquirer_rows = np.flatnonzero(t.acquirer & several[t.deal])
    if kinds:
        starts = acquirer_rows
        partners = np.full(len(starts), -1, dtype=np.int64)
        passes = np.full(len(starts), _ACQUIRER_PASS, dtype=np.int64)
        if "executing_partner" in kinds:
            g = t.executing
            into = t.acquirer[g.held] & several[t.deal[g.held]]
            gp = g.holder[into]
            first_pos = np.arange(len(gp)) - np.searchsorted(g.held[into], g.held[into], side="left")
            cands.add(kinds, "executing_partner", gp, -1, -1, _PARTNER_STEP, 0, first_pos, 0)
            own_pass = ~t.acquirer[gp]
            gp_rows, gp_pass = np.unique(gp[own_pass], return_index=True)
            order = np.argsort(gp_pass, kind="stable")
            starts = np.concatenate([starts, gp_rows[order]])
            partners = np.concatenate([partners, gp_rows[order]])
            passes = np.concatenate([passes, 2 + first_pos[own_pass][gp_pass[order]]])
        if len(t.owners) or len(ties.family_person) or len(ties.officer):  # else no relation can be found
            _relations_of(t, ties, kinds, lim, chains, starts, partners, passes, cands)
    code, via, partner, place, _ = _mandates(t, ties, regime, usage, several, cands, cands.resolve(t))
    related = code != NOT_RELATED
    known = related & ties.target_known
    sums = np.zeros(n_deals, dtype=ties.target_scale.dtype) if ties.target_scale.dtype is not object else np.array([0] * n_deals, dtype=object)
    np.add.at(sums, t.deal[known], ties.target[known])
    return RelatedColumns(entities=t, ties=ties, code=code, via=via, partner=partner, place=place,
                          related_pct=_as_float(sums, ties.target_scale.unit), extra_pct=ties.extra,
                          unknown=np.bincount(t.deal[related & ~ties.target_known], minlength=n_deals), usage=usage)


def _as_float(numerators: np.ndarray, unit: int) -> np.ndarray:
    """Exact numerators over ``unit`` as the nearest floats (as ``float(Fraction)``: one rounding)."""
    if numerators.dtype != np.dtype(object) and (not len(numerators) or int(np.abs(numerators).max()) < 2 ** 53):
        return numerators.astype(np.float64) / float(unit)
    return np.array([float(Fraction(int(x), unit)) for x in numerators], dtype=float)


def _relations_of(t: EntityTable, ties: Ties, kinds: set[str], lim: Limit | None, chains: bool, starts: np.ndarray,
                  partners: np.ndarray, passes: np.ndarray, cands: _Candidates) -> None:
    """Cabinet Order Art. 2: the persons related to each start (an acquirer, or an executing partner read as the
    investor): parents, subsidiaries, sisters, spouse, lineal relatives and family companies, officers."""
    n = t.n
    local = np.arange(n) - np.searchsorted(t.deal, t.deal, side="left")  # the entity's place in its file
    span = int(local.max(initial=0)) + 2
    later = span - 1 - local   # a controlled company found in one round: the last listed first
    # groups: group r is entity r alone (the starts and every holder above one); n + i: start i with its
    # spouse and lineal relatives (individuals)
    up_i, up_row, up_rank = _above(t, starts)
    fam_i, fam_row, fam_pos = _family_of(t, ties, starts)
    individual = t.kind[starts] == KIND["individual"]
    alone = _unique_sorted(np.concatenate([starts, up_row]))
    root_row = np.concatenate([alone, starts[individual], fam_row[individual[fam_i]]])
    root_group = np.concatenate([alone, n + np.flatnonzero(individual), n + fam_i[individual[fam_i]]])
    ctl = controlled(t, root_row, root_group, n + len(starts), lim, chains)
    m_row, m_round = ctl.member_row, ctl.member_round
    p_i = p_row = p_place = s_i = f_i = _NONE
    own = famco = (_NONE, _NONE)
    if len(m_row):
        # parents: holders above a start whose group controls it, nearest first
        is_parent = _isin(starts[up_i] * ctl.n + up_row, np.sort(m_row * ctl.n + ctl.member_group))
        p_i, p_row, p_rank = up_i[is_parent], up_row[is_parent], up_rank[is_parent]
        named = np.lexsort((p_rank, p_i))
        p_i, p_row = p_i[named], p_row[named]
        p_place = np.arange(len(p_i)) - np.searchsorted(p_i, p_i, side="left")
        cands.add(kinds, "parent", p_row, -1, partners[p_i], passes[p_i], _STEP["parent"], p_place, 0)
        by_group = np.argsort(ctl.member_group, kind="stable")
        grouped = (by_group, ctl.member_group[by_group])
        # subsidiaries: what the start controls
        own = _members_of(grouped, starts)
        s_i = own[1]
        cands.add(kinds, "subsidiary", m_row[own[0]], -1, partners[s_i], passes[s_i], _STEP["subsidiary"],
                  m_round[own[0]], later[m_row[own[0]]])
        # sisters: what a parent controls, under the nearest parent
        sis = _members_of(grouped, p_row)
        k = sis[1]
        cands.add(kinds, "sister", m_row[sis[0]], p_row[k], partners[p_i[k]], passes[p_i[k]], _STEP["sister"],
                  p_place[k], local[m_row[sis[0]]])
        # the companies the start controls with its spouse and lineal relatives
        famco = _members_of(grouped, n + np.flatnonzero(individual))
        f_i = np.flatnonzero(individual)[famco[1]]
        cands.add(kinds, "family_company", m_row[famco[0]], -1, partners[f_i], passes[f_i], _STEP["family_company"],
                  m_round[famco[0]], later[m_row[famco[0]]])
    if len(fam_i):
        # spouse and lineal relatives of an individual start (tested before the family companies)
        fi = individual[fam_i]
        spouse = ties.family_spouse[fam_pos]
        for relation, rows in (("spouse", fi & spouse), ("lineal_relative", fi & ~spouse)):
            cands.add(kinds, relation, fam_row[rows], -1, partners[fam_i[rows]], passes[fam_i[rows]], _STEP["spouse"],
                      fam_pos[rows], 0)
    # officers of the start or of a company found above, under the first of them in that order (the
    # start, its parents, subsidiaries and family companies, then the sisters this pass found)
    if "officer" not in kinds or not len(ties.officer):
        return
    code1, _, _, _, keys1 = cands.resolve(t)
    sister = np.flatnonzero(code1 == CODE["sister"])
    wide = int(passes.max(initial=0)) + 1
    start_key = t.deal[starts] * wide + passes  # a start is its deal and its pass
    by_key = np.argsort(start_key, kind="stable")
    at = np.searchsorted(start_key[by_key], t.deal[sister] * wide + keys1[0][sister])
    ok = at < len(starts)
    ok[ok] = start_key[by_key][at[ok]] == (t.deal[sister] * wide + keys1[0][sister])[ok]
    sister_i = np.where(ok, by_key[np.minimum(at, max(len(starts) - 1, 0))], -1)
    segments = ((np.arange(len(starts)), starts, 0, 0, 0),
                (p_i, p_row, 1, p_place, 0),
                (s_i, m_row[own[0]], 2, m_round[own[0]], later[m_row[own[0]]]),
                (f_i, m_row[famco[0]], 3, m_round[famco[0]], later[m_row[famco[0]]]),
                (sister_i[ok], sister[ok], 4, keys1[2][sister[ok]], keys1[3][sister[ok]]))
    company_i = np.concatenate([_column(i, len(i)) for i, *_ in segments])
    company_row = np.concatenate([_column(row, len(row)) for _, row, *_ in segments])
    company_key = np.concatenate([(seg * span + _column(r1, len(row))) * span + _column(r2, len(row))
                                  for _, row, seg, r1, r2 in segments])  # the order the companies are listed in
    by_company = np.argsort(ties.officer_company, kind="stable")
    edge, entry = _members_of((by_company, ties.officer_company[by_company]), company_row)
    person, i = ties.officer[edge], company_i[entry]
    cands.add(kinds, "officer", person, company_row[entry], partners[i], passes[i], _STEP["officer"], local[person],
              company_key[entry])


def _isin(keys: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Per key: is it in ``pool`` (sorted)?"""
    if not len(keys) or not len(pool):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(pool, keys), len(pool) - 1)
    return pool[at] == keys


def _members_of(grouped: tuple[np.ndarray, np.ndarray], groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(member position, index into ``groups``) for every member of each of ``groups`` (``grouped``: the
    member positions in group order and their groups)."""
    by_group, sorted_groups = grouped
    lo = np.searchsorted(sorted_groups, groups, side="left")
    hi = np.searchsorted(sorted_groups, groups, side="right")
    return by_group[ranges(lo, hi)], np.repeat(np.arange(len(groups)), hi - lo)


def _family_of(t: EntityTable, ties: Ties, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start index, relative row, position of the first statement of the tie) for each start's spouse and
    lineal relatives, stated on either side, in the order the files state them."""
    if not len(ties.family_person):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    by_person = np.argsort(ties.family_person, kind="stable")
    pos, idx = _members_of((by_person, ties.family_person[by_person]), starts)
    relative = ties.family_relative[pos]
    keep = relative != starts[idx]
    idx, relative, pos = idx[keep], relative[keep], pos[keep]
    order = np.lexsort((pos, relative, idx))
    idx, relative, pos = idx[order], relative[order], pos[order]
    first = np.concatenate(([True], (idx[1:] != idx[:-1]) | (relative[1:] != relative[:-1]))) if len(idx) else np.zeros(0, dtype=bool)
    return idx[first], relative[first], pos[first]


def _mandates(t: EntityTable, ties: Ties, regime: Regime, usage: Usage, several: np.ndarray, cands: _Candidates,
              resolved: Resolved) -> Resolved:
    """Votes the investor or a related person manages for others under a discretionary investment contract
    count with theirs (the 2019 amending order's 保有等議決権); after every other relation, managers in order."""
    code, place = resolved[0], resolved[3]
    manages = (t.acquirer | (code != NOT_RELATED)) & several[t.deal]
    edge = np.flatnonzero(manages[ties.manager]) if len(ties.manager) else np.zeros(0, dtype=np.int64)
    asked = np.zeros(len(several), dtype=bool)
    asked[t.deal[ties.manager[edge]]] = True
    use(usage, MANDATE_ITEM, asked)
    if len(edge) and regime.peek(MANDATE_ITEM) not in (None, False):
        manager = ties.manager[edge]
        rank = np.where(t.acquirer[manager], -1, place[manager])
        cands.add(set(), "discretionary_mandate", ties.client[edge], manager, -1, _MANDATE_PASS, 0, rank, edge)
        return cands.resolve(t)
    return resolved


def holdings_of(c: RelatedColumns, d: int, deal: Deal) -> RelatedHoldings:
    """Deal row ``d``'s related persons (``deal``: that row's deal), in the order they were found, rendered
    from the codes."""
    rows = c.entities.per_deal(d)
    found = np.flatnonzero(c.code[rows] != NOT_RELATED) + rows.start
    found = found[np.argsort(c.place[found], kind="stable")]
    ents, ids = deal.entity_map(), c.entities.ids
    persons = [_person(ents[ids[i]], RELATIONS[c.code[i]], ids[c.via[i]] if c.via[i] >= 0 else None,
                       ids[c.partner[i]] if c.partner[i] >= 0 else None) for i in found]
    return RelatedHoldings(persons=persons, related_pct=float(c.related_pct[d]), extra_pct=float(c.extra_pct[d]),
                           unknown=[p.entity for p in persons if p.target_voting_pct is None])


def _person(ent: Entity, relation: RelationKind, via: str | None, partner: str | None) -> RelatedPerson:
    return RelatedPerson(entity=ent.id, name=ent.name, relation=relation, via=via, through_partner=partner,
                         basis=list(BASIS[relation]), target_voting_pct=ent.target_voting_pct)


_RECENT: list[tuple[Deal, Regime, RelatedHoldings]] = []


def closely_related_persons(deal: Deal, regime: Regime) -> RelatedHoldings:
    """The persons in a special relationship with the acquirer (Cabinet Order Art. 2) among the entities of the
    file, with their holdings of the target, and the typed-in extra for holders not in the file: the columns
    of a table of one, rendered. One screening asks several times for the same deal and regime: the last few
    answers are kept (by identity)."""
    for d, rg, found in _RECENT:
        if d is deal and rg is regime:
            return found
    c = related_holdings(DealTable.one(deal, regime))
    record_use(regime, c.usage, slice(0, 1))
    found = holdings_of(c, 0, deal)
    _RECENT[:] = [(deal, regime, found), *_RECENT[:7]]
    return found


def relation_label(p: RelatedPerson, deal: Deal, regime: Regime) -> Text:
    """How the person is related, in a few words (English and Japanese)."""
    names = deal.entity_map()
    via = names[p.via].name if p.via else ""
    limit = pct(regime.threshold(CONTROL_ITEM))
    en, ja = {
        "parent": (f"parent, {limit} or more", f"親会社等、{limit}以上"),
        "subsidiary": (f"subsidiary, {limit} or more", f"子会社等、{limit}以上"),
        "sister": (f"sister company under {via}, {limit} or more", f"{via}を共通の親会社等とする兄弟会社、{limit}以上"),
        "family_company": (f"held {limit} or more with spouse and lineal relatives", f"配偶者・直系血族と合わせて{limit}以上保有"),
        "officer": (f"officer of {via}", f"{via}の役員"),
        "spouse": ("spouse", "配偶者"),
        "lineal_relative": ("lineal relative", "直系血族"),
        "executing_partner": ("executing partner", "業務執行組合員"),
        "discretionary_mandate": (f"managed by {via} under a discretionary mandate", f"{via}が投資一任契約により運用"),
    }[p.relation]
    if p.through_partner:
        gp = names[p.through_partner].name
        en, ja = f"{en}, of executing partner {gp}", f"業務執行組合員{gp}の{ja}"
    return T(en, ja)


def explain_related(r: Reasoning, deal: Deal, regime: Regime, rh: RelatedHoldings, total: float,
                    threshold_item: str | None = None) -> None:
    """Write into ``r`` whose holdings were added, and ask for a related person's missing holding when it could
    bring ``total`` to the threshold ``threshold_item`` of a listed company (a missing holding is never read as
    zero in silence; an unlisted company's acts have no threshold to reach)."""
    parts = [(p, relation_label(p, deal, regime)) for p in rh.counted()]
    if parts or rh.extra_pct:
        en = ", ".join(f"{p.name} {pct(p.target_voting_pct)} ({lab.en})" for p, lab in parts)
        ja = "、".join(f"{p.name} {pct(p.target_voting_pct)}（{lab.ja}）" for p, lab in parts)
        if rh.extra_pct:
            en += ("; plus " if en else "") + f"{pct(rh.extra_pct)} stated for related persons not in the file"
            ja += ("、" if ja else "") + f"ファイル外の密接関係者として記載された{pct(rh.extra_pct)}"
        items = sorted({b for p, _ in parts for b in p.basis}) or [KINDS_ITEM]
        r.say(f"Counted with the investor's holding, as closely related persons (密接関係者): {en}.",
              f"密接関係者として投資家の保有に合算：{ja}。", *items)
    limit = regime.threshold(threshold_item) if threshold_item and deal.target.listed else None
    if not rh.unknown or limit is None or to_fraction(total) >= limit:
        return
    for eid in rh.unknown:
        p = next(x for x in rh.persons if x.entity == eid)
        lab = relation_label(p, deal, regime)
        r.say(f"{p.name} ({lab.en}) is a closely related person whose holding of {deal.target.name} is not given; it is not counted, and it could bring the total to the threshold.",
              f"{p.name}（{lab.ja}）は密接関係者であるが、{deal.target.name}の保有比率が不明であり算入していない。算入すれば基準に達する可能性がある。",
              *p.basis)
        r.need(f"entities[{deal.entity_index(eid)}].target_voting_pct",
               T(f"What share of {deal.target.name}'s voting rights does {p.name} hold?", f"{p.name}は{deal.target.name}の議決権の何％を保有しているか？"),
               T("count its holding: the threshold may be reached", "その保有を合算し、基準に達するものとして扱う"), WHO_ACQUIRER)


def holding_with_related(deal: Deal, regime: Regime, base: float | None, r: Reasoning | None = None,
                         threshold_item: str | None = None) -> float | None:
    """The investor's post-act holding ``base`` together with its closely related persons' (FEFTA Art. 26(2)(iii)-(iv),
    Cabinet Order Art. 2), capped at 100%; with ``r``, the reasons name whose holdings were added."""
    if base is None:
        return None
    rh = closely_related_persons(deal, regime)
    total = float(total_with_related(np.array([base], dtype=float), np.array([rh.related_pct]), np.array([rh.extra_pct]))[0])
    if r is not None:
        explain_related(r, deal, regime, rh, total, threshold_item)
    return total


def total_with_related(base: np.ndarray, related_pct: np.ndarray, extra_pct: np.ndarray) -> np.ndarray:
    """Per row: the investor's holding ``base`` with its related persons' (``RelatedColumns.related_pct`` and
    ``extra_pct``), capped at 100%, added exactly (0.6 + 0.4 is 1, not 0.9999...; FEFTA Art. 26(2)(iii)-(iv))."""
    values = [float(v) for v in (*base, *related_pct, *extra_pct)]
    scale = Scale.for_values(values)
    exact = sum(scale.column([float(v) for v in col]) for col in (base, related_pct, extra_pct))
    return np.minimum(100.0, _as_float(exact, scale.unit))
