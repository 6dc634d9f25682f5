"""Golden outputs: record what the engine produces today on a fixed corpus, and prove a later run equal.

The acceptance test of issue 19 (equality, byte for byte): before a rule implementation is replaced,
record the current outputs; after the replacement, compare. The corpus, every output computed on a
fixed date so that today's date (``japan_today``) never enters it:

``examples/``   every deal file under ``examples/`` (files that are not deals are listed, not screened):
                the Screening JSON on 2026-12-01 and, when the file has an ``as_of``, on that date (as
                ``fdiscreen screen`` does without ``--as-of``); the Markdown memo in English and in
                Japanese of the 2026-12-01 screening
``cases/``      every case of the library under every rule set of ``fdiscreen replay`` (decision-date,
                today, amended; "today" is 2026-12-01): the Screening JSON
``replay/``     per rule set, the replay table and its evaluation (``fdiscreen.cases.replay`` and
                ``evaluate``) as JSON, column types included
``law/``        every row of every test sheet in ``tests/law``: the Screening JSON of the row's deal on the
                row's date, with the row's assumptions, overrides and MOF list
``batch/``      ``examples/batch/deals.csv`` through ``fdiscreen.batch`` on 2026-12-01: the results as CSV
                and as JSON Lines and the bad rows as CSV, the files ``fdiscreen batch`` writes
``generated/``  300 deals drawn from the property-test strategy (``tests/test_properties.py``) by
                hypothesis's ``find`` with ``random.Random(19)`` (the same deals every run): the Screening
                JSON on 2026-12-01 and on 2019-01-01, and the drawn parameters themselves

Usage::

    python tests/golden.py record /tmp/golden-base [--only PREFIX ...]
    python tests/golden.py compare /tmp/golden-base [--only PREFIX ...]

``record`` writes one ``<name>.out`` file per case and ``index.json`` ({name: sha256}); with ``--only`` it
replaces just those entries of an existing baseline. ``compare`` recomputes every case and prints the
mismatches (changed, new or gone, each with the start of a unified diff) and exits 1, or prints
"N cases equal" and exits 0. Timing per part goes to stderr. Nothing here is stored in the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
if str(TESTS) not in sys.path:  # the property strategy is imported from tests/test_properties.py
    sys.path.insert(0, str(TESTS))

EXAMPLES = ROOT / "examples"
LAW_SHEETS = TESTS / "law"
BATCH_TABLE = EXAMPLES / "batch" / "deals.csv"
GRAPH_CSVS = (EXAMPLES / "graph" / "entities.csv", EXAMPLES / "graph" / "holdings.csv")

#: the fixed as-of date of every screening (and the memos' date, and "today" of the replay)
AS_OF = dt.date(2026, 12, 1)
#: the second date the generated deals are screened on: the law before the 2019 FEFTA amendment came into force
EARLY_AS_OF = dt.date(2019, 1, 1)
GENERATED = 300
GENERATED_SEED = 19
MEMO_LANGS = ("en", "ja")
DIFF_LINES = 40
INDEX = "index.json"


@dataclass(frozen=True)
class GoldenCase:
    """One output of the corpus: a stable name and the zero-argument function that produces its text."""

    name: str
    produce: Callable[[], str]

    @property
    def part(self) -> str:
        return self.name.split("/", 1)[0]


@dataclass(frozen=True)
class Mismatch:
    """A case whose output differs from the baseline (``changed``), is not in it (``new``), or is in it
    but no longer in the corpus (``gone``); ``diff`` is the start of a unified diff, or a note."""

    name: str
    kind: Literal["changed", "new", "gone"]
    diff: str

    def __str__(self) -> str:
        return f"--- {self.kind}: {self.name}\n{self.diff}"


# -- environment: fixed date, no user data, paths that do not depend on the checkout -------------------

_KEEP: list[tempfile.TemporaryDirectory[str]] = []  # removed when the process ends


@cache
def _scratch() -> Path:
    """A temporary folder for this process (memo files, the example graph database, batch outputs)."""
    folder = tempfile.TemporaryDirectory(prefix="fdiscreen-golden-")
    _KEEP.append(folder)
    return Path(folder.name)


@cache
def example_graph_db() -> Path:
    """The ownership graph of ``examples/graph`` loaded into a fresh database (deal-by-graph-id.yaml)."""
    from fdiscreen import graph

    db = _scratch() / "graph.duckdb"
    graph.load(*GRAPH_CSVS, db)
    return db


def normalise(text: str) -> str:
    """The checkout's and the scratch folder's locations replaced by placeholders, so an output does not
    depend on where the tree or the temporary files are."""
    return text.replace(str(_scratch()), "<scratch>").replace(str(ROOT), "<root>")


class TodayUsed(RuntimeError):
    """An output asked for today's date although every golden computation has a fixed date."""


