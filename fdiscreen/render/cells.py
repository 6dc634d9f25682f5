"""A value of a results table as a person reads it (terminal tables, web pages): dates in ISO form,
lists joined, floats to four significant digits, missing values empty. The tables themselves keep
every digit and their real types."""

from __future__ import annotations

import datetime as dt
from typing import Any


def cell_text(value: Any) -> str:
    """One table cell as shown."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def figure_text(value: float | int | None) -> str:
    """An evaluation figure (AUC, accuracy, a bound of an interval) as shown: four decimals at most."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)
