"""The risk assessment: the MOF review considerations scored as findings, which add up to three
components (investor threat, target sensitivity, access and control) combined into the overall score;
unknown facts give a range; mitigation applied gives residual risk.

A batch is assessed in two steps: each deal's findings, at its known facts and at each conservative
reading of its unknowns, are found with every finding rule run once over the table of the deals and once
over the table of their readings (:func:`find_many`); then every score of every deal (gross and
residual, each reading's range, each suggested measure's effect) is computed over one long table of all
their findings (:func:`assess_found`, :class:`~fdiscreen.assess.combine.PointTable`). :func:`assess`
is a batch of one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from pydantic import BaseModel, Field

from fdiscreen.assess import terms
from fdiscreen.assess.combine import TIERS, PointTable, ScoreColumns, Scores, point_sums
from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.assess.mitigation import Residuals, catalog, validate_ids
from fdiscreen.assess.ranges import Readings, Summary, conservative_readings, score_range
from fdiscreen.assess.rules import findings_by_rule, flat
from fdiscreen.assess.watchlist import ListEntry, WatchHit, match_deal
from fdiscreen.filing import Determination
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal
from fdiscreen.regime import Regime


class Suggestion(BaseModel):
    measure: str
    text: Text
    overall_after: float
    reduction: float


class MitigationResult(BaseModel):
    applied: list[str]
    applied_text: list[Text]
    residual: Scores
    residual_points: dict[str, float] = Field(default_factory=dict, description="finding id -> residual total points")
    notification_duty: Text | None = None
    suggestions: list[Suggestion] = Field(default_factory=list)


class Assessment(BaseModel):
    findings: list[Finding]
    scores: Scores
    mitigations: MitigationResult
    watchlist_hits: list[WatchHit] = Field(default_factory=list)


def _notification_duty(det: Determination, regime: Regime, applied: list[str]) -> Text | None:
    """The 2026 amendment's duty to state mitigation measures in the notification and pre-notify changes."""
    if not applied or det.must_file.status == "no":
        return None
    regime.cite("risk_mitigation_notification")
    if regime.in_force("risk_mitigation_notification"):
        return T("Under the 2026 amendment these measures must be stated in the prior notification, and any change to them notified in advance.",
                 "2026年改正により、これらの措置は事前届出に記載し、その変更は事前に届け出なければならない。")
    when = regime.value("amendment_2026_effective_date")
    return T(f"Once the 2026 amendment is in force (assumed {when}) these measures must be stated in the notification and changes pre-notified; until then they are offered in practice.",
             f"2026年改正の施行後（仮定{when}）は、これらの措置を届出に記載し変更を事前届出する義務が生じる。それまでは実務上の申出となる。")


@dataclass
class Found:
    """One deal's findings at its known facts and at the conservative readings of its unknown facts, with
    the measures applied: the deal-by-deal part of the assessment, before any score."""

    det: Determination
    findings: list[Finding]
    readings: Readings | None
    applied: list[str]
    hits: list[WatchHit]
    bands: set[str]
    notification_duty: Text | None
    regime: Regime

    @property
    def scored_readings(self) -> list[list[Finding]]:
        """The readings the score range is worked from: every unknown read conservatively, then each alone."""
        if self.readings is None:
            return []
        return [self.readings.all, *(found for _, _, found in self.readings.single)]


def find(deal: Deal, det: Determination, regime: Regime, watchlists: list[ListEntry] | None = None,
         extra_measures: list[str] | None = None, explained: bool = True) -> Found:
    """The deal's findings and readings, and the measures offered (deal file) or proposed (checked): a
    batch of one (:func:`find_many`). ``explained=False``: the findings are for scoring only, without
    their evidence and citations."""
    found = find_many([deal], [det], [regime], watchlists, extra_measures, explained)[0]
    if isinstance(found, Exception):
        raise found
    return found


def find_many(deals: Sequence[Deal], dets: Sequence[Determination], regimes: Sequence[Regime], watchlists: list[ListEntry] | None = None,
              extra_measures: list[str] | None = None, explained: bool = True) -> list[Found | Exception]:
    """Each deal's findings at its known facts and at the conservative readings of its unknowns: every
    rule run once over the table of the deals of one law, and once over the table of all their
    readings. When a table's rules fail, each of its deals is found alone, so one bad deal keeps its
    own error and costs the others nothing."""
    out: list[Found | Exception | None] = [None] * len(deals)
    laws: dict[tuple[object, ...], list[int]] = {}
    for k, regime in enumerate(regimes):
        laws.setdefault(regime.law_key(), []).append(k)
    for idx in laws.values():
        _find_group(deals, dets, regimes, idx, watchlists, extra_measures, explained, out)
    assert all(f is not None for f in out), "every deal is found or has its error"
    return cast(list[Found | Exception], out)


