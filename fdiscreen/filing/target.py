"""The target's FEFTA class: non-designated, designated or core, over its own and its subsidiaries'
businesses (指定業種・コア業種), and whether it is a specified core business entity (特定コア事業者).

Written once over columns (one deal is a table of one): every business line of every deal is a row of
:class:`BusinessLines` and the catalog items its activity code names a second long table; the catalog
gives each item's class and specified-acquisition listings on the table's date (:class:`ItemClasses`);
each line gets a class and a conclusion code (``LINE_*``), each deal the most sensitive class, its
completeness and a code (``TARGET_*``). Sentences, citations and facts needed are rendered from the codes
for the one row shown (:func:`render_target_class`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import Field

from fdiscreen.columns import NO, UNKNOWN, YES, DealTable, KeyedByDeal, tri, tri_value
from fdiscreen.filing.conclusion import WHO_ACQUIRER, WHO_TARGET, Conclusion, Reasoning
from fdiscreen.i18n import T, Text
from fdiscreen.locale import format_date
from fdiscreen.lookthrough import Usage, record_use
from fdiscreen.mof_list import MofList, MofListRecord
from fdiscreen.model import Business, Deal, FeftaClass, Target
from fdiscreen.regime import Catalog, CitationSpec, FactorItem, Regime

#: class codes in order of sensitivity (the code is the rank); -1 in a class column: unknown
CLASSES: tuple[FeftaClass, ...] = ("non_designated", "designated", "core")
RANK: dict[FeftaClass, int] = {c: i for i, c in enumerate(CLASSES)}
CLASS_TEXT = {
    "non_designated": T("non-designated (post-investment report only)", "指定業種以外（事後報告業種）"),
    "designated": T("designated, not core", "指定業種（コア業種以外）"),
    "core": T("core", "コア業種"),
}


class TargetClassConclusion(Conclusion):
    fefta_class: FeftaClass | None = None
    conservative_class: FeftaClass = "core"
    specified_acquisition_listed: bool | None = None
    """特定取得に係る指定業種: some own or subsidiary business is on the specified-acquisition designated
    list (a specified acquisition then needs prior notification); None when a business's listing is unknown."""
    specified_acquisition_core: bool | None = None
    """特定取得に係るコア業種: some own or subsidiary business is on the specified-acquisition core list
    (no exemption for the specified acquisition); None when a business's listing is unknown."""
    businesses: list[dict[str, str | None]] = Field(default_factory=list)
    mof_list: MofListRecord | None = None
    """The MOF classification list consulted (file, sheet, the date it is as of), when one was supplied and
    the target has a securities code."""


# -- the class over columns: every business line of every deal as a row ------------------------------

CORE = RANK["core"]
#: an item's class code before the notices list it (the item then reads as non-designated)
NOT_LISTED = -1

# Conclusion codes of one business line: which branch decided its class.
LINE_GIVEN = 0        #: the class is given in the deal file
LINE_NO_ACTIVITY = 1  #: neither a class nor an activity code: unknown (asked)
LINE_ONE_CLASS = 2    #: the activity's catalog items share one class on the date
LINE_SPANS = 3        #: the activity (a broad JSIC code) spans items of different classes: unknown (asked)
LINE_UNRESOLVED = 4   #: the activity names no catalog item: unknown

# Conclusion codes of the target (one per deal row).
TARGET_CORE = 0       #: a line (or the MOF list) is core: core, whatever else is unknown
TARGET_COMPLETE = 1   #: every line known and the subsidiaries complete (or the MOF list consulted)
TARGET_OPEN = 2       #: not core from what is known, and a line's class or the subsidiaries are open


@dataclass(frozen=True, eq=False)
class BusinessLines(KeyedByDeal):
    """Every business line of the targets of a table as one row (a long table keyed by deal row), in the
    order the files list them (the target's own lines, then each subsidiary's), and the catalog items each
    line's activity code names as a second long table (``item_line``, ``item_key`` into ``items``)."""

    n: int
    deal: np.ndarray            # int64: the deal row of each line (lines are stored deal by deal)
    path: list[str]             # the line's input path (target.businesses[i], target.subsidiaries[s].businesses[i])
    owner: list[str]            # the target's or the subsidiary's name
    name: list[str]
    given: np.ndarray           # int8: the class given in the file (-1: none)
    has_activity: np.ndarray    # bool: an activity code is given
    activity: list[str | None]
    item_line: np.ndarray       # int64: the line of each (line, item) row
    item_key: np.ndarray        # int64: the item of each (line, item) row, an index into ``items``
    items: list[str]            # the catalog item ids the table's lines name


