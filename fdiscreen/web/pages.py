"""Server-rendered HTML pages. Every string that did not come from this file goes through ``esc``;
nothing is loaded from the network (inline CSS, images as data: URLs, no scripts)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fdiscreen.assess.combine import Scores
from fdiscreen.assess.finding import DIMENSIONS, FACTOR_TEXT
from fdiscreen.assess.mitigation import Measure
from fdiscreen.filing.conclusion import Conclusion
from fdiscreen.i18n import Text
from fdiscreen.cases import RULES
from fdiscreen.regime import FactorItem
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


CSS = """
:root { color-scheme: light; --ink:#1d2733; --navy:#1f3a5f; --line:#c9d1dc; --soft:#f4f6f9; --muted:#5b6573; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, "Hiragino Sans", "Yu Gothic UI", "Meiryo", "Noto Sans CJK JP", "IPAexGothic", "fdiscreen-ja", sans-serif;
  font-size:15px; line-height:1.5; color:var(--ink); background:#fff; }
header.top { background:var(--navy); color:#fff; }
header.top .bar { max-width:1240px; margin:0 auto; padding:.55rem 1.2rem; display:flex; gap:1.4rem; align-items:center; flex-wrap:wrap; }
header.top a, header.top button.link { color:#fff; text-decoration:none; font:inherit; }
header.top a.brand { font-weight:700; margin-right:.6rem; }
header.top nav { display:flex; gap:1.1rem; flex-wrap:wrap; flex:1; }
header.top nav a.here { border-bottom:2px solid #fff; }
.switch a, .switch button { border:1px solid #fff8; border-radius:4px; padding:.1rem .55rem; background:transparent; cursor:pointer; }
main { max-width:1240px; margin:0 auto; padding:1rem 1.2rem 3rem; }
h1 { font-size:1.45rem; margin:.4rem 0 .6rem; }
h2 { font-size:1.15rem; color:var(--navy); margin:1.6rem 0 .5rem; border-bottom:1px solid var(--line); padding-bottom:.15rem; }
h3 { font-size:1rem; margin:.2rem 0 .3rem; }
h1, h2, h3, .meta span { overflow-wrap:anywhere; }
p { margin:.35rem 0; overflow-wrap:anywhere; }
.muted, .hint { color:var(--muted); font-size:.86rem; }
.error { background:#fdecea; border-left:4px solid #c62828; padding:.5rem .8rem; margin:.6rem 0; overflow-wrap:anywhere; }
.grid2 { display:grid; grid-template-columns:repeat(2, minmax(0,1fr)); gap:1rem; }
.grid3 { display:grid; grid-template-columns:repeat(3, minmax(0,1fr)); gap:.2rem 1rem; }
@media (max-width: 900px) { .grid2, .grid3 { grid-template-columns:1fr; } }
fieldset { border:1px solid var(--line); border-radius:6px; padding:.5rem .9rem .8rem; margin:0; min-width:0; }
legend { font-weight:700; color:var(--navy); padding:0 .3rem; }
label.f, div.f { display:grid; grid-template-columns: 15.5rem minmax(0,1fr); gap:.5rem; align-items:center; margin:.28rem 0; }
label.f > span, div.f > span { font-size:.9rem; }
label.c { display:flex; gap:.45rem; align-items:flex-start; margin:.22rem 0; font-size:.9rem; }
label.c input { margin-top:.2rem; flex:none; }
input[type=text], input[type=number], input[type=date], select, textarea { font:inherit; font-size:.9rem; padding:.22rem .35rem;
  border:1px solid #aab4c2; border-radius:4px; width:100%; min-width:0; background:#fff; }
textarea { min-height:3.2rem; }
.invalid { outline:2px solid #c62828; }
table.rows { width:100%; border-collapse:collapse; }
table.rows td, table.rows th { padding:.15rem .3rem; border:0; font-size:.85rem; text-align:left; font-weight:normal; color:var(--muted); }
.actions { margin:1rem 0; display:flex; gap:.8rem; align-items:center; flex-wrap:wrap; }
button.primary, button.btn, a.btn { font:inherit; border-radius:5px; cursor:pointer; padding:.4rem 1rem; }
button.primary { background:var(--navy); color:#fff; border:1px solid var(--navy); font-weight:600; }
button.btn, a.btn { background:#fff; color:var(--navy); border:1px solid var(--navy); padding:.25rem .7rem; font-size:.88rem; text-decoration:none; }
table.data { width:100%; border-collapse:collapse; table-layout:fixed; margin:.4rem 0 1rem; font-size:.86rem; }
table.data th, table.data td { border:1px solid var(--line); padding:.3rem .45rem; vertical-align:top; text-align:left; overflow-wrap:anywhere; }
table.data th { background:var(--navy); color:#fff; font-weight:600; }
table.data tbody tr:nth-child(even) td { background:var(--soft); }
table.data td.num, table.data th.num { text-align:right; font-variant-numeric:tabular-nums; }
table.auto { table-layout:auto; width:auto; min-width:24rem; }
table.auto td, table.auto th { overflow-wrap:normal; }
.bids { display:grid; grid-template-columns:repeat(auto-fit, minmax(34rem, 1fr)); gap:0 1.2rem; }
.bids section { border:1px solid var(--line); border-radius:6px; padding:0 .8rem .6rem; margin-top:1rem; }
.bids h3 { margin-top:.6rem; }
.wide { overflow-x:auto; }
.banner { padding:.7rem 1rem; border-radius:6px; margin:.6rem 0 1rem; font-size:1.02rem; }
.banner strong { margin-right:.4rem; }
.tone-good { background:#e8f5e9; border-left:5px solid #2e7d32; }
.tone-warn { background:#fff8e1; border-left:5px solid #f9a825; }
.tone-bad { background:#fdecea; border-left:5px solid #c62828; }
.tone-note { color:var(--muted); font-size:.9rem; }
.badge { display:inline-block; border-radius:3px; padding:0 .4rem; font-size:.78rem; font-weight:700; white-space:nowrap; }
.st-yes { background:#dbe8f7; color:#14406e; } .st-no { background:#eceff3; color:#4a5563; } .st-indeterminate { background:#fff0c2; color:#7a5200; }
.cards { display:grid; grid-template-columns:repeat(2, minmax(0,1fr)); gap:.7rem; }
@media (max-width: 900px) { .cards { grid-template-columns:1fr; } }
.card { border:1px solid var(--line); border-radius:6px; padding:.55rem .75rem; min-width:0; }
.card ul { margin:.25rem 0; padding-left:1.2rem; font-size:.88rem; }
.card .cite { font-size:.78rem; color:var(--muted); overflow-wrap:anywhere; }
.card .facts { background:#fffaf0; border-radius:4px; padding:.25rem .5rem; margin-top:.35rem; font-size:.85rem; }
.meta { display:flex; flex-wrap:wrap; gap:.3rem 1.5rem; font-size:.86rem; color:var(--muted); }
.meter { background:#e7ebf0; border-radius:3px; height:.55rem; position:relative; min-width:4rem; margin-top:.35rem; }
.meter > i { position:absolute; left:0; top:0; bottom:0; border-radius:3px; background:#8ea4bf; }
.meter.res > i { background:var(--navy); }
td.num, th.num, .nowrap { white-space:nowrap; }
code { font-size:.8rem; }
.chip { display:inline-block; background:#eef1f6; border-radius:3px; padding:0 .3rem; margin:0 .2rem .2rem 0; font-size:.74rem; overflow-wrap:anywhere; }
.measures { columns:2; column-gap:2rem; }
.measures label.c { break-inside:avoid; }
.measures .sug { color:#1b5e20; font-weight:600; font-size:.8rem; }
.measures .off { color:var(--muted); font-size:.8rem; }
.dl { display:grid; grid-template-columns:max-content repeat(3, minmax(0, 1fr)); gap:.4rem .6rem; align-items:center; max-width:40rem; }
.dl button { width:100%; }
img.plot { max-width:100%; height:auto; border:1px solid var(--line); border-radius:4px; }
figure { margin:.5rem 0; } figcaption { font-size:.85rem; color:var(--muted); }
pre.deal { background:var(--soft); padding:.6rem; font-size:.78rem; white-space:pre-wrap; overflow-wrap:anywhere; max-height:24rem; overflow:auto; }
details > summary { cursor:pointer; color:var(--navy); margin:.4rem 0; }
details > summary h3 { display:inline; }
.upload { background:var(--soft); border:1px solid var(--line); border-radius:6px; padding:.6rem .9rem; margin:.4rem 0 1rem; }
.upload form { display:flex; gap:.8rem 1.4rem; flex-wrap:wrap; align-items:center; }
.upload label.c { align-items:center; margin:0; } .upload label.c input { margin-top:0; width:auto; }
""".strip()


@dataclass
class Ctx:
    """What every page needs: its language, the access token to carry in links, and the current path."""

    lang: PageLang = "en"
    token: str | None = None
    path: str = "/"
    query: dict[str, str] = field(default_factory=dict)

    def t(self, key: str) -> str:
        return esc(t(key, self.lang))

    def tx(self, text: Text | None) -> str:
        return "" if text is None else esc(text.get(self.lang))

    def url(self, path: str, **params: str | None) -> str:
        """A same-site URL (escaped for an attribute) with the page language and, if set, the token."""
        q = {k: v for k, v in params.items() if v is not None}
        q.setdefault("lang", self.lang)
        if self.token:
            q["token"] = self.token
        return esc(path + "?" + urlencode(q))

    def asset(self, path: str) -> str:
        """A fixed same-site resource (the font), carrying only the token when one is set."""
        return esc(path + ("?" + urlencode({"token": self.token}) if self.token else ""))

    @property
    def other(self) -> PageLang:
        return "en" if self.lang == "ja" else "ja"


def page(ctx: Ctx, title: str, body: str, switch: str | None = None) -> str:
    """The frame: header with navigation and the language switch, then the body. ``switch`` replaces
    the default language link (the result page re-submits its form instead)."""
    if switch is None:
        params = {k: v for k, v in ctx.query.items() if k not in ("lang", "token")}
        switch = f'<a href="{ctx.url(ctx.path, **{**params, "lang": ctx.other})}" lang="{ctx.other}">{ctx.t("lang_switch")}</a>'
    nav = []
    for href, key in (("/", "nav_screen"), ("/compare", "nav_compare"), ("/batch", "nav_batch"), ("/cases", "nav_cases")):
        here = ' class="here"' if ctx.path == href or (href == "/" and ctx.path in ("/screen", "/upload", "/result")) else ""
        nav.append(f'<a href="{ctx.url(href)}"{here}>{ctx.t(key)}</a>')
    api = f'<a href="{ctx.url("/openapi.json")}">{ctx.t("nav_api")}</a>'
    return f"""<!DOCTYPE html>
<html lang="{ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(title)} — fdiscreen</title>
<style>
@font-face {{ font-family:"fdiscreen-ja"; src:url("{ctx.asset('/font/ipaexg.ttf')}") format("truetype");
  font-weight:100 900; unicode-range: U+3000-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF; font-display:swap; }}
{CSS}
</style>
</head>
<body>
<header class="top"><div class="bar">
<a class="brand" href="{ctx.url('/')}">{ctx.t('app')}</a>
<nav>{''.join(nav)}{api}</nav>
<div class="switch">{switch}</div>
</div></header>
<main>
{body}
<p class="muted" style="margin-top:2rem">{ctx.t('footer')}</p>
</main>
</body>
</html>
"""


def error_box(ctx: Ctx, message: str | None) -> str:
    if not message:
        return ""
    return f'<div class="error" role="alert"><strong>{ctx.t("error")}:</strong> {esc(message)}</div>'


def options(pairs: Iterable[tuple[str, str]], current: str | None) -> str:
    """``<option>`` elements for (value, label) pairs, the current value selected."""
    return "".join(f'<option value="{esc(v)}"{" selected" if v == current else ""}>{esc(lab)}</option>' for v, lab in pairs)


def message_page(ctx: Ctx, title_key: str, message: str) -> str:
    return page(ctx, t(title_key, ctx.lang), f"<h1>{ctx.t(title_key)}</h1>{error_box(ctx, message)}"
                f'<p><a href="{ctx.url("/")}">{ctx.t("new_screening")}</a></p>')


# -- the screening form ---------------------------------------------------------------------------

class FormView:
    """Renders inputs pre-filled from submitted values, marking the field an error points at."""

    def __init__(self, ctx: Ctx, values: Mapping[str, Any] | None, invalid: str | None) -> None:
        self.ctx = ctx
        self.values = values or {}
        self.invalid = invalid

    def _v(self, name: str, default: str = "") -> str:
        v = self.values.get(name)
        return default if v is None or not isinstance(v, str) else v

    def _attrs(self, name: str) -> str:
        bad = ' class="invalid" aria-invalid="true"' if name == self.invalid else ""
        return f'name="{esc(name)}" id="{esc(name)}"{bad}'

    def text(self, name: str, label: str, default: str = "", *, kind: str = "text", extra: str = "", hint: str = "") -> str:
        ph = f' placeholder="{esc(hint)}"' if hint else ""
        return (f'<label class="f" for="{esc(name)}"><span>{label}</span>'
                f'<input type="{kind}" {self._attrs(name)} value="{esc(self._v(name, default))}"{ph}{extra}></label>')

    def number(self, name: str, label: str, default: str = "", *, step: str = "any", max_: str = "100") -> str:
        return self.text(name, label, default, kind="number", extra=f' min="0" max="{max_}" step="{step}"')

    def select(self, name: str, label: str, choices: Iterable[tuple[str, str]], default: str = "") -> str:
        return (f'<label class="f" for="{esc(name)}"><span>{label}</span>'
                f'<select {self._attrs(name)}>{options(choices, self._v(name, default))}</select></label>')

    def tri(self, name: str, label: str, default: str = "") -> str:
        c = self.ctx
        return self.select(name, label, [("", t("unknown", c.lang)), ("false", t("no", c.lang)), ("true", t("yes", c.lang))], default)

    def box(self, name: str, label: str, value: str = "on", checked: bool | None = None) -> str:
        if checked is None:
            got = self.values.get(name)
            checked = (value in got) if isinstance(got, list) else (got == value)
        return (f'<label class="c"><input type="checkbox" name="{esc(name)}" value="{esc(value)}"'
                f'{" checked" if checked else ""}><span>{label}</span></label>')


def _enum_options(group: str, lang: PageLang) -> list[tuple[str, str]]:
    return [(v, enum_label(group, v, lang)) for v in ENUMS[group]]


def form_page(ctx: Ctx, activities: list[tuple[FactorItem, str | None]], measures: dict[str, Measure], countries: Iterable[str],
              values: Mapping[str, Any] | None = None, error: str | None = None, invalid: str | None = None,
              upload_error: str | None = None) -> str:
    """The screening form, and the deal-file upload beside it."""
    c = ctx
    f = FormView(ctx, values, invalid)
    kinds = _enum_options("entity_kind", c.lang)
    opt_kinds = [("", "—"), *kinds]
    acq = [f.text("acq_name", c.t("name")), f.select("acq_kind", c.t("kind"), kinds, "corporation"),
           f.text("acq_jurisdiction", c.t("jurisdiction"), extra=' list="countries" maxlength="2" autocomplete="off"', hint="US"),
           f.number("acq_state_owned_pct", c.t("state_owned_pct"))]
    acq += [f.tri(f"acq_{k}", c.t(k)) for k in ACQUIRER_TRI]
    acq += [f.select("acq_investment_plan", c.t("investment_plan"), _enum_options("investment_plan", c.lang), ""),
            f'<div class="f"><span>{c.t("past_conduct")}</span><div>'
            + "".join(f.box(f"acq_past_{k}", c.t(f"past_{k}")) for k in PAST_CONDUCT) + "</div></div>"]
    owners = ['<table class="rows"><thead><tr><th></th>'
              f'<th>{c.t("name")}</th><th>{c.t("kind")}</th><th>{c.t("jurisdiction")}</th><th>{c.t("voting_pct")}</th></tr></thead><tbody>']
    for i in range(1, MAX_OWNERS + 1):
        kind_opts = options(opt_kinds, f._v(f"own{i}_kind"))
        owners.append(
            f'<tr><td>{i}</td>'
            f'<td><input type="text" {f._attrs(f"own{i}_name")} value="{esc(f._v(f"own{i}_name"))}" aria-label="{c.t("owner")} {i} {c.t("name")}"></td>'
            f'<td><select {f._attrs(f"own{i}_kind")} aria-label="{c.t("owner")} {i} {c.t("kind")}">{kind_opts}</select></td>'
            f'<td><input type="text" {f._attrs(f"own{i}_jurisdiction")} value="{esc(f._v(f"own{i}_jurisdiction"))}" list="countries" maxlength="2" style="width:4.5rem" aria-label="{c.t("owner")} {i} {c.t("jurisdiction")}"></td>'
            f'<td><input type="number" {f._attrs(f"own{i}_voting_pct")} value="{esc(f._v(f"own{i}_voting_pct"))}" min="0" max="100" step="any" style="width:6rem" aria-label="{c.t("owner")} {i} {c.t("voting_pct")}"></td></tr>')
    owners.append("</tbody></table>")
    act_opts = [("", t("activity_none", c.lang))] + [
        (a.id, f"{a.label.get(c.lang)}" + (f" — {cls}" if cls else "")) for a, cls in activities]
    biz = ['<table class="rows"><thead><tr><th></th>'
           f'<th>{c.t("name")}</th><th>{c.t("activity")}</th></tr></thead><tbody>']
    for i in range(1, MAX_BUSINESSES + 1):
        opts = options(act_opts, f._v(f"biz{i}_activity"))
        biz.append(f'<tr><td>{i}</td><td><input type="text" {f._attrs(f"biz{i}_name")} value="{esc(f._v(f"biz{i}_name"))}" aria-label="{c.t("business")} {i}"></td>'
                   f'<td><select {f._attrs(f"biz{i}_activity")} aria-label="{c.t("activity")} {i}">{opts}</select></td></tr>')
    biz.append("</tbody></table>")
    subs = [(f'<table class="rows"><thead><tr><th></th><th>{c.t("name")}</th><th>{c.t("activity")}</th>'
             f'<th>{c.t("sub_ownership_pct")}</th></tr></thead><tbody>')]
    for i in range(1, MAX_SUBSIDIARIES + 1):
        opts = options(act_opts, f._v(f"sub{i}_activity"))
        subs.append(f'<tr><td>{i}</td><td><input type="text" {f._attrs(f"sub{i}_name")} value="{esc(f._v(f"sub{i}_name"))}" aria-label="{c.t("subsidiary")} {i} {c.t("name")}"></td>'
                    f'<td><select {f._attrs(f"sub{i}_activity")} aria-label="{c.t("subsidiary")} {i} {c.t("activity")}">{opts}</select></td>'
                    f'<td><input type="number" {f._attrs(f"sub{i}_ownership_pct")} value="{esc(f._v(f"sub{i}_ownership_pct"))}" min="0" max="100" step="any" style="width:6rem" aria-label="{c.t("subsidiary")} {i} {c.t("sub_ownership_pct")}"></td></tr>')
    subs.append(f'</tbody></table><p class="hint">{c.t("subsidiaries_hint")}</p>')
    tgt = [f.text("tgt_name", c.t("name")),
           f.select("tgt_listed", c.t("listed"), [("true", t("yes", c.lang)), ("false", t("no", c.lang))], "true"),
           f.text("tgt_securities_code", c.t("securities_code"), extra=' maxlength="12"'),
           *[f.tri(f"tgt_{k}", c.t(k)) for k in TARGET_TRI],
           f.number("tgt_global_market_share_pct", c.t("global_market_share_pct")),
           *[f'<label class="f" for="tgt_{k}"><span>{c.t(k)}</span>'
             f'<textarea {f._attrs(f"tgt_{k}")} rows="2">{esc(f._v(f"tgt_{k}"))}</textarea></label>' for k in ("technologies", "critical_infrastructure")]]
    tx_left = [f.select("tx_kind", c.t("tx_kind"), _enum_options("tx_kind", c.lang), "share_acquisition"),
               f'<p class="hint">{c.t("tx_kind_hint")}</p>',
               f.number("tx_shares_before_pct", c.t("shares_before_pct"), "0"),
               f.number("tx_shares_after_pct", c.t("shares_after_pct")),
               f.number("tx_closely_related_voting_pct", c.t("closely_related_voting_pct"), "0"),
               f.number("tx_proxy_voting_pct", c.t("proxy_voting_pct")),
               f.number("tx_joint_voting_pct", c.t("joint_voting_pct")),
               f.select("tx_acquired_from", c.t("acquired_from"), _enum_options("acquired_from", c.lang), "unknown")]
    tx_left += [f.number(f"tx_{k}", c.t(k), "0", step="1", max_="99") for k in TX_COUNTS]
    tx_right = [f'<h3>{c.t("technology_access")}</h3>'] + [f.box(f"ta_{k}", c.t(k)) for k in TECH_ACCESS]
    tx_right += [f'<h3>{c.t("proposals")}</h3>', f.box("tx_prop_transfer", c.t("prop_transfer")),
                 f.box("tx_prop_abolition", c.t("prop_abolition")), *[f.box(f"tx_{k}", c.t(k)) for k in TX_BOXES]]
    loan = [f'<h3>{c.t("loan")}</h3>'] + [
        f.number(f"loan_{k}", c.t(k), step="any" if k == "term_years" else "1", max_="100" if k == "term_years" else "1e15")
        for k in LOAN_FIELDS] + [f.box("loan_lender_financial_institution_in_business", c.t("lender_financial_institution_in_business"))]
    indirect = [f'<h3>{c.t("indirect")}</h3>', f.text("ind_name", c.t("holding_entity")),
                f.select("ind_kind", c.t("kind"), kinds, "corporation"),
                f.text("ind_jurisdiction", c.t("jurisdiction"), extra=' list="countries" maxlength="2" autocomplete="off"'),
                *[f.number(f"ind_{k}", c.t(k)) for k in INDIRECT_PCTS],
                f.box("ind_related_persons_take_officer_majority", c.t("related_persons_take_officer_majority"))]
    nominee = [f'<h3>{c.t("nominee")}</h3>', f.text("nom_name", c.t("principal")),
               f.select("nom_kind", c.t("kind"), kinds, "individual"),
               f.text("nom_jurisdiction", c.t("jurisdiction"), extra=' list="countries" maxlength="2" autocomplete="off"'),
               f.tri("nom_resident_in_japan", c.t("resident_in_japan")),
               f.select("nom_arrangement", c.t("arrangement"), _enum_options("arrangement", c.lang), "for_account")]
    chosen = values.get("measure") if values else None
    chosen_list = chosen if isinstance(chosen, list) else ([chosen] if isinstance(chosen, str) else [])
    meas = []
    for side in ("deal", "target"):
        meas.append(f'<h3>{c.t("side_" + side)}</h3><div class="measures">')
        for mid, m in measures.items():
            if m.side == side:
                meas.append(f.box("measure", f"{c.tx(m.text)} <span class=\"muted\">[{esc(mid)}]</span>", mid, mid in chosen_list))
        meas.append("</div>")
    datalist = '<datalist id="countries">' + "".join(f'<option value="{esc(x)}">' for x in sorted(countries)) + "</datalist>"
    general = [f.text("matter", c.t("matter"), hint=t("matter_hint", c.lang)),
               f.text("as_of", c.t("as_of"), kind="date", hint=t("as_of_hint", c.lang)),
               f.text("amendment_effective", c.t("amendment_effective") + f' <span class="muted">({c.t("optional")})</span>', kind="date")]
    upload = f"""
<div class="upload" id="upload">
<h2 style="margin-top:.2rem;border:0">{c.t('upload_title')}</h2>
{error_box(ctx, upload_error)}
<form method="post" action="{c.url('/upload')}" enctype="multipart/form-data">
<input type="file" name="deal_file" id="deal_file" accept=".yaml,.yml,.json,application/json" required aria-label="{c.t('deal_file')}">
<label class="c"><span>{c.t('as_of')}</span><input type="date" name="as_of" style="width:10rem"></label>
<label class="c"><span>{c.t('amendment_effective')}</span><input type="date" name="amendment_effective" style="width:10rem"></label>
<button class="primary" type="submit">{c.t('upload_button')}</button>
</form>
<p class="hint">{c.t('upload_hint')}</p>
</div>"""
    body = f"""
<h1>{c.t('form_title')}</h1>
<p class="muted">{c.t('form_intro')}</p>
{upload}
{error_box(ctx, error)}
<form method="post" action="{c.url('/screen')}" id="screen-form">
{datalist}
<div class="grid2">
<fieldset><legend>{c.t('acquirer')}</legend>{''.join(acq)}</fieldset>
<div style="display:grid;gap:1rem;align-content:start">
<fieldset><legend>{c.t('owners')}</legend>{''.join(owners)}</fieldset>
<fieldset><legend>{c.t('matter')} · {c.t('as_of')}</legend>{''.join(general)}</fieldset>
</div>
<fieldset><legend>{c.t('target')}</legend>{''.join(tgt)}</fieldset>
<div style="display:grid;gap:1rem;align-content:start">
<fieldset><legend>{c.t('businesses')}</legend>{''.join(biz)}</fieldset>
<fieldset><legend>{c.t('subsidiaries')}</legend>{''.join(subs)}</fieldset>
</div>
</div>
<fieldset style="margin-top:1rem"><legend>{c.t('transaction')}</legend>
<div class="grid2"><div>{''.join(tx_left)}</div><div>{''.join(tx_right)}</div></div>
<div class="grid2" id="other-acts"><div>{''.join(loan)}</div><div>{''.join(indirect)}</div></div>
<div class="grid2" id="nominee"><div>{''.join(nominee)}</div><div></div></div>
</fieldset>
<fieldset style="margin-top:1rem"><legend>{c.t('measures_offered')}</legend>{''.join(meas)}</fieldset>
<div class="actions"><button class="primary" type="submit" id="submit-screen" name="lang" value="{c.lang}">{c.t('submit_screen')}</button></div>
</form>"""
    return page(ctx, t("form_title", c.lang), body)


# -- the result page ------------------------------------------------------------------------------

def _status(ctx: Ctx, status: str) -> str:
    return f'<span class="badge st-{esc(status)}">{esc(enum_label("status", status, ctx.lang))}</span>'


def _question(ctx: Ctx, c: Conclusion) -> str:
    q = QUESTIONS.get(c.id) or getattr(c, "label", None)
    return ctx.tx(q) if isinstance(q, Text) else esc(c.id)


def _conclusion_card(ctx: Ctx, c: Conclusion) -> str:
    parts = [f'<div class="card" id="c-{esc(c.id)}"><h3>{_question(ctx, c)} {_status(ctx, c.status)}</h3><p>{ctx.tx(c.summary)}</p>']
    if c.reasons:
        parts.append(f'<div class="muted">{ctx.t("reasons")}</div><ul>' + "".join(f"<li>{ctx.tx(r)}</li>" for r in c.reasons) + "</ul>")
    if c.citations:
        parts.append(f'<p class="cite"><strong>{ctx.t("citations")}:</strong> ' + "; ".join(esc(x.short(ctx.lang)) for x in c.citations) + "</p>")
    if c.facts_needed:
        parts.append(f'<div class="facts"><strong>{ctx.t("facts_needed")}:</strong><ul>'
                     + "".join(f"<li><code>{esc(x.path)}</code> — {ctx.tx(x.question)}</li>" for x in c.facts_needed) + "</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def _bar(value: float, residual: bool = False) -> str:
    width = max(0.0, min(100.0, value))
    return f'<div class="meter{" res" if residual else ""}"><i style="width:{width:.1f}%"></i></div>'


def _overall_cell(scores: Scores, cell_id: str) -> str:
    """The overall score (known facts) and, beside it, its range where facts are unknown."""
    shown = range_text(scores, "en")
    extra = f' <span class="muted range-span">({esc(shown)})</span>' if shown != f"{scores.overall:g}" else ""
    return f'<span id="{cell_id}">{scores.overall:g}</span>{extra}'


def _range_block(ctx: Ctx, s: Screening) -> str:
    """The range over the unknown facts and the facts that would move it most."""
    rg = s.scores.range
    if rg is None or rg.high == rg.low:
        return ""
    parts = [f'<div class="range" id="score-range"><strong>{ctx.t("range")}:</strong> {rg.low:g}-{rg.high:g} '
             f'<span class="muted">({ctx.t("range_note")})</span>']
    if rg.crosses_tier:
        parts.append(f'<p class="note">{ctx.t("range_crosses")} ({ctx.tx(TIER_TEXT[rg.high_tier])})</p>')
    if rg.movers:
        parts.append(f'<p>{ctx.t("movers")}:</p><ul>' + "".join(
            f"<li>{esc(ctx.tx(m.question))}: {rg.low:g}-{m.overall_if_conservative:g} <code>{esc(m.path)}</code></li>" for m in rg.movers) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def _scores(ctx: Ctx, s: Screening) -> str:
    g, r = s.scores, s.mitigations.residual
    rows = []
    for d in DIMENSIONS:
        gv, rv = g.component(d), r.component(d)
        rows.append(f'<tr><td>{ctx.t(d)}</td><td class="num" id="gross-{d}">{gv:g}</td><td>{_bar(gv)}</td>'
                    f'<td class="num" id="residual-{d}">{rv:g}</td><td>{_bar(rv, True)}</td></tr>')
    rows.append(f'<tr style="font-weight:700"><td>{ctx.t("overall")}</td><td class="num">{_overall_cell(g, "gross-overall")}</td><td>{_bar(g.overall)}</td>'
                f'<td class="num">{_overall_cell(r, "residual-overall")}</td><td>{_bar(r.overall, True)}</td></tr>')
    rows.append(f'<tr><td>{ctx.t("tier")}</td><td colspan="2" id="gross-tier">{ctx.tx(TIER_TEXT[g.tier])}</td>'
                f'<td colspan="2" id="residual-tier">{ctx.tx(TIER_TEXT[r.tier])}</td></tr>')
    rows.append(f'<tr><td>{ctx.t("predicted")}</td><td colspan="2">{ctx.tx(OUTCOME_TEXT[g.predicted_outcome])}</td>'
                f'<td colspan="2">{ctx.tx(OUTCOME_TEXT[r.predicted_outcome])}</td></tr>')
    return (f'<table class="data" id="scores"><colgroup><col style="width:34%"><col style="width:12%"><col style="width:21%">'
            f'<col style="width:12%"><col style="width:21%"></colgroup>'
            f'<thead><tr><th>{ctx.t("dimension")}</th><th class="num">{ctx.t("gross")}</th><th></th>'
            f'<th class="num">{ctx.t("residual")}</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="muted" id="score-formula">{esc(combine_text(g, ctx.lang))}</p>' + _range_block(ctx, s))


def _findings(ctx: Ctx, s: Screening) -> str:
    if not s.findings:
        return f"<p>{ctx.t('no_findings')}</p>"
    rows = []
    for i, f in enumerate(s.findings):
        res = s.mitigations.residual_points.get(f"{i}:{f.id}")
        ev = "<br>".join(f"<code>{esc(e.path)}</code> = {esc(json.dumps(e.value, ensure_ascii=False, default=str))}" for e in f.evidence)
        basis = "".join(f"<br>{esc(b.ref_in(ctx.lang))}" for b in f.basis[2:])
        rows.append(f"<tr><td>{ctx.tx(FACTOR_TEXT.get(f.factor))}</td><td>{ctx.tx(f.text)}<div class=\"muted\">{esc(f.id)}</div></td>"
                    f'<td class="num">{esc(points_text(f.points))}</td><td class="num">{"" if res is None else f"{res:+g}"}</td>'
                    f"<td>{ev}</td><td>{esc(f.consideration)}{basis}</td><td>{''.join(f'<span class=chip>{esc(m)}</span>' for m in f.mitigations)}</td></tr>")
    return (f'<div class="wide"><table class="data" id="findings"><colgroup><col style="width:10%"><col style="width:24%"><col style="width:9%">'
            f'<col style="width:7%"><col style="width:19%"><col style="width:16%"><col style="width:15%"></colgroup>'
            f'<thead><tr><th>{ctx.t("factor")}</th><th>{ctx.t("finding")}</th><th class="num">{ctx.t("points")}</th>'
            f'<th class="num">{ctx.t("residual_pts")}</th><th>{ctx.t("evidence")}</th><th>{ctx.t("basis")}</th>'
            f'<th>{ctx.t("addressed_by")}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _open_questions(ctx: Ctx, s: Screening) -> str:
    facts = s.filing.open_facts()
    if not facts:
        return f"<p>{ctx.t('none')}</p>"
    rows = "".join(f"<tr><td><code>{esc(x.path)}</code></td><td>{ctx.tx(x.question)}</td><td>{ctx.tx(x.conservative_reading)}</td>"
                   f"<td>{ctx.tx(x.who_confirms)}</td></tr>" for x in facts)
    return (f'<table class="data" id="open-questions"><colgroup><col style="width:22%"><col style="width:34%"><col style="width:26%">'
            f'<col style="width:18%"></colgroup><thead><tr><th>{ctx.t("field")}</th><th>{ctx.t("question")}</th>'
            f'<th>{ctx.t("conservative")}</th><th>{ctx.t("who_confirms")}</th></tr></thead><tbody>{rows}</tbody></table>')


def _mitigation(ctx: Ctx, s: Screening, measures: dict[str, Measure], mitigate: list[str]) -> str:
    offered = set(s.input.get("transaction", {}).get("risk_mitigation_measures", []))
    suggested = {x.measure: x for x in s.mitigations.suggestions}
    relevant = {m for f in s.findings for m in f.mitigations}
    parts = [f'<p class="muted">{ctx.t("mitigation_hint")}</p>']
    for side in ("deal", "target"):
        ordered = sorted(((mid, m) for mid, m in measures.items() if m.side == side), key=lambda p: (p[0] not in relevant, p[0]))
        boxes = []
        for mid, m in ordered:
            note = ""
            if mid in offered:
                note = f' <span class="off">({ctx.t("offered_in_deal")})</span>'
            elif mid in suggested:
                note = f' <span class="sug">({ctx.t("suggested")}: {ctx.t("overall_after")} {suggested[mid].overall_after:g})</span>'
            state = " checked disabled" if mid in offered else (" checked" if mid in mitigate else "")
            boxes.append(f'<label class="c"><input type="checkbox" name="mitigate" value="{esc(mid)}" id="m-{esc(mid)}"{state}>'
                         f'<span>{ctx.tx(m.text)} <span class="muted">[{esc(mid)}]</span>{note}</span></label>')
        title = f'<h3>{ctx.t("side_" + side)} <span class="muted">({len(boxes)})</span></h3>'
        if side == "deal":
            parts.append(f'{title}<div class="measures">{"".join(boxes)}</div>')
        else:
            is_open = " open" if any(mid in mitigate or mid in offered for mid, m in ordered) else ""
            parts.append(f'<details{is_open}><summary>{title}</summary><div class="measures">{"".join(boxes)}</div></details>')
    if s.mitigations.notification_duty:
        parts.append(f'<p class="tone-note">{ctx.tx(s.mitigations.notification_duty)}</p>')
    parts.append(f'<div class="actions"><button class="primary" type="submit" id="rescreen" name="lang" value="{ctx.lang}">'
                 f'{ctx.t("rescreen")}</button></div>')
    return "".join(parts)


def _downloads(ctx: Ctx, action: str = "/memo", hint: str = "downloads_hint") -> str:
    cells = []
    for fmt, name in (("pdf", "PDF"), ("docx", "DOCX"), ("md", "Markdown")):
        cells.append(f"<strong>{name}</strong>")
        for lg in ("ja", "en", "both"):
            full = f"{name} · {t('lang_' + lg, ctx.lang)}"
            cells.append(f'<button class="btn" type="submit" formaction="{ctx.url(action)}" name="dl" value="{fmt}:{lg}" '
                         f'id="dl-{fmt}-{lg}" title="{esc(full)}" aria-label="{esc(full)}">{ctx.t("lang_" + lg)}</button>')
    return f'<div class="dl">{"".join(cells)}</div><p class="hint">{ctx.t(hint)}</p>'


def result_page(ctx: Ctx, s: Screening, deal_json: str, measures: dict[str, Measure], mitigate: list[str],
                as_of: str | None, amendment: str | None) -> str:
    f = s.filing
    light = LIGHT[f.outcome.code]
    tone = {"GREEN": "good", "AMBER": "warn", "RED": "bad"}[light.en]
    applied = "; ".join(ctx.tx(x) for x in s.mitigations.applied_text) or ctx.t("none")
    hidden = [f'<input type="hidden" name="deal" value="{esc(deal_json)}">']
    if as_of:
        hidden.append(f'<input type="hidden" name="as_of" value="{esc(as_of)}">')
    if amendment:
        hidden.append(f'<input type="hidden" name="amendment_effective" value="{esc(amendment)}">')
    watch = ""
    if s.watchlist_hits:
        watch = (f"<h2>{ctx.t('watch')}</h2><ul>" + "".join(
            f"<li>{esc(h.entity_name)} — {esc(h.list_name)}: {esc(h.listed_name)} ({h.score:.2f})</li>" for h in s.watchlist_hits) + "</ul>")
    body = f"""
<form method="post" action="{ctx.url('/result')}#scores" id="state">
{''.join(hidden)}
<h1>{ctx.t('result_title')}: <span id="matter">{esc(s.matter)}</span></h1>
<div class="meta"><span>{ctx.t('as_of')}: {esc(s.regime.as_of.isoformat())}</span><span>{ctx.t('regime')}: {esc(s.regime.version)}</span>
<span>{ctx.t('fingerprint')}: <code>{esc(s.fingerprint[:16])}</code></span>
<a href="{ctx.url('/')}">{ctx.t('new_screening')}</a></div>
<div class="banner tone-{tone}" id="outcome" data-outcome="{esc(f.outcome.code)}"><strong>{ctx.t('outcome')}: {ctx.tx(light)}</strong>{ctx.tx(f.outcome.summary)}</div>
<div class="grid2">
<div><h2 style="margin-top:.3rem">{ctx.t('scores')}</h2>{_scores(ctx, s)}
<p><strong>{ctx.t('applied')}:</strong> <span id="applied">{applied}</span></p></div>
<div><h2 style="margin-top:.3rem">{ctx.t('downloads')}</h2>{_downloads(ctx)}
<h2>{ctx.t('open_questions')}</h2>{_open_questions(ctx, s)}</div>
</div>
<h2 id="mitigation">{ctx.t('mitigation')}</h2>
{_mitigation(ctx, s, measures, mitigate)}
<h2>{ctx.t('conclusions')}</h2>
<div class="cards">{''.join(_conclusion_card(ctx, c) for c in f.conclusions())}</div>
<h2>{ctx.t('findings')}</h2>
{_findings(ctx, s)}
{watch}
<details><summary>{ctx.t('input')}</summary><pre class="deal">{esc(json.dumps(s.input, ensure_ascii=False, indent=2, default=str))}</pre></details>
</form>"""
    switch = f'<button class="link" type="submit" form="state" name="lang" value="{ctx.other}" lang="{ctx.other}">{ctx.t("lang_switch")}</button>'
    return page(ctx, f"{t('result_title', ctx.lang)}: {s.matter}", body, switch=switch)


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
    upload = f"""
<div class="upload">
<form method="post" action="{ctx.url('/compare')}" enctype="multipart/form-data">
<input type="file" name="files" id="files" multiple accept=".yaml,.yml,.json,application/json" required aria-label="{ctx.t('deal_files')}">
<label class="c"><span>{ctx.t('as_of')}</span><input type="date" name="as_of" style="width:10rem"></label>
<button class="primary" type="submit" name="lang" value="{ctx.lang}">{ctx.t('compare_button')}</button>
</form>
<p class="hint">{ctx.t('compare_intro')}</p>
</div>"""
    result = ""
    if doc is not None:
        meta = " · ".join(f"{esc(k)}: {esc(v)}" for k, v in doc.meta)
        hidden = "".join(f'<input type="hidden" name="deal" value="{esc(d)}">' for d in deals_json or [])
        if as_of:
            hidden += f'<input type="hidden" name="as_of" value="{esc(as_of)}">'
        memo = (f'<h2>{ctx.t("downloads")}</h2><form method="post" action="{ctx.url("/compare/memo")}" id="compare-state">{hidden}'
                f'{_downloads(ctx, "/compare/memo", "compare_downloads_hint")}</form>') if deals_json else ""
        result = f'<p class="muted">{meta}</p>{memo}<div id="comparison">{document_html(doc, figure_png)}</div>'
    body = f"<h1>{ctx.t('compare_title')}</h1>{upload}{error_box(ctx, error)}{result}"
    return page(ctx, t("compare_title", ctx.lang), body)


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


def batch_page(ctx: Ctx, columns: Mapping[str, Any], run: BatchRun | None = None, error: str | None = None) -> str:
    """The table upload, the flat columns it takes, and a screened table's summary, downloads and rows."""
    upload = f"""
<div class="upload">
<form method="post" action="{ctx.url('/batch')}" enctype="multipart/form-data">
<input type="file" name="table" id="table" accept=".csv,.parquet,.jsonl,.ndjson" required aria-label="{ctx.t('table_file')}">
<label class="c"><span>{ctx.t('as_of')}</span><input type="date" name="as_of" style="width:10rem"></label>
<button class="primary" type="submit" id="submit-batch" name="lang" value="{ctx.lang}">{ctx.t('batch_button')}</button>
</form>
<p class="hint">{ctx.t('batch_intro')}</p>
</div>"""
    rows = "".join(f"<tr><td><code>{esc(name)}</code></td><td>{esc(col.kind)}</td><td>{esc(col.doc)}</td></tr>" for name, col in columns.items())
    docs = (f'<details><summary>{ctx.t("batch_columns")} ({len(columns)})</summary><table class="data" id="batch-columns">'
            f'<thead><tr><th style="width:16rem">{ctx.t("column")}</th><th style="width:5rem">{ctx.t("type")}</th>'
            f'<th>{ctx.t("meaning")}</th></tr></thead><tbody>{rows}</tbody></table></details>')
    body = [f"<h1>{ctx.t('batch_title')}</h1>", upload, error_box(ctx, error)]
    if run is not None:
        body.append(_batch_result(ctx, run))
    body.append(docs)
    return page(ctx, t("batch_title", ctx.lang), "".join(body))


def _batch_result(ctx: Ctx, run: BatchRun) -> str:
    res, err = run.results, run.errors
    counts = []
    for column, shown in (("outcome", "filing"), ("tier", "tier")):
        cells = "".join(f'<tr><td>{esc(enum_label(shown, str(v), ctx.lang))}</td><td class="num">{n:,}</td></tr>'
                        for v, n in res[column].value_counts().items())
        counts.append(f'<table class="data auto" id="count-{column}"><thead><tr><th>{esc(column_label(shown, ctx.lang))}</th>'
                      f'<th class="num">{ctx.t("count")}</th></tr></thead><tbody>{cells}</tbody></table>')
    downloads = (f'<p class="actions"><a class="btn" id="dl-results" href="{ctx.url(f"/batch/{run.run_id}/results.csv")}">{ctx.t("results_csv")}</a>'
                 f'<a class="btn" id="dl-errors" href="{ctx.url(f"/batch/{run.run_id}/errors.csv")}">{ctx.t("errors_csv")}</a></p>')
    shown = res[list(BATCH_SHOWN)].head(BATCH_PAGE_ROWS).rename(columns=BATCH_SHOWN)
    note = t("first_rows", ctx.lang).format(n=len(shown), total=f"{len(res):,}") if len(res) > len(shown) else ""
    out = [f'<h2>{ctx.t("batch_summary")}: {esc(run.name)}</h2>',
           f'<p id="batch-counts"><strong>{len(res):,}</strong> {ctx.t("rows_screened")} · <strong>{len(err):,}</strong> {ctx.t("bad_rows")}</p>',
           f'<div class="grid2" style="align-items:start">{"".join(counts)}</div>', f'<h2>{ctx.t("batch_downloads")}</h2>', downloads,
           f'<h2>{ctx.t("batch_results")}</h2>', f'<p class="hint">{esc(note)}</p>' if note else "",
           _frame_table(shown, "batch-results", ("row", "overall"), ctx.lang)]
    if len(err):
        out += [f'<h2>{ctx.t("batch_errors")} ({len(err):,})</h2>', _frame_table(err.head(BATCH_PAGE_ROWS), "batch-errors", ("row",), ctx.lang)]
    return "".join(out)


# -- case library ---------------------------------------------------------------------------------

def _frame_table(frame: Any, table_id: str, numeric: Iterable[str] = (), lang: PageLang = "en") -> str:
    nums = set(numeric)
    head = "".join(f'<th{" class=num" if c in nums else ""}>{esc(column_label(c, lang))}</th>' for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col, v in zip(frame.columns, row):
            text = "" if v is None or (isinstance(v, float) and v != v) else (v.isoformat() if isinstance(v, dt.date) else str(v))
            text = enum_label(col, text, lang)
            cls = " class=num" if col in nums else (" class=nowrap" if col == "date" or re.fullmatch(r"[\d-]{4,10}", text) else "")
            cells.append(f"<td{cls}>{esc(text).replace('_', '_<wbr>')}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="wide"><table class="data auto" id="{esc(table_id)}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def cases_page(ctx: Ctx, library: Any, rules: str | None = None, replay: dict[str, Any] | None = None, error: str | None = None) -> str:
    opts = options([(r, f"{r} — {t('rules_' + r, ctx.lang)}") for r in RULES], rules)
    form = f"""
<form method="get" action="/cases" class="actions">
<input type="hidden" name="lang" value="{ctx.lang}">{f'<input type="hidden" name="token" value="{esc(ctx.token)}">' if ctx.token else ''}
<label class="c" for="rules"><span>{ctx.t('rules')}</span></label><select name="rules" id="rules" style="width:auto">{opts}</select>
<button class="primary" type="submit" id="replay">{ctx.t('replay')}</button>
</form>"""
    out = [f"<h1>{ctx.t('cases_title')}</h1><p class=\"muted\">{ctx.t('cases_intro')}</p>", form, error_box(ctx, error)]
    if replay is not None:
        ev = replay["evaluation"]
        out.append(f'<h2>{ctx.t("replay_title")}: {esc(rules)}</h2>')
        out.append(f'<div class="grid2"><div><table class="data auto" id="metrics"><tbody>'
                   f'<tr><th>{ctx.t("auc")}</th><td class="num" id="auc">{esc(ev["auc"])}</td></tr>'
                   f'<tr><th>{ctx.t("auc_ci")}</th><td class="num" id="auc-ci">{esc("-".join(str(x) for x in ev["auc_ci95"]) if ev["auc_ci95"] else "")}</td></tr>'
                   f'<tr><th>{ctx.t("accuracy")}</th><td class="num">{esc(ev["accuracy"])}</td></tr>'
                   f'<tr><th>{ctx.t("rated")}</th><td class="num">{esc(ev["rated"])} / {esc(ev["cases"])} '
                   f'({esc(ev["positives"])} {ctx.t("n_at_risk")}, {esc(ev["negatives"])} {ctx.t("n_cleared")})</td></tr></tbody></table>'
                   f'<h3>{ctx.t("confusion")}</h3>{_confusion(ev["confusion"], ctx.lang)}{_plot(replay["plots"], "score_by_outcome.png")}</div>'
                   f'<div>{_plot(replay["plots"], "roc.png")}{_plot(replay["plots"], "calibration.png")}</div></div>')
        out.append(f"<h3>{ctx.t('calibration')}</h3>" + _frame_table(ev["calibration"], "calibration", ("share_at_risk", "mean_overall"), ctx.lang))
        cols = ["case", "date", "jurisdiction", "actual_outcome", "filing", "threat", "sensitivity", "access", "overall", "overall_high",
                "tier", "predicted", "agreement"]
        out.append(f"<h3>{ctx.t('replay_title')}</h3>" + _frame_table(replay["table"][cols], "replay-table",
                                                                        ("threat", "sensitivity", "access", "overall", "overall_high"), ctx.lang))
        out.append(f"<h3>{ctx.t('misses')} ({len(ev['misses'])})</h3>" + _frame_table(ev["misses"], "misses", ("overall",), ctx.lang))
    cols = [c for c in ("case", "title", "date", "jurisdiction", "outcome", "acquirer", "acquirer_country", "target", "stake_after_pct",
                        "confidence") if c in library.columns]
    out.append(f"<h2>{ctx.t('library')} ({len(library)} {ctx.t('cases_count')})</h2>" + _frame_table(library[cols], "library", ("stake_after_pct",), ctx.lang))
    return page(ctx, t("cases_title", ctx.lang), "\n".join(out))


def _confusion(matrix: Any, lang: PageLang) -> str:
    head = "".join(f'<th class="num">{esc(enum_label("predicted", str(c), lang))}</th>' for c in matrix.columns)
    rows = "".join(f"<tr><th>{esc(enum_label('predicted', str(idx), lang))}</th>" + "".join(f'<td class="num">{esc(v)}</td>' for v in row) + "</tr>"
                   for idx, row in zip(matrix.index, matrix.values.tolist()))
    corner = f"{t('actual', lang)} \\ {t('predicted_short', lang)}"
    return f'<table class="data auto" id="confusion"><thead><tr><th>{esc(corner)}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _plot(plots: dict[str, bytes], name: str) -> str:
    data = plots.get(name)
    if not data:
        return ""
    return (f'<figure><img class="plot" id="plot-{esc(name.split(".")[0])}" alt="{esc(name)}" '
            f'src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}"></figure>')
