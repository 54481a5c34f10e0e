"""The body: segment lengths, joint attachment points and the spheres that give each segment its shape.

Lengths follow Winter's anthropometric ratios (after Drillis & Contini) for a body height
H = 170 cm: thigh 0.245 H, shin 0.246 H, upper arm 0.186 H, forearm 0.146 H, hand 0.108 H,
foot 0.152 H, ankle height 0.039 H, shoulder to hip 0.288 H, shoulder width 0.259 H.
Every segment's frame has x forward, y up, z to the body's right in the standing anatomical
position; limb segments hang along -y from their proximal joint.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._geometry import Vec3

HEIGHT = 170.0

THIGH = 0.245 * HEIGHT
SHIN = 0.246 * HEIGHT
UPPER_ARM = 0.186 * HEIGHT
FOREARM = 0.146 * HEIGHT
HAND = 0.108 * HEIGHT
CHEST = 0.205 * HEIGHT  # waist (lumbar joint) to neck base
PELVIS = 0.083 * HEIGHT  # waist to hip-joint centre; CHEST + PELVIS = 0.288 H
NECK = 0.052 * HEIGHT
SHOULDER_HALF_WIDTH = 0.106 * HEIGHT  # joint centres, inside the 0.259 H acromion width
HIP_HALF_WIDTH = 0.053 * HEIGHT

Sphere = tuple[Vec3, float]


@dataclass(frozen=True)
class Segment:
    name: str
    parent: str | None
    joint: str | None  # joint name in Keyframe.joints that turns this segment
    attach: Vec3  # proximal joint position in the parent's frame
    tip: Vec3  # distal joint in its own frame; its distance from the origin is the segment length
    spheres: tuple[Sphere, ...]  # the segment's solid is the convex hull of these
    group: str  # drawn as one outline with the other segments of its group
    material: str  # colour role in the tinted style


def _side_sign(side: str) -> float:
    return 1.0 if side == "right" else -1.0


def _mirrored(spheres: tuple[Sphere, ...]) -> tuple[Sphere, ...]:
    """Symmetric solids are described once, on the right, and copied to the left."""
    out: list[Sphere] = []
    for (x, y, z), r in spheres:
        out.append(((x, y, z), r))
        if z:
            out.append(((x, y, -z), r))
    return tuple(out)


def _limbs(side: str) -> list[Segment]:
    s = _side_sign(side)
    return [
        Segment(f"{side}_upper_arm", "chest", f"{side}_shoulder", (-3.0, CHEST - 4.0, s * SHOULDER_HALF_WIDTH), (0.0, -UPPER_ARM, 0.0),
                (((0.0, 0.0, 0.0), 5.4), ((0.0, -0.4 * UPPER_ARM, 0.0), 4.5), ((0.0, -UPPER_ARM, 0.0), 3.5)),
                f"{side}_arm", "shirt"),
        Segment(f"{side}_forearm", f"{side}_upper_arm", f"{side}_elbow", (0.0, -UPPER_ARM, 0.0), (0.0, -FOREARM, 0.0),
                (((0.0, 0.0, 0.0), 3.5), ((0.3, -0.3 * FOREARM, 0.0), 3.9), ((0.0, -FOREARM, 0.0), 2.5)),
                f"{side}_arm", "skin"),
        Segment(f"{side}_hand", f"{side}_forearm", f"{side}_wrist", (0.0, -FOREARM, 0.0), (0.0, -HAND, 0.0),
                (((0.0, 0.0, 0.0), 2.5), ((1.2, -0.45 * HAND, 0.0), 2.8), ((-1.2, -0.45 * HAND, 0.0), 2.8),
                 ((0.0, -0.92 * HAND, 0.0), 1.8)),
                f"{side}_arm", "skin"),
        Segment(f"{side}_thigh", "pelvis", f"{side}_hip", (0.0, -PELVIS, s * HIP_HALF_WIDTH), (0.0, -THIGH, 0.0),
                (((0.0, 0.0, 0.0), 8.6), ((0.6, -0.3 * THIGH, 0.0), 7.8), ((0.0, -THIGH, 0.0), 5.4)),
                f"{side}_leg", "trousers"),
        Segment(f"{side}_shin", f"{side}_thigh", f"{side}_knee", (0.0, -THIGH, 0.0), (0.0, -SHIN, 0.0),
                (((0.0, 0.0, 0.0), 5.2), ((-1.6, -0.28 * SHIN, 0.0), 5.4), ((0.0, -SHIN, 0.0), 3.4)),
                f"{side}_leg", "trousers"),
        # The foot frame sits at the ankle; its tip is the toes, forward (+x) in standing.
        Segment(f"{side}_foot", f"{side}_shin", f"{side}_ankle", (0.0, -SHIN, 0.0), (17.8, -4.6, 0.0),
                (((0.0, 0.0, 0.0), 3.6), ((-4.0, -3.4, 0.0), 3.3), ((13.0, -4.2, 1.6), 3.1), ((13.0, -4.2, -1.6), 3.1),
                 ((17.8, -4.6, 0.0), 2.3)),
                f"{side}_leg", "shoe"),
    ]


SEGMENTS: tuple[Segment, ...] = (
    # The chest is the root: lying exercises mostly keep the shoulders still and move the rest.
    Segment("chest", None, None, (0.0, 0.0, 0.0), (0.0, CHEST, 0.0),
            _mirrored((((1.0, 2.0, 5.0), 9.0), ((1.0, 19.0, 7.0), 11.0), ((-1.5, CHEST - 4.0, 11.5), 7.8))),
            "torso", "shirt"),
    # The pelvis hangs from the waist, so spine flexion swings the hips forward like hip flexion does.
    Segment("pelvis", "chest", "spine", (0.0, 0.0, 0.0), (0.0, -PELVIS, 0.0),
            _mirrored((((1.0, -2.0, 5.0), 9.0), ((0.0, -PELVIS, 7.0), 10.0))),
            "torso", "trousers"),
    Segment("neck", "chest", "neck", (0.0, CHEST, 0.0), (0.0, NECK, 0.0),
            (((0.0, -2.0, 0.0), 5.6), ((0.5, NECK, 0.0), 5.0)),
            "torso", "skin"),
    Segment("head", "neck", "neck", (0.0, NECK, 0.0), (0.5, 20.0, 0.0),
            (((-1.0, 10.0, 0.0), 8.6), ((2.0, 10.0, 0.0), 8.4), ((5.0, 3.0, 0.0), 5.6)),
            "torso", "skin"),
    # A nose tells which way the face points, which is how a reader tells lying on the back from the front.
    Segment("nose", "head", None, (0.0, 0.0, 0.0), (10.2, 8.0, 0.0), (((10.2, 8.0, 0.0), 1.5), ((9.0, 10.5, 0.0), 1.2)), "torso", "skin"),
    *_limbs("right"),
    *_limbs("left"),
)

SEGMENTS_BY_NAME = {segment.name: segment for segment in SEGMENTS}

# Eyes, in the head's frame: (point on the face, outward normal). Drawn when they face the camera, so a face
# seen from the front has eyes and is not read as the back of the head.
EYES: tuple[tuple[Vec3, Vec3], ...] = (
    ((8.3, 12.2, 3.3), (0.85, 0.1, 0.5)),
    ((8.3, 12.2, -3.3), (0.85, 0.1, -0.5)),
)
EYE_RADIUS = 0.8

# Where named landmarks sit, as (segment, point in that segment's frame).
LANDMARK_POINTS: dict[str, tuple[str, Vec3]] = {
    "head": ("head", (0.5, 10.0, 0.0)),
    "nose": ("nose", (10.2, 8.0, 0.0)),  # moves when the head turns: what an arrow for neck turns follows
    "neck": ("neck", (0.0, 0.0, 0.0)),
    "waist": ("chest", (0.0, 0.0, 0.0)),
    "stomach": ("chest", (10.0, 9.0, 0.0)),  # the front of the belly just below the ribs, where hands rest
    "pelvis": ("pelvis", (0.0, -PELVIS, 0.0)),
}
for _side in ("right", "left"):
    LANDMARK_POINTS.update({
        f"{_side}_shoulder": (f"{_side}_upper_arm", (0.0, 0.0, 0.0)),
        f"{_side}_elbow": (f"{_side}_forearm", (0.0, 0.0, 0.0)),
        f"{_side}_wrist": (f"{_side}_hand", (0.0, 0.0, 0.0)),
        f"{_side}_hand": (f"{_side}_hand", (0.0, -0.45 * HAND, 0.0)),
        f"{_side}_hip": (f"{_side}_thigh", (0.0, 0.0, 0.0)),
        f"{_side}_knee": (f"{_side}_shin", (0.0, 0.0, 0.0)),
        f"{_side}_thigh_back": (f"{_side}_thigh", (-8.0, -0.7 * THIGH, 0.0)),  # where hands hold a thigh
        f"{_side}_ankle": (f"{_side}_foot", (0.0, 0.0, 0.0)),
        f"{_side}_heel": (f"{_side}_foot", (-4.0, -3.4, 0.0)),
        f"{_side}_toes": (f"{_side}_foot", (17.8, -4.6, 0.0)),
    })
