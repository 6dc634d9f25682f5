"""What the memo's charts draw, in the memo's language: the ownership chart (who holds whom, from the
acquirer up to its ultimate owners, and the target) and the timeline (notification, waiting period,
closing, reports). Renderers lay these out (fdiscreen.render.figures); nothing here is drawn."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from fdiscreen.i18n import Lang, T, Text
from fdiscreen.screening import Screening

CHART_TEXT: dict[str, Text] = {
    "accepted": T("Notification accepted", "届出受理"),
    "shortened": T("Shortened end (typical)", "短縮時の終了（通例）"),
    "wait_end": T("Waiting period ends", "禁止期間満了"),
    "ext": T("Extended review ends", "延長時の満了"),
    "max": T("Maximum with Council", "審議会意見時の最長"),
    "closing": T("Earliest closing", "最短の実行日"),
    "report": T("Reports due", "報告期限"),
}


def _t(text: Text, lang: Lang) -> str:
    return text.get(lang)


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
               {"label": _t(CHART_TEXT["closing"], lang), "day": w.days, "kind": "closing", "when": f"day {w.days}+"}]
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
                   "when": str(s.input.get("transaction", {}).get("closing_date", "day 0"))})
        start = 0
    if report_days:
        ms.append({"label": _t(CHART_TEXT["report"], lang), "day": start + report_days, "kind": "report", "when": f"closing + {report_days}"})
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


def charted_entities(level: Mapping[str, int], chain: Iterable[str]) -> set[str]:
    """The entities the ownership chart draws: on each of its levels the determination's chain first,
    then the others in breadth-first order, up to the chart's limits."""
    on_chain = set(chain)
    used: dict[int, int] = {}
    keep: set[str] = set()
    for eid in sorted(level, key=lambda e: e not in on_chain):  # stable: breadth-first order within each group
        lv = level[eid]
        if lv <= CHART_LEVELS and used.get(lv, 0) < CHART_BOXES_PER_LEVEL:
            keep.add(eid)
            used[lv] = used.get(lv, 0) + 1
    return keep


def ownership_data(s: Screening, lang: Lang) -> dict[str, object]:
    """Nodes and edges from the acquirer up to its ultimate owners, plus the target; the chain the
    determination found (foreign_investor.chain) and an indirect structure are highlighted. A structure
    wider or deeper than the chart's limits is drawn in part: ``drawn`` and ``omitted`` count the entities
    drawn and left out."""
    inp = s.input
    ents = _entities(s)
    acq = inp["acquirer"]
    chain = s.filing.foreign_investor.chain
    on_chain = set(chain)
    highlight_edges = {(chain[i + 1], chain[i]) for i in range(len(chain) - 1)}
    level = ownership_levels(s)
    keep = charted_entities(level, chain)
    tx = inp.get("transaction", {})
    ind = tx.get("indirect")
    nodes = [{"id": eid, "label": ents[eid]["name"], "sub": f"{ents[eid].get('jurisdiction', '')} · {ents[eid].get('kind', '')}",
              "level": lv + (1 if ind else 0), "highlight": eid in on_chain,
              "foreign": eid in on_chain} for eid, lv in level.items() if eid in keep]
    edges = [{"src": h["owner"], "dst": eid, "label": f"{h['voting_pct']:g}%", "highlight": (h["owner"], eid) in highlight_edges}
             for eid in level if eid in keep for h in ents[eid].get("owners", []) if h["owner"] in keep]  # type: ignore[union-attr]
    target = {"id": "__target__", "label": inp["target"]["name"], "sub": "JP · target", "level": 0, "role": "target"}
    nodes.append(target)
    if ind:
        holder = ind["holding_entity"]
        nodes.append({"id": holder, "label": ents[holder]["name"], "sub": f"{ents[holder].get('jurisdiction', '')} · holding entity",
                      "level": 0, "highlight": True})
        edges.append({"src": acq, "dst": holder, "label": f"{ind.get('acquirer_voting_after_pct', 0):g}%", "highlight": True})
        edges.append({"src": holder, "dst": "__target__", "label": f"{ind.get('holding_entity_stake_in_target_pct') or 0:g}%", "highlight": True})
        nodes = [n if n["id"] != acq else {**n, "level": 1} for n in nodes]
    else:
        after = tx.get("shares_after_pct")
        edges.append({"src": acq, "dst": "__target__", "label": f"{after:g}%" if after is not None else "?", "highlight": bool(chain)})
        for n in nodes:
            if n["id"] != "__target__":
                n["level"] = int(n["level"]) + 1
    return {"nodes": nodes, "edges": edges, "drawn": len(keep), "omitted": len(level) - len(keep)}


def ownership_rows(s: Screening) -> list[list[str]]:
    """Every stake above the acquirer: owned entity, owner, voting rights (breadth-first order)."""
    ents = _entities(s)

    def name(eid: str) -> str:
        return f"{ents.get(eid, {}).get('name', eid)} ({eid})"

    return [[name(eid), name(h["owner"]), f"{h['voting_pct']:g}%"]
            for eid in ownership_levels(s) for h in ents.get(eid, {}).get("owners", [])]  # type: ignore[union-attr]
