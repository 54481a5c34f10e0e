"""RML to PDF bytes with z3c.rml in strict mode, and atomic writes."""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
from pathlib import Path

from .errors import RenderError


def prepare_engine() -> None:
    """Import z3c.rml and parse our fonts now (≈0.3 s), e.g. before forking workers that would each pay for it."""
    from z3c.rml import document  # noqa: F401

    from ._fonts import FACES, install, parsed_font

    install()
    for face in FACES:
        parsed_font(face)


def render_pdf(rml: str, layout: str = "layout") -> tuple[bytes, int]:
    """Render an RML document: the PDF and its page count. An unknown tag is an error, not a warning."""
    from lxml import etree
    from reportlab.platypus.doctemplate import LayoutError
    from z3c.rml import directive, document

    from ._fonts import install, take_declared
    from .pagecount import PageCountCanvas

    install()  # fonts parsed once per process, registered for each document
    directive.ABORT_ON_INVALID_DIRECTIVE = True  # process-wide in z3c.rml; we always want it
    # z3c.rml also logs what it then raises; the raised error is the one we report.
    logging.getLogger("z3c.rml").setLevel(logging.CRITICAL)
    try:
        root = etree.fromstring(rml.split("\n", 1)[1] if rml.startswith("<?xml") else rml)
        take_declared(root)
        output = io.BytesIO()
        pages: list[int] = []

        class CountingCanvas(PageCountCanvas):  # one class per render: the count stays with this document
            def save(self) -> None:
                pages.append(len(self._held_pages))
                super().save()

        document.Document(root, canvasClass=CountingCanvas).process(output)
        return output.getvalue(), pages[-1]
    except etree.XMLSyntaxError as error:
        raise RenderError(f"{layout} produced invalid RML: {error.msg}{_quote(rml, error.lineno)}") from None
    except LayoutError as error:
        raise RenderError(f"{layout}: the page layout failed: {error}") from None
    except (ValueError, KeyError, AttributeError, TypeError, OSError) as error:
        # z3c.rml reports bad directives and attributes through these, with the RML line in the message.
        found = re.search(r"line (\d+)", str(error))
        quote = _quote(rml, int(found.group(1))) if found else ""
        raise RenderError(f"{layout} could not be rendered: {error}{quote}") from None


def _quote(rml: str, line_number: int | None) -> str:
    """The generated RML line an error points at, so it can be found in the template."""
    lines = rml.splitlines()
    if rml.startswith("<?xml"):
        lines = lines[1:]  # z3c.rml drops the XML declaration before parsing, and counts lines without it
    if not line_number or not 0 < line_number <= len(lines):
        return ""
    return f" — RML line {line_number}: {lines[line_number - 1].strip()[:120]}"


def write_atomic(data: bytes, path: Path) -> None:
    """Write all of data to path or nothing: a temp file in the same folder, then a rename."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise RenderError(f"{path}: is a folder; give a file name such as {path / 'worksheet.pdf'}")
    if not folder.is_dir():
        raise RenderError(f"{path}: folder {folder} does not exist; create it or choose another output path")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise RenderError(f"{path}: cannot write in {folder}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise RenderError(f"{path}: cannot write: {error.strerror}") from None
    except BaseException:  # interrupted (Ctrl-C): leave no temporary file behind
        Path(temporary).unlink(missing_ok=True)
        raise
