"""Review consideration C2(ii): proposals to transfer or abolish the designated business, and moving
production abroad; over a :class:`~fdiscreen.assess.finding.FindingTable` of deal readings."""

from __future__ import annotations

import numpy as np

from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T
from fdiscreen.model import Deal, ShareholderProposal


def transfer_or_abolition_proposals(deal: Deal) -> list[ShareholderProposal]:
    """The deal's proposals to transfer or abolish a designated-sector business that the investor makes or backs."""
    return [p for p in deal.transaction.proposals
            if p.kind in ("designated_business_transfer", "designated_business_abolition") and (p.proposed_by_investor or p.investor_consents)]


def transfer_or_abolition(t: FindingTable) -> list[list[Finding]]:
    """C2(ii): the investor proposes (or backs) transferring or abolishing a designated-sector business."""
    props = [transfer_or_abolition_proposals(d) for d in t.deals]

    def build(row: int) -> Finding:
        mine = props[row]
        scale = 1.0 if any(p.proposed_by_investor for p in mine) else float(t.scales_at(row, "backed_proposal")["scale"])
        return t.finding(row, "proposals.transfer_abolition", "proposals", "C2ii_transfer_abolition_proposal",
                         T("The investor proposes or backs transferring or abolishing a designated-sector business.",
                           "投資家は指定業種に属する事業の譲渡・廃止を提案又は支持する。"),
                         [("transaction.proposals", [p.kind for p in mine])], ["basic_criteria"], ["proposals", "production_relocation"], scale)
    return t.fire(np.array([bool(p) for p in props], dtype=bool), build)


def production_relocation(t: FindingTable) -> list[list[Finding]]:
    return t.fire(t.deal_values(lambda d: bool(d.transaction.relocate_production_abroad), bool), lambda row: t.finding(
        row, "proposals.production_relocation", "proposals", "A3_supply",
        T("The investor plans to move production abroad.", "投資家は生産の海外移転を計画している。"),
        [("transaction.relocate_production_abroad", True)], ["leakage_routes"], ["production_relocation"]))


RULES = [transfer_or_abolition, production_relocation]
