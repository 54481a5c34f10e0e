"""Costly things the tests build once per test run, however many pytest-xdist workers ask for them: the page
matrix's sheets (program × layout × paper × language, judged by tests/test_pages.py and checked again by
tests/test_layouts.py) and pdfium's reading of each, each bundled exercise's sheet alone (read by tests/test_catalogue.py and
tests/test_cautions.py) and the wheel of tests/test_install.py.

The first worker to ask makes the thing under a file lock and leaves it, pickled, in a folder all the run's
workers share (below pytest's base temp folder, new for every run, so nothing stale is ever read); a worker that
asks while it is being made waits for it instead of making it again. Each process also keeps what it has read.
xdist's own grouping (`--dist loadgroup`) would do this without files, but it silently stops grouping on
pytest 9.2 (pytest-xdist issue #1386), and this does not depend on how tests are scheduled.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import worksheet

T = TypeVar("T")
DATE = dt.date(2026, 11, 26)

# Set by conftest's session fixture (the folder shared by this run's workers).
FOLDER: Path | None = None
_read: dict[str, Any] = {}


def shared(key: str, make: Callable[[], T]) -> T:
    """make()'s value, made once in this test run by whichever process asks first."""
    if key in _read:
        return _read[key]
    if FOLDER is None:
        value = make()
    else:
        FOLDER.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.+-]", "_", key)
        path = FOLDER / f"{name}.pickle"
        with open(FOLDER / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if make() raises
            if path.exists():
                value = pickle.loads(path.read_bytes())
            else:
                value = make()
                partial = path.with_suffix(f".{os.getpid()}.tmp")
                partial.write_bytes(pickle.dumps(value))
                partial.replace(path)
    _read[key] = value
    return value


@functools.cache
def _library() -> worksheet.Library:
    return worksheet.load_library()


def cell_key(program: str, layout: str, paper: str, lang: str, also: str | None = None) -> str:
    return f"{program}-{layout}-{paper}-{lang}{'+' + also if also else ''}"


def cell_build(program: str, layout: str, paper: str, lang: str, also: str | None = None) -> tuple[worksheet.Spec, bytes]:
    """A page-matrix cell's resolved spec and PDF."""

    def build() -> tuple[worksheet.Spec, bytes]:
        request = worksheet.Request(program=program, layout=layout, paper=paper, lang=lang, also=also, date=DATE)
        spec = worksheet.resolve(request, _library())
        return spec, worksheet.build(spec)

    return shared("sheet-" + cell_key(program, layout, paper, lang, also), build)


def cell_reading(program: str, layout: str, paper: str, lang: str, also: str | None = None):
    """A page-matrix cell's PDF as pdfium reads it (tests/page_rules.py's PdfPages: each page's text, text runs,
    size and ink), read once a run for the matrix's rules and test_layouts' checks."""
    from page_rules import read_pdf

    return shared("reading-" + cell_key(program, layout, paper, lang, also),
                  lambda: read_pdf(cell_build(program, layout, paper, lang, also)[1], layout))  # fmt: skip


def exercise_alone(exercise_id: str) -> tuple[worksheet.Spec, bytes]:
    """The seed program's sheet with only this exercise on it: its resolved spec and PDF."""
    from helpers import make_spec

    def build() -> tuple[worksheet.Spec, bytes]:
        spec = make_spec(_library(), exercises=[{"id": exercise_id}])
        return spec, worksheet.build(spec)

    return shared("alone-" + exercise_id, build)