def _target_lines(t: Target) -> list[tuple[str, str, Business]]:
    lines = [(f"target.businesses[{i}]", t.name, b) for i, b in enumerate(t.businesses)]
    for s, sub in enumerate(t.subsidiaries):
        lines += [(f"target.subsidiaries[{s}].businesses[{i}]", sub.name, b) for i, b in enumerate(sub.businesses)]
    return lines


def business_lines(targets: Sequence[Target], catalog: Catalog) -> BusinessLines:
    """The business lines of ``targets`` (one per deal row) as one long table, each activity code resolved
    once to its catalog items (an id, an old id or a JSIC code)."""
    resolved: dict[str, list[str]] = {}
    keys: dict[str, int] = {}
    deal: list[int] = []
    path: list[str] = []
    owner: list[str] = []
    name: list[str] = []
    given: list[int] = []
    activity: list[str | None] = []
    item_line: list[int] = []
    item_key: list[int] = []
    for d, t in enumerate(targets):
        for p, o, b in _target_lines(t):
            line = len(path)
            deal.append(d)
            path.append(p)
            owner.append(o)
            name.append(b.name)
            activity.append(b.activity)
            given.append(-1 if b.fefta_class is None else RANK[b.fefta_class])
            if b.activity is None:
                continue
            if b.activity not in resolved:
                resolved[b.activity] = catalog.resolve_activity(b.activity)
            for item in resolved[b.activity]:
                item_line.append(line)
                item_key.append(keys.setdefault(item, len(keys)))
    return BusinessLines(n=len(path), deal=np.array(deal, dtype=np.int64), path=path, owner=owner, name=name,
                         given=np.array(given, dtype=np.int8), has_activity=np.array([a is not None for a in activity], dtype=bool),
                         activity=activity, item_line=np.array(item_line, dtype=np.int64),
                         item_key=np.array(item_key, dtype=np.int64), items=list(keys))


@dataclass(frozen=True, eq=False)
class ItemClasses:
    """Per catalog item of a table: its class under the designated and core notices (指定業種・コア業種) on
    the regime's date (``NOT_LISTED`` before listing), and whether it is on the specified-acquisition
    designated list (特定取得に係る指定業種) and core list (特定取得に係るコア業種) on that date."""

    cls: np.ndarray             # int8
    specified_listed: np.ndarray  # bool
    specified_core: np.ndarray  # bool
    bits: np.ndarray            # int64: the three as bits (see ``_item_bits``)


def item_classes(items: Sequence[str], regime: Regime) -> ItemClasses:
    """The catalog's answers for ``items`` on the regime's date, read without counting them as used (the
    rows that needed an item are recorded by :func:`target_class_columns`)."""
    scratch = regime.fork()  # the specified-acquisition flags have no peek: read them on a scratch copy
    cls = [NOT_LISTED if c is None else RANK[c] for c in map(regime.peek, items)]
    listed = [scratch.specified_acquisition_listed(i) for i in items]
    core = [scratch.specified_acquisition_core(i) for i in items]
    return ItemClasses(cls=np.array(cls, dtype=np.int8), specified_listed=np.array(listed, dtype=bool),
                       specified_core=np.array(core, dtype=bool),
                       bits=np.array([_item_bits(*f) for f in zip(cls, listed, core)], dtype=np.int64))


@dataclass(frozen=True, eq=False)
class LineClasses:
    """Per business line: the conclusion code (``LINE_*``), the class (-1 unknown), the two
    specified-acquisition flags (tri), and whether its items share one class (``one_class``: its activity
    then stands for its first item downstream)."""

    code: np.ndarray
    cls: np.ndarray
    specified_listed: np.ndarray
    specified_core: np.ndarray
    one_class: np.ndarray


