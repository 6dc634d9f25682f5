"""The workbench in a real browser: Debian's Chromium, headless, driven by Playwright against uvicorn
on 127.0.0.1. Fill the form, read the result, toggle a measure, download the PDF memo; then the
comparison and case pages. Set FDISCREEN_WEB_SHOTS=DIR to also save full-page screenshots there."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("FDISCREEN_WEB_SHOTS")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from fdiscreen.web.app import create_app

    port = _free_port()
    app = create_app(data_dir=tmp_path_factory.mktemp("history"))  # the screening history of this test only
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()


def _shot(pg: object, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text))


def _fill_deal(pg: Any, shares_after_pct: str) -> None:
    """The form's few fields a screening needs: a US fund buying into a Japanese machine-tool maker."""
    pg.fill("#acq_name", "Blue Ridge Capital")
    pg.fill("#acq_jurisdiction", "US")
    pg.fill("#tgt_name", "Tokai Precision Tools K.K.")
    pg.fill("#biz1_name", "CNC machining centres")
    pg.select_option("#biz1_activity", "machine_tools_robots")
    pg.fill("#tx_shares_after_pct", shares_after_pct)


def test_form_result_mitigation_and_pdf(page: object, base_url: str) -> None:
    pg = page
    pg.goto(f"{base_url}/?lang=en")  # type: ignore[attr-defined]
    _shot(pg, "form-en")
    _fill_deal(pg, "5")
    for field in ("fefta_violation_sanctioned", "information_cooperation_duty", "decisions_by_obliged_persons",
                  "decisions_at_office_in_obliging_country", "contractual_disclosure_duty"):
        pg.select_option(f"#acq_{field}", "false")
    pg.select_option("#tgt_subsidiaries_complete", "true")
    pg.select_option("#tgt_specified_core_business_entity", "false")
    pg.select_option("#tx_acquired_from", "market")
    pg.fill("#tx_board_seats", "1")
    pg.click("#submit-screen")
    pg.wait_for_selector("#outcome")
    outcome = pg.inner_text("#outcome")
    assert "Prior notification required" in outcome
    assert pg.get_attribute("#outcome", "data-outcome") == "prior_notification"
    _shot(pg, "result-en")
    before = _number(pg.inner_text("#residual-overall"))
    gross = _number(pg.inner_text("#gross-overall"))
    assert before == gross

    pg.check("#m-no_board_seat")
    pg.click("#rescreen")
    pg.wait_for_selector("#m-no_board_seat:checked")
    after = _number(pg.inner_text("#residual-overall"))
    assert after < before
    assert _number(pg.inner_text("#gross-overall")) == gross
    assert "director or corporate-auditor seat" in pg.inner_text("#applied")

    with pg.expect_download() as info:
        pg.click("#dl-pdf-en")
    download = info.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert download.suggested_filename.endswith("-en.pdf")

    pg.click("button[form=state][name=lang][value=ja]")  # language switch keeps the deal and the measures
    pg.wait_for_selector("html[lang=ja]")
    assert "実行前に事前届出が必要" in pg.inner_text("#outcome")
    assert pg.is_checked("#m-no_board_seat")
    assert _number(pg.inner_text("#residual-overall")) == after
    _shot(pg, "result-ja")


def test_comparison_and_cases_pages(page: object, base_url: str) -> None:
    pg = page
    pg.goto(f"{base_url}/compare?lang=en")  # type: ignore[attr-defined]
    bids = sorted(str(p) for p in (ROOT / "examples" / "bids").glob("*.yaml"))
    pg.set_input_files("#files", bids)
    pg.click("form button[type=submit]")
    pg.wait_for_selector("#comparison")
    assert "Bid A" in pg.inner_text("#comparison") and "Bid C" in pg.inner_text("#comparison")
    _shot(pg, "compare-en")
    with pg.expect_download() as info:
        pg.click("#dl-pdf-both")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    assert "comparison-3-bids-both.pdf" in info.value.suggested_filename
    pg.goto(f"{base_url}/cases?lang=en")
    assert pg.locator("#library tbody tr").count() >= 40
    pg.select_option("#rules", "decision-date")
    pg.click("#replay")
    pg.wait_for_selector("#auc")
    assert re.fullmatch(r"0\.\d{1,4}|1|—", pg.inner_text("#auc").strip())
    assert pg.locator("#plot-roc").evaluate("img => img.naturalWidth") > 100
    _shot(pg, "cases-en")
    if SHOTS:
        for path, name in (("/?lang=ja", "form-ja"), ("/cases?lang=ja&rules=decision-date", "cases-ja")):
            pg.goto(base_url + path)
            _shot(pg, name)
        pg.goto(f"{base_url}/compare?lang=ja")
        pg.set_input_files("#files", bids)
        pg.click("form button[type=submit]")
        pg.wait_for_selector("#comparison")
        _shot(pg, "compare-ja")


def test_newcomer_uploads_an_example_and_downloads_its_japanese_pdf(page: object, base_url: str) -> None:
    pg = page
    pg.goto(f"{base_url}/?lang=ja")  # type: ignore[attr-defined]
    pg.set_input_files("#deal_file", str(ROOT / "examples" / "us-fund-5pct-core.yaml"))
    pg.click("#upload button[type=submit]")
    pg.wait_for_selector("#outcome")
    assert pg.get_attribute("#outcome", "data-outcome")
    with pg.expect_download() as info:
        pg.click("#dl-pdf-ja")
    download = info.value
    assert download.suggested_filename.endswith("-ja.pdf")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "審査メモ" in text and "結論" in text


