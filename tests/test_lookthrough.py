"""The columnar look-through (fdiscreen.lookthrough): exact arithmetic at the law's boundaries, and one
table of many deals giving each deal the marks a table of that deal alone gives (a batch of many
equals a batch of one)."""

from __future__ import annotations

import datetime as dt
import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fdiscreen.cases import load_cases
from fdiscreen.filing.investor import _controlled_test, _foreign_test, _specified_seed, _state_seed
from fdiscreen.load import load_deal, parse_deal
from fdiscreen.columns import NO, YES, KeyedByDeal
from fdiscreen.lookthrough import EntityTable, Scale, entity_table, run
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, make_regime

ROOT = Path(__file__).resolve().parent.parent
HOME = "JP"
DATES = (dt.date(2019, 1, 1), dt.date(2020, 6, 1), dt.date(2026, 12, 1))


def _library() -> list[Deal]:
    deals = [load_deal(Path(p)) for p in sorted(glob.glob(str(ROOT / "examples" / "*.yaml")))]
    deals += [load_deal(Path(p)) for p in sorted(glob.glob(str(ROOT / "examples" / "bids" / "*.yaml")))]
    return deals + [c.deal for c in load_cases()]


LIBRARY = _library()


def _all_marks(t: EntityTable, regime: Regime) -> list[np.ndarray]:
    """Every look-through test of the investor rules on the table: foreign status, foreign government
    (with and without accredited funds) and specified foreign investor."""
    return [run(t, _foreign_test(t, regime)).status,
            *(run(t, _controlled_test(t, _state_seed(t, regime, c, {}), regime, "state_control_pct", {})).status for c in (True, False)),
            run(t, _controlled_test(t, _specified_seed(t, regime, {}), regime, "specified_foreign_investor_capital_pct", {})).status]


def _assert_many_equals_one(deals: list[Deal], regime: Regime) -> None:
    many = entity_table(deals, HOME)
    together = _all_marks(many, regime)
    for d, deal in enumerate(deals):
        alone = _all_marks(entity_table([deal], HOME), regime)
        rows = many.of_deal(d)
        for test, (a, b) in enumerate(zip(together, alone)):
            assert a[rows].tolist() == b.tolist(), (deal.matter, test, regime.as_of)


def test_a_batch_of_the_whole_library_gives_each_deal_its_own_marks() -> None:
    """Every example, bid and case in one table, on three dates that straddle the 2019 and 2020 changes."""
    for day in DATES:
        _assert_many_equals_one(LIBRARY, make_regime(day))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(LIBRARY))), min_size=1, max_size=12), st.sampled_from(DATES))
def test_any_batch_in_any_order_gives_each_deal_its_own_marks(picks: list[int], day: dt.date) -> None:
    """The same deal may come twice, in any order, next to any others: its marks do not change."""
    _assert_many_equals_one([LIBRARY[i] for i in picks], make_regime(day))


def _group(stakes: list[float]) -> Deal:
    """A US parent half-holding `mid`, which holds ``stakes`` in `sub` through three vehicles it
    controls; `sub` holds 60% of the buyer."""
    owners = [{"owner": f"v{i}", "voting_pct": s} for i, s in enumerate(stakes)]
    vehicles = [{"id": f"v{i}", "name": f"V{i}", "kind": "corporation", "jurisdiction": HOME,
                 "owners": [{"owner": "mid", "voting_pct": 100}], "owners_complete": True,
                 "officers": {"directors_total": 1, "directors_non_resident": 0}} for i in range(len(stakes))]

    def jp(eid: str, holders: list[dict[str, Any]]) -> dict[str, Any]:
        return {"id": eid, "name": eid, "kind": "corporation", "jurisdiction": HOME, "owners": holders, "owners_complete": True,
                "officers": {"directors_total": 1, "directors_non_resident": 0}}

    return parse_deal({"matter": "exact", "acquirer": "buyer",
                       "entities": [jp("buyer", [{"owner": "sub", "voting_pct": 60}]),
                                    jp("sub", owners), jp("mid", [{"owner": "us", "voting_pct": 60}]), *vehicles,
                                    {"id": "us", "name": "US Inc", "kind": "corporation", "jurisdiction": "US"}],
                       "target": {"name": "T", "listed": False, "businesses": [{"name": "x", "fefta_class": "core"}]},
                       "transaction": {"kind": "share_acquisition", "shares_before_pct": 0, "shares_after_pct": 20}})


