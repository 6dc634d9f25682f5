"""DOCX and HTML memos: Word's built-in styles with the section titles in both languages, tables and
pictures; identical output for identical input; a standalone HTML page with inline SVG and every name
escaped."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import docx
import pytest

from conftest import ROOT
from fdiscreen.errors import FdiscreenError
from fdiscreen.load import load_deal, parse_deal
from fdiscreen.render.document import Document
from fdiscreen.render.docx import to_docx
from fdiscreen.render.html import to_html
from fdiscreen.render.memo import build_memo
from fdiscreen.screening import screen

DATE = dt.date(2026, 11, 22)
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json"))
TITLES = ["結論", "Conclusion", "届出要否の判断", "Filing determination"]
NAME = "<b>A&B</b>"


@lru_cache(maxsize=None)
def memo(path: Path) -> Document:
    return build_memo(screen(load_deal(path), as_of=DATE), "both", DATE)


def docx_text(path: Path) -> list[tuple[str, str]]:
    d = docx.Document(str(path))
    cells = [(f"cell-{t}", c.text) for t, table in enumerate(d.tables) for row in table.rows for c in row.cells]
    return [(p.style.name, p.text) for p in d.paragraphs] + cells


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_renders_docx_and_html(tmp_path: Path, example: Path) -> None:
    doc = memo(example)
    to_docx(doc, tmp_path / "m.docx", DATE)
    d = docx.Document(str(tmp_path / "m.docx"))
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert all(t in headings for t in TITLES), headings
    assert [p.text for p in d.paragraphs if p.style.name == "Title"] == [doc.title]
    assert d.tables and len(d.inline_shapes) >= 1
    assert d.core_properties.created == dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)

    page = to_html(doc, DATE)
    (tmp_path / "m.html").write_text(page, encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page and '<meta charset="utf-8">' in page
    assert all(f">{t}</h2>" in page for t in TITLES)
    assert "<svg" in page and "<figcaption>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no network resources"


def test_styles_and_east_asian_font(tmp_path: Path) -> None:
    to_docx(memo(ROOT / "examples" / "jp-company-lookthrough.yaml"), tmp_path / "m.docx", DATE)
    d = docx.Document(str(tmp_path / "m.docx"))
    used = {p.style.name for p in d.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Normal", "List Bullet", "Caption"} <= used
    assert used & {"Quote", "Intense Quote"}
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        assert d.styles[name].element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "IPAexGothic"
    styles_xml = zipfile.ZipFile(tmp_path / "m.docx").read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles_xml
    assert d.tables[1].rows[0].cells[0].paragraphs[0].runs[0].bold  # header row of the first content table


def test_same_input_same_output(tmp_path: Path) -> None:
    doc = memo(ROOT / "examples" / "jp-company-lookthrough.yaml")
    to_docx(doc, tmp_path / "a.docx", DATE)
    to_docx(doc.model_copy(deep=True), tmp_path / "b.docx", DATE)
    assert docx_text(tmp_path / "a.docx") == docx_text(tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert to_html(doc, DATE) == to_html(doc.model_copy(deep=True), DATE)


def test_names_are_escaped_and_cleaned(tmp_path: Path) -> None:
    raw = load_deal(ROOT / "examples" / "jp-company-lookthrough.yaml").model_dump(mode="json")
    raw["entities"][0]["name"] = NAME
    raw["target"]["name"] = NAME
    raw["matter"] = "M\x01atter\x0b " + NAME
    with pytest.raises(FdiscreenError, match=r"matter: a control character \(U\+0001\)"):
        parse_deal(raw)  # a deal file may not hold them (issue 17) ...
    raw["matter"] = NAME
    deal = parse_deal(raw)
    deal.matter = "M\x01atter\x0b " + NAME  # ... and the renderers still clean any that reach them
    doc = build_memo(screen(deal, as_of=DATE), "ja", DATE, privileged=True)

    page = to_html(doc, DATE)
    assert '<html lang="ja">' in page and "&lt;b&gt;A&amp;B&lt;/b&gt;" in page
    body = page[page.index("<body>"):]
    assert "<b>" not in body and "\x01" not in page

    to_docx(doc, tmp_path / "m.docx", DATE)
    text = "\n".join(t for _, t in docx_text(tmp_path / "m.docx"))
    assert NAME in text and "Matter " + NAME in text
    d = docx.Document(str(tmp_path / "m.docx"))
    assert d.paragraphs[0].runs[0].bold and d.paragraphs[1].style.name == "Title"


def test_japanese_memo_cites_and_notes_in_japanese() -> None:
    """A Japanese memo gives citations and assumption notes in Japanese; the English memo in English."""
    s = screen(load_deal(ROOT / "examples" / "us-fund-5pct-core-board-seat.yaml"), DATE)
    ja, en = to_html(build_memo(s, "ja", DATE)), to_html(build_memo(s, "en", DATE))
    assert "外為法第26条第2項第3号" in ja and "FEFTA Art." not in ja and "Assumed:" not in ja
    assert "仮定：直接保有分と被支配事業体を通じた保有分" in ja
    assert "FEFTA Art. 26(2)(iii)" in en and "外為法第26条" not in en and "Assumed: control at 50%" in en


def test_list_values_read_as_wording_and_basis_not_repeated() -> None:
    """Assumed lists show their entries' wording in the memo's language, never a Python repr; a finding's
    basis names its review consideration once."""
    from fdiscreen.render.markdown import to_markdown
    from fdiscreen.render.memo import value_text

    assert value_text([{"id": "a", "en": "One", "ja": "一"}, {"id": "b", "en": "Two"}], "ja") == "一; Two"
    assert value_text(50, "en") == "50"
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        s = screen(load_deal(path), DATE)
        for lang in ("en", "ja"):
            text = to_markdown(build_memo(s, lang, DATE))
            assert "{'id'" not in text and "[{" not in text, path.name
            for f in s.findings:
                assert f"{f.consideration}; {f.consideration}" not in text.replace("\\_", "_"), (path.name, f.id)