# Facts of a line or a deal as bits, so that "some item has it" and "some line has it" are one OR:
# bit k (0-2): class k; bit 3: class unknown; then for each specified-acquisition list a tri as three
# bits (yes, no, unknown): the designated list from bit 4, the core list from bit 7.
_UNKNOWN_CLASS_BIT = 1 << len(CLASSES)
_LISTED_SHIFT, _CORE_SHIFT = 4, 7
_TRI_BITS = np.array([4, 2, 1], dtype=np.int64)  # tri + 1 (unknown, no, yes) -> its bit (yes 1, no 2, unknown 4)
#: the classes some items have (bits 0-2) -> the line's class where it is one, else unknown
_CLASS_OF_CLASSES = np.array([UNKNOWN, 0, 1, UNKNOWN, 2, UNKNOWN, UNKNOWN, UNKNOWN], dtype=np.int8)
#: ... -> the line's code when its items decide it (no item: unresolved; several classes: spans)
_CODE_OF_CLASSES = np.array([LINE_UNRESOLVED, LINE_ONE_CLASS, LINE_ONE_CLASS, LINE_SPANS, LINE_ONE_CLASS, LINE_SPANS,
                             LINE_SPANS, LINE_SPANS], dtype=np.int8)
#: the known classes of a deal's lines (bits 0-2) -> the most sensitive one (-1: none)
_BEST_OF_CLASSES = np.array([UNKNOWN, 0, 1, 1, 2, 2, 2, 2], dtype=np.int8)
#: the values a flag takes over some items (bit 0 yes, bit 1 no; no unknown among items) -> all agree, else unknown
_ALL_ITEMS = np.array([UNKNOWN, YES, NO, UNKNOWN], dtype=np.int8)
#: the values a tri takes over a deal's lines (yes, no, unknown bits) -> three-valued "any" (no line: unknown)
_ANY_LINE = np.array([UNKNOWN, YES, NO, YES, UNKNOWN, YES, UNKNOWN, YES], dtype=np.int8)
#: a class given directly (index: class + 1, unknown first) -> on the specified-acquisition designated list
#: (core lines only) and on its core list (open for a core line, no for the others)
_LISTED_OF_CLASS = np.array([UNKNOWN, NO, NO, YES], dtype=np.int8)
_CORE_OF_CLASS = np.array([UNKNOWN, NO, NO, UNKNOWN], dtype=np.int8)


def _or_per(group: np.ndarray, bits: np.ndarray, n: int) -> np.ndarray:
    """Per group (0 .. n-1), the OR of the bits of its rows."""
    out = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(out, group, bits)
    return out


def _item_bits(cls: int, listed: bool, core: bool) -> int:
    """One item's class bit (before listing: non-designated) and its two list flags (yes or no bit)."""
    yes_no = (int(_TRI_BITS[NO + 1]), int(_TRI_BITS[YES + 1]))
    return 1 << max(cls, 0) | yes_no[listed] << _LISTED_SHIFT | yes_no[core] << _CORE_SHIFT


def line_classes(lines: BusinessLines, items: ItemClasses) -> LineClasses:
    """The class of each business line on the table's date: given directly, else by its activity's catalog
    items (one class among them, else unknown); the specified-acquisition lists by the items (all agree,
    else unknown), or, with the class given, a core line is on the designated list (and its core listing
    is open), another on neither."""
    seen = _or_per(lines.item_line, items.bits[lines.item_key], lines.n)
    classes = seen & (_UNKNOWN_CLASS_BIT - 1)
    given = lines.given >= 0
    cls = np.where(given, lines.given, _CLASS_OF_CLASSES[classes]).astype(np.int8)
    code = np.where(given, LINE_GIVEN, np.where(lines.has_activity, _CODE_OF_CLASSES[classes], LINE_NO_ACTIVITY)).astype(np.int8)
    from_items = lines.has_activity & ~given
    listed = np.where(from_items, _ALL_ITEMS[(seen >> _LISTED_SHIFT) & 3], _LISTED_OF_CLASS[cls + 1]).astype(np.int8)
    core = np.where(from_items, _ALL_ITEMS[(seen >> _CORE_SHIFT) & 3], _CORE_OF_CLASS[cls + 1]).astype(np.int8)
    return LineClasses(code=code, cls=cls, specified_listed=listed, specified_core=core, one_class=_CLASS_OF_CLASSES[classes] >= 0)


@dataclass(frozen=True, eq=False)
class TargetFacts:
    """The facts of each deal's target the class reads besides its business lines."""

    n: int
    subsidiaries_complete: np.ndarray  # tri
    own_businesses: np.ndarray  # bool: the target lists a business of its own
    list_consulted: np.ndarray  # bool: a MOF list was supplied and the target has a securities code
    listed_class: np.ndarray    # int8: the class the MOF list gives the code (-1: not consulted or not listed)


