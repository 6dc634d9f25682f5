"""What the memo's charts draw, in the memo's language: the ownership chart (who holds whom, from the
acquirer up to its ultimate owners, and the target) and the timeline (notification, waiting period,
closing, reports). Renderers lay these out (fdiscreen.render.figures); nothing here is drawn."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Mapping

from fdiscreen.i18n import Lang, T, Text, pct, pick
from fdiscreen.screening import Screening

CHART_TEXT: dict[str, Text] = {
    "accepted": T("Notification accepted", "届出受理"),
    "shortened": T("Shortened end (typical)", "短縮時の終了（通例）"),
    "wait_end": T("Waiting period ends", "禁止期間満了"),
    "ext": T("Extended review ends", "延長時の満了"),
    "max": T("Maximum with Council", "審議会意見時の最長"),
    "closing": T("Earliest closing", "最短の実行日"),
    "report": T("Reports due", "報告期限"),
    # the timeline's day texts ({n}: a number of days)
    "day": T("day {n}", "{n}日目"),
    "day_on": T("day {n}+", "{n}日目以降"),
    "after_closing": T("closing + {n}", "クロージング後{n}日"),
    # the ownership chart's sub-lines and edge labels
    "target": T("target", "対象会社"),
    "holding_entity": T("holding entity", "直接保有者"),
    "nominee_for_account": T("nominee (for account)", "名義人（計算）"),
    "nominee_contract": T("nominee (contract)", "名義人（契約）"),
    "loan": T("loan", "貸付け"),
    "consent": T("consent", "同意"),
    "branch": T("branch", "支店等の設置"),
    "executing_partner": T("GP", "業務執行組合員"),
    "dashed": T("Dashed: a tie that is not a shareholding (nominee, executing partner).",
                "破線：株式保有以外の関係（名義人、業務執行組合員）。"),
}

#: the ownership chart's name for each entity kind (the keys of fdiscreen.model.EntityKind)
KIND_TEXT: dict[str, Text] = {
    "individual": T("individual", "個人"),
    "corporation": T("company", "法人"),
    "partnership": T("fund", "組合"),
    "government": T("government", "外国政府"),
    "state_owned_enterprise": T("state-owned", "国有企業"),
    "sovereign_wealth_fund": T("sovereign fund", "政府系ファンド"),
    "public_pension": T("public pension", "公的年金"),
    "financial_institution": T("financial institution", "金融機関"),
}

#: what the acquirer's edge to the target says for an act that is not a shareholding
ACT_LABEL = {"loan": "loan", "consent_only": "consent", "branch_establishment": "branch"}


def _t(text: Text, lang: Lang) -> str:
    return text.get(lang)


def closing_text(closing: object, lang: Lang) -> str:
    """The closing date in the reader's convention (2027年9月30日, 30 September 2027), or day 0 without one."""
    from fdiscreen.locale import format_date

    if isinstance(closing, str):
        try:
            closing = dt.date.fromisoformat(closing)
        except ValueError:
            return closing
    if isinstance(closing, dt.date):
        return format_date(closing, lang)
    return _t(CHART_TEXT["day"], lang).format(n=0)


def timeline_data(s: Screening, lang: Lang) -> dict[str, object]:
    """Milestones in days from acceptance of the notification (or from closing when none is needed)."""
    f = s.filing
    w = f.waiting_period_days
    report_days = max((r.deadline_days or 0 for r in f.post_investment_report.reports), default=0)
    ms: list[dict[str, object]] = []
    bands: list[dict[str, object]] = []
    if w.status != "no" and w.days:
        ms += [{"label": _t(CHART_TEXT["accepted"], lang), "day": 0, "kind": "acceptance"},
               {"label": _t(CHART_TEXT["wait_end"], lang), "day": w.days, "kind": "waiting_end"},
               {"label": _t(CHART_TEXT["closing"], lang), "day": w.days, "kind": "closing",
                "when": _t(CHART_TEXT["day_on"], lang).format(n=w.days)}]
        if w.shortened_business_days:
            ms.append({"label": _t(CHART_TEXT["shortened"], lang), "day": round(w.shortened_business_days * 7 / 5), "kind": "shortened"})
        if w.extension_months:
            ms.append({"label": _t(CHART_TEXT["ext"], lang), "day": round(w.extension_months * 30.4), "kind": "extension"})
        if w.max_months:
            ms.append({"label": _t(CHART_TEXT["max"], lang), "day": round(w.max_months * 30.4), "kind": "extension"})
        bands.append({"from": 0, "to": w.days, "color": "#f5b7b1"})
        start = w.days
    else:
        ms.append({"label": _t(CHART_TEXT["closing"], lang), "day": 0, "kind": "closing",
                   "when": closing_text(s.input.get("transaction", {}).get("closing_date"), lang)})
        start = 0
    if report_days:
        ms.append({"label": _t(CHART_TEXT["report"], lang), "day": start + report_days, "kind": "report",
                   "when": _t(CHART_TEXT["after_closing"], lang).format(n=report_days)})
    for m in ms:
        m.setdefault("when", _t(CHART_TEXT["day"], lang).format(n=m["day"]))
    return {"milestones": ms, "bands": bands}


