"""PNG previews for a quick look: the contact sheet of exercise figures."""

from __future__ import annotations

import io
from pathlib import Path

from .errors import DataError
from .library import Library
from .output import write_atomic


def write_contact_sheet(
    library: Library, exercise_ids: list[str], output: Path, style: str = "line", columns: int = 4,
    box_pt: tuple[float, float] | None = None, dpi: float = 144,
) -> int:
    """Draw the figures of the given exercises (all that have one, if none given) labelled with their names,
    each as it prints in a `box_pt` picture box if given; returns how many were drawn."""
    from .figures import contact_sheet

    if exercise_ids:
        exercises = [library.exercise(exercise_id) for exercise_id in exercise_ids]
        missing = [exercise.id for exercise in exercises if exercise.figure is None]
        if missing:
            raise DataError(f"exercise '{missing[0]}' has no [figure] pose data to draw; add one to its file")
    else:
        exercises = [exercise for _, exercise in sorted(library.exercises.items()) if exercise.figure is not None]
    if not exercises:
        raise DataError("no exercise has a figure to draw")
    items = [(exercise.name, exercise.figure) for exercise in exercises if exercise.figure is not None]
    image = contact_sheet(items, columns=min(columns, len(items)), style=style, box_pt=box_pt, dpi=dpi)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    write_atomic(buffer.getvalue(), output)
    return len(items)


def write_page_previews(pdf: Path, folder: Path | None = None, dpi: int = 100) -> list[Path]:
    """Each page of a PDF as a PNG (pdfium), named FILE-1.png, FILE-2.png … beside it or in folder."""
    import pypdfium2 as pdfium

    folder = folder or pdf.parent
    try:
        document = pdfium.PdfDocument(str(pdf))
    except FileNotFoundError:
        raise DataError(f"{pdf}: file not found") from None
    except pdfium.PdfiumError as error:
        raise DataError(f"{pdf}: not a readable PDF ({error})") from None
    written = []
    for index in range(len(document)):
        image = document[index].render(scale=dpi / 72).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        target = folder / f"{pdf.stem}-{index + 1}.png"
        write_atomic(buffer.getvalue(), target)
        written.append(target)
    return written
