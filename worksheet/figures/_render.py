"""The public renderers: one cached scene, painted as vector art or as pixels."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group

from ._draw_rl import LABEL_FONT, label_strings, render_group
from ._fit import fit, fitted_box
from ._model import Figure
from ._scene import build_scene, canonical_json
from ._style import get_style

if TYPE_CHECKING:
    from PIL.Image import Image


PANEL_LABELS = ("Start", "Finish")  # English; a sheet passes its own language's words


def figure_drawing(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False,
                   labels: tuple[str, ...] | None = PANEL_LABELS) -> Drawing:
    """Vector drawing of the figure, scaled to fit width x height points, keeping its aspect ratio.

    Panels get `labels` as text in DejaVu Sans (registered here if no document has done it); None leaves
    them out, for a caller that draws them itself (the RML plug-in)."""
    drawing = Drawing(width, height)
    drawing.add(_group(canonical_json(figure), mirror, style, width, height))
    if figure.show == "panels" and labels:
        register_label_font()
        scene = build_scene(figure, mirror)
        for string in label_strings(scene, get_style(style), width, height, tuple(labels)):
            drawing.add(string)
    return drawing


def panel_label_positions(figure: Figure, width: float, height: float, style: str = "line",
                          mirror: bool = False) -> tuple[float, list[tuple[float, float]]]:
    """Font size and (centre x, baseline y) of each panel label in a width x height box; none without panels."""
    scene = build_scene(figure, mirror)
    placement = fit(scene, get_style(style), width, height)
    return placement.label_size, placement.labels(scene)


def register_label_font() -> None:
    from reportlab.pdfbase import pdfmetrics

    from .._fonts import parsed_font

    if LABEL_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(parsed_font(LABEL_FONT))


@lru_cache(maxsize=256)
def _group(figure_json: str, mirror: bool, style: str, width: float, height: float) -> Group:
    # The shapes are only read while a page is drawn, so one group serves every sheet that shows this figure
    # at this size; each call still gets a Drawing of its own (flowables carry per-layout state).
    figure = Figure.model_validate_json(figure_json)
    return render_group(build_scene(figure, mirror), get_style(style), width, height)


def fitted_size(figure: Figure, max_width: float, max_height: float, style: str = "line", mirror: bool = False) -> tuple[float, float]:
    """The box figure_drawing needs to show the figure as large as fits in max_width x max_height, no larger."""
    return fitted_box(build_scene(figure, mirror), get_style(style), max_width, max_height)


def figure_image(figure: Figure, width_px: int, height_px: int, style: str = "line", mirror: bool = False,
                 labels: tuple[str, ...] = PANEL_LABELS) -> Image:
    """The same picture as `figure_drawing`, as an RGB image on white."""
    from ._draw_pil import render_image

    return render_image(build_scene(figure, mirror), get_style(style), width_px, height_px, tuple(labels))
