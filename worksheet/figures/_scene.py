"""Figure -> Scene: solve every keyframe, project the body and props, and order the layers.

This is the one place geometry is computed; both drawing backends only paint its layers.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Literal

from ._geometry import Vec2, arc_points, circle_points, hull_of_circles, mat_vec
from ._layers import Layer, Patch, Scene
from ._model import Arrow, Figure, Floor, Mat, PushCue
from ._pose import Pose, solve
from ._props import PlacedLayer, floor_line, prop_layers
from ._skeleton import EYE_RADIUS, EYES, SEGMENTS
from ._view import View

_GROUPS = tuple(dict.fromkeys(segment.group for segment in SEGMENTS))
_FLOOR_OVERHANG = 10.0  # cm the floor line reaches past everything else
_ARROW_HEAD = (7.0, 3.2)  # length, half width in cm
_MIN_ARROW = 16.0  # cm: a shorter arrow is mostly head, and its direction is hard to read
_MARK_HALF = 5.0  # cm: half the length of a push cue's contact bar
_PANEL_GAP = 16.0  # cm between the Start and Finish panels


def canonical_json(figure: Figure) -> str:
    """Stable text for a figure: equal figures give equal keys for the scene cache."""
    return json.dumps(figure.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def _body_layers(pose: Pose, view: View, ghost: bool, solid: frozenset[str] = frozenset()) -> list[tuple[float, Layer]]:
    """One layer per limb group (merged outline), with its depth for painter's ordering."""
    layers = []
    for group in _GROUPS:
        patches: list = []
        depths: list[float] = []
        for segment in SEGMENTS:
            if segment.group != group:
                continue
            spheres = pose.spheres(segment)
            patches.append(Patch(hull_of_circles([(view.project(c), r) for c, r in spheres]), segment.material))
            depths.extend(view.depth(c) for c, _ in spheres)
        # Only the side view has a far side; the other views show both sides equally.
        far = view.name == "side" and group.startswith("left_") and group not in solid
        role = "ghost" if ghost else ("far" if far else "near")
        lines = tuple(_eyes(pose, view)) if group == "torso" and not ghost else ()
        layers.append((sum(depths) / len(depths), Layer(role, tuple(patches), lines)))
    return layers


def _eyes(pose: Pose, view: View) -> list[tuple[Vec2, ...]]:
    """Each eye that faces the camera, as a small closed ring."""
    rotation = pose.frames["head"][1]
    rings = []
    for point, normal in EYES:
        facing = sum(n * t for n, t in zip(mat_vec(rotation, normal), view.toward_camera))
        if facing > 0.2:
            ring = circle_points(view.project(pose.point("head", point)), EYE_RADIUS, steps=10)
            rings.append(tuple(ring + ring[:1]))
    return rings


def _path_length(path: list[Vec2]) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(path, path[1:]))


def _head(path: list[Vec2], head_len: float) -> tuple[Patch, Vec2, Vec2]:
    """The filled head at the end of `path`, the tip and the unit direction there."""
    (tx, ty), (px, py) = path[-1], path[max(0, len(path) - 4)]
    length = ((tx - px) ** 2 + (ty - py) ** 2) ** 0.5 or 1.0
    ux, uy = (tx - px) / length, (ty - py) / length
    half_w = head_len * _ARROW_HEAD[1] / _ARROW_HEAD[0]
    bx, by = tx - ux * head_len, ty - uy * head_len
    return Patch(((tx, ty), (bx - uy * half_w, by + ux * half_w), (bx + uy * half_w, by - ux * half_w)), "ink"), (tx, ty), (ux, uy)


def _arrow_shape(path: list[Vec2], both_ways: bool = False) -> tuple[list[Patch], tuple[Vec2, ...]] | None:
    """A filled head at the end of `path` (and its start, both ways) and the shaft between; None if too short."""
    # A short arrow gets a smaller head, so it keeps a shaft that says which way it points.
    head_len = min(_ARROW_HEAD[0], _path_length(path) * (0.3 if both_ways else 0.4))
    ends = [_head(path, head_len)] + ([_head(path[::-1], head_len)] if both_ways else [])
    shaft = path
    # The shaft stops inside each head so its round cap does not poke out of the tip.
    for _, (tx, ty), (ux, uy) in ends:
        shaft = [p for p in shaft if (p[0] - tx) * ux + (p[1] - ty) * uy < -head_len * 0.6]
    if len(shaft) < 2:
        return None
    return [patch for patch, _, _ in ends], tuple(shaft)


