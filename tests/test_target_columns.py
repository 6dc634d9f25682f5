"""The target class over columns (fdiscreen.filing.target): one table of many deals gives each deal the
codes, classes, specified-acquisition flags, items used and conclusion that a table of that deal alone
gives (a batch of many equals a batch of one), and the column rules at their branches.

Citations: designated-business notice (業種告示, Order on Inward Direct Investment Art. 3(3)); core-business
notice (Order Art. 3-2(3)); specified-acquisition designated-business notice (2017 Notice No. 3, JLT151);
specified-acquisition core-business notice (2020 Notice No. 5, JLT152). The class counts the target's own
and its subsidiaries' businesses, whatever their size (the most sensitive class stands).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import deal, regime
from fdiscreen.columns import NO, UNKNOWN, YES, DealTable
from fdiscreen.filing.target import (LINE_GIVEN, LINE_NO_ACTIVITY, LINE_ONE_CLASS, LINE_SPANS, TARGET_COMPLETE, TARGET_CORE,
                                     TARGET_OPEN, TargetClassColumns, TargetRows, is_specified_core_business_entity,
                                     specified_core_business_entity, target_class, target_class_columns, target_class_table)
from fdiscreen.filing.conclusion import Reasoning
from fdiscreen.mof_list import MofList, load_mof_list
from fdiscreen.model import Target
from fdiscreen.regime import make_regime
from test_lookthrough import DATES, LIBRARY

TARGETS = [d.target for d in LIBRARY]


def _mof(tmp: Path) -> MofList:
    """A list classing every other securities code of the library, ① ② ③ in turn."""
    codes = sorted({t.securities_code for t in TARGETS if t.securities_code})
    p = tmp / "list.csv"
    p.write_text("証券コード,区分\n" + "".join(f"{c},{'①②③'[i % 3]}\n" for i, c in enumerate(codes[::2])), encoding="utf-8")
    return load_mof_list(p, vintage=dt.date(2024, 9, 13))


def _row(c: TargetClassColumns, d: int) -> dict[str, object]:
    """Everything the columns say about deal row ``d`` (its lines included)."""
    lines = c.lines.of_deal(d)
    return {"code": int(c.code[d]), "best": int(c.best[d]), "class": int(c.fefta_class[d]),
            "listed": int(c.specified_listed[d]), "core": int(c.specified_core[d]),
            "line_code": c.line.code[lines].tolist(), "line_class": c.line.cls[lines].tolist(),
            "line_listed": c.line.specified_listed[lines].tolist(), "line_core": c.line.specified_core[lines].tolist(),
            "used": sorted(item for item, rows in c.usage.items() if rows[d])}


def _assert_many_equals_one(targets: list[Target], as_of: dt.date, mof: MofList | None) -> None:
    many = target_class_columns(targets, make_regime(as_of), mof)
    for d, t in enumerate(targets):
        alone = target_class_columns([t], make_regime(as_of), mof)
        assert _row(many, d) == _row(alone, 0), (t.name, as_of)
        r_many, r_one = make_regime(as_of), make_regime(as_of)
        shown = target_class(t, r_many, mof, TargetRows(many, d))
        assert shown == target_class(t, r_one, mof), (t.name, as_of)
        assert set(r_many.used) == set(r_one.used), (t.name, as_of)


def test_a_batch_of_the_whole_library_gives_each_deal_its_own_class(tmp_path: Path) -> None:
    """Every example, bid and case in one table, on three dates straddling the 2019 and 2020 notices, with
    and without a MOF list."""
    mof = _mof(tmp_path)
    for day in DATES:
        for m in (None, mof):
            _assert_many_equals_one(TARGETS, day, m)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(TARGETS))), min_size=1, max_size=12), st.sampled_from(DATES))
def test_any_batch_in_any_order_gives_each_deal_its_own_class(picks: list[int], day: dt.date) -> None:
    """The same target may come twice, in any order, next to any others: its answer does not change."""
    _assert_many_equals_one([TARGETS[i] for i in picks], day, None)


AFTER_2024 = dt.date(2024, 9, 20)


def _columns(*businesses: dict[str, object], complete: bool | None = True, as_of: dt.date = AFTER_2024,
             subsidiaries: list[dict[str, object]] | None = None) -> TargetClassColumns:
    t = deal(target={"listed": False, "subsidiaries_complete": complete, "businesses": list(businesses),
                     "subsidiaries": subsidiaries or []}).target
    return target_class_columns([t], regime(as_of))


def test_each_line_gets_the_code_of_the_branch_that_decided_it() -> None:
    """Class given; neither class nor code; one class among the items (3911: designated software); a broad
    code spanning classes (391, including game software outside the notices; errata 19)."""
    c = _columns({"name": "a", "fefta_class": "core"}, {"name": "b"}, {"name": "c", "activity": "3911"}, {"name": "d", "activity": "391"})
    assert c.line.code.tolist() == [LINE_GIVEN, LINE_NO_ACTIVITY, LINE_ONE_CLASS, LINE_SPANS]
    assert c.line.cls.tolist() == [2, UNKNOWN, 1, UNKNOWN]


def test_a_subsidiarys_core_business_makes_the_target_core_whatever_is_open() -> None:
    """Designated and core notices: the subsidiaries' businesses count; core stands even with other lines
    and the subsidiaries' completeness unknown."""
    c = _columns({"name": "retail", "activity": "retail"}, {"name": "?"}, complete=None,
                 subsidiaries=[{"name": "S", "businesses": [{"name": "arms", "activity": "weapons"}]}])
    assert (int(c.code[0]), int(c.fefta_class[0])) == (TARGET_CORE, 2)


