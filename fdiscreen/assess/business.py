"""Review consideration A: content of the target's business (投資先企業の事業内容)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fdiscreen.assess.finding import Finding, TargetContext
from fdiscreen.i18n import T, Text


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def target_texts(ctx: TargetContext) -> list[tuple[str, str]]:
    """(path, text) of everything that describes what the target does."""
    t = ctx.target
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


def keyword_matches(ctx: TargetContext, item_id: str) -> list[tuple[dict[str, Any], str, str]]:
    """Entries of a factors list whose keywords occur in the target's descriptions: (entry, path, text)."""
    entries = ctx.regime.value(item_id) or []
    texts = [(p, x, _norm(x)) for p, x in target_texts(ctx)]
    hits = []
    for entry, pattern in _normalised_keywords(entries):
        for path, raw, low in texts:
            if pattern is not None and pattern.search(low):
                hits.append((entry, path, raw))
                break
    return hits


RANK = {"non_designated": 0, "designated": 1, "core": 2}


def latest_listed_class(ctx: TargetContext, activity: str) -> str | None:
    """The class the catalog gives an activity at its latest listing, whatever the screening date: a
    technology is as sensitive the day before a notice lists it as the day after. (The filing
    determination, not the score, applies the law of the date.)"""
    classes = []
    for item in ctx.regime.catalog.resolve_activity(activity):
        timeline = ctx.regime.timeline(item)
        classes.append(timeline[-1][1] if timeline else "non_designated")
    return max(classes, key=lambda c: RANK.get(c, 0)) if classes else None


def sensitivity_class(ctx: TargetContext) -> tuple[str | None, list[str]]:
    """The most sensitive class among the target's and its subsidiaries' businesses whose class is
    known, from a class given directly, the determination's class (which counts a MOF list) or the
    catalog's latest listing of the activity; with the activities that give it."""
    found: list[tuple[str, str]] = [(str(b["class"]), str(b.get("activity") or "")) for b in ctx.target_class.businesses if b.get("class")]
    lines = [*ctx.target.businesses, *(b for sub in ctx.target.subsidiaries for b in sub.businesses)]
    for b in lines:
        cls = b.fefta_class or (latest_listed_class(ctx, b.activity) if b.activity else None)
        if cls:
            found.append((cls, b.activity or ""))
    if not found:
        return None, []
    top = max((c for c, _ in found), key=lambda c: RANK.get(c, 0))
    return top, sorted({a for c, a in found if c == top and a})


def core_or_designated_business(ctx: TargetContext) -> list[Finding]:
    """A1-A3: how sensitive the sector is: the most sensitive class the target's businesses have under
    the notices as they now stand (not only as of the screening date)."""
    cls, activities = sensitivity_class(ctx)
    if cls not in ("core", "designated"):
        return []
    rule = "business.core_business" if cls == "core" else "business.designated_business"
    text = T(f"The target runs a business the notices list as {cls}.", f"発行会社は告示上{'コア業種' if cls == 'core' else '指定業種'}とされる事業を営む。")
    basis = list(dict.fromkeys(i for a in activities for i in ctx.regime.catalog.resolve_activity(a)))[:3]
    return [ctx.finding(rule, "business_content", "A1_production_technology_base", text,
                        [("target.businesses", [b.name for b in ctx.target.businesses])], basis, ["critical_technology"])]


def dialogue_technology(ctx: TargetContext) -> list[Finding]:
    """A2: technologies on METI's technology-management dialogue list (19 items, seed 001)."""
    hits = keyword_matches(ctx, "technology_dialogue_list")
    if not hits:
        return []
    names_en = ", ".join(e["en"] for e, _, _ in hits)
    names_ja = "、".join(e["ja"] for e, _, _ in hits)
    return [ctx.finding("business.dialogue_technology", "business_content", "A2_leakage_misuse",
                        T(f"The target holds technology on the technology-management dialogue list: {names_en}.",
                          f"発行会社は技術管理対話の対象技術を保有：{names_ja}。"),
                        [(p, raw) for _, p, raw in hits], ["technology_dialogue_list"], ["critical_technology", "technology_access"])]


def critical_material(ctx: TargetContext) -> list[Finding]:
    """A3: ESPA specified critical materials (seed 004)."""
    hits = keyword_matches(ctx, "specified_critical_materials")
    if not hits:
        return []
    names = ", ".join(e["en"] for e, _, _ in hits)
    return [ctx.finding("business.critical_material", "business_content", "A3_supply",
                        T(f"The target supplies specified critical materials under the ESPA: {names}.",
                          f"発行会社は経済安全保障推進法の特定重要物資を供給：{'、'.join(e['ja'] for e, _, _ in hits)}。"),
                        [(p, raw) for _, p, raw in hits], ["specified_critical_materials"], ["production_relocation"])]


