"""Listing screen: what a stock listing exposes a Japanese company to (capital policy, seed 000
section 4(2)(i)): market purchases by foreign investors and the exemption, takeover and activist
exposure, statutory foreign-ownership caps, and wider access to information."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fdiscreen.clock import japan_today
from fdiscreen.assess import business, protection
from fdiscreen.assess.combine import Scores, score
from fdiscreen.assess.finding import Factor, Finding, FindingTable
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing.target import TargetClassConclusion, target_class
from fdiscreen.i18n import T, Text, pct
from fdiscreen.load import check_company, read_mapping, validation_error
from fdiscreen.model import ListingPlan
from fdiscreen.mof_list import MofList
from fdiscreen.regime import Assumption, Regime, load_catalog, make_regime, to_fraction


class Recommendation(BaseModel):
    id: str
    text: Text
    addresses: list[str]
    planned: bool


class ListingScreening(BaseModel):
    matter: str
    fingerprint: str
    as_of: dt.date
    regime_version: str
    assumptions: list[Assumption]
    target_class: TargetClassConclusion
    findings: list[Finding]
    scores: Scores
    residual: Scores
    recommendations: list[Recommendation]
    input: dict[str, Any]


def load_listing_plan(path: str | Path) -> ListingPlan:
    p = Path(path)
    data = read_mapping(p)
    try:
        plan = ListingPlan.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, str(p)) from None
    try:
        check_company(plan.company, load_catalog(), "company")
    except FdiscreenError as exc:
        raise exc.with_file(str(p)) from None
    return plan


class ListingContext:
    """What the listing rules read: the company (as a finding table of one row, with the listing weights),
    its class and the law."""

    def __init__(self, plan: ListingPlan, tc: TargetClassConclusion, regime: Regime) -> None:
        self.table = FindingTable([plan.company], [tc], [regime], weights_item="listing_finding_weights")
        self.target_class = tc
        self.regime = regime

    def finding(self, rule: str, factor: Factor, consideration: str, text: Text, evidence: list[tuple[str, Any]], basis: list[str],
                risk_keys: list[str], scale: float = 1.0) -> Finding:
        return self.table.finding(0, rule, factor, consideration, text, evidence, basis, risk_keys, scale)


def market_purchases(plan: ListingPlan, ctx: ListingContext) -> list[Finding]:
    """Once listed, foreign buyers can accumulate on the market: below the listed threshold without any
    filing, above it by prior notification or, for many, the exemption (portfolio investors)."""
    cls = ctx.target_class.fefta_class or "core"
    limit = ctx.regime.threshold("listed_share_threshold_pct")
    scale = {"core": 1.0, "designated": 0.7, "non_designated": 0.4}[cls]
    if cls == "non_designated":
        en = f"Non-designated business: foreign buyers need no prior notification at any stake, only post-investment reports from {pct(ctx.regime.threshold('non_designated_listed_report_pct'))}."
        ja = f"指定業種以外：外国投資家は比率にかかわらず事前届出不要（{pct(ctx.regime.threshold('non_designated_listed_report_pct'))}以上で事後報告のみ）。"
        basis = ["non_designated_listed_report_pct"]
    else:
        below = ctx.regime.threshold("core_exemption_below_pct")
        en = (f"Foreign buyers below {pct(limit)} need no notification; above it they must notify or use the exemption — "
              f"foreign financial institutions without limit, general investors " + (f"below {pct(below)} in a core business." if cls == "core" else "without limit."))
        ja = (f"{pct(limit)}未満の外国投資家は届出不要。以上は事前届出又は免除（外国金融機関は上限なし、一般投資家は"
              + (f"コア業種で{pct(below)}未満）。" if cls == "core" else "上限なし）。"))
        basis = ["listed_share_threshold_pct", "foreign_financial_institution_no_upper_limit", "core_exemption_below_pct"]
    return [ctx.finding("listing.market_purchases", "listing_exposure", "C1_influence", T(en, ja),
                        [("company.businesses", [b.name for b in plan.company.businesses]), ("free_float_pct", plan.free_float_pct)],
                        basis, ["capital_policy", "stake_band"], scale)]


def takeover_exposure(plan: ListingPlan, ctx: ListingContext) -> list[Finding]:
    """Unsolicited bids and activists: exposure grows with the free float."""
    full = float(ctx.regime.threshold("listing_takeover_float_pct") or 50)
    scale = min(1.0, plan.free_float_pct / full)
    if scale <= 0:
        return []
    return [ctx.finding("listing.takeover_exposure", "listing_exposure", "C1_influence",
                        T(f"A free float of {pct(plan.free_float_pct)} exposes the company to unsolicited bids and activist campaigns.",
                          f"浮動株{pct(plan.free_float_pct)}により、同意なき買収提案やアクティビストの対象となり得る。"),
                        [("free_float_pct", plan.free_float_pct)], ["listing_takeover_float_pct"], ["capital_policy", "voting_influence"], round(scale, 3))]


def stable_blocking_stake(plan: ListingPlan, ctx: ListingContext) -> list[Finding]:
    """Without friendly holders above one third, special resolutions can pass against management."""
    stable = plan.stable_holders_pct_after if plan.stable_holders_pct_after is not None else plan.largest_holder_pct_after
    bands = {b["id"]: b for b in ctx.regime.value("stake_bands") or []}
    third = to_fraction(bands["blocking_minority"]["pct"])
    if stable is not None and to_fraction(stable) > third:
        return []
    return [ctx.finding("listing.no_stable_blocking_stake", "listing_exposure", "C1_influence",
                        T(f"Friendly, stable holders will hold {pct(stable)} — not more than one third." if stable is not None else
                          "The stable holders' stake after listing is not stated.",
                          f"安定株主の保有は{pct(stable)}で3分の1以下。" if stable is not None else "上場後の安定株主比率が記載されていない。"),
                        [("stable_holders_pct_after", plan.stable_holders_pct_after), ("largest_holder_pct_after", plan.largest_holder_pct_after)],
                        ["stake_bands"], ["capital_policy", "stake_band"])]


def information_exposure(plan: ListingPlan, ctx: ListingContext) -> list[Finding]:
    """Disclosure duties and shareholder rights (1% proposals, 3% books) widen access to information;
    weighted by how much protected technology the company holds."""
    tech = business.keyword_matches(ctx.table, "technology_dialogue_list")[0]
    scale = 1.0 if tech or (ctx.target_class.fefta_class == "core") else 0.5
    return [ctx.finding("listing.information_exposure", "listing_exposure", "A2_leakage_misuse",
                        T("Listing brings disclosure duties, and shareholders at 1% and 3% gain proposal and book-inspection rights: control over who sees information loosens.",
                          "上場により開示義務が生じ、1%・3%の株主は提案権・帳簿閲覧権を得るため、情報の管理範囲が広がる。"),
                        [("company.technologies", plan.company.technologies)], ["stake_bands"], ["information_rights", "technology_access"], scale)]


def sector_caps(plan: ListingPlan, ctx: ListingContext) -> list[Finding]:
    caps = {c["id"]: c for c in ctx.regime.value("sector_foreign_ownership_caps") or []}
    out = []
    for cap_id in plan.sector_caps:
        cap = caps[cap_id]
        out.append(ctx.finding("listing.sector_cap", "listing_exposure", "B2_foreign_norms",
                               T(f"{cap['en']}: the register must be policed once shares trade freely.", f"{cap['ja']}：上場後は株主名簿での管理が必要。"),
                               [("sector_caps", cap_id), ("expected_foreign_holding_pct", plan.expected_foreign_holding_pct)],
                               ["sector_foreign_ownership_caps"], ["capital_policy"]))
    return out


LISTING_RULES = [market_purchases, takeover_exposure, stable_blocking_stake, information_exposure, sector_caps]
TARGET_RULES = [business.dialogue_technology, business.critical_material, business.critical_infrastructure, business.defence_supply,
                business.indispensability, business.government_funded_research, protection.protection_checklist]


def recommendations(findings: list[Finding], plan: ListingPlan, regime: Regime) -> list[Recommendation]:
    ids = {f.id for f in findings}
    out = []
    for m in regime.value("capital_policy_measures") or []:
        if set(m["addresses"]) & ids:
            out.append(Recommendation(id=m["id"], text=T(m["en"], m["ja"]), addresses=m["addresses"], planned=m["id"] in plan.measures_planned))
    return out


def residual_after(findings: list[Finding], recs: list[Recommendation]) -> list[Finding]:
    """Planned capital-policy measures halve the listing findings they address (a measure only removes points)."""
    planned = [r for r in recs if r.planned]
    out = []
    for f in findings:
        keep = 1.0
        for r in planned:
            if f.id in r.addresses and f.total > 0:
                keep *= 0.5
        out.append(f.model_copy(update={"points": {d: round(v * keep, 3) for d, v in f.points.items()}}))
    return out


def screen_listing(plan: ListingPlan, as_of: dt.date | None = None, mof: MofList | None = None,
                   overrides: dict[str, Any] | None = None) -> ListingScreening:
    regime = make_regime(as_of or plan.as_of or japan_today(), overrides)
    known = {m["id"] for m in regime.value("capital_policy_measures") or []}
    for i, mid in enumerate(plan.measures_planned):
        if mid not in known:
            raise FdiscreenError(f"unknown measure {mid!r}", path=f"measures_planned[{i}]", expected=f"one of {sorted(known)}")
    tc = target_class(plan.company, regime, mof)
    ctx = ListingContext(plan, tc, regime)
    findings: list[Finding] = []
    for rule in LISTING_RULES:
        findings += rule(plan, ctx)
    company = FindingTable([plan.company], [tc], [regime])
    for trule in TARGET_RULES:
        findings += trule(company)[0]
    recs = recommendations(findings, plan, regime)
    blob = json.dumps({"plan": plan.model_dump(mode="json"), "as_of": str(regime.as_of), "v": regime.version}, sort_keys=True)
    return ListingScreening(matter=plan.matter, fingerprint=hashlib.sha256(blob.encode()).hexdigest(), as_of=regime.as_of,
                            regime_version=regime.version, assumptions=regime.assumptions(), target_class=tc, findings=findings,
                            scores=score(findings, regime), residual=score(residual_after(findings, recs), regime),
                            recommendations=recs, input=plan.model_dump(mode="json", exclude_defaults=True))


