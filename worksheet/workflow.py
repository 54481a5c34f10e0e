"""One worksheet from a program or spec file plus the command line's overrides, written to disk: what
`worksheet build` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .build import build_to_file
from .library import OPTIONS, Library
from .render import write_atomic
from .request import request_from
from .session import adherence_warnings
from .spec import output_name, resolve_with_notes, spec_to_toml

DEFAULT_OUTPUT_FOLDER = Path("output")


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
    spec, notes = resolve_with_notes(request_from(program_or_spec, overrides, OPTIONS), library)
    warnings = adherence_warnings([item.dosage for item in spec.exercises], **(limits or {}))
    if output is None:
        DEFAULT_OUTPUT_FOLDER.mkdir(exist_ok=True)
        output = DEFAULT_OUTPUT_FOLDER / output_name(spec)
    size = build_to_file(spec, output)
    if save_spec is not None:
        write_atomic(spec_to_toml(spec).encode("utf-8"), save_spec)
    return output, size, notes, warnings
