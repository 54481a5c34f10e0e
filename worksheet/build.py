"""The Python API: a spec in, PDF bytes out. A pure function of its spec, safe in any process."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SpecError
from .limits import sheet_text_problem

if TYPE_CHECKING:
    from .spec import Spec


def build(spec: Spec) -> bytes:
    """The worksheet PDF for a resolved spec (which carries its layout's templates: no folder is read)."""
    problem = sheet_text_problem(spec)
    if problem:  # refused before any work: a sheet this big would take minutes
        raise SpecError(problem)
    # Imported here, not at the top: `import worksheet` imports this module, and must stay light.
    from ._engine import import_reportlab

    import_reportlab()  # before compose imports ReportLab: without two regular expressions it rarely uses
    from .compose import compose
    from .render import render_pdf

    layout = f"layout '{spec.layout}'"
    pdf, pages = render_pdf(compose(spec), layout)
    if spec.duplex and pages % 2:
        # Printed on both sides, an odd sheet's last page would back onto the next patient's first: add a notes page.
        pdf, pages = render_pdf(compose(spec, pad_to_even=True), layout)
    return pdf


def build_to_file(spec: Spec, output: Path, inputs: Iterable[tuple[Path, str]] = ()) -> int:
    """Build and write atomically: the file is whole or untouched, and never one of ``inputs`` (see output.py).
    Returns the number of bytes written."""
    from .output import check_target, write_atomic

    inputs = list(inputs)
    check_target(output, inputs)  # before the work, so a refused path costs nothing
    pdf = build(spec)
    write_atomic(pdf, output, inputs)
    return len(pdf)
