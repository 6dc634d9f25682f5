"""Read deal files (YAML or JSON) into :class:`~fdiscreen.model.Deal` with errors people can act on.

Every failure raises :class:`FdiscreenError` naming the file, the field path and what was expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from fdiscreen.errors import FdiscreenError
from fdiscreen.infiles import read_input
from fdiscreen.model import MAX_ITEMS, Deal, Target
from fdiscreen.regime import Catalog, YamlLoader, load_catalog

SUFFIXES = {".yaml", ".yml", ".json"}

_EXPECT = {
    "missing": "this required field",
    "extra_forbidden": "only the fields in `fdiscreen schema`",
    "less_than_equal": None,
    "greater_than_equal": None,
    "literal_error": None,
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "float_parsing": "a number",
    "int_parsing": "a whole number",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "string_type": "text",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
}


def _loc_to_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def validation_error(exc: ValidationError, file: str | None) -> FdiscreenError:
    """The first pydantic error as a one-line FdiscreenError."""
    err = exc.errors()[0]
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    path = _loc_to_path(loc)
    kind = err["type"]
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        msg = "unknown field"
    elif kind == "missing":
        msg = "required field is missing"
    return FdiscreenError(msg, file=file, path=path, expected=_EXPECT.get(kind))


def read_mapping(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON file into a mapping, with clear errors for every way it can be broken."""
    name = str(path)
    data = read_input(path, "a deal file (.yaml, .yml or .json)")
    return parse_mapping_bytes(data, path.suffix, name)


class DuplicateKey(ValueError):
    """A mapping names the same key twice (reported with the key and, for YAML, its line)."""


class DealYamlLoader(YamlLoader):  # type: ignore[misc, valid-type]
    """YAML for deal files with YAML 1.2 core-schema scalars: only true/false are booleans, no
    sexagesimal numbers (``1:30`` stays text, so a number field refuses it), no yes/no/on/off; and a
    key given twice in one mapping is an error, not a silent overwrite."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKey(f"key {key!r} appears twice (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_CORE_RESOLVERS: list[tuple[str, str, list[str]]] = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+0123456789.")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
     r"(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?)$",
     list("0123456789")),
]
for _tag, _pattern, _first in _CORE_RESOLVERS:
    DealYamlLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


class _Refused:
    """A JSON value the reader refuses (NaN, Infinity, an integer too long, a key given twice), left in
    place while parsing so that the error can name the field where it stands."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


#: integers longer than this many digits are refused while parsing (every number a deal holds is at
#: most 10^18, see fdiscreen.model.MAX_MAGNITUDE; converting a 5,000-digit integer is itself an error)
MAX_INT_DIGITS = 20


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Refused:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            return _Refused(f"key {key!r} appears twice")
        out[key] = value
    return out


def _json_constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows")


def _json_int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _Refused(f"an integer of {len(text.lstrip('-')):,} digits")
    return int(text)


