"""Build the memo document from a Screening, in Japanese, English or both. All wording lives here
and in the Screening; renderers only lay it out.

A memo opens with its cover block (``Document.meta``: To / From / Re / Date / Matter no.) and legend
(``Document.marking``), and closes with the citations grouped by provision, the bibliography and a notice
giving the as-of date, data version and fingerprint. Source keys never show: a citation names its
provision and refers to the bibliography by number ([1, 4]), numbered primary law first. The
bibliography is one ``Table`` (no., source, kind) per group (primary law; government releases and
guidance; secondary sources), each led by the group's name. Dates and numbers in the prose are
localised (``fdiscreen.locale``); the Screening keeps ISO dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Literal

import yaml

from fdiscreen.clock import japan_today
from fdiscreen.filing.conclusion import Conclusion
from fdiscreen.filing.reports import deadline_text
from fdiscreen.i18n import Lang, T, Text
from fdiscreen.regime import PRIMARY_LAW, Citation, Source, load_catalog
from fdiscreen.assess.combine import Scores
from fdiscreen.assess.finding import DIMENSIONS, FACTOR_TEXT
from fdiscreen.render.charts import ownership_data, ownership_rows, timeline_data
from fdiscreen.render.annex import Annexes, cell_list, clip, more_text, numbered, summarise_section, summarised_input
from fdiscreen.render.document import Bullets, Cover, Document, Figure, Para, Pre, Section, Table
from fdiscreen.locale import format_date, format_iso_date, format_number, format_signed

_n = format_number
from fdiscreen.screening import Screening

if TYPE_CHECKING:
    from fdiscreen.listing import ListingScreening

LangChoice = Literal["en", "ja", "both"]

S = {
    "title": T("FEFTA inward investment screening memo", "外為法 対内直接投資等 審査メモ"),
    "date": T("Date", "日付"),
    "to": T("To", "宛先"),
    "from": T("From", "差出人"),
    "re": T("Re", "件名"),
    "matter_number": T("Matter no.", "案件番号"),
    "judged_as_of": T("Judged as of {date}: the law in force on that date, and the acts of the deal on their own dates.",
                      "{date}時点の法令により判定（取引の各行為はその実行日による）。"),
    "record": T("Law as of {as_of}; regime version {version}; input fingerprint {fingerprint}.",
                "適用法令基準日 {as_of}、法令データ版 {version}、入力フィンガープリント {fingerprint}。"),
    "note": T("Note", "注記"),
    "override": T("the user's assumption (override)", "利用者の仮定（上書き）"),
    "capped": T("Capped at the scale's maximum:", "上限で打切り："),
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
    "citations": T("Citations by provision", "根拠条項別の引用"),
    "provision": T("Provision", "条項"),
    "relied_by": T("Conclusions relying on it", "依拠する結論"),
    "values_from": T("Values taken from it", "依拠する数値・基準"),
    "sources": T("Sources", "出典"),
    "bibliography": T("Bibliography", "参考文献"),
    "bib_no": T("No.", "番号"),
    "bib_source": T("Source", "出典"),
    "bib_kind": T("Kind", "種別"),
    "bib_note": T("Primary law (statutes, cabinet orders, ministerial orders, notices) first, then government releases and guidance, then secondary sources. Numbers in square brackets in the text refer to this list.",
                  "一次法令（法律・政令・命令・告示）、政府公表資料・指針、二次資料の順。本文中の角括弧内の番号は本一覧を指す。"),
    "finding_of": T("Risk finding: {factor}", "リスク所見：{factor}"),
    "citations_note": T("Each provision the conclusions and risk findings rest on, with what rests on it; the assumptions give their own basis in their table.",
                        "結論及びリスク所見が依拠する条項ごとに、依拠する内容を示す。仮定の根拠は仮定の表に示す。"),
    "promulgated": T("promulgated", "公布"),
    "effective": T("effective", "施行"),
    "applies_from": T("applies from", "適用"),
    "assumption_mark": T(" [assumption]", "［仮定］"),
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
    "points_sum": T("Points (component) (sum)", "点数（要素）（合計）"),
    "component_sum": T("Risk (base + sum, 0-100)", "リスク（基礎点＋合計、0〜100）"),
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
    "confidential": T("Confidential", "機密"),
    "privileged": T("Privileged & Confidential — prepared for the purpose of legal advice", "秘密・法的助言目的で作成"),
    "notice": T("Notice", "注記"),
    "disclaimer": T("Generated by fdiscreen from the facts in the deal file and the law as recorded in its dated legal data. Not legal advice; confirm the open questions.",
                    "fdiscreenが取引ファイルの事実と、日付付きで記録された法令データから作成。法的助言ではない。確認事項を確認のこと。"),
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


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")


def localise(text: str, lang: Lang) -> str:
    """Prose with every ISO date in it written as the reader writes dates (1 December 2026 / 2026年12月1日),
    and, in a memo with a bibliography, every source key named in it (e.g. 'per TLG-SR') replaced by its
    number ('per [34]'). Results keep ISO dates and keys; only the memo's text is localised."""
    text = _ISO_DATE.sub(lambda m: format_iso_date(m.group(1), lang), text)
    bib = _BIBLIOGRAPHY.get()
    return bib.number_keys(text) if bib is not None else text


