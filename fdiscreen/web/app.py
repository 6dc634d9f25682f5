"""The web workbench and JSON API (FastAPI). ``create_app(token)`` builds it; ``serve`` runs it with
uvicorn on the loopback interface, or on another interface only when every request must carry a token.

Pages: ``/`` (screening form and deal-file upload), ``/result`` (re-screen with mitigation toggles),
``/memo`` (memo download), ``/compare`` (bid comparison), ``/batch`` (a table of deals, with CSV
downloads), ``/cases`` (case library and replay).
API: ``POST /api/screen`` (the same JSON as ``fdiscreen screen --json``), ``POST /api/memo``,
``GET /api/factors``, ``GET /api/schema``; the OpenAPI spec is at ``/openapi.json``.

Bad input answers 422 with ``{"error": "<the one-line FdiscreenError message>"}``; a body over the cap
413; a missing or wrong token 401. Nothing is fetched from, or sent to, the network.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from fdiscreen.clock import japan_today
from fdiscreen import __version__, batch
from fdiscreen.assess.mitigation import Measure, catalog
from fdiscreen.cases import RULES
from fdiscreen.errors import FdiscreenError
from fdiscreen.load import deal_mapping, json_error, parse_deal, strict_json_loads
from fdiscreen.outfiles import csv_bytes
from fdiscreen.model import Deal
from fdiscreen.regime import load_catalog, make_regime
from fdiscreen.render.document import Document
from fdiscreen.render.memo import LangChoice, build_comparison, build_memo
from fdiscreen.screening import Screening, screen
from fdiscreen.web import pages
from fdiscreen.web.forms import (FORM_FILE, MAX_BIDS, MAX_REQUEST_BYTES, MAX_TABLE_BYTES, MAX_TABLE_ROWS, MAX_UPLOAD_BYTES, MIN_BIDS, TooLarge,
                                 deal_from_form, form_field, parse_upload, upload_name)
from fdiscreen.web.labels import PageLang, t

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TOKEN_HEADER = "X-Fdiscreen-Token"
MemoFormat = Literal["pdf", "docx", "md", "html"]
MEDIA = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self'; form-action 'self'; "
                                 b"base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
# Memo rendering (reportlab) and plotting (matplotlib) keep process-wide state: one at a time.
_RENDER_LOCK = threading.Lock()


class ScreenRequest(Deal):
    """A deal (the format of `fdiscreen schema`) plus what `fdiscreen screen` takes as options."""

    mitigate: list[str] = Field(default_factory=list, description="risk-mitigation measures to apply (ids from GET /api/factors)")
    amendment_effective: dt.date | None = Field(None, description="model the 2026 amendment as effective from this date")


# -- guard: token, host, body size, security headers -----------------------------------------------

_HOST = re.compile(r"^(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?$")


def _hostname(host_header: str) -> str:
    """The host name of a Host header that is exactly a name or bracketed IPv6 address with an
    optional port; "" for anything else (``localhost:80@evil.example`` is not a loopback name)."""
    match = _HOST.match(host_header.strip().lower())
    if match is None:
        return ""
    return match.group("v6") or match.group("name") or ""


class _BodyTooLarge(Exception):
    pass


class Guard:
    """ASGI middleware, outermost: checks the token (when one is set) or else that the Host header
    names the loopback interface (no DNS rebinding), caps the request body, and adds security headers."""

    def __init__(self, app: Any, token: str | None, limit: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.token = token
        self.limit = limit
        self.too_large = {"error": f"request body larger than {limit // 1024} KB"}

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                       send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if self.token is not None:
            given = headers.get(TOKEN_HEADER.lower()) or (query.get("token") or [""])[0]
            if not secrets.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
                await _plain(send, 401, {"error": f"missing or wrong token: send the {TOKEN_HEADER} header or ?token="})
                return
        elif _hostname(headers.get("host", "")) not in LOCAL_HOSTS:
            await _plain(send, 400, {"error": "host not allowed: without a token the workbench answers only on 127.0.0.1, localhost or ::1"})
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _plain(send, 413, self.too_large)
            return
        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge()
            return message

        async def secured_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _BodyTooLarge:
            if not started:
                await _plain(send, 413, self.too_large)


async def _plain(send: Callable[[dict[str, Any]], Awaitable[None]], status: int, body: dict[str, str]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": data})


# -- helpers --------------------------------------------------------------------------------------

def _lang(value: Any) -> PageLang:
    return "ja" if value == "ja" else "en"


def _ctx(request: Request, lang: Any = None) -> pages.Ctx:
    q = {k: v for k, v in request.query_params.items()}
    return pages.Ctx(lang=_lang(lang if lang in ("en", "ja") else q.get("lang")), token=request.app.state.token,
                     path=request.url.path, query=q)


def _date(value: Any, path: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FdiscreenError(f"not a date: {str(value)[:40]!r}", path=path, expected="a date YYYY-MM-DD")


def _measure_ids(values: Any, path: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise FdiscreenError("not a list of measure ids", path=path, expected="a list of ids from GET /api/factors")
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _measures(as_of: dt.date | None = None) -> dict[str, Measure]:
    return catalog(make_regime(as_of or japan_today()))


def _activities() -> list[tuple[Any, str | None]]:
    regime = make_regime(japan_today())
    return [(a, regime.activity_class(a.id)) for a in load_catalog().activities()]


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    values["measure"] = [v for v in form.getlist("measure") if isinstance(v, str)]
    return values


def _memo_choice(form: FormData) -> tuple[str, str]:
    """The download button pressed: ``format:lang`` (default a PDF in English)."""
    choice = form.get("dl")
    fmt, _, lang = (choice if isinstance(choice, str) else "pdf:en").partition(":")
    return fmt, lang or "en"


async def _uploaded_file(form: FormData, field: str, expected: str, limit: int) -> tuple[str, bytes]:
    """The upload in ``field``: its own file name (for messages) and its bytes, at most ``limit``."""
    item = form.get(field)
    if not isinstance(item, UploadFile) or not (item.filename or item.size):
        raise FdiscreenError("no file uploaded", path=field, expected=expected)
    name = upload_name(item.filename)
    raw = await item.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(name, limit)
    return name, raw


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60].lower() or "deal"


def memo_file(s: Screening, fmt: str, lang: LangChoice, date: dt.date | None = None, privileged: bool = False) -> tuple[bytes, str, str]:
    """The memo's bytes, media type and a download file name (ASCII only)."""
    _check_memo_choice(fmt, lang)
    day = date or japan_today()
    return document_file(build_memo(s, lang, day, privileged), fmt, day), MEDIA[fmt], f"fdiscreen-memo-{_slug(s.matter)}-{lang}.{fmt}"