def _first_refused(data: Any) -> tuple[str, _Refused] | None:
    """The first refused value in document order, with its path (iterative: no recursion on depth)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, _Refused):
            return path, node
        if isinstance(node, dict):
            stack.extend(reversed([(f"{path}.{k}" if path else str(k), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{path}[{i}]", v) for i, v in enumerate(node)]))
    return None


def strict_json_loads(text: str | bytes) -> Any:
    """JSON with each key once per object, no NaN or Infinity and no integer beyond MAX_INT_DIGITS:
    a refusal is a FdiscreenError naming the field (the caller adds the file)."""
    data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant, parse_int=_json_int)
    refused = _first_refused(data)
    if refused:
        path, value = refused
        raise FdiscreenError(value.message, path=path or "(top level)",
                             expected="each key once per object, finite numbers of at most 10^18")
    return data


MAX_DEPTH = 64
MAX_NODES = 200_000
_OPEN = ("BlockSequenceStartToken", "BlockMappingStartToken", "FlowSequenceStartToken", "FlowMappingStartToken")
_CLOSE = ("BlockEndToken", "FlowSequenceEndToken", "FlowMappingEndToken")


def parse_mapping_bytes(data: bytes, suffix: str, name: str) -> dict[str, Any]:
    """A deal file's bytes (from disk or an upload) as a mapping; ``name`` is used in messages only."""
    if suffix.lower() not in SUFFIXES:
        raise FdiscreenError(f"unsupported file type {suffix!r}", file=name, expected=".yaml, .yml or .json")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise FdiscreenError("not UTF-8 text", file=name, expected="a UTF-8 YAML or JSON file") from None
    if not text.strip():
        raise FdiscreenError("file is empty", file=name, expected="a deal: matter, acquirer, entities, target, transaction")
    try:
        if suffix.lower() == ".json":
            parsed = strict_json_loads(text)
        else:
            _check_yaml_depth(text, name)
            parsed = yaml.load(text, Loader=DealYamlLoader)  # noqa: S506 - a safe loader
    except DuplicateKey as exc:
        raise FdiscreenError(f"duplicate key: {exc}", file=name, expected="each key once per mapping") from None
    except FdiscreenError as exc:
        raise exc.with_file(name) from None
    except json.JSONDecodeError as exc:
        raise json_error(exc, name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        if "nesting depth" in problem:  # PyYAML >= 6.0.4 refuses deep nesting itself, before our count sees it
            raise _too_deep(name) from None
        raise FdiscreenError(f"not valid YAML: {problem}{where}", file=name) from None
    except RecursionError:
        raise _too_deep(name) from None
    return deal_mapping(parsed, name)


def json_error(exc: json.JSONDecodeError, name: str) -> FdiscreenError:
    """Where a JSON text breaks, for a person."""
    return FdiscreenError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", file=name)


def deal_mapping(parsed: Any, name: str) -> dict[str, Any]:
    """A parsed deal file or request body: a mapping of bounded size, or a clear error."""
    if not isinstance(parsed, dict):
        raise FdiscreenError(f"top level is {type(parsed).__name__}", file=name, path="(top level)",
                             expected="a deal: matter, acquirer, entities, target, transaction")
    check_size(parsed, name)
    return parsed


def _too_deep(name: str) -> FdiscreenError:
    return FdiscreenError(f"nested more than {MAX_DEPTH} levels deep", file=name, expected="a deal file")


def _check_yaml_depth(text: str, name: str) -> None:
    """Refuse deeply nested YAML before composing it: libyaml's composer recurses and crashes the
    process (a segmentation fault, not an exception) on a few hundred thousand nested brackets."""
    depth = 0
    for token in yaml.scan(text, Loader=YamlLoader):
        kind = type(token).__name__
        if kind in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(name)
        elif kind in _CLOSE:
            depth -= 1


def check_size(data: Any, name: str) -> None:
    """Refuse a list longer than the model allows (naming it) and a mapping with more than MAX_NODES
    values once YAML aliases are expanded (a few kilobytes of nested aliases can stand for billions of
    values), before any validation works through it."""
    seen = 0
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise FdiscreenError(f"more than {MAX_NODES} values (after expanding YAML aliases)", file=name, expected="a deal file")
        if isinstance(node, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in node.items())
        elif isinstance(node, list):
            if len(node) > MAX_ITEMS:
                raise FdiscreenError(f"{len(node):,} items, more than the {MAX_ITEMS:,} a deal may list", file=name,
                                     path=path or "(top level)", expected=f"at most {MAX_ITEMS:,} items")
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))


def expand_graph_refs(data: dict[str, Any], graph_db: str | Path | None, file: str | None) -> dict[str, Any]:
    """A deal may name its acquirer in the ownership graph (``acquirer_graph_id``) instead of spelling
    out the chain: the acquirer and everyone above it are read from the graph database. An entity the
    deal also lists under a graph id adds to the graph's facts (its fields win; the graph's holders stay
    unless it lists owners); other listed entities are added."""
    gid = data.get("acquirer_graph_id")
    if gid is None:
        return data
    from fdiscreen import graph

    try:
        chain = graph.chain_for_deal_cached(graph_db, str(gid))
    except FdiscreenError as exc:
        where = f"the ownership graph {exc.file}: " if exc.file else ""
        raise FdiscreenError(where + exc.message, file=file, path="acquirer_graph_id", expected=exc.expected) from None
    listed = list(data.get("entities") or [])
    given = {e.get("id"): e for e in listed if isinstance(e, dict)}
    in_chain = {e["id"] for e in chain}
    out = {k: v for k, v in data.items() if k != "acquirer_graph_id"}
    out["entities"] = ([{**e, **given.get(e["id"], {})} for e in chain]
                       + [e for e in listed if not isinstance(e, dict) or e.get("id") not in in_chain])
    out.setdefault("acquirer", str(gid))
    return out


