"""The drawing-ready scene: flat 2D layers shared by the ReportLab and Pillow backends."""

from __future__ import annotations

from dataclasses import dataclass

from ._geometry import Vec2, clip_polygon_above, clip_polyline_above


@dataclass(frozen=True)
class Patch:
    """One closed outline, filled with the colour of its material."""

    points: tuple[Vec2, ...]
    material: str


@dataclass(frozen=True)
class Layer:
    """Drawn as a unit: all outlines, then all fills (so the patches merge into one silhouette), then lines.

    `role` picks the ink: near, far, ghost (body); prop, belt, strap (a loop's outline), floor, arrow (motion and push cues), divider
    (the rule between Start and Finish panels).
    """

    role: str
    patches: tuple[Patch, ...] = ()
    lines: tuple[tuple[Vec2, ...], ...] = ()

    def points(self) -> list[Vec2]:
        return [p for patch in self.patches for p in patch.points] + [p for line in self.lines for p in line]

    def mirrored(self) -> Layer:
        return Layer(
            self.role,
            tuple(Patch(tuple((-x, y) for x, y in patch.points), patch.material) for patch in self.patches),
            tuple(tuple((-x, y) for x, y in line) for line in self.lines),
        )

    def clipped_above(self, level: float) -> Layer | None:
        """The layer cut off below y = level (a bust view); None if nothing is left."""
        patches = [Patch(clip_polygon_above(patch.points, level), patch.material) for patch in self.patches]
        lines = [piece for line in self.lines for piece in clip_polyline_above(line, level)]
        patches = [patch for patch in patches if len(patch.points) > 2]
        return Layer(self.role, tuple(patches), tuple(lines)) if patches or lines else None

    def shifted(self, dx: float, dy: float = 0.0) -> Layer:
        return Layer(
            self.role,
            tuple(Patch(tuple((x + dx, y + dy) for x, y in patch.points), patch.material) for patch in self.patches),
            tuple(tuple((x + dx, y + dy) for x, y in line) for line in self.lines),
        )


@dataclass(frozen=True)
class Scene:
    layers: tuple[Layer, ...]
    # Start / Finish panels, in reading order: side by side ("top": labels in a band above the picture, at each
    # panel's x centre) or stacked ("left": labels in a column left of the picture, at each panel's y centre);
    # world cm. The words are the sheet's language's, given when drawing (see _fit).
    labels: tuple[float, ...] = ()
    label_side: str = "top"

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        points = [p for layer in self.layers for p in layer.points()]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))
