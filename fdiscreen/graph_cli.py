"""``fdiscreen graph ...``: load an ownership graph into DuckDB and query it (see :mod:`fdiscreen.graph`).

Bad input raises :class:`~fdiscreen.errors.FdiscreenError`; the main CLI prints it on one line and exits 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fdiscreen.outfiles import write_table
from fdiscreen.errors import FdiscreenError


class _LazyGraph:
    """The graph module (numpy, pandas, duckdb) is imported on first use, so other commands start fast."""

    def __getattr__(self, name: str) -> Any:
        from fdiscreen import graph as module

        return getattr(module, name)


graph = _LazyGraph()

graph_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                        help="Ownership graphs on DuckDB: load entities and holdings, find controllers, "
                             "indirect holdings and the foreign-investor status of every Japanese entity.")

DbOpt = Annotated[Optional[Path], typer.Option("--db", metavar="FILE", help="Graph database (default: $XDG_DATA_HOME or ~/.local/share, fdiscreen/graph.duckdb).")]
AsOf = Annotated[Optional[dt.datetime], typer.Option("--as-of", formats=["%Y-%m-%d"], metavar="DATE", help="Date of the law to apply (default: today in Japan, JST).")]


def _console() -> Console:
    return Console(highlight=False)


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    t = Table(title=title, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[Text("" if v is None else str(v)) for v in r])
    return t


def _pct(v: Any) -> str:
    return "" if v is None or v != v else f"{v:.4g}%"


@graph_app.command("load")
def load_cmd(entities: Annotated[Path, typer.Argument(metavar="ENTITIES", show_default=False, help="Entities CSV: id, name, jurisdiction, kind[, listed, fefta_class, resident_in_japan].")],
             holdings: Annotated[Path, typer.Argument(metavar="HOLDINGS", show_default=False, help="Holdings CSV: holder_id, held_id, voting_pct[, equity_pct, control_only].")],
             db: DbOpt = None) -> None:
    """Check the two CSV files and replace the graph in the database."""
    counts = graph.load(entities, holdings, db)
    _console().print(_table(f"loaded into {counts['db']}", ["count", "value"],
                            [[k, v] for k, v in counts.items() if k != "db"]))


@graph_app.command("gleif")
def gleif_cmd(level1: Annotated[Path, typer.Argument(metavar="LEVEL1", show_default=False, help="GLEIF level-1 golden copy (LEI-CDF) CSV, zipped or not.")],
              level2: Annotated[Path, typer.Argument(metavar="LEVEL2", show_default=False, help="GLEIF level-2 relationship golden copy (RR-CDF) CSV, zipped or not.")],
              out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for entities.csv, holdings.csv and skipped.csv.")],
              load: Annotated[bool, typer.Option("--load", help="Load the converted files into the graph database as well.")] = False,
              db: DbOpt = None) -> None:
    """Convert GLEIF golden-copy files into the graph's entities and holdings files (direct consolidation
    links as control holdings); every record left out is listed in skipped.csv with the reason."""
    from fdiscreen import gleif

    done = gleif.convert(level1, level2, out)
    con = _console()
    rows = [["entities", done.entities], ["holdings (direct parents)", done.holdings],
            ["skipped (see skipped.csv)", done.skipped],
            *[[f"left out (type): {kind}", n] for kind, n in done.not_ownership.items()]]
    con.print(_table(f"converted into {out}", ["count", "value"], rows))
    con.print("GLEIF does not give FEFTA classes: add fefta_class (designated / core) to the Japanese companies in "
              f"{done.files['entities']} for the indirect-holdings query.")
    if load:
        load_cmd(done.files["entities"], done.files["holdings"], db)


@graph_app.command()
def controllers(entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id.")], db: DbOpt = None,
                as_of: AsOf = None) -> None:
    """Who ultimately controls an entity: its controlling (majority) holdings followed upward."""
    found = graph.ultimate_controllers(db, entity_id, as_of.date() if as_of else None)
    rows = [[c["id"], c["name"], c["jurisdiction"], c["basis"], " -> ".join(c["path"]),
             " x ".join(_pct(v) for v in c["voting_pcts"]), _pct(c["effective_voting_pct"])] for c in found]
    con = _console()
    con.print(_table(f"ultimate controllers of {entity_id}", ["id", "name", "jurisdiction", "basis", "path", "voting", "effective"], rows))
    con.print(found[0]["note"])


@graph_app.command()
def indirect(overseas_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the overseas entity.")],
             min_pct: Annotated[float, typer.Option("--min-pct", metavar="PCT", help="Smallest effective voting share to list.")] = 50.0,
             class_: Annotated[Optional[list[str]], typer.Option("--class", metavar="non_designated|designated|core", help="FEFTA class to list (repeatable; default designated and core).")] = None,
             db: DbOpt = None, as_of: AsOf = None) -> None:
    """Japanese designated / core companies an overseas entity holds directly or indirectly (2026 indirect-acquisition rule)."""
    frame = graph.indirect_holdings(db, overseas_id, min_pct, tuple(class_ or ("designated", "core")), as_of.date() if as_of else None)
    rows = [[r.id, r.name, r.fefta_class, _pct(r.effective_pct), _pct(r.direct_pct), "yes" if r.controlled else "no",
             " -> ".join(r.path)] for r in frame.itertuples()]
    con = _console()
    con.print(_table(f"{'/'.join(frame.attrs['classes'])} companies held by {overseas_id} at {min_pct:g}% or more "
                     f"({frame.attrs['attribution']})", ["id", "name", "class", "effective", "direct", "controlled", "path"], rows))
    rule = "in force" if frame.attrs["indirect_acquisition_rule_in_force"] else "not yet in force"
    con.print(f"{len(frame)} compan{'y' if len(frame) == 1 else 'ies'}; the 2026 indirect-acquisition rule is {rule} "
              f"on {frame.attrs['as_of']}.")


@graph_app.command()
def foreign(as_of: AsOf = None, db: DbOpt = None,
            out: Annotated[Optional[Path], typer.Option("--out", metavar="FILE", help="Write every Japanese entity's status to this CSV.")] = None,
            limit: Annotated[int, typer.Option("--limit", metavar="N", help="Foreign entities to print (0: none).")] = 30) -> None:
    """Foreign-investor status of every Japanese entity (FEFTA Art. 26(1), 50% look-through, cycles included)."""
    if out is not None:
        if out.suffix.lower() != ".csv":
            raise FdiscreenError(f"unsupported table format {out.suffix!r}", file=str(out), path="--out", expected=".csv")
        if not out.parent.exists():
            raise FdiscreenError("folder does not exist", file=str(out.parent), path="--out", expected="an existing folder")
    frame = graph.foreign_status(db, as_of.date() if as_of else None)
    con = _console()
    hits = frame[frame["foreign"]]
    if limit:
        rows = [[r.id, r.name, r.kind, r.category, _pct(r.foreign_voting_pct), _pct(r.holders_listed_pct)]
                for r in hits.head(limit).itertuples()]
        con.print(_table(f"foreign investors among Japanese entities (first {min(limit, len(hits))} of {len(hits)})",
                         ["id", "name", "kind", "category", "foreign voting", "holders listed"], rows))
    a = frame.attrs
    con.print(f"{len(hits)} of {len(frame)} Japanese entities are foreign investors as of {a['as_of']} "
              f"(threshold {a['threshold_pct']:g}%, attribution {a['attribution']}; assumptions: {', '.join(a['assumptions']) or 'none'}). "
              "Unlisted holders are read as not foreign.")
    if out is not None:
        write_table(frame, out)
        con.print(f"-> {out}")