def parse_deal(data: dict[str, Any], file: str | None = None, catalog: Catalog | None = None,
               graph_db: str | Path | None = None) -> Deal:
    """Validate a mapping into a Deal and check its cross-references against the catalog."""
    data = expand_graph_refs(data, graph_db, file)
    try:
        deal = Deal.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file) from None
    try:
        check_references(deal, catalog or load_catalog())
    except FdiscreenError as exc:
        raise exc.with_file(file) if file else exc from None
    return deal


def load_deal(path: str | Path, catalog: Catalog | None = None, graph_db: str | Path | None = None) -> Deal:
    """Read and validate a deal file (an ``acquirer_graph_id`` is expanded from the graph database)."""
    p = Path(path)
    return parse_deal(read_mapping(p), str(p), catalog, graph_db)


def _fail(path: str, message: str, expected: str | None = None) -> None:
    raise FdiscreenError(message, path=path, expected=expected)


def check_references(deal: Deal, catalog: Catalog) -> None:
    """Cross-field checks: ids resolve, countries and activity codes exist, holdings fit in 100%."""
    ids: dict[str, int] = {}
    for i, ent in enumerate(deal.entities):
        if ent.id in ids:
            _fail(f"entities[{i}].id", f"duplicate entity id {ent.id!r}", "unique ids")
        ids[ent.id] = i
    known = set(ids)
    if deal.acquirer not in known:
        _fail("acquirer", f"unknown entity {deal.acquirer!r}", f"one of the ids in entities: {sorted(known)}")
    for i, ent in enumerate(deal.entities):
        _check_country(catalog, f"entities[{i}].jurisdiction", ent.jurisdiction)
        if ent.principal_office:
            _check_country(catalog, f"entities[{i}].principal_office", ent.principal_office)
        total = 0.0
        for j, h in enumerate(ent.owners):
            if h.owner not in known:
                _fail(f"entities[{i}].owners[{j}].owner", f"unknown entity {h.owner!r}", "an id in entities")
            if h.owner == ent.id:
                _fail(f"entities[{i}].owners[{j}].owner", "an entity cannot own itself", "another entity's id")
            total += h.voting_pct
        if total > 100.0 + 1e-9:
            _fail(f"entities[{i}].owners", f"voting holdings sum to {total:g}%", "a total of at most 100%")
        if ent.partnership:
            _check_partnership(ent.partnership, f"entities[{i}].partnership", known)
        _check_related_ties(deal, i, ent, known)
    tx = deal.transaction
    if tx.nominee and tx.nominee.acting_for not in known:
        _fail("transaction.nominee.acting_for", f"unknown entity {tx.nominee.acting_for!r}", "an id in entities")
    if tx.indirect and tx.indirect.holding_entity not in known:
        _fail("transaction.indirect.holding_entity", f"unknown entity {tx.indirect.holding_entity!r}", "an id in entities")
    if tx.indirect and tx.indirect.holding_entity == deal.acquirer:
        _fail("transaction.indirect.holding_entity", f"the holding entity {tx.indirect.holding_entity!r} is the acquirer itself",
              "the overseas entity whose voting rights the acquirer acquires (it holds the target)")
    check_company(deal.target, catalog, "target")
    if (tx.voting_after or 0) + tx.closely_related_voting_pct > 100.0 + 1e-9:
        _fail("transaction.closely_related_voting_pct", "investor plus closely related persons exceed 100%",
              "a total of at most 100%")
    _check_target_holdings(deal)
    _check_list_ids(catalog, "risk_mitigation_measures", tx.risk_mitigation_measures, "transaction.risk_mitigation_measures")


def check_company(company: Target, catalog: Catalog, path: str) -> None:
    """The Japanese company of a deal or a listing plan (at ``path``): in Japan, its checklist answers and
    activity codes known to the catalog."""
    if company.jurisdiction != catalog.home_country:
        _fail(f"{path}.jurisdiction", f"{company.jurisdiction!r} is not Japan",
              f"{catalog.home_country}: FEFTA screens Japanese companies (use transaction.indirect for an overseas holder)")
    _check_list_ids(catalog, "protection_checklist", company.protection_checklist, f"{path}.protection_checklist")
    for where, biz in _businesses(company, path):
        if biz.activity is not None and not catalog.is_activity_code(biz.activity):
            _fail(f"{where}.activity", f"unknown activity code {biz.activity!r}",
                  "an activity id or old id listed by `fdiscreen factors --activities`, or a JSIC code such as 2814 or E")