def comparison_file(screenings: list[Screening], fmt: str, lang: LangChoice, date: dt.date | None = None) -> tuple[bytes, str, str]:
    """The bid-comparison memo's bytes, media type and download file name."""
    _check_memo_choice(fmt, lang)
    day = date or japan_today()
    return document_file(build_comparison(screenings, lang, day), fmt, day), MEDIA[fmt], f"fdiscreen-comparison-{len(screenings)}-bids-{lang}.{fmt}"


def _check_memo_choice(fmt: str, lang: str) -> None:
    if fmt not in MEDIA:
        raise FdiscreenError(f"unsupported memo format {fmt!r}", path="format", expected="pdf, docx, md or html")
    if lang not in ("en", "ja", "both"):
        raise FdiscreenError(f"unknown language {lang!r}", path="lang", expected="en, ja or both")


def document_file(doc: Document, fmt: str, day: dt.date) -> bytes:
    """A document rendered to ``fmt`` in memory (renderers keep process-wide state: one at a time)."""
    with _RENDER_LOCK:
        if fmt == "pdf":
            from fdiscreen.render.pdf import to_pdf_bytes

            return to_pdf_bytes(doc, day)
        if fmt == "md":
            from fdiscreen.render.markdown import to_markdown

            return to_markdown(doc).encode("utf-8")
        from fdiscreen.render.output import write_document

        with tempfile.TemporaryDirectory(prefix="fdiscreen-memo-") as folder:
            path = Path(folder) / f"memo.{fmt}"
            write_document(doc, path, day)
            return path.read_bytes()


