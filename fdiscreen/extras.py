"""Optional parts of the install (pip extras): the web workbench (``web``) and the scale engines, Dask
and the DuckDB ownership graph (``scale``). A command that needs a missing one says which to install."""

from __future__ import annotations

import importlib.util

from fdiscreen.errors import FdiscreenError

#: what each extra gives, for the message
EXTRA_PURPOSE = {"web": "the web workbench", "scale": "Dask and the DuckDB ownership graph"}


def require_extra(extra: str, *modules: str) -> None:
    """Raise a one-line error naming the extra when any of ``modules`` is not installed."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise FdiscreenError(f"{EXTRA_PURPOSE[extra]} needs {', '.join(missing)}, which is not installed",
                             path=f"fdiscreen[{extra}]", expected=f"pip install 'fdiscreen[{extra}]'")
