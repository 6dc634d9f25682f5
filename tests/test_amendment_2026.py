"""The 2026 FEFTA amendment: its in-force window (errata 15) and the assumptions pending its cabinet
order (errata 14). Sources: 2026 amending Act, supplementary provisions (施行期日: a cabinet-order date
within one year of promulgation on 2026-06-05; the interagency consultation on promulgation), seed 003,
ORRICK; Civil Code Art. 143(2) for the last day of a period counted in years."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from conftest import ROOT, TODAY
from fdiscreen.filing.amendment import EFFECTIVE, LATEST, PENDING, PROMULGATED, in_force_on
from fdiscreen.load import load_deal
from fdiscreen.model import Deal
from fdiscreen.regime import load_catalog, make_regime
from fdiscreen.render.markdown import to_markdown
from fdiscreen.render.memo import build_memo
from fdiscreen.screening import Screening, screen

EXAMPLE = ROOT / "examples" / "indirect-overseas-parent.yaml"
PENDING_ITEMS = {"indirect_direct_holder_min_listed_pct", "indirect_acquisition_newly_reaching_only", "indirect_high_risk_differentiation",
                 "indirect_acquisition_notification_follows_target_class", "indirect_acquisition_exemption_available"}


def example(closing: str | None = "2027-09-30", **tx: object) -> Deal:
    d = load_deal(EXAMPLE)
    update = {"closing_date": dt.date.fromisoformat(closing) if closing else None}
    indirect = d.transaction.indirect.model_copy(update=tx) if tx else d.transaction.indirect
    return d.model_copy(update={"transaction": d.transaction.model_copy(update={**update, "indirect": indirect})})


def _last_day_of_years(start: dt.date, years: int) -> dt.date:
    """Civil Code Art. 143(2): a period of years counted from ``start`` (first day included, 起算して)
    ends on the day before the corresponding day; with no corresponding day, the month's last day."""
    try:
        corresponding = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return dt.date(start.year + years, 2, 28)
    return corresponding - dt.timedelta(days=1)


def test_last_possible_day_is_one_year_from_promulgation_counted_from_that_day() -> None:
    """附則 (施行期日): 'within one year of promulgation'; counted from 2026-06-05 it ends 2027-06-04."""
    r = make_regime(TODAY)
    promulgated, latest = r.date_value(PROMULGATED), r.date_value(LATEST)
    assert promulgated == dt.date(2026, 6, 5)
    assert latest == _last_day_of_years(promulgated, 1) == dt.date(2027, 6, 4)
    assert not load_catalog().items[LATEST].assumption and not load_catalog().items[PROMULGATED].assumption


def test_assumed_date_is_the_last_possible_day_while_no_cabinet_order_is_found() -> None:
    """The effective-date item stays an assumption with the Act's limit as its value until a cabinet order fixes it."""
    r = make_regime(TODAY)
    assert load_catalog().items[EFFECTIVE].assumption
    assert r.date_value(EFFECTIVE) == r.date_value(LATEST)


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 6, 4), False), (dt.date(2026, 6, 5), False), (dt.date(2026, 6, 6), None),
    (dt.date(2027, 6, 3), None), (dt.date(2027, 6, 4), True), (dt.date(2027, 6, 5), True)])
def test_in_force_window_without_a_cabinet_order(day: dt.date, expected: bool | None) -> None:
    assert in_force_on(day, dt.date(2026, 6, 5), dt.date(2027, 6, 4), None) is expected


def test_a_known_date_decides_the_window() -> None:
    assert in_force_on(dt.date(2027, 1, 1), dt.date(2026, 6, 5), dt.date(2027, 6, 4), dt.date(2027, 1, 1)) is True
    assert in_force_on(dt.date(2026, 12, 31), dt.date(2026, 6, 5), dt.date(2027, 6, 4), dt.date(2027, 1, 1)) is False


def test_closing_inside_the_window_gives_both_readings_and_names_the_cabinet_order() -> None:
    """Errata 15: a closing inside the window with no date known is indeterminate, not 'outside FEFTA'."""
    s = screen(example("2027-03-01"), as_of=TODAY)
    ia = s.filing.indirect_acquisition
    assert ia.status == "indeterminate"
    reasons = [x.en for x in ia.reasons]
    assert any(x.startswith("If in force by then: it is inward direct investment") for x in reasons)
    assert any(x.startswith("If not yet in force:") and "not inward direct investment" in x for x in reasons)
    assert any(x.startswith("それまでに施行される場合") for x in (y.ja for y in ia.reasons))
    assert EFFECTIVE in {f.path for f in ia.facts_needed}
    assert s.filing.outcome.code == "indeterminate"
    assert s.filing.amendment_2026.in_force is None and s.filing.amendment_2026.status == "indeterminate"
    assert any(c.item == EFFECTIVE and c.assumption for c in ia.citations)


