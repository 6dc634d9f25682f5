"""Review consideration A: content of the target's business (投資先企業の事業内容).

Each rule is written once over a :class:`~fdiscreen.assess.finding.FindingTable` (one row per reading of
a deal, or per company) and returns each row's findings."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np

from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T, Text
from fdiscreen.model import Target
from fdiscreen.regime import Regime


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def target_texts(t: Target) -> list[tuple[str, str]]:
    """(path, text) of everything that describes what the target does."""
    out = [(f"target.technologies[{i}]", x) for i, x in enumerate(t.technologies)]
    out += [(f"target.critical_infrastructure[{i}]", x) for i, x in enumerate(t.critical_infrastructure)]
    out += [(f"target.businesses[{i}].name", b.name) for i, b in enumerate(t.businesses)]
    for s, sub in enumerate(t.subsidiaries):
        out += [(f"target.subsidiaries[{s}].businesses[{i}].name", b.name) for i, b in enumerate(sub.businesses)]
    return out


_KEYWORDS: dict[int, tuple[list[dict[str, Any]], list[tuple[dict[str, Any], re.Pattern[str] | None]]]] = {}


def _normalised_keywords(entries: list[dict[str, Any]]) -> list[tuple[dict[str, Any], re.Pattern[str] | None]]:
    """Each list entry with one pattern matching any of its normalised keywords (None when it has
    none), computed once per loaded list. The cache holds the list itself, so its id is not reused."""
    cached = _KEYWORDS.get(id(entries))
    if cached is None or cached[0] is not entries:
        cached = _KEYWORDS[id(entries)] = (entries, [(e, _any_of([_norm(k) for k in e.get("keywords", []) if k])) for e in entries])
    return cached[1]


def _any_of(keywords: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(k) for k in keywords)) if any(keywords) else None


def keyword_matches(t: FindingTable, item_id: str) -> list[list[tuple[dict[str, Any], str, str]]]:
    """Each row's entries of a factors list whose keywords occur in its target's descriptions: (entry,
    path, text of the first description that matches)."""
    def build(t: FindingTable) -> list[list[tuple[dict[str, Any], str, str]]]:
        patterns = [(e, p) for e, p in _normalised_keywords(t.value(item_id) or []) if p is not None]
        out = []
        for target in t.targets:
            texts = [(p, x, _norm(x)) for p, x in target_texts(target)]
            everything = "\x00".join(low for _, _, low in texts)  # one search says whether any description matches
            hits = []
            for entry, pattern in patterns:
                if pattern.search(everything) is None:
                    continue
                match = next(((path, raw) for path, raw, low in texts if pattern.search(low)), None)
                if match is not None:
                    hits.append((entry, *match))
            out.append(hits)
        return out
    return t.column(f"keywords.{item_id}", build)


RANK = {"non_designated": 0, "designated": 1, "core": 2}


def latest_listed_class(regime: Regime, activity: str) -> str | None:
    """The class the catalog gives an activity at its latest listing, whatever the screening date: a
    technology is as sensitive the day before a notice lists it as the day after. (The filing
    determination, not the score, applies the law of the date.)"""
    classes = []
    for item in regime.catalog.resolve_activity(activity):
        timeline = regime.timeline(item)
        classes.append(timeline[-1][1] if timeline else "non_designated")
    return max(classes, key=lambda c: RANK.get(c, 0)) if classes else None


def sensitivity_class(t: FindingTable) -> list[tuple[str | None, list[str]]]:
    """Each row's most sensitive class among the target's and its subsidiaries' businesses whose class
    is known, from a class given directly, the determination's class (which counts a MOF list) or the
    catalog's latest listing of the activity; with the activities that give it."""
    def build(t: FindingTable) -> list[tuple[str | None, list[str]]]:
        return [_most_sensitive(target, [(str(b["class"]), str(b.get("activity") or "")) for b in tc.businesses if b.get("class")], regime)
                for target, tc, regime in zip(t.targets, t.classes, t.regimes)]
    return t.column("sensitivity_class", build)


def _most_sensitive(target: Target, found: list[tuple[str, str]], regime: Regime) -> tuple[str | None, list[str]]:
    lines = [*target.businesses, *(b for sub in target.subsidiaries for b in sub.businesses)]
    for b in lines:
        cls = b.fefta_class or (latest_listed_class(regime, b.activity) if b.activity else None)
        if cls:
            found.append((cls, b.activity or ""))
    if not found:
        return None, []
    top = max((c for c, _ in found), key=lambda c: RANK.get(c, 0))
    return top, sorted({a for c, a in found if c == top and a})


