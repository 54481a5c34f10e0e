"""One worksheet from a program or spec file plus the command line's overrides, written to disk: what
`worksheet build` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .build import build_to_file
from .cautions import mixed_directions_warning
from .language_guess import note_language_warning
from .library import OPTIONS, Library
from .output import check_target, sheet_inputs, write_atomic
from .request import request_with_origin
from .session import adherence_warnings
from .spec import Spec, output_name, resolve_with_notes, spec_to_toml

DEFAULT_OUTPUT_FOLDER = Path("output")


def content_warnings(spec: Spec, library: Library) -> list[str]:
    """What a clinician should know about the sheet's content: a mix of forward and backward bending that the
    program's introduction does not cover, and a note that looks like another language than the sheet's."""
    covered_by = library.program(spec.program).stop_first
    found = [
        mixed_directions_warning([item.exercise for item in spec.exercises], covered_by),
        note_language_warning(spec.note, spec.lang),
        unshown_pictures_warning(spec),
    ]
    return [warning for warning in found if warning]


def unshown_pictures_warning(spec: Spec) -> str | None:
    """An image given for a layout that prints no pictures would be silently ignored: say so."""
    pictured = [item.exercise.id for item in spec.exercises if item.image_from_user]
    # The spec carries its layout's templates: one that never calls picture() prints no images.
    if pictured and not any("picture(" in file.source for file in spec.templates.files.values()):
        return (
            f"layout '{spec.layout}' shows no pictures, so the image for {', '.join(pictured)} is not printed; "
            "choose a layout with pictures, such as cards or list"
        )
    return None


def build_worksheet(
    library: Library,
    program_or_spec: str,
    overrides: dict[str, Any],
    output: Path | None = None,
    save_spec: Path | None = None,
    limits: dict[str, int] | None = None,
) -> tuple[Path, int, list[str], list[str]]:
    """Resolve, build and write one worksheet (and its spec, if asked). overrides are request data, read from
    the options (``request.read_field``); limits are max_minutes and max_exercises for the warnings.

    Returns the PDF path, its size, notes for the user (exercises --avoid dropped, and why) and warnings that
    protect adherence (a session longer than max_minutes, more exercises than max_exercises)."""
    request, origin = request_with_origin(program_or_spec, overrides, OPTIONS)
    spec, notes = resolve_with_notes(request, library, origin=origin)
    source = origin.source
    warnings = adherence_warnings([item.dosage for item in spec.exercises], **(limits or {}))
    warnings += content_warnings(spec, library)
    if output is None:
        DEFAULT_OUTPUT_FOLDER.mkdir(exist_ok=True)
        output = DEFAULT_OUTPUT_FOLDER / output_name(spec)
    inputs = sheet_inputs(spec, library, None if source == OPTIONS else source, library.layout_folders)
    if save_spec is not None:  # both outputs are checked before either is written
        check_target(save_spec, [*inputs, (output, "the -o output path")])
        inputs.append((save_spec, "the --save-spec path"))
    size = build_to_file(spec, output, inputs)
    if save_spec is not None:
        write_atomic(spec_to_toml(spec).encode("utf-8"), save_spec, inputs[:-1] + [(output, "the -o output path")])
    return output, size, notes, warnings