def test_example_closing_after_the_last_possible_day_needs_prior_notification() -> None:
    """The example closes on 2027-09-30, after 2027-06-04: the amended law certainly governs the act."""
    s = screen(load_deal(EXAMPLE), as_of=TODAY)
    f = s.filing
    assert f.indirect_acquisition.status == "yes" and f.outcome.code == "prior_notification"
    assert f.amendment_2026.in_force is True and f.amendment_2026.in_force_on_as_of is None
    assert f.amendment_2026.deal_date == dt.date(2027, 9, 30) and f.amendment_2026.deal_date_source == "closing_date"
    assert PENDING_ITEMS <= {a.id for a in s.regime.assumptions}
    assert not f.open_facts()


def test_every_pending_item_is_labelled_in_reasons_summary_and_citations() -> None:
    """Errata 14: conclusions resting on the cabinet order say so, in both languages, and cite it with the mark."""
    s = screen(load_deal(EXAMPLE), as_of=TODAY)
    f = s.filing
    act = next(a for a in f.acts if a.act == "indirect_acquisition")
    marked = {c.item for c in act.citations if c.assumption}
    assert PENDING_ITEMS <= marked
    assert all(c.short("en").endswith("[assumption]") and c.short("ja").endswith("［仮定］") for c in act.citations if c.item in PENDING_ITEMS)
    assert sum(PENDING.en in x.en for x in act.reasons) >= 4 and sum(PENDING.ja in x.ja for x in act.reasons) >= 4
    for item in PENDING_ITEMS:
        assert load_catalog().items[item].assumption and load_catalog().items[item].note, item
    assert PENDING.en in f.exemption.summary.en and PENDING.ja in f.exemption.summary.ja
    assert any("No exemption for the indirect acquisition" in x.en for x in f.exemption.reasons)
    assert PENDING.en in f.amendment_2026.summary.en and PENDING.ja in f.amendment_2026.summary.ja


def test_outcome_line_and_changes_say_which_parts_are_assumptions() -> None:
    s = screen(load_deal(EXAMPLE), as_of=TODAY)
    out = s.filing.outcome
    assert out.code == "prior_notification"
    assert "Rests on assumptions about the 2026 amendment" in out.summary.en and "5 points the cabinet order will settle" in out.summary.en
    assert "2026年改正に関する仮定" in out.summary.ja
    changes = {c.item: c for c in s.filing.amendment_2026.changes}
    assert PENDING_ITEMS <= set(changes["indirect_acquisition"].assumptions) and PENDING.en in changes["indirect_acquisition"].text.en
    consult = changes["interagency_consultation"]
    assert consult.in_force is True and not consult.assumptions and PENDING.en not in consult.text.en


def test_interagency_consultation_is_settled_law_from_promulgation() -> None:
    before, on = make_regime(dt.date(2026, 6, 4)), make_regime(dt.date(2026, 6, 5))
    assert before.value("interagency_consultation") is None and on.value("interagency_consultation") is True
    assert not on.cite("interagency_consultation").assumption


def test_call_in_power_scope_is_an_assumption() -> None:
    s = screen(example(None), as_of=dt.date(2027, 7, 1), amendment_effective=None)
    plain = screen(load_deal(ROOT / "examples" / "us-fund-5pct-core.yaml"), as_of=TODAY)
    change = next(c for c in plain.filing.amendment_2026.changes if c.item == "call_in_power")
    assert "call_in_power_scope" in change.assumptions and PENDING.en in change.text.en
    assert "call_in_power_scope" in {a.id for a in plain.regime.assumptions}
    assert not plain.filing.open_facts(), "a deal the amendment's date does not decide has nothing to confirm"
    assert s.filing.amendment_2026.in_force is True


def test_non_designated_target_report_is_labelled() -> None:
    d = example(None)
    d = d.model_copy(update={"target": d.target.model_copy(update={"businesses": [
        d.target.businesses[0].model_copy(update={"name": "Food", "activity": "food_manufacturing"})]})})
    f = screen(d, as_of=dt.date(2027, 6, 5)).filing
    assert f.outcome.code == "post_investment_report"
    assert PENDING.en in f.post_investment_report.summary.en
    assert any(c.item == "indirect_acquisition_non_designated_report" and c.assumption for c in f.post_investment_report.citations)