def _motion_arrow(arrow: Arrow, start: Pose, end: Pose, view: View) -> tuple[list[Patch], tuple[Vec2, ...]] | None:
    """The arrow along the landmark's move; a move shorter than _MIN_ARROW is drawn _MIN_ARROW long about
    its middle, so a small move (a chin tuck) still shows its direction. None if the landmark does not move."""
    dx, dy = arrow.offset
    (x0, y0), (x1, y1) = view.project(start.landmark(arrow.landmark)), view.project(end.landmark(arrow.landmark))
    chord = math.hypot(x1 - x0, y1 - y0)
    if chord < 0.5:
        return None
    visible, least = chord * (1 - 2 * arrow.shorten), _MIN_ARROW + (2 * _ARROW_HEAD[0] if arrow.both_ways else 0)
    if visible < least:  # lengthen about the middle, keeping the direction
        grow = least / visible
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        x0, y0, x1, y1 = mx + (x0 - mx) * grow, my + (y0 - my) * grow, mx + (x1 - mx) * grow, my + (y1 - my) * grow
    path = arc_points((x0 + dx, y0 + dy), (x1 + dx, y1 + dy), arrow.bend, steps=60)
    cut = round(arrow.shorten * 60)
    return _arrow_shape(path[cut: len(path) - cut], arrow.both_ways)


def _straight(a: Vec2, b: Vec2) -> list[Vec2]:
    return [(a[0] + (b[0] - a[0]) * t / 12, a[1] + (b[1] - a[1]) * t / 12) for t in range(13)]


def _push_shapes(cue: PushCue, end: Pose, view: View) -> tuple[list[Patch], list[tuple[Vec2, ...]]]:
    """The arrows (and contact mark) of a push cue, in the picture plane."""
    base = end.landmark(cue.at) if isinstance(cue.at, str) else cue.at
    cx, cy = view.project(tuple(b + o for b, o in zip(base, cue.offset)))  # type: ignore[arg-type]
    ux, uy = math.cos(math.radians(cue.direction)), math.sin(math.radians(cue.direction))

    def along(distance: float) -> Vec2:
        return (cx + ux * distance, cy + uy * distance)

    if cue.pattern == "press":
        spans = [(-cue.gap - cue.length, -cue.gap)]
    elif cue.pattern == "squeeze":
        spans = [(-cue.gap - cue.length, -cue.gap), (cue.gap + cue.length, cue.gap)]
    else:  # spread
        spans = [(cue.gap, cue.gap + cue.length), (-cue.gap, -cue.gap - cue.length)]
    patches, lines = [], []
    for tail, tip in spans:
        shape = _arrow_shape(_straight(along(tail), along(tip)))
        if shape is not None:
            patches += shape[0]
            lines.append(shape[1])
    if cue.draws_mark:
        # A bar across the push, with short hatches behind it: the surface the push meets.
        half, nx, ny = _MARK_HALF, -uy, ux
        lines.append(((cx - nx * half, cy - ny * half), (cx + nx * half, cy + ny * half)))
        for k in (-0.8, 0.0, 0.8):
            hx, hy = cx + nx * half * k, cy + ny * half * k
            lines.append(((hx, hy), (hx + ux * 2.6 - nx * 2.2, hy + uy * 2.6 - ny * 2.2)))
    return patches, lines


def _cue_layer(figure: Figure, poses: list[Pose], view: View) -> Layer | None:
    """Every motion arrow and push cue of the figure, as one layer over the body."""
    patches: list[Patch] = []
    lines: list[tuple[Vec2, ...]] = []
    if len(poses) > 1:
        for arrow in figure.motion_arrows:
            shape = _motion_arrow(arrow, poses[0], poses[-1], view)
            if shape is not None:
                patches += shape[0]
                lines.append(shape[1])
    for cue in figure.push_cues:
        cue_patches, cue_lines = _push_shapes(cue, poses[-1], view)
        patches += cue_patches
        lines += cue_lines
    return Layer("arrow", tuple(patches), tuple(lines)) if patches or lines else None


def _x_range(points: list[Vec2]) -> tuple[float, float]:
    xs = [p[0] for p in points]
    return (min(xs), max(xs))


Part = Literal["overlay", "start", "finish"]


