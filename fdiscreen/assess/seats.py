"""Review consideration C2(i): director and auditor seats, observers and committee attendance.

Each rule is written once over a :class:`~fdiscreen.assess.finding.FindingTable` of deal readings and
returns each row's findings."""

from __future__ import annotations

import numpy as np

from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T
from fdiscreen.model import Deal


def seat_scale(t: FindingTable, row: int, seats: int) -> float:
    """The first seat counts in full, each further seat at a fraction, up to a most (finding_scales
    ``seats``): more seats never lower the points."""
    s = t.scales_at(row, "seats")
    return min(float(s["most"]), float(s["first"]) + float(s["each_further"]) * (seats - 1)) if seats > 0 else 0.0


def director_seats(deal: Deal) -> int:
    """Director seats for the investor or its closely related persons: those stated, else one where the
    investor consents to a proposal appointing itself or a closely related person."""
    tx = deal.transaction
    related = any(p.kind == "director_appointment" and p.investor_consents and p.appointee_is_investor_or_related for p in tx.proposals)
    return tx.board_seats or (1 if related else 0)


def board_seats(t: FindingTable) -> list[list[Finding]]:
    """C2(i): the investor or its closely related person becomes a director (per seat)."""
    seats = t.deal_values(director_seats, np.int64)

    def build(row: int) -> Finding:
        tx, n = t.deals[row].transaction, int(seats[row])
        return t.finding(row, "seats.board", "board_seats", "C2i_officer_seats",
                         T(f"{n} director seat(s) for the investor or its closely related persons.", f"投資家又は密接関係者の取締役{n}名。"),
                         [("transaction.board_seats", tx.board_seats), ("transaction.proposals", [p.kind for p in tx.proposals])],
                         ["basic_criteria"], ["board_seat", "information_rights", "voting_influence"], seat_scale(t, row, n))
    return t.fire(seats > 0, build)


def _seat_finding(t: FindingTable, field: str, rule: str, en: str, ja: str, basis: list[str]) -> list[list[Finding]]:
    """A finding for each row with seats of one kind (``transaction.<field>``), scaled per seat."""
    seats = t.deal_values(lambda d: getattr(d.transaction, field) or 0, np.int64)

    def build(row: int) -> Finding:
        n = int(seats[row])
        return t.finding(row, rule, "board_seats", "C2i_officer_seats", T(en.format(n=n), ja.format(n=n)), [(f"transaction.{field}", n)],
                         basis, ["board_seat", "information_rights"], seat_scale(t, row, n))
    return t.fire(seats > 0, build)


def auditor_seats(t: FindingTable) -> list[list[Finding]]:
    return _seat_finding(t, "auditor_seats", "seats.auditor", "{n} corporate auditor seat(s).", "監査役{n}名。", ["basic_criteria"])


def observer_seats(t: FindingTable) -> list[list[Finding]]:
    return _seat_finding(t, "observer_seats", "seats.observer", "{n} board observer seat(s).", "取締役会オブザーバー{n}名。", [])


def committee_attendance(t: FindingTable) -> list[list[Finding]]:
    """The additional exemption criterion: attending where core-business decisions are taken."""
    return t.fire(t.deal_values(lambda d: bool(d.transaction.core_committee_attendance), bool), lambda row: t.finding(
        row, "seats.committee_attendance", "board_seats", "C2i_officer_seats",
        T("The investor attends board or committee meetings deciding on the core business.", "投資家はコア業種の重要事項を決める会議に出席する。"),
        [("transaction.core_committee_attendance", True)], ["additional_criteria"], ["committee_attendance", "information_rights"]))


RULES = [board_seats, auditor_seats, observer_seats, committee_attendance]
