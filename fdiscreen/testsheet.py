"""Test sheets (テストシート): legal expectations in YAML that a lawyer can read and extend without Python.

A sheet is a YAML list of rows, or a mapping ``{bases: {NAME: deal}, rows: [...]}`` when rows share
named base deals. Each row names a deal, the date of the law, what it tests (``citation``, primary text
first) and the conclusions it expects. ``fdiscreen test SHEET`` runs a sheet; the pytest plugin in
``tests/law`` runs the project's own sheets. A row (every key other than these is an error)::

    - name: "Listed core, exactly 10%: regular exemption not available (below 10% only)"
      citation: "直投令 Art. 3-2; FEFTA Art. 27-2"  # required: the provision the row tests
      deal: ../../examples/us-fund-5pct-core.yaml  # a deal file, relative to the sheet, OR
      facts: {...}                                 # an inline deal (same schema as a deal file), OR
      base: clean_listed_core                      # a base deal named under `bases:`
      change:                                      # optional dotted-path patches to that deal
        transaction.shares_after_pct: 10
        entities[0].kind: financial_institution
      as_of: 2026-12-01                            # date of the law (else the deal's as_of; one is required)
      assume_amendment_effective: 2027-01-01       # optional: model the 2026 amendment from this date
      set: {listed_share_threshold_pct: 5}         # optional factor overrides, like --set
      mof_list: mof.csv                            # optional MOF classification list, relative to the sheet
      note: "..."                                  # optional free text
      expect: {...}                                # what to check; only the keys listed are checked

Expectation keys (``EXPECT``; statuses are yes, no or indeterminate):

==========================  ==============================================================================
foreign_investor            status of the foreign-investor conclusion (外国投資家, Art. 26(1))
foreign_investor_category   1-5, the Art. 26(1) item (null: none)
deemed_foreign_investor     true/false: foreign only by the nominee rule (みなし外国投資家)
investor_class              not_foreign, violator, foreign_government, specified_foreign_investor,
                            equivalent_to_specified, foreign_financial_institution, accredited_swf,
                            general_investor
investor_class_status       status of the investor-class conclusion (indeterminate: to confirm)
target_class                non_designated, designated, core; null = indeterminate
acts                        {act id: status}; an act the deal does not raise counts as ``no``
acts_covered                exactly these act ids are ``yes`` (any order)
notification                {act id: prior_notification | post_investment_report | none | null}
prior_notification          status: a notifiable act before any exemption (事前届出の要否)
exemption                   status: the exemption can be used (事前届出免除)
exemption_kind              general (包括免除), regular (一般免除) or null
exemption_conditions        exactly these exemption criteria ids (免除基準) apply (any order)
must_file                   status: a prior notification must be filed
outcome                     not_foreign_investor, prior_notification, exempt_with_conditions,
                            post_investment_report, no_filing, indeterminate
reports                     kinds of report due, in order (post_investment_report, implementation_report)
report_deadline_days        the reports' deadlines in days, in order
report_due_dates            the reports' due dates, in order
waiting_days                the waiting period in days (禁止期間; null when none applies)
indirect_acquisition        status of the 2026 indirect-acquisition conclusion (間接取得)
amendment_in_force          true/false: the 2026 amendment is in force on the date
facts_needed                field paths that must be among the facts still needed
no_facts_needed             true: no fact is still needed
assumptions                 assumption ids that must be among those the result relied on
cites                       factor item ids that some conclusion must cite
reason_contains             text that some English reason or summary must contain
law_as_of                   the date of the law actually applied
==========================  ==============================================================================

A key of the form ``filing.exemption.eligible`` or ``filing.post_investment_report.reports[*].kind``
addresses the JSON result of ``fdiscreen screen --json`` directly and is compared for equality.

Dotted paths in ``change`` address the deal (``entities[1].owners[0].voting_pct``,
``target.businesses[0].activity``); a missing key is created, an index one past the end appends, and
the value replaces what was there.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, get_args

import yaml

from fdiscreen.errors import FdiscreenError
from fdiscreen.filing import Determination, OutcomeCode
from fdiscreen.filing.acts import ACT_LABELS, Notification
from fdiscreen.filing.conclusion import Conclusion, Status
from fdiscreen.filing.exemption import CONDITION_TESTS, ExemptionKind
from fdiscreen.filing.investor import InvestorClass
from fdiscreen.filing.reports import ReportKind
from fdiscreen.infiles import read_input
from fdiscreen.load import parse_deal, read_mapping
from fdiscreen.model import Deal, FeftaClass
from fdiscreen.mof_list import MofList, load_mof_list
from fdiscreen.regime import Catalog, YamlLoader, load_catalog, parse_override
from fdiscreen.screening import Screening, screen

ROW_KEYS = ("name", "citation", "deal", "facts", "base", "change", "as_of", "assume_amendment_effective", "set",
            "mof_list", "note", "expect")
SHEET_KEYS = ("bases", "rows")
DEAL_SOURCES = ("deal", "facts", "base")
STATUSES: tuple[str, ...] = get_args(Status)
INVESTOR_CLASSES: tuple[str, ...] = get_args(InvestorClass)
TARGET_CLASSES: tuple[str, ...] = get_args(FeftaClass)
OUTCOMES: tuple[str, ...] = get_args(OutcomeCode)
NOTIFICATIONS: tuple[str, ...] = get_args(Notification)
REPORT_KINDS: tuple[str, ...] = get_args(ReportKind)
EXEMPTION_KINDS: tuple[str, ...] = get_args(ExemptionKind)


# -- results ----------------------------------------------------------------------------------------

class Mismatch(NamedTuple):
    """One expected conclusion the engine did not reach."""

    field: str
    expected: Any
    got: Any


@dataclass(frozen=True)
class Row:
    """One validated row of a sheet, ready to run."""

    sheet: str
    index: int
    name: str
    citation: str
    deal: Deal
    deal_file: str | None
    as_of: dt.date
    amendment_effective: dt.date | None
    overrides: dict[str, Any]
    mof: MofList | None
    expect: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.sheet}, row {self.index + 1}"


@dataclass
class RowResult:
    """The outcome of one row: the mismatches (none when it passed) and the citations the compared
    conclusions used."""

    row: Row
    mismatches: list[Mismatch] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    """Citation.short() of every conclusion the row compared."""
    failed_citations: list[str] = field(default_factory=list)
    """Citation.short() of the conclusions behind the fields that did not match."""

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def passed(self) -> bool:
        return not self.mismatches


# -- the expectation table -----------------------------------------------------------------------------

Parse = Callable[[Any], Any]
Get = Callable[[Screening], Any]
Compare = Callable[[str, Any, Any], list[Mismatch]]
Sources = Callable[[Determination], list[Conclusion]]


class Check(NamedTuple):
    """How one expectation key is read from the sheet, read from the result, compared and cited."""

    parse: Parse
    get: Get
    compare: Compare
    sources: Sources


class BadValue(ValueError):
    """An expectation value of the wrong form; the message says what was expected."""


def _status(value: Any) -> str:
    if value is True:  # YAML 1.1 reads a bare yes/no as a boolean
        return "yes"
    if value is False:
        return "no"
    if value in STATUSES:
        return str(value)
    raise BadValue("yes, no or indeterminate")


def _one_of(options: tuple[str, ...], nullable: bool = False) -> Parse:
    def parse(value: Any) -> Any:
        if value is None and nullable:
            return None
        if value not in options:
            raise BadValue(", ".join(options) + (" or null" if nullable else ""))
        return value
    return parse


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue("true or false")
    return value


def _integer(nullable: bool = False, low: int | None = None, high: int | None = None) -> Parse:
    def parse(value: Any) -> Any:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low) or (high is not None and value > high):
            span = f" from {low} to {high}" if low is not None and high is not None else ""
            raise BadValue(f"a whole number{span}" + (" or null" if nullable else ""))
        return value
    return parse


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadValue("some text")
    return value


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise BadValue("a date YYYY-MM-DD")


def _or_null(item: Parse) -> Parse:
    def parse(value: Any) -> Any:
        if value is None:
            return None
        try:
            return item(value)
        except BadValue as exc:
            raise BadValue(f"{exc} or null") from None
    return parse


def _list_of(item: Parse) -> Parse:
    def parse(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise BadValue("a list")
        return [item(v) for v in value]
    return parse


def _mapping_of(keys: tuple[str, ...], item: Parse) -> Parse:
    def parse(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not value:
            raise BadValue("a mapping of act id to value")
        for k in value:
            if k not in keys:
                raise BadValue(f"act ids among {', '.join(keys)} (not {k!r})")
        return {k: item(v) for k, v in value.items()}
    return parse


def _catalog_ids(value: Any) -> list[str]:
    ids = _list_of(_text)(value)
    known = load_catalog().items
    for i in ids:
        if i not in known:
            raise BadValue(f"factor item ids from `fdiscreen factors` (not {i!r})")
    return ids


def _true(value: Any) -> bool:
    if value is not True:
        raise BadValue("true (leave the key out otherwise)")
    return True


def equal(key: str, expected: Any, got: Any) -> list[Mismatch]:
    return [] if expected == got else [Mismatch(key, expected, got)]


def same_set(key: str, expected: Any, got: Any) -> list[Mismatch]:
    return [] if sorted(expected) == sorted(got) else [Mismatch(key, sorted(expected), sorted(got))]


def includes(key: str, expected: Any, got: Any) -> list[Mismatch]:
    missing = [x for x in expected if x not in got]
    return [Mismatch(key, f"includes {missing}", list(got))] if missing else []


def per_key(key: str, expected: Any, got: Any) -> list[Mismatch]:
    return [Mismatch(f"{key}.{k}", v, got.get(k, "absent")) for k, v in expected.items() if got.get(k, _ABSENT[key]) != v]


def contains(key: str, expected: Any, got: Any) -> list[Mismatch]:
    return [] if any(expected in text for text in got) else [Mismatch(key, f"some reason containing {expected!r}", "none does")]


def is_empty(key: str, expected: Any, got: Any) -> list[Mismatch]:
    return [] if not got else [Mismatch(key, "no fact needed", list(got))]


_ABSENT = {"acts": "no", "notification": "none"}  # an act the deal does not raise is not covered


def _acts(d: Determination) -> list[Conclusion]:
    return list(d.acts)


def _all(d: Determination) -> list[Conclusion]:
    return d.conclusions()


def _outcome_sources(d: Determination) -> list[Conclusion]:
    return [d.foreign_investor, d.prior_notification_required, d.exemption, d.must_file, d.post_investment_report]


def _one(name: str) -> Sources:
    return lambda d: [getattr(d, name)]


def _all_citation_items(s: Screening) -> list[str]:
    items = [c.item for con in s.filing.conclusions() for c in con.citations]
    return items + [cond.citation.item for cond in s.filing.exemption.conditions]


def _all_reasons(s: Screening) -> list[str]:
    return [t.en for con in s.filing.conclusions() for t in (*con.reasons, con.summary)]


EXPECT: dict[str, Check] = {
    "foreign_investor": Check(_status, lambda s: s.filing.foreign_investor.status, equal, _one("foreign_investor")),
    "foreign_investor_category": Check(_integer(True, 1, 5), lambda s: s.filing.foreign_investor.category, equal, _one("foreign_investor")),
    "deemed_foreign_investor": Check(_boolean, lambda s: s.filing.foreign_investor.deemed, equal, _one("foreign_investor")),
    "investor_class": Check(_one_of(INVESTOR_CLASSES), lambda s: s.filing.investor_class.investor_class, equal, _one("investor_class")),
    "investor_class_status": Check(_status, lambda s: s.filing.investor_class.status, equal, _one("investor_class")),
    "target_class": Check(_one_of(TARGET_CLASSES, True), lambda s: s.filing.target_class.fefta_class, equal, _one("target_class")),
    "acts": Check(_mapping_of(tuple(ACT_LABELS), _status), lambda s: {a.act: a.status for a in s.filing.acts}, per_key, _acts),
    "acts_covered": Check(_list_of(_one_of(tuple(ACT_LABELS))), lambda s: [a.act for a in s.filing.acts if a.status == "yes"], same_set, _acts),
    "notification": Check(_mapping_of(tuple(ACT_LABELS), _one_of(NOTIFICATIONS, True)),
                          lambda s: {a.act: a.notification for a in s.filing.acts}, per_key, _acts),
    "prior_notification": Check(_status, lambda s: s.filing.prior_notification_required.status, equal, _one("prior_notification_required")),
    "exemption": Check(_status, lambda s: s.filing.exemption.eligible, equal, _one("exemption")),
    "exemption_kind": Check(_one_of(EXEMPTION_KINDS, True), lambda s: s.filing.exemption.kind, equal, _one("exemption")),
    "exemption_conditions": Check(_list_of(_one_of(tuple(CONDITION_TESTS))), lambda s: [c.id for c in s.filing.exemption.conditions], same_set, _one("exemption")),
    "must_file": Check(_status, lambda s: s.filing.must_file.status, equal, _one("must_file")),
    "outcome": Check(_one_of(OUTCOMES), lambda s: s.filing.outcome.code, equal, _outcome_sources),
    "reports": Check(_list_of(_one_of(REPORT_KINDS)), lambda s: [r.kind for r in s.filing.post_investment_report.reports], equal,
                     _one("post_investment_report")),
    "report_deadline_days": Check(_list_of(_integer(True)), lambda s: [r.deadline_days for r in s.filing.post_investment_report.reports],
                                  equal, _one("post_investment_report")),
    "report_due_dates": Check(_list_of(_or_null(_day)), lambda s: [r.due_date for r in s.filing.post_investment_report.reports], equal,
                              _one("post_investment_report")),
    "waiting_days": Check(_integer(True), lambda s: s.filing.waiting_period_days.days, equal, _one("waiting_period_days")),
    "indirect_acquisition": Check(_status, lambda s: s.filing.indirect_acquisition.status, equal, _one("indirect_acquisition")),
    "amendment_in_force": Check(_boolean, lambda s: s.filing.amendment_2026.in_force, equal, _one("amendment_2026")),
    "facts_needed": Check(_list_of(_text), lambda s: [f.path for f in s.filing.open_facts()], includes, _all),
    "no_facts_needed": Check(_true, lambda s: [f.path for f in s.filing.open_facts()], is_empty, _all),
    "assumptions": Check(_catalog_ids, lambda s: [a.id for a in s.regime.assumptions], includes, _all),
    "cites": Check(_catalog_ids, _all_citation_items, includes, _all),
    "reason_contains": Check(_text, _all_reasons, contains, _all),
    "law_as_of": Check(_day, lambda s: s.regime.as_of, equal, lambda d: []),
}


# -- result paths (filing.x.y, as in `fdiscreen screen --json`) ------------------------------------------

_STEP = r"[^.\[\]\s]+(?:\[(?:\d+|\*)\])*"
_PATH = re.compile(rf"{_STEP}(?:\.{_STEP})*")
_TOKEN = re.compile(r"([^.\[\]\s]+)|\[(\d+|\*)\]")


def split_path(path: str) -> list[str | int]:
    """``entities[1].owners[0].voting_pct`` -> ['entities', 1, 'owners', 0, 'voting_pct'] ('*' kept)."""
    if not _PATH.fullmatch(path):
        raise BadValue("a dotted path such as transaction.shares_after_pct or entities[0].kind")
    return [name if name else (index if index == "*" else int(index)) for name, index in _TOKEN.findall(path)]


def result_value(data: Any, parts: list[str | int]) -> Any:
    """Follow a path through the JSON result; ``[*]`` maps over a list; a missing step is 'absent'."""
    if not parts:
        return data
    head, rest = parts[0], parts[1:]
    if head == "*":
        return [result_value(x, rest) for x in data] if isinstance(data, list) else "absent"
    if isinstance(head, int):
        return result_value(data[head], rest) if isinstance(data, list) and head < len(data) else "absent"
    return result_value(data[head], rest) if isinstance(data, dict) and head in data else "absent"


def _plain(value: Any) -> Any:
    """A sheet value in the JSON result's terms: dates as ISO text, lists element by element."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _result_path_check(key: str) -> Check:
    parts = split_path(key)

    def compare(k: str, expected: Any, got: Any) -> list[Mismatch]:
        if isinstance(expected, bool) and got in ("yes", "no"):
            expected = "yes" if expected else "no"
        return equal(k, _plain(expected), got)

    def sources(d: Determination) -> list[Conclusion]:
        node = getattr(d, str(parts[1]), None) if len(parts) > 1 else None
        if isinstance(node, Conclusion):
            return [node]
        return [a for a in d.acts] if parts[1:2] == ["acts"] else []

    return Check(lambda v: v, lambda s: result_value(s.model_dump(mode="json"), parts), compare, sources)


