"""Ownership chains of one deal, for explanations: the paths from the acquirer up to its ultimate
owners (cross-shareholdings shown once), and three-valued helpers. The look-through tests themselves
(least fixed points over the entities of one deal or many) are in :mod:`fdiscreen.lookthrough`.
"""

from __future__ import annotations

from fractions import Fraction

from fdiscreen.model import Deal, Entity
from fdiscreen.regime import Regime, to_fraction

Tri = bool | None


def _tri_or(*values: Tri) -> Tri:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


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
