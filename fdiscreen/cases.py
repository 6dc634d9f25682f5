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

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fdiscreen.errors import FdiscreenError
from fdiscreen.i18n import T, Text
from fdiscreen.load import parse_deal, read_mapping, validation_error
from fdiscreen.model import Deal
from fdiscreen.regime import load_catalog, make_regime
from fdiscreen.screening import Screening, screen

Outcome = Literal["blocked", "divest_order", "withdrawn_under_opposition", "cleared_with_conditions", "cleared",
                  "recommendation_to_halt", "post_investment_intervention"]
Rules = Literal["decision-date", "today", "amended"]
RULES: tuple[str, ...] = get_args(Rules)
ActualClass = Literal["at_risk", "clear_with_conditions", "clear"]

#: how a government outcome maps onto fdiscreen's predicted-outcome classes
OUTCOME_CLASS: dict[str, ActualClass] = {
    "blocked": "at_risk", "divest_order": "at_risk", "withdrawn_under_opposition": "at_risk", "recommendation_to_halt": "at_risk",
    "post_investment_intervention": "at_risk", "cleared_with_conditions": "clear_with_conditions", "cleared": "clear",
}


#: the outcomes' names for people (plots, pages), from the mildest to the most severe
OUTCOME_NAMES: dict[str, Text] = {
    "cleared": T("cleared", "承認"), "cleared_with_conditions": T("cleared with conditions", "条件付き承認"),
    "withdrawn_under_opposition": T("withdrawn under opposition", "反対を受け撤回"),
    "recommendation_to_halt": T("recommendation to halt", "中止勧告"), "blocked": T("blocked", "禁止"),
    "divest_order": T("divestment ordered", "売却命令"), "post_investment_intervention": T("post-investment intervention", "投資後の介入"),
}

PLOT_TEXT: dict[str, Text] = {
    "score_axis": T("overall score (0-100)", "総合点（0〜100）"),
    "score_title": T("Overall score by actual outcome ({rules} rules; bar = mean)", "実際の結果別の総合点（{rules}ルール、横線＝平均）"),
    "roc_label": T("overall score, AUC {auc}", "総合点、AUC {auc}"),
    "chance": T("chance", "偶然"),
    "fpr": T("false positive rate (cleared cases flagged)", "偽陽性率（承認事例を要警戒と判定）"),
    "tpr": T("true positive rate (blocked/withdrawn flagged)", "真陽性率（禁止・撤回事例を要警戒と判定）"),
    "roc_title": T("ROC: {pos} at-risk vs {neg} cleared", "ROC：リスクあり{pos}件 対 承認{neg}件"),
}


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
    sources: list[str] = Field(min_length=1)
    confidence: Literal["high", "medium", "low"]
    unknown_facts: list[str] = Field(default_factory=list)
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
    return load_catalog().root.parent / "cases"


def load_case(path: Path) -> Case:
    """Read one case file: the ``case:`` block and the deal, with the same clear errors as any deal file."""
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
    return Case(meta=meta, deal=parse_deal(data, str(path)), path=path)


def load_cases(folder: str | Path | None = None) -> list[Case]:
    base = Path(folder) if folder else default_dir()
    if not base.is_dir():
        raise FdiscreenError("not a folder", file=str(base), expected="a folder of case files (*.yaml)")
    return [load_case(p) for p in sorted(base.glob("*.yaml")) + sorted(base.glob("*.json"))]


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
    return {
        "case": case.meta.id, "date": case.date, "as_of": s.regime.as_of, "rules": rules, "jurisdiction": case.meta.jurisdiction,
        "replayed_as_japanese_target": case.meta.replayed_as_japanese_target, "group": case.meta.group,
        "actual_outcome": case.meta.outcome, "actual_class": actual,
        "filing": f.outcome.code, "prior_notification": f.prior_notification_required.status, "must_file": f.must_file.status,
        "exemption": f.exemption.eligible, "indirect_acquisition": f.indirect_acquisition.status,
        "foreign_investor": f.foreign_investor.status,
        "leakage": s.scores.leakage, "control": s.scores.control, "supply": s.scores.supply, "overall": s.scores.overall,
        "tier": s.scores.tier, "predicted": s.scores.predicted_outcome,
        "agreement": None if actual is None else actual == s.scores.predicted_outcome,
        "top_findings": "; ".join(f"{x.id} ({x.total:+.0f})" for x in top),
        "confidence": case.meta.confidence,
    }


def replay(folder: str | Path | None = None, rules: Rules = "decision-date", today: dt.date | None = None) -> pd.DataFrame:
    """Screen every case under the chosen rules; one row per case."""
    day = today or dt.date.today()
    return pd.DataFrame([replay_row(c, replay_one(c, rules, day), rules) for c in load_cases(folder)])


# -- evaluation -------------------------------------------------------------------------------

