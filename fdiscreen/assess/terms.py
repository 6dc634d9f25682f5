"""Review consideration C1: the influence the stake, loans and voting arrangements give (投資の内容)."""

from __future__ import annotations

from fdiscreen.filing.related import closely_related_persons, holding_with_related
from fdiscreen.assess.finding import Context, Finding
from fdiscreen.i18n import T, pct
from fdiscreen.regime import to_fraction


def stake_bands_reached(ctx: Context, holding: float) -> list[dict[str, object]]:
    """Companies Act bands at or above which the post-deal holding sits (one third: strictly above)."""
    bands = ctx.regime.value("stake_bands") or []
    x = to_fraction(holding)
    reached = []
    for band in bands:
        limit = to_fraction(band["pct"])
        strict = band.get("comparison") == ">" or band["id"] == "blocking_minority"
        if x > limit or (not strict and x >= limit):
            reached.append(band)
    return reached


def influence_holding(ctx: Context) -> float:
    """The post-deal voting share the investor controls: its own, its closely related persons' and
    proxies', or through a controlled overseas holding entity."""
    tx = ctx.deal.transaction
    with_related = holding_with_related(ctx.deal, ctx.regime, tx.voting_after or 0.0) or 0.0
    holding = min(100.0, with_related + (tx.proxy_voting_pct or 0.0))
    if tx.indirect is not None and tx.indirect.holding_entity_stake_in_target_pct is not None and tx.indirect.acquirer_voting_after_pct >= 50:
        holding = max(holding, tx.indirect.holding_entity_stake_in_target_pct)
    return holding


def stake_band(ctx: Context) -> list[Finding]:
    """C1: the post-deal voting share with closely related persons, by company-law band."""
    tx = ctx.deal.transaction
    holding = influence_holding(ctx)
    reached = stake_bands_reached(ctx, holding)
    if not reached:
        return []
    top = reached[-1]
    return [ctx.finding("terms.stake_band", "investment_terms", "C1_influence",
                        T(f"After the deal the investor controls {pct(holding)} of the votes: {top['en']}.",
                          f"取得後の議決権は{pct(holding)}：{top['ja']}。"),
                        [("transaction.voting_after_pct", tx.voting_after),
                         ("entities[*].target_voting_pct + transaction.closely_related_voting_pct",
                          closely_related_persons(ctx.deal, ctx.regime).added_pct)],
                        ["stake_bands", "stake_band_points"], ["stake_band", "voting_influence"], band_points(ctx, reached))]


def band_points(ctx: Context, reached: list[dict[str, object]]) -> float:
    """The access points of the bands reached (stake_band_points): more stake never lowers them."""
    table = ctx.regime.value("stake_band_points") or {}
    return float(sum(float(table.get(str(b["id"]), 0)) for b in reached))


def loan(ctx: Context) -> list[Finding]:
    """C1: for loans, the cumulative amount and terms."""
    act = next((a for a in ctx.det.acts if a.act == "loan"), None)
    if act is None or act.status == "no":
        return []
    tx = ctx.deal.transaction
    assert tx.loan is not None
    return [ctx.finding("terms.loan", "investment_terms", "C1_influence",
                        T(f"A loan of ¥{tx.loan.amount_jpy:,} for {tx.loan.term_years:g} years gives influence over the borrower.",
                          f"{tx.loan.amount_jpy:,}円・{tx.loan.term_years:g}年の貸付けは借入先への影響力を生む。"),
                        [("transaction.loan.amount_jpy", tx.loan.amount_jpy)], ["loan_liabilities_share_pct"], ["voting_influence"])]


def voting_arrangements(ctx: Context) -> list[Finding]:
    """C1: proxy and joint-voting agreements."""
    tx = ctx.deal.transaction
    ev = []
    if tx.proxy_voting_pct:
        ev.append(("transaction.proxy_voting_pct", tx.proxy_voting_pct))
    if tx.joint_voting:
        ev.append(("transaction.joint_voting.combined_voting_pct", tx.joint_voting.combined_voting_pct))
    if not ev:
        return []
    return [ctx.finding("terms.voting_arrangements", "investment_terms", "C1_influence",
                        T("Proxy or joint-voting arrangements extend the investor's influence.", "議決権代理行使・共同行使の取決めにより影響力が拡大する。"),
                        ev, ["joint_voting_consent_listed_pct"], ["voting_influence"])]


def convertible(ctx: Context) -> list[Finding]:
    if not ctx.deal.transaction.convertible_instruments:
        return []
    return [ctx.finding("terms.convertible", "investment_terms", "C1_influence",
                        T("Convertible instruments can raise the stake later.", "転換可能な証券により将来持分が増加し得る。"),
                        [("transaction.convertible_instruments", True)], [], ["stake_band"])]


RULES = [stake_band, loan, voting_arrangements, convertible]
