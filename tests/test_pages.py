"""The printed page, judged from the PDF alone, for every bundled program × layout × paper × language.

Each cell is built once (the whole matrix in a two-process pool, shared by every assertion) and checked for
issue 13's rules (tests/page_rules.py): page budget, no page but the last under half full (rendered pixels),
no exercise split across pages or columns (text positions), day names and links whole, type sizes (the PDF's
text objects). A cell known to fail is listed below with the reason, strictly: it fails the suite once fixed.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing

import pytest

import worksheet
from page_rules import LANGUAGES, LAYOUTS, PAPERS, cell_id, judge_cell

PROGRAMS = sorted(worksheet.load_library().programs)
CELLS = [
    (program, layout, paper, lang, also)
    for program in PROGRAMS
    for layout in LAYOUTS
    for paper in PAPERS
    for lang, also in LANGUAGES
]

# Cells that still break a rule, each with why; strict, so a fixed cell must leave this list.
KNOWN_FAILURES: dict[str, str] = {}


@functools.cache
def _results() -> dict[tuple, tuple[int, list[str]]]:
    # Two processes (the machine has two cores): ReportLab is not thread-safe, and 210 builds one by one
    # would take twice as long.
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        return dict(zip(CELLS, pool.map(judge_cell, CELLS, chunksize=8)))


def _marks(cell):
    reason = KNOWN_FAILURES.get(cell_id(*cell))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize(
    "cell", [pytest.param(cell, id=cell_id(*cell), marks=_marks(cell)) for cell in CELLS]
)
def test_sheet_fits(cell):
    pages, problems = _results()[cell]
    assert problems == [], f"{cell_id(*cell)} ({pages} pages): " + "; ".join(problems)