#: the most boxes one level of the ownership chart draws, and the most levels of owners above the acquirer
#: it draws (a presentation choice; the examples need 3 boxes and 4 levels). Owners beyond either are
#: left out of the chart and listed, with every stake, in an annex.
CHART_BOXES_PER_LEVEL = 6
CHART_LEVELS = 8


def _entities(s: Screening) -> dict[str, dict[str, object]]:
    return {e["id"]: e for e in s.input.get("entities", [])}


def ownership_levels(s: Screening) -> dict[str, int]:
    """The acquirer and every entity above it through the owners' lists, with the number of steps from
    the acquirer, in breadth-first order."""
    ents = _entities(s)
    level: dict[str, int] = {s.input["acquirer"]: 0}
    queue = deque(level)
    while queue:
        cur = queue.popleft()
        for h in ents.get(cur, {}).get("owners", []):  # type: ignore[union-attr]
            if h["owner"] not in level:
                level[h["owner"]] = level[cur] + 1
                queue.append(h["owner"])
    return level


def charted_entities(level: Mapping[str, int], chain: Iterable[str],
                     stakes: Mapping[str, Mapping[str, float]] | None = None) -> set[str]:
    """The entities the ownership chart draws, up to its limits: the acquirer, then on each level up the
    owners of entities already drawn (so no box floats free of the chart), the determination's chain
    first, then the largest stakes (``stakes``: holder -> held -> voting %), then breadth-first order."""
    on_chain = set(chain)
    stakes = stakes or {}
    order = {eid: k for k, eid in enumerate(level)}
    keep: set[str] = set()
    for lv in range(CHART_LEVELS + 1):
        row = [eid for eid in level if level[eid] == lv and (lv == 0 or eid in on_chain or any(h in keep for h in stakes.get(eid, {})))]
        if lv and not stakes:  # no stakes given: every entity of the level is a candidate
            row = [eid for eid in level if level[eid] == lv]
        row.sort(key=lambda e: (e not in on_chain, -max((v for h, v in stakes.get(e, {}).items() if h in keep), default=0.0), order[e]))
        keep.update(row[:CHART_BOXES_PER_LEVEL])
    return keep


def _stakes(ents: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, float]]:
    """Holder -> held entity -> voting % from the owners' lists (an unknown percentage counts as 0)."""
    out: dict[str, dict[str, float]] = {}
    for eid, ent in ents.items():
        for h in ent.get("owners", []) or []:  # type: ignore[union-attr]
            pct_ = h.get("voting_pct")
            out.setdefault(h["owner"], {})[eid] = float(pct_) if isinstance(pct_, (int, float)) else 0.0
    return out


def entity_name(ent: Mapping[str, object], lang: Lang) -> str:
    """An entity's name as the memo writes it: the Japanese name in a Japanese memo when there is one."""
    return pick(lang, str(ent.get("name") or ent.get("id", "")), ent.get("name_ja") or None) or ""  # type: ignore[arg-type]


def entity_sub(ent: Mapping[str, object], lang: Lang, role: str | None = None) -> str:
    """A box's second line: the jurisdiction code and the entity's kind (or its role in the deal)."""
    kind = _t(CHART_TEXT[role], lang) if role else _t(KIND_TEXT[str(ent["kind"])], lang) if ent.get("kind") in KIND_TEXT else str(ent.get("kind", ""))
    return " · ".join(x for x in (str(ent.get("jurisdiction") or ""), kind) if x)


def _stake(value: object) -> str:
    return pct(value) if isinstance(value, (int, float)) else "?"  # type: ignore[arg-type]


def _executing_partners(nodes: dict[str, dict[str, object]], ents: Mapping[str, Mapping[str, object]], lang: Lang,
                        link: Callable[[str, str, str, bool, str], None], highlight_edges: set[tuple[str, str]]) -> None:
    """A charted partnership's executing partners (業務執行組合員, FEFTA Art. 26(1)(iv)), each a dashed arrow
    to the partnership, where the level above it has room left (they are not stakes: not counted in
    ``drawn``/``omitted`` and not in the stakes annex)."""
    per_level: dict[object, int] = {}
    for n in nodes.values():
        per_level[n["level"]] = per_level.get(n["level"], 0) + 1
    for eid in list(nodes):
        part = ents.get(eid, {}).get("partnership") or {}
        for gp in part.get("executing_partners", []) if isinstance(part, Mapping) else []:
            lv = int(nodes[eid]["level"]) + 1  # type: ignore[call-overload]
            if gp in ents and gp not in nodes and per_level.get(lv, 0) < CHART_BOXES_PER_LEVEL:
                nodes[gp] = {"id": gp, "label": entity_name(ents[gp], lang), "sub": entity_sub(ents[gp], lang), "level": lv,
                             "highlight": False, "foreign": False}
                per_level[lv] = per_level.get(lv, 0) + 1
            link(gp, eid, _t(CHART_TEXT["executing_partner"], lang), (gp, eid) in highlight_edges, "dashed")


