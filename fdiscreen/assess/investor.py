"""Review consideration B: attributes of the foreign investor (外国投資家の属性)."""

from __future__ import annotations

from typing import Any

from fdiscreen.assess.finding import Context, Finding
from fdiscreen.i18n import T
from fdiscreen.model import Entity
from fdiscreen.lookthrough import STATE_KINDS


def _chain(ctx: Context) -> list[tuple[int, Entity]]:
    """The acquirer and every entity in the file (owners, partners, principals), with their index."""
    return list(enumerate(ctx.deal.entities))


def intelligence_duty(ctx: Context) -> list[Finding]:
    """B2: a duty, under foreign law or agreement, to cooperate with a foreign government's
    information gathering, on the acquirer or anyone in its chain (特定外国投資家 and 準ずる者)."""
    cls = ctx.det.investor_class.investor_class
    ev: list[tuple[str, Any]] = [(f"entities[{i}].information_cooperation_duty", e.name) for i, e in _chain(ctx)
                                 if e.information_cooperation_duty]
    acq = ctx.deal.entity(ctx.deal.acquirer)
    equivalent = [f for f in ("decisions_by_obliged_persons", "decisions_at_office_in_obliging_country", "contractual_disclosure_duty")
                  if getattr(acq, f)]
    if cls == "specified_foreign_investor" or ev:
        scale = 1.0
    elif cls == "equivalent_to_specified" or equivalent:
        scale = float(ctx.scales("intelligence_duty_equivalent")["scale"])
        ev += [(f"entities[{ctx.deal.entity_index(acq.id)}].{f}", True) for f in equivalent]
    else:
        return []
    return [ctx.finding("investor.intelligence_duty", "investor_attributes", "B2_foreign_norms",
                        T("The acquirer or an owner is bound to cooperate with a foreign government's information gathering.",
                          "取得者又はその出資者は外国政府の情報収集に協力する義務を負う。"),
                        ev, ["specified_foreign_investor_class"], ["intelligence_duty"], scale)]


def state_control(ctx: Context) -> list[Finding]:
    """B1: foreign-government ownership or control, scaled by the state's share; accredited SWFs apart."""
    cls = ctx.det.investor_class.investor_class
    acq = ctx.deal.entity(ctx.deal.acquirer)
    i = ctx.deal.entity_index(acq.id)
    if cls == "accredited_swf":
        return [ctx.finding("investor.accredited_swf", "investor_attributes", "B1_structure_plan_conduct",
                            T("The acquirer is a state investor accredited by MOF.", "取得者は財務省の認証を受けた国家系投資家である。"),
                            [(f"entities[{i}].accredited", True)], ["foreign_government_excluded"], ["state_ownership"])]
    shares = [e.state_owned_pct or 0.0 for _, e in _chain(ctx)]
    top = max(shares) if shares else 0.0
    if cls == "foreign_government":
        scale = 1.0
    elif top > 0:
        scale = min(1.0, top / float(ctx.scales("state_control_full_share_pct")["pct"]))
    else:
        return []
    return [ctx.finding("investor.state_control", "investor_attributes", "B1_structure_plan_conduct",
                        T(f"A foreign state owns or controls the acquirer (state share up to {top:g}%)." if top else "A foreign state controls the acquirer.",
                          f"外国政府等が取得者を保有・支配している（国の持分最大{top:g}%）。" if top else "外国政府等が取得者を支配している。"),
                        [(f"entities[{i}].kind", acq.kind), ("entities[*].state_owned_pct", top)],
                        ["state_control_pct", "foreign_government_excluded"], ["state_ownership"], scale)]


def opaque_ownership(ctx: Context) -> list[Finding]:
    """B1: beneficial owners (実質的支配者) not disclosed: the file says its list of owners is incomplete
    (``owners_complete: false``). Owners simply not stated are an unknown fact: they widen the score
    range (range_unknowns) instead of adding points."""
    acq = ctx.deal.entity(ctx.deal.acquirer)
    if acq.kind == "individual" or acq.kind in STATE_KINDS or acq.listed or acq.owners_complete is not False:
        return []
    i = ctx.deal.entity_index(acq.id)
    return [ctx.finding("investor.opaque_ownership", "investor_attributes", "B1_structure_plan_conduct",
                        T("The acquirer's owners are not disclosed in full.", "取得者の実質的支配者が十分に開示されていない。"),
                        [(f"entities[{i}].owners", [h.owner for h in acq.owners]), (f"entities[{i}].owners_complete", acq.owners_complete)],
                        [], ["opaque_ownership"])]


