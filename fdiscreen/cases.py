"""The historical case library: load, replay under the rules of a date, evaluate against outcomes.

Each file in ``cases/`` is a deal plus a ``case:`` block (decision date, reviewing jurisdiction,
actual outcome, rationale, sources, confidence). Foreign cases are replayed as if the same deal had
targeted a Japanese company in the same business. The scoring model is never tuned to cases: the
replay reports what it gets wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fdiscreen.clock import japan_today
from fdiscreen.assess.ranges import resolve_path
from fdiscreen.errors import FdiscreenError
from fdiscreen.i18n import T, Text
from fdiscreen.load import parse_deal, read_mapping, validation_error
from fdiscreen.model import Deal
from fdiscreen.regime import bundled_dir, make_regime
from fdiscreen.screening import Screening, screen

Outcome = Literal["blocked", "divest_order", "withdrawn_under_opposition", "restricted", "cleared_with_conditions", "cleared",
                  "recommendation_to_halt", "post_investment_intervention"]
Rules = Literal["decision-date", "today", "amended"]
RULES: tuple[str, ...] = get_args(Rules)
ActualClass = Literal["at_risk", "clear_with_conditions", "clear"]

#: how a government outcome maps onto fdiscreen's predicted-outcome classes (label rules: cases/README.md)
OUTCOME_CLASS: dict[str, ActualClass] = {
    "blocked": "at_risk", "divest_order": "at_risk", "withdrawn_under_opposition": "at_risk", "recommendation_to_halt": "at_risk",
    "post_investment_intervention": "at_risk", "restricted": "at_risk", "cleared_with_conditions": "clear_with_conditions",
    "cleared": "clear",
}


#: the outcomes' names for people (plots, pages), from the mildest to the most severe
OUTCOME_NAMES: dict[str, Text] = {
    "cleared": T("cleared", "承認"), "cleared_with_conditions": T("cleared with conditions", "条件付き承認"),
    "restricted": T("restricted", "制限付き"),
    "withdrawn_under_opposition": T("withdrawn under opposition", "反対を受け撤回"),
    "recommendation_to_halt": T("recommendation to halt", "中止勧告"), "blocked": T("blocked", "禁止"),
    "divest_order": T("divestment ordered", "売却命令"), "post_investment_intervention": T("post-investment intervention", "投資後の介入"),
}

PLOT_TEXT: dict[str, Text] = {
    "score_axis": T("overall score (0-100)", "総合点（0〜100）"),
    "score_title": T("Overall score by actual outcome ({rules} rules; bar = mean)", "実際の結果別の総合点（{rules}ルール、横線＝平均）"),
    "roc_label": T("overall score, AUC {auc} (95% CI {lo}-{hi})", "総合点、AUC {auc}（95%信頼区間 {lo}〜{hi}）"),
    "chance": T("chance", "偶然"),
    "fpr": T("false positive rate (cleared cases flagged)", "偽陽性率（承認事例を要警戒と判定）"),
    "tpr": T("true positive rate (blocked/withdrawn flagged)", "真陽性率（禁止・撤回事例を要警戒と判定）"),
    "roc_title": T("ROC: {pos} at-risk vs {neg} cleared", "ROC：リスクあり{pos}件 対 承認{neg}件"),
    "calibration_title": T("Calibration: share blocked by predicted tier", "較正：予測ティア別の阻止等の割合"),
    "tier_axis": T("predicted tier (cases)", "予測ティア（件数）"),
    "share_axis": T("share of cases blocked, restricted or withdrawn", "阻止・制限・撤回の割合"),
}

SourceKind = Literal["official", "court", "law", "press", "law_firm", "academic", "company", "other"]


class CaseSource(BaseModel):
    """One source of a case's facts; cited from ``fact_sources`` by its 1-based position."""

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(description="title or description of the source")
    url: str | None = None
    kind: SourceKind


class ReviewContext(BaseModel):
    """How the deal met the reviewing authority; recorded for research, not read by the score."""

    model_config = ConfigDict(extra="forbid")

    notified_before_closing: bool | None = None
    called_in_after_completion: bool | None = None
    mitigation_offered: bool | None = None
    mitigation_refused: bool | None = Field(None, description="the authority judged the measures offered insufficient")


