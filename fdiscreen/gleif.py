"""GLEIF golden-copy files as the entities and holdings files of the ownership graph (:mod:`fdiscreen.graph`).

GLEIF publishes who is who (level 1, LEI-CDF: one row per LEI) and who owns whom (level 2, RR-CDF: one row
per relationship) as CSV, zipped or not. :func:`convert` reads both and writes ``entities.csv`` and
``holdings.csv`` in the graph's format, plus ``skipped.csv`` listing every record it could not carry over
and why; nothing is dropped silently.

Level 1 (columns ``LEI``, ``Entity.LegalName``, ``Entity.LegalJurisdiction``, optionally
``Entity.EntityCategory``, ``Entity.EntityStatus``, ``Registration.RegistrationStatus``,
``Entity.LegalAddress.Country``):

* ``LEI`` -> ``id``, ``Entity.LegalName`` -> ``name``; ``Entity.LegalJurisdiction`` -> ``jurisdiction``
  (``US-DE`` is read as ``US``; when blank, the legal address's country).
* ``Entity.EntityCategory`` -> ``kind`` (:data:`KIND_BY_CATEGORY`; anything else is a corporation: GLEIF
  does not say whether a fund is a company or a partnership). A branch (``BRANCH``) is the same legal
  person as its head office and is skipped.
* Skipped: entities no longer active (``Entity.EntityStatus`` INACTIVE) and LEIs that were annulled,
  retired as duplicates or merged (``Registration.RegistrationStatus`` in :data:`DEAD_REGISTRATIONS`).

Level 2 (``Relationship.StartNode.NodeID``, ``Relationship.EndNode.NodeID``,
``Relationship.RelationshipType``, ``Relationship.RelationshipStatus``; optionally the first
quantifier, ``Relationship.Quantifiers.1.QuantifierAmount`` and ``Relationship.Quantifiers.1.QuantifierUnits``
in the golden copy):

* An ACTIVE ``IS_DIRECTLY_CONSOLIDATED_BY`` record becomes the holding ``holder_id = EndNode`` (the
  parent), ``held_id = StartNode`` (the child), ``control_only = true``; a quantifier in
  ``PERCENTAGE`` units gives ``voting_pct``, otherwise it is blank and the graph assumes the parent
  holds what the other holders leave (see :mod:`fdiscreen.graph`, "GLEIF level-2 data").
* Not carried over, and counted by type in the summary rather than listed: ultimate-parent records
  (the direct ones chain up to the ultimate parent; loading both would count stakes twice), branch,
  fund-management, sub-fund and feeder relationships (no holding of voting rights).
* Skipped and listed: inactive relationships, a child or parent missing from (or skipped in) the
  level-1 file, quantifiers outside 0-100, and parents the graph cannot take (:func:`_parent_limits`:
  percentages past 100% for one child, a second parent without a percentage, or one when the others
  already hold 100%).

GLEIF does not say which Japanese companies run designated or core business: add ``fefta_class`` to the
entities file for those you know before loading, or the indirect-holdings query finds none.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fdiscreen.errors import FdiscreenError
from fdiscreen.regime import load_catalog

LEI, NAME, JURISDICTION = "LEI", "Entity.LegalName", "Entity.LegalJurisdiction"
CATEGORY, ENTITY_STATUS, REGISTRATION = "Entity.EntityCategory", "Entity.EntityStatus", "Registration.RegistrationStatus"
ADDRESS_COUNTRY = "Entity.LegalAddress.Country"
START, END = "Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"
TYPE, STATUS = "Relationship.RelationshipType", "Relationship.RelationshipStatus"
LEVEL1_REQUIRED = (LEI, NAME, JURISDICTION)
LEVEL1_OPTIONAL = (CATEGORY, ENTITY_STATUS, REGISTRATION, ADDRESS_COUNTRY)
LEVEL2_REQUIRED = (START, END, TYPE, STATUS)
#: the first quantifier's amount and units: ``Relationship.Quantifiers.1.QuantifierAmount`` in the golden copy;
#: matched by shape, as other exports name the repeated group differently (``...RelationshipQuantifiers.1...``)
_QUANTIFIER = re.compile(r"^Relationship\.\w*Quantifier\w*\.(?:\w+\.)?1\.Quantifier(Amount|Units)$")

DIRECT_PARENT = "IS_DIRECTLY_CONSOLIDATED_BY"
#: GLEIF entity category -> the graph's entity kind (others: corporation)
KIND_BY_CATEGORY = {"SOLE_PROPRIETOR": "individual", "RESIDENT_GOVERNMENT_ENTITY": "government"}
BRANCH = "BRANCH"
DEAD_REGISTRATIONS = ("ANNULLED", "DUPLICATE", "MERGED", "RETIRED")
ENTITY_COLUMNS = ["id", "name", "jurisdiction", "kind", "listed", "fefta_class", "resident_in_japan"]
HOLDING_COLUMNS = ["holder_id", "held_id", "voting_pct", "equity_pct", "control_only"]
#: ``id``: the LEI the reason is about (the child of a relationship unless the reason names the parent)
SKIPPED_COLUMNS = ["file", "row", "id", "reason"]


@dataclass
class Conversion:
    """What :func:`convert` wrote and left out."""

    entities: int = 0
    holdings: int = 0
    skipped: int = 0
    not_ownership: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


def _read(path: Path, required: tuple[str, ...], optional: tuple[str, ...], what: str,
          pattern: re.Pattern[str] | None = None) -> pd.DataFrame:
    """The columns fdiscreen uses, as stripped text; ``__row__`` numbers rows as a spreadsheet does."""
    if not path.is_file():
        raise FdiscreenError("no such file", file=str(path), expected=what)
    wanted = set(required) | set(optional)
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
        for col in required:
            if col not in header:
                raise FdiscreenError(f"missing column {col!r}", file=str(path), path="row 1 (header)",
                                     expected=f"{what} with columns {', '.join(required)}")
        # Arrow's reader and strings: a 2.8-million-row level-1 file is read in seconds, not minutes
        frame = pd.read_csv(path, usecols=[c for c in header if c in wanted or (pattern and pattern.match(c))],
                            dtype="string[pyarrow]", engine="pyarrow", keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FdiscreenError(f"not a readable CSV: {str(exc).strip()}", file=str(path), expected=what) from None
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    frame.insert(0, "__row__", np.arange(2, len(frame) + 2))
    return frame


def _skips(file: Path, frame: pd.DataFrame, mask: pd.Series, ids: pd.Series, reason: str) -> pd.DataFrame:
    return pd.DataFrame({"file": str(file), "row": frame.loc[mask, "__row__"], "id": ids[mask], "reason": reason})


def _in_file_order(skips: list[pd.DataFrame]) -> pd.DataFrame:
    found = [s for s in skips if len(s)]
    if not found:
        return pd.DataFrame(columns=SKIPPED_COLUMNS)
    return pd.concat(found, ignore_index=True).sort_values("row", kind="stable")[SKIPPED_COLUMNS]


def _entities(path: Path) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Level-1 records as graph entities, and the records skipped."""
    frame = _read(path, LEVEL1_REQUIRED, LEVEL1_OPTIONAL, "a GLEIF level-1 (LEI-CDF) CSV")
    countries = load_catalog().countries
    blank = pd.Series("", index=frame.index)
    jurisdiction = frame[JURISDICTION].str.upper().str.replace(r"-.*", "", regex=True)
    jurisdiction = jurisdiction.where(jurisdiction != "", frame.get(ADDRESS_COUNTRY, blank).str.upper())
    category = frame.get(CATEGORY, blank).str.upper()
    skipped = []
    rules = [(frame[LEI] == "", "no LEI"),
             (frame[LEI].duplicated(), "the same LEI again (the first row is kept)"),
             (frame.get(ENTITY_STATUS, blank).str.upper() == "INACTIVE", "the entity is no longer active"),
             (frame.get(REGISTRATION, blank).str.upper().isin(DEAD_REGISTRATIONS), "the LEI was annulled, retired or merged"),
             (category == BRANCH, "a branch is the same legal person as its head office"),
             (~jurisdiction.isin(countries), "no ISO 3166-1 country for its legal jurisdiction or address")]
    keep = pd.Series(True, index=frame.index)
    for mask, reason in rules:
        hit = keep & mask
        skipped.append(_skips(path, frame, hit, frame[LEI], reason))
        keep &= ~mask
    kept = frame[keep]
    out = pd.DataFrame({"id": kept[LEI], "name": kept[NAME].where(kept[NAME] != "", kept[LEI]),
                        "jurisdiction": jurisdiction[keep],
                        "kind": category[keep].map(KIND_BY_CATEGORY).fillna("corporation")})
    for col in ENTITY_COLUMNS[4:]:
        out[col] = ""
    return out, skipped