def _no_today(*_: Any, **__: Any) -> dt.date:
    raise TodayUsed("japan_today() was called: some output depends on the day it is computed")


#: modules that read today's date when no date is given; imported before the guard is put in place
DATED_MODULES = ("fdiscreen.screening", "fdiscreen.render.memo", "fdiscreen.cases", "fdiscreen.batch", "fdiscreen.graph",
                 "fdiscreen.testsheet", "fdiscreen.listing")


class _TodayGuard:
    """Replaces ``japan_today`` in every loaded fdiscreen module by one that raises; modules loaded
    later are caught on the next ``cover()``."""

    def __init__(self) -> None:
        from fdiscreen import clock

        self.real = clock.japan_today
        self.patched: list[Any] = []
        self.modules_seen = 0

    def cover(self) -> None:
        if len(sys.modules) == self.modules_seen:
            return
        self.modules_seen = len(sys.modules)
        for mod_name, module in list(sys.modules.items()):
            if (mod_name == "fdiscreen" or mod_name.startswith("fdiscreen.")) and getattr(module, "japan_today", None) is self.real:
                setattr(module, "japan_today", _no_today)
                self.patched.append(module)

    def restore(self) -> None:
        for module in self.patched:
            setattr(module, "japan_today", self.real)


@contextlib.contextmanager
def fixed_today() -> Iterator[_TodayGuard]:
    """While the corpus runs, every fdiscreen module's ``japan_today`` raises: an output that would read
    today's date shows up as a case that raised, not as a silent daily difference."""
    import importlib

    for name in DATED_MODULES:
        importlib.import_module(name)
    guard = _TodayGuard()
    guard.cover()
    try:
        yield guard
    finally:
        guard.restore()


def run_case(case: GoldenCase) -> str:
    """The case's output text; an exception is an output too (its type and message), so a case that
    starts to fail is a mismatch and the others still run."""
    from fdiscreen.errors import FdiscreenError

    try:
        text = case.produce()
    except FdiscreenError as exc:
        text = f"raised FdiscreenError: {exc.one_line()}\n"
    except Exception as exc:  # noqa: BLE001 - one broken case must not hide the rest
        text = f"raised {type(exc).__name__}: {exc}\n"
    return normalise(text)


# -- JSON of tables and evaluation dictionaries ------------------------------------------------------