def target_facts(targets: Sequence[Target], mof: MofList | None) -> TargetFacts:
    consulted = [mof is not None and bool(t.securities_code) for t in targets]
    listed = [mof.lookup(t.securities_code) if c and mof is not None and t.securities_code else None
              for t, c in zip(targets, consulted)]
    return TargetFacts(n=len(targets), subsidiaries_complete=tri([t.subsidiaries_complete for t in targets]),
                       own_businesses=np.array([bool(t.businesses) for t in targets], dtype=bool),
                       list_consulted=np.array(consulted, dtype=bool),
                       listed_class=np.array([-1 if c is None else RANK[c] for c in listed], dtype=np.int8))


@dataclass(frozen=True, eq=False)
class TargetClassColumns:
    """The target class of every deal of a table: per deal row the conclusion code (``TARGET_*``), the
    most sensitive known class (-1 none), the class concluded (-1: indeterminate) and the two
    specified-acquisition flags (tri), with the lines, items and facts that explain them, and per
    catalog item the deal rows that needed it (``usage``)."""

    lines: BusinessLines
    items: ItemClasses
    line: LineClasses
    facts: TargetFacts
    code: np.ndarray
    best: np.ndarray
    fefta_class: np.ndarray
    specified_listed: np.ndarray
    specified_core: np.ndarray
    usage: Usage


def deal_bits(lines: BusinessLines, line: LineClasses, n: int) -> np.ndarray:
    """Per deal, the OR over its lines of their class bit (or the unknown-class bit) and the bits of their
    two list flags (0: no line)."""
    cls_bit = np.where(line.cls >= 0, np.left_shift(1, np.maximum(line.cls, 0).astype(np.int64)), _UNKNOWN_CLASS_BIT)
    bits = cls_bit | _TRI_BITS[line.specified_listed + 1] << _LISTED_SHIFT | _TRI_BITS[line.specified_core + 1] << _CORE_SHIFT
    return _or_per(lines.deal, bits, n)


def most_sensitive_class(seen: np.ndarray, facts: TargetFacts) -> np.ndarray:
    """Per deal: the most sensitive class among its known lines and the MOF list's class (-1: none known)."""
    return np.maximum(_BEST_OF_CLASSES[seen & (_UNKNOWN_CLASS_BIT - 1)], facts.listed_class).astype(np.int8)


def class_complete(seen: np.ndarray, facts: TargetFacts) -> np.ndarray:
    """Per deal: something is known (a line or the MOF list), no line's class is unknown, and the
    subsidiaries are complete or the MOF list classed the target."""
    on_list = facts.listed_class >= 0
    return ((seen != 0) | on_list) & (seen & _UNKNOWN_CLASS_BIT == 0) & ((facts.subsidiaries_complete == YES) | on_list)


def _item_usage(lines: BusinessLines, n: int) -> Usage:
    """Per catalog item, the deal rows whose lines name it (each such row read its class and flags)."""
    order = np.argsort(lines.item_key, kind="stable")
    bounds = np.searchsorted(lines.item_key[order], np.arange(len(lines.items) + 1))
    item_deal = lines.deal[lines.item_line[order]]
    usage: Usage = {}
    for k, item in enumerate(lines.items):
        rows = np.zeros(n, dtype=bool)
        rows[item_deal[bounds[k]:bounds[k + 1]]] = True
        usage[item] = rows
    return usage


def target_class_columns(targets: Sequence[Target], regime: Regime, mof: MofList | None = None) -> TargetClassColumns:
    """The FEFTA class of each target (one per deal row) over its own and its subsidiaries' businesses,
    whatever their size: the most sensitive class wins; a line of unknown class, or subsidiaries not known
    to be complete (without the MOF list's class), leave it open unless the target is already core."""
    lines = business_lines(targets, regime.catalog)
    return classify(lines, target_facts(targets, mof), regime)


