"""Equipment drawn with the figure: each prop becomes one Layer in the picture plane.

Props are modelled as simple world-space solids (boxes, cylinders, spheres, straps) so the same
data draws correctly in every view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ._geometry import (
    Vec2,
    Vec3,
    add,
    circle_points,
    convex_hull,
    cross,
    dot,
    hull_of_circles,
    normalize,
    scale,
    sub,
)
from ._layers import Layer, Patch
from ._model import Ball, Band, Belt, Chair, DoorFrame, FoamRoller, Mat, Pillow, TowelRoll, Wall
from ._pose import Pose
from ._skeleton import SEGMENTS_BY_NAME
from ._view import View

Placement = Literal["background", "among_body", "front"]


@dataclass(frozen=True)
class PlacedLayer:
    layer: Layer
    depth: float
    placement: Placement  # background: behind everything; among_body: depth-sorted; front: over the body


def _box(view: View, lo: Vec3, hi: Vec3, corner: float) -> tuple[tuple[Vec2, ...], float]:
    """Silhouette of a box with rounded edges: circles at the projected corners of the inset box."""
    corner = max(0.0, min(corner, *((high - low) / 2 for low, high in zip(lo, hi))))
    lo_in, hi_in = tuple(c + corner for c in lo), tuple(c - corner for c in hi)
    corners = [view.project((x, y, z)) for x in (lo_in[0], hi_in[0]) for y in (lo_in[1], hi_in[1]) for z in (lo_in[2], hi_in[2])]
    if corner == 0.0:
        return convex_hull(corners), view.depth(scale(add(lo, hi), 0.5))
    return hull_of_circles([(c, corner) for c in corners]), view.depth(scale(add(lo, hi), 0.5))


def _ring(center: Vec3, axis: Vec3, radius: float, steps: int = 32) -> list[Vec3]:
    """A circle in 3D around `axis` (unit vector)."""
    helper = (0.0, 0.0, 1.0) if abs(axis[2]) < 0.9 else (1.0, 0.0, 0.0)
    u = normalize(cross(axis, helper))
    v = cross(axis, u)
    return [
        add(center, add(scale(u, radius * math.cos(a)), scale(v, radius * math.sin(a))))
        for a in (2 * math.pi * i / steps for i in range(steps))
    ]


def _cylinder(view: View, center: Vec3, axis: Vec3, radius: float, length: float) -> tuple[tuple[Vec2, ...], bool]:
    """Outline of a cylinder (hull of its two end rings), and whether it is seen nearly end-on."""
    rims = _ring(add(center, scale(axis, length / 2)), axis, radius) + _ring(sub(center, scale(axis, length / 2)), axis, radius)
    return convex_hull([view.project(p) for p in rims]), abs(dot(axis, view.toward_camera)) > 0.9


def _center(prop: Pillow | TowelRoll | FoamRoller | Ball, pose: Pose, half_height: float) -> Vec3:
    base = pose.landmark(prop.at) if isinstance(prop.at, str) else prop.at
    center = add(base, prop.offset)
    return (center[0], half_height, center[2]) if prop.on_floor else center


def _spiral(center: Vec2, radius: float) -> tuple[Vec2, ...]:
    """The rolled-up edge of a towel seen end-on."""
    cx, cy = center
    steps = 60
    return tuple(
        (cx + radius * t * math.cos(3.2 * math.pi * t), cy + radius * t * math.sin(3.2 * math.pi * t))
        for t in (0.15 + 0.85 * i / steps for i in range(steps + 1))
    )


def _pillow(prop: Pillow, view: View, pose: Pose) -> PlacedLayer:
    length, height, width = prop.size
    center = _center(prop, pose, height / 2)
    half = (length / 2, height / 2, width / 2)
    outline, depth = _box(view, sub(center, half), add(center, half), height * 0.45)
    return PlacedLayer(Layer("prop", (Patch(outline, "pillow"),)), depth, "among_body")


def _roll(prop: TowelRoll | FoamRoller, view: View, pose: Pose) -> PlacedLayer:
    radius = prop.diameter / 2
    center = _center(prop, pose, radius)
    axis = (1.0, 0.0, 0.0) if prop.axis == "x" else (0.0, 0.0, 1.0)
    outline, end_on = _cylinder(view, center, axis, radius, prop.length)
    details: tuple[tuple[Vec2, ...], ...] = ()
    if end_on:
        middle = view.project(center)
        if isinstance(prop, TowelRoll):
            details = (_spiral(middle, radius * 0.85),)
        else:  # a foam roller's bore
            bore = circle_points(middle, radius * 0.32)
            details = (tuple(bore + bore[:1]),)
    material = "towel" if isinstance(prop, TowelRoll) else "roller"
    return PlacedLayer(Layer("prop", (Patch(outline, material),), details), view.depth(center), "among_body")


def _ball(prop: Ball, view: View, pose: Pose) -> PlacedLayer:
    radius = prop.diameter / 2
    center = _center(prop, pose, radius)
    cx, cy = view.project(center)
    seam = tuple((cx + radius * math.cos(a), cy - 0.35 * radius * math.sin(a)) for a in (math.pi * i / 24 for i in range(25)))
    outline = tuple(circle_points((cx, cy), radius))
    return PlacedLayer(Layer("prop", (Patch(outline, "ball"),), (seam,)), view.depth(center), "among_body")


def _belt(prop: Belt, view: View, pose: Pose) -> PlacedLayer:
    """A band of rings around each limb at the same place, hulled: the loop's outline, drawn as a strap.

    Around one limb the loop is a filled band across it; around two or more it is the outline of their
    hull (the strap passes outside the limbs, not between them), so both limbs show inside it."""
    ring_points: list[Vec2] = []
    for name in prop.around:
        segment = SEGMENTS_BY_NAME[name]
        start, end = pose.point(name, (0.0, 0.0, 0.0)), pose.point(name, segment.tip)
        along = normalize(sub(end, start))
        middle = add(start, scale(sub(end, start), prop.at))
        first_r, last_r = segment.spheres[0][1], segment.spheres[-1][1]
        radius = first_r + (last_r - first_r) * prop.at + 1.0  # sits just outside the limb surface
        for edge in (-prop.width / 2, prop.width / 2):
            ring_points += [view.project(p) for p in _ring(add(middle, scale(along, edge)), along, radius)]
    hull = convex_hull(ring_points)
    if len(prop.around) == 1:
        return PlacedLayer(Layer("belt", (Patch(hull, "belt"),)), 0.0, "front")
    return PlacedLayer(Layer("strap", lines=((*hull, hull[0], hull[1]),)), 0.0, "front")


def _wall(prop: Wall, view: View, pose: Pose) -> PlacedLayer:
    x, _, z = add(pose.landmark(prop.at) if isinstance(prop.at, str) else prop.at, prop.offset)
    # The surface faces the body; the wall's thickness extends away from it.
    x0, x1 = (x, x + prop.thickness) if prop.facing == "left" else (x - prop.thickness, x)
    outline, depth = _box(view, (x0, 0.0, z - 100.0), (x1, prop.height, z + 100.0), 0.0)
    return PlacedLayer(Layer("prop", (Patch(outline, "wall"),)), depth, "background")


def _boxes_layer(view: View, boxes: list[tuple[Vec3, Vec3]], material: str) -> PlacedLayer:
    patches = tuple(Patch(_box(view, lo, hi, 1.0)[0], material) for lo, hi in boxes)
    return PlacedLayer(Layer("prop", patches), 0.0, "background")


def _chair(prop: Chair, view: View, pose: Pose) -> PlacedLayer:
    fx, _, z = add(pose.landmark(prop.at) if isinstance(prop.at, str) else prop.at, prop.offset)
    back = -1.0 if prop.facing == "right" else 1.0  # the backrest is behind the seated person
    depth, seat_h, half_w = 44.0, prop.seat_height, 22.0

    def span(a: float, b: float) -> tuple[float, float]:
        return (min(fx + back * a, fx + back * b), max(fx + back * a, fx + back * b))

    (sx0, sx1), (bx0, bx1) = span(0, depth), span(depth - 4, depth)
    boxes = [((sx0, seat_h - 4, z - half_w), (sx1, seat_h, z + half_w)),
             ((bx0, seat_h, z - half_w), (bx1, seat_h + 44, z + half_w))]
    for leg_at in (1.0, depth - 3.0):
        lx0, lx1 = span(leg_at - 1.0, leg_at + 2.0)
        boxes += [((lx0, 0.0, zz - 1.5), (lx1, seat_h - 4, zz + 1.5)) for zz in (z - half_w + 2, z + half_w - 2)]
    return _boxes_layer(view, boxes, "wood")


def _door_frame(prop: DoorFrame, view: View, pose: Pose) -> PlacedLayer:
    x, _, z = add(pose.landmark(prop.at) if isinstance(prop.at, str) else prop.at, prop.offset)
    half = prop.width / 2
    boxes = [((x - 6, 0.0, z + s * half), (x + 6, prop.height, z + s * (half + 8))) for s in (-1.0, 1.0)]
    boxes = [(tuple(map(min, lo, hi)), tuple(map(max, lo, hi))) for lo, hi in boxes]  # type: ignore[misc]  # 3-tuples
    boxes.append(((x - 6, prop.height, z - half - 8), (x + 6, prop.height + 10, z + half + 8)))
    return _boxes_layer(view, boxes, "door")


_MAT_EDGE = 4.0  # cm: the most a mat may show of itself edge-on, so it never reads as a bed or a block
_MAT_TOP_TILT = 50  # degrees: a camera raised this far sees the mat's top, which is drawn whole


def _band(prop: Band, view: View, pose: Pose) -> list[PlacedLayer]:
    """The band as taut lines from the anchor to each end, over a post it is tied to."""
    anchor = view.project(prop.anchor)
    lines = tuple((anchor, view.project(pose.landmark(end))) for end in prop.to)
    knot = circle_points(anchor, 1.6, steps=12)
    band = PlacedLayer(Layer("strap", lines=(*lines, (*knot, knot[0]))), 0.0, "front")
    if not prop.post:
        return [band]
    x, y, z = prop.anchor
    outline, depth = _box(view, (x + 1.5, 0.0, z - 3.0), (x + 7.5, y + 14.0, z + 3.0), 1.0)
    return [PlacedLayer(Layer("prop", (Patch(outline, "wood"),)), depth, "background"), band]


def _mat(prop: Mat, view: View, x_range: tuple[float, float]) -> PlacedLayer:
    width = prop.width
    if view.name == "side" and 0 < abs(view.tilt) < _MAT_TOP_TILT and view.turn == 0:
        # A raised side camera would show the mat's whole top as a tall slab under the body: keep
        # only a strip under the body, as thin in the picture as the mat is thick.
        rise = math.sin(math.radians(abs(view.tilt)))
        width = min(width, max(0.0, (_MAT_EDGE - prop.thickness * math.cos(math.radians(view.tilt))) / rise))
    lo = (x_range[0] - prop.margin, -prop.thickness, -width / 2)
    hi = (x_range[1] + prop.margin, 0.0, width / 2)
    outline, depth = _box(view, lo, hi, min(prop.thickness / 2, 3.0))
    return PlacedLayer(Layer("prop", (Patch(outline, "mat"),)), depth, "background")


_PLACED_BUILDERS = {Pillow: _pillow, TowelRoll: _roll, FoamRoller: _roll, Ball: _ball, Belt: _belt,
                    Wall: _wall, Chair: _chair, DoorFrame: _door_frame}


def prop_layers(prop: object, view: View, pose: Pose, body_x_range: tuple[float, float]) -> list[PlacedLayer]:
    """The prop as seen in `view`, placed on the last pose; none for the floor (drawn last, see floor_line)."""
    if isinstance(prop, Mat):
        return [_mat(prop, view, body_x_range)]
    if isinstance(prop, Band):
        return _band(prop, view, pose)
    builder = _PLACED_BUILDERS.get(type(prop))  # type: ignore[call-overload]
    return [builder(prop, view, pose)] if builder else []


def floor_line(level: float, x_range: tuple[float, float]) -> Layer:
    return Layer("floor", lines=(((x_range[0], level), (x_range[1], level)),))
