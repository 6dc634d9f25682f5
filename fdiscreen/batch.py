"""Batch screening: a table in (one deal per row, flat columns), a table out (determination, scores,
tier, predicted outcome, top findings per row). Bad rows never stop a batch: each is listed with its
row number, column and message, and every good row is written. Every row goes through the same
``screen()`` as a single deal; rows whose deal is identical apart from names are screened once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import csv
import logging
import math
import os
import pickle
import re
from collections import Counter
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np
import pandas as pd

from fdiscreen.collector import collector_paused
from fdiscreen.errors import FdiscreenError
from fdiscreen.outfiles import write_table
from fdiscreen.load import expand_graph_refs, parse_deal
from fdiscreen.model import ISO_DATE, Deal, kind_detail_mismatch
from fdiscreen.screening import Screened, screened_each

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Column:
    path: str
    kind: str
    doc: str


HOLDER = "indirect_holder"  # the row's overseas holding entity, before it joins the deal's entities
PRINCIPAL = "nominee_principal"  # the person a nominee acquirer acts for, before it joins the deal's entities
PROPOSALS = "proposal_flags"  # the row's yes/no proposal columns, before they become transaction.proposals
#: row-level root -> (entity id in the deal, transaction field naming it, the link inside that field)
ROW_ENTITIES = {HOLDER: ("holding", "indirect", "holding_entity"), PRINCIPAL: ("principal", "nominee", "acting_for")}
#: entity id in a row's deal -> the path its columns are documented under (for error columns)
ROW_ENTITY_PATHS = {"acquirer": "entities[0]", "parent": "entities[1]", **{eid: root for root, (eid, _, _) in ROW_ENTITIES.items()}}

#: column-name suffixes of the target's subsidiaries in a row: target_subsidiary_name, target_subsidiary_2_name, ...
SUBSIDIARY_SUFFIXES = ("", "_2", "_3")

#: the flat column format: column -> where it goes in the deal, its type, what it means
COLUMNS: dict[str, Column] = {
    "matter": Column("matter", "text", "a name for the row's deal (default: row N)"),
    "as_of": Column("as_of", "date", "date of the law to apply (default: the batch's --as-of, else today)"),
    "acquirer_graph_id": Column("acquirer_graph_id", "text", "the acquirer's id in the ownership graph (`fdiscreen graph load`, batch --db): "
                                "it and every holder above it come from the graph; acquirer columns add facts, parent columns are not used"),
    "acquirer_name": Column("entities[0].name", "text", "acquirer's name"),
    "acquirer_kind": Column("entities[0].kind", "text", "corporation, individual, partnership, government, state_owned_enterprise, sovereign_wealth_fund, public_pension, financial_institution"),
    "acquirer_jurisdiction": Column("entities[0].jurisdiction", "text", "ISO country code (for an individual: where resident)"),
    "acquirer_resident_in_japan": Column("entities[0].resident_in_japan", "bool", "individuals: resident of Japan?"),
    "acquirer_listed": Column("entities[0].listed", "bool", "acquirer listed?"),
    "acquirer_state_owned_pct": Column("entities[0].state_owned_pct", "pct", "voting rights held by foreign governments"),
    "acquirer_accredited": Column("entities[0].accredited", "bool", "SWF/public pension accredited by MOF"),
    "acquirer_regulated_fi": Column("entities[0].regulated_financial_institution", "bool", "regulated foreign financial institution"),
    "acquirer_fefta_violation": Column("entities[0].fefta_violation_sanctioned", "bool", "sanctioned for breaching FEFTA"),
    "acquirer_intelligence_duty": Column("entities[0].information_cooperation_duty", "bool", "obliged to cooperate with foreign information gathering"),
    "acquirer_decisions_by_obliged": Column("entities[0].decisions_by_obliged_persons", "bool", "real decisions by obliged persons"),
    "acquirer_decisions_in_obliging_country": Column("entities[0].decisions_at_office_in_obliging_country", "bool", "decisions at an office in an obliging country"),
    "acquirer_contractual_disclosure_duty": Column("entities[0].contractual_disclosure_duty", "bool", "contractual duty to disclose for foreign intelligence"),
    "acquirer_military_links": Column("entities[0].military_links", "bool", "military or defence-industry links"),
    "acquirer_investment_plan": Column("entities[0].investment_plan", "text", "passive, strategic or control"),
    "acquirer_past_conduct": Column("entities[0].past_conduct", "list", "blocked_deal; activist_campaign"),
    "acquirer_directors_total": Column("entities[0].officers.directors_total", "int", "number of directors (Japanese acquirers)"),
    "acquirer_directors_non_resident": Column("entities[0].officers.directors_non_resident", "int", "of whom non-resident"),
    "acquirer_owners_complete": Column("entities[0].owners_complete", "bool", "the parent columns list every holder of the acquirer"),
    "parent_name": Column("entities[1].name", "text", "the acquirer's main holder (optional)"),
    "parent_kind": Column("entities[1].kind", "text", "its kind"),
    "parent_jurisdiction": Column("entities[1].jurisdiction", "text", "its ISO country code"),
    "parent_voting_pct": Column("entities[0].owners[0].voting_pct", "pct", "its share of the acquirer's voting rights"),
    "parent_intelligence_duty": Column("entities[1].information_cooperation_duty", "bool", "the holder is obliged to cooperate with foreign intelligence"),
    "target_name": Column("target.name", "text", "the Japanese company"),
    "target_listed": Column("target.listed", "bool", "listed?"),
    "target_securities_code": Column("target.securities_code", "text", "securities code"),
    "target_business": Column("target.businesses[0].name", "text", "the business line in words (matched against the critical-material, infrastructure and technology lists)"),
    "target_activity": Column("target.businesses[0].activity", "text", "activity code (`fdiscreen factors --activities`)"),
    "target_class": Column("target.businesses[0].fefta_class", "text", "non_designated / designated / core, if given directly"),
    **{f"target_subsidiary{suffix}_{field}": Column(path.format(i=n - 1), kind, doc if n == 1 else f"subsidiary {n}: {doc}")
       for n, suffix in enumerate(SUBSIDIARY_SUFFIXES, start=1)
       for field, path, kind, doc in (
           ("name", "target.subsidiaries[{i}].name", "text", "a subsidiary of the target (default name: subsidiary)"),
           ("activity", "target.subsidiaries[{i}].businesses[0].activity", "text",
            "its activity code (a designated or core subsidiary makes the target one)"),
           ("pct", "target.subsidiaries[{i}].ownership_pct", "pct", "the target's voting share in it"))},
    "target_subsidiaries_complete": Column("target.subsidiaries_complete", "bool", "businesses listed cover every subsidiary"),
    "target_specified_core": Column("target.specified_core_business_entity", "bool", "specified core business entity"),
    "target_technologies": Column("target.technologies", "list", "technologies held, separated by ';'"),
    "target_defence_supplier": Column("target.defence_supplier", "bool", "defence supplier"),
    "target_critical_infrastructure": Column("target.critical_infrastructure", "list", "critical-infrastructure roles, separated by ';'"),
    "target_single_source": Column("target.single_source_supplier", "bool", "sole or near-sole supplier of something Japan needs"),
    "target_global_share_pct": Column("target.global_market_share_pct", "pct", "share of the global market in its key product"),
    "target_government_funded_research": Column("target.government_funded_research", "bool", "government-funded research"),
    "target_total_liabilities_jpy": Column("target.total_liabilities_jpy", "int", "the target's total liabilities (JPY; loans)"),
    "kind": Column("transaction.kind", "text", "share_acquisition (default), loan, indirect_acquisition, consent_only, branch_establishment"),
    "closing_date": Column("transaction.closing_date", "date", "planned date of the act"),
    "shares_before_pct": Column("transaction.shares_before_pct", "pct", "shareholding before"),
    "shares_after_pct": Column("transaction.shares_after_pct", "pct", "shareholding after"),
    "voting_before_pct": Column("transaction.voting_before_pct", "pct", "voting share before (default: shares_before_pct)"),
    "voting_after_pct": Column("transaction.voting_after_pct", "pct", "voting share after (default: shares_after_pct)"),
    "closely_related_pct": Column("transaction.closely_related_voting_pct", "pct", "voting rights of closely related persons"),
    "proxy_voting_pct": Column("transaction.proxy_voting_pct", "pct", "voting rights over which proxy authority is acquired"),
    "convertible_instruments": Column("transaction.convertible_instruments", "bool", "convertible instruments that can raise the stake"),
    "acquired_from": Column("transaction.acquired_from", "text", "resident, foreign_investor, market, new_issue, unknown"),
    "board_seats": Column("transaction.board_seats", "int", "director seats"),
    "auditor_seats": Column("transaction.auditor_seats", "int", "auditor seats"),
    "observer_seats": Column("transaction.observer_seats", "int", "observer seats"),
    "committee_attendance": Column("transaction.core_committee_attendance", "bool", "attends core-business committees"),
    "written_proposals_with_deadline": Column("transaction.written_proposals_with_deadline", "bool", "written proposals on the core business demanding action by a deadline"),
    "proposes_transfer": Column(f"{PROPOSALS}.designated_business_transfer", "bool", "proposes transferring the designated business to the shareholders' meeting"),
    "proposes_abolition": Column(f"{PROPOSALS}.designated_business_abolition", "bool", "proposes abolishing the designated business"),
    "nonpublic_tech_access": Column("transaction.technology_access.non_public_technology_information", "bool", "access to non-public technology information"),
    "any_nonpublic_information": Column("transaction.technology_access.any_non_public_information", "bool", "access to any non-public information"),
    "joint_development": Column("transaction.technology_access.joint_development", "bool", "joint development"),
    "personnel_exchange": Column("transaction.technology_access.personnel_exchange", "bool", "personnel exchange"),
    "information_rights": Column("transaction.technology_access.information_rights", "bool", "contractual information rights"),
    "site_access": Column("transaction.technology_access.site_access", "bool", "site access"),
    "proposes_rule_changes": Column("transaction.technology_access.proposes_rule_changes", "bool", "proposes changes to the rules on managing secret technology information"),
    "relocate_production": Column("transaction.relocate_production_abroad", "bool", "plans to move production abroad"),
    "mitigations": Column("transaction.risk_mitigation_measures", "list", "risk-mitigation measure ids, separated by ';'"),
    "joint_voting_pct": Column("transaction.joint_voting.combined_voting_pct", "pct", "consent to exercise votes jointly (共同議決権行使同意): combined voting share"),
    "nominee_principal_name": Column(f"{PRINCIPAL}.name", "text", "nominee acquisitions (名義によらない取得): the person the acquirer acts for"),
    "nominee_principal_kind": Column(f"{PRINCIPAL}.kind", "text", "its kind (default corporation)"),
    "nominee_principal_jurisdiction": Column(f"{PRINCIPAL}.jurisdiction", "text", "its ISO country code (an individual: where resident)"),
    "nominee_principal_resident_in_japan": Column(f"{PRINCIPAL}.resident_in_japan", "bool", "an individual principal: resident of Japan?"),
    "nominee_arrangement": Column("transaction.nominee.arrangement", "text", "for_account (default) or contract"),
    "loan_amount_jpy": Column("transaction.loan.amount_jpy", "int", "loans: amount lent (JPY)"),
    "loan_term_years": Column("transaction.loan.term_years", "number", "loans: term in years"),
    "loan_currency": Column("transaction.loan.currency", "text", "loans: currency (JPY, USD, ...)"),
    "loan_balance_after_jpy": Column("transaction.loan.lender_loan_balance_after_jpy", "int", "loans: the lender's total loan balance to the borrower after the loan (JPY)"),
    "loan_bonds_held_jpy": Column("transaction.loan.lender_bonds_held_jpy", "int", "loans: the borrower's bonds the lender holds (JPY; 0 if none)"),
    "loan_borrower_liabilities_jpy": Column("transaction.loan.borrower_liabilities_jpy", "int", "loans: the borrower's liabilities at the last fiscal year-end (JPY)"),
    "loan_financial_institution_business": Column("transaction.loan.lender_financial_institution_in_business", "bool", "loans: made by a financial institution in its business (excluded)"),
    "indirect_holder_name": Column(f"{HOLDER}.name", "text", "indirect acquisitions: the overseas entity bought, which holds the target"),
    "indirect_holder_kind": Column(f"{HOLDER}.kind", "text", "its kind (default corporation)"),
    "indirect_holder_jurisdiction": Column(f"{HOLDER}.jurisdiction", "text", "its ISO country code"),
    "indirect_holder_stake_pct": Column("transaction.indirect.holding_entity_stake_in_target_pct", "pct", "its share of the target's voting rights"),
    "indirect_voting_before_pct": Column("transaction.indirect.acquirer_voting_before_pct", "pct", "the acquirer's voting share in it before"),
    "indirect_voting_after_pct": Column("transaction.indirect.acquirer_voting_after_pct", "pct", "the acquirer's voting share in it after"),
    "indirect_officer_majority": Column("transaction.indirect.related_persons_take_officer_majority", "bool", "the acquirer's related persons take a majority of its officers"),
}
PATH_TO_COLUMN = {c.path: name for name, c in COLUMNS.items()}
#: the columns that only name things (the matter, the target and the parties): rows that differ only in
#: them give the same result (:func:`_key`)
NAME_COLUMNS = frozenset(name for name, c in COLUMNS.items()
                         if c.path in ("matter", "target.name", f"{PRINCIPAL}.name", f"{HOLDER}.name") or re.fullmatch(r"entities\[\d+\]\.name", c.path))
OUTPUT_COLUMNS = ["row", "matter", "as_of", "outcome", "foreign_investor", "investor_class", "target_class", "prior_notification",
                  "exemption", "exemption_kind", "must_file", "waiting_days", "post_investment_report", "threat", "sensitivity", "access",
                  "overall", "overall_high", "tier", "predicted_outcome", "residual_overall", "top_findings", "best_mitigation",
                  "overall_after_best_mitigation", "facts_to_confirm"]
ERROR_COLUMNS = ["row", "column", "message"]
#: the column ``explain`` adds to each result: the row's Screening as JSON
EXPLANATION = "explanation"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and value.strip() == "")


_WHOLE = re.compile(r"[-+]?[0-9]{1,19}")


def _refuse(name: str, value: Any, what: str, expected: str) -> FdiscreenError:
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    return FdiscreenError(f"{what}: {shown}", path=name, expected=expected)


def _number(name: str, value: Any, expected: str) -> float | int:
    """A cell as a finite number (text as written, or a number from Parquet / JSON Lines); never a yes/no."""
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise _refuse(name, value, "not a number", expected)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    try:
        if len(text) > 40:
            raise ValueError(text)
        number = float(value) if isinstance(value, float) else float(text)
    except ValueError:
        raise _refuse(name, value, "not a number", expected) from None
    if not math.isfinite(number):
        raise _refuse(name, value, "not a finite number", expected)
    return number


def _date_cell(name: str, value: Any) -> str:
    """A date cell as YYYY-MM-DD: a date from Parquet, or text that is exactly a date (no trailing junk)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not ISO_DATE.fullmatch(text):
        raise _refuse(name, value, "not a date", "a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise _refuse(name, value, "no such date", "a date YYYY-MM-DD") from None


def _convert(name: str, value: Any) -> Any:
    """A cell in the type of its column, or an error naming the column."""
    kind = COLUMNS[name].kind
    if kind == "list":
        items = value if isinstance(value, list) else str(value).split(";")
        return [str(x).strip() for x in items if str(x).strip()]
    if isinstance(value, (list, dict)):
        raise _refuse(name, value, "a list or mapping in a single-value column", "one value per cell")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "y"):
            return True
        if text in ("false", "no", "0", "n"):
            return False
        raise _refuse(name, value, "not a yes/no value", "true/false")
    if kind == "int":
        number = _number(name, value, "a whole number")
        if number != int(number):
            raise _refuse(name, value, "not a whole number", "a whole number")
        return int(number)
    if kind in ("pct", "number"):
        return float(_number(name, value, "a percentage 0-100" if kind == "pct" else "a number"))
    if kind == "date":
        return _date_cell(name, value)
    return str(value).strip()


