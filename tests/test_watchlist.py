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


# ---- issue 18, item 5: forms only where they belong, scripts, rapidfuzz scoring, the index ----

def _list(tmp_path: Path, *rows: tuple[str, str]) -> list:  # type: ignore[type-arg]
    """An OpenSanctions-format list of (name, aliases separated by ';')."""
    body = "".join(f'NK-{k},Company,"{n}","{a}",,cn,,,,,,test,2024-01-01,2026-10-01,2026-10-01\n' for k, (n, a) in enumerate(rows))
    p = tmp_path / "targets.simple.csv"
    p.write_text(OPENSANCTIONS.splitlines()[0] + "\n" + body, encoding="utf-8")
    return load_watchlist(p)


def _hits(d, lists) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(h.entity_id, h.listed_name) for h in match_deal(d, lists)}


def test_corporate_form_removed_only_at_the_edges() -> None:
    assert normalize_name("Huawei Technologies Co., Ltd.") == normalize_name("HUAWEI TECHNOLOGIES CO LTD") == "huawei technologies"
    assert normalize_name("Kabushiki Kaisha Toshiba") == normalize_name("Toshiba Corporation") == "toshiba"   # 前株, romanised
    assert normalize_name("OOO Romashka") == normalize_name("Romashka LLC") == "romashka"                      # Russian prefix form
    assert normalize_name("Foo Ltd Bar") == "foo ltd bar"                                                     # never in the middle
    assert normalize_name("AG Barr plc") == "ag barr"                 # AG is a suffix form: kept when written first
    assert normalize_name("AS Holdings") == "as holdings"        # AS (Norwegian form) is not written first: it is part of the name
    assert normalize_name("Holdings Ltd") == "holdings ltd"      # removing the form would leave one generic word


def test_generic_names_are_not_matched(tmp_path: Path) -> None:
    lists = _list(tmp_path, ("Holdings", ""), ("Holdings Ltd", ""), ("Technology Co., Ltd.", ""), ("ホールディングス株式会社", ""))
    d = _deal_with(("Holdings", []), ("Holdings Limited", []), ("AS Holdings", []), ("ホールディングス（株）", []))
    assert match_deal(d, lists) == []
    assert name_score("Holdings", "Holdings") == 0.0


def test_true_hits_across_forms_and_scripts(tmp_path: Path) -> None:
    lists = _list(tmp_path,
                  ("HUAWEI TECHNOLOGIES CO LTD", ""),
                  ("ООО Ромашка", ""),
                  ("株式会社東京エレクトロン", ""),
                  ("Volterra Marine Systems", "ヴォルテラ・マリーン合同会社;Volterra Marine GmbH"))
    d = _deal_with(("Huawei Technologies Co., Ltd.", []),
                   ("Romashka LLC", []),                       # fingerprints/ICU folds Ромашка to "romaska": one letter apart
                   ("Some Holder", ["OOO Romaska"]),           # the same transliteration exactly
                   ("東京エレクトロン（株）", []),
                   ("ﾎﾞﾙﾃﾗ", ["ｳﾞｫﾙﾃﾗ･ﾏﾘｰﾝ ｺﾞｳﾄﾞｳｶﾞｲｼｬ"]))    # half-width kana, middle dot, 長音, katakana form
    hits = {(h.entity_id, h.listed_name): h for h in match_deal(d, lists)}
    assert hits[("buyer", "HUAWEI TECHNOLOGIES CO LTD")].score == 1.0
    assert 0.92 <= hits[("o0", "ООО Ромашка")].score < 1.0
    assert hits[("o1", "ООО Ромашка")].score == 1.0
    assert hits[("o2", "株式会社東京エレクトロン")].score == 1.0
    alias_hit = hits[("o3", "Volterra Marine Systems")]
    assert alias_hit.score == 1.0 and alias_hit.path == "entities[4].aliases[0]"


def test_japanese_name_matches_across_scripts_only_through_a_latin_alias(tmp_path: Path) -> None:
    d = _deal_with(("ABC Co., Ltd.", []))
    assert _hits(d, _list(tmp_path, ("ＡＢＣ株式会社", ""))) == set()
    assert _hits(d, _list(tmp_path, ("ＡＢＣ株式会社", "ABC Co., Ltd."))) == {("buyer", "ＡＢＣ株式会社")}


def test_japanese_list_name_matches_the_entitys_name_ja(tmp_path: Path) -> None:
    lists = _list(tmp_path, ("東海精密（株）", ""))
    d = deal(entities=[dict(id="buyer", name="Tokai Seimitsu K.K.", name_ja="東海精密株式会社", kind="corporation",
                            jurisdiction="JP", **CLEAN)])
    [hit] = match_deal(d, lists)
    assert (hit.path, hit.score) == ("entities[0].name_ja", 1.0)
    assert name_score("紅港科技有限公司", "Hong Gang Ke Ji") == 0.0     # no romanisation of kanji is invented


def test_japanese_width_dot_and_long_vowel_folding() -> None:
    assert normalize_name("ｶﾌﾞｼｷｶﾞｲｼｬﾄｳｷｮｳｴﾚｸﾄﾛﾝ") == normalize_name("トウキョウエレクトロン株式会社") == "トウキョウエレクトロン"
    assert normalize_name("ＡＢＣ株式会社") == normalize_name("ABC（株）") == normalize_name("㈱ABC") == "abc"
    assert normalize_name("ゴールドマン・サックス") == normalize_name("ゴールドマンサックス")
    assert normalize_name("コンピューター・システム株式会社") == normalize_name("コンピュータシステム(株)")
    assert normalize_name("ソニー") == "ソニー"            # a two-letter word keeps its long vowel
    assert normalize_name("华为技术有限公司") == "华为技术"


