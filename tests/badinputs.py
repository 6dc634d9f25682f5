"""A corpus of bad deal files, generated from the deal JSON Schema and the bundled examples.

How it is generated (deterministic, so a failure can be replayed by its name):

1. **Field mutations.** For each base deal (bundled examples of each act kind) every field path the
   JSON Schema defines and the base fills in is set, one at a time, to the hostile values of its
   schema type: wrong types (text, list, mapping, boolean), out-of-range values (negative, above the
   maximum, 10**400, 1e309), non-finite values (.nan, .inf), dates far past and future and with
   trailing junk, unknown enum values, null for required fields, and text of 10,000 characters.
2. **Missing fields.** Each required field of each object is removed.
3. **Structure.** Whole-file damage: empty, binary, a top-level list, bad YAML and JSON syntax,
   duplicate keys, YAML 1.1 scalars (``1:30``, ``yes``), an alias bomb, nesting 10,000 deep, ownership
   chains 1,000 and 3,000 entities deep, thousands of entities, technologies and business lines, and
   ownership loops.

Each :class:`BadInput` is a file name, its bytes, and the top-level field a refusal must name
(``None`` for whole-file damage, where the file name is enough).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fdiscreen.load import read_mapping
from fdiscreen.model import Deal, ListingPlan

ROOT = Path(__file__).resolve().parent.parent
BASE_FILES = ["us-fund-5pct-core-board-seat.yaml", "indirect-overseas-parent.yaml", "loan-above-thresholds.yaml",
              "nominee-for-non-resident.yaml", "closely-related-parent-stake.yaml"]

LONG_TEXT = "長" * 5_000 + "x" * 5_000
WRONG_TYPES: list[Any] = ["x", [1, 2], {"a": 1}, True]
NUMBER_VALUES: list[Any] = [-1, -0.5, 10**400, "1e309", ".nan", ".inf", "-.inf", 1e18 * 10, "1:30", "0x1F"]
INTEGER_VALUES: list[Any] = [1.5, 10**400, -1]
DATE_VALUES: list[Any] = ["1900-01-01", "0001-01-01", "9999-12-31", "2026-11-22junk", "2026-02-30", "1949-11-30",
                          "2101-01-01", 0, 20261122]
STRING_VALUES: list[Any] = [LONG_TEXT, 12345, "", "\x00\x01"]
BOOL_VALUES: list[Any] = ["maybe", 2, "yes", "on"]


@dataclass(frozen=True)
class BadInput:
    name: str
    suffix: str
    data: bytes
    field: str | None  # the top-level field a refusal must name (None: whole-file damage)


# -- the schema ------------------------------------------------------------------------------------

SCHEMA = Deal.model_json_schema()
LISTING_SCHEMA = ListingPlan.model_json_schema()
DEFS = {**SCHEMA["$defs"], **LISTING_SCHEMA["$defs"]}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its $ref followed and an Optional (anyOf with null) unwrapped."""
    while True:
        if "$ref" in node:
            node = DEFS[node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            if len(options) != 1:
                return node
            node = options[0]
        else:
            return node


def _child(node: dict[str, Any], key: Any) -> dict[str, Any] | None:
    node = _resolve(node)
    if isinstance(key, int):
        return node.get("items") if node.get("type") == "array" else None
    props = node.get("properties", {})
    if key in props:
        return props[key]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def schema_at(path: tuple[Any, ...], schema: dict[str, Any] = SCHEMA) -> dict[str, Any] | None:
    node: dict[str, Any] | None = schema
    for key in path:
        if node is None:
            return None
        node = _child(node, key)
    return _resolve(node) if node is not None else None


def _hostile_values(node: dict[str, Any]) -> list[Any]:
    kind = node.get("type")
    if "enum" in node:
        return ["not_a_value", 5, *WRONG_TYPES[1:]]
    if node.get("format") == "date":
        return DATE_VALUES + WRONG_TYPES[1:]
    if kind == "integer":
        return INTEGER_VALUES + NUMBER_VALUES + WRONG_TYPES
    if kind == "number":
        return NUMBER_VALUES + WRONG_TYPES + ([node["maximum"] + 1] if "maximum" in node else [])
    if kind == "boolean":
        return BOOL_VALUES + WRONG_TYPES[:3]
    if kind == "string":
        return STRING_VALUES + WRONG_TYPES[1:]
    if kind == "array":
        return ["x", {"a": 1}, [None], 5]
    if kind == "object":
        return ["x", [], {"no_such_field": 1}]
    return WRONG_TYPES


# -- writing a mutated deal ---------------------------------------------------------------------------

class _Raw(str):
    """A YAML scalar written as is (``.nan``, ``1e309``, ``1:30``), not quoted."""


def _dump_yaml(data: Any) -> bytes:
    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(_Raw, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=""))
    Dumper.add_representer(int, lambda d, v: d.represent_scalar("tag:yaml.org,2002:int", str(v)))
    text = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10**9)
    return text.encode()


