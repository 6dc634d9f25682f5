"""Build the memo document from a Screening, in Japanese, English or both. All wording lives here
and in the Screening; renderers only lay it out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Literal

import yaml

from fdiscreen.clock import japan_today
from fdiscreen.filing.conclusion import Conclusion
from fdiscreen.filing.reports import deadline_text
from fdiscreen.i18n import Lang, T, Text
from fdiscreen.regime import Citation
from fdiscreen.assess.combine import Scores
from fdiscreen.assess.finding import DIMENSIONS, FACTOR_TEXT
from fdiscreen.render.charts import ownership_data, ownership_rows, timeline_data
from fdiscreen.render.annex import Annexes, cell_list, clip, more_text, numbered, summarise_section, summarised_input
from fdiscreen.render.document import Bullets, Document, Figure, Para, Pre, Section, Table
from fdiscreen.screening import Screening

if TYPE_CHECKING:
    from fdiscreen.listing import ListingScreening

LangChoice = Literal["en", "ja", "both"]

S = {
    "title": T("FEFTA inward investment screening memo", "外為法 対内直接投資等 審査メモ"),
    "matter": T("Matter", "案件"),
    "date": T("Date (Japan time)", "作成日（日本時間）"),
    "note": T("Note", "注記"),
    "override": T("the user's assumption (override)", "利用者の仮定（上書き）"),
    "capped": T("Capped at the scale's maximum:", "上限で打切り："),
    "as_of": T("Law as of", "適用法令基準日"),
    "regime": T("Regime version", "法令データ版"),
    "fingerprint": T("Input fingerprint", "入力フィンガープリント"),
    "summary": T("Conclusion", "結論"),
    "determination": T("Filing determination", "届出要否の判断"),
    "question": T("Question", "論点"),
    "answer": T("Answer", "結論"),
    "status": T("Status", "判定"),
    "reasons": T("Reasons", "理由"),
    "basis": T("Basis", "根拠"),
    "conditions": T("Exemption conditions to keep", "遵守すべき免除基準"),
    "kept": T("Kept by the deal as proposed", "提案内容での遵守"),
    "reports": T("Reports and waiting period", "報告及び禁止期間"),
    "amendment": T("The 2026 FEFTA amendment", "2026年外為法改正"),
    "in_force": T("In force", "施行"),
    "touches": T("Touches this deal", "本件への関係"),
    "pending_date": T("depends on the cabinet order's date", "政令の施行日による"),
    "open": T("Open questions: facts to confirm", "確認事項"),
    "path": T("Field", "項目"),
    "conservative": T("Conservative reading meanwhile", "確認までの保守的な扱い"),
    "who": T("Who confirms", "確認者"),
    "assumptions": T("Assumptions about law not yet fixed", "未確定の法令に関する仮定"),
    "assumption": T("Assumption", "仮定"),
    "value": T("Value used", "使用値"),
    "citations": T("Citations", "引用"),
    "risk": T("Risk assessment", "リスク評価"),
    "dimension": T("Risk", "リスク"),
    "gross": T("Gross", "措置前"),
    "residual": T("Residual", "措置後"),
    "threat": T("Investor threat", "投資家の脅威"),
    "sensitivity": T("Target sensitivity", "投資先の機微性"),
    "access": T("Access and control", "アクセス・支配"),
    "range": T("Range where facts are unknown", "不明な事実による幅"),
    "residual_note": T("Residual: each finding's points after the measures. A measure that protects a sensitive asset (keeping production and know-how in Japan, walling off technology) lowers the weight that asset carries, so target sensitivity can fall too.",
                       "措置後：措置適用後の各所見の点数。機微な資産を守る措置（国内での生産・ノウハウの維持、技術の遮断等）は当該資産の重みを下げるため、投資先の機微性も低下し得る。"),
    "range_text": T("{low}-{high} (known facts to the conservative reading of the unknowns)", "{low}〜{high}（既知の事実のみ〜不明な事実を保守的に読んだ場合）"),
    "range_crosses": T("The range crosses into the {tier} tier: the tier and predicted outcome above read the known facts only.",
                       "幅は{tier}ティアに及ぶ。上記のティアと予測結果は既知の事実のみによる。"),
    "movers": T("Facts that would move the score most", "スコアを最も動かす事実"),
    "combine": T("Overall = 100 x (threat/100)^{wt} x (sensitivity/100)^{ws} x (access/100)^{wa}: risk needs all three, so a low component keeps the overall low. Each component is its base ({bt}/{bs}/{ba}) plus its findings' points, within 0-100.",
                 "総合点 = 100 × (脅威/100)^{wt} × (機微性/100)^{ws} × (アクセス/100)^{wa}（リスクには三要素すべてが必要であり、いずれかの要素が低ければ総合点も低い）。各要素は基礎点（{bt}/{bs}/{ba}）に所見の点数を加え、0〜100に収めたもの。"),
    "overall": T("Overall", "総合"),
    "tier": T("Tier", "評価区分"),
    "predicted": T("Predicted outcome", "予測される結果"),
    "factors": T("Findings by review factor", "審査考慮要素ごとの所見"),
    "finding": T("Finding", "所見"),
    "points": T("Points (component)", "点数（要素）"),
    "evidence": T("Evidence", "根拠事実"),
    "mitigation": T("Mitigation package and residual risk", "リスク軽減措置と残存リスク"),
    "applied": T("Measures applied", "適用する措置"),
    "suggested": T("Measures that would lower the risk most", "最もリスクを下げる措置"),
    "after": T("Overall after", "適用後の総合点"),
    "watch": T("Watch-list hits", "ウォッチリスト該当"),
    "no_findings": T("No finding.", "所見なし。"),
    "explain": T("Where every point comes from", "点数の内訳"),
    "factor": T("Review factor", "審査考慮要素"),
    "ownership": T("Ownership structure", "資本関係図"),
    "owned": T("Entity", "事業体"),
    "owner": T("Owner", "保有者"),
    "voting": T("Voting rights", "議決権"),
    "chart_part": T("The chart draws {shown} of the {total} entities in the structure.", "図は資本関係上の{total}者のうち{shown}者を示す。"),
    "ownership_note": T("Red: the chain that makes the acquirer a foreign investor or an indirect acquirer. Shaded boxes: foreign investors.",
                        "赤：取得者を外国投資家又は間接取得者とする経路。網掛け：外国投資家。"),
    "timeline": T("Timeline", "スケジュール"),
    "filing": T("Notification filed (up to 6 months ahead)", "届出提出（最大6か月前）"),
    "appendix": T("Appendix: inputs", "別紙：入力"),
    "none": T("None.", "なし。"),
    "yes": T("yes", "該当"),
    "no": T("no", "非該当"),
    "indeterminate": T("indeterminate", "未確定"),
    "traffic": T("Traffic light", "信号"),
    "privileged": T("PRIVILEGED AND CONFIDENTIAL — ATTORNEY WORK PRODUCT", "秘匿特権対象・厳秘"),
    "notice": T("Notice", "注記"),
    "disclaimer": T("Generated by fdiscreen from the facts in the deal file and the law as encoded in factors/. Not legal advice; confirm the open questions.",
                    "fdiscreenが取引ファイルの事実とfactors/に記録された法令から作成。法的助言ではない。確認事項を確認のこと。"),
}

QUESTIONS = {
    "foreign_investor": T("Is the acquirer a foreign investor?", "取得者は外国投資家か"),
    "investor_class": T("Investor class for the exemption", "免除制度上の投資家類型"),
    "target_class": T("Target's FEFTA class", "発行会社の業種区分"),
    "prior_notification_required": T("Is any act notifiable?", "届出対象行為か"),
    "exemption": T("Exemption available?", "免除制度の利用可否"),
    "must_file": T("Must a prior notification be filed?", "事前届出は必要か"),
    "post_investment_report": T("Reports due after the act", "事後の報告"),
    "waiting_period": T("Waiting period", "禁止期間"),
    "indirect_acquisition": T("Indirect acquisition (2026 amendment)", "間接取得（2026年改正）"),
    "amendment_2026": T("2026 amendment in force?", "2026年改正の施行"),
}

LIGHT = {
    "no_filing": T("GREEN", "青"), "not_foreign_investor": T("GREEN", "青"), "post_investment_report": T("GREEN", "青"),
    "exempt_with_conditions": T("AMBER", "黄"), "indeterminate": T("AMBER", "黄"), "prior_notification": T("RED", "赤"),
}


def _langs(lang: LangChoice) -> list[Lang]:
    return ["ja", "en"] if lang == "both" else [lang]


def _t(text: Text, lang: Lang) -> str:
    return text.get(lang)


def _status(c: Conclusion, lang: Lang) -> str:
    return S[c.status].get(lang)


def _determination(s: Screening, lang: Lang, annexes: Annexes) -> list[Section]:
    f = s.filing
    sec = Section(title=_t(S["determination"], lang))
    rows = []
    for c in f.conclusions():
        rows.append([_t(_question(c), lang), _t(c.summary, lang), _status(c, lang)])
    sec.add(Table(header=[_t(S["question"], lang), _t(S["answer"], lang), _t(S["status"], lang)], rows=rows, widths=[3, 6, 1.4]))
    out = [sec]
    for c in f.conclusions():
        sub = Section(title=_t(_question(c), lang), level=2)
        lead = f"{_status(c, lang).upper()}:" if lang == "en" else f"【{_status(c, lang)}】"
        sub.add(Para(text=_t(c.summary, lang), bold_lead=lead))
        if c.reasons:
            sub.add(Bullets(items=[_t(x, lang) for x in c.reasons]))
        if c.citations:
            sub.add(Para(text="; ".join(x.short(lang) for x in c.citations), bold_lead=_t(S["basis"], lang) + ":", tone="note"))
        out.append(sub)
    return out


def _question(c: Conclusion) -> Text:
    return QUESTIONS.get(c.id) or getattr(c, "label", None) or T(c.id, c.id)


def _conditions(s: Screening, lang: Lang, annexes: Annexes) -> Section | None:
    ex = s.filing.exemption
    if not ex.conditions:
        return None
    sec = Section(title=_t(S["conditions"], lang))
    sec.add(Table(header=["#", _t(S["conditions"], lang), _t(S["kept"], lang)],
                  rows=[[str(i + 1), _t(c.text, lang), S[c.kept_by_deal].get(lang)] for i, c in enumerate(ex.conditions)],
                  widths=[0.5, 7, 2]))
    return sec


def _ownership(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    sec = Section(title=_t(S["ownership"], lang))
    data = ownership_data(s, lang)
    sec.add(Figure(figure="ownership", data=data, caption=_t(S["ownership"], lang)))
    omitted = int(data["omitted"])  # type: ignore[call-overload]
    if omitted:
        table = numbered([_t(S[k], lang) for k in ("owned", "owner", "voting")], ownership_rows(s), [4, 4, 1.5])
        letter = annexes.refer("ownership", lang, _t(S["ownership"], lang), table)
        drawn = int(data["drawn"])  # type: ignore[call-overload]
        shown = _t(S["chart_part"], lang).format(shown=f"{drawn:,}", total=f"{drawn + omitted:,}")
        sec.add(Para(text=f"{shown} {more_text(omitted, letter, lang)}", tone="note"))
    return sec.add(Para(text=_t(S["ownership_note"], lang), tone="note"))


def _reports(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    f = s.filing
    sec = Section(title=_t(S["reports"], lang))
    sec.add(Figure(figure="timeline", data=timeline_data(s, lang), caption=_t(S["timeline"], lang)))
    items = [f"{_t(r.trigger, lang)} — {_t(deadline_text(r), lang)}" for r in f.post_investment_report.reports]
    sec.add(Bullets(items=items) if items else Para(text=_t(f.post_investment_report.summary, lang)))
    sec.add(Para(text=_t(f.waiting_period_days.summary, lang), bold_lead=_t(QUESTIONS["waiting_period"], lang) + ":"))
    return sec


def _amendment(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    a = s.filing.amendment_2026
    sec = Section(title=_t(S["amendment"], lang))
    sec.add(Para(text=_t(a.summary, lang)))
    if a.changes:
        yes, no = S["yes"].get(lang), S["no"].get(lang)
        sec.add(Table(header=[_t(S["amendment"], lang), _t(S["in_force"], lang), _t(S["touches"], lang)],
                      rows=[[_t(c.text, lang), _t(S["pending_date"], lang) if c.in_force is None else yes if c.in_force else no,
                             yes if c.applies_to_deal else no] for c in a.changes],
                      widths=[7, 1.2, 1.5]))
    return sec


def _open_questions(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    sec = Section(title=_t(S["open"], lang))
    facts = s.filing.open_facts()
    if not facts:
        return sec.add(Para(text=_t(S["none"], lang)))
    return sec.add(Table(header=[_t(S["path"], lang), _t(S["question"], lang), _t(S["conservative"], lang), _t(S["who"], lang)],
                         rows=[[x.path, _t(x.question, lang), _t(x.conservative_reading, lang), _t(x.who_confirms, lang)] for x in facts],
                         widths=[2.2, 4.5, 3, 2.2]))


def value_text(value: object, lang: Lang) -> str:
    """A factor value for a reader: list entries by their wording in ``lang`` (factors lists carry
    ``en``/``ja`` per entry), other values as they are."""
    if isinstance(value, list):
        return "; ".join(value_text(v, lang) for v in value)
    if isinstance(value, dict) and "en" in value:
        return str(value.get(lang) or value["en"])
    return str(value)


def _assumptions(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    sec = Section(title=_t(S["assumptions"], lang))
    if not s.regime.assumptions:
        return sec.add(Para(text=_t(S["none"], lang)))
    rows = [[_t(a.label, lang), value_text(a.value, lang) + (f" ({_t(S['override'], lang)})" if a.overridden else ""), a.note_in(lang),
             a.citation.short(lang)] for a in s.regime.assumptions]
    return sec.add(Table(header=[_t(S["assumption"], lang), _t(S["value"], lang), _t(S["note"], lang), _t(S["basis"], lang)],
                         rows=rows, widths=[3.5, 1.5, 4.5, 3]))


def _citations(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    seen: dict[str, Citation] = {}
    for c in s.filing.conclusions():
        for x in c.citations:
            seen.setdefault(x.item, x)
    return Section(title=_t(S["citations"], lang)).add(Bullets(items=[f"{k}: {v.short(lang)}" for k, v in sorted(seen.items())]))


def _summary(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    f = s.filing
    sec = Section(title=_t(S["summary"], lang))
    light = LIGHT[f.outcome.code]
    tone = {"GREEN": "good", "AMBER": "warn", "RED": "bad"}[light.en]
    sec.add(Para(text=_t(f.outcome.summary, lang), bold_lead=f"{_t(S['traffic'], lang)}: {_t(light, lang)} —", tone=tone))  # type: ignore[arg-type]
    for c in (f.foreign_investor, f.target_class, f.must_file, f.exemption):
        sec.add(Para(text=_t(c.summary, lang)))
    g, r = s.scores, s.mitigations.residual
    sec.add(Para(text=f"{_t(S['overall'], lang)} {range_text(g, lang)} ({_t(TIER_TEXT[g.tier], lang)}; {_t(OUTCOME_TEXT[g.predicted_outcome], lang)})"
                 + (f" -> {range_text(r, lang)} ({_t(TIER_TEXT[r.tier], lang)})" if s.mitigations.applied else ""), bold_lead=_t(S["risk"], lang) + ":"))
    return sec


def _appendix(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    text = yaml.safe_dump(summarised_input(s.input, "", lang, annexes), allow_unicode=True, sort_keys=False, width=100)
    return Section(title=_t(S["appendix"], lang)).add(Pre(text=text.rstrip("\n")))


TIER_TEXT = {"low": T("low", "低"), "elevated": T("elevated", "中"), "high": T("high", "高"), "severe": T("severe", "重大")}
OUTCOME_TEXT = {"clear": T("clear", "問題なし"), "clear_with_conditions": T("clear with conditions", "条件付きで問題なし"),
                "at_risk": T("at risk of a recommendation to change or halt", "変更・中止勧告のおそれ")}


def points_text(points: Mapping[str, float]) -> str:
    """A finding's points as the component it adds to (threat, sensitivity or access), signed."""
    return ", ".join(f"{d} {points[d]:+g}" for d in DIMENSIONS if points.get(d)) or "0"