def _percentages(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The first quantifier as a voting percentage where its units are PERCENTAGE (else NaN), and the
    rows whose percentage is not a number from 0 to 100."""
    amount_col = next((c for c in frame.columns if _QUANTIFIER.match(c) and c.endswith("Amount")), None)
    units_col = next((c for c in frame.columns if _QUANTIFIER.match(c) and c.endswith("Units")), None)
    nothing = pd.Series(np.nan, index=frame.index)
    if amount_col is None or units_col is None:
        return nothing, pd.Series(False, index=frame.index)
    is_pct = frame[units_col].str.upper() == "PERCENTAGE"
    value = pd.to_numeric(frame[amount_col].where(is_pct, ""), errors="coerce")
    bad = is_pct & (value.isna() | (value < 0) | (value > 100))
    return value.where(is_pct & ~bad, np.nan), bad


def _among(values: pd.Series, ids: pd.Series) -> pd.Series:
    """Which values are among ``ids`` (hashed once in Arrow: pandas' isin goes value by value here)."""
    found = pc.is_in(pa.array(values), value_set=pa.array(ids, type=pa.string()))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def _holdings(path: Path, known: pd.Series) -> tuple[pd.DataFrame, list[pd.DataFrame], dict[str, int]]:
    """Level-2 direct-parent records as holdings, the records skipped, and the other types counted."""
    frame = _read(path, LEVEL2_REQUIRED, (), "a GLEIF level-2 relationship (RR-CDF) CSV", _QUANTIFIER)
    kind = frame[TYPE].str.upper()
    others = kind != DIRECT_PARENT
    not_ownership = {str(k): int(n) for k, n in kind[others].value_counts().sort_index().items()}
    frame = frame[~others]
    child, parent = frame[START], frame[END]
    voting, bad_pct = _percentages(frame)
    rules = [(frame[STATUS].str.upper() != "ACTIVE", child, "the relationship is not active"),
             (~_among(parent, known), parent, "this parent is not among the entities carried over from level 1"),
             (~_among(child, known), child, "this child is not among the entities carried over from level 1"),
             (child == parent, child, "an entity cannot hold itself"),
             (bad_pct, child, "a percentage quantifier outside 0-100")]
    keep = pd.Series(True, index=frame.index)
    skipped = []
    for mask, ids, reason in rules:
        skipped.append(_skips(path, frame, keep & mask, ids, reason))
        keep &= ~mask
    for mask, reason in _parent_limits(child, voting, keep):
        skipped.append(_skips(path, frame, mask, child, reason))
        keep &= ~mask
    out = pd.DataFrame({"holder_id": parent[keep], "held_id": child[keep],
                        "voting_pct": voting[keep].map(lambda v: "" if pd.isna(v) else f"{v:g}"),
                        "equity_pct": "", "control_only": "true"})
    return out, skipped, not_ownership


def _parent_limits(child: pd.Series, voting: pd.Series, keep: pd.Series) -> list[tuple[pd.Series, str]]:
    """Direct parents of one child that the graph cannot take, in file order: percentages past 100% in
    total; a second parent without a percentage (the graph gives one such parent what the others leave);
    and a parent without a percentage when the others already hold 100%."""
    stated = keep & voting.notna()
    running = voting.where(stated, 0.0).groupby(child).cumsum()
    over = stated & (running > 100 + 1e-6)
    unstated = keep & voting.isna()
    second = unstated & child.where(unstated).duplicated()
    total = voting.where(stated & ~over, 0.0).groupby(child).transform("sum")
    nothing_left = unstated & ~second & (total >= 100 - 1e-6)
    return [(over, "this child's parents' percentages add up to more than 100%"),
            (second, "a second direct parent without a percentage (the first is kept)"),
            (nothing_left, "its other parents already hold 100%")]


def convert(level1: str | Path, level2: str | Path, out_dir: str | Path) -> Conversion:
    """Write ``entities.csv``, ``holdings.csv`` and ``skipped.csv`` in ``out_dir`` from GLEIF files."""
    out = Path(out_dir)
    if not out.is_dir():
        raise FdiscreenError("folder does not exist", file=str(out), expected="an existing folder for the converted files")
    entities, skipped = _entities(Path(level1))
    holdings, more, not_ownership = _holdings(Path(level2), entities["id"])
    skipped_frame = pd.concat([_in_file_order(skipped), _in_file_order(more)], ignore_index=True)
    files = {"entities": out / "entities.csv", "holdings": out / "holdings.csv", "skipped": out / "skipped.csv"}
    for name, frame in (("entities", entities), ("holdings", holdings), ("skipped", skipped_frame)):
        frame.to_csv(files[name], index=False, quoting=csv.QUOTE_MINIMAL)
    return Conversion(entities=len(entities), holdings=len(holdings), skipped=len(skipped_frame),
                      not_ownership=not_ownership, files=files)