def _t(text: Text, lang: Lang) -> str:
    return localise(text.get(lang), lang)


# -- the bibliography and the citations --------------------------------------------------------

_KIND_ORDER = ("statute", "cabinet_order", "ministerial_order", "notice", "government_release", "guidance", "foreign_law",
               "court_or_authority_decision", "secondary")
KIND_TEXT = {
    "statute": T("Statute", "法律"), "cabinet_order": T("Cabinet order", "政令"), "ministerial_order": T("Ministerial order", "命令・省令"),
    "notice": T("Notice", "告示"), "government_release": T("Government release", "政府公表資料"), "guidance": T("Guidance", "指針・手引"),
    "foreign_law": T("Foreign law", "外国法令"), "court_or_authority_decision": T("Decision", "裁判例・当局の決定"),
    "secondary": T("Secondary source", "二次資料"),
}


GROUP_TEXT = {0: T("Primary law", "一次法令"), 1: T("Government releases and guidance", "政府公表資料・指針"),
              2: T("Secondary sources", "二次資料")}


def source_group(src: Source | None) -> int:
    """0 primary law, 1 government releases, guidance and decisions, 2 secondary sources (and unknown keys)."""
    if src is None or src.kind == "secondary":
        return 2
    return 0 if src.kind in PRIMARY_LAW else 1


class Bibliography:
    """The works a memo cites, numbered in the order the bibliography lists them: primary law first (statute,
    cabinet order, ministerial order, notice), then government releases and guidance, then secondary
    sources; within a kind, in the order the memo first cites them. A citation's references in the text
    are these numbers, ascending, so its primary sources come first."""

    def __init__(self, citations: Iterable[Citation], sources: Mapping[str, Source]) -> None:
        first: dict[str, int] = {}
        for c in citations:
            for key in c.sources:
                first.setdefault(key, len(first))
        self.sources = sources
        rank = {k: i for i, k in enumerate(_KIND_ORDER)}

        def order(key: str) -> tuple[int, int, int]:
            src = sources.get(key)
            return (source_group(src), rank[src.kind] if src else len(rank), first[key])

        self.keys: list[str] = sorted(first, key=order)
        self.numbers: dict[str, int] = {k: i + 1 for i, k in enumerate(self.keys)}
        names = "|".join(re.escape(k) for k in sorted(self.keys, key=len, reverse=True))
        self._named = re.compile(rf"(?<![\w-])({names})(?![\w-])") if names else None

    def number_keys(self, text: str) -> str:
        """``text`` with each source key of this bibliography written as its number in brackets."""
        return self._named.sub(lambda m: f"[{self.numbers[m.group(1)]}]", text) if self._named else text

    def refs(self, c: Citation) -> str:
        """' [1, 4]': the citation's sources as bibliography numbers, ascending ('' for none)."""
        nums = sorted(self.numbers[k] for k in c.sources if k in self.numbers)
        return f" [{', '.join(str(n) for n in nums)}]" if nums else ""

    def entry(self, key: str, lang: Lang) -> str:
        """'Title, publisher, date, URL' in ``lang`` (title_ja for Japanese where given)."""
        src = self.sources.get(key)
        if src is None:
            return key
        sep = "、" if lang == "ja" else ", "
        when = format_date(src.date, lang) if src.date else None
        return sep.join(x for x in (localise(src.title_in(lang), lang), src.publisher_in(lang), when, src.url) if x)

    def groups(self) -> list[tuple[int, list[str]]]:
        """The keys by group (0 primary law, 1 releases and guidance, 2 secondary), in number order."""
        out: dict[int, list[str]] = {}
        for k in self.keys:
            out.setdefault(source_group(self.sources.get(k)), []).append(k)
        return sorted(out.items())

    def table(self, keys: list[str], lang: Lang) -> Table:
        """Bibliography rows (no., 'title, publisher, date, URL', kind) for ``keys``."""
        return Table(header=[_t(S["bib_no"], lang), _t(S["bib_source"], lang), _t(S["bib_kind"], lang)],
                     rows=[[f"[{self.numbers[k]}]", self.entry(k, lang), _t(KIND_TEXT[self.sources[k].kind], lang) if k in self.sources else ""]
                           for k in keys], widths=[0.8, 8, 1.6])


