"""The command line: every bad input exits 2 with one line naming file, field and expectation; nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BASE, ROOT, merge

EXAMPLE = ROOT / "examples" / "us-fund-5pct-core.yaml"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "fdiscreen.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120, env=env)


def write(tmp: Path, name: str, data: object) -> Path:
    p = tmp / name
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


BAD = {
    "yaml_error.yaml": ("matter: [unclosed\n", "not valid YAML"),
    "json_error.json": ('{"matter": }', "not valid JSON"),
    "unknown_field.yaml": (merge(BASE, {"transaction": {"surprise": 1}}), "transaction.surprise: unknown field"),
    "pct_range.yaml": (merge(BASE, {"transaction": {"shares_after_pct": 140}}), "transaction.shares_after_pct"),
    "stake_down.yaml": (merge(BASE, {"transaction": {"shares_before_pct": 10, "shares_after_pct": 5}}), "an acquisition cannot lower the stake"),
    "country.yaml": (merge(BASE, {"entities": [{**BASE["entities"][0], "jurisdiction": "XX"}]}), "entities[0].jurisdiction: unknown country code"),
    "activity.yaml": (merge(BASE, {"target": {"businesses": [{"name": "x", "activity": "warp_drives"}]}}), "target.businesses[0].activity: unknown activity code"),
    "holdings.yaml": (merge(BASE, {"entities": [{**BASE["entities"][0], "owners": [{"owner": "a", "voting_pct": 70}, {"owner": "b", "voting_pct": 40}]},
                                                dict(id="a", name="A", kind="corporation", jurisdiction="US"),
                                                dict(id="b", name="B", kind="corporation", jurisdiction="US")]}), "voting holdings sum to 110%"),
    "empty.yaml": ("", "file is empty"),
    "deep.yaml": ("[" * 200_000 + "]" * 200_000, "nested more than 64 levels deep"),  # libyaml would segfault
    "aliases.yaml": ("a: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                                                         for p, c in zip("abcdefg", "bcdefgh")), "more than 200000 values"),
    "list.yaml": ("- 1\n- 2\n", "top level is list"),
    "acquirer.yaml": (merge(BASE, {"acquirer": "ghost"}), "acquirer: unknown entity 'ghost'"),
    "missing.yaml": ({k: v for k, v in BASE.items() if k != "target"}, "target: required field is missing"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_exits_2_with_one_line(tmp_path: Path, name: str) -> None:
    data, expected = BAD[name]
    path = write(tmp_path, name, data)
    memo = tmp_path / "memo.md"
    res = cli("screen", str(path), "--memo", str(memo))
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert str(path) in lines[0] and expected in lines[0]
    assert "Traceback" not in res.stderr
    assert not memo.exists()


def test_directory_and_missing_file(tmp_path: Path) -> None:
    for target, msg in ((tmp_path, "is a directory"), (tmp_path / "nope.yaml", "no such file")):
        res = cli("check", str(target))
        assert res.returncode == 2 and msg in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_bad_option_values_exit_2(tmp_path: Path) -> None:
    assert cli("check", str(EXAMPLE), "--set", "nope=1").returncode == 2
    wrong_kind = cli("check", str(EXAMPLE), "--set", "listed_share_threshold_pct=abc")
    assert wrong_kind.returncode == 2 and "listed_share_threshold_pct" in wrong_kind.stderr and "internal error" not in wrong_kind.stderr
    assert cli("check", str(EXAMPLE), "--lang", "fr").returncode == 2
    assert cli("check", str(EXAMPLE), "--as-of", "2026-13-01").returncode == 2
    assert cli("screen", str(EXAMPLE), "--memo", str(tmp_path / "no" / "m.md")).returncode == 2


@pytest.mark.parametrize(("value", "path"), [("{}", "score_formula.cap"),
                                             ("{cap: 100, base: {threat: 10}}", "score_formula.base.sensitivity"),
                                             ("[{id: majority}]", "stake_bands[0].pct")])
def test_a_table_set_without_what_the_rules_read_exits_2_naming_the_key(value: str, path: str) -> None:
    """A --set table or list must hold every key of the encoded value (the rules read them), else the
    run stops with the key's path, not an internal error."""
    item = path.split(".")[0].split("[")[0]
    res = cli("screen", str(EXAMPLE), "--set", f"{item}={value}")
    assert res.returncode == 2 and f"--set {path}" in res.stderr and "internal error" not in res.stderr


def test_check_prints_the_determination() -> None:
    res = cli("check", str(EXAMPLE))
    assert res.returncode == 0, res.stderr
    assert "Exemption available" in res.stdout and "Conditions of the exemption" in res.stdout
    assert "FEFTA Art. 26(2)(iii)" not in res.stdout, "the short view leaves the citations to --full"
    full = cli("check", str(EXAMPLE), "--full")
    assert "Exemption available" in full.stdout and "FEFTA Art. 26(2)(iii)" in full.stdout
    ja = cli("check", str(EXAMPLE), "--lang", "ja")
    assert "外国投資家" in ja.stdout and "免除基準" in ja.stdout


def test_screen_json_contract() -> None:
    res = cli("screen", str(EXAMPLE), "--json", "--as-of", "2026-11-22")
    s = json.loads(res.stdout)
    assert s["regime"]["as_of"] == "2026-11-22" and isinstance(s["regime"]["assumptions"], list)
    f = s["filing"]
    for key in ("foreign_investor", "acts", "prior_notification_required", "exemption", "post_investment_report",
                "waiting_period_days", "indirect_acquisition"):
        assert key in f
    assert {"eligible", "kind", "conditions", "status", "reasons", "citations", "facts_needed"} <= set(f["exemption"])
    assert len(s["fingerprint"]) == 64


def test_screen_writes_markdown_memo(tmp_path: Path) -> None:
    out = tmp_path / "memo.md"
    res = cli("screen", str(EXAMPLE), "--memo", str(out), "--lang", "both", "--date", "2026-11-22")
    assert res.returncode == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert "## 結論" in text and "## Conclusion" in text and "FEFTA Art. 26(2)(iii)" in text


def test_factors_and_schema() -> None:
    res = cli("factors", "--as-of", "2020-06-07", "--json")
    items = {i["id"]: i for i in json.loads(res.stdout)["items"]}
    assert items["listed_share_threshold_pct"]["value"] == 1
    acts = json.loads(cli("factors", "--activities", "--json").stdout)["items"]
    assert any(a["id"] == "machine_tools_robots" for a in acts)
    schema = json.loads(cli("schema").stdout)
    assert "transaction" in schema["properties"] and "Entity" in schema["$defs"]
    one = json.loads(cli("factors", "--id", "listed_share_threshold_pct").stdout)
    assert one["history"] == [["1980-12-01", 10], ["2020-06-07", 1]]


def test_mof_list_option(tmp_path: Path) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text("証券コード,ISIN,銘柄名,区分\n6199,JP0000000000,東海精密工機,③\n", encoding="utf-8")
    res = cli("check", str(EXAMPLE), "--mof-list", str(csv), "--full")
    assert res.returncode == 0 and "MOF list" in res.stdout
