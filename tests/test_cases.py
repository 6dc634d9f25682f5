"""The case library: loading, replay under the rules of a date, evaluation, plots, the timeline."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from fdiscreen import cases
from fdiscreen.errors import FdiscreenError

CASES = cases.default_dir()
from test_cli import cli

TODAY = dt.date(2026, 11, 22)


RESERVED = [("canyon bridge", "lattice"), ("shiji", "stayntouch"), ("bytedance", "musical"), ("mineone", "cheyenne"),
            ("unisplendour", "western digital"), ("go scale", "lumileds"), ("wanxiang", "a123"), ("lenovo", "ibm"), ("lenovo", "motorola"),
            ("infinite vision", "manchester"), ("ftdi", "ftdi"), ("l1t", "upp"), ("advent", "cobham"), ("parker", "meggitt"),
            ("addsino", "imst"), ("heyer", "heyer"), ("shandong gold", "tmac"), ("petronas", "progress"), ("zijin", "neo lithium"),
            ("cki", "apa"), ("state grid", "ausgrid"), ("baowu", "western range"), ("ccui", "alpi"), ("teledyne", "photonis")]


def test_library_size_and_label_rules() -> None:
    """At least 90 sourced cases, 35 cleared after a real review, 12 Japanese matters, 6 reviewing states
    (cases/README.md, label rules)."""
    df = cases.load()
    assert len(df) >= 90 and (df["sources"] >= 1).all()
    assert (df["group"] == "B").sum() >= 35
    assert (df["jurisdiction"] == "JP").sum() >= 12
    assert df["jurisdiction"].nunique() >= 6
    assert {"jp-tci-jpower-2008", "jp-mbk-makino-2026", "jp-yageo-shibaura-2025"} <= set(df["case"])


def test_no_reserved_evaluation_case_is_in_the_library() -> None:
    for c in cases.load_cases():
        text = " ".join([c.meta.title, c.deal.matter, c.deal.target.name, *(e.name for e in c.deal.entities)]).casefold()
        for a, b in RESERVED:
            assert not (a in text and b in text), (c.meta.id, a, b)


def test_one_deal_once() -> None:
    """The same acquirer and target appear once (a deal reviewed by two states is one case)."""
    seen: dict[tuple[str, str], str] = {}
    for c in cases.load_cases():
        key = (c.deal.entity(c.deal.acquirer).name.casefold(), c.deal.target.name.casefold())
        assert key not in seen, (c.meta.id, seen.get(key))
        seen[key] = c.meta.id


def test_every_replayed_case_is_an_inward_investment() -> None:
    """No Japanese acquirer: the determination finds a foreign investor (or cannot rule it out)."""
    from fdiscreen.filing import determine
    from fdiscreen.regime import make_regime

    for c in cases.load_cases():
        det = determine(c.deal, make_regime(c.date or TODAY))
        assert det.foreign_investor.status != "no", c.meta.id


def _case_with(tmp_path: Path, edit: dict[str, object], fact_sources: dict[str, list[int]] | None = None) -> Path:
    src = CASES / "jp-tci-jpower-2008.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    for path, value in edit.items():
        node = data
        *head, last = path.split(".")
        for part in head:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    if fact_sources is not None:
        data["case"]["fact_sources"] = fact_sources
    out = tmp_path / "jp-tci-jpower-2008.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_an_unknown_fact_written_as_a_default_fails(tmp_path: Path) -> None:
    """A key fact written as 0 or false without a source for that very field is a placeholder default."""
    data = yaml.safe_load((CASES / "jp-tci-jpower-2008.yaml").read_text(encoding="utf-8"))
    sources = {k: v for k, v in data["case"]["fact_sources"].items() if k != "transaction.board_seats"}
    bad = _case_with(tmp_path, {"transaction.board_seats": 0}, {**sources, "transaction": [1]})
    with pytest.raises(FdiscreenError) as err:
        cases.load_case(bad)
    assert "transaction.board_seats" in str(err.value) and "no source" in str(err.value)
    assert cases.load_case(_case_with(tmp_path, {"transaction.board_seats": None}, sources)).deal.transaction.board_seats is None
    sourced = _case_with(tmp_path, {"transaction.board_seats": 0}, {**sources, "transaction.board_seats": [1]})
    assert cases.load_case(sourced).deal.transaction.board_seats == 0


def test_a_key_fact_left_out_fails(tmp_path: Path) -> None:
    data = yaml.safe_load((CASES / "jp-tci-jpower-2008.yaml").read_text(encoding="utf-8"))
    del data["target"]["defence_supplier"]
    bad = tmp_path / "jp-tci-jpower-2008.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(FdiscreenError, match="key fact not stated") as err:
        cases.load_case(bad)
    assert "target.defence_supplier" in str(err.value)


def test_fact_sources_name_real_sources_and_groups_follow_outcomes(tmp_path: Path) -> None:
    with pytest.raises(FdiscreenError, match="do not name a source"):
        cases.load_case(_case_with(tmp_path, {}, {"target": [99]}))
    with pytest.raises(FdiscreenError, match="does not match outcome"):
        cases.load_case(_case_with(tmp_path, {"case.group": "B"}))


def test_replay_under_decision_date_today_and_amended() -> None:
    t = cases.replay(rules="decision-date", today=TODAY)
    tci = t.set_index("case").loc["jp-tci-jpower-2008"]
    assert tci["as_of"] == dt.date(2008, 4, 16) and tci["prior_notification"] in ("yes", "indeterminate")
    assert set(t.columns) >= {"case", "date", "jurisdiction", "actual_outcome", "filing", "overall", "tier", "predicted", "agreement"}
    today = cases.replay(rules="today", today=TODAY)
    assert (today["as_of"] == TODAY).all()
    amended = cases.replay(rules="amended", today=TODAY).set_index("case")
    assert amended.loc["us-fgc-aixtron-2016", "indirect_acquisition"] != "no"
    # today's law inside the 2026 amendment's in-force window, no cabinet order: both readings (errata 15)
    assert today.set_index("case").loc["us-fgc-aixtron-2016", "indirect_acquisition"] == "indeterminate"


def test_amendment_effect_lists_the_indirect_case() -> None:
    eff = cases.amendment_effect(today=TODAY)
    assert "us-fgc-aixtron-2016" in set(eff["case"])


def test_auc_and_confusion_on_a_known_table() -> None:
    assert cases.roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert cases.roc_auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert cases.roc_auc([0.5, 0.5], [True, False]) == 0.5
    table = pd.DataFrame({"case": list("abcd"), "actual_outcome": ["blocked", "cleared", "cleared", None],
                          "actual_class": ["at_risk", "clear", "clear", None], "predicted": ["at_risk", "at_risk", "clear", "clear"],
                          "overall": [70.0, 60.0, 10.0, 5.0], "top_findings": ["", "", "", ""], "rules": ["decision-date"] * 4})
    table["tier"] = ["severe", "high", "low", "low"]
    table["jurisdiction"] = ["US", "US", "JP", "JP"]
    ev = cases.evaluate(table)
    assert ev["rated"] == 3 and ev["auc"] == 1.0 and ev["accuracy"] == 2 / 3  # figures are not rounded (rounding is for printing)
    assert ev["confusion"].loc["clear", "at_risk"] == 1 and list(ev["misses"]["case"]) == ["b"]
    cal = ev["calibration"].set_index("tier")
    assert cal.loc["severe", "share_at_risk"] == 1.0 and cal.loc["high", "share_at_risk"] == 0.0 and cal.loc["low", "cases"] == 1
    assert ev["by_jurisdiction"].set_index("jurisdiction").loc["US", "auc"] == 1.0
    assert ev["fitted_parameters"] == [] and ev["at_risk_predicted_clear"] == []


def test_bootstrap_interval_brackets_the_auc() -> None:
    scores = [0.9, 0.8, 0.7, 0.4, 0.6, 0.3, 0.2, 0.1]
    positive = [True, True, True, True, False, False, False, False]
    auc = cases.roc_auc(scores, positive)
    lo, hi = cases.bootstrap_auc(scores, positive)
    assert lo <= auc <= hi and 0 <= lo < hi <= 1
    assert cases.bootstrap_auc(scores, positive) == (lo, hi)  # fixed seed: reproducible


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_plots_are_written(tmp_path: Path, lang: str) -> None:
    import warnings

    t = cases.replay(today=TODAY)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning in matplotlib: make it fail
        drawn = cases.plot(t, cases.evaluate(t), tmp_path, lang)  # type: ignore[arg-type]
    paths = list(drawn["paths"].values())
    assert [p.name for p in paths] == ["score_by_outcome.png", "roc.png", "calibration.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paths)
    assert set(drawn["figures"]) == {"score_by_outcome", "roc", "calibration"} and all(hasattr(f, "savefig") for f in drawn["figures"].values())
    assert cases.plot(t, cases.evaluate(t))["paths"] == {}  # figures only, nothing written


def test_timeline_lists_law_changes_and_touched_cases() -> None:
    tl = cases.regime_timeline(today=TODAY)
    row = tl.set_index("date").loc[dt.date(2020, 6, 7)]
    assert "listed_share_threshold_pct" in row["items"]
    assert tl["n_touched"].sum() > 0


def test_bad_case_file_names_file_and_field(tmp_path: Path) -> None:
    src = CASES / "jp-tci-jpower-2008.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["case"]["outcome"] = "vaporised"
    bad = tmp_path / "jp-tci-jpower-2008.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FdiscreenError) as err:
        cases.load_case(bad)
    assert str(bad) in str(err.value) and "case.outcome" in str(err.value)
    data["case"]["outcome"] = "blocked"
    data["transaction"]["shares_after_pct"] = 400
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = cli("replay", "--cases", str(tmp_path), "--today", "2026-11-22", "--plots", str(tmp_path / "p"))
    assert res.returncode == 2 and "transaction.shares_after_pct" in res.stderr and str(bad) in res.stderr


def test_new_cases_dropped_into_a_folder_replay(tmp_path: Path) -> None:
    for name in ("jp-tci-jpower-2008.yaml", "jp-yageo-shibaura-2025.yaml", "us-midea-kuka-2016.yaml"):
        shutil.copy(CASES / name, tmp_path / name)
    out = tmp_path / "replay.csv"
    res = cli("replay", "--cases", str(tmp_path), "--today", "2026-11-22", "--out", str(out), "--plots", str(tmp_path / "plots"))
    assert res.returncode == 0, res.stderr
    assert len(pd.read_csv(out)) == 3 and "ROC AUC" in res.stdout and (tmp_path / "plots" / "roc.png").exists()
    tl = cli("replay", "--cases", str(tmp_path), "--timeline", "--today", "2026-11-22")
    assert tl.returncode == 0 and "How the law changed" in tl.stdout


def test_cases_readme_lists_every_case() -> None:
    text = (CASES / "README.md").read_text(encoding="utf-8")
    missing = [c.meta.id for c in cases.load_cases() if f"| {c.meta.id} |" not in text]
    assert not missing, missing