def _download(data: bytes, media: str, name: str) -> Response:
    return Response(content=data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


@lru_cache(maxsize=6)
def _replay(rules: str, day: dt.date, lang: PageLang) -> dict[str, Any]:
    """Replay the case library under ``rules`` with 'today' = ``day``, evaluate, and draw the plots."""
    from fdiscreen import cases

    table = cases.replay(None, rules, day)  # type: ignore[arg-type]
    ev = cases.evaluate(table)
    import matplotlib.pyplot as plt

    with _RENDER_LOCK, tempfile.TemporaryDirectory(prefix="fdiscreen-replay-") as folder:
        drawn = cases.plot(table, ev, Path(folder), lang)
        plots = {p.name: p.read_bytes() for p in drawn["paths"].values()}
        for fig in drawn["figures"].values():
            plt.close(fig)
    return {"table": table, "evaluation": ev, "plots": plots}


@lru_cache(maxsize=1)
def _library() -> Any:
    from fdiscreen import cases

    return cases.load()


def _figure_png(fig: Any) -> bytes:
    from fdiscreen.render import figures

    with _RENDER_LOCK:
        return figures.png(fig, zoom=1.5)


def _error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"error": message}, status_code=status)
    ctx = _ctx(request)
    key = "too_large" if status == 413 else "internal_error" if status >= 500 else "error"
    return HTMLResponse(pages.message_page(ctx, key, message), status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "request: invalid"
    err = errors[0]
    loc = list(err.get("loc", ()))
    where = str(loc[0]) if loc else "request"
    path = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc[1:]))
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    return FdiscreenError(msg, file=where, path=path or None).one_line()


