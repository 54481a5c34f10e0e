"""worksheet: printable home-exercise worksheets from exercise data, dosed for one patient.

The public API::

    library = worksheet.load_library()
    request = worksheet.Request.from_data({"program": "dont-crack-your-back", "patient": "Ana"}, "my-app")
    spec = worksheet.resolve(request, library)   # carries its layout's templates: build reads no folder
    pdf_bytes = worksheet.build(spec)

Every error is a ``WorksheetError`` (one line, naming the file or field): ``Request.from_data`` raises
``SpecError``, never pydantic's ValidationError. ``worksheet.request`` says how every door builds a Request.
"""

from .batch import build_many
from .build import build
from .errors import DataError, ImageError, PrintError, RenderError, SpecError, TemplateError, WorksheetError
from .library import Library, load_library
from .models import Dosage, DosageOverride, Exercise, Program
from .spec import Request, Spec, resolve, spec_to_toml

__all__ = [
    "DataError", "Dosage", "DosageOverride", "Exercise", "ImageError", "Library", "PrintError", "Program", "RenderError",
    "Request", "Spec", "SpecError", "TemplateError", "WorksheetError", "build", "build_many", "load_library", "resolve",
    "spec_to_toml",
]  # fmt: skip
