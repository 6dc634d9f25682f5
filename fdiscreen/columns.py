"""A batch of deals as columns: the shape every legal test is written over (OpenFisca's populations).

A rule takes a :class:`DealTable` and returns arrays with one entry per deal (row); one deal is a table
of one row. Deal-level facts are aligned arrays built on first use (:meth:`DealTable.column`), entities
are :class:`fdiscreen.lookthrough.EntityTable` rows, and other repeated facts (business lines,
technologies, proposals, measures) are long tables keyed by the deal's row, built by the module that
reads them. Three-valued answers are ``int8`` columns: 1 yes, 0 no, -1 unknown. A rule's answer is a
code per row plus the evidence it read; sentences are rendered from those only when a row is shown.

One table holds the deals of one as-of date (one :class:`~fdiscreen.regime.Regime`): a batch of many
dates is screened date by date, so every threshold is one value per table. The table's regime is read
without counting (``peek``); what each row's answer used is counted in that row's own regime
(:meth:`DealTable.regime_of`), whose assumptions its result lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import numpy as np

from fdiscreen.model import Deal
from fdiscreen.regime import Regime

YES, NO, UNKNOWN = 1, 0, -1
C = TypeVar("C")


class KeyedByDeal:
    """A long table whose rows are sorted by the deal row they belong to (its ``deal`` column): entities,
    business lines, acts, conditions, reports. Mixed into those (frozen) dataclasses."""

    deal: np.ndarray

    @cached_property
    def _deal_starts(self) -> list[int]:
        """Where each deal's rows start, and after the last deal the table's end (found once per table)."""
        last = int(self.deal[-1]) if len(self.deal) else -1
        return np.searchsorted(self.deal, np.arange(last + 2), side="left").tolist()

    def of_deal(self, row: int) -> slice:
        """The rows of deal ``row``, in order (empty for a deal with none)."""
        starts = self._deal_starts
        if row + 1 >= len(starts):
            return slice(len(self.deal), len(self.deal))
        return slice(starts[row], starts[row + 1])


def tri(values: Sequence[bool | None]) -> np.ndarray:
    """A three-valued column from Python booleans and None."""
    return np.fromiter((UNKNOWN if v is None else int(bool(v)) for v in values), dtype=np.int8, count=len(values))


def tri_any(*cols: np.ndarray) -> np.ndarray:
    """Three-valued OR over aligned columns: yes if one is yes, no if all are no, else unknown."""
    yes = np.logical_or.reduce([c == YES for c in cols])
    no = np.logical_and.reduce([c == NO for c in cols])
    return np.where(yes, YES, np.where(no, NO, UNKNOWN)).astype(np.int8)


def tri_all(*cols: np.ndarray) -> np.ndarray:
    """Three-valued AND over aligned columns: no if one is no, yes if all are yes, else unknown."""
    no = np.logical_or.reduce([c == NO for c in cols])
    yes = np.logical_and.reduce([c == YES for c in cols])
    return np.where(no, NO, np.where(yes, YES, UNKNOWN)).astype(np.int8)


def read(col: np.ndarray, unknown_as: bool) -> np.ndarray:
    """A three-valued column as booleans, unknowns read as ``unknown_as``."""
    return (col == YES) | ((col == UNKNOWN) & unknown_as)


def tri_value(code: int) -> bool | None:
    """One row's three-valued answer as Python (True, False, None)."""
    return True if code == YES else False if code == NO else None


@dataclass(eq=False)
class DealTable:
    """The deals of one as-of date as columns, each built on first use and kept for the table's life."""

    deals: Sequence[Deal]
    regime: Regime
    row_regimes: Sequence[Regime] = ()
    _built: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def one(cls, deal: Deal, regime: Regime) -> "DealTable":
        """A deal as a table of one row."""
        return cls([deal], regime)

    def regime_of(self, row: int) -> Regime:
        """The regime in which row ``row``'s answers count what they use (the deal's own; the table's
        when the table is one deal screened alone)."""
        return self.row_regimes[row] if self.row_regimes else self.regime

    @property
    def regimes(self) -> list[Regime]:
        """Each row's regime (:meth:`regime_of`)."""
        return list(self.row_regimes) if self.row_regimes else [self.regime] * self.n

    @property
    def n(self) -> int:
        return len(self.deals)

    def column(self, key: str, build: Callable[["DealTable"], C]) -> C:
        """The column (or long table) ``key``, built by ``build`` the first time it is asked for."""
        if key not in self._built:
            self._built[key] = build(self)
        return self._built[key]

    def values(self, getter: Callable[[Deal], Any], dtype: Any = object) -> np.ndarray:
        """A column of one fact per deal (extraction from the deal models, not law)."""
        return np.array([getter(d) for d in self.deals], dtype=dtype)

    def tri(self, getter: Callable[[Deal], bool | None]) -> np.ndarray:
        """A three-valued column of one fact per deal."""
        return tri([getter(d) for d in self.deals])
