"""A Finding: one review consideration applied to one fact of the deal, with its points."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar, cast

import numpy as np

from pydantic import BaseModel, Field

from fdiscreen.filing import Determination
from fdiscreen.filing.target import TargetClassConclusion
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal, Target
from fdiscreen.regime import Citation, Regime, add_citation

C = TypeVar("C")
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


@dataclass(eq=False)
class FindingTable:
    """The rows every finding rule reads, as columns (所見の判定表): row ``k`` is a reading of a deal (its
    facts as stated, or a conservative reading of its unknown facts) with the target, its class (from the
    determination, never re-derived), the determination and watch-list hits, and the regime in which the
    row counts what it uses. A rule takes the table and returns each row's findings; one deal is a table
    of one row, a batch of deals and all their readings is one table. ``deals`` is empty for a table of
    targets alone (a company before listing): only target rules read it.

    ``shown[k]`` False: the row is scored but never shown (a conservative reading), its findings built
    without their evidence, citations and measures, only the uses of the items they cite being counted.
    ``explained[k]`` False: the row's own findings are scored but not shown (a batch row that is not
    explained): built with their measures, without their evidence and citations (the uses counted)."""

    targets: Sequence[Target]
    classes: Sequence[TargetClassConclusion]
    regimes: Sequence[Regime]
    deals: Sequence[Deal] = ()
    dets: Sequence[Determination] = ()
    hits: Sequence[Sequence[Any]] = ()
    shown: Sequence[bool] = ()
    explained: Sequence[bool] = ()
    weights_item: str = "finding_weights"
    _built: dict[str, Any] = field(default_factory=dict, repr=False)
    _read: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def of_deals(cls, deals: Sequence[Deal], dets: Sequence[Determination], regimes: Sequence[Regime], hits: Sequence[Sequence[Any]],
                 shown: Sequence[bool], explained: Sequence[bool]) -> "FindingTable":
        """Readings of deals (``regimes``: each row's own, all of one law: the same :meth:`Regime.law_key`)."""
        return cls([d.target for d in deals], [det.target_class for det in dets], regimes, deals, dets, hits, shown, explained)

    @property
    def n(self) -> int:
        return len(self.targets)

    def column(self, key: str, build: Callable[["FindingTable"], C]) -> C:
        """The column ``key``, built by ``build`` the first time a rule asks for it."""
        if key not in self._built:
            self._built[key] = build(self)
        return self._built[key]

    def target_values(self, getter: Callable[[Target], Any], dtype: Any = object) -> np.ndarray:
        """A column of one fact of each row's target (extraction from the models, not law)."""
        return np.array([getter(t) for t in self.targets], dtype=dtype)

    def deal_values(self, getter: Callable[[Deal], Any], dtype: Any = object) -> np.ndarray:
        """A column of one fact of each row's deal."""
        return np.array([getter(d) for d in self.deals], dtype=dtype)

    def value(self, item_id: str) -> Any:
        """A factor item's value, read once for the table and counted in every row's regime (each row's
        rule reads it)."""
        if item_id not in self._read:
            self._read.add(item_id)
            for regime in {id(r): r for r in self.regimes}.values():
                regime.value(item_id)
        return self.regimes[0].peek(item_id)

    def scales_at(self, row: int, key: str) -> dict[str, Any]:
        """How much of its points a finding whose fact holds only in part counts (factors/scoring.yaml
        ``finding_scales``), read where row ``row``'s rule needs it."""
        return cast(dict[str, Any], self.regimes[row].value("finding_scales")[key])

    def take(self, rows: Sequence[int]) -> "FindingTable":
        """The table of the rows ``rows`` (in that order), its columns built afresh."""
        def pick(values: Sequence[Any]) -> list[Any]:
            return [values[k] for k in rows] if values else []
        return FindingTable(pick(self.targets), pick(self.classes), pick(self.regimes), pick(self.deals), pick(self.dets), pick(self.hits),
                            pick(self.shown), pick(self.explained), self.weights_item)

    def shows(self, row: int) -> bool:
        """Is row ``row`` ever shown (False for a conservative reading)?"""
        return bool(self.shown[row]) if self.shown else True

    def explains(self, row: int) -> bool:
        """Is row ``row`` shown with its explanation (False for a batch row that is not explained)?"""
        return bool(self.explained[row]) if self.explained else True

    def no_findings(self) -> list[list[Finding]]:
        return [[] for _ in range(self.n)]

    def fire(self, holds: np.ndarray, build: Callable[[int], Finding]) -> list[list[Finding]]:
        """Each row's finding where ``holds`` (built by ``build`` for those rows only), none elsewhere."""
        out = self.no_findings()
        for row in np.flatnonzero(holds).tolist():
            out[row].append(build(row))
        return out

    def finding(self, row: int, rule: str, factor: Factor, consideration: str, text: Text, evidence: list[tuple[str, Any]],
                basis: list[str], risk_keys: list[str], scale: float = 1.0) -> Finding:
        """Row ``row``'s finding of ``rule``: its points from the weights at ``scale``, with its evidence,
        citations and the measures that address it as the row is shown."""
        regime = self.regimes[row]
        cites = [regime.cite(self.weights_item), regime.cite("review_considerations")]
        cites += [regime.cite(b) for b in basis]
        table = regime.value(self.weights_item) or {}
        points = _weights(_Keyed(table), rule, scale)
        shown = self.shows(row)
        if not shown or not self.explains(row):
            measures = measures_for(rule, risk_keys, regime) if shown and sum(p for _, p in points) > 0 else []
            return _unshown(rule, factor, consideration, points, text, tuple(risk_keys), tuple(measures))
        return Finding(id=rule, factor=factor, consideration=consideration, points=dict(points), text=text,
                       evidence=[Evidence(path=p, value=v) for p, v in evidence], basis=_unique(cites), risk_keys=risk_keys,
                       mitigations=measures_for(rule, risk_keys, regime) if sum(p for _, p in points) > 0 else [])


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


# imported last: the measures module builds on Finding above (a cycle resolved once, not per finding)
from fdiscreen.assess.mitigation import measures_for  # noqa: E402
