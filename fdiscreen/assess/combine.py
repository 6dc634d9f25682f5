"""Scores are built from findings: each finding adds points to one of three components (investor
threat, target sensitivity, access and control), each component is its base plus its points clamped
to 0..100, and the overall score is the weighted product of their shares of 100, so a low component
keeps the overall low. Tier and predicted outcome follow from the overall score; all from factors/scoring.yaml.

Every score is computed over a long table of findings (:class:`PointTable`: one row per finding, keyed
by the reading it belongs to, OpenFisca's group entity): a batch of deals, and each deal's other
readings of its unknown facts, are scored in one pass; one deal is a table of one reading."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
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


@dataclass(frozen=True, eq=False)
class PointTable:
    """Findings' points as a long table (所見の点数表): row ``j`` is finding ``findings[j]`` of reading
    ``owner[j]``, its points in ``points[j]`` (threat, sensitivity, access). A reading is one deal's
    findings at one reading of its facts; readings with no finding have no row."""

    owner: np.ndarray
    points: np.ndarray
    findings: list[Finding]
    readings: int

    @classmethod
    def of(cls, readings: Sequence[Sequence[Finding]]) -> "PointTable":
        flat = [f for found in readings for f in found]
        owner = np.repeat(np.arange(len(readings), dtype=np.intp), [len(found) for found in readings])
        points = np.array([[f.points.get(d, 0.0) for d in DIMENSIONS] for f in flat], dtype=np.float64).reshape(len(flat), len(DIMENSIONS))
        return cls(owner, points, flat, len(readings))

    @property
    def totals(self) -> np.ndarray:
        """Each finding's total points (threat + sensitivity + access, added in that order)."""
        return total_points(self.points)


def total_points(points: np.ndarray) -> np.ndarray:
    """Row totals added component by component, in the order of DIMENSIONS (as ``sum`` adds them)."""
    out = np.zeros(len(points))
    for k in range(points.shape[1]):
        out = out + points[:, k]
    return out


def python_round(values: np.ndarray, digits: int) -> np.ndarray:
    """Each value as Python's ``round(x, digits)`` gives it: numpy's scaled rounding, with the values whose
    scaled fraction lies next to one half (where scaling may have moved it across) rounded by Python."""
    out = np.round(values, digits)
    scaled = values * 10.0 ** digits
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    flat_in, flat_out = values.reshape(-1), out.reshape(-1)
    for i in near:
        flat_out[i] = round(float(flat_in[i]), digits)
    return out


def point_sums(table: PointTable, points: np.ndarray | None = None) -> np.ndarray:
    """The points per reading and component (``points``, else the table's), rounded to 3 places."""
    pts = table.points if points is None else points
    sums = np.column_stack([np.bincount(table.owner, weights=pts[:, k], minlength=table.readings) for k in range(len(DIMENSIONS))])
    return python_round(sums.reshape(table.readings, len(DIMENSIONS)), 3)


def _vector(formula: dict[str, Any], key: str) -> np.ndarray:
    return np.array([float(formula[key][d]) for d in DIMENSIONS])


def components(raw: np.ndarray, formula: dict[str, Any]) -> np.ndarray:
    """Each component: its base plus its findings' points, clamped to 0..cap (one row per reading)."""
    return np.minimum(float(formula["cap"]), np.maximum(0.0, _vector(formula, "base") + raw))


def combine(parts: np.ndarray, formula: dict[str, Any]) -> np.ndarray:
    """Overall = cap x prod((component / cap) ^ weight): a weighted product of the shares, rounded to one
    place, per row; zero when a component is. Each row's score is the float the math library gives for
    it (numpy's logarithms and exponentials may differ from it in the last bit, so a row whose score
    lies next to a rounding boundary is worked again with the math library): the same however many
    deals are scored with it."""
    cap = float(formula["cap"])
    w = [float(formula["weights"][d]) for d in DIMENSIONS]
    zero = np.any(parts <= 0, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        log = w[0] * np.log(parts[:, 0] / cap)
        for k in range(1, len(DIMENSIONS)):
            log = log + w[k] * np.log(parts[:, k] / cap)
        unrounded = cap * np.exp(log)
    out = np.where(zero, 0.0, np.round(unrounded, 1))
    scaled = unrounded * 10.0
    near = np.flatnonzero(~zero & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6))
    for i in near:
        out[i] = round(cap * math.exp(sum(wd * math.log(x / cap) for wd, x in zip(w, parts[i].tolist()))), 1)
    return out


TIERS: tuple[Tier, ...] = ("low", "elevated", "high", "severe")


def tier_codes(overall: np.ndarray, formula: dict[str, Any]) -> np.ndarray:
    """Each overall score's tier as its index in TIERS: the last cut point it reaches (low below all)."""
    codes = np.zeros(len(overall), dtype=np.int8)
    for step in formula["tiers"]:
        codes[overall >= step["from"]] = TIERS.index(step["tier"])
    return codes


@dataclass(frozen=True, eq=False)
class ScoreColumns:
    """The scores of every reading of a table under one formula: points per component (``raw``),
    components, overall, tier (an index in TIERS)."""

    formula: dict[str, Any]
    raw: np.ndarray
    parts: np.ndarray
    overall: np.ndarray
    tier: np.ndarray

    @classmethod
    def of(cls, raw: np.ndarray, formula: dict[str, Any]) -> "ScoreColumns":
        parts = components(raw, formula)
        overall = combine(parts, formula)
        return cls(formula, raw, parts, overall, tier_codes(overall, formula))

    def scores(self, k: int, score_range: ScoreRange | None = None) -> Scores:
        """Reading ``k``'s scores, with its range where facts are unknown. Built from values already of
        the model's types, so without validating them again."""
        formula = self.formula
        raw = dict(zip(DIMENSIONS, self.raw[k].tolist()))
        parts = self.parts[k].tolist()
        base, cap = [float(formula["base"][d]) for d in DIMENSIONS], float(formula["cap"])
        tier = TIERS[int(self.tier[k])]
        return Scores.model_construct(
            threat=round(parts[0], 1), sensitivity=round(parts[1], 1), access=round(parts[2], 1), overall=float(self.overall[k]),
            tier=tier, predicted_outcome=formula["outcome_by_tier"][tier], raw=raw,
            capped=[d for b, d in zip(base, DIMENSIONS) if b + raw[d] > cap or b + raw[d] < 0], range=score_range,
            formula={"base": dict(zip(DIMENSIONS, base)), "weights": {d: float(formula["weights"][d]) for d in DIMENSIONS},
                     "tiers": {str(step["tier"]): float(step["from"]) for step in formula["tiers"]}})


def score(findings: list[Finding], regime: Regime) -> Scores:
    """Sum the findings' points per component, add the base, clamp, combine into overall, tier, outcome."""
    formula = regime.value("score_formula")
    table = PointTable.of([findings])
    return ScoreColumns.of(point_sums(table), formula).scores(0)
