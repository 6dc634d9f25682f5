"""The web workbench and JSON API (FastAPI). ``create_app(token)`` builds it; ``serve`` runs it with
uvicorn on the loopback interface, or on another interface only when every request must carry a token.

Pages: ``/`` (screening form and deal-file upload, straight to a result or into the form), ``/result``
(re-screen with mitigation toggles; the ownership chart; downloads of the memo, the deal file and the
Screening as JSON), ``/memo`` (memo download), ``/compare`` (bid comparison), ``/batch`` (a table of
deals, with CSV downloads), ``/cases`` (case library and replay) and ``/cases/{case_id}`` (one case),
``/history`` (screenings run from the form or an upload, kept in a local DuckDB file: reopen, edit,
delete; see ``fdiscreen.web.history``). Page POSTs sent by a browser from another site are refused.
API: ``POST /api/screen`` (the same JSON as ``fdiscreen screen --json``), ``POST /api/memo``,
``GET /api/factors``, ``GET /api/schema``; the OpenAPI spec is at ``/openapi.json``.

Bad input answers 422 with ``{"error": "<the one-line FdiscreenError message>"}``; a body over the cap
413; a missing or wrong token 401. Memos (``/memo``, ``/compare/memo``, ``/api/memo``) are rendered in
worker processes (``fdiscreen.web.memo_pool``) with a time limit (503 past it) and a size limit, so a
heavy memo does not delay other requests. The access log redacts the token. Nothing is fetched from,
or sent to, the network.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import logging
import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote_plus

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
from fdiscreen.model import EARLIEST_DATE, HORIZON, ISO_DATE, MAX_MAGNITUDE, Deal, outside_dates
from fdiscreen.regime import load_catalog, make_regime
from fdiscreen.render.memo import build_comparison
from fdiscreen.screening import Screening, screen
from fdiscreen.web import history, pages
from fdiscreen.web.memo_pool import MEMO_MAX_BYTES, MEMO_QUEUE_LIMIT_S, MEMO_TIME_LIMIT_S, MemoJob, MemoPool, MemoUnavailable
from fdiscreen.web.forms import (FORM_FILE, MAX_BIDS, MAX_REQUEST_BYTES, MAX_TABLE_BYTES, MAX_TABLE_ROWS, MAX_UPLOAD_BYTES, MIN_BIDS, TooLarge,
                                 deal_from_form, form_field, form_gaps, form_values, parse_upload, upload_name)
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
# Plotting (matplotlib) keeps process-wide state: one figure at a time (memos render in MemoPool workers).
_RENDER_LOCK = threading.Lock()

API_DESCRIPTION = (
    "Screen foreign investments into Japanese companies under FEFTA (外為法). Local only; not legal advice.\n\n"
    "Bad input is answered 422 with `{\"error\": \"<one line naming the field and what was expected>\"}`, the message "
    "`fdiscreen` prints on the command line; a body over the cap 413; a missing or wrong token 401. "
    "Besides its JSON Schema, a deal must satisfy rules that JSON Schema cannot state, each refused with 422: ids "
    "(`acquirer`, owners, partners, `nominee.acting_for`, `indirect.holding_entity`) name entities in `entities`; "
    "entity ids are unique; countries are ISO 3166-1 alpha-2 codes; activity codes come from GET /api/factors; "
    "an entity's voting holdings add up to at most 100%; a share acquisition does not lower the stake; a loan, "
    "indirect acquisition or former resident's transfer carries its own block and no other kind carries it; "
    "an indirect acquisition's holding entity is not the acquirer and the acquirer's voting in it does not fall; "
    "a numeric JSIC activity code covers a catalogued activity. JSON types are taken as the schema states them "
    "(a number is not a string, a date is a YYYY-MM-DD string, a boolean is true or false), and a query parameter "
    "an operation does not document is refused.\n\n"
    f"Memos are rendered in separate worker processes with limits (settings of the workbench, not law): a memo that "
    f"takes longer than {MEMO_TIME_LIMIT_S:g} s to screen and render, or that waits longer than {MEMO_QUEUE_LIMIT_S:g} s "
    f"for a free renderer, is answered 503 with a Retry-After header and the same one-line JSON error (the only 5xx "
    f"the API gives by design; `fdiscreen screen --memo` has no such limit); a memo larger than "
    f"{MEMO_MAX_BYTES // (1024 * 1024)} MB is refused with 422."
)


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


def cross_site(headers: dict[str, str]) -> bool:
    """Did a browser send this request from another site (a form on a web page posting to the
    workbench)? Read from Sec-Fetch-Site, else from an Origin that names another host. The pages send
    no referrer, so a same-origin post may carry ``Origin: null``; that is not taken as another site."""
    fetch_site = headers.get("sec-fetch-site", "").strip().lower()
    if fetch_site:
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("origin", "").strip().lower()
    if not origin or origin == "null":
        return False
    return origin.split("://", 1)[-1].rstrip("/") != headers.get("host", "").strip().lower()


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
        if scope.get("method") == "POST" and not scope.get("path", "").startswith("/api/") and cross_site(headers):
            await _plain(send, 403, {"error": "cross-site request refused: the workbench's pages take form posts from its own pages only"})
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
    """A date from a form field or JSON value: YYYY-MM-DD (nothing else), within the dates a deal may name."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return _in_range(value, path)
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return _in_range(dt.date.fromisoformat(value.strip()), path)
        except ValueError:
            pass
    raise FdiscreenError(f"not a date: {str(value)[:40]!r}", path=path, expected="a date YYYY-MM-DD")