class BatchRuns:
    """The CSV downloads of the last few tables screened on the batch page, in this process's memory
    only (deal data never leaves the machine and is gone when the workbench stops)."""

    def __init__(self, keep: int = 4) -> None:
        self.keep_last = keep
        self.runs: OrderedDict[str, dict[str, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def keep(self, results: Any, errors: Any) -> str:
        run_id = secrets.token_urlsafe(12)
        tables = {"results": csv_bytes(results), "errors": csv_bytes(errors)}
        with self.lock:
            self.runs[run_id] = tables
            while len(self.runs) > self.keep_last:
                self.runs.popitem(last=False)
        return run_id

    def get(self, run_id: str, table: str) -> bytes | None:
        with self.lock:
            return self.runs.get(run_id, {}).get(table)


_BATCH_RUNS = BatchRuns()


# -- the app --------------------------------------------------------------------------------------

def create_app(token: str | None = None) -> FastAPI:
    """The workbench. With ``token``, every request must carry it (header X-Fdiscreen-Token or ?token=)."""
    _check_token(token)
    app = FastAPI(title="fdiscreen", version=__version__, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Screen foreign investments into Japanese companies under FEFTA (外為法). Local only; not legal advice.")
    app.state.token = token
    app.add_middleware(Guard, token=token)

    @app.exception_handler(RequestValidationError)
    async def _on_validation(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, 422, _validation_message(exc))

    @app.exception_handler(FdiscreenError)
    async def _on_fdiscreen(request: Request, exc: FdiscreenError) -> Response:
        return _error_response(request, 422, exc.one_line())

    @app.exception_handler(TooLarge)
    async def _on_too_large(request: Request, exc: TooLarge) -> Response:
        return _error_response(request, 413, str(exc))

    @app.exception_handler(Exception)
    async def _on_crash(request: Request, exc: Exception) -> Response:
        return _error_response(request, 500, f"internal error: {type(exc).__name__}: {exc}"[:500])

    # -- pages ----------------------------------------------------------------------------------

    def _form(ctx: pages.Ctx, status: int = 200, **kw: Any) -> HTMLResponse:
        html = pages.form_page(ctx, _activities(), _measures(), load_catalog().countries, **kw)
        return HTMLResponse(html, status_code=status)

    async def _result(ctx: pages.Ctx, deal: Deal, mitigate: list[str], as_of: dt.date | None, amendment: dt.date | None) -> HTMLResponse:
        s = await run_in_threadpool(screen, deal, as_of, None, amendment, None, None, mitigate)
        measures = _measures(s.regime.as_of)
        deal_json = deal.model_dump_json(exclude_defaults=True)
        html = pages.result_page(ctx, s, deal_json, measures, mitigate, as_of.isoformat() if as_of else None,
                                 amendment.isoformat() if amendment else None)
        return HTMLResponse(html)

    @app.get("/font/ipaexg.ttf", include_in_schema=False)
    async def font() -> Response:
        """The Japanese font the memos embed (IPAexGothic), so pages read the same without a Japanese system font."""
        from fdiscreen.render.fonts import japanese_font_path

        return FileResponse(japanese_font_path(), media_type="font/ttf", headers={"cache-control": "max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request) -> HTMLResponse:
        return _form(_ctx(request))

    @app.post("/screen", response_class=HTMLResponse, include_in_schema=False)
    async def screen_form(request: Request) -> HTMLResponse:
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        values = _form_values(form)
        data: dict[str, Any] | None = None
        try:
            data = deal_from_form(values, [m for m in values["measure"] if m])
            amendment = _date(values.get("amendment_effective"), "amendment_effective")
            deal = parse_deal(data, file=FORM_FILE)
            return await _result(ctx, deal, [], None, amendment)
        except FdiscreenError as exc:
            return _form(ctx, 422, values=values, error=exc.one_line(), invalid=form_field(exc.path or "", data, values))

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request) -> HTMLResponse:
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        try:
            name, raw = await _uploaded_file(form, "deal_file", "a deal file (.yaml, .yml or .json)", MAX_UPLOAD_BYTES)
            data = parse_upload(name, raw)
            deal = parse_deal(data, file=name)
            as_of = _date(form.get("as_of"), "as_of")
            amendment = _date(form.get("amendment_effective"), "amendment_effective")
            return await _result(ctx, deal, [], as_of, amendment)
        except TooLarge as exc:
            return _form(ctx, 413, upload_error=str(exc))
        except FdiscreenError as exc:
            return _form(ctx, 422, upload_error=exc.one_line())

    async def _state(form: FormData) -> tuple[Deal, list[str], dt.date | None, dt.date | None]:
        """The deal and options a result page's form carries back."""
        raw = form.get("deal")
        if not isinstance(raw, str) or not raw.strip():
            raise FdiscreenError("the result form carries no deal", path="deal", expected="resubmit from the result page")
        deal = _page_deal(raw, "page")
        mitigate = _measure_ids([v for v in form.getlist("mitigate") if isinstance(v, str)], "mitigate")
        return deal, mitigate, _date(form.get("as_of"), "as_of"), _date(form.get("amendment_effective"), "amendment_effective")

    @app.post("/result", response_class=HTMLResponse, include_in_schema=False)
    async def result(request: Request) -> HTMLResponse:
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        deal, mitigate, as_of, amendment = await _state(form)
        return await _result(ctx, deal, mitigate, as_of, amendment)

    @app.post("/memo", include_in_schema=False)
    async def memo(request: Request) -> Response:
        form = await request.form()
        deal, mitigate, as_of, amendment = await _state(form)
        fmt, lang = _memo_choice(form)
        s = await run_in_threadpool(screen, deal, as_of, None, amendment, None, None, mitigate)
        data, media, name = await run_in_threadpool(memo_file, s, fmt, lang)
        return _download(data, media, name)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_get(request: Request) -> HTMLResponse:
        return HTMLResponse(pages.compare_page(_ctx(request)))

    @app.post("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_post(request: Request) -> HTMLResponse:
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
        try:
            if not MIN_BIDS <= len(files) <= MAX_BIDS:
                raise FdiscreenError(f"{len(files)} file(s) uploaded", path="files", expected=f"{MIN_BIDS} to {MAX_BIDS} deal files")
            as_of = _date(form.get("as_of"), "as_of")
            screenings, deals = [], []
            for item in files:
                name = upload_name(item.filename)
                deal = parse_deal(parse_upload(name, await item.read(MAX_UPLOAD_BYTES + 1)), file=name)
                deals.append(deal.model_dump_json(exclude_defaults=True))
                screenings.append(await run_in_threadpool(screen, deal, as_of))
            doc = build_comparison(screenings, ctx.lang)
            html = await run_in_threadpool(pages.compare_page, ctx, doc, None, _figure_png, deals, as_of.isoformat() if as_of else None)
            return HTMLResponse(html)
        except TooLarge as exc:
            return HTMLResponse(pages.compare_page(ctx, error=str(exc)), status_code=413)
        except FdiscreenError as exc:
            return HTMLResponse(pages.compare_page(ctx, error=exc.one_line()), status_code=422)

    @app.post("/compare/memo", include_in_schema=False)
    async def compare_memo(request: Request) -> Response:
        form = await request.form()
        raws = [v for v in form.getlist("deal") if isinstance(v, str)]
        if not MIN_BIDS <= len(raws) <= MAX_BIDS:
            raise FdiscreenError(f"{len(raws)} deal(s) carried", path="deal", expected=f"{MIN_BIDS} to {MAX_BIDS} deals: compare again from the comparison page")
        as_of = _date(form.get("as_of"), "as_of")
        screenings = [await run_in_threadpool(screen, _page_deal(raw, f"bid {i + 1}"), as_of) for i, raw in enumerate(raws)]
        fmt, lang = _memo_choice(form)
        data, media, name = await run_in_threadpool(comparison_file, screenings, fmt, lang)
        return _download(data, media, name)

    @app.get("/batch", response_class=HTMLResponse, include_in_schema=False)
    async def batch_get(request: Request) -> HTMLResponse:
        return HTMLResponse(pages.batch_page(_ctx(request), batch.COLUMNS))

    @app.post("/batch", response_class=HTMLResponse, include_in_schema=False)
    async def batch_post(request: Request) -> HTMLResponse:
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        try:
            name, raw = await _uploaded_file(form, "table", "a table of deals (.csv, .parquet or .jsonl)", MAX_TABLE_BYTES)
            rows = batch.read_rows_bytes(name, raw)
            count = len(rows.records) + len(rows.errors)
            if count > MAX_TABLE_ROWS:
                raise FdiscreenError(f"{count:,} rows", file=name, expected=f"at most {MAX_TABLE_ROWS:,} rows here (`fdiscreen batch` takes any number)")
            as_of = _date(form.get("as_of"), "as_of")
            results, errors = await run_in_threadpool(batch.screen_rows, rows, as_of)
            run = pages.BatchRun(name, results, errors, _BATCH_RUNS.keep(results, errors))
            return HTMLResponse(pages.batch_page(ctx, batch.COLUMNS, run))
        except TooLarge as exc:
            return HTMLResponse(pages.batch_page(ctx, batch.COLUMNS, error=str(exc)), status_code=413)
        except FdiscreenError as exc:
            return HTMLResponse(pages.batch_page(ctx, batch.COLUMNS, error=exc.one_line()), status_code=422)

    @app.get("/batch/{run_id}/{table}.csv", include_in_schema=False)
    async def batch_download(request: Request, run_id: str, table: str) -> Response:
        data = _BATCH_RUNS.get(run_id, table)
        if data is None:
            ctx = _ctx(request)
            return HTMLResponse(pages.batch_page(ctx, batch.COLUMNS, error=t("batch_gone", ctx.lang)), status_code=404)
        return _download(data, "text/csv; charset=utf-8", f"fdiscreen-batch-{table}.csv")

    @app.get("/cases", response_class=HTMLResponse, include_in_schema=False)
    async def cases_page(request: Request) -> HTMLResponse:
        ctx = _ctx(request)
        rules = request.query_params.get("rules")
        library = await run_in_threadpool(_library)
        if rules is None:
            return HTMLResponse(pages.cases_page(ctx, library))
        if rules not in RULES:
            return HTMLResponse(pages.cases_page(ctx, library, error=FdiscreenError(
                f"unknown rules {rules[:40]!r}", path="rules", expected="decision-date, today or amended").one_line()), status_code=422)
        replayed = await run_in_threadpool(_replay, rules, japan_today(), ctx.lang)
        return HTMLResponse(pages.cases_page(ctx, library, rules, replayed))

    # -- JSON API -------------------------------------------------------------------------------

    body_doc = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScreenRequest"}}}}}
    errors_doc: dict[int | str, dict[str, Any]] = {
        413: {"description": f"body larger than {MAX_UPLOAD_BYTES // 1024} KB", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
        422: {"description": "bad input: the one-line message names the field and what was expected",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
    }

    async def _api_input(request: Request, as_of: dt.date | None, mitigate: list[str], amendment: dt.date | None) -> tuple[Deal, dt.date | None, list[str], dt.date | None]:
        raw = await request.body()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise TooLarge("request body", MAX_UPLOAD_BYTES)
        if not raw.strip():
            raise FdiscreenError("empty body", file="request body", expected="a deal as JSON (GET /api/schema)")
        data = _json_mapping(raw, "request body")
        body_mitigate = _measure_ids(data.pop("mitigate", None), "mitigate")
        body_amendment = _date(data.pop("amendment_effective", None), "amendment_effective")
        deal = parse_deal(data, file="request body")
        return deal, as_of, list(dict.fromkeys([*body_mitigate, *mitigate])), amendment or body_amendment

    @app.post("/api/screen", tags=["api"], openapi_extra=body_doc,
              responses={200: {"description": "the Screening (same JSON as `fdiscreen screen --json`)",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Screening"}}}}, **errors_doc})
    async def api_screen(request: Request,
                         as_of: dt.date | None = Query(None, description="date of the law to apply (default: the deal's as_of, else today)"),
                         mitigate: list[str] = Query([], description="risk-mitigation measure to apply (repeatable)"),
                         amendment_effective: dt.date | None = Query(None, description="model the 2026 amendment as effective from this date")) -> Response:
        """Screen a deal: the filing determination and risk assessment as `fdiscreen screen --json` prints it."""
        deal, as_of, mit, amendment = await _api_input(request, as_of, mitigate, amendment_effective)
        s = await run_in_threadpool(screen, deal, as_of, None, amendment, None, None, mit)
        return JSONResponse(s.model_dump(mode="json"))

    @app.post("/api/memo", tags=["api"], openapi_extra=body_doc, response_class=Response,
              responses={200: {"description": "the memo file", "content": {m.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                                                                           for m in MEDIA.values()}}, **errors_doc})
    async def api_memo(request: Request,
                       format: MemoFormat = Query("pdf", description="memo format"),  # noqa: A002 - the public parameter name
                       lang: Literal["en", "ja", "both"] = Query("en", description="memo language"),
                       as_of: dt.date | None = Query(None, description="date of the law to apply"),
                       mitigate: list[str] = Query([], description="risk-mitigation measure to apply (repeatable)"),
                       amendment_effective: dt.date | None = Query(None, description="model the 2026 amendment as effective from this date"),
                       date: dt.date | None = Query(None, description="memo date (default today)"),
                       privileged: bool = Query(False, description="mark the memo privileged and confidential")) -> Response:
        """Screen a deal and return its memo (PDF with the Japanese font embedded, DOCX, Markdown or HTML)."""
        deal, as_of, mit, amendment = await _api_input(request, as_of, mitigate, amendment_effective)
        s = await run_in_threadpool(screen, deal, as_of, None, amendment, None, None, mit)
        data, media, name = await run_in_threadpool(memo_file, s, format, lang, date, privileged)
        return _download(data, media, name)

    @app.get("/api/factors", tags=["api"], responses=errors_doc)
    async def api_factors(as_of: dt.date | None = Query(None, description="date of the law (default today)"),
                          lang: Literal["en", "ja"] = Query("en")) -> JSONResponse:
        """The law as encoded on a date: every threshold and list, the activity catalog with classes, and the
        risk-mitigation measures (like `fdiscreen factors --json` and `--activities`)."""
        return JSONResponse(await run_in_threadpool(factors_json, as_of or japan_today(), lang))

    @app.get("/api/schema", tags=["api"])
    async def api_schema() -> JSONResponse:
        """JSON Schema of deal files (`fdiscreen schema`)."""
        return JSONResponse(Deal.model_json_schema())

    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        comps = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in (ScreenRequest, Screening):
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}",
                                             mode="validation" if model is ScreenRequest else "serialization")
            for name, sub in schema.pop("$defs", {}).items():
                if name in comps and comps[name] != sub:
                    raise RuntimeError(f"OpenAPI component {name} defined twice")
                comps[name] = sub
            comps[model.__name__] = schema
        comps["ApiError"] = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
        if app.state.token is not None:
            spec["components"]["securitySchemes"] = {"token": {"type": "apiKey", "in": "header", "name": TOKEN_HEADER}}
            spec["security"] = [{"token": []}]
        app.openapi_schema = spec
        return spec

    app.openapi = custom_openapi  # type: ignore[method-assign]
    return app


def _page_deal(raw: str, name: str) -> Deal:
    """A deal a page carried back as JSON, validated like any deal file."""
    return parse_deal(_json_mapping(raw, name), file=name)


def _json_mapping(raw: str | bytes, name: str) -> dict[str, Any]:
    """A JSON object from a request (NaN and Infinity refused, each key once), size-checked like a deal file."""
    try:
        data = strict_json_loads(raw)
    except FdiscreenError as exc:
        raise exc.with_file(name) from None
    except json.JSONDecodeError as exc:
        raise json_error(exc, name) from None
    except (ValueError, RecursionError) as exc:
        raise FdiscreenError(f"not valid JSON: {str(exc)[:80]}", file=name) from None
    return deal_mapping(data, name)


def factors_json(as_of: dt.date, lang: str = "en") -> dict[str, Any]:
    regime = make_regime(as_of)
    lg = "ja" if lang == "ja" else "en"
    items, activities = regime.item_rows(lg, False), regime.item_rows(lg, True)
    measures = [{"id": m.id, "text": m.text.get(lg), "side": m.side, "addresses": m.addresses} for m in catalog(regime).values()]
    data = {"as_of": as_of.isoformat(), "version": regime.version, "items": items, "activities": activities,
            "risk_mitigation_measures": measures}
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _check_token(token: str | None) -> None:
    if token is not None and not token.strip():
        raise FdiscreenError("empty token", path="--token", expected="a non-empty secret")


def check_host(host: str, token: str | None) -> None:
    """Listen only on the loopback interface unless a token guards every request."""
    bare = host.strip().strip("[]").lower()
    _check_token(token)
    if bare not in LOCAL_HOSTS and token is None:
        raise FdiscreenError(f"refusing to listen on {host!r} without a token", path="--host",
                             expected="127.0.0.1, localhost or ::1; or give a token that every request must carry")


def serve(host: str = "127.0.0.1", port: int = 8765, token: str | None = None) -> None:
    """Run the workbench with uvicorn (blocks until stopped)."""
    check_host(host, token)
    import uvicorn

    uvicorn.run(create_app(token), host=host.strip("[]"), port=port, log_level="info", server_header=False, proxy_headers=False,
                access_log=False)
