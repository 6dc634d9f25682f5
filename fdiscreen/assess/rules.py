"""The finding rules of every review factor, in the fixed order they run, and how a table of readings
runs them: each rule once over the rows that need it (所見ルールの一覧と実行)."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set as AbstractSet
from functools import lru_cache

from fdiscreen.assess import business, investor, proposals, protection, seats, technology, terms
from fdiscreen.assess.finding import Finding, FindingTable

RULE_MODULES = (business, investor, terms, seats, technology, proposals, protection)
Rule = Callable[[FindingTable], list[list[Finding]]]
#: a row's findings by rule key ("module.rule"), in the fixed order the rules run
ByRule = dict[str, list[Finding]]


def rule_key(module: object, rule: object) -> str:
    return f"{getattr(module, '__name__', '').rsplit('.', 1)[-1]}.{getattr(rule, '__name__', '')}"


#: every finding rule with its key ("module.rule") and its module's name, in the fixed order they run
RULE_TABLE: tuple[tuple[str, str, Rule], ...] = tuple(
    (rule_key(module, rule), rule_key(module, rule).split(".", 1)[0], rule)
    for module in RULE_MODULES for rule in module.RULES)  # type: ignore[attr-defined]


def _selected(key: str, module: str, rules: AbstractSet[str]) -> bool:
    """Is the rule ``key`` (of ``module``) among ``rules`` (which may name "module.*" or "*")?"""
    return "*" in rules or key in rules or f"{module}.*" in rules


@lru_cache(maxsize=256)
def rule_keys(rules: frozenset[str]) -> frozenset[str]:
    """The rule keys that ``rules`` names ("module.rule", "module.*" or "*")."""
    return frozenset(key for key, module, _ in RULE_TABLE if _selected(key, module, rules))


def findings_by_rule(t: FindingTable, wanted: Sequence[frozenset[str]] | None = None) -> list[ByRule]:
    """Each row's findings by rule: every rule (``wanted`` None) or, for row ``k``, the rules
    ``wanted[k]`` names; each rule run once, over the table of the rows that want it."""
    keys = None if wanted is None else [rule_keys(w) for w in wanted]
    out: list[ByRule] = [{} for _ in range(t.n)]
    for key, _, rule in RULE_TABLE:
        rows = list(range(t.n)) if keys is None else [k for k in range(t.n) if key in keys[k]]
        if not rows:
            continue
        found = rule(t if len(rows) == t.n else t.take(rows))
        for k, group in zip(rows, found):
            out[k][key] = group
    return out


def flat(by_rule: ByRule) -> list[Finding]:
    """A row's findings in rule order."""
    return [f for group in by_rule.values() for f in group]


def merged(base: ByRule, redone: ByRule) -> list[Finding]:
    """A row's findings with the rules in ``redone`` replaced by their findings there, in rule order."""
    return [f for key, group in base.items() for f in redone.get(key, group)]
