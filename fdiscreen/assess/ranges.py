"""Unknown facts give a range, not a reassurance (不明な事実はスコアの幅として示す).

The score itself counts only the facts stated. This module reads each unknown fact in scope the
conservative way (factors/scoring.yaml ``range_unknowns``), scores the deal again, and reports both
readings with the unknown facts whose answers would move the overall score most."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import numpy as np

from fdiscreen.assess.business import sensitivity_class
from fdiscreen.assess.combine import RangeMover, ScoreRange, Tier
from fdiscreen.assess.finding import DIMENSIONS, Finding, FindingTable
from fdiscreen.assess.rules import ByRule, findings_by_rule, merged, rule_keys
from fdiscreen.errors import FdiscreenError
from fdiscreen.i18n import T
from fdiscreen.model import Deal
from fdiscreen.lookthrough import STATE_KINDS


def resolve_path(deal: Deal, key: str) -> str:
    """``acquirer.x`` is the acquiring entity's field ``entities[i].x``."""
    if key.startswith("acquirer."):
        return f"entities[{deal.entity_index(deal.acquirer)}].{key.removeprefix('acquirer.')}"
    return key


@lru_cache(maxsize=4096)
def _steps(path: str) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isdigit() else p for p in path.replace("]", "").replace("[", ".").split("."))


def read_fact(deal: Deal, path: str) -> Any:
    """The value at a field path of the deal (None when a step on the way is missing or None)."""
    node: Any = deal
    for step in _steps(path):
        if isinstance(step, int):
            node = node[step] if step < len(node) else None
        else:
            node = getattr(node, step, None)
        if node is None:
            return None
    return node


def with_fact(deal: Deal, path: str, value: Any) -> Deal:
    """A copy of the deal with one field set (the objects along the path copied, the rest shared)."""
    return with_facts(deal, [(path, value)])


def with_facts(deal: Deal, facts: Sequence[tuple[str, Any]]) -> Deal:
    """A copy of the deal with each (path, value) set, each object along the paths copied once (the
    rest shared); a later fact at the same path wins."""
    return cast(Deal, _set(deal, [(_steps(path), value) for path, value in facts])) if facts else deal


def _set(node: Any, facts: list[tuple[tuple[str | int, ...], Any]]) -> Any:
    """``node`` with the facts (steps below it, value) set: the steps grouped by their first, in order."""
    below: dict[str | int, list[tuple[tuple[str | int, ...], Any]]] = {}
    for steps, value in facts:
        below.setdefault(steps[0], []).append((steps[1:], value))
    update = {head: _value_at(node[head] if isinstance(head, int) else getattr(node, head), rest) for head, rest in below.items()}
    if isinstance(next(iter(update)), int):
        items = list(node)
        for head, value in update.items():
            items[cast(int, head)] = value
        return items
    return node.model_copy(update=update)


def _value_at(node: Any, facts: list[tuple[tuple[str | int, ...], Any]]) -> Any:
    """The value a field takes: a fact that ends at it replaces it (and the deeper facts before it), the
    deeper facts after it are set on what it is then."""
    current, deeper = node, []
    for steps, value in facts:
        if steps:
            deeper.append((steps, value))
        else:
            current, deeper = value, []
    return _set(current, deeper) if deeper else current


def _state_linked(deal: Deal, findings: list[Finding]) -> bool:
    """A state already owns part of the investor, its owners are unknown, or it is bound by an
    intelligence duty: then unknown investor facts are read conservatively."""
    ids = {f.id for f in findings}
    acq = deal.entity(deal.acquirer)
    owners_unknown = acq.owners_complete is not True and not acq.owners and not acq.listed and acq.kind != "individual"
    return owners_unknown or bool({"investor.state_control", "investor.opaque_ownership", "investor.intelligence_duty"} & ids) or any(
        (e.state_owned_pct or 0) > 0 for e in deal.entities)


