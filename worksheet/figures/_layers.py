"""The drawing-ready scene: flat 2D layers shared by the ReportLab and Pillow backends."""

from __future__ import annotations

from dataclasses import dataclass

from ._geometry import Vec2


@dataclass(frozen=True)
class Patch:
    """One closed outline, filled with the colour of its material."""

    points: tuple[Vec2, ...]
    material: str


@dataclass(frozen=True)
class Layer:
    """Drawn as a unit: all outlines, then all fills (so the patches merge into one silhouette), then lines.

    `role` picks the ink: near, far, ghost (body); prop, belt, floor, arrow.
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


@dataclass(frozen=True)
class Scene:
    layers: tuple[Layer, ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        points = [p for layer in self.layers for p in layer.points()]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))
