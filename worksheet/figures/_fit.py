"""Fit a scene into an output box: uniform scale, centred, strokes included."""

from __future__ import annotations

from dataclasses import dataclass

from ._layers import Scene
from ._style import Style

_MARGIN = 0.03  # of the box's shorter side, so strokes never touch the edge
MIN_STROKE = 0.9  # output units (pt or px): small figures keep visible outlines


def label_size(height: float) -> float:
    """Font size (output units) of the Start / Finish labels in a box this tall: readable, never crowding it."""
    return min(10.0, max(6.5, 0.085 * height))


def label_band(scene: Scene, height: float) -> float:
    """Height reserved above the picture for side-by-side panels' labels (0 otherwise)."""
    return 1.4 * label_size(height) if scene.labels and scene.label_side == "top" else 0.0


def label_column(scene: Scene, height: float) -> float:
    """Width reserved left of the picture for stacked panels' labels (0 otherwise): room for a word like
    "Finish" or "Inicio"."""
    return 3.9 * label_size(height) if scene.labels and scene.label_side == "left" else 0.0


@dataclass(frozen=True)
class Fit:
    scale: float  # output units per centimetre
    dx: float
    dy: float  # output = world * scale + (dx, dy), y up
    label_size: float = 0.0
    label_baseline: float = 0.0  # output y of the labels' baseline (side by side)
    label_left: float = 0.0  # output x where stacked panels' labels start

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return (x * self.scale + self.dx, y * self.scale + self.dy)

    def stroke(self, width_cm: float) -> float:
        """A stroke width in output units."""
        return max(width_cm * self.scale, MIN_STROKE)

    def labels(self, scene: Scene) -> list[tuple[float, float]]:
        """Output (x, baseline y) of each panel label: its centre above a panel, its start beside one."""
        if scene.label_side == "left":
            return [(self.label_left, y * self.scale + self.dy - 0.35 * self.label_size) for y in scene.labels]
        return [(x * self.scale + self.dx, self.label_baseline) for x in scene.labels]


def fit(scene: Scene, style: Style, width: float, height: float) -> Fit:
    if width <= 0 or height <= 0:
        raise ValueError(f"figure box must be positive, got {width} x {height}")
    x0, y0, x1, y1 = scene.bounds
    # Outlines are stroked at twice their width under the fill, so they reach `width` beyond the geometry.
    pad = style.widest
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    margin = _MARGIN * min(width, height) + MIN_STROKE  # room for strokes widened to MIN_STROKE
    band, column = label_band(scene, height), label_column(scene, height)
    scale = min((width - column - 2 * margin) / (x1 - x0), (height - band - 2 * margin) / (y1 - y0))
    # Labels sit just above (or left of) the drawing, which keeps them close; without labels it is centred.
    top_gap = (height - band - (y1 - y0) * scale) / 2
    left_gap = (width - column - (x1 - x0) * scale) / 2
    size = label_size(height) if scene.labels else 0.0
    if scene.label_side == "top" and len(scene.labels) > 1:
        # Narrow panels (a standing figure in a small box): smaller words rather than words that collide.
        spacing = min(b - a for a, b in zip(scene.labels, scene.labels[1:])) * scale
        size = min(size, spacing / 3.6)
    return Fit(scale, left_gap + column - x0 * scale, top_gap - y0 * scale, size,
               height - top_gap - 1.05 * size, left_gap)


def fit_scale(scene: Scene, style: Style, width: float, height: float) -> float:
    """How large the scene prints in this box (output units per cm)."""
    return fit(scene, style, width, height).scale


def fitted_box(scene: Scene, style: Style, max_width: float, max_height: float) -> tuple[float, float]:
    """The smallest box within max_width x max_height that holds the scene at the largest scale that fits,
    so a wide side view does not come with a tall band of white above and below it."""
    x0, y0, x1, y1 = scene.bounds
    span_x, span_y = x1 - x0 + 2 * style.widest, y1 - y0 + 2 * style.widest
    width, height = max_width, max_height
    for _ in range(4):  # margin and label band depend on the box; settles in a step or two
        margin = _MARGIN * min(width, height) + MIN_STROKE
        band, column = label_band(scene, height), label_column(scene, height)
        scale = min((max_width - column - 2 * margin) / span_x, (max_height - band - 2 * margin) / span_y)
        width, height = span_x * scale + 2 * margin + column, span_y * scale + 2 * margin + band
    return min(width, max_width), min(height, max_height)
