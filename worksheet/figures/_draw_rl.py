"""Scene -> ReportLab Drawing: vector paths only."""

from __future__ import annotations

from reportlab.graphics.shapes import Group, Polygon, PolyLine, String
from reportlab.lib.colors import HexColor

from ._fit import PanelText, fit
from ._geometry import Vec2
from ._layers import Scene
from ._style import Ink, Style

_ROUND = 1  # PDF line join / cap style


def _flat(points: tuple[Vec2, ...] | list[Vec2]) -> list[float]:
    return [c for p in points for c in p]


def _stroke(points: list[Vec2], ink: Ink, width: float) -> PolyLine:
    """`width` is in world units: the drawing's group transform scales it."""
    return PolyLine(_flat(points), strokeColor=HexColor(ink.color), strokeWidth=width,
                    strokeLineJoin=_ROUND, strokeLineCap=_ROUND)


def _outline(points: tuple[Vec2, ...], ink: Ink, width: float) -> list[Polygon]:
    # Twice the width, under the fill: neighbouring patches of one layer merge into one silhouette.
    # Dashes use PDF's own dash pattern (one path, not one per dash); lengths are in world units like the width.
    return [Polygon(_flat(points), fillColor=None, strokeColor=HexColor(ink.color), strokeWidth=2 * width,
                    strokeLineJoin=_ROUND, strokeLineCap=_ROUND if ink.dash else 0,
                    strokeDashArray=list(ink.dash) if ink.dash else None)]


LABEL_FONT = "Sans"  # Liberation Sans, registered for every document by worksheet._fonts


def label_anchor(scene: Scene) -> str:
    """Labels are centred over side-by-side panels and start at the left of stacked ones."""
    return "start" if scene.label_side == "left" else "middle"


def label_strings(scene: Scene, style: Style, width: float, height: float, text: PanelText) -> list[String]:
    """The panel labels as text (extractable from the PDF), in output units."""
    placement = fit(scene, style, width, height, text)
    return [String(x, y, word, fontName=LABEL_FONT, fontSize=placement.label_size, textAnchor=label_anchor(scene))
            for (x, y), word in zip(placement.labels(scene), text.words)]


def render_group(scene: Scene, style: Style, width: float, height: float, text: PanelText) -> Group:
    """The scene's shapes, placed to fit width x height with room for the panel words `text`."""
    placement = fit(scene, style, width, height, text)
    group = Group(transform=(placement.scale, 0, 0, placement.scale, placement.dx, placement.dy))
    for layer in scene.layers:
        ink = style.inks[layer.role]
        line_width = placement.stroke(ink.width) / placement.scale
        for patch in layer.patches:
            group.contents.extend(_outline(patch.points, ink, line_width))
        for patch in layer.patches:
            group.add(Polygon(_flat(patch.points), fillColor=HexColor(style.fill(layer.role, patch.material)),
                              strokeColor=None, strokeWidth=0))
        for line in layer.lines:
            group.add(_stroke(list(line), ink, line_width))
    return group
