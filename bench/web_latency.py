"""Benchmark: does a heavy memo delay everyone else? `/api/screen` latency alone and while other
clients keep asking for heavy memos, on a real uvicorn server.

The server is started the way `fdiscreen serve` starts it (``fdiscreen.web.app.serve``) in a
subprocess on a free loopback port. Phase 1 (the baseline, measured in the same run): ``--clients``
threads send ``--requests`` screenings of a small example deal between them. Phase 2: ``--heavy``
further clients keep requesting the PDF memo of a deal with ``--technologies`` technologies (each
one asks again as soon as its previous memo answers, whatever the answer), and the same screenings
are measured again; the memos still in flight then are awaited and counted. Prints p50/p99 of both
phases, the heavy memos' answers (200, or 503 past the workbench's time limit) and the ratio of the
p99s (goal: at most 3x).

    python bench/web_latency.py [--requests 400] [--clients 8] [--heavy 2] [--technologies 3000]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml"
AS_OF = "2026-11-22"
GOAL_RATIO = 3.0
DRAIN_S = 120  # how long the memos in flight at the end of phase 2 may take to answer (the server's limit is 30 s)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(port: int) -> Iterator[str]:
    """The workbench in a subprocess, as `fdiscreen serve` runs it; yields its base URL once it answers."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from fdiscreen.web.app import serve; serve('127.0.0.1', {port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONHASHSEED": "0"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with {proc.returncode} before answering")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/schema", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("the server did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def deal_body() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from fdiscreen.load import read_mapping

    return json.loads(json.dumps(read_mapping(EXAMPLE), default=str))


def heavy_body(technologies: int) -> dict[str, Any]:
    body = deal_body()
    body["target"]["technologies"] = [f"technology {i}: five-axis machining control, revision {i % 97}" for i in range(technologies)]
    return body


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 1))))
    return ordered[rank - 1]


def screen_phase(base: str, body: dict[str, Any], requests: int, clients: int) -> dict[str, Any]:
    """``requests`` POST /api/screen spread over ``clients`` threads; latencies in ms and status counts."""
    latencies: list[float] = []
    statuses: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]

    def client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            for _ in range(n):
                t = time.perf_counter()
                try:
                    code = str(c.post(f"/api/screen?as_of={AS_OF}", json=body).status_code)
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    latencies.append(ms)
                    statuses[code] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in share]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - started
    return {"requests": len(latencies), "p50_ms": round(statistics.median(latencies), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies), 1), "requests_per_s": round(len(latencies) / wall, 1), "statuses": dict(statuses)}


class HeavyClients:
    """Clients that keep requesting a heavy PDF memo until stopped."""

    def __init__(self, base: str, body: dict[str, Any], n: int) -> None:
        self.base, self.body, self.n = base, body, n
        self.stop = threading.Event()
        self.statuses: collections.Counter[str] = collections.Counter()
        self.seconds: list[float] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(n)]

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=600) as c:
            while not self.stop.is_set():
                t = time.perf_counter()
                try:
                    r = c.post(f"/api/memo?format=pdf&lang=both&as_of={AS_OF}&date={AS_OF}", json=self.body)
                    code = str(r.status_code)
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                with self.lock:
                    self.statuses[code] += 1
                    self.seconds.append(time.perf_counter() - t)

    def __enter__(self) -> "HeavyClients":
        for th in self.threads:
            th.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop asking, and wait (a while) for the memos in flight, so that their answers are counted."""
        self.stop.set()
        for th in self.threads:
            th.join(DRAIN_S)

    def summary(self) -> dict[str, Any]:
        with self.lock:
            done = list(self.seconds)
            return {"clients": self.n, "memos_answered": len(done), "statuses": dict(self.statuses),
                    "median_s": round(statistics.median(done), 1) if done else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=400, help="screenings per phase")
    ap.add_argument("--clients", type=int, default=8, help="concurrent /api/screen clients")
    ap.add_argument("--heavy", type=int, default=2, help="concurrent clients requesting heavy memos in phase 2")
    ap.add_argument("--technologies", type=int, default=3000, help="technologies in the heavy memo's deal")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds the heavy clients run before phase 2 is measured")
    args = ap.parse_args()
    body, heavy = deal_body(), heavy_body(args.technologies)
    with server(free_port()) as base:
        for _ in range(10):  # warm: imports, the regime cache, connection set-up
            httpx.post(f"{base}/api/screen?as_of={AS_OF}", json=body, timeout=60)
        alone = screen_phase(base, body, args.requests, args.clients)
        with HeavyClients(base, heavy, args.heavy) as memos:
            time.sleep(args.settle)
            loaded = screen_phase(base, body, args.requests, args.clients)
        heavy_summary = memos.summary()
    ratio = loaded["p99_ms"] / alone["p99_ms"]
    print(json.dumps({"cpus": os.cpu_count(), "clients": args.clients, "technologies_in_heavy_memo": args.technologies,
                      "alone": alone, "with_heavy_memos": loaded, "heavy_memos": heavy_summary,
                      "p99_ratio": round(ratio, 2), "goal_ratio": GOAL_RATIO, "goal_met": ratio <= GOAL_RATIO}, indent=2))


if __name__ == "__main__":
    main()
