"""The risk assessment: the MOF review considerations scored as findings, which add up to three
components (investor threat, target sensitivity, access and control) combined into the overall score;
unknown facts give a range; mitigation applied gives residual risk."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

from fdiscreen.assess import business, investor, proposals, protection, seats, technology, terms
from fdiscreen.assess.combine import Scores, combine, components, overall_score, point_sums, score
from fdiscreen.assess.finding import Context, Dimension, Finding
from fdiscreen.assess.mitigation import catalog, residual, residual_points, residual_points_adding, validate_ids
from fdiscreen.assess.ranges import FindingsFor, Readings, conservative_readings, score_range
from fdiscreen.assess.watchlist import ListEntry, WatchHit, match_deal
from fdiscreen.filing import Determination
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal
from fdiscreen.regime import Regime

RULE_MODULES = (business, investor, terms, seats, technology, proposals, protection)


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


def rule_key(module: object, rule: object) -> str:
    return f"{getattr(module, '__name__', '').rsplit('.', 1)[-1]}.{getattr(rule, '__name__', '')}"


#: every finding rule with its key ("module.rule") and its module's name, in the fixed order they run
RULE_TABLE: tuple[tuple[str, str, Callable[[Context], list[Finding]]], ...] = tuple(
    (rule_key(module, rule), rule_key(module, rule).split(".", 1)[0], rule)
    for module in RULE_MODULES for rule in module.RULES)  # type: ignore[attr-defined]


def _selected(key: str, module: str, rules: set[str] | None) -> bool:
    """Is the rule ``key`` (of ``module``) among ``rules`` (which may name "module.*" or "*")?"""
    return rules is None or "*" in rules or key in rules or f"{module}.*" in rules


def findings_by_rule(ctx: Context, rules: set[str] | None = None) -> dict[str, list[Finding]]:
    """Run the finding rules of the review factors (all, or the named ones), in a fixed order."""
    return {key: rule(ctx) for key, module, rule in RULE_TABLE if _selected(key, module, rules)}


def review_findings(ctx: Context) -> list[Finding]:
    """Every finding of every review factor, in a fixed order."""
    return [f for group in findings_by_rule(ctx).values() for f in group]


def _findings_for(ctx: Context, base: dict[str, list[Finding]]) -> FindingsFor:
    """Findings of another reading of the deal: the named rules re-run, the others' findings kept."""
    def findings_for(deal: Deal, rules: set[str]) -> list[Finding]:
        redone = findings_by_rule(Context.of(deal, ctx.det, ctx.regime, ctx.watch_hits), rules)
        return [f for key, group in base.items() for f in redone.get(key, group)]
    return findings_for


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


def suggest(findings: list[Finding], applied: list[str], regime: Regime, bands: set[str], limit: int = 3) -> list[Suggestion]:
    """Deal-side measures not yet applied, ranked by how much each alone would lower the overall score;
    a measure is left out once the stake reaches a band (``bands``) at which it is not credible."""
    before = residual_points(findings, applied, regime)
    base = overall_score(point_sums(before), regime)
    out = []
    relevant = {mid for f in findings for mid in f.mitigations}
    for mid, m in catalog(regime).items():
        if mid in applied or m.side != "deal" or mid not in relevant or m.not_suggested_from_band in bands:
            continue
        after = overall_score(point_sums(residual_points_adding(findings, before, applied, mid, regime)), regime)
        if after < base:
            out.append(Suggestion(measure=mid, text=m.text, overall_after=after, reduction=round(base - after, 1)))
    return sorted(out, key=lambda s: (-s.reduction, s.measure))[:limit]


def _bands(ctx: Context) -> set[str]:
    """Company-law stake bands the investor's post-deal voting share reaches."""
    return {str(b["id"]) for b in terms.stake_bands_reached(ctx, terms.influence_holding(ctx))}


def with_range(scores: Scores, readings: Readings | None, applied: list[str], regime: Regime) -> Scores:
    """The scores with their range over the unknown facts (scores.range), after the applied measures."""
    formula = regime.value("score_formula")

    def summary_of(found: list[Finding]) -> tuple[dict[Dimension, float], float]:
        parts = components(point_sums(residual_points(found, applied, regime)), formula)
        return parts, combine(parts, formula)
    return scores.model_copy(update={"range": score_range(readings, scores, summary_of, formula)})


def assess(deal: Deal, det: Determination, regime: Regime, watchlists: list[ListEntry] | None = None,
           extra_measures: list[str] | None = None) -> Assessment:
    """Findings, gross scores, and residual scores after the measures offered (deal file) or proposed;
    each with its range where facts are unknown."""
    hits = match_deal(deal, watchlists or [])
    ctx = Context.of(deal, det, regime, hits)
    by_rule = findings_by_rule(ctx)
    findings = [f for group in by_rule.values() for f in group]
    readings = conservative_readings(ctx, findings, _findings_for(ctx, by_rule))
    gross = with_range(score(findings, regime), readings, [], regime)
    measures = catalog(regime)
    applied = list(dict.fromkeys([*deal.transaction.risk_mitigation_measures, *(extra_measures or [])]))
    validate_ids(applied, measures, "--mitigate")
    after = residual(findings, applied, regime)
    result = MitigationResult(applied=applied, applied_text=[measures[m].text for m in applied],
                              residual=with_range(score(after, regime), readings, applied, regime),
                              residual_points={f"{i}:{f.id}": round(f.total, 3) for i, f in enumerate(after)},
                              notification_duty=_notification_duty(det, regime, applied),
                              suggestions=suggest(findings, applied, regime, _bands(ctx)))
    return Assessment(findings=findings, scores=gross, mitigations=result, watchlist_hits=hits)
