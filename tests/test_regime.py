"""The law as dated data: values switch exactly on their dates, citations resolve, overrides work."""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import regime
from fdiscreen.errors import FdiscreenError
from fdiscreen.regime import load_catalog, make_regime, parse_override

DAY = dt.timedelta(days=1)


def test_listed_threshold_10_to_1_applies_from_2020_06_07() -> None:
    """FEFTA Art. 26(2)(iii), 2019 amendment: in force 2020-05-08, applied to acquisitions from 2020-06-07."""
    assert regime(dt.date(2020, 6, 6)).value("listed_share_threshold_pct") == 10
    assert regime(dt.date(2020, 6, 7)).value("listed_share_threshold_pct") == 1
    c = regime().cite("listed_share_threshold_pct")
    assert (c.promulgated, c.effective, c.applies_from) == (dt.date(2019, 11, 29), dt.date(2020, 5, 8), dt.date(2020, 6, 7))


def test_every_value_switches_exactly_on_its_date() -> None:
    """For every dated item, the value on each key date is that key's value, and the day before it is not."""
    catalog = load_catalog()
    checked = 0
    for item in catalog.items.values():
        r = make_regime(dt.date(2026, 11, 22))
        timeline = r.timeline(item.id)
        for i, (when, value) in enumerate(timeline):
            assert make_regime(when).value(item.id) == value, item.id
            checked += 1
            if when - DAY < catalog.encoded_from:
                continue  # the day before the first encoded date is refused (test_input_rules.py)
            before = make_regime(when - DAY).value(item.id)
            expected_before = timeline[i - 1][1] if i else None
            assert before == expected_before, (item.id, when)
    assert checked > 60


def test_every_item_cites_known_sources() -> None:
    catalog = load_catalog()
    for item in catalog.items.values():
        assert item.citation.ref, item.id
        assert item.citation.sources, item.id
        assert all(s in catalog.sources for s in item.citation.sources)
        if item.assumption:
            assert item.note, f"assumption {item.id} must say what is assumed"


def test_one_third_is_exact() -> None:
    """'One third' (Art. 26(2)(vi) business-purpose consent) compares exactly, not as 33.33."""
    r = regime()
    assert r.threshold("consent_business_purpose_change_listed_pct") == Fraction(100, 3)
    assert r.meets("consent_business_purpose_change_listed_pct", Fraction(100, 3)) is True
    assert r.meets("consent_business_purpose_change_listed_pct", 33.33) is False


def test_amendment_items_follow_the_assumed_effective_date() -> None:
    """2026 amendment: in force on a cabinet-order date within a year of 2026-06-05 (assumed; overridable)."""
    r = regime(dt.date(2026, 11, 22))
    assert r.value("indirect_acquisition") is None
    assert r.value("amendment_2026_effective_date") == "2027-06-04"
    assert [a.id for a in r.assumptions()] == ["amendment_2026_effective_date"]
    r2 = make_regime(dt.date(2026, 11, 22), amendment_effective=dt.date(2026, 10, 1))
    assert r2.value("indirect_acquisition") is True
    assert r2.assumptions()[0].overridden is True
    assert make_regime(dt.date(2027, 6, 4)).value("indirect_acquisition") is True
    assert make_regime(dt.date(2027, 6, 3)).value("indirect_acquisition") is None


def test_amendment_not_law_before_promulgation() -> None:
    assert regime(dt.date(2026, 6, 4)).value("amendment_2026_effective_date") is None
    assert regime(dt.date(2026, 6, 5)).value("interagency_consultation") is True


def test_override_parsing_and_errors() -> None:
    cat = load_catalog()
    assert parse_override("non_designated_unlisted_report_pct=10", cat) == ("non_designated_unlisted_report_pct", 10)
    assert parse_override("amendment_2026_effective_date=2027-01-01", cat)[1] == "2027-01-01"
    with pytest.raises(FdiscreenError, match="unknown factor"):
        parse_override("nope=1", cat)
    with pytest.raises(FdiscreenError, match="ID=VALUE"):
        parse_override("nope", cat)
    assert parse_override("listed_share_threshold_pct=1/3", cat)[1] == "1/3"


@pytest.mark.parametrize("setting, expected", [
    ("listed_share_threshold_pct=abc", "percentage"),
    ("listed_share_threshold_pct=150", "percentage"),
    ("listed_share_threshold_pct=true", "percentage"),
    ("waiting_period_days=2.5", "whole number"),
    ("unlisted_share_any_amount=maybe", "true or false"),
    ("risk_mitigation_measures=[", "YAML list"),
    ("amendment_2026_effective_date=soon", "YYYY-MM-DD"),
])
def test_override_value_checked_against_unit(setting: str, expected: str) -> None:
    """A --set value of the wrong kind is a clear error naming the item, not a crash mid-screening."""
    with pytest.raises(FdiscreenError) as err:
        parse_override(setting, load_catalog())
    assert err.value.path == f"--set {setting.split('=')[0]}"
    assert expected in (err.value.expected or "")


