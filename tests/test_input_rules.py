"""Bad input is refused with a located message: duplicate keys, YAML 1.1 surprises, booleans as
numbers, non-finite JSON numbers (issue 17, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fdiscreen.errors import FdiscreenError
from fdiscreen.load import load_deal

HEAD = """matter: t
acquirer: a
entities:
- {id: a, name: A, kind: corporation, jurisdiction: US}
target: {name: T, listed: false, businesses: [{name: b, activity: software}]}
transaction:
"""


def _deal(tmp_path: Path, tx: str, name: str = "deal.yaml") -> Path:
    f = tmp_path / name
    f.write_text(HEAD + tx, encoding="utf-8")
    return f


@pytest.mark.parametrize("tx, where, what", [
    ("  shares_after_pct: 5\n  shares_after_pct: 95\n", "shares_after_pct", "appears twice"),
    ("  shares_after_pct: 1:30\n", "transaction.shares_after_pct", "number"),
    ("  shares_after_pct: 10\n  board_seats: true\n", "transaction.board_seats", "boolean"),
    ("  shares_after_pct: yes\n", "transaction.shares_after_pct", "number"),
])
def test_yaml_surprises_are_errors_naming_the_field(tmp_path: Path, tx: str, where: str, what: str) -> None:
    f = _deal(tmp_path, tx)
    with pytest.raises(FdiscreenError) as err:
        load_deal(f)
    assert str(f) in str(err.value) and where in str(err.value) and what in str(err.value)


def test_yes_and_on_stay_text_and_true_stays_a_boolean(tmp_path: Path) -> None:
    d = load_deal(_deal(tmp_path, "  shares_after_pct: 10\n  convertible_instruments: true\n"))
    assert d.transaction.convertible_instruments is True and d.transaction.shares_after_pct == 10


@pytest.mark.parametrize("text, what", [
    ('{"matter": "t", "matter": "u"}', "appears twice"),
    ('{"matter": NaN}', "NaN"),
])
def test_json_duplicates_and_non_finite_numbers_are_errors(tmp_path: Path, text: str, what: str) -> None:
    f = tmp_path / "deal.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(FdiscreenError, match=what):
        load_deal(f)


@pytest.mark.parametrize("as_of, when", [("1900-01-01", "before 1980-12-01"), ("1980-11-30", "before 1980-12-01"), ("2101-01-01", "after 2100-12-31")])
def test_a_date_the_regime_is_not_encoded_for_is_refused(as_of: str, when: str) -> None:
    from conftest import ROOT
    from test_cli import cli

    res = cli("check", str(ROOT / "examples" / "us-fund-5pct-core.yaml"), "--as-of", as_of)
    assert res.returncode == 2 and f"the regime is not encoded {when}" in res.stderr and "Traceback" not in res.stderr


def test_the_first_encoded_date_screens() -> None:
    import datetime as dt

    from conftest import ROOT
    from fdiscreen.screening import screen

    s = screen(load_deal(ROOT / "examples" / "us-fund-5pct-core.yaml"), as_of=dt.date(1980, 12, 1))
    assert s.regime.as_of == dt.date(1980, 12, 1)


@pytest.mark.parametrize("tx, where", [
    ("  shares_after_pct: 10\n  board_seats: " + "9" * 400 + "\n", "transaction.board_seats"),
    ("  kind: loan\n  loan: {amount_jpy: 1000000000, term_years: .inf}\n", "transaction.loan.term_years"),
    ("  kind: loan\n  loan: {amount_jpy: 1000000000, term_years: .nan}\n", "transaction.loan.term_years"),
    ("  kind: loan\n  loan: {amount_jpy: 1000000000, term_years: 1000}\n", "transaction.loan.term_years"),
    ("  shares_after_pct: 10\n  consideration_jpy: " + "1" * 30 + "\n", "transaction.consideration_jpy"),
])
def test_huge_and_non_finite_numbers_are_refused_with_their_field(tmp_path: Path, tx: str, where: str) -> None:
    f = _deal(tmp_path, tx)
    with pytest.raises(FdiscreenError) as err:
        load_deal(f)
    assert where in str(err.value)


@pytest.mark.parametrize("args, where", [
    (["check", "DEAL", "--as-of", "2026-13-01"], "--as-of"),
    (["serve", "--port", "70000"], "--port"),
    (["check"], "deal"),
])
def test_bad_options_get_one_line_and_exit_2(args: list[str], where: str) -> None:
    from conftest import ROOT
    from test_cli import cli

    res = cli(*[str(ROOT / "examples" / "us-fund-5pct-core.yaml") if a == "DEAL" else a for a in args])
    assert res.returncode == 2 and where in res.stderr and "Traceback" not in res.stderr and "╭" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
