"""Column tables (dataclasses holding numpy columns) compare and hash by identity: a field-wise ``==``
over arrays has no truth value, and generating it costs start-up time."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import numpy as np

import fdiscreen


def _column_tables() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(fdiscreen.__path__, "fdiscreen."):
        if info.name.startswith("fdiscreen.web"):  # the workbench (its own extra) holds no column tables
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == info.name and any(
                    "ndarray" in str(f.type) for f in dataclasses.fields(obj)):
                found.append(obj)
    return found


def test_every_column_table_compares_by_identity() -> None:
    tables = _column_tables()
    assert len(tables) >= 30  # the engine's tables: acts, targets, exemptions, reports, amendment, look-through, scores
    assert [t.__qualname__ for t in tables if t.__dataclass_params__.eq] == []


def test_a_column_table_is_equal_only_to_itself() -> None:
    from fdiscreen.filing.acts import TargetColumns

    a, b = (TargetColumns(np.zeros(2, dtype=np.int8), np.zeros(2, dtype=np.int8)) for _ in range(2))
    assert a == a and a != b and len({a, b}) == 2
