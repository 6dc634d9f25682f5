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
    (["check"], "DEAL"),
])
def test_bad_options_get_one_line_and_exit_2(args: list[str], where: str) -> None:
    from conftest import ROOT
    from test_cli import cli

    res = cli(*[str(ROOT / "examples" / "us-fund-5pct-core.yaml") if a == "DEAL" else a for a in args])
    assert res.returncode == 2 and where in res.stderr and "Traceback" not in res.stderr and "╭" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


# -- structure: lists, chains, blocks that do not fit, listing plans (issue 17, item 1) ------------------

def _chain_deal(depth: int) -> dict:  # type: ignore[type-arg]
    ents = [{"id": "a", "name": "A", "kind": "corporation", "jurisdiction": "US"}]
    for n in range(depth):
        ents[-1]["owners"] = [{"owner": f"h{n}", "voting_pct": 100}]
        ents.append({"id": f"h{n}", "name": f"H{n}", "kind": "corporation", "jurisdiction": "CN" if n == depth - 1 else "US"})
    return {"matter": "chain", "acquirer": "a", "entities": ents,
            "target": {"name": "T", "listed": False, "businesses": [{"name": "b", "activity": "software"}]},
            "transaction": {"shares_after_pct": 5}}


def test_a_3000_deep_ownership_chain_is_walked_without_recursion() -> None:
    from fdiscreen.load import parse_deal
    from fdiscreen.ownership import chains_to_ultimate_owners, ultimate_owners
    from fdiscreen.screening import screen

    deal = parse_deal(_chain_deal(3_000))
    assert ultimate_owners(deal, "a") == ["h2999"] and len(chains_to_ultimate_owners(deal, "a")[0]) == 3_001
    s = screen(deal, as_of=__import__("datetime").date(2026, 11, 22))
    assert s.filing.foreign_investor.status == "yes"


def test_an_ownership_loop_ends() -> None:
    from fdiscreen.load import parse_deal
    from fdiscreen.ownership import chains_to_ultimate_owners

    data = _chain_deal(50)
    data["entities"][-1]["owners"] = [{"owner": "a", "voting_pct": 60}]
    paths = chains_to_ultimate_owners(parse_deal(data), "a")
    assert paths == [["a", *[f"h{n}" for n in range(50)], "a"]]


def test_a_list_longer_than_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    from fdiscreen.model import MAX_ITEMS

    f = _deal(tmp_path, "  shares_after_pct: 5\n")
    f.write_text(f.read_text(encoding="utf-8").replace("listed: false,", "listed: false, technologies: [" + ", ".join(["t"] * (MAX_ITEMS + 1)) + "],"),
                 encoding="utf-8")
    with pytest.raises(FdiscreenError, match=r"target\.technologies: 5,001 items, more than the 5,000"):
        load_deal(f)


@pytest.mark.parametrize("tx, where, what", [
    ("  shares_after_pct: 5\n  loan: {amount_jpy: 1000000000, term_years: 5}\n", "transaction", "`loan` block is given but kind is 'share_acquisition'"),
    ("  shares_after_pct: 5\n  indirect: {holding_entity: h, holding_entity_stake_in_target_pct: 30, acquirer_voting_after_pct: 60}\n", "transaction", "`indirect` block"),
    ("  kind: indirect_acquisition\n  indirect: {holding_entity: a, holding_entity_stake_in_target_pct: 30, acquirer_voting_after_pct: 60}\n", "transaction.indirect.holding_entity", "is the acquirer itself"),
    ("  kind: indirect_acquisition\n  indirect: {holding_entity: h, holding_entity_stake_in_target_pct: 30, acquirer_voting_before_pct: 60, acquirer_voting_after_pct: 40}\n",
     "transaction.indirect", "cannot lower the stake"),
    ("  closing_date: 9999-12-31\n  shares_after_pct: 5\n", "transaction.closing_date", "outside 1949-12-01 to 2100-12-31"),
    ("  closing_date: 0\n  shares_after_pct: 5\n", "transaction.closing_date", "a number where a date"),
    ("  closing_date: '86400'\n  shares_after_pct: 5\n", "transaction.closing_date", "a number where a date"),
    ("  shares_after_pct: 5\n  risk_mitigation_measures: [\"no_board_seat\\x1f\"]\n", "transaction.risk_mitigation_measures",
     "a control character (U+001F)"),
])
def test_blocks_and_dates_that_cannot_be_meant_are_refused(tmp_path: Path, tx: str, where: str, what: str) -> None:
    f = _deal(tmp_path, tx)
    f.write_text(f.read_text(encoding="utf-8").replace(
        "- {id: a, name: A, kind: corporation, jurisdiction: US}\n",
        "- {id: a, name: A, kind: corporation, jurisdiction: US}\n- {id: h, name: H, kind: corporation, jurisdiction: CH}\n"), encoding="utf-8")
    with pytest.raises(FdiscreenError) as err:
        load_deal(f)
    assert str(f) in str(err.value) and f"{where}:" in str(err.value) and what in str(err.value), str(err.value)


@pytest.mark.parametrize("change, where", [
    (("listed: false", "listed: false\n  jurisdiction: US"), "company.jurisdiction"),
    (("activity: restaurants", "activity: warp_drives"), "company.businesses[0].activity"),
    (("subsidiaries_complete: true", "subsidiaries_complete: true\n  protection_checklist: {no_such_id: true}"), "company.protection_checklist.no_such_id"),
])
def test_a_listing_plan_is_checked_like_a_deals_target(tmp_path: Path, change: tuple[str, str], where: str) -> None:
    from conftest import ROOT
    from fdiscreen.listing import load_listing_plan

    src = (ROOT / "examples" / "listings" / "restaurant-chain-growth.yaml").read_text(encoding="utf-8")
    f = tmp_path / "plan.yaml"
    f.write_text(src.replace(*change), encoding="utf-8")
    with pytest.raises(FdiscreenError) as err:
        load_listing_plan(f)
    assert str(err.value).startswith(f"{f}: {where}:"), str(err.value)


def test_an_echoed_value_is_shortened(tmp_path: Path) -> None:
    f = _deal(tmp_path, "  shares_after_pct: 5\n")
    f.write_text(f.read_text(encoding="utf-8").replace("acquirer: a", "acquirer: " + "x" * 100_000), encoding="utf-8")
    with pytest.raises(FdiscreenError) as err:
        load_deal(f)
    assert len(str(err.value)) < 1_000 and "characters]" in str(err.value)


def test_an_empty_case_folder_is_refused(tmp_path: Path) -> None:
    from fdiscreen.cases import load_cases

    with pytest.raises(FdiscreenError, match="no case files"):
        load_cases(tmp_path)
