"""The customisation fields, declared once: each one's spec-file key, command-line option, roster column and help,
and how a value typed as text (an option, a CSV cell, a form field) reads into request data.

This is the one place the three doors are named, so they cannot disagree: the CLI's options (``cli.py``), the
roster's columns (``batch.py``) and the README's tables are all made from ``FIELDS``. Import-light on purpose (no
pydantic): the CLI builds its options from it at start-up.

Typed text, for every door alike: ids are separated by ``,`` or ``;`` (a roster cell uses ``;``, which needs no
CSV quoting); ``--set`` assignments and ``ID=VALUE`` pairs by ``;`` or by repeating the option; dates are
``YYYY-MM-DD``; flags are ``yes``/``no`` in a cell; paths are relative to the folder the door names (the working
folder for options, the roster's folder for a roster).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAPERS = ("letter", "a4")  # request.Paper says the same, and a test keeps them so

Typed = str | tuple[str, ...] | list[str] | bool
"""What a door hands over for one field: one string, several (a repeated option), or a flag."""


class TypedValueError(ValueError):
    """Typed text that does not read as its field's kind; the message says what was expected."""


@dataclass(frozen=True)
class CustomisationField:
    key: str  # the spec-file key and the Request field
    option: str | None  # the `build` option, or None where the command line has none
    column: str | None  # the roster column, or None where a roster has none
    kind: str  # how typed text reads: a key of READERS
    help: str
    metavar: str | None = None
    choices: tuple[str, ...] = ()  # a closed vocabulary the command line offers (and checks) as it parses

    @property
    def repeatable(self) -> bool:
        return self.kind in ("ids", "dosage", "paths_by_id", "links_by_id")


FIELDS: tuple[CustomisationField, ...] = (
    CustomisationField("program", None, "program", "text", "The program id (or a spec file) to start from."),
    CustomisationField("only", "--only", "only", "ids", "Keep just these exercises, in this order.", "ID,..."),
    CustomisationField("include", "--include", "include", "ids", "Add an exercise at the end (repeatable).", "ID"),
    CustomisationField("exclude", "--exclude", "exclude", "ids", "Drop an exercise (repeatable).", "ID"),
    CustomisationField(
        "order", "--order", "order", "ids",
        "Put these exercises first, in this order; 'position' groups them standing → sitting → kneeling → "
        "hands and knees → on the back → on the side → on the stomach.", "ID,...|position",
    ),
    CustomisationField(
        "dosage", "--set", "set", "dosage",
        "Change a dosage field: sets, reps, hold, rest, tempo, duration, load, side, per_day, days, start, review "
        "(repeatable; see the README's table).", "ID.FIELD=VALUE",
    ),
    CustomisationField("images", "--image", "image", "paths_by_id", "Use your own picture for an exercise.", "ID=PATH"),
    CustomisationField(
        "avoid", "--avoid", "avoid", "ids",
        "Drop exercises with this caution tag, e.g. extension-sensitive (repeatable).", "TAG",
    ),
    CustomisationField("patient", "--patient", "patient", "text", "Patient name, printed on every page."),
    CustomisationField("clinician", "--clinician", "clinician", "text", "Clinician name."),
    CustomisationField("clinic", "--clinic", "clinic", "text", "Clinic name."),
    CustomisationField("date", "--date", "date", "date", "Date on the sheet (YYYY-MM-DD); today if left out.", "YYYY-MM-DD"),
    CustomisationField("paper", "--paper", "paper", "text", "Paper size (default letter).", choices=PAPERS),
    CustomisationField(
        "layout", "--layout", "layout", "text",
        "Layout: cards (default), list, compact, large-print, log; see 'worksheet layouts'.", "NAME",
    ),
    CustomisationField("lang", "--lang", "language", "text", "Language of the sheet, e.g. es (default en).", "CODE"),
    CustomisationField(
        "also", "--also", "also", "text",
        "A second language for a helper: each card's name, dosage, steps, stop-if line and cautions, e.g. --lang es --also en.", "CODE",
    ),
    CustomisationField("clinic_address", "--clinic-address", "clinic_address", "text", "Clinic address, printed under its name."),
    CustomisationField("clinic_phone", "--clinic-phone", "clinic_phone", "text", "Clinic phone number."),
    CustomisationField("logo", "--logo", "logo", "path", "Clinic logo (PNG, JPEG, …).", "PATH"),
    CustomisationField(
        "accent", "--accent", "accent", "text",
        "Clinic colour for rules and shading (meaning never rests on it).", "#RRGGBB",
    ),
    CustomisationField("note", "--note", "note", "text", "A note from the clinician, printed under the header."),
    CustomisationField("next_visit", "--next-visit", "next_visit", "date", "Next appointment (YYYY-MM-DD).", "YYYY-MM-DD"),
    CustomisationField(
        "videos", "--video", "video", "links_by_id", "A video link for an exercise, printed as a QR code.", "ID=URL"
    ),
    CustomisationField("duplex", "--duplex", "duplex", "flag", "Add a notes page if needed so the page count is even."),
)  # fmt: skip