def classify(lines: BusinessLines, facts: TargetFacts, regime: Regime) -> TargetClassColumns:
    """The class columns from the business lines and target facts of a table (see :func:`target_class_columns`)."""
    items = item_classes(lines.items, regime)
    line = line_classes(lines, items)
    seen = deal_bits(lines, line, facts.n)
    best = most_sensitive_class(seen, facts)
    code = np.where(best == CORE, TARGET_CORE, np.where(class_complete(seen, facts), TARGET_COMPLETE, TARGET_OPEN)).astype(np.int8)
    return TargetClassColumns(lines=lines, items=items, line=line, facts=facts, code=code, best=best,
                              fefta_class=np.where(code == TARGET_OPEN, -1, best).astype(np.int8),
                              specified_listed=_ANY_LINE[(seen >> _LISTED_SHIFT) & 7],
                              specified_core=_ANY_LINE[(seen >> _CORE_SHIFT) & 7],
                              usage=_item_usage(lines, facts.n))


def target_class_table(table: DealTable, mof: MofList | None = None) -> TargetClassColumns:
    """The target class columns of a table's deals (built once per table and MOF list)."""
    key = "target_class" if mof is None else f"target_class:{id(mof)}"
    return table.column(key, lambda t: target_class_columns([d.target for d in t.deals], t.regime, mof))


@dataclass(frozen=True)
class TargetRows:
    """One deal's row in a table's target class columns (a batch of one when classified alone)."""

    columns: TargetClassColumns
    deal_row: int


# -- rendering one row: the sentences, citations and facts of each code -------------------------------

def _class_of(code: int) -> FeftaClass | None:
    return CLASSES[code] if code >= 0 else None


@dataclass(frozen=True)
class ShownLine:
    """One business line of the row shown, as plain values: its code, class (-1 unknown), whether its
    items share one class, and its catalog items with their class codes on the date."""

    path: str
    owner: str
    name: str
    activity: str | None
    code: int
    cls: int
    one_class: bool
    items: list[tuple[str, int]]


def shown_lines(c: TargetClassColumns, row: int) -> list[ShownLine]:
    """Row ``row``'s business lines out of the columns (read once, for rendering)."""
    b = c.lines
    s = b.of_deal(row)
    lo, hi = np.searchsorted(b.item_line, [s.start, s.stop])
    item_cls = c.items.cls.tolist()
    items: dict[int, list[tuple[str, int]]] = {}
    for line, k in zip(b.item_line[lo:hi].tolist(), b.item_key[lo:hi].tolist()):
        items.setdefault(line, []).append((b.items[k], item_cls[k]))
    code, cls, one = (col[s].tolist() for col in (c.line.code, c.line.cls, c.line.one_class))
    return [ShownLine(b.path[i], b.owner[i], b.name[i], b.activity[i], code[j], cls[j], one[j], items.get(i, []))
            for j, i in enumerate(range(s.start, s.stop))]


def _render_given(line: ShownLine, r: Reasoning) -> None:
    cls = CLASSES[line.cls]
    r.say(f"{line.name}: class given in the deal file as {cls}.", f"{line.name}：取引ファイルで{CLASS_TEXT[cls].ja}と指定。")


def _render_no_activity(line: ShownLine, r: Reasoning) -> None:
    r.need(f"{line.path}.activity", T(f"Which FEFTA business class (or activity code) is '{line.name}'?",
                                      f"「{line.name}」の外為法上の業種区分（又は業種コード）は？"),
           T("treat as core", "コア業種として扱う"), WHO_TARGET)


def _render_spans(line: ShownLine, r: Reasoning) -> None:
    """The items a broad code spans, each with its class (before listing: non-designated), asked."""
    named = [(r.regime.item(i).label, CLASSES[max(k, 0)]) for i, k in line.items]
    names = "; ".join(f"{i} ({label.en}: {cls})" for (i, _), (label, cls) in zip(line.items, named))
    names_ja = "、".join(f"{label.ja}（{CLASS_TEXT[cls].ja}）" for label, cls in named)
    r.need(f"{line.path}.activity",
           T(f"JSIC code {line.activity} of '{line.name}' spans catalog items of different classes: which is it? {names}",
             f"「{line.name}」の産業分類番号{line.activity}は区分の異なる複数の項目にまたがる。いずれに当たるか：{names_ja}"),
           T("treat as the most sensitive of these items", "これらのうち最も厳しい区分として扱う"), WHO_TARGET)
    _render_items(line, r)


