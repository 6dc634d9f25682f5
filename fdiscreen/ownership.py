"""Ownership chains: look-through tests over the acquirer's owners, with cycles.

Japanese groups often hold each other's shares, so every test here is a least fixed point: start with
no entity marked, mark an entity when its own facts or the marked owners' voting rights meet the test,
repeat until nothing changes. That terminates on any graph, cycles included. Unknown facts are
three-valued: the test runs once reading every unknown as "no" and once as "yes"; where the two runs
disagree, the answer is *indeterminate* and the unknown facts are reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from fdiscreen.model import Deal, Entity
from fdiscreen.regime import Regime, to_fraction

Tri = bool | None
BaseTest = Callable[[Entity], Tri]
CountsTest = Callable[[Entity], bool]

#: entity kinds that are "companies" for the look-through of FEFTA Art. 26(1)(iii)
COMPANY_KINDS = frozenset({"corporation", "financial_institution", "state_owned_enterprise"})
STATE_KINDS = frozenset({"government", "state_owned_enterprise", "sovereign_wealth_fund", "public_pension"})


@dataclass
class Marked:
    """Which entities a look-through test marks, why, and which unknown facts could change that."""

    status: dict[str, Tri]
    why: dict[str, str] = field(default_factory=dict)
    via: dict[str, list[str]] = field(default_factory=dict)
    unknown: dict[str, list[str]] = field(default_factory=dict)


def _tri_or(*values: Tri) -> Tri:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


Holders = Callable[[Entity], list[tuple[str, Fraction]]]
LimitMet = Callable[[Entity, Fraction], bool]
Extra = Callable[[Entity, dict[str, bool]], bool]
Counts = Callable[[Entity, str, dict[str, bool], bool], bool]
"""Does the holder's stake in the entity count in full, given the marks so far and how unknown facts are read?"""


def owners_voting(entity: Entity) -> list[tuple[str, Fraction]]:
    """The entity's owners with their voting shares."""
    return [(h.owner, to_fraction(h.voting_pct)) for h in entity.owners]


@dataclass(frozen=True)
class LookThrough:
    """A look-through test: own facts (``base``), or marked holders reaching a limit, or ``extra``."""

    base: BaseTest
    holders: Holders = owners_voting
    limit_met: LimitMet = lambda e, x: False
    extra: Extra | None = None
    remainder_unknown: Callable[[Entity], bool] = lambda e: False
    counts: Counts | None = None
    """Which holders' stakes count (in full); by default every marked holder's."""
    proportional: bool = False
    """What-if only (not law): weight each holder's stake by its own attributed share."""
    extra_inputs: Callable[[Entity], list[str]] = lambda e: []
    """The entities whose marks ``extra`` reads (besides the holders)."""


def _held(test: LookThrough, ent: Entity, marked: dict[str, bool], share: dict[str, Fraction],
          read_unknown_as: bool) -> tuple[Fraction, list[str]]:
    held = Fraction(0)
    counted: list[str] = []
    stakes = test.holders(ent)
    for owner, pct in stakes:
        if test.proportional:
            weight = share[owner] / 100
        elif test.counts is not None:
            weight = Fraction(1 if test.counts(ent, owner, marked, read_unknown_as) else 0)
        else:
            weight = Fraction(1 if marked[owner] else 0)
        if weight:
            held += pct * weight
            counted.append(owner)
    if read_unknown_as and test.remainder_unknown(ent):
        held += max(Fraction(0), 100 - sum((p for _, p in stakes), Fraction(0)))
    return min(held, Fraction(100)), counted


def _dependents(ents: dict[str, Entity], test: LookThrough) -> dict[str, list[str]]:
    """For each entity, the entities whose test reads its mark (those it holds, those it executes for)."""
    out: dict[str, list[str]] = {eid: [] for eid in ents}
    for eid, ent in ents.items():
        for dep in dict.fromkeys([o for o, _ in test.holders(ent)] + test.extra_inputs(ent)):
            if dep in out:
                out[dep].append(eid)
    return out


