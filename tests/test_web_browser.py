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
def base_url() -> Iterator[str]:
    import uvicorn

    from fdiscreen.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
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


def test_form_result_mitigation_and_pdf(page: object, base_url: str) -> None:
    pg = page
    pg.goto(f"{base_url}/?lang=en")  # type: ignore[attr-defined]
    _shot(pg, "form-en")
    pg.fill("#acq_name", "Blue Ridge Capital")
    pg.fill("#acq_jurisdiction", "US")
    for field in ("fefta_violation_sanctioned", "information_cooperation_duty", "decisions_by_obliged_persons",
                  "decisions_at_office_in_obliging_country", "contractual_disclosure_duty"):
        pg.select_option(f"#acq_{field}", "false")
    pg.fill("#tgt_name", "Tokai Precision Tools K.K.")
    pg.select_option("#tgt_subsidiaries_complete", "true")
    pg.select_option("#tgt_specified_core_business_entity", "false")
    pg.fill("#biz1_name", "CNC machining centres")
    pg.select_option("#biz1_activity", "machine_tools_robots")
    pg.fill("#tx_shares_after_pct", "5")
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
    assert re.fullmatch(r"0\.\d+|1\.0|None", pg.inner_text("#auc").strip())
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
    assert Path(info.value.path()).read_bytes() == expected.to_csv(index=False).encode()
    assert info.value.suggested_filename == "fdiscreen-batch-results.csv"
