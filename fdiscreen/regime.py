"""The law as dated data: load ``factors/`` and read every value as of a date.

Each factor item keeps ``values`` keyed by the date from which a value applies, or by the id of a
date-valued item (``amendment_2026_effective_date``) for law whose start waits on a cabinet order.
Code asks ``regime.value("listed_share_threshold_pct")`` and never hard-codes a legal number. Items
marked ``assumption: true`` are listed in every result that used them and can be overridden.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
from importlib import resources
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from fdiscreen import __version__
from fdiscreen.errors import FdiscreenError
from fdiscreen.outfiles import atomic_path
from fdiscreen.i18n import Lang, Text, pick
from fdiscreen.model import HORIZON

Confidence = Literal["confirmed", "single_source", "uncertain", "background"]
Comparison = Literal[">=", ">", "<", "<="]
FeftaClass = Literal["non_designated", "designated", "core"]


class CitationSpec(BaseModel):
    """Where an item comes from: article, order or notice, and the dates that matter."""

    model_config = ConfigDict(extra="forbid")

    ref: str
    ref_ja: str | None = None
    """The reference in Japanese (外為法第26条第2項第3号 ...), for Japanese memos and pages."""
    sources: list[str] = []
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    applies_from: dt.date | None = None


SourceKind = Literal["statute", "cabinet_order", "ministerial_order", "notice", "government_release", "guidance", "foreign_law",
                     "court_or_authority_decision", "secondary"]
PRIMARY_LAW: tuple[SourceKind, ...] = ("statute", "cabinet_order", "ministerial_order", "notice")
"""Kinds that are Japanese primary law (法令・告示): listed first in a bibliography and preferred in citations."""


class Source(BaseModel):
    """One entry of ``factors/sources.yaml``: a work a citation relies on, as a bibliography lists it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    title_ja: str | None = None
    """The title as published in Japanese, for Japanese memos (the English title stands in otherwise)."""
    publisher: str
    publisher_ja: str | None = None
    url: str | None
    date: dt.date | None
    """Publication or last-amendment date; None when not known (never guessed)."""
    kind: SourceKind

    @property
    def primary(self) -> bool:
        """Primary law: a statute, cabinet order (政令), ministerial order (命令・省令) or notice (告示)."""
        return self.kind in PRIMARY_LAW

    def title_in(self, lang: Lang) -> str:
        """The title in ``lang`` (the English one stands in where no Japanese one is given)."""
        return pick(lang, self.title, self.title_ja) or self.title

    def publisher_in(self, lang: Lang) -> str:
        """The publisher in ``lang`` (the English name stands in where no Japanese one is given)."""
        return pick(lang, self.publisher, self.publisher_ja) or self.publisher


