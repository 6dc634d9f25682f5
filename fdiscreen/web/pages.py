"""Server-rendered HTML pages from Jinja2 templates (``fdiscreen/web/templates/*.html``, autoescaped,
undefined names an error). Python builds plain data for each page; a firm restyles the workbench by
editing the templates and ``fdiscreen/web/static/workbench.css`` (inlined into every page, so the
Content-Security-Policy needs no stylesheet source). Nothing is loaded from the network (no scripts,
images as data: URLs, the Japanese font from this server). The only HTML made in Python is the memo
document's blocks (``render.html.block_html``, which escapes) and the ownership chart's SVG."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from fdiscreen.assess.finding import DIMENSIONS, FACTOR_TEXT
from fdiscreen.assess.mitigation import Measure
from fdiscreen.filing.conclusion import Conclusion
from fdiscreen.i18n import Text
from fdiscreen.cases import RULES
from fdiscreen.regime import FactorItem
from fdiscreen.render.cells import cell_text, figure_text
from fdiscreen.render.document import Document, Figure
from fdiscreen.render.document import Table as DocTable
from fdiscreen.render.html import block_html
from fdiscreen.render.html import esc as html_esc
from fdiscreen.render.memo import LIGHT, OUTCOME_TEXT, QUESTIONS, TIER_TEXT, combine_text, points_text, range_text
from fdiscreen.screening import Screening
from fdiscreen.web.forms import (ACQUIRER_TRI, INDIRECT_PCTS, LOAN_FIELDS, MAX_BUSINESSES, MAX_OWNERS, MAX_SUBSIDIARIES, PAST_CONDUCT, TARGET_TRI, TECH_ACCESS, TX_BOXES,
                                 TX_COUNTS)
from fdiscreen.web.labels import ENUMS, PageLang, column_label, enum_label, t


def esc(value: object) -> str:
    """Text for HTML (content or a quoted attribute): escaped, with characters HTML forbids dropped."""
    return html_esc("" if value is None else value)


ENV = Environment(loader=PackageLoader("fdiscreen.web", "templates"), autoescape=select_autoescape(["html"]),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The workbench's CSS (static/workbench.css), inlined into every page."""
    return (files("fdiscreen.web") / "static" / "workbench.css").read_text(encoding="utf-8")


#: the stylesheet, for code that reads it as a constant
CSS = stylesheet()
NAV = (("/", "nav_screen"), ("/compare", "nav_compare"), ("/batch", "nav_batch"), ("/cases", "nav_cases"), ("/history", "nav_history"))
_SCREEN_PATHS = ("/", "/screen", "/upload", "/upload/form", "/result")


@dataclass
class Ctx:
    """What every page needs: its language, the access token to carry in links, and the current path.
    Its methods give plain text; the templates escape it."""

    lang: PageLang = "en"
    token: str | None = None
    path: str = "/"
    query: dict[str, str] = field(default_factory=dict)

    def t(self, key: str) -> str:
        return t(key, self.lang)

    def tx(self, text: Text | None) -> str:
        return "" if text is None else text.get(self.lang)

    def url(self, path: str, **params: str | None) -> str:
        """A same-site URL with the page language and, if set, the token."""
        q = {k: v for k, v in params.items() if v is not None}
        q.setdefault("lang", self.lang)
        if self.token:
            q["token"] = self.token
        return path + "?" + urlencode(q)

    def asset(self, path: str) -> str:
        """A fixed same-site resource (the font), carrying only the token when one is set."""
        return path + ("?" + urlencode({"token": self.token}) if self.token else "")

    @property
    def other(self) -> PageLang:
        return "en" if self.lang == "ja" else "ja"


def render(template: str, ctx: Ctx, title: str, **data: Any) -> str:
    """A page: the template filled with ``data`` inside the frame (navigation, language switch, CSS)."""
    params = {k: v for k, v in ctx.query.items() if k not in ("lang", "token")}
    nav = [{"href": href, "key": key, "here": ctx.path == href or (href == "/" and ctx.path in _SCREEN_PATHS)
            or (href != "/" and ctx.path.startswith(href + "/"))} for href, key in NAV]
    return ENV.get_template(template).render(c=ctx, title=title, css=Markup(stylesheet()), nav=nav,
                                             switch_url=ctx.url(ctx.path, **{**params, "lang": ctx.other}), **data)


