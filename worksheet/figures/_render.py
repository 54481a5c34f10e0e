"""The public renderers: one cached scene, painted as vector art or as pixels."""

from __future__ import annotations

from PIL import Image
from reportlab.graphics.shapes import Drawing

from ._draw_pil import render_image
from ._draw_rl import render_drawing
from ._fit import fitted_box
from ._model import Figure
from ._scene import build_scene
from ._style import get_style


def figure_drawing(figure: Figure, width: float, height: float, style: str = "line", mirror: bool = False) -> Drawing:
    """Vector drawing of the figure, scaled to fit width x height points, keeping its aspect ratio."""
    return render_drawing(build_scene(figure, mirror), get_style(style), width, height)


def fitted_size(figure: Figure, max_width: float, max_height: float, style: str = "line", mirror: bool = False) -> tuple[float, float]:
    """The box figure_drawing needs to show the figure as large as fits in max_width x max_height, no larger."""
    return fitted_box(build_scene(figure, mirror), get_style(style), max_width, max_height)


def figure_image(figure: Figure, width_px: int, height_px: int, style: str = "line", mirror: bool = False) -> Image.Image:
    """The same picture as `figure_drawing`, as an RGB image on white."""
    return render_image(build_scene(figure, mirror), get_style(style), width_px, height_px)
