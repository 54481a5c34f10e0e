"""The one error root. Every message names where (file, field, line) and what to do about it.

Kept tiny and import-light so every module can raise these without import loops.
"""

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class WorksheetError(Exception):
    """Anything the user can fix: bad data, a bad option, a template or render failure.

    The message is always one line: control characters that came in with user input (a newline typed into an
    option, say) are shown escaped, as Python would write them.
    """

    def __init__(self, message: str) -> None:
        super().__init__(_CONTROL.sub(lambda match: repr(match.group())[1:-1], message))


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


class PrintError(WorksheetError):
    """The PDF was written but could not be sent to a printer."""
