"""The equality harness itself (tests/golden.py): a baseline compares equal to an unchanged tree, and a
changed, new or missing output is reported by its case name with a diff. Runs on the examples part and
a slice of the others, to stay fast; the whole corpus is ``python tests/golden.py compare DIR``."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

import golden

#: the parts the test runs: every example deal (screenings and memos), one case under each rule set,
#: one test sheet's rows, the batch example and a few generated deals
ONLY = ("examples/", "cases/jp-", "law/reports/", "batch/", "generated/00")
#: the cases the mismatch tests recompute (the rest of the subset is left out of their comparisons)
FEW = ("examples/us-fund-5pct-core.yaml/", "batch/")


@pytest.fixture(scope="module")
def subset() -> list[golden.GoldenCase]:
    return golden.corpus(ONLY)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, subset: list[golden.GoldenCase]) -> Path:
    folder = tmp_path_factory.mktemp("golden-base")
    golden.record(folder, ONLY, log=lambda _: None, cases=subset)
    return folder


@pytest.fixture(scope="module")
def few(subset: list[golden.GoldenCase]) -> list[golden.GoldenCase]:
    return [c for c in subset if c.name.startswith(FEW)]


def _edit(cases: list[golden.GoldenCase], name: str, produce: object) -> list[golden.GoldenCase]:
    return [dataclasses.replace(c, produce=produce) if c.name == name else c for c in cases]  # type: ignore[arg-type]


def test_the_subset_covers_every_kind_of_output(subset: list[golden.GoldenCase]) -> None:
    names = [c.name for c in subset]
    assert {c.part for c in subset} == {"examples", "cases", "law", "batch", "generated"}
    for kind in ("/screen@2026-12-01", "/screen@deal-as-of", "/memo-en.md", "/memo-ja.md", "/decision-date", "/today", "/amended",
                 "/results.csv", "/results.jsonl", "/errors.csv", "@2019-01-01"):
        assert any(n.endswith(kind) for n in names), kind
    assert len(set(names)) == len(names)


def test_record_writes_one_file_per_case_and_an_index(baseline: Path, subset: list[golden.GoldenCase]) -> None:
    index = json.loads((baseline / golden.INDEX).read_text(encoding="utf-8"))
    assert sorted(index) == sorted(c.name for c in subset)
    for name, sha in index.items():
        text = (baseline / golden.file_name(name)).read_text(encoding="utf-8")
        assert golden.digest(text) == sha
        assert not text.startswith("raised "), (name, text)
    assert len({golden.file_name(n) for n in index}) == len(index)


def test_an_unchanged_tree_compares_equal(baseline: Path, subset: list[golden.GoldenCase]) -> None:
    assert golden.compare(baseline, ONLY, log=lambda _: None, cases=subset) == []


def test_a_changed_output_is_a_mismatch_named_with_its_diff(baseline: Path, few: list[golden.GoldenCase]) -> None:
    name = "examples/us-fund-5pct-core.yaml/screen@2026-12-01"
    original = next(c for c in few if c.name == name).produce()
    changed = _edit(few, name, lambda: original.replace('"must_file"', '"must_file_changed"', 1))
    found = golden.compare(baseline, FEW, log=lambda _: None, cases=changed)
    assert [(m.name, m.kind) for m in found] == [(name, "changed")]
    assert '-    "must_file": {' in found[0].diff and '+    "must_file_changed": {' in found[0].diff
    assert found[0].diff.startswith("first difference at line ")
    assert len(found[0].diff.splitlines()) <= golden.DIFF_LINES + 1


def test_a_case_that_starts_to_raise_is_a_mismatch_not_a_crash(baseline: Path, few: list[golden.GoldenCase]) -> None:
    from fdiscreen.errors import FdiscreenError

    name = "batch/deals.csv/results.csv"

    def broken() -> str:
        raise FdiscreenError("engine broke", path="rows")

    found = golden.compare(baseline, FEW, log=lambda _: None, cases=_edit(few, name, broken))
    assert [(m.name, m.kind) for m in found] == [(name, "changed")]
    assert "current:  'raised FdiscreenError: rows: engine broke'" in found[0].diff


def test_new_and_gone_cases_are_mismatches(baseline: Path, few: list[golden.GoldenCase]) -> None:
    extra = golden.GoldenCase("examples/new-deal.yaml/screen@2026-12-01", lambda: "{}\n")
    found = golden.compare(baseline, FEW, log=lambda _: None, cases=[*few[1:], extra])
    assert {(m.name, m.kind) for m in found} == {(few[0].name, "gone"), (extra.name, "new")}


def test_an_output_reading_today_is_caught(baseline: Path, few: list[golden.GoldenCase]) -> None:
    """Every output has a fixed date; a screening left to default to today raises inside the harness."""
    from fdiscreen.load import load_deal
    from fdiscreen.screening import screen

    name = "examples/us-fund-5pct-core.yaml/screen@2026-12-01"
    undated = _edit(few, name, lambda: screen(load_deal(golden.EXAMPLES / "us-fund-5pct-core.yaml")).to_json())
    found = golden.compare(baseline, FEW, log=lambda _: None, cases=undated)
    assert [m.name for m in found] == [name]
    assert "current:  'raised TodayUsed: japan_today() was called" in found[0].diff


def test_the_generated_deals_are_the_same_every_time() -> None:
    golden.generated_parameters.cache_clear()
    first = golden.generated_parameters()
    golden.generated_parameters.cache_clear()
    assert golden.generated_parameters() == first
    assert len(first) == golden.GENERATED


def test_partial_record_keeps_the_rest_of_the_baseline(tmp_path: Path, baseline: Path) -> None:
    for f in baseline.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    golden.record(tmp_path, ["batch/"], log=lambda _: None)
    assert json.loads((tmp_path / golden.INDEX).read_text(encoding="utf-8")) == json.loads((baseline / golden.INDEX).read_text(encoding="utf-8"))


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(Path(golden.__file__)), *args], capture_output=True, text=True, timeout=600)


def test_the_script_records_compares_and_exits_1_on_a_mismatch(tmp_path: Path) -> None:
    rec = _script("record", str(tmp_path), "--only", "batch/")
    assert rec.returncode == 0, rec.stderr
    assert "3 cases recorded" in rec.stdout and "batch: 3 cases in" in rec.stderr
    same = _script("compare", str(tmp_path), "--only", "batch/")
    assert (same.returncode, same.stdout.strip()) == (0, "3 cases equal"), same.stderr
    index = json.loads((tmp_path / golden.INDEX).read_text(encoding="utf-8"))
    name = "batch/deals.csv/errors.csv"
    (tmp_path / golden.file_name(name)).write_text("row,column,message\n", encoding="utf-8")
    index[name] = golden.digest("row,column,message\n")
    (tmp_path / golden.INDEX).write_text(json.dumps(index), encoding="utf-8")
    differs = _script("compare", str(tmp_path), "--only", "batch/")
    assert differs.returncode == 1
    assert f"--- changed: {name}" in differs.stdout and "1 mismatches (1 changed)" in differs.stdout


def test_a_change_inside_the_engine_names_the_cases_it_touches(baseline: Path, few: list[golden.GoldenCase],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The Screening JSON of one deal altered where the engine writes it (as a replacement module might)."""
    from fdiscreen.load import load_deal
    from fdiscreen.screening import Screening

    matter = load_deal(golden.EXAMPLES / "us-fund-5pct-core.yaml").matter
    real = Screening.to_json

    def altered(self: Screening) -> str:
        text = real(self)
        return text.replace('"status": "no"', '"status": "indeterminate"', 1) if self.matter == matter else text

    monkeypatch.setattr(Screening, "to_json", altered)
    found = golden.compare(baseline, FEW, log=lambda _: None, cases=few)
    assert [(m.name, m.kind) for m in found] == [("examples/us-fund-5pct-core.yaml/screen@2026-12-01", "changed")]
    assert "current:  '      \"status\": \"indeterminate\",'" in found[0].diff