@pytest.mark.parametrize("a, b", [
    ("AS Holdings", "Holdings"),
    ("Sino Holdings", "Sinopec Holdings"),
    ("Tokyo Electron", "Tokyo Electric"),
    ("ABC Trading Co., Ltd.", "ABD Trading Co., Ltd."),     # one letter of a three-letter name: FUZZY_MIN rejects it (0.91)
    ("Acme Technology Holdings Group", "Acne Technology Holdings Group"),   # generic tail cannot carry it over the bar
    ("三菱電機株式会社", "三菱電線株式会社"),
    ("東京エレクトロン株式会社", "東京エレクトロニクス株式会社"),
    ("ソニー", "ソニア"),
    ("ＡＢＣ株式会社", "ABC Co., Ltd."),
])
def test_near_misses_do_not_hit(a: str, b: str) -> None:
    assert name_score(a, b) == 0.0 and name_score(b, a) == 0.0


def test_scores_are_bounded_and_exact_equality_is_one() -> None:
    assert name_score("Red Harbor Technology Co. Ltd.", "RED HARBOR TECHNOLOGY LIMITED") == 1.0
    s = name_score("Northwind Precision Instruments", "Nortwind Precision Instruments")
    assert 0.92 <= s < 1.0
    assert name_score("Quintessa Trading International", "Quintessa Tradinq International") >= 0.92   # typo in a generic word
    assert name_score("ABC", "ABD") == 0.0           # short names match only exactly
    assert name_score("Rostec", "Rostecs") == 0.0    # six letters: one added letter would score 0.92
    assert name_score("Rostec Corporation", "ROSTEC") == 1.0


def test_index_gives_the_same_hits_as_pairwise_scoring(tmp_path: Path) -> None:
    import random
    rng = random.Random(5)
    base = ["Northwind Precision Instruments", "Red Harbor Technology", "Eastern Star Aerospace", "Volterra Marine Systems",
            "Quintessa Trading International", "Kavirtek Industrial Group", "東京エレクトロン", "紅港科技"]
    def mutate(s: str) -> str:
        i = rng.randrange(len(s))
        return s[:i] + rng.choice("aeiouxy") + s[i + 1:] if rng.random() < 0.5 else s[:i] + s[i + 1:]
    rows = [(mutate(rng.choice(base)) + rng.choice([" Ltd.", " LLC", "", " 株式会社"]), "") for _ in range(300)]
    lists = _list(tmp_path, *rows)
    d = _deal_with(*[(n, []) for n in base])
    got = {(h.entity_id, h.entry_id): h.score for h in match_deal(d, lists)}
    want = {}
    for e in d.entities:
        for entry in lists:
            s = max(name_score(e.name, t) for t in (entry.name, *entry.aliases))
            if s:
                want[(e.id, entry.entry_id)] = s
    assert got == want and len(got) > 20


def test_watchlist_keeps_its_index(tmp_path: Path) -> None:
    from fdiscreen.assess.watchlist import ListEntry, WatchList
    lists = _list(tmp_path, ("Red Harbor Technology", ""))
    assert isinstance(lists, WatchList) and lists.name_index() is lists.name_index()
    lists.append(ListEntry("extra", "X1", "Northwind Precision Instruments", (), "ru"))
    d = _deal_with(("Northwind Precision Instruments LLC", []))
    assert _hits(d, lists) == {("buyer", "Northwind Precision Instruments")}


METI_JA = """外国ユーザーリスト,,,,
No.,国名・地域名,企業名・組織名,別名,懸念区分
1,中国,Eastern Star Aerospace Materials Research Institute,"ESAMRI、Eastern Star Materials",ミサイル
2,イラン,Kavir Industrial Group,,化学
"""


def test_meti_list_with_japanese_headers_loads(tmp_path: Path) -> None:
    p = tmp_path / "end_user_list_ja.csv"
    p.write_bytes(METI_JA.encode("cp932"))
    entries = load_watchlist(p)
    assert [(e.entry_id, e.name, e.country) for e in entries] == [
        ("1", "Eastern Star Aerospace Materials Research Institute", "中国"), ("2", "Kavir Industrial Group", "イラン")]
    assert entries[0].aliases == ("ESAMRI", "Eastern Star Materials")
    assert _hits(_deal_with(("ESAMRI", [])), entries) == {("buyer", "Eastern Star Aerospace Materials Research Institute")}


def test_scores_stay_in_range_and_symmetric_for_any_text() -> None:
    from hypothesis import given, settings, strategies as st
    alphabet = st.sampled_from(list("abcxyz ABC.,&()-'") + list("株式会社有限公司東京エレクトロンｶﾌﾞｰ・ー") + list("ООО Ромашка") + ["Ltd", "Co", "AS", "Holdings", "LLC"])
    names = st.lists(alphabet, max_size=12).map("".join)

    @settings(max_examples=300, deadline=None, database=None)
    @given(names, names)
    def check(a: str, b: str) -> None:
        s = name_score(a, b)
        assert 0.0 <= s <= 1.0 and s == name_score(b, a)
        assert s == 0.0 or s == 1.0 or s >= 0.92
    check()
