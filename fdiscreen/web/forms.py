"""The screening form's fields, the form -> deal mapping, and uploaded deal files -> mappings.

Every value from a request is treated as data: nothing here opens a path a request names. Uploaded
files are parsed in memory with the same checks and messages as ``load.read_mapping``; the deal is then
validated by ``load.parse_deal`` exactly as the CLI does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fdiscreen.errors import FdiscreenError
from fdiscreen.load import parse_mapping_bytes
from fdiscreen.model import kind_detail_mismatch

FORM_FILE = "form"
MAX_UPLOAD_BYTES = 1024 * 1024  # one deal file
UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
MIN_BIDS, MAX_BIDS = 2, 5  # deals on one comparison page
MAX_TABLE_BYTES = 5 * MAX_UPLOAD_BYTES  # one table of deals on the batch page
TABLE_MB = MAX_TABLE_BYTES // (1024 * 1024)
MAX_TABLE_ROWS = 10_000  # rows screened while the page waits; `fdiscreen batch` takes any number
MAX_REQUEST_BYTES = 6 * MAX_UPLOAD_BYTES  # a whole request: up to five deal files, or one table, and the form fields
MAX_OWNERS = 3
MAX_BUSINESSES = 4
MAX_SUBSIDIARIES = 3

ACQUIRER_TRI = ["listed", "accredited", "fefta_violation_sanctioned", "information_cooperation_duty",
                "decisions_by_obliged_persons", "decisions_at_office_in_obliging_country", "contractual_disclosure_duty",
                "military_links"]
TECH_ACCESS = ["non_public_technology_information", "any_non_public_information", "information_rights", "joint_development",
               "site_access", "personnel_exchange", "proposes_rule_changes"]
TX_COUNTS = ["board_seats", "auditor_seats", "observer_seats"]
TX_PCTS = ["shares_before_pct", "shares_after_pct", "closely_related_voting_pct", "proxy_voting_pct"]
TX_BOXES = ["core_committee_attendance", "relocate_production_abroad", "written_proposals_with_deadline", "convertible_instruments"]
TARGET_TRI = ["subsidiaries_complete", "specified_core_business_entity", "defence_supplier", "single_source_supplier",
              "government_funded_research"]
PAST_CONDUCT = ["blocked_deal", "activist_campaign"]
LOAN_FIELDS = ["amount_jpy", "term_years", "currency", "lender_loan_balance_after_jpy", "lender_bonds_held_jpy", "borrower_liabilities_jpy"]
INDIRECT_PCTS = ["holding_entity_stake_in_target_pct", "acquirer_voting_before_pct", "acquirer_voting_after_pct"]
HOLDING_ENTITY = "holding"
PRINCIPAL_ENTITY = "principal"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class TooLarge(Exception):
    """An upload or request body over the cap (HTTP 413)."""

    def __init__(self, what: str, limit: int) -> None:
        self.what = what
        self.limit = limit
        super().__init__(f"{what} is larger than {limit // 1024} KB")


def _text(form: Mapping[str, Any], key: str) -> str | None:
    value = form.get(key)
    if value is None or not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _tri(form: Mapping[str, Any], key: str) -> bool | None:
    value = _text(form, key)
    return True if value == "true" else False if value == "false" else None


def _box(form: Mapping[str, Any], key: str) -> bool:
    return _text(form, key) in ("on", "true", "1", "yes")


def _lines(form: Mapping[str, Any], key: str) -> list[str]:
    value = form.get(key)
    return [line.strip() for line in value.splitlines() if line.strip()] if isinstance(value, str) else []


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Set a field only when given: a missing required field is then reported by the deal model."""
    if value is not None:
        out[key] = value