_BIBLIOGRAPHY: ContextVar[Bibliography | None] = ContextVar("memo_bibliography", default=None)
"""The bibliography of the memo being built (set by build_memo); views without one show provisions only."""


def cited(s: Screening) -> list[Citation]:
    """Every citation the memo shows: the conclusions', the assumptions' (in the assumptions table) and the
    legal basis of the findings."""
    out = [x for c in s.filing.conclusions() for x in c.citations]
    out += [a.citation for a in s.regime.assumptions]
    out += [x for f in s.findings for x in f.basis[2:]]
    return out


def cite_text(c: Citation, lang: Lang) -> str:
    """One citation in prose: the provision, its dates, its bibliography numbers and an assumption mark."""
    dates = [f"{_t(S[name], lang)} {format_date(when, lang)}" for name, when in
             (("promulgated", c.promulgated), ("effective", c.effective), ("applies_from", c.applies_from)) if when]
    tail = (f"（{'、'.join(dates)}）" if lang == "ja" else f" ({'; '.join(dates)})") if dates else ""
    bib = _BIBLIOGRAPHY.get()
    refs = bib.refs(c) if bib else ""
    return f"{localise(c.ref_in(lang), lang)}{tail}{refs}{_t(S['assumption_mark'], lang) if c.assumption else ''}"


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
            sub.add(Para(text=("；" if lang == "ja" else "; ").join(cite_text(x, lang) for x in _primary_first(c.citations)), bold_lead=_t(S["basis"], lang) + ":", tone="note"))
        out.append(sub)
    return out


def _primary_first(cites: Iterable[Citation]) -> list[Citation]:
    """Citations resting on primary law first (stable otherwise)."""
    sources = load_catalog().sources

    def group(c: Citation) -> int:
        return min((source_group(sources.get(k)) for k in c.sources), default=2)
    return sorted(cites, key=group)


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
        shown = _t(S["chart_part"], lang).format(shown=_n(drawn, lang), total=_n(drawn + omitted, lang))
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
    rows = [[_t(a.label, lang), localise(value_text(a.value, lang), lang) + (f" ({_t(S['override'], lang)})" if a.overridden else ""),
             localise(a.note_in(lang), lang),
             cite_text(a.citation, lang)] for a in s.regime.assumptions]
    return sec.add(Table(header=[_t(S["assumption"], lang), _t(S["value"], lang), _t(S["note"], lang), _t(S["basis"], lang)],
                         rows=rows, widths=[3.5, 1.5, 4.5, 3]))


class _Provision:
    """One provision (a citation's reference) with the conclusions and values that rest on it."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.conclusions: dict[str, None] = {}
        self.values: dict[str, None] = {}


def _provisions(s: Screening, lang: Lang) -> dict[str, _Provision]:
    """The memo's citations grouped by provision in ``lang``, primary law first, each with what relies on it."""
    items = load_catalog().items
    groups: dict[str, _Provision] = {}

    def add(c: Citation, used_for: str) -> None:
        p = groups.setdefault(localise(c.ref_in(lang), lang), _Provision())
        if c not in p.citations:
            p.citations.append(c)
        p.conclusions[used_for] = None
        if c.item in items:
            p.values[_t(items[c.item].label, lang)] = None
    for con in s.filing.conclusions():
        for x in con.citations:
            add(x, _t(_question(con), lang))
    for f in s.findings:
        for x in f.basis[2:]:
            add(x, _t(S["finding_of"], lang).format(factor=_t(FACTOR_TEXT[f.factor], lang)))
    first = {ref: i for i, ref in enumerate(groups)}
    sources = load_catalog().sources
    rank = {ref: min((source_group(sources.get(k)) for c in p.citations for k in c.sources), default=2) for ref, p in groups.items()}
    return {ref: groups[ref] for ref in sorted(groups, key=lambda r: (rank[r], first[r]))}


