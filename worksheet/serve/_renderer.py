"""Sheets rendered in worker processes, one render at a time in each, so no two renders share ReportLab's state.

ReportLab and z3c.rml keep process-wide state (8 threads building at once failed 30 of 54 builds), so renders run
in a small pool of processes. A render waits for a free worker in the event loop, not in the pool's queue: while
it waits, a newer edit from the same page makes it stale and it is dropped, so a burst of typing renders only the
latest state. The page stays responsive because the server only awaits the worker.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import multiprocessing
import os
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ..errors import RenderError
from ..spec import Spec

PREVIEW_SCALE = 1.0  # 72 dpi: a page 612 px wide, legible on screen and quick to rasterise
CACHE_SIZE = 32  # the sheets a page or two made lately: a download or a print finds its PDF here


@dataclass
class Rendered:
    """One sheet: its PDF, its pages as PNG (each made when first asked for), and its spec as `--save-spec` TOML."""

    pdf: bytes
    page_count: int
    pages: dict[int, bytes]
    spec_toml: str
    filename: str


class Stale(Exception):
    """A newer edit from the same page arrived while this render waited: it is not worth rendering."""


def _warm_worker() -> None:
    """Import the PDF engine, parse the fonts and build one sample sheet (the default layout's templates
    compiled, its figures loaded) once per worker, before the first edit waits for it. No patient is involved:
    the sample is a bundled program with no one's name on it, and its PDF is thrown away."""
    from ..render import prepare_engine

    prepare_engine()
    try:
        from .. import build, load_library, resolve
        from ..spec import Request

        library = load_library()
        build(resolve(Request(program=sorted(library.programs)[0]), library))
    except Exception:  # a warm-up only: whatever goes wrong here, the first real edit reports it properly
        pass


def _render(spec: Spec) -> tuple[bytes, int, bytes]:
    """In a worker: the PDF (exactly what `worksheet build` writes), its page count and its first page as PNG.

    The other pages are rasterised when the browser asks for them, by whichever workers are free, in parallel."""
    from ..build import build

    pdf = build(spec)  # the spec carries its layout: nothing else is read
    count, first = _rasterise(pdf, 1)
    return pdf, count, first


def _rasterise(pdf: bytes, number: int) -> tuple[int, bytes]:
    """In a worker: the page count, and page `number` (from 1) as PNG, by pdfium."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        buffer = io.BytesIO()
        document[number - 1].render(scale=PREVIEW_SCALE).to_pil().save(buffer, "PNG", compress_level=1)
        return len(document), buffer.getvalue()
    finally:
        document.close()


def spec_key(spec: Spec) -> str:
    """A name for the sheet's content: the same spec is the same PDF, so it is rendered once."""
    return hashlib.sha256(spec.model_dump_json().encode("utf-8")).hexdigest()[:32]


class Renderer:
    """A pool of render processes with a small in-memory cache of the latest sheets (nothing goes to disk)."""

    def __init__(self, workers: int | None = None, executor=None) -> None:
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._pool = executor or self._new_pool()
        self._slots = asyncio.Semaphore(self.workers)
        self._latest: dict[str, int] = {}
        self._running: dict = {}  # a sheet's key, or (key, page), -> the worker's future
        self._cache: OrderedDict[str, Rendered] = OrderedDict()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter per worker, never a fork of a process running an event loop and threads.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_worker)

    def start(self) -> None:
        """Start every worker now (each warms up in the background), not on the first edit."""
        if not isinstance(self._pool, ProcessPoolExecutor):
            return
        for _ in range(self.workers):
            self._pool.submit(int)

    def close(self) -> None:
        """Stop the workers now: a sheet half rendered (or a worker still warming up) is of no use any more."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)

    def get(self, key: str) -> Rendered | None:
        return self._cache.get(key)

    async def page(self, key: str, number: int) -> bytes | None:
        """Page `number` of a rendered sheet as PNG (rasterised in a worker the first time); None if unknown."""
        rendered = self._cache.get(key)
        if rendered is None or not 1 <= number <= rendered.page_count:
            return None
        if number not in rendered.pages:
            job = (key, number)
            if job not in self._running:
                self._running[job] = asyncio.get_running_loop().run_in_executor(self._pool, _rasterise, rendered.pdf, number)
            try:
                _, rendered.pages[number] = await asyncio.shield(self._running[job])
            finally:
                self._running.pop(job, None)
        return rendered.pages[number]

    async def render(self, spec: Spec, spec_toml: str, filename: str, page: str = "", edit: int = 0) -> str:
        """Render the sheet (or find it already rendered); returns its key. Raises Stale when a newer edit
        (a higher number from the same page) came in while it waited."""
        key = spec_key(spec)
        if page:
            self._latest[page] = max(edit, self._latest.get(page, 0))
        if key in self._cache:
            self._cache.move_to_end(key)
            return key
        if key in self._running:  # the same sheet is being rendered for another request: share it
            await asyncio.shield(self._running[key])
            return key
        async with self._slots:
            if page and edit < self._latest[page]:
                raise Stale()
            if key in self._cache:
                return key
            future = asyncio.get_running_loop().run_in_executor(self._pool, _render, spec)
            self._running[key] = future
            try:
                pdf, count, first = await future
            except BrokenProcessPool:
                self._pool = self._new_pool()  # a worker died (killed, out of memory): the next edit gets a new one
                raise RenderError("the render worker stopped unexpectedly; change anything to try again") from None
            finally:
                del self._running[key]
        self._cache[key] = Rendered(pdf, count, {1: first}, spec_toml, filename)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return key