def deal_from_form(form: Mapping[str, Any], measures: list[str]) -> dict[str, Any]:
    """The screening form's fields as a deal mapping (validated later by ``parse_deal``). Numbers stay
    text so the deal model reports a bad one by field path, as it does for a deal file."""
    acq: dict[str, Any] = {"id": "acquirer"}
    _put(acq, "name", _text(form, "acq_name"))
    _put(acq, "kind", _text(form, "acq_kind"))
    _put(acq, "jurisdiction", (_text(form, "acq_jurisdiction") or "").upper() or None)
    _put(acq, "state_owned_pct", _text(form, "acq_state_owned_pct"))
    for key in ACQUIRER_TRI:
        _put(acq, key, _tri(form, f"acq_{key}"))
    _put(acq, "investment_plan", _text(form, "acq_investment_plan"))
    past = [kind for kind in PAST_CONDUCT if _box(form, f"acq_past_{kind}")]
    if past:
        acq["past_conduct"] = past
    entities = [acq]
    holdings = []
    for i in range(1, MAX_OWNERS + 1):
        name = _text(form, f"own{i}_name")
        if not name:
            continue
        ent: dict[str, Any] = {"id": f"owner{i}", "name": name}
        _put(ent, "kind", _text(form, f"own{i}_kind"))
        _put(ent, "jurisdiction", (_text(form, f"own{i}_jurisdiction") or "").upper() or None)
        entities.append(ent)
        holding: dict[str, Any] = {"owner": f"owner{i}"}
        _put(holding, "voting_pct", _text(form, f"own{i}_voting_pct"))
        holdings.append(holding)
    if holdings:
        acq["owners"] = holdings

    target: dict[str, Any] = {}
    _put(target, "name", _text(form, "tgt_name"))
    _put(target, "listed", _tri(form, "tgt_listed"))
    _put(target, "securities_code", _text(form, "tgt_securities_code"))
    businesses = []
    for i in range(1, MAX_BUSINESSES + 1):
        name, activity = _text(form, f"biz{i}_name"), _text(form, f"biz{i}_activity")
        if not name and not activity:
            continue
        biz: dict[str, Any] = {}
        _put(biz, "name", name)
        _put(biz, "activity", activity)
        businesses.append(biz)
    target["businesses"] = businesses
    subsidiaries = _subsidiaries(form)
    if subsidiaries:
        target["subsidiaries"] = subsidiaries
    for key in TARGET_TRI:
        _put(target, key, _tri(form, f"tgt_{key}"))
    _put(target, "global_market_share_pct", _text(form, "tgt_global_market_share_pct"))
    for key in ("technologies", "critical_infrastructure"):
        lines = _lines(form, f"tgt_{key}")
        if lines:
            target[key] = lines

    tx: dict[str, Any] = {}
    _put(tx, "kind", _text(form, "tx_kind"))
    for key in TX_PCTS:
        _put(tx, key, _text(form, f"tx_{key}"))
    _put(tx, "acquired_from", _text(form, "tx_acquired_from"))
    for key in TX_COUNTS:
        _put(tx, key, _text(form, f"tx_{key}"))
    for key in TX_BOXES:
        tx[key] = _box(form, f"tx_{key}")
    tx["technology_access"] = {key: _box(form, f"ta_{key}") for key in TECH_ACCESS}
    proposals = []
    if _box(form, "tx_prop_transfer"):
        proposals.append({"kind": "designated_business_transfer", "proposed_by_investor": True})
    if _box(form, "tx_prop_abolition"):
        proposals.append({"kind": "designated_business_abolition", "proposed_by_investor": True})
    if proposals:
        tx["proposals"] = proposals
    _put(tx, "loan", _loan(form))
    _put(tx, "indirect", _indirect(form, entities))
    _put(tx, "nominee", _nominee(form, entities))
    joint = _text(form, "tx_joint_voting_pct")
    if joint is not None:
        tx["joint_voting"] = {"combined_voting_pct": joint}
    _check_kind_details(tx)
    if measures:
        tx["risk_mitigation_measures"] = list(dict.fromkeys(measures))

    matter = _text(form, "matter") or " / ".join(x for x in (acq.get("name"), target.get("name")) if x) or "web form"
    deal: dict[str, Any] = {"matter": matter, "acquirer": "acquirer", "entities": entities, "target": target, "transaction": tx}
    _put(deal, "as_of", _text(form, "as_of"))
    return deal