def _render_items(line: ShownLine, r: Reasoning) -> None:
    """Each catalog item of the line with its class on the date (or the date it was first listed)."""
    for item, code in line.items:
        r.cite(item)
        label = r.regime.item(item).label
        if code == NOT_LISTED:
            first = r.regime.timeline(item)[0][0]
            r.say(f"{line.name} ({label.en}) was not on the designated list on this date (listed from {first}).",
                  f"{line.name}（{label.ja}）は本基準日には指定業種ではない（{first}から指定）。")
            continue
        cls = CLASSES[code]
        r.say(f"{line.name} ({label.en}): {CLASS_TEXT[cls].en}.", f"{line.name}（{label.ja}）：{CLASS_TEXT[cls].ja}。")


_LINE_RENDER = {LINE_GIVEN: _render_given, LINE_NO_ACTIVITY: _render_no_activity, LINE_ONE_CLASS: _render_items,
                LINE_SPANS: _render_spans, LINE_UNRESOLVED: _render_items}


def _business_row(line: ShownLine) -> dict[str, str | None]:
    """The line as the conclusion lists it: the activity as its catalog item where its items share one class."""
    activity = line.items[0][0] if line.items and line.one_class else line.activity
    return {"entity": line.owner, "business": line.name, "activity": activity, "class": _class_of(line.cls)}


def _render_list_lookup(target: Target, mof: MofList, listed: FeftaClass | None, r: Reasoning) -> None:
    """The class MOF's list of listed companies gives the target's securities code (an aid: the investor
    remains responsible), with a warning when the list's date does not match the notices in force."""
    code, label = target.securities_code, _list_label(mof)
    if listed is None:
        r.say(f"Securities code {code} is not in the MOF list supplied ({label.en}).",
              f"証券コード{code}は提供された財務省リスト（{label.ja}）に掲載されていない。")
    else:
        r.say(f"The MOF list supplied ({label.en}) classes {code} as {CLASS_TEXT[listed].en}; the list is an aid and the investor remains responsible.",
              f"提供された財務省リスト（{label.ja}）は{code}を{CLASS_TEXT[listed].ja}としている（参考情報であり、判断責任は投資家にある）。")
    _check_list_date(mof, r)


def _render_open(target: Target, c: TargetClassColumns, row: int, r: Reasoning) -> Text:
    """TARGET_OPEN: the facts that leave the class open, and the class known so far."""
    on_list = c.facts.listed_class[row] >= 0
    if c.facts.subsidiaries_complete[row] != YES and not on_list:
        r.need("target.subsidiaries_complete",
               T("Are all subsidiaries' businesses listed? Does any subsidiary run a designated or core business?",
                 "子会社の事業は全て記載されているか。指定業種・コア業種を営む子会社はないか？"),
               T("treat the target as core", "コア業種として扱う"), WHO_TARGET)
    if not c.facts.own_businesses[row] and not on_list:
        r.say("The deal file lists no business for the target.", "発行会社の事業が記載されていない。")
        r.need("target.businesses", T("What businesses does the target itself run (activity id or JSIC code)?",
                                      "発行会社自身はどのような事業を営むか（業種ID又は日本標準産業分類番号）？"),
               T("treat the target as core", "コア業種として扱う"), WHO_TARGET)
    best = _class_of(int(c.best[row]))
    if best is None:
        return T("Target class indeterminate.", "業種区分は未確定。")
    return T(f"Target class indeterminate (at least {CLASS_TEXT[best].en} from what is known).",
             f"業種区分は未確定（判明分では{CLASS_TEXT[best].ja}以上）。")


def _render_classified(target: Target, c: TargetClassColumns, row: int, r: Reasoning) -> Text:
    """TARGET_CORE and TARGET_COMPLETE: the most sensitive class stands."""
    best = CLASSES[int(c.best[row])]
    return T(f"{target.name} is {CLASS_TEXT[best].en} (own and subsidiaries' businesses).",
             f"{target.name}は{CLASS_TEXT[best].ja}に該当する（子会社の事業を含む）。")


_TARGET_RENDER = {TARGET_CORE: _render_classified, TARGET_COMPLETE: _render_classified, TARGET_OPEN: _render_open}


