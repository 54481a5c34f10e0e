"""Small vector / rotation helpers and 2D outline construction (pure Python, no numpy)."""

from __future__ import annotations

import math

Vec2 = tuple[float, float]
Vec3 = tuple[float, float, float]
Mat3 = tuple[Vec3, Vec3, Vec3]  # row-major

IDENTITY: Mat3 = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))

# Points per circle when outlining; enough to look round at a full page width.
CIRCLE_STEPS = 32  # outlines are simplified to 0.12 cm anyway (see OUTLINE_TOLERANCE)


def add(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec3, k: float) -> Vec3:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec3, b: Vec3) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec3, b: Vec3) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a: Vec3) -> float:
    return math.sqrt(dot(a, a))


def normalize(a: Vec3) -> Vec3:
    length = norm(a)
    return scale(a, 1.0 / length) if length > 1e-12 else (0.0, 0.0, 0.0)


def midpoint(a: Vec3, b: Vec3) -> Vec3:
    return scale(add(a, b), 0.5)


def mat_vec(m: Mat3, v: Vec3) -> Vec3:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def mat_mul(a: Mat3, b: Mat3) -> Mat3:
    cols = list(zip(*b))
    return tuple(tuple(dot(row, col) for col in cols) for row in a)  # type: ignore[return-value]


def mat_from_columns(x: Vec3, y: Vec3, z: Vec3) -> Mat3:
    return ((x[0], y[0], z[0]), (x[1], y[1], z[1]), (x[2], y[2], z[2]))


def rot_x(degrees: float) -> Mat3:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(degrees: float) -> Mat3:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(degrees: float) -> Mat3:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def frame_along(down: Vec3, forward_hint: Vec3) -> Mat3:
    """Rotation whose -y axis points along `down` and whose x axis leans towards `forward_hint`."""
    y = scale(normalize(down), -1.0)
    x = normalize(sub(forward_hint, scale(y, dot(forward_hint, y))))
    if norm(x) < 1e-9:  # hint parallel to the limb: any perpendicular will do
        x = normalize(cross(y, (0.0, 0.0, 1.0))) if abs(y[2]) < 0.9 else (1.0, 0.0, 0.0)
    return mat_from_columns(x, y, cross(x, y))


def circle_points(center: Vec2, radius: float, steps: int = CIRCLE_STEPS) -> list[Vec2]:
    cx, cy = center
    return [
        (cx + radius * math.cos(2 * math.pi * i / steps), cy + radius * math.sin(2 * math.pi * i / steps))
        for i in range(steps)
    ]


def convex_hull(points: list[Vec2]) -> tuple[Vec2, ...]:
    """Andrew's monotone chain; counter-clockwise, no repeated end point."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return tuple(pts)

    def turn(o: Vec2, a: Vec2, b: Vec2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Vec2] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Vec2] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return tuple(lower[:-1] + upper[:-1])


# How far (cm, on a 170 cm figure) a simplified outline may stray from the exact one: about 0.1 pt on the
# page. Outlines are most of a sheet's bytes and drawing time, and most of their points lie on long arcs.
OUTLINE_TOLERANCE = 0.12


def hull_of_circles(circles: list[tuple[Vec2, float]]) -> tuple[Vec2, ...]:
    """Outline of the convex hull of circles: the silhouette of a hull of spheres, within OUTLINE_TOLERANCE."""
    points: list[Vec2] = []
    for center, radius in circles:
        points.extend(circle_points(center, radius))
    return simplify_closed(convex_hull(points), OUTLINE_TOLERANCE)


def _distance_to_segment(point: Vec2, start: Vec2, end: Vec2) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    if length_squared == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_squared))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points: list[Vec2], tolerance: float) -> list[Vec2]:
    """Ramer-Douglas-Peucker: the fewest points whose polyline stays within tolerance of the original."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, 0.0
        for index in range(first + 1, last):
            d = _distance_to_segment(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep) if kept]


