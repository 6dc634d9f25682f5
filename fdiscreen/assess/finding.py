"""A Finding: one review consideration applied to one fact of the deal, with its points."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from fdiscreen.filing import Determination
from fdiscreen.filing.target import TargetClassConclusion
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal, Target
from fdiscreen.regime import Citation, Regime, add_citation

Dimension = Literal["threat", "sensitivity", "access"]
"""The three components of risk: the investor's threat (capability and intent), the target's
sensitivity (what it is and does) and the access and control the deal gives."""
DIMENSIONS: tuple[Dimension, ...] = ("threat", "sensitivity", "access")
Factor = Literal["business_content", "investor_attributes", "investment_terms", "board_seats", "technology_access",
                 "proposals", "target_protection", "listing_exposure"]

FACTOR_TEXT: dict[str, Text] = {
    "business_content": T("Target business content", "投資先企業の事業内容"),
    "investor_attributes": T("Investor attributes", "外国投資家の属性"),
    "investment_terms": T("Investment terms", "投資の内容"),
    "board_seats": T("Board and auditor seats", "役員の派遣"),
    "technology_access": T("Access to secret technology information", "秘密技術関連情報へのアクセス"),
    "proposals": T("Proposals on the designated business", "指定業種事業に係る提案"),
    "target_protection": T("Target's own protection", "投資先企業の自衛策"),
    "listing_exposure": T("What listing exposes the company to", "上場に伴うエクスポージャー"),
}


class Evidence(BaseModel):
    """The input a finding rests on: its field path and value."""

    path: str
    value: Any


class Finding(BaseModel):
    """One scored observation. Scores are sums of findings' points."""

    id: str
    factor: Factor
    consideration: str = Field(description="review consideration id (seed 003 grouping), e.g. C2i_officer_seats")
    points: dict[Dimension, float]
    text: Text
    evidence: list[Evidence]
    basis: list[Citation]
    risk_keys: list[str] = Field(default_factory=list, description="risk keys mitigation measures address")
    mitigations: list[str] = Field(default_factory=list, description="ids of measures that address this finding")

    @property
    def total(self) -> float:
        return sum(self.points.values())


@dataclass
class TargetContext:
    """What target-side rules read: the Japanese company, its class (from the determination) and the law."""

    target: Target
    target_class: TargetClassConclusion
    regime: Regime
    weights_item: str = "finding_weights"
    shown: bool = True
    """False for a reading that is scored but never shown (a conservative reading of unknown facts): its
    findings are built without their evidence, citations and measures, only the uses of the items they
    cite being counted."""
    explained: bool = True
    """False for a deal's own findings where they are scored but not shown (a batch row that is not
    explained): built with their measures, without their evidence and citations (the uses counted)."""

    def scales(self, key: str) -> dict[str, Any]:
        """How much of its points a finding whose fact holds only in part counts
        (factors/scoring.yaml ``finding_scales``)."""
        return cast(dict[str, Any], self.regime.value("finding_scales")[key])

    def weights(self, rule: str, scale: float = 1.0) -> dict[Dimension, float]:
        table = self.regime.value(self.weights_item) or {}
        return dict(_weights(_Keyed(table), rule, scale))

    def finding(self, rule: str, factor: Factor, consideration: str, text: Text, evidence: list[tuple[str, Any]],
                basis: list[str], risk_keys: list[str], scale: float = 1.0) -> Finding:
        from fdiscreen.assess.mitigation import measures_for

        cites = [self.regime.cite(self.weights_item), self.regime.cite("review_considerations")]
        cites += [self.regime.cite(b) for b in basis]
        if not self.shown or not self.explained:
            table = self.regime.value(self.weights_item) or {}
            points = _weights(_Keyed(table), rule, scale)
            measures = measures_for(rule, risk_keys, self.regime) if self.shown and sum(p for _, p in points) > 0 else []
            return _unshown(rule, factor, consideration, points, text, tuple(risk_keys), tuple(measures))
        points = self.weights(rule, scale)
        return Finding(id=rule, factor=factor, consideration=consideration, points=points, text=text,
                       evidence=[Evidence(path=p, value=v) for p, v in evidence], basis=_unique(cites), risk_keys=risk_keys,
                       mitigations=measures_for(rule, risk_keys, self.regime) if sum(points.values()) > 0 else [])


@dataclass
class Context(TargetContext):
    """What every deal rule may read: the deal and its determination too (never re-derived)."""

    deal: Deal = field(default=None)  # type: ignore[assignment]
    det: Determination = field(default=None)  # type: ignore[assignment]
    watch_hits: list[Any] = field(default_factory=list)

    @classmethod
    def of(cls, deal: Deal, det: Determination, regime: Regime, watch_hits: list[Any], shown: bool = True,
           explained: bool = True) -> "Context":
        return cls(target=deal.target, target_class=det.target_class, regime=regime, shown=shown, explained=explained, deal=deal, det=det,
                   watch_hits=watch_hits)


class _Keyed:
    """A weights table keyed by its identity (the regime's value, read once per law), for the cache."""

    __slots__ = ("table",)

    def __init__(self, table: dict[str, Any]) -> None:
        self.table = table

    def __hash__(self) -> int:
        return id(self.table)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.table is self.table


@lru_cache(maxsize=4096)
def _weights(table: _Keyed, rule: str, scale: float) -> tuple[tuple[Dimension, float], ...]:
    """A rule's points at a scale: each component's weight times the scale, to 3 decimals."""
    w = table.table[rule]
    return tuple((d, round(float(w.get(d, 0)) * scale, 3)) for d in DIMENSIONS)


@lru_cache(maxsize=1 << 14)
def _unshown(rule: str, factor: Factor, consideration: str, points: tuple[tuple[Dimension, float], ...], text: Text,
             risk_keys: tuple[str, ...], measures: tuple[str, ...]) -> Finding:
    """A finding that is scored but never shown, without evidence or citations (``measures``: those that
    address it, where they are needed): one shared object per distinct finding (no finding is changed
    once made)."""
    return Finding.model_construct(id=rule, factor=factor, consideration=consideration, points=dict(points), text=text, evidence=[],
                                   basis=[], risk_keys=list(risk_keys), mitigations=list(measures))


def _unique(cites: list[Citation]) -> list[Citation]:
    out: list[Citation] = []
    for c in cites:
        add_citation(out, c)
    return out