def render_target_class(target: Target, c: TargetClassColumns, row: int, regime: Regime,
                        mof: MofList | None) -> TargetClassConclusion:
    """Row ``row``'s conclusion from its codes and evidence (``target`` is that row's target)."""
    lines = shown_lines(c, row)
    record_use(regime, {item: c.usage[item] for line in lines for item, _ in line.items}, slice(row, row + 1))
    r = Reasoning(regime)
    for line in lines:
        _LINE_RENDER[line.code](line, r)
    consulted = bool(c.facts.list_consulted[row])
    if consulted and mof is not None:
        _render_list_lookup(target, mof, _class_of(int(c.facts.listed_class[row])), r)
    code = int(c.code[row])
    summary = _TARGET_RENDER[code](target, c, row, r)
    return TargetClassConclusion(**r.conclude(
        "target_class", "indeterminate" if code == TARGET_OPEN else "yes", summary,
        fefta_class=_class_of(int(c.fefta_class[row])),
        specified_acquisition_listed=tri_value(int(c.specified_listed[row])) if lines else None,
        specified_acquisition_core=tri_value(int(c.specified_core[row])) if lines else None,
        businesses=[_business_row(line) for line in lines],
        mof_list=mof.record() if consulted and mof is not None else None))


def target_class(target: Target, regime: Regime, mof: MofList | None = None,
                 rows: TargetRows | None = None) -> TargetClassConclusion:
    """Classify the target over its own and its subsidiaries' businesses, whatever their size (the most
    sensitive class wins; see :func:`target_class_columns`): the columns of a table of one, or the deal's
    row of a batch's columns (``rows``), rendered as a conclusion."""
    at = rows or TargetRows(target_class_columns([target], regime, mof), 0)
    return render_target_class(target, at.columns, at.deal_row, regime, mof)


def _date_text(d: dt.date) -> Text:
    """A date as each reader writes it (1 December 2026 / 2026年12月1日)."""
    return T(format_date(d, "en"), format_date(d, "ja"))


def _list_label(mof: MofList) -> Text:
    """「list.xlsx、2026年10月15日現在」 / "list.xlsx, as of 15 October 2026" (or the date unknown)."""
    if mof.vintage is None:
        return T(f"{mof.source}, date unknown", f"{mof.source}、作成日不明")
    when = _date_text(mof.vintage)
    return T(f"{mof.source}, as of {when.en}", f"{mof.source}、{when.ja}現在")


@dataclass(frozen=True)
class NoticeRevision:
    """One amendment of the business-sector notices (業種告示・コア業種告示) as the catalog dates it: made
    (promulgated or in effect) on ``made``, changing classes from ``applies``; ``item`` is an activity whose
    class changed then (cited for it)."""

    made: dt.date
    applies: dt.date
    item: str


def _revision_citation(item: FactorItem, when: dt.date) -> CitationSpec | None:
    """The citation of the notice that gave ``item`` its class from ``when``, if the catalog names it."""
    for key, spec in (item.citations or {}).items():
        if key == when.isoformat():
            return spec
    c = item.citation
    return c if when in (c.applies_from, c.effective) else None


def notice_revisions(regime: Regime) -> list[NoticeRevision]:
    """Every date an activity's class changed under the notices, with the date the amending notice was made
    (its promulgation or effect, from the catalog's citations; the class date itself where none is given),
    in order of application."""
    found: dict[dt.date, NoticeRevision] = {}
    for item in regime.catalog.activities():
        for when, _ in regime.timeline(item.id):
            spec = _revision_citation(item, when)
            made = min([d for d in (spec.promulgated, spec.effective, spec.applies_from) if d is not None] + [when]) if spec else when
            prev = found.get(when)
            if prev is None or made < prev.made:
                found[when] = NoticeRevision(made=made, applies=when, item=item.id)
    return sorted(found.values(), key=lambda v: v.applies)


def _revision_text(v: NoticeRevision) -> Text:
    made, applies = _date_text(v.made), _date_text(v.applies)
    if v.made == v.applies:
        return T(f"the notice revision of {made.en}", f"{made.ja}の告示改正")
    return T(f"the notice revision of {made.en} (applying from {applies.en})", f"{made.ja}の告示改正（{applies.ja}適用）")


def _check_list_date(mof: MofList, r: Reasoning) -> None:
    """Warn when the list gives no date, predates the latest notice revision in force on the as-of date, or
    postdates one that applies only after it (each with the list's date as a fact to confirm)."""
    as_of = r.regime.as_of
    revisions = notice_revisions(r.regime)
    in_force = [v for v in revisions if v.applies <= as_of]
    latest = in_force[-1] if in_force else None
    if mof.vintage is None:
        _list_date_unknown(mof, latest, r)
        return
    if latest is not None and mof.vintage < latest.made:
        _list_predates_revision(mof.vintage, latest, r)
    later = next((v for v in revisions if v.applies > as_of and v.made <= mof.vintage), None)
    if later is not None:
        _list_reflects_later_revision(mof.vintage, later, r)


