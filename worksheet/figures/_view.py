"""Orthographic cameras: world (x right, y up, z towards the side-view viewer) to the picture plane."""

from __future__ import annotations

import math

from ._geometry import Mat3, Vec2, Vec3, dot

# Rows: world directions of picture-right, picture-up and towards-the-camera.
_BASE: dict[str, Mat3] = {
    "side": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),  # from the body's right, +z
    "top": ((1.0, 0.0, 0.0), (0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),  # from above; the body's right at the bottom
    "front": ((0.0, 0.0, -1.0), (0.0, 1.0, 0.0), (1.0, 0.0, 0.0)),  # from the +x end, looking left
}


class View:
    def __init__(self, name: str, tilt: float = 0.0, turn: float = 0.0) -> None:
        self.name = name
        self.tilt = tilt
        self.turn = turn
        # Turning swings the camera about the vertical, towards the +x end for turn > 0 (a three-quarter view).
        ct, st = math.cos(math.radians(turn)), math.sin(math.radians(turn))
        right, up, toward = (tuple((ct * v[0] + st * v[2], v[1], -st * v[0] + ct * v[2])) for v in _BASE[name])
        # Raising the camera by `tilt` turns it about the picture's horizontal axis.
        c, s = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))
        self._right = right
        self._up = tuple(c * u - s * t for u, t in zip(up, toward))
        self.toward_camera: Vec3 = tuple(c * t + s * u for u, t in zip(up, toward))  # type: ignore[assignment]

    def project(self, p: Vec3) -> Vec2:
        return (dot(self._right, p), dot(self._up, p))  # type: ignore[arg-type]

    def depth(self, p: Vec3) -> float:
        return dot(self.toward_camera, p)

    @property
    def shows_floor_edge(self) -> bool:
        """Level side and front views see the floor edge-on, as a line."""
        return self.name != "top" and self.tilt == 0