def test_batch_page_uploads_a_table_and_downloads_the_results(page: object, base_url: str) -> None:
    """A corporate-development user uploads the sample table, reads the counts and rows, and downloads
    the results CSV: the same bytes `fdiscreen batch` would write for it."""
    from fdiscreen import batch

    pg = page
    sample = ROOT / "examples" / "batch" / "deals.csv"
    pg.goto(f"{base_url}/batch?lang=en")  # type: ignore[attr-defined]
    pg.set_input_files("#table", str(sample))
    pg.click("#submit-batch")
    pg.wait_for_selector("#batch-results")
    expected, errors = batch.screen_frame(batch.read_table(sample))
    assert pg.locator("#batch-results tbody tr").count() == len(expected)
    assert pg.locator("#batch-errors tbody tr").count() == len(errors)
    _shot(pg, "batch-en")
    with pg.expect_download() as info:
        pg.click("#dl-results")
    from fdiscreen.outfiles import csv_frame  # what `fdiscreen batch --out x.csv` writes (list cells joined)

    assert Path(info.value.path()).read_bytes() == csv_frame(expected).to_csv(index=False).encode()
    assert info.value.suggested_filename == "fdiscreen-batch-results.csv"


#: what a page must satisfy at a given width: the page does not scroll sideways, and no table is wider
#: than the box it sits in or runs past the window (run in the browser by Playwright; the pages have no script)
TABLES_FIT = """() => {
  const vw = document.documentElement.clientWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > vw) bad.push(`page ${document.documentElement.scrollWidth} > ${vw}`);
  for (const t of document.querySelectorAll('table')) {
    if (!t.offsetParent) continue;
    const box = t.parentElement;
    const right = t.getBoundingClientRect().right;
    if (t.scrollWidth > box.clientWidth + 1 || right > vw + 1) bad.push(`${t.id || t.className}: ${t.scrollWidth} in ${box.clientWidth}, right ${right} of ${vw}`);
  }
  return bad;
}"""


def test_case_pages_fit_at_1024_px(browser: object, base_url: str) -> None:
    """The case page's tables (metrics, confusion matrix, calibration, replay, misses, library) and a
    case's own page fit a 1024 x 768 window in both languages (and 1280 wide, where the matrix used
    to be cut off): nothing cut off. Screenshots go to /tmp/h-web/ (or FDISCREEN_WEB_SHOTS) to look at."""
    folder = Path(SHOTS or "/tmp/h-web")
    folder.mkdir(parents=True, exist_ok=True)
    for width, langs in ((1024, ("en", "ja")), (1280, ("en",))):
        context = browser.new_context(viewport={"width": width, "height": 768})  # type: ignore[attr-defined]
        pg = context.new_page()
        try:
            for lang in langs:
                pg.goto(f"{base_url}/cases?lang={lang}&rules=decision-date")
                pg.wait_for_selector("#confusion")
                assert pg.evaluate(TABLES_FIT) == [], (width, lang)
                pg.screenshot(path=str(folder / f"cases-{width}-{lang}.png"), full_page=True)
                pg.click("#replay-table tbody tr:first-child a")
                pg.wait_for_selector("#case-facts")
                assert pg.evaluate(TABLES_FIT) == [], (width, lang, pg.url)
                pg.screenshot(path=str(folder / f"case-{width}-{lang}.png"), full_page=True)
        finally:
            context.close()


def test_save_the_form_load_it_back_and_reopen_from_history(page: object, base_url: str, tmp_path: Path) -> None:
    pg = page
    pg.goto(f"{base_url}/?lang=en")  # type: ignore[attr-defined]
    pg.fill("#matter", "Browser round trip")
    _fill_deal(pg, "12")
    with pg.expect_download() as info:
        pg.click("#form-save-yaml")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(str(saved))
    from fdiscreen.load import load_deal

    assert load_deal(saved).matter == "Browser round trip"
    pg.goto(f"{base_url}/?lang=en")
    pg.set_input_files("#deal_file", str(saved))
    pg.click("#upload-to-form")
    pg.wait_for_selector("#form-note")
    assert pg.input_value("#tx_shares_after_pct") == "12" and pg.input_value("#matter") == "Browser round trip"
    pg.click("#submit-screen")
    pg.wait_for_selector("#ownership-chart svg")
    assert pg.locator("#ownership-chart svg").evaluate("svg => svg.getBoundingClientRect().width") > 100
    _shot(pg, "result-chart-en")
    pg.click("#saved-in-history")
    pg.wait_for_selector("#history")
    assert "Browser round trip" in pg.inner_text("#history tbody tr:first-child")
    _shot(pg, "history-en")
    pg.click("#history tbody tr:first-child a[id^=open-]")
    pg.wait_for_selector("#result-note")
    assert "same fingerprint" in pg.inner_text("#result-note")
    pg.go_back()
    row_id = pg.get_attribute("#history tbody tr:first-child", "id")
    pg.click(f"#{row_id} button[id^=delete-]")  # a same-origin form post: Chromium sends Sec-Fetch-Site: same-origin
    pg.wait_for_selector("#history-note")
    assert "deleted" in pg.inner_text("#history-note") and pg.locator(f"#{row_id}").count() == 0