#: each catalogue list's ids, gathered once per loaded catalogue (the entry holds the catalogue, so its id
#: is not reused while the entry lives)
_LIST_IDS: dict[tuple[int, str], tuple[Catalog, frozenset[str]]] = {}


def _list_ids(catalog: Catalog, item_id: str) -> frozenset[str]:
    cached = _LIST_IDS.get((id(catalog), item_id))
    if cached is None or cached[0] is not catalog:
        item = catalog.items.get(item_id)
        ids = frozenset() if item is None else frozenset(e["id"] for values in item.values.values() for e in values)
        cached = _LIST_IDS[(id(catalog), item_id)] = (catalog, ids)
    return cached[1]


def _check_list_ids(catalog: Catalog, item_id: str, given: Collection[str], path: str) -> None:
    if not given:  # most deals list none: the catalogue's ids are not gathered for them
        return
    known = _list_ids(catalog, item_id)
    for key in given:
        if key not in known:
            _fail(f"{path}.{key}" if isinstance(given, dict) else path, f"unknown id {key!r}",
                  f"an id listed by `fdiscreen factors --id {item_id}`")


def _check_related_ties(deal: Deal, i: int, ent: Any, known: set[str]) -> None:
    """Ties that make closely related persons (密接関係者): relatives, officer posts, discretionary mandates."""
    path = f"entities[{i}]"
    if ent.id == deal.acquirer and ent.target_voting_pct is not None:
        _fail(f"{path}.target_voting_pct", "the acquirer's own holding of the target is given by the transaction",
              "transaction.voting_after_pct (leave target_voting_pct out for the acquirer)")
    if (ent.relatives or ent.officer_of) and ent.kind != "individual":
        field = "relatives" if ent.relatives else "officer_of"
        _fail(f"{path}.{field}", "only an individual has " + ("relatives" if ent.relatives else "officer posts"), "kind: individual")
    for field, ids in (("relatives", [r.person for r in ent.relatives]), ("officer_of", ent.officer_of),
                       ("discretionary_mandate_for", ent.discretionary_mandate_for)):
        for k, other in enumerate(ids):
            where = f"{path}.{field}[{k}]" + (".person" if field == "relatives" else "")
            if other not in known:
                _fail(where, f"unknown entity {other!r}", "an id in entities")
            if other == ent.id:
                _fail(where, {"relatives": "an entity cannot be its own relative", "officer_of": "an entity cannot be its own officer",
                              "discretionary_mandate_for": "an entity cannot manage its own holding under a mandate"}[field],
                      "another entity's id")
            if field == "relatives" and deal.entities[deal.entity_index(other)].kind != "individual":
                _fail(where, f"{other!r} is not an individual", "the id of an individual (spouse or lineal relative)")


def _check_target_holdings(deal: Deal) -> None:
    """The target's voting rights held by the acquirer, the entities of the file and the typed-in related
    persons cannot exceed 100%."""
    total = (deal.transaction.voting_after or 0) + deal.transaction.closely_related_voting_pct
    for i, ent in enumerate(deal.entities):
        total += ent.target_voting_pct or 0
        if total > 100.0 + 1e-9:
            _fail(f"entities[{i}].target_voting_pct", f"holdings of the target sum to {total:g}% with the acquirer's and the related persons'",
                  "a total of at most 100%")


def _check_partnership(p: Any, path: str, known: set[str]) -> None:
    for k, gp in enumerate(p.executing_partners):
        if gp not in known:
            _fail(f"{path}.executing_partners[{k}]", f"unknown entity {gp!r}", "an id in entities")
    total = 0.0
    for k, c in enumerate(p.contributions):
        if c.partner not in known:
            _fail(f"{path}.contributions[{k}].partner", f"unknown entity {c.partner!r}", "an id in entities")
        total += c.contribution_pct
    if total > 100.0 + 1e-9:
        _fail(f"{path}.contributions", f"contributions sum to {total:g}%", "a total of at most 100%")


def _check_country(catalog: Catalog, path: str, code: str) -> None:
    if code not in catalog.countries:
        _fail(path, f"unknown country code {code!r}", "an ISO 3166-1 alpha-2 code such as US, GB, CN, JP")


def _businesses(company: Target, path: str) -> Iterable[tuple[str, Any]]:
    for i, b in enumerate(company.businesses):
        yield f"{path}.businesses[{i}]", b
    for s, sub in enumerate(company.subsidiaries):
        for i, b in enumerate(sub.businesses):
            yield f"{path}.subsidiaries[{s}].businesses[{i}]", b
