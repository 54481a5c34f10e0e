"""A labelled grid of figures, for reviewing every pose at a glance, each at the size it prints."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from .._paths import bundled
from ._model import Figure
from ._render import figure_image, fitted_size

_LABEL_PX = 15
_GRID_GREY = "#c8c8c8"
_BOX_GREY = "#dcdcf0"  # the picture box a layout gives the figure, so a reader sees how the figure fills it


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(bundled("assets") / "fonts" / "LiberationSans-Regular.ttf"), size)


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
    box_pt: tuple[float, float] | None = None,
    dpi: float = 144,
) -> Image.Image:
    """With `box_pt`, each figure is drawn as it prints: shrunk to fit that picture box (points) exactly as the
    layouts do, at `dpi`, inside the box's outline; without it, each fills a cell of `cell_px`."""
    if columns < 1:
        raise ValueError("columns must be at least 1")
    label_h = _LABEL_PX + 10
    panel_px = 12.0 * dpi / 72  # Start / Finish at the sheets' 12 pt
    if box_pt is not None:
        box_px = (round(box_pt[0] * dpi / 72), round(box_pt[1] * dpi / 72))
        cell_w, cell_h = box_px[0] + 12, box_px[1] + label_h + 8
    else:
        cell_w, cell_h = cell_px
    rows = max(1, -(-len(items) // columns))
    sheet = Image.new("RGB", (columns * cell_w, rows * cell_h), "white")
    draw = ImageDraw.Draw(sheet)
    for index, (label, figure) in enumerate(items):
        left, top = (index % columns) * cell_w, (index // columns) * cell_h
        if box_pt is not None:
            box_left, box_top = left + 6, top + label_h
            draw.rectangle((box_left - 1, box_top - 1, box_left + box_px[0], box_top + box_px[1]), outline=_BOX_GREY)
            width, height = fitted_size(figure, *box_pt, style=style)
            image = figure_image(figure, max(1, round(width * dpi / 72)), max(1, round(height * dpi / 72)), style=style,
                                 label_size=panel_px)
            sheet.paste(image, (box_left + (box_px[0] - image.width) // 2, box_top + (box_px[1] - image.height) // 2))
        else:
            image = figure_image(figure, cell_w - 2, cell_h - label_h - 2, style=style, label_size=panel_px)
            sheet.paste(image, (left + 1, top + label_h))
        font = _fitting_font(draw, label, cell_w - 10)
        draw.text((left + cell_w / 2, top + label_h / 2), label, fill="black", font=font, anchor="mm")
        draw.rectangle((left, top, left + cell_w - 1, top + cell_h - 1), outline=_GRID_GREY)
    return sheet
