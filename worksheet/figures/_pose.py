"""Forward kinematics: a Keyframe becomes world-space segment frames and solid spheres."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._geometry import (
    IDENTITY,
    Mat3,
    Vec3,
    add,
    dot,
    frame_along,
    mat_mul,
    mat_vec,
    midpoint,
    norm,
    normalize,
    rot_x,
    rot_y,
    rot_z,
    scale,
    sub,
)
from ._model import JointAngles, Keyframe
from ._skeleton import FOREARM, HAND, LANDMARK_POINTS, SEGMENTS, UPPER_ARM, Segment, Sphere

Frame = tuple[Vec3, Mat3]  # origin, rotation (columns = the segment's x, y, z axes in world)


@dataclass(frozen=True)
class Pose:
    """A solved keyframe: every segment's world frame."""

    frames: dict[str, Frame]

    def point(self, segment: str, local: Vec3) -> Vec3:
        origin, rotation = self.frames[segment]
        return add(origin, mat_vec(rotation, local))

    def landmark(self, name: str) -> Vec3:
        if name in LANDMARK_POINTS:
            return self.point(*LANDMARK_POINTS[name])
        # Plural names ("knees") are the midpoint of the right and left landmark.
        singular = name[:-1] if name != "toes" else name
        return midpoint(self.landmark(f"right_{singular}"), self.landmark(f"left_{singular}"))

    def spheres(self, segment: Segment) -> list[Sphere]:
        return [(self.point(segment.name, center), radius) for center, radius in segment.spheres]

    def translated(self, offset: Vec3) -> Pose:
        return Pose({name: (add(origin, offset), rot) for name, (origin, rot) in self.frames.items()})


def joint_angles(keyframe: Keyframe, joint: str) -> JointAngles:
    """A sided joint ('right_hip') falls back to its unsided entry ('hip'), then to neutral."""
    unsided = joint.split("_", 1)[1] if joint.startswith(("right_", "left_")) else joint
    value = keyframe.joints.get(joint, keyframe.joints.get(unsided, 0.0))
    return value if isinstance(value, JointAngles) else JointAngles(flex=value)


def _local_rotation(segment: Segment, angles: JointAngles) -> Mat3:
    """Anatomical angles to a rotation in the parent frame (signs chosen so + means flexion etc.)."""
    side = 1.0 if segment.name.startswith("right_") else -1.0
    kind = (segment.joint or "").removeprefix("right_").removeprefix("left_")
    if kind == "spine":  # moves the pelvis under a fixed chest
        return mat_mul(mat_mul(rot_z(angles.flex), rot_x(angles.abduct)), rot_y(-angles.rotate))
    if kind == "neck":  # shared between the neck and head segments for a smooth curve
        return mat_mul(mat_mul(rot_z(-angles.flex / 2), rot_x(-angles.abduct / 2)), rot_y(angles.rotate / 2))
    if kind in ("hip", "shoulder"):
        return mat_mul(mat_mul(rot_z(angles.flex), rot_x(-side * angles.abduct)), rot_y(-side * angles.rotate))
    if kind == "knee":
        return mat_mul(rot_z(-angles.flex), rot_y(-side * angles.rotate))
    if kind in ("elbow", "wrist", "ankle"):
        return mat_mul(rot_z(angles.flex), rot_y(-side * angles.rotate))
    return IDENTITY


def _forward(keyframe: Keyframe) -> dict[str, Frame]:
    frames: dict[str, Frame] = {}
    for segment in SEGMENTS:  # parents come before children
        if segment.parent is None:
            frames[segment.name] = ((0.0, 0.0, 0.0), mat_mul(rot_z(keyframe.trunk - 90), rot_y(keyframe.roll)))
            continue
        parent_origin, parent_rot = frames[segment.parent]
        local = _local_rotation(segment, joint_angles(keyframe, segment.joint)) if segment.joint else IDENTITY
        frames[segment.name] = (add(parent_origin, mat_vec(parent_rot, segment.attach)), mat_mul(parent_rot, local))
    return frames


def _reach(frames: dict[str, Frame], side: str, target: Vec3) -> None:
    """Two-bone IK: bend the elbow so the hand centre lands on `target`, elbow pointing out and back."""
    upper, fore, hand = (f"{side}_upper_arm", f"{side}_forearm", f"{side}_hand")
    shoulder = frames[upper][0]
    chest_rot = frames["chest"][1]
    reach_a, reach_b = UPPER_ARM, FOREARM + 0.45 * HAND
    to_target = sub(target, shoulder)
    distance = min(max(norm(to_target), abs(reach_a - reach_b) + 1e-6), reach_a + reach_b - 1e-6)
    along = normalize(to_target)
    side_sign = 1.0 if side == "right" else -1.0
    pole = mat_vec(chest_rot, (-0.4, -0.3, side_sign))
    across = normalize(sub(pole, scale(along, dot(pole, along))))
    a = (reach_a**2 - reach_b**2 + distance**2) / (2 * distance)
    elbow = add(shoulder, add(scale(along, a), scale(across, math.sqrt(max(reach_a**2 - a**2, 0.0)))))
    wrist_dir = normalize(sub(add(shoulder, scale(along, distance)), elbow))
    forward = mat_vec(chest_rot, (1.0, 0.0, 0.0))
    upper_rot = frame_along(sub(elbow, shoulder), forward)
    fore_rot = frame_along(wrist_dir, forward)
    frames[upper] = (shoulder, upper_rot)
    frames[fore] = (elbow, fore_rot)
    frames[hand] = (add(elbow, scale(wrist_dir, FOREARM)), fore_rot)


def solve(keyframe: Keyframe) -> Pose:
    """World-space pose: angles, then hand reaches, then placement of the anchor / floor contact."""
    frames = _forward(keyframe)
    pose = Pose(frames)
    for hand, target_name in keyframe.reach.items():
        _reach(frames, hand.removesuffix("_hand"), pose.landmark(target_name))
    anchor = pose.landmark(keyframe.anchor)
    if keyframe.y is None:
        lowest = min(center[1] - radius for segment in SEGMENTS for center, radius in pose.spheres(segment))
        lift = -lowest
    else:
        lift = keyframe.y - anchor[1]
    return pose.translated((keyframe.x - anchor[0], lift, keyframe.z - anchor[2]))
