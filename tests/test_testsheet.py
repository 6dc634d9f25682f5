"""The test-sheet runner itself: strict reading, dotted patches, the CLI's exit codes and output, and the
pytest plugin's failure report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE, ROOT
from fdiscreen.errors import FdiscreenError
from fdiscreen.testsheet import EXPECT, load_sheet, patch, run_row, run_sheet

DEAL = str(ROOT / "examples" / "us-fund-5pct-core.yaml")


def sheet(tmp: Path, rows: Any, name: str = "sheet.yaml") -> Path:
    p = tmp / name
    p.write_text(rows if isinstance(rows, str) else yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def row(**over: Any) -> dict[str, Any]:
    base = {"name": "US fund 5% core", "citation": "FEFTA Art. 27-2", "deal": DEAL, "as_of": "2026-11-22",
            "expect": {"outcome": "exempt_with_conditions"}}
    return {k: v for k, v in {**base, **over}.items() if v is not None}  # None drops a key


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "fdiscreen.cli", *args], capture_output=True, text=True, timeout=120, env=env)


# -- the CLI -----------------------------------------------------------------------------------------

def test_cli_passes_a_good_sheet(tmp_path: Path) -> None:
    out = cli("test", str(sheet(tmp_path, [row()])))
    assert out.returncode == 0, out.stderr
    assert "PASS  US fund 5% core" in out.stdout
    assert out.stdout.rstrip().endswith("1 passed, 0 failed")


def test_cli_failing_row_exits_1_with_a_readable_diff(tmp_path: Path) -> None:
    bad = row(name="Exactly 10% in core: no exemption", expect={"exemption": "no", "outcome": "prior_notification"},
              change={"transaction.shares_after_pct": 9})
    out = cli("test", str(sheet(tmp_path, [row(), bad])))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "FAIL  Exactly 10% in core: no exemption" in out.stdout
    assert "exemption" in out.stdout and "expected no, got yes" in out.stdout
    assert "outcome" in out.stdout and "expected prior_notification, got exempt_with_conditions" in out.stdout
    assert "sheet.yaml, row 2" in out.stdout and "tests: FEFTA Art. 27-2" in out.stdout
    assert "Notice on exemption criteria" in out.stdout  # a citation the exemption conclusion used
    assert "Traceback" not in out.stdout + out.stderr
    assert out.stdout.rstrip().endswith("1 passed, 1 failed")


def test_cli_broken_sheet_exits_2_naming_file_row_and_key(tmp_path: Path) -> None:
    p = sheet(tmp_path, [row(), row(name="typo", expcet={"outcome": "no_filing"})])
    out = cli("test", str(p))
    assert out.returncode == 2
    assert out.stdout == ""
    line = out.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert str(p) in line and "rows[1] (typo).expcet" in line and "unknown key" in line


@pytest.mark.parametrize(("rows", "where"), [
    ([row(expect={"outcom": "no_filing"})], "expect.outcom: unknown expectation key"),
    ([row(expect={"outcome": "filed"})], "expect.outcome: bad value 'filed'"),
    ([row(expect={"acts": {"listed_share_aquisition": "yes"}})], "expect.acts: bad value"),
    ([row(expect={"cites": ["no_such_factor"]})], "expect.cites: bad value"),
    ([row(facts={"matter": "x"})], "exactly one deal source"),
    ([{k: v for k, v in row().items() if k != "citation"}], "citation: citation is required"),
    ([row(change={"transaction.shares_after_pct": 140})], ".deal (us-fund-5pct-core.yaml): transaction.shares_after_pct"),
    ([row(change={"entities[7].kind": "individual"})], "change.entities[7].kind: cannot apply this change"),
    ([row(base="nothing")], "deal source"),
    ([row(), row()], "two rows share this name"),
    ([row(set={"no_such_factor": 1})], "set.no_such_factor: unknown factor"),
    ({"rows": [row()], "defaults": {}}, "defaults: unknown key at the top of the sheet"),
    ("- name: [unclosed\n", "not valid YAML"),
])
def test_broken_sheets_name_the_row_and_key(tmp_path: Path, rows: Any, where: str) -> None:
    with pytest.raises(FdiscreenError) as err:
        load_sheet(sheet(tmp_path, rows))
    assert where in err.value.one_line()
    assert "sheet.yaml" in err.value.one_line()


def test_a_row_needs_a_date_when_the_deal_gives_none(tmp_path: Path) -> None:
    with pytest.raises(FdiscreenError, match=r"as_of: as_of is required"):
        load_sheet(sheet(tmp_path, [{k: v for k, v in row().items() if k != "as_of"}]))


# -- reading and running -------------------------------------------------------------------------------

def test_bases_facts_and_changes(tmp_path: Path) -> None:
    data = {"bases": {"clean": BASE, "file": DEAL},
            "rows": [row(name="from a base", deal=None, base="clean", change={"transaction.shares_after_pct": 0.99},
                         expect={"outcome": "no_filing", "acts": {"listed_share_acquisition": "no"}}),
                     row(name="inline facts", deal=None, facts=BASE, expect={"acts_covered": ["listed_share_acquisition"]}),
                     row(name="base naming a file", deal=None, base="file", expect={"exemption_kind": "regular"})]}
    results = run_sheet(sheet(tmp_path, data))
    assert [r.passed for r in results] == [True, True, True], [r.mismatches for r in results]


def test_set_overrides_a_factor(tmp_path: Path) -> None:
    rows = [row(name="5% rule", change={"transaction.shares_after_pct": 4}, set={"listed_share_threshold_pct": 5},
                expect={"acts": {"listed_share_acquisition": "no"}, "outcome": "no_filing"})]
    (result,) = run_sheet(sheet(tmp_path, rows))
    assert result.passed, result.mismatches


def test_every_expectation_key_is_checked_against_the_result(tmp_path: Path) -> None:
    """Each row names its mismatches: a wrong expectation under every key fails."""
    wrong = {"foreign_investor": "no", "foreign_investor_category": 1, "deemed_foreign_investor": True,
             "investor_class": "violator", "investor_class_status": "no", "target_class": "designated",
             "acts": {"loan": "yes"}, "acts_covered": [], "notification": {"listed_share_acquisition": "none"},
             "prior_notification": "no", "exemption": "no", "exemption_kind": "general", "exemption_conditions": [],
             "must_file": "yes", "outcome": "no_filing", "reports": [], "report_deadline_days": [], "report_due_dates": [],
             "waiting_days": 31, "indirect_acquisition": "yes", "amendment_in_force": True,
             "facts_needed": ["transaction.nothing"], "no_facts_needed": True, "assumptions": ["listed_share_threshold_pct"],
             "cites": ["loan_min_term_years"], "reason_contains": "no such words", "law_as_of": "2020-01-01"}
    assert set(wrong) == set(EXPECT), "every key of the table has a failing case here"
    access = {"non_public_technology_information": None, "any_non_public_information": False}  # a fact to confirm
    deal = dict(BASE, transaction={**BASE["transaction"], "closing_date": "2026-12-15", "technology_access": access})
    (r,) = load_sheet(sheet(tmp_path, [row(deal=None, facts=deal, expect=wrong)]))
    failed = {m.field.split(".")[0] for m in run_row(r).mismatches}
    assert failed == set(wrong)


def test_patch_creates_missing_keys_and_appends() -> None:
    data: dict[str, Any] = {"entities": [{"id": "a"}], "target": {}}
    patch(data, "entities[0].owners[0].voting_pct", 50)
    patch(data, "entities[1]", {"id": "b"})
    patch(data, "target.businesses[0].activity", "weapons")
    assert data == {"entities": [{"id": "a", "owners": [{"voting_pct": 50}]}, {"id": "b"}],
                    "target": {"businesses": [{"activity": "weapons"}]}}


def test_expectation_keys_are_documented_for_lawyers() -> None:
    readme = (ROOT / "tests" / "law" / "README.md").read_text(encoding="utf-8")
    import fdiscreen.testsheet as module
    for key in EXPECT:
        assert f"`{key}`" in readme, key
        assert key in (module.__doc__ or ""), key


def test_every_row_of_the_projects_sheets_names_its_citation() -> None:
    rows = [r for p in sorted((ROOT / "tests" / "law").glob("*.yaml")) for r in load_sheet(p)]
    assert len(rows) >= 100
    assert all(r.citation for r in rows)


# -- the pytest plugin ---------------------------------------------------------------------------------

def test_pytest_plugin_reports_a_failing_row_readably(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'tests')!r})\nfrom law.plugin import pytest_collect_file  # noqa\n",
        encoding="utf-8")
    p = sheet(tmp_path, [row(), row(name="Board seat: no exemption", expect={"exemption": "no"})])
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(p)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "1 failed, 1 passed" in text
    assert "Board seat: no exemption" in text
    assert "sheet.yaml, row 2" in text and "expected no, got yes" in text
    assert "citations the engine used" in text
    assert "Traceback" not in text and "raise RowFailed" not in text
