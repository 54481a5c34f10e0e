"""A labelled grid of figures, for reviewing every pose at a glance."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from .._paths import bundled
from ._model import Figure
from ._render import figure_image

_LABEL_PX = 15
_GRID_GREY = "#c8c8c8"


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(bundled("assets") / "fonts" / "DejaVuSans.ttf"), size)


def _fitting_font(draw: ImageDraw.ImageDraw, label: str, width: int) -> ImageFont.FreeTypeFont:
    """The label's font, smaller for a long label so it stays inside its cell."""
    for size in range(_LABEL_PX, 8, -1):
        font = _font(size)
        if draw.textlength(label, font=font) <= width:
            return font
    return font


def contact_sheet(
    items: list[tuple[str, Figure]],
    columns: int = 3,
    cell_px: tuple[int, int] = (360, 260),
    style: str = "line",
) -> Image.Image:
    if columns < 1:
        raise ValueError("columns must be at least 1")
    cell_w, cell_h = cell_px
    label_h = _LABEL_PX + 10
    rows = max(1, -(-len(items) // columns))
    sheet = Image.new("RGB", (columns * cell_w, rows * cell_h), "white")
    draw = ImageDraw.Draw(sheet)
    for index, (label, figure) in enumerate(items):
        left, top = (index % columns) * cell_w, (index // columns) * cell_h
        sheet.paste(figure_image(figure, cell_w - 2, cell_h - label_h - 2, style=style), (left + 1, top + label_h))
        font = _fitting_font(draw, label, cell_w - 10)
        draw.text((left + cell_w / 2, top + label_h / 2), label, fill="black", font=font, anchor="mm")
        draw.rectangle((left, top, left + cell_w - 1, top + cell_h - 1), outline=_GRID_GREY)
    return sheet