def in_scope(scope: str, t: FindingTable, row: int, findings: list[Finding]) -> bool:
    """Is row ``row`` of ``t`` (with its ``findings``) in a range_unknowns scope?"""
    deal = t.deals[row]
    if scope == "always":
        return True
    if scope == "sensitive_target":
        cls, _ = sensitivity_class(t)[row]
        return cls in (None, "designated", "core")
    if scope == "state_linked_investor":
        return _state_linked(deal, findings)
    if scope == "unlisted_company_investor":
        acq = deal.entity(deal.acquirer)
        return acq.kind not in ("individual", *STATE_KINDS) and not acq.listed and not acq.owners
    raise FdiscreenError(f"unknown range scope {scope!r}", file="factors/scoring.yaml", path="range_unknowns",
                         expected="always, sensitive_target, state_linked_investor or unlisted_company_investor")


def _applies(deal: Deal, path: str) -> bool:
    """The stake after is read from the share acquisition's own field only."""
    return not (path == "transaction.shares_after_pct" and deal.transaction.kind != "share_acquisition")


def unknown_facts(t: FindingTable, row: int, findings: list[Finding]) -> list[tuple[str, Any, dict[str, Any]]]:
    """(path, conservative value, table row) of each fact in scope that row ``row``'s deal leaves unknown."""
    deal = t.deals[row]
    table: dict[str, dict[str, Any]] = t.regimes[row].value("range_unknowns") or {}
    scopes: dict[str, bool] = {}
    out = []
    for key, entry in table.items():
        path = resolve_path(deal, key)
        if _applies(deal, path) and read_fact(deal, path) is None:
            scope = str(entry["scope"])
            if scope not in scopes:  # each scope is judged once per deal
                scopes[scope] = in_scope(scope, t, row, findings)
            if scopes[scope]:
                out.append((path, entry["conservative"], entry))
    return out


#: which finding rules ("module.rule") read a fact: a reading that changes it re-runs only those
#: (structure, not law; tests/test_risk_model.py checks each against re-running every rule)
FACT_READERS: dict[str, set[str]] = {
    "target.defence_supplier": {"business.defence_supply"},
    "target.export_controlled": {"business.export_controlled"},
    "target.single_source_supplier": {"business.indispensability"},
    "target.government_funded_research": {"business.government_funded_research"},
    "target.near_defence_site": {"business.near_defence_site"},
    "transaction.shares_after_pct": {"terms.stake_band"},
    "transaction.board_seats": {"seats.board_seats"},
    "transaction.auditor_seats": {"seats.auditor_seats"},
    "transaction.observer_seats": {"seats.observer_seats"},
    "transaction.core_committee_attendance": {"seats.committee_attendance"},
    "transaction.technology_access": {"technology.technology_access"},
    "entities[].owners_complete": {"investor.opaque_ownership"},
    "entities[].state_owned_pct": {"investor.state_control"},
    "entities[].military_links": {"investor.military_links"},
}
#: a fact not listed above re-runs every rule of the module its block belongs to
MODULE_OF_BLOCK = (("target.", "business.*"), ("transaction.", "*"), ("entities[", "investor.*"))


@lru_cache(maxsize=4096)
def readers(path: str) -> frozenset[str]:
    """The rules that read a fact path: listed, or every rule of its block's module ("module.*", "*")."""
    generic = re.sub(r"\[\d+\]", "[]", path)
    for key, rules in FACT_READERS.items():
        if generic == key or generic.startswith(key + "."):
            return frozenset(rules)
    return frozenset({next((mod for prefix, mod in MODULE_OF_BLOCK if path.startswith(prefix)), "*")})


#: single readings whose rules read no other unknown fact take their findings from the reading of every
#: unknown (the same inputs reach those rules); False re-runs each (tests compare the two)
SHARE_DISJOINT_READINGS = True
#: a reading's components (threat, sensitivity, access), overall score and tier
Summary = tuple[np.ndarray, float, Tier]


@dataclass
class Readings:
    """The findings under the conservative reading of every unknown fact in scope (``all``), and of each
    alone (``single``: path, table row, findings; none for a row that is not explained, since the movers
    they rank are shown only with the explanation)."""

    unknown: list[tuple[str, Any, dict[str, Any]]]
    all: list[Finding]
    single: list[tuple[str, dict[str, Any], list[Finding]]]


@dataclass
class _Plan:
    """One deal's readings to find: its unknown facts, the rules each reads, and the rows of the
    readings table that hold the reading of every unknown and each fact read alone (None: taken from
    the reading of every unknown)."""

    unknown: list[tuple[str, Any, dict[str, Any]]]
    keys: list[frozenset[str]]
    together: int
    alone: list[int | None]


