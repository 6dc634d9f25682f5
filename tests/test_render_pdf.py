"""PDF memos: headings in the chosen languages, the conclusion and citations in the text, the Japanese
font embedded, identical bytes for identical input, deal text printed as written."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from fdiscreen.load import load_deal, parse_deal
from fdiscreen.regime import load_catalog
from fdiscreen.render.memo import build_memo
from fdiscreen.render.pdf import to_pdf_bytes
from fdiscreen.screening import screen
from test_cli import cli

DATE = dt.date(2026, 11, 22)
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json"))
HEADINGS = {"en": ["Conclusion", "Filing determination", "Risk assessment", "Open questions: facts to confirm", "Ownership structure"],
            "ja": ["結論", "届出要否の判断", "リスク評価", "確認事項", "資本関係図"]}


def pdf_text(data: bytes, tmp: Path) -> str:
    p = tmp / "m.pdf"
    p.write_bytes(data)
    return "".join(page.extract_text() for page in PdfReader(str(p)).pages)


def memo_pdf(path: Path, lang: str) -> tuple[bytes, object]:
    s = screen(load_deal(path), as_of=DATE)
    return to_pdf_bytes(build_memo(s, lang, DATE), DATE), s  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "ja", "both"])
def test_headings_conclusion_and_citations(tmp_path: Path, lang: str) -> None:
    data, s = memo_pdf(ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml", lang)
    text = pdf_text(data, tmp_path)
    wanted = ["en", "ja"] if lang == "both" else [lang]
    for lg in ("en", "ja"):
        for h in HEADINGS[lg]:
            assert (h in text) == (lg in wanted), (lg, h)
    for lg in wanted:
        assert s.filing.outcome.summary.get(lg) in text  # type: ignore[attr-defined]
    citation = {"en": "FEFTA Art. 26(2)(iii)", "ja": "外為法第26条第2項第3号"}
    for lg in ("en", "ja"):
        assert (citation[lg] in text) == (lg in wanted), (lg, citation[lg])
    # the source keys are numbered references into the bibliography, which gives each work's title and address
    assert "[YG, NATLAW, OLGA, CSS]" not in text and re.search(r"\[\d+(, \d+)*\]", text)
    flat = re.sub(r"\s+", "", text)
    for key in ("YG", "NATLAW", "OLGA", "CSS"):
        src = load_catalog().sources[key]
        assert re.sub(r"\s+", "", src.url or "") in flat and re.sub(r"\s+", "", src.publisher_in(wanted[0])) in flat, key  # type: ignore[arg-type]


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_japanese_font_is_embedded(tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    out.write_bytes(memo_pdf(ROOT / "examples" / "us-fund-5pct-core.yaml", "ja")[0])
    rows = [line.split() for line in subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]]
    ipa = [r for r in rows if "IPAexGothic" in r[0]]
    assert ipa and all(r[-5] == "yes" for r in ipa)  # the 'emb' column


def test_same_input_same_bytes() -> None:
    a = memo_pdf(ROOT / "examples" / "jp-company-lookthrough.yaml", "both")[0]
    b = memo_pdf(ROOT / "examples" / "jp-company-lookthrough.yaml", "both")[0]
    assert a == b
    assert b"D:20261122" in a


def test_deal_text_is_escaped(tmp_path: Path) -> None:
    raw = load_deal(ROOT / "examples" / "us-fund-5pct-core.yaml").model_dump(mode="json")
    raw["entities"][0]["name"] = "<b>A&B</b> Partners"
    raw["target"]["name"] = "<font size=40>T&amp;</font>"
    raw["matter"] = "<para>x</para> & y"
    s = screen(parse_deal(raw), as_of=DATE)
    text = pdf_text(to_pdf_bytes(build_memo(s, "en", DATE), DATE), tmp_path)
    assert "<b>A&B</b> Partners" in text and "<font size=40>T&amp;</font>" in text and "<para>x</para> & y" in text


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_renders_a_pdf(tmp_path: Path, example: Path) -> None:
    data, s = memo_pdf(example, "both")
    text = pdf_text(data, tmp_path)
    assert s.matter.split(" ")[0] in text  # type: ignore[attr-defined]


def test_cli_memo_formats(tmp_path: Path) -> None:
    deal = str(ROOT / "examples" / "indirect-overseas-parent.yaml")
    for name, lang in (("m.pdf", "ja"), ("m.md", "both")):
        res = cli("screen", deal, "--memo", str(tmp_path / name), "--lang", lang, "--date", "2026-11-22")
        assert res.returncode == 0, res.stderr
        assert (tmp_path / name).stat().st_size > 1000
    assert cli("screen", deal, "--memo", str(tmp_path / "m.txt")).returncode == 2
