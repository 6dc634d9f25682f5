"""fdiscreen: screen inward investments into Japanese companies under FEFTA (外為法).

The Python API, in five lines::

    import fdiscreen
    s = fdiscreen.screen("examples/us-fund-5pct-core.yaml", as_of="2026-12-01")
    print(s.filing.outcome.summary.en)           # or .ja
    fdiscreen.memo(s, "memo.pdf", lang="both")   # .pdf, .docx, .html or .md
    table = fdiscreen.cases.replay()             # the historical case library, replayed

``screen`` takes a deal file's path, a mapping shaped like a deal file, or a ``Deal``; it returns the
``Screening`` (the same object ``fdiscreen screen --json`` prints). ``load_deal`` reads and checks a deal
file; ``cases`` and ``batch`` are the case-library and table-screening modules. Every bad input raises
``FdiscreenError`` with the file, the field path and what was expected.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module, metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from fdiscreen.errors import FdiscreenError


def _version() -> str:
    """The installed distribution's version (single source: pyproject.toml)."""
    try:
        return metadata.version("fdiscreen")
    except metadata.PackageNotFoundError:  # imported from a checkout that was never installed
        return "0+unknown"


__version__ = _version()

if TYPE_CHECKING:
    from types import ModuleType

    from fdiscreen.model import Deal
    from fdiscreen.render.document import Cover
    from fdiscreen.screening import Screening

__all__ = ["FdiscreenError", "__version__", "screen", "load_deal", "memo", "cases", "batch"]

#: modules exported by name and imported on first use (they pull in pandas and matplotlib)
_LAZY_MODULES = {"cases": "fdiscreen.cases", "batch": "fdiscreen.batch"}


def __getattr__(name: str) -> "ModuleType":
    if name in _LAZY_MODULES:
        module = import_module(_LAZY_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'fdiscreen' has no attribute {name!r}")


def _as_date(value: dt.date | str | None, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FdiscreenError(f"not a date: {value!r}", path=field, expected="a date such as 2026-12-01") from None


def load_deal(path: str | Path, *, graph_db: str | Path | None = None) -> "Deal":
    """Read and check a deal file (YAML or JSON); ``graph_db`` expands an ``acquirer_graph_id``."""
    from fdiscreen.load import load_deal as _load

    return _load(path, graph_db=graph_db)


def _deal_of(deal: "str | Path | dict[str, Any] | Deal", graph_db: str | Path | None) -> "Deal":
    from fdiscreen.load import parse_deal
    from fdiscreen.model import Deal

    if isinstance(deal, Deal):
        return deal
    if isinstance(deal, (str, Path)):
        return load_deal(deal, graph_db=graph_db)
    if isinstance(deal, dict):
        return parse_deal(dict(deal), None, graph_db=graph_db)
    raise FdiscreenError(f"cannot screen a {type(deal).__name__}", path="deal",
                         expected="a deal file's path, a mapping shaped like a deal file, or a fdiscreen Deal")


def screen(deal: "str | Path | dict[str, Any] | Deal", *, as_of: dt.date | str | None = None,
           overrides: dict[str, Any] | None = None, amendment_effective: dt.date | str | None = None,
           mof_list: str | Path | None = None, watchlists: list[str | Path] | None = None,
           mitigate: list[str] | None = None, graph_db: str | Path | None = None) -> "Screening":
    """Screen one deal as the command line does: the filing determination on the as-of date (default: the
    deal's ``as_of``, else today in Japan) and the risk assessment.

    ``overrides`` set factors or assumptions by id (``{"listed_share_threshold_pct": 10}``, as ``--set``);
    ``amendment_effective`` models the 2026 amendment from that date; ``mof_list`` is MOF's classification
    list (.xlsx or .csv); ``watchlists`` are watch-list CSVs; ``mitigate`` names risk-mitigation measures
    (リスク軽減措置) to apply."""
    from fdiscreen.assess.watchlist import load_watchlists
    from fdiscreen.mof_list import load_mof_list
    from fdiscreen.regime import load_catalog, override
    from fdiscreen.screening import screen as _screen

    catalog = load_catalog()
    parsed = dict(override(k, v, catalog) for k, v in (overrides or {}).items())
    lists = load_watchlists(watchlists or [])
    mof = load_mof_list(mof_list) if mof_list else None
    return _screen(_deal_of(deal, graph_db), _as_date(as_of, "as_of"), parsed, _as_date(amendment_effective, "amendment_effective"),
                   mof, lists, mitigate)


def memo(screening: "Screening", path: str | Path, *, lang: Literal["en", "ja", "both"] = "en",
         date: dt.date | str | None = None, cover: "Cover | None" = None) -> Path:
    """Write the memo of a screening to ``path`` in the format its suffix names (.pdf, .docx, .html, .md),
    in Japanese, English or both; ``date`` is the memo's date (default today in Japan); ``cover`` gives the
    To / From / Re / matter number block and the confidentiality legend. Returns the path written."""
    from fdiscreen.render.memo import build_memo
    from fdiscreen.render.output import write_memo

    day = _as_date(date, "date")
    out = Path(path)
    write_memo(out, build_memo(screening, lang, day, cover=cover), day)
    return out