def _provision_dates(p: _Provision, lang: Lang) -> str:
    """The provision with its dates, numbers and assumption mark, once per distinct citation of it."""
    return " / ".join(dict.fromkeys(cite_text(c, lang) for c in p.citations))


def _citations(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    sep = "；" if lang == "ja" else "; "
    rows = [[_provision_dates(p, lang), sep.join(p.conclusions), sep.join(p.values)] for p in _provisions(s, lang).values()]
    return Section(title=_t(S["citations"], lang)).add(Para(text=_t(S["citations_note"], lang), tone="note"), Table(
        header=[_t(S["provision"], lang), _t(S["relied_by"], lang), _t(S["values_from"], lang)], rows=rows, widths=[4.5, 3.5, 3.5]))


def _bibliography(lang: Lang) -> list[Section]:
    """The bibliography: a note on its order, then one numbered table per group (primary law; government
    releases and guidance; secondary sources), each under its own sub-heading (kept with its table)."""
    bib = _BIBLIOGRAPHY.get()
    if bib is None or not bib.keys:
        return []
    head = Section(title=_t(S["bibliography"], lang)).add(Para(text=_t(S["bib_note"], lang), tone="note"))
    return [head, *(Section(title=_t(GROUP_TEXT[group], lang), level=2).add(bib.table(keys, lang)) for group, keys in bib.groups())]


def _summary(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    f = s.filing
    sec = Section(title=_t(S["summary"], lang))
    light = LIGHT[f.outcome.code]
    tone = {"GREEN": "good", "AMBER": "warn", "RED": "bad"}[light.en]
    sec.add(Para(text=_t(f.outcome.summary, lang), bold_lead=f"{_t(S['traffic'], lang)}: {_t(light, lang)} —", tone=tone))  # type: ignore[arg-type]
    sec.add(Para(text=_t(S["judged_as_of"], lang).format(date=format_date(s.regime.as_of, lang)), tone="note"))
    for c in (f.foreign_investor, f.target_class, f.must_file, f.exemption):
        sec.add(Para(text=_t(c.summary, lang)))
    g, r = s.scores, s.mitigations.residual
    open_, sep, close = ("（", "、", "）") if lang == "ja" else (" (", "; ", ")")
    sec.add(Para(text=f"{_t(S['overall'], lang)} {range_text(g, lang)}{open_}{_t(TIER_TEXT[g.tier], lang)}{sep}{_t(OUTCOME_TEXT[g.predicted_outcome], lang)}{close}"
                 + (f" -> {range_text(r, lang)} ({_t(TIER_TEXT[r.tier], lang)})" if s.mitigations.applied else ""), bold_lead=_t(S["risk"], lang) + ":"))
    return sec


def _appendix(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    text = yaml.safe_dump(summarised_input(s.input, "", lang, annexes), allow_unicode=True, sort_keys=False, width=100)
    return Section(title=_t(S["appendix"], lang)).add(Pre(text=text.rstrip("\n")))


TIER_TEXT = {"low": T("low", "低"), "elevated": T("elevated", "中"), "high": T("high", "高"), "severe": T("severe", "重大")}
OUTCOME_TEXT = {"clear": T("clear", "問題なし"), "clear_with_conditions": T("clear with conditions", "条件付きで問題なし"),
                "at_risk": T("at risk of a recommendation to change or halt", "変更・中止勧告のおそれ")}


def points_text(points: Mapping[str, float], lang: Lang | None = None) -> str:
    """A finding's points as the component it adds to (threat, sensitivity or access), signed; with ``lang``
    the components are named and the numbers written in that language."""
    if lang is None:
        return ", ".join(f"{d} {points[d]:+g}" for d in DIMENSIONS if points.get(d)) or "0"
    return ", ".join(f"{_t(DIMENSION_SHORT[d], lang)} {format_signed(points[d], lang)}" for d in DIMENSIONS if points.get(d)) or "0"


DIMENSION_SHORT = {"threat": T("threat", "脅威"), "sensitivity": T("sensitivity", "機微性"), "access": T("access", "アクセス")}


def range_text(scores: Scores, lang: Lang) -> str:
    """'low-high' of the overall score over the unknown facts; the bare score when nothing is unknown."""
    rg = scores.range
    if rg is None or rg.high == rg.low:
        return f"{_n(scores.overall, lang)}"
    return f"{_n(rg.low, lang)}-{_n(rg.high, lang)}"


def _range_paras(scores: Scores, lang: Lang) -> list[Para]:
    rg = scores.range
    if rg is None or rg.high == rg.low:
        return []
    out = [Para(text=_t(S["range_text"], lang).format(low=f"{_n(rg.low, lang)}", high=f"{_n(rg.high, lang)}"), bold_lead=_t(S["range"], lang) + ":")]
    if rg.crosses_tier:
        out.append(Para(text=_t(S["range_crosses"], lang).format(tier=_t(TIER_TEXT[rg.high_tier], lang)), tone="note"))
    if rg.movers:
        out.append(Para(text="; ".join(f"{_t(m.question, lang)}: {_n(rg.low, lang)}-{_n(m.overall_if_conservative, lang)}" for m in rg.movers),
                        bold_lead=_t(S["movers"], lang) + ":"))
    return out


def combine_text(scores: Scores, lang: Lang) -> str:
    """How the three components combine into the overall score, with the bases and weights used."""
    w, b = scores.formula["weights"], scores.formula["base"]
    return _t(S["combine"], lang).format(wt=f"{w['threat']:.2f}", ws=f"{w['sensitivity']:.2f}", wa=f"{w['access']:.2f}",
                                         bt=f"{_n(b['threat'], lang)}", bs=f"{_n(b['sensitivity'], lang)}", ba=f"{_n(b['access'], lang)}")


def _combine_note(s: Screening, lang: Lang) -> Para:
    return Para(text=combine_text(s.scores, lang), tone="note")


def _matrix_point(sc: Scores) -> dict[str, float]:
    """Threat on x; on y what sensitivity and access add (overall^2 / threat), so overall = sqrt(x * y)."""
    return {"x": sc.threat, "y": round(min(100.0, sc.overall ** 2 / sc.threat), 1) if sc.threat else 0.0}


def _risk(s: Screening, lang: Lang, annexes: Annexes) -> Section:
    g, r = s.scores, s.mitigations.residual
    sec = Section(title=_t(S["risk"], lang))
    rows = [[_t(S[d], lang), f"{_n(g.component(d), lang)}", f"{_n(r.component(d), lang)}"] for d in DIMENSIONS]
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
        basis = ("；" if lang == "ja" else "; ").join([consideration_text(f.consideration, lang), *(cite_text(c, lang) for c in _primary_first(f.basis[2:]))])
        rows.append([_t(FACTOR_TEXT[f.factor], lang), _t(f.text, lang), points_text(f.points, lang), ev, basis])
    return sec.add(Table(header=[_t(S["factor"], lang), _t(S["finding"], lang), _t(S["points"], lang), _t(S["evidence"], lang), _t(S["basis"], lang)],
                         rows=rows, widths=[2, 4, 1.6, 3, 3]))


def consideration_text(consideration: str, lang: Lang) -> str:
    """A review consideration (seed 003, e.g. A1_production_technology_base) in words, from the
    review_considerations item; its id where the item does not list it."""
    item = load_catalog().items.get("review_considerations")
    for _, groups in sorted((item.values if item else {}).items(), reverse=True):
        for group in groups if isinstance(groups, list) else []:
            for x in group.get("items", []) if isinstance(group, dict) else []:
                if isinstance(x, dict) and x.get("id") == consideration:
                    return localise(str(x.get(lang) or x.get("en") or consideration), lang)
    return consideration


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
                      rows=[[f"{_t(x.text, lang)} [{x.measure}]", f"{_n(x.overall_after, lang)} (-{_n(x.reduction, lang)})"] for x in m.suggestions], widths=[7, 2]))
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
    rows = [[_t(FACTOR_TEXT[k], lang), *[f"{_n(v, lang)}" for v in vals]] for k, vals in by.items()]
    rows.append([_t(S["points_sum"], lang), *[f"{_n(s.scores.raw[d], lang)}" for d in DIMENSIONS]])
    rows.append([_t(S["component_sum"], lang), *[f"{_n(s.scores.component(d), lang)}" for d in DIMENSIONS]])
    sec = Section(title=_t(S["explain"], lang)).add(Table(header=[_t(S["factor"], lang), *[_t(S[d], lang) for d in DIMENSIONS]],
                                                        rows=rows, widths=[4, 2, 2, 2]))
    sec.add(_combine_note(s, lang))
    sec.add(Para(text=f"{range_text(s.scores, lang)} ({_t(TIER_TEXT[s.scores.tier], lang)})", bold_lead=_t(S["overall"], lang) + ":"))
    for para in _range_paras(s.scores, lang):
        sec.add(para)
    return [sec, _findings(s, lang, annexes)]


SectionBuilder = Callable[[Screening, Lang, Annexes], "Section | list[Section] | None"]
def _bibliography_section(s: Screening, lang: Lang, annexes: Annexes) -> list[Section]:
    return _bibliography(lang)


SECTIONS: list[SectionBuilder] = [_summary, _determination, _conditions, _reports, _amendment, _ownership, _risk, _findings,
                                  _mitigation, _watch, _open_questions, _assumptions, _citations, _bibliography_section, _appendix]


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


def legend(langs: list[Lang], cover: Cover | None = None, privileged: bool = False) -> str:
    """The confidentiality legend: the cover's own, else the privilege legend when asked for, else a neutral
    'Confidential' / 機密 (both languages as '機密 / Confidential')."""
    if cover is not None and cover.legend:
        return cover.legend
    return _key("privileged" if privileged else "confidential", langs)


def cover_rows(langs: list[Lang], cover: Cover | None, matter: str | None, day: dt.date) -> list[tuple[str, str]]:
    """The cover block: To / From / Re / Date / Matter no., each only when given (Re defaults to the matter)."""
    c = cover or Cover()
    rows = [("to", c.to), ("from", c.from_), ("re", c.re or matter), ("date", " / ".join(format_date(day, x) for x in langs)),
            ("matter_number", c.matter_number)]
    return [(_key(k, langs), clip(v)) for k, v in rows if v]


def _notice(langs: list[Lang], record: Callable[[Lang], str] | None = None) -> Section:
    """The closing notice: what the memo rests on (as-of date, data version, fingerprint) and the disclaimer."""
    sec = Section(title=" / ".join(_t(S["notice"], x) for x in langs))
    if record is not None:
        for x in langs:
            sec.add(Para(text=record(x), tone="note"))
    return sec.add(Para(text=" ".join(_t(S["disclaimer"], x) for x in langs), tone="note"))


def _record_text(as_of: dt.date, version: str, fingerprint: str) -> Callable[[Lang], str]:
    return lambda x: _t(S["record"], x).format(as_of=format_date(as_of, x), version=version, fingerprint=fingerprint[:16])


def _document(title: str, subtitle: str | None, langs: list[Lang], lang: LangChoice, day: dt.date, cover: Cover | None,
              matter: str | None, privileged: bool = False) -> Document:
    c = cover or Cover()
    return Document(title=title, subtitle=subtitle, lang=lang, meta=cover_rows(langs, cover, matter, day),
                    marking=legend(langs, cover, privileged), date=" / ".join(format_date(day, x) for x in langs),
                    date_iso=day.isoformat(), author=c.from_)


def build_memo(s: Screening, lang: LangChoice = "en", date: dt.date | None = None, privileged: bool = False,
               view: Literal["memo", "check", "explain"] = "memo", *, cover: Cover | None = None) -> Document:
    """The memo as a document tree; ``lang='both'`` gives each section in Japanese then English.
    ``view='check'`` is the shorter determination view (no citation list or appendix). ``cover`` fills the
    To / From / Re / Matter no. block and may set the legend (default 'Confidential' / 機密; ``privileged``
    asks for the legal-advice legend instead)."""
    langs = _langs(lang)
    day = date or japan_today()
    doc = _document(_key("title", langs), s.matter, langs, lang, day, cover, s.matter, privileged)
    annexes = Annexes()
    bib = Bibliography(cited(s), load_catalog().sources) if view == "memo" else None
    token = _BIBLIOGRAPHY.set(bib)
    try:
        doc.sections = _interleave(s, langs, VIEWS[view], annexes) + annexes.sections()
    finally:
        _BIBLIOGRAPHY.reset(token)
    doc.sections.append(_notice(langs, _record_text(s.regime.as_of, s.regime.version, s.fingerprint)))
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
                   rows=[[_t(S[d], lang), f"{_n(g.component(d), lang)}", f"{_n(r.component(d), lang)}"] for d in DIMENSIONS]
                   + [[_t(S["overall"], lang), range_text(g, lang), range_text(r, lang)]]
                   + [[_t(S["tier"], lang), _t(TIER_TEXT[g.tier], lang), _t(TIER_TEXT[r.tier], lang)]], widths=[4, 2, 2]))
    finds = Section(title=_t(S["factors"], lang)).add(Table(
        header=[_t(S["finding"], lang), _t(S["points"], lang), _t(S["evidence"], lang)],
        rows=[[_t(f.text, lang), points_text(f.points, lang), "; ".join(f"{e.path} = {evidence_text(e.path, e.value, lang, annexes)}" for e in f.evidence)] for f in ls.findings], widths=[6, 1.6, 3]))
    recs = Section(title=_t(L["recommend"], lang)).add(Bullets(items=[
        f"{_t(x.text, lang)}" + (f" ({_t(L['planned'], lang)})" if x.planned else "") for x in ls.recommendations]))
    return [head, finds, recs]