def ownership_data(s: Screening, lang: Lang) -> dict[str, object]:
    """Nodes and edges of the ownership chart, every edge from holder to held: the acquirer's owners up to
    the ultimate owners, the acquirer, an overseas holding entity it buys into (an indirect acquisition,
    drawn acquirer -> holding entity -> target), the person a nominee acquirer acts for, closely related
    holders of the target, and the target. ``level`` counts layers up from the target (0). The chain the
    determination found (foreign_investor.chain) is highlighted. A structure wider or deeper than the
    chart's limits is drawn in part: ``drawn`` and ``omitted`` count the entities above and including the
    acquirer drawn and left out."""
    inp = s.input
    ents = _entities(s)
    acq = inp["acquirer"]
    fi = s.filing.foreign_investor
    chain = fi.chain
    on_chain = set(chain)
    highlight_edges = {(chain[i + 1], chain[i]) for i in range(len(chain) - 1)}
    level = ownership_levels(s)
    keep = charted_entities(level, chain, _stakes(ents))
    tx = inp.get("transaction", {})
    ind = tx.get("indirect")
    base = 2 if ind else 1  # the acquirer's layer: the target is at 0, an overseas holding entity at 1
    nodes: dict[str, dict[str, object]] = {
        eid: {"id": eid, "label": entity_name(ents[eid], lang), "sub": entity_sub(ents[eid], lang), "level": lv + base,
              "highlight": eid in on_chain, "foreign": eid in on_chain} for eid, lv in level.items() if eid in keep}
    edges: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()

    def link(src: str, dst: str, label: str, highlight: bool, style: str = "solid") -> None:
        if src != dst and (src, dst) not in seen and src in nodes and dst in nodes:
            seen.add((src, dst))
            edges.append({"src": src, "dst": dst, "label": label, "highlight": highlight, "style": style})

    nodes["__target__"] = {"id": "__target__", "label": pick(lang, inp["target"]["name"], inp["target"].get("name_ja")),
                           "sub": f"JP · {_t(CHART_TEXT['target'], lang)}", "level": 0, "role": "target"}
    for eid in level:
        for h in ents.get(eid, {}).get("owners", []):  # type: ignore[union-attr]
            link(h["owner"], eid, _stake(h.get("voting_pct")), (h["owner"], eid) in highlight_edges)
    if ind:
        holder = ind["holding_entity"]
        nodes.setdefault(holder, {"id": holder, "label": entity_name(ents[holder], lang), "level": 1, "highlight": True,
                                  "sub": entity_sub(ents[holder], lang, "holding_entity")})
        link(acq, holder, _stake(ind.get("acquirer_voting_after_pct")), True)
        link(holder, "__target__", _stake(ind.get("holding_entity_stake_in_target_pct")), True)
    else:
        act = ACT_LABEL.get(str(tx.get("kind")))
        held = tx.get("shares_after_pct")
        parts = ([_stake(held)] if held is not None or not act else []) + ([_t(CHART_TEXT[act], lang)] if act else [])
        label = " · ".join(parts)  # the stake after, and the act when it is not a share acquisition (2% · consent)
        link(acq, "__target__", label, bool(chain or fi.deemed))
    nominee = tx.get("nominee")
    if nominee and nominee.get("acting_for") in ents:
        principal = nominee["acting_for"]
        nodes.setdefault(principal, {"id": principal, "label": entity_name(ents[principal], lang), "sub": entity_sub(ents[principal], lang),
                                     "level": base + 1, "highlight": bool(fi.deemed), "foreign": bool(fi.deemed)})
        how = "nominee_contract" if nominee.get("arrangement") == "contract" else "nominee_for_account"
        link(principal, acq, _t(CHART_TEXT[how], lang), bool(fi.deemed), "dashed")
        if fi.deemed and acq in nodes:
            nodes[acq]["highlight"] = True
    _executing_partners(nodes, ents, lang, link, highlight_edges)
    for eid in list(nodes):  # closely related persons' own holdings of the target (target_voting_pct)
        held = ents.get(eid, {}).get("target_voting_pct")
        if eid != acq and isinstance(held, (int, float)) and held > 0:
            link(eid, "__target__", _stake(held), False)
    legend = _t(CHART_TEXT["dashed"], lang) if any(e["style"] == "dashed" for e in edges) else ""
    return {"nodes": list(nodes.values()), "edges": edges, "drawn": len(keep), "omitted": len(level) - len(keep), "legend": legend}


def ownership_rows(s: Screening) -> list[list[str]]:
    """Every stake above the acquirer: owned entity, owner, voting rights (breadth-first order)."""
    ents = _entities(s)

    def name(eid: str) -> str:
        return f"{ents.get(eid, {}).get('name', eid)} ({eid})"

    return [[name(eid), name(h["owner"]), f"{h['voting_pct']:g}%"]
            for eid in ownership_levels(s) for h in ents.get(eid, {}).get("owners", [])]  # type: ignore[union-attr]