def range_text(scores: Scores, lang: Lang) -> str:
    """'low-high' of the overall score over the unknown facts; the bare score when nothing is unknown."""
    rg = scores.range
    if rg is None or rg.high == rg.low:
        return f"{scores.overall:g}"
    return f"{rg.low:g}-{rg.high:g}"


def _range_paras(scores: Scores, lang: Lang) -> list[Para]:
    rg = scores.range
    if rg is None or rg.high == rg.low:
        return []
    out = [Para(text=_t(S["range_text"], lang).format(low=f"{rg.low:g}", high=f"{rg.high:g}"), bold_lead=_t(S["range"], lang) + ":")]
    if rg.crosses_tier:
        out.append(Para(text=_t(S["range_crosses"], lang).format(tier=_t(TIER_TEXT[rg.high_tier], lang)), tone="note"))
    if rg.movers:
        out.append(Para(text="; ".join(f"{_t(m.question, lang)}: {rg.low:g}-{m.overall_if_conservative:g}" for m in rg.movers),
                        bold_lead=_t(S["movers"], lang) + ":"))
    return out


def combine_text(scores: Scores, lang: Lang) -> str:
    """How the three components combine into the overall score, with the bases and weights used."""
    w, b = scores.formula["weights"], scores.formula["base"]
    return _t(S["combine"], lang).format(wt=f"{w['threat']:.2f}", ws=f"{w['sensitivity']:.2f}", wa=f"{w['access']:.2f}",
                                         bt=f"{b['threat']:g}", bs=f"{b['sensitivity']:g}", ba=f"{b['access']:g}")