def simplify_closed(points: tuple[Vec2, ...], tolerance: float) -> tuple[Vec2, ...]:
    """simplify() for a closed outline: split it at the point farthest from the first, simplify both halves."""
    if len(points) < 4:
        return points
    split = max(range(len(points)), key=lambda i: math.hypot(points[i][0] - points[0][0], points[i][1] - points[0][1]))
    first = simplify(list(points[: split + 1]), tolerance)
    second = simplify([*points[split:], points[0]], tolerance)
    return tuple(first[:-1] + second[:-1])


def arc_points(start: Vec2, end: Vec2, bend_degrees: float, steps: int = 24) -> list[Vec2]:
    """Circular arc from start to end sweeping `bend_degrees` (sign picks the side); straight if ~0."""
    (x0, y0), (x1, y1) = start, end
    if abs(bend_degrees) < 1e-6:
        return [(x0 + (x1 - x0) * t / steps, y0 + (y1 - y0) * t / steps) for t in range(steps + 1)]
    sweep = math.radians(bend_degrees)
    chord = math.hypot(x1 - x0, y1 - y0)
    radius = chord / (2 * math.sin(abs(sweep) / 2))
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    # Centre sits on the chord's perpendicular bisector, on the side away from the bulge;
    # a positive sweep travels clockwise, so the arc bulges to the left of start -> end.
    nx, ny = -(y1 - y0) / chord, (x1 - x0) / chord
    offset = -radius * math.cos(sweep / 2) * (1 if sweep > 0 else -1)
    cx, cy = mx + nx * offset, my + ny * offset
    a0 = math.atan2(y0 - cy, x0 - cx)
    return [
        (cx + radius * math.cos(a0 - sweep * t / steps), cy + radius * math.sin(a0 - sweep * t / steps))
        for t in range(steps + 1)
    ]


def dash_polyline(points: list[Vec2], on: float, off: float) -> list[list[Vec2]]:
    """Split a polyline into dash pieces of length `on` separated by gaps of `off`."""
    dashes: list[list[Vec2]] = []
    current: list[Vec2] = [points[0]]
    drawing, left = True, on
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        seg = math.hypot(bx - ax, by - ay)
        pos = 0.0
        while seg - pos > left:
            pos += left
            t = pos / seg
            p = (ax + (bx - ax) * t, ay + (by - ay) * t)
            if drawing:
                current.append(p)
                dashes.append(current)
            else:
                current = [p]
            drawing, left = not drawing, (on if not drawing else off)
        left -= seg - pos
        if drawing:
            current.append((bx, by))
    if drawing and len(current) > 1:
        dashes.append(current)
    return dashes


def clip_polygon_above(points: tuple[Vec2, ...], level: float) -> tuple[Vec2, ...]:
    """The part of a closed outline at or above y = level (Sutherland-Hodgman against one edge)."""
    out: list[Vec2] = []
    for index, current in enumerate(points):
        previous = points[index - 1]
        inside_now, inside_before = current[1] >= level, previous[1] >= level
        if inside_now != inside_before:
            t = (level - previous[1]) / (current[1] - previous[1])
            out.append((previous[0] + (current[0] - previous[0]) * t, level))
        if inside_now:
            out.append(current)
    return tuple(out)


def clip_polyline_above(points: tuple[Vec2, ...], level: float) -> list[tuple[Vec2, ...]]:
    """The pieces of an open line at or above y = level."""
    pieces: list[list[Vec2]] = []
    current: list[Vec2] = []
    for index, point in enumerate(points):
        if index:
            previous = points[index - 1]
            if (point[1] >= level) != (previous[1] >= level):
                t = (level - previous[1]) / (point[1] - previous[1])
                crossing = (previous[0] + (point[0] - previous[0]) * t, level)
                current.append(crossing)
                if point[1] < level:
                    pieces.append(current)
                    current = []
        if point[1] >= level:
            current.append(point)
    pieces.append(current)
    return [tuple(piece) for piece in pieces if len(piece) > 1]