def _with_user_date() -> Screening:
    return screen(example("2027-03-01"), as_of=TODAY, amendment_effective=dt.date(2027, 1, 1))


def test_user_date_settles_the_reading_but_stays_an_assumption() -> None:
    """--assume-amendment-effective: in force from that date, listed as an overridden assumption, said to be the user's."""
    s = _with_user_date()
    a = next(x for x in s.regime.assumptions if x.id == EFFECTIVE)
    assert a.overridden is True and a.value == "2027-01-01"
    amend = s.filing.amendment_2026
    assert amend.effective_date_basis == "user_assumption" and amend.effective_date_assumed is True and amend.in_force is True
    assert "the user's assumption" in amend.summary.en and "利用者の仮定" in amend.summary.ja
    assert "the user's assumption" in s.filing.outcome.summary.en
    assert s.filing.indirect_acquisition.status == "yes" and not s.filing.open_facts()
    payload = json.loads(s.to_json())
    assert any(x["id"] == EFFECTIVE and x["overridden"] for x in payload["regime"]["assumptions"])
    assert payload["filing"]["amendment_2026"]["effective_date_basis"] == "user_assumption"


def test_user_date_is_shown_as_the_users_assumption_in_the_memo() -> None:
    md = to_markdown(build_memo(_with_user_date(), lang="en"))
    assert "the user's assumption (override)" in md and "the user's assumption of the in-force date" in md
    assert "--assume" not in md  # the memo names the assumption in words, not by its command-line option
    ja = to_markdown(build_memo(_with_user_date(), lang="ja"))
    assert "利用者の仮定（上書き）" in ja


def test_memo_shows_a_pending_in_force_date_as_such() -> None:
    md = to_markdown(build_memo(screen(example("2027-03-01"), as_of=TODAY), lang="en"))
    assert "depends on the cabinet order's date" in md


def test_terminal_says_the_date_is_the_users_assumption() -> None:
    out = subprocess.run([sys.executable, "-m", "fdiscreen.cli", "check", str(EXAMPLE), "--as-of", "2026-11-22",
                          "--assume-amendment-effective", "2027-01-01", "--full"], capture_output=True, text=True, timeout=120,
                         env={"COLUMNS": "250", "PATH": "", "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "the user's assumption" in out.stdout and "assumed, pending the cabinet order" in out.stdout


def test_no_amendment_items_cited_before_promulgation() -> None:
    s = screen(example(None), as_of=dt.date(2026, 6, 4))
    assert s.filing.indirect_acquisition.status == "no"
    assert not [a.id for a in s.regime.assumptions if a.id.startswith(("amendment_2026", "indirect_", "call_in_"))]


def test_outcome_line_gives_both_readings_inside_the_window() -> None:
    """Errata 15: the outcome line says what follows if the amendment is in force by closing, and if not."""
    out = screen(example("2027-03-01"), as_of=TODAY).filing.outcome
    assert out.code == "indeterminate"
    assert "If the 2026 amendment is in force by 2027-03-01: Prior notification required before closing." in out.summary.en
    assert "If not: No FEFTA filing or report needed on these facts." in out.summary.en
    assert "施行前の場合" in out.summary.ja
    settled = screen(example("2027-09-30"), as_of=TODAY).filing.outcome
    assert "If not:" not in settled.summary.en


def test_a_japanese_buyer_of_an_overseas_holding_entity_is_screened() -> None:
    """A resident company buying the overseas holder of a Japanese company is not a foreign investor: no
    act is covered, and the amendment's indirect-acquisition change is still described (it used to stop
    the screening with an internal error)."""
    import yaml

    from fdiscreen.load import parse_deal
    from fdiscreen.screening import screen

    d = yaml.safe_load((ROOT / "examples" / "indirect-overseas-parent.yaml").read_text(encoding="utf-8"))
    d["entities"][0].update(jurisdiction="JP", officers={"directors_total": 3, "directors_non_resident": 0}, owners_complete=True)
    s = screen(parse_deal(d), dt.date(2026, 12, 1))
    assert s.filing.foreign_investor.status == "no" and s.filing.outcome.code == "not_foreign_investor"
    change = next(c for c in s.filing.amendment_2026.changes if c.item == "indirect_acquisition")
    assert change.assumptions == [] and not change.applies_to_deal