def _combine_note(s: Screening, lang: Lang) -> Para:
    return Para(text=combine_text(s.scores, lang), tone="note")


def _matrix_point(sc: Scores) -> dict[str, float]:
    """Threat on x; on y what sensitivity and access add (overall^2 / threat), so overall = sqrt(x * y)."""
    return {"x": sc.threat, "y": round(min(100.0, sc.overall ** 2 / sc.threat), 1) if sc.threat else 0.0}


def _risk(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    g, r = s.scores, s.mitigations.residual
    sec = Section(title=_t(S["risk"], lang))
    rows = [[_t(S[d], lang), f"{g.component(d):g}", f"{r.component(d):g}"] for d in DIMENSIONS]
    rows.append([_t(S["overall"], lang), range_text(g, lang), range_text(r, lang)])
    rows.append([_t(S["tier"], lang), _t(TIER_TEXT[g.tier], lang), _t(TIER_TEXT[r.tier], lang)])
    rows.append([_t(S["predicted"], lang), _t(OUTCOME_TEXT[g.predicted_outcome], lang), _t(OUTCOME_TEXT[r.predicted_outcome], lang)])
    sec.add(Table(header=[_t(S["dimension"], lang), _t(S["gross"], lang), _t(S["residual"], lang)], rows=rows, widths=[4, 2.5, 2.5]))
    for para in _range_paras(g, lang):
        sec.add(para)
    sec.add(_combine_note(s, lang))
    if s.mitigations.applied:
        sec.add(Para(text=_t(S["residual_note"], lang), tone="note"))
    sec.add(Figure(figure="risk_matrix", caption=_t(S["risk"], lang),
                   data={"gross": _matrix_point(g), "residual": _matrix_point(r), "tiers": [v for v in g.formula["tiers"].values() if v > 0],
                         "x_label": _t(S["threat"], lang), "y_label": f"{_t(S['sensitivity'], lang)} x {_t(S['access'], lang)}",
                         "gross_label": _t(S["gross"], lang), "residual_label": _t(S["residual"], lang)}))
    if g.capped:
        sec.add(Para(text=", ".join(_t(S[d], lang) for d in g.capped), bold_lead=_t(S["capped"], lang), tone="note"))
    return sec


def _findings(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    sec = Section(title=_t(S["factors"], lang))
    if not s.findings:
        return sec.add(Para(text=_t(S["no_findings"], lang)))
    rows = []
    for f in s.findings:
        ev = "; ".join(f"{e.path} = {evidence_text(e.path, e.value, lang, annexes)}" for e in f.evidence)
        basis = "; ".join([f.consideration, *(c.ref_in(lang) for c in f.basis[2:])])
        rows.append([_t(FACTOR_TEXT[f.factor], lang), _t(f.text, lang), points_text(f.points), ev, basis])
    return sec.add(Table(header=[_t(S["factor"], lang), _t(S["finding"], lang), _t(S["points"], lang), _t(S["evidence"], lang), _t(S["basis"], lang)],
                         rows=rows, widths=[2, 4, 1.6, 3, 3]))


def evidence_text(path: str, value: object, lang: Lang, annexes: Annexes) -> str:
    """An evidence value as the findings table shows it; a long list is cut short, whole in an annex."""
    return cell_list(path, value, lang, annexes) if isinstance(value, list) else str(value)


def _mitigation(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    m = s.mitigations
    sec = Section(title=_t(S["mitigation"], lang))
    sec.add(Para(text=("; ".join(_t(x, lang) for x in m.applied_text)) or _t(S["none"], lang), bold_lead=_t(S["applied"], lang) + ":"))
    sec.add(Para(text=f"{range_text(s.scores, lang)} -> {range_text(m.residual, lang)} ({_t(TIER_TEXT[s.scores.tier], lang)} -> {_t(TIER_TEXT[m.residual.tier], lang)})",
                 bold_lead=_t(S["overall"], lang) + ":"))
    if m.notification_duty:
        sec.add(Para(text=_t(m.notification_duty, lang), tone="note"))
    if m.suggestions:
        sec.add(Table(header=[_t(S["suggested"], lang), _t(S["after"], lang)],
                      rows=[[f"{_t(x.text, lang)} [{x.measure}]", f"{x.overall_after:g} (-{x.reduction:g})"] for x in m.suggestions], widths=[7, 2]))
    return sec


def _watch(s: Screening, lang: Lang, annexes: Annexes) -> Section | None:
    if not s.watchlist_hits:
        return None
    return Section(title=_t(S["watch"], lang)).add(Table(
        header=["entity", "list", "listed name", "score"],
        rows=[[h.entity_name, h.list_name, h.listed_name, f"{h.score:.2f}"] for h in s.watchlist_hits], widths=[3, 3, 3, 1]))


def _explain(s: Screening, lang: Lang, annexes: Annexes) -> list[Section]:
    by: dict[str, list[float]] = {}
    for f in s.findings:
        acc = by.setdefault(f.factor, [0.0] * len(DIMENSIONS))
        for i, d in enumerate(DIMENSIONS):
            acc[i] += f.points.get(d, 0.0)
    rows = [[_t(FACTOR_TEXT[k], lang), *[f"{v:g}" for v in vals]] for k, vals in by.items()]
    rows.append([_t(S["points"], lang) + " (sum)", *[f"{s.scores.raw[d]:g}" for d in DIMENSIONS]])
    rows.append([_t(S["dimension"], lang) + " (base + sum, 0-100)", *[f"{s.scores.component(d):g}" for d in DIMENSIONS]])
    sec = Section(title=_t(S["explain"], lang)).add(Table(header=[_t(S["factor"], lang), *[_t(S[d], lang) for d in DIMENSIONS]],
                                                        rows=rows, widths=[4, 2, 2, 2]))
    sec.add(_combine_note(s, lang))
    sec.add(Para(text=f"{range_text(s.scores, lang)} ({_t(TIER_TEXT[s.scores.tier], lang)})", bold_lead=_t(S["overall"], lang) + ":"))
    for para in _range_paras(s.scores, lang):
        sec.add(para)
    return [sec, _findings(s, lang, annexes)]


SectionBuilder = Callable[[Screening, Lang, Annexes], "Section | list[Section] | None"]
SECTIONS: list[SectionBuilder] = [_summary, _determination, _conditions, _reports, _amendment, _ownership, _risk, _findings,
                                  _mitigation, _watch, _open_questions, _assumptions, _citations, _appendix]


def _interleave(s: Screening, langs: Iterable[Lang], builders: list[SectionBuilder], annexes: Annexes) -> list[Section]:
    """Each builder's sections in each language, with their long lists cut short and kept whole in ``annexes``
    (a list is keyed by its builder and position, so its Japanese and English versions share one annex)."""
    out: list[Section] = []
    for build in builders:
        for lang in langs:
            built = build(s, lang, annexes)
            secs = [built] if isinstance(built, Section) else (built or [])
            out.extend(summarise_section(sec, f"{build.__name__}/{i}", lang, annexes) for i, sec in enumerate(secs))
    return out


CHECK_VIEW = [_summary, _determination, _conditions, _reports, _amendment, _risk, _mitigation, _watch, _open_questions, _assumptions]
EXPLAIN_VIEW = [_risk, _explain, _mitigation]
VIEWS = {"memo": SECTIONS, "check": CHECK_VIEW, "explain": EXPLAIN_VIEW}


def _key(name: str, langs: list[Lang]) -> str:
    """A header field's label in the memo's language(s)."""
    return " / ".join(_t(S[name], x) for x in langs)


def build_memo(s: Screening, lang: LangChoice = "en", date: dt.date | None = None, privileged: bool = False,
               view: Literal["memo", "check", "explain"] = "memo") -> Document:
    """The memo as a document tree; ``lang='both'`` gives each section in Japanese then English.
    ``view='check'`` is the shorter determination view (no citation list or appendix)."""
    langs = _langs(lang)
    meta = [
        (_key("matter", langs), clip(s.matter)),
        (_key("date", langs), (date or japan_today()).isoformat()),
        (_key("as_of", langs), s.regime.as_of.isoformat()),
        (_key("regime", langs), s.regime.version),
        (_key("fingerprint", langs), s.fingerprint[:16]),
    ]
    doc = Document(title=_key("title", langs), subtitle=s.matter, meta=meta, lang=lang,
                   marking=_key("privileged", langs) if privileged else None)
    annexes = Annexes()
    doc.sections = _interleave(s, langs, VIEWS[view], annexes) + annexes.sections()
    doc.sections.append(Section(title=" / ".join(_t(S["notice"], x) for x in langs)).add(
        Para(text=" ".join(_t(S["disclaimer"], x) for x in langs), tone="note")))
    return doc


# -- listing screen and bid comparison -----------------------------------------------------------

L = {
    "listing_title": T("Listing screen: what a stock listing exposes the company to", "上場スクリーニング：上場に伴うエクスポージャー"),
    "recommend": T("Recommended capital-policy measures", "推奨される資本政策上の措置"),
    "planned": T("planned", "計画済み"),
    "compare_title": T("Bid comparison", "買収提案の比較"),
    "bid": T("Bid", "提案"),
    "timeline": T("Timeline", "スケジュール"),
    "top": T("Top findings", "主な所見"),
    "best": T("Mitigation that would move it most", "最も効果的な軽減措置"),
}


def _listing_sections(ls: "ListingScreening", lang: Lang, annexes: Annexes) -> list[Section]:
    g, r = ls.scores, ls.residual
    head = Section(title=_t(S["summary"], lang))
    head.add(Para(text=_t(ls.target_class.summary, lang)))
    head.add(Table(header=[_t(S["dimension"], lang), _t(S["gross"], lang), _t(S["residual"], lang)],
                   rows=[[_t(S[d], lang), f"{g.component(d):g}", f"{r.component(d):g}"] for d in DIMENSIONS]
                   + [[_t(S["overall"], lang), range_text(g, lang), range_text(r, lang)]]
                   + [[_t(S["tier"], lang), _t(TIER_TEXT[g.tier], lang), _t(TIER_TEXT[r.tier], lang)]], widths=[4, 2, 2]))
    finds = Section(title=_t(S["factors"], lang)).add(Table(
        header=[_t(S["finding"], lang), _t(S["points"], lang), _t(S["evidence"], lang)],
        rows=[[_t(f.text, lang), points_text(f.points), "; ".join(f"{e.path} = {evidence_text(e.path, e.value, lang, annexes)}" for e in f.evidence)] for f in ls.findings], widths=[6, 1.6, 3]))
    recs = Section(title=_t(L["recommend"], lang)).add(Bullets(items=[
        f"{_t(x.text, lang)}" + (f" ({_t(L['planned'], lang)})" if x.planned else "") for x in ls.recommendations]))
    return [head, finds, recs]


def build_listing_memo(ls: "ListingScreening", lang: LangChoice = "en", date: dt.date | None = None) -> Document:
    langs = _langs(lang)
    doc = Document(title=" / ".join(_t(L["listing_title"], x) for x in langs), subtitle=ls.matter, lang=lang,
                   meta=[(_key("as_of", langs), ls.as_of.isoformat()), (_key("regime", langs), ls.regime_version),
                         (_key("fingerprint", langs), ls.fingerprint[:16]), (_key("date", langs), (date or japan_today()).isoformat())])
    annexes = Annexes()
    for x in langs:
        doc.sections += [summarise_section(sec, f"listing/{i}", x, annexes) for i, sec in enumerate(_listing_sections(ls, x, annexes))]
    doc.sections += annexes.sections()
    return doc


def _bid_row(s: Screening, lang: Lang) -> list[str]:
    f = s.filing
    wait = f.waiting_period_days
    timeline = (f"{wait.days} days (to {wait.max_months} months)" if lang == "en" else f"{wait.days}日（最長{wait.max_months}か月）") if wait.status != "no" \
        else ("no waiting period" if lang == "en" else "禁止期間なし")
    top = sorted(s.findings, key=lambda x: -x.total)[:3]
    best = s.mitigations.suggestions[0] if s.mitigations.suggestions else None
    return [s.matter, _t(f.outcome.summary, lang), timeline,
            f"{s.scores.threat:g}/{s.scores.sensitivity:g}/{s.scores.access:g} -> {range_text(s.scores, lang)} ({_t(TIER_TEXT[s.scores.tier], lang)})",
            " / ".join(_t(x.text, lang) for x in top),
            f"{_t(best.text, lang)} (→ {_t(S['overall'], lang)} {best.overall_after:g})" if best else _t(S["none"], lang)]


def build_comparison(screenings: list[Screening], lang: LangChoice = "en", date: dt.date | None = None) -> Document:
    """Bids side by side: determination, timeline, scores, top findings and the best next mitigation."""
    langs = _langs(lang)
    doc = Document(title=" / ".join(_t(L["compare_title"], x) for x in langs), lang=lang,
                   meta=[(_key("date", langs), (date or japan_today()).isoformat()),
                         (_key("as_of", langs), ", ".join(sorted({s.regime.as_of.isoformat() for s in screenings})))])
    annexes = Annexes()
    for x in langs:
        header = [_t(L["bid"], x), _t(S["answer"], x), _t(L["timeline"], x), _t(S["points"], x) + " = " + _t(S["overall"], x),
                  _t(L["top"], x), _t(L["best"], x)]
        bids = Section(title=_t(L["compare_title"], x)).add(
            Table(header=header, rows=[_bid_row(s, x) for s in screenings], widths=[2.4, 2.6, 1.6, 1.8, 4, 2.8]))
        doc.sections.append(summarise_section(bids, "bids", x, annexes))
        for i, s in enumerate(screenings):
            risk = _risk(s, x, annexes).model_copy(update={"title": f"{_t(S['risk'], x)}: {s.matter}", "level": 2})
            doc.sections.append(summarise_section(risk, f"bid/{i}", x, annexes))
    doc.sections += annexes.sections()
    return doc
