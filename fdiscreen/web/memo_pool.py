"""Memos rendered in worker processes, off the server's event loop and its GIL, with a time and a
size limit, so that one heavy memo does not delay everyone else's screenings.

A :class:`MemoPool` keeps ``workers`` renderer slots. Each slot is a one-process
``concurrent.futures.ProcessPoolExecutor`` (``spawn`` context: no copy of the server's threads or
event loop), created on first use and warmed before its first job. A job carries the deal(s) and
options, not a :class:`Screening`: the worker screens and renders, so none of that work runs in the
server process. The worker runs at a lower CPU priority than the server, and ignores Ctrl+C (the
server stops it on shutdown).

A job over ``time_limit_s`` is answered with :class:`MemoUnavailable` (HTTP 503) and its worker is
killed and replaced; the other slots keep working. A request that waits longer than
``queue_limit_s`` for a free slot, or arrives when ``max_waiting`` memo requests are already in
progress, gets the same answer. A memo larger than ``max_bytes`` is refused with the one error type (HTTP 422) before
its bytes leave the worker. The limits are product settings, not law.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import queue
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fdiscreen.errors import FdiscreenError
from fdiscreen.model import Deal

#: renderer processes (each renders one memo at a time)
MEMO_WORKERS = 2
#: longest one memo may take to screen and render before it is abandoned (HTTP 503)
MEMO_TIME_LIMIT_S = 30.0
#: longest a memo request waits for a free renderer (HTTP 503)
MEMO_QUEUE_LIMIT_S = 30.0
#: memo requests in progress at once (rendering or waiting for a renderer); one more is answered 503 at once
MEMO_MAX_WAITING = 16
#: largest memo file the workbench sends (HTTP 422 above it; `fdiscreen screen --memo` has no limit)
MEMO_MAX_BYTES = 20 * 1024 * 1024
#: how much lower the renderers' CPU priority is than the server's (os.nice increment)
MEMO_WORKER_NICENESS = 10
#: longest a new renderer process may take to start and import the renderers
WORKER_START_LIMIT_S = 120.0

MemoKind = Literal["memo", "comparison"]


class MemoUnavailable(Exception):
    """No memo this time: the render took too long, every renderer was busy, or a renderer stopped
    (HTTP 503 with Retry-After; the deal itself is not at fault)."""

    def __init__(self, message: str, retry_after_s: int = 5) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(message)


@dataclass(frozen=True)
class MemoJob:
    """What a worker needs to screen and render one memo (every piece pickles: deals are pydantic
    models, the rest dates, strings and lists)."""

    kind: MemoKind
    deals: list[Deal]
    fmt: str
    lang: str
    day: dt.date
    as_of: dt.date | None = None
    amendment_effective: dt.date | None = None
    mitigate: list[str] = field(default_factory=list)
    privileged: bool = False

    def render(self) -> bytes:
        from fdiscreen.render.memo import build_comparison, build_memo
        from fdiscreen.screening import screen

        screenings = [screen(d, self.as_of, None, self.amendment_effective, None, None, self.mitigate) for d in self.deals]
        if self.kind == "comparison":
            doc = build_comparison(screenings, self.lang, self.day)  # type: ignore[arg-type]
        else:
            doc = build_memo(screenings[0], self.lang, self.day, self.privileged)  # type: ignore[arg-type]
        return render_document(doc, self.fmt, self.day)


def render_document(doc: Any, fmt: str, day: dt.date) -> bytes:
    """A document rendered to ``fmt`` (pdf, md, docx or html) in memory."""
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


# -- in the worker process ------------------------------------------------------------------------

def _init_worker(niceness: int) -> None:
    """A renderer: lower priority than the server, deaf to Ctrl+C, renderers imported up front."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness and hasattr(os, "nice"):
        try:
            os.nice(niceness)
        except OSError:
            pass
    import fdiscreen.render.memo  # noqa: F401
    import fdiscreen.render.pdf  # noqa: F401
    import fdiscreen.screening  # noqa: F401


def _ready() -> int:
    return os.getpid()


def _work(job: MemoJob, max_bytes: int, before: Callable[[], None] | None) -> tuple[str, Any]:
    """Run one job: ("ok", bytes), ("refused", FdiscreenError fields), ("too_large", size) or
    ("failed", description). Nothing but these plain values crosses back to the server."""
    if before is not None:
        before()
    try:
        data = job.render()
    except FdiscreenError as exc:
        return "refused", (exc.message, exc.file, exc.path, exc.expected)
    except Exception as exc:  # a bug in screening or rendering: reported by the server as an internal error
        return "failed", f"{type(exc).__name__}: {exc}"[:500]
    if len(data) > max_bytes:
        return "too_large", len(data)
    return "ok", data


# -- in the server process ------------------------------------------------------------------------