def conservative_readings(t: FindingTable, findings: Sequence[list[Finding]], base: Sequence[ByRule]) -> list[Readings | None]:
    """Each row's readings (None when nothing in scope is unknown). The rules that read the unknown facts
    are re-run on the reading of every unknown; a fact read alone re-runs its own rules, unless no other
    unknown fact reaches them (FACT_READERS): then their findings are those of the reading of every
    unknown. Every reading of every row is one table (scored, not shown), each rule run once over the
    readings that re-run it."""
    deals: list[Deal] = []
    owners: list[int] = []
    wanted: list[frozenset[str]] = []

    def reading(row: int, deal: Deal, rules: frozenset[str]) -> int:
        deals.append(deal)
        owners.append(row)
        wanted.append(rules)
        return len(deals) - 1

    plans = [_plan(t, row, findings[row], reading) for row in range(t.n)]
    if not deals:
        return [None] * t.n
    readings = FindingTable.of_deals(deals, [t.dets[k] for k in owners], [t.regimes[k] for k in owners], [t.hits[k] for k in owners],
                                     [False] * len(deals), [False] * len(deals))
    redone = findings_by_rule(readings, wanted)
    return [None if plan is None else _readings(plan, base[row], redone) for row, plan in enumerate(plans)]


def _plan(t: FindingTable, row: int, findings: list[Finding], reading: Callable[[int, Deal, frozenset[str]], int]) -> _Plan | None:
    """Row ``row``'s readings (None when nothing in scope is unknown), each added to the readings table by
    ``reading``: every unknown together, and (where the row is explained) each fact alone whose rules
    another unknown fact reaches too."""
    unknown = unknown_facts(t, row, findings)
    if not unknown:
        return None
    deal, paths = t.deals[row], [p for p, _, _ in unknown]
    everything = frozenset().union(*(readers(p) for p in paths))
    together = reading(row, with_facts(deal, [(path, value) for path, value, _ in unknown]), everything)
    if not t.explains(row):  # its score range needs only the reading of every unknown; no fact is read alone
        return _Plan(unknown, [], together, [])
    keys = [rule_keys(readers(p)) for p in paths]
    alone: list[int | None] = []
    for n, (path, value, _) in enumerate(unknown):
        shared = SHARE_DISJOINT_READINGS and not any(keys[n] & keys[m] for m in range(len(paths)) if m != n)
        alone.append(None if shared else reading(row, with_fact(deal, path, value), readers(path)))
    return _Plan(unknown, keys, together, alone)


def _readings(plan: _Plan, base: ByRule, redone: list[ByRule]) -> Readings:
    together = redone[plan.together]
    single = [(path, entry, merged(base, {k: together[k] for k in keys} if at is None else redone[at]))
              for (path, _, entry), keys, at in zip(plan.unknown, plan.keys, plan.alone)]
    return Readings(unknown=plan.unknown, all=merged(base, together), single=single)


def score_range(readings: Readings, known: tuple[float, str], high: Summary, alone: Sequence[float], formula: dict[str, Any],
                movers: int = 3) -> ScoreRange:
    """The known-facts score and the conservative one, with the unknown facts that move it most.
    ``known``: the overall score and tier at the known facts; ``high``: the components, overall score
    and tier of the reading of every unknown (``readings.all``); ``alone``: the overall score of each
    unknown read alone (``readings.single``, in order)."""
    low, low_tier = known
    parts, overall_high, high_tier = high
    moving = sorted(((overall, path, row) for (path, row, _), overall in zip(readings.single, alone) if overall > low),
                    key=lambda m: (-m[0], m[1]))[:movers]
    ranked = [RangeMover.model_construct(path=path, question=T(f"confirm {row['en']}", f"{row['ja']}を確認"), overall_if_conservative=overall)
              for overall, path, row in moving]
    top, tier = (overall_high, high_tier) if overall_high >= low else (low, low_tier)  # the range's top is one of the two readings
    return ScoreRange.model_construct(low=low, high=top, high_tier=tier, high_predicted_outcome=formula["outcome_by_tier"][tier],
                                      crosses_tier=tier != low_tier,
                                      components_high={d: round(float(v), 1) for d, v in zip(DIMENSIONS, parts.tolist())},
                                      unknown=[p for p, _, _ in readings.unknown], movers=ranked)
