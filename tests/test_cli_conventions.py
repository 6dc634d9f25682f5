"""Command-line conventions (README, "Exit codes"): --version, python -m fdiscreen, --fail-on and
batch --strict (exit 3), -q / -v, readable help within 80 columns, the short `check`, shell completion;
and the Python API (fdiscreen.screen / load_deal / memo / cases / batch)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

import fdiscreen
from conftest import ROOT
from fdiscreen.errors import FdiscreenError
from test_cli import cli

EXEMPT = ROOT / "examples" / "us-fund-5pct-core.yaml"          # exempt on conditions; clear
INDIRECT = ROOT / "examples" / "indirect-overseas-parent.yaml"  # prior notification; at risk at the conservative end
BID_B = ROOT / "examples" / "bids" / "bid-b-strategic-intel-duty.yaml"  # prior notification; at risk
COMMANDS = ["check", "screen", "listing", "compare", "replay", "batch", "factors", "serve", "schema", "test"]


def _indeterminate_deal(tmp_path: Path) -> Path:
    """The exempt example with the board seats unknown: whether a notification is needed turns on them."""
    data = yaml.safe_load(EXEMPT.read_text(encoding="utf-8"))
    data["transaction"]["board_seats"] = None
    path = tmp_path / "open.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_version_is_the_installed_distributions() -> None:
    res = cli("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"fdiscreen {metadata.version('fdiscreen')}"
    assert fdiscreen.__version__ == metadata.version("fdiscreen")


def test_python_m_fdiscreen() -> None:
    res = subprocess.run([sys.executable, "-m", "fdiscreen", "--help"], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
    assert res.returncode == 0 and "Exit codes" in res.stdout and "check" in res.stdout


@pytest.mark.parametrize("command", [[c] for c in COMMANDS] + [["graph"], ["graph", "load"], ["graph", "controllers"]])
def test_help_is_readable_and_fits_80_columns(command: list[str]) -> None:
    res = subprocess.run([sys.executable, "-m", "fdiscreen", *command, "--help"], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    for junk in ("<bool>", "<list[", "%Y", "<str>"):
        assert junk not in res.stdout, f"{command}: {junk} in help"
    assert max(len(line) for line in res.stdout.splitlines()) <= 80


def test_memo_option_says_every_format() -> None:
    text = cli("screen", "--help").stdout
    assert all(s in " ".join(text.split()) for s in (".pdf", ".docx", ".html", ".md"))


def test_fail_on_exits_3_only_when_the_result_is_named(tmp_path: Path) -> None:
    assert cli("check", str(EXEMPT), "--fail-on", "prior-notification").returncode == 0
    hit = cli("check", str(INDIRECT), "--fail-on", "prior-notification")
    assert hit.returncode == 3 and "prior-notification" in hit.stderr
    assert cli("check", str(EXEMPT), "--fail-on", "at-risk", "--fail-on", "indeterminate").returncode == 0
    assert cli("check", str(BID_B), "--fail-on", "at-risk").returncode == 3
    assert cli("check", str(INDIRECT), "--fail-on", "at-risk").returncode == 3  # the conservative end of its range is at risk
    assert cli("check", str(_indeterminate_deal(tmp_path)), "--fail-on", "indeterminate").returncode == 3
    assert cli("check", str(EXEMPT), "--fail-on", "nonsense").returncode == 2


def test_fail_on_still_writes_the_memo_and_json(tmp_path: Path) -> None:
    memo = tmp_path / "m.md"
    res = cli("screen", str(INDIRECT), "--json", "--memo", str(memo), "--fail-on", "prior-notification")
    assert res.returncode == 3 and memo.is_file() and '"fingerprint"' in res.stdout


def test_compare_fails_on_any_bid() -> None:
    bids = sorted((ROOT / "examples" / "bids").glob("*.yaml"))
    assert cli("compare", *map(str, bids), "--fail-on", "at-risk").returncode == 3
    assert cli("compare", str(EXEMPT), str(EXEMPT), "--fail-on", "at-risk").returncode == 0


def test_quiet_and_verbose(tmp_path: Path) -> None:
    memo = tmp_path / "m.md"
    loud = cli("screen", str(EXEMPT), "--memo", str(memo))
    assert "memo written" in loud.stdout
    quiet = cli("-q", "screen", str(EXEMPT), "--memo", str(memo))
    assert quiet.returncode == 0 and quiet.stdout == "" and memo.is_file()
    verbose = cli("-v", "check", str(EXEMPT))
    assert verbose.returncode == 0 and "law as of" in verbose.stderr and "law data" in verbose.stderr


def test_shell_completion_completes_commands() -> None:
    env = {**os.environ, "_FDISCREEN_COMPLETE": "complete_bash", "COMP_WORDS": "fdiscreen ch", "COMP_CWORD": "1"}
    res = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'fdiscreen'; from fdiscreen.cli import main; main()"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert res.returncode == 0 and "check" in res.stdout.split()


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.yaml")))
def test_check_is_one_screen_within_80_columns_and_keeps_words_whole(example: str) -> None:
    """The short view fits 80 columns (terminal cells), stays on about one screen, and wrapping only ever
    breaks at spaces: the English text wrapped at 80 has the same words as the text unwrapped."""
    from rich.cells import cell_len

    from fdiscreen.render.brief import build_brief
    from fdiscreen.render.terminal import print_document

    s = fdiscreen.screen(ROOT / "examples" / example)
    for lang in ("en", "ja"):
        narrow, wide = Console(width=80, record=True, file=open(os.devnull, "w")), Console(width=5000, record=True, file=open(os.devnull, "w"))
        print_document(build_brief(s, lang), narrow)
        print_document(build_brief(s, lang), wide)
        text = narrow.export_text()
        assert max(cell_len(line) for line in text.splitlines()) <= 80
        assert len(text.splitlines()) <= 45, f"{example} {lang}: {len(text.splitlines())} lines"
        if lang == "en":
            assert _words(text) == _words(wide.export_text())
        else:
            assert not any(line.lstrip().startswith(("。", "、", "）", "」")) for line in text.splitlines())


def _document_words(doc: Any) -> set[str]:
    from fdiscreen.render.document import Bullets, Figure, Para, Table
    from fdiscreen.render.terminal import figure_summary

    texts = [doc.title, *(f"{k}: {v}" for k, v in doc.meta)]
    for sec in doc.sections:
        texts.append(sec.title)
        for blk in sec.blocks:
            if isinstance(blk, Para):
                texts.append(f"{blk.bold_lead or ''} {blk.text}")
            elif isinstance(blk, Bullets):
                texts += blk.items
            elif isinstance(blk, Table):
                texts += [*(f"{h}:" for h in blk.header), *blk.header, *(c for row in blk.rows for c in row)]
            elif isinstance(blk, Figure):
                texts.append(f"[{blk.caption}] {figure_summary(blk)}")
    return {w for t in texts for w in t.split()}


def test_full_views_and_comparisons_keep_words_whole_at_80_columns() -> None:
    """Tables too wide for the terminal are printed row by row; every word printed is a whole word of
    the document (a word cut at the margin would leave fragments that are not)."""
    from rich.cells import cell_len

    from fdiscreen.render.memo import build_comparison, build_memo
    from fdiscreen.render.terminal import print_document

    bids = [fdiscreen.screen(p) for p in sorted((ROOT / "examples" / "bids").glob("*.yaml"))]
    for doc in (build_comparison(bids, "en"), build_memo(bids[1], "en", view="check")):
        narrow = Console(width=80, record=True, file=open(os.devnull, "w"))
        print_document(doc, narrow)
        text = narrow.export_text()
        assert max(cell_len(line) for line in text.splitlines()) <= 80
        allowed = _document_words(doc)
        printed = [w for w in text.split() if w not in ("•",) and not w.rstrip(".").isdigit() and w.strip("┏┓┗┛┡┩┳┻╇┃│━─└┘┴┬┌┐├┤┼")]
        assert not [w for w in printed if w not in allowed]


@pytest.mark.parametrize("args", [["factors"], ["factors", "--activities", "--lang", "ja"], ["factors", "--search", "半導体"]])
def test_factors_listing_fits_80_columns_with_ids_whole(args: list[str]) -> None:
    from rich.cells import cell_len

    from fdiscreen.regime import load_catalog

    out = cli(*args, "--as-of", "2026-12-01").stdout
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    heads = {line.split()[0] for line in out.splitlines() if line and not line.startswith((" ", "*"))}
    ids = set(load_catalog().items)
    assert heads - {"factors", "business"} <= ids and len(heads & ids) >= 3, "every item's id is printed whole"


# -- the Python API ---------------------------------------------------------------------------------

def test_api_screens_a_path_a_mapping_and_a_deal_alike() -> None:
    by_path = fdiscreen.screen(EXEMPT, as_of="2026-11-22")
    data = yaml.safe_load(EXEMPT.read_text(encoding="utf-8"))
    by_map = fdiscreen.screen(data, as_of="2026-11-22")
    by_deal = fdiscreen.screen(fdiscreen.load_deal(EXEMPT), as_of="2026-11-22")
    assert by_path.fingerprint == by_map.fingerprint == by_deal.fingerprint
    assert by_path.filing.outcome.code == "exempt_with_conditions"


def test_api_overrides_are_typed_and_checked() -> None:
    lower = fdiscreen.screen(EXEMPT, as_of="2026-11-22", overrides={"listed_share_threshold_pct": 10})
    assert lower.regime.overrides == {"listed_share_threshold_pct": "10"}
    with pytest.raises(FdiscreenError):
        fdiscreen.screen(EXEMPT, overrides={"listed_share_threshold_pct": "abc"})
    with pytest.raises(FdiscreenError):
        fdiscreen.screen(EXEMPT, as_of="2026-13-01")
    with pytest.raises(FdiscreenError):
        fdiscreen.screen(42)  # type: ignore[arg-type]


def test_api_writes_a_memo(tmp_path: Path) -> None:
    s = fdiscreen.screen(EXEMPT, as_of="2026-11-22")
    out = fdiscreen.memo(s, tmp_path / "m.md", lang="ja", date="2026-12-01")
    assert out.is_file() and "外為法" in out.read_text(encoding="utf-8")
    with pytest.raises(FdiscreenError):
        fdiscreen.memo(s, tmp_path / "m.txt")


def test_api_exports() -> None:
    for name in fdiscreen.__all__:
        assert getattr(fdiscreen, name) is not None and (getattr(fdiscreen, name).__doc__ or name == "__version__")
    assert callable(fdiscreen.cases.replay) and callable(fdiscreen.batch.screen_frame)


@pytest.mark.parametrize("args, extra, blocked", [
    (["serve"], "web", "fastapi"),
    (["batch", str(ROOT / "examples" / "batch" / "deals.csv"), "--out", "OUT", "--engine", "dask"], "scale", "distributed"),
    (["graph", "controllers", "x", "--db", "DB"], "scale", "duckdb"),
])
def test_a_missing_extra_is_named_in_one_line(args: list[str], extra: str, blocked: str, tmp_path: Path) -> None:
    """Without the extra's packages (hidden from import here), the command says which extra to install."""
    args = [str(tmp_path / "o.csv") if a == "OUT" else str(tmp_path / "g.duckdb") if a == "DB" else a for a in args]
    (tmp_path / "g.duckdb").touch()
    hide = ("import importlib.util, sys\n"
            f"blocked = {blocked!r}\n"
            "real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda name, *a: None if name.split('.')[0] == blocked else real(name, *a)\n"
            f"sys.argv = ['fdiscreen', *{args!r}]\n"
            "from fdiscreen.cli import main\nmain()\n")
    res = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert res.returncode == 2, res.stderr
    assert f"pip install 'fdiscreen[{extra}]'" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_replay_prints_within_80_columns(tmp_path: Path) -> None:
    """The replay's terminal table is the compact one (every column goes to --out); wide tables print row by row."""
    from rich.cells import cell_len

    res = cli("replay", "--plots", str(tmp_path / "plots"), "--out", str(tmp_path / "replay.csv"))
    assert res.returncode == 0, res.stderr
    shown = [line for line in res.stdout.splitlines() if not line.startswith(("table written to", "plot written to"))]  # long paths
    assert max(cell_len(line) for line in shown) <= 80
    assert "ROC AUC" in res.stdout and "jp-tci-jpower-2008" in res.stdout
    assert {"threat", "sensitivity", "access", "agreement"} <= set(open(tmp_path / "replay.csv", encoding="utf-8").readline().strip().split(","))
