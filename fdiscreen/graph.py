"""Ownership graphs on an embedded database (DuckDB): controllers, indirect holdings, foreign status.

Users load a large graph of entities and holdings once, then ask three questions of it:

* who ultimately controls an entity (majority holdings followed upward; a cycle of majority holdings
  ends at the cycle; an entity with no majority holder controls itself);
* which Japanese designated / core companies an overseas entity holds directly or indirectly at or above
  a proportion (the 2026 amendment's indirect-acquisition rule: buying 50% of an overseas entity that
  holds Japanese companies);
* the foreign-investor status of every Japanese entity through the 50% look-through of FEFTA
  Art. 26(1)(iii), cross-shareholdings included.

Storage
-------
One DuckDB file, by default ``$FDISCREEN_DATA_DIR/graph.duckdb``, else ``$XDG_DATA_HOME/fdiscreen/graph.duckdb``
(``~/.local/share/...`` when the variable is unset); every function takes ``db`` to use another file. Tables: ``entities`` (``idx`` =
row order of the entities file, ``id``, ``name``, ``jurisdiction``, ``kind``, ``listed``,
``fefta_class``, ``resident_in_japan``), ``holdings`` (``holder_idx``, ``held_idx``, ``voting_pct``,
``equity_pct``, ``control_only``, ``voting_assumed``; sorted by ``held_idx``), the view
``holdings_by_id`` (the same with ids) and ``meta``. :func:`load` replaces the whole graph.

Input files (CSV, UTF-8 or Shift_JIS, header row)
--------------------------------------------------
Entities: ``id, name, jurisdiction, kind`` and optionally ``listed, fefta_class, resident_in_japan``.
``jurisdiction`` is an ISO 3166-1 alpha-2 code (JP = Japanese; a subdivision such as ``US-DE`` is read
as ``US``); ``kind`` one of corporation, individual, partnership, government, state_owned_enterprise,
sovereign_wealth_fund, public_pension, financial_institution; ``fefta_class`` (non_designated /
designated / core) only for Japanese entities; ``resident_in_japan`` only for individuals (when blank
an individual is resident where its jurisdiction says, as in the deal engine). Booleans: true/false,
yes/no, 1/0 or blank (unknown).

Holdings: ``holder_id, held_id, voting_pct`` and optionally ``equity_pct, control_only``. Percentages
are 0-100. Rows for the same holder and held entity are added together (share classes); the voting
rows of one held entity must not add up to more than 100%. Every bad row raises
:class:`~fdiscreen.errors.FdiscreenError` naming the file, ``row N, column X`` (row 1 is the header,
as a spreadsheet numbers it) and what was expected: the first bad row of the file is reported.

GLEIF level-2 data
------------------
``fdiscreen graph gleif LEVEL1 LEVEL2 --out DIR`` (:mod:`fdiscreen.gleif`) writes both files from GLEIF's
golden copies as follows and lists every record it leaves out. A GLEIF relationship record (RR-CDF) ``Relationship.StartNode.NodeID`` is the child LEI and
``Relationship.EndNode.NodeID`` the parent LEI, so one ACTIVE record with
``RelationshipType = IS_DIRECTLY_CONSOLIDATED_BY`` becomes the holdings row ``holder_id = EndNode``,
``held_id = StartNode``, ``control_only = true``. GLEIF states accounting consolidation, not a voting
share: when ``voting_pct`` is blank on a ``control_only`` row, fdiscreen **assumes the consolidating
parent holds all the voting rights the other rows of that held entity leave (100% less theirs; 100%
in a GLEIF-only graph, whose entities have one direct parent)**, and records ``voting_assumed = true``.
If a relationship quantifier gives a percentage (``QuantifierUnits = PERCENTAGE``), put it in
``voting_pct`` and keep ``control_only = true``. Do not load ``IS_ULTIMATELY_CONSOLIDATED_BY`` rows
(the direct ones already chain up to the ultimate parent; loading both would count stakes twice) nor
``IS_INTERNATIONAL_BRANCH_OF`` (a branch is the same legal person) nor reporting exceptions. Level-1
records give the entities: ``LEI`` -> ``id``, ``Entity.LegalName`` -> ``name``,
``Entity.LegalJurisdiction`` -> ``jurisdiction`` (``US-DE`` is read as ``US``), ``kind =
corporation`` unless known otherwise; a fund's LEI is a corporation or partnership by its legal form.

Rules
-----
* Foreign status (:func:`foreign_status`): a non-resident individual or a non-Japanese entity is foreign
  (Art. 26(1)(i)-(ii); from 2020-05-08 not a partnership, which item (ii) then excludes); a Japanese
  company is foreign when the voting rights counted for it reach ``foreign_owned_company_pct`` (Art.
  26(1)(iii)); a partnership when foreign contributions reach ``partnership_foreign_contribution_pct``
  (Art. 26(1)(iv), from 2020-05-08, holdings read as contributions). Which voting rights count is the
  regime's ``indirect_voting_attribution``. The law (Cabinet Order Art. 2(1)): those held directly by
  item 1/2 persons, and in full those of every Japanese company such persons directly hold at least
  ``indirect_attribution_intermediate_pct`` of (``full_if_half_held``) and, from 2020-05-08, of that
  company's Companies Act subsidiaries (``full_if_half_held_or_subsidiary``); a company foreign only
  through item (iii) passes nothing otherwise. What-ifs, not law: ``controlled_full`` (every foreign
  holder in full, a least fixed point) and ``proportional`` (multiplied along chains). Holders the graph
  does not list are read as not foreign, and officers (Art. 26(1)(v)) and partnerships' executing
  partners are not in the graph: ``holders_listed_pct`` shows how much of each company's voting the
  result rests on. Same rule as :mod:`fdiscreen.filing.investor` reading every unknown fact as "no".
* Control (:func:`ultimate_controllers`): a holding of more than half of the voting rights (the
  Companies Act majority band of ``stake_bands``) or a ``control_only`` holding; where several holdings
  qualify the largest wins, then the lowest row.
* Effective holding (:func:`indirect_holdings`): the same attribution as the look-through, the overseas
  entity being the only direct holder. Under the law a company (of any jurisdiction) it directly holds at
  least ``indirect_attribution_intermediate_pct`` of, and from 2020-05-08 that company's Companies Act
  subsidiaries, are *controlled*: their holdings count in full. With ``controlled_full`` an entity the
  overseas entity holds at or above ``foreign_owned_company_pct`` (directly or through entities so held)
  is controlled. A company's effective holding is the sum of the stakes the overseas entity and its
  controlled entities hold in it. With ``proportional`` stakes are multiplied along each path and summed
  over paths (to a fixed point on cycles). Not "max over paths": two routes into one company add up.

Every computation works on whole arrays (numpy): a worklist over newly marked entities for the
monotone fixed points (each holding is read once, so cycles and long chains cost no more than the
edges), a coloured worklist for the Companies Act subsidiary groups and pointer jumping over the
majority-parent array for the controllers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pandas as pd

from fdiscreen.clock import japan_today
from fdiscreen.errors import FdiscreenError
from fdiscreen.model import EntityKind
from fdiscreen.lookthrough import COMPANY_KINDS, ranges
from fdiscreen.regime import Regime, load_catalog, make_regime, to_fraction

SCHEMA_VERSION = "1"
KINDS: tuple[str, ...] = get_args(EntityKind)
FEFTA_CLASSES = ("non_designated", "designated", "core")
ENTITY_REQUIRED = ("id", "name", "jurisdiction", "kind")
ENTITY_OPTIONAL = ("listed", "fefta_class", "resident_in_japan")
HOLDING_REQUIRED = ("holder_id", "held_id", "voting_pct")
HOLDING_OPTIONAL = ("equity_pct", "control_only")
#: tolerance for sums of percentages read from text (33.33 + 33.33 + 33.34)
SUM_EPS = 1e-6
#: tolerance for threshold comparisons of computed shares
EPS = 1e-9
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
#: ``basis`` of :func:`ultimate_controllers_all`, by code
CONTROL_BASES = ("self", "chain", "cycle")


# -- where the database lives -----------------------------------------------------------------------

def default_db() -> Path:
    """``$FDISCREEN_DATA_DIR/graph.duckdb`` (the folder the workbench keeps its history in), else
    ``$XDG_DATA_HOME/fdiscreen/graph.duckdb``, else ``~/.local/share/fdiscreen/graph.duckdb``."""
    if os.environ.get("FDISCREEN_DATA_DIR"):
        return Path(os.environ["FDISCREEN_DATA_DIR"]) / "graph.duckdb"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fdiscreen" / "graph.duckdb"


def _db_path(db: str | Path | None) -> Path:
    return Path(db) if db else default_db()


def _connect(db: str | Path | None, read_only: bool = True) -> Any:
    from fdiscreen.extras import require_extra

    require_extra("scale", "duckdb")
    import duckdb

    path = _db_path(db)
    if read_only and not path.is_file():
        raise FdiscreenError("no ownership graph database", file=str(path),
                             expected="a database written by `fdiscreen graph load ENTITIES HOLDINGS`")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise FdiscreenError(f"cannot open the database: {str(exc).splitlines()[0]}", file=str(path),
                             expected="a DuckDB file not being written by another process") from None
    if read_only:
        try:
            con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.Error:
            con.close()
            raise FdiscreenError("not an fdiscreen ownership graph", file=str(path),
                                 expected="a database written by `fdiscreen graph load`") from None
    return con


# -- reading and checking the CSV files ---------------------------------------------------------------

def _read_csv(path: str | Path, what: str) -> pd.DataFrame:
    """All cells as stripped text; ``__row__`` is the spreadsheet row number (header = row 1)."""
    p = Path(path)
    if not p.is_file():
        raise FdiscreenError("no such file", file=str(p), expected=what)
    frame = None
    for enc in ("utf-8-sig", "cp932"):
        try:
            # header=None: a row with more cells than the header is then an error, not an index column
            frame = pd.read_csv(p, header=None, dtype=str, keep_default_na=False, na_filter=False,
                                skip_blank_lines=False, encoding=enc, engine="c")
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise FdiscreenError("file is empty", file=str(p), expected=what) from None
        except pd.errors.ParserError as exc:
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
            if m:
                raise FdiscreenError(f"{m.group(3)} cells where the header has {m.group(1)}", file=str(p),
                                     path=f"row {m.group(2)}", expected="one cell per header column") from None
            raise FdiscreenError(f"not a readable CSV: {str(exc).strip()}", file=str(p), expected=what) from None
    if frame is None:
        raise FdiscreenError("cannot decode", file=str(p), expected=f"{what} in UTF-8 or Shift_JIS (cp932)")
    header = [str(c).strip() for c in frame.iloc[0]]
    for k, col in enumerate(header):
        if col in header[:k]:
            raise FdiscreenError(f"column {col!r} appears twice", file=str(p), path=f"row 1 (header), column {col}",
                                 expected="each column once")
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = header
    for col in header:
        frame[col] = frame[col].str.strip()
    frame.insert(0, "__row__", np.arange(2, len(frame) + 2))
    if len(frame):
        blank = (frame.drop(columns="__row__") == "").all(axis=1)
        frame = frame[~blank.to_numpy()].reset_index(drop=True)
    return frame


def _check_header(frame: pd.DataFrame, file: str, required: Sequence[str], optional: Sequence[str]) -> None:
    cols = [c for c in frame.columns if c != "__row__"]
    expected = f"columns {', '.join(required)} and optionally {', '.join(optional)}"
    for c in required:
        if c not in cols:
            raise FdiscreenError(f"missing column {c!r}", file=file, path="row 1 (header)", expected=expected)
    for c in cols:
        if c not in required and c not in optional:
            raise FdiscreenError(f"unknown column {c!r}", file=file, path=f"row 1 (header), column {c}", expected=expected)


class _Problems:
    """Collects the first bad row of each check; raises the one earliest in the file."""

    def __init__(self, frame: pd.DataFrame, file: str) -> None:
        self.rows = frame["__row__"].to_numpy()
        self.file = file
        self.found: list[tuple[int, int, str, str, str | None]] = []

    def add(self, mask: Any, column: str, message: Any, expected: str | None = None) -> None:
        """``mask`` marks bad rows; ``message(i)`` words the error for positional row ``i``."""
        hits = np.flatnonzero(np.asarray(mask, dtype=bool))
        if hits.size:
            i = int(hits[0])
            self.found.append((int(self.rows[i]), len(self.found), column, message(i) if callable(message) else message,
                               expected))

    def raise_first(self) -> None:
        if self.found:
            row, _, column, message, expected = min(self.found)
            raise FdiscreenError(message, file=self.file, path=f"row {row}, column {column}", expected=expected)


def _bools(frame: pd.DataFrame, col: str, problems: _Problems) -> pd.Series:
    """A nullable boolean column; blank = unknown."""
    if col not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    low = frame[col].str.lower()
    bad = ~(low.isin(_TRUE) | low.isin(_FALSE) | (low == ""))
    problems.add(bad, col, lambda i: f"not a yes/no value: {frame[col].iat[i]!r}", "true, false or blank")
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    out[low.isin(_TRUE)] = True
    out[low.isin(_FALSE)] = False
    return out


def _pcts(frame: pd.DataFrame, col: str, problems: _Problems) -> np.ndarray:
    """A percentage column as floats (NaN when blank); non-numbers and values outside 0-100 are errors."""
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    text = frame[col].str.removesuffix("%").str.strip()
    num = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, copy=True)
    blank = (text == "").to_numpy()
    problems.add(~blank & ~np.isfinite(num) & ~np.isinf(num), col,
                 lambda i: f"not a number: {frame[col].iat[i]!r}", "a percentage 0-100")
    problems.add(~blank & (np.isinf(num) | (num < 0) | (num > 100)), col,
                 lambda i: f"{frame[col].iat[i]}% is outside 0-100", "a percentage 0-100")
    num[blank] = np.nan
    return num


def _read_entities(path: str | Path) -> pd.DataFrame:
    file = str(path)
    frame = _read_csv(path, "an entities CSV (id, name, jurisdiction, kind)")
    _check_header(frame, file, ENTITY_REQUIRED, ENTITY_OPTIONAL)
    catalog = load_catalog()
    home = catalog.home_country
    p = _Problems(frame, file)
    ids = frame["id"]
    p.add(ids == "", "id", "empty id", "a unique id")
    dup = ids.duplicated() & (ids != "")
    if dup.any():
        first_row = dict(zip(ids[~ids.duplicated()], frame["__row__"][~ids.duplicated()]))
        p.add(dup, "id", lambda i: f"duplicate id {ids.iat[i]!r} (first at row {first_row[ids.iat[i]]})", "a unique id")
    p.add(frame["name"] == "", "name", "empty name", "the entity's name")
    jur = frame["jurisdiction"].str.upper().str.split("-", n=1).str[0]
    p.add(~jur.isin(catalog.countries), "jurisdiction",
          lambda i: f"unknown country code {frame['jurisdiction'].iat[i]!r}",
          "an ISO 3166-1 alpha-2 code such as US, GB, CN, JP")
    kind = frame["kind"].str.lower()
    p.add(~kind.isin(KINDS), "kind", lambda i: f"unknown kind {frame['kind'].iat[i]!r}", ", ".join(KINDS))
    listed = _bools(frame, "listed", p)
    resident = _bools(frame, "resident_in_japan", p)
    p.add(resident.notna().to_numpy() & (kind != "individual").to_numpy(), "resident_in_japan",
          "resident_in_japan is for individuals only", "blank for a non-individual")
    if "fefta_class" in frame.columns:
        cls = frame["fefta_class"].str.lower()
        p.add((cls != "") & ~cls.isin(FEFTA_CLASSES), "fefta_class",
              lambda i: f"unknown class {frame['fefta_class'].iat[i]!r}", "non_designated, designated, core or blank")
        p.add((cls != "") & (jur != home), "fefta_class",
              lambda i: f"fefta_class given for a non-Japanese entity ({jur.iat[i]})", f"blank unless jurisdiction is {home}")
        cls = cls.where(cls != "", None)
    else:
        cls = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    p.raise_first()
    return pd.DataFrame({"idx": np.arange(len(frame), dtype=np.int32), "id": ids, "name": frame["name"],
                         "jurisdiction": jur, "kind": kind, "listed": listed, "fefta_class": cls,
                         "resident_in_japan": resident})


def _read_holdings(path: str | Path, ents: pd.DataFrame, entities_file: str) -> tuple[pd.DataFrame, dict[str, int]]:
    file = str(path)
    frame = _read_csv(path, "a holdings CSV (holder_id, held_id, voting_pct)")
    _check_header(frame, file, HOLDING_REQUIRED, HOLDING_OPTIONAL)
    p = _Problems(frame, file)
    index = pd.Index(ents["id"])
    holder = index.get_indexer(frame["holder_id"])
    held = index.get_indexer(frame["held_id"])
    for col, arr in (("holder_id", holder), ("held_id", held)):
        p.add(arr < 0, col, lambda i, c=col: f"unknown entity {frame[c].iat[i]!r}", f"an id in {entities_file}")
    p.add((holder == held) & (holder >= 0), "holder_id", lambda i: f"{frame['holder_id'].iat[i]!r} cannot hold itself",
          "another entity's id")
    voting = _pcts(frame, "voting_pct", p)
    equity = _pcts(frame, "equity_pct", p)
    control = _bools(frame, "control_only", p).fillna(False).to_numpy(dtype=bool)
    blank = np.isnan(voting)
    p.add(blank & ~control, "voting_pct", "missing voting_pct",
          "a percentage 0-100, or control_only=true for a consolidation link without a percentage")
    p.raise_first()
    # totals per held entity, in file order: the row where a total first passes 100% is the bad one
    for col, vals in (("voting_pct", voting), ("equity_pct", equity)):
        running = pd.Series(np.nan_to_num(vals)).groupby(held).cumsum().to_numpy()
        p.add(running > 100 + SUM_EPS, col,
              lambda i, r=running, c=col: f"the holdings of {frame['held_id'].iat[i]!r} now add up to {r[i]:.6g}% "
                                          f"of its {'voting rights' if c == 'voting_pct' else 'equity'}",
              "a total of at most 100% per held entity")
    # a consolidation link without a percentage: the parent holds what the other rows leave (assumed)
    assumed = blank & control
    if assumed.any():
        second = pd.Series(assumed).groupby(held).cumsum().to_numpy() > 1
        p.add(assumed & second, "voting_pct",
              lambda i: f"a second control_only row without voting_pct for {frame['held_id'].iat[i]!r}",
              "a voting_pct on all but one control_only row per held entity")
        listed_total = pd.Series(np.nan_to_num(voting)).groupby(held).transform("sum").to_numpy()
        remainder = 100.0 - listed_total
        p.add(assumed & (remainder <= SUM_EPS), "voting_pct",
              lambda i: f"no voting rights left for the consolidating parent: the other rows of "
                        f"{frame['held_id'].iat[i]!r} already add up to {listed_total[i]:.6g}%",
              "a voting_pct on this row, or other rows below 100%")
        voting = np.where(assumed, np.maximum(remainder, 0.0), voting)
    p.raise_first()
    raw = pd.DataFrame({"holder_idx": holder.astype(np.int32), "held_idx": held.astype(np.int32), "voting_pct": voting,
                        "equity_pct": equity, "control_only": control, "voting_assumed": assumed})
    groups = raw.groupby(["held_idx", "holder_idx"], sort=True)
    merged = groups.agg(voting_pct=("voting_pct", "sum"), control_only=("control_only", "any"),
                        voting_assumed=("voting_assumed", "any"))
    merged["equity_pct"] = groups["equity_pct"].sum(min_count=1)
    merged = merged.reset_index()
    merged["voting_pct"] = merged["voting_pct"].clip(upper=100.0)
    stats = {"holding_rows": len(raw), "rows_merged": len(raw) - len(merged), "control_only": int(control.sum()),
             "voting_assumed": int(assumed.sum())}
    return merged[["holder_idx", "held_idx", "voting_pct", "equity_pct", "control_only", "voting_assumed"]], stats


def load(entities_csv: str | Path, holdings_csv: str | Path, db: str | Path | None = None) -> dict[str, Any]:
    """Check both CSV files and replace the graph in ``db``; returns the counts.

    Nothing is written unless both files are valid.
    """
    ents = _read_entities(entities_csv)
    holds, stats = _read_holdings(holdings_csv, ents, Path(entities_csv).name)
    home = load_catalog().home_country
    path = _db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DROP VIEW IF EXISTS holdings_by_id")
        for table in ("holdings", "entities", "meta"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        con.register("ents_df", ents)
        con.execute("""CREATE TABLE entities AS SELECT idx::INTEGER AS idx, id::VARCHAR AS id, name::VARCHAR AS name,
                       jurisdiction::VARCHAR AS jurisdiction, kind::VARCHAR AS kind, listed::BOOLEAN AS listed,
                       fefta_class::VARCHAR AS fefta_class, resident_in_japan::BOOLEAN AS resident_in_japan
                       FROM ents_df ORDER BY idx""")
        con.register("holds_df", holds)
        con.execute("""CREATE TABLE holdings AS SELECT holder_idx::INTEGER AS holder_idx, held_idx::INTEGER AS held_idx,
                       voting_pct::DOUBLE AS voting_pct, equity_pct::DOUBLE AS equity_pct,
                       control_only::BOOLEAN AS control_only, voting_assumed::BOOLEAN AS voting_assumed
                       FROM holds_df ORDER BY held_idx, holder_idx""")
        con.execute("""CREATE VIEW holdings_by_id AS SELECT a.id AS holder_id, b.id AS held_id, h.voting_pct, h.equity_pct,
                       h.control_only, h.voting_assumed FROM holdings h JOIN entities a ON a.idx = h.holder_idx
                       JOIN entities b ON b.idx = h.held_idx""")
        counts = {"entities": len(ents), "japanese": int((ents["jurisdiction"] == home).sum()), "holdings": len(holds),
                  **stats}
        meta = {"schema_version": SCHEMA_VERSION, "entities_file": str(entities_csv), "holdings_file": str(holdings_csv),
                "loaded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "home_country": home,
                **{k: str(v) for k, v in counts.items()}}
        con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return {**counts, "db": str(path)}


# -- the graph as arrays ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Arrays:
    """The graph as numpy arrays: entities by ``idx``; holdings sorted by held entity, then holder (the
    order :func:`load` stores them in: in-edge CSR), with the order that sorts them by holder (out-edge CSR)."""

    n: int
    home: str
    jp: np.ndarray          # bool: jurisdiction is Japan
    kind: np.ndarray        # int8 code into KINDS
    resident: np.ndarray    # int8: 1 yes, 0 no, -1 unknown
    holder: np.ndarray      # int32
    held: np.ndarray        # int32, sorted (then holder)
    voting: np.ndarray      # float64
    control: np.ndarray     # bool
    indptr: np.ndarray      # int64, n + 1: out-edges of e are out_order[indptr[e]:indptr[e+1]]
    out_order: np.ndarray   # int64: holding positions sorted by holder, then held entity
    in_indptr: np.ndarray   # int64, n + 1: in-edges of e are the positions [in_indptr[e], in_indptr[e+1])

    def out_edges(self, nodes: np.ndarray) -> np.ndarray:
        """Positions of every holding whose holder is in ``nodes``, by holder (vectorised range gather)."""
        return self.out_order[_ranges(self.indptr, nodes)]

    def kind_is(self, kinds: Iterable[str]) -> np.ndarray:
        table = np.zeros(len(KINDS), dtype=bool)
        table[[_KIND_CODE[k] for k in kinds]] = True
        return table[self.kind]

    def in_edges(self, nodes: np.ndarray) -> np.ndarray:
        """Positions of every holding whose held entity is in ``nodes``, by held entity."""
        return _ranges(self.in_indptr, nodes)


def _ranges(indptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """The concatenated ranges ``[indptr[e], indptr[e+1])`` of ``nodes`` (a CSR row gather)."""
    return ranges(indptr[nodes], indptr[nodes + 1])


def _stamp(db: str | Path | None) -> tuple[str, int, int]:
    path = _db_path(db).resolve()
    if not path.is_file():
        raise FdiscreenError("no ownership graph database", file=str(path),
                             expected="a database written by `fdiscreen graph load ENTITIES HOLDINGS`")
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


def arrays(db: str | Path | None = None) -> Arrays:
    """The graph in ``db`` as arrays (cached while the file is unchanged)."""
    return _graph(*_stamp(db))[0]


def labels(db: str | Path | None = None) -> Any:
    """Every entity's ``id, name`` as a pyarrow Table in ``idx`` order (cached with :func:`arrays`), from
    which the result frames take their text columns."""
    return _graph(*_stamp(db))[1]


@lru_cache(maxsize=1)
def _graph(path: str, _mtime: int, _size: int) -> tuple[Arrays, Any]:
    """The arrays and the entities' labels, read on one connection once per database file."""
    con = _connect(path)
    try:
        home = con.execute("SELECT value FROM meta WHERE key = 'home_country'").fetchone()[0]
        kinds_sql = "[" + ", ".join(f"'{k}'" for k in KINDS) + "]"
        e = _arrow(con, f"""SELECT idx, (jurisdiction = ?) AS jp, (list_position({kinds_sql}, kind) - 1)::TINYINT AS kind_code,
                            (CASE WHEN resident_in_japan IS NULL THEN -1 WHEN resident_in_japan THEN 1 ELSE 0 END)::TINYINT AS res,
                            id, name FROM entities""", [home])
        h = _arrow(con, "SELECT held_idx, holder_idx, voting_pct, control_only FROM holdings")
    finally:
        con.close()
    idx = e.column("idx").to_numpy()
    if not np.array_equal(idx, np.arange(idx.size)):  # stored in idx order by load(); sorted if not
        e = e.take(np.argsort(idx, kind="stable"))
    n = e.num_rows
    held, holder, voting, control = _by_held_then_holder(*(h.column(c).to_numpy() for c in h.column_names))
    a = Arrays(n=n, home=home, jp=e.column("jp").to_numpy().astype(bool), kind=e.column("kind_code").to_numpy().astype(np.int8),
               resident=e.column("res").to_numpy().astype(np.int8), holder=holder, held=held, voting=voting, control=control,
               indptr=_indptr(holder, n), out_order=_holder_order(holder), in_indptr=_indptr(held, n))
    return a, e.select(["id", "name"]).combine_chunks()