def _in_range(day: dt.date | None, path: str) -> dt.date | None:
    """The same bounds as the deal model's dates (fdiscreen.model.EARLIEST_DATE to HORIZON)."""
    if day is not None and (why := outside_dates(day)):
        raise FdiscreenError(why, path=path, expected=f"a date from {EARLIEST_DATE.isoformat()} to {HORIZON.isoformat()}")
    return day


def _known_query(request: Request) -> None:
    """An API request names only the query parameters its operation documents (and the token): a
    misspelt option is an error, not silently ignored."""
    route = request.scope.get("route")
    known = {p.alias for p in getattr(getattr(route, "dependant", None), "query_params", [])} | {"token"}
    for name in request.query_params:
        if name not in known:
            raise FdiscreenError(f"unknown query parameter {name[:40]!r}", file="query",
                                 expected=f"one of {', '.join(sorted(known - {'token'})) or 'none'}")


def _query_date(value: str | None, name: str) -> dt.date | None:
    """A date query parameter: YYYY-MM-DD only (not a timestamp, not empty), within the deal model's bounds."""
    try:
        if value is not None and not value.strip():
            raise FdiscreenError("empty", path=name, expected="a date YYYY-MM-DD, or leave the parameter out")
        return _date(value, name)
    except FdiscreenError as exc:
        raise exc.with_file("query") from None


_JSON_TYPE_NAMES = {"string": "a string", "number": "a number", "integer": "an integer", "boolean": "true or false",
                    "object": "an object", "array": "a list", "null": "null", "date": "a date YYYY-MM-DD"}


def _type_name(node: dict[str, Any]) -> str:
    return _JSON_TYPE_NAMES["date" if node.get("format") == "date" else str(node.get("type"))] if node.get("type") else "a value"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", dict: "object", list: "array"}.get(type(value), "value")


def _has_type(value: Any, node: dict[str, Any]) -> bool:
    """Does a JSON value have the schema node's type (JSON Schema's: 2.0 is an integer), and is a
    ``format: date`` string a plain YYYY-MM-DD?"""
    wanted = node.get("type")
    if wanted is None:
        return True
    given = _json_type(value)
    if given == "string" and node.get("format") == "date" and not ISO_DATE.fullmatch(value):
        return False
    return (given == wanted or (wanted == "number" and given == "integer")
            or (wanted == "integer" and given == "number" and float(value).is_integer()))


@lru_cache(maxsize=1)
def _request_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    schema = ScreenRequest.model_json_schema()
    return schema, schema.get("$defs", {})


def json_type_mismatch(data: Any) -> tuple[str, str, str] | None:
    """The first value of a request body whose JSON type is not the one ScreenRequest's schema gives
    (path, type given, types expected); None when every type fits. Iterative: no recursion on depth."""
    root, defs = _request_schema()

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        return defs[ref.rsplit("/", 1)[-1]] if isinstance(ref, str) else node

    stack: list[tuple[str, Any, dict[str, Any]]] = [("", data, root)]
    while stack:
        path, value, node = stack.pop()
        node = resolve(node)
        if "anyOf" in node:
            branches = [resolve(b) for b in node["anyOf"]]
            fitting = [b for b in branches if _has_type(value, b)]
            if not fitting:
                return path, _json_type(value), " or ".join(_type_name(b) for b in branches)
            node = fitting[0]
        if not _has_type(value, node):
            return path, _json_type(value), _type_name(node)
        if isinstance(value, dict):
            props, extra = node.get("properties", {}), node.get("additionalProperties")
            for key, item in value.items():
                sub = props.get(key, extra if isinstance(extra, dict) else None)
                if sub is not None:
                    stack.append((f"{path}.{key}" if path else str(key), item, sub))
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            stack.extend((f"{path}[{i}]", item, node["items"]) for i, item in enumerate(value))
    return None


def _check_json_types(data: dict[str, Any]) -> None:
    """The API takes JSON types as its schema states them: a number is not a string, a date not a
    number, a boolean only true or false (deal files, typed by hand, are read leniently)."""
    mismatch = json_type_mismatch(data)
    if mismatch:
        path, given, wanted = mismatch
        raise FdiscreenError(f"{_JSON_TYPE_NAMES.get(given, 'a value')} where {wanted} is expected", file="request body",
                             path=path or None)


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


def _check_memo_choice(fmt: str, lang: str) -> None:
    if fmt not in MEDIA:
        raise FdiscreenError(f"unsupported memo format {fmt!r}", path="format", expected="pdf, docx, md or html")
    if lang not in ("en", "ja", "both"):
        raise FdiscreenError(f"unknown language {lang!r}", path="lang", expected="en, ja or both")


def memo_name(matter: str, lang: str, fmt: str) -> str:
    """The memo's download file name (ASCII only)."""
    return f"fdiscreen-memo-{_slug(matter)}-{lang}.{fmt}"