def test_every_bundled_value_passes_its_unit_check() -> None:
    """The checks on --set accept every value the factors themselves hold."""
    for item in load_catalog().items.values():
        for value in item.values.values():
            if item.unit != "date":
                parse_override(f"{item.id}={json.dumps(value)}", load_catalog())


def test_activity_classes_change_on_notice_dates() -> None:
    """Core-business notice 2020 (applied 2020-05-08) and the 2023 additions (applied 2023-05-24)."""
    assert regime(dt.date(2008, 1, 1)).activity_class("electricity_core") == "designated"
    assert regime(dt.date(2020, 5, 8)).activity_class("electricity_core") == "core"
    assert regime(dt.date(2023, 5, 23)).activity_class("machine_tools_robots") is None
    assert regime(dt.date(2023, 5, 24)).activity_class("machine_tools_robots") == "core"
    assert regime(dt.date(2023, 5, 24)).specified_acquisition_listed("machine_tools_robots") is True


def test_old_activity_ids_read_through_their_aliases() -> None:
    """Old ids (software, capacitors_filters) name the notice items that replace them; the 2024 item applies
    from 2024-09-15 (the 2024-08-16 amendment), not the MOF list's 2024-09-13."""
    r = regime(dt.date(2024, 9, 14))
    assert r.activity_class("capacitors_filters") is None
    assert regime(dt.date(2024, 9, 15)).activity_class("capacitors_filters") == "core"
    assert r.activity_class("software") == "designated" and r.activity_item("software").id == "custom_software"
    assert r.specified_acquisition_core("software") is False
    with pytest.raises(FdiscreenError):
        r.activity_class("no_such_activity")


def test_used_items_do_not_depend_on_what_was_screened_before() -> None:
    """Regimes of the same law and date share resolved values; each still records the date items a value rests on."""
    day = dt.date(2027, 12, 1)
    dependent = next(it.id for it in make_regime(day).catalog.items.values() if any(not k[:1].isdigit() for k in it.values))
    first, second = make_regime(day), make_regime(day)
    first.value(dependent)
    second.value(dependent)
    assert list(first.used) == list(second.used) and len(first.used) >= 2
    assert [a.id for a in first.assumptions()] == [a.id for a in second.assumptions()]


def test_every_citation_has_a_japanese_reference_with_the_same_numbers() -> None:
    """Japanese memos cite in Japanese; the Japanese reference carries every article number and date
    of the English one (a guard against translation slips)."""
    for item in load_catalog().items.values():
        c = item.citation
        assert c.ref_ja, item.id
        assert set(re.findall(r"\d+", c.ref)) <= set(re.findall(r"\d+", c.ref_ja)), (item.id, c.ref, c.ref_ja)


def test_every_note_has_a_japanese_note_with_the_same_numbers() -> None:
    for item in load_catalog().items.values():
        if item.note:
            assert item.note_ja, item.id
            assert set(re.findall(r"\d+", item.note)) <= set(re.findall(r"\d+", item.note_ja)), item.id
            assert item.note_in("ja") == item.note_ja and item.note_in("en") == item.note


def test_citation_line_in_each_language() -> None:
    c = regime(dt.date(2026, 11, 22)).cite("listed_share_threshold_pct")
    assert c.short("en") == ("FEFTA Art. 26(2)(iii) as amended by Act No. 60 of 2019; Cabinet Order Art. 2 (1%) "
                             "(promulgated 2019-11-29; effective 2020-05-08; applies from 2020-06-07) [YG, NATLAW, OLGA, CSS]")
    assert c.short("ja") == ("外為法第26条第2項第3号（令和元年（2019年）法律第60号による改正後）；対内直接投資等に関する政令第2条（1%）"
                             "（公布 2019-11-29、施行 2020-05-08、適用 2020-06-07） [YG, NATLAW, OLGA, CSS]")
    untranslated = c.model_copy(update={"ref_ja": None, "assumption": True})
    assert untranslated.short("ja").startswith("FEFTA Art. 26(2)(iii)") and untranslated.short("ja").endswith("［仮定］")


def test_factor_files_parse_the_same_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse cache (keyed by each file's bytes) gives the same catalog; a damaged entry is parsed
    again; an empty FDISCREEN_CACHE_DIR turns the cache off."""
    from fdiscreen import regime as rg

    monkeypatch.setenv("FDISCREEN_CACHE_DIR", str(tmp_path))
    first = rg._load_catalog.__wrapped__(str(rg.factors_dir()))
    entries = sorted(tmp_path.glob("factors-*.pickle"))
    assert len(entries) == len(list(rg.factors_dir().glob("*.yaml")))
    entries[0].write_bytes(b"damaged")
    again = rg._load_catalog.__wrapped__(str(rg.factors_dir()))
    assert again.version == first.version and again.items == first.items and again.sources == first.sources
    monkeypatch.setenv("FDISCREEN_CACHE_DIR", "")
    assert rg.cache_dir() is None
    assert rg._load_catalog.__wrapped__(str(rg.factors_dir())).items == first.items
