"""The one error root. Every message names where (file, field, line) and what to do about it.

Kept tiny and import-free so every module can raise these without import loops.
"""


class WorksheetError(Exception):
    """Anything the user can fix: bad data, a bad option, a template or render failure."""


class DataError(WorksheetError):
    """An exercise or program file is malformed or invalid."""


class SpecError(WorksheetError):
    """The customisation (options or spec file) cannot be resolved into a worksheet."""


class ImageError(WorksheetError):
    """An illustration file is missing, unreadable or not an image."""


class TemplateError(WorksheetError):
    """A layout template is missing or broken."""


class RenderError(WorksheetError):
    """The PDF could not be rendered or written."""