def build_listing_memo(ls: "ListingScreening", lang: LangChoice = "en", date: dt.date | None = None, *,
                       cover: Cover | None = None) -> Document:
    """The listing screen as a document; ``cover`` as for :func:`build_memo` (Re defaults to the plan's matter)."""
    langs = _langs(lang)
    day = date or japan_today()
    doc = _document(" / ".join(_t(L["listing_title"], x) for x in langs), ls.matter, langs, lang, day, cover, ls.matter)
    annexes = Annexes()
    for x in langs:
        doc.sections += [summarise_section(sec, f"listing/{i}", x, annexes) for i, sec in enumerate(_listing_sections(ls, x, annexes))]
    doc.sections += annexes.sections()
    doc.sections.append(_notice(langs, _record_text(ls.as_of, ls.regime_version, ls.fingerprint)))
    return doc


def _bid_row(s: Screening, lang: Lang) -> list[str]:
    f = s.filing
    wait = f.waiting_period_days
    timeline = (f"{wait.days} days (to {wait.max_months} months)" if lang == "en" else f"{wait.days}日（最長{wait.max_months}か月）") if wait.status != "no" \
        else ("no waiting period" if lang == "en" else "禁止期間なし")
    top = sorted(s.findings, key=lambda x: -x.total)[:3]
    best = s.mitigations.suggestions[0] if s.mitigations.suggestions else None
    return [s.matter, _t(f.outcome.summary, lang), timeline,
            f"{_n(s.scores.threat, lang)}/{_n(s.scores.sensitivity, lang)}/{_n(s.scores.access, lang)} -> {range_text(s.scores, lang)} ({_t(TIER_TEXT[s.scores.tier], lang)})",
            " / ".join(_t(x.text, lang) for x in top),
            f"{_t(best.text, lang)} (→ {_t(S['overall'], lang)} {_n(best.overall_after, lang)})" if best else _t(S["none"], lang)]


def build_comparison(screenings: list[Screening], lang: LangChoice = "en", date: dt.date | None = None, *,
                     cover: Cover | None = None) -> Document:
    """Bids side by side: determination, timeline, scores, top findings and the best next mitigation.
    ``cover`` as for :func:`build_memo` (Re defaults to the bids' matters)."""
    langs = _langs(lang)
    day = date or japan_today()
    matters = "; ".join(dict.fromkeys(s.matter for s in screenings)) or None
    doc = _document(" / ".join(_t(L["compare_title"], x) for x in langs), None, langs, lang, day, cover, matters)
    as_of = sorted({s.regime.as_of for s in screenings})
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
    doc.sections.append(_notice(langs, lambda x: _t(S["judged_as_of"], x).format(date=", ".join(format_date(d, x) for d in as_of))))
    return doc