def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{-(-n // 1024)} KB"


class _Slot:
    """One renderer: a one-process pool, started on first use, killed and forgotten when a job overruns."""

    def __init__(self, niceness: int) -> None:
        self.niceness = niceness
        self.executor: ProcessPoolExecutor | None = None

    def ready(self) -> ProcessPoolExecutor:
        if self.executor is None:
            executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_init_worker, initargs=(self.niceness,))
            try:
                executor.submit(_ready).result(timeout=WORKER_START_LIMIT_S)
            except (FutureTimeout, BrokenProcessPool):
                _kill(executor)
                raise MemoUnavailable("a memo renderer did not start; try again") from None
            self.executor = executor
        return self.executor

    def replace(self) -> None:
        """Kill the worker (it may be stuck in a render) and start afresh on the next job."""
        executor, self.executor = self.executor, None
        if executor is not None:
            _kill(executor)


def _kill(executor: ProcessPoolExecutor) -> None:
    kill_workers = getattr(executor, "kill_workers", None)  # Python 3.14+
    if callable(kill_workers):
        kill_workers()
    else:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


class MemoPool:
    """Renderer processes behind a small queue. ``render`` is awaited from any event loop; the waiting
    is done by one thread per slot, never by the server's request threads."""

    def __init__(self, workers: int = MEMO_WORKERS, time_limit_s: float = MEMO_TIME_LIMIT_S,
                 queue_limit_s: float = MEMO_QUEUE_LIMIT_S, max_waiting: int = MEMO_MAX_WAITING,
                 max_bytes: int = MEMO_MAX_BYTES, niceness: int = MEMO_WORKER_NICENESS,
                 before: Callable[[], None] | None = None) -> None:
        """``before`` (a picklable callable, for tests) runs in the worker before each job."""
        self.workers, self.time_limit_s, self.queue_limit_s = workers, time_limit_s, queue_limit_s
        self.max_waiting, self.max_bytes, self.before = max_waiting, max_bytes, before
        self._niceness = niceness
        self._lock = threading.Lock()
        self._free: queue.SimpleQueue[_Slot] = queue.SimpleQueue()
        self._slots: list[_Slot] = []
        self._threads: ThreadPoolExecutor | None = None
        self._waiting = 0

    def _waiters(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._threads is None:
                self._slots = [_Slot(self._niceness) for _ in range(self.workers)]
                for slot in self._slots:
                    self._free.put(slot)
                self._threads = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="fdiscreen-memo")
            return self._threads

    async def render(self, job: MemoJob) -> bytes:
        """The memo's bytes; FdiscreenError for a refused deal or a memo over the size limit;
        MemoUnavailable when over the time limit or busy."""
        threads = self._waiters()
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise MemoUnavailable(f"{self._waiting} memo requests are already in progress, the most the workbench takes at once; "
                                      "try again shortly")
            self._waiting += 1
        try:
            pending: Future[tuple[str, Any]] = threads.submit(self._run, job, time.monotonic())
            kind, value = await asyncio.wrap_future(pending)
        finally:
            with self._lock:
                self._waiting -= 1
        return self._answer(kind, value)

    def _run(self, job: MemoJob, queued_at: float) -> tuple[str, Any]:
        """In a waiting thread: take a free slot, hand it the job, wait at most the time limit."""
        waited = time.monotonic() - queued_at
        if waited > self.queue_limit_s:
            raise MemoUnavailable(f"every memo renderer was busy for {self.queue_limit_s:g} s; try again shortly", 10)
        free = self._free  # a slot goes back where it came from, even across a shutdown
        slot = free.get()
        try:
            work = slot.ready().submit(_work, job, self.max_bytes, self.before)
            try:
                return work.result(timeout=self.time_limit_s)
            except FutureTimeout:
                slot.replace()
                raise MemoUnavailable(f"the memo took longer than the workbench's {self.time_limit_s:g} s limit and was abandoned; "
                                      "`fdiscreen screen --memo` renders it without a limit", 30) from None
            except BrokenProcessPool:
                slot.replace()
                raise MemoUnavailable("the memo renderer stopped before the memo was finished; try again") from None
        finally:
            free.put(slot)

    def _answer(self, kind: str, value: Any) -> bytes:
        if kind == "ok":
            return bytes(value)
        if kind == "refused":
            message, file, path, expected = value
            raise FdiscreenError(message, file=file, path=path, expected=expected)
        if kind == "too_large":
            raise FdiscreenError(f"the memo would be {_size(value)}", path="format",
                                 expected=f"a memo of at most {_size(self.max_bytes)} here (`fdiscreen screen --memo` writes any size)")
        raise RuntimeError(f"memo renderer: {value}")

    def shutdown(self) -> None:
        """Stop every renderer now (a memo in progress is abandoned) and the waiting threads."""
        with self._lock:
            threads, self._threads = self._threads, None
            slots, self._slots = self._slots, []
            self._free = queue.SimpleQueue()
        for slot in slots:
            slot.replace()
        if threads is not None:
            threads.shutdown(wait=False, cancel_futures=True)