def comparison_name(bids: int, lang: str, fmt: str) -> str:
    return f"fdiscreen-comparison-{bids}-bids-{lang}.{fmt}"


def _download(data: bytes, media: str, name: str) -> Response:
    return Response(content=data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


DEAL_MEDIA = {"yaml": "application/yaml; charset=utf-8", "json": "application/json"}


def deal_file(deal: Deal, fmt: str) -> bytes:
    """A deal as a deal file (the format of `fdiscreen schema`, read back by `fdiscreen check` and
    ``fdiscreen.load``): the model's JSON data without the fields left at their defaults, as YAML or JSON."""
    data = deal.model_dump(mode="json", exclude_defaults=True)
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def deal_file_name(matter: str, fmt: str) -> str:
    """The deal file's download name (ASCII only)."""
    return f"fdiscreen-deal-{_slug(matter)}.{fmt}"


def _check_deal_format(fmt: str) -> None:
    if fmt not in DEAL_MEDIA:
        raise FdiscreenError(f"unsupported deal file format {fmt[:20]!r}", path="format", expected="yaml or json")


def ownership_chart(s: Screening, lang: PageLang) -> pages.Chart:
    """The ownership chart as the memo draws it (render.charts data, render.figures SVG), in the page's
    language; when it cannot be drawn, a caption saying so (the page still shows the result)."""
    from markupsafe import Markup

    from fdiscreen.render import figures
    from fdiscreen.render.charts import ownership_data
    from fdiscreen.render.document import Figure

    caption = t("ownership_chart", lang)
    try:
        with _RENDER_LOCK:
            drawn = safe_svg(figures.svg(Figure(figure="ownership", data=ownership_data(s, lang), caption=caption)))
    except Exception as exc:  # noqa: BLE001 - a chart that cannot be drawn is reported, the result stays
        return pages.Chart(svg=Markup(""), caption=f"{caption}: {pages.FIGURE_NOT_DRAWN.get(lang)} ({type(exc).__name__})")
    return pages.Chart(svg=Markup(_zoomed(drawn, CHART_ZOOM)), caption=caption)


#: the memo's chart is sized for an A4 page; on screen it is drawn larger (a setting of the workbench)
CHART_ZOOM = 1.6
_SVG_SIZE = re.compile(r'^<svg width="([0-9.]+)" height="([0-9.]+)"')


def _zoomed(svg: str, zoom: float) -> str:
    """The SVG with its width and height scaled (its viewBox keeps the drawing's proportions)."""
    return _SVG_SIZE.sub(lambda m: f'<svg width="{float(m.group(1)) * zoom:.0f}" height="{float(m.group(2)) * zoom:.0f}"', svg, count=1)


_SVG_DRAWING = frozenset({"svg", "g", "path", "rect", "text", "tspan", "line", "polyline", "polygon", "circle", "ellipse", "defs",
                          "clipPath", "title", "desc", "marker", "linearGradient", "stop"})


def safe_svg(svg: str) -> str:
    """The drawn SVG, refused (raises ValueError) if it holds anything but drawing: only drawing elements,
    no event-handler attribute, no reference outside the SVG itself (reportlab escapes the labels it
    writes; this is a backstop so a chart can never carry a script or fetch anything)."""
    import xml.etree.ElementTree as ET

    if "<!DOCTYPE" in svg or "<!ENTITY" in svg:
        raise ValueError("the chart's SVG declares a document type")
    for node in ET.fromstring(svg).iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag not in _SVG_DRAWING:
            raise ValueError(f"the chart's SVG holds a <{tag[:20]}> element")
        for name, value in node.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or (local in ("href", "src") and not value.startswith("#")) or "url(" in value.replace("url(#", ""):
                raise ValueError(f"the chart's SVG has a {local[:20]} attribute that is not drawing")
    return svg


@lru_cache(maxsize=1)
def _case_index() -> dict[str, Any]:
    from fdiscreen import cases

    return {c.meta.id: c for c in cases.load_cases()}


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
    key = "too_large" if status == 413 else "internal_error" if status == 500 else "error"
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

def create_app(token: str | None = None, memo_pool: MemoPool | None = None, data_dir: str | Path | None = None) -> FastAPI:
    """The workbench. With ``token``, every request must carry it (header X-Fdiscreen-Token or ?token=).
    Memos are rendered by ``memo_pool`` (default: a ``MemoPool`` with the workbench's limits, whose
    worker processes start on the first memo and stop when the app shuts down). The screening history
    lives in ``data_dir`` (default: ``$FDISCREEN_DATA_DIR``, else the user's data folder, read per request)."""
    _check_token(token)
    pool = memo_pool or MemoPool()

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        try:
            yield
        finally:
            pool.shutdown()

    app = FastAPI(title="fdiscreen", version=__version__, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description=API_DESCRIPTION, lifespan=lifespan)
    app.state.token = token
    app.state.memo_pool = pool
    app.state.data_dir = Path(data_dir) if data_dir is not None else None
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

    @app.exception_handler(MemoUnavailable)
    async def _on_memo_unavailable(request: Request, exc: MemoUnavailable) -> Response:
        response = _error_response(request, 503, str(exc))
        response.headers["retry-after"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(Exception)
    async def _on_crash(request: Request, exc: Exception) -> Response:
        return _error_response(request, 500, f"internal error: {type(exc).__name__}: {exc}"[:500])

    # -- pages ----------------------------------------------------------------------------------

    def _form(ctx: pages.Ctx, status: int = 200, **kw: Any) -> HTMLResponse:
        html = pages.form_page(ctx, _activities(), _measures(), load_catalog().countries, **kw)
        return HTMLResponse(html, status_code=status)

    def _deal_form(ctx: pages.Ctx, deal: Deal, source: str, as_of: dt.date | None = None, amendment: dt.date | None = None) -> HTMLResponse:
        """The form filled with a deal (from a file or the history), with a note naming what it cannot hold."""
        dumped = deal.model_dump(mode="json")
        values = form_values(dumped)
        if as_of:
            values["as_of"] = as_of.isoformat()
        if amendment:
            values["amendment_effective"] = amendment.isoformat()
        try:
            rebuilt = parse_deal(deal_from_form(values, [m for m in values["measure"] if m]), file=FORM_FILE).model_dump(mode="json")
            gaps = form_gaps({**dumped, "as_of": values.get("as_of")}, {**rebuilt, "as_of": values.get("as_of")})
        except FdiscreenError as exc:
            gaps = [exc.path or exc.one_line()]
        note = t("form_loaded", ctx.lang).format(name=source)
        if gaps:
            note += " " + t("form_gaps", ctx.lang).format(paths=", ".join(gaps))
        return _form(ctx, values=values, note=note)

    async def _result(ctx: pages.Ctx, deal: Deal, mitigate: list[str], as_of: dt.date | None, amendment: dt.date | None, *,
                      save: bool = False, note: str | None = None, s: Screening | None = None) -> HTMLResponse:
        """The result page of a deal; ``save`` keeps the screening in the history (a failure to is said on the page)."""
        if s is None:
            s = await run_in_threadpool(screen, deal, as_of, None, amendment, None, None, mitigate)
        measures = _measures(s.regime.as_of)
        deal_json = deal.model_dump_json(exclude_defaults=True)
        history_id, history_note = None, None
        if save:
            try:
                history_id = await run_in_threadpool(history.save, s, deal_json, mitigate, amendment, app.state.data_dir)
            except FdiscreenError as exc:
                history_note = t("history_not_saved", ctx.lang).format(why=exc.one_line())
        chart = await run_in_threadpool(ownership_chart, s, ctx.lang)
        html = pages.result_page(ctx, s, deal_json, measures, mitigate, as_of.isoformat() if as_of else None,
                                 amendment.isoformat() if amendment else None, chart=chart, note=note, history_id=history_id,
                                 history_note=history_note)
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
            return await _result(ctx, deal, [], None, amendment, save=True)
        except FdiscreenError as exc:
            return _form(ctx, 422, values=values, error=exc.one_line(), invalid=form_field(exc.path or "", data, values))

    @app.post("/form/deal.{fmt}", include_in_schema=False)
    async def form_deal_file(request: Request, fmt: str) -> Response:
        """The form's deal as a deal file (validated first: a bad field re-shows the form with the error)."""
        _check_deal_format(fmt)
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        values = _form_values(form)
        data: dict[str, Any] | None = None
        try:
            data = deal_from_form(values, [m for m in values["measure"] if m])
            deal = parse_deal(data, file=FORM_FILE)
        except FdiscreenError as exc:
            return _form(ctx, 422, values=values, error=exc.one_line(), invalid=form_field(exc.path or "", data, values))
        return _download(deal_file(deal, fmt), DEAL_MEDIA[fmt], deal_file_name(deal.matter, fmt))

    async def _uploaded_deal(form: FormData) -> tuple[str, Deal, dt.date | None, dt.date | None]:
        """The uploaded deal file (checked like any deal file) and the dates the upload form gives."""
        name, raw = await _uploaded_file(form, "deal_file", "a deal file (.yaml, .yml or .json)", MAX_UPLOAD_BYTES)
        deal = parse_deal(parse_upload(name, raw), file=name)
        return name, deal, _date(form.get("as_of"), "as_of"), _date(form.get("amendment_effective"), "amendment_effective")

    async def _from_upload(request: Request, then: Any) -> HTMLResponse:
        """Read the uploaded deal file and hand it on (``then``); a file too large or not a valid deal comes
        back to the form with the reason."""
        form = await request.form()
        ctx = _ctx(request, form.get("lang"))
        try:
            return await then(ctx, *await _uploaded_deal(form))
        except TooLarge as exc:
            return _form(ctx, 413, upload_error=str(exc))
        except FdiscreenError as exc:
            return _form(ctx, 422, upload_error=exc.one_line())

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request) -> HTMLResponse:
        async def screened(ctx: pages.Ctx, name: str, deal: Deal, as_of: dt.date | None, amendment: dt.date | None) -> HTMLResponse:
            return await _result(ctx, deal, [], as_of, amendment, save=True)

        return await _from_upload(request, screened)

    @app.post("/upload/form", response_class=HTMLResponse, include_in_schema=False)
    async def upload_to_form(request: Request) -> HTMLResponse:
        """A deal file loaded into the form (prefilled, editable), checked like any deal file first."""
        async def in_form(ctx: pages.Ctx, name: str, deal: Deal, as_of: dt.date | None, amendment: dt.date | None) -> HTMLResponse:
            return _deal_form(ctx, deal, name, as_of, amendment)

        return await _from_upload(request, in_form)

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

    @app.post("/result/deal.{fmt}", include_in_schema=False)
    async def result_deal_file(request: Request, fmt: str) -> Response:
        """The deal a result page screened, as a deal file."""
        _check_deal_format(fmt)
        deal, _, _, _ = await _state(await request.form())
        return _download(deal_file(deal, fmt), DEAL_MEDIA[fmt], deal_file_name(deal.matter, fmt))

    @app.post("/result/screening.json", include_in_schema=False)
    async def result_screening_json(request: Request) -> Response:
        """The Screening of a result page (the deal and its options), as POST /api/screen answers it."""
        deal, mitigate, as_of, amendment = await _state(await request.form())
        s = await run_in_threadpool(screen, deal, as_of, None, amendment, None, None, mitigate)
        body = json.dumps(s.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8")
        return _download(body, "application/json", f"fdiscreen-screening-{_slug(deal.matter)}.json")

    # -- history --------------------------------------------------------------------------------

    def _history_page(ctx: pages.Ctx, page_no: int = 1, note: str | None = None, status: int = 200) -> HTMLResponse:
        where = str(history.history_path(app.state.data_dir))
        try:
            entries, total = history.listing(page_no, app.state.data_dir)
        except FdiscreenError as exc:
            return HTMLResponse(pages.history_page(ctx, [], 0, 1, history.PAGE_SIZE, where, error=exc.one_line(), note=note), status_code=status)
        return HTMLResponse(pages.history_page(ctx, entries, total, page_no, history.PAGE_SIZE, where, note=note), status_code=status)

    def _page_number(value: Any) -> int:
        text = str(value or "1").strip()
        if not text.isdigit() or not 1 <= int(text) <= 10**9:
            raise FdiscreenError(f"not a page number: {text[:20]!r}", path="page", expected="a whole number from 1")
        return int(text)

    async def _history_entry(ctx: pages.Ctx, entry_id: int) -> history.Entry | HTMLResponse:
        try:
            entry = await run_in_threadpool(history.get, entry_id, app.state.data_dir)
        except FdiscreenError as exc:
            return HTMLResponse(pages.history_page(ctx, [], 0, 1, history.PAGE_SIZE, error=exc.one_line()))
        if entry is None:
            return _history_page(ctx, note=t("history_gone", ctx.lang).format(id=entry_id), status=404)
        return entry

    @app.get("/history", response_class=HTMLResponse, include_in_schema=False)
    async def history_list(request: Request) -> HTMLResponse:
        ctx = _ctx(request)
        return await run_in_threadpool(_history_page, ctx, _page_number(request.query_params.get("page")))

    @app.get("/history/{entry_id}", response_class=HTMLResponse, include_in_schema=False)
    async def history_open(request: Request, entry_id: int) -> HTMLResponse:
        """Re-screen a stored deal with the options it was screened with; say if the fingerprint moved."""
        ctx = _ctx(request)
        entry = await _history_entry(ctx, entry_id)
        if isinstance(entry, HTMLResponse):
            return entry
        deal = _page_deal(entry.deal_json, "history")
        s = await run_in_threadpool(screen, deal, entry.as_of, None, entry.amendment_effective, None, None, entry.mitigate)
        if s.regime.version != entry.regime_version:
            note = t("history_law_changed", ctx.lang).format(saved=entry.saved_at, old=entry.regime_version, new=s.regime.version)
        elif s.fingerprint != entry.fingerprint:
            note = t("history_fingerprint_changed", ctx.lang).format(saved=entry.saved_at, old=entry.fingerprint[:12], new=s.fingerprint[:12])
        else:
            note = t("history_same", ctx.lang).format(saved=entry.saved_at)
        return await _result(ctx, deal, entry.mitigate, entry.as_of, entry.amendment_effective, note=note, s=s)

    @app.get("/history/{entry_id}/form", response_class=HTMLResponse, include_in_schema=False)
    async def history_edit(request: Request, entry_id: int) -> HTMLResponse:
        ctx = _ctx(request)
        entry = await _history_entry(ctx, entry_id)
        if isinstance(entry, HTMLResponse):
            return entry
        return _deal_form(ctx, _page_deal(entry.deal_json, "history"), f"#{entry.id} {entry.matter}", entry.as_of, entry.amendment_effective)

    @app.post("/history/{entry_id}/delete", response_class=HTMLResponse, include_in_schema=False)
    async def history_delete(request: Request, entry_id: int) -> HTMLResponse:
        ctx = _ctx(request)
        page_no = _page_number(request.query_params.get("page"))
        try:
            gone = await run_in_threadpool(history.delete, entry_id, app.state.data_dir)
        except FdiscreenError as exc:
            return HTMLResponse(pages.history_page(ctx, [], 0, 1, history.PAGE_SIZE, error=exc.one_line()))
        key = "history_deleted" if gone else "history_gone"
        return await run_in_threadpool(_history_page, ctx, page_no, t(key, ctx.lang).format(id=entry_id), 200 if gone else 404)

    @app.post("/memo", include_in_schema=False)
    async def memo(request: Request) -> Response:
        form = await request.form()
        deal, mitigate, as_of, amendment = await _state(form)
        fmt, lang = _memo_choice(form)
        _check_memo_choice(fmt, lang)
        job = MemoJob("memo", [deal], fmt, lang, japan_today(), as_of, amendment, mitigate)
        return _download(await pool.render(job), MEDIA[fmt], memo_name(deal.matter, lang, fmt))

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
        deals = [_page_deal(raw, f"bid {i + 1}") for i, raw in enumerate(raws)]
        fmt, lang = _memo_choice(form)
        _check_memo_choice(fmt, lang)
        job = MemoJob("comparison", deals, fmt, lang, japan_today(), as_of)
        return _download(await pool.render(job), MEDIA[fmt], comparison_name(len(deals), lang, fmt))

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

    @app.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
    async def case_detail(request: Request, case_id: str) -> HTMLResponse:
        """One case: its facts and sources, and its replay under the chosen rules (default: decision date)."""
        ctx = _ctx(request)
        rules = request.query_params.get("rules") or RULES[0]
        if rules not in RULES:
            raise FdiscreenError(f"unknown rules {rules[:40]!r}", path="rules", expected="decision-date, today or amended")
        case = (await run_in_threadpool(_case_index)).get(case_id)
        if case is None:
            return HTMLResponse(pages.message_page(ctx, "error", t("case_unknown", ctx.lang).format(id=case_id[:80])), status_code=404)
        from fdiscreen import cases

        s = await run_in_threadpool(cases.replay_one, case, rules, japan_today())
        return HTMLResponse(pages.case_page(ctx, case, rules, s))

    # -- JSON API -------------------------------------------------------------------------------

    body_doc = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScreenRequest"}}}}}
    api_error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    errors_doc: dict[int | str, dict[str, Any]] = {
        413: {"description": f"body larger than {MAX_UPLOAD_BYTES // 1024} KB", "content": api_error},
        422: {"description": "bad input: the one-line message names the field and what was expected", "content": api_error},
    }
    memo_errors_doc: dict[int | str, dict[str, Any]] = {
        **errors_doc,
        503: {"description": f"no memo this time: it took longer than {MEMO_TIME_LIMIT_S:g} s to screen and render, or every "
                             f"renderer stayed busy for {MEMO_QUEUE_LIMIT_S:g} s (see Retry-After); the only 5xx the API gives by design",
              "headers": {"Retry-After": {"description": "seconds to wait before asking again", "schema": {"type": "integer"}}},
              "content": api_error},
    }

    async def _api_input(request: Request, as_of: str | None, mitigate: list[str],
                         amendment: str | None) -> tuple[Deal, dt.date | None, list[str], dt.date | None]:
        """The deal and options of an API request: the body (a ScreenRequest) and the query, which wins."""
        _known_query(request)
        day, query_amendment = _query_date(as_of, "as_of"), _query_date(amendment, "amendment_effective")
        raw = await request.body()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise TooLarge("request body", MAX_UPLOAD_BYTES)
        if not raw.strip():
            raise FdiscreenError("empty body", file="request body", expected="a deal as JSON (GET /api/schema)")
        data = _json_mapping(raw, "request body")
        body = dict(data)
        try:
            body_mitigate = _measure_ids(data.pop("mitigate", None), "mitigate")
            body_amendment = _date(data.pop("amendment_effective", None), "amendment_effective")
        except FdiscreenError as exc:
            raise exc.with_file("request body") from None
        deal = parse_deal(data, file="request body")
        if "acquirer_graph_id" not in data:
            _check_json_types(body)
        return deal, day, list(dict.fromkeys([*body_mitigate, *mitigate])), query_amendment or body_amendment

    @app.post("/api/screen", tags=["api"], openapi_extra=body_doc,
              responses={200: {"description": "the Screening (same JSON as `fdiscreen screen --json`)",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Screening"}}}}, **errors_doc})
    async def api_screen(request: Request,
                         as_of: str | None = Query(None, description="date of the law to apply (default: the deal's as_of, else today)"),
                         mitigate: list[str] = Query([], description="risk-mitigation measure to apply (repeatable)"),
                         amendment_effective: str | None = Query(None, description="model the 2026 amendment as effective from this date")) -> Response:
        """Screen a deal: the filing determination and risk assessment as `fdiscreen screen --json` prints it."""
        deal, day, mit, amendment = await _api_input(request, as_of, mitigate, amendment_effective)
        s = await run_in_threadpool(screen, deal, day, None, amendment, None, None, mit)
        return JSONResponse(s.model_dump(mode="json"))

    @app.post("/api/memo", tags=["api"], openapi_extra=body_doc, response_class=Response,
              responses={200: {"description": "the memo file", "content": {m.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                                                                           for m in MEDIA.values()}}, **memo_errors_doc})
    async def api_memo(request: Request,
                       format: MemoFormat = Query("pdf", description="memo format"),  # noqa: A002 - the public parameter name
                       lang: Literal["en", "ja", "both"] = Query("en", description="memo language"),
                       as_of: str | None = Query(None, description="date of the law to apply"),
                       mitigate: list[str] = Query([], description="risk-mitigation measure to apply (repeatable)"),
                       amendment_effective: str | None = Query(None, description="model the 2026 amendment as effective from this date"),
                       date: str | None = Query(None, description="memo date (default today in Japan)"),
                       privileged: bool = Query(False, description="mark the memo privileged and confidential")) -> Response:
        """Screen a deal and return its memo (PDF with the Japanese font embedded, DOCX, Markdown or HTML). Rendered in a
        worker process with a time limit (503 past it) and a size limit (422 past it)."""
        _check_memo_choice(format, lang)
        memo_day = _query_date(date, "date")
        deal, day, mit, amendment = await _api_input(request, as_of, mitigate, amendment_effective)
        job = MemoJob("memo", [deal], format, lang, memo_day or japan_today(), day, amendment, mit, privileged)
        return _download(await pool.render(job), MEDIA[format], memo_name(deal.matter, lang, format))

    @app.get("/api/factors", tags=["api"], responses={200: {"description": "the law as encoded on the date",
                                                             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Factors"}}}},
                                                       **errors_doc})
    async def api_factors(request: Request, as_of: str | None = Query(None, description="date of the law (default today in Japan)"),
                          lang: Literal["en", "ja"] = Query("en", description="language of labels")) -> JSONResponse:
        """The law as encoded on a date: every threshold and list, the activity catalog with classes, and the
        risk-mitigation measures (like `fdiscreen factors --json` and `--activities`)."""
        _known_query(request)
        day = _query_date(as_of, "as_of")
        return JSONResponse(await run_in_threadpool(factors_json, day or japan_today(), lang))

    @app.get("/api/schema", tags=["api"], responses={200: {"description": "the JSON Schema of deal files",
                                                           "content": {"application/json": {"schema": {"type": "object"}}}}})
    async def api_schema(request: Request) -> JSONResponse:
        """JSON Schema of deal files (`fdiscreen schema`)."""
        _known_query(request)
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
        comps["ApiError"] = {"type": "object", "properties": {"error": {"type": "string", "description": "one line"}},
                             "required": ["error"], "additionalProperties": False}
        comps.update(FACTORS_SCHEMAS)
        document_catalog_rules(spec, load_catalog())
        guard = (401, "missing or wrong token") if app.state.token is not None else (400, "host not allowed: not a loopback name")
        for operation in (op for item in spec["paths"].values() for op in item.values()):
            operation["responses"].setdefault(str(guard[0]), {"description": guard[1], "content": api_error})
            operation["responses"].setdefault("413", errors_doc[413])
        if app.state.token is not None:
            spec["components"]["securitySchemes"] = {"token": {"type": "apiKey", "in": "header", "name": TOKEN_HEADER},
                                                     "token_query": {"type": "apiKey", "in": "query", "name": "token"}}
            spec["security"] = [{"token": []}, {"token_query": []}]
        app.openapi_schema = spec
        return spec

    app.openapi = custom_openapi  # type: ignore[method-assign]
    return app


_TEXT = {"type": "string"}
FACTORS_SCHEMAS: dict[str, Any] = {
    "FactorRow": {"type": "object", "description": "one factor item in force on the date",
                  "required": ["id", "label", "unit", "value", "file", "assumption", "confidence", "citation"],
                  "properties": {"id": _TEXT, "label": _TEXT, "unit": _TEXT, "value": {"description": "the value in force (any JSON)"},
                                 "file": _TEXT, "assumption": {"type": "boolean"}, "confidence": _TEXT, "citation": _TEXT}},
    "MeasureRow": {"type": "object", "description": "a risk-mitigation measure (id for `mitigate`)",
                   "required": ["id", "text", "side", "addresses"],
                   "properties": {"id": _TEXT, "text": {"anyOf": [_TEXT, {"type": "null"}]}, "side": _TEXT,
                                  "addresses": {"type": "array", "items": _TEXT}}},
    "Factors": {"type": "object", "required": ["as_of", "version", "items", "activities", "risk_mitigation_measures"],
                "properties": {"as_of": {"type": "string", "format": "date"}, "version": _TEXT,
                               "items": {"type": "array", "items": {"$ref": "#/components/schemas/FactorRow"}},
                               "activities": {"type": "array", "items": {"$ref": "#/components/schemas/FactorRow"}},
                               "risk_mitigation_measures": {"type": "array", "items": {"$ref": "#/components/schemas/MeasureRow"}}}},
}


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an ``anyOf: [X, null]`` property (or the property itself)."""
    return next((b for b in prop.get("anyOf", []) if b.get("type") != "null"), prop)


def _query_schema(spec: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any] | None:
    for param in spec["paths"].get(path, {}).get(method, {}).get("parameters", []):
        if param["in"] == "query" and param["name"] == name:
            return param["schema"]  # type: ignore[no-any-return]
    return None


def _bound_numbers(comps: dict[str, Any], root: str) -> None:
    """Every number in a request is at most MAX_MAGNITUDE in magnitude (the deal model refuses more):
    say so with minimum/maximum on each number reachable from ``root``."""
    seen: set[str] = set()
    stack: list[Any] = [comps[root]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in seen:
            seen.add(ref.rsplit("/", 1)[-1])
            stack.append(comps[ref.rsplit("/", 1)[-1]])
        if node.get("type") in ("integer", "number"):
            node["maximum"] = min(node.get("maximum", MAX_MAGNITUDE), MAX_MAGNITUDE)
            node["minimum"] = max(node.get("minimum", -MAX_MAGNITUDE), -MAX_MAGNITUDE)
        stack.extend(v for k, v in node.items() if k not in ("enum", "const", "default", "examples"))


def document_catalog_rules(spec: dict[str, Any], catalog: Any) -> None:
    """What the catalog allows, stated in the OpenAPI document: country codes, the target's country,
    activity codes, measure and checklist ids, and the dates the regime is encoded for."""
    comps = spec["components"]["schemas"]
    countries = sorted(catalog.countries)
    comps["Entity"]["properties"]["jurisdiction"]["enum"] = countries
    _nullable(comps["Entity"]["properties"]["principal_office"])["enum"] = countries
    comps["Target"]["properties"]["jurisdiction"]["enum"] = [catalog.home_country]
    codes = sorted({a.id for a in catalog.activities()} | set(catalog.activity_aliases) | set(catalog.jsic.divisions if catalog.jsic else ()))
    activity = comps["Business"]["properties"]["activity"]
    activity["anyOf"] = [{"type": "string", "enum": codes},
                         {"type": "string", "pattern": "^[0-9]{2,4}$", "description": "a JSIC code that covers a catalogued activity"},
                         {"type": "null"}]
    measures = sorted({e["id"] for values in catalog.items["risk_mitigation_measures"].values.values() for e in values})
    checklist = sorted({e["id"] for values in catalog.items["protection_checklist"].values.values() for e in values})
    comps["Transaction"]["properties"]["risk_mitigation_measures"]["items"]["enum"] = measures
    comps["ScreenRequest"]["properties"]["mitigate"]["items"]["enum"] = measures
    comps["Target"]["properties"]["protection_checklist"]["propertyNames"] = {"enum": checklist}
    _bound_numbers(comps, "ScreenRequest")
    law = {"formatMinimum": catalog.encoded_from.isoformat(), "formatMaximum": HORIZON.isoformat()}
    any_day = {"formatMinimum": EARLIEST_DATE.isoformat(), "formatMaximum": HORIZON.isoformat()}
    _nullable(comps["ScreenRequest"]["properties"]["as_of"]).update(law)
    for path, method in (("/api/screen", "post"), ("/api/memo", "post"), ("/api/factors", "get")):
        for name, bounds in (("as_of", law), ("amendment_effective", any_day), ("date", any_day)):
            schema = _query_schema(spec, path, method, name)
            if schema is not None:  # an optional query parameter is left out, never null
                for key in ("anyOf", "default"):
                    schema.pop(key, None)
                schema.update({"type": "string", "format": "date", **bounds})
        mitigate = _query_schema(spec, path, method, "mitigate")
        if mitigate is not None:
            mitigate["items"]["enum"] = measures


def _page_deal(raw: str, name: str) -> Deal:
    """A deal a page carried back as JSON, validated like any deal file."""
    return parse_deal(_json_mapping(raw, name), file=name)


def _json_mapping(raw: str | bytes, name: str) -> dict[str, Any]:
    """A JSON object from a request (NaN and Infinity refused, each key once), size-checked like a deal file."""
    try:
        data = strict_json_loads(raw)
    except FdiscreenError as exc:  # NaN, a key twice, a huge integer: named by field, here with the file
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


def redact_query(target: str) -> str:
    """A request target with the value of every ``token`` query parameter (however its name is
    percent-encoded) replaced by ``[redacted]``, for logs."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    parts = [f"{name}=[redacted]" if unquote_plus(name).strip().lower() == "token" else f"{name}{eq}{value}"
             for name, eq, value in (part.partition("=") for part in query.split("&"))]
    return f"{path}?{'&'.join(parts)}"


class RedactToken(logging.Filter):
    """Keeps the token out of uvicorn's access log: the request line's query is redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_query(a) if isinstance(a, str) and "?" in a else a for a in record.args)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up with the access log passed through RedactToken."""
    import uvicorn.config

    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_token"] = {"()": f"{__name__}.RedactToken"}
    config["handlers"]["access"].setdefault("filters", []).append("redact_token")
    return config


def serve(host: str = "127.0.0.1", port: int = 8765, token: str | None = None, data_dir: str | Path | None = None) -> None:
    """Run the workbench with uvicorn (blocks until stopped). The access log never shows the token.
    ``data_dir`` holds the screening history (default ``$FDISCREEN_DATA_DIR``, else the user's data folder)."""
    check_host(host, token)
    import uvicorn

    uvicorn.run(create_app(token, data_dir=data_dir), host=host.strip("[]"), port=port, log_level="info", server_header=False, proxy_headers=False,
                access_log=True, log_config=log_config())
