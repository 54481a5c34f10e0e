"""One worksheet from a program or spec file plus option strings, written to disk: what `worksheet build` does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .build import build_to_file
from .errors import SpecError
from .library import OPTIONS, Library, describe_validation_error
from .models import DosageOverride
from .cautions import mixed_directions_warning
from .language_guess import note_language_warning
from .output import check_target, sheet_inputs, write_atomic
from .session import adherence_warnings
from .spec import Spec, output_name, parse_set, request_data, resolve_with_notes, spec_to_toml, validate_request

DEFAULT_OUTPUT_FOLDER = Path("output")


def _split(values) -> list[str]:
    """`('a,b', 'c')` → ['a', 'b', 'c']: every list option takes commas or repeats."""
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def _by_id(assignments, option: str, example: str) -> dict[str, str]:
    """`('bridge=x', …)` → {'bridge': 'x'}."""
    values = {}
    for assignment in assignments or ():
        exercise_id, equals, value = assignment.partition("=")
        if not (equals and exercise_id.strip() and value.strip()):
            raise SpecError(f"{option} {assignment!r}: expected ID=VALUE, e.g. {option} {example}")
        values[exercise_id.strip()] = value.strip()
    return values


def _images(assignments) -> dict[str, str]:
    images = _by_id(assignments, "--image", "bridge=photos/bridge.jpg")
    return {exercise_id: str(Path(path).resolve()) for exercise_id, path in images.items()}


def _dosage(assignments, label: str) -> dict[str, dict[str, Any]]:
    dosage = parse_set(assignments or ())
    for exercise_id, fields in dosage.items():
        try:
            DosageOverride.model_validate(fields)
        except ValidationError as error:
            raise SpecError(describe_validation_error(f"{label} {exercise_id}", error)) from None
    return dosage


def _day(value):
    """click.DateTime gives datetimes; the request wants dates."""
    return value.date() if isinstance(value, dt.datetime) else value


def overrides_from_options(options: dict[str, Any], set_label: str = "--set") -> dict[str, Any]:
    """Option values (from the command line or a roster row) as request fields."""
    logo = options.get("logo")
    return {
        "only": _split(options.get("only")),
        "include": _split(options.get("include")),
        "exclude": _split(options.get("exclude")),
        "order": _split(options.get("order")),
        "dosage": _dosage(options.get("assignments"), set_label),
        "images": _images(options.get("images")),
        "patient": options.get("patient"),
        "clinician": options.get("clinician"),
        "clinic": options.get("clinic"),
        "date": _day(options.get("date")),
        "paper": options.get("paper"),
        "layout": options.get("layout"),
        "avoid": _split(options.get("avoid")),
        "videos": _by_id(options.get("videos"), "--video", "bridge=https://example.org/bridge"),
        "lang": options.get("lang"),
        "also": options.get("also"),
        "clinic_address": options.get("clinic_address"),
        "clinic_phone": options.get("clinic_phone"),
        "logo": str(Path(logo).resolve()) if logo else None,
        "accent": options.get("accent"),
        "note": options.get("note"),
        "next_visit": _day(options.get("next_visit")),
        "duplex": options.get("duplex"),
    }


def content_warnings(spec: Spec, library: Library) -> list[str]:
    """What a clinician should know about the sheet's content: a mix of forward and backward bending that the
    program's introduction does not cover, and a note that looks like another language than the sheet's."""
    covered_by = library.program(spec.program).stop_first
    found = [
        mixed_directions_warning([item.exercise for item in spec.exercises], covered_by),
        note_language_warning(spec.note, spec.lang),
    ]
    return [warning for warning in found if warning]


def build_worksheet(
    library: Library,
    program_or_spec: str,
    options: dict[str, Any],
    output: Path | None = None,
    save_spec: Path | None = None,
    layout_folders: tuple[Path, ...] = (),
) -> tuple[Path, int, list[str], list[str]]:
    """Resolve, build and write one worksheet (and its spec, if asked).

    Returns the PDF path, its size, notes for the user (exercises --avoid dropped, and why) and warnings that
    protect adherence (a session longer than max_minutes, more exercises than max_exercises)."""
    data, source = request_data(program_or_spec, overrides_from_options(options))
    spec, notes = resolve_with_notes(validate_request(data, source), library)
    limits = {key: options[key] for key in ("max_minutes", "max_exercises") if options.get(key) is not None}
    warnings = adherence_warnings([item.dosage for item in spec.exercises], **limits) + content_warnings(spec, library)
    if output is None:
        DEFAULT_OUTPUT_FOLDER.mkdir(exist_ok=True)
        output = DEFAULT_OUTPUT_FOLDER / output_name(spec)
    inputs = sheet_inputs(spec, library, None if source == OPTIONS else source, layout_folders)
    if save_spec is not None:  # both outputs are checked before either is written
        check_target(save_spec, [*inputs, (output, "the -o output path")])
        inputs.append((save_spec, "the --save-spec path"))
    size = build_to_file(spec, output, layout_folders, inputs)
    if save_spec is not None:
        write_atomic(spec_to_toml(spec).encode("utf-8"), save_spec, inputs[:-1] + [(output, "the -o output path")])
    return output, size, notes, warnings