@cache
def _steps(path: str) -> tuple[str | int, ...]:
    """``entities[0].owners[0].voting_pct`` as ('entities', 0, 'owners', 0, 'voting_pct')."""
    parts: list[str | int] = []
    for token in path.replace("]", "").split("."):
        name, *idx = token.split("[")
        parts.append(name)
        parts.extend(int(i) for i in idx)
    return tuple(parts)


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set a value at a deal path like ``entities[0].owners[0].voting_pct``, creating containers."""
    parts = _steps(path)
    node: Any = tree
    for here, nxt in zip(parts, parts[1:]):
        if isinstance(here, int):
            while len(node) <= here:
                node.append({})
            node = node[here]
        else:
            node = node.setdefault(here, [] if isinstance(nxt, int) else {})
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append({})
        node[last] = value
    else:
        node[last] = value


def row_to_deal(row: dict[str, Any], number: int) -> dict[str, Any]:
    """A flat row as a deal mapping (the same model and checks as any deal file)."""
    unknown = [k for k in row if k not in COLUMNS]
    if unknown:
        raise FdiscreenError(f"unknown column {unknown[0]!r}", path=unknown[0], expected="a column of the documented flat format")
    tree: dict[str, Any] = {"matter": f"row {number}", "entities": [{}],
                            "target": {"name": f"target {number}", "businesses": [{"name": "business"}]},
                            "transaction": {}}
    for name, value in row.items():
        if not _missing(value):
            _put(tree, COLUMNS[name].path, _convert(name, value))
    _subsidiary(tree["target"])
    extra = _row_entities(tree)
    _proposals(tree)
    _check_kind_details(tree["transaction"])
    if "acquirer_graph_id" in tree:
        _graph_acquirer(tree)
    else:
        _acquirer_and_parent(tree)
    tree["entities"].extend(extra)
    return tree


def _subsidiary(target: dict[str, Any]) -> None:
    """Default names for the row's subsidiaries and their business lines (the activity is what counts);
    subsidiary n needs the columns of those before it."""
    subs = target.get("subsidiaries", [])
    for i, sub in enumerate(subs):
        if not sub:
            missing, given = (f"target_subsidiary{SUBSIDIARY_SUFFIXES[k]}" for k in (i, len(subs) - 1))
            raise FdiscreenError(f"{given}_* columns are filled in but not {missing}_*", path=f"{missing}_name",
                                 expected="the subsidiary columns in order: target_subsidiary_*, then _2_*, then _3_*")
        sub.setdefault("name", "subsidiary")
        for biz in sub.get("businesses", []):
            biz.setdefault("name", "business")


def _check_kind_details(tx: dict[str, Any]) -> None:
    """Loan or indirect-acquisition columns only go with that kind of act (else they would be ignored)."""
    mismatch = kind_detail_mismatch(tx)
    if mismatch:
        detail, kind, given = mismatch
        raise FdiscreenError(f"{detail} columns are filled in but kind is {given!r}", path="kind", expected=f"{kind!r}, or empty {detail} columns")


def _proposals(tree: dict[str, Any]) -> None:
    """The yes/no proposal columns as the investor's shareholders' meeting proposals (株主総会議案)."""
    flags = tree.pop(PROPOSALS, {})
    proposals = [{"kind": kind, "proposed_by_investor": True} for kind, yes in flags.items() if yes]
    if proposals:
        tree["transaction"]["proposals"] = proposals


def _acquirer_and_parent(tree: dict[str, Any]) -> None:
    """The acquirer (defaults: a corporation named 'acquirer') and the optional parent holding it."""
    ents = tree["entities"]
    tree["acquirer"] = "acquirer"
    ents[0] = {"id": "acquirer", "name": "acquirer", "kind": "corporation", **ents[0]}
    if len(ents) > 1 or ents[0].get("owners"):
        if len(ents) < 2:
            raise FdiscreenError("parent_voting_pct given without the parent", path="parent_name", expected="parent_name, parent_kind, parent_jurisdiction")
        ents[1] = {"id": "parent", "name": "parent", "kind": "corporation", **ents[1]}
        for h in ents[0].get("owners", []):
            h.setdefault("owner", "parent")


def _row_entities(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """The overseas holding entity (indirect acquisitions) and the nominee's principal: their columns as
    entities of the deal, named by the transaction (appended after the acquirer's chain)."""
    out = []
    for root, (eid, detail, link) in ROW_ENTITIES.items():
        entity = tree.pop(root, None)
        if entity is None and detail not in tree["transaction"]:
            continue
        if entity is None:
            raise FdiscreenError(f"{detail} columns without the entity they name", path=f"{root}_name",
                                 expected=f"{root}_name and {root}_jurisdiction")
        tree["transaction"].setdefault(detail, {})[link] = eid
        out.append({"id": eid, "name": root.replace("_", " "), "kind": "corporation", **entity})
    return out


def _graph_acquirer(tree: dict[str, Any]) -> None:
    """A row naming its acquirer in the ownership graph: the acquirer columns given add facts to the
    graph's entity (merged when the deal is read with the graph database)."""
    gid = tree["acquirer_graph_id"]
    ents = tree["entities"]
    if len(ents) > 1 or ents[0].get("owners"):
        raise FdiscreenError("parent columns are not used with acquirer_graph_id", path="parent_name",
                             expected="the acquirer's holders from the graph, or no acquirer_graph_id")
    tree["acquirer"] = gid
    tree["entities"] = [{"id": gid, **ents[0]}] if ents[0] else []


_ENTITY_AT = re.compile(r"entities\[(\d+)\]")


def _row_entity_path(path: str, tree: dict[str, Any] | None, expanded: dict[str, Any] | None = None) -> str:
    """``entities[i]...`` as the path the row's columns for that entity are documented under (position i
    may hold the parent or the holding entity). ``expanded``: the row's deal with its graph chain read in
    (rows naming ``acquirer_graph_id``); the graph's entities above the acquirer have no columns and are
    named ``graph:ID``."""
    m = _ENTITY_AT.match(path)
    deal = expanded or tree or {}
    ents = deal.get("entities") or []
    if not m or not tree or int(m.group(1)) >= len(ents):
        return path
    eid = str(ents[int(m.group(1))].get("id"))
    if eid == deal.get("acquirer"):
        root: str | None = "entities[0]"
    elif "acquirer_graph_id" in tree:
        root = ROW_ENTITY_PATHS[eid] if eid in {e for e, _, _ in ROW_ENTITIES.values()} else f"graph:{eid}"
    else:
        root = ROW_ENTITY_PATHS.get(eid)
    return root + path[m.end():] if root else path


def _column_of(path: str | None, tree: dict[str, Any] | None = None, expanded: dict[str, Any] | None = None) -> str:
    """The column a deal path points at (the column of the longest path holding it; the path itself when
    no column holds it)."""
    if not path:
        return ""
    if path in COLUMNS:
        return path
    return _holding_column(_row_entity_path(path, tree, expanded))


@lru_cache(maxsize=4096)
def _holding_column(path: str) -> str:
    """The column of the longest column path holding ``path`` (a row-entity path), else ``path``."""
    holding = [p for p in PATH_TO_COLUMN if path == p or path.startswith(p + ".") or path.startswith(p + "[")]
    return PATH_TO_COLUMN[max(holding, key=len)] if holding else path


def _key(deal_map: dict[str, Any]) -> str:
    """Rows whose deals differ only in names and the matter give the same result."""
    d = {k: v for k, v in deal_map.items() if k != "matter"}
    d["entities"] = [{k: v for k, v in e.items() if k != "name"} for e in deal_map.get("entities", [])]
    d["target"] = {k: v for k, v in deal_map.get("target", {}).items() if k != "name"}
    return json.dumps(d, sort_keys=True, default=str)


def _result(number: int, matter: str, s: Screened, tree: dict[str, Any] | None = None,
            expanded: dict[str, Any] | None = None) -> dict[str, Any]:
    """One output row, read off the deal's determination and assessment (nothing re-derived; its Screening
    is built only when the row is explained). Classes the law cannot settle on the facts given are empty;
    ``facts_to_confirm`` names the facts still to confirm by the columns that hold them (``tree``: the
    row's deal mapping; ``expanded``: it with its graph chain), else by their paths."""
    f, a = s.det, s.assessment
    top = sorted(a.findings, key=lambda x: -x.total)[:3]
    best = a.mitigations.suggestions[0] if a.mitigations.suggestions else None
    return {"row": number, "matter": matter, "as_of": s.regime.as_of, "outcome": f.outcome.code,
            "foreign_investor": f.foreign_investor.status, "investor_class": f.investor_class.investor_class or "",
            "target_class": f.target_class.fefta_class or "", "prior_notification": f.prior_notification_required.status,
            "exemption": f.exemption.eligible, "exemption_kind": f.exemption.kind or "", "must_file": f.must_file.status,
            "waiting_days": f.waiting_period_days.days if f.waiting_period_days.status != "no" else None,
            "post_investment_report": f.post_investment_report.status, "threat": a.scores.threat, "sensitivity": a.scores.sensitivity,
            "access": a.scores.access, "overall": a.scores.overall,
            "overall_high": a.scores.range.high if a.scores.range else a.scores.overall, "tier": a.scores.tier, "predicted_outcome": a.scores.predicted_outcome,
            "residual_overall": a.mitigations.residual.overall, "top_findings": [x.id for x in top],
            "best_mitigation": best.measure if best else "", "overall_after_best_mitigation": best.overall_after if best else None,
            "facts_to_confirm": list(dict.fromkeys(_column_of(fact.path, tree, expanded) for fact in f.open_facts()))}


@dataclass(slots=True)
class _Parsed:
    """The first row of a distinct deal, read into the deal (and its graph chain); all three are let go
    once the deal's result row is made."""

    number: int
    tree: dict[str, Any] | None
    key: bytes
    expanded: dict[str, Any] | None = None
    deal: Deal | None = None


#: distinct deals screened at a time, as the rows are read: a batch's columns are shared within a slice
#: of this size, and a slice's deals, determinations and assessments are let go once its result rows are
#: made into columns, so that what grows with the file is about 2.4 KB a row (442 MiB at 60,000 rows), not the 40 KB or so
#: a deal takes while it is screened (bench/parquet.py reports the peak)
SCREEN_SLICE = 2000
#: the result columns of a distinct deal (a row's own number and matter are added to them)
OUTCOME_COLUMNS = OUTPUT_COLUMNS[2:]
#: result columns of real numbers (empty where a row has none): typed as such in every slice, so that
#: a slice in which no row has a value does not turn the column into objects
FLOAT_COLUMNS = ("threat", "sensitivity", "access", "overall", "overall_high", "residual_overall", "overall_after_best_mitigation")


class _Outcomes:
    """The outcome of every distinct deal screened so far, by key: its result row, kept with its slice's
    rows as typed columns (a DataFrame per slice), or its error."""

    def __init__(self, explain: bool) -> None:
        self.columns = [*OUTCOME_COLUMNS, *([EXPLANATION] if explain else [])]
        self.index: dict[bytes, int] = {}
        """A deal's result row among all slices' rows (0, 1, ...), or -1 - k for its error ``errors[k]``."""
        self.slices: list[pd.DataFrame] = []
        self.errors: list[dict[str, Any]] = []
        self.rows = 0

    def __contains__(self, key: bytes) -> bool:
        return key in self.index

    def add(self, keyed: list[tuple[bytes, dict[str, Any]]]) -> None:
        """One slice's outcomes (key, result row or error), the result rows made into columns."""
        good = []
        for key, outcome in keyed:
            if "message" in outcome:
                self.index[key] = -1 - len(self.errors)
                self.errors.append(outcome)
            else:
                self.index[key] = self.rows + len(good)
                good.append(outcome)
        if good:
            self.slices.append(self._frame(good))
            self.rows += len(good)

    def _frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=self.columns).astype({c: "float64" for c in FLOAT_COLUMNS})

    def table(self, numbers: Sequence[int], keys: Sequence[bytes], matters: Sequence[str]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
        """The result rows of the rows (number, deal key, matter) in their order, and the errors of those
        whose deal failed, with their row numbers."""
        which = np.fromiter((self.index[k] for k in keys), dtype=np.int64, count=len(keys))
        good = np.flatnonzero(which >= 0)
        frame = (pd.concat(self.slices, ignore_index=True) if self.slices else self._frame([])).take(which[good])
        frame.insert(0, "matter", [matters[i] for i in good.tolist()])
        frame.insert(0, "row", np.asarray(numbers, dtype=np.int64)[good])
        errors = [{**self.errors[-1 - int(which[i])], "row": numbers[i]} for i in np.flatnonzero(which < 0).tolist()]
        return _typed(frame.reset_index(drop=True)), errors


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with each column's type inferred from all its rows, as if it had been made in one piece:
    a column joined from slices (or partitions) that were empty or all-null in some keeps its text type."""
    return frame.infer_objects()


def screen_records(records: Iterable[tuple[int, dict[str, Any]]], as_of: dt.date | None = None,
                   tick: Callable[[int], None] | None = None, graph_db: str | Path | None = None,
                   explain: bool = False) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Screen (row number, flat row) pairs; return (results, errors). The engine for every backend.
    ``graph_db``: the ownership graph for rows naming ``acquirer_graph_id``. Each row is read into a deal
    (a bad row is an error with its column); the distinct deals are screened together,
    :data:`SCREEN_SLICE` at a time as they are read: the look-through once per as-of date over all of a
    slice (:func:`fdiscreen.screening.screened_each`). ``tick`` is told each row once its result (or
    error) is known. ``explain``: each result also holds its row's whole Screening as JSON
    (``explanation``: reasons, citations, findings; the rows are then screened by their own names, not
    shared with rows that differ only in names). The results are a table in row order
    (:data:`OUTPUT_COLUMNS`), the errors a list sorted by row."""
    with collector_paused():
        return _screen_records(records, as_of, tick or (lambda n: None), graph_db, explain)


def _screen_records(records: Iterable[tuple[int, dict[str, Any]]], as_of: dt.date | None, tick: Callable[[int], None],
                    graph_db: str | Path | None, explain: bool) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []
    numbers, keys, matters = array("q"), [], []  # the good rows
    distinct: dict[bytes, _Parsed] = {}
    outcomes = _Outcomes(explain)
    waiting: Counter[bytes] = Counter()  # rows of each deal read but not yet screened
    pending: list[_Parsed] = []
    for number, row in records:
        parsed = _parse_row(number, row, graph_db, distinct, outcomes, errors, explain)
        if parsed is None:
            tick(1)
            continue
        key, matter = parsed
        numbers.append(number)
        keys.append(key)
        matters.append(matter)
        if key in outcomes:
            tick(1)
            continue
        waiting[key] += 1
        if waiting[key] == 1:
            pending.append(distinct[key])
        if len(pending) == SCREEN_SLICE:
            _screen_slice(pending, as_of, explain, outcomes, distinct)
            tick(sum(waiting.pop(p.key) for p in pending))
            pending = []
    _screen_slice(pending, as_of, explain, outcomes, distinct)
    tick(sum(waiting.values()))
    results, failed = outcomes.table(numbers, keys, matters)
    return results, sorted([*errors, *failed], key=lambda e: e["row"])


def _screen_slice(part: list[_Parsed], as_of: dt.date | None, explain: bool, outcomes: _Outcomes, distinct: dict[bytes, _Parsed]) -> None:
    """Screen a slice of distinct deals together into ``outcomes``, letting each deal go once its
    result row is made."""
    if not part:
        return
    outcomes.add([(p.key, _outcome_of(p, s, explain)) for p, s in zip(part, screened_each([cast(Deal, p.deal) for p in part], as_of,
                                                                                          explained=explain))])
    for p in part:
        del distinct[p.key]


def _parse_row(number: int, row: dict[str, Any], graph_db: str | Path | None, distinct: dict[bytes, _Parsed], outcomes: _Outcomes,
               errors: list[dict[str, Any]], by_name: bool = False) -> tuple[bytes, str] | None:
    """Read one row into a deal: its deal's key and its matter. Identical deals apart from names are read
    once (with ``by_name``, only identical deals): a deal already screened (in ``outcomes``) or waiting
    (in ``distinct``) is not read again. A bad row goes to ``errors`` with its column and None is
    returned. A deal's key is a 128-bit digest of its mapping, so that a million keys take 50 MB, not a
    gigabyte."""
    tree: dict[str, Any] | None = None
    expanded: dict[str, Any] | None = None
    try:
        tree = row_to_deal(row, number)
        key = hashlib.blake2b((json.dumps(tree, sort_keys=True, default=str) if by_name else _key(tree)).encode(), digest_size=16).digest()
        if key not in distinct and key not in outcomes:
            expanded = expand_graph_refs(tree, graph_db, None)
            distinct[key] = _Parsed(number, tree, key, expanded, parse_deal(expanded))
        return key, tree["matter"]
    except FdiscreenError as exc:
        errors.append(_error_of(number, exc, tree, expanded))
    except Exception as exc:  # noqa: BLE001 - a fault reading one row must not cost the others
        errors.append(_internal_error(number, exc))
    return None


def _outcome_of(p: _Parsed, s: Screened | Exception, explain: bool = False) -> dict[str, Any]:
    """One distinct deal's result row (with its Screening JSON when ``explain``), or its error (row
    number added by the caller)."""
    try:
        if not isinstance(s, Exception):
            return {**_result(0, "", s, p.tree, p.expanded), **({EXPLANATION: s.screening().model_dump_json()} if explain else {})}
    except Exception as exc:  # noqa: BLE001 - a fault building one row must not cost the others
        s = exc
    if isinstance(s, FdiscreenError):
        return {k: v for k, v in _error_of(p.number, s, p.tree, p.expanded).items() if k != "row"}
    # a fault screening one row must not cost the others
    return {k: v for k, v in _internal_error(p.number, s).items() if k != "row"}


def _error_of(number: int, exc: FdiscreenError, tree: dict[str, Any] | None, expanded: dict[str, Any] | None) -> dict[str, Any]:
    return {"row": number, "column": _column_of(exc.path, tree, expanded),
            "message": exc.message + (f" (expected {exc.expected})" if exc.expected else "")}


def _internal_error(number: int, exc: Exception) -> dict[str, Any]:
    return {"row": number, "column": "", "message": f"internal error screening this row: {type(exc).__name__}: {str(exc)[:200]}"}


def _records(frame: pd.DataFrame, first_row: int = 1) -> list[tuple[int, dict[str, Any]]]:
    cols = list(frame.columns)
    return [(first_row + i, dict(zip(cols, values))) for i, values in enumerate(frame.itertuples(index=False, name=None))]


def screen_rows(rows: Rows, as_of: dt.date | None = None, tick: Callable[[int], None] | None = None,
                graph_db: str | Path | None = None, engine: str = "local", scheduler: str | None = None,
                workers: int | None = None, explain: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table read row by row, screened: (results, errors), the rows that could not be read among the
    errors, every list in row order."""
    if engine == "dask":
        results, errors = screen_records_dask(rows.records, as_of, scheduler, workers=workers, tick=tick, graph_db=graph_db, explain=explain)
    else:
        results, errors = screen_records(rows.records, as_of, tick, graph_db, explain)
    return _frames(results, sorted([*rows.errors, *errors], key=lambda e: e["row"]))


#: output columns that hold a list per row (a list column in Parquet and JSON Lines; "; "-joined in CSV)
LIST_COLUMNS = ("top_findings", "facts_to_confirm")


def _frames(results: pd.DataFrame, errors: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The results and errors tables in real dtypes: dates as dates, day counts as whole numbers (empty
    where a row has none), the findings and facts as lists; the explanation last when asked for."""
    return results.astype({"waiting_days": "Int64"}), pd.DataFrame(errors, columns=ERROR_COLUMNS)


def screen_frame(frame: pd.DataFrame, as_of: dt.date | None = None, tick: Callable[[int], None] | None = None,
                 graph_db: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Python API: a DataFrame of flat rows in, (results, errors) DataFrames out. Row numbers count data rows from 1."""
    return _frames(*screen_records(_records(frame), as_of, tick, graph_db))


def screen_frame_dask(frame: pd.DataFrame, as_of: dt.date | None = None, scheduler: str | None = None,
                      partitions: int | None = None, workers: int | None = None,
                      tick: Callable[[int], None] | None = None,
                      graph_db: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same screening on Dask: a local cluster (``workers`` processes, default one per CPU) or an
    existing one at ``scheduler``; ``tick`` is told the rows of each partition as it finishes."""
    return _frames(*screen_records_dask(_records(frame), as_of, scheduler, partitions, workers, tick, graph_db))


def screen_records_dask(records: RowSource, as_of: dt.date | None = None, scheduler: str | None = None,
                        partitions: int | None = None, workers: int | None = None,
                        tick: Callable[[int], None] | None = None, graph_db: str | Path | None = None,
                        explain: bool = False) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """:func:`screen_records` on Dask, the rows dealt out in partitions; results and errors by row number."""
    from dask.distributed import Client, as_completed

    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise FdiscreenError(f"{workers} workers", path="--workers", expected="at least 1")
    db = str(graph_db) if graph_db is not None else None  # workers open the same file read-only
    n = partitions or max(1, min(len(records), workers * 4))
    chunks = [_packed(part) for part in _dealt_out(records, n, explain)]

    def run(chunk: bytes) -> bytes:
        return _packed(screen_records(pickle.loads(chunk), as_of, graph_db=db, explain=explain))

    cluster = None if scheduler else _local_cluster(workers)
    parts: list[tuple[pd.DataFrame, list[dict[str, Any]]]] = []
    with Client(scheduler or cluster) as client:
        for future in as_completed(client.map(run, client.scatter(chunks))):  # data sent once, not in the graph
            part = pickle.loads(future.result())
            parts.append(part)
            if tick:
                tick(len(part[0]) + len(part[1]))
    if cluster is not None:
        cluster.close()
    results = _typed(pd.concat([part[0] for part in parts], ignore_index=True).sort_values("row", kind="stable", ignore_index=True))
    errors = sorted((e for part in parts for e in part[1]), key=lambda e: e["row"])
    return results, errors


def _dealt_out(records: RowSource, n: int, by_name: bool = False) -> list[RowSource]:
    """The rows dealt out into ``n`` partitions by their cells (:func:`partition_ids`), each partition a
    source of the same kind: a Parquet table's partitions are Arrow tables too, with their rows' own
    numbers, so that no row becomes a Python mapping before its worker reads it."""
    ids = partition_ids(records, n, by_name)
    return [_taken(records, np.flatnonzero(ids == k)) for k in range(n)]


def partition_ids(records: RowSource, n: int, by_name: bool = False) -> np.ndarray:
    """The partition (0 to n - 1) of each row, from a hash of its cells apart from the names
    (:data:`NAME_COLUMNS`; with ``by_name``, of all its cells): rows that differ only in names go to the
    same partition, so that a deal repeated across the file is screened once there, as the local engine
    screens it once. The cells are hashed column by column over the whole table (pandas'
    ``hash_pandas_object``, the same in every process; a cell that is neither text nor a number by its
    text), not row by row (24 s for a million rows, against half a second)."""
    table = (records.table.to_pandas() if isinstance(records, ArrowRows)
             else pd.DataFrame.from_records([row for _, row in records]))
    cells = table[[c for c in table.columns if by_name or c not in NAME_COLUMNS]]
    cells = cells.astype({c: str for c in cells.columns if cells[c].dtype == object})  # lists and mappings too
    if cells.shape[1] == 0:
        return np.zeros(len(table), dtype=np.int64)
    return (pd.util.hash_pandas_object(cells, index=False).to_numpy() % np.uint64(n)).astype(np.int64)


def _taken(records: RowSource, positions: np.ndarray) -> RowSource:
    """The rows at ``positions`` (0-based, in order), as a source of the same kind."""
    if isinstance(records, ArrowRows):
        return records.take(positions)
    rows = records if isinstance(records, list) else list(records)
    return [rows[i] for i in positions.tolist()]


def _local_cluster(workers: int) -> Any:
    """A local cluster of ``workers`` single-threaded processes for one batch. Worker logs below CRITICAL
    are silenced: a failing task still raises in the client, and shutdown races (a heartbeat to a closed
    scheduler) would otherwise print tracebacks after a good run. The workers' statistical profiler is
    off: it serves the dashboard, which is off too, and its samples of the rules' deep stacks cost about
    12% of each task (four alternating runs with and without it on 12,000 rows of bench/make_deals.py)."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            silence_logs=logging.CRITICAL)


def _packed(value: Any) -> bytes:
    """A partition's rows (or results) as one pickle: Dask sends bytes as they are, where a list of row
    mappings would be walked item by item (3.5 s for 12,000 rows against 0.15 s as bytes, measured)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def summary(results: pd.DataFrame) -> list[str]:
    """How many rows fall in each filing outcome and each risk tier (most frequent first)."""
    lines = []
    for column in ("outcome", "tier"):
        counts = results[column].value_counts(sort=True)
        lines.append(f"{column}: " + ", ".join(f"{value} {n:,}" for value, n in counts.items()) if len(counts) else f"{column}: none")
    return lines


# -- files --------------------------------------------------------------------------------------

class RowSource(Protocol):
    """The rows of an input table as (row number, cells), counted and read in order: a list, or a Parquet
    table's rows made as they are read (:class:`ArrowRows`)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]: ...


class ArrowRows:
    """A Parquet table's rows as (row number, cells), each batch of rows made into Python mappings only
    when it is read, so that the table stays in Arrow's columns while it is screened (the mappings of
    the whole table took about 2 KB a row)."""

    def __init__(self, table: pa.Table, batch_rows: int = 4096, numbers: np.ndarray | None = None) -> None:
        self.table = table
        self.batch_rows = batch_rows
        self.numbers = numbers
        """The rows' numbers in the file (None: 1, 2, ... in order; a part of a table keeps its rows' own)."""

    def __len__(self) -> int:
        return self.table.num_rows

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        batches = self.table.to_batches(max_chunksize=self.batch_rows)
        cells = (cells for batch in batches for cells in batch.to_pylist())
        return enumerate(cells, start=1) if self.numbers is None else zip(self.numbers.tolist(), cells)

    def take(self, positions: np.ndarray) -> "ArrowRows":
        """The rows at ``positions`` (0-based), with their numbers."""
        numbers = np.arange(1, len(self) + 1, dtype=np.int64) if self.numbers is None else self.numbers
        return ArrowRows(self.table.take(positions), self.batch_rows, numbers[positions])


@dataclass
class Rows:
    """An input table read row by row: the rows that could be read (row number, cells) and, for the
    others, an error each (row, column, message). A damaged row never costs the file's other rows."""

    records: RowSource
    errors: list[dict[str, Any]]


#: a CSV row spanning more physical lines than this is taken to have an unterminated quote
MAX_LINES_PER_ROW = 100
TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")


def _row_error(row: int, message: str, column: str = "") -> dict[str, Any]:
    return {"row": row, "column": column, "message": message}


def _text_of(data: bytes) -> str:
    """The file as text: UTF-8 (a BOM allowed); a file that reads as Shift_JIS (cp932, as Japanese
    spreadsheets save) and holds more bytes that are not UTF-8 than UTF-8 characters beyond ASCII is
    read as Shift_JIS; otherwise bytes that are not UTF-8 are kept as markers so that only the rows
    holding them fail."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in lenient if "\udc80" <= ch <= "\udcff")
    if bad > sum(1 for ch in lenient if ch > "\x7f") - bad:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError:
            pass
    return lenient


def _undecodable(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _physical_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _csv_records(text: str) -> Iterable[tuple[int, str | None]]:
    """(first line number, the text of one CSV record) for each record; None as the text of a record
    whose quote never closes (within MAX_LINES_PER_ROW lines): reading resumes on its next line."""
    lines = _physical_lines(text)
    i = 0
    while i < len(lines):
        j, quotes = i, lines[i].count('"')
        while quotes % 2 and j + 1 < len(lines) and j - i < MAX_LINES_PER_ROW:
            j += 1
            quotes += lines[j].count('"')
        if quotes % 2:
            yield i + 1, None
            i += 1
            continue
        yield i + 1, "".join(lines[i:j + 1])
        i = j + 1


def _csv_rows(data: bytes, name: str) -> Rows:
    records: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    header: list[str] | None = None
    number = 0
    for line, record in _csv_records(_text_of(data)):
        if header is None:
            if record is None or _undecodable(record):
                raise FdiscreenError(f"the header (line {line}) cannot be read", file=name, expected="a header row of column names in UTF-8")
            header = next(csv.reader([record]), None) or None  # a blank first line is skipped
            continue
        if record is not None and not record.strip():
            continue
        number += 1
        if record is None:
            errors.append(_row_error(number, f"line {line}: a quote opened here is never closed"))
        elif _undecodable(record):
            errors.append(_row_error(number, f"line {line}: bytes that are not UTF-8 text (save the table as UTF-8)"))
        else:
            try:
                cells = next(csv.reader([record], strict=True), [])
            except csv.Error as exc:
                errors.append(_row_error(number, f"line {line}: {exc}"))
                continue
            if len(cells) != len(header):
                errors.append(_row_error(number, f"line {line}: {len(cells)} fields where the header has {len(header)}"))
            else:
                records.append((number, dict(zip(header, cells))))
    if header is None:
        raise FdiscreenError("no header row", file=name, expected="a CSV table with a header of column names")
    return Rows(records, errors)


def _jsonl_rows(data: bytes, name: str) -> Rows:
    """One JSON object per line; each line read on its own (row number = line number)."""
    from fdiscreen.load import strict_json_loads

    records: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            value = strict_json_loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            errors.append(_row_error(number, "bytes that are not UTF-8 text"))
            continue
        except json.JSONDecodeError as exc:
            errors.append(_row_error(number, f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        except FdiscreenError as exc:
            errors.append(_row_error(number, exc.message, exc.path or ""))
            continue
        except (ValueError, RecursionError) as exc:
            errors.append(_row_error(number, f"not valid JSON: {str(exc)[:80]}"))
            continue
        if isinstance(value, dict):
            records.append((number, value))
        else:
            errors.append(_row_error(number, f"a JSON {type(value).__name__}, not an object of columns"))
    return Rows(records, errors)


def _parquet_rows(source: Path | io.BytesIO, name: str) -> Rows:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(source)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
        raise FdiscreenError(f"cannot read Parquet: {str(exc)[:200]}", file=name, expected="a Parquet table") from None
    return Rows(ArrowRows(table), [])


def read_rows(path: Path) -> Rows:
    """An input table (CSV, Parquet or JSON Lines, by suffix), read row by row."""
    from fdiscreen.infiles import TABLE_LIMIT, read_input

    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise FdiscreenError(f"unsupported table format {suffix!r}", file=str(path), expected=".csv, .parquet or .jsonl")
    return _rows(read_input(path, "a CSV, Parquet or JSON Lines table", TABLE_LIMIT), suffix, str(path))


def read_rows_bytes(name: str, data: bytes) -> Rows:
    """An uploaded table (the format by the suffix of ``name``), read like :func:`read_rows`."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in TABLE_SUFFIXES:
        raise FdiscreenError(f"unsupported table format {suffix!r}", file=name, expected=".csv, .parquet or .jsonl")
    return _rows(data, suffix, name)


def _rows(data: bytes, suffix: str, name: str) -> Rows:
    if suffix == ".csv":
        return _csv_rows(data, name)
    if suffix == ".parquet":
        return _parquet_rows(io.BytesIO(data), name)
    return _jsonl_rows(data, name)


def read_table(path: str | Path) -> pd.DataFrame:
    """A table of results or deals as a DataFrame (every CSV cell as text); a damaged file is an error."""
    path = Path(path)
    if not path.is_file():
        raise FdiscreenError("no such file", file=str(path), expected="a CSV, Parquet or JSON Lines table")
    return _read_table(path, path.suffix.lower(), str(path))


def _read_table(source: Path, suffix: str, name: str) -> pd.DataFrame:
    try:
        if suffix == ".csv":
            return pd.read_csv(source, dtype=str, keep_default_na=False)
        if suffix == ".parquet":
            return pd.read_parquet(source)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(source, lines=True, dtype=False)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FdiscreenError(f"cannot read table: {str(exc)[:200]}", file=name) from None
    raise FdiscreenError(f"unsupported table format {suffix!r}", file=name, expected=".csv, .parquet or .jsonl")


def errors_path_for(out: Path) -> Path:
    return out.with_name(out.stem + ".errors.csv")


def explain_path_for(out: Path) -> Path:
    return out.with_name(out.stem + ".explain.jsonl")


def explanations_jsonl(results: pd.DataFrame) -> str:
    """One line per result row: its row number and its whole Screening (``batch --explain``)."""
    return "".join(f'{{"row": {int(row)}, "screening": {text}}}\n' for row, text in zip(results["row"], results[EXPLANATION]))