def plain(value: Any) -> Any:
    """A value as plain JSON data: a frame as its column types, its index (unless 0, 1, 2 ...) and its rows
    keyed by column, so a diff names the column; dates in ISO form; numpy scalars
    as Python numbers; missing values as null (a float NaN stays NaN)."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        columns = [str(c) for c in value.columns]
        frame: dict[str, Any] = {"dtypes": dict(zip(columns, (str(t) for t in value.dtypes)))}
        if not isinstance(value.index, pd.RangeIndex) or value.index.start != 0 or value.index.step != 1:
            frame["index"] = [plain(i) for i in value.index]
        frame["rows"] = [Row(zip(columns, (plain(v) for v in row))) for row in value.itertuples(index=False, name=None)]
        return frame
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return value


class Row(dict[str, Any]):
    """A table row: written on one line, so a diff line shows the whole row with its case or matter."""


def dumps(value: Any, level: int = 0) -> str:
    """Plain data as indented JSON, a table row per line."""
    if isinstance(value, Row) or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = " " * (level + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {dumps(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * level + "}"
    return "[\n" + ",\n".join(pad + dumps(v, level + 1) for v in value) + "\n" + " " * level + "]"


def as_json(value: Any) -> str:
    return dumps(plain(value)) + "\n"


def _broken(what: str, message: str) -> Callable[[], str]:
    """The output of a source that no longer loads (its cases are then reported gone)."""
    def produce() -> str:
        return f"broken {what}: {message}\n"
    return produce


# -- part 1: the example deal files -------------------------------------------------------------------

def _example_deals() -> tuple[list[Path], list[Path]]:
    """(deal files, other files) under examples/: a file is a deal when ``load_deal`` reads it."""
    from fdiscreen.errors import FdiscreenError
    from fdiscreen.load import load_deal

    deals: list[Path] = []
    others: list[Path] = []
    for path in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        try:
            load_deal(path, graph_db=example_graph_db())
        except FdiscreenError:
            others.append(path)
        else:
            deals.append(path)
    return deals, others


def _screen_file(path: Path, as_of: dt.date | None) -> Any:
    from fdiscreen.load import load_deal
    from fdiscreen.screening import screen

    return screen(load_deal(path, graph_db=example_graph_db()), as_of)


def _memo_markdown(path: Path, lang: Literal["en", "ja"]) -> str:
    import fdiscreen

    out = _scratch() / f"memo-{lang}.md"
    fdiscreen.memo(_screen_file(path, AS_OF), out, lang=lang, date=AS_OF)
    return out.read_text(encoding="utf-8")


def _has_own_date(path: Path) -> bool:
    from fdiscreen.load import load_deal

    return load_deal(path, graph_db=example_graph_db()).as_of is not None


def examples_part() -> list[GoldenCase]:
    deals, others = _example_deals()
    out = [GoldenCase("examples/_not-deals", lambda: "".join(f"{p.relative_to(ROOT)}\n" for p in others))]
    for path in deals:
        rel = path.relative_to(EXAMPLES).as_posix()
        out.append(GoldenCase(f"examples/{rel}/screen@{AS_OF}", lambda p=path: _screen_file(p, AS_OF).to_json()))
        if _has_own_date(path):
            out.append(GoldenCase(f"examples/{rel}/screen@deal-as-of", lambda p=path: _screen_file(p, None).to_json()))
        out += [GoldenCase(f"examples/{rel}/memo-{lang}.md", lambda p=path, lg=lang: _memo_markdown(p, lg)) for lang in MEMO_LANGS]
    return out


# -- part 2: the case library under every rule set ----------------------------------------------------

def cases_part() -> list[GoldenCase]:
    from fdiscreen import cases
    from fdiscreen.errors import FdiscreenError

    try:
        library = cases.load_cases()
    except FdiscreenError as exc:  # every case is then "gone": the library no longer loads
        return [GoldenCase("cases/_library", _broken("case library", exc.one_line()))]
    return [GoldenCase(f"cases/{case.meta.id}/{rules}", lambda c=case, r=rules: cases.replay_one(c, r, AS_OF).to_json())
            for case in library for rules in cases.RULES]


def _replay_evaluation(rules: str) -> str:
    from fdiscreen import cases

    return as_json(cases.evaluate(cases.replay(None, rules, AS_OF)))  # type: ignore[arg-type]


def replay_part() -> list[GoldenCase]:
    from fdiscreen import cases

    out: list[GoldenCase] = []
    for rules in cases.RULES:
        out.append(GoldenCase(f"replay/{rules}/table", lambda r=rules: as_json(cases.replay(None, r, AS_OF))))
        out.append(GoldenCase(f"replay/{rules}/evaluation", lambda r=rules: _replay_evaluation(r)))
    return out


# -- part 3: the legal test sheets --------------------------------------------------------------------



def law_part() -> list[GoldenCase]:
    from fdiscreen.errors import FdiscreenError
    from fdiscreen.testsheet import load_sheet, screen_row

    out: list[GoldenCase] = []
    for sheet in sorted(LAW_SHEETS.glob("*.yaml")):
        try:
            rows = load_sheet(sheet)
        except FdiscreenError as exc:
            out.append(GoldenCase(f"law/{sheet.stem}", _broken("test sheet", exc.one_line())))
            continue
        out += [GoldenCase(f"law/{sheet.stem}/{row.name}", lambda r=row: screen_row(r).to_json()) for row in rows]
    return out


# -- part 4: the batch example ---------------------------------------------------------------------------

def _batch_file(kind: Literal["results", "errors"], suffix: str) -> str:
    from fdiscreen import batch
    from fdiscreen.outfiles import write_table

    results, errors = batch.screen_rows(batch.read_rows(BATCH_TABLE), AS_OF, None, example_graph_db())
    out = _scratch() / f"batch-{kind}{suffix}"
    write_table(results if kind == "results" else errors, out, [BATCH_TABLE])
    return out.read_text(encoding="utf-8")


def batch_part() -> list[GoldenCase]:
    name = f"batch/{BATCH_TABLE.name}"
    return [GoldenCase(f"{name}/results.csv", lambda: _batch_file("results", ".csv")),
            GoldenCase(f"{name}/results.jsonl", lambda: _batch_file("results", ".jsonl")),
            GoldenCase(f"{name}/errors.csv", lambda: _batch_file("errors", ".csv"))]


# -- part 5: generated deals ---------------------------------------------------------------------------------

@cache
def generated_parameters() -> tuple[dict[str, Any], ...]:
    """The first 300 parameter sets hypothesis's ``find`` draws from the property strategy with
    ``random.Random(19)`` (no database, generation phase only): the same sets on every run with the same
    hypothesis version (``strategy.example()`` is not reproducible)."""
    import random

    from hypothesis import HealthCheck, Phase, find, settings

    from test_properties import deals

    drawn: list[dict[str, Any]] = []

    def enough(p: dict[str, Any]) -> bool:
        drawn.append(p)
        return len(drawn) >= GENERATED

    # hypothesis mixes in numeric literals it finds in the source of loaded local modules (fdiscreen's
    # included), so an engine change would change the deals drawn: draw without them
    from hypothesis.internal.conjecture import providers

    local_constants = providers._get_local_constants
    providers._get_local_constants = providers.Constants
    try:
        find(deals, enough, settings=settings(max_examples=10 * GENERATED, database=None, phases=[Phase.generate],
                                              suppress_health_check=list(HealthCheck)), random=random.Random(GENERATED_SEED))
    finally:
        providers._get_local_constants = local_constants
    return tuple(drawn[:GENERATED])


def _screen_generated(index: int, as_of: dt.date) -> str:
    from fdiscreen.screening import screen
    from test_properties import build

    return screen(build(generated_parameters()[index]), as_of).to_json()


def _parameters_text() -> str:
    import hypothesis

    return as_json({"hypothesis": hypothesis.__version__, "seed": GENERATED_SEED, "deals": list(generated_parameters())})


def generated_part() -> list[GoldenCase]:
    out = [GoldenCase("generated/_parameters", _parameters_text)]
    for i in range(len(generated_parameters())):
        out += [GoldenCase(f"generated/{i:03d}@{day}", lambda n=i, d=day: _screen_generated(n, d)) for day in (AS_OF, EARLY_AS_OF)]
    return out


# -- the corpus, record and compare --------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[], list[GoldenCase]]] = {
    "examples": examples_part, "cases": cases_part, "replay": replay_part, "law": law_part, "batch": batch_part,
    "generated": generated_part,
}


def _wanted(name: str, only: Sequence[str]) -> bool:
    return not only or any(name.startswith(p) for p in only)


def _part_wanted(part: str, only: Sequence[str]) -> bool:
    return not only or any(part.startswith(p) or p.startswith(part + "/") or p == part for p in only)


def corpus(only: Sequence[str] = ()) -> list[GoldenCase]:
    """Every golden case (names unique, in a fixed order); ``only``: just the cases whose names start with
    one of these prefixes (``examples/``, ``law/acts``)."""
    out: list[GoldenCase] = []
    for part, build in BUILDERS.items():
        if _part_wanted(part, only):
            out += [c for c in build() if _wanted(c.name, only)]
    names = [c.name for c in out]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"golden case names are not unique: {dupes[:5]}")
    return out


_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")


def file_name(name: str) -> str:
    """A filesystem-safe, unique file name for a case name: a readable slug and a hash of the name."""
    slug = _UNSAFE.sub("_", name.replace("/", "__")).strip("_")[:120]
    return f"{slug}.{hashlib.sha256(name.encode('utf-8')).hexdigest()[:10]}.out"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _outputs(cases: Iterable[GoldenCase], log: Callable[[str], None]) -> Iterator[tuple[GoldenCase, str]]:
    """(case, output) in corpus order, with the time of each part logged when it is done."""
    part, start, count = "", time.perf_counter(), 0
    with fixed_today() as guard:
        for case in cases:
            guard.cover()
            if case.part != part:
                if part:
                    log(f"{part}: {count} cases in {time.perf_counter() - start:.1f} s")
                part, start, count = case.part, time.perf_counter(), 0
            count += 1
            yield case, run_case(case)
    if part:
        log(f"{part}: {count} cases in {time.perf_counter() - start:.1f} s")


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def read_index(directory: Path) -> dict[str, str]:
    path = directory / INDEX
    if not path.is_file():
        raise FileNotFoundError(f"no baseline at {directory} (no {INDEX}): record one first")
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def record(directory: str | Path, only: Sequence[str] = (), log: Callable[[str], None] = _stderr,
           cases: list[GoldenCase] | None = None) -> dict[str, str]:
    """Write every case's output to ``directory/<file_name(name)>`` and ``index.json`` {name: sha256}.
    With ``only``, the entries under those prefixes of an existing baseline are replaced and the rest kept;
    without, the baseline is written afresh (stale .out files removed). Returns the index."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    index = {k: v for k, v in read_index(folder).items() if not _wanted(k, only)} if only and (folder / INDEX).is_file() else {}
    for case, text in _outputs(cases if cases is not None else corpus(only), log):
        (folder / file_name(case.name)).write_text(text, encoding="utf-8")
        index[case.name] = digest(text)
    keep = {file_name(n) for n in index}
    for stale in folder.glob("*.out"):
        if stale.name not in keep:
            stale.unlink()
    (folder / INDEX).write_text(json.dumps(dict(sorted(index.items())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return index


def first_difference(old: list[str], new: list[str]) -> str:
    """Where two outputs first part: the line number and both lines (shortened)."""
    at = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    def line(lines: list[str]) -> str:
        return repr(lines[at][:200]) if at < len(lines) else "(end of output)"
    return f"first difference at line {at + 1}:\n  baseline: {line(old)}\n  current:  {line(new)}"


def short_diff(name: str, old: str, new: str, limit: int = DIFF_LINES) -> str:
    """Where the outputs first differ, then the first lines of the unified diff from the baseline's output
    to the current one, ``limit`` lines in all."""
    a, b = old.splitlines(), new.splitlines()
    lines = first_difference(a, b).splitlines()
    lines += list(difflib.unified_diff(a, b, f"baseline/{name}", f"current/{name}", n=2, lineterm=""))
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"... ({more} more diff lines)"] if more > 0 else []))


