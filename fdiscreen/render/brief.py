"""The short determination `fdiscreen check` prints by default: what to do, on what conditions, by
when, and which facts to confirm, on one screen. Read off the Screening; nothing is re-derived. The
reasons and citations behind each answer are in the full view (``--full``) and the memo."""

from __future__ import annotations

from fdiscreen.filing.conclusion import Conclusion
from fdiscreen.filing.reports import deadline_text
from fdiscreen.i18n import Lang, T
from fdiscreen.locale import format_date
from fdiscreen.render.document import Bullets, Document, Para, Section
from fdiscreen.render.memo import LIGHT, OUTCOME_TEXT, QUESTIONS, TIER_TEXT, LangChoice, range_text
from fdiscreen.screening import Screening

B = {
    "title": T("FEFTA filing determination", "外為法 届出要否の判断"),
    "as_of": T("Law as of {date}", "{date}時点の法令による"),
    "answers": T("Answers", "回答"),
    "conditions": T("Conditions of the exemption", "免除基準（遵守事項）"),
    "deadlines": T("Waiting period and reports", "禁止期間と報告期限"),
    "facts": T("Facts to confirm", "確認事項"),
    "who": T("confirms", "確認者"),
    "risk": T("Risk", "リスク"),
    "more": T("Reasons and citations: fdiscreen check --full; the memo: fdiscreen screen DEAL --memo memo.pdf",
              "理由と根拠：fdiscreen check --full、メモ：fdiscreen screen DEAL --memo memo.pdf"),
    "earliest": T("earliest closing {date}", "最短の実行日 {date}"),
    "kept": T("kept by the deal as proposed", "提案どおりなら遵守"),
    "not_kept": T("NOT kept by the deal as proposed", "提案どおりでは遵守されない"),
    "unknown": T("to confirm", "要確認"),
    "yes": T("yes", "該当"),
    "no": T("no", "非該当"),
    "indeterminate": T("to confirm", "未確定"),
}

#: the conclusions the short view answers, in this order
ANSWERED = ("foreign_investor", "target_class", "must_file", "exemption")


def _langs(lang: LangChoice) -> list[Lang]:
    return ["ja", "en"] if lang == "both" else [lang]


def _answer(c: Conclusion, lang: Lang) -> str:
    """'Question? answer' (an open answer marked as such)."""
    question = (QUESTIONS.get(c.id) or T(c.id, c.id)).get(lang)
    mark = f" [{B['indeterminate'].get(lang)}]" if c.status == "indeterminate" else ""
    if lang == "ja":
        return f"{question}{mark}：{c.summary.get(lang)}"
    return f"{question}{mark} {c.summary.get(lang)}" if question.endswith("?") else f"{question}{mark}: {c.summary.get(lang)}"


def _risk(s: Screening, lang: Lang) -> str:
    """The overall score (its range over the unknown facts), tier and predicted outcome."""
    g = s.scores
    high = f", {TIER_TEXT[g.range.high_tier].get(lang)}" if g.range and g.range.crosses_tier else ""
    return f"{range_text(g, lang)} / 100 ({TIER_TEXT[g.tier].get(lang)}{high}; {OUTCOME_TEXT[g.predicted_outcome].get(lang)})"


def _conditions(s: Screening, lang: Lang) -> Section | None:
    ex = s.filing.exemption
    if ex.eligible == "no" or not ex.conditions:
        return None
    kept = {"yes": B["kept"], "no": B["not_kept"], "indeterminate": B["unknown"]}
    return Section(title=B["conditions"].get(lang)).add(
        Bullets(items=[f"{c.text.get(lang)} ({kept[c.kept_by_deal].get(lang)})" for c in ex.conditions], numbered=True))


def _deadlines(s: Screening, lang: Lang) -> Section | None:
    f = s.filing
    w = f.waiting_period_days
    items: list[str] = []
    if w.status != "no":
        when = B["earliest"].get(lang).format(date=format_date(w.earliest_closing_date, lang)) if w.earliest_closing_date else ""
        items.append(w.summary.get(lang) + (f" ({when})" if when else ""))
    items += [f"{r.trigger.get(lang)}: {deadline_text(r).get(lang)}" for r in f.post_investment_report.reports] or \
        [f.post_investment_report.summary.get(lang)]
    return Section(title=B["deadlines"].get(lang)).add(Bullets(items=items)) if items else None


def _facts(s: Screening, lang: Lang) -> Section | None:
    facts = s.filing.open_facts()
    if not facts:
        return None
    return Section(title=B["facts"].get(lang)).add(
        Bullets(items=[f"{x.question.get(lang)} ({B['who'].get(lang)}: {x.who_confirms.get(lang)})" for x in facts]))


def _sections(s: Screening, lang: Lang) -> list[Section]:
    f = s.filing
    head = Section(title=s.matter)
    light = LIGHT[f.outcome.code]
    tone = {"GREEN": "good", "AMBER": "warn", "RED": "bad"}[light.en]
    head.add(Para(text=f.outcome.summary.get(lang), bold_lead=f"{light.get(lang)}:", tone=tone))  # type: ignore[arg-type]
    head.add(Para(text=B["as_of"].get(lang).format(date=format_date(s.regime.as_of, lang)), tone="note"))
    by_id = {c.id: c for c in f.conclusions()}
    answers = Section(title=B["answers"].get(lang), level=2).add(
        Bullets(items=[_answer(by_id[i], lang) for i in ANSWERED if i in by_id]))
    risk = Section(title=B["risk"].get(lang), level=2).add(Para(text=_risk(s, lang)))
    parts = [head, answers, _conditions(s, lang), _deadlines(s, lang), _facts(s, lang), risk]
    return [p for p in parts if p is not None]


def build_brief(s: Screening, lang: LangChoice = "en") -> Document:
    """The short view as a document (Japanese, English, or Japanese then English)."""
    langs = _langs(lang)
    sections = [sec for x in langs for sec in _sections(s, x)]
    sections.append(Section(title="").add(Para(text=" / ".join(B["more"].get(x) for x in langs), tone="note")))
    return Document(title=" / ".join(B["title"].get(x) for x in langs), lang=lang, sections=sections)