def _arrow(con: Any, sql: str, params: list[Any] | None = None) -> Any:
    """A query's result as a pyarrow Table (``to_arrow_table`` in newer DuckDB, ``fetch_arrow_table`` before),
    on a cursor of its own so that a result left open on ``con`` is no obstacle. Text comes as
    ``large_string``, the storage of pandas' string columns, so that turning it into them copies nothing."""
    cur = con.cursor()
    try:
        cur.execute("SET arrow_large_buffer_size = true")
        rel = cur.sql(sql, params=params)
        return (getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table)()
    finally:
        cur.execute("RESET arrow_large_buffer_size")
        cur.close()


def _texts(words: Sequence[str], codes: np.ndarray) -> Any:
    """``words[codes]`` as a pyarrow string array (the text of a coded column)."""
    import pyarrow as pa

    return pa.array(words, type=pa.string()).take(codes)


def _by_held_then_holder(held: np.ndarray, holder: np.ndarray, voting: np.ndarray, control: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Holdings as int32 / float64 / bool arrays sorted by (held, holder): the order :func:`load` stores
    them in (checked; sorted if not)."""
    held, holder = held.astype(np.int32, copy=False), holder.astype(np.int32, copy=False)
    voting, control = voting.astype(np.float64, copy=False), control.astype(bool, copy=False)
    key = (held.astype(np.int64) << 32) | holder
    if key.size > 1 and not bool(np.all(key[1:] > key[:-1])):
        order = np.argsort(key, kind="stable")
        held, holder, voting, control = held[order], holder[order], voting[order], control[order]
    return held, holder, voting, control


def _holder_order(holder: np.ndarray) -> np.ndarray:
    """The stable order sorting ``holder``: one sort of (holder, position) packed in int64, several times
    faster than a stable argsort."""
    if holder.size >= 1 << 32:
        return np.argsort(holder, kind="stable")
    key = (holder.astype(np.int64) << 32) | np.arange(holder.size, dtype=np.int64)
    key.sort()
    return key & 0xFFFFFFFF


def _indptr(nodes: np.ndarray, n: int) -> np.ndarray:
    """CSR row pointers (n + 1) of edges sorted by ``nodes`` (their holder or held entity)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(nodes, minlength=n), out=indptr[1:])
    return indptr