def message_page(ctx: Ctx, title_key: str, message: str) -> str:
    return render("message.html", ctx, t(title_key, ctx.lang), title_key=title_key, message=message)


# -- the screening form ---------------------------------------------------------------------------

@dataclass
class FormState:
    """The values a form is filled with and the field an error points at (marked invalid)."""

    values: Mapping[str, Any] = field(default_factory=dict)
    invalid: str | None = None

    def v(self, name: str, default: str = "") -> str:
        value = self.values.get(name)
        return default if value is None or not isinstance(value, str) else value

    def checked(self, name: str, value: str = "on") -> bool:
        got = self.values.get(name)
        return (value in got) if isinstance(got, list) else (got == value)


def _enum_options(group: str, lang: PageLang) -> list[tuple[str, str]]:
    return [(v, enum_label(group, v, lang)) for v in ENUMS[group]]


def form_page(ctx: Ctx, activities: list[tuple[FactorItem, str | None]], measures: dict[str, Measure], countries: Iterable[str],
              values: Mapping[str, Any] | None = None, error: str | None = None, invalid: str | None = None,
              upload_error: str | None = None, note: str | None = None) -> str:
    """The screening form (prefilled from ``values``), and the deal-file upload beside it."""
    lang = ctx.lang
    kinds = _enum_options("entity_kind", lang)
    chosen = (values or {}).get("measure")
    chosen_list = chosen if isinstance(chosen, list) else ([chosen] if isinstance(chosen, str) else [])
    sides = [{"side": side, "measures": [{"id": mid, "text": ctx.tx(m.text), "chosen": mid in chosen_list}
                                         for mid, m in measures.items() if m.side == side]} for side in ("deal", "target")]
    return render("form.html", ctx, t("form_title", lang), f=FormState(values or {}, invalid), error=error, upload_error=upload_error,
                  note=note, countries=sorted(countries), kinds=kinds, optional_kinds=[("", "—"), *kinds],
                  activities=[("", t("activity_none", lang))] + [(a.id, a.label.get(lang) + (f" — {cls}" if cls else "")) for a, cls in activities],
                  acquirer_tri=ACQUIRER_TRI, past_conduct=PAST_CONDUCT, target_tri=TARGET_TRI, tech_access=TECH_ACCESS, tx_boxes=TX_BOXES,
                  tx_counts=TX_COUNTS, loan_fields=LOAN_FIELDS, indirect_pcts=INDIRECT_PCTS,
                  owner_rows=range(1, MAX_OWNERS + 1), business_rows=range(1, MAX_BUSINESSES + 1), subsidiary_rows=range(1, MAX_SUBSIDIARIES + 1),
                  investment_plans=_enum_options("investment_plan", lang), tx_kinds=_enum_options("tx_kind", lang),
                  acquired_from=_enum_options("acquired_from", lang), arrangements=_enum_options("arrangement", lang), measure_sides=sides)


# -- the result page ------------------------------------------------------------------------------

def _question(ctx: Ctx, c: Conclusion) -> str:
    q = QUESTIONS.get(c.id) or getattr(c, "label", None)
    return ctx.tx(q) if isinstance(q, Text) else c.id


def _conclusion(ctx: Ctx, c: Conclusion) -> dict[str, Any]:
    return {"id": c.id, "question": _question(ctx, c), "status": c.status, "status_label": enum_label("status", c.status, ctx.lang),
            "summary": ctx.tx(c.summary), "reasons": [ctx.tx(r) for r in c.reasons], "citations": [x.short(ctx.lang) for x in c.citations],
            "facts": [{"path": x.path, "question": ctx.tx(x.question)} for x in c.facts_needed]}


def _width(value: float) -> str:
    return f"{max(0.0, min(100.0, value)):.1f}"


