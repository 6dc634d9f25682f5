"""Review consideration C2(i): director and auditor seats, observers and committee attendance."""

from __future__ import annotations

from fdiscreen.assess.finding import Context, Finding
from fdiscreen.i18n import T


def seat_scale(ctx: Context, seats: int) -> float:
    """The first seat counts in full, each further seat at a fraction, up to a most (finding_scales
    ``seats``): more seats never lower the points."""
    s = ctx.scales("seats")
    return min(float(s["most"]), float(s["first"]) + float(s["each_further"]) * (seats - 1)) if seats > 0 else 0.0


def board_seats(ctx: Context) -> list[Finding]:
    """C2(i): the investor or its closely related person becomes a director (per seat)."""
    tx = ctx.deal.transaction
    related = any(p.kind == "director_appointment" and p.investor_consents and p.appointee_is_investor_or_related for p in tx.proposals)
    seats = tx.board_seats or (1 if related else 0)
    if not seats:
        return []
    scale = seat_scale(ctx, seats)
    return [ctx.finding("seats.board", "board_seats", "C2i_officer_seats",
                        T(f"{seats} director seat(s) for the investor or its closely related persons.", f"投資家又は密接関係者の取締役{seats}名。"),
                        [("transaction.board_seats", tx.board_seats), ("transaction.proposals", [p.kind for p in tx.proposals])],
                        ["basic_criteria"], ["board_seat", "information_rights", "voting_influence"], scale)]


def auditor_seats(ctx: Context) -> list[Finding]:
    n = ctx.deal.transaction.auditor_seats
    if not n:
        return []
    return [ctx.finding("seats.auditor", "board_seats", "C2i_officer_seats",
                        T(f"{n} corporate auditor seat(s).", f"監査役{n}名。"), [("transaction.auditor_seats", n)],
                        ["basic_criteria"], ["board_seat", "information_rights"], seat_scale(ctx, n))]


def observer_seats(ctx: Context) -> list[Finding]:
    n = ctx.deal.transaction.observer_seats
    if not n:
        return []
    return [ctx.finding("seats.observer", "board_seats", "C2i_officer_seats",
                        T(f"{n} board observer seat(s).", f"取締役会オブザーバー{n}名。"), [("transaction.observer_seats", n)],
                        [], ["board_seat", "information_rights"], seat_scale(ctx, n))]


def committee_attendance(ctx: Context) -> list[Finding]:
    """The additional exemption criterion: attending where core-business decisions are taken."""
    if not ctx.deal.transaction.core_committee_attendance:
        return []
    return [ctx.finding("seats.committee_attendance", "board_seats", "C2i_officer_seats",
                        T("The investor attends board or committee meetings deciding on the core business.", "投資家はコア業種の重要事項を決める会議に出席する。"),
                        [("transaction.core_committee_attendance", True)], ["additional_criteria"], ["committee_attendance", "information_rights"])]


RULES = [board_seats, auditor_seats, observer_seats, committee_attendance]
