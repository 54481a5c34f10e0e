"""Sheets rendered in worker processes, one render at a time in each, so no two renders share ReportLab's state.

ReportLab and z3c.rml keep process-wide state (8 threads building at once failed 30 of 54 builds), so renders run
in a small pool of processes. A render waits for a free worker in the event loop, not in the pool's queue: while
it waits, a newer edit from the same page makes it stale and it is dropped, so a burst of typing renders only the
latest state. The page stays responsive because the server only awaits the worker.

The preview's pages: the worker that built the sheet rasterises the page the clinician has in view and answers;
the other pages start at once on every free worker, nearest that page first, before the browser asks for them,
and those still waiting are dropped when a newer edit from the same page comes in. Each worker keeps the PNGs it
made lately by their pixels' hash, so a page an edit did not change is not encoded again.
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
from dataclasses import dataclass, field

from ..errors import RenderError
from ..spec import Spec

PREVIEW_SCALE = 1.0  # 72 dpi: a page 612 px wide, legible on screen and quick to rasterise
CACHE_SIZE = 32  # the sheets a page or two made lately: a download or a print finds its PDF here
ENCODED_SIZE = 64  # PNGs a worker keeps by pixel hash (~50 KB each)


@dataclass
class Rendered:
    """One sheet: its PDF, its pages as PNG (filled as the workers make them), and its spec as `--save-spec` TOML."""

    pdf: bytes
    page_count: int
    pages: dict[int, bytes]
    spec_toml: str
    filename: str
    prefetches: list = field(default_factory=list)  # the workers' futures for the pages not asked for yet


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
        _rasterise(build(resolve(Request(program=sorted(library.programs)[0]), library)), 1)
    except Exception:  # a warm-up only: whatever goes wrong here, the first real edit reports it properly
        pass


def _render(spec: Spec, in_view: int = 1) -> tuple[bytes, int, int, bytes]:
    """In a worker: the PDF (exactly what `worksheet build` writes), its page count, and the page in view (its
    number, clamped to the sheet, and its PNG)."""
    from ..build import build

    pdf = build(spec)  # the spec carries its layout: nothing else is read
    return (pdf, *_rasterise(pdf, in_view))


_encoded: OrderedDict[bytes, bytes] = OrderedDict()  # in each worker: pixel hash -> PNG


def _rasterise(pdf: bytes, number: int) -> tuple[int, int, bytes]:
    """In a worker: the page count, the page's number (clamped to the sheet) and that page (from 1) as PNG."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document)
        number = min(max(number, 1), count)
        bitmap = document[number - 1].render(scale=PREVIEW_SCALE)
        # sha256 has hardware support here: ~1 ms for a page's pixels, against ~5-10 ms to encode them.
        digest = hashlib.sha256(memoryview(bitmap.buffer)).digest()
        png = _encoded.get(digest)
        if png is None:
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, "PNG", compress_level=1)
            png = _encoded[digest] = buffer.getvalue()
            while len(_encoded) > ENCODED_SIZE:
                _encoded.popitem(last=False)
        else:
            _encoded.move_to_end(digest)
        return count, number, png
    finally:
        document.close()


def spec_key(spec: Spec) -> str:
    """A name for the sheet's content: the same spec is the same PDF, so it is rendered once."""
    return hashlib.sha256(spec.model_dump_json().encode("utf-8")).hexdigest()[:32]


def nearest_first(count: int, start: int) -> list[int]:
    """The pages other than start, those nearest it first (the next one before the one above)."""
    return sorted((n for n in range(1, count + 1) if n != start), key=lambda n: (abs(n - start), n < start))