#: facts every case file states explicitly: a sourced value, or null when the sources are silent
KEY_FACTS: tuple[str, ...] = (
    "transaction.board_seats", "transaction.technology_access.non_public_technology_information",
    "target.defence_supplier", "target.export_controlled", "target.critical_minerals", "target.critical_infrastructure_operator",
    "target.sensitive_personal_data_subjects", "target.near_defence_site", "target.single_source_supplier", "target.government_funded_research",
    "acquirer.state_owned_pct", "acquirer.military_links", "acquirer.security_list_designations",
    "acquirer.information_cooperation_duty",
)
#: values that look like a default ("none", "no"): a key fact stated so must cite a source for that very field
DEFAULT_LIKE: tuple[Any, ...] = (0, False, [], 0.0)


class CaseMeta(BaseModel):
    """The ``case:`` block of a case file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    decision_date: dt.date | None
    decision_date_precision: Literal["day", "month", "unknown"]
    announced_date: dt.date | None = None
    jurisdiction: str
    additional_jurisdictions: list[str] = Field(default_factory=list)
    review_regime: str
    outcome: Outcome | None
    group: Literal["A", "B", "C"]
    fefta_central: bool
    original_target_country: str
    replayed_as_japanese_target: bool
    stated_rationale: str | None
    outcome_detail: str | None
    mitigation: str | None = None
    review_context: ReviewContext = Field(default_factory=ReviewContext)
    sources: list[CaseSource] = Field(min_length=1)
    fact_sources: dict[str, list[int]] = Field(
        default_factory=dict, description="deal field path or block (target, transaction, entities[1]) -> source numbers (1-based)")
    confidence: Literal["high", "medium", "low"]
    unknown_facts: list[str] = Field(default_factory=list, description="fields the schema cannot leave null whose value is not known")
    encoding_notes: str | None = None


@dataclass(frozen=True)
class Case:
    meta: CaseMeta
    deal: Deal
    path: Path

    @property
    def date(self) -> dt.date | None:
        return self.meta.decision_date or self.meta.announced_date


def default_dir() -> Path:
    """The case library shipped inside the package (fdiscreen/cases/)."""
    return bundled_dir("cases")


def load_case(path: Path) -> Case:
    """Read one case file: the ``case:`` block and the deal, with the same clear errors as any deal file;
    then the evidence rules (every key fact stated, a default-looking value sourced) and the label rules."""
    data = read_mapping(path)
    raw_meta = data.pop("case", None)
    if not isinstance(raw_meta, dict):
        raise FdiscreenError("no `case:` block", file=str(path), path="case", expected="a mapping with id, decision_date, outcome, sources ...")
    try:
        meta = CaseMeta.model_validate(raw_meta)
    except ValidationError as exc:
        err = validation_error(exc, str(path))
        raise FdiscreenError(err.message, file=str(path), path=f"case.{err.path}", expected=err.expected) from None
    if meta.id != path.stem:
        raise FdiscreenError(f"case id {meta.id!r} differs from the file name", file=str(path), path="case.id", expected=path.stem)
    deal = parse_deal(data, str(path))
    check_evidence(data, deal, meta, str(path))
    check_label(meta, str(path))
    return Case(meta=meta, deal=deal, path=path)


def _lookup(data: Any, path: str) -> tuple[bool, Any]:
    """(present, value) of a dotted path with [i] indices in the raw file."""
    node = data
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False, None
    return True, node


def _sources_for(meta: CaseMeta, path: str, exact: bool) -> list[int]:
    """Source numbers recorded for a field: its own entry, or (unless ``exact``) an enclosing block's."""
    if exact:
        return meta.fact_sources.get(path, [])
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        if (found := meta.fact_sources.get(".".join(parts[:n]))) is not None:
            return found
    return []


