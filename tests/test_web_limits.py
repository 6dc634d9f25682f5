"""The web server stays up and fair (issue 17, item 5): memos render in worker processes with a
time and a size limit, a stalled memo does not hold up screening, the token never reaches the log,
and the bad requests the hostile-client run found answer 4xx with the CLI's messages.

No assertion here is about elapsed time: a stalled render is a worker held on a gate file until the
test releases it; waiting for the worker to reach the gate has a generous timeout only so that a
broken test fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from fdiscreen.load import parse_deal, read_mapping
from fdiscreen.web.app import RedactToken, create_app, redact_query
from fdiscreen.web.memo_pool import MemoPool

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "http://127.0.0.1:8765"
BOARD_SEAT = ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml"
LOAN = ROOT / "examples" / "loan-above-thresholds.yaml"
AS_OF = "2026-11-22"
PATIENCE_S = 180  # only so that a broken test fails instead of hanging; nothing is asserted about it


@pytest.fixture(autouse=True)
def _history_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Screenings the pages run are kept in the history: keep this test's in its own folder."""
    monkeypatch.setenv("FDISCREEN_DATA_DIR", str(tmp_path / "fdiscreen-data"))


def _body(path: Path = BOARD_SEAT) -> dict[str, Any]:
    return json.loads(json.dumps(read_mapping(path), default=str))


def hold(gate: str) -> None:
    """Runs in the memo worker before the render: says it started (with its pid), then waits until the
    test creates ``release`` in the gate folder."""
    folder = Path(gate)
    (folder / f"started-{os.getpid()}").touch()
    while not (folder / "release").exists():
        time.sleep(0.02)


