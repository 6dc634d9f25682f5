"""Review consideration C2(ii): proposals to transfer or abolish the designated business, and moving
production abroad."""

from __future__ import annotations

from fdiscreen.assess.finding import Context, Finding
from fdiscreen.i18n import T


def transfer_or_abolition(ctx: Context) -> list[Finding]:
    """C2(ii): the investor proposes (or backs) transferring or abolishing a designated-sector business."""
    props = [p for p in ctx.deal.transaction.proposals
             if p.kind in ("designated_business_transfer", "designated_business_abolition") and (p.proposed_by_investor or p.investor_consents)]
    if not props:
        return []
    scale = 1.0 if any(p.proposed_by_investor for p in props) else float(ctx.scales("backed_proposal")["scale"])
    return [ctx.finding("proposals.transfer_abolition", "proposals", "C2ii_transfer_abolition_proposal",
                        T("The investor proposes or backs transferring or abolishing a designated-sector business.",
                          "投資家は指定業種に属する事業の譲渡・廃止を提案又は支持する。"),
                        [("transaction.proposals", [p.kind for p in props])], ["basic_criteria"], ["proposals", "production_relocation"], scale)]


def production_relocation(ctx: Context) -> list[Finding]:
    if not ctx.deal.transaction.relocate_production_abroad:
        return []
    return [ctx.finding("proposals.production_relocation", "proposals", "A3_supply",
                        T("The investor plans to move production abroad.", "投資家は生産の海外移転を計画している。"),
                        [("transaction.relocate_production_abroad", True)], ["leakage_routes"], ["production_relocation"])]


RULES = [transfer_or_abolition, production_relocation]