class FactorItem(BaseModel):
    """One threshold, list, criterion or catalog entry with dated values and a citation."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: Text
    unit: str
    values: dict[str, Any]
    citation: CitationSpec
    citations: dict[str, CitationSpec] | None = None
    """Per-period citations: the citation of the value that applies from each date (the law then in
    force), where it differs from ``citation``; ``Regime.cite`` picks the one in force on ``as_of``."""
    confidence: Confidence
    comparison: Comparison | None = None
    assumption: bool = False
    note: str | None = None
    note_ja: str | None = None
    jsic: list[str] | None = None
    """JSIC codes (日本標準産業分類) at the grain the notice uses: division letter, 2-, 3- or 4-digit code."""
    specified_acquisition: dict[str, bool] | None = None
    """On the specified-acquisition designated list (特定取得に係る指定業種), by the date it applies from."""
    specified_acquisition_core: dict[str, bool] | None = None
    """On the specified-acquisition core list (特定取得に係るコア業種), by the date it applies from."""
    notice_item: Text | None = None
    """Where the item sits in the notices (e.g. 別表第一号イ / Appended Table item 1(a))."""
    keywords: list[str] = []
    aliases: list[str] = []
    """Old activity ids that resolve to this item."""
    file: str = ""

    def note_in(self, lang: Lang) -> str:
        """The note in ``lang`` (the English one stands in where no Japanese one is given)."""
        return pick(lang, self.note, self.note_ja) or ""


class Citation(BaseModel):
    """A citation as it appears in a result: the factor item, its reference and its sources."""

    model_config = ConfigDict(frozen=True)

    item: str
    ref: str
    ref_ja: str | None = None
    sources: tuple[str, ...] = ()
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    applies_from: dt.date | None = None
    confidence: Confidence = "confirmed"
    assumption: bool = False

    def ref_in(self, lang: Lang) -> str:
        """The reference in ``lang`` (the English one stands in where no Japanese one is given)."""
        return pick(lang, self.ref, self.ref_ja) or self.ref

    def short(self, lang: Lang = "en") -> str:
        """One line: reference, dates, source keys and an assumption mark, in English or Japanese
        (the English reference stands in where no Japanese one is given)."""
        labels = _SHORT_LABELS[lang]
        dates = [f"{labels[name]} {when}" for name, when in
                 (("promulgated", self.promulgated), ("effective", self.effective), ("applies_from", self.applies_from)) if when]
        ref = self.ref_in(lang)
        tail = labels["dates"].format(labels["sep"].join(dates)) if dates else ""
        src = f" [{', '.join(self.sources)}]" if self.sources else ""
        mark = labels["assumption"] if self.assumption else ""
        return f"{ref}{tail}{src}{mark}"


_SHORT_LABELS: dict[str, dict[str, str]] = {
    "en": {"promulgated": "promulgated", "effective": "effective", "applies_from": "applies from", "dates": " ({})", "sep": "; ",
           "assumption": " [assumption]"},
    "ja": {"promulgated": "公布", "effective": "施行", "applies_from": "適用", "dates": "（{}）", "sep": "、", "assumption": " ［仮定］"},
}


def add_citation(cites: list[Citation], c: Citation) -> None:
    """Append ``c`` unless an equal citation is listed (items compared first: a citation's pydantic
    equality is slow, and most pairs differ in their item)."""
    if not any(x is c or (x.item == c.item and x == c) for x in cites):
        cites.append(c)


class Assumption(BaseModel):
    """A value the law has not fixed (or a fact not pinned down) that a result relied on."""

    id: str
    label: Text
    value: Any
    overridden: bool
    note: str | None
    note_ja: str | None = None
    citation: Citation

    def note_in(self, lang: Lang) -> str:
        """The note in ``lang`` (the English one stands in where no Japanese one is given)."""
        return pick(lang, self.note, self.note_ja) or ""


@dataclass(frozen=True)
class Catalog:
    """Every factor item, the source keys and a version hash of the data."""

    items: dict[str, FactorItem]
    sources: dict[str, Source]
    countries: frozenset[str]
    home_country: str
    version: str
    root: Path
    date_refs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per item, the items whose dates its values are keyed on (e.g. the 2026 amendment's start)."""
    jsic: "JsicTable | None" = None
    """The JSIC divisions and moved codes (factors/jsic.yaml)."""

    def activities(self) -> list[FactorItem]:
        return [i for i in self.items.values() if i.unit == "class"]

    @cached_property
    def encoded_from(self) -> dt.date:
        """The first date any value is encoded for (the 1979 amendment of FEFTA in force on 1980-12-01):
        before it the regime is not encoded."""
        dates = [dt.date.fromisoformat(k) for item in self.items.values() for k in item.values
                 if isinstance(k, str) and len(k) == 10 and k[4] == "-"]
        return min(dates)

    @cached_property
    def activity_aliases(self) -> dict[str, str]:
        """Old activity id -> the catalog item that replaces it."""
        return {a: i.id for i in self.activities() for a in i.aliases}

    def resolve_activity(self, code: str) -> list[str]:
        """The catalog items a business's ``activity`` names: an item id or an old id (alias) gives one
        item; a JSIC code gives the items whose ``jsic`` it covers (several where a broad code spans
        items); anything else gives none."""
        text = code.strip()
        if text in self.items and self.items[text].unit == "class":
            return [text]
        if text in self.activity_aliases:
            return [self.activity_aliases[text]]
        if self.jsic is None or not self.jsic.is_code(text):
            return []
        return self.jsic.items_for(text, self.activities())

    def is_activity_code(self, code: str) -> bool:
        return bool(self.resolve_activity(code))


