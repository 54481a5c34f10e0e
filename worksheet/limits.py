"""How much one sheet may hold, so that any input builds in a few seconds and a bounded amount of memory.

Measured on the 2-core machine (2026-12-01): one paragraph of 40,000 characters took 7-9 s to lay out (a paragraph
split over pages is re-wrapped on every page); 150 exercises of 1,000 characters each take about 2 s wall, and a
12,000-character exercise about 0.5 s. The limits below keep the worst sheet within a few seconds. They are the
schema's limits (so `worksheet check` reports them) plus one total per sheet, which build checks.
"""

from __future__ import annotations

MAX_TEXT = 1_000  # characters in one step, tip, purpose, introduction, …; the bundled ones run to 125
MAX_ITEMS = 20  # tips, stop-if lines, progressions, cautions, other names, tags
MAX_STEPS = 60
MAX_EXERCISE_TEXT = 12_000  # printed characters in one exercise, all fields together; the bundled reach 1,100
MAX_EXERCISES = 200  # on one sheet, and in one program
MAX_SHEET_TEXT = 150_000  # printed characters on one sheet, every exercise and both languages together
MAX_IMAGE_PIXELS = 30_000_000  # a 30-megapixel RGBA image is 120 MB decoded; peak memory measured below
MAX_ROSTER_BYTES = 10_000_000  # a roster of 10 MB is ~100,000 rows; anything bigger is not a roster

# The fields that reach the page; ids, paths and pose data never do.
PRINTED_FIELDS = ("name", "other_names", "purpose", "steps", "tips", "stop_if", "progression", "cautions")


def printed_length(item) -> int:
    """Characters an exercise (or its translation) puts on the page."""
    total = 0
    for name in PRINTED_FIELDS:
        value = getattr(item, name, None) or ()
        total += len(value) if isinstance(value, str) else sum(len(part) for part in value)
    return total


def sheet_text_problem(spec) -> str | None:
    """Why a resolved sheet is too big to build, or None."""
    if len(spec.exercises) > MAX_EXERCISES:
        return f"{len(spec.exercises)} exercises on one sheet, more than {MAX_EXERCISES}; split them over several sheets"
    total = sum(printed_length(item.exercise) + (printed_length(item.second) if item.second else 0)
                for item in spec.exercises)  # fmt: skip
    if total > MAX_SHEET_TEXT:
        return (f"the exercises on this sheet have {total:,} characters of text, more than {MAX_SHEET_TEXT:,}; "
                "split them over several sheets")  # fmt: skip
    return None


MAX_TOML_BYTES = 2_000_000  # a spec, exercise or program file; the largest bundled one is under 5 KB


def read_input(path, max_bytes: int, error, what: str = "file") -> bytes:
    """All of a regular file of at most max_bytes, or ``error`` (an exception class) saying why not.

    A FIFO or a device would stall the read or fill memory (/dev/zero never ends), so only regular files are read,
    and never more than the limit even if the file grows meanwhile."""
    import os
    import stat

    # O_NONBLOCK: opening a FIFO would otherwise wait for a writer before there is anything to check.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # FileNotFoundError and friends: the caller words them
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: is not a regular file; give a {what} saved on disk")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise error(f"{path}: is larger than {max_bytes:,} bytes, too big for a {what}")
    return data
