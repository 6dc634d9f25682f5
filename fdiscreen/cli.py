"""The command line: parse, call, print. Bad input prints one line and exits 2."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from fdiscreen.clock import japan_today
from fdiscreen.assess.watchlist import load_watchlist
from fdiscreen.errors import FdiscreenError
from fdiscreen.i18n import Lang
from fdiscreen.load import load_deal
from fdiscreen.model import Deal
from fdiscreen.mof_list import MofList, load_mof_list
from fdiscreen.outfiles import check_output, write_table
from fdiscreen.regime import load_catalog, make_regime, parse_override
from fdiscreen.render.output import write_document
from fdiscreen.graph_cli import graph_app
from fdiscreen.listing import load_listing_plan, screen_listing
from fdiscreen.render.memo import LangChoice, build_comparison, build_listing_memo, build_memo
from fdiscreen.render.terminal import print_document
from fdiscreen.screening import Screening, screen

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Screen inward investments into Japanese companies under FEFTA (外為法).")

AsOf = Annotated[Optional[dt.datetime], typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date of the law to apply (default: the deal's as_of, else today in Japan, JST).")]
Amend = Annotated[Optional[dt.datetime], typer.Option("--assume-amendment-effective", formats=["%Y-%m-%d"], help="Model the 2026 amendment as effective from this date.")]
Sets = Annotated[Optional[list[str]], typer.Option("--set", help="Override a factor or assumption: ID=VALUE (repeatable).")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="Ownership-graph database, for deals naming acquirer_graph_id (default: the user data dir).")]
MofOpt = Annotated[Optional[Path], typer.Option("--mof-list", help="MOF classification list (CSV) to classify the target by securities code.")]
LangOpt = Annotated[str, typer.Option("--lang", help="en, ja or both.")]
MemoDate = Annotated[Optional[dt.datetime], typer.Option("--date", formats=["%Y-%m-%d"], help="Memo date (default: today in Japan, JST); fixes the PDF's dates for reproducible files.")]
WatchOpt = Annotated[Optional[list[Path]], typer.Option("--watchlist", help="Watch list CSV (OpenSanctions targets.simple.csv or METI End User List); repeatable.")]
MitigateOpt = Annotated[Optional[list[str]], typer.Option("--mitigate", help="Apply a risk-mitigation measure by id (repeatable); see `fdiscreen factors --id risk_mitigation_measures`.")]
ExplainOpt = Annotated[bool, typer.Option("--explain", help="Show where every point of the scores comes from.")]


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _lang(value: str) -> LangChoice:
    if value not in ("en", "ja", "both"):
        raise FdiscreenError(f"unknown language {value!r}", path="--lang", expected="en, ja or both")
    return value  # type: ignore[return-value]


def _overrides(sets: list[str] | None) -> dict[str, Any]:
    catalog = load_catalog()
    return dict(parse_override(s, catalog) for s in sets or [])


def _screen(deal_path: Path, as_of: dt.datetime | None, amend: dt.datetime | None, sets: list[str] | None,
            mof_list: Path | None, watch: list[Path] | None = None, mitigate: list[str] | None = None,
            db: Path | None = None) -> tuple[Deal, Screening]:
    mof: MofList | None = load_mof_list(mof_list) if mof_list else None
    lists = [entry for w in watch or [] for entry in load_watchlist(w)]
    deal = load_deal(deal_path, graph_db=db)
    return deal, screen(deal, _date(as_of), _overrides(sets), _date(amend), mof, lists, mitigate)


@app.command()
def check(deal: Path, as_of: AsOf = None, assume_amendment_effective: Amend = None, set_: Sets = None,
          mof_list: MofOpt = None, lang: LangOpt = "en", watchlist: WatchOpt = None, mitigate: MitigateOpt = None,
          explain: ExplainOpt = False, db: DbOpt = None) -> None:
    """The filing determination and risk summary for a deal, laid out for a person."""
    _, s = _screen(deal, as_of, assume_amendment_effective, set_, mof_list, watchlist, mitigate, db)
    print_document(build_memo(s, _lang(lang), view="explain" if explain else "check"), Console(highlight=False))


@app.command("screen")
def screen_cmd(deal: Path, as_of: AsOf = None, assume_amendment_effective: Amend = None, set_: Sets = None,
               mof_list: MofOpt = None, watchlist: WatchOpt = None, mitigate: MitigateOpt = None, explain: ExplainOpt = False,
               db: DbOpt = None, json_out: Annotated[bool, typer.Option("--json", help="Print the Screening as JSON.")] = False,
               memo: Annotated[Optional[Path], typer.Option("--memo", help="Write the memo (.md).")] = None,
               lang: LangOpt = "en",
               date: MemoDate = None,
               privileged: Annotated[bool, typer.Option("--privileged", help="Mark the memo privileged and confidential.")] = False) -> None:
    """Screen a deal: JSON result and/or a memo."""
    _, s = _screen(deal, as_of, assume_amendment_effective, set_, mof_list, watchlist, mitigate, db)
    doc = build_memo(s, _lang(lang), _date(date), privileged)
    if memo is not None:
        _write_memo(memo, doc, _date(date))
    if json_out:
        typer.echo(s.to_json())
    elif explain:
        print_document(build_memo(s, _lang(lang), view="explain"), Console(highlight=False))
    elif memo is None:
        print_document(doc, Console(highlight=False))
    else:
        typer.echo(f"{s.filing.outcome.summary.en} -> memo written to {memo}")


MEMO_FORMATS = (".md", ".pdf", ".docx", ".html")


def _write_memo(path: Path, doc: Any, date: dt.date | None = None) -> None:
    """Write the memo in the format its suffix names; check the folder first so nothing half-written is left."""
    suffix = path.suffix.lower()
    if suffix not in MEMO_FORMATS:
        raise FdiscreenError(f"unsupported memo format {suffix!r}", file=str(path), path="--memo", expected=", ".join(MEMO_FORMATS))
    if path.parent and not path.parent.exists():
        raise FdiscreenError("folder does not exist", file=str(path.parent), path="--memo", expected="an existing folder")
    write_document(doc, path, date)


@app.command()
def listing(plan: Path, as_of: AsOf = None, set_: Sets = None, mof_list: MofOpt = None,
            json_out: Annotated[bool, typer.Option("--json", help="Print the listing screen as JSON.")] = False,
            memo: Annotated[Optional[Path], typer.Option("--memo", help="Write the listing memo.")] = None,
            lang: LangOpt = "en", date: MemoDate = None) -> None:
    """Screen a planned stock listing: what listing exposes the company to, and capital-policy measures."""
    mof = load_mof_list(mof_list) if mof_list else None
    ls = screen_listing(load_listing_plan(plan), _date(as_of), mof, _overrides(set_))
    doc = build_listing_memo(ls, _lang(lang), _date(date))
    if memo is not None:
        _write_memo(memo, doc, _date(date))
    if json_out:
        typer.echo(ls.model_dump_json(indent=2))
    elif memo is None:
        print_document(doc, Console(highlight=False))


@app.command()
def compare(deals: Annotated[list[Path], typer.Argument(help="Two or more deal files.")], as_of: AsOf = None,
            assume_amendment_effective: Amend = None, set_: Sets = None, watchlist: WatchOpt = None,
            memo: Annotated[Optional[Path], typer.Option("--memo", help="Write the comparison memo.")] = None,
            json_out: Annotated[bool, typer.Option("--json")] = False, lang: LangOpt = "en", date: MemoDate = None) -> None:
    """Compare bids side by side: determination, timeline, scores, top findings, best next mitigation."""
    if len(deals) < 2:
        raise FdiscreenError("compare needs at least two deal files", path="DEALS", expected="two or more files")
    screenings = [_screen(d, as_of, assume_amendment_effective, set_, None, watchlist)[1] for d in deals]
    doc = build_comparison(screenings, _lang(lang), _date(date))
    if memo is not None:
        _write_memo(memo, doc, _date(date))
    if json_out:
        typer.echo(json.dumps([json.loads(s.to_json()) for s in screenings], ensure_ascii=False, indent=2))
    elif memo is None:
        print_document(doc, Console(highlight=False))


@app.command()
def replay(cases_dir: Annotated[Optional[Path], typer.Argument(help="Case folder (default: the bundled cases/).")] = None,
           cases_opt: Annotated[Optional[Path], typer.Option("--cases", help="Case folder (same as the argument).")] = None,
           rules: Annotated[str, typer.Option("--rules", help="decision-date (law on each case's date), today, or amended (today's law with the 2026 amendment in force).")] = "decision-date",
           out: Annotated[Optional[Path], typer.Option("--out", help="Write the replay table (.csv or .parquet).")] = None,
           plots: Annotated[Optional[Path], typer.Option("--plots", help="Folder for the PNG plots.")] = Path("replay-plots"),
           timeline: Annotated[bool, typer.Option("--timeline", help="Show how the regime changed across the library's dates and which cases each change touched.")] = False,
           today: Annotated[Optional[dt.datetime], typer.Option("--today", formats=["%Y-%m-%d"], help="Date used as 'today' (default: today in Japan, JST).")] = None,
           lang: Annotated[str, typer.Option("--lang", help="Language of the plots: en or ja.")] = "en") -> None:
    """Replay the historical case library and evaluate the scores against what governments decided."""
    from fdiscreen import cases

    if rules not in cases.RULES:
        raise FdiscreenError(f"unknown rules {rules!r}", path="--rules", expected="decision-date, today or amended")
    if lang not in ("en", "ja"):
        raise FdiscreenError(f"unknown language {lang!r}", path="--lang", expected="en or ja")
    folder = cases_opt or cases_dir
    day = _date(today) or japan_today()
    con = Console(highlight=False, width=max(Console().width, 160))
    if timeline:
        print_table(con, cases.regime_timeline(folder, day), "How the law changed across the library's dates")
        print_table(con, cases.amendment_effect(folder, day), "Cases the 2026 amendment would change (today's law, with vs without)")
        return
    table = cases.replay(folder, rules, day)  # type: ignore[arg-type]
    ev = cases.evaluate(table)
    cols = ["case", "date", "jurisdiction", "actual_outcome", "filing", "threat", "sensitivity", "access", "overall", "overall_high", "tier",
            "predicted", "agreement"]
    print_table(con, table[cols], f"Replay under {rules} rules (foreign cases replayed as if the target were a Japanese company in the same business; "
                                  "overall_high = conservative reading of unknown facts)")
    print_evaluation(con, ev)
    if rules == "amended":
        print_table(con, cases.amendment_effect(folder, day), "Cases the 2026 amendment changes (today's law, without vs with)")
    if out is not None:
        write_table(table, out)
        con.print(f"table written to {out}")
    if plots is not None:
        import matplotlib.pyplot as plt

        drawn = cases.plot(table, ev, plots, lang)  # type: ignore[arg-type]
        for name, path in drawn["paths"].items():
            con.print(f"plot written to {path}")
            plt.close(drawn["figures"][name])


def print_evaluation(con: Console, ev: dict[str, Any]) -> None:
    """The replay's figures: AUC with its interval, accuracy, confusion, calibration, by state and decade, misses."""
    ci = ev["auc_ci95"]
    con.print(f"ROC AUC (overall score, at risk vs cleared): {ev['auc']}"
              + (f" (95% bootstrap interval {ci[0]}-{ci[1]})" if ci else "")
              + f"  |  at the conservative end of the ranges: {ev['auc_conservative']}  |  accuracy of predicted class: {ev['accuracy']}  |  "
              f"{ev['rated']} rated cases ({ev['positives']} blocked/restricted/ordered/withdrawn, {ev['negatives']} cleared)")
    con.print("Fitted parameters: " + (", ".join(ev["fitted_parameters"]) or
                                        "none (every weight is set from its written rationale, factors/scoring.yaml); the in-sample AUC is the only one"))
    con.print(f"At-risk cases predicted 'clear': {len(ev['at_risk_predicted_clear'])}" +
              (f" ({', '.join(ev['at_risk_predicted_clear'])})" if ev["at_risk_predicted_clear"] else ""))
    con.print(ev["confusion"].to_string())
    print_table(con, ev["calibration"], "Calibration: predicted tier against the share actually blocked, restricted or withdrawn")
    print_table(con, ev["by_jurisdiction"], "By reviewing state")
    print_table(con, ev["by_decade"], "By decade")
    print_table(con, ev["by_confidence"], "By confidence of the case's facts")
    con.print("Each component's own AUC: " + ", ".join(f"{k} {v}" for k, v in ev["component_auc"].items()))
    print_table(con, ev["misses"], f"Misses ({len(ev['misses'])}): the findings that drove each")