def core_or_designated_business(t: FindingTable) -> list[list[Finding]]:
    """A1-A3: how sensitive the sector is: the most sensitive class the target's businesses have under
    the notices as they now stand (not only as of the screening date)."""
    classes = sensitivity_class(t)
    holds = np.array([cls in ("core", "designated") for cls, _ in classes], dtype=bool)

    def build(row: int) -> Finding:
        cls, activities = classes[row]
        regime = t.regimes[row]
        rule = "business.core_business" if cls == "core" else "business.designated_business"
        text = T(f"The target runs a business the notices list as {cls}.", f"発行会社は告示上{'コア業種' if cls == 'core' else '指定業種'}とされる事業を営む。")
        basis = list(dict.fromkeys(i for a in activities for i in regime.catalog.resolve_activity(a)))[:3]
        return t.finding(row, rule, "business_content", "A1_production_technology_base", text,
                         [("target.businesses", [b.name for b in t.targets[row].businesses])], basis, ["critical_technology"])
    return t.fire(holds, build)


def _listed(t: FindingTable, item_id: str) -> tuple[list[list[tuple[dict[str, Any], str, str]]], np.ndarray]:
    """Each row's keyword hits on a factors list, and whether it has any."""
    hits = keyword_matches(t, item_id)
    return hits, np.array([bool(h) for h in hits], dtype=bool)


def _list_finding(t: FindingTable, item_id: str, rule: str, consideration: str, lead: Text, keys: list[str]) -> list[list[Finding]]:
    """A finding for each row whose target's descriptions name entries of the factors list ``item_id``:
    ``lead`` followed by the entries' names."""
    hits, holds = _listed(t, item_id)

    def build(row: int) -> Finding:
        found = hits[row]
        return t.finding(row, rule, "business_content", consideration,
                         T(f"{lead.en}: {', '.join(e['en'] for e, _, _ in found)}.", f"{lead.ja}：{'、'.join(e['ja'] for e, _, _ in found)}。"),
                         [(p, raw) for _, p, raw in found], [item_id], keys)
    return t.fire(holds, build)


def dialogue_technology(t: FindingTable) -> list[list[Finding]]:
    """A2: technologies on METI's technology-management dialogue list (19 items, seed 001)."""
    return _list_finding(t, "technology_dialogue_list", "business.dialogue_technology", "A2_leakage_misuse",
                         T("The target holds technology on the technology-management dialogue list", "発行会社は技術管理対話の対象技術を保有"),
                         ["critical_technology", "technology_access"])


def critical_material(t: FindingTable) -> list[list[Finding]]:
    """A3: ESPA specified critical materials (seed 004)."""
    return _list_finding(t, "specified_critical_materials", "business.critical_material", "A3_supply",
                         T("The target supplies specified critical materials under the ESPA", "発行会社は経済安全保障推進法の特定重要物資を供給"),
                         ["production_relocation"])


def critical_infrastructure(t: FindingTable) -> list[list[Finding]]:
    """A3: critical infrastructure: operating it (a grid, a network, a port) weighs most; an
    infrastructure role or sector named in the descriptions, or a specified core business entity,
    counts less."""
    operator = t.target_values(lambda x: bool(x.critical_infrastructure_operator), bool)
    hits, named = _listed(t, "critical_infrastructure_sectors")
    role = named | t.target_values(lambda x: bool(x.critical_infrastructure) or bool(x.specified_core_business_entity), bool)

    def build(row: int) -> Finding:
        x = t.targets[row]
        if operator[row]:
            return t.finding(row, "business.infrastructure_operator", "business_content", "A3_supply",
                             T("The target operates critical infrastructure.", "発行会社は重要インフラを自ら運営する。"),
                             [("target.critical_infrastructure_operator", True), ("target.critical_infrastructure", x.critical_infrastructure)],
                             ["critical_infrastructure_sectors"], ["production_relocation"])
        ev: list[tuple[str, Any]] = [(p, raw) for _, p, raw in hits[row]]
        if x.critical_infrastructure:
            ev.append(("target.critical_infrastructure", x.critical_infrastructure))
        if x.specified_core_business_entity:
            ev.append(("target.specified_core_business_entity", True))
        return t.finding(row, "business.critical_infrastructure", "business_content", "A3_supply",
                         T("The target has a role in critical infrastructure.", "発行会社は重要インフラに関与する。"), ev,
                         ["critical_infrastructure_sectors"], ["production_relocation"])
    return t.fire(operator | role, build)