def _subsidiaries(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The target's subsidiaries (子会社) with one business line each: a designated or core subsidiary
    makes the target one. A row with an activity or share but no name is kept so the model names it."""
    out = []
    for i in range(1, MAX_SUBSIDIARIES + 1):
        sub: dict[str, Any] = {}
        _put(sub, "name", _text(form, f"sub{i}_name"))
        _put(sub, "ownership_pct", _text(form, f"sub{i}_ownership_pct"))
        activity = _text(form, f"sub{i}_activity")
        if activity:
            sub["businesses"] = [{"name": sub.get("name", "business"), "activity": activity}]
        if sub:
            out.append(sub)
    return out


def _loan(form: Mapping[str, Any]) -> dict[str, Any] | None:
    """The loan fields (金銭の貸付け), when any amount or term is given."""
    loan: dict[str, Any] = {}
    for key in LOAN_FIELDS:
        _put(loan, key, _text(form, f"loan_{key}"))
    if not loan:
        return None
    loan["lender_financial_institution_in_business"] = _box(form, "loan_lender_financial_institution_in_business")
    return loan


def _indirect(form: Mapping[str, Any], entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The indirect-acquisition fields (間接取得, 2026 amendment): the overseas holding entity joins the
    deal's entities and the acquisition of voting rights in it is the act."""
    indirect: dict[str, Any] = {}
    for key in INDIRECT_PCTS:
        _put(indirect, key, _text(form, f"ind_{key}"))
    if not _text(form, "ind_name") and not indirect:
        return None
    entities.append(_named_entity(form, "ind", HOLDING_ENTITY))
    indirect["holding_entity"] = HOLDING_ENTITY
    indirect["related_persons_take_officer_majority"] = _box(form, "ind_related_persons_take_officer_majority")
    return indirect


def _nominee(form: Mapping[str, Any], entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A nominee acquisition (名義によらない取得): the person the acquirer acts for joins the entities."""
    if not _text(form, "nom_name"):
        return None
    principal = _named_entity(form, "nom", PRINCIPAL_ENTITY)
    _put(principal, "resident_in_japan", _tri(form, "nom_resident_in_japan"))
    entities.append(principal)
    nominee: dict[str, Any] = {"acting_for": PRINCIPAL_ENTITY}
    _put(nominee, "arrangement", _text(form, "nom_arrangement"))
    return nominee


def _named_entity(form: Mapping[str, Any], prefix: str, entity_id: str) -> dict[str, Any]:
    """An entity from the form's ``{prefix}_name``, ``_kind`` and ``_jurisdiction`` fields."""
    entity: dict[str, Any] = {"id": entity_id}
    _put(entity, "name", _text(form, f"{prefix}_name"))
    _put(entity, "kind", _text(form, f"{prefix}_kind"))
    _put(entity, "jurisdiction", (_text(form, f"{prefix}_jurisdiction") or "").upper() or None)
    return entity


def _check_kind_details(tx: dict[str, Any]) -> None:
    """Loan or indirect-acquisition details only go with that kind of act (else they would be ignored)."""
    mismatch = kind_detail_mismatch(tx)
    if mismatch:
        detail, kind, given = mismatch
        raise FdiscreenError(f"{detail} details are filled in but the kind of act is {given!r}", path="transaction.kind",
                             expected=f"{kind!r}, or clear the {detail} fields")


def _entity_field(m: re.Match[str], deal: Mapping[str, Any] | None) -> str:
    """entities[i].x as the form field of the entity at i: the acquirer, owner row n or the holding entity."""
    ents = (deal or {}).get("entities") or []
    i = int(m.group(1))
    eid = ents[i].get("id") if i < len(ents) and isinstance(ents[i], dict) else ("acquirer" if i == 0 else f"owner{i}")
    prefix = {"acquirer": "acq", HOLDING_ENTITY: "ind", PRINCIPAL_ENTITY: "nom"}.get(str(eid), f"own{str(eid).removeprefix('owner')}")
    return f"{prefix}_{m.group(2)}"


_FIELD_PATHS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"transaction\.loan\.(\w+)"), lambda m: f"loan_{m.group(1)}"),
    (re.compile(r"transaction\.indirect\.(\w+)"), lambda m: f"ind_{m.group(1)}"),
    (re.compile(r"transaction\.nominee\.(\w+)"), lambda m: f"nom_{m.group(1)}"),
    (re.compile(r"transaction\.joint_voting\.\w+"), lambda m: "tx_joint_voting_pct"),

    (re.compile(r"target\.(\w+)"), lambda m: f"tgt_{m.group(1)}"),
    (re.compile(r"transaction\.(\w+)"), lambda m: f"tx_{m.group(1)}"),
    (re.compile(r"as_of"), lambda m: "as_of"),
]


_ENTITY_PATH = re.compile(r"entities\[(\d+)\]\.(\w+)")
_HOLDING_PATH = re.compile(r"entities\[0\]\.owners\[(\d+)\]\.(\w+)")


#: the form's row tables: deal path of the list -> (field prefix, the fields that make a row count, rows)
_ROW_TABLES = {"target.businesses": ("biz", ("name", "activity"), MAX_BUSINESSES),
               "target.subsidiaries": ("sub", ("name", "ownership_pct", "activity"), MAX_SUBSIDIARIES)}