@app.command()
def batch(input_: Annotated[Path, typer.Argument(metavar="INPUT", help="Deals, one per row (.csv, .parquet, .jsonl).")],
          out: Annotated[Path, typer.Option("--out", help="Results (.csv, .parquet, .jsonl); bad rows go to OUT.errors.csv.")],
          as_of: AsOf = None,
          engine: Annotated[str, typer.Option("--engine", help="local or dask.")] = "local",
          scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address (default: a local cluster).")] = None,
          workers: Annotated[Optional[int], typer.Option("--workers", help="Workers of the local Dask cluster (default: one per CPU).")] = None,
          db: DbOpt = None) -> None:
    """Screen a table of deals; good rows are all written, bad rows listed with row, column and message."""
    from rich.console import Console
    from rich.progress import Progress

    from fdiscreen import batch as b

    if engine not in ("local", "dask"):
        raise FdiscreenError(f"unknown engine {engine!r}", path="--engine", expected="local or dask")
    err_path = b.errors_path_for(out)
    check_output(out, [input_])
    check_output(err_path, [input_], "--out (its .errors.csv)")
    rows = b.read_rows(input_)
    total = len(rows.records) + len(rows.errors)
    with Progress(console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("screening", total=total)

        def tick(n: int) -> None:
            progress.advance(task, n)

        results, errors = b.screen_rows(rows, _date(as_of), tick, db, engine, scheduler, workers)
    write_table(results, out, [input_])
    write_table(errors, err_path, [input_], "--out (its .errors.csv)")
    typer.echo(f"{total:,} rows: {len(results):,} screened -> {out}; {len(errors):,} bad -> {err_path}")
    for line in b.summary(results):
        typer.echo(f"  {line}")
    if len(errors):
        typer.echo(f"error: {input_}: {len(errors):,} of {total:,} rows are bad (row, column and message in {err_path}); "
                   "the good rows are screened and written", err=True)
        raise typer.Exit(2)


@app.command()
def factors(as_of: AsOf = None, activities: Annotated[bool, typer.Option("--activities", help="List the notices' business items with JSIC codes, class and dates.")] = False,
            search: Annotated[Optional[str], typer.Option("--search", help="Find business items by Japanese or English words, notice item or JSIC code.")] = None,
            item: Annotated[Optional[str], typer.Option("--id", help="Show one item with its history.")] = None,
            json_out: Annotated[bool, typer.Option("--json")] = False, lang: LangOpt = "en") -> None:
    """Browse the law as encoded: every threshold, list and criterion in force on a date."""
    regime = make_regime(_date(as_of) or japan_today())
    lg: Lang = "ja" if _lang(lang) == "ja" else "en"
    if activities or search is not None:
        print_activities(regime, lg, search, json_out)
        return
    if item:
        it = regime.item(regime.catalog.activity_aliases.get(item, item))
        data = {"id": it.id, "label": it.label.get(lg), "unit": it.unit, "value_on_date": regime.value(it.id),
                "history": [(str(d), v) for d, v in regime.timeline(it.id)], "citation": regime.cite(it.id).short(lg),
                "confidence": it.confidence, "assumption": it.assumption, "note": it.note_in(lg)}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    rows = regime.item_rows(lg, activities)
    if json_out:
        typer.echo(json.dumps({"as_of": str(regime.as_of), "version": regime.version, "items": rows}, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table
    from rich.text import Text
    t = Table(title=f"factors as of {regime.as_of} (version {regime.version})", show_lines=False)
    for col in ("id", "value", "label", "basis"):
        t.add_column(col, overflow="fold")
    for r in rows:
        v = r["value"]
        shown = "—" if v is None else (f"{len(v)} entries" if isinstance(v, list) else str(v))
        t.add_row(Text(r["id"] + (" *" if r["assumption"] else "")), Text(shown), Text(r["label"]), Text(r["citation"]))
    Console(highlight=False).print(t)
    typer.echo("* assumption (law not yet fixed or fact not pinned down): overridable with --set ID=VALUE")


@app.command()
def serve(host: Annotated[str, typer.Option(help="Interface to listen on; other than loopback only with --token.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port (1-65535).", min=1, max=65535)] = 8765,
          token: Annotated[Optional[str], typer.Option(help="Secret every request must carry (X-Fdiscreen-Token header or ?token=).")] = None) -> None:
    """Start the local web workbench (screening form, memos, comparison, case library, JSON API)."""
    from fdiscreen.web.app import check_host, serve as run

    check_host(host, token)
    shown = f"http://{host if ':' not in host else '[' + host.strip('[]') + ']'}:{port}/"
    guard = "; every request must carry the token you set, as ?token=... or the X-Fdiscreen-Token header" if token else ""
    typer.echo(f"fdiscreen workbench on {shown}  (Ctrl+C stops it; deal data stays on this machine{guard})")
    run(host, port, token)


@app.command()
def schema() -> None:
    """Print the JSON Schema of deal files."""
    typer.echo(json.dumps(Deal.model_json_schema(), ensure_ascii=False, indent=2))


@app.command("test")
def test_sheets(sheets: Annotated[list[Path], typer.Argument(metavar="SHEET...", help="Test sheets (.yaml): rows of deal, date and expected conclusions.")]) -> None:
    """Run test sheets: PASS/FAIL per row, the diff of failing rows; exit 1 if any row fails, 2 if a sheet is broken."""
    from fdiscreen import testsheet

    rows = [row for sheet in sheets for row in testsheet.load_sheet(sheet)]
    results = []
    for row in rows:
        result = testsheet.run_row(row)
        results.append(result)
        typer.echo(f"{'PASS' if result.passed else 'FAIL'}  {row.name}")
    failed = [r for r in results if not r.passed]
    for r in failed:
        typer.echo("")
        typer.echo(testsheet.format_failure(r))
    typer.echo("")
    typer.echo(testsheet.summary_line(results))
    if failed:
        raise typer.Exit(1)


app.add_typer(graph_app, name="graph", help="Ownership graph on an embedded database (DuckDB): load, controllers, indirect holdings, foreign status.")


def print_activities(regime: Any, lang: Lang, search: str | None, json_out: bool) -> None:
    """The activity catalog (or the items matching ``search``): one block per item, wrapped to 80 columns
    (rich counts the width of Japanese characters)."""
    from rich.padding import Padding
    from rich.text import Text

    con = Console(width=80, highlight=False, soft_wrap=False)

    rows = regime.activity_rows(lang, search)
    if json_out:
        typer.echo(json.dumps({"as_of": str(regime.as_of), "version": regime.version, "items": rows}, ensure_ascii=False, indent=2, default=str))
        return
    yes_no = {True: "yes", False: "no"}
    def since(history: list[tuple[str, Any]]) -> str:
        return ", ".join(f"{d} {v if not isinstance(v, bool) else yes_no[v]}" for d, v in history) or "—"
    typer.echo(f"business items as of {regime.as_of} ({len(rows)}; version {regime.version})")
    for r in rows:
        head = f"{r['id']}{' *' if r['assumption'] else ''}  [{', '.join(r['jsic']) or '—'}]  {r['class'] or 'not listed (non-designated)'}"
        lines = [head, f"{r['label']}" + (f" (old id: {', '.join(r['aliases'])})" if r["aliases"] else ""),
                 f"class: {since(r['history'])}",
                 f"specified acquisition list: {yes_no[r['specified_acquisition']]} ({since(r['specified_acquisition_history'])}); "
                 f"core list: {yes_no[r['specified_acquisition_core']]} ({since(r['specified_acquisition_core_history'])})"]
        if r["notice_item"]:
            lines.append(f"notice: {r['notice_item']}")
        lines.append(f"basis: {r['citation']}")
        con.print("")
        con.print(Text(lines[0]))
        for line in lines[1:]:
            con.print(Padding(Text(line), (0, 0, 0, 2), expand=False))
    if not rows:
        typer.echo(f"no business item matches {search!r}")
    typer.echo("")
    typer.echo("* assumption: law not fixed or fact not pinned down (override: --set ID=VALUE)")


def print_table(con: Console, frame: Any, title: str) -> None:
    """A DataFrame as a rich table (cells printed literally)."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False, header_style="bold")
    for col in frame.columns:
        t.add_column(str(col), overflow="fold")
    for _, row in frame.iterrows():
        t.add_row(*[Text("" if v is None or (isinstance(v, float) and v != v) else str(v)) for v in row])
    con.print(t)


def _usage_error_types() -> tuple[type[Exception], ...]:
    """The usage-error class of the option parser typer uses: its own copy of click (typer >= 0.22) or click."""
    found: list[type[Exception]] = []
    try:
        from typer._click.exceptions import UsageError as TyperUsageError
        found.append(TyperUsageError)
    except ImportError:
        pass
    try:
        from click.exceptions import UsageError as ClickUsageError
        found.append(ClickUsageError)
    except ImportError:
        pass
    return tuple(found)


def main() -> None:
    """Entry point: one line and exit code 2 for bad input; no traceback."""
    usage_errors = _usage_error_types()
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
        sys.exit(130)
    except usage_errors as exc:
        hint = f" (see {exc.ctx.command_path} --help)" if exc.ctx else ""
        typer.echo(f"error: {' '.join(exc.format_message().split())}{hint}", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except FdiscreenError as exc:
        typer.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - a person must never see a traceback
        if os.environ.get("FDISCREEN_DEBUG"):
            raise
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (set FDISCREEN_DEBUG=1 for details)", err=True)
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