def export_controlled(t: FindingTable) -> list[list[Finding]]:
    """A2: goods or technology on an export-control list (dual-use or military)."""
    def build(row: int) -> Finding:
        entries = ", ".join(t.targets[row].export_control_entries)
        return t.finding(row, "business.export_controlled", "business_content", "A2_leakage_misuse",
                         T(f"The target's goods or technology are export-controlled{f' ({entries})' if entries else ''}.",
                           f"発行会社の貨物・技術は輸出管理の対象である{f'（{entries}）' if entries else ''}。"),
                         [("target.export_controlled", True), ("target.export_control_entries", t.targets[row].export_control_entries)], [],
                         ["critical_technology", "technology_access"])
    return t.fire(t.target_values(lambda x: bool(x.export_controlled), bool), build)


def _flag_finding(t: FindingTable, field: str, rule: str, consideration: str, text: Text, basis: list[str],
                  keys: list[str]) -> list[list[Finding]]:
    """A finding for each row whose yes/no fact of the target holds (``target.<field>`` is true)."""
    return t.fire(t.target_values(lambda x: bool(getattr(x, field)), bool),
                  lambda row: t.finding(row, rule, "business_content", consideration, text, [(f"target.{field}", True)], basis, keys))


def critical_minerals(t: FindingTable) -> list[list[Finding]]:
    """A3: mining, refining or supplying critical minerals."""
    return _flag_finding(t, "critical_minerals", "business.critical_minerals", "A3_supply",
                         T("The target mines, refines or supplies critical minerals.", "発行会社は重要鉱物の採掘・精製・供給を行う。"),
                         ["specified_critical_materials"], ["production_relocation"])


def near_defence_site(t: FindingTable) -> list[list[Finding]]:
    """A2: sites close to defence or other important facilities, from which they can be watched or
    disturbed (the concern of Japan's Important Land Act and of CFIUS's real-estate rules)."""
    return _flag_finding(t, "near_defence_site", "business.near_defence_site", "A2_leakage_misuse",
                         T("The target has sites close to defence or other important facilities.", "発行会社は防衛関係施設等の重要施設の周辺に拠点を有する。"),
                         [], ["site_access"])


def sensitive_personal_data(t: FindingTable) -> list[list[Finding]]:
    """A2: sensitive personal data, by the number of people it covers."""
    subjects = t.target_values(lambda x: x.sensitive_personal_data_subjects or 0, np.int64)

    def build(row: int) -> Finding:
        n = int(subjects[row])
        steps = t.regimes[row].value("sensitive_personal_data_scale") or []
        scale = next((float(step["scale"]) for step in steps if n >= int(step["from"])), 0.0)
        return t.finding(row, "business.sensitive_personal_data", "business_content", "A2_leakage_misuse",
                         T(f"The target holds sensitive personal data on {n:,} people.", f"発行会社は{n:,}人分の機微な個人データを保有する。"),
                         [("target.sensitive_personal_data_subjects", n)], ["sensitive_personal_data_scale"], ["information_rights", "technology_access"],
                         scale)
    return t.fire(subjects > 0, build)


def defence_supply(t: FindingTable) -> list[list[Finding]]:
    """A2: a supplier to the defence sector."""
    return _flag_finding(t, "defence_supplier", "business.defence_supply", "A2_leakage_misuse",
                         T("The target supplies the defence sector.", "発行会社は防衛関連の供給者である。"), [], ["critical_technology"])


def indispensability(t: FindingTable) -> list[list[Finding]]:
    """A3 and seed 000 section 4(2): a single-source or high global-share position."""
    cut = t.value("finding_scales")["indispensability"]
    single = t.target_values(lambda x: bool(x.single_source_supplier), bool)
    share = t.target_values(lambda x: x.global_market_share_pct or 0, np.float64)

    def build(row: int) -> Finding:
        x = t.targets[row]
        scale = 1.0 if single[row] or share[row] >= cut["full_share_from_pct"] else float(cut["partial_scale"])
        ev: list[tuple[str, Any]] = []
        if x.single_source_supplier:
            ev.append(("target.single_source_supplier", True))
        if x.global_market_share_pct is not None:
            ev.append(("target.global_market_share_pct", x.global_market_share_pct))
        return t.finding(row, "business.indispensability", "business_content", "A3_supply",
                         T("The target is indispensable: a sole supplier or a large global share.", "発行会社は不可欠性を有する（唯一の供給者又は高い世界シェア）。"),
                         ev, [], ["critical_technology", "production_relocation"], scale)
    return t.fire(single | (share >= cut["partial_share_from_pct"]), build)


def government_funded_research(t: FindingTable) -> list[list[Finding]]:
    return _flag_finding(t, "government_funded_research", "business.government_funded_research", "A2_leakage_misuse",
                         T("The target carries out government-funded research.", "発行会社は政府資金による研究開発を行う。"), [], ["critical_technology"])


RULES = [core_or_designated_business, dialogue_technology, export_controlled, critical_material, critical_minerals, critical_infrastructure,
         defence_supply, near_defence_site, indispensability, government_funded_research, sensitive_personal_data]