def _find_group(deals: Sequence[Deal], dets: Sequence[Determination], regimes: Sequence[Regime], idx: list[int],
                watchlists: list[ListEntry] | None, extra_measures: list[str] | None, explained: bool,
                out: list[Found | Exception | None]) -> None:
    """The deals ``idx`` (of one law) found together into ``out``; alone, each in its own try, if they cannot be."""
    try:
        found = _found_together([deals[k] for k in idx], [dets[k] for k in idx], [regimes[k] for k in idx], watchlists, extra_measures,
                                explained)
    except Exception as exc:  # noqa: BLE001 - each deal is then found alone, and keeps its own error
        if len(idx) == 1:
            out[idx[0]] = exc
            return
        for k in idx:
            _find_group(deals, dets, regimes, [k], watchlists, extra_measures, explained, out)
        return
    for k, f in zip(idx, found):
        out[k] = f


def _found_together(deals: list[Deal], dets: list[Determination], regimes: list[Regime], watchlists: list[ListEntry] | None,
                    extra_measures: list[str] | None, explained: bool) -> list[Found]:
    hits = [match_deal(deal, watchlists or []) for deal in deals]
    table = FindingTable.of_deals(deals, dets, regimes, hits, [True] * len(deals), [explained] * len(deals))
    by_rule = findings_by_rule(table)
    findings = [flat(b) for b in by_rule]
    readings = conservative_readings(table, findings, by_rule)
    bands = terms.bands_reached(table)
    out = []
    for k, deal in enumerate(deals):
        applied = list(dict.fromkeys([*deal.transaction.risk_mitigation_measures, *(extra_measures or [])]))
        validate_ids(applied, catalog(regimes[k]), "--mitigate")
        out.append(Found(dets[k], findings[k], readings[k], applied, hits[k], {str(b["id"]) for b in bands[k]},
                         _notification_duty(dets[k], regimes[k], applied), regimes[k]))
    return out


def _law_key(regime: Regime) -> tuple[int, int, int]:
    """Deals whose scores read the same formula, measures and effects are scored in one table."""
    return (id(regime.value("score_formula")), id(regime.value("risk_mitigation_measures")), id(regime.value("mitigation_effects")))


@dataclass(eq=False)
class _Scored:
    """A group's scores: the known readings' gross and residual columns (deal ``i``'s findings are rows
    ``known_first[i]`` onwards of the residual points), and the range readings' (rows ``range_first[i]``
    onwards are deal ``i``'s), with the suggestions per deal."""

    known_first: list[int]
    gross: ScoreColumns
    residual: ScoreColumns
    residual_points: np.ndarray
    range_gross: ScoreColumns
    range_residual: ScoreColumns
    range_first: list[int]
    suggestions: list[list[Suggestion]]


def _score_group(group: Sequence[Found], regime: Regime, limit: int = 3) -> _Scored:
    """Every score of the deals of one law, over one table of their known findings and one of their range readings."""
    formula = regime.value("score_formula")
    measures = catalog(regime)
    candidates = [mid for mid, m in measures.items() if m.side == "deal"]
    known = PointTable.of([f.findings for f in group])
    after = Residuals.of(known, [f.applied for f in group], regime, candidates)
    before = after.points()
    gross = ScoreColumns.of(point_sums(known), formula)
    residual = ScoreColumns.of(point_sums(known, before), formula)
    per_deal = [f.scored_readings for f in group]
    range_first = np.cumsum([0, *(len(r) for r in per_deal)]).tolist()
    ranges = PointTable.of([found for readings in per_deal for found in readings])
    range_applied = [f.applied for f, readings in zip(group, per_deal) for _ in readings]
    range_gross = ScoreColumns.of(point_sums(ranges), formula)
    range_residual = ScoreColumns.of(point_sums(ranges, Residuals.of(ranges, range_applied, regime).points()), formula)
    known_first = np.cumsum([0, *(len(f.findings) for f in group)]).tolist()
    return _Scored(known_first, gross, residual, before, range_gross, range_residual, range_first,
                   _suggestions(group, known, after, before, residual.overall, regime, candidates, limit))


#: the most finding rows scored in one table when suggested measures are tried together (a memory bound)
STACKED_ROWS = 1_000_000