_ROW_PATH = re.compile(r"(target\.businesses|target\.subsidiaries)\[(\d+)\]\.(?:businesses\[0\]\.)?(\w+)")


def _row_field(m: re.Match[str], form: Mapping[str, Any] | None) -> str:
    """The k-th item of a row table is the k-th row filled in (empty rows are skipped when the deal is built)."""
    prefix, fields, rows = _ROW_TABLES[m.group(1)]
    k = int(m.group(2))
    filled = [i for i in range(1, rows + 1) if any(_text(form or {}, f"{prefix}{i}_{f}") for f in fields)]
    row = filled[k] if k < len(filled) else k + 1
    return f"{prefix}{row}_{m.group(3)}"


def form_field(path: str, deal: Mapping[str, Any] | None = None, form: Mapping[str, Any] | None = None) -> str | None:
    """The form field an error path points at (for highlighting), when the path is a form field;
    ``deal`` (the mapping built from the form) tells which entity an ``entities[i]`` path names, and
    ``form`` (its fields) which row of a row table a list item came from."""
    m = _ROW_PATH.fullmatch(path)
    if m:
        return _row_field(m, form)
    m = _ENTITY_PATH.fullmatch(path)
    if m:
        return _entity_field(m, deal)
    m = _HOLDING_PATH.fullmatch(path)
    if m:  # the acquirer's k-th holding is the owner row it names
        holdings = (((deal or {}).get("entities") or [{}])[0].get("owners")) or []
        k = int(m.group(1))
        owner = str(holdings[k].get("owner", "")) if k < len(holdings) else ""
        return f"own{owner.removeprefix('owner')}_{m.group(2)}" if owner.startswith("owner") else None
    for pattern, field in _FIELD_PATHS:
        m = pattern.fullmatch(path)
        if m:
            return field(m)
    return None


def upload_name(filename: str | None) -> str:
    """The uploaded file's own name, for messages only: no folders, no control characters, short."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip()[:120]
    return name or "upload"


def parse_upload(name: str, data: bytes) -> dict[str, Any]:
    """An uploaded deal file's bytes as a mapping, with ``read_mapping``'s checks and messages (naming
    the uploaded file, not a temporary path)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(name, MAX_UPLOAD_BYTES)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    return parse_mapping_bytes(data, suffix, name)


# -- a deal back into the form --------------------------------------------------------------------