BY_KEY = {field.key: field for field in FIELDS}
OPTION_FIELDS = tuple(field for field in FIELDS if field.option)
COLUMN_FIELDS = tuple(field for field in FIELDS if field.column)


def _items(typed: Typed, separators: str) -> list[str]:
    """('a,b', 'c') → ['a', 'b', 'c']."""
    values = [typed] if isinstance(typed, str) else list(typed)  # type: ignore[arg-type]
    return [item.strip() for value in values for item in re.split(f"[{separators}]", value) if item.strip()]


def _text(typed: Typed, base: Path) -> str:
    if not isinstance(typed, str):
        raise TypedValueError(f"expected one value (found {typed!r})")
    return typed


def _ids(typed: Typed, base: Path) -> list[str]:
    return _items(typed, ",;")


def parse_set(assignments: list[str]) -> dict[str, dict[str, Any]]:
    """``['bridge.reps=12', ...]`` as ``{'bridge': {'reps': 12}}``; whole numbers become ints."""
    dosage: dict[str, dict[str, Any]] = {}
    for assignment in assignments:
        target, equals, value = assignment.partition("=")
        exercise_id, dot, name = target.strip().rpartition(".")
        if not (equals and dot and exercise_id and name and value.strip()):
            raise TypedValueError(f"{assignment!r}: expected ID.FIELD=VALUE, e.g. bridge.reps=12")
        value = value.strip()
        dosage.setdefault(exercise_id, {})[name] = int(value) if re.fullmatch(r"-?\d+", value) else value
    return dosage


def _dosage(typed: Typed, base: Path) -> dict[str, dict[str, Any]]:
    return parse_set(_items(typed, ";"))


def _by_id(typed: Typed, example: str) -> dict[str, str]:
    values = {}
    for pair in _items(typed, ";"):
        exercise_id, equals, value = pair.partition("=")
        if not (equals and exercise_id.strip() and value.strip()):
            raise TypedValueError(f"{pair!r}: expected ID=VALUE, e.g. {example}")
        values[exercise_id.strip()] = value.strip()
    return values


def _paths_by_id(typed: Typed, base: Path) -> dict[str, str]:
    return {key: str((base / path).resolve()) for key, path in _by_id(typed, "bridge=photos/bridge.jpg").items()}


def _links_by_id(typed: Typed, base: Path) -> dict[str, str]:
    return _by_id(typed, "bridge=https://example.org/bridge")


def _date(typed: Typed, base: Path) -> dt.date:
    text = _text(typed, base).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise TypedValueError(f"expected a date as YYYY-MM-DD, e.g. 2026-11-26 (found {text!r})")


def _path(typed: Typed, base: Path) -> str:
    return str((base / _text(typed, base)).resolve())


_YES, _NO = ("yes", "y", "true", "1", "on"), ("no", "n", "false", "0", "off")


def _flag(typed: Typed, base: Path) -> bool:
    if isinstance(typed, bool):
        return typed
    text = _text(typed, base).strip().lower()
    if text not in _YES + _NO:
        raise TypedValueError(f"expected yes or no (found {text!r})")
    return text in _YES


READERS: dict[str, Callable[[Typed, Path], Any]] = {
    "text": _text, "ids": _ids, "dosage": _dosage, "paths_by_id": _paths_by_id, "links_by_id": _links_by_id,
    "date": _date, "path": _path, "flag": _flag,
}  # fmt: skip


def read_typed(field: CustomisationField, typed: Typed, base: Path) -> Any:
    """One field's typed text as request data (raises TypedValueError saying what was expected)."""
    return READERS[field.kind](typed, base)


def is_empty(typed: Typed | None) -> bool:
    """Nothing typed: an option left out, an empty cell (a flag left off is None, not False)."""
    if typed is None:
        return True
    if isinstance(typed, bool):
        return False
    values = [typed] if isinstance(typed, str) else typed
    return not any(value.strip() for value in values)