@dataclass(frozen=True)
class JsicTable:
    """JSIC (日本標準産業分類) as the catalog uses it: division letters and their major groups, and
    older codes mapped to the current revision where a code moved."""

    divisions: dict[str, tuple[str, ...]]
    moved: dict[str, str]

    @staticmethod
    def normalise(code: str) -> str:
        return unicodedata.normalize("NFKC", code).strip().upper()

    def is_code(self, code: str) -> bool:
        c = self.normalise(code)
        return c in self.divisions or (c.isdigit() and 2 <= len(c) <= 4)

    def lineage(self, code: str) -> tuple[str, ...]:
        """The code and every broader code above it (division letter first)."""
        c = self.moved.get(self.normalise(code), self.normalise(code))
        if c in self.divisions:
            return (c,)
        division = next((d for d, groups in self.divisions.items() if c[:2] in groups), "")
        return tuple(dict.fromkeys(x for x in (division, c[:2], c[:3], c) if x))

    def items_for(self, code: str, items: list[FactorItem]) -> list[str]:
        """Items whose codes lie within ``code`` (a broad code spans them all); failing that, the items
        whose codes are the narrowest above it."""
        c = self.lineage(code)[-1]
        inside = [i.id for i in items if any(c in self.lineage(j) for j in i.jsic or [])]
        if inside:
            return inside
        above = [(max(len(j) for j in i.jsic or [] if j in self.lineage(c)), i.id) for i in items
                 if any(j in self.lineage(c) for j in i.jsic or [])]
        if not above:
            return []
        narrowest = max(n for n, _ in above)
        return [i for n, i in above if n == narrowest]


@lru_cache(maxsize=None)
def bundled_dir(name: str) -> Path:
    """A data folder shipped inside the installed package (``factors``, ``cases``), found with
    importlib.resources so a wheel install works as well as a checkout (once per process: the package
    does not move while it runs)."""
    return Path(str(resources.files("fdiscreen").joinpath(name)))


def factors_dir() -> Path:
    """The factors/ folder: $FDISCREEN_FACTORS, else the one shipped inside the package."""
    env = os.environ.get("FDISCREEN_FACTORS")
    return Path(env) if env else bundled_dir("factors")


YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, data: bytes | None = None) -> Any:
    """A factors file's YAML (``data``: its bytes, if already read), from the parse cache when the same
    bytes were parsed before."""
    raw = path.read_bytes() if data is None else data
    cached = _parse_cache(raw)
    if cached is not None and cached.is_file():
        try:
            with cached.open("rb") as fh:
                return pickle.load(fh)  # noqa: S301 - the user's own cache, written below from the same bytes
        except Exception:  # noqa: BLE001 - a damaged cache entry is parsed again
            pass
    try:
        out = yaml.load(raw.decode("utf-8"), Loader=YamlLoader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FdiscreenError(f"not valid YAML: {exc}", file=str(path)) from None
    if cached is not None:
        _write_cache(cached, out)
    return out


def cache_dir() -> Path | None:
    """Where parsed factor files are kept between runs: ``$FDISCREEN_CACHE_DIR``, else the user's cache
    folder (``$XDG_CACHE_HOME/fdiscreen``, ``~/.cache/fdiscreen``); ``FDISCREEN_CACHE_DIR=`` (empty) turns it off."""
    if "FDISCREEN_CACHE_DIR" in os.environ:
        return Path(os.environ["FDISCREEN_CACHE_DIR"]) if os.environ["FDISCREEN_CACHE_DIR"] else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fdiscreen"


def _parse_cache(raw: bytes) -> Path | None:
    """The cache entry of a file with these bytes (parsed by this version of PyYAML and Python)."""
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(raw + f"|{yaml.__version__}|{pickle.HIGHEST_PROTOCOL}".encode()).hexdigest()
    return folder / f"factors-{key}.pickle"


def _write_cache(target: Path, value: Any) -> None:
    """Keep a parsed file in the cache."""
    keep_in_cache(target, lambda tmp: tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))


