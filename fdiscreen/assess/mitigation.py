"""Risk-mitigation measures (リスク軽減措置): the catalog, which findings each addresses, and the
residual risk once measures are applied. A measure only ever removes points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pydantic import BaseModel

from fdiscreen.assess.combine import PointTable, python_round
from fdiscreen.assess.finding import Finding
from fdiscreen.errors import FdiscreenError
from fdiscreen.i18n import T, Text
from fdiscreen.regime import Regime


class Measure(BaseModel):
    id: str
    text: Text
    side: str
    addresses: list[str]
    not_suggested_from_band: str | None = None
    """A company-law stake band (factors/company_law.yaml) from which the investor controls what the
    measure gives up, so it is not put forward as a suggestion."""


_CATALOGS: dict[int, tuple[list[Any], dict[str, Measure]]] = {}


def catalog(regime: Regime) -> dict[str, Measure]:
    """The measures in force, built once per list of the loaded factors."""
    raw = regime.value("risk_mitigation_measures") or []
    key = id(raw)
    if key not in _CATALOGS or _CATALOGS[key][0] is not raw:
        bands = {b["id"] for b in regime.value("stake_bands") or []}
        measures = {m["id"]: Measure(id=m["id"], text=T(m["en"], m["ja"]), side=m["side"], addresses=list(m.get("addresses", [])),
                                     not_suggested_from_band=m.get("not_suggested_from_band")) for m in raw}
        for i, m in enumerate(measures.values()):
            if m.not_suggested_from_band is not None and m.not_suggested_from_band not in bands:
                raise FdiscreenError(f"unknown stake band {m.not_suggested_from_band!r}", file="mitigations.yaml",
                                     path=f"risk_mitigation_measures[{i}].not_suggested_from_band", expected=f"one of {sorted(bands)}")
        _CATALOGS[key] = (raw, measures)  # holding the list keeps its id from being reused
    return _CATALOGS[key][1]


def measures_for(rule: str, risk_keys: list[str], regime: Regime) -> list[str]:
    """Measures that address a finding of ``rule`` with ``risk_keys``: by its risk keys, or named as fully removing it."""
    measures = catalog(regime)
    full = {mid for mid, rules in regime.value("mitigation_effects").get("full", {}).items() if rule in rules}
    index = _by_risk_key(measures)
    by_key = {mid for k in risk_keys for mid in index.get(k, ())}
    return sorted(full | by_key)


_INDEXES: dict[int, tuple[dict[str, Measure], dict[str, list[str]]]] = {}


def _by_risk_key(measures: dict[str, Measure]) -> dict[str, list[str]]:
    """Risk key -> the measures that address it, built once per catalog."""
    key = id(measures)
    if key not in _INDEXES or _INDEXES[key][0] is not measures:
        index: dict[str, list[str]] = {}
        for m in measures.values():
            for k in m.addresses:
                index.setdefault(k, []).append(m.id)
        _INDEXES[key] = (measures, index)  # holding the catalog keeps its id from being reused
    return _INDEXES[key][1]


def addresses(measure: Measure, finding: Finding) -> bool:
    """Does the measure address one of the finding's risk keys?"""
    return not set(measure.addresses).isdisjoint(finding.risk_keys)


def reduction(measure: Measure, finding: Finding, effects: dict[str, Any]) -> float:
    """Share of the finding's points the measure removes (0..1)."""
    if finding.id in effects.get("full", {}).get(measure.id, []):
        return 1.0
    if not addresses(measure, finding):
        return 0.0
    return float(effects["target_side_default"] if measure.side == "target" else effects["default"])


def validate_ids(ids: list[str], measures: dict[str, Measure], path: str) -> None:
    for mid in ids:
        if mid not in measures:
            raise FdiscreenError(f"unknown measure {mid!r}", path=path, expected=f"one of {sorted(measures)}")


def reductions(table: PointTable, mids: Sequence[str], measures: dict[str, Measure], effects: dict[str, Any]) -> np.ndarray:
    """Share of each finding's points (table rows) each measure (columns, ``mids``) removes: worked out
    once per kind of finding (its id and risk keys) and spread over the rows."""
    kinds: dict[tuple[str, tuple[str, ...]], int] = {}
    kind = np.fromiter((kinds.setdefault((f.id, tuple(f.risk_keys)), len(kinds)) for f in table.findings), dtype=np.intp,
                       count=len(table.findings))
    firsts: dict[int, Finding] = {}
    for f, k in zip(table.findings, kind.tolist()):
        firsts.setdefault(k, f)
    by_kind = np.array([[reduction(measures[mid], firsts[k], effects) for mid in mids] for k in range(len(kinds))],
                       dtype=np.float64).reshape(len(kinds), len(mids))
    return by_kind[kind]


@dataclass(frozen=True, eq=False)
class Residuals:
    """What the measures applied to each reading leave of its findings' points (p x prod(1 - r_i), the
    product taken in the measures' id order, so the same measures give the same float however listed;
    negative (protective) findings keep all their points, so a measure never raises residual risk)."""

    table: PointTable
    sets: list[tuple[str, ...]]
    row_set: np.ndarray
    column: dict[str, int]
    shares: np.ndarray
    protective: np.ndarray

    @classmethod
    def of(cls, table: PointTable, applied: Sequence[Sequence[str]], regime: Regime, candidates: Sequence[str] = ()) -> "Residuals":
        """``applied``: each reading's measures; ``candidates``: further measures to be tried one at a time (:meth:`adding`)."""
        measures = catalog(regime)
        mids = sorted({m for a in applied for m in a} | set(candidates))
        shares = reductions(table, mids, measures, regime.value("mitigation_effects")) if mids else np.zeros((len(table.findings), 0))
        index: dict[tuple[str, ...], int] = {}
        reading_set = np.array([index.setdefault(tuple(sorted(set(a))), len(index)) for a in applied], dtype=np.intp)
        return cls(table, list(index), reading_set[table.owner], {mid: k for k, mid in enumerate(mids)}, shares, table.totals < 0)

    def points(self) -> np.ndarray:
        """Each finding's points after its reading's measures."""
        out = self.table.points.copy()
        for k, measures in enumerate(self.sets):
            if measures:  # nothing applied: the points as they are (already rounded)
                self._scale(out, np.flatnonzero(self.row_set == k), measures)
        return out

    def adding(self, measure: str, before: np.ndarray) -> np.ndarray:
        """The points after each reading's measures and ``measure`` too, from ``before`` (:meth:`points`):
        only the findings ``measure`` reduces are worked out again."""
        out = before.copy()
        reduced = self.shares[:, self.column[measure]] != 0
        for k, measures in enumerate(self.sets):
            self._scale(out, np.flatnonzero(reduced & (self.row_set == k)), tuple(sorted({*measures, measure})))
        return out

    def _scale(self, out: np.ndarray, rows: np.ndarray, measures: tuple[str, ...]) -> None:
        """``out[rows]``: the rows' points after ``measures`` (in id order)."""
        if not len(rows):
            return
        keep = np.ones(len(rows))
        for mid in measures:
            keep = keep * (1.0 - self.shares[rows, self.column[mid]])
        keep[self.protective[rows]] = 1.0
        out[rows] = python_round(self.table.points[rows] * keep[:, None], 3)
