"""Fuzz the JSON API from its own OpenAPI spec (schemathesis, in process, no network): whatever the
body or query, the answer is never a server error."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from fdiscreen.web.app import create_app

LOOPBACK = {"host": "127.0.0.1:8765"}  # the guard answers only loopback host names
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), headers=LOOPBACK)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx(case: schemathesis.Case) -> None:
    response = case.call(headers=LOOPBACK)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:500]}"
    assert "host not allowed" not in response.text  # the request reached the application
    if response.status_code == 422:
        body = response.json()
        assert isinstance(body.get("error"), str) and body["error"] and "\n" not in body["error"]


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