def check_evidence(data: dict[str, Any], deal: Deal, meta: CaseMeta, file: str) -> None:
    """Every key fact is written out (null when the sources are silent, never left to a default); a
    stated value has a source, and a default-looking one (0, false, none) a source for that very field;
    every source number exists."""
    for key, numbers in meta.fact_sources.items():
        bad = [n for n in numbers if not 1 <= n <= len(meta.sources)]
        if bad or not numbers:
            raise FdiscreenError(f"fact source numbers {bad or numbers} do not name a source", file=file, path=f"case.fact_sources.{key}",
                                 expected=f"numbers from 1 to {len(meta.sources)} (positions in case.sources)")
    if deal.transaction.kind == "indirect_acquisition":
        keys = [k for k in KEY_FACTS if not k.startswith("transaction.")] + ["transaction.indirect.acquirer_voting_after_pct"]
    else:
        keys = [*KEY_FACTS, "transaction.shares_after_pct"]
    for key in keys:
        path = resolve_path(deal, key)
        present, value = _lookup(data, path)
        if not present:
            raise FdiscreenError("key fact not stated", file=file, path=path,
                                 expected="the value the sources give, with case.fact_sources naming them, or null when they are silent")
        if value is None:
            continue
        exact = value in DEFAULT_LIKE
        if not _sources_for(meta, path, exact):
            raise FdiscreenError(f"{value!r} has no source", file=file, path=path,
                                 expected=(f"case.fact_sources.{path}: the sources that say so (a 'none' or 'no' needs its own entry), "
                                           "or null if they are silent") if exact else f"case.fact_sources entry for {path} or its block")


def check_label(meta: CaseMeta, file: str) -> None:
    """The label rule a file shows by itself: the group agrees with the outcome (A at risk, B cleared,
    C no formal decision). That the acquirer is a foreign investor is checked on the determination
    (tests/test_cases.py)."""
    group = "C" if meta.outcome is None else "A" if OUTCOME_CLASS[meta.outcome] == "at_risk" else "B"
    if meta.group != group:
        raise FdiscreenError(f"group {meta.group} does not match outcome {meta.outcome}", file=file, path="case.group", expected=group)


def load_cases(folder: str | Path | None = None) -> list[Case]:
    base = Path(folder) if folder else default_dir()
    if not base.is_dir():
        raise FdiscreenError("not a folder", file=str(base), expected="a folder of case files (*.yaml)")
    files = sorted(base.glob("*.yaml")) + sorted(base.glob("*.json"))
    if not files:
        raise FdiscreenError("no case files in the folder", file=str(base), expected="a folder of case files (*.yaml or *.json)")
    return [load_case(p) for p in files]


def load(folder: str | Path | None = None) -> pd.DataFrame:
    """The library as a DataFrame, one row per case."""
    rows = []
    for c in load_cases(folder):
        m, d = c.meta, c.deal
        acq = d.entity(d.acquirer)
        rows.append({"case": m.id, "title": m.title, "date": c.date, "date_precision": m.decision_date_precision,
                     "jurisdiction": m.jurisdiction, "group": m.group, "outcome": m.outcome, "actual_class": OUTCOME_CLASS.get(m.outcome or ""),
                     "fefta_central": m.fefta_central, "acquirer": acq.name, "acquirer_country": acq.jurisdiction, "target": d.target.name,
                     "original_target_country": m.original_target_country, "replayed_as_japanese_target": m.replayed_as_japanese_target,
                     "stake_after_pct": d.transaction.shares_after_pct, "confidence": m.confidence, "sources": len(m.sources),
                     "unknown_facts": len(m.unknown_facts)})
    return pd.DataFrame(rows)


def replay_date(case: Case, rules: Rules, today: dt.date) -> dt.date:
    """Which law a case is judged under: its decision date (today when the date is unknown) for
    ``decision-date``; today's law for ``today``; today's law with the 2026 amendment in force for ``amended``."""
    if rules != "decision-date" or case.date is None:
        return today
    return case.date


def replay_regime_args(rules: Rules, as_of: dt.date) -> dict[str, Any]:
    """``amended`` assumes the 2026 amendment effective on the as-of date (a labelled assumption)."""
    return {"amendment_effective": as_of} if rules == "amended" else {}


def replay_one(case: Case, rules: Rules, today: dt.date) -> Screening:
    as_of = replay_date(case, rules, today)
    return screen(case.deal, as_of=as_of, **replay_regime_args(rules, as_of))