def military_links(ctx: Context) -> list[Finding]:
    ev = [(f"entities[{i}].military_links", e.name) for i, e in _chain(ctx) if e.military_links]
    if not ev:
        return []
    return [ctx.finding("investor.military_links", "investor_attributes", "B1_structure_plan_conduct",
                        T("The acquirer or an owner has military or defence-industry links.", "取得者又はその出資者は軍・防衛産業との関係を有する。"),
                        ev, [], ["intelligence_duty", "state_ownership"])]


def security_list(ctx: Context) -> list[Finding]:
    """B1/B2: a public end-user or military-company list names the acquirer or an entity in its chain."""
    ev = [(f"entities[{i}].security_list_designations", e.security_list_designations) for i, e in _chain(ctx) if e.security_list_designations]
    if not ev:
        return []
    lists = sorted({name for _, names in ev for name in names})
    return [ctx.finding("investor.security_list", "investor_attributes", "B1_structure_plan_conduct",
                        T(f"A public security list names the acquirer or an owner: {', '.join(lists)}.",
                          f"取得者又はその出資者は公的な安全保障上のリストに掲載されている：{'、'.join(lists)}。"),
                        ev, [], ["intelligence_duty", "state_ownership"])]


def fefta_violation(ctx: Context) -> list[Finding]:
    """B3: compliance record with FEFTA or equivalent foreign law."""
    ev = [(f"entities[{i}].fefta_violation_sanctioned", True) for i, e in _chain(ctx) if e.fefta_violation_sanctioned]
    if not ev:
        return []
    return [ctx.finding("investor.fefta_violation", "investor_attributes", "B3_compliance",
                        T("The acquirer has been sanctioned for breaching FEFTA.", "取得者は外為法違反により処分を受けている。"),
                        ev, ["violator_excluded"], ["opaque_ownership"])]


def past_conduct(ctx: Context) -> list[Finding]:
    """B1: past conduct and record: deals blocked elsewhere, activist campaigns."""
    acq = ctx.deal.entity(ctx.deal.acquirer)
    i = ctx.deal.entity_index(acq.id)
    out = []
    if "blocked_deal" in acq.past_conduct:
        out.append(ctx.finding("investor.past_conduct_blocked", "investor_attributes", "B1_structure_plan_conduct",
                               T("A previous deal by the acquirer was blocked on security grounds.", "取得者の過去の投資が安全保障上の理由で阻止された。"),
                               [(f"entities[{i}].past_conduct", "blocked_deal")], [], ["intelligence_duty"]))
    if "activist_campaign" in acq.past_conduct:
        out.append(ctx.finding("investor.past_conduct_activist", "investor_attributes", "B1_structure_plan_conduct",
                               T("The acquirer has run activist campaigns.", "取得者はアクティビスト活動の実績がある。"),
                               [(f"entities[{i}].past_conduct", "activist_campaign")], [], ["voting_influence"]))
    return out


def investment_plan(ctx: Context) -> list[Finding]:
    """B1: the stated investment plan."""
    acq = ctx.deal.entity(ctx.deal.acquirer)
    if acq.investment_plan not in ("strategic", "control"):
        return []
    scale = 1.0 if acq.investment_plan == "control" else float(ctx.scales("strategic_plan")["scale"])
    return [ctx.finding("investor.control_plan", "investor_attributes", "B1_structure_plan_conduct",
                        T(f"The stated plan is {acq.investment_plan}.", f"投資計画は{'経営支配' if acq.investment_plan == 'control' else '戦略的提携'}である。"),
                        [(f"entities[{ctx.deal.entity_index(acq.id)}].investment_plan", acq.investment_plan)], [], ["voting_influence"], scale)]


def watchlist_hits(ctx: Context) -> list[Finding]:
    """B1/B2: the acquirer or an owner matches an entry on a watch list the user supplied."""
    out = []
    for hit in ctx.watch_hits:
        out.append(ctx.finding("investor.watchlist_hit", "investor_attributes", "B1_structure_plan_conduct",
                               T(f"{hit.entity_name} matches '{hit.listed_name}' on {hit.list_name} (score {hit.score:.2f}).",
                                 f"{hit.entity_name}は{hit.list_name}の「{hit.listed_name}」に一致（スコア{hit.score:.2f}）。"),
                               [(hit.path, hit.matched_name)], [], ["intelligence_duty", "opaque_ownership"], hit.score))
    return out


RULES = [intelligence_duty, state_control, opaque_ownership, military_links, security_list, fefta_violation, past_conduct, investment_plan,
         watchlist_hits]
