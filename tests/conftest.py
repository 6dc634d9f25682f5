"""Shared builders: a clean baseline deal that tests vary one fact at a time."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pytest

from fdiscreen.filing import Determination, determine
from fdiscreen.load import parse_deal
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, make_regime
from law.plugin import pytest_collect_file  # noqa: F401 - runs the test sheets in tests/law

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Nothing a test runs writes to the user's data or cache folders (the workbench's history, the graph
    database, parsed factor files): FDISCREEN_DATA_DIR and FDISCREEN_CACHE_DIR point at temporary folders
    for the whole session (subprocesses inherit them)."""
    import os

    folder = tmp_path_factory.mktemp("fdiscreen-data")
    saved = {k: os.environ.get(k) for k in ("FDISCREEN_DATA_DIR", "FDISCREEN_CACHE_DIR")}
    os.environ["FDISCREEN_DATA_DIR"] = str(folder)
    os.environ["FDISCREEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("fdiscreen-cache"))
    yield folder
    for key, old in saved.items():
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old

CLEAN = dict(fefta_violation_sanctioned=False, information_cooperation_duty=False, decisions_by_obliged_persons=False,
             decisions_at_office_in_obliging_country=False, contractual_disclosure_duty=False)

BASE: dict[str, Any] = {
    "matter": "test",
    "acquirer": "buyer",
    "entities": [dict(id="buyer", name="Buyer Inc.", kind="corporation", jurisdiction="US", **CLEAN)],
    "target": {"name": "Target K.K.", "listed": True, "subsidiaries_complete": True, "specified_core_business_entity": False,
               "businesses": [{"name": "Machine tools", "activity": "machine_tools_robots"}]},
    "transaction": {"kind": "share_acquisition", "shares_before_pct": 0, "shares_after_pct": 5, "acquired_from": "market",
                    "technology_access": {"non_public_technology_information": False, "any_non_public_information": False}},
}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, val in changes.items():
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], val)
        else:
            out[key] = copy.deepcopy(val)
    return out


def deal(**changes: Any) -> Deal:
    """The baseline deal with top-level sections merged from ``changes``."""
    return parse_deal(merge(BASE, changes))


def run(d: Deal, as_of: dt.date = TODAY, **kw: Any) -> Determination:
    return determine(d, make_regime(as_of, **kw))


def regime(as_of: dt.date = TODAY, **kw: Any) -> Regime:
    return make_regime(as_of, **kw)


@pytest.fixture
def root() -> Path:
    return ROOT


def kill_cli_when(args: list[str], seen: Callable[[], bool], within_s: float = 300) -> bool:
    """Run ``fdiscreen ARGS`` in a subprocess and SIGKILL it the moment ``seen()`` holds; True if it was
    killed so (False: it finished first)."""
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "fdiscreen.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + within_s
    killed = False
    while proc.poll() is None and time.monotonic() < deadline:
        if seen():
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.001)
    proc.wait(timeout=60)
    return killed