def replay_row(case: Case, s: Screening, rules: Rules) -> dict[str, Any]:
    f = s.filing
    actual = OUTCOME_CLASS.get(case.meta.outcome or "")
    top = sorted(s.findings, key=lambda x: -x.total)[:3]
    rg = s.scores.range
    return {
        "case": case.meta.id, "date": case.date, "decade": f"{case.date.year // 10 * 10}s" if case.date else None,
        "as_of": s.regime.as_of, "rules": rules, "jurisdiction": case.meta.jurisdiction,
        "replayed_as_japanese_target": case.meta.replayed_as_japanese_target, "group": case.meta.group,
        "actual_outcome": case.meta.outcome, "actual_class": actual,
        "filing": f.outcome.code, "prior_notification": f.prior_notification_required.status, "must_file": f.must_file.status,
        "exemption": f.exemption.eligible, "indirect_acquisition": f.indirect_acquisition.status,
        "foreign_investor": f.foreign_investor.status,
        "threat": s.scores.threat, "sensitivity": s.scores.sensitivity, "access": s.scores.access, "overall": s.scores.overall,
        "overall_high": rg.high if rg else s.scores.overall, "tier": s.scores.tier, "predicted": s.scores.predicted_outcome,
        "agreement": None if actual is None else actual == s.scores.predicted_outcome,
        "top_findings": [f"{x.id} ({x.total:+.0f})" for x in top],
        "confidence": case.meta.confidence,
    }


def replay(folder: str | Path | None = None, rules: Rules = "decision-date", today: dt.date | None = None) -> pd.DataFrame:
    """Screen every case under the chosen rules; one row per case."""
    day = today or japan_today()
    return pd.DataFrame([replay_row(c, replay_one(c, rules, day), rules) for c in load_cases(folder)])


# -- evaluation -------------------------------------------------------------------------------

#: bootstrap resamples and seed: fixed, so the same library gives the same interval
BOOTSTRAP = 2000
SEED = 20261201
#: no parameter of the score is fitted to the library (weights are written from their rationale,
#: factors/scoring.yaml); a fitted parameter would be listed here and cross-validated
FITTED_PARAMETERS: list[str] = []


