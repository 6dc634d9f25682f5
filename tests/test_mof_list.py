"""Loader for the MOF list of listed companies by FEFTA category (①/②/③), on lists made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import deal, run
from fdiscreen.errors import FdiscreenError
from fdiscreen.filing import determine
from fdiscreen.mof_list import load_mof_list
from fdiscreen.regime import make_regime


def test_loads_japanese_headers_shift_jis(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_bytes("財務省 本邦上場会社リスト\n証券コード,ISIN,銘柄名,区分\n1301,JP3257200000,極洋,①\n6135,JP3862800004,牧野フライス製作所,③\n９４３２,X,日本電信電話,②\n".encode("cp932"))
    m = load_mof_list(p)
    assert m.lookup("1301") == "non_designated" and m.lookup("6135") == "core" and m.lookup("9432") == "designated"


def test_loads_english_headers(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("Securities code,Company name,Category\n7203,Toyota,2\n", encoding="utf-8")
    assert load_mof_list(p).lookup("7203") == "designated"


def test_bad_category_names_row(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("証券コード,区分\n7203,④\n", encoding="utf-8")
    with pytest.raises(FdiscreenError, match="row 2"):
        load_mof_list(p)


def test_list_classifies_target_by_securities_code(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("証券コード,区分\n6199,③\n", encoding="utf-8")
    d = deal(target={"securities_code": "6199", "businesses": [], "subsidiaries_complete": None})
    assert run(d).target_class.status == "indeterminate"
    det = determine(d, make_regime(run.__defaults__[0]), load_mof_list(p))  # type: ignore[index]
    assert det.target_class.fefta_class == "core"