def _started(gate: Path, known: set[int] | None = None) -> int:
    """The pid of a worker that has reached the gate (and is not among ``known``)."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        pids = {int(p.name.split("-")[1]) for p in gate.glob("started-*")} - (known or set())
        if pids:
            return pids.pop()
        time.sleep(0.05)
    raise AssertionError("the memo worker never reached the gate")


def _gone(pid: int) -> bool:
    """Has the process exited (a zombie not yet reaped counts as gone)?"""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture()
def gate(tmp_path: Path) -> Path:
    return tmp_path


# -- memo rendering off the event loop, with limits -----------------------------------------------

def test_a_stalled_memo_does_not_hold_up_screening(gate: Path) -> None:
    pool = MemoPool(workers=1, time_limit_s=3600, before=partial(hold, str(gate)))
    answers: dict[str, httpx.Response] = {}
    with TestClient(create_app(memo_pool=pool), base_url=LOCAL) as client:
        memo = threading.Thread(target=lambda: answers.update(memo=client.post(f"/api/memo?format=md&date={AS_OF}", json=_body())))
        memo.start()
        worker = _started(gate)
        screened = client.post(f"/api/screen?as_of={AS_OF}", json=_body())
        assert screened.status_code == 200 and screened.json()["filing"]
        assert client.get(f"/api/factors?as_of={AS_OF}").status_code == 200
        assert "memo" not in answers and memo.is_alive()  # the memo is still held while the others answered
        (gate / "release").touch()
        memo.join(PATIENCE_S)
        assert answers["memo"].status_code == 200 and answers["memo"].text.startswith("# FEFTA inward investment screening memo")
    assert _gone(worker)  # the app's shutdown stops its renderers


def _pids(gate: Path) -> set[int]:
    return {int(p.name.split("-")[1]) for p in gate.glob("started-*")}


def test_a_memo_over_the_time_limit_is_503_and_its_worker_is_replaced(gate: Path) -> None:
    pool = MemoPool(workers=1, time_limit_s=600, before=partial(hold, str(gate)))
    (gate / "release").touch()
    with TestClient(create_app(memo_pool=pool), base_url=LOCAL) as client:
        assert client.post("/api/memo?format=md", json=_body()).status_code == 200  # a warm worker
        first = _started(gate)
        (gate / "release").unlink()  # from now on a render waits at the gate until released
        pool.time_limit_s = 0.5
        r = client.post("/api/memo?format=md", json=_body())
        assert r.status_code == 503 and r.headers["retry-after"].isdigit()
        message = r.json()["error"]
        assert "\n" not in message and "longer than the workbench's 0.5 s limit" in message and "fdiscreen screen --memo" in message
        assert _gone(first)  # the stuck worker was killed
        page = client.post("/memo", data={"deal": json.dumps(_body()), "dl": "pdf:en"})
        assert page.status_code == 503 and "text/html" in page.headers["content-type"] and "0.5 s limit" in page.text
        assert client.post("/api/screen", json=_body()).status_code == 200
        before = _pids(gate)
        (gate / "release").touch()
        pool.time_limit_s = 600
        assert client.post("/api/memo?format=md", json=_body()).status_code == 200
        assert _started(gate, before) not in before  # a new worker rendered it


def test_openapi_documents_503_only_for_the_memo_time_limit() -> None:
    spec = TestClient(create_app(), base_url=LOCAL).get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            fives = [code for code in op["responses"] if code.startswith("5")]
            assert fives == (["503"] if path == "/api/memo" else []), (method, path, fives)
    assert "Retry-After" in spec["paths"]["/api/memo"]["post"]["responses"]["503"]["headers"]
    assert "30 s" in spec["info"]["description"] and "20 MB" in spec["info"]["description"]


def test_a_memo_over_the_size_limit_is_refused_with_422() -> None:
    with TestClient(create_app(memo_pool=MemoPool(workers=1, max_bytes=1000)), base_url=LOCAL) as client:
        r = client.post("/api/memo?format=md", json=_body())
        assert r.status_code == 422
        assert r.json()["error"].startswith("format: the memo would be ") and "(expected a memo of at most 1 KB here" in r.json()["error"]


def test_a_deal_refused_while_screening_in_the_worker_gets_the_same_message() -> None:
    with TestClient(create_app(memo_pool=MemoPool(workers=1)), base_url=LOCAL) as client:
        memo = client.post("/api/memo?format=md&as_of=1975-01-01", json=_body())
        screen = client.post("/api/screen?as_of=1975-01-01", json=_body())
        assert memo.status_code == screen.status_code == 422
        assert memo.json() == screen.json() and "not encoded before" in memo.json()["error"]


def test_memo_requests_beyond_the_queue_are_503_at_once() -> None:
    with TestClient(create_app(memo_pool=MemoPool(workers=1, max_waiting=0)), base_url=LOCAL) as client:
        r = client.post("/api/memo?format=md", json=_body())
        assert r.status_code == 503 and "already in progress" in r.json()["error"] and r.headers["retry-after"].isdigit()


def test_the_memo_job_pickles() -> None:
    import pickle

    from fdiscreen.web.memo_pool import MemoJob

    deal = parse_deal(_body(), file="x")
    job = MemoJob("memo", [deal], "md", "en", __import__("datetime").date(2026, 11, 22), mitigate=["no_board_seat"])
    assert pickle.loads(pickle.dumps(job)) == job


# -- the token never reaches the log --------------------------------------------------------------

@pytest.mark.parametrize("target, shown", [
    ("/api/factors?token=s3cret&lang=en", "/api/factors?token=[redacted]&lang=en"),
    ("/?lang=ja&%74oken=s3cret", "/?lang=ja&%74oken=[redacted]"),
    ("/?TOKEN=s3cret", "/?TOKEN=[redacted]"),
    ("/?token", "/?token=[redacted]"),
    ("/api/schema", "/api/schema"),
    ("/?tokens=keep", "/?tokens=keep"),
])
def test_redact_query(target: str, shown: str) -> None:
    assert redact_query(target) == shown


def test_the_access_log_filter_redacts_uvicorns_request_line() -> None:
    import logging

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/api/factors?token=s3cret", "1.1", 200), None)
    RedactToken().filter(record)
    assert "s3cret" not in record.getMessage() and "token=[redacted]" in record.getMessage()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """`fdiscreen serve --token ...` in a subprocess; yields its URL, the token and its output file."""
    token, port, out = "tok-" + os.urandom(8).hex(), _free_port(), tmp_path / "serve.log"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-c", "from fdiscreen.cli import main; main()", "serve", "--port", str(port),
                                 "--token", token], stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + PATIENCE_S
        while True:
            try:
                if httpx.get(f"{url}/api/schema", headers={"x-fdiscreen-token": token}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.2)
        yield url, token, out
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_token_is_never_logged_or_printed(served: tuple[str, str, Path]) -> None:
    url, token, out = served
    assert httpx.get(f"{url}/api/factors?token={token}&lang=ja").status_code == 200
    assert httpx.get(f"{url}/api/schema?%74oken={token}").status_code == 200
    assert httpx.get(f"{url}/?token={token[:-1]}").status_code == 401  # a near miss is not logged either
    assert httpx.post(f"{url}/api/memo?format=md&token={token}", json=_body()).status_code == 200
    deadline = time.monotonic() + PATIENCE_S
    while out.read_text().count("[redacted]") < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    text = out.read_text()
    assert text.count("oken=[redacted]") == 4  # the access log is on and shows each request, its token redacted
    assert token not in text and token[:-1] not in text
    assert "fdiscreen workbench on http://127.0.0.1:" in text


# -- no 500s: the hostile-client requests answer 4xx with the CLI's message ------------------------

def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def _cli_says(deal_file: Path) -> str:
    """The one line `fdiscreen screen FILE --json` prints for a refused file, with the file named as the
    API names a body."""
    done = subprocess.run([sys.executable, "-m", "fdiscreen.cli", "screen", str(deal_file), "--json"], capture_output=True, text=True,
                          timeout=PATIENCE_S)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr.strip().removeprefix("error: ").replace(str(deal_file), "request body")


@pytest.mark.parametrize("base, path, raw, message", [
    (BOARD_SEAT, ("transaction", "board_seats"), "1" + "0" * 400, "transaction.board_seats: an integer of 401 digits"),
    (LOAN, ("transaction", "loan", "term_years"), "1e309", "transaction.loan.term_years: a number larger than 1e+18"),
    (BOARD_SEAT, ("as_of",), '"1970-01-01"', "as_of: the regime is not encoded before 1980-12-01"),
    (BOARD_SEAT, ("transaction", "closing_date"), '"9999-12-31"', "transaction.closing_date: the date 9999-12-31 is outside"),
])
def test_hostile_bodies_answer_422_with_the_cli_message(tmp_path: Path, base: Path, path: tuple[Any, ...], raw: str,
                                                        message: str) -> None:
    body = json.dumps(_set(_body(base), path, "@@"), ensure_ascii=False).replace('"@@"', raw)
    r = TestClient(create_app(), base_url=LOCAL).post("/api/screen", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and message in r.json()["error"], r.text
    deal_file = tmp_path / "deal.json"
    deal_file.write_text(body, encoding="utf-8")
    assert r.json()["error"] == _cli_says(deal_file)


@pytest.mark.parametrize("target", [
    "/api/screen?as_of=1970-01-01", "/api/screen?as_of=0", "/api/screen?as_of=20261122", "/api/screen?as_of=",
    "/api/screen?amendment_effective=0001-01-01", "/api/memo?format=md&date=9999-12-31", "/api/screen?asof=2026-11-22",
])
def test_hostile_queries_answer_422(target: str) -> None:
    r = TestClient(create_app(), base_url=LOCAL).post(target, json=_body())
    assert r.status_code == 422, r.text
    assert "\n" not in r.json()["error"] and ("as_of" in r.json()["error"] or "date" in r.json()["error"] or "query" in r.json()["error"])


@pytest.mark.parametrize("query", ["as_of=1970-01-01", "as_of=0", "as_of=2101-01-01", "lang=xx", "as_of=2026-11-22&extra=1"])
def test_hostile_factor_queries_answer_422(query: str) -> None:
    r = TestClient(create_app(), base_url=LOCAL).get(f"/api/factors?{query}")
    assert r.status_code == 422 and r.json()["error"] and "\n" not in r.json()["error"]


@pytest.mark.parametrize("path, value, given", [
    (("transaction", "shares_after_pct"), "5", "a string where a number or null"),
    (("transaction", "closing_date"), 0, "where a date YYYY-MM-DD"),
    (("target", "listed"), "true", "a string where true or false"),
    (("entities", 0, "information_cooperation_duty"), 1, "an integer where true or false or null"),
])
def test_the_api_takes_json_types_as_its_schema_states_them(path: tuple[Any, ...], value: Any, given: str) -> None:
    r = TestClient(create_app(), base_url=LOCAL).post("/api/screen", json=_set(_body(), path, value))
    assert r.status_code == 422 and given in r.json()["error"] and r.json()["error"].startswith("request body: ")