@lru_cache(maxsize=64)
def _cached_scene(figure_json: str, mirror: bool, part: Part = "overlay") -> Scene:
    """overlay: ghosted earlier poses under the last, with the cues; start: the first pose alone, no cues;
    finish: the last pose alone, with the cues (a Start / Finish panel each)."""
    figure = Figure.model_validate_json(figure_json)
    view = View(figure.view, figure.tilt, figure.turn)
    poses = [solve(keyframe) for keyframe in figure.keyframes]
    shown = poses[:1] if part == "start" else poses[-1:] if part == "finish" else poses
    end = shown[-1]

    body_x = [c[0] - r for pose in shown for s in SEGMENTS for c, r in pose.spheres(s)]
    body_x += [c[0] + r for pose in shown for s in SEGMENTS for c, r in pose.spheres(s)]
    placed: list[PlacedLayer] = []
    for prop in figure.props:
        placed += prop_layers(prop, view, end, _x_range([(x, 0.0) for x in body_x]))

    background = [p.layer for p in placed if p.placement == "background"]
    ghosts = [layer for pose in shown[:-1] for _, layer in sorted(_body_layers(pose, view, ghost=True), key=lambda d: d[0])]
    # Props sort before body parts at equal depth: a ball between the knees hides behind the near knee.
    among = [(p.depth, 0, p.layer) for p in placed if p.placement == "among_body"]
    among += [(depth, 1, layer) for depth, layer in _body_layers(end, view, ghost=False, solid=frozenset(figure.solid))]
    middle = [layer for _, _, layer in sorted(among, key=lambda d: (d[0], d[1]))]
    front = [p.layer for p in placed if p.placement == "front"]
    cues = _cue_layer(figure, poses, view) if part != "start" else None
    if cues is not None:
        front.append(cues)

    layers = background + ghosts + middle + front
    if view.shows_floor_edge and any(isinstance(p, Floor) for p in figure.props):
        level = -max((p.thickness for p in figure.props if isinstance(p, Mat)), default=0.0)
        x0, x1 = _x_range([p for layer in layers for p in layer.points()])
        layers.insert(0, floor_line(level, (x0 - _FLOOR_OVERHANG, x1 + _FLOOR_OVERHANG)))
    if figure.crop_below is not None:
        level = view.project(end.landmark(figure.crop_below))[1] - figure.crop_margin
        layers = [cut for cut in (layer.clipped_above(level) for layer in layers) if cut is not None]
    if mirror:
        layers = [layer.mirrored() for layer in layers]
    return Scene(tuple(layers))


@lru_cache(maxsize=128)
def _cached_panels(figure_json: str, mirror: bool, stacked: bool, gap: float | None = None) -> Scene:
    """Start and Finish on one scale: side by side on one floor with a thin rule between them, or stacked,
    Start above, with the rule across. Mirroring turns each body round but keeps Start first, where a reader
    begins. `gap` (cm) widens the space between side-by-side panels, so words wider than narrow panels clear."""
    start, finish = (_cached_scene(figure_json, mirror, part) for part in ("start", "finish"))
    (a0, ay0, a1, ay1), (b0, by0, b1, by1) = start.bounds, finish.bounds
    if stacked:
        gap = max(_PANEL_GAP, 0.1 * max(ay1 - ay0, by1 - by0))
        lift = by1 + gap - ay0  # start's bottom sits `gap` above finish's top
        rule_y, low, high = by1 + gap / 2, min(a0, b0), max(a1, b1)
        rule = Layer("divider", lines=(((low, rule_y), (high, rule_y)),))
        layers = [layer.shifted(0.0, lift) for layer in start.layers] + [rule] + list(finish.layers)
        return Scene(tuple(layers), labels=((ay0 + ay1) / 2 + lift, (by0 + by1) / 2), label_side="left")
    gap = max(_PANEL_GAP, 0.1 * max(a1 - a0, b1 - b0), gap or 0.0)
    shift_a, shift_b = -a0, (a1 - a0) + gap - b0
    rule_x, low, high = (a1 - a0) + gap / 2, min(ay0, by0), max(ay1, by1)
    rule = Layer("divider", lines=(((rule_x, low + 0.1 * (high - low)), (rule_x, high - 0.1 * (high - low))),))
    layers = [layer.shifted(shift_a) for layer in start.layers] + [rule] + [layer.shifted(shift_b) for layer in finish.layers]
    return Scene(tuple(layers), labels=((a1 - a0) / 2, shift_b + (b0 + b1) / 2))


def build_scene(figure: Figure, mirror: bool = False, stacked: bool = False, gap: float | None = None) -> Scene:
    """The figure's drawing-ready layers (cached per process; scenes are immutable). `stacked` puts panels
    one above the other instead of side by side; `gap` (cm) is the least space between side-by-side panels."""
    if figure.show == "panels":
        return _cached_panels(canonical_json(figure), mirror, stacked, None if stacked else gap)
    return _cached_scene(canonical_json(figure), mirror)


def panel_scenes(figure: Figure, mirror: bool = False) -> tuple[Scene, Scene]:
    """The Start and Finish panels on their own, unshifted (what build_scene lays side by side)."""
    figure_json = canonical_json(figure)
    return _cached_scene(figure_json, mirror, "start"), _cached_scene(figure_json, mirror, "finish")