def roc_auc(scores: list[float], positive: list[bool]) -> float | None:
    """Area under the ROC curve: the chance a random positive outscores a random negative (ties count half)."""
    pos = [s for s, p in zip(scores, positive) if p]
    neg = [s for s, p in zip(scores, positive) if not p]
    if not pos or not neg:
        return None
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in pos for b in neg)
    return round(wins / (len(pos) * len(neg)), 4)


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


CLASSES: list[ActualClass] = ["clear", "clear_with_conditions", "at_risk"]


def evaluate(table: pd.DataFrame) -> dict[str, Any]:
    """AUC of the overall score for blocked-or-withdrawn (at risk) against cleared (with or without
    conditions); the confusion matrix of predicted against actual class; the misses."""
    rated = table[table["actual_class"].notna()]
    positive = [c == "at_risk" for c in rated["actual_class"]]
    auc = roc_auc(list(rated["overall"]), positive)
    matrix = pd.crosstab(pd.Categorical(rated["actual_class"], CLASSES), pd.Categorical(rated["predicted"], CLASSES),
                         rownames=["actual"], colnames=["predicted"], dropna=False)
    misses = rated[rated["actual_class"] != rated["predicted"]][["case", "actual_outcome", "actual_class", "predicted", "overall", "top_findings"]]
    return {"cases": int(len(table)), "rated": int(len(rated)), "positives": int(sum(positive)), "negatives": int(len(positive) - sum(positive)),
            "auc": auc, "accuracy": round(float((rated["actual_class"] == rated["predicted"]).mean()), 4) if len(rated) else None,
            "confusion": matrix, "misses": misses, "roc": roc_points(list(rated["overall"]), positive)}


# -- plots ------------------------------------------------------------------------------------

def plot(table: pd.DataFrame, evaluation: dict[str, Any], folder: Path, lang: Literal["en", "ja"] = "en") -> list[Path]:
    """Score distribution by actual outcome, and the ROC curve, as PNG files (labels in ``lang``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"font.family": _plot_font(lang)}):
        return [_plot_scores(plt, table, folder, lang), _plot_roc(plt, evaluation, folder, lang)]


def _plot_font(lang: str) -> list[str]:
    if lang != "ja":
        return ["DejaVu Sans"]
    from matplotlib import font_manager

    from fdiscreen.render.fonts import japanese_font_path

    path = japanese_font_path()
    font_manager.fontManager.addfont(str(path))
    return [font_manager.FontProperties(fname=str(path)).get_name(), "DejaVu Sans"]


def _plot_scores(plt: Any, table: pd.DataFrame, folder: Path, lang: Literal["en", "ja"]) -> Path:
    rated = table[table["actual_outcome"].notna()]
    order = [o for o in OUTCOME_NAMES if o in set(rated["actual_outcome"])]
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    for i, outcome in enumerate(order):
        ys = sorted(rated[rated["actual_outcome"] == outcome]["overall"])
        xs = [i + (k - (len(ys) - 1) / 2) * 0.06 for k in range(len(ys))]
        ax.scatter(xs, ys, s=28, color="#c0392b" if OUTCOME_CLASS[outcome] == "at_risk" else "#2c6e9b", alpha=0.8)
        if ys:
            ax.hlines(sum(ys) / len(ys), i - 0.3, i + 0.3, color="#333333", linewidth=1)
    names = [OUTCOME_NAMES[o].get(lang) for o in order]
    ax.set_xticks(range(len(order)), [n.replace(" ", "\n") if lang == "en" else n for n in names], fontsize=7)
    ax.set_ylabel(PLOT_TEXT["score_axis"].get(lang))
    ax.set_ylim(0, 100)
    ax.set_title(PLOT_TEXT["score_title"].get(lang).format(rules=table["rules"].iloc[0]), fontsize=9)
    fig.tight_layout()
    path = folder / "score_by_outcome.png"
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def _plot_roc(plt: Any, evaluation: dict[str, Any], folder: Path, lang: Literal["en", "ja"]) -> Path:
    fig, ax = plt.subplots(figsize=(4.6, 4.6), dpi=110)
    xs, ys = zip(*evaluation["roc"])
    ax.plot(xs, ys, color="#c0392b", linewidth=1.6, drawstyle="steps-post", label=PLOT_TEXT["roc_label"].get(lang).format(auc=evaluation["auc"]))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=0.8, label=PLOT_TEXT["chance"].get(lang))
    ax.set_xlabel(PLOT_TEXT["fpr"].get(lang))
    ax.set_ylabel(PLOT_TEXT["tpr"].get(lang))
    ax.set_title(PLOT_TEXT["roc_title"].get(lang).format(pos=evaluation["positives"], neg=evaluation["negatives"]), fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    path = folder / "roc.png"
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


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
    day = today or dt.date.today()
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
    day = today or dt.date.today()
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