def test_designated_lines_with_subsidiaries_open_leave_the_class_open_at_least_designated() -> None:
    open_ = _columns({"name": "soft", "activity": "3911"}, complete=None)
    assert (int(open_.code[0]), int(open_.best[0]), int(open_.fefta_class[0])) == (TARGET_OPEN, 1, UNKNOWN)
    closed = _columns({"name": "soft", "activity": "3911"}, complete=True)
    assert (int(closed.code[0]), int(closed.fefta_class[0])) == (TARGET_COMPLETE, 1)


def test_the_most_sensitive_class_of_the_lines_stands() -> None:
    """Designated notice: a designated line (3911 software) next to a non-designated one (retail) makes the
    target designated; next to a core one (weapons), core."""
    both = _columns({"name": "shop", "activity": "retail"}, {"name": "soft", "activity": "3911"})
    assert (int(both.code[0]), int(both.fefta_class[0])) == (TARGET_COMPLETE, 1)
    three = _columns({"name": "soft", "activity": "3911"}, {"name": "shop", "activity": "retail"}, {"name": "arms", "activity": "weapons"})
    assert (int(three.code[0]), int(three.fefta_class[0])) == (TARGET_CORE, 2)


def test_specified_acquisition_lists_follow_the_items_or_the_given_class() -> None:
    """Specified-acquisition notices (2017 No. 3; 2020 No. 5): weapons is on both lists from 2020-05-08, only
    on the designated one in 2018; with the class given, a core line is on the designated list and its
    core listing is open, a designated line is on neither."""
    arms_2018 = _columns({"name": "arms", "activity": "weapons"}, as_of=dt.date(2018, 6, 1))
    assert (int(arms_2018.specified_listed[0]), int(arms_2018.specified_core[0])) == (YES, NO)
    arms = _columns({"name": "arms", "activity": "weapons"})
    assert (int(arms.specified_listed[0]), int(arms.specified_core[0])) == (YES, YES)
    given_core = _columns({"name": "x", "fefta_class": "core"})
    assert (int(given_core.specified_listed[0]), int(given_core.specified_core[0])) == (YES, UNKNOWN)
    given_designated = _columns({"name": "x", "fefta_class": "designated"})
    assert (int(given_designated.specified_listed[0]), int(given_designated.specified_core[0])) == (NO, NO)


def test_an_item_counts_as_used_only_for_the_rows_that_named_it() -> None:
    """Per-row usage: the assumptions a result lists are those its own lines needed."""
    ts = [deal(target={"businesses": [{"name": "a", "activity": a}]}).target for a in ("weapons", "retail")]
    c = target_class_columns(ts, regime())
    weapons, retail = c.lines.items
    assert c.usage[weapons].tolist() == [True, False] and c.usage[retail].tolist() == [False, True]


def test_a_deal_table_builds_the_columns_once_and_reads_the_specified_core_entity_fact() -> None:
    """特定コア事業者 (from 2025-05-19) is a fact of the deal file: unknown asks it."""
    d = deal(target={"specified_core_business_entity": None})
    table = DealTable.one(d, regime())
    assert target_class_table(table) is target_class_table(table)
    assert specified_core_business_entity(table).tolist() == [UNKNOWN]
    r = Reasoning(regime())
    assert is_specified_core_business_entity(d, r) is None
    assert [f.path for f in r.facts] == ["target.specified_core_business_entity"]
    many = DealTable([d, deal(target={"specified_core_business_entity": True})], regime())
    assert np.array_equal(specified_core_business_entity(many), np.array([UNKNOWN, YES], dtype=np.int8))