def _run(ents: dict[str, Entity], own: dict[str, Tri], test: LookThrough,
         read_unknown_as: bool) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """One run of the fixed point with unknown facts read as ``read_unknown_as`` (``own``: each
    entity's own facts, ``test.base``). A worklist: every entity is tested once, and again only when
    an entity its test reads changes, so a chain thousands of entities long costs time in proportion
    to its length. The proportional what-if (shares that grow around a cycle) stops after a budget."""
    marked = {eid: bool(read_unknown_as if own[eid] is None else own[eid]) for eid in ents}
    share = {eid: Fraction(100) if m else Fraction(0) for eid, m in marked.items()}
    via: dict[str, list[str]] = {}
    dependents = _dependents(ents, test)
    queue = deque(ents)
    queued = set(ents)
    budget = (4 * len(ents) + 8) * max(1, len(ents))
    while queue and budget:
        budget -= 1
        eid = queue.popleft()
        queued.discard(eid)
        if marked[eid]:
            continue
        ent = ents[eid]
        held, counted = _held(test, ent, marked, share, read_unknown_as)
        changed = False
        if test.proportional and held > share[eid]:
            share[eid] = held
            changed = True
        if test.limit_met(ent, held) or (test.extra is not None and test.extra(ent, marked)):
            marked[eid] = True
            share[eid] = Fraction(100)
            via[eid] = counted
            changed = True
        if changed:
            for dep in dependents[eid]:
                if dep not in queued and not marked[dep]:
                    queue.append(dep)
                    queued.add(dep)
    return marked, via


def look_through(deal: Deal, test: LookThrough) -> Marked:
    """Three-valued least fixed point of the test over every entity of the deal. With no unknown
    fact in play, reading unknowns as "yes" changes nothing, so that pass is not repeated."""
    ents = deal.entity_map()
    own = {eid: test.base(e) for eid, e in ents.items()}
    low, via = _run(ents, own, test, False)
    unknowns = any(v is None for v in own.values()) or any(test.remainder_unknown(e) for e in ents.values())
    high = _run(ents, own, test, True)[0] if unknowns else low
    status: dict[str, Tri] = {eid: (True if low[eid] else (False if not high[eid] else None)) for eid in low}
    return Marked(status=status, via=via)


def _voting_held_by(ent: Entity, holder: Callable[[str], bool], remainder_unknown: Callable[[Entity], bool],
                    read_unknown_as: bool) -> Fraction:
    """Voting share in ``ent`` held by the owners ``holder`` accepts; unlisted holders count when read as "yes"."""
    listed = [(h.owner, to_fraction(h.voting_pct)) for h in ent.owners]
    held = sum((pct for owner, pct in listed if holder(owner)), Fraction(0))
    if read_unknown_as and remainder_unknown(ent):
        held += max(Fraction(0), 100 - sum((pct for _, pct in listed), Fraction(0)))
    return min(held, Fraction(100))


def fully_attributed_holders(ents: dict[str, Entity], companies: set[str], direct_holder: Callable[[Entity], bool],
                             parent_met: Callable[[Fraction], bool], subsidiary_met: Callable[[Fraction], bool] | None,
                             remainder_unknown: Callable[[Entity], bool], read_unknown_as: bool) -> set[str]:
    """The companies whose voting rights in another company count in full as held indirectly by foreign
    investors (Cabinet Order on Inward Direct Investment Art. 2(1), for FEFTA Art. 26(1)(iii)).

    A company of ``companies`` counts when the voting rights its ``direct_holder`` owners (items 1 and 2)
    hold directly meet ``parent_met``; with ``subsidiary_met`` (from 2020-05-08) so do its Companies Act
    subsidiaries: companies whose voting rights it and its subsidiaries together hold beyond that limit.
    Iterative (a worklist per parent over the holdings it reaches), so cycles and long chains terminate.
    """
    parents = {eid for eid in companies
               if parent_met(_voting_held_by(ents[eid], lambda o: direct_holder(ents[o]), remainder_unknown, read_unknown_as))}
    if subsidiary_met is None:
        return parents
    held_by: dict[str, list[str]] = {}
    for eid in companies:
        for h in ents[eid].owners:
            held_by.setdefault(h.owner, []).append(eid)
    # read as "yes", a company with unlisted holders may be a subsidiary on them alone: check those first
    unlisted = sorted(eid for eid in companies if read_unknown_as and remainder_unknown(ents[eid]))
    out = set(parents)
    for parent in sorted(parents):
        out |= _subsidiary_group(parent, ents, held_by, unlisted, subsidiary_met, remainder_unknown, read_unknown_as)
    return out