def _split(scores: list[float], positive: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    """The scores of the positive (at-risk) and the negative (cleared) cases."""
    return (np.asarray([s for s, p in zip(scores, positive) if p], dtype=float),
            np.asarray([s for s, p in zip(scores, positive) if not p], dtype=float))


def roc_auc(scores: list[float], positive: list[bool]) -> float | None:
    """Area under the ROC curve: the chance a random positive outscores a random negative (ties count half)."""
    pos, neg = _split(scores, positive)
    if not len(pos) or not len(neg):
        return None
    return _auc(pos, neg)


def _auc(pos: np.ndarray, neg: np.ndarray) -> float:
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def bootstrap_auc(scores: list[float], positive: list[bool], n: int = BOOTSTRAP, seed: int = SEED) -> tuple[float, float] | None:
    """95% percentile interval of the AUC, resampling positives and negatives separately (stratified)."""
    pos, neg = _split(scores, positive)
    if len(pos) < 2 or len(neg) < 2:
        return None
    rng = np.random.default_rng(seed)
    draws = [_auc(rng.choice(pos, len(pos)), rng.choice(neg, len(neg))) for _ in range(n)]
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return float(lo), float(hi)


def roc_points(scores: list[float], positive: list[bool]) -> list[tuple[float, float]]:
    """(false positive rate, true positive rate) for every threshold, from (0,0) to (1,1)."""
    n_pos = sum(positive) or 1
    n_neg = (len(positive) - sum(positive)) or 1
    pts = [(0.0, 0.0)]
    for t in sorted(set(scores), reverse=True):
        tp = sum(1 for s, p in zip(scores, positive) if p and s >= t)
        fp = sum(1 for s, p in zip(scores, positive) if not p and s >= t)
        pts.append((fp / n_neg, tp / n_pos))
    if pts[-1] != (1.0, 1.0):
        pts.append((1.0, 1.0))
    return pts


def roc_band(scores: list[float], positive: list[bool], n: int = 500, seed: int = SEED) -> pd.DataFrame:
    """The ROC curve's 95% bootstrap band: true positive rate at each false positive rate on a grid."""
    grid = np.linspace(0, 1, 51)
    pos, neg = _split(scores, positive)
    if len(pos) < 2 or len(neg) < 2:
        return pd.DataFrame({"fpr": grid, "tpr_low": np.nan, "tpr_high": np.nan})
    rng = np.random.default_rng(seed)
    curves = []
    for _ in range(n):
        p, q = rng.choice(pos, len(pos)), rng.choice(neg, len(neg))
        thresholds = np.unique(np.concatenate([p, q]))[::-1]
        fpr = np.concatenate([[0.0], [(q >= t).mean() for t in thresholds]])
        tpr = np.concatenate([[0.0], [(p >= t).mean() for t in thresholds]])
        curves.append(np.interp(grid, fpr, tpr))
    lo, hi = np.percentile(np.asarray(curves), [2.5, 97.5], axis=0)
    return pd.DataFrame({"fpr": grid, "tpr_low": lo, "tpr_high": hi})


CLASSES: list[ActualClass] = ["clear", "clear_with_conditions", "at_risk"]
TIERS = ["low", "elevated", "high", "severe"]


def calibration(rated: pd.DataFrame) -> pd.DataFrame:
    """Predicted tier against the share of its cases actually blocked, restricted or withdrawn."""
    rows = []
    for tier in TIERS:
        part = rated[rated["tier"] == tier] if "tier" in rated else rated.iloc[0:0]
        n = int(len(part))
        at_risk = int((part["actual_class"] == "at_risk").sum())
        rows.append({"tier": tier, "cases": n, "at_risk": at_risk, "share_at_risk": at_risk / n if n else None,
                     "mean_overall": float(part["overall"].mean()) if n else None})
    return pd.DataFrame(rows)


def _group_figures(rated: pd.DataFrame, by: str) -> pd.DataFrame:
    rows = []
    for key, part in rated.groupby(by, dropna=False):
        positive = list(part["actual_class"] == "at_risk")
        rows.append({by: key, "cases": int(len(part)), "at_risk": int(sum(positive)), "cleared": int(len(part) - sum(positive)),
                     "auc": roc_auc(list(part["overall"]), positive),
                     "accuracy": float((part["actual_class"] == part["predicted"]).mean())})
    return pd.DataFrame(rows)


def evaluate(table: pd.DataFrame) -> dict[str, Any]:
    """How well the overall score tracks what reviewing governments decided: ROC AUC (at risk, i.e.
    blocked, restricted, ordered or withdrawn, against cleared with or without conditions) with its
    stratified bootstrap 95% interval; accuracy and the confusion matrix of predicted against actual
    class; the calibration table; figures by reviewing state, by decade and by the confidence of the
    case's facts; each component's own AUC (which part of the model carries the ranking); the misses
    with the findings that drove them. The AUC of the conservative end of the range is reported beside it.
    Nothing is fitted to the cases (``fitted_parameters`` is empty), so the in-sample figure is the
    only one; a fitted parameter would add a cross-validated AUC."""
    rated = table[table["actual_class"].notna()]
    positive = [c == "at_risk" for c in rated["actual_class"]]
    scores = list(rated["overall"])
    auc = roc_auc(scores, positive)
    matrix = pd.crosstab(pd.Categorical(rated["actual_class"], CLASSES), pd.Categorical(rated["predicted"], CLASSES),
                         rownames=["actual"], colnames=["predicted"], dropna=False)
    miss_cols = [c for c in ("case", "jurisdiction", "actual_outcome", "actual_class", "predicted", "overall", "overall_high", "threat",
                             "sensitivity", "access", "top_findings") if c in rated.columns]
    misses = rated[rated["actual_class"] != rated["predicted"]][miss_cols]
    blocked_clear = rated[(rated["actual_class"] == "at_risk") & (rated["predicted"] == "clear")]["case"].tolist()
    high = list(rated["overall_high"]) if "overall_high" in rated else scores
    return {"cases": int(len(table)), "rated": int(len(rated)), "positives": int(sum(positive)), "negatives": int(len(positive) - sum(positive)),
            "auc": auc, "auc_ci95": bootstrap_auc(scores, positive), "auc_conservative": roc_auc(high, positive),
            "accuracy": float((rated["actual_class"] == rated["predicted"]).mean()) if len(rated) else None,
            "at_risk_predicted_clear": blocked_clear,
            "confusion": matrix, "calibration": calibration(rated),
            "by_jurisdiction": _group_figures(rated, "jurisdiction") if "jurisdiction" in rated else pd.DataFrame(),
            "by_decade": _group_figures(rated, "decade") if "decade" in rated else pd.DataFrame(),
            "by_confidence": _group_figures(rated, "confidence") if "confidence" in rated else pd.DataFrame(),
            "component_auc": {d: roc_auc(list(rated[d]), positive) for d in ("threat", "sensitivity", "access") if d in rated}, "misses": misses, "roc": roc_points(scores, positive),
            "roc_band": roc_band(scores, positive), "fitted_parameters": list(FITTED_PARAMETERS),
            "auc_cross_validated": None if not FITTED_PARAMETERS else "required", "rules": str(table["rules"].iloc[0]) if len(table) else None}


# -- plots ------------------------------------------------------------------------------------

def plot(table: pd.DataFrame, evaluation: dict[str, Any], folder: Path | None = None, lang: Literal["en", "ja"] = "en") -> dict[str, Any]:
    """Score by outcome, the ROC curve with its bootstrap band, and the calibration chart, as matplotlib
    figures (name -> Figure); with ``folder``, each is also written as a PNG (name -> path under
    ``paths``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.family": _plot_font(lang)}):
        figures = {"score_by_outcome": _plot_scores(plt, table, lang), "roc": _plot_roc(plt, evaluation, lang),
                   "calibration": _plot_calibration(plt, evaluation, lang)}
        paths: dict[str, Path] = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            for name, fig in figures.items():
                paths[name] = folder / f"{name}.png"
                fig.savefig(paths[name], metadata={"Software": None})
    return {"figures": figures, "paths": paths}


def _plot_font(lang: str) -> list[str]:
    if lang != "ja":
        return ["DejaVu Sans"]
    from matplotlib import font_manager

    from fdiscreen.render.fonts import japanese_font_path

    path = japanese_font_path()
    font_manager.fontManager.addfont(str(path))
    return [font_manager.FontProperties(fname=str(path)).get_name(), "DejaVu Sans"]


def _plot_scores(plt: Any, table: pd.DataFrame, lang: Literal["en", "ja"]) -> Any:
    rated = table[table["actual_outcome"].notna()]
    order = [o for o in OUTCOME_NAMES if o in set(rated["actual_outcome"])]
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    for i, outcome in enumerate(order):
        ys = sorted(rated[rated["actual_outcome"] == outcome]["overall"])
        xs = [i + (k - (len(ys) - 1) / 2) * 0.04 for k in range(len(ys))]
        ax.scatter(xs, ys, s=24, color="#c0392b" if OUTCOME_CLASS[outcome] == "at_risk" else "#2c6e9b", alpha=0.8)
        if ys:
            ax.hlines(sum(ys) / len(ys), i - 0.3, i + 0.3, color="#333333", linewidth=1)
    names = [OUTCOME_NAMES[o].get(lang) for o in order]
    ax.set_xticks(range(len(order)), [n.replace(" ", "\n") if lang == "en" else n for n in names], fontsize=7)
    ax.set_ylabel(PLOT_TEXT["score_axis"].get(lang))
    ax.set_ylim(0, 100)
    ax.set_title(PLOT_TEXT["score_title"].get(lang).format(rules=table["rules"].iloc[0]), fontsize=9)
    fig.tight_layout()
    return fig


def _plot_roc(plt: Any, evaluation: dict[str, Any], lang: Literal["en", "ja"]) -> Any:
    fig, ax = plt.subplots(figsize=(4.8, 4.8), dpi=110)
    band = evaluation["roc_band"]
    ax.fill_between(band["fpr"], band["tpr_low"], band["tpr_high"], color="#c0392b", alpha=0.15, linewidth=0)
    xs, ys = zip(*evaluation["roc"])
    lo, hi = evaluation["auc_ci95"] or (None, None)
    ax.plot(xs, ys, color="#c0392b", linewidth=1.6, label=PLOT_TEXT["roc_label"].get(lang).format(auc=evaluation["auc"], lo=lo, hi=hi))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=0.8, label=PLOT_TEXT["chance"].get(lang))
    ax.set_xlabel(PLOT_TEXT["fpr"].get(lang))
    ax.set_ylabel(PLOT_TEXT["tpr"].get(lang))
    ax.set_title(PLOT_TEXT["roc_title"].get(lang).format(pos=evaluation["positives"], neg=evaluation["negatives"]), fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    return fig


def _plot_calibration(plt: Any, evaluation: dict[str, Any], lang: Literal["en", "ja"]) -> Any:
    cal = evaluation["calibration"]
    fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=110)
    labels = [f"{t}\n({n})" for t, n in zip(cal["tier"], cal["cases"])]
    ax.bar(range(len(cal)), [v if v is not None and v == v else 0 for v in cal["share_at_risk"]], color="#c0392b", alpha=0.75)
    ax.set_xticks(range(len(cal)), labels, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_xlabel(PLOT_TEXT["tier_axis"].get(lang))
    ax.set_ylabel(PLOT_TEXT["share_axis"].get(lang), fontsize=8)
    ax.set_title(PLOT_TEXT["calibration_title"].get(lang), fontsize=9)
    fig.tight_layout()
    return fig


# -- how the regime changed across the library's dates ---------------------------------------------

def change_dates(start: dt.date, end: dt.date, amendment: dt.date | None = None) -> dict[dt.date, list[str]]:
    """Dates in [start, end] on which any factor item's value changes, with the items that change."""
    regime = make_regime(end, amendment_effective=amendment)
    out: dict[dt.date, list[str]] = {}
    for item in regime.catalog.items.values():
        for when, _ in regime.timeline(item.id):
            if start < when <= end:
                out.setdefault(when, []).append(item.id)
    return dict(sorted(out.items()))


def _filing_key(case: Case, as_of: dt.date, amendment: dt.date | None) -> tuple[str, str, str]:
    from fdiscreen.filing import determine

    det = determine(case.deal, make_regime(as_of, amendment_effective=amendment))
    return det.outcome.code, det.prior_notification_required.status, det.exemption.eligible


def regime_timeline(folder: str | Path | None = None, today: dt.date | None = None, amendment: dt.date | None = None) -> pd.DataFrame:
    """For each date the law changed between the library's first case and today: which items changed,
    and which cases would have been determined differently had they been decided just after it rather
    than just before."""
    day = today or japan_today()
    library = load_cases(folder)
    dated = [c.date for c in library if c.date]
    start = min(dated) if dated else day
    rows = []
    for when, items in change_dates(start - dt.timedelta(days=1), day, amendment).items():
        labels = [make_regime(when).item(i).label.en for i in items]
        touched = [c.meta.id for c in library
                   if _filing_key(c, when - dt.timedelta(days=1), amendment) != _filing_key(c, when, amendment)]
        rows.append({"date": when, "changes": "; ".join(labels), "items": ", ".join(items), "cases_touched": ", ".join(touched),
                     "n_touched": len(touched)})
    return pd.DataFrame(rows)


def amendment_effect(folder: str | Path | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Cases the 2026 amendment would bring into prior notification (or otherwise change): each case
    under today's law, without and with the amendment in force."""
    day = today or japan_today()
    rows = []
    for c in load_cases(folder):
        as_of = day
        # without: the amendment taken to start only after the as-of date (with no date at all, an as-of
        # date inside its in-force window gives both readings, errata 15); with: in force on it
        before, after = _filing_key(c, as_of, as_of + dt.timedelta(days=1)), _filing_key(c, as_of, as_of)
        if before != after:
            rows.append({"case": c.meta.id, "as_of": as_of, "without_amendment": before[0], "with_amendment": after[0],
                         "prior_notification": f"{before[1]} -> {after[1]}", "structure": c.deal.transaction.kind,
                         "nominee": c.deal.transaction.nominee is not None})
    return pd.DataFrame(rows, columns=["case", "as_of", "without_amendment", "with_amendment", "prior_notification", "structure", "nominee"])
