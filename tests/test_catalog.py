"""The business catalog at the notices' grain (factors/activities.yaml, factors/jsic.yaml).

Citations: designated-business notice (業種告示, Order Art. 3(3)); core-business notice (Order Art. 3-2(3));
specified-acquisition designated-business notice (2017 Notice No. 3, JLT151); specified-acquisition
core-business notice (2020 Notice No. 5, JLT152/JLT5196); 2019 amendment (GOVBASE19, applied 2019-08-01);
2024 amendment (promulgated 2024-08-16, applied 2024-09-15).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from conftest import deal, regime
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing.target import target_class
from fdiscreen.load import parse_deal
from fdiscreen.regime import load_catalog

BEFORE_2024 = dt.date(2024, 9, 10)
AFTER_2024 = dt.date(2024, 9, 20)
OLD_IDS = ["weapons", "aircraft", "nuclear", "space", "dual_use_manufacturing", "integrated_circuits",
           "information_processing_equipment", "software", "information_services", "cybersecurity_critical_it",
           "electricity_core", "electricity_other", "gas_core", "heat_supply", "telecommunications_core",
           "telecommunications_other", "broadcasting", "water_core", "railway_core", "passenger_transport", "oil_core",
           "biological_chemicals", "security_services", "agriculture_forestry_fisheries", "leather", "air_transport",
           "maritime_transport", "infectious_disease_pharma", "controlled_medical_devices", "critical_minerals",
           "remote_island_ports", "machine_tools_robots", "semiconductor_equipment", "storage_batteries",
           "permanent_magnets", "fertilizer_import", "ship_parts", "metal_3d_printing", "capacitors_filters", "retail",
           "restaurants", "real_estate", "food_manufacturing", "apparel", "general_machinery", "banking", "consulting"]


def target(activity: str, **extra: object) -> dict[str, object]:
    return {"listed": False, "subsidiaries_complete": True, "businesses": [{"name": "Line", "activity": activity}], **extra}


def tc(activity: str, as_of: dt.date):  # type: ignore[no-untyped-def]
    return target_class(deal(target=target(activity)).target, regime(as_of))


@pytest.mark.parametrize("old", OLD_IDS)
def test_every_old_id_still_resolves_to_one_item(old: str) -> None:
    assert len(load_catalog().resolve_activity(old)) == 1


@pytest.mark.parametrize("activity", ["networked_mfp", "2711"])
def test_networked_mfp_is_core_from_2024_09_15_and_outside_before(activity: str) -> None:
    """2024 amendment (applied 2024-09-15): networked multifunction printers (複合機) became core. Before it a
    copier-printer maker was outside the notices: the 2019 additions were 3031-3033, not 3034 or 2711."""
    assert tc(activity, AFTER_2024).fefta_class == "core"
    assert tc(activity, BEFORE_2024).fefta_class == "non_designated"
    assert tc(activity, dt.date(2024, 9, 15)).fefta_class == "core"
    assert tc(activity, dt.date(2024, 9, 14)).fefta_class == "non_designated"


@pytest.mark.parametrize("item", ["mlcc", "ball_screws", "marine_diesel_engines", "quartz_optical_fibre", "capacitors_filters"])
def test_2024_additions_apply_from_2024_09_15(item: str) -> None:
    """Application date 2024-09-15, not the MOF list's 2024-09-13 (errata 4)."""
    r = regime(dt.date(2024, 9, 14))
    assert r.activity_class(item) is None and not r.specified_acquisition_listed(item)
    r = regime(dt.date(2024, 9, 15))
    assert r.activity_class(item) == "core"
    assert r.specified_acquisition_listed(item) and r.specified_acquisition_core(item)
    assert r.cite(r.activity_item(item).id).applies_from == dt.date(2024, 9, 15)


def test_unlisted_weapons_maker_is_on_the_specified_acquisition_list_in_2018() -> None:
    """Specified-acquisition designated notice (2017 No. 3, in force 2017-10-01): weapons listed; the
    specified-acquisition core notice (2020 No. 5) adds it to the core list from 2020-05-08 (errata 3)."""
    d = deal(target=target("weapons"), transaction={"acquired_from": "foreign_investor"})
    c2018 = target_class(d.target, regime(dt.date(2018, 6, 1)))
    assert c2018.specified_acquisition_listed is True and c2018.specified_acquisition_core is False
    assert c2018.fefta_class == "designated"
    c2021 = target_class(d.target, regime(dt.date(2021, 1, 1)))
    assert c2021.specified_acquisition_listed is True and c2021.specified_acquisition_core is True
    before = target_class(d.target, regime(dt.date(2017, 9, 30)))
    assert before.specified_acquisition_listed is False