class Renderer:
    """A pool of render processes with a small in-memory cache of the latest sheets (nothing goes to disk)."""

    def __init__(self, workers: int | None = None, executor=None, prefetch: bool = True) -> None:
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self.prefetch = prefetch  # False: each page when the browser asks for it (bench/serve.py's "before")
        self._pool = executor or self._new_pool()
        self._slots = asyncio.Semaphore(self.workers)
        self._latest: dict[str, int] = {}
        self._running: dict = {}  # a sheet's key, or (key, page), -> the worker's future
        self._cache: OrderedDict[str, Rendered] = OrderedDict()
        self._shown: dict[str, str] = {}  # a page (browser tab) -> the key of the sheet it shows last

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

    def _rasterise_later(self, key: str, rendered: Rendered, number: int) -> asyncio.Future:
        """Page `number` of a sheet, rasterised by the next free worker; it lands in rendered.pages."""
        job = (key, number)
        future = asyncio.get_running_loop().run_in_executor(self._pool, _rasterise, rendered.pdf, number)
        self._running[job] = future

        def landed(done: asyncio.Future) -> None:
            if self._running.get(job) is done:
                del self._running[job]
            if not done.cancelled() and done.exception() is None:
                rendered.pages[number] = done.result()[2]

        future.add_done_callback(landed)
        return future

    async def page(self, key: str, number: int) -> bytes | None:
        """Page `number` of a rendered sheet as PNG (rasterised in a worker the first time); None if unknown."""
        rendered = self._cache.get(key)
        if rendered is None or not 1 <= number <= rendered.page_count:
            return None
        while number not in rendered.pages:
            job = self._running.get((key, number))
            if job is None or job.cancelled():
                job = self._rasterise_later(key, rendered, number)
            try:
                await asyncio.shield(job)
            except asyncio.CancelledError:
                if not job.cancelled():
                    raise  # this request itself was cancelled (the browser went away)
                # a page dropped by a newer edit, but asked for after all: rasterise it now
        return rendered.pages[number]

    def _drop_prefetches(self, page: str) -> bool:
        """The pages of the sheet this browser page showed last that no worker has started: not worth it now.
        True if any was dropped."""
        shown = self._cache.get(self._shown.pop(page, ""))
        if shown is None:
            return False
        # A job a worker has started finishes, and still lands in the sheet's pages.
        dropped = [future.cancel() for future in shown.prefetches if not future.done()]
        shown.prefetches.clear()
        return any(dropped)

    async def render(self, spec: Spec, spec_toml: str, filename: str, page: str = "", edit: int = 0,
                     in_view: int = 1) -> str:
        """Render the sheet (or find it already rendered); returns its key. Raises Stale when a newer edit
        (a higher number from the same page) came in while it waited. in_view: the page the clinician looks at,
        rasterised first."""
        key = spec_key(spec)
        if page:
            self._latest[page] = max(edit, self._latest.get(page, 0))
        if key in self._cache:
            self._cache.move_to_end(key)
            return key
        if key in self._running:  # the same sheet is being rendered for another request: share it
            await asyncio.shield(self._running[key])
            return key
        if page and self._drop_prefetches(page):
            await asyncio.sleep(0)  # the pool hears of the dropped pages before this render queues behind them
        async with self._slots:
            if page and edit < self._latest[page]:
                raise Stale()
            if key in self._cache:
                return key
            future = asyncio.get_running_loop().run_in_executor(self._pool, _render, spec, in_view)
            self._running[key] = future
            try:
                pdf, count, number, png = await future
            except BrokenProcessPool:
                self._pool = self._new_pool()  # a worker died (killed, out of memory): the next edit gets a new one
                raise RenderError("the render worker stopped unexpectedly; change anything to try again") from None
            finally:
                del self._running[key]
        rendered = Rendered(pdf, count, {number: png}, spec_toml, filename)
        self._cache[key] = rendered
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        # The other pages now, before the browser asks: the answer to this request travels meanwhile.
        if self.prefetch:
            rendered.prefetches = [self._rasterise_later(key, rendered, n) for n in nearest_first(count, number)]
        if page:
            self._shown[page] = key
        return key
