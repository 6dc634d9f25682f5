"""Fuzz the JSON API from its own OpenAPI spec (schemathesis, in process, no network): whatever the
body or query, the answer is never a server error, and the OpenAPI document describes the API
(schemathesis's conformance checks)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

from fdiscreen.model import HORIZON
from fdiscreen.regime import load_catalog
from fdiscreen.web.app import create_app
from fdiscreen.web.memo_pool import MEMO_QUEUE_LIMIT_S, MEMO_TIME_LIMIT_S

LOOPBACK = {"host": "127.0.0.1:8765"}  # the guard answers only loopback host names
# The document bounds every date with formatMinimum/formatMaximum, which schemathesis does not read:
# schema-valid dates are drawn from the range the regime is encoded for.
schemathesis.openapi.format("date", st.dates(load_catalog().encoded_from, HORIZON).map(dt.date.isoformat))
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), headers=LOOPBACK)
# The coverage phase adds about 1,200 boundary cases per operation, among them lists of the 5,000 items
# maxItems allows, whose memos take the renderer up to its time limit: too slow for CI. Set
# FDISCREEN_FUZZ_COVERAGE=1 to run it (and expect minutes).
schema.config.phases.coverage.enabled = os.environ.get("FDISCREEN_FUZZ_COVERAGE") == "1"
# A memo may take up to the renderers' limits before it is answered (503 past them), longer than
# schemathesis's default 10 s request timeout.
schema.config.request_timeout = MEMO_TIME_LIMIT_S + MEMO_QUEUE_LIMIT_S + 30
# 413 (body over the cap, e.g. more list items than maxItems allows) is a refusal too.
schema.config.checks.negative_data_rejection.expected_statuses = [*schema.config.checks.negative_data_rejection.expected_statuses, "413"]
CONFORMANCE = [checks.response_schema_conformance, checks.status_code_conformance, checks.content_type_conformance,
               checks.negative_data_rejection, checks.positive_data_acceptance]


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx(case: schemathesis.Case) -> None:
    response = case.call(headers=LOOPBACK)
    body = response.content  # bytes: a memo answered 200 is a PDF or DOCX, not text
    timed_out = case.path == "/api/memo" and response.status_code == 503 and b"limit" in body  # documented
    assert response.status_code < 500 or timed_out, f"{case.method} {case.path}: {response.status_code} {body[:500]!r}"
    assert b"host not allowed" not in body  # the request reached the application
    if response.status_code == 422:
        error = response.json().get("error")
        assert isinstance(error, str) and error and "\n" not in error


def _ids_among(wanted: list[str], ids: list[str], exclude: str | None = None) -> list[str]:
    others = [i for i in ids if i != exclude]
    return [w if w in others else others[k % len(others)] for k, w in enumerate(wanted)] if others else []


def _fit_100(rows: list[dict[str, Any]], key: str) -> None:
    total = sum(r[key] for r in rows)
    if total > 100:
        for r in rows:
            r[key] = r[key] * 99 / total


def consistent(body: dict[str, Any]) -> dict[str, Any]:
    """A schema-valid deal body made to satisfy the rules the API description lists as beyond JSON
    Schema (ids resolve and are unique, holdings fit in 100%, an acquisition does not lower the stake,
    each kind of act carries its own block, a JSIC code names a catalogued activity). The body stays
    schema-valid, so positive_data_acceptance then asks: is every such request screened?"""
    ents = body["entities"]
    seen: set[str] = set()
    for i, e in enumerate(ents):
        if e["id"] in seen:
            e["id"] = f"{e['id']}~{i}"
        seen.add(e["id"])
    ids = [e["id"] for e in ents]
    kinds = {e["id"]: e["kind"] for e in ents}
    if body["acquirer"] not in ids:
        body["acquirer"] = ids[0]
    for e in ents:
        owners = e.get("owners") or []
        e["owners"] = [{**h, "owner": o} for h, o in zip(owners, _ids_among([h["owner"] for h in owners], ids, e["id"]))]
        _fit_100(e["owners"], "voting_pct")
        if e.get("partnership"):
            p = e["partnership"]
            p["executing_partners"] = _ids_among(p.get("executing_partners") or [], ids)
            p["contributions"] = [{**c, "partner": o} for c, o in
                                  zip(p.get("contributions") or [], _ids_among([c["partner"] for c in p.get("contributions") or []], ids))]
            _fit_100(p["contributions"], "contribution_pct")
        individuals = [i for i in ids if kinds[i] == "individual"]
        if e["kind"] == "individual":
            rel = e.get("relatives") or []
            e["relatives"] = [{**r, "person": o} for r, o in zip(rel, _ids_among([r["person"] for r in rel], individuals, e["id"]))]
            e["officer_of"] = _ids_among(e.get("officer_of") or [], ids, e["id"])
        else:
            e["relatives"], e["officer_of"] = [], []
        e["discretionary_mandate_for"] = _ids_among(e.get("discretionary_mandate_for") or [], ids, e["id"])
        if e["id"] == body["acquirer"]:
            e["target_voting_pct"] = None
        officers = e.get("officers") or {}
        for part, whole in (("directors_non_resident", "directors_total"), ("representatives_non_resident", "representatives_total"),
                            ("appointed_by_state_or_obliged", "directors_total"),
                            ("representatives_appointed_by_state_or_obliged", "representatives_total")):
            if officers.get(part) is not None and officers.get(whole) is not None:
                officers[part] = min(officers[part], officers[whole])
    tx = body["transaction"]
    kind = tx.get("kind", "share_acquisition")
    for block, block_kind, fill in (("loan", "loan", {"amount_jpy": 1, "term_years": 2}),
                                    ("indirect", "indirect_acquisition", {"holding_entity": ids[0], "holding_entity_stake_in_target_pct": 50,
                                                                          "acquirer_voting_after_pct": 50}),
                                    ("former_resident_transfer", "former_resident_share_transfer",
                                     {"held_since_before_non_resident": True, "transferee_foreign_investor": True})):
        if kind != block_kind:
            tx.pop(block, None)
        elif not tx.get(block):
            tx[block] = fill
    if tx.get("nominee"):
        tx["nominee"]["acting_for"] = _ids_among([tx["nominee"]["acting_for"]], ids)[0]
    if tx.get("indirect"):
        ind = tx["indirect"]
        if len(ids) == 1:  # the holding entity is another entity than the acquirer
            ents.append({"id": f"{ids[0]}~holding", "name": "holding", "kind": "corporation", "jurisdiction": "US"})
            ids.append(ents[-1]["id"])
        ind["holding_entity"] = _ids_among([ind["holding_entity"]], ids, body["acquirer"])[0]
        if ind.get("acquirer_voting_before_pct", 0) > ind["acquirer_voting_after_pct"]:
            ind["acquirer_voting_before_pct"], ind["acquirer_voting_after_pct"] = ind["acquirer_voting_after_pct"], ind["acquirer_voting_before_pct"]
    if kind == "share_acquisition":
        for before, after in (("shares_before_pct", "shares_after_pct"), ("voting_before_pct", "voting_after_pct")):
            if tx.get(after) is not None and tx.get(before) is not None and tx[after] < tx[before]:
                tx[before], tx[after] = tx[after], tx[before]
        if tx.get("voting_after_pct") is None and tx.get("voting_before_pct") is not None and tx.get("shares_after_pct") is not None:
            tx["voting_before_pct"] = min(tx["voting_before_pct"], tx["shares_after_pct"])
        if tx.get("voting_after_pct") is not None and tx.get("voting_before_pct") is None:
            tx["voting_after_pct"] = max(tx["voting_after_pct"], tx.get("shares_before_pct", 0))
    voting_after = tx.get("voting_after_pct") if tx.get("voting_after_pct") is not None else tx.get("shares_after_pct")
    rows = [{"v": voting_after or 0}, {"v": tx.get("closely_related_voting_pct", 0)}]
    rows += [{"v": e["target_voting_pct"]} for e in ents if e.get("target_voting_pct") is not None]
    if sum(r["v"] for r in rows) > 100:
        tx["closely_related_voting_pct"] = 0
        for e in ents:
            e["target_voting_pct"] = None
        if (voting_after or 0) > 100:
            tx["voting_after_pct"] = None
    catalog = load_catalog()
    businesses = [*body["target"].get("businesses", []),
                  *(b for sub in body["target"].get("subsidiaries", []) for b in sub.get("businesses", []))]
    for biz in businesses:
        if biz.get("activity") is not None and not catalog.is_activity_code(biz["activity"]):
            biz["activity"] = "weapons"
    return body


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    """schemathesis's conformance checks: responses match their schemas, status codes and media types
    are documented, schema-violating requests are refused (4xx) and schema-valid ones screened."""
    meta = case.meta
    if meta is not None and meta.generation.mode == GenerationMode.POSITIVE and isinstance(case.body, dict):
        case.body = consistent(case.body)
    case.call_and_validate(headers=LOOPBACK, checks=CONFORMANCE)


# Random bodies rarely get past the cross-reference checks (ids, country codes), so also mutate the
# bundled examples a few fields at a time: these reach the screening itself.

import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fdiscreen.load import read_mapping  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASES = [json.loads(json.dumps(read_mapping(p), default=str))
         for p in sorted((ROOT / "examples").glob("*")) if p.suffix in (".yaml", ".json")]
CLIENT = TestClient(create_app(), base_url="http://127.0.0.1:8765")


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [path] + [q for k, v in data.items() for q in _leaves(v, (*path, k))]
    if isinstance(data, list):
        return [path] + [q for i, v in enumerate(data) for q in _leaves(v, (*path, i))]
    return [path]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 250), st.floats(-1, 120, allow_nan=False), st.text(max_size=6),
    st.sampled_from(["JP", "CN", "US", "core", "designated", "share_acquisition", "loan", "indirect_acquisition", "consent_only",
                     "branch_establishment", "market", "sovereign_wealth_fund", "government", "individual", "2019-11-29",
                     "2026-06-05", "1990-01-01", "machine_tools_robots", "no_board_seat", [], {}]),
)


@given(base=st.sampled_from(BASES), data=st.data())
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_mutated_examples_never_answer_5xx(base: dict[str, Any], data: st.DataObject) -> None:
    deal = json.loads(json.dumps(base))
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(_leaves(deal)[1:]))
        deal = _set(deal, path, data.draw(VALUES))
    query = data.draw(st.sampled_from(["", "?as_of=2008-01-01", "?as_of=2026-11-22&mitigate=no_board_seat",
                                       "?amendment_effective=2026-07-01"]))
    r = CLIENT.post(f"/api/screen{query}", json=deal)
    assert r.status_code in (200, 422), f"{r.status_code} {r.text[:500]}\n{json.dumps(deal)[:2000]}"
    if r.status_code == 422:
        assert r.json()["error"]