def _suggestions(group: Sequence[Found], known: PointTable, after: Residuals, before: np.ndarray, base: np.ndarray, regime: Regime,
                 candidates: list[str], limit: int) -> list[list[Suggestion]]:
    """Deal-side measures not yet applied, ranked by how much each alone would lower the overall score;
    a measure is left out once the stake reaches a band at which it is not credible (not_suggested_from_band).
    Only the ``limit`` best of each deal are made into Suggestions."""
    formula = regime.value("score_formula")
    measures = catalog(regime)
    relevant = [{mid for f in found.findings for mid in f.mitigations} for found in group]
    open_to = {mid: [i for i, found in enumerate(group) if mid not in found.applied and mid in relevant[i]
                     and measures[mid].not_suggested_from_band not in found.bands] for mid in candidates}
    tried = [mid for mid in candidates if open_to[mid]]
    if not tried:
        return [[] for _ in group]
    out: list[list[tuple[float, str, float]]] = [[] for _ in group]  # each deal's (reduction, measure, overall after)
    # the measures tried together: one table whose c-th block of readings is the group with measure c added,
    # as many measures at a time as keep that table within STACKED_ROWS rows
    n = known.readings
    at_once = max(1, STACKED_ROWS // max(1, len(known.findings)))
    for start in range(0, len(tried), at_once):
        block = tried[start:start + at_once]
        stacked = PointTable(np.concatenate([known.owner + c * n for c in range(len(block))]),
                             np.concatenate([after.adding(mid, before) for mid in block]), known.findings * len(block), n * len(block))
        overall = ScoreColumns.of(point_sums(stacked), formula).overall.reshape(len(block), n)
        for c, mid in enumerate(block):
            rows = np.asarray(open_to[mid], dtype=np.int64)
            rows = rows[overall[c, rows] < base[rows]]  # the deals the measure would lower
            for i, now, was in zip(rows.tolist(), overall[c, rows].tolist(), base[rows].tolist()):
                out[i].append((round(was - now, 1), mid, now))
    return [[Suggestion(measure=mid, text=measures[mid].text, overall_after=after, reduction=cut)
             for cut, mid, after in sorted(s, key=lambda x: (-x[0], x[1]))[:limit]] for s in out]


def _summary(columns: ScoreColumns, k: int) -> Summary:
    return columns.parts[k], float(columns.overall[k]), TIERS[int(columns.tier[k])]


def _assessment(found: Found, scored: _Scored, i: int) -> Assessment:
    """Deal ``i`` of a scored group as its Assessment."""
    regime = found.regime
    formula = regime.value("score_formula")
    lo, hi = scored.range_first[i], scored.range_first[i + 1]

    def with_range(columns: ScoreColumns, ranges: ScoreColumns) -> Scores:
        if found.readings is None:
            return columns.scores(i)
        alone = [float(ranges.overall[k]) for k in range(lo + 1, hi)]
        known = (float(columns.overall[i]), TIERS[int(columns.tier[i])])
        return columns.scores(i, score_range(found.readings, known, _summary(ranges, lo), alone, formula))

    measures = catalog(regime)
    points = [sum(p) for p in scored.residual_points[scored.known_first[i]:scored.known_first[i + 1]].tolist()]
    result = MitigationResult(applied=found.applied, applied_text=[measures[m].text for m in found.applied],
                              residual=with_range(scored.residual, scored.range_residual),
                              residual_points={f"{n}:{f.id}": round(p, 3) for n, (f, p) in enumerate(zip(found.findings, points))},
                              notification_duty=found.notification_duty, suggestions=scored.suggestions[i])
    return Assessment(findings=found.findings, scores=with_range(scored.gross, scored.range_gross), mitigations=result,
                      watchlist_hits=found.hits)


def assess_found(founds: Sequence[Found | Exception]) -> list[Assessment | Exception]:
    """Score the deals found (an Exception stands for a deal whose findings failed, and is passed on):
    the deals of each law in one table; when a table cannot be scored, each of its deals alone."""
    out: list[Assessment | Exception | None] = [f if isinstance(f, Exception) else None for f in founds]
    groups: dict[tuple[int, int, int], list[int]] = {}
    for k, f in enumerate(founds):
        if not isinstance(f, Exception):
            groups.setdefault(_law_key(f.regime), []).append(k)
    for idx in groups.values():
        _assess_group([cast(Found, founds[k]) for k in idx], idx, out)
    assert all(a is not None for a in out), "every deal is assessed or has its error"
    return cast(list[Assessment | Exception], out)


def _assess_group(group: list[Found], idx: list[int], out: list[Assessment | Exception | None]) -> None:
    """Deals of one law scored together into ``out`` (at ``idx``); alone, each in its own try, if they cannot be."""
    try:
        scored = _score_group(group, group[0].regime)
    except Exception as exc:  # noqa: BLE001 - each deal is then scored alone, and keeps its own error
        if len(group) == 1:
            out[idx[0]] = exc
            return
        for found, k in zip(group, idx):
            _assess_group([found], [k], out)
        return
    for i, (found, k) in enumerate(zip(group, idx)):
        try:
            out[k] = _assessment(found, scored, i)
        except Exception as exc:  # noqa: BLE001 - returned to the caller, deal by deal
            out[k] = exc


def assess(deal: Deal, det: Determination, regime: Regime, watchlists: list[ListEntry] | None = None,
           extra_measures: list[str] | None = None) -> Assessment:
    """Findings, gross scores, and residual scores after the measures offered (deal file) or proposed;
    each with its range where facts are unknown (a batch of one)."""
    result = assess_found([find(deal, det, regime, watchlists, extra_measures)])[0]
    if isinstance(result, Exception):
        raise result
    return result