def _field_text(value: Any) -> str:
    """A deal value as the text a form field holds (numbers without a spurious ".0")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return "" if value is None else str(value)


def _set(values: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        values[key] = _field_text(value)


def _set_tri(values: dict[str, Any], key: str, value: Any) -> None:
    values[key] = "" if value is None else _field_text(bool(value))


def _set_box(values: dict[str, Any], key: str, value: Any) -> None:
    if value:
        values[key] = "on"


def _put_entity(values: dict[str, Any], prefix: str, ent: Mapping[str, Any]) -> None:
    _set(values, f"{prefix}_name", ent.get("name"))
    _set(values, f"{prefix}_kind", ent.get("kind"))
    _set(values, f"{prefix}_jurisdiction", ent.get("jurisdiction"))


def form_values(deal: Mapping[str, Any]) -> dict[str, Any]:
    """The form fields that hold a deal (a ``Deal`` dumped as JSON data): the inverse of
    ``deal_from_form`` for what the form can show. Parts the form has no field for (a fourth owner,
    an owner's own owners, partners, ...) are left out; ``form_gaps`` names them."""
    ents = {str(e.get("id")): e for e in deal.get("entities") or [] if isinstance(e, dict)}
    acq = ents.get(str(deal.get("acquirer")), {})
    values: dict[str, Any] = {"measure": list((deal.get("transaction") or {}).get("risk_mitigation_measures") or [])}
    _set(values, "matter", deal.get("matter"))
    _set(values, "as_of", deal.get("as_of"))
    _put_entity(values, "acq", acq)
    _set(values, "acq_state_owned_pct", acq.get("state_owned_pct"))
    for key in ACQUIRER_TRI:
        _set_tri(values, f"acq_{key}", acq.get(key))
    _set(values, "acq_investment_plan", acq.get("investment_plan"))
    for kind in acq.get("past_conduct") or []:
        _set_box(values, f"acq_past_{kind}", True)
    for i, holding in enumerate((acq.get("owners") or [])[:MAX_OWNERS], start=1):
        _put_entity(values, f"own{i}", ents.get(str(holding.get("owner")), {}))
        _set(values, f"own{i}_voting_pct", holding.get("voting_pct"))
    tgt = deal.get("target") or {}
    _set(values, "tgt_name", tgt.get("name"))
    _set(values, "tgt_listed", tgt.get("listed"))
    _set(values, "tgt_securities_code", tgt.get("securities_code"))
    for i, biz in enumerate((tgt.get("businesses") or [])[:MAX_BUSINESSES], start=1):
        _set(values, f"biz{i}_name", biz.get("name"))
        _set(values, f"biz{i}_activity", biz.get("activity"))
    for i, sub in enumerate((tgt.get("subsidiaries") or [])[:MAX_SUBSIDIARIES], start=1):
        _set(values, f"sub{i}_name", sub.get("name"))
        _set(values, f"sub{i}_ownership_pct", sub.get("ownership_pct"))
        _set(values, f"sub{i}_activity", next((b.get("activity") for b in sub.get("businesses") or [] if b.get("activity")), None))
    for key in TARGET_TRI:
        _set_tri(values, f"tgt_{key}", tgt.get(key))
    _set(values, "tgt_global_market_share_pct", tgt.get("global_market_share_pct"))
    for key in ("technologies", "critical_infrastructure"):
        if tgt.get(key):
            values[f"tgt_{key}"] = "\n".join(str(x) for x in tgt[key])
    _transaction_values(values, deal.get("transaction") or {}, ents)
    return values


def _transaction_values(values: dict[str, Any], tx: Mapping[str, Any], ents: Mapping[str, Mapping[str, Any]]) -> None:
    _set(values, "tx_kind", tx.get("kind"))
    for key in (*TX_PCTS, "acquired_from", *TX_COUNTS):
        _set(values, f"tx_{key}", tx.get(key))
    for key in TX_BOXES:
        _set_box(values, f"tx_{key}", tx.get(key))
    for key in TECH_ACCESS:
        _set_box(values, f"ta_{key}", (tx.get("technology_access") or {}).get(key))
    for proposal in tx.get("proposals") or []:
        kind = {"designated_business_transfer": "tx_prop_transfer", "designated_business_abolition": "tx_prop_abolition"}.get(proposal.get("kind"))
        if kind and proposal.get("proposed_by_investor"):
            values[kind] = "on"
    loan = tx.get("loan") or {}
    for key in LOAN_FIELDS:
        _set(values, f"loan_{key}", loan.get(key))
    _set_box(values, "loan_lender_financial_institution_in_business", loan.get("lender_financial_institution_in_business"))
    indirect = tx.get("indirect") or {}
    if indirect:
        _put_entity(values, "ind", ents.get(str(indirect.get("holding_entity")), {}))
        for key in INDIRECT_PCTS:
            _set(values, f"ind_{key}", indirect.get(key))
        _set_box(values, "ind_related_persons_take_officer_majority", indirect.get("related_persons_take_officer_majority"))
    nominee = tx.get("nominee") or {}
    if nominee:
        principal = ents.get(str(nominee.get("acting_for")), {})
        _put_entity(values, "nom", principal)
        _set_tri(values, "nom_resident_in_japan", principal.get("resident_in_japan"))
        _set(values, "nom_arrangement", nominee.get("arrangement"))
    _set(values, "tx_joint_voting_pct", (tx.get("joint_voting") or {}).get("combined_voting_pct"))


#: keys that only name entities: a deal whose ids differ from the form's is still held by the form
_ID_KEYS = frozenset({"id", "acquirer", "owner", "holding_entity", "acting_for"})


def form_gaps(original: Any, rebuilt: Any, path: str = "", limit: int = 5) -> list[str]:
    """Paths where the deal rebuilt from the form differs from the deal file (the parts the form
    cannot hold), at most ``limit``; entity ids are ignored (the form names entities its own way)."""
    out: list[str] = []
    stack: list[tuple[str, Any, Any]] = [(path, original, rebuilt)]
    while stack and len(out) < limit:
        where, a, b = stack.pop(0)
        if isinstance(a, dict) and isinstance(b, dict):
            stack.extend((f"{where}.{k}" if where else str(k), a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if k not in _ID_KEYS)
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            stack.extend((f"{where}[{i}]", x, y) for i, (x, y) in enumerate(zip(a, b)))
        elif a != b:
            out.append(where or "deal")
    return out
