"""Ownership chains: look-through tests over the acquirer's owners, with cycles.

Japanese groups often hold each other's shares, so every test here is a least fixed point: start with
no entity marked, mark an entity when its own facts or the marked owners' voting rights meet the test,
repeat until nothing changes. That terminates on any graph, cycles included. Unknown facts are
three-valued: the test runs once reading every unknown as "no" and once as "yes"; where the two runs
disagree, the answer is *indeterminate* and the unknown facts are reported.
"""

from __future__ import annotations

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
    proportional: bool = False


def _held(test: LookThrough, ent: Entity, marked: dict[str, bool], share: dict[str, Fraction],
          read_unknown_as: bool) -> tuple[Fraction, list[str]]:
    held = Fraction(0)
    counted: list[str] = []
    stakes = test.holders(ent)
    for owner, pct in stakes:
        weight = share[owner] / 100 if test.proportional else Fraction(1 if marked[owner] else 0)
        if weight:
            held += pct * weight
            counted.append(owner)
    if read_unknown_as and test.remainder_unknown(ent):
        held += max(Fraction(0), 100 - sum((p for _, p in stakes), Fraction(0)))
    return min(held, Fraction(100)), counted


def _run(ents: dict[str, Entity], own: dict[str, Tri], test: LookThrough,
         read_unknown_as: bool) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """One pass of the fixed point with unknown facts read as ``read_unknown_as`` (``own``: each
    entity's own facts, ``test.base``)."""
    marked = {eid: bool(read_unknown_as if own[eid] is None else own[eid]) for eid in ents}
    share = {eid: Fraction(100) if m else Fraction(0) for eid, m in marked.items()}
    via: dict[str, list[str]] = {}
    for _ in range(4 * len(ents) + 8):
        changed = False
        for eid, ent in ents.items():
            if marked[eid]:
                continue
            held, counted = _held(test, ent, marked, share, read_unknown_as)
            if test.proportional and held > share[eid]:
                share[eid] = held
                changed = True
            if test.limit_met(ent, held) or (test.extra is not None and test.extra(ent, marked)):
                marked[eid] = True
                share[eid] = Fraction(100)
                via[eid] = counted
                changed = True
        if not changed:
            break
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


def chains_to_ultimate_owners(deal: Deal, start: str, max_paths: int = 200) -> list[list[str]]:
    """Every path from ``start`` up through its owners to an ultimate owner (one with no owners).

    A path that meets an entity already on it stops there and ends with that entity repeated, so a
    cross-shareholding shows as ``[a, b, a]``.
    """
    ents = deal.entity_map()
    out: list[list[str]] = []

    def walk(path: list[str]) -> None:
        if len(out) >= max_paths:
            return
        node = ents[path[-1]]
        if not node.owners:
            out.append(path)
            return
        for h in sorted(node.owners, key=lambda h: (-h.voting_pct, h.owner)):
            if h.owner in path:
                out.append(path + [h.owner])
            else:
                walk(path + [h.owner])

    walk([start])
    return out


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
