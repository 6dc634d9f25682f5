"""The generated bad-input corpus (tests/badinputs.py: every field path of the deal JSON Schema with
wrong types, out-of-range and non-finite values, far dates, missing required fields, and whole-file
damage) through the CLI entry point and the JSON API: each run is screened (exit 0 / 200) or refused
with one line naming the file and the field (exit 2 / 4xx); never an internal error or a traceback.
``python bench/bad_inputs.py`` runs the same corpus through more commands and prints the figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from badinputs import BadInput, corpus, run_item, verdict
from fdiscreen.errors import FdiscreenError
from fdiscreen.load import DealYamlLoader, deal_mapping
from fdiscreen.web.app import create_app

ITEMS = corpus()
STRUCTURAL = [i for i in ITEMS if ":" not in i.name]


def test_the_corpus_is_large_and_covers_every_kind_of_damage() -> None:
    assert len(ITEMS) >= 1_000
    assert sum(":missing:" in i.name for i in ITEMS) >= 50 and len(STRUCTURAL) >= 25
    fields = {i.name.split(":")[1] for i in ITEMS if ":" in i.name and ":missing:" not in i.name}
    assert {"transaction.closing_date", "transaction.shares_after_pct", "transaction.board_seats", "transaction.loan.term_years",
            "entities[0].jurisdiction", "target.businesses[0].activity", "matter"} <= fields


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad-inputs")


def _failures(items: list[BadInput], folder: Path, commands: list[str]) -> list[str]:
    return [f"{item.name} [{run.command}]: {why}" for item in items for run in run_item(item, folder, commands)
            if (why := verdict(item, run, folder.name))]


@pytest.mark.parametrize("chunk", list(range(0, len(ITEMS), 200)))
def test_cli_screens_or_refuses_with_file_and_field(chunk: int, folder: Path) -> None:
    failures = _failures(ITEMS[chunk:chunk + 200], folder, ["check", "screen-json", "listing"])
    assert not failures, "\n".join(failures[:20])


def test_structural_damage_through_the_memo_and_compare(folder: Path) -> None:
    failures = _failures(STRUCTURAL + [i for i in ITEMS if i.name.startswith("listing-")][::4], folder, ["screen-memo", "compare", "listing-memo"])
    assert not failures, "\n".join(failures[:20])


def _body(item: BadInput) -> tuple[bytes, bool]:
    """The item as an API body, and whether it is the same deal: JSON as written; YAML read (as the
    CLI reads it) and sent as JSON; YAML that does not parse, or that expands to billions of values
    through aliases, sent as it is (then the answer is about the JSON, not a field)."""
    if item.suffix == ".json":
        return item.data, True
    try:
        data = yaml.load(item.data, Loader=DealYamlLoader)  # noqa: S506 - a safe loader
    except Exception:  # noqa: BLE001 - damaged YAML goes as it is
        return item.data, False
    try:
        deal_mapping(data, item.name)
    except FdiscreenError as exc:
        if "YAML aliases" in exc.message:
            return item.data, False
    try:
        return json.dumps(data, default=str).encode(), True
    except RecursionError:  # nested deeper than the encoder goes
        return item.data, False


def test_api_answers_the_corpus_with_2xx_or_4xx_and_one_line() -> None:
    client = TestClient(create_app(), base_url="http://127.0.0.1:8765")
    failures = []
    for item in [i for i in ITEMS if not i.name.startswith("listing-")]:
        body, same = _body(item)
        r = client.post("/api/screen?as_of=2026-11-22", content=body, headers={"content-type": "application/json"})
        if r.status_code >= 500 or r.status_code not in (200, 413, 422):
            failures.append(f"{item.name}: {r.status_code} {r.text[:200]}")
        elif r.status_code == 422:
            error = r.json().get("error", "")
            if not error or "\n" in error or (same and item.field and item.field not in error):
                failures.append(f"{item.name}: {error[:200]!r}")
    assert not failures, "\n".join(failures[:20])