def keep_in_cache(target: Path, write: Callable[[Path], Any]) -> None:
    """Write a cache entry atomically (``write`` fills a temporary file, renamed onto ``target``); a folder
    that cannot be written just means no cache."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            write(tmp)
    except (OSError, FdiscreenError):
        pass


def _parse_items(path: Path, data: Any) -> list[FactorItem]:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FdiscreenError("a factors file must hold a list 'items'", file=str(path), path="items")
    out = []
    for n, raw in enumerate(data["items"]):
        if isinstance(raw, dict):
            raw = {**raw, "values": {str(k): v for k, v in (raw.get("values") or {}).items()}}
            for dated in ("specified_acquisition", "specified_acquisition_core", "citations"):
                if raw.get(dated):
                    raw[dated] = {str(k): v for k, v in raw[dated].items()}
        try:
            out.append(FactorItem.model_validate({**raw, "file": path.name}))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise FdiscreenError(err["msg"], file=str(path), path=f"items[{n}].{loc}") from None
    return out


def load_catalog(root: str | None = None) -> Catalog:
    """Read every factors/*.yaml once; the version is a hash of their bytes and the package."""
    return _load_catalog(str(Path(root) if root else factors_dir()))


@lru_cache(maxsize=4)
def _load_catalog(root: str) -> Catalog:
    base = Path(root)
    if not base.is_dir():
        raise FdiscreenError("factors folder not found", file=str(base), expected="a folder of YAML files")
    digest = hashlib.sha256(__version__.encode())
    items: dict[str, FactorItem] = {}
    sources: dict[str, Source] = {}
    countries: frozenset[str] = frozenset()
    home = "JP"
    jsic: JsicTable | None = None
    jsic_sources: list[str] = []
    for path in sorted(base.glob("*.yaml")):
        raw = path.read_bytes()
        digest.update(path.name.encode())
        digest.update(raw)
        data = _read_yaml(path, raw)
        if path.name == "sources.yaml":
            sources = _parse_sources(path, data)
            continue
        if path.name == "countries.yaml":
            countries = frozenset(data["codes"])
            home = data["home"]
            continue
        if path.name == "jsic.yaml":
            jsic = JsicTable(divisions={str(k): tuple(str(g) for g in v) for k, v in data["divisions"].items()},
                             moved={str(k): str(v) for k, v in (data.get("moved") or {}).items()})
            jsic_sources = list(data["revision"]["sources"])
            continue
        for item in _parse_items(path, data):
            if item.id in items:
                raise FdiscreenError(f"duplicate factor id {item.id!r}", file=str(path), path="items")
            items[item.id] = item
    for item in items.values():
        cited = [*item.citation.sources, *(k for spec in (item.citations or {}).values() for k in spec.sources)]
        missing = [s for s in dict.fromkeys(cited) if s not in sources]
        if missing:
            raise FdiscreenError(f"unknown source keys {missing}", file=item.file, path=f"{item.id}.citation.sources",
                                 expected="keys of factors/sources.yaml")
    _check_activity_ids(items, jsic_sources, sources)
    date_refs = {i.id: tuple(k for k in i.values if not k[:1].isdigit()) for i in items.values()}
    return Catalog(items=items, sources=sources, countries=countries, home_country=home, date_refs=date_refs,
                   version=f"{__version__}+{digest.hexdigest()[:12]}", root=base, jsic=jsic)


def _parse_sources(path: Path, data: dict[str, Any]) -> dict[str, Source]:
    """The bibliography of ``sources.yaml``: each key a :class:`Source`; a bad entry names its key and field."""
    raw = data.get("sources")
    if not isinstance(raw, dict):
        raise FdiscreenError("no sources mapping", file=str(path), path="sources", expected="a mapping of source keys")
    out: dict[str, Source] = {}
    for key, entry in raw.items():
        try:
            out[str(key)] = Source.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise FdiscreenError(f"bad source {key!r}: {err['msg']}", file=str(path), path=f"sources.{key}" + (f".{where}" if where else ""),
                                 expected="title, publisher, url, date (ISO or null), kind") from None
    return out


def _check_activity_ids(items: dict[str, FactorItem], jsic_sources: list[str], sources: dict[str, Source]) -> None:
    """An alias names one item and is no item's id; the JSIC table cites known sources."""
    seen: dict[str, str] = {}
    for item in items.values():
        for alias in item.aliases:
            if alias in items or alias in seen:
                raise FdiscreenError(f"alias {alias!r} is already an id or another item's alias", file=item.file,
                                     path=f"{item.id}.aliases", expected="an old id used by no other item")
            seen[alias] = item.id
    missing = [s for s in jsic_sources if s not in sources]
    if missing:
        raise FdiscreenError(f"unknown source keys {missing}", file="jsic.yaml", path="revision.sources",
                             expected="keys of factors/sources.yaml")


def to_fraction(value: Any) -> Fraction:
    """Exact percentage from YAML: 10 and 0.5 are percent; a string 'a/b' is a fraction of the
    whole (the statute's 'one third'), returned as a percentage."""
    if isinstance(value, Fraction):
        return value
    return _exact_percentage(value)


@lru_cache(maxsize=4096)
def _exact_percentage(value: float | str) -> Fraction:
    """``to_fraction`` of a plain value (the same thresholds and stakes recur across screenings)."""
    if isinstance(value, str) and "/" in value:
        num, den = value.split("/", 1)
        return Fraction(int(num), int(den)) * 100
    return Fraction(str(value))


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FdiscreenError(f"not a date: {value!r}", path=where, expected="YYYY-MM-DD") from None


@dataclass
class Regime:
    """The law as of one date, with the user's overrides of assumptions.

    Reading a value records its use, so a result lists exactly the assumptions it relied on.
    """

    catalog: Catalog
    as_of: dt.date
    overrides: dict[str, Any] = field(default_factory=dict)
    used: dict[str, None] = field(default_factory=dict)
    later_values: dict[str, Any] = field(default_factory=dict)
    """Values read from this law on a later date (the amended law at closing), by item, for the record."""
    _timelines: dict[str, list[tuple[dt.date, Any]]] = field(default_factory=dict, repr=False)
    _citations: dict[str, Citation] = field(default_factory=dict, repr=False)
    _values: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- reading values -------------------------------------------------------------------------
    def item(self, item_id: str) -> FactorItem:
        try:
            return self.catalog.items[item_id]
        except KeyError:
            raise FdiscreenError(f"unknown factor {item_id!r}", path=item_id,
                                 expected="an id from factors/*.yaml") from None

    def _key_date(self, key: str, item_id: str) -> dt.date | None:
        if key[:1].isdigit():
            return _as_date(key, f"{item_id}.values")
        ref = self.value(key)
        return None if ref is None else _as_date(ref, key)

    def timeline(self, item_id: str) -> list[tuple[dt.date, Any]]:
        """(date, value) pairs of an item, with date references resolved, sorted by date."""
        cached = self._timelines.get(item_id)
        if cached is not None:
            return cached
        item = self.item(item_id)
        pairs = []
        for key, val in item.values.items():
            when = self._key_date(key, item_id)
            if when is not None:
                pairs.append((when, val))
        self._timelines[item_id] = sorted(pairs, key=lambda p: p[0])
        return self._timelines[item_id]

    def value(self, item_id: str) -> Any:
        """The value in force on ``as_of``, or None when the rule did not exist then."""
        self.used[item_id] = None
        if item_id in self.overrides:
            return self.overrides[item_id]
        if item_id in self._values:
            for key in self.catalog.date_refs[item_id]:  # the dates it rests on are used too, cached or not
                self.value(key)
            return self._values[item_id]
        current = None
        for when, val in self.timeline(item_id):
            if when <= self.as_of:
                current = val
        self._values[item_id] = current
        return current

    def in_force(self, item_id: str) -> bool:
        val = self.value(item_id)
        return val is not None and val is not False

    def threshold(self, item_id: str) -> Fraction | None:
        val = self.value(item_id)
        return None if val is None else to_fraction(val)

    def meets(self, item_id: str, amount: float | Fraction | None) -> bool | None:
        """Does ``amount`` meet the threshold ``item_id`` (using the item's comparison)?

        None when the amount is unknown or the threshold not in force.
        """
        limit = self.threshold(item_id)
        if amount is None or limit is None:
            return None
        x = to_fraction(amount)
        op = self.item(item_id).comparison or ">="
        return {">=": x >= limit, ">": x > limit, "<": x < limit, "<=": x <= limit}[op]

    def date_value(self, item_id: str) -> dt.date | None:
        val = self.value(item_id)
        return None if val is None else _as_date(val, item_id)

    # -- catalog of activities -------------------------------------------------------------------
    def activity_item(self, code: str) -> FactorItem:
        """The catalog item an activity id or an old id (alias) names."""
        return self.item(self.catalog.activity_aliases.get(code, code))

    def activity_class(self, code: str) -> FeftaClass | None:
        """指定業種・コア業種: the class under the designated and core notices on ``as_of`` (None before listing)."""
        return self.value(self.activity_item(code).id)

    def specified_acquisition_listed(self, code: str) -> bool:
        """特定取得に係る指定業種: on the specified-acquisition designated list on ``as_of``."""
        item = self.activity_item(code)
        return self._dated_flag(item, item.specified_acquisition)

    def specified_acquisition_core(self, code: str) -> bool:
        """特定取得に係るコア業種: on the specified-acquisition core list on ``as_of``."""
        item = self.activity_item(code)
        return self._dated_flag(item, item.specified_acquisition_core)

    def activity_rows(self, lang: Lang, search: str | None = None) -> list[dict[str, Any]]:
        """The activity catalog as rows (id, JSIC codes, class on ``as_of`` and its history, the two
        specified-acquisition flags and their dates, notice item, label, citation); with ``search``, only
        items whose id, old ids, label, keywords, notice item or JSIC codes contain it (NFKC, any case)."""
        return [self._activity_row(it, lang) for it in self.catalog.activities() if search is None or matches_activity(it, search)]

    def _activity_row(self, it: FactorItem, lang: Lang) -> dict[str, Any]:
        def dated(d: dict[str, bool] | None) -> list[tuple[str, bool]]:
            return sorted((str(k), bool(v)) for k, v in (d or {}).items())
        return {"id": it.id, "label": it.label.get(lang), "jsic": list(it.jsic or []), "class": self.activity_class(it.id),
                "history": [(str(d), v) for d, v in self.timeline(it.id)],
                "specified_acquisition": self.specified_acquisition_listed(it.id), "specified_acquisition_history": dated(it.specified_acquisition),
                "specified_acquisition_core": self.specified_acquisition_core(it.id),
                "specified_acquisition_core_history": dated(it.specified_acquisition_core),
                "notice_item": it.notice_item.get(lang) if it.notice_item else None, "aliases": list(it.aliases),
                "assumption": it.assumption, "confidence": it.confidence, "citation": self.cite(it.id).short(lang)}

    def _dated_flag(self, item: FactorItem, dated: dict[str, bool] | None) -> bool:
        self.used[item.id] = None
        flag = False
        for key, val in sorted((dated or {}).items()):
            if _as_date(key, item.id) <= self.as_of:
                flag = bool(val)
        return flag

    # -- citations and assumptions ---------------------------------------------------------------
    def cite(self, item_id: str) -> Citation:
        self.used[item_id] = None
        cached = self._citations.get(item_id)
        if cached is not None:
            return cached
        item = self.item(item_id)
        c = self.citation_in_force(item)
        self._citations[item_id] = Citation(item=item.id, ref=c.ref, ref_ja=c.ref_ja, sources=tuple(c.sources), promulgated=c.promulgated,
                        effective=c.effective, applies_from=c.applies_from, confidence=item.confidence,
                        assumption=item.assumption)
        return self._citations[item_id]

    def citation_in_force(self, item: FactorItem) -> CitationSpec:
        """The citation of the law in force on ``as_of``: the latest per-period citation dated on or
        before it, else the item's own citation (also before the first dated one)."""
        current = item.citation
        for key, spec in sorted((item.citations or {}).items(), key=lambda kv: self._key_date(kv[0], item.id) or dt.date.max):
            when = self._key_date(key, item.id)
            if when is not None and when <= self.as_of:
                current = spec
        return current

    def item_rows(self, lang: Lang, classes: bool) -> list[dict[str, Any]]:
        """Every item in force as a row (id, label, unit, value, file, assumption, confidence, citation):
        the activity catalog (``classes``) or every other threshold and list."""
        return [{"id": it.id, "label": it.label.get(lang), "unit": it.unit, "value": self.value(it.id), "file": it.file,
                 "assumption": it.assumption, "confidence": it.confidence, "citation": self.cite(it.id).short(lang)}
                for it in self.catalog.items.values() if (it.unit == "class") == classes]

    def assumptions(self) -> list[Assumption]:
        """The assumptions this regime's users relied on, in the catalog's order (the order of the factor
        files and their items), whatever order the rules read them in: a rule over a batch of deals reads
        an item once for every row, so first use is not an order a result can depend on."""
        out = []
        used = set(self.used)
        for item_id in [i for i in self.catalog.items if i in used]:
            item = self.item(item_id)
            if not item.assumption:
                continue
            value = self.overrides.get(item_id, self._raw_value(item_id))
            if value is None:  # not in force on as_of but read on a later date (the law at closing)
                value = self.later_values.get(item_id)
            if value is None:
                continue
            out.append(Assumption(id=item_id, label=item.label, value=_jsonable(value),
                                  overridden=item_id in self.overrides, note=item.note, note_ja=item.note_ja,
                                  citation=self.cite(item_id)))
        return out

    def law_key(self) -> tuple[int, dt.date, str]:
        """What the values read depend on (the catalog, the date and the overrides): regimes with the same
        key read the same law, so one table of rules can hold rows of each."""
        return id(self.catalog), self.as_of, json.dumps(self.overrides, sort_keys=True, default=str)

    def peek(self, item_id: str) -> Any:
        """The value in force on ``as_of`` without counting it as used: a rule over a batch reads an item
        once for all rows and records, row by row, the rows that needed it (see
        :func:`fdiscreen.lookthrough.record_use`)."""
        return self._raw_value(item_id)

    def peek_in_force(self, item_id: str) -> bool:
        """:meth:`in_force` without counting the item as used (rows that need it are recorded)."""
        val = self.peek(item_id)
        return val is not None and val is not False

    def _raw_value(self, item_id: str) -> Any:
        snapshot = dict(self.used)
        try:
            return self.value(item_id)
        finally:
            self.used.clear()
            self.used.update(snapshot)

    @property
    def version(self) -> str:
        return self.catalog.version

    def fork(self, as_of: dt.date | None = None) -> "Regime":
        """The same law and overrides read on another date (fresh usage record)."""
        return Regime(self.catalog, as_of or self.as_of, dict(self.overrides))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def matches_activity(item: FactorItem, text: str) -> bool:
    """Does ``text`` occur in the item's id, old ids, labels, keywords, notice item or JSIC codes
    (NFKC-normalised, case-insensitive)? So 複合機, ＭＦＰ, printer and 2814 all find their items."""
    needle = _fold(text).strip()
    hay = [item.id, *item.aliases, item.label.en, item.label.ja, *item.keywords, *(item.jsic or [])]
    if item.notice_item:
        hay += [item.notice_item.en, item.notice_item.ja]
    return bool(needle) and any(needle in _fold(h) for h in hay)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, Fraction)):
        return str(value)
    return value


def parse_override(text: str, catalog: Catalog) -> tuple[str, Any]:
    """Parse ``ID=VALUE`` from the command line into a typed override."""
    if "=" not in text:
        raise FdiscreenError(f"bad --set {text!r}", path="--set", expected="ID=VALUE")
    key, raw = text.split("=", 1)
    return override(key.strip(), raw.strip(), catalog)


def override(key: str, value: Any, catalog: Catalog) -> tuple[str, Any]:
    """A typed override of factor ``key``: text is read as ``--set`` reads it; other values are checked
    against the item's unit as they are."""
    if key not in catalog.items:
        raise FdiscreenError(f"unknown factor {key!r}", path="--set", expected="an id from `fdiscreen factors`")
    item = catalog.items[key]
    if isinstance(value, str):
        return key, _override_value(item, value)
    if item.unit == "date" and isinstance(value, dt.date):
        return key, value.isoformat()
    check, expected = _UNIT_CHECKS.get(item.unit, (lambda v: True, ""))
    if not check(value):
        raise FdiscreenError(f"not a valid value: {value!r}", path=f"--set {key}", expected=expected)
    _check_shape(item, value)
    return key, value


def _is_percentage(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    try:
        return 0 <= to_fraction(value) <= 100
    except (ValueError, ZeroDivisionError):
        return False


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


#: unit -> (check, what is expected) for values given with --set
_UNIT_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "percent": (_is_percentage, "a percentage from 0 to 100, such as 10, 0.5 or 1/3"),
    "days": (_is_count, "a whole number of days"),
    "months": (_is_count, "a whole number of months"),
    "years": (_is_count, "a whole number of years"),
    "jpy": (_is_count, "an amount in yen (a whole number)"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "class": (lambda v: v in get_args(FeftaClass), "non_designated, designated or core"),
    "text": (lambda v: isinstance(v, str), "a text value"),
    "list": (lambda v: isinstance(v, list), "a YAML list"),
    "groups": (lambda v: isinstance(v, list), "a YAML list"),
    "table": (lambda v: isinstance(v, dict), "a YAML mapping"),
}


#: keys a table's user may leave out (the reasons given for a value, not read by any rule)
OPTIONAL_KEYS = frozenset({"rationale", "note", "note_ja"})


def _is_number(text: str) -> bool:
    """A number written as text, such as "1/3" (how the factors write fractions)."""
    try:
        to_fraction(text)
    except (ValueError, ZeroDivisionError):
        return False
    return True


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)) or (isinstance(value, str) and _is_number(value)):
        return "a number"
    if isinstance(value, str):
        return "a text value"
    if isinstance(value, list):
        return "a YAML list"
    if isinstance(value, dict):
        return "a YAML mapping"
    return "null"


def _shape_error(value: Any, like: Any, where: str) -> tuple[str, str] | None:
    """(path, what is expected) where an override of a table or list first lacks the shape of the value
    encoded (every key it has, recursively, and values of the same kind; list items like the encoded
    items' common keys), else None: the rules read those keys."""
    if like is None:
        return None
    if _kind(value) != _kind(like):
        return where, _kind(like)
    if isinstance(like, dict):
        for key, sub in like.items():
            if key in OPTIONAL_KEYS:
                continue
            if key not in value:
                return f"{where}.{key}", f"the key {key!r} ({_kind(sub)}), as in the encoded value"
            found = _shape_error(value[key], sub, f"{where}.{key}")
            if found:
                return found
    if isinstance(like, list) and like and all(isinstance(x, dict) for x in like):
        common = {k: v for k, v in like[0].items() if all(k in x for x in like)}
        for n, got in enumerate(value):
            found = _shape_error(got, common, f"{where}[{n}]")
            if found:
                return found
    return None


def _check_shape(item: FactorItem, value: Any) -> None:
    """Refuse a table or list override that lacks what the rules read from the encoded value."""
    if item.unit not in ("table", "list", "groups") or not item.values:
        return
    found = _shape_error(value, list(item.values.values())[-1], f"--set {item.id}")
    if found:
        raise FdiscreenError(f"not a valid value for {item.id}", path=found[0], expected=found[1])


def _override_value(item: FactorItem, raw: str) -> Any:
    """A --set value read as YAML and checked against the item's unit."""
    where = f"--set {item.id}"
    if item.unit == "date":
        return _as_date(raw, where).isoformat()
    check, expected = _UNIT_CHECKS.get(item.unit, (lambda v: True, ""))
    try:
        value: Any = yaml.safe_load(raw)
    except yaml.YAMLError:
        raise FdiscreenError(f"cannot read {raw!r}", path=where, expected=expected or "a YAML value") from None
    if not check(value):
        raise FdiscreenError(f"not a valid value: {raw!r}", path=where, expected=expected)
    _check_shape(item, value)
    return value




def check_encoded(as_of: dt.date, catalog: Catalog) -> None:
    """Refuse a date the regime is not encoded for, with the range it is."""
    if not catalog.encoded_from <= as_of <= HORIZON:
        when = f"before {catalog.encoded_from.isoformat()}" if as_of < catalog.encoded_from else f"after {HORIZON.isoformat()}"
        raise FdiscreenError(f"the regime is not encoded {when} (as of {as_of.isoformat()})", path="as_of",
                             expected=f"a date from {catalog.encoded_from.isoformat()} to {HORIZON.isoformat()}")


def make_regime(as_of: dt.date, overrides: dict[str, Any] | None = None,
                amendment_effective: dt.date | None = None, root: str | None = None) -> Regime:
    """Build the regime for a date; ``amendment_effective`` models the 2026 amendment's start."""
    catalog = load_catalog(root)
    check_encoded(as_of, catalog)
    ov = dict(overrides or {})
    if amendment_effective is not None:
        ov["amendment_2026_effective_date"] = amendment_effective.isoformat()
    timelines, citations, values = _memo(id(catalog), catalog.version, as_of, json.dumps(ov, sort_keys=True, default=str))
    return Regime(catalog, as_of, ov, _timelines=timelines, _citations=citations, _values=values)


@lru_cache(maxsize=256)
def _memo(catalog_id: int, version: str, as_of: dt.date, overrides: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Resolved timelines, citations and values, shared by every regime of the same law, date and
    overrides (they depend on nothing else; which items a screening used stays per regime)."""
    return {}, {}, {}