def test_2019_it_additions_are_on_the_specified_acquisition_list() -> None:
    """MOF release 2019-05-27 (GOVBASE19): the specified-acquisition designated notice was amended with the
    designated notice, from 2019-08-01."""
    assert regime(dt.date(2019, 8, 1)).specified_acquisition_listed("software")
    assert not regime(dt.date(2019, 7, 31)).specified_acquisition_listed("integrated_circuits")
    assert not regime(dt.date(2019, 8, 1)).specified_acquisition_listed("broadcasting")


def test_game_software_is_outside_and_a_broad_software_code_is_indeterminate() -> None:
    """Errata 19: the 2019 notice lists 3911-3913 and 3921, not game software (3914) or information provision (3922)."""
    assert tc("3914", AFTER_2024).fefta_class == "non_designated"
    assert tc("3911", AFTER_2024).fefta_class == "designated"
    broad = tc("391", AFTER_2024)
    assert broad.status == "indeterminate" and broad.conservative_class == "core"
    asked = [f for f in broad.facts_needed if f.path == "target.businesses[0].activity"]
    assert asked and "game_software" in asked[0].question.en


def test_jsic_code_shared_by_items_of_one_class_is_determinate() -> None:
    c = tc("2531", AFTER_2024)  # ball screws and linear guides, both core from 2024-09-15
    assert c.fefta_class == "core" and c.specified_acquisition_core is True
    assert c.businesses[0]["activity"] in {"ball_screws", "linear_guides"}


def test_division_letter_spans_items_and_names_them() -> None:
    c = tc("E", AFTER_2024)
    assert c.status == "indeterminate"
    assert any("weapons" in f.question.en for f in c.facts_needed)


def test_full_width_jsic_code_is_read() -> None:
    assert load_catalog().resolve_activity("２８１４") == ["integrated_circuits"]


@pytest.mark.parametrize("complete", [None, True])
def test_target_without_businesses_asks_for_its_own_businesses(complete: bool | None) -> None:
    """Issue item 6: with no business at all, ask for the target's own businesses, not only subsidiaries."""
    c = target_class(deal(target={"businesses": [], "subsidiaries_complete": complete}).target, regime())
    assert c.status == "indeterminate" and c.fefta_class is None
    assert any(f.path == "target.businesses" for f in c.facts_needed)


def test_unknown_activity_code_is_an_error_naming_the_field() -> None:
    d = deal().model_dump(mode="json")
    d["target"]["businesses"] = [{"name": "X", "activity": "unobtainium"}]
    with pytest.raises(FdiscreenError) as e:
        parse_deal(d)
    assert "target.businesses[0].activity" in e.value.one_line()
    d["target"]["businesses"] = [{"name": "X", "activity": "2814"}]
    assert parse_deal(d).target.businesses[0].activity == "2814"


def test_every_item_cites_its_notice_with_dates_and_history_by_date() -> None:
    r18, r24 = regime(dt.date(2018, 1, 1)), regime(AFTER_2024)
    for item in load_catalog().activities():
        assert item.citation.sources and item.citation.ref_ja, item.id
        assert item.notice_item and item.jsic, item.id
        if item.values.get("1980-12-01") == "non_designated":
            continue
        assert item.citation.applies_from or item.citation.effective or "base list" in item.citation.ref, item.id
    assert "2017" in r18.cite("weapons").ref and r18.cite("weapons").applies_from == dt.date(2017, 10, 1)
    assert "2020" in r24.cite("weapons").ref


def test_pending_2026_it_narrowing_is_labelled_pending() -> None:
    note = load_catalog().items["custom_software"].note or ""
    assert "Pending" in note and "amendment_2026_effective_date" in note


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fdiscreen.cli", *args], capture_output=True, text=True, check=True)


@pytest.mark.parametrize("text", ["複合機", "printer", "ＭＦＰ"])
def test_factors_search_finds_the_mfp_item(text: str) -> None:
    out = cli("factors", "--search", text, "--as-of", "2024-09-20").stdout
    assert "networked_mfp" in out and "core" in out


def test_factors_search_by_jsic_code_and_activities_listing() -> None:
    out = cli("factors", "--search", "2814").stdout
    assert "integrated_circuits" in out and "2019-08-01" in out
    listing = cli("factors", "--activities", "--as-of", "2024-09-20").stdout
    assert "networked_mfp" in listing and "specified acquisition list" in listing
    assert all(len(line) <= 80 for line in listing.splitlines() if line.isascii())
    rows = json.loads(cli("factors", "--activities", "--json").stdout)["items"]
    mfp = next(r for r in rows if r["id"] == "networked_mfp")
    assert mfp["jsic"] == ["2711"] and mfp["specified_acquisition_core_history"] == [["2024-09-15", True]]