def _subsidiary_group(parent: str, ents: dict[str, Entity], held_by: dict[str, list[str]], unlisted: list[str],
                      subsidiary_met: Callable[[Fraction], bool], remainder_unknown: Callable[[Entity], bool],
                      read_unknown_as: bool) -> set[str]:
    """``parent`` and its subsidiaries: companies whose voting rights the group already found holds beyond
    the limit (a worklist: each company joins once and its holdings are then re-read)."""
    group = {parent}
    work = [parent]

    def consider(eid: str) -> None:
        if eid not in group and subsidiary_met(_voting_held_by(ents[eid], group.__contains__, remainder_unknown, read_unknown_as)):
            group.add(eid)
            work.append(eid)

    for eid in unlisted:
        consider(eid)
    while work:
        for eid in held_by.get(work.pop(), []):
            consider(eid)
    return group


def chains_to_ultimate_owners(deal: Deal, start: str, max_paths: int = 200) -> list[list[str]]:
    """Every path from ``start`` up through its owners to an ultimate owner (one with no owners).

    A path that meets an entity already on it stops there and ends with that entity repeated, so a
    cross-shareholding shows as ``[a, b, a]``.
    """
    ents = deal.entity_map()
    out: list[list[str]] = []
    path = [start]
    on_path = {start}
    # a depth-first walk with an explicit stack of each path node's remaining owners (no recursion,
    # and no copy of the path until one is complete, so a long chain costs time in its length)
    stack = [iter(_owners_in_order(ents[start]))]
    if not ents[start].owners:
        return [[start]]
    while stack and len(out) < max_paths:
        owner = next(stack[-1], None)
        if owner is None:
            stack.pop()
            on_path.discard(path.pop())
        elif owner in on_path:
            out.append([*path, owner])
        elif not ents[owner].owners:
            out.append([*path, owner])
        else:
            path.append(owner)
            on_path.add(owner)
            stack.append(iter(_owners_in_order(ents[owner])))
    return out


def _owners_in_order(ent: Entity) -> list[str]:
    """An entity's owners, largest voting share first."""
    return [h.owner for h in sorted(ent.owners, key=lambda h: (-h.voting_pct, h.owner))]


def holders_above(deal: Deal, start: str) -> list[str]:
    """Every entity holding ``start`` directly or through others (its owners' owners and so on), in
    the order the chains meet them; ``start`` itself only when a cross-shareholding leads back to it."""
    seen: dict[str, None] = {}
    for path in chains_to_ultimate_owners(deal, start):
        for eid in path[1:]:
            seen.setdefault(eid, None)
    return list(seen)


def ultimate_owners(deal: Deal, start: str) -> list[str]:
    """Entities at the top of the acquirer's chains (no owners of their own), in a stable order."""
    seen: dict[str, None] = {}
    for path in chains_to_ultimate_owners(deal, start):
        if path[-1] not in path[:-1]:
            seen[path[-1]] = None
    return list(seen)


def is_home(entity: Entity, regime: Regime) -> bool:
    """Incorporated in Japan with its principal office there (or none stated elsewhere)."""
    home = regime.catalog.home_country
    return entity.jurisdiction == home and entity.principal_office in (None, home)


def controlled_stake(deal: Deal, start: str, target_ids: set[str]) -> Fraction:
    """Voting share in ``start`` held by ``target_ids`` directly (used for evidence lines)."""
    ent = deal.entity(start)
    return sum((to_fraction(h.voting_pct) for h in ent.owners if h.owner in target_ids), Fraction(0))


def tri_all(values: list[Tri]) -> Tri:
    """Three-valued AND."""
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def tri_any(values: list[Tri]) -> Tri:
    """Three-valued OR."""
    return _tri_or(*values) if values else False
