"""Scene -> Pillow image, painted exactly like the ReportLab backend."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from .._paths import bundled
from ._fit import PanelText, fit
from ._geometry import Vec2, dash_polyline
from ._layers import Scene
from ._style import Style

_SUPERSAMPLE = 3  # Pillow draws without anti-aliasing; paint large and shrink.


def render_image(scene: Scene, style: Style, width_px: int, height_px: int, text: PanelText) -> Image.Image:
    placement = fit(scene, style, width_px, height_px, text)
    k = _SUPERSAMPLE
    canvas = Image.new("RGB", (width_px * k, height_px * k), "white")
    draw = ImageDraw.Draw(canvas)

    def px(points: tuple[Vec2, ...] | list[Vec2]) -> list[tuple[float, float]]:
        out = []
        for x, y in points:
            ox, oy = placement.apply(x, y)
            out.append((ox * k, (height_px - oy) * k))  # image y grows downwards
        return out

    def stroke(points: list[tuple[float, float]], color: str, width_out: float) -> None:
        width = max(1, round(width_out * k))
        draw.line(points, fill=color, width=width, joint="curve")
        for x, y in (points[0], points[-1]):  # round caps
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=color)

    for layer in scene.layers:
        ink = style.inks[layer.role]
        line_width = placement.stroke(ink.width)
        for patch in layer.patches:
            if ink.dash:
                for piece in dash_polyline([*patch.points, patch.points[0]], *ink.dash):
                    stroke(px(piece), ink.color, 2 * line_width)
            else:
                # Repeat the first points so the closing corner gets a round join too.
                stroke(px([*patch.points, *patch.points[:2]]), ink.color, 2 * line_width)
        for patch in layer.patches:
            draw.polygon(px(patch.points), fill=style.fill(layer.role, patch.material))
        for line in layer.lines:
            stroke(px(line), ink.color, line_width)
    if scene.labels and any(text.words):
        font = ImageFont.truetype(str(bundled("assets") / "fonts" / "LiberationSans-Regular.ttf"), round(placement.label_size * k))
        for (x, y), word in zip(placement.labels(scene), text.words):
            anchor = "ls" if scene.label_side == "left" else "ms"  # start / middle, on the baseline
            draw.text((x * k, (height_px - y) * k), word, fill="black", font=font, anchor=anchor)
    return canvas.reduce(k)  # box average: anti-aliased, and greys stay grey