def _index_of(con: Any, entity_id: str) -> int:
    row = con.execute("SELECT idx FROM entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        raise FdiscreenError(f"unknown entity {entity_id!r}", path="ID", expected="an id in the loaded entities file")
    return int(row[0])


def _regime(as_of: dt.date | None, overrides: dict[str, Any] | None = None) -> Regime:
    return make_regime(as_of or japan_today(), overrides)


def _meets(share: np.ndarray, limit: float, op: str) -> np.ndarray:
    """``share op limit`` with a small tolerance for sums of decimal percentages."""
    if op == ">=":
        return share >= limit - EPS
    if op == ">":
        return share > limit + EPS
    if op == "<=":
        return share <= limit + EPS
    return share < limit - EPS


def _limit(regime: Regime, item_id: str) -> tuple[float, str] | None:
    value = regime.threshold(item_id)
    if value is None:
        return None
    return float(value), regime.item(item_id).comparison or ">="


# -- foreign status (FEFTA Art. 26(1)) ------------------------------------------------------------------

def _own_foreign(a: Arrays, regime: Regime) -> np.ndarray:
    """Art. 26(1)(i)-(ii), the persons whose direct holdings item (iii) counts ("前二号に掲げるもの"):
    non-resident individuals (非居住者である個人) and entities established under foreign law or with their
    principal office abroad; from 2020-05-08 not an investment partnership (特定組合等), which item (ii)
    excludes and item (iv) judges by its contributions. The column form of
    :func:`fdiscreen.filing.investor.is_item_1_or_2`; with officers (item (v)) not in the graph, these are
    also the entities foreign on their own facts."""
    individual = a.kind == _KIND_CODE["individual"]
    non_resident = np.where(a.resident >= 0, a.resident == 0, ~a.jp)
    out = np.where(individual, non_resident, ~a.jp)
    if not regime.in_force("partnership_as_foreign_law_entity"):
        out &= a.kind != _KIND_CODE["partnership"]
    return out


def _thresholds(a: Arrays, regime: Regime) -> tuple[np.ndarray, np.ndarray]:
    """Per entity: the foreign share at which it becomes foreign through its holders (inf: never),
    and whether the comparison is strict. Japanese companies by item (iii); partnerships by item (iv),
    foreign-law ones too (the item exists from 2020-05-08, when item (ii) stops covering them)."""
    thr = np.full(a.n, np.inf)
    strict = np.zeros(a.n, dtype=bool)
    for sel, item in ((a.jp & a.kind_is(COMPANY_KINDS), "foreign_owned_company_pct"),
                      (a.kind == _KIND_CODE["partnership"], "partnership_foreign_contribution_pct")):
        lim = _limit(regime, item)
        if lim is None:
            continue
        thr[sel] = lim[0]
        strict[sel] = lim[1] == ">"
    return thr, strict


def _crosses(share: np.ndarray, thr: np.ndarray, strict: np.ndarray) -> np.ndarray:
    return np.where(strict, share > thr + EPS, share >= thr - EPS)


def _distinct(nodes: np.ndarray, n: int) -> np.ndarray:
    """The distinct values of ``nodes`` (entity indices below ``n``), ascending: a mask scattered over the
    ``n`` entities when there are many, a sort when few (each round of a long chain then costs its own size)."""
    if nodes.size * 16 < n:
        nodes = np.sort(nodes)
        return nodes[np.concatenate(([True], nodes[1:] != nodes[:-1]))] if nodes.size else nodes
    seen = np.zeros(n, dtype=bool)
    seen[nodes] = True
    return np.flatnonzero(seen)


def _round_sums(a: Arrays, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entities ``frontier`` holds and the voting share it holds in each (summed by ascending holder).

    A frontier with a quarter of all holdings or more is read in one sequential pass over every holding,
    masked, instead of gathering its out-edges; the sums are the same either way. The frontiers of a
    worklist are disjoint, so at most four of its rounds read every holding: the cost stays O(holdings)."""
    if int((a.indptr[frontier + 1] - a.indptr[frontier]).sum()) * 4 > a.held.size:
        in_frontier = np.zeros(a.n, dtype=bool)
        in_frontier[frontier] = True
        by = in_frontier[a.holder]
        dst, votes = a.held[by], a.voting[by]
    else:
        pos = a.out_edges(frontier)
        dst, votes = a.held[pos], a.voting[pos]
    if dst.size > a.n // 4:
        touched = _distinct(dst, a.n)
        return touched, np.bincount(dst, weights=votes, minlength=a.n)[touched]
    touched, inverse = np.unique(dst, return_inverse=True)
    return touched, np.bincount(inverse, weights=votes, minlength=touched.size)


def _fixed_point_full(a: Arrays, seed: np.ndarray, thr: np.ndarray, strict: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least fixed point with marked holders counted in full: worklist over newly marked entities.

    Returns (marked, share held by marked entities, round in which each entity was marked; -1 never).
    Each holding is read when its holder is marked (:func:`_round_sums`), so the cost is O(holdings) on
    any graph.
    """
    marked = seed.copy()
    share = np.zeros(a.n)
    rounds = np.where(seed, 0, -1).astype(np.int32)
    frontier = np.flatnonzero(seed)
    r = 0
    while frontier.size:
        r += 1
        touched, held_by_frontier = _round_sums(a, frontier)
        share[touched] += held_by_frontier
        new = touched[~marked[touched] & _crosses(share[touched], thr[touched], strict[touched])]
        marked[new] = True
        rounds[new] = r
        frontier = new
    return marked, np.minimum(share, 100.0), rounds


def _fixed_point_proportional(a: Arrays, seed: np.ndarray, thr: np.ndarray, strict: np.ndarray,
                              max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """Least fixed point with stakes multiplied along chains: marked entities weigh 100%, others their
    own share; shares only grow (as in :mod:`fdiscreen.ownership`), so the iteration converges."""
    marked = seed.copy()
    share = np.zeros(a.n)
    for _ in range(max_iter):
        weight = np.where(marked, 100.0, share)
        new_share = np.bincount(a.held, weights=a.voting * weight[a.holder] / 100.0, minlength=a.n)
        new_share = np.maximum(share, np.minimum(new_share, 100.0))
        newly = ~marked & _crosses(new_share, thr, strict)
        delta = float(np.max(np.abs(new_share - share))) if a.n else 0.0
        share = new_share
        marked |= newly
        if not newly.any() and delta < EPS:
            break
    return marked, share


def _attribution(regime: Regime) -> str:
    """The regime's ``indirect_voting_attribution``: the law (``full_if_half_held``,
    ``full_if_half_held_or_subsidiary``) or a labelled what-if (``controlled_full``, ``proportional``);
    checked by the per-deal engine's own validator (:mod:`fdiscreen.lookthrough`, which imports no more
    than the regime: not the whole filing package), so both accept the same values."""
    from fdiscreen.lookthrough import attribution_method

    return attribution_method(regime)


def _is_law_attribution(method: str) -> bool:
    from fdiscreen.lookthrough import LAW_ATTRIBUTION

    return method in LAW_ATTRIBUTION


def _attribution_limits(regime: Regime, method: str) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
    """Cabinet Order Art. 2(1): the direct share making a company's holdings count in full
    (``indirect_attribution_intermediate_pct``) and, from 2020-05-08, the share making another company
    its Companies Act subsidiary (``indirect_attribution_subsidiary_more_than_pct``; None before)."""
    sub = _limit(regime, "indirect_attribution_subsidiary_more_than_pct") if method == "full_if_half_held_or_subsidiary" else None
    return _limit(regime, "indirect_attribution_intermediate_pct"), sub


def _fully_attributed(a: Arrays, direct: np.ndarray, companies: np.ndarray, parent_limit: tuple[float, str] | None,
                      subsidiary_limit: tuple[float, str] | None) -> tuple[np.ndarray, np.ndarray]:
    """The companies whose voting rights in other companies count in full as held by the ``direct``
    holders (Cabinet Order Art. 2(1) for FEFTA Art. 26(1)(iii)): the column form of
    :func:`fdiscreen.ownership.fully_attributed_holders` reading unknown holders as "no".

    A company of ``companies`` counts when the ``direct`` entities directly hold ``parent_limit`` of its
    voting rights (a half-held company); with ``subsidiary_limit`` so does every Companies Act subsidiary
    (子会社) of one: a company in which the half-held company and its subsidiaries together hold beyond
    the limit. The per-deal engine grows one group per half-held company; here all groups grow at once,
    each company coloured by the half-held company whose group it joins, and a company joins when the
    members of one colour (not several together) hold beyond the limit. The groups are disjoint, so one
    colour per company is enough: were a company in two groups, the first member of one group that is
    also in the other would be held beyond half by members of each (or, being a half-held company, at
    least half by ``direct`` holders, who are never members), more than the 100% of votes the loader
    allows. Each round recounts only the companies held by the members found in the round before.

    Returns (counted in full, round in which each was found: 1 for half-held companies, -1 never).
    """
    held_direct = np.bincount(a.held, weights=np.where(direct[a.holder], a.voting, 0.0), minlength=a.n)
    parents = companies & (_meets(held_direct, *parent_limit) if parent_limit else False)
    rounds = np.where(parents, 1, -1).astype(np.int32)
    if subsidiary_limit is None:
        return parents, rounds
    colour = np.where(parents, np.arange(a.n), -1)
    frontier = np.flatnonzero(parents)
    r = 1
    while frontier.size:
        r += 1
        reached = _distinct(a.held[a.out_edges(frontier)], a.n)
        pos = a.in_edges(reached[companies[reached] & (colour[reached] < 0)])
        pos = pos[colour[a.holder[pos]] >= 0]
        key = a.held[pos].astype(np.int64) * a.n + colour[a.holder[pos]]
        groups, inverse = np.unique(key, return_inverse=True)
        met = groups[_meets(np.bincount(inverse, weights=a.voting[pos], minlength=groups.size), *subsidiary_limit)]
        sub, by = met // a.n, met % a.n
        first = np.diff(sub, prepend=-1) != 0   # (rounding noise past 100% only) the lowest colour wins
        frontier = sub[first]
        colour[frontier] = by[first]
        rounds[frontier] = r
    return colour >= 0, rounds


def _cabinet_order_item_3(a: Arrays, regime: Regime, method: str, seed: np.ndarray, thr: np.ndarray,
                          strict: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Art. 26(1)(iii) as the law reads it (Cabinet Order Art. 2(1)): a Japanese company's foreign share is
    the votes held by item 1/2 persons (``seed``) plus those of the companies counted in full
    (:func:`_fully_attributed`); a company foreign only through item (iii) passes nothing unless it is
    one of those. Partnerships (item (iv)) then count every foreign contributor, to a fixed point."""
    companies = a.jp & a.kind_is(COMPANY_KINDS)
    attributed, _ = _fully_attributed(a, seed, companies, *_attribution_limits(regime, method))
    counted = seed | attributed
    company_share = np.minimum(np.bincount(a.held, weights=np.where(counted[a.holder], a.voting, 0.0), minlength=a.n), 100.0)
    company_foreign = companies & _crosses(company_share, thr, strict)
    partnership_thr = np.where(a.kind == _KIND_CODE["partnership"], thr, np.inf)
    marked, share, _ = _fixed_point_full(a, seed | company_foreign, partnership_thr, strict)
    return marked, np.where(companies, company_share, share)


def foreign_flags(db: str | Path | None = None, as_of: dt.date | None = None,
                  overrides: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every entity (by idx): (foreign, foreign voting share, category 0-4). The array core of
    :func:`foreign_status`."""
    a = arrays(db)
    regime = _regime(as_of, overrides)
    return _foreign_arrays(a, regime)


def _foreign_arrays(a: Arrays, regime: Regime) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seed = _own_foreign(a, regime)
    thr, strict = _thresholds(a, regime)
    method = _attribution(regime)
    if _is_law_attribution(method):
        marked, share = _cabinet_order_item_3(a, regime, method, seed, thr, strict)
    elif method == "proportional":
        marked, share = _fixed_point_proportional(a, seed, thr, strict)
    else:
        marked, share, _ = _fixed_point_full(a, seed, thr, strict)
    category = np.zeros(a.n, dtype=np.int8)
    individual = a.kind == _KIND_CODE["individual"]
    category[seed & individual] = 1
    category[seed & ~individual] = 2
    through = marked & ~seed
    category[through & (a.kind == _KIND_CODE["partnership"])] = 4
    category[through & (a.kind != _KIND_CODE["partnership"])] = 3
    return marked, share, category


def foreign_status(db: str | Path | None = None, as_of: dt.date | None = None,
                   overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """Foreign-investor status (FEFTA Art. 26(1)) of every Japanese entity in the graph.

    Columns: ``id, name, kind, foreign, foreign_voting_pct`` (voting rights, or partnership
    contributions, held by foreign entities as attributed), ``category`` (1 non-resident individual,
    3 through the look-through, 4 partnership by contributions; 0 not foreign) and
    ``holders_listed_pct`` (the share of its voting rights the graph lists holders for; unlisted
    holders are read as not foreign). ``attrs`` holds the regime version, threshold, the attribution
    rule applied (``attribution``: ``full_if_half_held`` or ``full_if_half_held_or_subsidiary``, the law
    on the date, or a what-if override) and ``attribution_what_if`` (true when it is not the law's).
    """
    a = arrays(db)
    regime = _regime(as_of, overrides)
    marked, share, category = _foreign_arrays(a, regime)
    method = _attribution(regime)
    listed = np.minimum(np.bincount(a.held, weights=a.voting, minlength=a.n), 100.0)
    idx = np.flatnonzero(a.jp)
    frame = labels(db).take(idx).append_column("kind", _texts(KINDS, a.kind[idx])).to_pandas()
    frame["foreign"] = marked[idx]
    frame["foreign_voting_pct"] = np.round(share[idx], 9)
    frame["category"] = category[idx]
    frame["holders_listed_pct"] = np.round(listed[idx], 9)
    frame.attrs.update({"as_of": regime.as_of.isoformat(), "regime_version": regime.version,
                        "threshold_pct": float(regime.threshold("foreign_owned_company_pct") or math.nan),
                        "attribution": method, "attribution_what_if": not _is_law_attribution(method),
                        "assumptions": [x.id for x in regime.assumptions()]})
    return frame


# -- ultimate controllers ---------------------------------------------------------------------------

def _majority(regime: Regime) -> tuple[float, str]:
    """The Companies Act majority band (more than 50%) from ``stake_bands``."""
    for band in regime.value("stake_bands") or []:
        if band.get("id") == "majority":
            return float(to_fraction(band["pct"])), band.get("comparison", ">=")
    raise FdiscreenError("no 'majority' band in stake_bands", path="stake_bands", expected="factors/company_law.yaml")


def majority_parent(a: Arrays, regime: Regime) -> tuple[np.ndarray, np.ndarray]:
    """Per entity: the holder with a controlling holding (-1 if none) and that holding's voting share.

    Controlling: above the majority band, or flagged ``control_only``; the largest wins, then the
    lowest holder idx.
    """
    pct, op = _majority(regime)
    c = np.flatnonzero(_meets(a.voting, pct, op) | a.control)   # by held entity, then holder
    parent = np.full(a.n, -1, dtype=np.int64)
    vote = np.zeros(a.n)
    if c.size:
        c = c[_first_largest_per_group(a.held[c], a.voting[c])]
        parent[a.held[c]] = a.holder[c]
        vote[a.held[c]] = a.voting[c]
    return parent, vote


def _first_largest_per_group(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Positions of the first largest ``value`` in each run of equal ``group`` (``group`` sorted)."""
    first = np.concatenate(([True], group[1:] != group[:-1]))
    largest = np.maximum.reduceat(value, np.flatnonzero(first))
    top = np.flatnonzero(value == largest[np.cumsum(first) - 1])
    return top[np.concatenate(([True], group[top[1:]] != group[top[:-1]]))]


def _controllers_arrays(a: Arrays, regime: Regime) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pointer jumping over the majority-parent array.

    Returns per entity: the terminal node (the top of its chain, or the smallest idx on the majority
    cycle it ends in), whether it ends in a cycle, and the product of voting shares up to the top
    (NaN for cycles and for entities without a controlling holder).
    """
    parent, vote = majority_parent(a, regime)
    has = parent >= 0
    jump = np.where(has, parent, np.arange(a.n))
    low = np.arange(a.n)
    prod = np.where(has, vote / 100.0, 1.0)
    # only entities whose jump is not yet a top move on: a top's jump, and a settled entity's product,
    # no longer change (later steps would multiply by the top's 1.0); a cycle's entities stay to the end
    moving = np.flatnonzero(has & has[jump])
    for _ in range(max(1, math.ceil(math.log2(a.n + 1)) + 1)):
        if not moving.size:
            break
        step = jump[moving]
        low[moving] = np.minimum(low[moving], low[step])
        prod[moving] = prod[moving] * prod[step]
        jump[moving] = jump[step]
        moving = moving[has[jump[moving]]]
    cyclic_end = has[jump]
    terminal = np.where(cyclic_end, low[jump], jump)
    return terminal, cyclic_end, np.where(cyclic_end | ~has, np.nan, prod * 100.0)


def ultimate_controllers_all(db: str | Path | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every entity's ultimate controller, vectorised.

    Columns: ``id, controller_id, basis`` (``self``: no controlling holder; ``chain``: the top of a chain
    of controlling holdings; ``cycle``: the chain ends in a cycle of controlling holdings, named by its
    member with the lowest row) and ``effective_voting_pct`` (product of the voting shares along the
    chain; empty for ``self`` and ``cycle``).
    """
    a = arrays(db)
    terminal, cyclic, eff = _controllers_arrays(a, _regime(as_of))
    ids = labels(db).column("id")
    basis = _texts(CONTROL_BASES, np.where(cyclic, 2, np.where(terminal == np.arange(a.n), 0, 1)))
    return pd.DataFrame({"id": ids.to_pandas(), "controller_id": ids.take(terminal).to_pandas(), "basis": basis.to_pandas(),
                         "effective_voting_pct": np.round(eff, 9)})


def ultimate_controllers(db: str | Path | None, entity_id: str, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Who ultimately controls ``entity_id``: its controlling holdings followed upward.

    One dict per controller: ``id, name, jurisdiction, kind, basis`` (``self`` / ``chain`` / ``cycle``),
    ``path`` (ids from the entity up to the controller), ``voting_pcts`` (each step's voting share),
    ``effective_voting_pct`` (their product), ``cycle`` (the members of a majority cycle, else empty) and
    ``note``. A chain ending in a cycle returns every member of the cycle.
    """
    pct, op = _majority(_regime(as_of))
    sign = {">": ">", ">=": ">="}.get(op, ">")
    con = _connect(db)
    try:
        start = _index_of(con, entity_id)
        path, votes, seen = [start], [], {start: 0}
        cycle: list[int] = []
        while True:
            row = con.execute(f"""SELECT holder_idx, voting_pct FROM holdings WHERE held_idx = ?
                                  AND (voting_pct {sign} ? OR control_only)
                                  ORDER BY voting_pct DESC, holder_idx LIMIT 1""",
                              [path[-1], pct + (EPS if sign == ">" else -EPS)]).fetchone()
            if row is None:
                break
            nxt, v = int(row[0]), float(row[1])
            if nxt in seen:
                cycle = path[seen[nxt]:]
                votes.append(v)
                break
            seen[nxt] = len(path)
            path.append(nxt)
            votes.append(v)
        needed = sorted(set(path))
        info = {int(r[0]): r[1:] for r in con.execute(
            f"SELECT idx, id, name, jurisdiction, kind FROM entities WHERE idx IN ({','.join(map(str, needed))})").fetchall()}
    finally:
        con.close()
    ident = [info[i][0] for i in path]

    def entry(k: int, basis: str, note: str, cyc: list[str]) -> dict[str, Any]:
        node = path[k]
        step_votes = votes[:k]
        eff = float(np.prod(np.array(step_votes) / 100.0)) * 100.0 if step_votes else None
        i_id, name, jur, kind = info[node]
        return {"id": i_id, "name": name, "jurisdiction": jur, "kind": kind, "basis": basis, "path": ident[:k + 1],
                "voting_pcts": [round(v, 9) for v in step_votes], "effective_voting_pct": None if eff is None else round(eff, 9),
                "cycle": cyc, "note": note}

    if cycle:
        members = [info[i][0] for i in cycle]
        note = (f"the controlling holdings run in a cycle ({' -> '.join(members + [members[0]])}): control rests "
                "with the cycle, no single ultimate controller")
        return [entry(seen[c], "cycle", note, members) for c in cycle]
    if len(path) == 1:
        return [entry(0, "self", f"no holder has a controlling holding (more than {pct:g}% of the voting rights, "
                                 "or a consolidation link): the entity controls itself", [])]
    return [entry(len(path) - 1, "chain", f"top of a chain of {len(path) - 1} controlling holding(s); it has no "
                                           "controlling holder itself", [])]


# -- indirect holdings (2026 amendment, indirect acquisition) ---------------------------------------------

def indirect_holdings(db: str | Path | None, overseas_id: str, min_pct: float = 50.0,
                      classes: Sequence[str] = ("designated", "core"), as_of: dt.date | None = None,
                      overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """Japanese companies of ``classes`` that ``overseas_id`` holds directly or indirectly at or above
    ``min_pct`` of the voting rights.

    Effective holding follows the regime's ``indirect_voting_attribution`` (see the module docstring).
    The law's methods (Cabinet Order Art. 2(1)) with the overseas entity as the only direct holder: its
    own stakes plus, in full, those of every company (any jurisdiction) it directly holds at least
    ``indirect_attribution_intermediate_pct`` of and, from 2020-05-08, of those companies' Companies Act
    subsidiaries. What-ifs: ``controlled_full`` sums the stakes of the overseas entity and of every entity
    it holds at or above ``foreign_owned_company_pct`` (directly or through such entities, a least fixed
    point, so cycles terminate); ``proportional`` multiplies stakes along paths and sums over paths.

    Columns: ``id, name, fefta_class, listed, effective_pct, direct_pct, controlled`` (its holdings count
    in full further down) and ``path`` (ids from the overseas entity to the company: through the entities
    counted earliest, with ``proportional`` along the largest contributions).
    """
    bad = [c for c in classes if c not in FEFTA_CLASSES]
    if bad:
        raise FdiscreenError(f"unknown class {bad[0]!r}", path="classes", expected=", ".join(FEFTA_CLASSES))
    if not 0 <= min_pct <= 100:
        raise FdiscreenError(f"{min_pct:g}% is outside 0-100", path="--min-pct", expected="a percentage 0-100")
    a = arrays(db)
    regime = _regime(as_of, overrides)
    con = _connect(db)
    try:
        x = _index_of(con, overseas_id)
        cls = con.execute("SELECT idx, fefta_class FROM entities WHERE fefta_class IS NOT NULL").fetchnumpy()
    finally:
        con.close()
    in_class = np.zeros(a.n, dtype=bool)
    cls_idx = np.asarray(cls["idx"], dtype=np.int64)
    in_class[cls_idx[np.isin(np.asarray(cls["fefta_class"], dtype=object), list(classes))]] = True
    seed = np.zeros(a.n, dtype=bool)
    seed[x] = True
    lim = _limit(regime, "foreign_owned_company_pct")
    thr = np.full(a.n, lim[0] if lim else np.inf)
    strict = np.full(a.n, bool(lim and lim[1] == ">"))
    thr[x] = np.inf
    method = _attribution(regime)
    subsidiary_limit = None
    if method == "proportional":
        reach = _reachable(a, x)
        weight = np.zeros(a.n)
        weight[reach] = _proportional_from(a, x, reach)
        controlled = _crosses(weight, thr, strict)
        controlled[x] = True
        effective = weight
        contrib = a.voting * np.where(np.arange(a.n) == x, 100.0, weight)[a.holder] / 100.0
        order_key = -contrib
    else:
        if _is_law_attribution(method):
            lim, subsidiary_limit = _attribution_limits(regime, method)
            controlled, rounds = _fully_attributed(a, seed, a.kind_is(COMPANY_KINDS) & ~seed, lim, subsidiary_limit)
            controlled[x] = True
            rounds[x] = 0
        else:
            controlled, _, rounds = _fixed_point_full(a, seed, thr, strict)
        contrib = np.where(controlled[a.holder], a.voting, 0.0)
        effective = np.minimum(np.bincount(a.held, weights=contrib, minlength=a.n), 100.0)
        order_key = rounds[a.holder].astype(np.float64) * 1000.0 - a.voting  # earliest-counted holder first: acyclic paths
    direct = np.zeros(a.n)
    own = a.out_edges(np.array([x]))
    direct[a.held[own]] = a.voting[own]
    hit = np.flatnonzero(in_class & a.jp & (effective >= min_pct - EPS) & (effective > 0))
    hit = hit[hit != x]
    via = _best_holder(a, contrib, order_key)
    con = _connect(db)
    try:
        ids = con.execute("SELECT id FROM entities ORDER BY idx").fetchnumpy()["id"]
        info = con.execute("""SELECT e.idx, e.name, e.fefta_class, e.listed FROM entities e
                              JOIN (SELECT unnest(?::INTEGER[]) AS idx) h USING (idx) ORDER BY e.idx""",
                           [list(map(int, hit))]).fetchdf()
    finally:
        con.close()
    ids = np.asarray(ids, dtype=object)
    rows = []
    for _, r in info.iterrows():
        j = int(r["idx"])
        chain = [j]
        while chain[-1] != x and via[chain[-1]] >= 0 and via[chain[-1]] not in chain:
            chain.append(int(via[chain[-1]]))
        rows.append({"id": ids[j], "name": r["name"], "fefta_class": r["fefta_class"],
                     "listed": None if pd.isna(r["listed"]) else bool(r["listed"]),
                     "effective_pct": round(float(effective[j]), 9), "direct_pct": round(float(direct[j]), 9),
                     "controlled": bool(controlled[j]), "path": [ids[k] for k in reversed(chain)]})
    out = pd.DataFrame(rows, columns=["id", "name", "fefta_class", "listed", "effective_pct", "direct_pct", "controlled", "path"])
    out = out.sort_values(["effective_pct", "id"], ascending=[False, True]).reset_index(drop=True)
    out.attrs.update({"overseas_id": overseas_id, "min_pct": min_pct, "classes": list(classes), "attribution": method,
                      "control_threshold_pct": lim[0] if lim else None,
                      "subsidiary_more_than_pct": subsidiary_limit[0] if subsidiary_limit else None,
                      "as_of": regime.as_of.isoformat(),
                      "indirect_acquisition_rule_in_force": regime.in_force("indirect_acquisition")})
    return out


def _reachable(a: Arrays, x: int) -> np.ndarray:
    seen = np.zeros(a.n, dtype=bool)
    seen[x] = True
    frontier = np.array([x])
    while frontier.size:
        dst = _distinct(a.held[a.out_edges(frontier)], a.n)
        frontier = dst[~seen[dst]]
        seen[frontier] = True
    return np.flatnonzero(seen)


def _proportional_from(a: Arrays, x: int, reach: np.ndarray, max_iter: int = 10_000) -> np.ndarray:
    """Effective stakes of ``x`` in the entities it reaches: sum over paths of products (fixed point)."""
    local = np.full(a.n, -1, dtype=np.int64)
    local[reach] = np.arange(reach.size)
    pos = a.out_edges(reach)
    src, dst, v = local[a.holder[pos]], local[a.held[pos]], a.voting[pos] / 100.0
    eff = np.zeros(reach.size)
    root = local[x]
    for _ in range(max_iter):
        w = eff.copy()
        w[root] = 100.0
        new = np.minimum(np.bincount(dst, weights=v * w[src], minlength=reach.size), 100.0)
        new[root] = 0.0
        done = float(np.max(np.abs(new - eff))) < EPS
        eff = new
        if done:
            break
    return eff


def _best_holder(a: Arrays, contrib: np.ndarray, order_key: np.ndarray) -> np.ndarray:
    """Per held entity, the counted holder that sorts first by ``order_key`` (-1 if none)."""
    via = np.full(a.n, -1, dtype=np.int64)
    cand = np.flatnonzero(contrib > 0)
    if cand.size:
        order = np.lexsort((a.holder[cand], order_key[cand], a.held[cand]))
        c = cand[order]
        first = np.ones(c.size, dtype=bool)
        first[1:] = a.held[c[1:]] != a.held[c[:-1]]
        c = c[first]
        via[a.held[c]] = a.holder[c]
    return via


# -- a deal's entities from the graph ---------------------------------------------------------------

def chain_for_deal(db: str | Path | None, entity_id: str | Sequence[str], max_entities: int = 5000) -> list[dict[str, Any]]:
    """``entity_id`` and every entity above it (all holders, transitively), in the deal file's
    ``entities`` format: the entity first, then upward breadth first. Several ids give the union of
    their chains, in the order the ids are given (one database round trip).

    ``owners_complete`` is true when the listed holders add up to 100% of the voting rights, else null
    (unknown: the deal engine then reads the rest both ways). A partnership's holders are also given as
    ``partnership.contributions`` (the deal engine reads contributions for Art. 26(1)(iv)).
    """
    wanted = [entity_id] if isinstance(entity_id, str) else list(entity_id)
    con = _connect(db)
    try:
        starts = [_index_of(con, eid) for eid in wanted]
        up = con.execute("""WITH RECURSIVE up(idx) AS (SELECT unnest(?::INTEGER[]) UNION
                            SELECT h.holder_idx FROM holdings h JOIN up ON h.held_idx = up.idx)
                            SELECT idx FROM up""", [starts]).fetchnumpy()["idx"]
        if len(up) > max_entities:
            raise FdiscreenError(f"{len(up)} entities are above {', '.join(wanted)}", path="ID",
                                 expected=f"at most {max_entities} for a deal file; use the graph commands for large groups")
        chain_ids = [list(map(int, up))]
        ents = con.execute("""SELECT e.idx, e.id, e.name, e.kind, e.jurisdiction, e.resident_in_japan, e.listed
                              FROM entities e JOIN (SELECT unnest(?::INTEGER[]) AS idx) c USING (idx)""", chain_ids).fetchall()
        holds = con.execute("""SELECT h.held_idx, h.holder_idx, h.voting_pct, h.equity_pct FROM holdings h
                               JOIN (SELECT unnest(?::INTEGER[]) AS idx) c ON c.idx = h.held_idx
                               ORDER BY h.held_idx, h.voting_pct DESC, h.holder_idx""", chain_ids).fetchall()
    finally:
        con.close()
    info = {int(r[0]): r[1:] for r in ents}
    owners: dict[int, list[tuple[int, float, float | None]]] = {}
    for held, holder, v, eq in holds:
        owners.setdefault(int(held), []).append((int(holder), float(v), None if eq is None else float(eq)))
    order: list[int] = []
    seen: set[int] = set()
    for start in starts:
        if start not in seen:
            seen.add(start)
            order.append(start)
    for node in order:
        for holder, _, _ in owners.get(node, []):
            if holder not in seen:
                seen.add(holder)
                order.append(holder)
    out = []
    for node in order:
        ident, name, kind, jur, resident, listed = info[node]
        rows = owners.get(node, [])
        own = []
        for holder, v, eq in rows:
            h = {"owner": info[holder][0], "voting_pct": round(v, 9)}
            if eq is not None:
                h["equity_pct"] = round(eq, 9)
            own.append(h)
        total = sum(v for _, v, _ in rows)
        ent: dict[str, Any] = {"id": ident, "name": name, "kind": kind, "jurisdiction": jur,
                               "resident_in_japan": resident if kind == "individual" else None, "listed": listed,
                               "owners": own, "owners_complete": True if abs(total - 100.0) <= SUM_EPS else None}
        if kind == "partnership":
            ent["partnership"] = {"contributions": [{"partner": h["owner"], "contribution_pct": h["voting_pct"]} for h in own]}
        out.append(ent)
    return out


def chain_for_deal_cached(db: str | Path | None, entity_id: str) -> list[dict[str, Any]]:
    """``chain_for_deal`` remembered per database file (path and modification time) and id, so a
    batch naming the same entity on many rows reads its chain once; a reloaded graph is read afresh.
    Each call returns its own copy."""
    path = _db_path(db)
    try:
        info = path.stat()
        stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None  # chain_for_deal reports the missing database
    return json.loads(_chain_json(str(path), stamp, entity_id))


@lru_cache(maxsize=4096)
def _chain_json(path: str, stamp: tuple[int, int] | None, entity_id: str) -> str:
    return json.dumps(chain_for_deal(path, entity_id))


def graph_info(db: str | Path | None = None) -> dict[str, str]:
    """The ``meta`` table: files loaded, when, counts."""
    con = _connect(db)
    try:
        return {k: v for k, v in con.execute("SELECT key, value FROM meta").fetchall()}
    finally:
        con.close()
