"""Risk-mitigation measures (リスク軽減措置): the catalog, which findings each addresses, and the
residual risk once measures are applied. A measure only ever removes points."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from fdiscreen.assess.finding import DIMENSIONS, Finding
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


def _kept_share(finding: Finding, applied: list[str], measures: dict[str, Measure], effects: dict[str, Any]) -> float:
    """Share of a finding's points left after the applied measures: prod(1 - r_i). Negative
    (protective) findings keep all their points, so a measure never raises residual risk."""
    if finding.total < 0:
        return 1.0
    keep = 1.0
    for mid in sorted(applied):  # a fixed order: the same measures give the same float, however they are listed
        keep *= 1.0 - reduction(measures[mid], finding, effects)
    return keep


def _scaled(finding: Finding, keep: float) -> dict[str, float]:
    return {d: round(finding.points[d] * keep, 3) for d in DIMENSIONS}


def residual_points(findings: list[Finding], applied: list[str], regime: Regime) -> list[dict[str, float]]:
    """Each finding's points after the applied measures: p * prod(1 - r_i)."""
    if not applied:  # nothing kept back: the points as they are (already rounded)
        return [dict(f.points) for f in findings]
    measures = catalog(regime)
    effects = regime.value("mitigation_effects")
    return [_scaled(f, _kept_share(f, applied, measures, effects)) for f in findings]


def residual_points_adding(findings: list[Finding], before: list[dict[str, float]], applied: list[str], measure: str,
                           regime: Regime) -> list[dict[str, float]]:
    """``residual_points(findings, [*applied, measure])`` from ``before`` (the points after ``applied``):
    only the findings the added measure reduces are worked out again, the rest are unchanged."""
    measures = catalog(regime)
    effects = regime.value("mitigation_effects")
    added = measures[measure]
    return [_scaled(f, _kept_share(f, [*applied, measure], measures, effects)) if reduction(added, f, effects) else p
            for f, p in zip(findings, before)]


def residual(findings: list[Finding], applied: list[str], regime: Regime) -> list[Finding]:
    """The findings with their points after the applied measures (``residual_points``)."""
    return [f.model_copy(update={"points": p}) for f, p in zip(findings, residual_points(findings, applied, regime))]
