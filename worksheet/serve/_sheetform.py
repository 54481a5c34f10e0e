"""The page's form as a worksheet request, through the CLI's own door, and the resolved sheet back as form values.

The form's fields are typed text for the same customisation fields the `worksheet build` options fill
(``customisation.FIELDS``: ``only``, ``dosage`` as ``ID.FIELD=VALUE``, ``patient`` …), read through the command
line's door (``request.typed_overrides`` with ``OPTIONS``) and merged by ``request.request_from``, so every message
the page shows is the one the command line prints. ``request_for`` is the one place that makes the ``Request``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpecError, WorksheetError
from ..library import OPTIONS, Library
from ..models import DOSAGE_FIELDS, Dosage
from ..request import FieldValueError, Request, request_from, typed_overrides
from ..spec import POSITION_ORDER, Spec, resolve_with_notes

# The sheet's own options the page offers, each the name of the `worksheet build` option it fills.
HEADER_FIELDS = (
    "patient", "clinician", "clinic", "clinic_address", "clinic_phone", "note", "next_visit", "date",
    "layout", "paper", "lang", "also", "accent",
)  # fmt: skip
MAX_MINUTES = 20
MAX_EXERCISES = 6


@dataclass
class SheetForm:
    """What the page sends: the program it started from, the exercises in order, and every typed value."""

    program: str
    exercises: list[str] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    dosage: dict[tuple[str, str], str] = field(default_factory=dict)  # (exercise id, field) -> typed text
    videos: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)  # exercise id -> an uploaded image's file
    logo: str = ""
    avoid: list[str] = field(default_factory=list)
    duplex: bool = False
    max_minutes: int = MAX_MINUTES
    max_exercises: int = MAX_EXERCISES


def parse_form(items: list[tuple[str, str]], uploads: dict[str, str]) -> SheetForm:
    """The posted form fields (in order) as a SheetForm; uploaded files are named by their handles in uploads."""
    sheet = SheetForm(program="")
    for name, value in items:
        value = value.strip()
        if name == "program":
            sheet.program = value
        elif name == "exercise":
            if value and value not in sheet.exercises:
                sheet.exercises.append(value)
        elif name in HEADER_FIELDS:
            if value:
                sheet.header[name] = value
        elif name.startswith("dose.") and value:
            exercise_id, _, dosage_field = name[5:].rpartition(".")
            sheet.dosage[exercise_id, dosage_field] = value
        elif name.startswith("video.") and value:
            sheet.videos[name[6:]] = value
        elif name.startswith("image.") and value in uploads:
            sheet.images[name[6:]] = uploads[value]
        elif name == "logo" and value in uploads:
            sheet.logo = uploads[value]
        elif name == "avoid" and value:
            sheet.avoid.append(value)
        elif name == "duplex":
            sheet.duplex = value == "on"
        elif name in ("max_minutes", "max_exercises") and value.isdigit():
            setattr(sheet, name, max(1, min(int(value), 240)))
    return sheet


def to_values(sheet: SheetForm) -> dict[str, Any]:
    """The sheet as typed text for each customisation field, as the `worksheet build` options would carry it."""
    on_sheet = sheet.exercises
    return {
        **{name: sheet.header.get(name) for name in HEADER_FIELDS},
        "only": ",".join(on_sheet) if on_sheet else None,
        "dosage": tuple(f"{i}.{name}={value}" for (i, name), value in sheet.dosage.items() if i in on_sheet),
        "images": tuple(f"{i}={path}" for i, path in sheet.images.items() if i in on_sheet),
        "videos": tuple(f"{i}={url}" for i, url in sheet.videos.items() if i in on_sheet),
        "logo": sheet.logo or None,
        "avoid": tuple(sheet.avoid),
        "duplex": sheet.duplex or None,
    }


def request_for(program: str, values: dict[str, Any], layout_folders: tuple[Path, ...] = ()) -> Request:
    """The CLI's door from typed values to a validated Request: a FieldValueError for a bad field, a SpecError for
    a request that cannot hold together."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", program):  # an id, never a path: the page reads no file by name
        raise SpecError(f"program {program!r}: not a program id; choose one from the list")
    return request_from(program, typed_overrides(values, OPTIONS, Path.cwd(), layout_folders), OPTIONS)


