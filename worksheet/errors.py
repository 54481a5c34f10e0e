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


def describe_bug(error: BaseException) -> str:
    """One line for an error that is our fault, not the user's: said as a bug, in plain words (a pydantic
    ValidationError as its first field and message, never its multi-line text and documentation URL)."""
    detail = str(error)
    errors = getattr(error, "errors", None)
    if type(error).__name__ == "ValidationError" and callable(errors):
        first = errors()[0]
        detail = f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
    return str(WorksheetError(
        f"unexpected {type(error).__name__} ({detail[:200]}): a bug in worksheet, not in your input; "
        "'worksheet --debug …' shows where"
    ))
