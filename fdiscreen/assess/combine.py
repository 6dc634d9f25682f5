"""Scores are built from findings: each finding adds points to one of three components (investor
threat, target sensitivity, access and control), each component is its base plus its points clamped
to 0..100, and the overall score is the weighted product of their shares of 100, so a low component
keeps the overall low. Tier and predicted outcome follow from the overall score; all from factors/scoring.yaml."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field

from fdiscreen.assess.finding import DIMENSIONS, Dimension, Finding
from fdiscreen.i18n import Text
from fdiscreen.regime import Regime

Tier = Literal["low", "elevated", "high", "severe"]
Predicted = Literal["clear", "clear_with_conditions", "at_risk"]


class RangeMover(BaseModel):
    """An unknown fact whose answer would move the overall score: its path, the question, and the
    overall score if it were answered the conservative way (all else at the known facts)."""

    path: str
    question: Text
    overall_if_conservative: float


class ScoreRange(BaseModel):
    """The overall score at the known facts (``low``) and at the conservative reading of the unknowns
    in scope (``high``), with the facts that would move it most."""

    low: float
    high: float
    high_tier: Tier
    high_predicted_outcome: Predicted | None = Field(None, description="the predicted outcome at the conservative end (high)")
    crosses_tier: bool
    components_high: dict[Dimension, float]
    unknown: list[str] = Field(default_factory=list, description="paths of the unknown facts read conservatively")
    movers: list[RangeMover] = Field(default_factory=list)


class Scores(BaseModel):
    threat: float
    sensitivity: float
    access: float
    overall: float
    tier: Tier
    predicted_outcome: Predicted
    raw: dict[Dimension, float] = Field(description="the findings' points per component, before the base and the clamp")
    capped: list[Dimension]
    range: ScoreRange | None = None
    formula: dict[str, dict[str, float]] = Field(default_factory=dict, description="the bases, weights and tier cut points used (score_formula)")

    def component(self, d: Dimension) -> float:
        return float(getattr(self, d))


def dimension_sums(findings: list[Finding]) -> dict[Dimension, float]:
    return point_sums([f.points for f in findings])


def point_sums(points: list[dict[str, float]]) -> dict[Dimension, float]:
    return {d: round(sum(p.get(d, 0.0) for p in points), 3) for d in DIMENSIONS}


def score(findings: list[Finding], regime: Regime) -> Scores:
    """Sum the findings' points per component, add the base, clamp, combine into overall, tier, outcome."""
    return score_sums(dimension_sums(findings), regime)


def components(raw: dict[Dimension, float], formula: dict[str, Any]) -> dict[Dimension, float]:
    """Each component: its base plus its findings' points, clamped to 0..cap."""
    cap = float(formula["cap"])
    return {d: min(cap, max(0.0, float(formula["base"][d]) + raw[d])) for d in DIMENSIONS}


def combine(parts: dict[Dimension, float], formula: dict[str, Any]) -> float:
    """Overall = cap x prod((component / cap) ^ weight): a weighted product of the shares."""
    cap = float(formula["cap"])
    if any(parts[d] <= 0 for d in DIMENSIONS):
        return 0.0
    log = sum(float(formula["weights"][d]) * math.log(parts[d] / cap) for d in DIMENSIONS)
    return round(cap * math.exp(log), 1)


def overall_score(raw: dict[Dimension, float], regime: Regime) -> float:
    """The overall score from the per-component sums of findings' points."""
    formula = regime.value("score_formula")
    return combine(components(raw, formula), formula)


def tier_of(overall: float, formula: dict[str, Any]) -> Tier:
    tier: Tier = "low"
    for step in formula["tiers"]:
        if overall >= step["from"]:
            tier = step["tier"]
    return tier


def score_sums(raw: dict[Dimension, float], regime: Regime) -> Scores:
    """Scores from the per-component sums of findings' points."""
    formula = regime.value("score_formula")
    parts = components(raw, formula)
    overall = combine(parts, formula)
    tier = tier_of(overall, formula)
    cap = float(formula["cap"])
    return Scores(threat=round(parts["threat"], 1), sensitivity=round(parts["sensitivity"], 1), access=round(parts["access"], 1),
                  overall=overall, tier=tier, predicted_outcome=formula["outcome_by_tier"][tier], raw=raw,
                  capped=[d for d in DIMENSIONS if float(formula["base"][d]) + raw[d] > cap or float(formula["base"][d]) + raw[d] < 0],
                  formula={"base": {d: float(formula["base"][d]) for d in DIMENSIONS}, "weights": {d: float(formula["weights"][d]) for d in DIMENSIONS},
                           "tiers": {str(step["tier"]): float(step["from"]) for step in formula["tiers"]}})