def _overall(scores: Any, cell_id: str, residual: bool) -> dict[str, Any]:
    """The overall score (known facts) and, beside it, its range where facts are unknown."""
    shown = range_text(scores, "en")
    return {"id": cell_id, "value": f"{scores.overall:g}", "range": shown if shown != f"{scores.overall:g}" else "",
            "width": _width(scores.overall), "residual": residual}


def _range(ctx: Ctx, s: Screening) -> dict[str, Any] | None:
    rg = s.scores.range
    if rg is None or rg.high == rg.low:
        return None
    return {"low": f"{rg.low:g}", "high": f"{rg.high:g}", "crosses": rg.crosses_tier, "high_tier": ctx.tx(TIER_TEXT[rg.high_tier]),
            "movers": [{"question": ctx.tx(m.question), "overall": f"{m.overall_if_conservative:g}", "path": m.path} for m in rg.movers]}


def findings_rows(ctx: Ctx, s: Screening, findings: Iterable[Any] | None = None) -> list[dict[str, Any]]:
    """The findings table's rows (all findings, or the ones given, in that order)."""
    index = {id(f): i for i, f in enumerate(s.findings)}
    rows = []
    for f in (s.findings if findings is None else findings):
        res = s.mitigations.residual_points.get(f"{index[id(f)]}:{f.id}")
        rows.append({"factor": ctx.tx(FACTOR_TEXT.get(f.factor)), "text": ctx.tx(f.text), "id": f.id, "points": points_text(f.points),
                     "residual": "" if res is None else f"{res:+g}",
                     "evidence": [{"path": e.path, "value": json.dumps(e.value, ensure_ascii=False, default=str)} for e in f.evidence],
                     "consideration": f.consideration, "basis": [b.ref_in(ctx.lang) for b in f.basis[2:]], "mitigations": list(f.mitigations)})
    return rows


def _mitigation(ctx: Ctx, s: Screening, measures: dict[str, Measure], mitigate: list[str]) -> list[dict[str, Any]]:
    offered = set(s.input.get("transaction", {}).get("risk_mitigation_measures", []))
    suggested = {x.measure: x for x in s.mitigations.suggestions}
    relevant = {m for f in s.findings for m in f.mitigations}
    sides = []
    for side in ("deal", "target"):
        ordered = sorted(((mid, m) for mid, m in measures.items() if m.side == side), key=lambda p: (p[0] not in relevant, p[0]))
        boxes = [{"id": mid, "text": ctx.tx(m.text), "offered": mid in offered,
                  "suggested": f"{suggested[mid].overall_after:g}" if mid in suggested else None,
                  "state": " checked disabled" if mid in offered else (" checked" if mid in mitigate else "")} for mid, m in ordered]
        sides.append({"side": side, "boxes": boxes, "open": any(mid in mitigate or mid in offered for mid, _ in ordered)})
    return sides


def outcome_view(ctx: Ctx, s: Screening) -> dict[str, Any]:
    """The determination banner: its tone, light and summary."""
    light = LIGHT[s.filing.outcome.code]
    return {"tone": {"GREEN": "good", "AMBER": "warn", "RED": "bad"}[light.en], "light": ctx.tx(light),
            "outcome_code": s.filing.outcome.code, "summary": ctx.tx(s.filing.outcome.summary)}