def test_stakes_add_up_exactly_at_the_subsidiary_boundary() -> None:
    """Companies Act Art. 2(iii) via Cabinet Order Art. 2(1): 0.2% + 32.2% + 17.6% is exactly half, which is
    not "more than half" (in floating point the sum is 50.00000000000001 and would pass); one more
    hundredth makes `sub` a subsidiary of the half-held `mid`, and the buyer foreign."""
    regime = make_regime(dt.date(2026, 12, 1))
    assert 0.2 + 32.2 + 17.6 > 50  # what floating point would conclude
    for stakes, expected, unit in (([0.2, 32.2, 17.6], NO, 10), ([0.2, 32.2, 17.61], YES, 100)):
        t = entity_table([_group(stakes)], HOME)
        assert t.scale == Scale(unit=unit, dtype=np.int64)
        assert run(t, _foreign_test(t, regime)).status[0] == expected, stakes


def test_stakes_with_many_decimals_stay_exact() -> None:
    """Beyond int64's reach the numerators are Python integers: still exact."""
    scale = Scale.for_values([12.3456789012345, 0.5])
    assert scale.dtype is object and scale.unit == 10 ** 13
    held = scale.column([12.3456789012345, 37.6543210987655])
    assert scale.meets(np.array([held.sum()], dtype=object), make_regime(dt.date(2026, 12, 1)).threshold("foreign_owned_company_pct"), ">=")[0]


def test_screenings_of_a_batch_equal_screenings_alone() -> None:
    """The Screening JSON of every example, bid and case is the same screened in one batch (the
    look-through once over all of them) as screened alone, names, reasons and fingerprints included."""
    from fdiscreen.screening import screen, screen_many

    day = dt.date(2026, 12, 1)
    together = screen_many(LIBRARY, day)
    for deal, s in zip(LIBRARY, together):
        assert s.to_json() == screen(deal, day).to_json(), deal.matter


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(range(len(LIBRARY))), min_size=2, max_size=6), st.sampled_from(DATES))
def test_screenings_of_any_batch_equal_screenings_alone(picks: list[int], day: dt.date) -> None:
    from fdiscreen.screening import screen, screen_many

    deals = [LIBRARY[i] for i in picks]
    assert [s.to_json() for s in screen_many(deals, day)] == [screen(d, day).to_json() for d in deals]


@dataclass(frozen=True)
class _Long(KeyedByDeal):
    deal: np.ndarray


@given(st.lists(st.integers(0, 6), max_size=30), st.integers(0, 9))
def test_a_long_table_gives_each_deal_exactly_its_own_rows(deals: list[int], row: int) -> None:
    """Rows sorted by deal: a deal's slice holds the rows of that deal and no other, also for a deal
    with no rows (between others or after the last) and for an empty table."""
    t = _Long(np.array(sorted(deals), dtype=np.int64))
    s = t.of_deal(row)
    assert list(range(len(t.deal))[s]) == [i for i, d in enumerate(t.deal.tolist()) if d == row]
    assert 0 <= s.start <= s.stop <= len(t.deal)


def test_a_copy_with_a_changed_entity_finds_the_changed_entity() -> None:
    """The entity index is kept per entity list: a reading that changes an entity (a new list) finds the
    new entity and its own position, while the original still finds its own."""
    from fdiscreen.assess.ranges import with_fact

    deal = load_deal(str(Path(__file__).resolve().parent.parent / "examples" / "us-fund-5pct-core.yaml"))
    before = deal.entity(deal.acquirer)
    i = deal.entity_index(deal.acquirer)
    changed = with_fact(deal, f"entities[{i}].state_owned_pct", 60.0)
    assert changed.entity(deal.acquirer).state_owned_pct == 60.0
    assert changed.entity(deal.acquirer) is changed.entities[i] and changed.entity_index(deal.acquirer) == i
    assert deal.entity(deal.acquirer) is before and before.state_owned_pct != 60.0
    assert [e.id for e in changed.entities] == [e.id for e in deal.entities]
