"""Scores are sums of findings: leakage, control and supply (0-100), an overall score, a tier and a
predicted outcome, all from factors/scoring.yaml."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from fdiscreen.assess.finding import DIMENSIONS, Dimension, Finding
from fdiscreen.regime import Regime

Tier = Literal["low", "elevated", "high", "severe"]
Predicted = Literal["clear", "clear_with_conditions", "at_risk"]


class Scores(BaseModel):
    leakage: float
    control: float
    supply: float
    overall: float
    tier: Tier
    predicted_outcome: Predicted
    raw: dict[Dimension, float]
    capped: list[Dimension]


def dimension_sums(findings: list[Finding]) -> dict[Dimension, float]:
    return point_sums([f.points for f in findings])


def point_sums(points: list[dict[str, float]]) -> dict[Dimension, float]:
    return {d: round(sum(p.get(d, 0.0) for p in points), 3) for d in DIMENSIONS}


def score(findings: list[Finding], regime: Regime) -> Scores:
    """Sum the findings' points per dimension, clamp to 0..cap, combine into overall, tier, outcome."""
    return score_sums(dimension_sums(findings), regime)


def _clamped(raw: dict[Dimension, float], cap: float) -> dict[Dimension, float]:
    return {d: min(cap, max(0.0, raw[d])) for d in DIMENSIONS}


def _overall(clamped: dict[Dimension, float], formula: dict[str, Any]) -> float:
    values = list(clamped.values())
    return round(formula["overall_max_weight"] * max(values) + formula["overall_mean_weight"] * sum(values) / len(values), 1)


def overall_score(raw: dict[Dimension, float], regime: Regime) -> float:
    """The overall score from the per-dimension sums: a weighted mix of the highest and the mean
    dimension, each clamped to 0..cap."""
    formula = regime.value("score_formula")
    return _overall(_clamped(raw, float(formula["cap"])), formula)


def score_sums(raw: dict[Dimension, float], regime: Regime) -> Scores:
    """Scores from the per-dimension sums of findings' points."""
    formula = regime.value("score_formula")
    cap = float(formula["cap"])
    clamped = _clamped(raw, cap)
    overall = _overall(clamped, formula)
    tier: Tier = "low"
    for step in formula["tiers"]:
        if overall >= step["from"]:
            tier = step["tier"]
    return Scores(leakage=round(clamped["leakage"], 1), control=round(clamped["control"], 1), supply=round(clamped["supply"], 1),
                  overall=overall, tier=tier, predicted_outcome=formula["outcome_by_tier"][tier], raw=raw,
                  capped=[d for d in DIMENSIONS if raw[d] > cap or raw[d] < 0])
