"""Review consideration B: attributes of the foreign investor (外国投資家の属性).

Each rule is written once over a :class:`~fdiscreen.assess.finding.FindingTable` of deal readings and
returns each row's findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T
from fdiscreen.model import Entity
from fdiscreen.lookthrough import STATE_KINDS


def acquirers(t: FindingTable) -> list[tuple[int, Entity]]:
    """Each row's acquiring entity with its index in ``entities`` (for field paths)."""
    def build(t: FindingTable) -> list[tuple[int, Entity]]:
        out = []
        for d in t.deals:
            acq = d.entity(d.acquirer)
            out.append((d.entity_index(acq.id), acq))
        return out
    return t.column("acquirers", build)


def investor_classes(t: FindingTable) -> list[str | None]:
    """Each row's investor class, from its determination (never re-derived)."""
    return t.column("investor_class", lambda t: [det.investor_class.investor_class for det in t.dets])


#: what a chain finding's evidence shows for each entity whose field is set (structure, not law)
CHAIN_EVIDENCE: dict[str, Callable[[Entity], Any]] = {
    "information_cooperation_duty": lambda e: e.name,
    "military_links": lambda e: e.name,
    "security_list_designations": lambda e: e.security_list_designations,
    "fefta_violation_sanctioned": lambda e: True,
}


def _chain_evidence(t: FindingTable, field: str) -> list[list[tuple[str, Any]]]:
    """Per row, ``(entities[i].<field>, what it shows)`` for every entity in the file (the acquirer,
    owners, partners, principals) whose ``field`` is set (CHAIN_EVIDENCE)."""
    shows = CHAIN_EVIDENCE[field]
    return t.column(f"chain.{field}", lambda t: [[(f"entities[{i}].{field}", shows(e)) for i, e in enumerate(d.entities) if getattr(e, field)]
                                                  for d in t.deals])


def intelligence_duty(t: FindingTable) -> list[list[Finding]]:
    """B2: a duty, under foreign law or agreement, to cooperate with a foreign government's
    information gathering, on the acquirer or anyone in its chain (特定外国投資家 and 準ずる者)."""
    classes = investor_classes(t)
    bound = _chain_evidence(t, "information_cooperation_duty")
    fields = ("decisions_by_obliged_persons", "decisions_at_office_in_obliging_country", "contractual_disclosure_duty")
    equivalent = [[f for f in fields if getattr(acq, f)] for _, acq in acquirers(t)]
    full = np.array([c == "specified_foreign_investor" or bool(ev) for c, ev in zip(classes, bound)], dtype=bool)
    partly = np.array([c == "equivalent_to_specified" or bool(eq) for c, eq in zip(classes, equivalent)], dtype=bool)

    def build(row: int) -> Finding:
        ev = list(bound[row])
        scale = 1.0
        if not full[row]:
            scale = float(t.scales_at(row, "intelligence_duty_equivalent")["scale"])
            ev += [(f"entities[{acquirers(t)[row][0]}].{f}", True) for f in equivalent[row]]
        return t.finding(row, "investor.intelligence_duty", "investor_attributes", "B2_foreign_norms",
                         T("The acquirer or an owner is bound to cooperate with a foreign government's information gathering.",
                           "取得者又はその出資者は外国政府の情報収集に協力する義務を負う。"),
                         ev, ["specified_foreign_investor_class"], ["intelligence_duty"], scale)
    return t.fire(full | partly, build)


def state_control(t: FindingTable) -> list[list[Finding]]:
    """B1: foreign-government ownership or control, scaled by the state's share; accredited SWFs apart."""
    classes = investor_classes(t)
    top = t.deal_values(lambda d: max((e.state_owned_pct or 0.0 for e in d.entities), default=0.0), np.float64)
    accredited = np.array([c == "accredited_swf" for c in classes], dtype=bool)
    government = np.array([c == "foreign_government" for c in classes], dtype=bool)

    def build(row: int) -> Finding:
        i, acq = acquirers(t)[row]
        if accredited[row]:
            return t.finding(row, "investor.accredited_swf", "investor_attributes", "B1_structure_plan_conduct",
                             T("The acquirer is a state investor accredited by MOF.", "取得者は財務省の認証を受けた国家系投資家である。"),
                             [(f"entities[{i}].accredited", True)], ["foreign_government_excluded"], ["state_ownership"])
        share = float(top[row])
        scale = 1.0 if government[row] else min(1.0, share / float(t.scales_at(row, "state_control_full_share_pct")["pct"]))
        return t.finding(row, "investor.state_control", "investor_attributes", "B1_structure_plan_conduct",
                         T(f"A foreign state owns or controls the acquirer (state share up to {share:g}%)." if share else "A foreign state controls the acquirer.",
                           f"外国政府等が取得者を保有・支配している（国の持分最大{share:g}%）。" if share else "外国政府等が取得者を支配している。"),
                         [(f"entities[{i}].kind", acq.kind), ("entities[*].state_owned_pct", share)],
                         ["state_control_pct", "foreign_government_excluded"], ["state_ownership"], scale)
    return t.fire(accredited | government | (top > 0), build)