def critical_infrastructure(ctx: TargetContext) -> list[Finding]:
    """A3: critical infrastructure: operating it (a grid, a network, a port) weighs most; an
    infrastructure role or sector named in the descriptions, or a specified core business entity,
    counts less."""
    t = ctx.target
    if t.critical_infrastructure_operator:
        return [ctx.finding("business.infrastructure_operator", "business_content", "A3_supply",
                            T("The target operates critical infrastructure.", "発行会社は重要インフラを自ら運営する。"),
                            [("target.critical_infrastructure_operator", True), ("target.critical_infrastructure", t.critical_infrastructure)],
                            ["critical_infrastructure_sectors"], ["production_relocation"])]
    hits = keyword_matches(ctx, "critical_infrastructure_sectors")
    if not (t.critical_infrastructure or hits or t.specified_core_business_entity):
        return []
    ev: list[tuple[str, Any]] = [(p, raw) for _, p, raw in hits]
    if t.critical_infrastructure:
        ev.append(("target.critical_infrastructure", t.critical_infrastructure))
    if t.specified_core_business_entity:
        ev.append(("target.specified_core_business_entity", True))
    return [ctx.finding("business.critical_infrastructure", "business_content", "A3_supply",
                        T("The target has a role in critical infrastructure.", "発行会社は重要インフラに関与する。"), ev,
                        ["critical_infrastructure_sectors"], ["production_relocation"])]


def export_controlled(ctx: TargetContext) -> list[Finding]:
    """A2: goods or technology on an export-control list (dual-use or military)."""
    t = ctx.target
    if not t.export_controlled:
        return []
    entries = ", ".join(t.export_control_entries)
    return [ctx.finding("business.export_controlled", "business_content", "A2_leakage_misuse",
                        T(f"The target's goods or technology are export-controlled{f' ({entries})' if entries else ''}.",
                          f"発行会社の貨物・技術は輸出管理の対象である{f'（{entries}）' if entries else ''}。"),
                        [("target.export_controlled", True), ("target.export_control_entries", t.export_control_entries)], [],
                        ["critical_technology", "technology_access"])]


def _flag_finding(ctx: TargetContext, field: str, rule: str, consideration: str, text: Text, basis: list[str],
                  keys: list[str]) -> list[Finding]:
    """A finding for a yes/no fact of the target that holds (``target.<field>`` is true); none otherwise."""
    if not getattr(ctx.target, field):
        return []
    return [ctx.finding(rule, "business_content", consideration, text, [(f"target.{field}", True)], basis, keys)]


def critical_minerals(ctx: TargetContext) -> list[Finding]:
    """A3: mining, refining or supplying critical minerals."""
    return _flag_finding(ctx, "critical_minerals", "business.critical_minerals", "A3_supply",
                         T("The target mines, refines or supplies critical minerals.", "発行会社は重要鉱物の採掘・精製・供給を行う。"),
                         ["specified_critical_materials"], ["production_relocation"])


def near_defence_site(ctx: TargetContext) -> list[Finding]:
    """A2: sites close to defence or other important facilities, from which they can be watched or
    disturbed (the concern of Japan's Important Land Act and of CFIUS's real-estate rules)."""
    return _flag_finding(ctx, "near_defence_site", "business.near_defence_site", "A2_leakage_misuse",
                         T("The target has sites close to defence or other important facilities.", "発行会社は防衛関係施設等の重要施設の周辺に拠点を有する。"),
                         [], ["site_access"])


def sensitive_personal_data(ctx: TargetContext) -> list[Finding]:
    """A2: sensitive personal data, by the number of people it covers."""
    n = ctx.target.sensitive_personal_data_subjects
    if not n:
        return []
    steps = ctx.regime.value("sensitive_personal_data_scale") or []
    scale = next((float(step["scale"]) for step in steps if n >= int(step["from"])), 0.0)
    return [ctx.finding("business.sensitive_personal_data", "business_content", "A2_leakage_misuse",
                        T(f"The target holds sensitive personal data on {n:,} people.", f"発行会社は{n:,}人分の機微な個人データを保有する。"),
                        [("target.sensitive_personal_data_subjects", n)], ["sensitive_personal_data_scale"], ["information_rights", "technology_access"],
                        scale)]


def defence_supply(ctx: TargetContext) -> list[Finding]:
    """A2: a supplier to the defence sector."""
    return _flag_finding(ctx, "defence_supplier", "business.defence_supply", "A2_leakage_misuse",
                         T("The target supplies the defence sector.", "発行会社は防衛関連の供給者である。"), [], ["critical_technology"])


def indispensability(ctx: TargetContext) -> list[Finding]:
    """A3 and seed 000 section 4(2): a single-source or high global-share position."""
    t = ctx.target
    share = t.global_market_share_pct or 0
    cut = ctx.scales("indispensability")
    if not (t.single_source_supplier or share >= cut["partial_share_from_pct"]):
        return []
    scale = 1.0 if t.single_source_supplier or share >= cut["full_share_from_pct"] else float(cut["partial_scale"])
    ev: list[tuple[str, Any]] = []
    if t.single_source_supplier:
        ev.append(("target.single_source_supplier", True))
    if t.global_market_share_pct is not None:
        ev.append(("target.global_market_share_pct", t.global_market_share_pct))
    return [ctx.finding("business.indispensability", "business_content", "A3_supply",
                        T("The target is indispensable: a sole supplier or a large global share.", "発行会社は不可欠性を有する（唯一の供給者又は高い世界シェア）。"),
                        ev, [], ["critical_technology", "production_relocation"], scale)]


def government_funded_research(ctx: TargetContext) -> list[Finding]:
    return _flag_finding(ctx, "government_funded_research", "business.government_funded_research", "A2_leakage_misuse",
                         T("The target carries out government-funded research.", "発行会社は政府資金による研究開発を行う。"), [], ["critical_technology"])


RULES = [core_or_designated_business, dialogue_technology, export_controlled, critical_material, critical_minerals, critical_infrastructure,
         defence_supply, near_defence_site, indispensability, government_funded_research, sensitive_personal_data]