def _as_written(value: Any) -> Any:
    """Strings that stand for YAML scalars go in raw (.nan, 1e309, 1:30, 0x1F)."""
    if isinstance(value, str) and value in ("1e309", ".nan", ".inf", "-.inf", "1:30", "0x1F", "yes", "on"):
        return _Raw(value)
    return value


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data[:2]):
            yield from _leaves(v, (*path, i))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _label(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def bases() -> list[tuple[str, dict[str, Any]]]:
    return [(Path(f).stem, json.loads(json.dumps(read_mapping(ROOT / "examples" / f), default=str))) for f in BASE_FILES]


def _mutations(stem: str, base: dict[str, Any], schema: dict[str, Any]) -> Iterator[BadInput]:
    """Every field path of ``base`` that ``schema`` defines, set in turn to each hostile value of its type."""
    for path in list(_leaves(base))[1:]:
        node = schema_at(path, schema)
        if node is None:
            continue
        for i, value in enumerate(_hostile_values(node)):
            mutated = copy.deepcopy(base)
            _set(mutated, path, _as_written(value))
            yield BadInput(f"{stem}:{_label(path)}:{i}", ".yaml", _dump_yaml(mutated), str(path[0]))


def field_mutations() -> Iterator[BadInput]:
    for stem, base in bases():
        yield from _mutations(stem, base, SCHEMA)


LISTING_FILES = ["photoresist-maker-prime.yaml", "restaurant-chain-growth.yaml"]


def listing_mutations() -> Iterator[BadInput]:
    """The same field mutations on the bundled listing plans (run through ``fdiscreen listing``)."""
    for f in LISTING_FILES:
        stem = "listing-" + Path(f).stem
        base = json.loads(json.dumps(read_mapping(ROOT / "examples" / "listings" / f), default=str))
        yield from _mutations(stem, base, LISTING_SCHEMA)


def missing_fields() -> Iterator[BadInput]:
    for stem, base in bases():
        for path in list(_leaves(base))[1:]:
            parent = schema_at(path[:-1])
            if parent is None or not isinstance(path[-1], str) or path[-1] not in parent.get("required", []):
                continue
            deal = copy.deepcopy(base)
            node = deal
            for key in path[:-1]:
                node = node[key]
            del node[path[-1]]
            yield BadInput(f"{stem}:missing:{_label(path)}", ".yaml", _dump_yaml(deal), str(path[0]))


def _chain(base: dict[str, Any], depth: int, loop: bool = False) -> dict[str, Any]:
    """The base deal with its acquirer at the bottom of a chain of ``depth`` corporate holders."""
    deal = copy.deepcopy(base)
    ents = deal["entities"]
    acq = next(e for e in ents if e["id"] == deal["acquirer"])
    below = acq
    for n in range(depth):
        holder = {"id": f"h{n}", "name": f"Holder {n}", "kind": "corporation", "jurisdiction": "US"}
        below["owners"] = [{"owner": holder["id"], "voting_pct": 100}]
        ents.append(holder)
        below = holder
    if loop:
        below["owners"] = [{"owner": acq["id"], "voting_pct": 60}]
    return deal


def structural() -> Iterator[BadInput]:
    (_, base), (_, indirect) = bases()[:2]
    text = _dump_yaml(base).decode()
    yield BadInput("empty", ".yaml", b"", None)
    yield BadInput("binary", ".yaml", bytes(range(256)) * 8, None)
    yield BadInput("binary-json", ".json", b"\xff\xfe" + bytes(range(256)), None)
    yield BadInput("top-level-list", ".yaml", b"- 1\n- 2\n", None)
    yield BadInput("top-level-scalar", ".json", b"42", None)
    yield BadInput("yaml-syntax", ".yaml", b"matter: [unclosed\n  x: : :\n", None)
    yield BadInput("json-syntax", ".json", json.dumps(base).encode()[:-3], None)
    yield BadInput("json-trailing", ".json", json.dumps(base).encode() + b" {}", None)
    yield BadInput("json-nan", ".json", json.dumps(base).replace('"shares_after_pct": 5', '"shares_after_pct": NaN').encode(), "transaction")
    yield BadInput("json-infinity", ".json", json.dumps(base).replace('"shares_after_pct": 5', '"shares_after_pct": Infinity').encode(), "transaction")
    yield BadInput("json-huge-int", ".json", json.dumps(base).replace('"shares_after_pct": 5', '"shares_after_pct": ' + "9" * 5000).encode(), "transaction")
    yield BadInput("duplicate-key-yaml", ".yaml", text.replace("shares_after_pct: 5\n", "shares_after_pct: 5\n  shares_after_pct: 95\n").encode(), "shares_after_pct")
    yield BadInput("duplicate-key-json", ".json", json.dumps(base).replace('"shares_after_pct": 5', '"shares_after_pct": 5, "shares_after_pct": 95').encode(), "transaction")
    yield BadInput("yaml-sexagesimal", ".yaml", text.replace("shares_after_pct: 5\n", "shares_after_pct: 1:30\n").encode(), "transaction")
    yield BadInput("yaml-true-as-number", ".yaml", text.replace("shares_after_pct: 5\n", "shares_after_pct: true\n").encode(), "transaction")
    yield BadInput("yaml-tag", ".yaml", b"matter: !!python/object/apply:os.system ['true']\n", None)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join('*' + chr(97 + i) for _ in range(10))}]\n" for i in range(8))
    yield BadInput("alias-bomb", ".yaml", bomb.encode(), None)
    yield BadInput("deep-nesting-yaml", ".yaml", b"matter: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", None)
    yield BadInput("deep-nesting-json", ".json", b'{"matter": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", None)
    for depth in (1_000, 3_000):
        yield BadInput(f"chain-{depth}", ".yaml", _dump_yaml(_chain(base, depth)), "entities")
    yield BadInput("chain-loop-50", ".yaml", _dump_yaml(_chain(base, 50, loop=True)), "entities")
    many = copy.deepcopy(base)
    many["entities"] += [{"id": f"e{n}", "name": f"E{n}", "kind": "corporation", "jurisdiction": "US"} for n in range(6_000)]
    yield BadInput("entities-6000", ".yaml", _dump_yaml(many), "entities")
    for count in (5_000, 20_000):
        deal = copy.deepcopy(base)
        deal["target"]["technologies"] = [f"technology {n}" for n in range(count)]
        yield BadInput(f"technologies-{count}", ".yaml", _dump_yaml(deal), "target")
    deal = copy.deepcopy(base)
    deal["target"]["businesses"] = [{"name": f"line {n}", "activity": "consulting"} for n in range(6_000)]
    yield BadInput("businesses-6000", ".yaml", _dump_yaml(deal), "target")
    deal = copy.deepcopy(base)
    deal["matter"] = "M" * 100_000
    deal["target"]["name"] = "名" * 100_000
    yield BadInput("long-names", ".yaml", _dump_yaml(deal), None)
    # blocks that do not belong to the act's kind
    deal = copy.deepcopy(base)
    deal["transaction"]["loan"] = {"amount_jpy": 10**10, "term_years": 5}
    yield BadInput("loan-on-share-acquisition", ".yaml", _dump_yaml(deal), "transaction")
    deal = copy.deepcopy(base)
    deal["transaction"]["indirect"] = copy.deepcopy(indirect["transaction"]["indirect"])
    yield BadInput("indirect-on-share-acquisition", ".yaml", _dump_yaml(deal), "transaction")
    for key, value in (("acquirer_voting_after_pct", 0), ("holding_entity", indirect["acquirer"])):
        deal = copy.deepcopy(indirect)
        deal["transaction"]["indirect"][key] = value
        yield BadInput(f"indirect-{key}-{value}", ".yaml", _dump_yaml(deal), "transaction")


def corpus() -> list[BadInput]:
    """Every bad input, in a fixed order."""
    return [*field_mutations(), *missing_fields(), *structural(), *listing_mutations()]


if __name__ == "__main__":
    items = corpus()
    print(f"{len(items)} bad inputs: {sum(1 for i in items if ':' in i.name and ':missing:' not in i.name and not i.name.startswith('listing-'))} "
          f"deal field mutations, {sum(1 for i in items if ':missing:' in i.name)} missing fields, "
          f"{sum(1 for i in items if ':' not in i.name)} structural, {sum(1 for i in items if i.name.startswith('listing-'))} listing-plan mutations")


# -- running the corpus through the CLI entry point ------------------------------------------------

@dataclass(frozen=True)
class Run:
    item: str
    command: str
    code: int
    stdout: str
    stderr: str
    seconds: float


def run_cli(argv: list[str]) -> tuple[int, str, str, float]:
    """``fdiscreen ARGV`` through the console entry point, in this process: (exit code, stdout, stderr, seconds)."""
    import contextlib
    import io
    import sys
    import time

    from fdiscreen import cli

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["fdiscreen", *argv]
    start = time.perf_counter()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = saved
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


COMMANDS = {
    "check": lambda f, o: ["check", f, "--as-of", "2026-11-22"],
    "screen-json": lambda f, o: ["screen", f, "--json", "--as-of", "2026-11-22"],
    "screen-memo": lambda f, o: ["screen", f, "--memo", o + ".md", "--as-of", "2026-11-22", "--date", "2026-11-22"],
    "compare": lambda f, o: ["compare", f, str(ROOT / "examples" / "us-fund-5pct-core.yaml"), "--as-of", "2026-11-22"],
    "listing": lambda f, o: ["listing", f, "--as-of", "2026-11-22"],
    "listing-memo": lambda f, o: ["listing", f, "--memo", o + ".md", "--as-of", "2026-11-22", "--date", "2026-11-22"],
}


def commands_for(item: BadInput, commands: list[str]) -> list[str]:
    """A listing plan goes through the listing commands, a deal through the others."""
    listing = item.name.startswith("listing-")
    return [c for c in commands if c.startswith("listing") == listing]


def run_item(item: BadInput, folder: Path, commands: list[str]) -> list[Run]:
    """Write the item into ``folder`` and run it through each named command."""
    safe = item.name.replace("/", "_").replace(":", "_")
    path = folder / f"{safe}{item.suffix}"
    path.write_bytes(item.data)
    runs = []
    for name in commands_for(item, commands):
        code, out, err, seconds = run_cli(COMMANDS[name](str(path), str(folder / safe)))
        runs.append(Run(item.name, name, code, out, err, seconds))
    path.unlink()
    return runs


def verdict(item: BadInput, run: Run, path_in_folder: str) -> str | None:
    """Why a run is not acceptable (None when it is): exit 0 with a screening, or exit 2 with one
    ``error:`` line naming the file and, for a field, the field."""
    if run.code == 0:
        if run.command == "screen-json":
            try:
                json.loads(run.stdout)["filing"]["outcome"]
            except (ValueError, KeyError, TypeError):
                return "exit 0 without a screening"
        return None
    if run.code != 2:
        return f"exit {run.code}: {run.stderr.strip()[:300]}"
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    if len(lines) != 1 or not lines[0].startswith("error: "):
        return f"not one error line: {run.stderr[:300]!r}"
    if path_in_folder not in lines[0]:
        return f"does not name the file: {lines[0][:300]}"
    if item.field and item.field not in lines[0]:
        return f"does not name the field {item.field}: {lines[0][:300]}"
    return None