def _head(text: str, limit: int = DIFF_LINES) -> str:
    lines = text.splitlines()
    return "\n".join(lines[:limit] + ([f"... ({len(lines) - limit} more lines)"] if len(lines) > limit else []))


def _changed(folder: Path, name: str, text: str) -> Mismatch:
    stored = folder / file_name(name)
    if not stored.is_file():
        return Mismatch(name, "changed", f"(the baseline's file {stored.name} is missing)\n{_head(text)}")
    return Mismatch(name, "changed", short_diff(name, stored.read_text(encoding="utf-8"), text))


def compare(directory: str | Path, only: Sequence[str] = (), log: Callable[[str], None] = _stderr,
            cases: list[GoldenCase] | None = None) -> list[Mismatch]:
    """Recompute every case (or those under ``only``) and return how they differ from the baseline in
    ``directory``: changed outputs with a short diff, cases new since the baseline, cases gone from the corpus."""
    folder = Path(directory)
    index = read_index(folder)
    found: list[Mismatch] = []
    seen: set[str] = set()
    for case, text in _outputs(cases if cases is not None else corpus(only), log):
        seen.add(case.name)
        if case.name not in index:
            found.append(Mismatch(case.name, "new", f"(not in the baseline) output starts:\n{_head(text, 10)}"))
        elif digest(text) != index[case.name]:
            found.append(_changed(folder, case.name, text))
    found += [Mismatch(n, "gone", "(in the baseline, no longer in the corpus)") for n in sorted(index)
              if n not in seen and _wanted(n, only)]
    return found


