"""The public renderers: one cached scene, painted as vector art or as pixels."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group

from ._draw_rl import LABEL_FONT, label_anchor, label_strings, render_group
from ._fit import fit, fit_scale, fitted_box
from ._layers import Scene
from ._model import Figure
from ._scene import build_scene, canonical_json
from ._style import get_style

if TYPE_CHECKING:
    from PIL.Image import Image


PANEL_LABELS = ("Start", "Finish")  # English; a sheet passes its own language's words


def figure_drawing(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False,
                   labels: tuple[str, ...] | None = PANEL_LABELS) -> Drawing:
    """Vector drawing of the figure, scaled to fit width x height points, keeping its aspect ratio.

    Panels get `labels` as text in Liberation Sans (registered here if no document has done it); None leaves
    them out, for a caller that draws them itself (the RML plug-in)."""
    drawing = Drawing(width, height)
    drawing.add(_group(canonical_json(figure), mirror, style, width, height))
    if figure.show == "panels" and labels:
        register_label_font()
        scene = scene_for_box(figure, mirror, style, width, height)
        for string in label_strings(scene, get_style(style), width, height, tuple(labels)):
            drawing.add(string)
    return drawing


def panel_label_positions(figure: Figure, width: float, height: float, style: str = "line",
                          mirror: bool = False) -> tuple[float, str, list[tuple[float, float]]]:
    """Font size, alignment ('middle' or 'start') and (x, baseline y) of each panel label in a width x height
    box; no points without panels."""
    scene = scene_for_box(figure, mirror, style, width, height)
    placement = fit(scene, get_style(style), width, height)
    return placement.label_size, label_anchor(scene), placement.labels(scene)


def register_label_font() -> None:
    from reportlab.pdfbase import pdfmetrics

    from .._fonts import parsed_font

    if LABEL_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(parsed_font(LABEL_FONT))


_STACK_GAIN = 1.05  # stacked panels must print this much larger than side by side to be chosen
_OVERLAY_GAIN = 1.6  # panels give way to the overlay only when it prints this much larger (a tiny box)


def scene_for_box(figure: Figure, mirror: bool, style: str, width: float, height: float) -> Scene:
    """The scene as it fills this box: panels go side by side, or stacked when that prints them larger (a
    lying body in a wide, low card); in a box too small for two panels and their words (the compact layout's)
    a figure that has a motion arrow is drawn as the overlay instead. The choice is stable when the box is then
    shrunk to the drawing."""
    row = build_scene(figure, mirror)
    if figure.show != "panels":
        return row
    ink = get_style(style)
    stacked = build_scene(figure, mirror, stacked=True)
    row_scale, stacked_scale = fit_scale(row, ink, width, height), fit_scale(stacked, ink, width, height)
    panels, scale = (stacked, stacked_scale) if stacked_scale > _STACK_GAIN * row_scale else (row, row_scale)
    if figure.motion_arrows:
        overlay = build_scene(figure.model_copy(update={"show": "overlay"}), mirror)
        if fit_scale(overlay, ink, width, height) > _OVERLAY_GAIN * scale:
            return overlay
    return panels


@lru_cache(maxsize=256)
def _group(figure_json: str, mirror: bool, style: str, width: float, height: float) -> Group:
    # The shapes are only read while a page is drawn, so one group serves every sheet that shows this figure
    # at this size; each call still gets a Drawing of its own (flowables carry per-layout state).
    figure = Figure.model_validate_json(figure_json)
    return render_group(scene_for_box(figure, mirror, style, width, height), get_style(style), width, height)


def fitted_size(figure: Figure, max_width: float, max_height: float, style: str = "line", mirror: bool = False) -> tuple[float, float]:
    """The box figure_drawing needs to show the figure as large as fits in max_width x max_height, no larger."""
    return fitted_box(scene_for_box(figure, mirror, style, max_width, max_height), get_style(style), max_width, max_height)


def figure_image(figure: Figure, width_px: int, height_px: int, style: str = "line", mirror: bool = False,
                 labels: tuple[str, ...] = PANEL_LABELS) -> Image:
    """The same picture as `figure_drawing`, as an RGB image on white."""
    from ._draw_pil import render_image

    return render_image(scene_for_box(figure, mirror, style, width_px, height_px), get_style(style), width_px,
                        height_px, tuple(labels))
