"""Figure -> Scene: solve every keyframe, project the body and props, and order the layers.

This is the one place geometry is computed; both drawing backends only paint its layers.
"""

from __future__ import annotations

import json
from functools import lru_cache

from ._geometry import Vec2, arc_points, hull_of_circles
from ._layers import Layer, Patch, Scene
from ._model import Arrow, Figure, Floor, Mat
from ._pose import Pose, solve
from ._props import PlacedLayer, floor_line, prop_layer
from ._skeleton import SEGMENTS
from ._view import View

_GROUPS = tuple(dict.fromkeys(segment.group for segment in SEGMENTS))
_FLOOR_OVERHANG = 10.0  # cm the floor line reaches past everything else
_ARROW_HEAD = (7.0, 3.2)  # length, half width in cm


def canonical_json(figure: Figure) -> str:
    """Stable text for a figure: equal figures give equal keys for the scene cache."""
    return json.dumps(figure.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def _body_layers(pose: Pose, view: View, ghost: bool) -> list[tuple[float, Layer]]:
    """One layer per limb group (merged outline), with its depth for painter's ordering."""
    layers = []
    for group in _GROUPS:
        patches, depths = [], []
        for segment in SEGMENTS:
            if segment.group != group:
                continue
            spheres = pose.spheres(segment)
            patches.append(Patch(hull_of_circles([(view.project(c), r) for c, r in spheres]), segment.material))
            depths.extend(view.depth(c) for c, _ in spheres)
        # Only the side view has a far side; the other views show both sides equally.
        far = view.name == "side" and group.startswith("left_")
        role = "ghost" if ghost else ("far" if far else "near")
        layers.append((sum(depths) / len(depths), Layer(role, tuple(patches))))
    return layers


def _arrow_layer(arrow: Arrow, start: Pose, end: Pose, view: View) -> Layer | None:
    """The motion arrow, or None when the landmark moves too little (in this view) for an arrow to show it."""
    dx, dy = arrow.offset
    (x0, y0), (x1, y1) = view.project(start.landmark(arrow.landmark)), view.project(end.landmark(arrow.landmark))
    path = arc_points((x0 + dx, y0 + dy), (x1 + dx, y1 + dy), arrow.bend, steps=60)
    cut = round(arrow.shorten * 60)
    path = path[cut: len(path) - cut]
    (tx, ty), (px, py) = path[-1], path[-4]
    length = ((tx - px) ** 2 + (ty - py) ** 2) ** 0.5 or 1.0
    ux, uy = (tx - px) / length, (ty - py) / length
    head_len, half_w = _ARROW_HEAD
    bx, by = tx - ux * head_len, ty - uy * head_len
    head = ((tx, ty), (bx - uy * half_w, by + ux * half_w), (bx + uy * half_w, by - ux * half_w))
    # The shaft stops inside the head so its round cap does not poke out of the tip.
    shaft = [p for p in path if (p[0] - tx) * ux + (p[1] - ty) * uy < -head_len * 0.6]
    if len(shaft) < 2:
        return None
    return Layer("arrow", (Patch(head, "ink"),), (tuple(shaft),))


def _x_range(points: list[Vec2]) -> tuple[float, float]:
    xs = [p[0] for p in points]
    return (min(xs), max(xs))


@lru_cache(maxsize=64)
def _cached_scene(figure_json: str, mirror: bool) -> Scene:
    figure = Figure.model_validate_json(figure_json)
    view = View(figure.view, figure.tilt)
    poses = [solve(keyframe) for keyframe in figure.keyframes]
    end = poses[-1]

    body_x = [c[0] - r for pose in poses for s in SEGMENTS for c, r in pose.spheres(s)]
    body_x += [c[0] + r for pose in poses for s in SEGMENTS for c, r in pose.spheres(s)]
    placed: list[PlacedLayer] = []
    for prop in figure.props:
        layer = prop_layer(prop, view, end, _x_range([(x, 0.0) for x in body_x]))
        if layer is not None:
            placed.append(layer)

    background = [p.layer for p in placed if p.placement == "background"]
    ghosts = [layer for pose in poses[:-1] for _, layer in sorted(_body_layers(pose, view, ghost=True), key=lambda d: d[0])]
    # Props sort before body parts at equal depth: a ball between the knees hides behind the near knee.
    among = [(p.depth, 0, p.layer) for p in placed if p.placement == "among_body"]
    among += [(depth, 1, layer) for depth, layer in _body_layers(end, view, ghost=False)]
    middle = [layer for _, _, layer in sorted(among, key=lambda d: (d[0], d[1]))]
    front = [p.layer for p in placed if p.placement == "front"]
    arrow = _arrow_layer(figure.arrow, poses[0], end, view) if figure.arrow is not None and len(poses) > 1 else None
    if arrow is not None:
        front.append(arrow)

    layers = background + ghosts + middle + front
    if view.shows_floor_edge and any(isinstance(p, Floor) for p in figure.props):
        level = -max((p.thickness for p in figure.props if isinstance(p, Mat)), default=0.0)
        x0, x1 = _x_range([p for layer in layers for p in layer.points()])
        layers.insert(0, floor_line(level, (x0 - _FLOOR_OVERHANG, x1 + _FLOOR_OVERHANG)))
    if mirror:
        layers = [layer.mirrored() for layer in layers]
    return Scene(tuple(layers))


def build_scene(figure: Figure, mirror: bool = False) -> Scene:
    """The figure's drawing-ready layers (cached per process; scenes are immutable)."""
    return _cached_scene(canonical_json(figure), mirror)