# -- command line ----------------------------------------------------------------------------------------------

def _isolated_data_dir() -> None:
    """Nothing the corpus runs reads or writes the user's data folder (the default graph database)."""
    os.environ["FDISCREEN_DATA_DIR"] = str(_scratch() / "data")
    (_scratch() / "data").mkdir(exist_ok=True)
    if os.environ.get("FDISCREEN_FACTORS"):
        _stderr(f"warning: FDISCREEN_FACTORS={os.environ['FDISCREEN_FACTORS']} is set: the outputs use those factors, "
                "not the ones shipped in the package")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/golden.py", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("command", choices=("record", "compare", "list"))
    parser.add_argument("directory", type=Path, nargs="?", default=Path("/tmp/golden-base"))
    parser.add_argument("--only", action="append", default=[], metavar="PREFIX",
                        help="only the cases whose names start with PREFIX (repeatable): examples/, cases/, replay/, law/, batch/, generated/")
    args = parser.parse_args(argv)
    _isolated_data_dir()
    start = time.perf_counter()
    if args.command == "compare" and not (args.directory / INDEX).is_file():
        print(f"no baseline at {args.directory} (no {INDEX}): record one first", file=sys.stderr)
        return 2
    cases = corpus(args.only)
    _stderr(f"corpus: {len(cases)} cases listed in {time.perf_counter() - start:.1f} s")
    if args.command == "list":
        print("\n".join(c.name for c in cases))
        return 0
    if args.command == "record":
        index = record(args.directory, args.only, cases=cases)
        _stderr(f"total: {time.perf_counter() - start:.1f} s")
        print(f"{len(index)} cases recorded in {args.directory}")
        return 0
    mismatches = compare(args.directory, args.only, cases=cases)
    _stderr(f"total: {time.perf_counter() - start:.1f} s")
    if mismatches:
        for m in mismatches:
            print(m)
        kinds = {k: sum(m.kind == k for m in mismatches) for k in ("changed", "new", "gone")}
        print(f"{len(mismatches)} mismatches ({', '.join(f'{v} {k}' for k, v in kinds.items() if v)}) among {len(cases)} cases")
        return 1
    print(f"{len(cases)} cases equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
