"""Drawn exercise illustrations: a posable 2D-projected figure with props, as vector art or PNG.

A `Figure` (the `[figure]` table of an exercise file) lists keyframe poses; the last is drawn solid,
earlier ones ghosted, with motion arrows and push cues — or Start and Finish side by side as labelled panels.

The models import light; the renderers (ReportLab, Pillow) load on first use, so reading exercise files
does not pay for drawing libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._model import Arrow, Figure, JointAngles, Keyframe, MotionCue, PushCue

if TYPE_CHECKING:
    from PIL.Image import Image
    from reportlab.graphics.shapes import Drawing

__all__ = [
    "Arrow", "Figure", "JointAngles", "Keyframe", "MotionCue", "PushCue", "contact_sheet", "figure_drawing", "figure_image",
    "fitted_size", "plugin_flowable",
]  # fmt: skip


def figure_drawing(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False,
                   labels: tuple[str, ...] = ("Start", "Finish"), label_size: float = 12.0) -> Drawing:
    """Vector drawing of the figure, scaled to fit width x height points, keeping its aspect ratio;
    `labels` name the Start and Finish panels of a figure shown as panels, printed at `label_size` points
    (the sheet's body size: the drawing makes room for the words, not the other way round)."""
    from ._render import figure_drawing as draw

    return draw(figure, width, height, style, mirror, labels, label_size)


def fitted_size(figure: Figure, max_width: float, max_height: float, style: str = "line", mirror: bool = False,
                labels: tuple[str, ...] = ("Start", "Finish"), label_size: float = 12.0) -> tuple[float, float]:
    """The box figure_drawing needs to show the figure as large as fits in max_width x max_height, no larger
    (with room for these panel labels)."""
    from ._render import fitted_size as size

    return size(figure, max_width, max_height, style, mirror, labels, label_size)


def figure_image(figure: Figure, width_px: int, height_px: int, style: str = "line", mirror: bool = False,
                 labels: tuple[str, ...] = ("Start", "Finish"), label_size: float = 12.0) -> Image:
    """The same picture as `figure_drawing`, as an RGB image on white; `label_size` in pixels."""
    from ._render import figure_image as paint

    return paint(figure, width_px, height_px, style, mirror, labels, label_size)


def contact_sheet(items: list[tuple[str, Figure]], columns: int = 3, cell_px: tuple[int, int] = (360, 260),
                  style: str = "line", box_pt: tuple[float, float] | None = None, dpi: float = 144) -> Image:
    """A labelled grid of figures as one RGB image; with `box_pt`, each as it prints in that picture box."""
    from ._contact_sheet import contact_sheet as sheet

    return sheet(items, columns, cell_px, style, box_pt, dpi)


def plugin_flowable(params: str) -> Drawing:
    """The layout templates' entry point (see rml_plugin)."""
    from .rml_plugin import plugin_flowable as flowable

    return flowable(params)