def result_view(ctx: Ctx, s: Screening, measures: dict[str, Measure], mitigate: list[str]) -> dict[str, Any]:
    """Everything the result page shows about a Screening, as plain data."""
    g, r = s.scores, s.mitigations.residual
    dims = [{"key": d, "gross": f"{g.component(d):g}", "residual": f"{r.component(d):g}", "gross_width": _width(g.component(d)),
             "residual_width": _width(r.component(d))} for d in DIMENSIONS]
    return {**outcome_view(ctx, s), "matter": s.matter, "as_of": s.regime.as_of.isoformat(), "regime": s.regime.version,
            "fingerprint": s.fingerprint, "dimensions": dims,
            "overall": [_overall(g, "gross-overall", False), _overall(r, "residual-overall", True)],
            "tier": [ctx.tx(TIER_TEXT[g.tier]), ctx.tx(TIER_TEXT[r.tier])],
            "predicted": [ctx.tx(OUTCOME_TEXT[g.predicted_outcome]), ctx.tx(OUTCOME_TEXT[r.predicted_outcome])],
            "formula": combine_text(g, ctx.lang), "range": _range(ctx, s),
            "applied": "; ".join(ctx.tx(x) for x in s.mitigations.applied_text) or ctx.t("none"),
            "open_facts": [{"path": x.path, "question": ctx.tx(x.question), "conservative": ctx.tx(x.conservative_reading),
                            "who": ctx.tx(x.who_confirms)} for x in s.filing.open_facts()],
            "mitigation": _mitigation(ctx, s, measures, mitigate),
            "notification_duty": ctx.tx(s.mitigations.notification_duty) if s.mitigations.notification_duty else "",
            "conclusions": [_conclusion(ctx, c) for c in s.filing.conclusions()],
            "watch": [f"{h.entity_name} — {h.list_name}: {h.listed_name} ({h.score:.2f})" for h in s.watchlist_hits],
            "input": json.dumps(s.input, ensure_ascii=False, indent=2, default=str)}


@dataclass
class Chart:
    """An inline SVG chart (drawn by render.figures from the memo's chart data) and its caption."""

    svg: Markup
    caption: str


def result_page(ctx: Ctx, s: Screening, deal_json: str, measures: dict[str, Measure], mitigate: list[str],
                as_of: str | None, amendment: str | None, *, chart: Chart | None = None, note: str | None = None,
                history_id: int | None = None, history_note: str | None = None) -> str:
    """The result of a screening, with the state to re-screen (mitigation toggles), download the memo,
    the deal file or the Screening as JSON."""
    return render("result.html", ctx, f"{t('result_title', ctx.lang)}: {s.matter}", r=result_view(ctx, s, measures, mitigate),
                  findings=findings_rows(ctx, s), deal_json=deal_json, as_of=as_of, amendment=amendment, chart=chart, note=note,
                  history_id=history_id, history_note=history_note)


# -- documents (bid comparison) -------------------------------------------------------------------

def document_html(doc: Document, figure_png: Any = None) -> str:
    """A memo Document's sections as HTML (the memo renderer's blocks); figures as PNG data URLs when
    ``figure_png`` is given, else left out."""
    out = []
    in_grid = False
    for sec in doc.sections:
        if (sec.level > 1) != in_grid:  # level-2 sections (one per bid) sit side by side
            out.append("</div>" if in_grid else '<div class="bids">')
            in_grid = not in_grid
        tag = "h2" if sec.level <= 1 else "h3"
        out.append(f"<section><{tag}>{esc(sec.title)}</{tag}>")
        for blk in sec.blocks:
            if isinstance(blk, Figure):
                out.append(_figure(blk, figure_png, "ja" if doc.lang == "ja" else "en"))
            elif isinstance(blk, DocTable):
                out.append(f'<div class="wide">{block_html(blk, [0], "data")}</div>')
            else:
                out.append(block_html(blk, [0]))
        out.append("</section>")
    if in_grid:
        out.append("</div>")
    return "\n".join(out)


FIGURE_NOT_DRAWN = Text(en="This figure could not be drawn; the table shows the same figures.",
                        ja="この図は描画できなかった。同じ数値は表に示す。")


