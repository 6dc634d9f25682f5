"""The workbench's local history of screenings: an embedded DuckDB file under the user's data folder
(``platformdirs.user_data_dir("fdiscreen")/history.duckdb``, or ``$FDISCREEN_DATA_DIR/history.duckdb``).

Only the workbench pages write here (a screening run from the form or a deal-file upload); the JSON
API stays stateless. Every operation opens its own connection under a process-wide lock, so
concurrent requests cannot interleave writes; a folder that cannot be created or a database that
cannot be opened (another program holds it, a damaged file) is reported as a ``FdiscreenError`` with
a one-line message for the page, never an internal error. Nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fdiscreen.errors import FdiscreenError

DATA_DIR_ENV = "FDISCREEN_DATA_DIR"
HISTORY_FILE = "history.duckdb"
PAGE_SIZE = 20  # screenings per history page (a setting of the workbench, not law)

_LOCK = threading.Lock()
_SCHEMA = [
    "CREATE SEQUENCE IF NOT EXISTS screening_id START 1",
    """CREATE TABLE IF NOT EXISTS screenings (
        id BIGINT PRIMARY KEY DEFAULT nextval('screening_id'),
        saved_at VARCHAR NOT NULL,
        matter VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        amendment_effective DATE,
        outcome VARCHAR NOT NULL,
        outcome_en VARCHAR NOT NULL,
        outcome_ja VARCHAR NOT NULL,
        overall DOUBLE NOT NULL,
        tier VARCHAR NOT NULL,
        regime_version VARCHAR NOT NULL,
        mitigate VARCHAR NOT NULL,
        deal_json VARCHAR NOT NULL,
        fingerprint VARCHAR NOT NULL)""",
]
_COLUMNS = ("id", "saved_at", "matter", "as_of", "amendment_effective", "outcome", "outcome_en", "outcome_ja", "overall", "tier",
            "regime_version", "mitigate", "deal_json", "fingerprint")


@dataclass(frozen=True)
class Entry:
    """One stored screening: what the history page lists, and what reopening it needs (the deal as
    JSON, the options it was screened with, and the fingerprint to compare)."""

    id: int
    saved_at: str
    matter: str
    as_of: dt.date
    amendment_effective: dt.date | None
    outcome: str
    outcome_en: str
    outcome_ja: str
    overall: float
    tier: str
    regime_version: str
    mitigate: list[str]
    deal_json: str
    fingerprint: str


def data_dir() -> Path:
    """The folder the history lives in: ``$FDISCREEN_DATA_DIR``, else the platform's user data folder."""
    given = os.environ.get(DATA_DIR_ENV, "").strip()
    if given:
        return Path(given).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("fdiscreen"))


def history_path(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / HISTORY_FILE


def _unavailable(path: Path, why: str) -> FdiscreenError:
    return FdiscreenError(f"the screening history cannot be used: {why}", file=str(path),
                          expected=f"a folder the workbench can write to (set {DATA_DIR_ENV} to choose one), not open in another program")


@contextmanager
def _connect(folder: Path | None) -> Iterator[Any]:
    """A connection to the history file (created with its table on first use), under the lock."""
    path = history_path(folder)
    with _LOCK:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unavailable(path, f"cannot create the folder ({type(exc).__name__}: {exc.strerror or exc})") from None
        import duckdb

        try:
            con = duckdb.connect(str(path))
        except (duckdb.Error, OSError) as exc:
            raise _unavailable(path, f"cannot open the database ({str(exc).splitlines()[0][:160]})") from None
        try:
            for statement in _SCHEMA:
                con.execute(statement)
            yield con
        except duckdb.Error as exc:
            raise _unavailable(path, f"database error ({str(exc).splitlines()[0][:160]})") from None
        finally:
            con.close()


def save(s: Any, deal_json: str, mitigate: list[str], amendment: dt.date | None, folder: Path | None = None) -> int:
    """Store a screening (a ``Screening``) and the deal it screened; returns its history id."""
    row = (dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"), s.matter, s.regime.as_of, amendment,
           s.filing.outcome.code, s.filing.outcome.summary.en, s.filing.outcome.summary.ja, float(s.scores.overall), s.scores.tier,
           s.regime.version, json.dumps(sorted(mitigate)), deal_json, s.fingerprint)
    with _connect(folder) as con:
        found = con.execute(
            "INSERT INTO screenings (saved_at, matter, as_of, amendment_effective, outcome, outcome_en, outcome_ja, overall, tier, "
            "regime_version, mitigate, deal_json, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", row).fetchone()
    return int(found[0])


def _entry(row: tuple[Any, ...]) -> Entry:
    data = dict(zip(_COLUMNS, row))
    data["mitigate"] = json.loads(data["mitigate"])
    return Entry(**data)


def listing(page: int = 1, folder: Path | None = None, size: int | None = None) -> tuple[list[Entry], int]:
    """One page of the history (``size`` entries, default PAGE_SIZE), newest first, and the number stored."""
    size = size or PAGE_SIZE
    with _connect(folder) as con:
        total = int(con.execute("SELECT count(*) FROM screenings").fetchone()[0])
        rows = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM screenings ORDER BY id DESC LIMIT ? OFFSET ?",
                           [size, max(0, page - 1) * size]).fetchall()
    return [_entry(r) for r in rows], total


def get(entry_id: int, folder: Path | None = None) -> Entry | None:
    with _connect(folder) as con:
        row = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM screenings WHERE id = ?", [entry_id]).fetchone()
    return None if row is None else _entry(row)


def delete(entry_id: int, folder: Path | None = None) -> bool:
    """Remove one screening; False when there was none with that id."""
    with _connect(folder) as con:
        gone = con.execute("DELETE FROM screenings WHERE id = ? RETURNING id", [entry_id]).fetchall()
    return bool(gone)
