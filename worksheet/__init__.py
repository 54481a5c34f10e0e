"""worksheet: printable home-exercise worksheets from exercise data, dosed for one patient.

The public API::

    library = worksheet.load_library()
    request = worksheet.Request.from_data({"program": "dont-crack-your-back", "patient": "Ana"}, "my-app")
    spec = worksheet.resolve(request, library)   # carries its layout's templates: build reads no folder
    pdf_bytes = worksheet.build(spec)

Every error is a ``WorksheetError`` (one line, naming the file or field): ``Request.from_data`` raises
``SpecError``, never pydantic's ValidationError. ``worksheet.request`` says how every door builds a Request.

Names are imported on first use (PEP 562), so ``import worksheet`` — and a command such as ``worksheet
--help`` — does not pay for the schema library or the PDF engine it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Where each public name lives.
_EXPORTS = {
    "build_many": "batch",
    "DataError": "errors", "ImageError": "errors", "PrintError": "errors", "RenderError": "errors", "SpecError": "errors",
    "TemplateError": "errors", "WorksheetError": "errors",
    "Library": "library", "load_library": "library",
    "Dosage": "models", "DosageOverride": "models", "Exercise": "models", "Program": "models",
    "Request": "spec", "Spec": "spec", "resolve": "spec", "spec_to_toml": "spec",
}  # fmt: skip

__all__ = sorted([*_EXPORTS, "build"])

# Eager, and light: a submodule named like the function would otherwise shadow it once imported.
from .build import build  # noqa: E402

if TYPE_CHECKING:
    from .batch import build_many
    from .errors import DataError, ImageError, PrintError, RenderError, SpecError, TemplateError, WorksheetError
    from .library import Library, load_library
    from .models import Dosage, DosageOverride, Exercise, Program
    from .spec import Request, Spec, resolve, spec_to_toml


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'worksheet' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
