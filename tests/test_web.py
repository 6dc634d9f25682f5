"""The web workbench and JSON API through FastAPI's TestClient: pages, API contract, escaping,
upload caps, token and host checks."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from fdiscreen.clock import japan_today
from fdiscreen.errors import FdiscreenError
from fdiscreen.load import load_deal, parse_deal, read_mapping
from fdiscreen.screening import screen
from fdiscreen.web.app import check_host, create_app, serve
from fdiscreen.web.forms import MAX_TABLE_ROWS, MAX_UPLOAD_BYTES, deal_from_form

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "http://127.0.0.1:8765"  # the guard answers only loopback host names
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".json"))
BIDS = sorted((ROOT / "examples" / "bids").glob("*.yaml"))
AS_OF = "2026-11-22"
BOARD_SEAT = ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml"

SIMPLE_FORM: dict[str, str] = {
    "acq_name": "Blue Ridge Capital", "acq_kind": "corporation", "acq_jurisdiction": "us",
    "acq_fefta_violation_sanctioned": "false", "acq_information_cooperation_duty": "false",
    "acq_decisions_by_obliged_persons": "false", "acq_decisions_at_office_in_obliging_country": "false",
    "acq_contractual_disclosure_duty": "false",
    "tgt_name": "Tokai Precision Tools K.K.", "tgt_listed": "true", "tgt_subsidiaries_complete": "true",
    "tgt_specified_core_business_entity": "false", "biz1_name": "CNC machining centres", "biz1_activity": "machine_tools_robots",
    "tx_kind": "share_acquisition", "tx_shares_before_pct": "0", "tx_shares_after_pct": "5", "tx_acquired_from": "market",
    "tx_board_seats": "1", "tx_auditor_seats": "0", "tx_observer_seats": "0", "as_of": AS_OF,
}


@pytest.fixture(autouse=True)
def _history_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Screenings the pages run are kept in the history: keep this test's in its own folder."""
    monkeypatch.setenv("FDISCREEN_DATA_DIR", str(tmp_path / "fdiscreen-data"))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), base_url=LOCAL)


def _body(path: Path) -> dict[str, Any]:
    """A deal file as the JSON body a client would send."""
    return json.loads(json.dumps(read_mapping(path), default=str))


# -- pages ----------------------------------------------------------------------------------------