def _confirm_list_date(question: Text, r: Reasoning) -> None:
    r.need("mof_list.vintage", question,
           T("classify the target from its own and its subsidiaries' businesses (core where unknown)",
             "発行会社及び子会社の事業内容から区分を判断する（不明な場合はコア業種）"), WHO_ACQUIRER)


def _list_date_unknown(mof: MofList, latest: NoticeRevision | None, r: Reasoning) -> None:
    on = _date_text(r.regime.as_of)
    last = T(f"; they were last amended by {_revision_text(latest).en}", f"（直近の改正は{_revision_text(latest).ja}）") if latest else T("", "")
    r.say(f"The MOF list's date is unknown (neither its title rows nor its file name give it): confirm that it reflects the business-sector notices in force on {on.en}{last.en}.",
          f"財務省リストの作成日が不明である（表題行にもファイル名にも記載がない）。{on.ja}時点で効力を有する業種告示{last.ja}を反映したリストであることを確認すること。")
    _confirm_list_date(T(f"What date is the MOF list supplied ({mof.source}) as of, and does it reflect the notices in force on {on.en}?",
                         f"提供された財務省リスト（{mof.source}）は何年何月何日現在のものか。{on.ja}時点の告示を反映しているか？"), r)


def _list_predates_revision(vintage: dt.date, latest: NoticeRevision, r: Reasoning) -> None:
    on, listed, rev = _date_text(r.regime.as_of), _date_text(vintage), _revision_text(latest)
    r.cite(latest.item)
    r.say(f"Warning: the MOF list is as of {listed.en}, before {rev.en}, which is in force on {on.en}; its categories may not reflect that revision.",
          f"注意：財務省リストは{listed.ja}現在のもので、{on.ja}時点で効力を有する{rev.ja}より前に作成されている。区分が当該改正を反映していないおそれがある。")
    _confirm_list_date(T(f"The MOF list supplied is as of {listed.en}, before {rev.en}: what is the target's category on the list revised after it?",
                         f"提供された財務省リストは{listed.ja}現在で、{rev.ja}より前のものである。改正後に改訂されたリストでの発行会社の区分は？"), r)


def _list_reflects_later_revision(vintage: dt.date, later: NoticeRevision, r: Reasoning) -> None:
    on, listed, rev = _date_text(r.regime.as_of), _date_text(vintage), _revision_text(later)
    r.say(f"Warning: the MOF list is as of {listed.en}, after {rev.en}, which does not yet apply on {on.en}; its categories may reflect notices not yet in force.",
          f"注意：財務省リストは{listed.ja}現在のもので、{on.ja}時点では未適用の{rev.ja}を反映しているおそれがある。")
    _confirm_list_date(T(f"The MOF list supplied is as of {listed.en}, after {rev.en}: what was the target's category under the notices in force on {on.en}?",
                         f"提供された財務省リストは{listed.ja}現在で、{rev.ja}を反映しているおそれがある。{on.ja}時点の告示での発行会社の区分は？"), r)


def specified_core_business_entity(table: DealTable) -> np.ndarray:
    """特定コア事業者 (from 2025-05-19), per deal row (tri): a core-sector company that is also an ESPA
    Art. 50 specified social-infrastructure operator, or the parent of one, as the deal file gives it."""
    return table.column("target.specified_core_business_entity",
                        lambda t: t.tri(lambda d: d.target.specified_core_business_entity))


def is_specified_core_business_entity(deal: Deal, r: Reasoning, table: DealTable | None = None, row: int = 0) -> bool | None:
    """特定コア事業者 of one deal (row ``row`` of ``table``, else the deal as a table of one); unknown is
    None, with the fact asked."""
    val = tri_value(int(specified_core_business_entity(table or DealTable.one(deal, r.regime))[row]))
    if val is None:
        r.need("target.specified_core_business_entity",
               T("Is the target (or a subsidiary) a specified core business entity (an ESPA specified social-infrastructure operator in a core sector)?",
                 "発行会社（又は子会社）は特定コア事業者（経済安全保障推進法の特定社会基盤事業者であるコア業種事業者）か？"),
               T("treat as a specified core business entity", "特定コア事業者として扱う"), WHO_TARGET)
    return val

