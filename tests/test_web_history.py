"""The workbench for repeat work: templates, deal files saved from and loaded into the form, the local
history of screenings (DuckDB under FDISCREEN_DATA_DIR), the result page's chart and JSON download,
and a page per case."""

from __future__ import annotations

import json
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from fdiscreen.load import load_deal, read_mapping
from fdiscreen.screening import screen
from fdiscreen.web import history, pages
from fdiscreen.web.app import create_app, safe_svg
from fdiscreen.web.forms import deal_from_form, form_values

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "http://127.0.0.1:8765"
AS_OF = "2026-11-22"
INDIRECT = ROOT / "examples" / "indirect-overseas-parent.yaml"
FORM: dict[str, Any] = {
    "matter": "Round trip", "acq_name": "Blue Ridge Capital", "acq_kind": "corporation", "acq_jurisdiction": "US",
    "acq_state_owned_pct": "12.5", "acq_fefta_violation_sanctioned": "false", "acq_information_cooperation_duty": "true",
    "acq_investment_plan": "strategic", "acq_past_activist_campaign": "on",
    "own1_name": "Ridge Holdings LP", "own1_kind": "partnership", "own1_jurisdiction": "KY", "own1_voting_pct": "60",
    "tgt_name": "Tokai Precision Tools K.K.", "tgt_listed": "true", "tgt_subsidiaries_complete": "true",
    "tgt_specified_core_business_entity": "false", "biz1_name": "CNC machining centres", "biz1_activity": "machine_tools_robots",
    "sub1_name": "Tokai Software K.K.", "sub1_ownership_pct": "100", "sub1_activity": "custom_software",
    "tgt_technologies": "five-axis control\nspindle design", "tgt_defence_supplier": "true",
    "tx_kind": "share_acquisition", "tx_shares_before_pct": "0", "tx_shares_after_pct": "9.5", "tx_acquired_from": "market",
    "tx_board_seats": "1", "tx_auditor_seats": "0", "tx_observer_seats": "0", "ta_site_access": "on", "tx_convertible_instruments": "on",
    "measure": ["no_board_seat"], "as_of": AS_OF,
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(history.DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def client(data_dir: Path) -> TestClient:
    return TestClient(create_app(), base_url=LOCAL)


class _FormFields(HTMLParser):
    """The values a browser would submit from the form with the given id (text, select, checkbox, textarea)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}  # type: tuple[str, bool, dict[str, Any]]
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a:
                    if a["name"] == "measure":
                        self.values.setdefault("measure", []).append(a.get("value", "on"))
                    else:
                        self.values[a["name"]] = a.get("value", "on")
            elif kind not in ("file", "submit"):
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
            self.values.setdefault(self.select or "", "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.values[self.textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def fields(html: str, form_id: str = "screen-form") -> dict[str, Any]:
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.values


def _fingerprint(html: str) -> str:
    """The fingerprint's first 16 hex digits as the result page shows them."""
    return html.split('<code>', 1)[1].split("</code>", 1)[0]


# -- templates ------------------------------------------------------------------------------------

def test_pages_come_from_autoescaped_strict_templates() -> None:
    from jinja2 import StrictUndefined, UndefinedError

    assert pages.ENV.undefined is StrictUndefined
    assert pages.ENV.get_template("base.html").environment.autoescape("base.html") is True
    assert (Path(pages.__file__).parent / "templates" / "form.html").is_file()
    assert "table.data" in pages.stylesheet() and pages.stylesheet() == (Path(pages.__file__).parent / "static" / "workbench.css").read_text()
    with pytest.raises(UndefinedError):
        pages.ENV.get_template("message.html").render(c=pages.Ctx(), title="x")  # a name the page needs is missing
    html = pages.message_page(pages.Ctx(lang="ja"), "error", "<b>bold</b>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html and "<style>" in html and '<html lang="ja">' in html


# -- deal files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_form_saved_as_a_deal_file_loads_back_and_screens_the_same(client: TestClient, tmp_path: Path, fmt: str) -> None:
    direct = client.post("/screen", data=FORM)
    assert direct.status_code == 200, direct.text[:300]
    saved = client.post(f"/form/deal.{fmt}", data=FORM)
    assert saved.status_code == 200 and saved.headers["content-disposition"] == f'attachment; filename="fdiscreen-deal-round-trip.{fmt}"'
    path = tmp_path / f"deal.{fmt}"
    path.write_bytes(saved.content)
    deal = load_deal(path)  # fdiscreen.load parses it as any deal file
    expected = screen(deal)
    assert _fingerprint(direct.text) == expected.fingerprint[:16]
    loaded = client.post("/upload/form", files={"deal_file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert loaded.status_code == 200 and 'id="form-note"' in loaded.text and "deal." in loaded.text
    assert "has no field" not in loaded.text  # the form holds all of a deal it wrote
    values = fields(loaded.text)
    assert values["acq_name"] == "Blue Ridge Capital" and values["own1_voting_pct"] == "60" and values["measure"] == ["no_board_seat"]
    assert values["tgt_technologies"] == "five-axis control\nspindle design" and values["acq_past_activist_campaign"] == "on"
    again = client.post("/screen", data=values)
    assert again.status_code == 200 and _fingerprint(again.text) == expected.fingerprint[:16]


def test_deal_file_from_the_form_is_checked_by_the_cli(client: TestClient, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fdiscreen.cli import app

    path = tmp_path / "deal.yaml"
    path.write_bytes(client.post("/form/deal.yaml", data=FORM).content)
    assert yaml.safe_load(path.read_text())["matter"] == "Round trip"
    run = CliRunner().invoke(app, ["check", str(path)])
    assert run.exit_code in (0, 3), run.output  # it ran (3 only if a --fail-on default ever applies)
    assert "Traceback" not in run.output


def test_form_deal_file_refuses_a_bad_form_with_the_field_marked(client: TestClient) -> None:
    r = client.post("/form/deal.yaml", data={**FORM, "tx_shares_after_pct": "lots"})
    assert r.status_code == 422 and "transaction.shares_after_pct" in r.text and 'name="tx_shares_after_pct" id="tx_shares_after_pct" class="invalid"' in r.text
    assert client.post("/form/deal.toml", data=FORM).status_code == 422


def test_result_page_downloads_the_deal_and_the_screening_json(client: TestClient) -> None:
    body = read_mapping(INDIRECT)
    r = client.post("/upload", files={"deal_file": ("bid.json", json.dumps(body, default=str).encode(), "application/json")},
                    data={"as_of": AS_OF})
    assert r.status_code == 200
    state = fields(r.text, "state")
    state["mitigate"] = ["no_board_seat"]
    for fmt in ("yaml", "json"):
        dl = client.post(f"/result/deal.{fmt}", data=state)
        assert dl.status_code == 200 and dl.headers["content-disposition"].endswith(f'.{fmt}"')
        parsed = yaml.safe_load(dl.text) if fmt == "yaml" else json.loads(dl.text)
        assert parsed["matter"] == body["matter"]
    js = client.post("/result/screening.json", data=state)
    api = client.post(f"/api/screen?as_of={AS_OF}&mitigate=no_board_seat", json=json.loads(json.dumps(body, default=str)))
    assert js.status_code == 200 and api.status_code == 200 and js.json() == api.json()


def test_upload_into_the_form_names_what_the_form_cannot_hold(client: TestClient) -> None:
    body = read_mapping(INDIRECT)
    r = client.post("/upload/form", files={"deal_file": ("indirect.json", json.dumps(body, default=str).encode(), "application/json")})
    assert r.status_code == 200
    values = fields(r.text)
    assert values["tx_kind"] == "indirect_acquisition" and values["ind_name"]
    deal = load_deal(INDIRECT)
    rebuilt = deal_from_form(form_values(deal.model_dump(mode="json")), [])
    assert rebuilt["transaction"]["indirect"]["holding_entity"] == "holding"
    bad = client.post("/upload/form", files={"deal_file": ("x.yaml", b"matter: [", "application/yaml")})
    assert bad.status_code == 422 and "not valid YAML" in bad.text
    big = client.post("/upload/form", files={"deal_file": ("x.yaml", b"#" * (1024 * 1024 + 1), "application/yaml")})
    assert big.status_code == 413


# -- history --------------------------------------------------------------------------------------

def test_screenings_from_the_form_and_uploads_are_kept_newest_first(client: TestClient, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(3):
        assert client.post("/screen", data={**FORM, "matter": f"Matter {i}"}).status_code == 200
    with INDIRECT.open("rb") as fh:
        up = client.post("/upload", files={"deal_file": (INDIRECT.name, fh, "application/yaml")})
    assert up.status_code == 200 and 'id="saved-in-history"' in up.text
    assert (data_dir / "history.duckdb").is_file()
    entries, total = history.listing(1)
    assert total == 4 and [e.matter for e in entries[1:]] == ["Matter 2", "Matter 1", "Matter 0"]
    monkeypatch.setattr(history, "PAGE_SIZE", 2)
    first = client.get("/history")
    assert first.status_code == 200 and first.text.index("Matter 2") < first.text.index('id="older"') and "Matter 1" not in first.text
    second = client.get("/history?page=2")
    assert "Matter 1" in second.text and "Matter 0" in second.text and 'id="newer"' in second.text
    assert client.get("/history?page=0").status_code == 422
    # the API stays stateless
    assert client.post(f"/api/screen?as_of={AS_OF}", json=json.loads(json.dumps(read_mapping(INDIRECT), default=str))).status_code == 200
    assert history.listing(1)[1] == 4


def test_reopen_rescreens_and_notes_a_change_of_the_law_data(client: TestClient, data_dir: Path) -> None:
    r = client.post("/screen", data=FORM)
    entry = history.listing(1)[0][0]
    reopened = client.get(f"/history/{entry.id}")
    assert reopened.status_code == 200 and 'id="result-note"' in reopened.text and "same fingerprint" in reopened.text
    assert _fingerprint(reopened.text) == _fingerprint(r.text) == entry.fingerprint[:16]
    import duckdb

    con = duckdb.connect(str(data_dir / "history.duckdb"))
    con.execute("UPDATE screenings SET regime_version = 'older-law', fingerprint = 'f' || fingerprint WHERE id = ?", [entry.id])
    con.close()
    changed = client.get(f"/history/{entry.id}?lang=ja")
    assert changed.status_code == 200 and "法令データが変わった" in changed.text and "older-law" in changed.text
    assert client.get("/history/999999").status_code == 404


def test_edit_from_history_prefills_the_form(client: TestClient) -> None:
    client.post("/screen", data=FORM)
    entry = history.listing(1)[0][0]
    r = client.get(f"/history/{entry.id}/form")
    assert r.status_code == 200
    values = fields(r.text)
    assert values["matter"] == "Round trip" and values["as_of"] == AS_OF and values["tx_shares_after_pct"] == "9.5"


def test_delete_is_a_post_and_refused_from_another_site(client: TestClient) -> None:
    client.post("/screen", data=FORM)
    entry = history.listing(1)[0][0]
    assert client.get(f"/history/{entry.id}/delete").status_code in (404, 405)
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": "http://evil.example"}):
        refused = client.post(f"/history/{entry.id}/delete", headers=headers)
        assert refused.status_code == 403 and "cross-site" in refused.json()["error"]
    assert history.get(entry.id) is not None
    same = client.post(f"/history/{entry.id}/delete", headers={"sec-fetch-site": "same-origin", "origin": "null"})
    assert same.status_code == 200 and f"#{entry.id} deleted" in same.text and history.get(entry.id) is None
    assert client.post(f"/history/{entry.id}/delete").status_code == 404


def test_token_still_guards_the_history(data_dir: Path) -> None:
    tok = TestClient(create_app(token="s3cret"), base_url="http://example.test")
    assert tok.get("/history").status_code == 401
    assert tok.get("/history?token=s3cret").status_code == 200
    assert TestClient(create_app(), base_url="http://evil.example").get("/history").status_code == 400


def test_an_unwritable_data_folder_is_said_on_the_page_not_a_500(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(history.DATA_DIR_ENV, str(blocker / "data"))
    c = TestClient(create_app(), base_url=LOCAL)
    r = c.post("/screen", data=FORM)
    assert r.status_code == 200 and 'id="history-note"' in r.text and "cannot create the folder" in r.text
    page = c.get("/history")
    assert page.status_code == 200 and "the screening history cannot be used" in page.text and "FDISCREEN_DATA_DIR" in page.text
    assert c.get("/history/1").status_code == 200


def test_concurrent_saves_do_not_corrupt_the_history(data_dir: Path) -> None:
    s = screen(load_deal(INDIRECT))
    ids: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                ids.append(history.save(s, "{}", [], None))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(set(ids)) == 30 and history.listing(1, size=100)[1] == 30


# -- result page: chart ---------------------------------------------------------------------------

def test_result_shows_the_ownership_chart_in_the_page_language(client: TestClient) -> None:
    import re

    drawn = {}
    for lang in ("ja", "en"):
        with INDIRECT.open("rb") as fh:
            r = client.post("/upload", files={"deal_file": (INDIRECT.name, fh, "application/yaml")}, data={"lang": lang})
        chart = r.text.split('id="ownership-chart">', 1)[1].split("</figure>", 1)[0]
        svg, caption = chart.split("<figcaption>", 1)
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and "<script" not in svg
        assert load_deal(INDIRECT).entities[0].name.split()[0] in svg  # the memo's chart: the entities by name
        drawn[lang] = (svg, caption)
    assert "資本関係図" in drawn["ja"][1] and "Ownership structure" in drawn["en"][1]
    labels_ja = " ".join(re.findall(r">([^<>]+)</text>", drawn["ja"][0]))
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", labels_ja), labels_ja  # labels drawn in the page's language
    assert drawn["ja"][0] != drawn["en"][0]


def test_chart_svg_backstop_refuses_scripts_and_outside_references() -> None:
    ok = '<svg xmlns="http://www.w3.org/2000/svg"><g><text x="1">a &lt;script&gt; onerror=x</text></g></svg>'
    assert safe_svg(ok) == ok
    for bad in ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><path xlink:href="https://x.test/a"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.test/a)"/></svg>'):
        with pytest.raises(ValueError):
            safe_svg(bad)


# -- a page per case ------------------------------------------------------------------------------

def test_case_detail_page(client: TestClient) -> None:
    from fdiscreen import cases

    case = next(c for c in cases.load_cases() if any(s.url for s in c.meta.sources))
    library = client.get("/cases")
    assert f'href="/cases/{case.meta.id}?lang=en' in library.text
    r = client.get(f"/cases/{case.meta.id}?rules=today")
    assert r.status_code == 200
    assert 'id="case-facts"' in r.text and 'id="case-sources"' in r.text and 'id="outcome"' in r.text
    url = next(s.url for s in case.meta.sources if s.url)
    assert url.replace("&", "&amp;") in r.text and f'href="{url}' not in r.text  # shown as text, never fetched or linked out
    s = cases.replay_one(case, "today", __import__("fdiscreen.clock", fromlist=["japan_today"]).japan_today())
    assert f'data-outcome="{s.filing.outcome.code}"' in r.text
    top = max(s.findings, key=lambda x: x.total) if s.findings else None
    if top is not None:
        assert 'id="findings"' in r.text and top.id in r.text
    assert client.get("/cases/no-such-case").status_code == 404
    assert client.get(f"/cases/{case.meta.id}?rules=tomorrow").status_code == 422
    ja = client.get(f"/cases/{case.meta.id}?lang=ja")
    assert ja.status_code == 200 and "事例の事実" in ja.text