def cli_message(error: WorksheetError) -> str:
    """The line `worksheet build` prints for this error (without 'Error: '): a bad option value is a usage error."""
    if isinstance(error, FieldValueError):
        return f"Invalid value for '{error.label}{' ' + error.item if error.item else ''}': {error.detail}"
    return str(error)


def field_errors(sheet: SheetForm, layout_folders: tuple[Path, ...] = ()) -> dict[str, str]:
    """Each field's own problem, in the CLI's words: every field is checked alone, so each message sits beside the
    field it concerns, and all of them show at once."""
    checks: list[tuple[str, dict[str, Any]]] = [(name, {name: value}) for name, value in sheet.header.items()]
    checks += [(f"dose.{i}.{name}", {"dosage": (f"{i}.{name}={value}",)}) for (i, name), value in sheet.dosage.items()]
    checks += [(f"video.{i}", {"videos": (f"{i}={url}",)}) for i, url in sheet.videos.items()]
    checks += [("avoid", {"avoid": tuple(sheet.avoid)})] if sheet.avoid else []
    errors = {}
    for name, values in checks:
        try:
            request_for(sheet.program, values, layout_folders)
        except WorksheetError as error:
            errors[name] = cli_message(error)
    # A header field may need another one (a clinic's phone prints under its name): check such a field again
    # beside the header fields that are right on their own, so it is wrong only if the sheet as typed is.
    context = {name: value for name, value in sheet.header.items() if name not in errors}
    for name in [name for name in errors if name in sheet.header]:
        try:
            request_for(sheet.program, {**context, name: sheet.header[name]}, layout_folders)
        except WorksheetError as error:
            errors[name] = cli_message(error)
        else:
            del errors[name]
    return errors


@dataclass
class Checked:
    """A form checked and resolved: the errors by field and for the whole sheet, or the spec and what to say."""

    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    spec: Spec | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    minutes: int | None = None


def check(sheet: SheetForm, library: Library) -> Checked:
    """Validate every field, then resolve the whole sheet exactly as `worksheet build` does."""
    from ..session import adherence_warnings, session_minutes
    from ..workflow import content_warnings

    if sheet.program not in library.programs:
        return Checked(errors={"program": "Choose the program whose title and introduction the sheet prints"})
    errors = field_errors(sheet, library.layout_folders)
    if errors:
        return Checked(errors=errors)
    if not sheet.exercises:
        return Checked(problems=["The sheet has no exercises yet; add one from the library"])
    try:
        spec, notes = resolve_with_notes(request_for(sheet.program, to_values(sheet), library.layout_folders), library)
    except WorksheetError as error:
        return Checked(problems=[cli_message(error)])
    dosages = [item.dosage for item in spec.exercises]
    return Checked(
        spec=spec,
        notes=notes,
        warnings=adherence_warnings(dosages, sheet.max_minutes, sheet.max_exercises) + content_warnings(spec, library),
        minutes=session_minutes(dosages),
    )


# The page's side: rows of the sheet as the form shows them.


def dosage_text(dosage: Dosage) -> dict[str, str]:
    """Each dosage field as the text the form shows; '' where the field is not set."""
    values = {}
    for name in DOSAGE_FIELDS:
        value = getattr(dosage, name)
        if value is None:
            values[name] = ""
        elif isinstance(value, tuple):
            values[name] = ",".join(value)
        elif isinstance(value, dt.date):
            values[name] = value.isoformat()
        else:
            values[name] = str(value)
    return values


def default_dosage(library: Library, program_id: str, exercise_id: str) -> Dosage:
    """The dosage an exercise gets on this program before the clinician changes it."""
    exercise = library.exercise(exercise_id)
    program = library.programs.get(program_id)
    entry = program.entry(exercise_id) if program else None
    return exercise.dosage.updated(entry.dosage if entry else None)


def position_rank(position: str) -> int:
    """Where `--order position` puts an exercise: standing first, down to the floor."""
    return POSITION_ORDER.index(position)