def _figure(fig: Figure, figure_png: Any, lang: PageLang) -> str:
    if figure_png is None:
        return ""
    try:
        data = base64.b64encode(figure_png(fig)).decode("ascii")
    except Exception as exc:  # noqa: BLE001 - a figure that cannot be drawn is reported, the table stays
        return (f'<figure class="not-drawn"><figcaption>{esc(fig.caption)}: {esc(FIGURE_NOT_DRAWN.get(lang))} '
                f"({esc(type(exc).__name__)})</figcaption></figure>")
    return (f'<figure><img class="plot" style="max-width:30rem" alt="{esc(fig.caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(fig.caption)}</figcaption></figure>")


def compare_page(ctx: Ctx, doc: Document | None = None, error: str | None = None, figure_png: Any = None,
                 deals_json: list[str] | None = None, as_of: str | None = None) -> str:
    document = Markup(document_html(doc, figure_png)) if doc is not None else None  # block_html escapes every text
    meta = [f"{k}: {v}" for k, v in doc.meta] if doc is not None else []
    return render("compare.html", ctx, t("compare_title", ctx.lang), error=error, document=document, meta=meta,
                  deals=deals_json or [], as_of=as_of)


# -- tables ---------------------------------------------------------------------------------------

@dataclass
class TableView:
    """A data table for the ``table`` macro: header cells, rows of cells, its id and classes."""

    id: str
    head: list[dict[str, Any]]
    rows: list[list[dict[str, Any]]]
    cls: str = "data auto"
    wrap: str = "wide"


def frame_table(frame: Any, table_id: str, numeric: Iterable[str] = (), lang: PageLang = "en",
                links: Mapping[str, Any] | None = None, cls: str = "data auto") -> TableView:
    """A DataFrame as a TableView: column labels and enum values in the page's language; ``links``
    maps a column to a function giving a cell's same-site link."""
    nums = set(numeric)
    head = [{"text": column_label(c, lang), "num": c in nums} for c in frame.columns]
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col, v in zip(frame.columns, row):
            text = enum_label(col, cell_text(v), lang)
            css = "num" if col in nums else ("nowrap" if col == "date" or re.fullmatch(r"[\d-]{4,10}", text) else "")
            href = links[col](text) if links and col in links else None
            cells.append({"text": Markup(esc(text).replace("_", "_<wbr>")), "cls": css, "href": href})
        rows.append(cells)
    return TableView(table_id, head, rows, cls)


# -- a table of deals -----------------------------------------------------------------------------

#: batch result columns shown on the page (the CSV download has them all), as the page names them
BATCH_SHOWN = {"row": "row", "matter": "matter", "outcome": "filing", "target_class": "target_class", "overall": "overall",
               "tier": "tier", "predicted_outcome": "predicted", "top_findings": "top_findings", "best_mitigation": "best_mitigation",
               "facts_to_confirm": "facts_to_confirm"}
BATCH_PAGE_ROWS = 200


@dataclass
class BatchRun:
    """A screened table as the batch page shows it: the upload's name, the two tables, and the id its
    CSV downloads are kept under."""

    name: str
    results: Any
    errors: Any
    run_id: str


def _batch_view(ctx: Ctx, run: BatchRun) -> dict[str, Any]:
    res, err = run.results, run.errors
    counts = [{"column": column, "label": column_label(shown, ctx.lang),
               "rows": [(enum_label(shown, str(v), ctx.lang), f"{n:,}") for v, n in res[column].value_counts().items()]}
              for column, shown in (("outcome", "filing"), ("tier", "tier"))]
    shown = res[list(BATCH_SHOWN)].head(BATCH_PAGE_ROWS).rename(columns=BATCH_SHOWN)
    note = t("first_rows", ctx.lang).format(n=len(shown), total=f"{len(res):,}") if len(res) > len(shown) else ""
    return {"name": run.name, "run_id": run.run_id, "screened": f"{len(res):,}", "bad": f"{len(err):,}", "counts": counts, "note": note,
            "results": frame_table(shown, "batch-results", ("row", "overall"), ctx.lang),
            "errors": frame_table(err.head(BATCH_PAGE_ROWS), "batch-errors", ("row",), ctx.lang) if len(err) else None}


def batch_page(ctx: Ctx, columns: Mapping[str, Any], run: BatchRun | None = None, error: str | None = None) -> str:
    """The table upload, the flat columns it takes, and a screened table's summary, downloads and rows."""
    return render("batch.html", ctx, t("batch_title", ctx.lang), error=error, run=_batch_view(ctx, run) if run is not None else None,
                  columns=[(name, col.kind, col.doc) for name, col in columns.items()])


# -- case library ---------------------------------------------------------------------------------

def _rule_choices(lang: PageLang) -> list[tuple[str, str]]:
    return [(r, f"{r} — {t('rules_' + r, lang)}") for r in RULES]


def _plot(plots: dict[str, bytes], name: str) -> list[dict[str, str]]:
    data = plots.get(name)
    if not data:
        return []
    return [{"id": name.split(".")[0], "name": name, "src": "data:image/png;base64," + base64.b64encode(data).decode("ascii")}]


def _confusion(matrix: Any, lang: PageLang) -> dict[str, Any]:
    return {"corner": f"{t('actual', lang)} \\ {t('predicted_short', lang)}",
            "head": [enum_label("predicted", str(c), lang) for c in matrix.columns],
            "rows": [(enum_label("predicted", str(idx), lang), row) for idx, row in zip(matrix.index, matrix.values.tolist())]}


def _replay_view(ctx: Ctx, replay: dict[str, Any], rules: str | None) -> dict[str, Any]:
    ev, lang = replay["evaluation"], ctx.lang
    case_link = _case_link(ctx, rules)
    cols = ["case", "date", "jurisdiction", "actual_outcome", "filing", "threat", "sensitivity", "access", "overall", "overall_high",
            "tier", "predicted", "agreement"]
    return {"auc": figure_text(ev["auc"]), "auc_ci": "-".join(figure_text(x) for x in ev["auc_ci95"]) if ev["auc_ci95"] else "",
            "accuracy": figure_text(ev["accuracy"]),
            "rated": ev["rated"], "cases": ev["cases"], "positives": ev["positives"], "negatives": ev["negatives"],
            "confusion": _confusion(ev["confusion"], lang),
            "plots_left": _plot(replay["plots"], "score_by_outcome.png"),
            "plots_right": _plot(replay["plots"], "roc.png") + _plot(replay["plots"], "calibration.png"),
            "calibration": frame_table(ev["calibration"], "calibration", ("share_at_risk", "mean_overall"), lang, cls="data fit"),
            "table": frame_table(replay["table"][cols], "replay-table", ("threat", "sensitivity", "access", "overall", "overall_high"), lang,
                                 {"case": case_link}, cls="data fit"),
            "misses_count": len(ev["misses"]),
            "misses": frame_table(ev["misses"], "misses", ("overall",), lang, {"case": case_link} if "case" in ev["misses"].columns else None,
                                  cls="data fit")}


def _case_link(ctx: Ctx, rules: str | None) -> Any:
    return lambda case_id: ctx.url(f"/cases/{case_id}", rules=rules)


def cases_page(ctx: Ctx, library: Any, rules: str | None = None, replay: dict[str, Any] | None = None, error: str | None = None) -> str:
    cols = [c for c in ("case", "title", "date", "jurisdiction", "outcome", "acquirer", "acquirer_country", "target", "stake_after_pct",
                        "confidence") if c in library.columns]
    table = frame_table(library[cols], "library", ("stake_after_pct",), ctx.lang, {"case": _case_link(ctx, rules)}, cls="data fit")
    return render("cases.html", ctx, t("cases_title", ctx.lang), rules=rules, rule_choices=_rule_choices(ctx.lang), error=error,
                  replay=_replay_view(ctx, replay, rules) if replay is not None else None, library={"count": len(library), "table": table})


def _yes_no(value: bool | None, lang: PageLang) -> str:
    return t("unknown", lang) if value is None else t("yes" if value else "no", lang)


def case_view(ctx: Ctx, case: Any) -> dict[str, Any]:
    """A case's facts as the detail page shows them: the deal in short, the decision, the review."""
    m, d, lang = case.meta, case.deal, ctx.lang
    acq = d.entity(d.acquirer)
    tx = d.transaction
    stake = tx.indirect.acquirer_voting_after_pct if tx.kind == "indirect_acquisition" and tx.indirect else tx.shares_after_pct
    rc = m.review_context
    facts = [(column_label("acquirer", lang), f"{acq.name} ({acq.jurisdiction})"),
             (column_label("target", lang), f"{d.target.name} · " + ", ".join(b.name for b in d.target.businesses)),
             (t("tx_kind", lang), enum_label("tx_kind", tx.kind, lang)),
             (column_label("stake_after_pct", lang), "" if stake is None else f"{stake:g}"),
             (column_label("outcome", lang), enum_label("outcome", m.outcome or "", lang) or t("case_no_decision", lang)),
             (column_label("date", lang), f"{cell_text(case.date)} ({m.decision_date_precision})"),
             (column_label("jurisdiction", lang), ", ".join([m.jurisdiction, *m.additional_jurisdictions])),
             (t("case_review_regime", lang), m.review_regime),
             (t("case_original_target_country", lang), m.original_target_country + (f" — {t('case_replayed_as_japanese', lang)}"
                                                                                  if m.replayed_as_japanese_target else "")),
             (t("case_notified_before_closing", lang), _yes_no(rc.notified_before_closing, lang)),
             (t("case_called_in", lang), _yes_no(rc.called_in_after_completion, lang)),
             (t("case_mitigation_offered", lang), _yes_no(rc.mitigation_offered, lang)),
             (t("case_mitigation_refused", lang), _yes_no(rc.mitigation_refused, lang)),
             (column_label("confidence", lang), m.confidence)]
    texts = [(t(key, lang), value) for key, value in (("case_rationale", m.stated_rationale), ("case_outcome_detail", m.outcome_detail),
                                                      ("case_mitigation", m.mitigation), ("case_unknown_facts", ", ".join(m.unknown_facts)),
                                                      ("case_encoding_notes", m.encoding_notes)) if value]
    return {"id": m.id, "title": m.title, "facts": facts, "texts": texts,
            "sources": [{"ref": s.ref, "url": s.url, "kind": s.kind} for s in m.sources],
            "fact_sources": [(path, ", ".join(str(n) for n in numbers)) for path, numbers in m.fact_sources.items()]}


#: how many findings the case page shows as the drivers of the score (the largest first)
CASE_DRIVERS = 8


def case_page(ctx: Ctx, case: Any, rules: str, s: Screening) -> str:
    """One case: its facts and sources, and its replay under ``rules`` with the findings that drove the score."""
    lang = ctx.lang
    drivers = sorted(s.findings, key=lambda x: -x.total)[:CASE_DRIVERS]
    facts = [(t("as_of", lang), s.regime.as_of.isoformat()), (t("rules", lang), f"{rules} — {t('rules_' + rules, lang)}"),
             (t("overall", lang), f"{s.scores.overall:g}"), (t("tier", lang), ctx.tx(TIER_TEXT[s.scores.tier])),
             (t("predicted", lang), ctx.tx(OUTCOME_TEXT[s.scores.predicted_outcome]))]
    replayed = {**outcome_view(ctx, s), "facts": facts, "findings": findings_rows(ctx, s, drivers)}
    return render("case.html", ctx, case.meta.title, case=case_view(ctx, case), rules=rules, rule_choices=_rule_choices(lang),
                  replayed=replayed)


# -- history --------------------------------------------------------------------------------------

def history_page(ctx: Ctx, entries: list[Any], total: int, page_no: int, size: int, where: str | None = None,
                 error: str | None = None, note: str | None = None) -> str:
    """The stored screenings, newest first, one page of ``size``, with open / edit / delete."""
    lang = ctx.lang
    rows = [{"id": e.id, "time": e.saved_at, "matter": e.matter, "as_of": e.as_of.isoformat(),
             "outcome": e.outcome_ja if lang == "ja" else e.outcome_en, "overall": f"{e.overall:g}",
             "tier": enum_label("tier", e.tier, lang)} for e in entries]
    pages = max(1, -(-total // size))
    return render("history.html", ctx, t("history_title", lang), rows=rows, error=error, note=note, where=where, page_no=page_no,
                  prev_page=page_no - 1 if page_no > 1 else None, next_page=page_no + 1 if page_no < pages else None,
                  page_text=t("history_page", lang).format(page=page_no, pages=pages, total=total))
