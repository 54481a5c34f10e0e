"""Fit a scene into an output box: uniform scale, centred, strokes and panel labels included."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ._layers import Scene
from ._style import Style

_MARGIN = 0.03  # of the box's shorter side, so strokes never touch the edge
MIN_STROKE = 0.9  # output units (pt or px): small figures keep visible outlines
LABEL_SIZE = 12.0  # pt: a panel label is body text, and body text is never smaller (16 in large print)
_LABEL_SPACE = 0.6  # of the label size: clear space between two labels, or a label and the picture


@lru_cache(maxsize=64)
def _text_width(word: str, size: float) -> float:
    from .._fonts import parsed_font

    return float(parsed_font("Sans").stringWidth(word, size))  # Liberation Sans, the face both backends print in


@dataclass(frozen=True)
class PanelText:
    """The words over (or beside) a panelled figure's Start and Finish panels, and their size in output units
    (points in a PDF, pixels in a PNG). The size is fixed: the drawing gives way to the words, never the reverse."""

    words: tuple[str, ...] = ("Start", "Finish")
    size: float = LABEL_SIZE

    @property
    def widths(self) -> tuple[float, ...]:
        return tuple(_text_width(word, self.size) for word in self.words) or (0.0,)


ENGLISH = PanelText()  # a figure drawn outside a sheet: "Start" and "Finish" at 12


def label_band(scene: Scene, text: PanelText) -> float:
    """Height reserved above the picture for side-by-side panels' labels (0 otherwise)."""
    return 1.4 * text.size if scene.labels and scene.label_side == "top" else 0.0


def label_column(scene: Scene, text: PanelText) -> float:
    """Width reserved left of the picture for stacked panels' labels (0 otherwise): the longest word and a gap."""
    return max(text.widths) + _LABEL_SPACE * text.size if scene.labels and scene.label_side == "left" else 0.0


@dataclass(frozen=True)
class Fit:
    scale: float  # output units per centimetre
    dx: float
    dy: float  # output = world * scale + (dx, dy), y up
    label_size: float = 0.0
    label_baseline: float = 0.0  # output y of the labels' baseline (side by side)
    label_left: float = 0.0  # output x where stacked panels' labels start
    label_widths: tuple[float, ...] = ()

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

    def label_shortfall(self, scene: Scene) -> float:
        """How much further apart (output units) side-by-side labels' centres must be for each word to clear
        the next by a little space; 0 when they do (and always for stacked labels)."""
        if scene.label_side == "left" or len(scene.labels) < 2:
            return 0.0
        centres = [x for x, _ in self.labels(scene)]
        return max(0.0, max(
            (wa + wb) / 2 + _LABEL_SPACE * self.label_size - (b - a)
            for a, b, wa, wb in zip(centres, centres[1:], self.label_widths, self.label_widths[1:])
        ))


def _overhangs(scene: Scene, text: PanelText, x0: float, x1: float) -> tuple[float, float, float, float]:
    """Side-by-side labels centred over narrow panels reach past the picture: the first word's half width and
    its centre's distance from the picture's left edge (world), the same for the last word from the right edge."""
    if scene.label_side != "top" or not scene.labels:
        return 0.0, 1.0, 0.0, 1.0
    widths = text.widths
    return widths[0] / 2, scene.labels[0] - x0, widths[-1] / 2, x1 - scene.labels[-1]


def _extent(span: float, overhangs: tuple[float, float, float, float], scale: float) -> float:
    """Output width of the picture and its labels at this scale."""
    left_half, left_in, right_half, right_in = overhangs
    return span * scale + max(0.0, left_half - left_in * scale) + max(0.0, right_half - right_in * scale)


def _width_scale(room: float, span: float, overhangs: tuple[float, float, float, float]) -> float:
    """The largest scale whose picture and labels fit `room` across: the extent is the largest of four
    straight lines in the scale (each label overhanging or not), so the answer is the least of their roots."""
    left_half, left_in, right_half, right_in = overhangs
    candidates = [room / span]
    for extra, inside in ((left_half, left_in), (right_half, right_in), (left_half + right_half, left_in + right_in)):
        if extra > 0 and span - inside > 0:
            candidates.append((room - extra) / (span - inside))
    return min(candidates)


def _padded(scene: Scene, style: Style) -> tuple[float, float, float, float]:
    # Outlines are stroked at twice their width under the fill, so they reach `width` beyond the geometry.
    x0, y0, x1, y1 = scene.bounds
    pad = style.widest
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def fit(scene: Scene, style: Style, width: float, height: float, text: PanelText = ENGLISH) -> Fit:
    if width <= 0 or height <= 0:
        raise ValueError(f"figure box must be positive, got {width} x {height}")
    x0, y0, x1, y1 = _padded(scene, style)
    margin = _MARGIN * min(width, height) + MIN_STROKE  # room for strokes widened to MIN_STROKE
    band, column = label_band(scene, text), label_column(scene, text)
    overhangs = _overhangs(scene, text, x0, x1)
    scale = max(1e-6, min(_width_scale(width - column - 2 * margin, x1 - x0, overhangs),
                          (height - band - 2 * margin) / (y1 - y0)))
    # Labels sit just above (or left of) the drawing, which keeps them close; without labels it is centred.
    top_gap = (height - band - (y1 - y0) * scale) / 2
    left_gap = (width - column - _extent(x1 - x0, overhangs, scale)) / 2
    left = left_gap + column + max(0.0, overhangs[0] - overhangs[1] * scale)  # the picture's left edge
    size = text.size if scene.labels else 0.0
    return Fit(scale, left - x0 * scale, top_gap - y0 * scale, size, height - top_gap - 1.05 * size, left_gap,
               text.widths if scene.labels else ())


def fit_scale(scene: Scene, style: Style, width: float, height: float, text: PanelText = ENGLISH) -> float:
    """How large the scene prints in this box (output units per cm)."""
    return fit(scene, style, width, height, text).scale


def fitted_box(scene: Scene, style: Style, max_width: float, max_height: float,
               text: PanelText = ENGLISH) -> tuple[float, float]:
    """The smallest box within max_width x max_height that holds the scene (and its labels) at the largest
    scale that fits, so a wide side view does not come with a tall band of white above and below it."""
    x0, y0, x1, y1 = _padded(scene, style)
    band, column = label_band(scene, text), label_column(scene, text)
    overhangs = _overhangs(scene, text, x0, x1)
    width, height = max_width, max_height
    for _ in range(4):  # the margin depends on the box; settles in a step or two
        margin = _MARGIN * min(width, height) + MIN_STROKE
        scale = max(1e-6, min(_width_scale(max_width - column - 2 * margin, x1 - x0, overhangs),
                              (max_height - band - 2 * margin) / (y1 - y0)))
        width = _extent(x1 - x0, overhangs, scale) + 2 * margin + column
        height = (y1 - y0) * scale + 2 * margin + band
    return min(width, max_width), min(height, max_height)