def check_for(key: str) -> Check | None:
    """The check for an expectation key: a flat key from EXPECT, or a result path (filing.…, regime.…)."""
    if key in EXPECT:
        return EXPECT[key]
    if key.startswith(("filing.", "regime.")):
        return _result_path_check(key)
    return None


# -- reading a sheet ---------------------------------------------------------------------------------------

def _fail(sheet: str, where: str, message: str, expected: str | None = None) -> FdiscreenError:
    return FdiscreenError(message, file=sheet, path=where, expected=expected)


def read_sheet(path: Path) -> Any:
    """The parsed YAML of a sheet file, or a one-line error."""
    name = str(path)
    data = read_input(path, "a test sheet (.yaml)")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise FdiscreenError("not UTF-8 text", file=name, expected="a UTF-8 YAML file") from None
    try:
        return yaml.load(text, Loader=YamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise FdiscreenError(f"not valid YAML: {problem}{where}", file=name,
                             expected="block style for keys with brackets, e.g. `entities[0].kind: x` on its own line") from None


def _sheet_parts(sheet: str, data: Any) -> tuple[dict[str, Any], list[Any]]:
    if isinstance(data, list):
        return {}, data
    if isinstance(data, dict):
        for key in data:
            if key not in SHEET_KEYS:
                raise _fail(sheet, str(key), "unknown key at the top of the sheet", "bases and rows")
        bases, rows = data.get("bases") or {}, data.get("rows")
        if not isinstance(bases, dict):
            raise _fail(sheet, "bases", "bases must be a mapping", "NAME: deal (a deal mapping or a deal file path)")
        if isinstance(rows, list):
            return bases, rows
    raise _fail(sheet, "(top level)", "a sheet is a list of rows", "a YAML list of rows, or a mapping with bases and rows")


def _row_label(index: int, raw: dict[str, Any]) -> str:
    name = raw.get("name")
    return f"rows[{index}]" + (f" ({name})" if isinstance(name, str) else "")


def _deal_data(sheet: Path, label: str, raw: dict[str, Any], bases: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The deal mapping a row names (deal file, inline facts or base), before its changes."""
    given = [k for k in DEAL_SOURCES if k in raw]
    if len(given) != 1:
        raise _fail(str(sheet), label, f"a row needs exactly one deal source, found {len(given)}" + (f" ({', '.join(given)})" if given else ""),
                    "one of deal (a file), facts (an inline deal) or base (a name under bases)")
    key = given[0]
    value = raw[key]
    if key == "base":
        if value not in bases:
            raise _fail(str(sheet), f"{label}.base", f"unknown base {value!r}", f"one of {sorted(bases)}" if bases else "a name under bases:")
        value = bases[value]
        key = "deal" if isinstance(value, str) else "facts"
    if key == "deal":
        if not isinstance(value, str):
            raise _fail(str(sheet), f"{label}.deal", "deal must be a file path", "a path relative to the sheet")
        file = (sheet.parent / value).resolve()
        try:
            return read_mapping(file), str(file)
        except FdiscreenError as exc:
            raise _fail(str(sheet), f"{label}.deal", exc.one_line()) from None
    if not isinstance(value, dict):
        raise _fail(str(sheet), f"{label}.{given[0]}", "an inline deal must be a mapping", "matter, acquirer, entities, target, transaction")
    return copy.deepcopy(value), None


def patch(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in a deal mapping to ``value``, creating missing keys (and appending at list end)."""
    parts = split_path(path)
    node: Any = data
    for here, nxt in zip(parts, parts[1:] + [None]):
        if here == "*":
            raise BadValue("a path without [*]")
        last = nxt is None
        if isinstance(here, int):
            if not isinstance(node, list) or here > len(node):
                raise BadValue(f"an index into a list of {len(node) if isinstance(node, list) else 0} (at [{here}])")
            if here == len(node):
                node.append({} if not last else None)
        elif not isinstance(node, dict):
            raise BadValue(f"a path through mappings (at {here!r})")
        if last:
            node[here] = copy.deepcopy(value)
            return
        child = node[here] if (isinstance(node, list) or here in node) else None
        if child is None:
            child = [] if isinstance(nxt, int) else {}
            node[here] = child
        node = child


def _apply_changes(sheet: str, label: str, data: dict[str, Any], change: Any) -> dict[str, Any]:
    if change is None:
        return data
    if not isinstance(change, dict):
        raise _fail(sheet, f"{label}.change", "change must be a mapping", "PATH: VALUE, e.g. transaction.shares_after_pct: 10")
    for path, value in change.items():
        try:
            patch(data, str(path), value)
        except BadValue as exc:
            raise _fail(sheet, f"{label}.change.{path}", "cannot apply this change", str(exc)) from None
    return data


def _date_key(sheet: str, label: str, raw: dict[str, Any], key: str) -> dt.date | None:
    if raw.get(key) is None:
        return None
    try:
        return _day(raw[key])
    except BadValue as exc:
        raise _fail(sheet, f"{label}.{key}", f"bad date {raw[key]!r}", str(exc)) from None


def _overrides(sheet: str, label: str, given: Any, catalog: Catalog) -> dict[str, Any]:
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise _fail(sheet, f"{label}.set", "set must be a mapping", "FACTOR_ID: VALUE")
    out = {}
    for key, value in given.items():
        text = value.isoformat() if isinstance(value, dt.date) else ("true" if value is True else "false" if value is False else str(value))
        try:
            k, v = parse_override(f"{key}={text}", catalog)
        except FdiscreenError as exc:
            raise _fail(sheet, f"{label}.set.{key}", exc.message, exc.expected) from None
        out[k] = v
    return out


def _expectations(sheet: str, label: str, given: Any) -> dict[str, Any]:
    if not isinstance(given, dict) or not given:
        raise _fail(sheet, f"{label}.expect", "expect must be a non-empty mapping", "the conclusions to check, e.g. outcome: no_filing")
    out: dict[str, Any] = {}
    for key, value in given.items():
        key = str(key)
        try:
            check = check_for(key)
        except BadValue as exc:
            raise _fail(sheet, f"{label}.expect.{key}", "bad result path", str(exc)) from None
        if check is None:
            raise _fail(sheet, f"{label}.expect.{key}", "unknown expectation key",
                        "one of " + ", ".join(EXPECT) + ", or a result path filing.…")
        try:
            out[key] = check.parse(value)
        except BadValue as exc:
            raise _fail(sheet, f"{label}.expect.{key}", f"bad value {value!r}", str(exc)) from None
    return out


def _row(sheet: Path, index: int, raw: Any, bases: dict[str, Any], catalog: Catalog) -> Row:
    name = str(sheet)
    if not isinstance(raw, dict):
        raise _fail(name, f"rows[{index}]", "a row must be a mapping", "name, citation, a deal, as_of and expect")
    label = _row_label(index, raw)
    for key in raw:
        if key not in ROW_KEYS:
            raise _fail(name, f"{label}.{key}", "unknown key in a row", "one of " + ", ".join(ROW_KEYS))
    for key in ("name", "citation"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(name, f"{label}.{key}", f"{key} is required", "text" if key == "name" else "the provision the row tests, primary text first")
    data, deal_file = _deal_data(sheet, label, raw, bases)
    data = _apply_changes(name, label, data, raw.get("change"))
    try:
        deal = parse_deal(data, file=deal_file, catalog=catalog)
    except FdiscreenError as exc:
        where = f"{label}.deal" + (f" ({Path(exc.file).name})" if exc.file else "") + (f": {exc.path}" if exc.path else "")
        raise _fail(name, where, exc.message, exc.expected) from None
    as_of = _date_key(name, label, raw, "as_of") or deal.as_of
    if as_of is None:
        raise _fail(name, f"{label}.as_of", "as_of is required (the deal gives no as_of)", "the date of the law, YYYY-MM-DD")
    mof = None
    if raw.get("mof_list") is not None:
        try:
            mof = load_mof_list(sheet.parent / str(raw["mof_list"]))
        except FdiscreenError as exc:
            raise _fail(name, f"{label}.mof_list", exc.one_line()) from None
    return Row(sheet=name, index=index, name=raw["name"].strip(), citation=raw["citation"].strip(), deal=deal, deal_file=deal_file,
               as_of=as_of, amendment_effective=_date_key(name, label, raw, "assume_amendment_effective"),
               overrides=_overrides(name, label, raw.get("set"), catalog), mof=mof,
               expect=_expectations(name, label, raw.get("expect")))


def load_sheet(path: str | Path) -> list[Row]:
    """Read and validate a whole sheet (every row's deal included); a broken sheet raises
    FdiscreenError naming the file, the row and the key."""
    sheet = Path(path)
    bases, rows = _sheet_parts(str(sheet), read_sheet(sheet))
    catalog = load_catalog()
    out: list[Row] = []
    seen: set[str] = set()
    for i, raw in enumerate(rows):
        row = _row(sheet, i, raw, bases, catalog)
        if row.name in seen:
            raise _fail(str(sheet), f"{_row_label(i, raw)}.name", "two rows share this name", "a name unique in the sheet")
        seen.add(row.name)
        out.append(row)
    return out


# -- running ----------------------------------------------------------------------------------------------

def screen_row(row: Row) -> Screening:
    """The row's deal screened the normal way, on the row's date and assumptions."""
    return screen(row.deal, as_of=row.as_of, overrides=row.overrides, amendment_effective=row.amendment_effective, mof=row.mof)


def _citations_used(s: Screening, keys: Iterable[str]) -> list[str]:
    out: list[str] = []
    for key in keys:
        check = check_for(key)
        for con in check.sources(s.filing) if check else []:
            for c in con.citations:
                line = c.short()
                if line not in out:
                    out.append(line)
    return out


def run_row(row: Row) -> RowResult:
    """Screen the row's deal and compare what it expects with what the engine concluded."""
    try:
        s = screen_row(row)
    except FdiscreenError as exc:
        raise _fail(row.sheet, f"rows[{row.index}] ({row.name})", exc.one_line()) from None
    mismatches: list[Mismatch] = []
    failed: list[str] = []
    for key, expected in row.expect.items():
        check = check_for(key)
        assert check is not None  # validated when the sheet was read
        found = check.compare(key, expected, check.get(s))
        mismatches += found
        failed += [key] if found else []
    return RowResult(row=row, mismatches=mismatches, citations=_citations_used(s, row.expect),
                     failed_citations=_citations_used(s, failed))


def run_sheet(path: str | Path) -> list[RowResult]:
    return [run_row(r) for r in load_sheet(path)]


# -- printing -----------------------------------------------------------------------------------------------

def show(value: Any) -> str:
    """A value as a sheet would write it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def format_failure(result: RowResult) -> str:
    """The diff of a failing row: where it is, what it tests, each field expected and got, the citations used."""
    row = result.row
    width = max((len(m.field) for m in result.mismatches), default=0)
    lines = [f"{row.where}: {row.name}", f"  tests: {row.citation}"]
    lines += [f"  {m.field.ljust(width)}  expected {show(m.expected)}, got {show(m.got)}" for m in result.mismatches]
    if result.failed_citations:
        lines.append("  citations the engine used for these conclusions:")
        lines += [f"    - {c}" for c in result.failed_citations]
    return "\n".join(lines)


def summary_line(results: list[RowResult]) -> str:
    failed = sum(1 for r in results if not r.passed)
    return f"{len(results) - failed} passed, {failed} failed"