def opaque_ownership(t: FindingTable) -> list[list[Finding]]:
    """B1: beneficial owners (実質的支配者) not disclosed: the file says its list of owners is incomplete
    (``owners_complete: false``). Owners simply not stated are an unknown fact: they widen the score
    range (range_unknowns) instead of adding points."""
    holds = np.array([not (acq.kind == "individual" or acq.kind in STATE_KINDS or acq.listed) and acq.owners_complete is False
                      for _, acq in acquirers(t)], dtype=bool)

    def build(row: int) -> Finding:
        i, acq = acquirers(t)[row]
        return t.finding(row, "investor.opaque_ownership", "investor_attributes", "B1_structure_plan_conduct",
                         T("The acquirer's owners are not disclosed in full.", "取得者の実質的支配者が十分に開示されていない。"),
                         [(f"entities[{i}].owners", [h.owner for h in acq.owners]), (f"entities[{i}].owners_complete", acq.owners_complete)],
                         [], ["opaque_ownership"])
    return t.fire(holds, build)


def _chain_finding(t: FindingTable, field: str, build: Callable[[int, list[tuple[str, Any]]], Finding]) -> list[list[Finding]]:
    """A finding for each row in whose chain some entity's ``field`` is set, built from that evidence."""
    ev = _chain_evidence(t, field)
    return t.fire(np.array([bool(e) for e in ev], dtype=bool), lambda row: build(row, ev[row]))


def military_links(t: FindingTable) -> list[list[Finding]]:
    return _chain_finding(t, "military_links", lambda row, ev: t.finding(
        row, "investor.military_links", "investor_attributes", "B1_structure_plan_conduct",
        T("The acquirer or an owner has military or defence-industry links.", "取得者又はその出資者は軍・防衛産業との関係を有する。"),
        ev, [], ["intelligence_duty", "state_ownership"]))


def security_list(t: FindingTable) -> list[list[Finding]]:
    """B1/B2: a public end-user or military-company list names the acquirer or an entity in its chain."""
    def build(row: int, ev: list[tuple[str, Any]]) -> Finding:
        lists = sorted({name for _, names in ev for name in names})
        return t.finding(row, "investor.security_list", "investor_attributes", "B1_structure_plan_conduct",
                         T(f"A public security list names the acquirer or an owner: {', '.join(lists)}.",
                           f"取得者又はその出資者は公的な安全保障上のリストに掲載されている：{'、'.join(lists)}。"),
                         ev, [], ["intelligence_duty", "state_ownership"])
    return _chain_finding(t, "security_list_designations", build)


def fefta_violation(t: FindingTable) -> list[list[Finding]]:
    """B3: compliance record with FEFTA or equivalent foreign law."""
    return _chain_finding(t, "fefta_violation_sanctioned", lambda row, ev: t.finding(
        row, "investor.fefta_violation", "investor_attributes", "B3_compliance",
        T("The acquirer has been sanctioned for breaching FEFTA.", "取得者は外為法違反により処分を受けている。"),
        ev, ["violator_excluded"], ["opaque_ownership"]))


#: past conduct of the acquirer that is a finding: (conduct, rule, sentence, risk keys), in the order they are listed
PAST_CONDUCT = (
    ("blocked_deal", "investor.past_conduct_blocked",
     T("A previous deal by the acquirer was blocked on security grounds.", "取得者の過去の投資が安全保障上の理由で阻止された。"), ["intelligence_duty"]),
    ("activist_campaign", "investor.past_conduct_activist",
     T("The acquirer has run activist campaigns.", "取得者はアクティビスト活動の実績がある。"), ["voting_influence"]),
)


def past_conduct(t: FindingTable) -> list[list[Finding]]:
    """B1: past conduct and record: deals blocked elsewhere, activist campaigns."""
    out = t.no_findings()
    for row, (i, acq) in enumerate(acquirers(t)):
        out[row] = [t.finding(row, rule, "investor_attributes", "B1_structure_plan_conduct", text,
                              [(f"entities[{i}].past_conduct", conduct)], [], keys)
                    for conduct, rule, text, keys in PAST_CONDUCT if conduct in acq.past_conduct]
    return out


def investment_plan(t: FindingTable) -> list[list[Finding]]:
    """B1: the stated investment plan."""
    plans = [acq.investment_plan for _, acq in acquirers(t)]

    def build(row: int) -> Finding:
        plan = plans[row]
        scale = 1.0 if plan == "control" else float(t.scales_at(row, "strategic_plan")["scale"])
        return t.finding(row, "investor.control_plan", "investor_attributes", "B1_structure_plan_conduct",
                         T(f"The stated plan is {plan}.", f"投資計画は{'経営支配' if plan == 'control' else '戦略的提携'}である。"),
                         [(f"entities[{acquirers(t)[row][0]}].investment_plan", plan)], [], ["voting_influence"], scale)
    return t.fire(np.array([p in ("strategic", "control") for p in plans], dtype=bool), build)


def watchlist_hits(t: FindingTable) -> list[list[Finding]]:
    """B1/B2: the acquirer or an owner matches an entry on a watch list the user supplied."""
    out = t.no_findings()
    for row, hits in enumerate(t.hits):
        out[row] = [t.finding(row, "investor.watchlist_hit", "investor_attributes", "B1_structure_plan_conduct",
                              T(f"{hit.entity_name} matches '{hit.listed_name}' on {hit.list_name} (score {hit.score:.2f}).",
                                f"{hit.entity_name}は{hit.list_name}の「{hit.listed_name}」に一致（スコア{hit.score:.2f}）。"),
                              [(hit.path, hit.matched_name)], [], ["intelligence_duty", "opaque_ownership"], hit.score)
                    for hit in hits]
    return out


RULES = [intelligence_duty, state_control, opaque_ownership, military_links, security_list, fefta_violation, past_conduct, investment_plan,
         watchlist_hits]
