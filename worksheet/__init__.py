"""worksheet: printable home-exercise worksheets from exercise data, dosed for one patient.

The public API::

    library = worksheet.load_library()
    spec = worksheet.resolve(worksheet.Request(program="dont-crack-your-back", patient="Ana"), library)
    pdf_bytes = worksheet.build(spec)
"""

from .batch import build_many
from .build import build
from .errors import DataError, ImageError, RenderError, SpecError, TemplateError, WorksheetError
from .library import Library, load_library
from .models import Dosage, DosageOverride, Exercise, Program
from .spec import Request, Spec, resolve, spec_to_toml

__all__ = [
    "DataError", "Dosage", "DosageOverride", "Exercise", "ImageError", "Library", "Program", "RenderError",
    "Request", "Spec", "SpecError", "TemplateError", "WorksheetError", "build", "build_many", "load_library", "resolve",
    "spec_to_toml",
]  # fmt: skip