def test_form_page_lists_activities_and_measures(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert 'value="machine_tools_robots"' in r.text and 'name="measure" value="no_board_seat"' in r.text
    assert 'name="own3_voting_pct"' in r.text and 'name="ta_site_access"' in r.text
    ja = client.get("/?lang=ja").text
    assert "案件の審査" in ja and '<html lang="ja">' in ja and "English" in ja


def test_form_to_result_shows_the_outcome(client: TestClient) -> None:
    r = client.post("/screen", data=SIMPLE_FORM)
    assert r.status_code == 200, r.text[:500]
    expected = screen(parse_deal(deal_from_form(SIMPLE_FORM, []), file="form"))
    assert f'data-outcome="{expected.filing.outcome.code}"' in r.text
    assert expected.filing.outcome.summary.en in r.text
    assert f'id="residual-overall">{expected.mitigations.residual.overall:g}<' in r.text
    for c in expected.filing.conclusions():
        assert f'id="c-{c.id}"' in r.text
    assert "Blue Ridge Capital / Tokai Precision Tools K.K." in r.text
    ja = client.post("/screen", data={**SIMPLE_FORM, "lang": "ja"})
    assert expected.filing.outcome.summary.ja in ja.text


def test_form_covers_the_review_factors_beyond_the_basics(client: TestClient) -> None:
    """Investor plan and past conduct, the target's defence and supply roles, proxies and convertibles."""
    form = {**SIMPLE_FORM, "acq_investment_plan": "control", "acq_past_activist_campaign": "on", "tgt_defence_supplier": "true",
            "tgt_single_source_supplier": "true", "tgt_global_market_share_pct": "45", "tgt_critical_infrastructure": "power grid\n",
            "tx_proxy_voting_pct": "12", "tx_convertible_instruments": "on", "tx_written_proposals_with_deadline": "on"}
    data = deal_from_form(form, [])
    acq, target, tx = data["entities"][0], data["target"], data["transaction"]
    assert acq["investment_plan"] == "control" and acq["past_conduct"] == ["activist_campaign"]
    assert target["defence_supplier"] is True and target["critical_infrastructure"] == ["power grid"]
    assert tx["proxy_voting_pct"] == "12" and tx["convertible_instruments"] is True and tx["written_proposals_with_deadline"] is True
    plain = screen(parse_deal(deal_from_form(SIMPLE_FORM, []), file="form"))
    rich = screen(parse_deal(data, file="form"))
    new = {f.id for f in rich.findings} - {f.id for f in plain.findings}
    assert {"business.defence_supply", "business.critical_infrastructure", "terms.convertible"} <= new, new
    r = client.post("/screen", data=form)
    assert r.status_code == 200 and f'id="residual-overall">{rich.mitigations.residual.overall:g}<' in r.text


def test_form_error_names_the_field_and_keeps_the_values(client: TestClient) -> None:
    form = {**SIMPLE_FORM, "acq_name": "", "tgt_name": "Kept Name K.K."}
    r = client.post("/screen", data=form)
    assert r.status_code == 422
    assert "form: entities[0].name: required field is missing" in r.text
    assert 'name="acq_name" id="acq_name" class="invalid"' in r.text
    assert 'value="Kept Name K.K."' in r.text
    bad = client.post("/screen", data={**SIMPLE_FORM, "tx_shares_after_pct": "five"})
    assert bad.status_code == 422 and "transaction.shares_after_pct" in bad.text and "a number" in bad.text


LOAN_FORM = {**SIMPLE_FORM, "tgt_listed": "false", "biz1_name": "Freight railway", "biz1_activity": "railway_core", "tx_kind": "loan",
             "tx_shares_after_pct": "", "tx_board_seats": "0", "loan_amount_jpy": "5000000000", "loan_term_years": "5",
             "loan_currency": "USD", "loan_lender_loan_balance_after_jpy": "5000000000", "loan_lender_bonds_held_jpy": "0",
             "loan_borrower_liabilities_jpy": "4000000000"}
INDIRECT_FORM = {**SIMPLE_FORM, "tx_kind": "indirect_acquisition", "tx_shares_after_pct": "", "tx_board_seats": "0",
                 "ind_name": "Helvetia Sensors AG", "ind_kind": "corporation", "ind_jurisdiction": "ch",
                 "ind_holding_entity_stake_in_target_pct": "35", "ind_acquirer_voting_after_pct": "100"}


def test_form_screens_a_loan(client: TestClient) -> None:
    data = deal_from_form(LOAN_FORM, [])
    assert data["transaction"]["loan"] == {"amount_jpy": "5000000000", "term_years": "5", "currency": "USD",
                                           "lender_loan_balance_after_jpy": "5000000000", "lender_bonds_held_jpy": "0",
                                           "borrower_liabilities_jpy": "4000000000", "lender_financial_institution_in_business": False}
    expected = screen(parse_deal(data, file="form"))
    assert [(a.act, a.status) for a in expected.filing.acts] == [("loan", "yes")]
    r = client.post("/screen", data=LOAN_FORM)
    assert r.status_code == 200 and f'data-outcome="{expected.filing.outcome.code}"' in r.text


def test_form_screens_an_indirect_acquisition_under_the_2026_amendment(client: TestClient) -> None:
    data = deal_from_form(INDIRECT_FORM, [])
    assert data["entities"][-1] == {"id": "holding", "name": "Helvetia Sensors AG", "kind": "corporation", "jurisdiction": "CH"}
    assert data["transaction"]["indirect"]["holding_entity"] == "holding"
    before = client.post("/screen", data=INDIRECT_FORM)
    after = client.post("/screen", data={**INDIRECT_FORM, "amendment_effective": "2026-07-01"})
    assert before.status_code == after.status_code == 200
    assert 'data-outcome="prior_notification"' not in before.text and 'data-outcome="prior_notification"' in after.text


NOMINEE_FORM = {**SIMPLE_FORM, "acq_jurisdiction": "jp", "tx_board_seats": "0", "tx_shares_after_pct": "3", "nom_name": "Lee Wei Ming",
                "nom_kind": "individual", "nom_jurisdiction": "sg", "nom_resident_in_japan": "false", "nom_arrangement": "contract",
                "amendment_effective": "2026-07-01"}


def test_form_screens_a_nominee_acquisition_and_joint_voting(client: TestClient) -> None:
    data = deal_from_form({**NOMINEE_FORM, "tx_joint_voting_pct": "12"}, [])
    assert data["entities"][-1] == {"id": "principal", "name": "Lee Wei Ming", "kind": "individual", "jurisdiction": "SG", "resident_in_japan": False}
    assert data["transaction"]["nominee"] == {"acting_for": "principal", "arrangement": "contract"}
    assert data["transaction"]["joint_voting"] == {"combined_voting_pct": "12"}
    plain = screen(parse_deal(deal_from_form({k: v for k, v in NOMINEE_FORM.items() if not k.startswith("nom_")}, []), file="form"),
                   amendment_effective=dt.date(2026, 7, 1))
    deemed = screen(parse_deal(deal_from_form(NOMINEE_FORM, []), file="form"), amendment_effective=dt.date(2026, 7, 1))
    assert plain.filing.foreign_investor.status != "yes" and deemed.filing.foreign_investor.status == "yes"
    r = client.post("/screen", data=NOMINEE_FORM)
    assert r.status_code == 200 and f'data-outcome="{deemed.filing.outcome.code}"' in r.text


def test_form_errors_in_loan_indirect_and_owner_rows_point_at_their_fields(client: TestClient) -> None:
    cases = [({**SIMPLE_FORM, "loan_amount_jpy": "5"}, "tx_kind"),
             ({**INDIRECT_FORM, "ind_jurisdiction": "XX"}, "ind_jurisdiction"),
             ({**INDIRECT_FORM, "ind_acquirer_voting_after_pct": "lots"}, "ind_acquirer_voting_after_pct"),
             ({**LOAN_FORM, "loan_term_years": "0"}, "loan_term_years"),
             ({**NOMINEE_FORM, "nom_jurisdiction": "XX"}, "nom_jurisdiction"),
             ({**NOMINEE_FORM, "nom_arrangement": "bribe"}, "nom_arrangement"),
             ({**SIMPLE_FORM, "tx_joint_voting_pct": "120"}, "tx_joint_voting_pct"),
             ({**SIMPLE_FORM, "own2_name": "Parent", "own2_kind": "corporation", "own2_jurisdiction": "US", "own2_voting_pct": "150"},
              "own2_voting_pct")]
    for form, field in cases:
        r = client.post("/screen", data=form)
        assert r.status_code == 422 and f'name="{field}" id="{field}" class="invalid"' in r.text, field


HOLDING_COMPANY_FORM = {**SIMPLE_FORM, "biz1_name": "Group management", "biz1_activity": "restaurants", "tx_board_seats": "0",
                        "tx_shares_after_pct": "5"}


def test_form_subsidiaries_make_a_holding_company_designated(client: TestClient) -> None:
    """A holding company whose subsidiary runs a designated business is screened as designated; rows
    left empty are skipped, and an error in a later row marks that row's field."""
    with_sub = {**HOLDING_COMPANY_FORM, "sub2_name": "Tokai Software K.K.", "sub2_activity": "software", "sub2_ownership_pct": "100"}
    data = deal_from_form(with_sub, [])
    assert data["target"]["subsidiaries"] == [{"name": "Tokai Software K.K.", "ownership_pct": "100",
                                               "businesses": [{"name": "Tokai Software K.K.", "activity": "software"}]}]
    plain, held = (screen(parse_deal(deal_from_form(form, []), file="form")) for form in (HOLDING_COMPANY_FORM, with_sub))
    assert plain.filing.target_class.fefta_class == "non_designated" and held.filing.target_class.fefta_class == "designated"
    assert plain.filing.prior_notification_required.status == "no" and held.filing.prior_notification_required.status == "yes"
    r = client.post("/screen", data=with_sub)
    assert r.status_code == 200 and f'data-outcome="{held.filing.outcome.code}"' in r.text
    for form, field in [({**with_sub, "sub2_ownership_pct": "140"}, "sub2_ownership_pct"),
                        ({**with_sub, "sub2_activity": "warp_drives"}, "sub2_activity"),
                        ({**with_sub, "sub2_name": ""}, "sub2_name"),
                        ({**HOLDING_COMPANY_FORM, "biz1_name": "", "biz1_activity": "", "biz3_name": "Widgets", "biz3_activity": "warp_drives"}, "biz3_activity")]:
        r = client.post("/screen", data=form)
        assert r.status_code == 422 and f'name="{field}" id="{field}" class="invalid"' in r.text, (field, r.text[:300])


def test_form_mitigation_measures_offered_are_applied(client: TestClient) -> None:
    r = client.post("/screen", data={**SIMPLE_FORM, "measure": ["no_board_seat"]})
    assert r.status_code == 200
    assert 'id="m-no_board_seat" checked disabled' in r.text
    expected = screen(parse_deal(deal_from_form(SIMPLE_FORM, ["no_board_seat"])))
    assert f'id="residual-overall">{expected.mitigations.residual.overall:g}<' in r.text


def _result_form(html: str) -> dict[str, str]:
    deal = re.search(r'name="deal" value="([^"]*)"', html)
    assert deal
    import html as h

    return {"deal": h.unescape(deal.group(1))}


def test_upload_then_toggle_mitigation_changes_the_residual(client: TestClient) -> None:
    with BOARD_SEAT.open("rb") as fh:
        r = client.post("/upload", files={"deal_file": (BOARD_SEAT.name, fh, "application/yaml")}, data={"as_of": AS_OF})
    assert r.status_code == 200
    gross = screen(load_deal(BOARD_SEAT), as_of=dt.date(2026, 11, 22))
    mitigated = screen(load_deal(BOARD_SEAT), as_of=dt.date(2026, 11, 22), mitigate=["no_board_seat"])
    assert mitigated.mitigations.residual.overall < gross.mitigations.residual.overall
    assert f'id="residual-overall">{gross.mitigations.residual.overall:g}<' in r.text
    state = _result_form(r.text)
    assert f'name="as_of" value="{AS_OF}"' in r.text
    again = client.post("/result", data={**state, "as_of": AS_OF, "mitigate": ["no_board_seat"]})
    assert again.status_code == 200
    assert f'id="residual-overall">{mitigated.mitigations.residual.overall:g}<' in again.text
    assert f'id="gross-overall">{gross.scores.overall:g}<' in again.text
    assert 'id="m-no_board_seat" checked>' in again.text
    unknown = client.post("/result", data={**state, "mitigate": ["no_such_measure"]})
    assert unknown.status_code == 422 and "unknown measure" in unknown.text


def test_memo_downloads_from_the_result_form(client: TestClient) -> None:
    with BOARD_SEAT.open("rb") as fh:
        r = client.post("/upload", files={"deal_file": (BOARD_SEAT.name, fh, "application/yaml")})
    state = _result_form(r.text)
    for fmt, lang in (("pdf", "ja"), ("md", "en"), ("docx", "both")):
        assert f'id="dl-{fmt}-{lang}"' in r.text
    pdf = client.post("/memo", data={**state, "dl": "pdf:ja", "mitigate": ["no_board_seat"]})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="fdiscreen-memo-[a-z0-9-]+-ja\.pdf"', pdf.headers["content-disposition"])
    md = client.post("/memo", data={**state, "dl": "md:en"})
    assert md.status_code == 200 and md.text.startswith("# FEFTA inward investment screening memo")
    docx = client.post("/memo", data={**state, "dl": "docx:both"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    bad = client.post("/memo", data={**state, "dl": "exe:en"})
    assert bad.status_code == 422


def test_compare_page(client: TestClient) -> None:
    assert client.get("/compare").status_code == 200
    files = [("files", (p.name, p.read_bytes(), "application/yaml")) for p in BIDS]
    r = client.post("/compare", files=files)
    assert r.status_code == 200, r.text[:500]
    for p in BIDS:
        assert load_deal(p).matter.replace("&", "&amp;") in r.text
    assert 'id="comparison"' in r.text and "data:image/png;base64," in r.text
    one = client.post("/compare", files=files[:1])
    assert one.status_code == 422 and "2 to 5 deal files" in one.text
    six = client.post("/compare", files=files * 2)
    assert six.status_code == 422


def test_comparison_figure_that_cannot_be_drawn_is_reported_not_dropped() -> None:
    from fdiscreen.render.document import Document, Figure, Section
    from fdiscreen.web.pages import document_html

    def broken(fig: Figure) -> bytes:
        raise RuntimeError("no renderer")

    for lang, words in (("en", "could not be drawn"), ("ja", "描画できなかった")):
        doc = Document(title="t", lang=lang, sections=[Section(title="s", blocks=[Figure(figure="risk_matrix", data={}, caption="Risk matrix")])])
        html = document_html(doc, broken)
        assert "Risk matrix" in html and words in html and "RuntimeError" in html and "<img" not in html


def test_upload_limits_in_labels_follow_the_caps() -> None:
    from fdiscreen.web.forms import MAX_BIDS, MIN_BIDS, UPLOAD_MB
    from fdiscreen.web.labels import L

    assert f"up to {UPLOAD_MB} MB" in L["upload_hint"][0] and f"{UPLOAD_MB}MBまで" in L["upload_hint"][1]
    assert f"{MIN_BIDS} to {MAX_BIDS} deal files" in L["compare_intro"][0]


def test_comparison_memo_download_equals_the_cli_comparison(client: TestClient) -> None:
    import html as html_lib

    from fdiscreen.render.markdown import to_markdown
    from fdiscreen.render.memo import build_comparison

    files = [("files", (p.name, p.read_bytes(), "application/yaml")) for p in BIDS]
    page = client.post("/compare", files=files, data={"as_of": AS_OF}).text
    deals = [html_lib.unescape(v) for v in re.findall(r'<input type="hidden" name="deal" value="([^"]*)">', page)]
    assert len(deals) == len(BIDS)
    r = client.post("/compare/memo", data={"deal": deals, "as_of": AS_OF, "dl": "md:ja"})
    assert r.status_code == 200 and r.headers["content-disposition"].endswith('-ja.md"')
    expected = build_comparison([screen(load_deal(p), dt.date.fromisoformat(AS_OF)) for p in BIDS], "ja", japan_today())  # the server dates memos in Japan time
    assert r.text == to_markdown(expected)
    pdf = client.post("/compare/memo", data={"deal": deals, "as_of": AS_OF, "dl": "pdf:both"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.post("/compare/memo", data={"deal": deals[:1], "dl": "pdf:en"}).status_code == 422
    broken = client.post("/compare/memo", data={"deal": [deals[0], "{not json"], "dl": "pdf:en"})
    assert broken.status_code == 422 and "bid 2" in broken.text


def test_cases_page_and_replay(client: TestClient) -> None:
    r = client.get("/cases")
    assert r.status_code == 200 and 'id="library"' in r.text and "jp-bain-toshibamemory-2018" in r.text
    replay = client.get("/cases?rules=decision-date&lang=ja")
    assert replay.status_code == 200
    assert 'id="auc"' in replay.text and 'id="confusion"' in replay.text and 'id="replay-table"' in replay.text
    assert 'id="plot-roc"' in replay.text and 'id="plot-score_by_outcome"' in replay.text
    assert client.get("/cases?rules=tomorrow").status_code == 422


def test_pages_load_nothing_from_the_network(client: TestClient) -> None:
    sample = (ROOT / "examples" / "batch" / "deals.csv").read_bytes()
    pages = [client.get("/").text, client.get("/compare").text, client.get("/cases").text, client.get("/batch").text,
             client.post("/screen", data=SIMPLE_FORM).text, client.post("/batch", files={"table": ("d.csv", sample, "text/csv")}).text]
    for html in pages:
        assert not re.search(r'(src|href|action|url)\s*[=(]\s*["\']?(https?:)?//', html), "external resource"
        assert "<script" not in html
    r = client.get("/")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN
    font = client.get("/font/ipaexg.ttf")
    assert font.status_code == 200 and font.headers["content-type"] == "font/ttf"


# -- escaping -------------------------------------------------------------------------------------

XSS = "<script>alert(1)</script>"


def test_user_strings_are_escaped_on_the_batch_page(client: TestClient) -> None:
    table = f"matter,acquirer_jurisdiction,target_listed,target_activity,shares_after_pct\n{XSS},US,true,software,5\n{XSS},US,true,software,500\n"
    r = client.post("/batch", files={"table": (f"{XSS}.csv", table.encode(), "text/csv")})
    assert r.status_code == 200 and XSS not in r.text and "&lt;script&gt;" in r.text
    assert "<strong>1</strong>" in r.text  # one row screened, one bad


def test_user_strings_are_escaped_in_the_result(client: TestClient) -> None:
    form = {**SIMPLE_FORM, "acq_name": XSS, "tgt_name": 'T"><img src=x onerror=alert(2)>', "biz1_name": XSS,
            "tgt_technologies": XSS, "matter": XSS}
    r = client.post("/screen", data=form)
    assert r.status_code == 200
    assert XSS not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    upload = {**read_mapping(BOARD_SEAT), "matter": XSS}
    r = client.post("/upload", files={"deal_file": ("x<b>.json", json.dumps(upload, default=str).encode(), "application/json")})
    assert r.status_code == 200 and XSS not in r.text and "&lt;script&gt;" in r.text
    bad = client.post("/upload", files={"deal_file": (f"{XSS}.yaml", b"matter: [", "application/yaml")})
    assert bad.status_code == 422 and XSS not in bad.text and "not valid YAML" in bad.text
    err = client.post("/screen", data={**SIMPLE_FORM, "tx_shares_after_pct": XSS})
    assert err.status_code == 422 and XSS not in err.text and "&lt;script&gt;" in err.text


def test_user_strings_are_escaped_in_the_comparison(client: TestClient) -> None:
    first = {**read_mapping(BIDS[0]), "matter": XSS}
    files = [("files", ("a.json", json.dumps(first, default=str).encode(), "application/json")),
             ("files", (BIDS[1].name, BIDS[1].read_bytes(), "application/yaml"))]
    r = client.post("/compare", files=files)
    assert r.status_code == 200 and XSS not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# -- uploads --------------------------------------------------------------------------------------

def test_upload_over_the_cap_is_413(client: TestClient) -> None:
    big = b"# " + b"x" * MAX_UPLOAD_BYTES + b"\n"
    r = client.post("/upload", files={"deal_file": ("big.yaml", big, "application/yaml")})
    assert r.status_code == 413 and "larger than 1024 KB" in r.text
    huge = b"x" * (7 * MAX_UPLOAD_BYTES)
    r = client.post("/upload", files={"deal_file": ("huge.yaml", huge, "application/yaml")})
    assert r.status_code == 413
    r = client.post("/api/screen", content=b" " * (MAX_UPLOAD_BYTES + 10), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "error" in r.json()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("deal.txt", b"matter: x", "deal.txt: unsupported file type '.txt' (expected .yaml, .yml or .json)"),
    ("deal.yaml", b"", "deal.yaml: file is empty"),
    ("deal.yaml", b"\xff\xfe", "deal.yaml: not UTF-8 text"),
    ("deal.json", b"{", "deal.json: not valid JSON"),
    ("deal.yaml", b"- a\n- b\n", "deal.yaml: (top level): top level is list"),
    ("deal.yaml", b"[" * 100_000 + b"]" * 100_000, "deal.yaml: nested more than 64 levels deep"),
    ("C:\\Users\\me\\deal.yaml", b"matter: x\n", "deal.yaml: acquirer: required field is missing"),
])
def test_bad_uploads_get_the_cli_messages(client: TestClient, name: str, data: bytes, message: str) -> None:
    r = client.post("/upload", files={"deal_file": (name, data, "application/yaml")})
    assert r.status_code == 422
    import html as h

    assert message in h.unescape(r.text)
    assert "Users" not in r.text


def test_yaml_alias_bomb_is_refused(client: TestClient) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    r = client.post("/upload", files={"deal_file": ("bomb.yaml", bomb.encode(), "application/yaml")})
    assert r.status_code == 422 and "after expanding YAML aliases" in r.text


# -- JSON API -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_api_screen_equals_the_cli_json(client: TestClient, path: Path) -> None:
    r = client.post(f"/api/screen?as_of={AS_OF}", json=_body(path))
    assert r.status_code == 200, r.text
    expected = json.loads(screen(load_deal(path), as_of=dt.date(2026, 11, 22)).to_json())
    assert r.json() == expected


def test_api_screen_options_in_body_and_query(client: TestClient) -> None:
    deal = load_deal(BOARD_SEAT)
    want = json.loads(screen(deal, as_of=dt.date(2026, 11, 22), mitigate=["no_board_seat", "voting_limits"],
                             amendment_effective=dt.date(2026, 7, 1)).to_json())
    body = {**_body(BOARD_SEAT), "mitigate": ["no_board_seat"], "amendment_effective": "2026-07-01"}
    r = client.post(f"/api/screen?as_of={AS_OF}&mitigate=voting_limits", json=body)
    assert r.status_code == 200 and r.json() == want
    r = client.post(f"/api/screen?as_of={AS_OF}&mitigate=no_board_seat&mitigate=voting_limits&amendment_effective=2026-07-01",
                    json=_body(BOARD_SEAT))
    assert r.json() == want


def test_api_bad_input_is_422_with_the_cli_message(client: TestClient) -> None:
    data = _body(BOARD_SEAT)
    data["transaction"]["shares_after_pct"] = 150
    with pytest.raises(FdiscreenError) as exc:
        parse_deal(json.loads(json.dumps(data)), file="request body")
    r = client.post("/api/screen", json=data)
    assert r.status_code == 422 and r.json() == {"error": exc.value.one_line()}
    assert r.json()["error"].startswith("request body: transaction.shares_after_pct:")
    cases = [
        (b"{", "not valid JSON"), (b"[1, 2]", "top level is list"), (b"", "empty body"),
        (b'{"matter": NaN}', "request body: matter: NaN is not a number JSON allows"), (b"\xff", "not valid JSON"),
        (json.dumps({**_body(BOARD_SEAT), "mitigate": "no_board_seat"}).encode(), "mitigate"),
        (json.dumps({**_body(BOARD_SEAT), "mitigate": ["nope"]}).encode(), "unknown measure 'nope'"),
        (json.dumps({**_body(BOARD_SEAT), "amendment_effective": "soon"}).encode(), "amendment_effective: not a date"),
    ]
    for body, message in cases:
        r = client.post("/api/screen", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422, body
        assert message in r.json()["error"], (body, r.json())
    r = client.post("/api/screen?as_of=yesterday", json=_body(BOARD_SEAT))
    assert r.status_code == 422 and r.json()["error"].startswith("query: as_of:")
    r = client.post("/api/memo?format=exe", json=_body(BOARD_SEAT))
    assert r.status_code == 422 and "format" in r.json()["error"]


def test_api_memo_formats(client: TestClient) -> None:
    body = _body(BOARD_SEAT)
    pdf = client.post("/api/memo?format=pdf&lang=both&date=2026-11-22", json=body)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.post("/api/memo?format=pdf&lang=both&date=2026-11-22", json=body)
    assert again.content == pdf.content  # same input, same bytes
    md = client.post("/api/memo?format=md&lang=ja&mitigate=no_board_seat", json=body)
    assert md.status_code == 200 and md.text.startswith("# 外為法") and "外国投資家及びその密接関係者は取締役" in md.text
    docx = client.post("/api/memo?format=docx", json=body)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_api_factors_and_schema(client: TestClient) -> None:
    r = client.get("/api/factors?as_of=2026-11-22&lang=ja")
    assert r.status_code == 200
    data = r.json()
    assert data["as_of"] == "2026-11-22"
    assert any(a["id"] == "machine_tools_robots" for a in data["activities"])
    assert any(m["id"] == "no_board_seat" for m in data["risk_mitigation_measures"])
    assert client.get("/api/factors?as_of=never").status_code == 422
    assert client.get("/api/schema").json()["title"] == "Deal"


def test_openapi_spec(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/screen", "/api/memo", "/api/factors"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert "ScreenRequest" in schemas and "Screening" in schemas and "Entity" in schemas
    assert spec["paths"]["/api/screen"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("ScreenRequest")
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert refs <= set(schemas), refs - set(schemas)


def test_openapi_states_what_the_catalog_and_the_model_allow(client: TestClient) -> None:
    """Country codes, activity codes, measure ids, date ranges and number bounds are in the document,
    taken from the catalog and the model (nothing typed twice)."""
    from fdiscreen.model import HORIZON, MAX_MAGNITUDE
    from fdiscreen.regime import load_catalog

    catalog = load_catalog()
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["Entity"]["properties"]["jurisdiction"]["enum"] == sorted(catalog.countries)
    assert schemas["Target"]["properties"]["jurisdiction"]["enum"] == [catalog.home_country]
    assert "machine_tools_robots" in schemas["Business"]["properties"]["activity"]["anyOf"][0]["enum"]
    assert "no_board_seat" in schemas["ScreenRequest"]["properties"]["mitigate"]["items"]["enum"]
    assert schemas["Transaction"]["properties"]["consideration_jpy"]["anyOf"][0]["maximum"] == MAX_MAGNITUDE
    factors = spec["paths"]["/api/factors"]["get"]
    as_of = next(p for p in factors["parameters"] if p["name"] == "as_of")["schema"]
    assert as_of == {**as_of, "type": "string", "format": "date", "formatMinimum": catalog.encoded_from.isoformat(),
                     "formatMaximum": HORIZON.isoformat()}
    assert factors["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Factors")
    assert {"400", "413", "422"} <= set(factors["responses"])
    tokened = TestClient(create_app(token="t"), base_url=LOCAL).get("/openapi.json?token=t").json()
    assert "401" in tokened["paths"]["/api/screen"]["post"]["responses"]
    assert {"token", "token_query"} == set(tokened["components"]["securitySchemes"])


# -- token and host -------------------------------------------------------------------------------

def test_token_is_required_when_set() -> None:
    c = TestClient(create_app(token="s3cret"), base_url=LOCAL)
    assert c.get("/").status_code == 401
    assert c.get("/", headers={"X-Fdiscreen-Token": "wrong"}).status_code == 401
    assert c.post("/api/screen", json=_body(BOARD_SEAT)).status_code == 401
    assert c.get("/openapi.json").status_code == 401
    r = c.get("/?token=s3cret")
    assert r.status_code == 200
    assert 'href="/compare?lang=en&amp;token=s3cret"' in r.text  # links carry the token
    assert 'action="/screen?lang=en&amp;token=s3cret"' in r.text
    r = c.post("/api/screen?as_of=2026-11-22", json=_body(BOARD_SEAT), headers={"X-Fdiscreen-Token": "s3cret"})
    assert r.status_code == 200
    spec = c.get("/openapi.json", headers={"X-Fdiscreen-Token": "s3cret"}).json()
    assert spec["components"]["securitySchemes"]["token"]["name"] == "X-Fdiscreen-Token"
    form = c.post("/screen?token=s3cret", data=SIMPLE_FORM)
    assert form.status_code == 200 and 'action="/result?lang=en&amp;token=s3cret#scores"' in form.text


def test_without_a_token_only_loopback_host_names_are_answered() -> None:
    c = TestClient(create_app(), base_url=LOCAL)
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400
    assert c.get("/", headers={"host": "testserver"}).status_code == 400  # a single-label name may resolve anywhere
    assert c.get("/", headers={"host": "127.0.0.1:8765"}).status_code == 200
    assert c.get("/", headers={"host": "[::1]:8765"}).status_code == 200
    assert c.get("/", headers={"host": "localhost"}).status_code == 200
    tok = TestClient(create_app(token="t"), base_url=LOCAL)
    assert tok.get("/?token=t", headers={"host": "10.1.2.3:8765"}).status_code == 200


def test_serve_refuses_other_hosts_without_a_token() -> None:
    with pytest.raises(FdiscreenError, match="refusing to listen on '0.0.0.0' without a token"):
        serve(host="0.0.0.0", port=0)
    with pytest.raises(FdiscreenError):
        serve(host="192.168.1.5")
    with pytest.raises(FdiscreenError, match="empty token"):
        check_host("0.0.0.0", "  ")
    for host in ("127.0.0.1", "localhost", "::1", "[::1]"):
        check_host(host, None)
    check_host("0.0.0.0", "a-token")
    with pytest.raises(FdiscreenError):
        create_app(token="")


def test_yaml_body_of_a_form_is_never_a_path(client: TestClient) -> None:
    """A file name from the request is only a label: nothing is read from it."""
    r = client.post("/upload", files={"deal_file": ("../../etc/passwd.yaml", yaml.safe_dump({"x": 1}).encode(), "application/yaml")})
    assert r.status_code == 422 and "passwd.yaml: matter: required field is missing" in r.text and "../" not in r.text


def test_batch_page_screens_a_table_and_keeps_its_downloads(client: TestClient) -> None:
    """The batch page: the same table as `fdiscreen batch`, the counts, the rows, the bad rows, and
    CSV downloads equal to the batch API's tables."""
    from fdiscreen import batch

    sample = ROOT / "examples" / "batch" / "deals.csv"
    assert client.get("/batch").status_code == 200
    r = client.post("/batch", files={"table": ("deals.csv", sample.read_bytes(), "text/csv")}, data={"lang": "ja"})
    assert r.status_code == 200, r.text[:500]
    expected, errors = batch.screen_frame(batch.read_table(sample))
    assert f"<strong>{len(expected):,}</strong>" in r.text and 'id="batch-errors"' in r.text and "事前届出" in r.text
    links = re.findall(r'href="(/batch/[^/"]+/(?:results|errors)\.csv\?[^"]*)"', r.text)
    assert len(links) == 2
    got = [client.get(unescape(link)) for link in links]
    assert [g.headers["content-type"].split(";")[0] for g in got] == ["text/csv", "text/csv"]
    from fdiscreen.outfiles import csv_frame  # what `fdiscreen batch --out x.csv` writes (list cells joined)

    assert [g.content for g in got] == [csv_frame(expected).to_csv(index=False).encode(), csv_frame(errors).to_csv(index=False).encode()]
    assert client.get("/batch/nope/results.csv").status_code == 404


def test_batch_page_refuses_bad_tables_with_the_cli_messages(client: TestClient) -> None:
    r = client.post("/batch", files={"table": ("deals.xlsx", b"x", "application/octet-stream")})
    assert r.status_code == 422 and "unsupported table format" in r.text
    r = client.post("/batch", files={"table": ("deals.parquet", b"not parquet", "application/octet-stream")})
    assert r.status_code == 422 and "cannot read Parquet" in r.text
    big = "shares_after_pct\n" + "5\n" * (MAX_TABLE_ROWS + 1)
    r = client.post("/batch", files={"table": ("big.csv", big.encode(), "text/csv")})
    assert r.status_code == 422 and "fdiscreen batch" in r.text


@pytest.mark.parametrize("host", ["localhost:80@evil.example", "evil.example", "localhost:8765/x", "127.0.0.1:8765:1"])
def test_host_headers_that_are_not_exactly_loopback_are_refused(host: str) -> None:
    c = TestClient(create_app(), base_url=LOCAL)
    r = c.get("/", headers={"host": host})
    assert r.status_code == 400 and "host not allowed" in r.text
