"""The public renderers: one cached scene, painted as vector art or as pixels."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group

from ._draw_rl import render_group
from ._fit import fitted_box
from ._model import Figure
from ._scene import build_scene, canonical_json
from ._style import get_style

if TYPE_CHECKING:
    from PIL.Image import Image


def figure_drawing(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False) -> Drawing:
    """Vector drawing of the figure, scaled to fit width x height points, keeping its aspect ratio."""
    drawing = Drawing(width, height)
    drawing.add(_group(canonical_json(figure), mirror, style, width, height))
    return drawing


@lru_cache(maxsize=256)
def _group(figure_json: str, mirror: bool, style: str, width: float, height: float) -> Group:
    # The shapes are only read while a page is drawn, so one group serves every sheet that shows this figure
    # at this size; each call still gets a Drawing of its own (flowables carry per-layout state).
    figure = Figure.model_validate_json(figure_json)
    return render_group(build_scene(figure, mirror), get_style(style), width, height)


def fitted_size(figure: Figure, max_width: float, max_height: float, style: str = "line", mirror: bool = False) -> tuple[float, float]:
    """The box figure_drawing needs to show the figure as large as fits in max_width x max_height, no larger."""
    return fitted_box(build_scene(figure, mirror), get_style(style), max_width, max_height)


def figure_image(figure: Figure, width_px: int, height_px: int, style: str = "line", mirror: bool = False) -> Image:
    """The same picture as `figure_drawing`, as an RGB image on white."""
    from ._draw_pil import render_image

    return render_image(build_scene(figure, mirror), get_style(style), width_px, height_px)
