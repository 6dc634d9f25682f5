"""DOCX and HTML memos: Word's built-in styles with the section titles in both languages, tables and
pictures; identical output for identical input; a standalone HTML page with inline SVG and every name
escaped."""

from __future__ import annotations

import datetime as dt
import re
import shutil
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
    # issue 18: 游明朝 body, 游ゴシック headings (fonts Word ships), Latin in Century / Arial; no IPAex named
    faces = {"Normal": ("游明朝", "Century"), "Heading 1": ("游ゴシック", "Arial"), "Heading 2": ("游ゴシック", "Arial"), "Title": ("游ゴシック", "Arial")}
    for name, (east_asian, latin) in faces.items():
        rfonts = d.styles[name].element.rPr.rFonts
        assert rfonts.get(docx.oxml.ns.qn("w:eastAsia")) == east_asian and rfonts.get(docx.oxml.ns.qn("w:ascii")) == latin, name
    archive = zipfile.ZipFile(tmp_path / "m.docx")
    styles_xml = archive.read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles_xml and "asciiTheme" not in styles_xml
    assert not any("IPAex" in archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))
    fonts_xml = archive.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="游明朝"><w:altName w:val="Yu Mincho"/><w:panose1 w:val="[0-9A-F]{20}"/><w:charset w:val="80"/>', fonts_xml)
    theme = archive.read("word/theme/theme1.xml").decode()
    assert 'script="Jpan" typeface="游明朝"' in theme and 'script="Jpan" typeface="游ゴシック"' in theme
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


def test_header_footer_properties_and_table_style(tmp_path: Path) -> None:
    """Issue 18: the header names the matter and the legend, the footer the legend and 'N / M ページ' as PAGE
    and NUMPAGES fields; core properties carry the memo's date, author and language; tables use the memo's
    table style with the header row repeated on each page."""
    s = screen(load_deal(ROOT / "examples" / "indirect-overseas-parent.yaml"), as_of=DATE)
    doc = build_memo(s, "ja", DATE)
    to_docx(doc, tmp_path / "m.docx", DATE)
    d = docx.Document(str(tmp_path / "m.docx"))
    header, footer = d.sections[0].header.paragraphs[0], d.sections[0].footer.paragraphs[0]
    legend = doc.marking or ""
    assert header.text.startswith(s.matter[:40]) and header.text.endswith(legend)
    assert footer.text.startswith(legend or doc.title) and footer.text.endswith("1 / 1 ページ")
    codes = [t.text.strip() for t in footer._p.iter(docx.oxml.ns.qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]
    assert header.style.name == "Header" and footer.style.name == "Footer"
    cp = d.core_properties
    assert cp.created == dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc) and cp.modified == cp.created
    assert cp.author == (getattr(doc, "author", None) or "fdiscreen") and cp.last_modified_by == cp.author
    assert cp.language == "ja-JP" and cp.title == doc.title
    content = [t for t in d.tables if t.rows[0].cells[0].text != d.tables[0].rows[0].cells[0].text]
    assert content and all(t.style.name == "fdiscreen Table" for t in d.tables)
    assert all(t.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None for t in content)
    assert d.styles["fdiscreen Table"].base_style.name == "Table Grid"
    assert not d.styles["Subtitle"].font.italic and not d.styles["Intense Quote"].font.italic


def _soffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    import subprocess

    profile = out_dir / "lo-profile"  # a profile of its own: no clash with another LibreOffice running
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir),
                    str(docx_path)], check=True, capture_output=True, timeout=240)
    return out_dir / (docx_path.stem + ".pdf")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice (soffice) or poppler (pdffonts) not on PATH; CI installs them")
@pytest.mark.parametrize("lang", ["ja", "both"])
def test_libreoffice_opens_the_docx(tmp_path: Path, lang: str) -> None:
    """Issue 18: the DOCX converts in LibreOffice with the legend in the header, page numbers in the
    footer, every font embedded and no missing glyph (no U+FFFD, no tofu box, no .notdef)."""
    import subprocess

    s = screen(load_deal(ROOT / "examples" / "indirect-overseas-parent.yaml"), as_of=DATE)
    doc = build_memo(s, lang, DATE)  # type: ignore[arg-type]
    to_docx(doc, tmp_path / "m.docx", DATE)
    out = _soffice_pdf(tmp_path / "m.docx", tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 3
    label = "{n} / {m} ページ" if lang == "ja" else "{n} / {m}"
    for n, page in enumerate(pages, 1):
        assert label.format(n=n, m=len(pages)) in page, (n, page[-300:])
        assert (doc.marking or doc.title)[:20] in page and s.matter[:30] in page
    text = "".join(pages)
    assert "\ufffd" not in text and not any(ch in text for ch in "\u25a1\u2610\u3013")
    assert "届出要否の判断" in text and "外国投資家" in text
    rows = [line.split() for line in subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]]
    assert rows and all(r[-5] == "yes" for r in rows), rows  # every font embedded
    assert any("IPAex" in r[0] or "Noto" in r[0] for r in rows), rows  # a Japanese face stood in for 游明朝 / 游ゴシック
