"""Review consideration C1: the influence the stake, loans and voting arrangements give (投資の内容).

Each rule is written once over a :class:`~fdiscreen.assess.finding.FindingTable` of deal readings and
returns each row's findings."""

from __future__ import annotations

from typing import Any

import numpy as np

from fdiscreen.filing.related import closely_related_persons, holding_with_related
from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T, pct
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, to_fraction


def stake_bands_reached(bands: list[dict[str, Any]], holding: float) -> list[dict[str, Any]]:
    """Companies Act bands (``stake_bands``) at or above which the post-deal holding sits (one third: strictly above)."""
    x = to_fraction(holding)
    reached = []
    for band in bands:
        limit = to_fraction(band["pct"])
        strict = band.get("comparison") == ">" or band["id"] == "blocking_minority"
        if x > limit or (not strict and x >= limit):
            reached.append(band)
    return reached


def influence_holding(deal: Deal, regime: Regime) -> float:
    """The post-deal voting share the investor controls: its own, its closely related persons' and
    proxies', or through a controlled overseas holding entity."""
    tx = deal.transaction
    with_related = holding_with_related(deal, regime, tx.voting_after or 0.0) or 0.0
    holding = min(100.0, with_related + (tx.proxy_voting_pct or 0.0))
    if tx.indirect is not None and tx.indirect.holding_entity_stake_in_target_pct is not None and tx.indirect.acquirer_voting_after_pct >= 50:
        holding = max(holding, tx.indirect.holding_entity_stake_in_target_pct)
    return holding


def holdings(t: FindingTable) -> np.ndarray:
    """Each row's influence holding (:func:`influence_holding`), in its own regime."""
    return t.column("influence_holding", lambda t: np.array([influence_holding(d, r) for d, r in zip(t.deals, t.regimes)], dtype=np.float64))


def bands_reached(t: FindingTable) -> list[list[dict[str, Any]]]:
    """Each row's stake bands reached by its influence holding."""
    def build(t: FindingTable) -> list[list[dict[str, Any]]]:
        bands = t.value("stake_bands") or []
        return [stake_bands_reached(bands, float(h)) for h in holdings(t)]
    return t.column("bands_reached", build)


def stake_band(t: FindingTable) -> list[list[Finding]]:
    """C1: the post-deal voting share with closely related persons, by company-law band."""
    reached, held = bands_reached(t), holdings(t)

    def build(row: int) -> Finding:
        deal, regime, top = t.deals[row], t.regimes[row], reached[row][-1]
        holding = float(held[row])
        return t.finding(row, "terms.stake_band", "investment_terms", "C1_influence",
                         T(f"After the deal the investor controls {pct(holding)} of the votes: {top['en']}.",
                           f"取得後の議決権は{pct(holding)}：{top['ja']}。"),
                         [("transaction.voting_after_pct", deal.transaction.voting_after),
                          ("entities[*].target_voting_pct + transaction.closely_related_voting_pct",
                           closely_related_persons(deal, regime).added_pct)],
                         ["stake_bands", "stake_band_points"], ["stake_band", "voting_influence"], band_points(regime, reached[row]))
    return t.fire(np.array([bool(r) for r in reached], dtype=bool), build)


def band_points(regime: Regime, reached: list[dict[str, Any]]) -> float:
    """The access points of the bands reached (stake_band_points): more stake never lowers them."""
    table = regime.value("stake_band_points") or {}
    return float(sum(float(table.get(str(b["id"]), 0)) for b in reached))


def loan(t: FindingTable) -> list[list[Finding]]:
    """C1: for loans, the cumulative amount and terms (where the determination finds the loan an act
    that is, or may be, inward direct investment)."""
    def build(row: int) -> Finding:
        loan = t.deals[row].transaction.loan
        assert loan is not None
        return t.finding(row, "terms.loan", "investment_terms", "C1_influence",
                         T(f"A loan of ¥{loan.amount_jpy:,} for {loan.term_years:g} years gives influence over the borrower.",
                           f"{loan.amount_jpy:,}円・{loan.term_years:g}年の貸付けは借入先への影響力を生む。"),
                         [("transaction.loan.amount_jpy", loan.amount_jpy)], ["loan_liabilities_share_pct"], ["voting_influence"])
    covered = np.array([next((a.status for a in det.acts if a.act == "loan"), "no") != "no" for det in t.dets], dtype=bool)
    return t.fire(covered, build)


def voting_arrangements(t: FindingTable) -> list[list[Finding]]:
    """C1: proxy and joint-voting agreements."""
    def evidence(deal: Deal) -> list[tuple[str, Any]]:
        tx, ev = deal.transaction, []
        if tx.proxy_voting_pct:
            ev.append(("transaction.proxy_voting_pct", tx.proxy_voting_pct))
        if tx.joint_voting:
            ev.append(("transaction.joint_voting.combined_voting_pct", tx.joint_voting.combined_voting_pct))
        return ev
    ev = [evidence(d) for d in t.deals]
    return t.fire(np.array([bool(e) for e in ev], dtype=bool), lambda row: t.finding(
        row, "terms.voting_arrangements", "investment_terms", "C1_influence",
        T("Proxy or joint-voting arrangements extend the investor's influence.", "議決権代理行使・共同行使の取決めにより影響力が拡大する。"),
        ev[row], ["joint_voting_consent_listed_pct"], ["voting_influence"]))


def convertible(t: FindingTable) -> list[list[Finding]]:
    return t.fire(t.deal_values(lambda d: bool(d.transaction.convertible_instruments), bool), lambda row: t.finding(
        row, "terms.convertible", "investment_terms", "C1_influence",
        T("Convertible instruments can raise the stake later.", "転換可能な証券により将来持分が増加し得る。"),
        [("transaction.convertible_instruments", True)], [], ["stake_band"]))


RULES = [stake_band, loan, voting_arrangements, convertible]
