"""Watch lists: OpenSanctions targets.simple.csv and METI End User List CSVs made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CLEAN, deal
from fdiscreen.assess.watchlist import load_watchlist, match_deal, name_score, normalize_name
from fdiscreen.errors import FdiscreenError

OPENSANCTIONS = """id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change
NK-abc123,Company,Red Harbor Technology Co. Ltd.,Red Harbour Tech;紅港科技有限公司,,cn,,,,,,us_ofac_sdn,2024-01-01,2026-10-01,2026-10-01
NK-def456,Company,Northwind Precision Instruments LLC,,,ru,,,,,,eu_fsf,2024-01-01,2026-10-01,2026-10-01
"""

METI = """外国ユーザーリスト,,,,
No.,Country or Region,Company or Organization,Also Known As,Type of WMD
1,China,Eastern Star Aerospace Materials Research Institute,"ESAMRI; Eastern Star Materials",M
2,Iran,Kavir Industrial Group,,C
"""


@pytest.fixture
def lists(tmp_path: Path) -> list:  # type: ignore[type-arg]
    a = tmp_path / "targets.simple.csv"
    a.write_text(OPENSANCTIONS, encoding="utf-8")
    b = tmp_path / "meti_end_user_list.csv"
    b.write_bytes(METI.encode("cp932"))
    return load_watchlist(a) + load_watchlist(b)


def test_normalisation() -> None:
    assert normalize_name("ＲＥＤ　ＨＡＲＢＯＲ Technology Co., Ltd.") == "red harbor technology"
    assert normalize_name("紅港科技有限公司") == "紅港科技"
    assert normalize_name("Tokai Seimitsu Kabushiki Kaisha") == normalize_name("TOKAI SEIMITSU K.K.")


def test_loads_both_formats(lists: list) -> None:  # type: ignore[type-arg]
    assert len(lists) == 4
    meti = [e for e in lists if e.list_name.startswith("METI")]
    assert meti[0].aliases == ("ESAMRI", "Eastern Star Materials")


def _deal_with(*names: tuple[str, list[str]]):  # type: ignore[no-untyped-def]
    ents = [dict(id="buyer", name=names[0][0], aliases=names[0][1], kind="corporation", jurisdiction="HK", **CLEAN)]
    for k, (n, al) in enumerate(names[1:]):
        ents.append(dict(id=f"o{k}", name=n, aliases=al, kind="corporation", jurisdiction="CN"))
        ents[0].setdefault("owners", []).append({"owner": f"o{k}", "voting_pct": 10})
    return deal(entities=ents)


def test_hits_by_width_case_suffix_and_alias(lists: list) -> None:  # type: ignore[type-arg]
    d = _deal_with(("ＲＥＤ　ＨＡＲＢＯＲ ＴＥＣＨＮＯＬＯＧＹ CO LTD", []), ("Some Parent", ["eastern star materials"]), ("紅港科技", []))
    hits = match_deal(d, lists)
    got = {(h.entity_id, h.listed_name) for h in hits}
    assert ("buyer", "Red Harbor Technology Co. Ltd.") in got
    assert ("o0", "Eastern Star Aerospace Materials Research Institute") in got
    assert ("o1", "Red Harbor Technology Co. Ltd.") in got
    assert all(h.score >= 0.92 for h in hits)


def test_no_false_hits_on_clean_names(lists: list) -> None:  # type: ignore[type-arg]
    clean = ["Red Ocean Trading K.K.", "Harbor Technology Partners LP", "Northwind Capital", "Eastern Star Hotels",
             "Blue Ridge Capital Partners IV, L.P.", "Kavir Carpets GmbH", "Star", "Technology Co., Ltd."]
    d = _deal_with(*[(n, []) for n in clean])
    assert match_deal(d, lists) == []


def test_fuzzy_match_tolerates_small_spelling_changes() -> None:
    assert name_score("Northwind Precision Instruments", "Northwind Precision Instrument") >= 0.92
    assert name_score("Northwind Precision Instruments", "Northwind Capital") == 0.0


def test_hit_becomes_a_finding(lists: list) -> None:  # type: ignore[type-arg]
    from fdiscreen.screening import screen
    d = _deal_with(("Red Harbour Tech", []))
    s = screen(d, watchlists=lists)
    assert s.watchlist_hits and any(f.id == "investor.watchlist_hit" for f in s.findings)


def test_unrecognised_list_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="unrecognised header"):
        load_watchlist(p)
