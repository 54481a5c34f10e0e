"""RML to PDF bytes with z3c.rml in strict mode, and atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import RenderError


def render_pdf(rml: str) -> bytes:
    """Render an RML document. An unknown tag is an error, not a warning."""
    from lxml import etree
    from reportlab.platypus.doctemplate import LayoutError
    from z3c.rml import directive, rml2pdf

    directive.ABORT_ON_INVALID_DIRECTIVE = True  # process-wide in z3c.rml; we always want it
    try:
        return rml2pdf.parseString(rml).getvalue()
    except etree.XMLSyntaxError as error:
        raise RenderError(f"layout produced invalid RML: {error}") from None
    except LayoutError as error:
        raise RenderError(f"the page layout failed: {error}") from None
    except (ValueError, KeyError, AttributeError, TypeError, OSError) as error:
        # z3c.rml reports bad directives and attributes through these; name the cause.
        raise RenderError(f"the PDF could not be rendered: {type(error).__name__}: {error}") from None


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
